import Engine
import Testing
import Wire
@testable import Protocols

// RFC 2328 §13: receiving an LS Update, one test per step. Unless a test says otherwise we are DR on a
// broadcast network with peers 2 and 3 (both Full DROthers), and peer 2 sends.

private func dr(_ neighbors: [OSPFNeighbor] = [peer(2), peer(3)]) -> OSPFFlooding {
    OSPFFlooding(routerID: me, interfaces: [floodingInterface(state: .dr, bdr: peerAddress(3), neighbors: neighbors)])
}

private let lsa9 = routerLSA(9)
private let scope0 = FloodingScope.area(.backbone)
private let ageingAt3599 = FloodingAction.startAgeingTimer(at: now + .seconds(3599))

@Test func anUpdateFromANeighborBelowExchangeIsDropped() {
    var f = dr([peer(2, .exStart), peer(3)])
    #expect(f.receive([lsa9], from: 2).isEmpty)
    #expect(f.database(scope0).isEmpty)
}

// (2) An unknown LS type is discarded.
@Test func anUnknownLSTypeIsDiscarded() {
    var f = dr()
    let opaque = LSA(options: .e, type: LSAType(rawValue: 10), linkStateID: peerID(9), advertisingRouter: peerID(9),
                     sequenceNumber: LSAHeader.initialSequenceNumber, body: .other([0, 0, 0, 0]))
    #expect(f.receive([opaque], from: 2).isEmpty)
    #expect(f.database(scope0).isEmpty)
}

// (3) AS-external-LSAs are not accepted in a stub area; type-7 LSAs only in an NSSA (RFC 3101).
@Test func anASExternalLSAInAStubAreaIsDiscarded() {
    var f = OSPFFlooding(routerID: me, interfaces: [floodingInterface(area: AreaID(rawValue: 1), neighbors: [peer(2)],
                                                                      externalRoutingCapable: false)])
    #expect(f.receive([externalLSA(9)], from: 2).isEmpty)
    #expect(f.asExternalDatabase.isEmpty)
}

@Test func aType7LSAOutsideAnNSSAIsDiscarded() {
    var f = dr()
    #expect(f.receive([externalLSA(9, type: .nssaExternal)], from: 2).isEmpty)
    #expect(f.database(scope0).isEmpty)
}

@Test func aType7LSAInAnNSSAIsInstalledInTheArea() {
    let nssa = AreaID(rawValue: 7)
    var f = OSPFFlooding(routerID: me, interfaces: [floodingInterface(area: nssa, neighbors: [peer(2)],
                                                                      externalRoutingCapable: false, isNSSA: true)])
    _ = f.receive([externalLSA(9, type: .nssaExternal)], from: 2)
    #expect(f.database(.area(nssa)).count == 1)
    #expect(f.asExternalDatabase.isEmpty)
}

@Test func anASExternalLSAGoesToTheASDatabase() {
    var f = dr()
    let actions = f.receive([externalLSA(9)], from: 2)
    #expect(f.asExternalDatabase.count == 1 && f.database(scope0).isEmpty)
    #expect(actions.contains(.installed(key(externalLSA(9)), scope: .autonomousSystem, contentsChanged: true)))
}

// (4) A MaxAge LSA not in the database, with no neighbor in Exchange or Loading: direct ack, discard.
@Test func aMaxAgeLSAWeDoNotHoldIsAcknowledgedAndDiscarded() {
    var f = dr()
    let flushed = routerLSA(9, age: LSAHeader.maxAge)
    let actions = f.receive([flushed], from: 2)
    #expect(actions == [.sendAcknowledgment([flushed.header], interface: if0, destination: peerAddress(2))])
    #expect(f.database(scope0).isEmpty)
}

@Test func aMaxAgeLSAWeDoNotHoldIsInstalledWhileANeighborIsLoading() {
    var f = dr([peer(2), peer(3, .loading)])
    let flushed = routerLSA(9, age: LSAHeader.maxAge)
    let actions = f.receive([flushed], from: 2)
    #expect(f.database(scope0)[key(flushed)] != nil)
    #expect(actions.updates == [.sendUpdate([flushed], interface: if0, destination: OSPFPacket.allSPFRouters)])
}

