import Engine
import Testing
import Wire
@testable import Protocols

// RFC 2328 §10.3, one test per transition of the neighbor state machine. Each starts from a neighbor already in
// the source state and checks the new state and every action (debug lines aside).

private func run(_ event: NeighborEvent, on n: inout OSPFNeighbor,
                 link: NeighborLink = pointToPointLink) -> [NeighborAction] {
    var actions: [NeighborAction] = []
    n.handle(event, link: link, now: now, actions: &actions)
    return actions.withoutDebug
}

@Test func downWithStartMovesToAttemptAndPollsTheNeighbor() {
    var n = neighbor(in: .down)
    let actions = run(.start, on: &n)
    #expect(n.state == .attempt)
    #expect(actions == [.sendHello, .restartInactivityTimer(at: at(seconds: 140)), change(.down, .attempt, .start)])
}

@Test(arguments: [NeighborState.down, .attempt])
func helloReceivedBelowInitMovesToInit(from state: NeighborState) {
    var n = neighbor(in: state)
    let actions = run(.helloReceived, on: &n)
    #expect(n.state == .initState)
    #expect(n.inactivityDeadline == at(seconds: 140))
    #expect(actions == [.restartInactivityTimer(at: at(seconds: 140)), change(state, .initState, .helloReceived)])
}

@Test(arguments: [NeighborState.initState, .twoWay, .exStart, .exchange, .loading, .full])
func helloReceivedFromInitOnOnlyRestartsTheInactivityTimer(in state: NeighborState) {
    var n = neighbor(in: state)
    let actions = run(.helloReceived, on: &n)
    #expect(n.state == state)
    #expect(actions == [.restartInactivityTimer(at: at(seconds: 140))])
}

@Test func initWithTwoWayReceivedStopsAtTwoWayBetweenDROthers() {
    var n = neighbor(in: .initState)
    let actions = run(.twoWayReceived, on: &n, link: drOtherLink)
    #expect(n.state == .twoWay)
    #expect(actions == [change(.initState, .twoWay, .twoWayReceived)])
}

@Test func initWithTwoWayReceivedStartsTheExchangeWhenAdjacent() {
    var n = neighbor(in: .initState)
    let actions = run(.twoWayReceived, on: &n)
    // RFC 2328 §10.3: first attempt, so a fresh DD sequence number (here from the virtual clock: 100 s + 1).
    #expect(n.state == .exStart)
    #expect(n.role == .master)
    #expect(n.ddSequenceNumber == 101)
    #expect(actions == [.sendDatabaseDescription(initialDD(seq: 101)), .startDDRetransmitTimer(at: at(seconds: 105)),
                        change(.initState, .exStart, .twoWayReceived)])
}

@Test func twoWayWithAdjOKStartsTheExchangeWhenTheNeighborBecameDR() {
    var n = neighbor(in: .twoWay)
    n.hasAttemptedAdjacency = true
    n.ddSequenceNumber = 500
    var link = drOtherLink
    link.designatedRouter = nbrAddress
    let actions = run(.adjOK, on: &n, link: link)
    #expect(n.state == .exStart)
    #expect(n.ddSequenceNumber == 501)
    #expect(actions == [.sendDatabaseDescription(initialDD(seq: 501)), .startDDRetransmitTimer(at: at(seconds: 105)),
                        change(.twoWay, .exStart, .adjOK)])
}

@Test func twoWayWithAdjOKStaysWhenStillNotAdjacent() {
    var n = neighbor(in: .twoWay)
    let actions = run(.adjOK, on: &n, link: drOtherLink)
    #expect(n.state == .twoWay)
    #expect(actions.isEmpty)
}

@Test(arguments: [
    (NeighborState.exStart, [NeighborAction.stopDDRetransmitTimer]),
    (.exchange, [.stopDDRetransmitTimer]),
    (.loading, [.stopLSRRetransmitTimer]),
    (.full, [.originateRouterLSA]),
])
func adjOKTearsDownAnAdjacencyNoLongerWanted(from state: NeighborState, stops: [NeighborAction]) {
    let h = header(.router, 9)
    var n = neighbor(in: state, requests: [request(for: h)], summary: [h])
    n.linkStateRetransmissionList = [h]
    let actions = run(.adjOK, on: &n, link: drOtherLink)
    #expect(n.state == .twoWay)
    #expect(n.linkStateRequestList.isEmpty && n.databaseSummaryList.isEmpty && n.linkStateRetransmissionList.isEmpty)
    #expect(actions == stops + [change(state, .twoWay, .adjOK)])
}

