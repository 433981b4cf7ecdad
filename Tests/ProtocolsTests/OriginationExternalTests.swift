import Engine
import Testing
import Wire
@testable import Protocols

private let slash24 = "255.255.255.0"
private let area1 = originationArea1
private let redistributed = [RedistributedRoute(prefix: prefix("172.16.0.0/16")),
                             RedistributedRoute(prefix: prefix("192.168.1.0/24"), metric: 50, isType2: false, tag: 7)]

private func router(_ id: String, areas: [OriginationArea], redistributes: Bool = true,
                    defaultRoute: Bool = false) -> OriginationInput {
    OriginationInput(routerID: ip(id), areas: areas, redistributed: redistributes ? redistributed : [],
                     defaultInformationOriginate: defaultRoute ? RedistributedRoute(prefix: prefix("0.0.0.0/0"), metric: 1) : nil)
}

private let backbone = OriginationArea(id: .backbone, interfaces: [originating(1, state: .dr, "10.0.0.2", slash24)])
private func nssa(_ kind: OriginationAreaKind = .nssa(), loopbackAddress: String? = "7.7.7.7") -> OriginationArea {
    OriginationArea(id: area1, kind: kind, interfaces: [
        originating(2, state: .dr, "10.1.1.2", slash24),
        originating(3, state: .drOther, "10.1.9.2", slash24),
        originating(4, state: .down, "10.1.250.2", slash24),
    ] + (loopbackAddress.map { [loopback(5, $0)] } ?? []))
}

// MARK: - RFC 2328 §12.4.4, type 5

@Test func anASBRRedistributesEachRouteAsAType5() throws {
    let lsas = LSAOrigination.asExternalLSAs(router("3.3.3.3", areas: [backbone]))
    #expect(lsas.map(\.linkStateID) == [ip("172.16.0.0"), ip("192.168.1.0")])
    #expect(lsas.allSatisfy { $0.type == .asExternal && $0.options == .e && $0.advertisingRouter == ip("3.3.3.3") })
    // IOS defaults: metric 20, metric type 2, tag 0, forwarding address 0.0.0.0.
    #expect(lsas[0].externalBody == ExternalLSA(networkMask: ip("255.255.0.0"), isType2: true, metric: 20))
    #expect(lsas[1].externalBody == ExternalLSA(networkMask: ip(slash24), isType2: false, metric: 50, routeTag: 7))
}

@Test func defaultInformationOriginateAddsAType5Default() {
    let lsas = LSAOrigination.asExternalLSAs(router("3.3.3.3", areas: [backbone], redistributes: false, defaultRoute: true))
    #expect(lsas.map(\.linkStateID) == [.any])
    #expect(lsas.first?.externalBody == ExternalLSA(networkMask: .any, isType2: true, metric: 1))
}

@Test(arguments: [OriginationAreaKind.stub(), .stub(noSummary: true), .nssa(), .nssa(noSummary: true)])
func noType5FromARouterOnlyInStubAreasOrNSSAs(kind: OriginationAreaKind) {
    let input = router("3.3.3.3", areas: [OriginationArea(id: area1, kind: kind,
                                                          interfaces: [originating(2, state: .dr, "10.1.1.3", slash24)])])
    #expect(LSAOrigination.asExternalLSAs(input).isEmpty)
}

@Test func aNonASBROriginatesNoExternals() {
    #expect(LSAOrigination.asExternalLSAs(router("3.3.3.3", areas: [backbone], redistributes: false)).isEmpty)
}

// MARK: - RFC 3101 §2.3, type 7

@Test func anASBRInsideAnNSSAOriginatesType7WithPAndALoopbackForwardingAddress() {
    let lsas = LSAOrigination.nssaExternalLSAs(area: area1, router("4.4.4.4", areas: [nssa()]))
    #expect(lsas.map(\.linkStateID) == [ip("172.16.0.0"), ip("192.168.1.0")])
    #expect(lsas.allSatisfy { $0.type == .nssaExternal && $0.options == .np && $0.advertisingRouter == ip("4.4.4.4") })
    #expect(lsas[0].externalBody == ExternalLSA(networkMask: ip("255.255.0.0"), isType2: true, metric: 20,
                                                forwardingAddress: ip("7.7.7.7")))
    #expect(lsas[1].externalBody?.routeTag == 7)
    // None of them is a type 5: the NSSA carries none.
    #expect(LSAOrigination.asExternalLSAs(router("4.4.4.4", areas: [nssa()])).isEmpty)
}

@Test func withoutALoopbackTheForwardingAddressIsTheHighestInterfaceUp() {
    let lsas = LSAOrigination.nssaExternalLSAs(area: area1, router("4.4.4.4", areas: [nssa(loopbackAddress: nil)]))
    // 10.1.250.2 is Down, so 10.1.9.2.
    #expect(lsas.first?.externalBody?.forwardingAddress == ip("10.1.9.2"))
}

