import Engine
import Testing
import Wire
@testable import Protocols

private let slash24 = "255.255.255.0"
private let area1 = originationArea1

//   backbone: 10.0.0.0/24 (if1)  ASBR 5.5.5.5     area 1: 10.1.1.0/24, 10.1.2.0/24 (if2)  ASBR 6.6.6.6
//   and 10.9.0.0/16, inter-area, learned from the backbone's summaries.
// The ABR 2.2.2.2 summarises each area's routes into the other (RFC 2328 §12.4.3).
private func abr(area1Kind: OriginationAreaKind, ranges: [AreaRange] = []) -> OriginationInput {
    OriginationInput(routerID: ip("2.2.2.2"), areas: [
        OriginationArea(id: .backbone, interfaces: [originating(1, state: .dr, "10.0.0.2", slash24)]),
        OriginationArea(id: area1, kind: area1Kind, interfaces: [originating(2, state: .dr, "10.1.1.2", slash24)],
                        ranges: ranges),
    ])
}

private let table = OSPFRoutingTable(
    routes: [
        OSPFRoute(destination: prefix("10.0.0.0/24"), pathType: .intraArea, cost: 10, area: .backbone, nextHops: [hop(1, nil)]),
        OSPFRoute(destination: prefix("10.1.1.0/24"), pathType: .intraArea, cost: 5, area: area1, nextHops: [hop(2, nil)]),
        OSPFRoute(destination: prefix("10.1.2.0/24"), pathType: .intraArea, cost: 7, area: area1,
                  nextHops: [hop(2, "10.1.1.3")]),
        OSPFRoute(destination: prefix("10.9.0.0/16"), pathType: .interArea, cost: 30, area: .backbone,
                  nextHops: [hop(1, "10.0.0.9")]),
        OSPFRoute(destination: prefix("172.16.0.0/16"), pathType: .type2External, cost: 10, type2Cost: 20, area: nil,
                  nextHops: [hop(1, "10.0.0.5")]),
    ].sorted { $0.destination < $1.destination },
    borderRouters: [
        OSPFBorderRouter(routerID: ip("5.5.5.5"), area: .backbone, pathType: .intraArea, isABR: false, isASBR: true,
                         cost: 10, nextHops: [hop(1, "10.0.0.5")]),
        OSPFBorderRouter(routerID: ip("6.6.6.6"), area: area1, pathType: .intraArea, isABR: false, isASBR: true,
                         cost: 7, nextHops: [hop(2, "10.1.1.6")]),
    ])

/// The summaries as (type, link state ID, metric), in key order.
private func summaries(into area: AreaID, _ input: OriginationInput) -> [(LSAType, String, UInt32)] {
    LSAOrigination.summaryLSAs(area: area, input, routingTable: table).map {
        ($0.type, $0.linkStateID.description, $0.summaryBody?.metric ?? 0)
    }
}

private func same(_ a: [(LSAType, String, UInt32)], _ b: [(LSAType, String, UInt32)]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 && $0.2 == $1.2 }
}

// RFC 2328 §12.4.3 and ios-behavior.md §7.3: which summaries enter area 1, by its type.
@Test(arguments: [
    ("normal", OriginationAreaKind.normal,
     [(LSAType.summaryNetwork, "10.0.0.0", UInt32(10)), (.summaryNetwork, "10.9.0.0", 30), (.summaryASBR, "5.5.5.5", 10)]),
    ("stub", .stub(),
     [(.summaryNetwork, "0.0.0.0", 1), (.summaryNetwork, "10.0.0.0", 10), (.summaryNetwork, "10.9.0.0", 30)]),
    ("stub default-cost 15", .stub(defaultCost: 15),
     [(.summaryNetwork, "0.0.0.0", 15), (.summaryNetwork, "10.0.0.0", 10), (.summaryNetwork, "10.9.0.0", 30)]),
    ("totally stubby", .stub(noSummary: true), [(.summaryNetwork, "0.0.0.0", 1)]),
    ("nssa", .nssa(), [(.summaryNetwork, "10.0.0.0", 10), (.summaryNetwork, "10.9.0.0", 30)]),
    ("nssa default-information-originate", .nssa(defaultInformationOriginate: true),
     [(.summaryNetwork, "10.0.0.0", 10), (.summaryNetwork, "10.9.0.0", 30)]),
    ("totally nssa", .nssa(noSummary: true, defaultCost: 3), [(.summaryNetwork, "0.0.0.0", 3)]),
])
func summariesIntoArea1FollowItsType(name: String, kind: OriginationAreaKind, expected: [(LSAType, String, UInt32)]) {
    #expect(same(summaries(into: area1, abr(area1Kind: kind)), expected), "\(name)")
}

