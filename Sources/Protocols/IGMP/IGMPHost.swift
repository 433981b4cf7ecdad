import Engine
import Fabric
import Wire

/// Host group states, RFC 2236 §6.
enum HostGroupState: Equatable { case nonMember, delayingMember, idleMember }

/// What happens to one group on one interface of a host, RFC 2236 §6.
enum HostGroupEvent: Equatable {
    case joinGroup
    case leaveGroup
    /// A general query, or one specific to this group, with its Max Response Time.
    case queryReceived(maxResponseTime: SimDuration)
    /// Another member's report for the group (RFC 2236 §3: ours is not sent then).
    case reportReceived
    case timerExpired
}

/// What the host state machine asks its owner to do.
enum HostGroupAction: Equatable {
    case sendReport
    case sendLeave
    /// Start or restart the report delay timer: a random delay in `0..<upTo` (RFC 2236 §3).
    case startTimer(upTo: SimDuration)
    /// Keep the timer if it fires before `upTo`, otherwise restart it (RFC 2236 §3, "reset the timer...
    /// only if the requested Max Response Time is less than the remaining value of the running timer").
    case restartTimerIfLater(upTo: SimDuration)
    case stopTimer
}

/// One group joined on one interface of a host (RFC 2236 §6).
struct HostGroup: Equatable {
    var state: HostGroupState = .nonMember
    /// "The flag that we were the last host to send a report for this group" (RFC 2236 §6).
    var lastReporter = false
    /// Unsolicited reports still to send after the first (Robustness Variable − 1, RFC 2236 §3 and §8.1).
    var unsolicitedLeft = 0
    /// When the running delay timer fires.
    var timerDeadline: SimTime?

    /// The transition table of RFC 2236 §6, with the unsolicited repeats of §3.
    mutating func handle(_ event: HostGroupEvent, robustness: Int, unsolicitedReportInterval: SimDuration,
                         actions: inout [HostGroupAction]) {
        switch (state, event) {
        case (.nonMember, .joinGroup):
            // §3: report at once, then repeat robustness − 1 times after random delays.
            actions.append(.sendReport)
            lastReporter = true
            unsolicitedLeft = max(0, robustness - 1)
            if unsolicitedLeft > 0 {
                actions.append(.startTimer(upTo: unsolicitedReportInterval))
                state = .delayingMember
            } else {
                state = .idleMember
            }
        case (.delayingMember, .leaveGroup):
            actions.append(.stopTimer)
            if lastReporter { actions.append(.sendLeave) }
            self = HostGroup()
        case (.idleMember, .leaveGroup):
            if lastReporter { actions.append(.sendLeave) }
            self = HostGroup()
        case (.delayingMember, .queryReceived(let maxResponseTime)):
            actions.append(.restartTimerIfLater(upTo: maxResponseTime))
        case (.idleMember, .queryReceived(let maxResponseTime)):
            actions.append(.startTimer(upTo: maxResponseTime))
            state = .delayingMember
        case (.delayingMember, .reportReceived):
            // §3: another member answered first; ours is suppressed, and so is the rest of an unsolicited run.
            actions.append(.stopTimer)
            lastReporter = false
            unsolicitedLeft = 0
            state = .idleMember
        case (.delayingMember, .timerExpired):
            actions.append(.sendReport)
            lastReporter = true
            if unsolicitedLeft > 0 { unsolicitedLeft -= 1 }
            if unsolicitedLeft > 0 {
                actions.append(.startTimer(upTo: unsolicitedReportInterval))
            } else {
                state = .idleMember
            }
        // Nothing to do: a non-member ignores everything but a join; a member joining again, an idle
        // member hearing a report (it has none pending) or a stale timer change nothing.
        case (.nonMember, .leaveGroup), (.nonMember, .queryReceived), (.nonMember, .reportReceived),
             (.nonMember, .timerExpired), (.delayingMember, .joinGroup), (.idleMember, .joinGroup),
             (.idleMember, .reportReceived), (.idleMember, .timerExpired):
            break
        }
    }
}

