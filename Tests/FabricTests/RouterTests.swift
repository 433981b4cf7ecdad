import Engine
@testable import Fabric
import Testing
import Wire

//   R1 Gi0/0 ─────────────── Gi0/0 R2
//   10.0.12.1/24   1 Gbit/s, 1 ms   10.0.12.2/24
func twoRouters() -> (Network, r1: NodeID, r2: NodeID) {
    let net = Network(seed: 1)
    let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.0.12.1/24"), interface("GigabitEthernet0/1", shutdown: true)])
    let r2 = net.addRouter("R2", [interface("GigabitEthernet0/0", "10.0.12.2/24")])
    net.cable(r1, "GigabitEthernet0/0", r2, "GigabitEthernet0/0")
    net.start()
    net.run(until: at(1))  // past the gratuitous ARPs of the interfaces coming up
    return (net, r1, r2)
}

@Test func pingBetweenTwoRoutersResolvesARPAndSucceeds() {
    let (net, r1, r2) = twoRouters()
    // The first echo waits for ARP (one more round trip); IOS would drop it and print `.!!!!`,
    // Wirelab holds it until the reply comes.
    expectShow(net.pingOutput(from: r1, to: "10.0.12.2"), """
        Type escape sequence to abort.
        Sending 5, 100-byte ICMP Echos to 10.0.12.2, timeout is 2 seconds:
        !!!!!
        Success rate is 100 percent (5/5), round-trip min/avg/max = 2/2/4 ms
        """)
    // Both sides learned each other: R1 from the reply, R2 from the request (RFC 826 merge).
    expectShow(net.showIPARP(r1), """
        Protocol  Address          Age (min)  Hardware Addr   Type   Interface
        Internet  10.0.12.1               -   aabb.cc00.0000  ARPA   GigabitEthernet0/0
        Internet  10.0.12.2               0   aabb.cc00.0100  ARPA   GigabitEthernet0/0
        """)
    net.run(until: at(5 * 60))
    expectShow(net.showIPARP(r2), """
        Protocol  Address          Age (min)  Hardware Addr   Type   Interface
        Internet  10.0.12.1               4   aabb.cc00.0000  ARPA   GigabitEthernet0/0
        Internet  10.0.12.2               -   aabb.cc00.0100  ARPA   GigabitEthernet0/0
        """)
}

@Test func showIPRouteListsConnectedAndLocalRoutesUnderTheClassfulNetwork() {
    let (net, r1, _) = twoRouters()
    expectShow(net.showIPRoute(r1), """
        Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
               D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
               N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
               E1 - OSPF external type 1, E2 - OSPF external type 2
               i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
               ia - IS-IS inter area, * - candidate default, U - per-user static route
               o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
               a - application route
               + - replicated route, % - next hop override, p - overrides from PfR

        Gateway of last resort is not set

              10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks
        C        10.0.12.0/24 is directly connected, GigabitEthernet0/0
        L        10.0.12.1/32 is directly connected, GigabitEthernet0/0
        """)
}

@Test func showIPInterfaceBriefShowsAddressesAndAdministrativeState() {
    let (net, r1, _) = twoRouters()
    expectShow(net.showIPInterfaceBrief(r1), """
        Interface                  IP-Address      OK? Method Status                Protocol
        GigabitEthernet0/0         10.0.12.1       YES manual up                    up
        GigabitEthernet0/1         unassigned      YES unset  administratively down down
        """)
}

@Test func showInterfacesPrintsTheIOSLayoutWithCounters() {
    let (net, r1, _) = twoRouters()
    _ = net.pingOutput(from: r1, to: "10.0.12.2")
    expectShow(net.showInterfaces(r1, name: "Gi0/0"), """
        GigabitEthernet0/0 is up, line protocol is up
          Hardware is iGbE, address is aabb.cc00.0000 (bia aabb.cc00.0000)
          Internet address is 10.0.12.1/24
          MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,
             reliability 255/255, txload 1/255, rxload 1/255
          Encapsulation ARPA, loopback not set
          Keepalive set (10 sec)
          ARP type: ARPA, ARP Timeout 04:00:00
          Last clearing of "show interface" counters never
          Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
          Queueing strategy: fifo
          Output queue: 0/40 (size/max)
          5 minute input rate 18 bits/sec, 0 packets/sec
          5 minute output rate 18 bits/sec, 0 packets/sec
             7 packets input, 690 bytes, 0 no buffer
             Received 1 broadcasts (0 IP multicasts)
             0 runts, 0 giants, 0 throttles
             0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
             0 watchdog, 0 multicast, 0 pause input
             7 packets output, 690 bytes, 0 underruns
             0 output errors, 0 collisions, 0 interface resets
             0 unknown protocol drops
             0 babbles, 0 late collision, 0 deferred
             0 lost carrier, 0 no carrier, 0 pause output
             0 output buffer failures, 0 output buffers swapped out
        """)
    expectShow(net.showInterfaces(r1, name: "GigabitEthernet0/1"), """
        GigabitEthernet0/1 is administratively down, line protocol is down
          Hardware is iGbE, address is aabb.cc00.0001 (bia aabb.cc00.0001)
          MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,
             reliability 255/255, txload 1/255, rxload 1/255
          Encapsulation ARPA, loopback not set
          Keepalive set (10 sec)
          ARP type: ARPA, ARP Timeout 04:00:00
          Last clearing of "show interface" counters never
          Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
          Queueing strategy: fifo
          Output queue: 0/40 (size/max)
          5 minute input rate 0 bits/sec, 0 packets/sec
          5 minute output rate 0 bits/sec, 0 packets/sec
             0 packets input, 0 bytes, 0 no buffer
             Received 0 broadcasts (0 IP multicasts)
             0 runts, 0 giants, 0 throttles
             0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
             0 watchdog, 0 multicast, 0 pause input
             0 packets output, 0 bytes, 0 underruns
             0 output errors, 0 collisions, 0 interface resets
             0 unknown protocol drops
             0 babbles, 0 late collision, 0 deferred
             0 lost carrier, 0 no carrier, 0 pause output
             0 output buffer failures, 0 output buffers swapped out
        """)
}
