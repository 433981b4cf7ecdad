import Engine
import Testing
import Wire
@testable import Protocols

private let slash30 = "255.255.255.252"
private let slash24 = "255.255.255.0"
private let host = "255.255.255.255"

private func calculate(_ routerID: String, _ lsas: [LSA], interfaces: [SPFInterface], externals: [LSA] = [],
                       now: SimTime = .zero) -> OSPFRoutingTable {
    SPF.calculate(SPFInput(routerID: ip(routerID), areas: [SPFArea(id: .backbone, lsdb: lsdb(lsas))],
                           externals: lsdb(externals), interfaces: interfaces, now: now))
}

// MARK: - §16.1 intra-area

//   R1 if1 10.0.12.1 ----10---- 10.0.12.2 R2 (loopback 2.2.2.2/32, cost 1)
private let pair = [
    routerLSA("1.1.1.1",
              [pointToPoint("2.2.2.2", data: "10.0.12.1", metric: 10), stub("10.0.12.0", mask: slash30, metric: 10)]),
    routerLSA("2.2.2.2",
              [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 10), stub("10.0.12.0", mask: slash30, metric: 10),
                          stub("2.2.2.2", mask: host, metric: 1)]),
]

// §16.1.1: over a point-to-point link from the root, the next hop is the neighbor's address on the link.
@Test func aPointToPointNeighborsNetworksGoViaItsAddress() {
    let table = calculate("1.1.1.1", pair, interfaces: [interface(1, "10.0.12.1", slash30)])
    #expect(table[prefix("10.0.12.0/30")] == OSPFRoute(
        destination: prefix("10.0.12.0/30"), pathType: .intraArea, cost: 10, area: .backbone,
        advertisingRouter: ip("1.1.1.1"), nextHops: [hop(1, nil)]))
    #expect(table[prefix("2.2.2.2/32")]?.cost == 11)
    #expect(table[prefix("2.2.2.2/32")]?.nextHops == [hop(1, "10.0.12.2")])
    #expect(table.routes.count == 2)
    #expect(table.borderRouters.isEmpty)
}

// §16.1 (2)(b): a link is used only if the far end's LSA links back.
@Test func aLinkWithoutABackLinkIsNotUsed() {
    let oneWay = [pair[0], routerLSA("2.2.2.2", [stub("2.2.2.2", mask: host, metric: 1)])]
    let table = calculate("1.1.1.1", oneWay, interfaces: [interface(1, "10.0.12.1", slash30)])
    #expect(table[prefix("2.2.2.2/32")] == nil)
}

// RFC 2328 §16: LSAs at MaxAge take no part in the calculation.
@Test func aMaxAgeRouterLSAIsLeftOut() {
    var db = lsdb([pair[0]])
    db.replace(LSAInstance(pair[1]), age: LSAHeader.maxAge - 10, now: .zero)
    let input = { (now: SimTime) in
        SPF.calculate(SPFInput(routerID: ip("1.1.1.1"), areas: [SPFArea(id: .backbone, lsdb: db)],
                               interfaces: [interface(1, "10.0.12.1", slash30)], now: now))
    }
    #expect(input(.seconds(9))[prefix("2.2.2.2/32")] != nil)
    #expect(input(.seconds(10))[prefix("2.2.2.2/32")] == nil)
}

//            10.0.0.0/24, DR R3 (10.0.0.3)
//   R1 .1 ---------+---------+--------- .3 R3
//                  .2 R2 -- 192.168.2.0/24 (stub, cost 5)
private let broadcast = [
    routerLSA("1.1.1.1", [transit(dr: "10.0.0.3", data: "10.0.0.1", metric: 10)]),
    routerLSA("2.2.2.2",
              [transit(dr: "10.0.0.3", data: "10.0.0.2", metric: 10), stub("192.168.2.0", mask: slash24, metric: 5)]),
    routerLSA("3.3.3.3",
              [transit(dr: "10.0.0.3", data: "10.0.0.3", metric: 10), stub("3.3.3.3", mask: host, metric: 1)]),
    networkLSA(dr: "10.0.0.3", by: "3.3.3.3", mask: slash24, attached: ["3.3.3.3", "1.1.1.1", "2.2.2.2"]),
]

