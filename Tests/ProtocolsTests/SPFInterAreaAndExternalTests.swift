import Engine
import Testing
import Wire
@testable import Protocols

private let slash30 = "255.255.255.252"
private let slash24 = "255.255.255.0"
private let slash16 = "255.255.0.0"
private let host = "255.255.255.255"
private let area1 = AreaID(rawValue: 1)
private let area2 = AreaID(rawValue: 2)

// MARK: - §16.2 inter-area routes

//   area 1:  R1 (1.1.1.1) if1 10.0.12.1 ----10---- 10.0.12.2 R2 (ABR) ... backbone ... ASBR 9.9.9.9
// R2 summarizes 172.16.0.0/16 (metric 20) and the ASBR 9.9.9.9 (type 4, metric 30) into area 1.
private func area1Database(extra: [LSA] = []) -> LSDB {
    lsdb([
        routerLSA("1.1.1.1", [pointToPoint("2.2.2.2", data: "10.0.12.1", metric: 10),
                              stub("10.0.12.0", mask: slash30, metric: 10)]),
        routerLSA("2.2.2.2", flags: .b, [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 10),
                                         stub("10.0.12.0", mask: slash30, metric: 10)]),
        summaryLSA("172.16.0.0", mask: slash16, by: "2.2.2.2", metric: 20),
        summaryLSA("10.0.12.0", mask: slash30, by: "2.2.2.2", metric: 1),
        asbrSummaryLSA("9.9.9.9", by: "2.2.2.2", metric: 30),
    ] + extra)
}

@Test func summariesFromAnABRGiveInterAreaRoutesAtItsCostPlusTheirs() {
    let table = SPF.calculate(SPFInput(routerID: ip("1.1.1.1"), areas: [SPFArea(id: area1, lsdb: area1Database())],
                                       interfaces: [interface(1, "10.0.12.1", slash30, area: area1)]))
    #expect(table[prefix("172.16.0.0/16")] == OSPFRoute(
        destination: prefix("172.16.0.0/16"), pathType: .interArea, cost: 30, area: area1,
        advertisingRouter: ip("2.2.2.2"), nextHops: [hop(1, "10.0.12.2")]))
    // §16.2 (6): the intra-area route to the link is kept.
    #expect(table[prefix("10.0.12.0/30")]?.pathType == .intraArea)
    #expect(table.borderRouter(ip("9.9.9.9")) == [OSPFBorderRouter(
        routerID: ip("9.9.9.9"), area: area1, pathType: .interArea, isABR: false, isASBR: true, cost: 40,
        nextHops: [hop(1, "10.0.12.2")])])
    #expect(table.borderRouter(ip("2.2.2.2")).first?.isABR == true)
}

// §16.2 (1): a summary at LSInfinity withdraws the route; (4) one whose ABR is not an ABR (no B bit) is ignored.
@Test func summariesAtLSInfinityOrFromARouterThatIsNoABRAreIgnored() {
    var db = area1Database(extra: [summaryLSA("172.17.0.0", mask: slash16, by: "2.2.2.2",
                                              metric: OSPFConstants.lsInfinity)])
    var table = SPF.calculate(SPFInput(routerID: ip("1.1.1.1"), areas: [SPFArea(id: area1, lsdb: db)],
                                       interfaces: [interface(1, "10.0.12.1", slash30, area: area1)]))
    #expect(table[prefix("172.17.0.0/16")] == nil)
    db.replace(LSAInstance(routerLSA("2.2.2.2", [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 10)])), now: .zero)
    table = SPF.calculate(SPFInput(routerID: ip("1.1.1.1"), areas: [SPFArea(id: area1, lsdb: db)],
                                   interfaces: [interface(1, "10.0.12.1", slash30, area: area1)]))
    #expect(table[prefix("172.16.0.0/16")] == nil)
}

