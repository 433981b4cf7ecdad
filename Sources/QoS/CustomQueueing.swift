import Wire

/// `queue-list N protocol ip 2 list 101` and friends; queue numbers 1–16.
public struct CustomQueueRule: Hashable, Sendable {
    public var match: QueueingMatch
    public var queue: Int
    public init(_ match: QueueingMatch, _ queue: Int) {
        precondition((1...16).contains(queue), "custom queue numbers are 1-16")
        self.match = match
        self.queue = queue
    }
}

/// A custom queue list (`queue-list N …`, applied with `custom-queue-list N`), ios-behavior §4.
public struct QueueList: Hashable, Sendable {
    /// List number 1–16.
    public var number: Int
    public var rules: [CustomQueueRule]
    /// `queue-list N default Q`; IOS default 1.
    public var defaultQueue: Int
    /// `queue-list N queue Q byte-count B`, indexed by queue number 0–16 (0 unused). Default 1500.
    public var byteCounts: [Int]
    /// `queue-list N queue Q limit P`, indexed by queue number 0–16. Default 20.
    public var limits: [Int]
    /// Carry a queue's overshoot past its byte count into its next turn (deficit round robin).
    /// Unconfirmed for IOS, which documents no carry-over (ios-behavior §4): default off.
    public var deficitCarryOver: Bool

    public static let queueCount = 17
    public static let defaultByteCount = 1500
    public static let defaultLimit = 20

    public init(number: Int, rules: [CustomQueueRule] = [], defaultQueue: Int = 1,
                byteCounts: [Int: Int] = [:], limits: [Int: Int] = [:], deficitCarryOver: Bool = false) {
        self.number = number
        self.rules = rules
        self.defaultQueue = defaultQueue
        self.byteCounts = (0..<QueueList.queueCount).map { byteCounts[$0] ?? QueueList.defaultByteCount }
        self.limits = (0..<QueueList.queueCount).map { limits[$0] ?? QueueList.defaultLimit }
        self.deficitCarryOver = deficitCarryOver
    }
}

/// Custom queueing: the system queue 0 is emptied first; queues 1–16 are visited round robin,
/// each sending whole packets until the bytes sent in its turn reach its byte count — so the
/// packet that crosses the count goes out whole and shares depend on packet size (ios-behavior §4).
@usableFromInline
final class CustomQueueing {
    let list: QueueList
    let rules: QueueingRules
    let rings: PacketRings
    let drops: FixedBuffer<UInt64>
    let sent: FixedBuffer<UInt64>
    let sentBytes: FixedBuffer<UInt64>
    let byteCount: FixedBuffer<Int>
    /// Bytes the current queue may still send in this turn (its deficit when carry-over is on).
    let credit: FixedBuffer<Int>
    struct State {
        var count = 0
        var userCount = 0
        var current = 1
        var inTurn = false
    }
    /// Mutable scalars behind a fixed pointer (no exclusivity checks on the hot path).
    let state: FixedBuffer<State>
    var count: Int { state.value.count }
    let defaultQueue: Int
    let deficitCarryOver: Bool

    init(_ list: QueueList, accessLists: AccessListTable) {
        self.list = list
        rules = QueueingRules(list.rules.map { ($0.match, $0.queue) }, accessLists: accessLists)
        state = FixedBuffer(repeating: State(), count: 1)
        defaultQueue = list.defaultQueue
        deficitCarryOver = list.deficitCarryOver
        rings = PacketRings(capacities: list.limits)
        drops = FixedBuffer(repeating: 0, count: QueueList.queueCount)
        sent = FixedBuffer(repeating: 0, count: QueueList.queueCount)
        sentBytes = FixedBuffer(repeating: 0, count: QueueList.queueCount)
        byteCount = FixedBuffer(repeating: 0, count: QueueList.queueCount)
        credit = FixedBuffer(repeating: 0, count: QueueList.queueCount)
        for q in 0..<QueueList.queueCount { byteCount[q] = Swift.max(list.byteCounts[q], 1) }
    }

    deinit {
        rings.deallocate(); drops.deallocate(); sent.deallocate(); sentBytes.deallocate()
        byteCount.deallocate(); credit.deallocate(); state.deallocate(); rules.deallocate()
    }

    /// - Complexity: O(rules)
    @inline(__always)
    func classify(_ packet: QueuedPacket) -> Int {
        if isSystemTraffic(packet.key) { return 0 }
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
        state.value.count += 1
        if queue != 0 { state.value.userCount += 1 }
        return .queued
    }

    /// - Complexity: O(16) at worst (skipping empty queues), O(1) amortized under load.
    @usableFromInline
    func dequeue() -> QueuedPacket? {
        if let p = rings.pop(ring: 0) {
            state.value.count -= 1
            account(p, queue: 0)
            return p
        }
        guard state.value.userCount > 0 else { return nil }
        while true {
            let q = state.value.current
            if rings.depth[q] > 0 {
                if !state.value.inTurn {
                    credit[q] = deficitCarryOver ? credit[q] + byteCount[q] : byteCount[q]
                    state.value.inTurn = true
                }
                // IOS sends from a queue "until the number of bytes sent exceeds the byte count"
                // (Cisco, Configuring Custom Queueing): a frame is still sent when the bytes sent so
                // far equal the count exactly, so byte-count 1514 sends two 1514-byte frames a turn.
                if credit[q] > 0 || (!deficitCarryOver && credit[q] == 0) {
                    let p = rings.pop(ring: q)!
                    state.value.count -= 1
                    state.value.userCount -= 1
                    account(p, queue: q)
                    credit[q] -= Int(p.length)
                    if rings.depth[q] == 0 {
                        // Deficit round robin forgets the deficit of a queue that empties.
                        credit[q] = 0
                        advance()
                    } else if deficitCarryOver ? credit[q] <= 0 : credit[q] < 0 {
                        advance()
                    }
                    return p
                }
            } else if deficitCarryOver {
                credit[q] = 0
            }
            advance()
        }
    }

    @inline(__always)
    private func advance() {
        let c = state.value.current
        state.value.current = c == 16 ? 1 : c + 1
        state.value.inTurn = false
    }

    @inline(__always)
    private func account(_ p: QueuedPacket, queue: Int) {
        sent[queue] &+= 1
        sentBytes[queue] &+= UInt64(p.length)
    }

    func depth(_ q: Int) -> Int { rings.depth[q] }
    func limit(_ q: Int) -> Int { rings.ringCapacity[q] }
    func drops(_ q: Int) -> UInt64 { drops[q] }
}