// §16.1.1: behind a network the root is attached to, the next hop is the router's address on that network.
@Test func routersOnABroadcastSegmentAreReachedAtTheirAddressesOnIt() {
    let table = calculate("1.1.1.1", broadcast, interfaces: [interface(1, "10.0.0.1", slash24)])
    #expect(table[prefix("10.0.0.0/24")]?.nextHops == [hop(1, nil)])
    #expect(table[prefix("10.0.0.0/24")]?.cost == 10)
    #expect(table[prefix("10.0.0.0/24")]?.advertisingRouter == ip("3.3.3.3"))
    #expect(table[prefix("192.168.2.0/24")]?.cost == 15)
    #expect(table[prefix("192.168.2.0/24")]?.nextHops == [hop(1, "10.0.0.2")])
    #expect(table[prefix("3.3.3.3/32")]?.nextHops == [hop(1, "10.0.0.3")])
    #expect(table[prefix("3.3.3.3/32")]?.cost == 11)
}

// §16.1 (2)(b): a router the network-LSA lists that has no transit link back is not reached.
@Test func aRouterListedByTheNetworkLSAButNotLinkingBackIsNotReached() {
    var lsas = broadcast
    lsas[1] = routerLSA("2.2.2.2", [stub("192.168.2.0", mask: slash24, metric: 5)])
    let table = calculate("1.1.1.1", lsas, interfaces: [interface(1, "10.0.0.1", slash24)])
    #expect(table[prefix("192.168.2.0/24")] == nil)
    #expect(table[prefix("3.3.3.3/32")] != nil)
}

//         10.0.12.0/30      10.0.24.0/30
//     +------------- R2 -------------+
//   R1                                R4 (4.4.4.4/32)
//     +------------- R3 -------------+
//         10.0.13.0/30      10.0.34.0/30          every link cost 10
private let square = [
    routerLSA("1.1.1.1", [pointToPoint("2.2.2.2", data: "10.0.12.1", metric: 10),
                          pointToPoint("3.3.3.3", data: "10.0.13.1", metric: 10)]),
    routerLSA("2.2.2.2", [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 10),
                          pointToPoint("4.4.4.4", data: "10.0.24.2", metric: 10)]),
    routerLSA("3.3.3.3", [pointToPoint("1.1.1.1", data: "10.0.13.3", metric: 10),
                          pointToPoint("4.4.4.4", data: "10.0.34.3", metric: 10)]),
    routerLSA("4.4.4.4", [pointToPoint("2.2.2.2", data: "10.0.24.4", metric: 10),
                          pointToPoint("3.3.3.3", data: "10.0.34.4", metric: 10),
                          stub("4.4.4.4", mask: host, metric: 1)]),
]

// §16.1 (2)(d): an equally short path adds its next hops: two paths to R4.
@Test func aSquareGivesTwoEqualCostNextHops() {
    let table = calculate("1.1.1.1", square,
                          interfaces: [interface(1, "10.0.12.1", slash30), interface(2, "10.0.13.1", slash30)])
    #expect(table[prefix("4.4.4.4/32")]?.cost == 21)
    #expect(table[prefix("4.4.4.4/32")]?.nextHops == [hop(1, "10.0.12.2"), hop(2, "10.0.13.3")])
}

// IOS `maximum-paths`: at most that many next hops are kept.
@Test func equalCostPathsAreCappedAtMaximumPaths() {
    let input = SPFInput(routerID: ip("1.1.1.1"), areas: [SPFArea(id: .backbone, lsdb: lsdb(square))],
                         interfaces: [interface(1, "10.0.12.1", slash30), interface(2, "10.0.13.1", slash30)],
                         maximumPaths: 1)
    #expect(SPF.calculate(input)[prefix("4.4.4.4/32")]?.nextHops == [hop(1, "10.0.12.2")])
}

