import Engine
import Fabric
import Wire

// MARK: - Downstream (RFC 7761 §4.5.2 and §4.5.3)

/// Per-interface downstream state of a (*,G) or (S,G) entry, from Join/Prunes received on the interface.
public enum DownstreamState: Hashable, Sendable {
    case noInfo
    /// Joined until the Expiry Timer runs out.
    case join(expires: SimTime)
    /// A Prune was heard on a LAN: joined still, until the Prune-Pending Timer lets others override it.
    case prunePending(expires: SimTime, until: SimTime)
}

public enum DownstreamEvent: Hashable, Sendable {
    case receiveJoin(holdtime: SimDuration)
    /// `onLAN`: other routers on the interface may still need the state (they get J/P_Override_Interval).
    case receivePrune(onLAN: Bool)
    /// The Expiry Timer or the Prune-Pending Timer: whichever is due by `now` applies.
    case timersDue
}

public struct DownstreamInterface: Hashable, Sendable {
    public var state: DownstreamState = .noInfo
    /// When the interface entered the olist (`show ip mroute` uptime).
    public var uptime: SimTime

    public init(uptime: SimTime) { self.uptime = uptime }

    /// Whether the interface is in the entry's immediate olist (Join and Prune-Pending both forward).
    public var isJoined: Bool { state != .noInfo }

    public var expires: SimTime? {
        switch state {
        case .noInfo: nil
        case let .join(e), let .prunePending(e, _): e
        }
    }

    public var nextDeadline: SimTime? {
        switch state {
        case .noInfo: nil
        case let .join(e): e
        case let .prunePending(e, u): min(e, u)
        }
    }

    /// The downstream machine (RFC 7761 §4.5.3 for (S,G); §4.5.2 for (*,G) is the same table).
    public mutating func handle(_ event: DownstreamEvent, now: SimTime) {
        switch (state, event) {
        case (.noInfo, .receiveJoin(let holdtime)):
            uptime = now
            state = .join(expires: now + holdtime)
        case (.join(let e), .receiveJoin(let holdtime)), (.prunePending(let e, _), .receiveJoin(let holdtime)):
            // The Expiry Timer is only ever raised by a Join (§4.5.3: "set to maximum of its current value and HoldTime").
            state = .join(expires: max(e, now + holdtime))
        case (.join(let e), .receivePrune(let onLAN)):
            state = onLAN ? .prunePending(expires: e, until: now + PIMTimers.joinPruneOverrideInterval) : .noInfo
        case (.prunePending, .receivePrune):
            break  // already waiting for an override
        case (.join(let e), .timersDue):
            if e <= now { state = .noInfo }
        case (.prunePending(let e, let until), .timersDue):
            if e <= now || until <= now { state = .noInfo }
        case (.noInfo, .receivePrune), (.noInfo, .timersDue):
            break  // nothing to prune or expire
        }
    }
}

// MARK: - Register (RFC 7761 §4.4.1)

/// The DR's per-(S,G) register state.
public enum RegisterState: Hashable, Sendable {
    case noInfo
    /// The register tunnel is up: data is encapsulated to the RP.
    case join
    /// Suppressed; a Null-Register was sent and the tunnel comes back at `until` unless a Register-Stop answers.
    case joinPending(until: SimTime)
    /// Suppressed by a Register-Stop until `until` (then a Null-Register probes the RP).
    case prune(until: SimTime)

    public var registerStopTimer: SimTime? {
        switch self {
        case .noInfo, .join: nil
        case let .joinPending(t), let .prune(t): t
        }
    }
}

public enum RegisterEvent: Hashable, Sendable {
    case couldRegisterTrue, couldRegisterFalse, registerStopReceived, registerStopTimerExpired
}

public enum RegisterAction: Hashable, Sendable {
    case addRegisterTunnel, removeRegisterTunnel, sendNullRegister
}

extension RegisterState {
    /// The register state machine, RFC 7761 §4.4.1. The suppression is IOS's fixed 60 s (the RFC draws it from
    /// 0.5–1.5 × Register_Suppression_Time); the Null-Register goes Register_Probe_Time (5 s) before it ends.
    public mutating func handle(_ event: RegisterEvent, now: SimTime, actions: inout [RegisterAction]) {
        let suppressed = now + (PIMTimers.registerSuppressionTime - PIMTimers.registerProbeTime)
        switch (self, event) {
        case (.noInfo, .couldRegisterTrue):
            self = .join
            actions.append(.addRegisterTunnel)
        case (.join, .couldRegisterFalse):
            self = .noInfo
            actions.append(.removeRegisterTunnel)
        case (.join, .registerStopReceived):
            self = .prune(until: suppressed)
            actions.append(.removeRegisterTunnel)
        case (.prune, .registerStopTimerExpired):
            self = .joinPending(until: now + PIMTimers.registerProbeTime)
            actions.append(.sendNullRegister)
        case (.joinPending, .registerStopTimerExpired):
            self = .join
            actions.append(.addRegisterTunnel)
        case (.joinPending, .registerStopReceived):
            self = .prune(until: suppressed)
        case (.prune, .couldRegisterFalse), (.joinPending, .couldRegisterFalse):
            self = .noInfo
        case (.noInfo, .couldRegisterFalse), (.noInfo, .registerStopReceived), (.noInfo, .registerStopTimerExpired),
             (.join, .couldRegisterTrue), (.join, .registerStopTimerExpired),
             (.prune, .couldRegisterTrue), (.prune, .registerStopReceived),
             (.joinPending, .couldRegisterTrue):
            break  // §4.4.1's table: no change (a Register-Stop in Prune only confirms the suppression)
        }
    }
}

// MARK: - Assert (RFC 7761 §4.6)

