import Engine
@testable import Fabric
@testable import Protocols
import Testing
import Wire

/// A router with three Ethernet interfaces and a loopback, and a multicast forwarding table written by hand.
func mrouteRouter() -> (Network, IPNode) {
    let net = Network(seed: 1)
    var s = IPNodeSettings(hostname: "R3")
    s.interfaces = (0...2).map { n in
        var i = InterfaceSettings(name: "Ethernet0/\(n)")
        let a = IPv4Address(10, 1, UInt8(30 + n), 3)
        i.addresses = [InterfaceAddress(address: a, prefix: IPv4Prefix(a, length: 24))]
        return i
    }
    let id = net.addIPNode(s, isRouter: true, physicalPorts: (0...2).map { "Ethernet0/\($0)" })
    net.start()
    let node = net.ipNode(id)!
    node.multicastRoutingEnabled = true
    return (net, node)
}

@Test func showIPMrouteListsTheSharedTreeThenTheSourceWithIOSLayout() {
    let (net, node) = mrouteRouter()
    let g = IPv4Address(239, 1, 1, 1), s = IPv4Address(150, 1, 4, 4), rp = IPv4Address(150, 1, 5, 5)
    net.run(until: .zero + .seconds(10))
    node.updateMulticastRoute(source: .any, group: g, create: {
        MulticastRoute(source: .any, group: g, incoming: 1, rpfNeighbor: IPv4Address(10, 1, 31, 5), rp: rp, created: net.now)
    }) { r in
        r.flags = [.sparse, .joinSPT, .connected]
        r.outgoing = [0]
        r.outgoingStates = [OutgoingInterfaceState(interface: 0, uptime: net.now, expires: net.now + .seconds(169))]
    }
    net.run(until: .zero + .seconds(58))
    node.updateMulticastRoute(source: s, group: g, create: {
        MulticastRoute(source: s, group: g, incoming: 2, rpfNeighbor: IPv4Address(10, 1, 32, 4), created: net.now,
                       expires: net.now + .seconds(209))
    }) { r in
        r.flags = [.sptBit]
        r.outgoing = [0]
        r.outgoingStates = [OutgoingInterfaceState(interface: 0, uptime: net.now, expires: net.now + .seconds(161), assertWinner: true)]
    }
    net.run(until: .zero + .seconds(106))
    let text = MRouteShow.table(node, network: net, group: nil, source: nil)
    #expect(text.hasPrefix("IP Multicast Routing Table\nFlags: D - Dense, S - Sparse, B - Bidir Group, s - SSM Group, C - Connected,"))
    #expect(text.hasSuffix("""
         Interface state: Interface, Next-Hop or VCD, State/Mode

        (*, 239.1.1.1), 00:01:36/stopped, RP 150.1.5.5, flags: SJC
          Incoming interface: Ethernet0/1, RPF nbr 10.1.31.5
          Outgoing interface list:
            Ethernet0/0, Forward/Sparse, 00:01:36/00:01:13

        (150.1.4.4, 239.1.1.1), 00:00:48/00:02:41, flags: T
          Incoming interface: Ethernet0/2, RPF nbr 10.1.32.4
          Outgoing interface list:
            Ethernet0/0, Forward/Sparse, 00:00:48/00:01:53, A

        """))
    // A source argument keeps only that (S,G); another group lists nothing past the legend.
    #expect(!MRouteShow.table(node, network: net, group: g, source: s).contains("(*, "))
    #expect(!MRouteShow.table(node, network: net, group: IPv4Address(239, 9, 9, 9), source: nil).contains("(150"))
}

@Test func anEmptyOutgoingListPrintsNullAndTheRPsOwnEntryComesFromNull() {
    let (net, node) = mrouteRouter()
    let g = IPv4Address(239, 1, 1, 1)
    node.updateMulticastRoute(source: .any, group: g, create: {
        MulticastRoute(source: .any, group: g, incoming: nil, rp: IPv4Address(10, 1, 30, 3), flags: [.sparse, .pruned], created: net.now)
    }) { _ in }
    let s = IPv4Address(10, 1, 32, 9)
    node.updateMulticastRoute(source: s, group: g, create: {
        MulticastRoute(source: s, group: g, incoming: 2, flags: [.pruned, .register], created: net.now, expires: net.now + .seconds(210))
    }) { $0.registering = true }
    let text = MRouteShow.table(node, network: net, group: g, source: nil)
    #expect(text.contains("""
        (*, 239.1.1.1), 00:00:00/stopped, RP 10.1.30.3, flags: SP
          Incoming interface: Null, RPF nbr 0.0.0.0
          Outgoing interface list: Null

        (10.1.32.9, 239.1.1.1), 00:00:00/00:03:30, flags: PF
          Incoming interface: Ethernet0/2, RPF nbr 0.0.0.0, Registering
          Outgoing interface list: Null
        """))
}

@Test func updatingAnEntryKeepsItsCountersAndSortsItsInterfaces() {
    let (net, node) = mrouteRouter()
    let g = IPv4Address(239, 1, 1, 1)
    node.updateMulticastRoute(source: .any, group: g, create: { MulticastRoute(source: .any, group: g, incoming: 1, created: net.now) }) {
        $0.packets = 7
    }
    // The first write creates the entry; counters written by the control plane are ignored.
    #expect(node.multicastRoutes[.any, g]?.packets == 0)
    node.updateMulticastRoute(source: .any, group: g, create: { fatalError("exists") }) { $0.outgoing = [2, 0] }
    #expect(node.multicastRoutes[.any, g]?.outgoing == [0, 2])
}

@Test func showIPMrouteCountSumsPerGroupWithRPFFailures() {
    let (net, node) = mrouteRouter()
    let g = IPv4Address(239, 1, 1, 1), s = IPv4Address(150, 1, 4, 4)
    node.updateMulticastRoute(source: s, group: g, create: { MulticastRoute(source: s, group: g, incoming: 2, created: net.now) }) { _ in }
    node.multicastTable.entries[MulticastRouteKey(source: s, group: g)]!.packets = 471
    node.multicastTable.entries[MulticastRouteKey(source: s, group: g)]!.bytes = 471 * 100
    node.multicastTable.entries[MulticastRouteKey(source: s, group: g)]!.rpfFailures = 471
    net.run(until: .zero + .seconds(471))
    let text = MRouteShow.count(node, network: net, group: nil)
    #expect(text.contains("1 routes using"))
    #expect(text.contains("1 groups, 1.00 average sources per group"))
    #expect(text.contains("Group: 239.1.1.1, Source count: 1, Packets forwarded: 471, Packets received: 942"))
    #expect(text.contains("  Source: 150.1.4.4/32, Forwarding: 471/1/100/0, Other: 942/471/0"))
}
