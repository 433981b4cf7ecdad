import Engine
import Wire

/// One (VLAN, group) entry of the snooping table (RFC 4541 §2.1.1): the member ports and when each expires.
public struct SnoopingGroupEntry: Sendable, Equatable {
    public var vlan: UInt16
    public var group: IPv4Address
    /// Member ports, in the order they were learned, with their expiry index for index.
    public var ports: [PortID] = []
    public var expires: [SimTime] = []
    /// The IGMP version of the last report (1, 2 or 3).
    public var version: Int = 2
}

/// A port where a multicast router was heard (a general query or a PIM hello) or configured.
public struct MrouterPort: Sendable, Equatable {
    public var port: PortID
    /// `distantFuture` for a static port.
    public var expires: SimTime
    public var isStatic: Bool
}

/// The snooping table of one switch (RFC 4541 §2.1): groups by (VLAN, group), mrouter ports by VLAN.
/// Entries expire lazily: a port counts as a member only while its expiry is in the future.
public struct IGMPSnoopingTable: Sendable {
    /// Entry index by VLAN << 32 | group.
    var index: [UInt64: Int] = [:]
    public internal(set) var entries: [SnoopingGroupEntry] = []
    public internal(set) var mrouters: [UInt16: [MrouterPort]] = [:]

    public init() {}

    static func key(vlan: UInt16, group: IPv4Address) -> UInt64 { UInt64(vlan) << 32 | UInt64(group.rawValue) }

    /// RFC 4541 §2.1.1 (1): a report for `group` on `port` makes it a member until `until`.
    /// - Complexity: O(members of the group); allocates only for a new group or port.
    public mutating func learn(vlan: UInt16, group: IPv4Address, port: PortID, until: SimTime, version: Int) {
        let k = Self.key(vlan: vlan, group: group)
        let i: Int
        if let existing = index[k] { i = existing } else {
            i = entries.count
            entries.append(SnoopingGroupEntry(vlan: vlan, group: group))
            index[k] = i
        }
        entries[i].version = version
        if let p = entries[i].ports.firstIndex(of: port) { entries[i].expires[p] = until } else {
            entries[i].ports.append(port)
            entries[i].expires.append(until)
        }
    }

    /// A leave (or a last-member query left unanswered): the port stops being a member at `at` at the latest.
    public mutating func shorten(vlan: UInt16, group: IPv4Address, port: PortID, to at: SimTime) {
        guard let i = index[Self.key(vlan: vlan, group: group)], let p = entries[i].ports.firstIndex(of: port) else { return }
        entries[i].expires[p] = min(entries[i].expires[p], at)
    }

    /// Whether `port` is a member of `group` at `now`.
    /// - Complexity: O(members); no allocation.
    public func isMember(_ port: PortID, vlan: UInt16, group: IPv4Address, now: SimTime) -> Bool {
        guard let i = index[Self.key(vlan: vlan, group: group)] else { return false }
        return entries[i].isMember(port, now: now)
    }

    /// The entry index of a registered group at `now` (one with a member that has not expired).
    /// - Complexity: O(1) expected plus O(members); no allocation.
    func registered(vlan: UInt16, group: IPv4Address, now: SimTime) -> Int? {
        guard let i = index[Self.key(vlan: vlan, group: group)] else { return nil }
        for e in entries[i].expires where e > now { return i }
        return nil
    }

    /// Whether some group of `vlan` whose MAC has these low 23 bits (RFC 1112 §6.4) has a member at `now`.
    /// - Complexity: O(entries); no allocation (MAC lookup mode only).
    func registered(vlan: UInt16, macLow23 low: UInt32, now: SimTime) -> Bool {
        for entry in entries where entry.vlan == vlan && entry.group.rawValue & 0x7F_FFFF == low {
            for e in entry.expires where e > now { return true }
        }
        return false
    }

    /// Whether `port` is a member, at `now`, of a group of `vlan` whose MAC has these low 23 bits.
    func isMember(_ port: PortID, vlan: UInt16, macLow23 low: UInt32, now: SimTime) -> Bool {
        for entry in entries where entry.vlan == vlan && entry.group.rawValue & 0x7F_FFFF == low {
            if entry.isMember(port, now: now) { return true }
        }
        return false
    }

    /// The members of `group` at `now`, in learning order.
    public func members(vlan: UInt16, group: IPv4Address, now: SimTime) -> [PortID] {
        guard let i = index[Self.key(vlan: vlan, group: group)] else { return [] }
        return entries[i].ports.indices.filter { entries[i].expires[$0] > now }.map { entries[i].ports[$0] }
    }

