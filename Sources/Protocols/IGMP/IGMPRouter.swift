import Engine
import Fabric
import Wire

/// `debug ip igmp`: IGMP messages a router sends and receives (Fabric's bits 16–23 are IGMP's).
extension DebugFlag {
    public static let ipIGMP = DebugFlag(bit: 16)
}

/// A group a router interface knows of (RFC 2236 §3 "group membership"), as `show ip igmp groups` lists it.
struct RouterGroup: Equatable {
    var uptime: SimTime
    /// Group Membership Interval after the last report; nil for a group that does not expire.
    var expires: SimTime?
    var lastReporter: IPv4Address
    /// `ip igmp join-group`: the router itself is a member (IOS flag L); `ip igmp static-group` (flag S).
    var isLocal = false
    var isStatic = false
    /// Group-specific queries still to send after a leave (RFC 2236 §3, Last Member Query Count).
    var lastMemberQueriesLeft = 0
    /// The version of the last report (IOS prints it in `show ip igmp membership`).
    var version = 2
}

/// The router side of IGMP on one interface (RFC 2236 §3 and §7; IOS defaults, ios-behavior.md §9.1).
struct RouterInterface {
    var index: Int
    var name: String
    var address: IPv4Address
    var version: Int
    var queryInterval: SimDuration
    var maxResponseTime: SimDuration
    /// RFC 2236 §7: the router with the lowest address is the querier; until it hears a lower one, every
    /// router believes it is.
    var querier: IPv4Address
    var otherQuerierExpires: SimTime?
    var startupQueriesLeft: Int
    var groups: [IPv4Address: RouterGroup] = [:]
    var joins: UInt64 = 0
    var leaves: UInt64 = 0

    var isQuerier: Bool { querier == address }
}

/// IGMPv2 on a router's interfaces (RFC 2236 §3 and §7): querier election by lowest address, general
/// queries at the query interval (IOS 60 s) after two startup queries at a quarter of it, group-specific
/// queries after a leave (last member query count 2, interval 1 s), group membership timeout, other
/// querier present timeout (IOS 2 × query interval). Version 3 interfaces send v3 queries and take v3
/// reports' joins and leaves (any-source only; source lists are not kept).
public final class IGMPRouter: ControlPlaneProtocol {
    public let ipProtocol = IPProtocol.igmp
    public static let robustness = 2
    public static let defaultQueryInterval = SimDuration.seconds(60)
    public static let defaultMaxResponseTime = SimDuration.seconds(10)
    public static let lastMemberQueryInterval = SimDuration.seconds(1)
    public static let lastMemberQueryCount = 2

    let settings: IGMPSettings
    var interfaces: [RouterInterface] = []
    var groupTokens: [UInt64: UInt32] = [:]
    var groupKeys: [UInt32: UInt64] = [:]
    static let queryTimer: UInt32 = 1, otherQuerierTimer: UInt32 = 2

    public init(settings: IGMPSettings) { self.settings = settings }

    /// Where IGMP runs: interfaces with `ip pim sparse-mode` or an `ip igmp` command, with multicast routing on.
    static func enabledInterfaces(_ settings: IGMPSettings) -> [String] {
        guard settings.multicastRouting else { return [] }
        return settings.interfaces.filter { $0.value.pimSparseMode || $0.value != IGMPInterfaceSettings() }.keys.sorted()
    }

    func state(_ index: Int) -> Int? { interfaces.firstIndex { $0.index == index } }

    /// RFC 2236 §3: a querier hears reports sent to any group.
    public func receivesAllMulticast(on interface: Int) -> Bool { state(interface) != nil }

    /// Group Membership Interval, RFC 2236 §8.4: robustness × query interval + max response time.
    func groupMembershipInterval(_ i: RouterInterface) -> SimDuration { i.queryInterval * Int64(Self.robustness) + i.maxResponseTime }

    /// IOS `ip igmp querier-timeout` default: twice the query interval (RFC 2236 §8.5 gives 2 × QI + MRT / 2).
    func otherQuerierPresentInterval(_ i: RouterInterface) -> SimDuration { i.queryInterval * 2 }

