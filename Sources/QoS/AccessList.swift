import Wire

/// The IP protocol field of an access-list entry or a `match protocol` criterion.
public enum IPProtocolMatch: Hashable, Sendable, CustomStringConvertible {
    case ip, icmp, tcp, udp
    case number(UInt8)

    /// - Complexity: O(1)
    @inline(__always)
    func matches(_ key: PacketKey) -> Bool {
        guard key.isIPv4 else { return false }
        switch self {
        case .ip: return true
        case .icmp: return key.ipProtocol == 1
        case .tcp: return key.ipProtocol == 6
        case .udp: return key.ipProtocol == 17
        case let .number(n): return key.ipProtocol == n
        }
    }

    /// IOS names the well-known protocols in `show access-lists` and prints the rest as numbers.
    public var description: String {
        switch self {
        case .ip: return "ip"
        case .icmp: return "icmp"
        case .tcp: return "tcp"
        case .udp: return "udp"
        case let .number(n):
            switch n {
            case 1: return "icmp"
            case 2: return "igmp"
            case 6: return "tcp"
            case 17: return "udp"
            case 47: return "gre"
            case 88: return "eigrp"
            case 89: return "ospf"
            case 103: return "pim"
            default: return "\(n)"
            }
        }
    }
}

/// A source or destination of an access-list entry: `any`, `host A`, or `A W` (wildcard bits).
public enum AddressMatch: Hashable, Sendable {
    case any
    case host(IPv4Address)
    case wildcard(IPv4Address, bits: IPv4Address)

    @inline(__always)
    func matches(_ address: IPv4Address) -> Bool {
        switch self {
        case .any: return true
        case let .host(h): return address == h
        case let .wildcard(a, bits):
            let care = ~bits.rawValue
            return address.rawValue & care == a.rawValue & care
        }
    }

    /// Extended-list form: `any`, `host 10.1.1.1`, `10.0.0.0 0.0.0.255`.
    var extendedText: String {
        switch self {
        case .any: return "any"
        case let .host(h): return "host \(h)"
        case let .wildcard(a, bits): return bits.rawValue == 0 ? "host \(a)" : "\(a) \(bits)"
        }
    }

    /// Standard-list form: `any`, `10.1.1.1`, `10.0.0.0, wildcard bits 0.0.0.255`.
    var standardText: String {
        switch self {
        case .any: return "any"
        case let .host(h): return "\(h)"
        case let .wildcard(a, bits): return bits.rawValue == 0 ? "\(a)" : "\(a), wildcard bits \(bits)"
        }
    }
}

/// A TCP/UDP port operator of an extended access-list entry.
public enum PortMatch: Hashable, Sendable {
    case eq(UInt16), neq(UInt16), gt(UInt16), lt(UInt16)
    case range(UInt16, UInt16)

    @inline(__always)
    func matches(_ port: UInt16) -> Bool {
        switch self {
        case let .eq(p): return port == p
        case let .neq(p): return port != p
        case let .gt(p): return port > p
        case let .lt(p): return port < p
        case let .range(a, b): return port >= a && port <= b
        }
    }

    func text(protocol proto: IPProtocolMatch) -> String {
        func name(_ p: UInt16) -> String { PortMatch.portName(p, udp: proto == .udp || proto == .number(17)) }
        switch self {
        case let .eq(p): return "eq \(name(p))"
        case let .neq(p): return "neq \(name(p))"
        case let .gt(p): return "gt \(name(p))"
        case let .lt(p): return "lt \(name(p))"
        case let .range(a, b): return "range \(name(a)) \(name(b))"
        }
    }

    /// IOS prints well-known ports by keyword (`eq www`, `eq domain`); a short table, others as numbers.
    static func portName(_ port: UInt16, udp: Bool) -> String {
        if udp {
            switch port {
            case 53: return "domain"
            case 67: return "bootps"
            case 68: return "bootpc"
            case 69: return "tftp"
            case 123: return "ntp"
            case 161: return "snmp"
            case 162: return "snmptrap"
            case 514: return "syslog"
            default: return "\(port)"
            }
        }
        switch port {
        case 21: return "ftp"
        case 23: return "telnet"
        case 25: return "smtp"
        case 53: return "domain"
        case 80: return "www"
        case 110: return "pop3"
        case 179: return "bgp"
        default: return "\(port)"
        }
    }
}

