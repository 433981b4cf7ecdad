import Engine
@testable import Fabric
import Testing
import Wire

/// Records every frame put on a link: destination MAC and, for IPv4, the destination address.
final class FrameRecorder: FrameObserver {
    var frames: [(link: LinkID, destination: MACAddress, ip: IPv4Address?)] = []
    func frameTransmitted(on link: LinkID, from port: PortID, at time: SimTime, bytes: UnsafeRawBufferPointer) {
        guard let d = FrameView.destination(bytes) else { return }
        var address: IPv4Address?
        if let o = FrameView.payloadOffset(bytes), FrameView.etherType(bytes) == .ipv4, bytes.count >= o + 20 {
            address = IPv4Address(bytes[o + 16], bytes[o + 17], bytes[o + 18], bytes[o + 19])
        }
        frames.append((link, d, address))
    }
}

let group = IPv4Address(239, 1, 1, 1)

// Same drawing as `threeHostsOnASwitch`: A, B and C on SW1 in VLAN 1; B joins 239.1.1.1.
func membersOnASwitch() -> (Network, sw: NodeID, a: NodeID, b: NodeID, c: NodeID) {
    let (net, sw, a, b, c) = threeHostsOnASwitch()
    #expect(net.host(b).join(group, on: 0))
    return (net, sw, a, b, c)
}

@Test func theMACFilterTakesJoinedGroupsAndAllSystemsOnly() {
    let (net, _, _, b, c) = membersOnASwitch()
    // RFC 1112 §6.4: 01-00-5E plus the low 23 bits.
    #expect(net.host(b).acceptsMulticastMAC(MACAddress(0x01, 0x00, 0x5E, 0x01, 0x01, 0x01), on: 0))
    #expect(net.host(b).acceptsMulticastMAC(MACAddress(0x01, 0x00, 0x5E, 0x00, 0x00, 0x01), on: 0))
    #expect(!net.host(c).acceptsMulticastMAC(MACAddress(0x01, 0x00, 0x5E, 0x01, 0x01, 0x01), on: 0))
    // OSPF's groups pass only where OSPF runs.
    #expect(!net.host(c).acceptsMulticastMAC(MACAddress.multicast(for: IPv4Address(224, 0, 0, 5)), on: 0))
    // 224.0.0.1 is always joined and cannot be joined or left twice.
    #expect(!net.host(c).join(IGMPMessage.allSystems, on: 0))
    #expect(!net.host(b).join(group, on: 0))
    #expect(net.host(b).joinedGroups(on: "Ethernet0") == [group])
    #expect(net.host(b).leave(group, on: 0))
    #expect(!net.host(b).acceptsMulticastMAC(MACAddress.multicast(for: group), on: 0))
}

@Test func aHostSendsToAGroupWithItsMulticastMACNotTheGateway() {
    // The campus bug: a host routed 239.1.1.1 to its gateway's unicast MAC.
    let net = Network(seed: 1)
    var s = SwitchSettings(hostname: "SW1")
    s.interfaces = (1...3).map { accessPort("GigabitEthernet0/\($0)", vlan: 1) }
    let sw = net.addSwitch(s, physicalPorts: (0...3).map { "GigabitEthernet0/\($0)" })
    let a = net.addHost("A", "10.1.1.1/24", gateway: "10.1.1.254")
    let b = net.addHost("B", "10.1.1.2/24", gateway: "10.1.1.254")
    let c = net.addHost("C", "10.1.1.3/24", gateway: "10.1.1.254")
    for (k, h) in [a, b, c].enumerated() { net.cable(h, "Ethernet0", sw, "GigabitEthernet0/\(k + 1)") }
    let recorder = FrameRecorder()
    net.observers.append(recorder)
    net.start()
    net.run(until: at(1))
    net.host(b).join(group, on: 0)
    let flow = net.addFlow(FlowSpec(name: "f1", source: a, destination: group, pattern: .constant(interval: .milliseconds(10)),
                                    packetSize: 200, start: at(1), stop: at(2)))
    net.run(until: at(3))
    let toGroup = recorder.frames.filter { $0.ip == group }
    #expect(!toGroup.isEmpty)
    #expect(toGroup.allSatisfy { $0.destination == MACAddress.multicast(for: group) })
    // The switch floods it within the VLAN; B takes it, C's MAC filter drops it.
    let f = net.flows[flow.index]
    #expect(f.sent == 100)
    #expect(f.receivers.map(\.node) == [b])
    #expect(f.receiver(b).delivered == 100)
    #expect(f.receiver(c).delivered == 0)
    #expect(f.delivered == 100 && f.lost == 0)
    #expect(net.drops[.notForUs, default: 0] >= 100)
}

