import Engine
import Testing
import Wire
@testable import Protocols

// RFC 2328 §10.6 (receiving database descriptions), §10.8 (sending them) and §10.9 (LS requests).

private let lowerID = IPv4Address(0, 0, 0, 2)

/// An LSDB holding `ours`; any header in `missing` is newer than what we have.
private func lsdb(ours: [LSAHeader] = [header(.router, 1)], missing: [LSAHeader] = []) -> DatabaseExchangeLSDB {
    DatabaseExchangeLSDB(summary: { ours }, isNewerThanOurs: { missing.contains($0) })
}

private func dd(_ flags: OSPFDatabaseDescription.Flags, seq: UInt32, headers: [LSAHeader] = [], mtu: UInt16 = 1500,
                options: OSPFOptions = .e) -> OSPFDatabaseDescription {
    OSPFDatabaseDescription(interfaceMTU: mtu, options: options, flags: flags, sequenceNumber: seq, headers: headers)
}

/// A neighbor that has just entered ExStart the way the machine does it (initial DD sent, sequence 101).
private func exStart(id: IPv4Address = nbrID, link: NeighborLink = pointToPointLink) -> OSPFNeighbor {
    var n = neighbor(in: .initState, id: id)
    var actions: [NeighborAction] = []
    n.handle(.twoWayReceived, link: link, now: now, actions: &actions)
    return n
}

private func receive(_ packet: OSPFDatabaseDescription, on n: inout OSPFNeighbor,
                     lsdb db: DatabaseExchangeLSDB = lsdb(),
                     link: NeighborLink = pointToPointLink) -> (DatabaseDescriptionDrop?, [NeighborAction]) {
    var actions: [NeighborAction] = []
    let drop = n.receiveDatabaseDescription(packet, link: link, lsdb: db, now: now, actions: &actions)
    return (drop, actions.withoutDebug)
}

// MARK: - Negotiation (ExStart)

@Test func theHigherRouterIDIsMasterAndWeBecomeSlave() {
    var n = exStart()
    let (drop, actions) = receive(initialDD(seq: 7000), on: &n)
    #expect(drop == nil)
    #expect(n.state == .exchange && n.role == .slave && n.ddSequenceNumber == 7000)
    #expect(n.options == .e)
    // The slave answers with the same sequence number and its headers; it never retransmits on its own.
    #expect(actions == [.stopDDRetransmitTimer, change(.exStart, .exchange, .negotiationDone),
                        .sendDatabaseDescription(dd([], seq: 7000, headers: [header(.router, 1)]))])
}

@Test func weAreMasterWhenTheLowerRouterIDAcknowledges() {
    var n = exStart(id: lowerID)
    let theirs = [header(.router, 7), header(.network, 8)]
    let (drop, actions) = receive(dd([.m], seq: 101, headers: theirs), on: &n, lsdb: lsdb(missing: [theirs[0]]))
    #expect(drop == nil)
    #expect(n.state == .exchange && n.role == .master && n.ddSequenceNumber == 102)
    #expect(n.linkStateRequestList == [request(for: theirs[0])])
    #expect(actions == [change(.exStart, .exchange, .negotiationDone, id: lowerID),
                        .sendDatabaseDescription(dd(.ms, seq: 102, headers: [header(.router, 1)])),
                        .startDDRetransmitTimer(at: at(seconds: 105))])
}

@Test func ourOwnInitialPacketCrossingALowerRouterIDIsIgnored() {
    var n = exStart(id: lowerID)
    let (drop, actions) = receive(initialDD(seq: 42), on: &n)
    #expect(drop == .negotiationPending)
    #expect(n.state == .exStart && n.role == .master)
    #expect(actions.isEmpty)
}