/// One line of an access list, with its IOS sequence number (10, 20, … unless given).
public struct AccessListEntry: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable { case permit, deny }

    public var sequence: Int
    public var action: Action
    /// `.ip` for standard lists.
    public var ipProtocol: IPProtocolMatch
    public var source: AddressMatch
    public var sourcePort: PortMatch?
    public var destination: AddressMatch
    public var destinationPort: PortMatch?
    /// `dscp N` qualifier (extended lists).
    public var dscp: UInt8?
    /// `precedence N` qualifier (extended lists).
    public var precedence: UInt8?

    public init(sequence: Int = 0, _ action: Action, _ ipProtocol: IPProtocolMatch = .ip,
                source: AddressMatch = .any, sourcePort: PortMatch? = nil,
                destination: AddressMatch = .any, destinationPort: PortMatch? = nil,
                dscp: UInt8? = nil, precedence: UInt8? = nil) {
        self.sequence = sequence
        self.action = action
        self.ipProtocol = ipProtocol
        self.source = source
        self.sourcePort = sourcePort
        self.destination = destination
        self.destinationPort = destinationPort
        self.dscp = dscp
        self.precedence = precedence
    }

    /// A standard-list entry: source only.
    public static func standard(sequence: Int = 0, _ action: Action, _ source: AddressMatch) -> AccessListEntry {
        AccessListEntry(sequence: sequence, action, .ip, source: source)
    }

    /// - Complexity: O(1)
    @inline(__always)
    func matches(_ key: PacketKey) -> Bool {
        guard ipProtocol.matches(key), source.matches(key.source), destination.matches(key.destination) else {
            return false
        }
        if sourcePort != nil || destinationPort != nil {
            // Port operators apply only to TCP and UDP (IOS accepts them only after `tcp`/`udp`).
            guard key.ipProtocol == 6 || key.ipProtocol == 17 else { return false }
            if let sp = sourcePort, !sp.matches(key.sourcePort) { return false }
            if let dp = destinationPort, !dp.matches(key.destinationPort) { return false }
        }
        if let d = dscp, key.dscp != d { return false }
        if let p = precedence, key.precedence != p { return false }
        return true
    }
}

/// An IOS IP access list (`access-list N …` or `ip access-list standard|extended NAME`):
/// entries are tried in sequence order, the first match decides, and an implicit `deny any`
/// ends the list. Each entry counts its matches, as `show access-lists` prints them.
public final class AccessList {
    public enum Kind: Hashable, Sendable { case standard, extended }

    /// The number (`"101"`) or the name.
    public let name: String

    struct Store {
        var kind: Kind
        var entries: [AccessListEntry]
        var isDefined: Bool
        /// `entries` flattened for the hot path, with their hit counters (parallel).
        var compiled: FixedBuffer<MatchRule>
        var hitCounts: FixedBuffer<UInt64>
        var compiledCount: Int

        init(kind: Kind, entries: [AccessListEntry], isDefined: Bool) {
            self.kind = kind
            self.entries = entries
            self.isDefined = isDefined
            compiled = FixedBuffer(repeating: MatchRule.any, count: entries.count)
            for (i, e) in entries.enumerated() { compiled[i] = MatchRule(e) }
            hitCounts = FixedBuffer(repeating: 0, count: entries.count)
            compiledCount = entries.count
        }

        func deallocate() { compiled.deallocate(); hitCounts.deallocate() }
    }
    /// Mutable state behind a fixed pointer, so counting a hit pays no exclusivity check.
    let store: FixedBuffer<Store>

    public var kind: Kind { store.value.kind }
    public var entries: [AccessListEntry] { store.value.entries }
    /// Matches per entry, parallel to `entries`.
    public var hits: [UInt64] { (0..<store.value.compiledCount).map { store.value.hitCounts[$0] } }
    /// False for a placeholder created by a reference to a list not (yet) configured: it matches nothing.
    public var isDefined: Bool { store.value.isDefined }

    deinit {
        store.value.deallocate()
        store.deallocate()
    }

    /// Bumped when the entries are replaced (shared with the other lists of a table).
    let revision: AccessListRevision

    /// A numbered or named list. Entries without a sequence number get 10, 20, …
    public convenience init(name: String, kind: Kind? = nil, entries: [AccessListEntry]) {
        self.init(name: name, kind: kind, entries: entries, revision: AccessListRevision())
    }

    init(name: String, kind: Kind?, entries: [AccessListEntry], revision: AccessListRevision) {
        self.name = name
        self.revision = revision
        store = FixedBuffer(repeating: Store(kind: kind ?? AccessList.kind(ofNumber: name) ?? .extended,
                                             entries: AccessList.numbered(entries), isDefined: true),
                            count: 1)
    }

    init(placeholder name: String, revision: AccessListRevision) {
        self.name = name
        self.revision = revision
        store = FixedBuffer(repeating: Store(kind: AccessList.kind(ofNumber: name) ?? .extended, entries: [],
                                             isDefined: false), count: 1)
    }

    /// IOS number ranges: 1–99 and 1300–1999 standard, 100–199 and 2000–2699 extended.
    public static func kind(ofNumber name: String) -> Kind? {
        guard let n = Int(name) else { return nil }
        switch n {
        case 1...99, 1300...1999: return .standard
        case 100...199, 2000...2699: return .extended
        default: return nil
        }
    }