//   R1 if1 ----10---- R2 (ABR)      both summarize 172.16.0.0/16
//      if2 ----10---- R3 (ABR)
private func twoABRsRoute(metricFromR2: UInt32, metricFromR3: UInt32) -> OSPFRoute? {
    let db = lsdb([
        routerLSA("1.1.1.1", [pointToPoint("2.2.2.2", data: "10.0.12.1", metric: 10),
                              pointToPoint("3.3.3.3", data: "10.0.13.1", metric: 10)]),
        routerLSA("2.2.2.2", flags: .b, [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 10)]),
        routerLSA("3.3.3.3", flags: .b, [pointToPoint("1.1.1.1", data: "10.0.13.3", metric: 10)]),
        summaryLSA("172.16.0.0", mask: slash16, by: "2.2.2.2", metric: metricFromR2),
        summaryLSA("172.16.0.0", mask: slash16, by: "3.3.3.3", metric: metricFromR3),
    ])
    return SPF.calculate(SPFInput(
        routerID: ip("1.1.1.1"), areas: [SPFArea(id: area1, lsdb: db)],
        interfaces: [interface(1, "10.0.12.1", slash30, area: area1), interface(2, "10.0.13.1", slash30, area: area1)]
    ))[prefix("172.16.0.0/16")]
}

// §16.2 (7): an inter-area path through another ABR replaces a dearer one and joins an equal one.
@Test func equalCostSummariesFromTwoABRsGiveTwoNextHops() {
    #expect(twoABRsRoute(metricFromR2: 5, metricFromR3: 5)?.nextHops == [hop(1, "10.0.12.2"), hop(2, "10.0.13.3")])
    #expect(twoABRsRoute(metricFromR2: 5, metricFromR3: 4)?.nextHops == [hop(2, "10.0.13.3")])
    #expect(twoABRsRoute(metricFromR2: 5, metricFromR3: 4)?.cost == 14)
    #expect(twoABRsRoute(metricFromR2: 3, metricFromR3: 4)?.advertisingRouter == ip("2.2.2.2"))
}

//   area 1: R3 (ABR) ----10---- R2 ----10---- R4 (ABR) : backbone
// R3 puts 172.20.0.0/16 into area 1, R4 puts 172.30.0.0/16 into the backbone.
private let abrAreas: (area1: LSDB, backbone: LSDB) = (
    lsdb([
        routerLSA("2.2.2.2", flags: .b, [pointToPoint("3.3.3.3", data: "10.0.23.2", metric: 10)]),
        routerLSA("3.3.3.3", flags: .b, [pointToPoint("2.2.2.2", data: "10.0.23.3", metric: 10)]),
        summaryLSA("172.20.0.0", mask: slash16, by: "3.3.3.3", metric: 1),
    ]),
    lsdb([
        routerLSA("2.2.2.2", flags: .b, [pointToPoint("4.4.4.4", data: "10.0.24.2", metric: 10)]),
        routerLSA("4.4.4.4", flags: .b, [pointToPoint("2.2.2.2", data: "10.0.24.4", metric: 10)]),
        summaryLSA("172.30.0.0", mask: slash16, by: "4.4.4.4", metric: 1),
    ])
)

// §16.2: "If the router is an area border router, only backbone summary-LSAs are examined."
@Test func anABRExaminesOnlyTheBackbonesSummaries() {
    let table = SPF.calculate(SPFInput(
        routerID: ip("2.2.2.2"),
        areas: [SPFArea(id: area1, lsdb: abrAreas.area1), SPFArea(id: .backbone, lsdb: abrAreas.backbone)],
        interfaces: [interface(1, "10.0.23.2", slash30, area: area1), interface(2, "10.0.24.2", slash30)]))
    #expect(table[prefix("172.30.0.0/16")]?.cost == 11)
    #expect(table[prefix("172.30.0.0/16")]?.nextHops == [hop(2, "10.0.24.4")])
    #expect(table[prefix("172.20.0.0/16")] == nil)
}

// IOS (RFC 3509 §2.3): a router in two areas but not in the backbone is no ABR and uses both areas' summaries.
@Test func aRouterInTwoAreasWithoutTheBackboneExaminesBoth() {
    let table = SPF.calculate(SPFInput(
        routerID: ip("2.2.2.2"),
        areas: [SPFArea(id: area1, lsdb: abrAreas.area1), SPFArea(id: area2, lsdb: abrAreas.backbone)],
        interfaces: [interface(1, "10.0.23.2", slash30, area: area1), interface(2, "10.0.24.2", slash30, area: area2)]))
    #expect(table[prefix("172.20.0.0/16")]?.area == area1)
    #expect(table[prefix("172.30.0.0/16")]?.area == area2)
}

