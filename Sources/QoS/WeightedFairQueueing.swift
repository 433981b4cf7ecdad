import Wire

/// `fair-queue [cdt [dynamic-queues [reservable-queues]]]` plus the hold queue (ios-behavior §5.2).
public struct FairQueueParameters: Hashable, Sendable {
    /// Congestive discard threshold, packets per conversation (default 64).
    public var congestiveDiscardThreshold: Int
    /// Dynamic conversation queues (default 256; 16…4096).
    public var dynamicQueues: Int
    /// RSVP reservable queues (default 0); counted for `show`, not used by traffic here.
    public var reservableQueues: Int
    /// The whole WFQ system's limit (`hold-queue N out`, default 1000).
    public var holdQueue: Int
    /// BCRAN-era hysteresis: a conversation that hit the CDT takes no new packets until it falls
    /// below a quarter of the CDT. Unconfirmed which IOS trains do this (ios-behavior §5.4): off.
    public var quarterCDTHysteresis: Bool
    /// Link queues for router control traffic (8, weight 1024) — unconfirmed (ios-behavior §5.2).
    public var linkQueues: Int
    public var linkQueueWeight: Int

    public init(congestiveDiscardThreshold: Int = 64, dynamicQueues: Int = 256, reservableQueues: Int = 0,
                holdQueue: Int = 1000, quarterCDTHysteresis: Bool = false, linkQueues: Int = 8,
                linkQueueWeight: Int = 1024) {
        self.congestiveDiscardThreshold = congestiveDiscardThreshold
        self.dynamicQueues = dynamicQueues
        self.reservableQueues = reservableQueues
        self.holdQueue = holdQueue
        self.quarterCDTHysteresis = quarterCDTHysteresis
        self.linkQueues = linkQueues
        self.linkQueueWeight = linkQueueWeight
    }

    /// Dynamic queues by interface bandwidth, as for class-default `fair-queue` (ios-behavior §5.2).
    public static func dynamicQueues(for bandwidth: Bandwidth) -> Int {
        switch bandwidth.kilobitsPerSecond {
        case ...64: return 16
        case ...128: return 32
        case ...256: return 64
        case ...512: return 128
        default: return 256
        }
    }
}

/// WFQ weights: 32384 / (IP precedence + 1), integer division (IOS 12.0(5)T and later;
/// ios-behavior §5.3 — integer weight is the documented choice, 5397 for precedence 5).
public enum FairQueueWeight {
    public static let scale = 32384
    public static func weight(precedence: UInt8) -> Int { scale / (Int(precedence & 7) + 1) }
    static let table: [UInt64] = (0..<8).map { UInt64(weight(precedence: UInt8($0))) }
}

/// Hashes a packet's conversation fields (addresses, protocol, ports, precedence) onto one of
/// `queues` dynamic queues; distinct flows may collide, as in IOS (hash details unconfirmed).
@inline(__always)
func conversationHash(_ key: PacketKey, queues: Int) -> Int {
    var h = UInt64(key.source.rawValue) &* 0x9E37_79B9_7F4A_7C15
    h ^= UInt64(key.destination.rawValue) &* 0xC2B2_AE3D_27D4_EB4F
    h ^= (UInt64(key.sourcePort) << 32 | UInt64(key.destinationPort) << 16 | UInt64(key.ipProtocol) << 3
        | UInt64(key.precedence)) &* 0x1656_67B1_9E37_79F9
    h ^= h >> 29
    h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 32
    return Int(((h & 0xFFFF_FFFF) &* UInt64(queues)) >> 32)
}

/// What became of a packet offered to a flow conversation.
enum FlowOffer {
    case queued
    case dropped(DropReason)
    /// Queued; this packet was discarded (congestively) to make room.
    case displacing(QueuedPacket)
}

/// Per-conversation drop counters kept beside the scheduler for `show queue`.
struct ConversationCounters {
    let discards: FixedBuffer<UInt64>
    let noBufferDrops: FixedBuffer<UInt64>
    let blocked: FixedBuffer<Bool>
    init(_ n: Int) {
        discards = FixedBuffer(repeating: 0, count: n)
        noBufferDrops = FixedBuffer(repeating: 0, count: n)
        blocked = FixedBuffer(repeating: false, count: n)
    }
    func deallocate() { discards.deallocate(); noBufferDrops.deallocate(); blocked.deallocate() }
}

