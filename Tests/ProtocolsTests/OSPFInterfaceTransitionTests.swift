import Engine
import Testing
import Wire
@testable import Protocols

// RFC 2328 §9.3, the interface state machine: one test per transition, from a fixture in the source state.

private func interface(_ type: OSPFNetworkType = .broadcast, in state: InterfaceState = .down, priority: UInt8 = 1,
                       neighbors: [OSPFNeighbor] = []) -> OSPFInterface {
    var i = OSPFInterface(name: "Gi0/0", type: type, routerID: me, address: myAddress, mask: mask24, priority: priority)
    i.state = state
    i.neighbors = neighbors
    return i
}

private func run(_ event: InterfaceEvent, on i: inout OSPFInterface) -> [InterfaceAction] {
    var actions: [InterfaceAction] = []
    i.handle(event, now: now, actions: &actions)
    return actions.withoutDebug
}

/// A neighbor 2-Way or better that declares `dr` and `bdr` (last octets of 10.0.0.x, 0 for none).
private func heard(_ n: UInt8, priority: UInt8 = 1, state: NeighborState = .twoWay, dr: UInt8 = 0,
                   bdr: UInt8 = 0) -> OSPFNeighbor {
    let address = { (x: UInt8) in x == 0 ? IPv4Address.any : IPv4Address(10, 0, 0, x) }
    var nbr = OSPFNeighbor(neighborID: IPv4Address(n, n, n, n), address: address(n), priority: priority,
                           designatedRouter: address(dr), backupDesignatedRouter: address(bdr))
    nbr.state = state
    return nbr
}

@Test func interfaceUpOnBroadcastWaitsForTheElection() {
    var i = interface()
    let actions = run(.interfaceUp, on: &i)
    #expect(i.state == .waiting)
    #expect(actions == [.sendHello(i.hello, destination: OSPFPacket.allSPFRouters),
                        .stateChanged(from: .down, to: .waiting, event: .interfaceUp),
                        .startHelloTimer(at: at(seconds: 110)), .startWaitTimer(at: at(seconds: 140)),
                        .originateRouterLSA])
}

@Test(arguments: [OSPFNetworkType.pointToPoint, .pointToMultipoint, .virtualLink])
func interfaceUpOnPointToPointNeedsNoElection(type: OSPFNetworkType) {
    var i = interface(type)
    let actions = run(.interfaceUp, on: &i)
    #expect(i.state == .pointToPoint)
    #expect(actions == [.sendHello(i.hello, destination: OSPFPacket.allSPFRouters),
                        .stateChanged(from: .down, to: .pointToPoint, event: .interfaceUp),
                        .startHelloTimer(at: at(seconds: 110)), .originateRouterLSA])
}

@Test func interfaceUpWithPriorityZeroGoesStraightToDROther() {
    var i = interface(priority: 0)
    let actions = run(.interfaceUp, on: &i)
    #expect(i.state == .drOther)
    #expect(actions == [.sendHello(i.hello, destination: OSPFPacket.allSPFRouters),
                        .stateChanged(from: .down, to: .drOther, event: .interfaceUp),
                        .startHelloTimer(at: at(seconds: 110)), .originateRouterLSA])
}

@Test func interfaceUpOnNBMAStartsTheEligibleNeighbors() {
    var silent = heard(7, priority: 0, state: .down)
    silent.address = IPv4Address(10, 0, 0, 7)
    var i = interface(.nbma, neighbors: [heard(6, state: .down), silent])
    let actions = run(.interfaceUp, on: &i)
    #expect(i.state == .waiting)
    #expect(actions.first == .neighborEvent(.start, neighborID: IPv4Address(6, 6, 6, 6)))
    #expect(!actions.contains(.neighborEvent(.start, neighborID: IPv4Address(7, 7, 7, 7))))
}