@Test func anNSSAABRThatRedistributesClearsPAndAlsoOriginatesTheType5() {
    let input = router("2.2.2.2", areas: [backbone, nssa()])
    let type7 = LSAOrigination.nssaExternalLSAs(area: area1, input)
    #expect(type7.count == 2 && type7.allSatisfy { $0.options == [] })
    #expect(LSAOrigination.asExternalLSAs(input).count == 2)
    #expect(LSAOrigination.nssaExternalLSAs(area: .backbone, input).isEmpty)
}

@Test func noRedistributionKeepsAnABRsExternalsOutOfTheNSSA() {
    let input = router("2.2.2.2", areas: [backbone, nssa(.nssa(noRedistribution: true))])
    #expect(LSAOrigination.nssaExternalLSAs(area: area1, input).isEmpty)
    #expect(LSAOrigination.asExternalLSAs(input).count == 2)
}

@Test func defaultInformationOriginateOnTheNSSAABRGivesAType7DefaultWithoutP() throws {
    let input = router("2.2.2.2", areas: [backbone, nssa(.nssa(defaultInformationOriginate: true))], redistributes: false)
    let lsas = LSAOrigination.nssaExternalLSAs(area: area1, input)
    let lsa = try #require(lsas.first)
    #expect(lsas.count == 1)
    #expect(lsa.type == .nssaExternal && lsa.linkStateID == .any && lsa.options == [])
    #expect(lsa.externalBody == ExternalLSA(networkMask: .any, isType2: true, metric: 1, forwardingAddress: .any))
    // On a router inside the NSSA it needs a default route in the RIB.
    var inside = router("4.4.4.4", areas: [nssa(.nssa(defaultInformationOriginate: true))], redistributes: false)
    #expect(LSAOrigination.nssaExternalLSAs(area: area1, inside).isEmpty)
    inside.hasDefaultRoute = true
    let internalDefault = LSAOrigination.nssaExternalLSAs(area: area1, inside)
    #expect(internalDefault.map(\.linkStateID) == [.any])
    #expect(internalDefault.first?.options == .np && internalDefault.first?.externalBody?.forwardingAddress == ip("7.7.7.7"))
}

@Test func theRouterLevelDefaultInformationOriginateGivesNoType7() {
    let input = router("4.4.4.4", areas: [nssa()], redistributes: false, defaultRoute: true)
    #expect(LSAOrigination.nssaExternalLSAs(area: area1, input).isEmpty)
}

// MARK: - RFC 3101 §3.1, translator election

@Test(arguments: [
    ([("1.1.1.1", false), ("9.9.9.9", false), ("5.5.5.5", false)], ["9.9.9.9"]),
    ([("1.1.1.1", true), ("9.9.9.9", false)], ["1.1.1.1"]),
    ([("1.1.1.1", true), ("9.9.9.9", false), ("3.3.3.3", true)], ["1.1.1.1", "3.3.3.3"]),
    ([], []),
])
func theNSSATranslatorIsTheHighestRouterIDUnlessSomeSetNt(candidates: [(String, Bool)], expected: [String]) {
    let routers = candidates.map { NSSABorderRouter(routerID: ip($0.0), alwaysTranslates: $0.1) }
    #expect(LSAOrigination.nssaTranslators(routers) == expected.map(ip))
}

@Test func thisABRTranslatesWhenElected() {
    let input = router("2.2.2.2", areas: [backbone, nssa()])
    #expect(LSAOrigination.isNSSATranslator(area: area1, input, otherBorderRouters: [NSSABorderRouter(routerID: ip("1.1.1.1"))]))
    #expect(!LSAOrigination.isNSSATranslator(area: area1, input, otherBorderRouters: [NSSABorderRouter(routerID: ip("3.3.3.3"))]))
    #expect(!LSAOrigination.isNSSATranslator(area: .backbone, input, otherBorderRouters: []))
    #expect(!LSAOrigination.isNSSATranslator(area: area1, router("4.4.4.4", areas: [nssa()]), otherBorderRouters: []))
}

// MARK: - RFC 3101 §3.2, translation

