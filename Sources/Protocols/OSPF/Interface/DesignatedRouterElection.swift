import Wire

/// One router as the DR election sees it (RFC 2328 §9.4): from our interface data, or a neighbor's last hello.
public struct ElectionCandidate: Hashable, Sendable {
    public var routerID: IPv4Address
    public var priority: UInt8
    public var address: IPv4Address
    /// The DR and BDR this router declares (interface addresses, 0.0.0.0 for none).
    public var designatedRouter: IPv4Address
    public var backupDesignatedRouter: IPv4Address

    public init(routerID: IPv4Address, priority: UInt8, address: IPv4Address,
                designatedRouter: IPv4Address = .any, backupDesignatedRouter: IPv4Address = .any) {
        self.routerID = routerID
        self.priority = priority
        self.address = address
        self.designatedRouter = designatedRouter
        self.backupDesignatedRouter = backupDesignatedRouter
    }

    var declaresItselfDR: Bool { designatedRouter == address }
    var declaresItselfBDR: Bool { backupDesignatedRouter == address }
}

/// The Designated Router election of RFC 2328 §9.4, steps (1)–(4): non-preemptive, as a pure function.
public enum DesignatedRouterElection {
    public struct Result: Hashable, Sendable {
        public var designatedRouter: IPv4Address
        public var backupDesignatedRouter: IPv4Address
    }

    /// `me` is the calculating router with its current declarations; `neighbors` are those in state ≥ 2-Way.
    public static func elect(calculatingRouter me: ElectionCandidate, neighbors: [ElectionCandidate]) -> Result {
        // (1) The current values are in `me`.
        let first = steps2and3(me: me, neighbors: neighbors)
        // (4) If we newly become, or stop being, DR or BDR, run (2) and (3) again with our new declarations,
        // so that we are never both DR and BDR.
        let wasDR = me.declaresItselfDR, wasBDR = me.declaresItselfBDR
        let isDR = first.designatedRouter == me.address, isBDR = first.backupDesignatedRouter == me.address
        guard wasDR != isDR || wasBDR != isBDR else { return first }
        var updated = me
        updated.designatedRouter = first.designatedRouter
        updated.backupDesignatedRouter = first.backupDesignatedRouter
        return steps2and3(me: updated, neighbors: neighbors)
    }

    static func steps2and3(me: ElectionCandidate, neighbors: [ElectionCandidate]) -> Result {
        // Routers of priority 0 are never elected.
        let eligible = ([me] + neighbors).filter { $0.priority > 0 }
        // (2) BDR: among those not declaring themselves DR, prefer those already declaring themselves BDR.
        let notDR = eligible.filter { !$0.declaresItselfDR }
        let declaredBDR = notDR.filter(\.declaresItselfBDR)
        let bdr = best(of: declaredBDR.isEmpty ? notDR : declaredBDR)?.address ?? .any
        // (3) DR: among those declaring themselves DR; if none, the new BDR becomes DR.
        let dr = best(of: eligible.filter(\.declaresItselfDR))?.address ?? bdr
        return Result(designatedRouter: dr, backupDesignatedRouter: bdr)
    }

    /// Highest priority, ties to the highest router ID.
    static func best(of candidates: [ElectionCandidate]) -> ElectionCandidate? {
        candidates.max { ($0.priority, $0.routerID) < ($1.priority, $1.routerID) }
    }
}