@Test func summariesIntoTheBackboneCarryTheOtherAreasIntraAreaRoutesOnly() {
    // 10.9.0.0/16 is the backbone's own inter-area route: never back into the backbone; externals never.
    #expect(same(summaries(into: .backbone, abr(area1Kind: .normal)),
                 [(.summaryNetwork, "10.1.1.0", 5), (.summaryNetwork, "10.1.2.0", 7), (.summaryASBR, "6.6.6.6", 7)]))
}

@Test func anASBRInsideAStubAreaOrNSSAGetsNoType4() {
    // 6.6.6.6 is reached in area 1; as an NSSA its externals arrive translated, so no type 4 names it.
    #expect(same(summaries(into: .backbone, abr(area1Kind: .nssa())),
                 [(.summaryNetwork, "10.1.1.0", 5), (.summaryNetwork, "10.1.2.0", 7)]))
}

@Test func summaryFieldsFollowTheTargetArea() throws {
    let normal = try #require(LSAOrigination.summaryLSAs(area: area1, abr(area1Kind: .normal), routingTable: table).first)
    #expect(normal.options == .e && normal.advertisingRouter == ip("2.2.2.2"))
    #expect(normal.summaryBody == SummaryLSA(networkMask: ip(slash24), metric: 10))
    let stub = try #require(LSAOrigination.summaryLSAs(area: area1, abr(area1Kind: .stub()), routingTable: table).first)
    #expect(stub.options == [] && stub.summaryBody == SummaryLSA(networkMask: .any, metric: 1))
    let asbr = try #require(LSAOrigination.summaryLSAs(area: area1, abr(area1Kind: .normal), routingTable: table).last)
    #expect(asbr.type == .summaryASBR && asbr.summaryBody == SummaryLSA(networkMask: .any, metric: 10))
}

@Test func aRouterThatIsNoABROriginatesNoSummaries() {
    let internalRouter = OriginationInput(routerID: ip("1.1.1.1"), areas: [
        OriginationArea(id: area1, interfaces: [originating(2, state: .dr, "10.1.1.1", slash24)]),
    ])
    #expect(LSAOrigination.summaryLSAs(area: area1, internalRouter, routingTable: table).isEmpty)
}

// MARK: - §12.4.3, area ranges

@Test func anAdvertisedRangeReplacesItsComponentsAtTheirLargestCost() throws {
    let input = abr(area1Kind: .normal, ranges: [AreaRange(prefix: prefix("10.1.0.0/16"))])
    #expect(same(summaries(into: .backbone, input), [(.summaryNetwork, "10.1.0.0", 7), (.summaryASBR, "6.6.6.6", 7)]))
    let lsa = try #require(LSAOrigination.summaryLSAs(area: .backbone, input, routingTable: table).first)
    #expect(lsa.summaryBody?.networkMask == ip("255.255.0.0"))
}

@Test func aRangeWithACostAdvertisesThatCost() {
    let input = abr(area1Kind: .normal, ranges: [AreaRange(prefix: prefix("10.1.0.0/16"), cost: 100)])
    #expect(same(summaries(into: .backbone, input), [(.summaryNetwork, "10.1.0.0", 100), (.summaryASBR, "6.6.6.6", 7)]))
}

@Test func aNotAdvertisedRangeHidesItsComponents() {
    let input = abr(area1Kind: .normal, ranges: [AreaRange(prefix: prefix("10.1.2.0/23"), advertise: false)])
    #expect(same(summaries(into: .backbone, input), [(.summaryNetwork, "10.1.1.0", 5), (.summaryASBR, "6.6.6.6", 7)]))
}

@Test func aRangeOfAnotherAreaDoesNotSummariseTheseRoutes() {
    // A range configured for area 1 does not touch the backbone's routes going into area 1.
    let input = abr(area1Kind: .normal, ranges: [AreaRange(prefix: prefix("10.0.0.0/8"))])
    #expect(same(summaries(into: area1, input),
                 [(.summaryNetwork, "10.0.0.0", 10), (.summaryNetwork, "10.9.0.0", 30), (.summaryASBR, "5.5.5.5", 10)]))
}

// MARK: - Appendix E

@Test func prefixesSharingANetworkAddressGetDistinctLinkStateIDs() {
    let ids = LSAOrigination.linkStateIDs(for: [prefix("10.0.0.0/16"), prefix("10.0.0.0/8")])
    #expect(ids[prefix("10.0.0.0/8")] == ip("10.0.0.0"))
    #expect(ids[prefix("10.0.0.0/16")] == ip("10.0.255.255"))
}