//   R1 .1 ---- 10.0.0.0/24 (cost 10, DR R3) ---- .3 R3 (3.3.3.3/32)
//    \ 10.0.12.0/30, cost 5                     /
//     R2 .2 ------------- (R2 on the LAN, cost 5)
// The LAN is reached both directly (10) and through R2 (5 + 5): R3 then has both kinds of next hop.
@Test func aNetworkReachedDirectlyAndThroughARouterPassesBothKindsOfNextHop() {
    let lsas = [
        routerLSA("1.1.1.1", [transit(dr: "10.0.0.3", data: "10.0.0.1", metric: 10),
                              pointToPoint("2.2.2.2", data: "10.0.12.1", metric: 5)]),
        routerLSA("2.2.2.2", [transit(dr: "10.0.0.3", data: "10.0.0.2", metric: 5),
                              pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 5)]),
        routerLSA("3.3.3.3",
                  [transit(dr: "10.0.0.3", data: "10.0.0.3", metric: 10), stub("3.3.3.3", mask: host, metric: 1)]),
        networkLSA(dr: "10.0.0.3", by: "3.3.3.3", mask: slash24, attached: ["3.3.3.3", "1.1.1.1", "2.2.2.2"]),
    ]
    let table = calculate("1.1.1.1", lsas,
                          interfaces: [interface(1, "10.0.0.1", slash24), interface(2, "10.0.12.1", slash30)])
    #expect(table[prefix("10.0.0.0/24")]?.nextHops == [hop(1, nil), hop(2, "10.0.12.2")])
    #expect(table[prefix("3.3.3.3/32")]?.cost == 11)
    #expect(table[prefix("3.3.3.3/32")]?.nextHops == [hop(1, "10.0.0.3"), hop(2, "10.0.12.2")])
}

//   R1 .1 ---- 10.0.0.0/24 (cost 10, DR R3) ---- .3 R3 (3.3.3.3/32)
//     \______________ 10.0.13.0/30, cost 10 ______/
// R3 is at 10 both over the link and through the LAN (10 + 0).
// §16.1 (3): "network vertices must be chosen before router vertices" at equal cost, so the LAN joins the
// tree first and its path to R3 is counted before R3 joins.
@Test func atEqualCostNetworksJoinTheTreeBeforeRoutersSoBothPathsCount() {
    let lsas = [
        routerLSA("1.1.1.1", [transit(dr: "10.0.0.3", data: "10.0.0.1", metric: 10),
                              pointToPoint("3.3.3.3", data: "10.0.13.1", metric: 10)]),
        routerLSA("3.3.3.3", [transit(dr: "10.0.0.3", data: "10.0.0.3", metric: 10),
                              pointToPoint("1.1.1.1", data: "10.0.13.3", metric: 10),
                              stub("3.3.3.3", mask: host, metric: 1)]),
        networkLSA(dr: "10.0.0.3", by: "3.3.3.3", mask: slash24, attached: ["3.3.3.3", "1.1.1.1"]),
    ]
    let table = calculate("1.1.1.1", lsas,
                          interfaces: [interface(1, "10.0.0.1", slash24), interface(2, "10.0.13.1", slash30)])
    #expect(table[prefix("3.3.3.3/32")]?.cost == 11)
    #expect(table[prefix("3.3.3.3/32")]?.nextHops == [hop(1, "10.0.0.3"), hop(2, "10.0.13.3")])
    #expect(SPFVertex.network(ip("255.255.255.255")) < SPFVertex.router(ip("0.0.0.0")))
}

