import Engine
import Testing
import Wire
@testable import Protocols

// RFC 2328 §13.6 (retransmitting LSAs), §13.7 (receiving acknowledgements) and §14 (ageing, flushing).
// We are DR on interface 0 with Full peers 2 and 3.

private let lsa9 = routerLSA(9)
private let scope0 = FloodingScope.area(.backbone)

private func dr(_ neighbors: [OSPFNeighbor] = [peer(2), peer(3)], mtu: UInt16 = 1500) -> OSPFFlooding {
    OSPFFlooding(routerID: me, interfaces: [floodingInterface(neighbors: neighbors, mtu: mtu)])
}

/// A DR that has just originated `lsas` (so both peers hold them on their retransmission lists).
private func drAfterOriginating(_ lsas: [LSA], neighbors: [OSPFNeighbor] = [peer(2), peer(3)],
                                mtu: UInt16 = 1500) -> OSPFFlooding {
    var f = dr(neighbors, mtu: mtu)
    var ignored: [FloodingAction] = []
    for lsa in lsas { f.originate(lsa, in: scope0, now: now, actions: &ignored) }
    return f
}

private func fire(_ f: inout OSPFFlooding, _ n: UInt8, at time: SimTime) -> [FloodingAction] {
    var actions: [FloodingAction] = []
    f.retransmitTimerFired(interface: if0, neighborID: peerID(n), now: time, actions: &actions)
    return actions.withoutDebug
}

private func ack(_ f: inout OSPFFlooding, _ headers: [LSAHeader], from n: UInt8,
                 at time: SimTime = now + .seconds(1)) -> [FloodingAction] {
    var actions: [FloodingAction] = []
    f.receiveAcknowledgment(headers, on: if0, from: peerID(n), now: time, actions: &actions)
    return actions.withoutDebug
}

// MARK: - §13.6

@Test func floodingStartsTheRetransmitTimerOncePerNeighbor() {
    var f = dr()
    var actions: [FloodingAction] = []
    f.originate(lsa9, in: scope0, now: now, actions: &actions)
    f.originate(routerLSA(8), in: scope0, now: now, actions: &actions)
    let timers = actions.filter { if case .startRetransmitTimer = $0 { true } else { false } }
    #expect(timers == [.startRetransmitTimer(interface: if0, neighborID: peerID(2), at: at(seconds: 105)),
                       .startRetransmitTimer(interface: if0, neighborID: peerID(3), at: at(seconds: 105))])
}

@Test func theRetransmitTimerResendsTheListDirectlyAndRearms() {
    var f = drAfterOriginating([lsa9, routerLSA(8)])
    #expect(fire(&f, 2, at: at(seconds: 105)) == [
        .sendUpdate([aged(lsa9, by: 6), aged(routerLSA(8), by: 6)], interface: if0, destination: peerAddress(2)),
        .startRetransmitTimer(interface: if0, neighborID: peerID(2), at: at(seconds: 110)),
    ])
}

@Test func aRetransmissionCarriesAsManyLSAsAsFitTheMTU() {
    // 200 - 20 (IP) - 24 (OSPF) - 4 leaves 152 bytes: four router-LSAs of 36 bytes.
    let lsas = (1...6).map { routerLSA(UInt8($0)) }
    var f = drAfterOriginating(lsas, mtu: 200)
    let actions = fire(&f, 2, at: at(seconds: 105))
    #expect(actions.updates == [.sendUpdate(lsas.prefix(4).map { aged($0, by: 6) }, interface: if0,
                                            destination: peerAddress(2))])
    #expect(f.retransmissionList(2).count == 6)
}

@Test func aReplacedInstanceIsNotRetransmitted() {
    var f = drAfterOriginating([lsa9])
    f.interfaces[0].neighbors[0].linkStateRetransmissionList = [routerLSA(9, seq: 0x10).header]
    #expect(fire(&f, 2, at: at(seconds: 105)) == [.stopRetransmitTimer(interface: if0, neighborID: peerID(2))])
    #expect(f.retransmissionList(2).isEmpty)
}