    public func start(_ context: ControlPlaneContext) {
        interfaces = []
        for name in Self.enabledInterfaces(settings) {
            guard let index = context.interfaces.firstIndex(where: { $0.name == name }),
                  let address = context.interfaces[index].primary?.address else { continue }
            let s = settings.interfaces[name] ?? IGMPInterfaceSettings()
            interfaces.append(RouterInterface(
                index: index, name: name, address: address, version: s.version ?? 2,
                queryInterval: .seconds(Int64(s.queryIntervalSeconds ?? 60)),
                maxResponseTime: .seconds(Int64(s.queryMaxResponseTimeSeconds ?? 10)),
                querier: address, startupQueriesLeft: Self.robustness))
            let k = interfaces.count - 1
            for g in s.joinGroups {
                interfaces[k].groups[g] = RouterGroup(uptime: context.now, expires: nil, lastReporter: address, isLocal: true)
            }
            for g in s.staticGroups where interfaces[k].groups[g] == nil {
                interfaces[k].groups[g] = RouterGroup(uptime: context.now, expires: nil, lastReporter: .any, isStatic: true)
            }
        }
        context.multicastListeningChanged()
        for k in interfaces.indices where context.isUp(interfaces[k].index) { becomeQuerier(k, context) }
        notifyMembershipListeners(interface: nil, group: nil, context)
    }

    func becomeQuerier(_ k: Int, _ context: ControlPlaneContext) {
        interfaces[k].querier = interfaces[k].address
        interfaces[k].otherQuerierExpires = nil
        context.cancel(token: token(interfaces[k].index, Self.otherQuerierTimer))
        sendGeneralQuery(k, context)
    }

    func token(_ index: Int, _ kind: UInt32) -> UInt32 { UInt32(index) << 4 | kind }

    func sendGeneralQuery(_ k: Int, _ context: ControlPlaneContext) {
        let i = interfaces[k]
        let tenths = UInt8(clamping: i.maxResponseTime.nanoseconds / 100_000_000)
        let message: IGMPMessage = i.version == 3
            ? .v3MembershipQuery(IGMPv3Query(group: .any, maxResponseCode: IGMPv3Code.code(Int(tenths)),
                                             robustness: UInt8(Self.robustness),
                                             queryIntervalCode: IGMPv3Code.code(Int(i.queryInterval.nanoseconds / 1_000_000_000))))
            : .membershipQuery(group: .any, maxResponseDeciseconds: tenths)
        debug(context, "IGMP(0): Send v\(i.version) general Query on \(i.name)")
        send(message, on: k, context)
        refreshLocalGroups(k, context)
        // RFC 2236 §3: Startup Query Count queries at a quarter of the Query Interval, then the Query Interval.
        var next = i.queryInterval
        if interfaces[k].startupQueriesLeft > 0 {
            interfaces[k].startupQueriesLeft -= 1
            if interfaces[k].startupQueriesLeft > 0 { next = SimDuration(nanoseconds: i.queryInterval.nanoseconds / 4) }
        }
        context.arm(token: token(i.index, Self.queryTimer), at: context.now + next)
    }

    /// The router answers its own general queries for the groups it joined, so they stay fresh.
    func refreshLocalGroups(_ k: Int, _ context: ControlPlaneContext) {
        let gmi = groupMembershipInterval(interfaces[k])
        for (g, entry) in interfaces[k].groups where entry.isLocal { interfaces[k].groups[g]?.expires = context.now + gmi }
    }

    public func timerFired(token: UInt32, _ context: ControlPlaneContext) {
        if let key = groupKeys[token] {
            lastMemberQueryTimer(index: Int(key >> 32), group: IPv4Address(rawValue: UInt32(truncatingIfNeeded: key)), context)
            return
        }
        guard let k = state(Int(token >> 4)) else { return }
        switch token & 0xF {
        case Self.queryTimer where interfaces[k].isQuerier:
            sendGeneralQuery(k, context)
        case Self.otherQuerierTimer:
            // RFC 2236 §3: no query from the other querier for the Other Querier Present Interval.
            debug(context, "IGMP(0): Other querier \(interfaces[k].querier) on \(interfaces[k].name) timed out")
            interfaces[k].startupQueriesLeft = 0
            becomeQuerier(k, context)
        default:
            break
        }
    }

