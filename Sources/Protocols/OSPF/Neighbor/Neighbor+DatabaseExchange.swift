import Engine
import Wire

/// The LSDB questions a database exchange asks (RFC 2328 §10.3 NegotiationDone, §10.6), answered by the owner
/// so the neighbor machine stays free of the database itself.
public struct DatabaseExchangeLSDB {
    /// Every LSA header of the area (AS-external ones only where the area carries them), for the summary list.
    public var summary: () -> [LSAHeader]
    /// True if the LSA is not in the database or our copy is less recent (RFC 2328 §13.1).
    public var isNewerThanOurs: (LSAHeader) -> Bool

    public init(summary: @escaping () -> [LSAHeader], isNewerThanOurs: @escaping (LSAHeader) -> Bool) {
        self.summary = summary
        self.isNewerThanOurs = isNewerThanOurs
    }
}

/// Why a received database description was not accepted as the next in sequence (RFC 2328 §10.6).
public enum DatabaseDescriptionDrop: Hashable, Sendable {
    /// IOS behaviour, as RFC 2328 §10.6: the neighbor's MTU is larger than ours, so the packet is rejected and
    /// the neighbor stays in EXSTART (or EXCHANGE); `ip ospf mtu-ignore` is the usual fix.
    case mtuMismatch(theirs: UInt16, ours: UInt16)
    /// Down or Attempt: rejected.
    case neighborNotReady(NeighborState)
    /// 2-Way (or Init resolving to 2-Way): we are not forming an adjacency, so the packet is ignored.
    case notAdjacent
    /// ExStart: neither negotiation case matched (e.g. our own initial DD crossing the neighbor's); ignored.
    case negotiationPending
    /// The same flags, options and sequence number as the last one: the master discards it, the slave re-sends.
    case duplicate
    /// SeqNumberMismatch was raised: the neighbor went back to ExStart.
    case sequenceMismatch(SequenceMismatch)
}

/// The checks of RFC 2328 §10.6 that raise SeqNumberMismatch.
public enum SequenceMismatch: Hashable, Sendable {
    case masterSlaveBitMismatch
    case initializeBitSet
    case optionsChanged
    case unexpectedSequenceNumber(expected: UInt32, received: UInt32)
    case unknownLSType(LSAType)
    case asExternalLSAInStubArea
    /// Loading or Full: anything but a duplicate.
    case exchangeAlreadyDone
}

/// Sizes of what fits in one packet (RFC 2328 §10.8, §10.9): the IP header (20), the OSPF header (24) and the
/// packet's fixed part come off the interface MTU.
public enum OSPFPacketBudget {
    public static func lsaHeadersPerDatabaseDescription(mtu: UInt16) -> Int {
        max(1, (Int(mtu) - 20 - OSPFPacket.headerLength - 8) / LSAHeader.encodedLength)
    }

    public static func requestsPerLinkStateRequest(mtu: UInt16) -> Int {
        max(1, (Int(mtu) - 20 - OSPFPacket.headerLength) / 12)
    }
}

extension OSPFNeighbor {
    /// A DD as IOS's `Send DBD` / `Rcv DBD` lines describe it: "seq 0x1995 opt 0x52 flag 0x7 len 32".
    static func fields(_ dd: OSPFDatabaseDescription) -> String {
        "seq 0x\(String(dd.sequenceNumber, radix: 16, uppercase: true)) "
            + "opt 0x\(String(dd.options.rawValue, radix: 16, uppercase: true)) "
            + "flag 0x\(String(dd.flags.rawValue, radix: 16, uppercase: true)) "
            + "len \(OSPFPacket.headerLength + 8 + dd.headers.count * LSAHeader.encodedLength)"
    }

