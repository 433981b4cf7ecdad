import Engine
import Wire

extension OSPFNeighbor {
    /// The neighbor state machine, RFC 2328 §10.3.
    public mutating func handle(_ event: NeighborEvent, link: NeighborLink, now: SimTime,
                                actions: inout [NeighborAction]) {
        let old = state
        switch (state, event) {
        // NBMA only: start polling an eligible neighbor we have not heard from.
        case (.down, .start):
            actions.append(.sendHello)
            restartInactivityTimer(link: link, now: now, actions: &actions)
            state = .attempt
        case (.down, .helloReceived), (.attempt, .helloReceived):
            restartInactivityTimer(link: link, now: now, actions: &actions)
            state = .initState
        case (.initState, .helloReceived), (.twoWay, .helloReceived), (.exStart, .helloReceived),
             (.exchange, .helloReceived), (.loading, .helloReceived), (.full, .helloReceived):
            restartInactivityTimer(link: link, now: now, actions: &actions)

        case (.initState, .twoWayReceived):
            // RFC 2328 §10.4 decides between a bare 2-Way and starting the database exchange.
            if shouldBecomeAdjacent(link: link) {
                enterExStart(link: link, now: now, actions: &actions)
            } else {
                state = .twoWay
            }
        case (.twoWay, .adjOK):
            if shouldBecomeAdjacent(link: link) { enterExStart(link: link, now: now, actions: &actions) }
        case (.exStart, .adjOK), (.exchange, .adjOK), (.loading, .adjOK), (.full, .adjOK):
            if !shouldBecomeAdjacent(link: link) {
                clearLists()
                state = .twoWay
            }

        case (.exStart, .negotiationDone):
            // The DD receipt (§10.6) that raised this event set `role` and listed the area database in
            // `databaseSummaryList`; it goes on to send the first packet of the exchange.
            state = .exchange
        case (.exchange, .exchangeDone):
            if linkStateRequestList.isEmpty {
                state = .full
            } else {
                state = .loading
                sendLinkStateRequest(link: link, now: now, actions: &actions)
            }
        case (.loading, .loadingDone):
            state = .full

        case (.exchange, .seqNumberMismatch), (.loading, .seqNumberMismatch), (.full, .seqNumberMismatch),
             (.exchange, .badLSReq), (.loading, .badLSReq), (.full, .badLSReq):
            clearLists()
            enterExStart(link: link, now: now, actions: &actions)

        case (.twoWay, .oneWay), (.exStart, .oneWay), (.exchange, .oneWay), (.loading, .oneWay), (.full, .oneWay):
            clearLists()
            state = .initState

        case (.attempt, .killNbr), (.initState, .killNbr), (.twoWay, .killNbr), (.exStart, .killNbr),
             (.exchange, .killNbr), (.loading, .killNbr), (.full, .killNbr),
             (.attempt, .llDown), (.initState, .llDown), (.twoWay, .llDown), (.exStart, .llDown),
             (.exchange, .llDown), (.loading, .llDown), (.full, .llDown),
             (.attempt, .inactivityTimer), (.initState, .inactivityTimer), (.twoWay, .inactivityTimer),
             (.exStart, .inactivityTimer), (.exchange, .inactivityTimer), (.loading, .inactivityTimer),
             (.full, .inactivityTimer):
            clearLists()
            state = .down

        // Already Down: nothing to destroy, no timer runs.
        case (.down, .killNbr), (.down, .llDown), (.down, .inactivityTimer),
             // Start polls a silent NBMA neighbor; once it is heard from (or polled) there is nothing to start.
             (.attempt, .start), (.initState, .start), (.twoWay, .start), (.exStart, .start),
             (.exchange, .start), (.loading, .start), (.full, .start),
             // Already bidirectional (2-Way Received, RFC 2328 §10.3 "no state change"), or not yet heard from:
             // hello processing raises 2-WayReceived only after HelloReceived has moved the neighbor to Init.
             (.twoWay, .twoWayReceived), (.exStart, .twoWayReceived), (.exchange, .twoWayReceived),
             (.loading, .twoWayReceived), (.full, .twoWayReceived),
             (.down, .twoWayReceived), (.attempt, .twoWayReceived),
             // Not yet bidirectional, so never adjacent: AdjOK? has nothing to decide.
             (.down, .adjOK), (.attempt, .adjOK), (.initState, .adjOK),
             // 1-Way in Init is "no state change"; below Init the neighbor was never two-way.
             (.down, .oneWay), (.attempt, .oneWay), (.initState, .oneWay),
             // These belong to one phase of the database exchange; outside it they are stale and ignored.
             (.down, .negotiationDone), (.attempt, .negotiationDone), (.initState, .negotiationDone),
             (.twoWay, .negotiationDone), (.exchange, .negotiationDone), (.loading, .negotiationDone),
             (.full, .negotiationDone),
             (.down, .exchangeDone), (.attempt, .exchangeDone), (.initState, .exchangeDone), (.twoWay, .exchangeDone),
             (.exStart, .exchangeDone), (.loading, .exchangeDone), (.full, .exchangeDone),
             (.down, .loadingDone), (.attempt, .loadingDone), (.initState, .loadingDone), (.twoWay, .loadingDone),
             (.exStart, .loadingDone), (.exchange, .loadingDone), (.full, .loadingDone),
             // Sequence and request errors are defined from Exchange on (RFC 2328 §10.3): no DD was accepted yet.
             (.down, .seqNumberMismatch), (.attempt, .seqNumberMismatch), (.initState, .seqNumberMismatch),
             (.twoWay, .seqNumberMismatch), (.exStart, .seqNumberMismatch),
             (.down, .badLSReq), (.attempt, .badLSReq), (.initState, .badLSReq), (.twoWay, .badLSReq),
             (.exStart, .badLSReq):
            break
        }
        guard state != old else { return }
        stateChanges += 1
        if state < .twoWay { bidirectionalSince = nil } else if old < .twoWay { bidirectionalSince = now }
        // Classic IOS `debug ip ospf adj` marks the steps of an adjacency (Cisco IOS Cookbook, "Debugging OSPF").
        switch (state, event) {
        case (.twoWay, _): link.debug("2 Way Communication to \(neighborID) on \(link.interfaceName), state 2WAY",
                                      actions: &actions)
        case (_, .exchangeDone): link.debug("Exchange Done with \(neighborID) on \(link.interfaceName)", actions: &actions)
        default: break
        }
        if state == .full {
            link.debug("Synchronized with \(neighborID) on \(link.interfaceName), state FULL", actions: &actions)
        }
        setTimers(leaving: old, now: now, actions: &actions)
        if (old == .full) != (state == .full) {
            // RFC 2328 §12.4: the set of fully adjacent neighbors changed.
            actions.append(.originateRouterLSA)
            if link.weAreDesignatedRouter { actions.append(.originateNetworkLSA) }
        }
        actions.append(.adjacencyChanged(AdjacencyChange(neighborID: neighborID, from: old, to: state, event: event)))
    }