    /// RFC 4541 §2.1.1 (1): a general query or a PIM hello marks `port` as an mrouter port until `until`.
    public mutating func learnMrouter(vlan: UInt16, port: PortID, until: SimTime) {
        var list = mrouters[vlan] ?? []
        if let i = list.firstIndex(where: { $0.port == port }) {
            if !list[i].isStatic { list[i].expires = max(list[i].expires, until) }
        } else {
            list.append(MrouterPort(port: port, expires: until, isStatic: false))
        }
        mrouters[vlan] = list
    }

    /// Whether `port` is an mrouter port of `vlan` at `now`.
    /// - Complexity: O(mrouter ports); no allocation.
    public func isMrouter(_ port: PortID, vlan: UInt16, now: SimTime) -> Bool {
        guard let list = mrouters[vlan] else { return false }
        for m in list where m.port == port && m.expires > now { return true }
        return false
    }

    /// The mrouter ports of `vlan` at `now`.
    public func mrouterPorts(vlan: UInt16, now: SimTime) -> [MrouterPort] {
        (mrouters[vlan] ?? []).filter { $0.expires > now }
    }

    /// Replaces the static mrouter ports (configuration), keeping the learned ones.
    mutating func setStaticMrouters(_ ports: [UInt16: [PortID]]) {
        for vlan in mrouters.keys.sorted() { mrouters[vlan]?.removeAll { $0.isStatic } }
        for vlan in ports.keys.sorted() {
            for p in ports[vlan] ?? [] {
                mrouters[vlan, default: []].removeAll { $0.port == p }
                mrouters[vlan, default: []].append(MrouterPort(port: p, expires: .distantFuture, isStatic: true))
            }
        }
    }

    /// Forgets what was learned on `port` (it went down).
    mutating func flush(port: PortID) {
        for i in entries.indices {
            while let p = entries[i].ports.firstIndex(of: port) {
                entries[i].ports.remove(at: p)
                entries[i].expires.remove(at: p)
            }
        }
        for vlan in mrouters.keys.sorted() { mrouters[vlan]?.removeAll { $0.port == port && !$0.isStatic } }
    }

    /// Forgets everything learned in `vlan` (snooping was turned off there).
    mutating func flush(vlan: UInt16) {
        for i in entries.indices where entries[i].vlan == vlan {
            entries[i].ports = []
            entries[i].expires = []
        }
        mrouters[vlan]?.removeAll { !$0.isStatic }
    }
}

extension SnoopingGroupEntry {
    func isMember(_ port: PortID, now: SimTime) -> Bool {
        for (i, p) in ports.enumerated() where p == port { return expires[i] > now }
        return false
    }
}

/// What the switch heard and does as querier in one VLAN (RFC 2236 §3 election, RFC 4541 §2.1.1 (3)).
public struct SnoopingQuerierState: Sendable, Equatable {
    /// The last querier heard: its address, IGMP version, port and when.
    public var lastQuerier: IPv4Address?
    public var lastQuerierVersion = 2
    public var lastQuerierPort: PortID?
    public var lastQueryTime: SimTime?
    /// The Max Response Time of the last query heard (or sent).
    public var maxResponseTime = SimDuration.seconds(10)
    /// The switch's own querier sends queries (it won the election or heard nobody).
    public var active = false
    /// When a querier with a lower address was last heard: the switch stays silent until the Other
    /// Querier Present Interval has passed since then.
    public var lowerQuerierHeard: SimTime?
    /// Startup queries left to send at a quarter of the query interval (RFC 2236 §3, count 2).
    public var startupLeft = 0
    public var queriesSent: UInt64 = 0
    public init() {}
}

/// Frames and bytes a switch sent out of each port for one multicast group.
public struct GroupTraffic: Sendable, Equatable {
    public var vlan: UInt16
    public var group: IPv4Address
    /// By the port's position in the switch's `portIDs`.
    public var frames: [UInt64]
    public var bytes: [UInt64]
}

/// RFC 2236 §8 constants as the snooping switch uses them.
public enum SnoopingTimers {
    public static let robustness: Int64 = 2
    /// RFC 2236 §8.2 default when no querier of the switch's own tells another (IGMPv2 queries carry no QI).
    public static let defaultQueryInterval = SimDuration.seconds(125)
    /// Last member query interval 1 s, count 2 (Catalyst `last-member-query-interval 1000`).
    public static let lastMemberQueryInterval = SimDuration.seconds(1)
    public static let lastMemberQueryCount: Int64 = 2
    /// Learned mrouter ports age out 5 minutes after the last query (Dell's value; Cisco's unconfirmed).
    public static let mrouterAging = SimDuration.seconds(300)
}
