import Engine
import Testing
import Wire
@testable import Protocols

// RFC 2328 §13.3 (where an LSA is flooded) and §13.5 (how it is acknowledged). On interface 0 (10.0.0.0/24,
// broadcast) peer 2 is DR or a DROther as the test says, peer 3 the BDR, peer 4 a DROther; interface 1 is a
// point-to-point link to peer 5 (10.1.0.5).

private let lsa9 = routerLSA(9)
private let scope0 = FloodingScope.area(.backbone)

private func router(_ state: InterfaceState, dr: IPv4Address? = nil, bdr: IPv4Address = peerAddress(3),
                    neighbors: [OSPFNeighbor] = [peer(2), peer(3), peer(4)],
                    second: OSPFInterface? = nil) -> OSPFFlooding {
    OSPFFlooding(routerID: me, interfaces: [floodingInterface(state: state, dr: dr, bdr: bdr, neighbors: neighbors)]
                 + (second.map { [$0] } ?? []))
}

private let pointToPoint = floodingInterface("Se0/0", type: .pointToPoint, state: .pointToPoint,
                                             address: IPv4Address(10, 1, 0, 1), neighbors: [peer(5, net: 1)])

private func originate(_ lsa: LSA, into f: inout OSPFFlooding, scope: FloodingScope = scope0) -> [FloodingAction] {
    var actions: [FloodingAction] = []
    f.originate(lsa, in: scope, now: now, actions: &actions)
    return actions.withoutDebug
}

// MARK: - §13.3 (5), destinations

@Test func aDROtherFloodsToAllDRouters() {
    var f = router(.drOther, dr: peerAddress(2))
    #expect(originate(lsa9, into: &f).updates == [.sendUpdate([aged(lsa9)], interface: if0,
                                                              destination: OSPFPacket.allDRouters)])
    #expect(f.retransmissionList(2) == [key(lsa9)] && f.retransmissionList(3) == [key(lsa9)])
}

@Test func theDRFloodsToAllSPFRouters() {
    var f = router(.dr)
    #expect(originate(lsa9, into: &f).updates == [.sendUpdate([aged(lsa9)], interface: if0,
                                                              destination: OSPFPacket.allSPFRouters)])
}

@Test func aPointToPointLinkFloodsToAllSPFRouters() {
    var f = OSPFFlooding(routerID: me, interfaces: [pointToPoint])
    #expect(originate(lsa9, into: &f).updates == [.sendUpdate([aged(lsa9)], interface: if0,
                                                              destination: OSPFPacket.allSPFRouters)])
}

@Test func anNBMANetworkFloodsToEachNeighborSeparately() {
    var f = OSPFFlooding(routerID: me, interfaces: [floodingInterface(type: .nbma, neighbors: [peer(2), peer(3)])])
    #expect(originate(lsa9, into: &f).updates == [
        .sendUpdate([aged(lsa9)], interface: if0, destination: peerAddress(2)),
        .sendUpdate([aged(lsa9)], interface: if0, destination: peerAddress(3)),
    ])
}

// §13.3 last paragraph: the age grows by InfTransDelay on the way out, and stops at MaxAge.
@Test func theSentAgeIncludesTimeHeldAndInfTransDelay() {
    var f = router(.dr)
    f.preinstall(routerLSA(9, age: 100), at: now - .seconds(20))
    // Held 20 s since installation at age 100, plus one InfTransDelay.
    f.interfaces[0].neighbors[0].linkStateRetransmissionList = [routerLSA(9, age: 100).header]
    var actions: [FloodingAction] = []
    f.retransmitTimerFired(interface: if0, neighborID: peerID(2), now: now, actions: &actions)
    #expect(actions.updates == [.sendUpdate([routerLSA(9, age: 121)], interface: if0, destination: peerAddress(2))])
}

