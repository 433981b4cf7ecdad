import Engine
@testable import Fabric
import Testing
import Wire

/// Records the IPv4 packets every port puts on its link: the port, both MACs, the VLAN tag and the IP datagram.
final class PacketRecorder: FrameObserver {
    struct Packet {
        var port: PortID
        var destination: MACAddress
        var source: MACAddress
        var vlan: UInt16?
        var ip: [UInt8]
        var ipDestination: IPv4Address { IPv4Address(ip[16], ip[17], ip[18], ip[19]) }
        var ttl: UInt8 { ip[8] }
    }
    var packets: [Packet] = []
    func frameTransmitted(on link: LinkID, from port: PortID, at time: SimTime, bytes: UnsafeRawBufferPointer) {
        guard let d = FrameView.destination(bytes), let s = FrameView.source(bytes), FrameView.etherType(bytes) == .ipv4,
              let o = FrameView.payloadOffset(bytes), bytes.count >= o + 20 else { return }
        let total = Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
        packets.append(Packet(port: port, destination: d, source: s, vlan: FrameView.vlanID(bytes), ip: Array(bytes[o..<min(bytes.count, o + total)])))
    }
    /// The packets to `group` a port sent.
    func toGroup(_ group: IPv4Address, from port: PortID) -> [Packet] {
        packets.filter { $0.port == port && $0.ipDestination == group }
    }
}

/// Stands in for PIM: records the data plane's events (with the packet's bytes) and may act on them.
final class MulticastEventRecorder: ControlPlaneProtocol {
    let ipProtocol = IPProtocol.pim
    var events: [(kind: MulticastDataEvent.Kind, source: IPv4Address, group: IPv4Address, interface: Int, bytes: [UInt8])] = []
    var onEvent: ((MulticastDataEvent, ControlPlaneContext) -> Void)?
    func start(_ context: ControlPlaneContext) {}
    func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext) {}
    func timerFired(token: UInt32, _ context: ControlPlaneContext) {}
    func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext) {}
    func multicastData(_ event: MulticastDataEvent, _ context: ControlPlaneContext) {
        events.append((event.kind, event.source, event.group, event.interface, context.packetBytes(of: event)))
        onEvent?(event, context)
    }
    func kinds() -> [MulticastDataEvent.Kind] { events.map(\.kind) }
}

/// One multicast router with a source, two members and a bystander:
///
///   H1 10.0.1.2 ── Gi0/0 R1 Gi0/1 ── H2 10.0.2.2 (member)      R1 Loopback0 1.1.1.1/32
///                       │  Gi0/2 ── H3 10.0.3.2 (member)
///                       └─ Gi0/3 ── H4 10.0.4.2
///
/// R1 runs `ip multicast-routing` with a recording control plane; entries are written straight into its table.
struct MulticastLab {
    let net: Network
    let r1: NodeID, h1: NodeID, h2: NodeID, h3: NodeID, h4: NodeID
    let pim = MulticastEventRecorder()
    let recorder = PacketRecorder()
    static let source = IPv4Address(10, 0, 1, 2)