    public func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext) {
        guard let k = state(interface) else { return }
        if up {
            interfaces[k].startupQueriesLeft = Self.robustness
            becomeQuerier(k, context)
        } else {
            context.cancel(token: token(interface, Self.queryTimer))
            context.cancel(token: token(interface, Self.otherQuerierTimer))
            interfaces[k].groups = interfaces[k].groups.filter { $0.value.isLocal || $0.value.isStatic }
            notifyMembershipListeners(interface: interface, group: nil, context)
        }
    }

    public func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext) {
        guard let k = state(datagram.interface), let message = try? IGMPMessage(bytes: datagram.payload) else { return }
        purgeExpired(k, now: context.now)
        let source = datagram.header.source, name = interfaces[k].name
        switch message {
        case .membershipQuery(let group, _):
            debug(context, "IGMP(0): Received v\(message.version ?? 2) Query on \(name) from \(source)")
            queryReceived(k, from: source, group: group, maxResponseTime: message.maxResponseTime ?? .seconds(10), context)
        case .v3MembershipQuery(let query):
            debug(context, "IGMP(0): Received v3 Query on \(name) from \(source)")
            queryReceived(k, from: source, group: query.group, maxResponseTime: query.maxResponseTime, context)
        case .v1MembershipReport(let group), .v2MembershipReport(let group):
            debug(context, "IGMP(0): Received v\(message.version ?? 2) Report on \(name) from \(source) for \(group)")
            reportReceived(k, group: group, from: source, version: message.version ?? 2, context)
        case .v3MembershipReport(let records):
            debug(context, "IGMP(0): Received v3 Report for \(records.count) group\(records.count == 1 ? "" : "s") on \(name) from \(source)")
            for record in records {
                if record.isJoin { reportReceived(k, group: record.group, from: source, version: 3, context) }
                else { leaveReceived(k, group: record.group, from: source, context) }
            }
        case .leaveGroup(let group):
            debug(context, "IGMP(0): Received Leave from \(source) (\(name)) for \(group)")
            leaveReceived(k, group: group, from: source, context)
        case .other:
            break
        }
    }

    func queryReceived(_ k: Int, from source: IPv4Address, group: IPv4Address, maxResponseTime: SimDuration,
                       _ context: ControlPlaneContext) {
        guard source != interfaces[k].address else { return }
        // RFC 2236 §3/§7: a query from a lower address makes us a non-querier; a higher one is ignored.
        if source < interfaces[k].address {
            if interfaces[k].isQuerier || source != interfaces[k].querier {
                debug(context, "IGMP(0): Querier on \(interfaces[k].name) is now \(source)")
            }
            interfaces[k].querier = source
            context.cancel(token: token(interfaces[k].index, Self.queryTimer))
            let expires = context.now + otherQuerierPresentInterval(interfaces[k])
            interfaces[k].otherQuerierExpires = expires
            context.arm(token: token(interfaces[k].index, Self.otherQuerierTimer), at: expires)
        }
        if group == .any {
            refreshLocalGroups(k, context)
        } else if !interfaces[k].isQuerier, var entry = interfaces[k].groups[group], entry.expires != nil, !entry.isLocal {
            // RFC 2236 §3: non-queriers lower the group's timer to Last Member Query Count × the query's Max Response Time.
            let lowered = context.now + maxResponseTime * Int64(Self.lastMemberQueryCount)
            if let e = entry.expires, lowered < e { entry.expires = lowered }
            interfaces[k].groups[group] = entry
        }
    }

    func reportReceived(_ k: Int, group: IPv4Address, from source: IPv4Address, version: Int, _ context: ControlPlaneContext) {
        guard group.isMulticast, !group.isLinkLocalMulticast else { return }
        let expires = context.now + groupMembershipInterval(interfaces[k])
        if var entry = interfaces[k].groups[group] {
            if !entry.isLocal && !entry.isStatic { entry.expires = expires }
            entry.lastReporter = source
            entry.lastMemberQueriesLeft = 0
            entry.version = version
            interfaces[k].groups[group] = entry
        } else {
            interfaces[k].groups[group] = RouterGroup(uptime: context.now, expires: expires, lastReporter: source, version: version)
            interfaces[k].joins += 1
            notifyMembershipListeners(interface: interfaces[k].index, group: group, context)
        }
        if let t = groupTokens[groupKey(interfaces[k].index, group)] { context.cancel(token: t) }
    }

    func leaveReceived(_ k: Int, group: IPv4Address, from source: IPv4Address, _ context: ControlPlaneContext) {
        interfaces[k].leaves += 1
        // RFC 2236 §3: non-queriers ignore leaves; the querier asks whether any member is left.
        guard interfaces[k].isQuerier, let entry = interfaces[k].groups[group], !entry.isLocal, !entry.isStatic else { return }
        interfaces[k].groups[group]?.lastMemberQueriesLeft = Self.lastMemberQueryCount
        interfaces[k].groups[group]?.expires = context.now + Self.lastMemberQueryInterval * Int64(Self.lastMemberQueryCount)
        lastMemberQueryTimer(index: interfaces[k].index, group: group, context)
        notifyMembershipListeners(interface: interfaces[k].index, group: group, context)
    }

    /// Sends the next group-specific query of a leave (RFC 2236 §3) and arms the next one.
    func lastMemberQueryTimer(index: Int, group: IPv4Address, _ context: ControlPlaneContext) {
        guard let k = state(index), interfaces[k].isQuerier, let entry = interfaces[k].groups[group],
              entry.lastMemberQueriesLeft > 0 else { return }
        interfaces[k].groups[group]?.lastMemberQueriesLeft -= 1
        let tenths = UInt8(clamping: Self.lastMemberQueryInterval.nanoseconds / 100_000_000)
        debug(context, "IGMP(0): Send v2 Query on \(interfaces[k].name) for group \(group)")
        send(.membershipQuery(group: group, maxResponseDeciseconds: tenths), on: k, context)
        if entry.lastMemberQueriesLeft > 1 {
            context.arm(token: groupToken(index, group), at: context.now + Self.lastMemberQueryInterval)
        }
    }

    func groupKey(_ index: Int, _ group: IPv4Address) -> UInt64 { UInt64(index) << 32 | UInt64(group.rawValue) }

    func groupToken(_ index: Int, _ group: IPv4Address) -> UInt32 {
        let key = groupKey(index, group)
        if let t = groupTokens[key] { return t }
        let t = UInt32(1 << 20) + UInt32(groupTokens.count)
        groupTokens[key] = t
        groupKeys[t] = key
        return t
    }

    /// Drops groups whose membership timer ran out (RFC 2236 §3); checked lazily, so no timer per group.
    func purgeExpired(_ k: Int, now: SimTime) {
        interfaces[k].groups = interfaces[k].groups.filter { $0.value.expires.map { $0 > now } ?? true }
    }

    func send(_ message: IGMPMessage, on k: Int, _ context: ControlPlaneContext) {
        context.send(message.bytes(), to: message.destination, on: interfaces[k].index, ttl: 1, tos: 0xC0,
                     options: [.routerAlert(value: 0)])
    }

    func debug(_ context: ControlPlaneContext, _ text: @autoclosure () -> String) {
        context.network.debug(context.node.id, .ipIGMP, text())
    }

    // MARK: - Reading the state (`show`)

    /// The groups of an interface that are still current, in address order.
    func currentGroups(_ k: Int, now: SimTime) -> [(IPv4Address, RouterGroup)] {
        interfaces[k].groups.filter { $0.value.expires.map { $0 > now } ?? true }.sorted { $0.key < $1.key }
    }
}