@Test func aMaxAgeLSAIsSentAtMaxAge() {
    var f = router(.dr)
    let flushed = routerLSA(9, age: LSAHeader.maxAge)
    #expect(originate(flushed, into: &f).updates == [.sendUpdate([flushed], interface: if0,
                                                                 destination: OSPFPacket.allSPFRouters)])
}

// MARK: - §13.3 (1), neighbors

@Test func neighborsBelowExchangeAreSkipped() {
    var f = router(.dr, neighbors: [peer(2, .twoWay), peer(3, .exStart)])
    let actions = originate(lsa9, into: &f)
    #expect(actions.updates.isEmpty)
    #expect(f.retransmissionList(2).isEmpty && f.retransmissionList(3).isEmpty)
}

@Test func neighborsInExchangeAreFloodedTo() {
    var f = router(.dr, neighbors: [peer(2, .exchange)])
    #expect(originate(lsa9, into: &f).updates.count == 1)
    #expect(f.retransmissionList(2) == [key(lsa9)])
}

// (1)(b): the LSA a loading neighbor owed us satisfies its request; the last one ends Loading.
@Test func theLastRequestedLSAEndsLoading() {
    var f = router(.dr, neighbors: [peer(2), peer(3, .loading, requests: [LSARequest(key(lsa9))])])
    let actions = f.receive([lsa9], from: 3)
    #expect(f.neighbor(3).linkStateRequestList.isEmpty)
    #expect(f.neighbor(3).state == .full)
    #expect(actions.contains(.interface(if0, .neighbor(peerID(3), .stopLSRRetransmitTimer))))
    #expect(actions.contains(.interface(if0, .neighbor(peerID(3), .originateRouterLSA))))
}

@Test func aRequestOfAnotherNeighborIsSatisfiedAndTheLSASentToIt() {
    var f = router(.dr, neighbors: [peer(2), peer(3, .loading, requests: [LSARequest(key(lsa9)),
                                                                           LSARequest(key(routerLSA(8)))])])
    _ = f.receive([lsa9], from: 2)
    #expect(f.neighbor(3).linkStateRequestList == [LSARequest(key(routerLSA(8)))])
    #expect(f.retransmissionList(3) == [key(lsa9)])
}

// MARK: - §13.3 (3)–(4), the receiving interface

@Test func anLSAFromTheDRIsNotFloodedBackOutTheReceivingInterface() {
    var f = router(.drOther, dr: peerAddress(2), second: pointToPoint)
    let actions = f.receive([lsa9], from: 2)
    #expect(actions.updates == [.sendUpdate([aged(lsa9)], interface: if1, destination: OSPFPacket.allSPFRouters)])
    // It still goes on the other neighbors' lists (the BDR's here), in case the DR fails.
    #expect(f.retransmissionList(3) == [key(lsa9)])
    #expect(f.retransmissionList(5, on: if1) == [key(lsa9)])
}

@Test func anLSAFromTheBDRIsNotFloodedBackByTheDR() {
    var f = router(.dr)
    let actions = f.receive([lsa9], from: 3)
    #expect(actions.updates.isEmpty)
    #expect(f.pendingDelayedAcks[if0] == [lsa9.header])
}

@Test func theBackupDoesNotFloodBackOutTheReceivingInterface() {
    var f = router(.backup, dr: peerAddress(2), bdr: myAddress, second: pointToPoint)
    let actions = f.receive([lsa9], from: 4)
    #expect(actions.updates == [.sendUpdate([aged(lsa9)], interface: if1, destination: OSPFPacket.allSPFRouters)])
    #expect(f.retransmissionList(2) == [key(lsa9)] && f.retransmissionList(3) == [key(lsa9)])
    #expect(f.pendingDelayedAcks[if0] == nil)
}

// MARK: - §13.3, scope

@Test func anAreaLSAStaysInItsArea() {
    var other = pointToPoint
    other.areaID = AreaID(rawValue: 1)
    var f = router(.dr, second: other)
    let actions = f.receive([lsa9], from: 2)
    #expect(actions.updates.allSatisfy { if case .sendUpdate(_, if0, _) = $0 { true } else { false } })
    #expect(f.retransmissionList(5, on: if1).isEmpty)
    #expect(f.database(.area(AreaID(rawValue: 1))).isEmpty)
}