    init() {
        net = Network(seed: 1)
        r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.0.1.1/24"), interface("GigabitEthernet0/1", "10.0.2.1/24"),
                                  interface("GigabitEthernet0/2", "10.0.3.1/24"), interface("GigabitEthernet0/3", "10.0.4.1/24"),
                                  interface("Loopback0", "1.1.1.1/32")])
        h1 = net.addHost("H1", "10.0.1.2/24", gateway: "10.0.1.1")
        h2 = net.addHost("H2", "10.0.2.2/24", gateway: "10.0.2.1")
        h3 = net.addHost("H3", "10.0.3.2/24", gateway: "10.0.3.1")
        h4 = net.addHost("H4", "10.0.4.2/24", gateway: "10.0.4.1")
        for (k, h) in [h1, h2, h3, h4].enumerated() { net.cable(h, "Ethernet0", r1, "GigabitEthernet0/\(k)") }
        net.observers.append(recorder)
        router.multicastRoutingEnabled = true
        router.attach(pim, network: net)
        net.start()
        net.run(until: at(1))
        net.host(h2).join(group, on: 0)
        net.host(h3).join(group, on: 0)
    }

    var router: IPNode { net.host(r1) }
    func port(_ n: Int) -> PortID { net.port(of: r1, named: "GigabitEthernet0/\(n)")! }

    /// Writes an entry as PIM would.
    func route(_ source: IPv4Address = MulticastLab.source, incoming: Int?, outgoing: [Int],
               _ body: (inout MulticastRoute) -> Void = { _ in }) {
        router.updateMulticastRoute(source: source, group: group, create: {
            MulticastRoute(source: source, group: group, incoming: incoming, outgoing: outgoing, created: net.now)
        }) { r in
            r.incoming = incoming
            r.outgoing = outgoing
            body(&r)
        }
    }

    var entry: MulticastRoute { router.multicastRoutes[MulticastLab.source, group]! }

    /// `count` UDP datagrams from H1 to the group, with TTL `ttl`, one per millisecond; runs until they are through.
    func send(_ count: Int = 1, ttl: UInt8 = 64, payload: Int = 72) {
        for _ in 0..<count {
            net.host(h1).sendDatagram(.udp(sourcePort: 5000, destinationPort: 5001, data: [UInt8](repeating: 0x5A, count: payload)),
                                      to: group, from: nil, ttl: ttl, network: net)
            net.run(until: net.now + .milliseconds(1))
        }
        net.run(until: net.now + .milliseconds(50))
    }

    /// A flow of `count` packets from H1 to the group (receivers count what arrives).
    func flow(_ count: Int) -> FlowID {
        let start = net.now + .milliseconds(1)
        let f = net.addFlow(FlowSpec(name: "m", source: h1, destination: group, pattern: .constant(interval: .milliseconds(1)),
                                     packetSize: 100, start: start, stop: start + .milliseconds(Int64(count))))
        net.run(until: start + .milliseconds(Int64(count) + 50))
        return f
    }
}

/// The multicast data plane of a router (DESIGN "The multicast data plane"), entries written as PIM would.
struct MulticastForwardingTests {
    // MARK: - Forwarding