@Test func eachMemberIsCountedAndTheTotalCountsEveryCopy() {
    let (net, _, a, b, c) = membersOnASwitch()
    net.host(c).join(group, on: 0)
    let flow = net.addFlow(FlowSpec(name: "f1", source: a, destination: group, pattern: .constant(interval: .milliseconds(10)),
                                    packetSize: 200, start: at(1), stop: at(2)))
    net.run(until: at(2) + .milliseconds(500))
    let f = net.flows[flow.index]
    #expect(Set(f.receivers.map(\.node)) == [b, c])
    #expect(f.delivered == 200 && f.expected == 200)
    #expect(f.receiver(b).delay.count == 100)
}

@Test func aLeftGroupIsNoLongerDelivered() {
    let (net, _, a, b, _) = membersOnASwitch()
    let flow = net.addFlow(FlowSpec(name: "f1", source: a, destination: group, pattern: .constant(interval: .milliseconds(10)),
                                    packetSize: 200, start: at(1), stop: at(3)))
    net.run(until: at(2))
    net.host(b).leave(group, on: 0)
    net.run(until: at(4))
    let f = net.flows[flow.index]
    #expect(f.sent == 200)
    #expect((99...101).contains(f.receiver(b).delivered))
}

//   R1 Gi0/0 ---- SW1 ---- Gi0/0 R2 (joins 239.1.1.1)   10.1.1.0/24
//                  |
//                  +------ Gi0/0 R3 (joins 239.1.1.1)
@Test func aPingToAGroupCollectsAReplyFromEveryMember() {
    let net = Network(seed: 1)
    var s = SwitchSettings(hostname: "SW1")
    s.interfaces = (1...3).map { accessPort("GigabitEthernet0/\($0)", vlan: 1) }
    let sw = net.addSwitch(s, physicalPorts: (0...3).map { "GigabitEthernet0/\($0)" })
    let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.1.1.1/24")])
    let r2 = net.addRouter("R2", [interface("GigabitEthernet0/0", "10.1.1.2/24")])
    let r3 = net.addRouter("R3", [interface("GigabitEthernet0/0", "10.1.1.3/24")])
    for (k, r) in [r1, r2, r3].enumerated() { net.cable(r, "GigabitEthernet0/0", sw, "GigabitEthernet0/\(k + 1)") }
    net.start()
    net.run(until: at(1))
    net.host(r2).join(group, on: 0)
    net.host(r3).join(group, on: 0)
    let text = net.pingOutput(from: r1, to: "239.1.1.1", count: 1)
    expectShow(text, """
        Type escape sequence to abort.
        Sending 1, 100-byte ICMP Echos to 239.1.1.1, timeout is 2 seconds:

        Reply to request 0 from 10.1.1.2, 8 ms
        Reply to request 0 from 10.1.1.3, 8 ms
        """)
}

@Test func aPingToAGroupWithoutMembersPrintsADotPerRequest() {
    let (net, _, a, _, _) = threeHostsOnASwitch()
    let text = net.pingOutput(from: a, to: "239.1.1.1", count: 2)
    #expect(text.hasSuffix("timeout is 2 seconds:\n\n.\n."))
}