    /// Receiving a database description, RFC 2328 §10.6. Returns nil when the packet was accepted as next in
    /// sequence, otherwise why it was not; any events it raises run the state machine here.
    public mutating func receiveDatabaseDescription(_ dd: OSPFDatabaseDescription, link: NeighborLink,
                                                    lsdb: DatabaseExchangeLSDB, now: SimTime,
                                                    actions: inout [NeighborAction]) -> DatabaseDescriptionDrop? {
        // IOS `debug ip ospf adj`: "Rcv DBD from 2.2.2.2 on GigabitEthernet0/0 seq 0x1995 opt 0x52 flag 0x7 len 32
        // mtu 1500 state EXSTART" (two spaces before "mtu", as IOS prints it).
        link.debug("Rcv DBD from \(neighborID) on \(link.interfaceName) \(Self.fields(dd))  mtu \(dd.interfaceMTU) "
            + "state \(state)", actions: &actions)
        // RFC 2328 §10.6: a DD whose Interface MTU is larger than ours is rejected, so the neighbor stays in
        // ExStart (or Exchange); IOS prints "Nbr 2.2.2.2 has larger interface MTU". `ip ospf mtu-ignore` skips
        // the check; virtual links carry MTU 0 and are not checked (RFC 2328 A.3.3).
        guard link.mtuIgnore || dd.interfaceMTU <= link.interfaceMTU || link.networkType == .virtualLink else {
            link.debug("Nbr \(neighborID) has larger interface MTU", actions: &actions)
            return .mtuMismatch(theirs: dd.interfaceMTU, ours: link.interfaceMTU)
        }
        switch state {
        case .down, .attempt:
            return .neighborNotReady(state)
        case .initState:
            handle(.twoWayReceived, link: link, now: now, actions: &actions)
            guard state == .exStart else { return .notAdjacent }
            return negotiate(dd, link: link, lsdb: lsdb, now: now, actions: &actions)
        case .twoWay:
            return .notAdjacent
        case .exStart:
            return negotiate(dd, link: link, lsdb: lsdb, now: now, actions: &actions)
        case .exchange:
            if isDuplicate(dd) { return duplicate(actions: &actions) }
            if dd.flags.contains(.ms) != (role == .slave) {
                return mismatch(.masterSlaveBitMismatch, link: link, now: now, actions: &actions)
            }
            if dd.flags.contains(.i) { return mismatch(.initializeBitSet, link: link, now: now, actions: &actions) }
            if dd.options != options { return mismatch(.optionsChanged, link: link, now: now, actions: &actions) }
            // The master expects its own number echoed; the slave expects the next one.
            let expected = role == .master ? ddSequenceNumber : ddSequenceNumber &+ 1
            guard dd.sequenceNumber == expected else {
                return mismatch(.unexpectedSequenceNumber(expected: expected, received: dd.sequenceNumber),
                                link: link, now: now, actions: &actions)
            }
            return acceptNextInSequence(dd, link: link, lsdb: lsdb, now: now, actions: &actions)
        case .loading, .full:
            if isDuplicate(dd) { return duplicate(actions: &actions) }
            return mismatch(.exchangeAlreadyDone, link: link, now: now, actions: &actions)
        }
    }

    /// ExStart, RFC 2328 §10.6: which side is master is settled by router ID.
    mutating func negotiate(_ dd: OSPFDatabaseDescription, link: NeighborLink, lsdb: DatabaseExchangeLSDB,
                            now: SimTime, actions: inout [NeighborAction]) -> DatabaseDescriptionDrop? {
        if dd.flags.isSuperset(of: [.i, .m, .ms]), dd.headers.isEmpty, neighborID > link.routerID {
            // The neighbor is master; adopt its sequence number.
            role = .slave
            ddSequenceNumber = dd.sequenceNumber
        } else if !dd.flags.contains(.i), !dd.flags.contains(.ms), dd.sequenceNumber == ddSequenceNumber,
                  neighborID < link.routerID {
            // The slave acknowledged our initial packet: we are master.
            role = .master
        } else {
            return .negotiationPending
        }
        options = dd.options
        databaseSummaryList = lsdb.summary()
        link.debug("NBR Negotiation Done. We are the \(role == .master ? "MASTER" : "SLAVE")", actions: &actions)
        handle(.negotiationDone, link: link, now: now, actions: &actions)
        return acceptNextInSequence(dd, link: link, lsdb: lsdb, now: now, actions: &actions)
    }

    /// RFC 2328 §10.6, "accepted as next in sequence": request what is newer, then the master moves on to
    /// its next packet and the slave answers with its own.
    mutating func acceptNextInSequence(_ dd: OSPFDatabaseDescription, link: NeighborLink, lsdb: DatabaseExchangeLSDB,
                                       now: SimTime, actions: inout [NeighborAction]) -> DatabaseDescriptionDrop? {
        lastReceivedDD = ReceivedDatabaseDescription(dd)
        for header in dd.headers {
            switch header.type {
            case .router, .network, .summaryNetwork, .summaryASBR, .nssaExternal:
                break
            case .asExternal where !link.externalRoutingCapable:
                return mismatch(.asExternalLSAInStubArea, link: link, now: now, actions: &actions)
            case .asExternal:
                break
            default:
                return mismatch(.unknownLSType(header.type), link: link, now: now, actions: &actions)
            }
            let request = LSARequest(type: header.type, linkStateID: header.linkStateID,
                                     advertisingRouter: header.advertisingRouter)
            if lsdb.isNewerThanOurs(header), !linkStateRequestList.contains(request) {
                linkStateRequestList.append(request)
            }
        }
        switch role {
        case .master:
            ddSequenceNumber &+= 1
            let sentAll = databaseSummaryList.isEmpty && !(lastSentDD?.flags.contains(.m) ?? true)
            if sentAll, !dd.flags.contains(.m) {
                handle(.exchangeDone, link: link, now: now, actions: &actions)
            } else {
                sendDatabaseDescription(nextDatabaseDescription(link: link), link: link, now: now, actions: &actions)
            }
        case .slave:
            ddSequenceNumber = dd.sequenceNumber
            let reply = nextDatabaseDescription(link: link)
            sendDatabaseDescription(reply, link: link, now: now, actions: &actions)
            // The slave always finishes first (RFC 2328 §10.6); it keeps its last packet for the master's
            // retransmissions.
            if !dd.flags.contains(.m), !reply.flags.contains(.m) {
                handle(.exchangeDone, link: link, now: now, actions: &actions)
            }
        }
        return nil
    }