// (5) A new LSA: installed, flooded (here back out the receiving interface, as DR), no ack (implied).
@Test func aNewLSAIsInstalledAndFlooded() {
    var f = dr()
    let actions = f.receive([lsa9], from: 2)
    #expect(actions == [
        .installed(key(lsa9), scope: scope0, contentsChanged: true),
        ageingAt3599,
        .startRetransmitTimer(interface: if0, neighborID: peerID(3), at: at(seconds: 105)),
        .sendUpdate([aged(lsa9)], interface: if0, destination: OSPFPacket.allSPFRouters),
    ])
    #expect(f.database(scope0)[key(lsa9)]?.age(at: now) == 1)
    #expect(f.retransmissionList(3) == [key(lsa9)])
    #expect(f.retransmissionList(2).isEmpty)
}

@Test func aMoreRecentInstanceReplacesOurs() {
    var f = dr()
    f.preinstall(lsa9, at: at(seconds: 50), byFlooding: true)
    let newer = routerLSA(9, seq: lsa9.sequenceNumber + 1, metric: 20)
    let actions = f.receive([newer], from: 2)
    #expect(actions.first == .installed(key(newer), scope: scope0, contentsChanged: true))
    #expect(f.database(scope0)[key(newer)]?.lsa == newer)
}

// (5)(a) Our copy came by flooding less than MinLSArrival ago: the newer LSA is dropped, not acknowledged.
@Test func aNewerInstanceWithinMinLSArrivalIsDiscarded() {
    var f = dr()
    f.preinstall(lsa9, at: now - .milliseconds(500), byFlooding: true)
    let newer = routerLSA(9, seq: lsa9.sequenceNumber + 1)
    #expect(f.receive([newer], from: 2).isEmpty)
    #expect(f.database(scope0)[key(lsa9)]?.lsa == lsa9)
}

@Test func aNewerInstanceAfterMinLSArrivalIsAccepted() {
    var f = dr()
    f.preinstall(lsa9, at: now - .seconds(1), byFlooding: true)
    let newer = routerLSA(9, seq: lsa9.sequenceNumber + 1)
    _ = f.receive([newer], from: 2)
    #expect(f.database(scope0)[key(lsa9)]?.lsa == newer)
}

@Test func minLSArrivalDoesNotApplyToACopyThatDidNotComeByFlooding() {
    var f = dr()
    f.preinstall(lsa9, at: now - .milliseconds(500))
    let newer = routerLSA(9, seq: lsa9.sequenceNumber + 1)
    _ = f.receive([newer], from: 2)
    #expect(f.database(scope0)[key(lsa9)]?.lsa == newer)
}

// (5)(c) The old instance leaves every neighbor's retransmission list.
@Test func theOldInstanceLeavesEveryRetransmissionList() {
    var f = dr([peer(2), peer(3), peer(4)])
    f.preinstall(lsa9, at: at(seconds: 50))
    for n in f.interfaces[0].neighbors.indices {
        f.interfaces[0].neighbors[n].linkStateRetransmissionList = [lsa9.header]
    }
    f.retransmitting = [.init(interface: if0, neighborID: peerID(2)), .init(interface: if0, neighborID: peerID(3)),
                        .init(interface: if0, neighborID: peerID(4))]
    let newer = routerLSA(9, seq: lsa9.sequenceNumber + 1)
    let actions = f.receive([newer], from: 2)
    // The sender's list is emptied; 3 and 4 now hold the new instance.
    #expect(actions.contains(.stopRetransmitTimer(interface: if0, neighborID: peerID(2))))
    #expect(f.neighbor(2).linkStateRetransmissionList.isEmpty)
    #expect(f.neighbor(3).linkStateRetransmissionList.map(\.sequenceNumber) == [newer.sequenceNumber])
    #expect(f.neighbor(4).linkStateRetransmissionList.map(\.sequenceNumber) == [newer.sequenceNumber])
}

// (5)(e) A DROther acknowledges (delayed) what it did not flood back out.
@Test func aNewLSANotFloodedBackIsAcknowledgedDelayed() {
    var f = OSPFFlooding(routerID: me, interfaces: [floodingInterface(state: .drOther, dr: peerAddress(2),
                                                                      bdr: peerAddress(3),
                                                                      neighbors: [peer(2), peer(3)])])
    let actions = f.receive([lsa9], from: 2)
    #expect(actions.updates.isEmpty)
    #expect(actions.delayedAckTimers == [.startDelayedAckTimer(interface: if0, at: now + .seconds(1))])
    #expect(f.pendingDelayedAcks[if0] == [lsa9.header])
}

