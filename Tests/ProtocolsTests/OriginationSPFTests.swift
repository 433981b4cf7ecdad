import Engine
import Testing
import Wire
@testable import Protocols

// LSAs built by origination, fed to the routing table calculation: RFC 2328 §12.4 meets §16.
//
//            area 1                             backbone
//   R1 1.1.1.1 ----p2p, cost 10---- R2 2.2.2.2 (ABR) ----LAN, cost 1---- R3 3.3.3.3 (ASBR, DR)
//   lo 1.1.1.1   10.1.12.1/30   10.1.12.2/30   10.0.23.2       10.0.23.0/24       10.0.23.3
//                                                                       redistributes 172.16.0.0/16
// With area 1 an NSSA, R1 redistributes 192.168.1.0/24 as a type 7 that R2 translates.

private let slash30 = "255.255.255.252"
private let slash24 = "255.255.255.0"
private let area1 = originationArea1

private struct TwoAreaNetwork {
    var r1: OSPFRoutingTable
    var r2: OSPFRoutingTable
    var r3: OSPFRoutingTable
    var externals: LSDB
    /// R2's LSAs, from `LSAOrigination.originate`, and its inputs.
    var r2Originated: OriginatedLSAs
    var area1: LSDB
}

private func twoAreaNetwork(area1Kind kind: OriginationAreaKind) -> TwoAreaNetwork {
    let isNSSA = kind.areaType == .nssa
    let r1 = OriginationInput(routerID: ip("1.1.1.1"), areas: [OriginationArea(id: area1, kind: kind, interfaces: [
        loopback(1, "1.1.1.1"),
        originating(2, .pointToPoint, state: .pointToPoint, cost: 10, "10.1.12.1", slash30,
                    full: [fullNeighbor("2.2.2.2", at: "10.1.12.2")]),
    ])], redistributed: isNSSA ? [RedistributedRoute(prefix: prefix("192.168.1.0/24"))] : [])
    var r2 = OriginationInput(routerID: ip("2.2.2.2"), areas: [
        OriginationArea(id: .backbone, interfaces: [
            originating(1, state: .backup, cost: 1, "10.0.23.2", slash24, dr: "10.0.23.3",
                        full: [fullNeighbor("3.3.3.3", at: "10.0.23.3")]),
        ]),
        OriginationArea(id: area1, kind: kind, interfaces: [
            originating(2, .pointToPoint, state: .pointToPoint, cost: 10, "10.1.12.2", slash30,
                        full: [fullNeighbor("1.1.1.1", at: "10.1.12.1")]),
        ]),
    ])
    r2.isTranslatingType7 = LSAOrigination.isNSSATranslator(area: area1, r2, otherBorderRouters: [])
    let r3 = OriginationInput(routerID: ip("3.3.3.3"), areas: [OriginationArea(id: .backbone, interfaces: [
        originating(1, state: .dr, cost: 1, "10.0.23.3", slash24, dr: "10.0.23.3",
                    full: [fullNeighbor("2.2.2.2", at: "10.0.23.2")]),
    ])], redistributed: [RedistributedRoute(prefix: prefix("172.16.0.0/16"))])

    func own(_ input: OriginationInput, _ area: AreaID) -> [LSA] {
        [LSAOrigination.routerLSA(area: area, input)].compactMap { $0 } + LSAOrigination.networkLSAs(area: area, input)
            + LSAOrigination.nssaExternalLSAs(area: area, input)
    }
    var backbone = own(r2, .backbone) + own(r3, .backbone)
    var area1LSAs = own(r1, area1) + own(r2, area1)
    var externals = LSAOrigination.asExternalLSAs(r1) + LSAOrigination.asExternalLSAs(r2) + LSAOrigination.asExternalLSAs(r3)

    let r2Interfaces = [interface(1, "10.0.23.2", slash24), interface(2, "10.1.12.2", slash30, area: area1)]
    func r2Table() -> OSPFRoutingTable {
        SPF.calculate(SPFInput(routerID: ip("2.2.2.2"),
                               areas: [SPFArea(id: .backbone, lsdb: lsdb(backbone)),
                                       SPFArea(id: area1, type: kind.areaType, lsdb: lsdb(area1LSAs))],
                               externals: lsdb(externals), interfaces: r2Interfaces))
    }
    // The ABR's summaries come from its own routing table (RFC 2328 §12.4.3, after §16).
    let abrTable = r2Table()
    backbone += LSAOrigination.summaryLSAs(area: .backbone, r2, routingTable: abrTable)
    area1LSAs += LSAOrigination.summaryLSAs(area: area1, r2, routingTable: abrTable)
    if r2.isTranslatingType7 {
        externals += LSAOrigination.translatedExternalLSAs(nssa: lsdb(area1LSAs), translator: ip("2.2.2.2"), now: .zero)
    }

    let r1Table = SPF.calculate(SPFInput(
        routerID: ip("1.1.1.1"), areas: [SPFArea(id: area1, type: kind.areaType, lsdb: lsdb(area1LSAs))],
        externals: kind.carriesASExternals ? lsdb(externals) : LSDB(),
        interfaces: [interface(1, "1.1.1.1", "255.255.255.255", area: area1), interface(2, "10.1.12.1", slash30, area: area1)]))
    let r3Table = SPF.calculate(SPFInput(
        routerID: ip("3.3.3.3"), areas: [SPFArea(id: .backbone, lsdb: lsdb(backbone))], externals: lsdb(externals),
        interfaces: [interface(1, "10.0.23.3", slash24)]))
    var r2Untold = r2
    r2Untold.isTranslatingType7 = false
    let r2Originated = LSAOrigination.originate(r2Untold, routingTable: abrTable, nssaDatabases: [area1: lsdb(area1LSAs)],
                                                now: .zero)
    return TwoAreaNetwork(r1: r1Table, r2: r2Table(), r3: r3Table, externals: lsdb(externals),
                          r2Originated: r2Originated, area1: lsdb(area1LSAs))
}

