import Engine
import Wire

/// How an interface queues its output, as configured. Parsed in Lab and handed down.
public enum QueueingConfiguration: Hashable, Sendable {
    /// FIFO with a hold-queue limit (`no fair-queue`, `hold-queue N out`).
    case fifo(holdQueue: Int)
    /// `priority-group N`.
    case priority(PriorityList)
    /// `custom-queue-list N`.
    case custom(QueueList)
    /// `fair-queue …`.
    case fair(FairQueueParameters)
    /// `service-policy output NAME` (CBWFQ/LLQ).
    case policy(PolicyMap)

    /// IOS default for an interface (ios-behavior §1): WFQ on serial links at E1 (2.048 Mbit/s)
    /// and below, FIFO with 40 packets elsewhere.
    public static func interfaceDefault(isSerial: Bool, bandwidth: Bandwidth) -> QueueingConfiguration {
        isSerial && bandwidth.bitsPerSecond <= 2_048_000 ? .fair(FairQueueParameters()) : .fifo(holdQueue: 40)
    }
}

/// The software output queue of one interface: whichever discipline is configured, behind one
/// enqueue/dequeue interface with drop accounting. Dispatch is a `switch` over final classes, not
/// an existential. FIFO inlines into the caller; the other disciplines are one direct call
/// into QoS (compiled with whole-module optimization), with no generics crossing the boundary.
public final class OutputQueue {
    @usableFromInline enum Discipline {
        case fifo(FIFOQueue)
        case priority(PriorityQueueing)
        case custom(CustomQueueing)
        case fair(WeightedFairQueueing)
        case policy(ClassBasedWFQ)
    }

    @usableFromInline let discipline: Discipline

    /// The same discipline held unmanaged (kept alive by `discipline`), for the per-packet
    /// dispatch: calling through a strong enum payload into another function costs a retain and a
    /// release per call.
    @usableFromInline enum Dispatch {
        case fifo(Unmanaged<FIFOQueue>)
        case priority(Unmanaged<PriorityQueueing>)
        case custom(Unmanaged<CustomQueueing>)
        case fair(Unmanaged<WeightedFairQueueing>)
        case policy(Unmanaged<ClassBasedWFQ>)
    }
    @usableFromInline let dispatch: Dispatch
    public let configuration: QueueingConfiguration
    /// Interface bandwidth (`bandwidth` command or the link rate), for percent-based and
    /// bandwidth-derived settings.
    public let bandwidth: Bandwidth
    /// Drops by `DropReason` case index; a fixed array so counting a drop never hashes or allocates.
    @usableFromInline var dropCounts: [UInt64]
    public private(set) var totalDrops: UInt64 = 0

    /// `accessLists` resolves the ACLs that lists and class maps name; `random` feeds WRED.
    public init(_ configuration: QueueingConfiguration, bandwidth: Bandwidth,
                accessLists: AccessListTable = AccessListTable(),
                random: RandomStream = RandomStream(seed: 0, label: "qos")) {
        self.configuration = configuration
        self.bandwidth = bandwidth
        dropCounts = Array(repeating: 0, count: OutputQueue.countedReasons.count)
        switch configuration {
        case let .fifo(holdQueue): discipline = .fifo(FIFOQueue(limit: holdQueue))
        case let .priority(list): discipline = .priority(PriorityQueueing(list, accessLists: accessLists))
        case let .custom(list): discipline = .custom(CustomQueueing(list, accessLists: accessLists))
        case let .fair(parameters): discipline = .fair(WeightedFairQueueing(parameters))
        case let .policy(policy):
            discipline = .policy(ClassBasedWFQ(policy, bandwidth: bandwidth, accessLists: accessLists, random: random))
        }
        switch discipline {
        case let .fifo(q): dispatch = .fifo(.passUnretained(q))
        case let .priority(q): dispatch = .priority(.passUnretained(q))
        case let .custom(q): dispatch = .custom(.passUnretained(q))
        case let .fair(q): dispatch = .fair(.passUnretained(q))
        case let .policy(q): dispatch = .policy(.passUnretained(q))
        }
    }

