import Engine
import Testing
import Wire
@testable import Protocols

// The debug lines the interface and neighbor machines build for `debug ip ospf hello|adj|events`, in the
// classic IOS layout, and only when one of their debugs is on (STYLE §5).

private func waitingInterface(debugging: OSPFDebugFlags, externalRoutingCapable: Bool = true,
                              isNSSA: Bool = false) -> OSPFInterface {
    var i = OSPFInterface(name: "GigabitEthernet0/0", routerID: me, address: myAddress, mask: mask24,
                          externalRoutingCapable: externalRoutingCapable, isNSSA: isNSSA)
    i.state = .waiting
    i.debugging = debugging
    return i
}

private func hello(mask: IPv4Address = mask24, helloInterval: UInt16 = 10, dead: UInt32 = 40,
                   options: OSPFOptions = .e) -> OSPFHello {
    OSPFHello(networkMask: mask, helloInterval: helloInterval, options: options, routerPriority: 1,
              routerDeadInterval: dead, designatedRouter: .any, backupDesignatedRouter: .any, neighbors: [])
}

private func lines(_ actions: [InterfaceAction]) -> [String] {
    actions.compactMap { if case let .debug(line) = $0 { line.formatted(processID: 1) } else { nil } }
}

// RFC 2328 §10.5: the hello and dead intervals and (off point-to-point links) the mask must match.
@Test(arguments: [
    (hello(helloInterval: 30, dead: 120), "OSPF: Dead R 120 C 40, Hello R 30 C 10  Mask R 255.255.255.0 C 255.255.255.0"),
    (hello(dead: 60), "OSPF: Dead R 60 C 40, Hello R 10 C 10  Mask R 255.255.255.0 C 255.255.255.0"),
    (hello(mask: IPv4Address(255, 255, 255, 128)),
     "OSPF: Dead R 40 C 40, Hello R 10 C 10  Mask R 255.255.255.128 C 255.255.255.0"),
])
func mismatchedHelloParametersPrintAsIOSDoes(received: OSPFHello, detail: String) {
    var i = waitingInterface(debugging: .hello)
    var actions: [InterfaceAction] = []
    i.receiveHello(received, routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
    #expect(lines(actions) == ["OSPF: Mismatched hello parameters from 10.0.0.2", detail])
    #expect(i.neighbors.isEmpty)
}

// IOS prints a hello mismatch under `debug ip ospf hello`, `adj` and (12.4) `events`; nothing when all are off.
@Test(arguments: [OSPFDebugFlags.hello, .adj, .events, .flood, []])
func aHelloMismatchPrintsUnderHelloAdjOrEvents(debugging: OSPFDebugFlags) {
    var i = waitingInterface(debugging: debugging)
    var actions: [InterfaceAction] = []
    i.receiveHello(hello(helloInterval: 30), routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
    let printed = !debugging.isDisjoint(with: [.hello, .adj, .events])
    #expect(lines(actions).count == (printed ? 2 : 0))
}

// RFC 2328 §10.5: the E-bit must agree with the area's ExternalRoutingCapability (a stub area clears it).
@Test func aStubAreaMismatchPrintsTheOptionBitLine() {
    var i = waitingInterface(debugging: .adj, externalRoutingCapable: false)
    var actions: [InterfaceAction] = []
    #expect(i.receiveHello(hello(), routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
        == .externalRoutingMismatch)
    #expect(lines(actions) == ["OSPF: Hello from 10.0.0.2 with mismatched Stub/Transit area option bit"])
}

// RFC 3101 §2.3: the N-bit must agree with whether the area is an NSSA.
@Test func anNSSAMismatchPrintsTheNSSABitLine() {
    var i = waitingInterface(debugging: .hello, externalRoutingCapable: false, isNSSA: true)
    var actions: [InterfaceAction] = []
    #expect(i.receiveHello(hello(options: []), routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
        == .nssaMismatch)
    #expect(lines(actions) == ["OSPF: Hello from 10.0.0.2 with mismatched NSSA option bit"])
}

@Test func anAcceptedHelloEndsItsProcessingUnderEvents() {
    var i = waitingInterface(debugging: .events)
    var actions: [InterfaceAction] = []
    i.receiveHello(hello(), routerID: nbrID, source: nbrAddress, now: now, actions: &actions)
    #expect(lines(actions) == ["OSPF: End of hello processing"])
}

@Test func theHelloTimerPrintsTheHelloSentUnderEvents() {
    var i = waitingInterface(debugging: .events)
    var actions: [InterfaceAction] = []
    i.helloTimerFired(now: now, actions: &actions)
    #expect(lines(actions) == ["OSPF: Send hello to 224.0.0.5 area 0 on GigabitEthernet0/0 from 10.0.0.1"])
    i.debugging = []
    actions = []
    i.helloTimerFired(now: now, actions: &actions)
    #expect(lines(actions).isEmpty)
}

// RFC 2328 §10.6: a DD whose Interface MTU is larger than ours is rejected; IOS prints the DD, then the reason.
@Test func aLargerMTUIsRejectedWithTheIOSLines() {
    var n = neighbor(in: .exStart)
    var link = pointToPointLink
    link.interfaceMTU = 1400
    link.interfaceName = "GigabitEthernet0/0"
    link.debugging = .adj
    let lsdb = DatabaseExchangeLSDB(summary: { [] }, isNewerThanOurs: { _ in true })
    var actions: [NeighborAction] = []
    let drop = n.receiveDatabaseDescription(initialDD(seq: 0x1995, mtu: 1500), link: link, lsdb: lsdb, now: now,
                                            actions: &actions)
    #expect(drop == .mtuMismatch(theirs: 1500, ours: 1400))
    #expect(n.state == .exStart)
    let printed = actions.compactMap { if case let .debug(line) = $0 { line.formatted(processID: 1) } else { nil } }
    #expect(printed == ["OSPF: Rcv DBD from 2.2.2.2 on GigabitEthernet0/0 seq 0x1995 opt 0x2 flag 0x7 len 32  mtu 1500 "
                        + "state EXSTART", "OSPF: Nbr 2.2.2.2 has larger interface MTU"])
}

// IOS `ip ospf mtu-ignore`: the check is skipped and the exchange goes on.
@Test func mtuIgnoreAcceptsALargerMTU() {
    var n = neighbor(in: .exStart)
    var link = pointToPointLink
    link.interfaceMTU = 1400
    link.mtuIgnore = true
    let lsdb = DatabaseExchangeLSDB(summary: { [] }, isNewerThanOurs: { _ in true })
    var actions: [NeighborAction] = []
    let drop = n.receiveDatabaseDescription(initialDD(seq: 0x1995, mtu: 1500), link: link, lsdb: lsdb, now: now,
                                            actions: &actions)
    #expect(drop == nil)
    #expect(n.state == .exchange)
    #expect(actions.allSatisfy { if case .debug = $0 { false } else { true } } == true)
}