@Test func aNeighborBelowExchangeGetsNoRetransmission() {
    var f = drAfterOriginating([lsa9])
    f.interfaces[0].neighbors[0].state = .exStart
    #expect(fire(&f, 2, at: at(seconds: 105)).isEmpty)
}

// MARK: - §13.7

@Test func anAckRemovesTheInstanceAndTheLastOneStopsTheTimer() {
    var f = drAfterOriginating([lsa9, routerLSA(8)])
    #expect(ack(&f, [aged(lsa9).header], from: 2).isEmpty)
    #expect(f.retransmissionList(2) == [key(routerLSA(8))])
    #expect(ack(&f, [aged(routerLSA(8)).header], from: 2)
            == [.stopRetransmitTimer(interface: if0, neighborID: peerID(2))])
    #expect(f.retransmissionList(2).isEmpty)
    #expect(f.retransmissionList(3).count == 2)
}

@Test func anAckForAnotherInstanceIsIgnored() {
    var f = drAfterOriginating([lsa9])
    #expect(ack(&f, [routerLSA(9, seq: 0x10).header], from: 2).isEmpty)
    #expect(ack(&f, [routerLSA(9, age: LSAHeader.maxAge).header], from: 2).isEmpty)
    #expect(f.retransmissionList(2) == [key(lsa9)])
}

@Test func anAckFromANeighborBelowExchangeIsIgnored() {
    var f = drAfterOriginating([lsa9])
    f.interfaces[0].neighbors[0].state = .exStart
    #expect(ack(&f, [lsa9.header], from: 2).isEmpty)
    #expect(f.retransmissionList(2) == [key(lsa9)])
}

// MARK: - §14 and §14.1

@Test func anLSAReachingMaxAgeIsFloodedAndRemovedOnceAcknowledged() {
    var f = dr()
    f.preinstall(routerLSA(9, age: 3000), at: now)
    let maxAgeTime = now + .seconds(600)
    var actions: [FloodingAction] = []
    f.ageingTimerFired(now: maxAgeTime, actions: &actions)
    let flushed = routerLSA(9, age: LSAHeader.maxAge)
    #expect(actions.withoutDebug == [
        .installed(key(lsa9), scope: scope0, contentsChanged: true),
        .startRetransmitTimer(interface: if0, neighborID: peerID(2), at: maxAgeTime + .seconds(5)),
        .startRetransmitTimer(interface: if0, neighborID: peerID(3), at: maxAgeTime + .seconds(5)),
        .sendUpdate([flushed], interface: if0, destination: OSPFPacket.allSPFRouters),
        .startAgeingTimer(at: maxAgeTime + .seconds(1)),
    ])
    #expect(ack(&f, [flushed.header], from: 2, at: maxAgeTime + .seconds(1)).count == 1)
    #expect(f.database(scope0)[key(lsa9)] != nil)
    #expect(ack(&f, [flushed.header], from: 3, at: maxAgeTime + .seconds(1))
            == [.stopRetransmitTimer(interface: if0, neighborID: peerID(3)), .removed(key(lsa9), scope: scope0)])
    #expect(f.database(scope0).isEmpty)
}

@Test func aFlushedLSAStaysWhileANeighborIsExchanging() {
    var f = dr([peer(2), peer(3, .exchange)])
    f.preinstall(routerLSA(9, age: LSAHeader.maxAge))
    var actions: [FloodingAction] = []
    f.ageingTimerFired(now: now, actions: &actions)
    f.interfaces[0].neighbors.indices.forEach { f.interfaces[0].neighbors[$0].linkStateRetransmissionList = [] }
    actions = []
    f.ageingTimerFired(now: now + .seconds(1), actions: &actions)
    #expect(f.database(scope0).count == 1)
    #expect(actions == [.startAgeingTimer(at: now + .seconds(2))])
    f.interfaces[0].neighbors[1].state = .full
    actions = []
    f.ageingTimerFired(now: now + .seconds(2), actions: &actions)
    #expect(actions == [.removed(key(lsa9), scope: scope0)])
}