// Inter-area and external routes through an ASBR known from a type 4 summary.
@Test func externalsBehindAnABRUseTheType4Summary() {
    let table = SPF.calculate(SPFInput(
        routerID: ip("1.1.1.1"), areas: [SPFArea(id: area1, lsdb: area1Database())],
        externals: lsdb([externalLSA("10.99.0.0", mask: slash16, by: "9.9.9.9", type2: true, metric: 50)]),
        interfaces: [interface(1, "10.0.12.1", slash30, area: area1)]))
    #expect(table[prefix("10.99.0.0/16")] == OSPFRoute(
        destination: prefix("10.99.0.0/16"), pathType: .type2External, cost: 40, type2Cost: 50, area: nil,
        advertisingRouter: ip("9.9.9.9"), nextHops: [hop(1, "10.0.12.2")]))
    #expect(table[prefix("10.99.0.0/16")]?.code == "E2")
    #expect(table[prefix("10.99.0.0/16")]?.metric == 50)
}

// MARK: - §16.4 AS-external routes

//   R1 if1 ----costA---- R2 (ASBR)
//      if2 ----costB---- R3 (ASBR, stub 192.168.3.0/24 cost 5)
private func twoASBRs(costToR2: UInt16, costToR3: UInt16) -> LSDB {
    lsdb([
        routerLSA("1.1.1.1", [pointToPoint("2.2.2.2", data: "10.0.12.1", metric: costToR2),
                              pointToPoint("3.3.3.3", data: "10.0.13.1", metric: costToR3),
                              stub("10.0.0.0", mask: slash24, metric: 1)]),
        routerLSA("2.2.2.2", flags: .e, [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 10)]),
        routerLSA("3.3.3.3", flags: .e, [pointToPoint("1.1.1.1", data: "10.0.13.3", metric: 10),
                                         stub("192.168.3.0", mask: slash24, metric: 5)]),
    ])
}

private func externalRoute(costToR2: UInt16 = 10, costToR3: UInt16 = 20, _ externals: [LSA],
                           preference: ExternalPathPreference = .rfc3101) -> OSPFRoute? {
    SPF.calculate(SPFInput(
        routerID: ip("1.1.1.1"), areas: [SPFArea(id: .backbone,
                                                 lsdb: twoASBRs(costToR2: costToR2, costToR3: costToR3))],
        externals: lsdb(externals),
        interfaces: [interface(1, "10.0.12.1", slash30), interface(2, "10.0.13.1", slash30),
                     interface(3, "10.0.0.1", slash24)],
        externalPreference: preference))[prefix("10.99.0.0/16")]
}

// §16.4 (6)(b): a type 1 path beats any type 2 path, whatever the metrics.
@Test func anE1RouteBeatsAnE2RouteWhateverTheMetrics() {
    let route = externalRoute([externalLSA("10.99.0.0", mask: slash16, by: "2.2.2.2", type2: true, metric: 1),
                               externalLSA("10.99.0.0", mask: slash16, by: "3.3.3.3", type2: false, metric: 100)])
    #expect(route?.code == "E1")
    #expect(route?.cost == 120)
    #expect(route?.type2Cost == nil)
    #expect(route?.nextHops == [hop(2, "10.0.13.3")])
}

// §16.4 (6)(c): between type 2 paths the smaller metric wins, then the smaller cost to the ASBR.
@Test func anE2TieIsBrokenByTheCostToTheASBR() {
    let lsas = [externalLSA("10.99.0.0", mask: slash16, by: "2.2.2.2", type2: true, metric: 20),
                externalLSA("10.99.0.0", mask: slash16, by: "3.3.3.3", type2: true, metric: 20)]
    let route = externalRoute(lsas)
    #expect(route?.advertisingRouter == ip("2.2.2.2"))
    #expect(route?.cost == 10)
    #expect(route?.nextHops == [hop(1, "10.0.12.2")])
    // A smaller type 2 metric wins even through the more distant ASBR.
    let cheaper = externalRoute([lsas[0],
                                 externalLSA("10.99.0.0", mask: slash16, by: "3.3.3.3", type2: true, metric: 19)])
    #expect(cheaper?.advertisingRouter == ip("3.3.3.3"))
    // At equal metric and equal internal cost: both paths.
    #expect(externalRoute(costToR3: 10, lsas)?.nextHops == [hop(1, "10.0.12.2"), hop(2, "10.0.13.3")])
}

// §16.4 (3): with a forwarding address, the cost and next hops are those of the route to that address.
@Test func aForwardingAddressIsReachedByItsOwnRoute() {
    let route = externalRoute([externalLSA("10.99.0.0", mask: slash16, by: "2.2.2.2", type2: false, metric: 7,
                                           forwardingAddress: "192.168.3.30")])
    #expect(route?.cost == 32)
    #expect(route?.nextHops == [hop(2, "10.0.13.3")])
    #expect(route?.advertisingRouter == ip("2.2.2.2"))
}

