import Engine
import Fabric
import QoS
import Testing
import Wire
@testable import Protocols

@Suite struct PIMRPFTests {
    static let interfaces = [
        RPFSelection.InterfaceView(name: "Ethernet0/0", addresses: [
            InterfaceAddress(address: IPv4Address(10, 1, 12, 1), prefix: IPv4Prefix(IPv4Address(10, 1, 12, 0), length: 24)),
        ]),
        RPFSelection.InterfaceView(name: "Ethernet0/1", addresses: [
            InterfaceAddress(address: IPv4Address(10, 1, 13, 1), prefix: IPv4Prefix(IPv4Address(10, 1, 13, 0), length: 24)),
        ]),
        RPFSelection.InterfaceView(name: "Loopback0", addresses: [
            InterfaceAddress(address: IPv4Address(150, 1, 1, 1), prefix: IPv4Prefix(IPv4Address(150, 1, 1, 1), length: 32)),
        ]),
    ]
    static let ospf = RouteSource(code: "O", defaultDistance: 110, instance: 1)

    func table(_ routes: [Route]) -> RoutingTable {
        var t = RoutingTable()
        t.replace(.connected, with: [
            Route(prefix: IPv4Prefix(IPv4Address(10, 1, 12, 0), length: 24), source: .connected, nextHops: [NextHop(gateway: nil, interface: 0)]),
            Route(prefix: IPv4Prefix(IPv4Address(10, 1, 13, 0), length: 24), source: .connected, nextHops: [NextHop(gateway: nil, interface: 1)]),
        ])
        t.replace(Self.ospf, with: routes)
        return t
    }

    let source = IPv4Address(150, 1, 4, 4)
    var viaOSPF: Route {
        Route(prefix: IPv4Prefix(source, length: 32), source: Self.ospf, metric: 21,
              nextHops: [NextHop(gateway: IPv4Address(10, 1, 12, 2), interface: 0)])
    }

    @Test func theUnicastRouteGivesInterfaceAndGateway() throws {
        // RFC 7761 §4.5: RPF_interface and RPF neighbor from the unicast route toward the address.
        let t = table([viaOSPF])
        let info = try #require(RPFSelection.rpf(toward: source, staticMRoutes: [], interfaces: Self.interfaces, lookup: t.lookup))
        #expect(info.interface == 0)
        #expect(info.neighbor == IPv4Address(10, 1, 12, 2))
        #expect(info.origin == .unicast("ospf 1"))
        #expect(info.distance == 110 && info.metric == 21)
        #expect(!info.isDirectlyConnected)
    }

    @Test func aDirectlyConnectedAddressIsItsOwnNeighbor() throws {
        let t = table([])
        let info = try #require(RPFSelection.rpf(toward: IPv4Address(10, 1, 13, 9), staticMRoutes: [], interfaces: Self.interfaces,
                                                 lookup: t.lookup))
        #expect(info.interface == 1 && info.neighbor == IPv4Address(10, 1, 13, 9) && info.isDirectlyConnected)
        #expect(info.origin == .unicast("connected"))
    }

    @Test func aStaticMRouteBeatsTheUnicastRoute() throws {
        // ios-behavior.md §8.3: `ip mroute` has distance 0 by default, below every unicast route.
        let t = table([viaOSPF])
        let mroute = StaticMRoute(prefix: IPv4Prefix(IPv4Address(150, 1, 4, 0), length: 24), rpfAddress: IPv4Address(10, 1, 13, 3),
                                  interface: nil)
        let info = try #require(RPFSelection.rpf(toward: source, staticMRoutes: [mroute], interfaces: Self.interfaces, lookup: t.lookup))
        #expect(info.interface == 1 && info.neighbor == IPv4Address(10, 1, 13, 3) && info.origin == .staticMRoute)
        #expect(info.prefix == IPv4Prefix(IPv4Address(150, 1, 4, 0), length: 24))
    }

    @Test func aStaticMRouteWithAHigherDistanceLosesToTheUnicastRoute() throws {
        let t = table([viaOSPF])
        let mroute = StaticMRoute(prefix: IPv4Prefix(IPv4Address(150, 1, 4, 0), length: 24), rpfAddress: IPv4Address(10, 1, 13, 3),
                                  interface: nil, distance: 200)
        let info = try #require(RPFSelection.rpf(toward: source, staticMRoutes: [mroute], interfaces: Self.interfaces, lookup: t.lookup))
        #expect(info.interface == 0 && info.origin == .unicast("ospf 1"))
    }

    @Test func theLongestStaticMRouteWins() throws {
        let t = table([])
        let wide = StaticMRoute(prefix: IPv4Prefix(IPv4Address(150, 1, 0, 0), length: 16), rpfAddress: nil, interface: "Ethernet0/0")
        let narrow = StaticMRoute(prefix: IPv4Prefix(IPv4Address(150, 1, 4, 0), length: 24), rpfAddress: nil, interface: "Ethernet0/1")
        let info = try #require(RPFSelection.rpf(toward: source, staticMRoutes: [wide, narrow], interfaces: Self.interfaces,
                                                 lookup: t.lookup))
        #expect(info.interface == 1 && info.neighbor == .any)
    }

    @Test func equalCostPathsTakeTheHighestNextHop() throws {
        // ios-behavior.md §8.3 (unconfirmed): without `ip multicast multipath` IOS takes the highest neighbor.
        var route = viaOSPF
        route.nextHops = [NextHop(gateway: IPv4Address(10, 1, 13, 3), interface: 1), NextHop(gateway: IPv4Address(10, 1, 12, 2), interface: 0)]
        let t = table([route])
        let info = try #require(RPFSelection.rpf(toward: source, staticMRoutes: [], interfaces: Self.interfaces, lookup: t.lookup))
        #expect(info.interface == 1 && info.neighbor == IPv4Address(10, 1, 13, 3))
    }

    @Test func ourOwnAddressIsLocal() throws {
        let info = try #require(RPFSelection.rpf(toward: IPv4Address(150, 1, 1, 1), staticMRoutes: [], interfaces: Self.interfaces,
                                                 lookup: table([]).lookup))
        #expect(info.isLocal && info.interface == 2)
        #expect(RPFSelection.rpf(toward: IPv4Address(9, 9, 9, 9), staticMRoutes: [], interfaces: Self.interfaces,
                                 lookup: table([]).lookup) == nil)
    }
}

@Suite struct PIMRPMappingTests {
    @Test func aStandardAccessListRestrictsTheGroupsOfAnRP() {
        // `ip pim rp-address 150.1.5.5 10` with `access-list 10 deny 239.9.9.9` / `permit 239.0.0.0 0.255.255.255`:
        // the first matching entry decides, the implicit deny ends the list.
        let list = AccessListDefinition(name: "10", kind: .standard, entries: [
            AccessListEntry(sequence: 10, .deny, source: .host(IPv4Address(239, 9, 9, 9))),
            AccessListEntry(sequence: 20, .permit, source: .wildcard(IPv4Address(239, 0, 0, 0), bits: IPv4Address(0, 255, 255, 255))),
        ])
        #expect(PIMRouter.permits(list, IPv4Address(239, 1, 1, 1)))
        #expect(!PIMRouter.permits(list, IPv4Address(239, 9, 9, 9)))
        #expect(!PIMRouter.permits(list, IPv4Address(224, 1, 1, 1)))
    }
}