private func route(_ table: OSPFRoutingTable, _ destination: String) -> String? {
    table[prefix(destination)]?.description
}

@Test func aNormalArea1LearnsTheBackboneAndTheExternalThroughTheABR() {
    let network = twoAreaNetwork(area1Kind: .normal)
    #expect(route(network.r1, "10.0.23.0/24") == "O IA 10.0.23.0/24 [11] via 10.1.12.2, if2")
    #expect(route(network.r1, "172.16.0.0/16") == "E2 172.16.0.0/16 [20] via 10.1.12.2, if2")
    #expect(network.r1[prefix("172.16.0.0/16")]?.cost == 11)
    #expect(route(network.r1, "0.0.0.0/0") == nil)
    #expect(network.r1.borderRouter(ip("3.3.3.3")).first?.pathType == .interArea)

    #expect(route(network.r3, "10.1.12.0/30") == "O IA 10.1.12.0/30 [11] via 10.0.23.2, if1")
    #expect(route(network.r3, "1.1.1.1/32") == "O IA 1.1.1.1/32 [12] via 10.0.23.2, if1")

    #expect(route(network.r2, "1.1.1.1/32") == "O 1.1.1.1/32 [11] via 10.1.12.1, if2")
    #expect(route(network.r2, "10.0.23.0/24") == "O 10.0.23.0/24 [1] directly connected, if1")
    #expect(route(network.r2, "172.16.0.0/16") == "E2 172.16.0.0/16 [20] via 10.0.23.3, if1")
}

@Test func aStubArea1GetsTheDefaultSummaryInsteadOfExternals() {
    let network = twoAreaNetwork(area1Kind: .stub())
    #expect(route(network.r1, "0.0.0.0/0") == "O IA 0.0.0.0/0 [11] via 10.1.12.2, if2")
    #expect(route(network.r1, "10.0.23.0/24") == "O IA 10.0.23.0/24 [11] via 10.1.12.2, if2")
    #expect(route(network.r1, "172.16.0.0/16") == nil)
    #expect(route(network.r3, "1.1.1.1/32") == "O IA 1.1.1.1/32 [12] via 10.0.23.2, if1")
}