// §16.4 (3): a forwarding address no intra- or inter-area route covers makes the LSA unusable.
@Test func anUnreachableForwardingAddressGivesNoRoute() {
    #expect(externalRoute([externalLSA("10.99.0.0", mask: slash16, by: "2.2.2.2", type2: true, metric: 7,
                                       forwardingAddress: "203.0.113.1")]) == nil)
}

// A forwarding address on a directly attached network is itself the next hop.
@Test func aForwardingAddressOnAnAttachedNetworkIsTheNextHop() {
    let route = externalRoute([externalLSA("10.99.0.0", mask: slash16, by: "2.2.2.2", type2: true, metric: 7,
                                           forwardingAddress: "10.0.0.7")])
    #expect(route?.nextHops == [hop(3, "10.0.0.7")])
    #expect(route?.cost == 1)
}

// §16.4 (3): an ASBR that is not reachable gives no route.
@Test func anExternalFromAnUnreachableASBRGivesNoRoute() {
    #expect(externalRoute([externalLSA("10.99.0.0", mask: slash16, by: "8.8.8.8", type2: true, metric: 7)]) == nil)
}

// MARK: - RFC 3101 §2.5, type-7 LSAs in an NSSA

//   backbone: R5 (ASBR) ----10---- if1 R1 (ABR) if2 ----10---- R7 (ASBR)  : area 1, an NSSA
// R5 announces 10.99.0.0/16 as a type-5; R7 as a type-7 with forwarding address 10.0.17.2 (its end of the link).
private func nssaRoute(type7Metric: UInt32 = 20, propagate: Bool = true,
                       preference: ExternalPathPreference = .rfc3101) -> OSPFRoute? {
    let backbone = lsdb([
        routerLSA("1.1.1.1", flags: .b, [pointToPoint("5.5.5.5", data: "10.0.15.1", metric: 10)]),
        routerLSA("5.5.5.5", flags: .e, [pointToPoint("1.1.1.1", data: "10.0.15.5", metric: 10)]),
    ])
    let nssa = lsdb([
        routerLSA("1.1.1.1", flags: .b, [pointToPoint("7.7.7.7", data: "10.0.17.1", metric: 10),
                                         stub("10.0.17.0", mask: slash30, metric: 10)]),
        routerLSA("7.7.7.7", flags: .e, [pointToPoint("1.1.1.1", data: "10.0.17.2", metric: 10),
                                         stub("10.0.17.0", mask: slash30, metric: 10)]),
        nssaExternalLSA("10.99.0.0", mask: slash16, by: "7.7.7.7", type2: true, metric: type7Metric,
                        forwardingAddress: "10.0.17.2", propagate: propagate),
    ])
    return SPF.calculate(SPFInput(
        routerID: ip("1.1.1.1"),
        areas: [SPFArea(id: .backbone, lsdb: backbone), SPFArea(id: area1, type: .nssa, lsdb: nssa)],
        externals: lsdb([externalLSA("10.99.0.0", mask: slash16, by: "5.5.5.5", type2: true, metric: 20)]),
        interfaces: [interface(1, "10.0.15.1", slash30), interface(2, "10.0.17.1", slash30, area: area1)],
        externalPreference: preference))[prefix("10.99.0.0/16")]
}

// RFC 3101 §2.5 (6)(e), the IOS default: at equal cost a type-7 with the P bit beats a type-5.
@Test func atEqualCostAnN2WithThePBitBeatsAnE2() {
    let route = nssaRoute()
    #expect(route?.code == "N2")
    #expect(route?.isNSSA == true)
    #expect(route?.advertisingRouter == ip("7.7.7.7"))
    #expect(route?.nextHops == [hop(2, "10.0.17.2")])
    #expect(route?.cost == 10)
    #expect(route?.type2Cost == 20)
}

// RFC 3101 §2.5 (6): cost first; the type-7 preference applies only at equal cost.
@Test func aCheaperE2BeatsAnN2() {
    #expect(nssaRoute(type7Metric: 30)?.code == "E2")
    #expect(nssaRoute(type7Metric: 19)?.code == "N2")
}

// RFC 3101 §2.5 (6)(e): a type-5 beats a type-7 without the P bit.
@Test func atEqualCostAnE2BeatsAnN2WithoutThePBit() {
    #expect(nssaRoute(propagate: false)?.code == "E2")
    #expect(nssaRoute(propagate: false)?.nextHops == [hop(1, "10.0.15.5")])
}

