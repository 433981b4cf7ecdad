import Engine
import Testing
import Wire
@testable import Protocols

private let slash30 = "255.255.255.252"
private let slash24 = "255.255.255.0"
private let area1 = originationArea1

private func links(_ interface: OriginatingInterface) -> [RouterLSA.Link] { LSAOrigination.routerLinks(interface) }

// MARK: - §12.4.1.1–§12.4.1.4, links per interface state

@Test func pointToPointWithAFullNeighborGivesAType1LinkAndTheSubnetAsAStub() {
    let interface = originating(1, .pointToPoint, state: .pointToPoint, cost: 64, "10.0.12.1", slash30,
                                full: [fullNeighbor("2.2.2.2", at: "10.0.12.2")])
    #expect(links(interface) == [pointToPoint("2.2.2.2", data: "10.0.12.1", metric: 64),
                                 stub("10.0.12.0", mask: slash30, metric: 64)])
}

@Test func pointToPointWithoutAFullNeighborGivesOnlyTheSubnetStub() {
    let interface = originating(1, .pointToPoint, state: .pointToPoint, cost: 64, "10.0.12.1", slash30)
    #expect(links(interface) == [stub("10.0.12.0", mask: slash30, metric: 64)])
}

@Test func theDRFullWithAnotherRouterGivesATransitLinkNamedByItsOwnAddress() {
    let interface = originating(1, state: .dr, cost: 10, "10.0.0.1", slash24, dr: "10.0.0.1",
                                full: [fullNeighbor("2.2.2.2", at: "10.0.0.2")])
    #expect(links(interface) == [transit(dr: "10.0.0.1", data: "10.0.0.1", metric: 10)])
}

@Test func theDRWithNoFullNeighborGivesAStub() {
    let interface = originating(1, state: .dr, cost: 10, "10.0.0.1", slash24, dr: "10.0.0.1")
    #expect(links(interface) == [stub("10.0.0.0", mask: slash24, metric: 10)])
}

@Test(arguments: [InterfaceState.drOther, .backup])
func aRouterFullWithTheDRGivesATransitLinkToTheDRsAddress(state: InterfaceState) {
    let interface = originating(1, state: state, cost: 10, "10.0.0.3", slash24, dr: "10.0.0.1",
                                full: [fullNeighbor("1.1.1.1", at: "10.0.0.1"), fullNeighbor("2.2.2.2", at: "10.0.0.2")])
    #expect(links(interface) == [transit(dr: "10.0.0.1", data: "10.0.0.3", metric: 10)])
}

@Test func aRouterNotFullWithTheDRGivesAStub() {
    let interface = originating(1, state: .drOther, cost: 10, "10.0.0.3", slash24, dr: "10.0.0.1",
                                full: [fullNeighbor("2.2.2.2", at: "10.0.0.2")])
    #expect(links(interface) == [stub("10.0.0.0", mask: slash24, metric: 10)])
}

@Test func aWaitingInterfaceGivesAStub() {
    let interface = originating(1, state: .waiting, cost: 10, "10.0.0.3", slash24)
    #expect(links(interface) == [stub("10.0.0.0", mask: slash24, metric: 10)])
}

@Test func aLoopbackIsAHostStubOfCostOne() {
    #expect(links(loopback(1, "1.1.1.1")) == [stub("1.1.1.1", mask: "255.255.255.255", metric: 1)])
}

@Test func aDownInterfaceAddsNothing() {
    let interface = originating(1, state: .down, cost: 10, "10.0.0.3", slash24, dr: "10.0.0.1",
                                full: [fullNeighbor("1.1.1.1", at: "10.0.0.1")])
    #expect(links(interface).isEmpty)
}

@Test func pointToMultipointGivesAHostStubAndALinkPerFullNeighbor() {
    let interface = originating(1, .pointToMultipoint, state: .pointToPoint, cost: 5, "10.0.0.1", slash24,
                                full: [fullNeighbor("3.3.3.3", at: "10.0.0.3"), fullNeighbor("2.2.2.2", at: "10.0.0.2")])
    #expect(links(interface) == [stub("10.0.0.1", mask: "255.255.255.255", metric: 0),
                                 pointToPoint("2.2.2.2", data: "10.0.0.1", metric: 5),
                                 pointToPoint("3.3.3.3", data: "10.0.0.1", metric: 5)])
}

// MARK: - §12.4.1, the router-LSA's header, flags and options

private func abr(area1Kind: OriginationAreaKind, redistributes: Bool = false,
                 role: NSSATranslatorRole = .candidate) -> OriginationInput {
    OriginationInput(
        routerID: ip("2.2.2.2"),
        areas: [OriginationArea(id: .backbone, interfaces: [originating(1, state: .dr, "10.0.0.2", slash24)]),
                OriginationArea(id: area1, kind: area1Kind,
                                interfaces: [originating(2, state: .dr, "10.1.0.2", slash24)])],
        redistributed: redistributes ? [RedistributedRoute(prefix: prefix("172.16.0.0/16"))] : [],
        translatorRole: role)
}

