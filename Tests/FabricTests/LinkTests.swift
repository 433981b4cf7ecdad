import Engine
@testable import Fabric
import Testing
import Wire

@Test func aThousandByteFrameTakes5Point18MillisecondsOnAT1() {
    // 1000 bytes × 8 / 1 544 000 bit/s = 5.181 347 ms, rounded up to the nanosecond.
    #expect(Bandwidth.kbps(1544).transmissionTime(bytes: 1000) == .nanoseconds(5_181_348))
}

//   H1 ─── Gi0/0 R1 Se0/0 ════════════════ Se0/0 R2 Gi0/0 ─── H2
//   10.1.1.10      10.0.12.1  1.544 Mbit/s  10.0.12.2         10.2.2.10
//                  (Ethernet links 1 Gbit/s, no delay; serial 1 ms)
func serialChain(fifo: Bool = false) -> (Network, h1: NodeID, r1: NodeID, r2: NodeID, h2: NodeID) {
    let net = Network(seed: 7)
    let h1 = net.addHost("H1", "10.1.1.10/24", gateway: "10.1.1.1")
    let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.1.1.1/24"), fifoIf(interface("Serial0/0", "10.0.12.1/30"), fifo)],
                           routes: [route("10.2.2.0/24", via: "10.0.12.2")])
    let r2 = net.addRouter("R2", [interface("GigabitEthernet0/0", "10.2.2.1/24"), interface("Serial0/0", "10.0.12.2/30")],
                           routes: [route("10.1.1.0/24", via: "10.0.12.1")])
    let h2 = net.addHost("H2", "10.2.2.10/24", gateway: "10.2.2.1")
    net.cable(h1, "Ethernet0", r1, "GigabitEthernet0/0", delay: .zero)
    net.cable(r1, "Serial0/0", r2, "Serial0/0", bandwidth: .kbps(1544), delay: .milliseconds(1))
    net.cable(r2, "GigabitEthernet0/0", h2, "Ethernet0", delay: .zero)
    net.start()
    net.run(until: at(1))
    return (net, h1, r1, r2, h2)
}

@Test func aFlowAcrossTheSerialLinkIsDelayedBySerializationAndPropagation() {
    let (net, h1, _, _, _) = serialChain()
    // A ping first, so no packet of the flow waits for ARP.
    #expect(net.pingOutput(from: h1, to: "10.2.2.10", count: 1).contains("!"))
    // 986-byte datagrams are 1000-byte frames: 5.181 ms on the T1 plus 1 ms of propagation, and
    // 8 µs on each Gigabit link. 100 packets/s leave the T1 mostly idle.
    let flow = net.addFlow(FlowSpec(name: "voice", source: h1, destination: ip("10.2.2.10"),
                                    pattern: .constant(interval: .milliseconds(10)), packetSize: 986,
                                    start: at(10), stop: at(11)))
    net.run(until: at(13))
    let f = net.flows[flow.index]
    #expect(f.sent == 100)
    #expect(f.delivered == 100)
    #expect(f.deliveredPercent == 100)
    let serialization = Bandwidth.kbps(1544).transmissionTime(bytes: 1000)
    let ethernet = Bandwidth.gbps(1).transmissionTime(bytes: 1000)
    #expect(f.delay.minimum == serialization + .milliseconds(1) + ethernet + ethernet)
    #expect(f.delay.maximum == f.delay.minimum)
    #expect(f.delay.percentile(50) == f.delay.minimum)
    #expect(f.jitter == .zero)
}

@Test func anOverloadedSerialLinkTailDropsAtAQueueOf40() {
    // `no fair-queue`: a T1 serial defaults to WFQ; this test is about FIFO's hold queue of 40.
    let (net, h1, r1, _, _) = serialChain(fifo: true)
    // 1000-byte frames every 1 ms is 8 Mbit/s into a 1.544 Mbit/s line.
    let flow = net.addFlow(FlowSpec(name: "bulk", source: h1, destination: ip("10.2.2.10"),
                                    pattern: .constant(interval: .milliseconds(1)), packetSize: 986,
                                    start: at(2), stop: at(4)))
    net.run(until: at(3))
    let serial = net.ports[net.port(of: r1, named: "Serial0/0")!.index]
    #expect(serial.queue.count == 40)
    let interfaceText = net.showInterfaces(r1, name: "Se0/0")
    #expect(interfaceText.contains("  Output queue: 40/40 (size/max)"))
    net.run(until: at(10))
    let f = net.flows[flow.index]
    #expect(f.sent == 2000)
    // What the T1 carried in the 2 s, plus the 40 queued and the one on the line when the source stopped.
    let lineRate = 1_544_000 / (1000 * 8)  // 193 frames per second
    #expect(f.delivered >= UInt64(2 * lineRate) && f.delivered <= UInt64(2 * lineRate + 42))
    #expect(serial.outputDrops == f.lost)
    #expect(net.drops[.queueFull] == f.lost)
    expectShow(net.showInterfaces(r1, name: "Serial0/0"), """
        Serial0/0 is up, line protocol is up
          Hardware is M4T
          Internet address is 10.0.12.1/30
          MTU 1500 bytes, BW 1544 Kbit/sec, DLY 20000 usec,
             reliability 255/255, txload 2/255, rxload 1/255
          Encapsulation HDLC, crc 16, loopback not set
          Keepalive set (10 sec)
          Last clearing of "show interface" counters never
          Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 1574
          Queueing strategy: fifo
          Output queue: 0/40 (size/max)
          5 minute input rate 3 bits/sec, 0 packets/sec
          5 minute output rate 11083 bits/sec, 1 packets/sec
             2 packets input, 120 bytes, 0 no buffer
             Received 1 broadcasts (0 IP multicasts)
             0 runts, 0 giants, 0 throttles
             0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort
             428 packets output, 426120 bytes, 0 underruns
             0 output errors, 0 collisions, 0 interface resets
             0 unknown protocol drops
             0 output buffer failures, 0 output buffers swapped out
             0 carrier transitions
             DCD=up  DSR=up  DTR=up  RTS=up  CTS=up
        """)
}

/// `no fair-queue` on an interface when `fifo` is set.
func fifoIf(_ settings: InterfaceSettings, _ fifo: Bool) -> InterfaceSettings {
    var s = settings
    s.fairQueueDisabled = fifo
    return s
}