// IOS before 15.1(2)S, RFC 1587: E2 beats N2 whatever their costs.
@Test func theRFC1587OrderPrefersTheType5() {
    #expect(nssaRoute(type7Metric: 1, preference: .rfc1587)?.code == "E2")
}

// RFC 3101 §2.5 (3): the ASBR of a type-7 must be reached inside its NSSA.
@Test func aType7IsUsedOnlyInsideItsNSSA() {
    let backbone = lsdb([
        routerLSA("1.1.1.1", [pointToPoint("7.7.7.7", data: "10.0.17.1", metric: 10),
                              stub("10.0.17.0", mask: slash30, metric: 10)]),
        routerLSA("7.7.7.7", flags: .e, [pointToPoint("1.1.1.1", data: "10.0.17.2", metric: 10)]),
        nssaExternalLSA("10.99.0.0", mask: slash16, by: "7.7.7.7", type2: true, metric: 20,
                        forwardingAddress: "10.0.17.2"),
    ])
    let table = SPF.calculate(SPFInput(routerID: ip("1.1.1.1"), areas: [SPFArea(id: .backbone, lsdb: backbone)],
                                       interfaces: [interface(2, "10.0.17.1", slash30)]))
    #expect(table[prefix("10.99.0.0/16")] == nil)
}

// MARK: - §16.3 transit areas, §16.4.1 RFC1583Compatibility

//   backbone:  R1 ----50---- R2 (172.16.0.0/24, cost 1) ----1---- R3
//   area 1:    R1 ----1----- R3   (a virtual link's transit area when the V bits are set)
// R3 summarizes 172.16.0.0/24 into area 1 at 2.
private func transitTable(transit: Bool) -> OSPFRoutingTable {
    let v: RouterLSA.Flags = transit ? [.b, .v] : .b
    let backbone = lsdb([
        routerLSA("1.1.1.1", flags: .b, [pointToPoint("2.2.2.2", data: "10.0.12.1", metric: 50)]),
        routerLSA("2.2.2.2", [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 50),
                              pointToPoint("3.3.3.3", data: "10.0.23.2", metric: 1),
                              stub("172.16.0.0", mask: slash24, metric: 1)]),
        routerLSA("3.3.3.3", flags: .b, [pointToPoint("2.2.2.2", data: "10.0.23.3", metric: 1)]),
    ])
    let transitArea = lsdb([
        routerLSA("1.1.1.1", flags: v, [pointToPoint("3.3.3.3", data: "10.0.13.1", metric: 1)]),
        routerLSA("3.3.3.3", flags: v, [pointToPoint("1.1.1.1", data: "10.0.13.3", metric: 1)]),
        summaryLSA("172.16.0.0", mask: slash24, by: "3.3.3.3", metric: 2),
    ])
    return SPF.calculate(SPFInput(
        routerID: ip("1.1.1.1"), areas: [SPFArea(id: .backbone, lsdb: backbone), SPFArea(id: area1, lsdb: transitArea)],
        interfaces: [interface(1, "10.0.12.1", slash30), interface(2, "10.0.13.1", slash30, area: area1)]))
}

// RFC 2328 §16.3: through a transit area, a backbone destination can be reached more cheaply than over
// the backbone; the route stays a backbone route with the transit area's next hops.
@Test func aTransitAreasSummaryShortensABackboneRoute() {
    let route = transitTable(transit: true)[prefix("172.16.0.0/24")]
    #expect(route?.cost == 3)
    #expect(route?.nextHops == [hop(2, "10.0.13.3")])
    #expect(route?.area == .backbone)
    #expect(route?.pathType == .intraArea)
}

// RFC 2328 §16.3 applies only to transit areas (TransitCapability: a V bit in the area's tree).
@Test func anAreaThatIsNoTransitAreaShortensNothing() {
    let route = transitTable(transit: false)[prefix("172.16.0.0/24")]
    #expect(route?.cost == 51)
    #expect(route?.nextHops == [hop(1, "10.0.12.2")])
}