@Test func waitTimerAloneMakesUsDR() {
    var i = interface(in: .waiting)
    let actions = run(.waitTimer, on: &i)
    #expect(i.state == .dr)
    #expect(i.designatedRouter == myAddress && i.backupDesignatedRouter == .any)
    #expect(actions == [.stateChanged(from: .waiting, to: .dr, event: .waitTimer), .stopWaitTimer,
                        .originateRouterLSA, .originateNetworkLSA])
}

@Test func backupSeenInWaitingElectsAndAsksNeighborsAdjOK() {
    // 3.3.3.3 declares itself DR with no BDR: we become BDR.
    var i = interface(in: .waiting, neighbors: [heard(3, dr: 3)])
    let actions = run(.backupSeen, on: &i)
    #expect(i.state == .backup)
    #expect(i.designatedRouter == IPv4Address(10, 0, 0, 3) && i.backupDesignatedRouter == myAddress)
    #expect(actions == [.neighborEvent(.adjOK, neighborID: IPv4Address(3, 3, 3, 3)),
                        .stateChanged(from: .waiting, to: .backup, event: .backupSeen), .stopWaitTimer,
                        .originateRouterLSA])
}

@Test func neighborChangeOnDROtherFollowsANewDR() {
    // We were DROther under DR 10.0.0.5 (gone); 3.3.3.3 now declares itself DR and 2.2.2.2 BDR.
    var i = interface(in: .drOther,
                      neighbors: [heard(3, dr: 3, bdr: 2), heard(2, dr: 3, bdr: 2), heard(4, state: .initState)])
    i.designatedRouter = IPv4Address(10, 0, 0, 5)
    i.backupDesignatedRouter = IPv4Address(10, 0, 0, 3)
    let actions = run(.neighborChange, on: &i)
    #expect(i.state == .drOther)
    #expect(i.designatedRouter == IPv4Address(10, 0, 0, 3) && i.backupDesignatedRouter == IPv4Address(10, 0, 0, 2))
    // The DR changed: router-LSA again (its transit link names the DR); AdjOK? only to the bidirectional neighbors.
    #expect(actions == [.neighborEvent(.adjOK, neighborID: IPv4Address(3, 3, 3, 3)),
                        .neighborEvent(.adjOK, neighborID: IPv4Address(2, 2, 2, 2)), .originateRouterLSA])
}

@Test func neighborChangeOnBackupPromotesUsWhenTheDRDies() {
    var i = interface(in: .backup, neighbors: [heard(2, dr: 5, bdr: 1)])
    i.designatedRouter = IPv4Address(10, 0, 0, 5)
    i.backupDesignatedRouter = myAddress
    let actions = run(.neighborChange, on: &i)
    #expect(i.state == .dr)
    #expect(i.designatedRouter == myAddress && i.backupDesignatedRouter == IPv4Address(10, 0, 0, 2))
    #expect(actions == [.neighborEvent(.adjOK, neighborID: IPv4Address(2, 2, 2, 2)),
                        .stateChanged(from: .backup, to: .dr, event: .neighborChange),
                        .originateRouterLSA, .originateNetworkLSA])
}

@Test func neighborChangeOnDRThatChangesNothingDoesNothing() {
    var i = interface(in: .dr, neighbors: [heard(2, dr: 1, bdr: 2)])
    i.designatedRouter = myAddress
    i.backupDesignatedRouter = IPv4Address(10, 0, 0, 2)
    let actions = run(.neighborChange, on: &i)
    #expect(i.state == .dr)
    #expect(actions.isEmpty)
}

@Test func neighborChangeOnDRWithAHigherPriorityBDRHandsOverNothing() {
    // Non-preemptive: a priority-200 BDR does not take over from a priority-1 DR.
    var i = interface(in: .dr, neighbors: [heard(2, priority: 200, dr: 1, bdr: 2)])
    i.designatedRouter = myAddress
    i.backupDesignatedRouter = IPv4Address(10, 0, 0, 2)
    _ = run(.neighborChange, on: &i)
    #expect(i.state == .dr)
}