@Test func anASExternalLSAFloodsIntoEveryNonStubArea() {
    var normal = pointToPoint
    normal.areaID = AreaID(rawValue: 1)
    var stub = floodingInterface("Se0/1", type: .pointToPoint, state: .pointToPoint, address: IPv4Address(10, 2, 0, 1),
                                 area: AreaID(rawValue: 2), neighbors: [peer(6, net: 2)], externalRoutingCapable: false)
    var virtual = floodingInterface("VL0", type: .virtualLink, state: .pointToPoint, address: IPv4Address(10, 3, 0, 1),
                                    neighbors: [peer(7, net: 3)])
    stub.name = "Se0/1"
    virtual.name = "VL0"
    var f = OSPFFlooding(routerID: me, interfaces: [floodingInterface(neighbors: [peer(2), peer(3)]), normal, stub,
                                                    virtual])
    let external = externalLSA(9)
    let actions = f.receive([external], from: 2)
    #expect(actions.updates == [
        .sendUpdate([aged(external)], interface: if0, destination: OSPFPacket.allSPFRouters),
        .sendUpdate([aged(external)], interface: if1, destination: OSPFPacket.allSPFRouters),
    ])
}

// MARK: - §13.5, the acknowledgement table

enum AckSituation: String, Sendable, CaseIterable {
    case newerFlooded, newer, duplicateImplied, duplicate, maxAgeUnknown
}

enum ExpectedAck: String, Sendable { case none, delayed, direct }

/// One row of RFC 2328 §13.5's table: our interface state, whether the DR sent the LSA, the situation.
struct AckRow: Sendable, CustomTestStringConvertible {
    var ours: InterfaceState
    var fromDR: Bool
    var situation: AckSituation
    var expected: ExpectedAck
    var testDescription: String { "\(ours) \(fromDR ? "from DR" : "not from DR") \(situation) → \(expected)" }
}

@Test(arguments: [
    AckRow(ours: .dr, fromDR: false, situation: .newerFlooded, expected: .none),
    AckRow(ours: .backup, fromDR: true, situation: .newer, expected: .delayed),
    AckRow(ours: .backup, fromDR: false, situation: .newer, expected: .none),
    AckRow(ours: .drOther, fromDR: true, situation: .newer, expected: .delayed),
    AckRow(ours: .backup, fromDR: true, situation: .duplicateImplied, expected: .delayed),
    AckRow(ours: .backup, fromDR: false, situation: .duplicateImplied, expected: .none),
    AckRow(ours: .dr, fromDR: false, situation: .duplicateImplied, expected: .none),
    AckRow(ours: .drOther, fromDR: true, situation: .duplicateImplied, expected: .none),
    AckRow(ours: .backup, fromDR: true, situation: .duplicate, expected: .direct),
    AckRow(ours: .drOther, fromDR: true, situation: .duplicate, expected: .direct),
    AckRow(ours: .dr, fromDR: false, situation: .maxAgeUnknown, expected: .direct),
    AckRow(ours: .drOther, fromDR: true, situation: .maxAgeUnknown, expected: .direct),
])
func acknowledgementsFollowTheTableOfSection13_5(row: AckRow) {
    // Peer 2 sends; it is DR when the row says so, otherwise peer 4 (or we) are.
    let dr = row.ours == .dr ? myAddress : row.fromDR ? peerAddress(2) : peerAddress(4)
    let bdr = row.ours == .backup ? myAddress : peerAddress(3)
    var f = router(row.ours, dr: dr, bdr: bdr)
    var lsa = lsa9
    switch row.situation {
    case .newerFlooded, .newer:
        break
    case .duplicateImplied:
        f.preinstall(lsa9)
        f.interfaces[0].neighbors[0].linkStateRetransmissionList = [lsa9.header]
    case .duplicate:
        f.preinstall(lsa9)
    case .maxAgeUnknown:
        lsa.age = LSAHeader.maxAge
    }
    let actions = f.receive([lsa], from: 2)
    if row.situation == .newerFlooded {
        #expect(actions.updates.contains(.sendUpdate([aged(lsa)], interface: if0,
                                                     destination: OSPFPacket.allSPFRouters)))
    }
    let delayed = !(f.pendingDelayedAcks[if0] ?? []).isEmpty
    let direct = actions.acks == [.sendAcknowledgment([lsa.header], interface: if0, destination: peerAddress(2))]
    switch row.expected {
    case .none: #expect(!delayed && actions.acks.isEmpty)
    case .delayed: #expect(delayed && actions.acks.isEmpty)
    case .direct: #expect(!delayed && direct)
    }
}