    /// RFC 2328 §10.4: whether to form an adjacency with this neighbor.
    public func shouldBecomeAdjacent(link: NeighborLink) -> Bool {
        switch link.networkType {
        case .pointToPoint, .pointToMultipoint, .virtualLink:
            return true
        case .broadcast, .nbma:
            let dr = link.designatedRouter, bdr = link.backupDesignatedRouter, me = link.interfaceAddress
            return me == dr || me == bdr || address == dr || address == bdr
        }
    }

    // MARK: - Actions shared by several transitions

    /// RFC 2328 §10.3 (2-Way → ExStart): choose or bump the DD sequence number, claim mastership and send
    /// the empty initial database description, retransmitted every RxmtInterval until negotiation ends.
    mutating func enterExStart(link: NeighborLink, now: SimTime, actions: inout [NeighborAction]) {
        if hasAttemptedAdjacency {
            ddSequenceNumber &+= 1
        } else {
            // "Some unique value (like the time of day clock)": the virtual clock in seconds keeps runs replayable.
            ddSequenceNumber = UInt32(truncatingIfNeeded: now.nanoseconds / 1_000_000_000) &+ 1
            hasAttemptedAdjacency = true
        }
        role = .master
        lastReceivedDD = nil
        state = .exStart
        sendDatabaseDescription(OSPFDatabaseDescription(interfaceMTU: link.advertisedMTU, options: link.options,
                                                        flags: [.i, .m, .ms], sequenceNumber: ddSequenceNumber,
                                                        headers: []),
                                link: link, now: now, actions: &actions)
    }

    mutating func sendDatabaseDescription(_ dd: OSPFDatabaseDescription, link: NeighborLink, now: SimTime,
                                          actions: inout [NeighborAction]) {
        lastSentDD = dd
        link.debug("Send DBD to \(neighborID) on \(link.interfaceName) \(Self.fields(dd))", actions: &actions)
        actions.append(.sendDatabaseDescription(dd))
        // Only the master retransmits (RFC 2328 §10.8); the slave answers the master's retransmissions instead.
        if role == .master { actions.append(.startDDRetransmitTimer(at: now + link.rxmtInterval)) }
    }

    mutating func restartInactivityTimer(link: NeighborLink, now: SimTime, actions: inout [NeighborAction]) {
        inactivityDeadline = now + link.routerDeadInterval
        actions.append(.restartInactivityTimer(at: now + link.routerDeadInterval))
    }

    /// RFC 2328 §10.3: the retransmission, database summary and request lists are cleared.
    mutating func clearLists() {
        linkStateRetransmissionList.removeAll()
        databaseSummaryList.removeAll()
        linkStateRequestList.removeAll()
        outstandingRequests.removeAll()
    }

    /// Stops the timers the new state no longer implies. Starts ride with the packet they retransmit.
    mutating func setTimers(leaving old: NeighborState, now: SimTime, actions: inout [NeighborAction]) {
        if state == .down {
            inactivityDeadline = nil
            lastSentDD = nil
            lastReceivedDD = nil
            actions.append(.stopInactivityTimer)
        }
        let master = role == .master
        let ddRetransmitting = { (s: NeighborState) in s == .exStart || (s == .exchange && master) }
        if ddRetransmitting(old), !ddRetransmitting(state) { actions.append(.stopDDRetransmitTimer) }
        // Link state requests are sent in Loading only (RFC 2328 §10.9 allows Exchange too; we wait for its end).
        if old == .loading { actions.append(.stopLSRRetransmitTimer) }
    }
}
