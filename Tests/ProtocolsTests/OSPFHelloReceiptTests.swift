import Engine
import Testing
import Wire
@testable import Protocols

// RFC 2328 §10.5: receiving a hello on 10.0.0.1/24 (broadcast, area 0, 10 s / 40 s).

private func waitingInterface(_ type: OSPFNetworkType = .broadcast) -> OSPFInterface {
    var i = OSPFInterface(name: "Gi0/0", type: type, routerID: me, address: myAddress, mask: mask24)
    i.state = type == .broadcast ? .waiting : .pointToPoint
    return i
}

private func hello(mask: IPv4Address = mask24, helloInterval: UInt16 = 10, dead: UInt32 = 40,
                   options: OSPFOptions = .e, priority: UInt8 = 1, dr: IPv4Address = .any, bdr: IPv4Address = .any,
                   neighbors: [IPv4Address] = []) -> OSPFHello {
    OSPFHello(networkMask: mask, helloInterval: helloInterval, options: options, routerPriority: priority,
              routerDeadInterval: dead, designatedRouter: dr, backupDesignatedRouter: bdr, neighbors: neighbors)
}

@Test(arguments: [
    (hello(mask: IPv4Address(255, 255, 255, 252)),
     HelloDrop.networkMaskMismatch(received: IPv4Address(255, 255, 255, 252), configured: mask24)),
    (hello(helloInterval: 30), .helloIntervalMismatch(received: 30, configured: 10)),
    (hello(dead: 120), .deadIntervalMismatch(received: 120, configured: 40)),
    (hello(options: []), .externalRoutingMismatch),
    (hello(options: [.e, .np]), .nssaMismatch),
])
func mismatchedHellosAreDroppedWithTheirReason(received: OSPFHello, reason: HelloDrop) {
    var i = waitingInterface()
    var actions: [InterfaceAction] = []
    #expect(i.receiveHello(received, routerID: nbrID, source: nbrAddress, now: now, actions: &actions) == reason)
    #expect(i.neighbors.isEmpty)
    #expect(actions.withoutDebug.isEmpty)
}

@Test func aHelloCarryingOurOwnRouterIDIsDropped() {
    var i = waitingInterface()
    var actions: [InterfaceAction] = []
    #expect(i.receiveHello(hello(), routerID: me, source: nbrAddress, now: now, actions: &actions)
        == .duplicateRouterID(me))
    #expect(i.neighbors.isEmpty)
}

@Test func aStubAreaAcceptsOnlyHellosWithoutTheEBit() {
    var i = waitingInterface()
    i.externalRoutingCapable = false
    #expect(i.check(hello(options: []), routerID: nbrID) == nil)
    #expect(i.check(hello(options: .e), routerID: nbrID) == .externalRoutingMismatch)
}

@Test func anNSSAAcceptsOnlyHellosWithTheNBit() {
    var i = waitingInterface()
    i.externalRoutingCapable = false
    i.isNSSA = true
    #expect(i.check(hello(options: .np), routerID: nbrID) == nil)
    #expect(i.check(hello(options: []), routerID: nbrID) == .nssaMismatch)
}

@Test func pointToPointIgnoresTheNetworkMask() {
    let i = waitingInterface(.pointToPoint)
    #expect(i.check(hello(mask: IPv4Address(255, 255, 255, 252)), routerID: nbrID) == nil)
}

@Test func aFirstHelloCreatesTheNeighborInInit() {
    var i = waitingInterface()
    var actions: [InterfaceAction] = []
    #expect(i.receiveHello(hello(), routerID: nbrID, source: nbrAddress, now: now, actions: &actions) == nil)
    #expect(i.neighbors.map(\.state) == [.initState])
    #expect(actions.withoutDebug == [.neighbor(nbrID, .restartInactivityTimer(at: at(seconds: 140))),
                                     .neighbor(nbrID, change(.down, .initState, .helloReceived))])
    // Our next hello lists it, so it can see itself and go 2-Way.
    #expect(i.hello.neighbors == [nbrID])
}

@Test func aHelloListingUsMakesTheNeighborTwoWay() {
    var i = waitingInterface()
    var actions: [InterfaceAction] = []
    i.receiveHello(hello(), routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
    actions.removeAll()
    i.receiveHello(hello(neighbors: [me]), routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
    // No DR is known while Waiting, so the neighbor stays 2-Way; NeighborChange waits for the election.
    #expect(i.neighbors.map(\.state) == [.twoWay])
    #expect(i.state == .waiting)
    #expect(actions.withoutDebug == [.neighbor(nbrID, .restartInactivityTimer(at: at(seconds: 140))),
                                     .neighbor(nbrID, change(.initState, .twoWay, .twoWayReceived))])
}

@Test func aNeighborDeclaringItselfDRWithoutBDRIsBackupSeen() {
    var i = waitingInterface()
    var actions: [InterfaceAction] = []
    i.receiveHello(hello(dr: nbrAddress, neighbors: [me]), routerID: nbrID, source: nbrAddress, now: now,
                   actions: &actions)
    // BackupSeen ends Waiting: 2.2.2.2 keeps DR, we take BDR and the neighbor is asked AdjOK?.
    #expect(i.state == .backup)
    #expect(i.designatedRouter == nbrAddress && i.backupDesignatedRouter == myAddress)
    #expect(actions.withoutDebug.contains(.neighborEvent(.adjOK, neighborID: nbrID)))
    #expect(actions.withoutDebug.contains(.stateChanged(from: .waiting, to: .backup, event: .backupSeen)))
}

@Test func aHelloNoLongerListingUsIsOneWay() {
    var i = waitingInterface()
    var actions: [InterfaceAction] = []
    i.receiveHello(hello(neighbors: [me]), routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
    #expect(i.neighbors.map(\.state) == [.twoWay])
    actions.removeAll()
    i.receiveHello(hello(), routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
    #expect(i.neighbors.map(\.state) == [.initState])
    #expect(actions.withoutDebug == [.neighbor(nbrID, .restartInactivityTimer(at: at(seconds: 140))),
                                     .neighbor(nbrID, change(.twoWay, .initState, .oneWay))])
}

@Test func anIneligibleNBMARouterAnswersAnEligibleNeighborAtOnce() {
    var i = OSPFInterface(name: "Se0/0", type: .nbma, routerID: me, address: myAddress, mask: mask24, priority: 0)
    i.state = .drOther
    var actions: [InterfaceAction] = []
    i.receiveHello(hello(), routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
    #expect(actions.contains(.sendHello(i.hello, destination: nbrAddress)))
}