    /// Offers a packet. A policy that marks (`set dscp`) rewrites `packet.key.tos`; the fabric then
    /// rewrites the frame's ToS byte and header checksum to match. On `.queuedDisplacing` the
    /// fabric frees the displaced packet's frame.
    /// - Complexity: O(1) for FIFO, PQ and CQ (plus classification), O(log n) for WFQ and CBWFQ.
    @inlinable
    public func enqueue(_ packet: inout QueuedPacket, now: SimTime) -> EnqueueOutcome {
        let outcome: EnqueueOutcome
        switch dispatch {
        case let .fifo(q): outcome = q._withUnsafeGuaranteedRef { $0.enqueue(packet) }
        case let .priority(q): outcome = q._withUnsafeGuaranteedRef { $0.enqueue(packet) }
        case let .custom(q): outcome = q._withUnsafeGuaranteedRef { $0.enqueue(packet) }
        case let .fair(q): outcome = q._withUnsafeGuaranteedRef { $0.enqueue(packet) }
        case let .policy(q): outcome = q._withUnsafeGuaranteedRef { $0.enqueue(&packet, now: now) }
        }
        switch outcome {
        case .queued: break
        case let .dropped(reason), let .queuedDisplacing(_, reason): record(reason)
        }
        return outcome
    }

    /// The next packet to transmit, or nil when none may go now.
    /// - Complexity: O(1) for FIFO and PQ, O(1) amortized for CQ, O(log n) for WFQ and CBWFQ.
    @inlinable
    public func dequeue(now: SimTime) -> QueuedPacket? {
        switch dispatch {
        case let .fifo(q): return q._withUnsafeGuaranteedRef { $0.dequeue() }
        case let .priority(q): return q._withUnsafeGuaranteedRef { $0.dequeue() }
        case let .custom(q): return q._withUnsafeGuaranteedRef { $0.dequeue() }
        case let .fair(q): return q._withUnsafeGuaranteedRef { $0.dequeue() }
        case let .policy(q): return q._withUnsafeGuaranteedRef { $0.dequeue(now: now) }
        }
    }

    /// When a non-empty queue that returned nil from `dequeue` (a shaper waiting for tokens) can
    /// send again; nil when it is empty or can send now.
    public func nextEligibleTime(now: SimTime) -> SimTime? {
        switch discipline {
        case let .policy(q): return q.nextEligibleTime(now: now)
        case .fifo, .priority, .custom, .fair: return nil
        }
    }

    public var count: Int {
        switch discipline {
        case let .fifo(q): return q.count
        case let .priority(q): return q.count
        case let .custom(q): return q.count
        case let .fair(q): return q.count
        case let .policy(q): return q.count
        }
    }

    /// Capacity as `show interfaces` prints it in `Output queue: size/max`.
    public var limit: Int {
        switch discipline {
        case let .fifo(q): return q.limit
        case let .priority(q): return q.totalLimit
        case let .custom(q): return q.list.limits.reduce(0, +)
        case let .fair(q): return q.parameters.holdQueue
        case let .policy(q): return q.holdQueue
        }
    }

    /// `Queueing strategy: ...` as in `show interfaces`.
    public var strategyName: String {
        switch discipline {
        case .fifo: return "fifo"
        case let .priority(q): return "priority-list \(q.list.number)"
        case let .custom(q): return "custom-list \(q.list.number)"
        case .fair: return "weighted fair"
        case .policy: return "Class-based queueing"
        }
    }

    /// Packets dropped by the discipline, by reason.
    public var dropsByReason: [DropReason: UInt64] {
        var result: [DropReason: UInt64] = [:]
        for (i, reason) in OutputQueue.countedReasons.enumerated() where dropCounts[i] > 0 { result[reason] = dropCounts[i] }
        return result
    }

    /// The reasons a queue discipline drops for, in `dropCounts` order.
    static let countedReasons: [DropReason] = [.queueFull, .congestiveDiscard, .randomEarlyDrop, .policed, .classDrop]

    @usableFromInline func record(_ reason: DropReason) {
        totalDrops &+= 1
        let index: Int
        switch reason {
        case .congestiveDiscard: index = 1
        case .randomEarlyDrop: index = 2
        case .policed: index = 3
        case .classDrop: index = 4
        default: index = 0  // queue disciplines report nothing else; count it as a tail drop
        }
        dropCounts[index] &+= 1
    }
}