// MARK: - §13.5, sending delayed acknowledgements

private func delayedAcks(_ f: inout OSPFFlooding, _ headers: [LSAHeader]) -> [FloodingAction] {
    var actions: [FloodingAction] = []
    for header in headers { f.queueDelayedAck(header, on: if0, now: now, actions: &actions) }
    #expect(actions == [.startDelayedAckTimer(interface: if0, at: now + .seconds(1))])
    actions = []
    f.delayedAckTimerFired(interface: if0, now: now + .seconds(1), actions: &actions)
    return actions
}

@Test func delayedAcksAreBatchedToAllSPFRoutersByTheDR() {
    var f = router(.dr)
    let headers = [lsa9.header, routerLSA(8).header]
    #expect(delayedAcks(&f, headers) == [.sendAcknowledgment(headers, interface: if0,
                                                             destination: OSPFPacket.allSPFRouters)])
    #expect(f.pendingDelayedAcks[if0] == nil)
}

@Test func delayedAcksGoToAllDRoutersFromADROther() {
    var f = router(.drOther, dr: peerAddress(2))
    #expect(delayedAcks(&f, [lsa9.header]) == [.sendAcknowledgment([lsa9.header], interface: if0,
                                                                   destination: OSPFPacket.allDRouters)])
}

@Test func delayedAcksGoToEachAdjacentNeighborOnNBMA() {
    var f = OSPFFlooding(routerID: me,
                         interfaces: [floodingInterface(type: .nbma, neighbors: [peer(2), peer(3, .twoWay)])])
    #expect(delayedAcks(&f, [lsa9.header]) == [.sendAcknowledgment([lsa9.header], interface: if0,
                                                                   destination: peerAddress(2))])
}

@Test func delayedAcksAreSplitToFitTheMTU() {
    // 200 - 20 (IP) - 24 (OSPF) leaves room for 7 headers of 20 bytes.
    var f = OSPFFlooding(routerID: me, interfaces: [floodingInterface(neighbors: [peer(2)], mtu: 200)])
    let headers = (1...9).map { routerLSA(UInt8($0)).header }
    #expect(delayedAcks(&f, headers) == [
        .sendAcknowledgment(Array(headers[0..<7]), interface: if0, destination: OSPFPacket.allSPFRouters),
        .sendAcknowledgment(Array(headers[7...]), interface: if0, destination: OSPFPacket.allSPFRouters),
    ])
}

// MARK: - debug ip ospf flood

@Test func floodDebugLinesAppearOnlyWhenTurnedOn() {
    var f = router(.dr)
    var actions: [FloodingAction] = []
    f.originate(lsa9, in: scope0, now: now, actions: &actions)
    #expect(actions == actions.withoutDebug)
    f.interfaces[0].debugging = .flood
    actions = []
    f.originate(routerLSA(8), in: scope0, now: now, actions: &actions)
    let lines = actions.compactMap { if case let .debug(line) = $0 { line.formatted(processID: 1) } else { nil } }
    #expect(lines == ["OSPF: Send Type 1, LSID 8.8.8.8, Adv rtr 8.8.8.8, age 2, seq 0x80000001"])
}