    /// RFC 2328 §10.8: the next database description of the exchange, headers taken from the summary list
    /// as far as the interface MTU allows; M says more follow, MS marks the master.
    mutating func nextDatabaseDescription(link: NeighborLink) -> OSPFDatabaseDescription {
        let count = min(databaseSummaryList.count,
                        OSPFPacketBudget.lsaHeadersPerDatabaseDescription(mtu: link.interfaceMTU))
        let headers = Array(databaseSummaryList.prefix(count))
        databaseSummaryList.removeFirst(count)
        var flags: OSPFDatabaseDescription.Flags = []
        if !databaseSummaryList.isEmpty { flags.insert(.m) }
        if role == .master { flags.insert(.ms) }
        return OSPFDatabaseDescription(interfaceMTU: link.advertisedMTU, options: link.options, flags: flags,
                                       sequenceNumber: ddSequenceNumber, headers: headers)
    }

    func isDuplicate(_ dd: OSPFDatabaseDescription) -> Bool {
        lastReceivedDD == ReceivedDatabaseDescription(dd)
    }

    mutating func duplicate(actions: inout [NeighborAction]) -> DatabaseDescriptionDrop {
        if role == .slave, let last = lastSentDD { actions.append(.sendDatabaseDescription(last)) }
        return .duplicate
    }

    mutating func mismatch(_ reason: SequenceMismatch, link: NeighborLink, now: SimTime,
                           actions: inout [NeighborAction]) -> DatabaseDescriptionDrop {
        link.debug("Nbr \(neighborID) DBD sequence mismatch: \(reason)", actions: &actions)
        handle(.seqNumberMismatch, link: link, now: now, actions: &actions)
        return .sequenceMismatch(reason)
    }

    /// The DD retransmission timer fired: the master re-sends its last packet (RFC 2328 §10.8).
    public mutating func ddRetransmitTimerFired(link: NeighborLink, now: SimTime, actions: inout [NeighborAction]) {
        guard role == .master, state == .exStart || state == .exchange, let last = lastSentDD else { return }
        sendDatabaseDescription(last, link: link, now: now, actions: &actions)
    }

    // MARK: - Link state requests, RFC 2328 §10.7 and §10.9

    /// Receiving a link state request, RFC 2328 §10.7: accepted in Exchange, Loading and Full; every LSA asked
    /// for is looked up, and one we do not have raises BadLSReq. Returns the LSAs to send in an update (the
    /// flooding code sends them), or nil if the request was ignored or bad.
    public mutating func receiveLinkStateRequest(_ requests: [LSARequest], link: NeighborLink,
                                                 lookup: (LSARequest) -> LSA?, now: SimTime,
                                                 actions: inout [NeighborAction]) -> [LSA]? {
        guard state >= .exchange else { return nil }
        var lsas: [LSA] = []
        for request in requests {
            guard let lsa = lookup(request) else {
                link.debug("Nbr \(neighborID) requested a missing LSA \(request.type) \(request.linkStateID)",
                           actions: &actions)
                handle(.badLSReq, link: link, now: now, actions: &actions)
                return nil
            }
            lsas.append(lsa)
        }
        return lsas
    }

    /// Sends the head of the request list, as many as fit in one packet, and arms the retransmission timer.
    mutating func sendLinkStateRequest(link: NeighborLink, now: SimTime, actions: inout [NeighborAction]) {
        let perPacket = OSPFPacketBudget.requestsPerLinkStateRequest(mtu: link.interfaceMTU)
        let batch = Array(linkStateRequestList.prefix(perPacket))
        guard !batch.isEmpty else { return }
        outstandingRequests = batch
        actions.append(.sendLinkStateRequest(batch))
        actions.append(.startLSRRetransmitTimer(at: now + link.rxmtInterval))
    }

    /// The LS request retransmission timer fired: ask again for what is still missing.
    public mutating func lsrRetransmitTimerFired(link: NeighborLink, now: SimTime, actions: inout [NeighborAction]) {
        guard state == .loading else { return }
        sendLinkStateRequest(link: link, now: now, actions: &actions)
    }

    /// An update brought an LSA we requested (RFC 2328 §13 (5)); once nothing is missing, Loading is done.
    /// When the whole outstanding batch has been answered, the next one goes out.
    public mutating func requestSatisfied(by header: LSAHeader, link: NeighborLink, now: SimTime,
                                          actions: inout [NeighborAction]) {
        let request = LSARequest(type: header.type, linkStateID: header.linkStateID,
                                 advertisingRouter: header.advertisingRouter)
        guard let index = linkStateRequestList.firstIndex(of: request) else { return }
        linkStateRequestList.remove(at: index)
        outstandingRequests.removeAll { $0 == request }
        guard state == .loading else { return }
        if linkStateRequestList.isEmpty {
            handle(.loadingDone, link: link, now: now, actions: &actions)
        } else if outstandingRequests.isEmpty {
            sendLinkStateRequest(link: link, now: now, actions: &actions)
        }
    }
}