/// The host side of IGMPv2 (RFC 2236 §3 and §6) on every interface of a host: it reports the groups
/// the host joins, answers queries after a random delay, keeps quiet when another member answered
/// first, and sends a leave when it was the last to report. IGMPv1 routers (RFC 2236 §4) are answered
/// with version 1 reports and no leaves for the Version 1 Router Present Timeout. An interface configured
/// for IGMPv3 runs the host side of RFC 3376 §5 instead (`IGMPHost+Version3.swift`), falling back to v2 or v1
/// for the Older Version Querier Present Timeout when it hears an older querier (§7.2.1).
public final class IGMPHost: ControlPlaneProtocol {
    public let ipProtocol = IPProtocol.igmp
    /// RFC 2236 §8.1 and §8.10 defaults.
    public static let robustness = 2
    public static let unsolicitedReportInterval = SimDuration.seconds(10)
    /// RFC 2236 §8.11.
    public static let version1RouterPresentTimeout = SimDuration.seconds(400)
    /// RFC 3376 §8.11: the v3 Unsolicited Report Interval.
    public static let version3UnsolicitedReportInterval = SimDuration.seconds(1)
    /// RFC 3376 §8.12 with the defaults: Robustness Variable × Query Interval + Query Response Interval, 2 × 125 s + 10 s.
    public static let olderVersionQuerierPresentTimeout = SimDuration.seconds(260)

    /// Groups by interface << 32 | group.
    var groups: [UInt64: HostGroup] = [:]
    var tokens: [UInt64: UInt32] = [:]
    var keys: [UInt32: UInt64] = [:]
    var random: RandomStream
    /// Per interface: until when an IGMPv1 querier is assumed present (RFC 2236 §4).
    var version1RouterPresentUntil: [Int: SimTime] = [:]
    /// Per v3 interface: until when an IGMPv2 querier is assumed present (RFC 3376 §7.2.1).
    var version2QuerierPresentUntil: [Int: SimTime] = [:]
    /// Per interface in IGMPv3 mode: pending state-change retransmissions and query responses (RFC 3376 §5).
    var version3: [Int: HostVersion3Interface] = [:]

    public init(seed: UInt64, hostname: String) {
        random = RandomStream(seed: seed, label: "igmp-host:\(hostname)")
    }

    /// A host listens to 224.0.0.1 and its own groups only, which the fabric already takes.
    public func multicastGroups(on interface: Int) -> [IPv4Address] { [] }

    /// The state of `group` on logical interface `interface` (tests and `show`).
    func state(of group: IPv4Address, on interface: Int) -> HostGroupState {
        groups[Self.key(interface, group)]?.state ?? .nonMember
    }

    static func key(_ interface: Int, _ group: IPv4Address) -> UInt64 { UInt64(interface) << 32 | UInt64(group.rawValue) }

    public func start(_ context: ControlPlaneContext) {
        // Groups joined before IGMP ran (a host's `groups:`) are reported now.
        for (index, interface) in context.interfaces.enumerated() where context.isUp(index) {
            for group in context.node.joinedGroups(on: interface.name) {
                membershipEvent(group, joined: true, interface: index, context)
            }
        }
    }

    public func membershipChanged(_ group: IPv4Address, interface: Int, joined: Bool, _ context: ControlPlaneContext) {
        membershipEvent(group, joined: joined, interface: interface, context)
    }

