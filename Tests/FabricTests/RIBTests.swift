import Engine
@testable import Fabric
import Testing
import Wire

/// The RIB: routes per owner and prefix, selected by administrative distance, updated prefix by prefix.
@Suite struct RIBTests {
    static let ospf1 = RouteSource(code: "O", defaultDistance: 110, instance: 1)
    static let ospf2 = RouteSource(code: "O", defaultDistance: 110, instance: 2)
    static let rip = RouteSource(code: "R", defaultDistance: 120)

    func p(_ text: String) -> IPv4Prefix { IPv4Prefix(text)! }
    func via(_ a: UInt8) -> [NextHop] { [NextHop(gateway: IPv4Address(10, 0, 0, a), interface: 0)] }

    @Test func theLowestAdministrativeDistanceWinsAcrossOwners() {
        var rib = RoutingTable()
        rib.replace(Self.rip, with: [Route(prefix: p("10.1.0.0/16"), source: Self.rip, metric: 1, nextHops: via(1))])
        rib.replace(Self.ospf1, with: [Route(prefix: p("10.1.0.0/16"), source: Self.ospf1, metric: 50, nextHops: via(2), code: "O IA")])
        #expect(rib.selected[p("10.1.0.0/16")]?.source == Self.ospf1)
        #expect(rib.selected[p("10.1.0.0/16")]?.code == "O IA")
        #expect(rib.lookup(IPv4Address(10, 1, 2, 3))?.nextHops == via(2))
    }

    @Test func twoProcessesOfOneProtocolAreSeparateOwners() {
        var rib = RoutingTable()
        rib.replace(Self.ospf1, with: [Route(prefix: p("10.1.0.0/16"), source: Self.ospf1, metric: 20, nextHops: via(1))])
        rib.replace(Self.ospf2, with: [Route(prefix: p("10.1.0.0/16"), source: Self.ospf2, metric: 10, nextHops: via(2))])
        #expect(rib.selected[p("10.1.0.0/16")]?.source == Self.ospf2)
        rib.replace(Self.ospf2, with: [])
        #expect(rib.selected[p("10.1.0.0/16")]?.source == Self.ospf1, "process 1's route stays offered and takes over")
    }

    @Test func aNewOfferTouchesOnlyThePrefixesThatChanged() {
        var rib = RoutingTable()
        let a = Route(prefix: p("10.1.0.0/16"), source: Self.ospf1, metric: 2, nextHops: via(1))
        let b = Route(prefix: p("10.2.0.0/16"), source: Self.ospf1, metric: 2, nextHops: via(1))
        let first = rib.replace(Self.ospf1, with: [a, b], now: SimTime(nanoseconds: 5_000_000_000))
        #expect(first.map(\.prefix) == [p("10.1.0.0/16"), p("10.2.0.0/16")])
        var b2 = b
        b2.metric = 3
        let generation = rib.generation
        let second = rib.replace(Self.ospf1, with: [a, b2], now: SimTime(nanoseconds: 9_000_000_000))
        #expect(second.map(\.prefix) == [p("10.2.0.0/16")])
        #expect(second.first?.old?.metric == 2 && second.first?.new?.metric == 3)
        #expect(rib.generation == generation &+ 1)
        // The untouched route keeps its age; the changed one was installed anew.
        #expect(rib.selected[p("10.1.0.0/16")]?.installed == SimTime(nanoseconds: 5_000_000_000))
        #expect(rib.selected[p("10.2.0.0/16")]?.installed == SimTime(nanoseconds: 9_000_000_000))
        #expect(rib.replace(Self.ospf1, with: [a, b2]).isEmpty, "the same offer again changes nothing")
    }

    @Test func aLosingOfferChangesNoSelection() {
        var rib = RoutingTable()
        rib.replace(.staticRoute, with: [Route(prefix: p("10.1.0.0/16"), source: .staticRoute, nextHops: via(1))])
        let changes = rib.replace(Self.ospf1, with: [Route(prefix: p("10.1.0.0/16"), source: Self.ospf1, nextHops: via(2))])
        #expect(changes.isEmpty)
        #expect(rib.selected[p("10.1.0.0/16")]?.source == .staticRoute)
    }

    @Test func withdrawingTheLastRouteOfALengthEmptiesItInTheFIB() {
        var rib = RoutingTable()
        rib.replace(Self.ospf1, with: [Route(prefix: p("10.1.1.0/24"), source: Self.ospf1, nextHops: via(1)),
                                       Route(prefix: p("10.0.0.0/8"), source: Self.ospf1, nextHops: via(2))])
        #expect(rib.lookup(IPv4Address(10, 1, 1, 9))?.prefix == p("10.1.1.0/24"))
        let changes = rib.replace(Self.ospf1, with: [Route(prefix: p("10.0.0.0/8"), source: Self.ospf1, nextHops: via(2))])
        #expect(changes.count == 1 && changes.first?.new == nil)
        #expect(rib.lookup(IPv4Address(10, 1, 1, 9))?.prefix == p("10.0.0.0/8"))
        #expect(rib.fibLengths == [8])
    }

    @Test func equalCostOffersOfOneOwnerMergeTheirNextHops() {
        var rib = RoutingTable()
        rib.replace(.staticRoute, with: [Route(prefix: p("10.9.0.0/16"), source: .staticRoute, nextHops: via(1)),
                                         Route(prefix: p("10.9.0.0/16"), source: .staticRoute, nextHops: via(2)),
                                         Route(prefix: p("10.9.0.0/16"), source: .staticRoute, distance: 200, nextHops: via(3))])
        #expect(rib.selected[p("10.9.0.0/16")]?.nextHops == via(1) + via(2))
    }

    @Test(arguments: [(12, "00:00:12"), (3_725, "01:02:05"), (93_600, "1d02h"), (1_900_800, "3w1d")])
    func routeAgesPrintAsIOSDoes(seconds: Int64, text: String) {
        #expect(Network.routeAge(.seconds(seconds)) == text)
    }
}