    static func numbered(_ entries: [AccessListEntry]) -> [AccessListEntry] {
        var result = entries
        var last = 0
        for i in result.indices {
            if result[i].sequence <= 0 { result[i].sequence = last + 10 }
            last = result[i].sequence
        }
        return result.sorted { $0.sequence < $1.sequence }
    }

    /// Replaces the entries in place, so classifiers holding this list see the new ones; counters restart.
    public func redefine(kind: Kind? = nil, entries: [AccessListEntry]) {
        let old = store.value
        // IOS keeps a list's counters when its text is unchanged (another part of the config changed).
        let numbered = AccessList.numbered(entries)
        if old.isDefined, old.kind == (kind ?? old.kind), old.entries == numbered { return }
        store.value = Store(kind: kind ?? old.kind, entries: numbered, isDefined: true)
        old.deallocate()
        revision.cell.value &+= 1
    }

    /// `clear access-list counters`.
    public func clearCounters() {
        for i in 0..<store.value.compiledCount { store.value.hitCounts[i] = 0 }
    }

    /// Whether the first matching entry permits `key`; that entry's hit counter is incremented.
    /// Non-IPv4 packets match no entry. An undefined list matches nothing.
    /// - Complexity: O(entries)
    @inline(__always)
    public func matches(_ key: PacketKey) -> Bool {
        guard key.isIPv4 else { return false }
        let compiled = store.value.compiled, count = store.value.compiledCount
        let packed = PackedKey(key)
        var i = 0
        while i < count {
            if compiled[i].matches(packed) {
                store.value.hitCounts[i] &+= 1
                return compiled[i].permit
            }
            i += 1
        }
        return false
    }

    /// The list as `show access-lists` prints it.
    public func showLines() -> [String] {
        let isNumbered = Int(name) != nil
        var lines = ["\(kind == .standard ? "Standard" : "Extended") IP access list \(name)"]
        _ = isNumbered
        for (i, e) in entries.enumerated() {
            var text: String
            switch kind {
            case .standard:
                // IOS pads `deny` so the addresses line up under `permit`.
                text = (e.action == .permit ? "permit " : "deny   ") + e.source.standardText
            case .extended:
                text = "\(e.action.rawValue) \(e.ipProtocol) \(e.source.extendedText)"
                if let p = e.sourcePort { text += " " + p.text(protocol: e.ipProtocol) }
                text += " " + e.destination.extendedText
                if let p = e.destinationPort { text += " " + p.text(protocol: e.ipProtocol) }
                if let d = e.dscp { text += " dscp \(DSCP(rawValue: d).name)" }
                if let p = e.precedence { text += " precedence \(p)" }
            }
            if hits[i] > 0 { text += " (\(hits[i]) match\(hits[i] == 1 ? "" : "es"))" }
            lines.append("    \(e.sequence) \(text)")
        }
        return lines
    }
}

/// The access lists of one router, by number or name. Classifiers resolve their references here
/// once, when the queue or policy is built; a reference to an unknown list gets a placeholder
/// that matches nothing until the list is defined.
public final class AccessListTable {
    public private(set) var lists: [String: AccessList] = [:]
    /// Shared by the lists this table creates.
    let revision = AccessListRevision()

    public init(_ lists: [AccessList] = []) {
        for list in lists { self.lists[list.name] = list }
    }

    /// Defines or replaces (in place) a list.
    @discardableResult
    public func define(_ name: String, kind: AccessList.Kind? = nil, _ entries: [AccessListEntry]) -> AccessList {
        if let existing = lists[name] {
            existing.redefine(kind: kind, entries: entries)
            return existing
        }
        let list = AccessList(name: name, kind: kind, entries: entries, revision: revision)
        lists[name] = list
        return list
    }

    /// The list for `name`, creating an undefined placeholder if needed.
    public func list(named name: String) -> AccessList {
        if let l = lists[name] { return l }
        let l = AccessList(placeholder: name, revision: revision)
        lists[name] = l
        return l
    }

    public subscript(name: String) -> AccessList? { lists[name].flatMap { $0.isDefined ? $0 : nil } }

    /// `show access-lists`: every defined list, numbered ones first in numeric order, then names.
    public func showLines() -> [String] {
        let defined = lists.values.filter(\.isDefined)
        let sorted = defined.sorted { a, b in
            switch (Int(a.name), Int(b.name)) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.name < b.name
            }
        }
        return sorted.flatMap { $0.showLines() }
    }
}

/// A counter bumped whenever an access list's entries are replaced. The lists of one table share
/// it, so a compiled policy holding copies of their entries checks one number per packet to know
/// the copies are current (and recompiles when they are not).
final class AccessListRevision {
    let cell = FixedBuffer<UInt64>(repeating: 0, count: 1)
    deinit { cell.deallocate() }
}