@Test func aLargerNeighborMTUHoldsExStart() {
    // IOS: "Nbr 2.2.2.2 has larger interface MTU"; we keep retransmitting our initial DD, stuck in EXSTART.
    var n = exStart()
    let (drop, actions) = receive(initialDD(seq: 7000, mtu: 9000), on: &n)
    #expect(drop == .mtuMismatch(theirs: 9000, ours: 1500))
    #expect(n.state == .exStart)
    #expect(actions.isEmpty)
    var retransmit: [NeighborAction] = []
    n.ddRetransmitTimerFired(link: pointToPointLink, now: at(seconds: 105), actions: &retransmit)
    #expect(retransmit == [.sendDatabaseDescription(initialDD(seq: 101)),
                           .startDDRetransmitTimer(at: at(seconds: 110))])
}

@Test func aSmallerNeighborMTUIsAccepted() {
    var n = exStart()
    #expect(receive(initialDD(seq: 7000, mtu: 1400), on: &n).0 == nil)
    #expect(n.state == .exchange)
}

@Test func aDatabaseDescriptionInInitRaisesTwoWayReceivedFirst() {
    var n = neighbor(in: .initState)
    let (drop, _) = receive(initialDD(seq: 7000), on: &n)
    #expect(drop == nil)
    #expect(n.state == .exchange && n.role == .slave)
}

@Test(arguments: [NeighborState.down, .attempt])
func aDatabaseDescriptionBeforeInitIsRejected(state: NeighborState) {
    var n = neighbor(in: state)
    #expect(receive(initialDD(seq: 1), on: &n).0 == .neighborNotReady(state))
}

@Test func aDatabaseDescriptionBetweenDROthersIsIgnored() {
    var n = neighbor(in: .twoWay)
    #expect(receive(initialDD(seq: 1), on: &n, link: drOtherLink).0 == .notAdjacent)
    #expect(n.state == .twoWay)
}

// MARK: - Exchange: duplicates and SeqNumberMismatch

@Test func theSlaveAnswersADuplicateWithItsLastPacket() {
    var n = exStart()
    _ = receive(initialDD(seq: 7000), on: &n)
    let (drop, actions) = receive(initialDD(seq: 7000), on: &n)
    #expect(drop == .duplicate)
    #expect(n.state == .exchange)
    #expect(actions == [.sendDatabaseDescription(dd([], seq: 7000, headers: [header(.router, 1)]))])
}

@Test func theMasterDiscardsADuplicate() {
    var n = exStart(id: lowerID)
    _ = receive(dd([.m], seq: 101), on: &n)
    let (drop, actions) = receive(dd([.m], seq: 101), on: &n)
    #expect(drop == .duplicate)
    #expect(actions.isEmpty)
}

/// A master in Exchange that has sent DD 102 and awaits its acknowledgement.
private func masterInExchange() -> OSPFNeighbor {
    var n = exStart(id: lowerID)
    _ = receive(dd([.m], seq: 101), on: &n)
    return n
}

@Test(arguments: [
    (dd([.m, .ms], seq: 102), SequenceMismatch.masterSlaveBitMismatch),
    (dd([.i, .m], seq: 102), .initializeBitSet),
    (dd([.m], seq: 102, options: [.e, .o]), .optionsChanged),
    (dd([.m], seq: 999), .unexpectedSequenceNumber(expected: 102, received: 999)),
    (dd([.m], seq: 102, headers: [header(LSAType(rawValue: 42), 9)]), .unknownLSType(LSAType(rawValue: 42))),
])
func exchangeErrorsRaiseSeqNumberMismatch(packet: OSPFDatabaseDescription, reason: SequenceMismatch) {
    var n = masterInExchange()
    let (drop, actions) = receive(packet, on: &n)
    #expect(drop == .sequenceMismatch(reason))
    #expect(n.state == .exStart && n.ddSequenceNumber == 103)
    #expect(actions == [.sendDatabaseDescription(initialDD(seq: 103)), .startDDRetransmitTimer(at: at(seconds: 105)),
                        change(.exchange, .exStart, .seqNumberMismatch, id: lowerID)])
}

