import Wire

/// The four queues of priority queueing, served strictly in this order (ios-behavior §3).
public enum PriorityLevel: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case high = 0, medium, normal, low
    public var description: String {
        switch self {
        case .high: return "high"
        case .medium: return "medium"
        case .normal: return "normal"
        case .low: return "low"
        }
    }
}

/// `priority-list N protocol ip high list 101` and friends.
public struct PriorityRule: Hashable, Sendable {
    public var match: QueueingMatch
    public var queue: PriorityLevel
    public init(_ match: QueueingMatch, _ queue: PriorityLevel) {
        self.match = match
        self.queue = queue
    }
}

/// A priority list (`priority-list N …`, applied with `priority-group N`), ios-behavior §3.
public struct PriorityList: Hashable, Sendable {
    /// List number 1–16.
    public var number: Int
    /// Classification rules in configuration order; the first match wins.
    public var rules: [PriorityRule]
    /// `priority-list N default QUEUE`; IOS default normal.
    public var defaultQueue: PriorityLevel
    /// `priority-list N queue-limit H M N L` in packets, indexed by `PriorityLevel.rawValue`.
    /// IOS default 20/40/60/80 (unconfirmed, ios-behavior §3; pinned by a test).
    public var queueLimits: [Int]
    /// Where router control traffic goes (unconfirmed, ios-behavior §3: high).
    public var systemTrafficQueue: PriorityLevel

    public static let defaultQueueLimits = [20, 40, 60, 80]

    public init(number: Int, rules: [PriorityRule] = [], defaultQueue: PriorityLevel = .normal,
                queueLimits: [Int] = PriorityList.defaultQueueLimits, systemTrafficQueue: PriorityLevel = .high) {
        precondition(queueLimits.count == 4, "priority-list queue-limit takes four values")
        self.number = number
        self.rules = rules
        self.defaultQueue = defaultQueue
        self.queueLimits = queueLimits
        self.systemTrafficQueue = systemTrafficQueue
    }
}

/// Priority queueing: four tail-drop FIFOs served in strict order; lower queues starve while a
/// higher one has packets (ios-behavior §3).
@usableFromInline
final class PriorityQueueing {
    let list: PriorityList
    let rules: QueueingRules
    let rings: PacketRings
    /// Per-queue counters, indexed by `PriorityLevel.rawValue`.
    let drops: FixedBuffer<UInt64>
    let sent: FixedBuffer<UInt64>
    /// Packets held, behind a fixed pointer (no exclusivity check on the hot path).
    let held: FixedBuffer<Int>
    var count: Int { held.value }
    let systemQueue: Int
    let defaultQueue: Int

    init(_ list: PriorityList, accessLists: AccessListTable) {
        self.list = list
        rules = QueueingRules(list.rules.map { ($0.match, $0.queue.rawValue) }, accessLists: accessLists)
        rings = PacketRings(capacities: list.queueLimits)
        drops = FixedBuffer(repeating: 0, count: 4)
        sent = FixedBuffer(repeating: 0, count: 4)
        held = FixedBuffer(repeating: 0, count: 1)
        systemQueue = list.systemTrafficQueue.rawValue
        defaultQueue = list.defaultQueue.rawValue
    }

    deinit {
        rings.deallocate(); drops.deallocate(); sent.deallocate(); held.deallocate(); rules.deallocate()
    }

    /// The queue a packet goes to: system traffic, else the first matching rule, else the default.
    /// - Complexity: O(rules)
    @inline(__always)
    func classify(_ packet: QueuedPacket) -> Int {
        if isSystemTraffic(packet.key) { return systemQueue }
        return rules.classify(packet, defaultQueue: defaultQueue)
    }

    /// - Complexity: O(rules)
    @usableFromInline
    func enqueue(_ packet: QueuedPacket) -> EnqueueOutcome {
        let queue = classify(packet)
        guard rings.push(packet, ring: queue) else {
            drops[queue] &+= 1
            return .dropped(.queueFull)
        }
        held.value += 1
        return .queued
    }

    /// Strict priority: the highest non-empty queue.
    /// - Complexity: O(1)
    @usableFromInline
    func dequeue() -> QueuedPacket? {
        guard held.value > 0 else { return nil }
        for queue in 0..<4 {
            if let p = rings.pop(ring: queue) {
                held.value -= 1
                sent[queue] &+= 1
                return p
            }
        }
        return nil
    }

    func depth(_ level: PriorityLevel) -> Int { rings.depth[level.rawValue] }
    func limit(_ level: PriorityLevel) -> Int { rings.ringCapacity[level.rawValue] }
    func drops(_ level: PriorityLevel) -> UInt64 { drops[level.rawValue] }
    var totalLimit: Int { list.queueLimits.reduce(0, +) }
}