    @Test func anSGEntryForwardsToEachOutgoingInterfaceWithTheTTLDecrementedAndTheGroupMAC() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: [1, 2])
        lab.send(3, ttl: 64)
        for n in [1, 2] {
            let copies = lab.recorder.toGroup(group, from: lab.port(n))
            #expect(copies.count == 3)
            // RFC 1112 §6.4: the group's MAC; the interface's own MAC as the source; TTL one less (RFC 1812 §5.3.1).
            #expect(copies.allSatisfy { $0.destination == MACAddress.multicast(for: group) && $0.source == lab.router.interfaces[n].mac })
            #expect(copies.allSatisfy { $0.ttl == 63 && $0.ip[12...15] == [10, 0, 1, 2] })
            // The header checksum still verifies after the decrement.
            #expect(copies.allSatisfy { c in c.ip.withUnsafeBytes { InternetChecksum.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<20])) } == 0 })
        }
        #expect(lab.recorder.toGroup(group, from: lab.port(3)).isEmpty)
        let e = lab.entry
        #expect(e.packets == 3 && e.bytes == 3 * 100 && e.rpfFailures == 0 && e.otherDrops == 0)
        #expect(e.lastPacket != nil)
        #expect(lab.pim.events.isEmpty)
    }

    @Test func membersBehindTheRouterReceiveAFlowAndTheBystanderDoesNot() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: [1, 2])
        let f = lab.flow(20)
        let flow = lab.net.flows[f.index]
        #expect(Set(flow.receivers.map(\.node)) == [lab.h2, lab.h3])
        #expect(flow.receiver(lab.h2).delivered == 20 && flow.receiver(lab.h3).delivered == 20)
        #expect(lab.entry.packets == 20)
    }

    @Test func aCopyNeverGoesBackOutTheArrivalInterface() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: [0, 1])
        lab.send(2)
        #expect(lab.recorder.toGroup(group, from: lab.port(0)).isEmpty)
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).count == 2)
    }

    @Test func aSubinterfaceCopyIsTaggedWithItsVLAN() {
        let net = Network(seed: 1)
        var sub = interface("GigabitEthernet0/1.20", "10.0.20.1/24")
        sub.dot1QVLAN = 20
        let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.0.1.1/24"), interface("GigabitEthernet0/1"), sub])
        let h1 = net.addHost("H1", "10.0.1.2/24", gateway: "10.0.1.1")
        let h2 = net.addHost("H2", "10.0.20.2/24")
        net.cable(h1, "Ethernet0", r1, "GigabitEthernet0/0")
        net.cable(h2, "Ethernet0", r1, "GigabitEthernet0/1")
        let recorder = PacketRecorder()
        net.observers.append(recorder)
        let router = net.host(r1)
        router.multicastRoutingEnabled = true
        net.start()
        net.run(until: at(1))
        let out = router.interfaces.firstIndex { $0.name == "GigabitEthernet0/1.20" }!
        router.updateMulticastRoute(source: MulticastLab.source, group: group, create: {
            MulticastRoute(source: MulticastLab.source, group: group, incoming: 0, outgoing: [out], created: net.now)
        }) { _ in }
        net.host(h1).sendDatagram(.udp(sourcePort: 1, destinationPort: 2, data: [1, 2, 3]), to: group, from: nil, network: net)
        net.run(until: at(2))
        let copies = recorder.toGroup(group, from: net.port(of: r1, named: "GigabitEthernet0/1")!)
        #expect(copies.count == 1 && copies.first?.vlan == 20 && copies.first?.ttl == 254)
    }

    // MARK: - RPF

    @Test func aPacketOnAnotherInterfaceFailsRPFIsCountedDroppedAndHandedUp() {
        let lab = MulticastLab()
        lab.route(incoming: 1, outgoing: [2])
        lab.send(4)
        #expect(lab.recorder.toGroup(group, from: lab.port(2)).isEmpty)
        #expect(lab.entry.rpfFailures == 4 && lab.entry.packets == 0)
        #expect(lab.net.drops[.rpfFailure] == 4)
        #expect(lab.net.ports[lab.port(0).index].rpfFailureDrops == 4 && lab.net.ports[lab.port(1).index].rpfFailureDrops == 0)
        #expect(lab.pim.kinds() == [.wrongInterface, .wrongInterface, .wrongInterface, .wrongInterface])
        #expect(lab.pim.events.allSatisfy { $0.interface == 0 && $0.source == MulticastLab.source && $0.group == group })
    }

    @Test func aStarGEntryAcceptsOnItsRPFInterfaceAndReportsNewSources() {
        let lab = MulticastLab()
        lab.route(.any, incoming: 0, outgoing: [1]) { $0.signalNewSources = true }
        // PIM's answer to a new source: an (S,G) entry, which takes the source's later packets (to H3 instead).
        lab.pim.onEvent = { event, context in
            guard event.kind == .newSource else { return }
            context.node.updateMulticastRoute(source: event.source, group: event.group, create: {
                MulticastRoute(source: event.source, group: event.group, incoming: 0, outgoing: [2], created: context.now)
            }) { _ in }
        }
        lab.send(3)
        #expect(lab.pim.kinds() == [.newSource])
        #expect(lab.pim.events.first?.source == MulticastLab.source && lab.pim.events.first?.interface == 0)
        // The first packet went down the shared tree, the next two down the (S,G) entry.
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).count == 1)
        #expect(lab.recorder.toGroup(group, from: lab.port(2)).count == 2)
        #expect(lab.router.multicastRoutes[.any, group]?.packets == 1 && lab.entry.packets == 2)
    }

    @Test func aStarGEntryDoesNotAcceptASourceWhoseSGEntryRejectsIt() {
        let lab = MulticastLab()
        lab.route(.any, incoming: 0, outgoing: [1])
        lab.route(incoming: 3, outgoing: [2])
        lab.send(2)
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).isEmpty && lab.recorder.toGroup(group, from: lab.port(2)).isEmpty)
        // Counted on the entry that would have accepted it: the (S,G).
        #expect(lab.entry.rpfFailures == 2 && lab.router.multicastRoutes[.any, group]?.rpfFailures == 0)
    }

    @Test func aStarGFailureIsCountedOnTheStarG() {
        let lab = MulticastLab()
        lab.route(.any, incoming: 3, outgoing: [1])
        lab.send(1)
        #expect(lab.router.multicastRoutes[.any, group]?.rpfFailures == 1)
        #expect(lab.pim.kinds() == [.wrongInterface])
    }

    @Test func anSGEntryAlsoAcceptsOnTheSharedTreeInterfaceWithoutSignallingAnArrival() {
        let lab = MulticastLab()
        lab.route(incoming: 3, outgoing: [1]) { r in
            r.alsoAccepted = 0
            r.signalArrivals = true
        }
        lab.send(2)
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).count == 2)
        #expect(lab.entry.packets == 2 && lab.entry.rpfFailures == 0)
        // `.arrival` is for packets on the SPT (the entry's own incoming interface) only.
        #expect(lab.pim.events.isEmpty)
    }

    @Test func arrivalsAreSignalledOnlyWhileTheEntryAsks() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: [1]) { $0.signalArrivals = true }
        // PIM sets T on the first arrival and stops listening.
        lab.pim.onEvent = { event, context in
            context.node.updateMulticastRoute(source: event.source, group: event.group, create: { fatalError() }) { r in
                r.flags.insert(.sptBit)
                r.signalArrivals = false
            }
        }
        lab.send(4)
        #expect(lab.pim.kinds() == [.arrival])
        #expect(lab.entry.flags.contains(.sptBit) && lab.entry.packets == 4)
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).count == 4)
    }

    @Test func aRegisteringEntryHandsEveryPacketUpWithItsBytesAndStillForwards() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: [1]) { r in
            r.flags.insert(.register)
            r.registering = true
        }
        lab.send(2, ttl: 64, payload: 12)
        #expect(lab.pim.kinds() == [.register, .register])
        // The packet as it arrived: a 40-byte datagram (20 IP + 8 UDP + 12), TTL not yet decremented.
        let bytes = lab.pim.events[0].bytes
        #expect(bytes.count == 40 && bytes[0] == 0x45 && bytes[8] == 64 && bytes[9] == 17)
        #expect(IPv4Address(bytes[16], bytes[17], bytes[18], bytes[19]) == group && bytes[20...].suffix(12).allSatisfy { $0 == 0x5A })
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).count == 2)
    }

    // MARK: - TTL

    @Test func aCopyLeavesOnlyWhenItsTTLIsAboveTheInterfacesThreshold() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: [1, 2])
        lab.router.setMulticastTTLThreshold(10, on: 2)
        lab.send(1, ttl: 11)  // 10 after the decrement: not above 10
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).count == 1)
        #expect(lab.recorder.toGroup(group, from: lab.port(2)).isEmpty)
        lab.send(1, ttl: 12)
        #expect(lab.recorder.toGroup(group, from: lab.port(2)).count == 1)
        #expect(lab.entry.otherDrops == 0)
    }

    @Test func aPacketArrivingWithTTLOneIsNotForwardedAndCountsAsAnOtherDrop() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: [1, 2])
        lab.send(2, ttl: 1)
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).isEmpty && lab.recorder.toGroup(group, from: lab.port(2)).isEmpty)
        #expect(lab.entry.packets == 2 && lab.entry.otherDrops == 2)
        #expect(lab.net.drops[.ttlExpired] == 2)
        lab.send(1, ttl: 2)
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).first?.ttl == 1)
    }

    @Test func anEntryWithoutOutgoingInterfacesCountsAnOtherDrop() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: []) { $0.flags.insert(.pruned) }
        lab.send(1)
        #expect(lab.entry.packets == 1 && lab.entry.otherDrops == 1)
    }

    // MARK: - Local delivery

    @Test func aRouterThatJoinedTheGroupAnswersAPingThatPassedRPF() {
        let lab = MulticastLab()
        lab.router.join(group, on: 3, network: lab.net)  // `ip igmp join-group 239.1.1.1` on Gi0/3
        lab.route(incoming: 0, outgoing: [])
        // RFC 1122 §3.2.2.6: the reply comes from the address of the interface the request arrived on.
        let text = lab.net.pingOutput(from: lab.h1, to: "239.1.1.1", count: 1)
        #expect(text.contains("Reply to request 0 from 10.0.1.1,"))
        #expect(lab.entry.packets == 1 && lab.entry.otherDrops == 0)
        // Failing RPF, it is not delivered either.
        lab.route(incoming: 1, outgoing: [])
        #expect(lab.net.pingOutput(from: lab.h1, to: "239.1.1.1", count: 1).hasSuffix("\n."))
    }

    @Test func aRoutedGroupTheRouterDidNotJoinIsNotDeliveredLocally() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: [1])
        // H2 answers; the router, not a member, forwards the request and says nothing itself.
        let text = lab.net.pingOutput(from: lab.h1, to: "239.1.1.1", count: 1)
        #expect(text.contains("Reply to request 0 from 10.0.2.2,") && !text.contains("from 10.0.1.1"))
    }

    @Test func theMACFilterOfAMulticastRouterTakesEveryGroup() {
        let lab = MulticastLab()
        let other = MACAddress.multicast(for: IPv4Address(239, 9, 9, 9))
        #expect(lab.router.acceptsMulticastMAC(other, on: 0))
        // Without multicast routing only its groups pass; data to other groups is not delivered above IP either way.
        lab.router.multicastRoutingEnabled = false
        #expect(!lab.router.acceptsMulticastMAC(other, on: 0))
        #expect(!lab.router.acceptsGroup(IPv4Address(239, 9, 9, 9), protocolNumber: 17, on: 0))
    }

    // MARK: - No entry, decapsulation, origination

    @Test func aPacketWithoutAnyEntryIsHandedUpThenDropped() {
        let lab = MulticastLab()
        lab.send(2)
        #expect(lab.pim.kinds() == [.noEntry, .noEntry])
        #expect(lab.pim.events[0].interface == 0 && lab.pim.events[0].bytes.count == 100)
        #expect(lab.net.drops[.noMulticastRoute] == 2)
        #expect(lab.recorder.toGroup(group, from: lab.port(1)).isEmpty)
    }

    @Test func aLinkLocalGroupIsNeverRouted() {
        let lab = MulticastLab()
        lab.route(IPv4Address(10, 0, 1, 2), incoming: 0, outgoing: [1])
        lab.net.host(lab.h1).sendDatagram(.udp(sourcePort: 1, destinationPort: 2, data: [1]), to: IPv4Address(224, 0, 0, 251),
                                          from: nil, network: lab.net)
        lab.net.run(until: lab.net.now + .milliseconds(20))
        #expect(lab.pim.events.isEmpty)
        #expect(!lab.recorder.packets.contains { $0.ipDestination == IPv4Address(224, 0, 0, 251) && $0.port != lab.net.port(of: lab.h1, named: "Ethernet0") })
    }

    @Test func aDecapsulatedDatagramGoesDownTheEntryWithoutAnRPFCheck() {
        let lab = MulticastLab()
        let s = IPv4Address(10, 9, 9, 9)
        lab.route(s, incoming: nil, outgoing: [1, 2])
        let udp = UDPHeader(sourcePort: 1, destinationPort: 2, payloadLength: 4)
        let ip = IPv4Header(identification: 7, ttl: 60, protocolNumber: .udp, source: s, destination: group, payloadLength: 12)
        var datagram = [UInt8](repeating: 0, count: 32)
        datagram.withUnsafeMutableBytes { b in
            ip.emit(into: b)
            udp.emit(into: UnsafeMutableRawBufferPointer(rebasing: b[20...]), source: s, destination: group)
        }
        let sent = lab.router.withContext(of: lab.pim, network: lab.net) { $0.forwardMulticast(datagram, along: MulticastRouteKey(source: s, group: group)) }
        #expect(sent == true)
        // Not an entry's packet: another group, another source, no entry.
        let other = MulticastRouteKey(source: IPv4Address(10, 9, 9, 8), group: group)
        #expect(lab.router.withContext(of: lab.pim, network: lab.net) { $0.forwardMulticast(datagram, along: other) } == false)
        #expect(lab.router.withContext(of: lab.pim, network: lab.net) { $0.forwardMulticast(Array(datagram[0..<10]), along: MulticastRouteKey(source: s, group: group)) } == false)
        lab.net.run(until: lab.net.now + .milliseconds(20))
        for n in [1, 2] {
            let copies = lab.recorder.toGroup(group, from: lab.port(n))
            #expect(copies.count == 1 && copies.first?.ttl == 59 && copies.first?.ip.count == 32)
            #expect(copies.first?.destination == MACAddress.multicast(for: group))
        }
        #expect(lab.router.multicastRoutes[s, group]?.packets == 1 && lab.router.multicastRoutes[s, group]?.bytes == 32)
    }

    @Test func aPingFromALoopbackGoesThroughTheTableAsIfItArrivedThere() {
        let lab = MulticastLab()
        let loopback = lab.router.interfaces.firstIndex { $0.name == "Loopback0" }!
        let lo = IPv4Address(1, 1, 1, 1)
        // No entry: PIM hears of the packet on Loopback0 (it is the first hop and registers).
        _ = lab.net.ping(from: lab.r1, to: group, count: 1, source: lo)
        lab.net.run(until: lab.net.now + .milliseconds(20))
        #expect(lab.pim.kinds() == [.noEntry] && lab.pim.events.first?.interface == loopback && lab.pim.events.first?.source == lo)
        lab.net.run(until: lab.net.now + .seconds(3))
        lab.route(lo, incoming: loopback, outgoing: [1]) { r in
            r.flags.insert(.register)
            r.registering = true
        }
        _ = lab.net.ping(from: lab.r1, to: group, count: 1, source: lo)
        lab.net.run(until: lab.net.now + .milliseconds(20))
        #expect(lab.pim.kinds() == [.noEntry, .register])
        let copies = lab.recorder.toGroup(group, from: lab.port(1))
        // The router's own packet leaves with the TTL it was sent with, from the loopback's address.
        #expect(copies.count == 1 && copies.first?.ttl == 255 && copies.first?.ip[12...15] == [1, 1, 1, 1])
        #expect(lab.recorder.toGroup(group, from: lab.port(2)).isEmpty)
        #expect(lab.router.multicastRoutes[lo, group]?.packets == 1)
    }

    @Test func aPingSourceNamesAnAddressOrAnInterface() {
        let lab = MulticastLab()
        #expect(lab.net.pingSource("Loopback0", on: lab.r1) == IPv4Address(1, 1, 1, 1))
        #expect(lab.net.pingSource("lo0", on: lab.r1) == IPv4Address(1, 1, 1, 1))
        #expect(lab.net.pingSource("Gi0/2", on: lab.r1) == IPv4Address(10, 0, 3, 1))
        #expect(lab.net.pingSource("10.9.9.9", on: lab.r1) == IPv4Address(10, 9, 9, 9))
        #expect(lab.net.pingSource("Loopback7", on: lab.r1) == nil)
    }

    @Test func aPingWithoutASourceStillLeavesByEveryInterface() {
        let lab = MulticastLab()
        _ = lab.net.ping(from: lab.r1, to: group, count: 1)
        lab.net.run(until: lab.net.now + .milliseconds(20))
        #expect(lab.pim.events.isEmpty)
        for n in 0...3 { #expect(lab.recorder.toGroup(group, from: lab.port(n)).count == 1) }
    }

    // MARK: - debug ip mpacket

    @Test func debugIPMPacketPrintsAForwardedCopyPerInterfaceAndRPFDrops() {
        let lab = MulticastLab()
        lab.route(incoming: 0, outgoing: [1, 2])
        lab.net.setDebug(lab.r1, .ipMPacket, on: true)
        lab.send(1, ttl: 253, payload: 72)
        lab.route(incoming: 3, outgoing: [1, 2])
        lab.send(1, ttl: 253, payload: 72)
        let lines = lab.net.logRecords(of: lab.r1).filter(\.isDebug).map(\.text)
        #expect(lines == [
            "IP(0): s=10.0.1.2 (GigabitEthernet0/0) d=239.1.1.1 (GigabitEthernet0/1) id=1, ttl=253, prot=17, len=104(100), mforward",
            "IP(0): s=10.0.1.2 (GigabitEthernet0/0) d=239.1.1.1 (GigabitEthernet0/2) id=1, ttl=253, prot=17, len=104(100), mforward",
            "IP(0): s=10.0.1.2 (GigabitEthernet0/0) d=239.1.1.1 id=2, ttl=253, prot=17, len=104(100), not RPF interface",
        ])
        lab.net.setDebug(lab.r1, .ipMPacket, on: false)
        lab.send(1)
        #expect(lab.net.logRecords(of: lab.r1).filter(\.isDebug).count == 3)
    }

    // MARK: - Snooping

    /// Sends one PIM hello (RFC 7761 §4.9.2, to ALL-PIM-ROUTERS) on every interface when it starts.
    final class PIMHelloSender: ControlPlaneProtocol {
        let ipProtocol = IPProtocol.pim
        func start(_ context: ControlPlaneContext) {
            // Version 2, type 0 (Hello), Holdtime option 105 s; the checksum does not matter to a snooping switch.
            let hello: [UInt8] = [0x20, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x69]
            for i in context.interfaces.indices where context.interfaces[i].port != nil && context.isUp(i) {
                context.send(hello, to: IPv4Address(224, 0, 0, 13), on: i)
            }
        }
        func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext) {}
        func timerFired(token: UInt32, _ context: ControlPlaneContext) {}
        func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext) {}
    }

    //   R1 Gi0/0 ── Gi0/1 SW1 Gi0/2 ── H1      (IGMP snooping on, VLAN 1)
    @Test func aSnoopingSwitchLearnsAnMrouterPortFromAPIMHello() {
        let net = Network(seed: 1)
        var s = SwitchSettings(hostname: "SW1")
        s.interfaces = (1...2).map { accessPort("GigabitEthernet0/\($0)", vlan: 1) }
        let sw = net.addSwitch(s, physicalPorts: (1...2).map { "GigabitEthernet0/\($0)" })
        let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.1.1.1/24")])
        let h1 = net.addHost("H1", "10.1.1.2/24")
        net.cable(r1, "GigabitEthernet0/0", sw, "GigabitEthernet0/1")
        net.cable(h1, "Ethernet0", sw, "GigabitEthernet0/2")
        net.start()
        net.run(until: at(1))
        let routerPort = net.port(of: sw, named: "GigabitEthernet0/1")!
        #expect(!net.l2switch(sw)!.snoopingTable.isMrouter(routerPort, vlan: 1, now: net.now))
        net.host(r1).attach(PIMHelloSender(), network: net)
        net.run(until: at(2))
        // RFC 4541 §2.1.1 (1): PIM hellos mark a multicast-router port, as general queries do.
        #expect(net.l2switch(sw)!.snoopingTable.isMrouter(routerPort, vlan: 1, now: net.now))
        #expect(!net.l2switch(sw)!.snoopingTable.isMrouter(net.port(of: sw, named: "GigabitEthernet0/2")!, vlan: 1, now: net.now))
    }
}