    public func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext) {
        guard let message = try? IGMPMessage(bytes: datagram.payload) else { return }
        let index = datagram.interface
        switch message {
        case .membershipQuery(let group, let code):
            let version3 = isVersion3(index, context), wasVersion3 = compatibilityMode(on: index, context) == 3
            if code == 0 {
                // RFC 3376 §8.12 gives a v3 host the Older Version Querier Present Timeout; RFC 2236 §8.11 a v2 one 400 s.
                version1RouterPresentUntil[index] = context.now
                    + (version3 ? Self.olderVersionQuerierPresentTimeout : Self.version1RouterPresentTimeout)
            } else if version3 {
                version2QuerierPresentUntil[index] = context.now + Self.olderVersionQuerierPresentTimeout
            }
            if wasVersion3 { enterOlderVersion(on: index, context) }
            query(group: group, maxResponseTime: message.maxResponseTime ?? .seconds(10), on: index, context)
        case .v3MembershipQuery(let query) where compatibilityMode(on: index, context) == 3:
            version3Query(query, on: index, context)
        case .v3MembershipQuery(let query):
            // An IGMPv2 host answers a v3 query as a v2 one (RFC 3376 §7.2.1: the v3 fields are ignored).
            self.query(group: query.group, maxResponseTime: query.maxResponseTime, on: index, context)
        case .v1MembershipReport(let group), .v2MembershipReport(let group):
            handle(.reportReceived, group: group, interface: index, context)
        case .leaveGroup, .v3MembershipReport, .other:
            break
        }
    }

    func query(group: IPv4Address, maxResponseTime: SimDuration, on index: Int, _ context: ControlPlaneContext) {
        // RFC 2236 §3: a general query concerns every group of the interface, a specific one only its group.
        let targets = groups.keys.filter { $0 >> 32 == UInt64(index) && (group == .any || UInt32(truncatingIfNeeded: $0) == group.rawValue) }
        for key in targets.sorted() {
            handle(.queryReceived(maxResponseTime: maxResponseTime), group: IPv4Address(rawValue: UInt32(truncatingIfNeeded: key)),
                   interface: index, context)
        }
    }

    public func timerFired(token: UInt32, _ context: ControlPlaneContext) {
        if token & Self.version3TokenBase != 0 { return version3TimerFired(token: token, context) }
        guard let key = keys[token] else { return }
        // A v2 timer left over from a compatibility period that has ended.
        if compatibilityMode(on: Int(key >> 32), context) == 3 { return dropOlderVersionState(on: Int(key >> 32), context) }
        groups[key]?.timerDeadline = nil
        handle(.timerExpired, group: IPv4Address(rawValue: UInt32(truncatingIfNeeded: key)), interface: Int(key >> 32), context)
    }

    public func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext) {
        guard up else { return }
        // An interface that comes back reports its groups afresh, as after a join.
        for group in context.node.joinedGroups(on: context.interfaces[interface].name) {
            let key = Self.key(interface, group)
            if let t = tokens[key] { context.cancel(token: t) }
            groups[key] = nil
            version3[interface] = nil
            membershipEvent(group, joined: true, interface: interface, context)
        }
    }

    func handle(_ event: HostGroupEvent, group: IPv4Address, interface: Int, _ context: ControlPlaneContext) {
        let key = Self.key(interface, group)
        var entry = groups[key] ?? HostGroup()
        var actions: [HostGroupAction] = []
        entry.handle(event, robustness: Self.robustness, unsolicitedReportInterval: Self.unsolicitedReportInterval, actions: &actions)
        let version1 = (version1RouterPresentUntil[interface].map { context.now < $0 }) ?? false
        for action in actions {
            switch action {
            case .sendReport:
                send(version1 ? .v1MembershipReport(group: group) : .v2MembershipReport(group: group), on: interface, context)
            case .sendLeave:
                // RFC 2236 §4: no leaves while a version 1 router is present.
                if !version1 { send(.leaveGroup(group: group), on: interface, context) }
            case .startTimer(let upTo):
                entry.timerDeadline = arm(key, upTo: upTo, context)
            case .restartTimerIfLater(let upTo):
                if let deadline = entry.timerDeadline, deadline - context.now <= upTo { break }
                entry.timerDeadline = arm(key, upTo: upTo, context)
            case .stopTimer:
                if let t = tokens[key] { context.cancel(token: t) }
                entry.timerDeadline = nil
            }
        }
        groups[key] = entry.state == .nonMember ? nil : entry
    }

    /// Arms the group's timer at a random delay in `0..<upTo`, drawn from the host's seeded stream.
    func arm(_ key: UInt64, upTo: SimDuration, _ context: ControlPlaneContext) -> SimTime {
        let token = tokens[key] ?? {
            let t = UInt32(tokens.count + 1)
            tokens[key] = t
            keys[t] = key
            return t
        }()
        // Milliseconds, as hosts' timers tick; at least one, so a zero Max Response Time still waits a tick.
        let bound = UInt64(max(1, upTo.nanoseconds / 1_000_000))
        let at = context.now + .milliseconds(Int64(random.next(below: bound)))
        context.arm(token: token, at: at)
        return at
    }

    func send(_ message: IGMPMessage, on interface: Int, _ context: ControlPlaneContext) {
        // TTL 1, Router Alert, IP precedence 6 (RFC 2236 §2; IOS captures).
        context.send(message.bytes(), to: message.destination, on: interface, ttl: 1, tos: 0xC0, options: [.routerAlert(value: 0)])
    }
}