@Test func aMaxAgeLSAWithNoNeighborsLeavesAtOnce() {
    var f = dr([])
    f.preinstall(routerLSA(9, age: LSAHeader.maxAge - 10))
    var actions: [FloodingAction] = []
    f.ageingTimerFired(now: now + .seconds(10), actions: &actions)
    #expect(actions == [.installed(key(lsa9), scope: scope0, contentsChanged: true),
                        .removed(key(lsa9), scope: scope0)])
}

@Test func theAgeingTimerWaitsForTheOldestLSA() {
    var f = dr()
    var actions: [FloodingAction] = []
    f.originate(routerLSA(9, age: 0), in: scope0, now: now, actions: &actions)
    #expect(actions.contains(.startAgeingTimer(at: now + .seconds(3600))))
    actions = []
    _ = f.receive([routerLSA(8, age: 3500)], from: 2)
    #expect(f.ageingDeadline == now + .seconds(100))
}

@Test func prematureAgeingFloodsAtMaxAgeAndRemovesOnceAcknowledged() {
    var f = drAfterOriginating([lsa9])
    _ = ack(&f, [aged(lsa9).header], from: 2)
    _ = ack(&f, [aged(lsa9).header], from: 3)
    var actions: [FloodingAction] = []
    f.prematurelyAge(key(lsa9), in: scope0, now: now + .seconds(10), actions: &actions)
    let flushed = routerLSA(9, age: LSAHeader.maxAge)
    #expect(actions.withoutDebug.updates == [.sendUpdate([flushed], interface: if0,
                                                         destination: OSPFPacket.allSPFRouters)])
    #expect(actions.contains(.installed(key(lsa9), scope: scope0, contentsChanged: true)))
    _ = ack(&f, [flushed.header], from: 2, at: now + .seconds(11))
    #expect(ack(&f, [flushed.header], from: 3, at: now + .seconds(11)).contains(.removed(key(lsa9), scope: scope0)))
}

@Test func aReceivedMaxAgeInstanceIsFloodedThenRemoved() {
    var f = OSPFFlooding(routerID: me, interfaces: [floodingInterface(type: .pointToPoint, state: .pointToPoint,
                                                                      neighbors: [peer(2)]),
                                                    floodingInterface("Gi0/1", type: .pointToPoint,
                                                                      state: .pointToPoint,
                                                                      address: IPv4Address(10, 1, 0, 1),
                                                                      neighbors: [peer(3, net: 1)])])
    f.preinstall(lsa9, at: now - .seconds(10))
    let flushed = routerLSA(9, age: LSAHeader.maxAge)
    let actions = f.receive([flushed], from: 2)
    #expect(actions.updates == [.sendUpdate([flushed], interface: if1, destination: OSPFPacket.allSPFRouters)])
    #expect(f.pendingDelayedAcks[if0] == [flushed.header])
    var acked: [FloodingAction] = []
    f.receiveAcknowledgment([flushed.header], on: if1, from: peerID(3), now: now + .seconds(1), actions: &acked)
    #expect(acked.contains(.removed(key(lsa9), scope: scope0)))
}

@Test func aListEmptiedByTheNeighborMachineArmsTheTimerAgain() {
    var f = drAfterOriginating([lsa9])
    // The neighbor went down and came back (RFC 2328 §10.3 clears its lists); a new LSA arms the timer afresh.
    f.interfaces[0].neighbors[0].linkStateRetransmissionList = []
    var actions: [FloodingAction] = []
    f.originate(routerLSA(8), in: scope0, now: now + .seconds(2), actions: &actions)
    #expect(actions.contains(.startRetransmitTimer(interface: if0, neighborID: peerID(2), at: at(seconds: 107))))
    #expect(!actions.contains(.startRetransmitTimer(interface: if0, neighborID: peerID(3), at: at(seconds: 107))))
}