//   backbone:  R1 ----10---- R9 (ABR, ASBR: 10.99.0.0/16 E1 5)
//   area 1:    R1 ----20---- R9
private func externalCost(rfc1583Compatibility: Bool) -> UInt32? {
    let backbone = lsdb([
        routerLSA("1.1.1.1", flags: .b, [pointToPoint("9.9.9.9", data: "10.0.19.1", metric: 10)]),
        routerLSA("9.9.9.9", flags: [.b, .e], [pointToPoint("1.1.1.1", data: "10.0.19.9", metric: 10)]),
    ])
    let other = lsdb([
        routerLSA("1.1.1.1", flags: .b, [pointToPoint("9.9.9.9", data: "10.1.19.1", metric: 20)]),
        routerLSA("9.9.9.9", flags: [.b, .e], [pointToPoint("1.1.1.1", data: "10.1.19.9", metric: 20)]),
    ])
    return SPF.calculate(SPFInput(
        routerID: ip("1.1.1.1"), areas: [SPFArea(id: .backbone, lsdb: backbone), SPFArea(id: area1, lsdb: other)],
        externals: lsdb([externalLSA("10.99.0.0", mask: slash16, by: "9.9.9.9", type2: false, metric: 5)]),
        interfaces: [interface(1, "10.0.19.1", slash30), interface(2, "10.1.19.1", slash30, area: area1)],
        rfc1583Compatibility: rfc1583Compatibility))[prefix("10.99.0.0/16")]?.cost
}

// §16.4 (3) with RFC1583Compatibility (IOS default): the cheapest ASBR entry. Disabled, §16.4.1: an
// intra-area path through a non-backbone area is preferred, however long.
@Test func rfc1583CompatibilityChoosesTheCheapestASBREntry() {
    #expect(externalCost(rfc1583Compatibility: true) == 15)
    #expect(externalCost(rfc1583Compatibility: false) == 25)
}

// MARK: - §16.2 (3) summaries equal to one of our active ranges

//   R1 (ABR, areas 0 and 1; `area 1 range 10.1.0.0 255.255.0.0`) if1 ----10---- R2 (ABR), which also
//   summarises 10.1.0.0/16 into the backbone. R1's own component 10.1.1.0/24 is in area 1 (if2).
private func rangeInput(ranges: [AreaID: [IPv4Prefix]], component: Bool = true) -> SPFInput {
    let backbone = lsdb([
        routerLSA("1.1.1.1", flags: .b, [pointToPoint("2.2.2.2", data: "10.0.12.1", metric: 10),
                                         stub("10.0.12.0", mask: slash30, metric: 10)]),
        routerLSA("2.2.2.2", flags: .b, [pointToPoint("1.1.1.1", data: "10.0.12.2", metric: 10),
                                         stub("10.0.12.0", mask: slash30, metric: 10)]),
        summaryLSA("10.1.0.0", mask: slash16, by: "2.2.2.2", metric: 5),
    ])
    let area1DB = lsdb([routerLSA("1.1.1.1", flags: .b, component ? [stub("10.1.1.0", mask: slash24, metric: 1)]
                                                                   : [stub("10.9.1.0", mask: slash24, metric: 1)])])
    var input = SPFInput(routerID: ip("1.1.1.1"),
                         areas: [SPFArea(id: .backbone, lsdb: backbone), SPFArea(id: area1, lsdb: area1DB)],
                         interfaces: [interface(1, "10.0.12.1", slash30), interface(2, component ? "10.1.1.1" : "10.9.1.1",
                                                                                   slash24, area: area1)])
    input.ranges = ranges
    return input
}

@Test func anABRIgnoresASummaryEqualToOneOfItsActiveRanges() {
    // Without the range the other ABR's summary gives an inter-area route.
    #expect(SPF.calculate(rangeInput(ranges: [:]))[prefix("10.1.0.0/16")]?.pathType == .interArea)
    // §16.2 (3): with the range active (10.1.1.0/24 is an intra-area route of area 1 inside it), it is ignored.
    let table = SPF.calculate(rangeInput(ranges: [area1: [prefix("10.1.0.0/16")]]))
    #expect(table[prefix("10.1.0.0/16")] == nil)
    #expect(table[prefix("10.1.1.0/24")]?.pathType == .intraArea)
    // A range with no component is not active: the summary is used.
    #expect(SPF.calculate(rangeInput(ranges: [area1: [prefix("10.1.0.0/16")]], component: false))[prefix("10.1.0.0/16")]?
        .pathType == .interArea)
    // Only a summary equal to the range is ignored, not one inside it.
    #expect(SPF.calculate(rangeInput(ranges: [area1: [prefix("10.0.0.0/8")]]))[prefix("10.1.0.0/16")]?.pathType
        == .interArea)
}