@Test func neighborChangeOnDRWhoseBDRLeftOnlyClearsTheBDR() {
    var i = interface(in: .dr, neighbors: [heard(2, state: .down, dr: 1, bdr: 2)])
    i.designatedRouter = myAddress
    i.backupDesignatedRouter = IPv4Address(10, 0, 0, 2)
    let actions = run(.neighborChange, on: &i)
    #expect(i.state == .dr)
    #expect(i.backupDesignatedRouter == .any)
    // The router-LSA names the DR, not the BDR, so nothing is reoriginated; no neighbor is left to ask AdjOK?.
    #expect(actions.isEmpty)
}

@Test(arguments: [InterfaceState.waiting, .pointToPoint, .drOther, .backup])
func interfaceDownKillsEveryNeighbor(from state: InterfaceState) {
    var i = interface(in: state, neighbors: [heard(2, dr: 3), heard(3, state: .full, dr: 3), heard(4, state: .down)])
    i.designatedRouter = IPv4Address(10, 0, 0, 3)
    let actions = run(.interfaceDown, on: &i)
    #expect(i.state == .down)
    #expect(i.designatedRouter == .any && i.backupDesignatedRouter == .any)
    #expect(actions == [.neighborEvent(.killNbr, neighborID: IPv4Address(2, 2, 2, 2)),
                        .neighborEvent(.killNbr, neighborID: IPv4Address(3, 3, 3, 3)),
                        .stateChanged(from: state, to: .down, event: .interfaceDown), .stopHelloTimer]
        + (state == .waiting ? [.stopWaitTimer] : []) + [.originateRouterLSA])
}

@Test func interfaceDownOnTheDRFlushesTheNetworkLSA() {
    var i = interface(in: .dr)
    i.designatedRouter = myAddress
    let actions = run(.interfaceDown, on: &i)
    #expect(i.state == .down)
    #expect(actions == [.stateChanged(from: .dr, to: .down, event: .interfaceDown), .stopHelloTimer,
                        .originateRouterLSA, .flushNetworkLSA])
}

@Test func interfaceDownFromLoopbackGoesDown() {
    var i = interface(in: .loopback)
    let actions = run(.interfaceDown, on: &i)
    #expect(i.state == .down)
    #expect(actions == [.stateChanged(from: .loopback, to: .down, event: .interfaceDown), .originateRouterLSA])
}

@Test(arguments: [InterfaceState.down, .waiting, .pointToPoint, .drOther, .backup, .dr])
func loopIndLoopsTheInterface(from state: InterfaceState) {
    var i = interface(in: state, neighbors: [heard(2)])
    let actions = run(.loopInd, on: &i)
    #expect(i.state == .loopback)
    var expected: [InterfaceAction] = [.neighborEvent(.killNbr, neighborID: nbrID),
                                       .stateChanged(from: state, to: .loopback, event: .loopInd)]
    if state != .down { expected.append(.stopHelloTimer) }
    if state == .waiting { expected.append(.stopWaitTimer) }
    expected.append(.originateRouterLSA)
    if state == .dr { expected.append(.flushNetworkLSA) }
    #expect(actions == expected)
}

@Test func unloopIndFromLoopbackGoesDown() {
    var i = interface(in: .loopback)
    let actions = run(.unloopInd, on: &i)
    #expect(i.state == .down)
    #expect(actions == [.stateChanged(from: .loopback, to: .down, event: .unloopInd), .originateRouterLSA])
}

private let interfaceIgnoredPairs: [(InterfaceState, InterfaceEvent)] = {
    let all: [InterfaceState] = [.down, .loopback, .waiting, .pointToPoint, .drOther, .backup, .dr]
    var pairs = all.filter { $0 != .down }.map { ($0, InterfaceEvent.interfaceUp) }
    pairs += all.filter { $0 != .waiting }.flatMap { [($0, InterfaceEvent.waitTimer), ($0, .backupSeen)] }
    pairs += [.down, .loopback, .waiting, .pointToPoint].map { ($0, .neighborChange) }
    pairs += [(.loopback, .loopInd), (.down, .interfaceDown)]
    pairs += all.filter { $0 != .loopback }.map { ($0, .unloopInd) }
    return pairs
}()