@Test(arguments: [NeighborState.exStart, .exchange, .loading, .full])
func adjOKKeepsAnAdjacencyStillWanted(in state: NeighborState) {
    var n = neighbor(in: state)
    let actions = run(.adjOK, on: &n)
    #expect(n.state == state)
    #expect(actions.isEmpty)
}

@Test func exStartWithNegotiationDoneMovesToExchangeAsMaster() {
    var n = neighbor(in: .exStart, role: .master)
    let actions = run(.negotiationDone, on: &n)
    #expect(n.state == .exchange)
    #expect(actions == [change(.exStart, .exchange, .negotiationDone)])
}

@Test func exStartWithNegotiationDoneMovesToExchangeAsSlaveAndStopsRetransmitting() {
    var n = neighbor(in: .exStart, role: .slave)
    let actions = run(.negotiationDone, on: &n)
    #expect(n.state == .exchange)
    #expect(actions == [.stopDDRetransmitTimer, change(.exStart, .exchange, .negotiationDone)])
}

@Test func exchangeWithExchangeDoneMovesToFullWhenNothingIsRequested() {
    var n = neighbor(in: .exchange, role: .master)
    let actions = run(.exchangeDone, on: &n)
    #expect(n.state == .full)
    #expect(actions == [.stopDDRetransmitTimer, .originateRouterLSA, change(.exchange, .full, .exchangeDone)])
}

@Test func exchangeWithExchangeDoneMovesToLoadingAndRequests() {
    let wanted = [request(for: header(.router, 7)), request(for: header(.network, 8))]
    var n = neighbor(in: .exchange, role: .slave, requests: wanted)
    let actions = run(.exchangeDone, on: &n)
    #expect(n.state == .loading)
    #expect(actions == [.sendLinkStateRequest(wanted), .startLSRRetransmitTimer(at: at(seconds: 105)),
                        change(.exchange, .loading, .exchangeDone)])
}

@Test func loadingWithLoadingDoneMovesToFull() {
    var n = neighbor(in: .loading)
    let actions = run(.loadingDone, on: &n)
    #expect(n.state == .full)
    #expect(actions == [.stopLSRRetransmitTimer, .originateRouterLSA, change(.loading, .full, .loadingDone)])
}

@Test func loadingDoneOnTheDesignatedRouterAlsoReoriginatesTheNetworkLSA() {
    var n = neighbor(in: .loading)
    let actions = run(.loadingDone, on: &n, link: drLink)
    #expect(actions == [.stopLSRRetransmitTimer, .originateRouterLSA, .originateNetworkLSA,
                        change(.loading, .full, .loadingDone)])
}

@Test(arguments: [
    (NeighborEvent.seqNumberMismatch, NeighborState.exchange, [NeighborAction]()),
    (.seqNumberMismatch, .loading, [.stopLSRRetransmitTimer]),
    (.seqNumberMismatch, .full, [.originateRouterLSA]),
    (.badLSReq, .exchange, []),
    (.badLSReq, .loading, [.stopLSRRetransmitTimer]),
    (.badLSReq, .full, [.originateRouterLSA]),
])
func sequenceAndRequestErrorsRestartTheExchange(event: NeighborEvent, from state: NeighborState,
                                                extra: [NeighborAction]) {
    let h = header(.router, 9)
    var n = neighbor(in: state, role: .slave, requests: [request(for: h)], summary: [h])
    let actions = run(event, on: &n)
    #expect(n.state == .exStart)
    #expect(n.role == .master)
    #expect(n.ddSequenceNumber == 501)
    #expect(n.linkStateRequestList.isEmpty && n.databaseSummaryList.isEmpty)
    #expect(actions == [.sendDatabaseDescription(initialDD(seq: 501)), .startDDRetransmitTimer(at: at(seconds: 105))]
        + extra + [change(state, .exStart, event)])
}

@Test(arguments: [
    (NeighborState.twoWay, [NeighborAction]()),
    (.exStart, [.stopDDRetransmitTimer]),
    (.exchange, [.stopDDRetransmitTimer]),
    (.loading, [.stopLSRRetransmitTimer]),
    (.full, [.originateRouterLSA]),
])
func oneWayDropsBackToInit(from state: NeighborState, stops: [NeighborAction]) {
    let h = header(.router, 9)
    var n = neighbor(in: state, requests: [request(for: h)], summary: [h])
    let actions = run(.oneWay, on: &n)
    #expect(n.state == .initState)
    #expect(n.linkStateRequestList.isEmpty && n.databaseSummaryList.isEmpty)
    #expect(actions == stops + [change(state, .initState, .oneWay)])
}