extension ConversationScheduler {
    /// Offers a packet to a flow conversation with WFQ's "modified tail drop" (ios-behavior §5.4):
    /// (1) the system at `holdQueue` packets drops the arrival; (2) a conversation at `cdt` makes
    /// the packet with the highest SN among `flows` go — the arrival itself, or a queued packet
    /// (returned in `.displacing`).
    @inline(__always)
    func offerFlowPacket(_ packet: QueuedPacket, conversation c: Int, weight: UInt64, cdt: Int, holdQueue: Int,
                         hysteresis: Bool, flows: Range<Int>, counters: ConversationCounters) -> FlowOffer {
        if count >= holdQueue || isFull {
            counters.noBufferDrops[c] &+= 1
            return .dropped(.queueFull)
        }
        let sn = sequenceNumber(conversation: c, weightedLength: weight &* UInt64(packet.length))
        let d = depth(c)
        if hysteresis {
            if counters.blocked[c] && d < cdt / 4 { counters.blocked[c] = false }
            if counters.blocked[c] {
                counters.discards[c] &+= 1
                return .dropped(.congestiveDiscard)
            }
        }
        if d >= cdt {
            if hysteresis { counters.blocked[c] = true }
            guard let (victim, victimSN) = highestTail(in: flows), victimSN > sn else {
                counters.discards[c] &+= 1
                return .dropped(.congestiveDiscard)
            }
            let displaced = removeTail(conversation: victim)
            counters.discards[victim] &+= 1
            // The SN was computed before the discard; recompute in case the victim was this flow.
            let fresh = sequenceNumber(conversation: c, weightedLength: weight &* UInt64(packet.length))
            append(packet, conversation: c, sn: fresh)
            return .displacing(displaced)
        }
        append(packet, conversation: c, sn: sn)
        return .queued
    }
}

/// Flow-based weighted fair queueing (ios-behavior §5): conversations hashed from the 5-tuple and
/// precedence, SN-ordered service, modified tail drop.
@usableFromInline
final class WeightedFairQueueing {
    let parameters: FairQueueParameters
    let scheduler: ConversationScheduler
    let counters: ConversationCounters
    let weights: FixedBuffer<UInt64>
    let dynamicQueues: Int
    /// Drops, behind a fixed pointer (no exclusivity check on the hot path).
    let dropCount: FixedBuffer<UInt64>
    var drops: UInt64 { dropCount.value }
    // Hot copies of `parameters`.
    let linkQueues: Bool
    let linkQueueWeight: UInt64
    let cdt: Int
    let holdQueue: Int
    let hysteresis: Bool

    init(_ parameters: FairQueueParameters) {
        self.parameters = parameters
        dynamicQueues = Swift.max(parameters.dynamicQueues, 1)
        let conversations = dynamicQueues + Swift.max(parameters.linkQueues, 0)
        scheduler = ConversationScheduler(slots: parameters.holdQueue, conversations: conversations)
        counters = ConversationCounters(conversations)
        weights = FixedBuffer(repeating: 0, count: 8)
        for p in 0..<8 { weights[p] = FairQueueWeight.table[p] }
        dropCount = FixedBuffer(repeating: 0, count: 1)
        linkQueues = parameters.linkQueues > 0
        linkQueueWeight = UInt64(parameters.linkQueueWeight)
        cdt = parameters.congestiveDiscardThreshold
        holdQueue = parameters.holdQueue
        hysteresis = parameters.quarterCDTHysteresis
    }

    deinit {
        counters.deallocate(); weights.deallocate(); dropCount.deallocate()
    }

    /// - Complexity: O(log n); O(active conversations) when a congestive discard must find its victim.
    @usableFromInline
    func enqueue(_ packet: QueuedPacket) -> EnqueueOutcome {
        let key = packet.key
        let c: Int
        let weight: UInt64
        if linkQueues && isSystemTraffic(key) {
            c = dynamicQueues
            weight = linkQueueWeight
        } else {
            c = conversationHash(key, queues: dynamicQueues)
            weight = weights[Int(key.precedence)]
        }
        switch scheduler.offerFlowPacket(
            packet, conversation: c, weight: weight, cdt: cdt, holdQueue: holdQueue, hysteresis: hysteresis,
            flows: 0..<scheduler.conversationCount, counters: counters) {
        case .queued:
            return .queued
        case let .dropped(reason):
            dropCount.value &+= 1
            return .dropped(reason)
        case let .displacing(victim):
            dropCount.value &+= 1
            return .queuedDisplacing(victimHandle: victim.handle, .congestiveDiscard)
        }
    }

    /// - Complexity: O(log n)
    @usableFromInline
    func dequeue() -> QueuedPacket? {
        guard let c = scheduler.minimum(holdsOut: false) else { return nil }
        return scheduler.popHead(conversation: c)
    }

    var count: Int { scheduler.count }
}