@Test(arguments: interfaceIgnoredPairs)
func interfaceIgnoredPairsChangeNothing(state: InterfaceState, event: InterfaceEvent) {
    var i = interface(in: state, neighbors: [heard(2)])
    let before = i
    let actions = run(event, on: &i)
    #expect(i == before)
    #expect(actions.isEmpty)
}

// RFC 2328 §9.5 and A.3.2: what a hello carries.
@Test func helloCarriesTheInterfaceParametersAndTheNeighborsHeard() {
    var i = interface(in: .drOther,
                      neighbors: [heard(2, state: .initState), heard(3, state: .full), heard(4, state: .down)])
    i.designatedRouter = IPv4Address(10, 0, 0, 3)
    i.backupDesignatedRouter = IPv4Address(10, 0, 0, 2)
    var actions: [InterfaceAction] = []
    i.helloTimerFired(now: now, actions: &actions)
    let expected = OSPFHello(networkMask: mask24, helloInterval: 10, options: .e, routerPriority: 1,
                             routerDeadInterval: 40, designatedRouter: IPv4Address(10, 0, 0, 3),
                             backupDesignatedRouter: IPv4Address(10, 0, 0, 2),
                             neighbors: [IPv4Address(2, 2, 2, 2), IPv4Address(3, 3, 3, 3)])
    #expect(actions == [.sendHello(expected, destination: OSPFPacket.allSPFRouters),
                        .startHelloTimer(at: at(seconds: 110))])
}

@Test func helloInAnNSSASetsNAndClearsE() {
    var i = interface()
    i.externalRoutingCapable = false
    i.isNSSA = true
    #expect(i.hello.options == .np)
}

// Debug lines are built only for the debugs turned on (STYLE §5), in IOS's layout.
@Test func debugLinesAppearOnlyWhenTheDebugIsOn() {
    var quiet = interface(in: .waiting)
    var actions: [InterfaceAction] = []
    quiet.handle(.waitTimer, now: now, actions: &actions)
    #expect(!actions.contains { if case .debug = $0 { true } else { false } })

    var loud = interface(in: .waiting)
    loud.debugging = .adj
    actions.removeAll()
    loud.handle(.waitTimer, now: now, actions: &actions)
    let lines = actions.compactMap { if case let .debug(line) = $0 { line.formatted(processID: 1) } else { nil } }
    #expect(lines.first == "OSPF: DR/BDR election on Gi0/0")
    #expect(lines.contains("OSPF: Elect DR 1.1.1.1"))
}

// RFC 2328 §9.5.1: NBMA hellos are unicast, to whom depends on eligibility.
@Test(arguments: [
    (UInt8(1), InterfaceState.drOther, [UInt8(2), 3]),   // eligible: the eligible neighbors
    (1, .dr, [2, 3, 4]),                                 // DR: every neighbor
    (0, .drOther, [3]),                                  // ineligible: DR and BDR only (3 is DR)
])
func nbmaHellosGoToTheNeighborsTheRFCNames(priority: UInt8, state: InterfaceState, expected: [UInt8]) {
    var i = interface(.nbma, in: state, priority: priority,
                      neighbors: [heard(2), heard(3), heard(4, priority: 0), heard(5, state: .down)])
    i.designatedRouter = state == .dr ? myAddress : IPv4Address(10, 0, 0, 3)
    var actions: [InterfaceAction] = []
    i.helloTimerFired(now: now, actions: &actions)
    let destinations = actions.compactMap { if case let .sendHello(_, d) = $0 { d } else { nil } }
    #expect(destinations == expected.map { IPv4Address(10, 0, 0, $0) })
}