private let downStops: [(NeighborState, [NeighborAction])] = [
    (.attempt, []), (.initState, []), (.twoWay, []), (.exStart, [.stopDDRetransmitTimer]),
    (.exchange, [.stopDDRetransmitTimer]), (.loading, [.stopLSRRetransmitTimer]), (.full, [.originateRouterLSA]),
]

@Test(arguments: [NeighborEvent.killNbr, .llDown, .inactivityTimer], downStops)
func killNbrLLDownAndInactivityTimerTakeTheNeighborDown(event: NeighborEvent,
                                                       from: (state: NeighborState, stops: [NeighborAction])) {
    let h = header(.router, 9)
    var n = neighbor(in: from.state, requests: [request(for: h)], summary: [h])
    let actions = run(event, on: &n)
    #expect(n.state == .down)
    #expect(n.inactivityDeadline == nil)
    #expect(n.linkStateRequestList.isEmpty && n.databaseSummaryList.isEmpty)
    #expect(actions == [.stopInactivityTimer] + from.stops + [change(from.state, .down, event)])
}

/// Every pair the machine ignores, as grouped in `OSPFNeighbor.handle`.
private let ignoredPairs: [(NeighborState, NeighborEvent)] = {
    var pairs: [(NeighborState, NeighborEvent)] = [(.down, .killNbr), (.down, .llDown), (.down, .inactivityTimer)]
    let all: [NeighborState] = [.down, .attempt, .initState, .twoWay, .exStart, .exchange, .loading, .full]
    pairs += all.filter { $0 != .down }.map { ($0, .start) }
    pairs += all.filter { $0 >= .twoWay || $0 < .initState }.map { ($0, .twoWayReceived) }
    pairs += [(.down, .adjOK), (.attempt, .adjOK), (.initState, .adjOK)]
    pairs += [(.down, .oneWay), (.attempt, .oneWay), (.initState, .oneWay)]
    pairs += all.filter { $0 != .exStart }.map { ($0, .negotiationDone) }
    pairs += all.filter { $0 != .exchange }.map { ($0, .exchangeDone) }
    pairs += all.filter { $0 != .loading }.map { ($0, .loadingDone) }
    pairs += all.filter { $0 < .exchange }.flatMap { [($0, NeighborEvent.seqNumberMismatch), ($0, .badLSReq)] }
    return pairs
}()

@Test(arguments: ignoredPairs)
func ignoredPairsChangeNothing(state: NeighborState, event: NeighborEvent) {
    var n = neighbor(in: state)
    let before = n
    let actions = run(event, on: &n)
    #expect(n == before)
    #expect(actions.isEmpty)
}

// IOS syslog lines, as `log-adjacency-changes` prints them.
@Test func adjacencyChangesPrintAsIOSDoes() {
    let full = AdjacencyChange(neighborID: nbrID, from: .loading, to: .full, event: .loadingDone)
    #expect(full.syslogLine(processID: 1, interfaceName: "GigabitEthernet0/0")
        == "%OSPF-5-ADJCHG: Process 1, Nbr 2.2.2.2 on GigabitEthernet0/0 from LOADING to FULL, Loading Done")
    let dead = AdjacencyChange(neighborID: nbrID, from: .full, to: .down, event: .inactivityTimer)
    #expect(dead.syslogLine(processID: 1, interfaceName: "GigabitEthernet0/0")
        == "%OSPF-5-ADJCHG: Process 1, Nbr 2.2.2.2 on GigabitEthernet0/0 from FULL to DOWN, "
        + "Neighbor Down: Dead timer expired")
    let detached = AdjacencyChange(neighborID: nbrID, from: .full, to: .down, event: .llDown)
    #expect(detached.syslogLine(processID: 7, interfaceName: "Serial0/0")
        == "%OSPF-5-ADJCHG: Process 7, Nbr 2.2.2.2 on Serial0/0 from FULL to DOWN, "
        + "Neighbor Down: Interface down or detached")
    #expect(full.isLoggedByDefault && dead.isLoggedByDefault)
    let twoWay = AdjacencyChange(neighborID: nbrID, from: .initState, to: .twoWay, event: .twoWayReceived)
    #expect(!twoWay.isLoggedByDefault)
}