// §16.1, second stage: a stub network of the root is directly connected, one of another router
// inherits that router's next hops; the cheaper of two advertisements wins.
@Test func stubNetworksAreReachedThroughTheRouterAdvertisingThem() {
    var lsas = pair
    lsas[0] = routerLSA("1.1.1.1", [pointToPoint("2.2.2.2", data: "10.0.12.1", metric: 10),
                                    stub("10.0.12.0", mask: slash30, metric: 10),
                                    stub("172.16.1.0", mask: slash24, metric: 1)])
    lsas[1] = routerLSA("2.2.2.2", [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 10),
                                    stub("10.0.12.0", mask: slash30, metric: 10),
                                    stub("172.16.1.0", mask: slash24, metric: 1),
                                    stub("172.16.2.0", mask: slash24, metric: 7)])
    let table = calculate("1.1.1.1", lsas,
                          interfaces: [interface(1, "10.0.12.1", slash30), interface(2, "172.16.1.1", slash24)])
    #expect(table[prefix("172.16.1.0/24")]?.cost == 1)
    #expect(table[prefix("172.16.1.0/24")]?.nextHops == [hop(2, nil)])
    #expect(table[prefix("172.16.2.0/24")]?.cost == 17)
    #expect(table[prefix("172.16.2.0/24")]?.nextHops == [hop(1, "10.0.12.2")])
}

// §16.1 (4): routers with the B or E bit become border-router entries.
@Test func borderRoutersAreListedPerArea() {
    var lsas = pair
    lsas[1] = routerLSA("2.2.2.2", flags: [.b, .e], [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 10)])
    let table = calculate("1.1.1.1", lsas, interfaces: [interface(1, "10.0.12.1", slash30)])
    #expect(table.borderRouters == [OSPFBorderRouter(
        routerID: ip("2.2.2.2"), area: .backbone, pathType: .intraArea, isABR: true, isASBR: true, cost: 10,
        nextHops: [hop(1, "10.0.12.2")])])
}

// The same database gives the same table, in the same order.
@Test func theCalculationIsDeterministic() {
    let interfaces = [interface(1, "10.0.12.1", slash30), interface(2, "10.0.13.1", slash30)]
    let tables = (0..<5).map { _ in calculate("1.1.1.1", square.shuffled(), interfaces: interfaces) }
    #expect(Set(tables).count == 1)
    #expect(tables[0].routes.map(\.destination) == tables[0].routes.map(\.destination).sorted())
}

// A 40 × 40 grid of routers, point-to-point links of cost 1, each router with a /32 loopback: from the
// corner, every loopback costs its Manhattan distance plus 1, and reaching any router off the two edges
// through the corner splits over both links.
@Test func aGridGivesManhattanDistances() {
    let side = 40
    func id(_ x: Int, _ y: Int) -> String { "10.\(x).\(y).1" }
    func link(_ a: (Int, Int), _ b: (Int, Int)) -> String {
        // a's address on its link to b: 172.(16 + direction).x.y, unique; the links advertise no subnet.
        let direction = b.0 > a.0 ? 0 : b.0 < a.0 ? 1 : b.1 > a.1 ? 2 : 3
        return "172.\(16 + direction).\(a.0).\(a.1)"
    }
    var lsas: [LSA] = []
    for x in 0..<side {
        for y in 0..<side {
            let neighbors = [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
                .filter { (0..<side).contains($0.0) && (0..<side).contains($0.1) }
            lsas.append(routerLSA(id(x, y),
                                  neighbors.map { pointToPoint(id($0.0, $0.1), data: link((x, y), $0), metric: 1) }
                                  + [stub(id(x, y), mask: host, metric: 1)]))
        }
    }
    let interfaces = [interface(1, link((0, 0), (1, 0)), host), interface(2, link((0, 0), (0, 1)), host)]
    let table = calculate(id(0, 0), lsas, interfaces: interfaces)
    #expect(table.routes.count == side * side)
    for (x, y) in [(1, 0), (0, 1), (5, 7), (39, 39), (20, 0)] {
        #expect(table[prefix(id(x, y) + "/32")]?.cost == UInt32(x + y + 1), "\(x),\(y)")
    }
    #expect(table[prefix(id(39, 39) + "/32")]?.nextHops == [hop(1, link((1, 0), (0, 0))), hop(2, link((0, 1), (0, 0)))])
    #expect(table[prefix(id(20, 0) + "/32")]?.nextHops == [hop(1, link((1, 0), (0, 0)))])
}
