import Engine
import Wire

extension OSPFInterface {
    /// The interface state machine, RFC 2328 §9.3.
    public mutating func handle(_ event: InterfaceEvent, now: SimTime, actions: inout [InterfaceAction]) {
        let old = state
        let oldDR = designatedRouter
        switch (state, event) {
        case (.down, .interfaceUp):
            switch type {
            case .pointToPoint, .pointToMultipoint, .virtualLink:
                state = .pointToPoint
            case .broadcast, .nbma:
                if priority == 0 {
                    state = .drOther
                } else {
                    state = .waiting
                    // NBMA: eligible configured neighbors are polled with Start.
                    if type == .nbma {
                        for n in neighbors where n.priority > 0 {
                            actions.append(.neighborEvent(.start, neighborID: n.neighborID))
                        }
                    }
                }
            }
            // IOS sends the first hello as the interface comes up rather than a HelloInterval later.
            actions.append(.sendHello(hello, destination: OSPFPacket.allSPFRouters))

        case (.waiting, .backupSeen), (.waiting, .waitTimer),
             (.drOther, .neighborChange), (.backup, .neighborChange), (.dr, .neighborChange):
            electDesignatedRouter(now: now, actions: &actions)

        case (.loopback, .interfaceDown), (.waiting, .interfaceDown), (.pointToPoint, .interfaceDown),
             (.drOther, .interfaceDown), (.backup, .interfaceDown), (.dr, .interfaceDown):
            reset(actions: &actions)
            state = .down
        case (.down, .loopInd), (.waiting, .loopInd), (.pointToPoint, .loopInd),
             (.drOther, .loopInd), (.backup, .loopInd), (.dr, .loopInd):
            reset(actions: &actions)
            state = .loopback
        case (.loopback, .unloopInd):
            state = .down

        // Already up: a repeated InterfaceUp changes nothing.
        case (.loopback, .interfaceUp), (.waiting, .interfaceUp), (.pointToPoint, .interfaceUp),
             (.drOther, .interfaceUp), (.backup, .interfaceUp), (.dr, .interfaceUp),
             // The wait timer and BackupSeen end the Waiting state; elsewhere they are stale.
             (.down, .waitTimer), (.loopback, .waitTimer), (.pointToPoint, .waitTimer),
             (.drOther, .waitTimer), (.backup, .waitTimer), (.dr, .waitTimer),
             (.down, .backupSeen), (.loopback, .backupSeen), (.pointToPoint, .backupSeen),
             (.drOther, .backupSeen), (.backup, .backupSeen), (.dr, .backupSeen),
             // No election while down or looped; Waiting defers it to the wait timer; point-to-point has none.
             (.down, .neighborChange), (.loopback, .neighborChange), (.waiting, .neighborChange),
             (.pointToPoint, .neighborChange),
             // Already looped, not looped, or down.
             (.loopback, .loopInd),
             (.down, .unloopInd), (.waiting, .unloopInd), (.pointToPoint, .unloopInd),
             (.drOther, .unloopInd), (.backup, .unloopInd), (.dr, .unloopInd),
             (.down, .interfaceDown):
            break
        }
        guard state != old || designatedRouter != oldDR else { return }
        if state != old {
            actions.append(.stateChanged(from: old, to: state, event: event))
            debug(.adj, "Interface state change to \(state), new DR \(designatedRouter), "
                + "new BDR \(backupDesignatedRouter)", actions: &actions)
            setTimers(leaving: old, now: now, actions: &actions)
        }
        // RFC 2328 §12.4: an interface state change (or a new DR, which names the transit link) changes the
        // router-LSA; becoming or ceasing to be DR starts or ends our network-LSA.
        actions.append(.originateRouterLSA)
        if state == .dr, old != .dr { actions.append(.originateNetworkLSA) }
        if old == .dr, state != .dr { actions.append(.flushNetworkLSA) }
    }

    /// The timers each state implies, set here once per transition: hellos run in every state but Down and
    /// Loopback, the wait timer in Waiting.
    mutating func setTimers(leaving old: InterfaceState, now: SimTime, actions: inout [InterfaceAction]) {
        let sendsHellos = { (s: InterfaceState) in s != .down && s != .loopback }
        if sendsHellos(state), !sendsHellos(old) {
            helloTimerStartedAt = now
            actions.append(.startHelloTimer(at: now + helloInterval))
        }
        if !sendsHellos(state), sendsHellos(old) {
            helloTimerStartedAt = nil
            actions.append(.stopHelloTimer)
        }
        if state == .waiting, old != .waiting { actions.append(.startWaitTimer(at: now + routerDeadInterval)) }
        if old == .waiting, state != .waiting { actions.append(.stopWaitTimer) }
    }

    /// RFC 2328 §9.3 InterfaceDown and LoopInd: variables reset, every neighbor killed.
    mutating func reset(actions: inout [InterfaceAction]) {
        for n in neighbors where n.state != .down {
            actions.append(.neighborEvent(.killNbr, neighborID: n.neighborID))
        }
        designatedRouter = .any
        backupDesignatedRouter = .any
    }

    /// The router ID of the router with this interface address (ours or a neighbor's), 0.0.0.0 for none.
    func electedRouterID(_ address: IPv4Address) -> IPv4Address {
        if address == .any { return .any }
        if address == self.address { return routerID }
        return neighbors.first { $0.address == address }?.neighborID ?? address
    }

    /// Applies RFC 2328 §9.4 to this interface: steps (1)–(7), with (1)–(4) in `DesignatedRouterElection`.
    mutating func electDesignatedRouter(now: SimTime, actions: inout [InterfaceAction]) {
        debug(.adj, "DR/BDR election on \(name)", actions: &actions)
        let me = ElectionCandidate(routerID: routerID, priority: priority, address: address,
                                   designatedRouter: designatedRouter, backupDesignatedRouter: backupDesignatedRouter)
        let others = neighbors.filter(\.isBidirectional).map {
            ElectionCandidate(routerID: $0.neighborID, priority: $0.priority, address: $0.address,
                              designatedRouter: $0.designatedRouter, backupDesignatedRouter: $0.backupDesignatedRouter)
        }
        let result = DesignatedRouterElection.elect(calculatingRouter: me, neighbors: others)
        let changed = result.designatedRouter != designatedRouter
            || result.backupDesignatedRouter != backupDesignatedRouter
        designatedRouter = result.designatedRouter
        backupDesignatedRouter = result.backupDesignatedRouter
        // IOS names the elected routers by router ID ("Elect DR 2.2.2.2"), 0.0.0.0 for none.
        debug(.adj, "Elect BDR \(electedRouterID(backupDesignatedRouter))", actions: &actions)
        debug(.adj, "Elect DR \(electedRouterID(designatedRouter))", actions: &actions)
        // (5)
        state = designatedRouter == address ? .dr : backupDesignatedRouter == address ? .backup : .drOther
        // (6) NBMA: as DR or BDR, poll the neighbors that cannot become DR.
        if type == .nbma, state == .dr || state == .backup {
            for n in neighbors where n.priority == 0 && n.state == .down {
                actions.append(.neighborEvent(.start, neighborID: n.neighborID))
            }
        }
        // (7) A new DR or BDR changes who should be adjacent with whom.
        if changed {
            for n in neighbors where n.isBidirectional {
                actions.append(.neighborEvent(.adjOK, neighborID: n.neighborID))
            }
        }
    }
}