@Test func theSlaveExpectsTheNextSequenceNumber() {
    var n = exStart()
    _ = receive(initialDD(seq: 7000), on: &n)
    #expect(receive(dd([.m, .ms], seq: 7002), on: &n).0
        == .sequenceMismatch(.unexpectedSequenceNumber(expected: 7001, received: 7002)))
}

@Test func anASExternalHeaderInAStubAreaIsASequenceMismatch() {
    var link = pointToPointLink
    link.externalRoutingCapable = false
    link.options = []
    var n = exStart(link: link)
    let (drop, _) = receive(dd([.i, .m, .ms], seq: 7000, options: []), on: &n, link: link)
    #expect(drop == nil)
    #expect(receive(dd([.m, .ms], seq: 7001, headers: [header(.asExternal, 9)], options: []), on: &n, link: link).0
        == .sequenceMismatch(.asExternalLSAInStubArea))
    #expect(n.state == .exStart)
}

@Test(arguments: [NeighborState.loading, .full])
func anythingButADuplicateAfterTheExchangeIsASequenceMismatch(state: NeighborState) {
    var n = neighbor(in: state, role: .slave)
    n.lastReceivedDD = ReceivedDatabaseDescription(dd([.ms], seq: 500))
    #expect(receive(dd([.ms], seq: 500), on: &n).0 == .duplicate)
    #expect(n.state == state)
    #expect(receive(dd([.ms], seq: 501), on: &n).0 == .sequenceMismatch(.exchangeAlreadyDone))
    #expect(n.state == .exStart)
}

// MARK: - The whole exchange

@Test func theMasterFinishesWhenBothSidesHaveNothingMore() {
    var n = masterInExchange()
    // The slave acknowledges 102 with M clear; our summary is exhausted: Exchange Done, then Loading.
    var n2 = n
    let (drop, actions) = receive(dd([], seq: 102), on: &n2)
    #expect(drop == nil)
    #expect(n2.state == .full)
    #expect(actions == [.stopDDRetransmitTimer, .originateRouterLSA,
                        change(.exchange, .full, .exchangeDone, id: lowerID)])
    // With something to request, Loading starts with an LS Request.
    n.linkStateRequestList = [request(for: header(.router, 7))]
    let (_, loading) = receive(dd([], seq: 102), on: &n)
    #expect(n.state == .loading)
    #expect(loading == [.sendLinkStateRequest([request(for: header(.router, 7))]),
                        .startLSRRetransmitTimer(at: at(seconds: 105)), .stopDDRetransmitTimer,
                        change(.exchange, .loading, .exchangeDone, id: lowerID)])
}

@Test(arguments: [(UInt16(1500), 72), (576, 26), (100, 2)])
func databaseDescriptionsCarryAsManyHeadersAsTheMTUAllows(mtu: UInt16, perPacket: Int) {
    #expect(OSPFPacketBudget.lsaHeadersPerDatabaseDescription(mtu: mtu) == perPacket)
    var link = pointToPointLink
    link.interfaceMTU = mtu
    var n = neighbor(in: .exchange, role: .master, summary: (1...100).map { header(.router, UInt8($0)) })
    let first = n.nextDatabaseDescription(link: link)
    #expect(first.headers.count == perPacket)
    #expect(first.flags == [.m, .ms])
    #expect(n.databaseSummaryList.count == 100 - perPacket)
    #expect(OSPFPacket(routerID: me, areaID: .any, body: .databaseDescription(first)).encodedLength + 20 <= Int(mtu))
}