@Test func theRouterLSAIsNamedByTheRouterIDWithLinksInInterfaceOrder() throws {
    let input = OriginationInput(routerID: ip("1.1.1.1"), areas: [OriginationArea(id: .backbone, interfaces: [
        loopback(1, "1.1.1.1"),
        originating(2, state: .down, "10.9.9.1", slash24),
        originating(3, state: .waiting, cost: 10, "10.0.0.1", slash24),
    ])])
    let lsa = try #require(LSAOrigination.routerLSA(area: .backbone, input))
    #expect(lsa.type == .router && lsa.linkStateID == ip("1.1.1.1") && lsa.advertisingRouter == ip("1.1.1.1"))
    #expect(lsa.sequenceNumber == LSAHeader.initialSequenceNumber && lsa.age == 0)
    #expect(lsa.options == .e)
    #expect(lsa.routerBody == RouterLSA(flags: [], links: [stub("1.1.1.1", mask: "255.255.255.255", metric: 1),
                                                          stub("10.0.0.0", mask: slash24, metric: 10)]))
    #expect(LSAOrigination.routerLSA(area: area1, input) == nil)
}

@Test func anAreaBorderRouterSetsBInEveryArea() {
    let input = abr(area1Kind: .normal)
    #expect(LSAOrigination.routerLSA(area: .backbone, input)?.routerBody?.flags == .b)
    #expect(LSAOrigination.routerLSA(area: area1, input)?.routerBody?.flags == .b)
}

@Test func aRouterInTwoAreasWithoutTheBackboneIsNoABR() {
    var input = abr(area1Kind: .normal)
    input.areas[0].id = AreaID(rawValue: 2)
    #expect(LSAOrigination.routerLSA(area: area1, input)?.routerBody?.flags == [])
}

@Test func anASBoundaryRouterSetsEExceptInAStubArea() {
    let input = abr(area1Kind: .stub(), redistributes: true)
    #expect(LSAOrigination.routerLSA(area: .backbone, input)?.routerBody?.flags == [.b, .e])
    #expect(LSAOrigination.routerLSA(area: area1, input)?.routerBody?.flags == .b)
}

@Test(arguments: [(OriginationAreaKind.normal, OSPFOptions.e), (.stub(), OSPFOptions()),
                  (.stub(noSummary: true), OSPFOptions()), (.nssa(), OSPFOptions()), (.nssa(noSummary: true), OSPFOptions())])
func theEBitOfTheRouterLSAIsClearInStubAreasAndNSSAs(kind: OriginationAreaKind, options: OSPFOptions) {
    #expect(LSAOrigination.routerLSA(area: area1, abr(area1Kind: kind))?.options == options)
}

@Test func anNSSAABRConfiguredToAlwaysTranslateSetsNt() {
    let always = abr(area1Kind: .nssa(), role: .always)
    #expect(LSAOrigination.routerLSA(area: area1, always)?.routerBody?.flags == [.b, .nt])
    #expect(LSAOrigination.routerLSA(area: .backbone, always)?.routerBody?.flags == .b)
    #expect(LSAOrigination.routerLSA(area: area1, abr(area1Kind: .nssa()))?.routerBody?.flags == .b)
}

@Test func inAnNSSATheEBitFollowsTheType7LSAsOriginated() {
    // The ABR and ASBR originates type-7s into the NSSA, unless `no-redistribution`.
    #expect(LSAOrigination.routerLSA(area: area1, abr(area1Kind: .nssa(), redistributes: true))?.routerBody?.flags
        == [.b, .e])
    #expect(LSAOrigination.routerLSA(area: area1, abr(area1Kind: .nssa(noRedistribution: true), redistributes: true))?
        .routerBody?.flags == .b)
    // `default-information-originate` on the ABR makes it the type-7 default's ASBR.
    #expect(LSAOrigination.routerLSA(area: area1, abr(area1Kind: .nssa(defaultInformationOriginate: true)))?
        .routerBody?.flags == [.b, .e])
}

// MARK: - §12.4.2, network-LSAs

@Test func theDRFullWithOtherRoutersOriginatesTheNetworkLSA() throws {
    let input = OriginationInput(routerID: ip("3.3.3.3"), areas: [OriginationArea(id: area1, kind: .stub(), interfaces: [
        originating(1, state: .dr, "10.0.0.3", slash24, dr: "10.0.0.3",
                    full: [fullNeighbor("2.2.2.2", at: "10.0.0.2"), fullNeighbor("1.1.1.1", at: "10.0.0.1")]),
    ])])
    let lsas = LSAOrigination.networkLSAs(area: area1, input)
    let lsa = try #require(lsas.first)
    #expect(lsas.count == 1)
    #expect(lsa.type == .network && lsa.linkStateID == ip("10.0.0.3") && lsa.advertisingRouter == ip("3.3.3.3"))
    #expect(lsa.options == [])
    #expect(lsa.networkBody == NetworkLSA(networkMask: ip(slash24),
                                          attachedRouters: [ip("3.3.3.3"), ip("1.1.1.1"), ip("2.2.2.2")]))
}

@Test func noNetworkLSAWithoutAFullNeighborOrWhenNotDR() {
    let alone = OriginationInput(routerID: ip("3.3.3.3"), areas: [OriginationArea(id: .backbone, interfaces: [
        originating(1, state: .dr, "10.0.0.3", slash24, dr: "10.0.0.3"),
        originating(2, state: .backup, "10.0.1.3", slash24, dr: "10.0.1.1", full: [fullNeighbor("1.1.1.1", at: "10.0.1.1")]),
        originating(3, .pointToPoint, state: .pointToPoint, "10.0.2.1", slash30, full: [fullNeighbor("1.1.1.1", at: "10.0.2.2")]),
    ])])
    #expect(LSAOrigination.networkLSAs(area: .backbone, alone).isEmpty)
}