@Test func type7LSAsWithPAreTranslatedIntoType5ByTheTranslator() {
    let db = lsdb([
        nssaExternalLSA("172.16.0.0", mask: "255.255.0.0", by: "4.4.4.4", type2: true, metric: 20,
                        forwardingAddress: "7.7.7.7"),
        nssaExternalLSA("172.17.0.0", mask: "255.255.0.0", by: "4.4.4.4", type2: true, metric: 20,
                        forwardingAddress: "7.7.7.7", propagate: false),
        // Two type-7s for one prefix: the type 1 wins.
        nssaExternalLSA("192.168.1.0", mask: slash24, by: "4.4.4.4", type2: true, metric: 5, forwardingAddress: "7.7.7.7"),
        nssaExternalLSA("192.168.1.0", mask: slash24, by: "8.8.8.8", type2: false, metric: 50,
                        forwardingAddress: "10.1.1.8"),
        // A forwarding address of zero cannot be translated (RFC 3101 §2.3).
        nssaExternalLSA("192.168.2.0", mask: slash24, by: "4.4.4.4", type2: true, metric: 20, forwardingAddress: "0.0.0.0"),
    ])
    let lsas = LSAOrigination.translatedExternalLSAs(nssa: db, translator: ip("2.2.2.2"), now: .zero)
    #expect(lsas.map(\.linkStateID) == [ip("172.16.0.0"), ip("192.168.1.0")])
    #expect(lsas.allSatisfy { $0.type == .asExternal && $0.options == .e && $0.advertisingRouter == ip("2.2.2.2") })
    #expect(lsas[0].externalBody == ExternalLSA(networkMask: ip("255.255.0.0"), isType2: true, metric: 20,
                                                forwardingAddress: ip("7.7.7.7")))
    #expect(lsas[1].externalBody == ExternalLSA(networkMask: ip(slash24), isType2: false, metric: 50,
                                                forwardingAddress: ip("10.1.1.8")))
}

@Test func aMaxAgeType7IsNotTranslated() {
    var db = LSDB()
    db.replace(LSAInstance(nssaExternalLSA("172.16.0.0", mask: "255.255.0.0", by: "4.4.4.4", type2: true, metric: 20,
                                           forwardingAddress: "7.7.7.7")), age: LSAHeader.maxAge, now: .zero)
    #expect(LSAOrigination.translatedExternalLSAs(nssa: db, translator: ip("2.2.2.2"), now: .zero).isEmpty)
}

// MARK: - RFC 2328 §12.1.6, §12.4, instances

@Test func aNewLSAStartsAtInitialSequenceNumber() {
    let lsa = routerLSA("1.1.1.1", sequence: 42, [stub("10.0.0.0", mask: slash24, metric: 1)])
    #expect(LSAOrigination.nextInstance(of: lsa, previous: nil)?.sequenceNumber == LSAHeader.initialSequenceNumber)
}

@Test func anUnchangedLSANeedsNoNewInstance() {
    let current = routerLSA("1.1.1.1", sequence: LSAHeader.initialSequenceNumber + 4, [stub("10.0.0.0", mask: slash24, metric: 1)])
    let rebuilt = routerLSA("1.1.1.1", [stub("10.0.0.0", mask: slash24, metric: 1)])
    #expect(LSAOrigination.nextInstance(of: rebuilt, previous: current) == nil)
    #expect(LSAOrigination.reoriginate(rebuilt, previous: current) == .unchanged)
}

@Test func aChangedLSATakesTheNextSequenceNumber() {
    let current = routerLSA("1.1.1.1", sequence: LSAHeader.initialSequenceNumber + 4, [stub("10.0.0.0", mask: slash24, metric: 1)])
    let rebuilt = routerLSA("1.1.1.1", [stub("10.0.0.0", mask: slash24, metric: 10)])
    let next = LSAOrigination.nextInstance(of: rebuilt, previous: current)
    #expect(next?.sequenceNumber == LSAHeader.initialSequenceNumber + 5)
    #expect(next?.body == rebuilt.body && next?.age == 0)
}

@Test func atMaxSequenceNumberTheLSAIsFlushedBeforeStartingOver() {
    let current = routerLSA("1.1.1.1", sequence: LSAHeader.maxSequenceNumber, [stub("10.0.0.0", mask: slash24, metric: 1)])
    let rebuilt = routerLSA("1.1.1.1", [stub("10.0.0.0", mask: slash24, metric: 10)])
    guard case let .flushThenOriginate(maxAged, then) = LSAOrigination.reoriginate(rebuilt, previous: current) else {
        Issue.record("expected a flush first")
        return
    }
    #expect(maxAged.age == LSAHeader.maxAge && maxAged.sequenceNumber == LSAHeader.maxSequenceNumber)
    #expect(then.sequenceNumber == LSAHeader.initialSequenceNumber && then.body == rebuilt.body)
}

@Test func lsasNoLongerOriginatedAreFlushedAtMaxAge() {
    let kept = summaryLSA("10.0.0.0", mask: slash24, by: "2.2.2.2", metric: 1)
    let gone = summaryLSA("10.9.0.0", mask: slash24, by: "2.2.2.2", metric: 1)
    let flushed = LSAOrigination.flushed(previous: [kept, gone], current: [kept])
    #expect(flushed.map(\.linkStateID) == [ip("10.9.0.0")] && flushed.first?.age == LSAHeader.maxAge)
}
