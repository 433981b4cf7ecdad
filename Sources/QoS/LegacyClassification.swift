import Wire

/// What a `priority-list` or `queue-list` rule matches (`protocol ip [list|gt|lt|tcp|udp]`,
/// `interface`). Rules are tried in configuration order; the first match wins.
public enum QueueingMatch: Hashable, Sendable {
    /// `protocol ip`: every IPv4 packet.
    case ip
    /// `protocol ip list ACL`.
    case ipList(String)
    /// `protocol ip gt BYTES`: frame length (the queued length, Layer 2 included) greater than.
    case ipGreaterThan(Int)
    /// `protocol ip lt BYTES`.
    case ipLessThan(Int)
    /// `protocol ip tcp PORT`: TCP with that source or destination port.
    case ipTCPPort(UInt16)
    /// `protocol ip udp PORT`: UDP with that source or destination port.
    case ipUDPPort(UInt16)
    /// `interface IF`: packets that came in on that port (the name is for `show queueing`).
    case inputInterface(port: UInt32, name: String)

    var argumentText: String {
        switch self {
        case .ip: return "protocol ip"
        case let .ipList(l): return "protocol ip          list \(l)"
        case let .ipGreaterThan(n): return "protocol ip          gt \(n)"
        case let .ipLessThan(n): return "protocol ip          lt \(n)"
        case let .ipTCPPort(p): return "protocol ip          tcp port \(p)"
        case let .ipUDPPort(p): return "protocol ip          udp port \(p)"
        case let .inputInterface(_, name): return "interface \(name)"
        }
    }
}

/// A `QueueingMatch` with its access list resolved, ready for the hot path. The list is held
/// unmanaged (no reference counting per packet), kept alive by `QueueingRules.accessLists`.
enum CompiledQueueingMatch {
    case ip
    case list(Unmanaged<AccessList>)
    case greaterThan(Int32)
    case lessThan(Int32)
    case tcpPort(UInt16)
    case udpPort(UInt16)
    case inputInterface(UInt32)

    init(_ match: QueueingMatch, accessLists: AccessListTable) {
        switch match {
        case .ip: self = .ip
        case let .ipList(name): self = .list(Unmanaged.passUnretained(accessLists.list(named: name)))
        case let .ipGreaterThan(n): self = .greaterThan(Int32(clamping: n))
        case let .ipLessThan(n): self = .lessThan(Int32(clamping: n))
        case let .ipTCPPort(p): self = .tcpPort(p)
        case let .ipUDPPort(p): self = .udpPort(p)
        case let .inputInterface(port, _): self = .inputInterface(port)
        }
    }

    @inline(__always)
    func matches(_ packet: QueuedPacket) -> Bool {
        let key = packet.key
        switch self {
        case .ip: return key.isIPv4
        case let .list(acl): return key.isIPv4 && acl._withUnsafeGuaranteedRef { $0.matches(key) }
        case let .greaterThan(n): return key.isIPv4 && packet.length > n
        case let .lessThan(n): return key.isIPv4 && packet.length < n
        case let .tcpPort(p): return key.isIPv4 && key.ipProtocol == 6 && (key.sourcePort == p || key.destinationPort == p)
        case let .udpPort(p): return key.isIPv4 && key.ipProtocol == 17 && (key.sourcePort == p || key.destinationPort == p)
        case let .inputInterface(port): return key.inputInterface == port
        }
    }
}

/// The rules of a priority or queue list, compiled into a fixed buffer: the first match wins.
struct QueueingRules {
    struct Rule {
        var match: CompiledQueueingMatch
        var queue: Int
    }
    let rules: FixedBuffer<Rule>
    let count: Int
    /// Keeps the access lists the rules reference unmanaged alive.
    let accessLists: [AccessList]

    init(_ rules: [(QueueingMatch, Int)], accessLists: AccessListTable) {
        count = rules.count
        self.rules = FixedBuffer(repeating: Rule(match: .ip, queue: 0), count: rules.count)
        var lists: [AccessList] = []
        for (i, (match, queue)) in rules.enumerated() {
            if case let .ipList(name) = match { lists.append(accessLists.list(named: name)) }
            self.rules[i] = Rule(match: CompiledQueueingMatch(match, accessLists: accessLists), queue: queue)
        }
        self.accessLists = lists
    }

    func deallocate() { rules.deallocate() }

    /// The queue of the first matching rule, else `defaultQueue`.
    /// - Complexity: O(rules)
    @inline(__always)
    func classify(_ packet: QueuedPacket, defaultQueue: Int) -> Int {
        var i = 0
        while i < count {
            if rules[i].match.matches(packet) { return rules[i].queue }
            i += 1
        }
        return defaultQueue
    }
}

/// IOS behaviour (unconfirmed, see ios-behavior §3/§4): router control traffic — non-IP frames
/// (keepalives, ARP) and the router's own routing/signalling packets (IGMP, OSPF, PIM) — bypasses
/// the user lists: PQ puts it in high, CQ in the system queue 0, WFQ in a link queue.
@inline(__always)
func isSystemTraffic(_ key: PacketKey) -> Bool {
    if !key.isIPv4 { return true }
    guard key.inputInterface == PacketKey.locallyOriginated else { return false }
    return key.ipProtocol == 89 || key.ipProtocol == 103 || key.ipProtocol == 2
}