// (5)(f) RFC 2328 §13.4: a newer instance of our own LSA is installed and flooded, and the owner told.
@Test func aNewerSelfOriginatedLSAIsReportedToTheOwner() {
    var f = dr()
    let ours = LSA(age: 5, options: .e, type: .router, linkStateID: me, advertisingRouter: me,
                   sequenceNumber: LSAHeader.initialSequenceNumber + 7, body: .router(RouterLSA(links: [])))
    let actions = f.receive([ours], from: 2)
    #expect(actions.contains(.selfOriginatedLSAReceived(ours, scope: scope0)))
    #expect(f.database(scope0)[key(ours)]?.lsa == ours)
}

@Test func aNetworkLSAForOurAddressIsSelfOriginated() {
    let f = dr()
    let network = LSA(options: .e, type: .network, linkStateID: myAddress, advertisingRouter: peerID(9),
                      sequenceNumber: LSAHeader.initialSequenceNumber,
                      body: .network(NetworkLSA(networkMask: mask24, attachedRouters: [])))
    #expect(f.isSelfOriginated(network))
    #expect(!f.isSelfOriginated(lsa9))
}

// (6) The LSA is on the sender's request list but not newer than ours: BadLSReq, the rest is dropped.
@Test func aRequestedLSANoNewerThanOursRaisesBadLSReq() {
    var f = dr([peer(2, .loading, requests: [LSARequest(key(lsa9))]), peer(3)])
    f.preinstall(lsa9)
    let actions = f.receive([lsa9, routerLSA(8)], from: 2)
    #expect(actions == [.interface(if0, .neighborEvent(.badLSReq, neighborID: peerID(2)))])
    #expect(f.database(scope0)[key(routerLSA(8))] == nil)
}

// (7)(a) The same instance, on the sender's retransmission list: an implied acknowledgement.
@Test func aDuplicateOnTheRetransmissionListIsAnImpliedAck() {
    var f = dr()
    f.preinstall(lsa9)
    f.interfaces[0].neighbors[0].linkStateRetransmissionList = [lsa9.header]
    f.retransmitting = [.init(interface: if0, neighborID: peerID(2))]
    let actions = f.receive([aged(lsa9)], from: 2)
    #expect(actions == [.stopRetransmitTimer(interface: if0, neighborID: peerID(2))])
    #expect(f.neighbor(2).linkStateRetransmissionList.isEmpty)
}

// (7)(b) The same instance, not on the list: acknowledged directly.
@Test func aDuplicateNotOnTheRetransmissionListIsAcknowledgedDirectly() {
    var f = dr()
    f.preinstall(lsa9)
    let actions = f.receive([aged(lsa9)], from: 2)
    #expect(actions == [.sendAcknowledgment([aged(lsa9).header], interface: if0, destination: peerAddress(2))])
}

// (8) Our copy is more recent: it goes back to the sender directly, not acknowledged, once per MinLSArrival.
@Test func anOlderInstanceGetsOurCopySentBack() {
    var f = dr()
    let ours = routerLSA(9, seq: lsa9.sequenceNumber + 1)
    f.preinstall(ours, at: at(seconds: 90))
    #expect(f.receive([lsa9], from: 2) == [.sendUpdate([aged(ours, by: 11)], interface: if0,
                                                      destination: peerAddress(2))])
    #expect(f.receive([lsa9], from: 2, at: now + .milliseconds(500)).isEmpty)
    #expect(f.receive([lsa9], from: 2, at: now + .seconds(1)).updates.count == 1)
    #expect(f.neighbor(2).linkStateRetransmissionList.isEmpty)
}

@Test func aMaxAgeCopyAtMaxSequenceNumberIsNotSentBack() {
    var f = dr()
    let wrapping = routerLSA(9, seq: LSAHeader.maxSequenceNumber, age: LSAHeader.maxAge)
    f.preinstall(wrapping)
    #expect(f.receive([lsa9], from: 2).isEmpty)
}

// One update's LSAs flood on in one update per destination, and its direct acks go in one packet.
@Test func theLSAsOfOneUpdateFloodAndAreAcknowledgedTogether() {
    var f = dr()
    f.preinstall(routerLSA(7))
    f.preinstall(routerLSA(6))
    let actions = f.receive([lsa9, routerLSA(8), aged(routerLSA(7)), aged(routerLSA(6))], from: 2)
    #expect(actions.updates == [.sendUpdate([aged(lsa9), aged(routerLSA(8))], interface: if0,
                                            destination: OSPFPacket.allSPFRouters)])
    #expect(actions.acks == [.sendAcknowledgment([aged(routerLSA(7)).header, aged(routerLSA(6)).header],
                                                 interface: if0, destination: peerAddress(2))])
}