@Test func aTotallyStubbyArea1GetsOnlyTheDefault() {
    let network = twoAreaNetwork(area1Kind: .stub(noSummary: true))
    #expect(network.r1.routes.map(\.destination.description)
        == ["0.0.0.0/0", "1.1.1.1/32", "10.1.12.0/30"])
    #expect(route(network.r1, "0.0.0.0/0") == "O IA 0.0.0.0/0 [11] via 10.1.12.2, if2")
}

@Test func anNSSAsType7IsTranslatedForTheBackbone() {
    let network = twoAreaNetwork(area1Kind: .nssa())
    // Inside the NSSA: the backbone as inter-area routes, no type 5, no default.
    #expect(route(network.r1, "10.0.23.0/24") == "O IA 10.0.23.0/24 [11] via 10.1.12.2, if2")
    #expect(route(network.r1, "172.16.0.0/16") == nil && route(network.r1, "0.0.0.0/0") == nil)
    // The ABR sees the type 7 as N2; the backbone sees R2's translation as E2 towards R1's loopback.
    #expect(route(network.r2, "192.168.1.0/24") == "N2 192.168.1.0/24 [20] via 10.1.12.1, if2")
    let translated = network.externals.sortedEntries(ofType: .asExternal).map(\.lsa)
        .first { $0.linkStateID == ip("192.168.1.0") }
    #expect(translated?.advertisingRouter == ip("2.2.2.2"))
    #expect(translated?.externalBody?.forwardingAddress == ip("1.1.1.1"))
    #expect(route(network.r3, "192.168.1.0/24") == "E2 192.168.1.0/24 [20] via 10.0.23.2, if1")
    #expect(network.r3[prefix("192.168.1.0/24")]?.cost == 12)
}

@Test func anNSSAABRWithDefaultInformationOriginateGivesAnN2DefaultThatIsNotTranslated() {
    let network = twoAreaNetwork(area1Kind: .nssa(defaultInformationOriginate: true))
    #expect(route(network.r1, "0.0.0.0/0") == "N2 0.0.0.0/0 [1] via 10.1.12.2, if2")
    #expect(route(network.r3, "0.0.0.0/0") == nil)
    #expect(route(network.r3, "192.168.1.0/24") == "E2 192.168.1.0/24 [20] via 10.0.23.2, if1")
}

@Test func aTotallyNSSAGetsTheType3DefaultAndStillTranslates() {
    let network = twoAreaNetwork(area1Kind: .nssa(noSummary: true))
    #expect(route(network.r1, "0.0.0.0/0") == "O IA 0.0.0.0/0 [11] via 10.1.12.2, if2")
    #expect(route(network.r1, "10.0.23.0/24") == nil)
    #expect(route(network.r3, "192.168.1.0/24") == "E2 192.168.1.0/24 [20] via 10.0.23.2, if1")
}

@Test(arguments: [OriginationAreaKind.normal, .stub(), .nssa(), .nssa(noSummary: true, defaultInformationOriginate: true)])
func originateGathersWhatTheSeparateFunctionsGive(kind: OriginationAreaKind) {
    let network = twoAreaNetwork(area1Kind: kind)
    let mine = network.area1.sortedEntries.map(\.lsa).filter { $0.advertisingRouter == ip("2.2.2.2") }
    #expect(network.r2Originated.areas[area1] == mine)
    let translated = network.externals.sortedEntries.map(\.lsa).filter { $0.advertisingRouter == ip("2.2.2.2") }
    #expect(network.r2Originated.asExternal == translated)
    #expect(network.r2Originated.areas[.backbone]?.first?.routerBody?.flags == (kind.areaType == .nssa ? [.b, .e] : .b))
}