/// An assert metric (RFC 7761 §4.6.1): SPT (RPT bit clear) beats RPT, then the lower metric preference, the lower
/// metric, and last the higher address.
public struct AssertMetric: Hashable, Sendable {
    public var rptBit: Bool
    public var preference: UInt32
    public var metric: UInt32
    public var address: IPv4Address
    public init(rptBit: Bool, preference: UInt32, metric: UInt32, address: IPv4Address) {
        self.rptBit = rptBit
        self.preference = preference
        self.metric = metric
        self.address = address
    }

    /// RFC 7761 §4.6.1 "is better than".
    public func isBetter(than other: AssertMetric) -> Bool {
        if rptBit != other.rptBit { return !rptBit }
        if preference != other.preference { return preference < other.preference }
        if metric != other.metric { return metric < other.metric }
        return address > other.address
    }
}

/// The assert state of one (entry, interface) (RFC 7761 §4.6.1/§4.6.2, reduced to the three states).
public enum AssertState: Hashable, Sendable {
    case noInfo
    /// We forward on the interface (oif flag A); re-assert at `expires` − Assert_Override_Interval.
    case winner(expires: SimTime)
    /// Another router forwards: the interface leaves the olist until `expires`.
    case loser(winner: AssertMetric, expires: SimTime)

    public var expires: SimTime? {
        switch self {
        case .noInfo: nil
        case let .winner(e), let .loser(_, e): e
        }
    }

    public var isLoser: Bool { if case .loser = self { true } else { false } }
    public var isWinner: Bool { if case .winner = self { true } else { false } }
}

public enum AssertEvent: Hashable, Sendable {
    /// Data arrived on an interface of the olist (the data plane's `.wrongInterface` there; CouldAssert).
    case dataOnOutgoingInterface
    case receiveAssert(AssertMetric)
    case timerExpired
}

extension AssertState {
    /// The assert machine (RFC 7761 §4.6.1): returns whether to send our Assert now. `mine` is our metric on
    /// the interface.
    public mutating func handle(_ event: AssertEvent, mine: AssertMetric, now: SimTime) -> Bool {
        let winnerTimer = now + PIMTimers.assertTime
        switch (self, event) {
        case (.noInfo, .dataOnOutgoingInterface):
            self = .winner(expires: winnerTimer)
            return true
        case (.noInfo, .receiveAssert(let theirs)), (.winner, .receiveAssert(let theirs)), (.loser, .receiveAssert(let theirs)):
            if theirs.isBetter(than: mine) {
                self = .loser(winner: theirs, expires: winnerTimer)
                return false
            }
            // An inferior assert: we assert back and win (§4.6.1 "receive inferior Assert").
            self = .winner(expires: winnerTimer)
            return true
        case (.winner, .timerExpired):
            // Still forwarding: refresh the losers' state.
            self = .winner(expires: winnerTimer)
            return true
        case (.loser, .timerExpired):
            self = .noInfo
            return false
        case (.winner, .dataOnOutgoingInterface), (.loser, .dataOnOutgoingInterface), (.noInfo, .timerExpired):
            return false  // the winner already asserted; a loser does not forward there
        }
    }
}

// MARK: - Tree entries

/// Where a Join (or (S,G,rpt) Prune) was last sent: the RPF interface and upstream neighbor.
public struct UpstreamTarget: Hashable, Sendable {
    public var interface: Int
    public var neighbor: IPv4Address
}

/// A directly connected member on an interface, as IGMP knows it (RFC 7761 §4.1 local_receiver_include).
public struct LocalMember: Hashable, Sendable {
    public var uptime: SimTime
    public var expires: SimTime?
    /// `ip igmp join-group` (flag L).
    public var isLocal: Bool
}

/// PIM's state for one (*,G) or (S,G) (RFC 7761 §4.1), from which its forwarding entry is written.
public struct TreeEntry: Sendable {
    public var key: MulticastRouteKey
    public var created: SimTime
    /// Joins received per interface (for (*,G): (*,G) joins; for (S,G): (S,G) joins).
    public var downstream: [Int: DownstreamInterface] = [:]
    /// (S,G,rpt) prunes received per interface, with their expiry (§4.5.4, reduced to Pruned/NoInfo).
    public var rptPrunes: [Int: SimTime] = [:]
    /// Directly connected members ((*,G) only), from IGMP.
    public var members: [Int: LocalMember] = [:]
    public var asserts: [Int: AssertState] = [:]
    /// When each interface entered the olist.
    public var oifSince: [Int: SimTime] = [:]
    /// Where our Join went (nil: not joined upstream).
    public var upstream: UpstreamTarget?
    /// Where our (S,G,rpt) Prune went.
    public var rptPruneUpstream: UpstreamTarget?
    public var sptBit = false
    /// The (S,G) was created by the last hop's switch to the SPT (flag J).
    public var joinSPT = false
    public var keepaliveExpires: SimTime?
    /// The DR of a directly connected source (flag F) and its register state.
    public var isFirstHop = false
    public var register: RegisterState = .noInfo
    /// At the RP: where the last Register came from (the Register-Stop goes there).
    public var registerSource: IPv4Address?
    /// A Join to send at this time, overriding a Prune heard on the upstream LAN (§4.5.7).
    public var overrideJoinAt: SimTime?

    public init(key: MulticastRouteKey, created: SimTime) {
        self.key = key
        self.created = created
    }

    public var isWildcard: Bool { key.source == .any }

    public func isKeepaliveRunning(now: SimTime) -> Bool { keepaliveExpires.map { $0 > now } ?? false }

    /// Interfaces joined downstream (immediate olist from Join/Prunes).
    public var joinedInterfaces: [Int] { downstream.filter { $0.value.isJoined }.keys.sorted() }
}