@Test func linkStateRequestsRespectTheMTUAndLoadingEndsWhenAllAreAnswered() {
    var link = pointToPointLink
    link.interfaceMTU = 100   // (100 - 20 - 24) / 12 = 4 requests per packet
    let wanted = (1...6).map { header(.router, UInt8($0)) }
    var n = neighbor(in: .exchange, requests: wanted.map(request(for:)))
    var actions: [NeighborAction] = []
    n.handle(.exchangeDone, link: link, now: now, actions: &actions)
    #expect(actions.first == .sendLinkStateRequest(wanted.prefix(4).map(request(for:))))
    for h in wanted.prefix(4) {
        actions.removeAll()
        n.requestSatisfied(by: h, link: link, now: now, actions: &actions)
    }
    // The first batch answered, the rest is asked for.
    #expect(actions == [.sendLinkStateRequest(wanted.suffix(2).map(request(for:))),
                        .startLSRRetransmitTimer(at: at(seconds: 105))])
    for h in wanted.suffix(2) {
        actions.removeAll()
        n.requestSatisfied(by: h, link: link, now: now, actions: &actions)
    }
    #expect(n.state == .full)
    #expect(actions.withoutDebug == [.stopLSRRetransmitTimer, .originateRouterLSA,
                                     change(.loading, .full, .loadingDone)])
}

// Two routers on a point-to-point link with a small MTU run the whole exchange against each other:
// 1.1.1.1 (slave) and 2.2.2.2 (master), each holding 60 LSAs the other lacks.
@Test func twoRoutersExchangeTheirDatabasesAndLoadWhatTheyLack() {
    var linkA = pointToPointLink
    linkA.interfaceMTU = 576
    var linkB = NeighborLink(networkType: .pointToPoint, routerID: nbrID, interfaceAddress: nbrAddress)
    linkB.interfaceMTU = 576
    let headersA = (1...60).map { header(.router, UInt8($0)) }
    let headersB = (101...160).map { header(.summaryNetwork, UInt8($0)) }
    let dbA = lsdb(ours: headersA, missing: headersB)
    let dbB = lsdb(ours: headersB, missing: headersA)
    var a = OSPFNeighbor(neighborID: nbrID, address: nbrAddress)   // A's view of B
    var b = OSPFNeighbor(neighborID: me, address: myAddress)       // B's view of A
    var queue: [(toA: Bool, packet: OSPFDatabaseDescription)] = []
    func deliver(_ actions: [NeighborAction], toA: Bool) {
        for case let .sendDatabaseDescription(p) in actions { queue.append((toA, p)) }
    }
    var actions: [NeighborAction] = []
    a.handle(.helloReceived, link: linkA, now: now, actions: &actions)
    a.handle(.twoWayReceived, link: linkA, now: now, actions: &actions)
    deliver(actions, toA: false)
    actions.removeAll()
    b.handle(.helloReceived, link: linkB, now: now, actions: &actions)
    b.handle(.twoWayReceived, link: linkB, now: now, actions: &actions)
    deliver(actions, toA: true)
    var packets = 0
    while !queue.isEmpty, packets < 100 {
        let (toA, packet) = queue.removeFirst()
        packets += 1
        actions.removeAll()
        if toA {
            _ = a.receiveDatabaseDescription(packet, link: linkA, lsdb: dbA, now: now, actions: &actions)
        } else {
            _ = b.receiveDatabaseDescription(packet, link: linkB, lsdb: dbB, now: now, actions: &actions)
        }
        deliver(actions, toA: !toA)
    }
    #expect(a.role == .slave && b.role == .master)
    #expect(a.state == .loading && b.state == .loading)
    #expect(a.linkStateRequestList == headersB.map(request(for:)))
    #expect(b.linkStateRequestList == headersA.map(request(for:)))
    #expect(a.databaseSummaryList.isEmpty && b.databaseSummaryList.isEmpty)
    for h in headersB { a.requestSatisfied(by: h, link: linkA, now: now, actions: &actions) }
    for h in headersA { b.requestSatisfied(by: h, link: linkB, now: now, actions: &actions) }
    #expect(a.state == .full && b.state == .full)
}

@Test func virtualLinksAdvertiseMTUZeroAndSkipTheCheck() {
    let link = NeighborLink(networkType: .virtualLink, routerID: me, interfaceAddress: myAddress)
    var n = exStart(link: link)
    #expect(n.lastSentDD?.interfaceMTU == 0)
    #expect(receive(initialDD(seq: 7000, mtu: 9000), on: &n, link: link).0 == nil)
    #expect(n.state == .exchange)
}
