import DequeModule
import Engine
import Wire

/// First in, first out with tail drop: the IOS default outside slow serial links, `hold-queue N out`.
public final class FIFOQueue {
    @usableFromInline var packets: Deque<QueuedPacket>
    /// The hold-queue limit in packets (IOS default 40).
    public var limit: Int
    public private(set) var drops: UInt64 = 0

    public init(limit: Int = FIFOQueue.defaultHoldQueue) {
        self.limit = limit
        packets = Deque(minimumCapacity: limit)
    }

    /// IOS default output hold queue, in packets.
    public static let defaultHoldQueue = 40

    /// - Complexity: O(1)
    @inlinable
    public func enqueue(_ packet: QueuedPacket) -> EnqueueOutcome {
        guard packets.count < limit else {
            countDrop()
            return .dropped(.queueFull)
        }
        packets.append(packet)
        return .queued
    }

    /// - Complexity: O(1)
    @inlinable
    public func dequeue() -> QueuedPacket? { packets.popFirst() }

    public var count: Int { packets.count }

    @usableFromInline func countDrop() { drops &+= 1 }
}

/// How an interface queues its output, as configured. Parsed in Lab and handed down.
public enum QueueingConfiguration: Equatable, Sendable {
    /// FIFO with a hold-queue limit.
    case fifo(holdQueue: Int)
}

/// The software output queue of one interface: whichever discipline is configured, behind one
/// enqueue/dequeue interface with drop accounting. Dispatch is a `switch`, not an existential.
public final class OutputQueue {
    @usableFromInline enum Discipline {
        case fifo(FIFOQueue)
    }

    @usableFromInline var discipline: Discipline
    public let configuration: QueueingConfiguration
    /// Packets dropped by the discipline, by reason.
    public private(set) var dropsByReason: [DropReason: UInt64] = [:]
    public private(set) var totalDrops: UInt64 = 0

    /// Interface bandwidth (`bandwidth` command or the link rate), for percent-based and
    /// bandwidth-derived settings.
    public let bandwidth: Bandwidth

    public init(_ configuration: QueueingConfiguration, bandwidth: Bandwidth) {
        self.configuration = configuration
        self.bandwidth = bandwidth
        switch configuration {
        case let .fifo(holdQueue): discipline = .fifo(FIFOQueue(limit: holdQueue))
        }
    }

    /// Offers a packet. A policy that marks (`set dscp`) rewrites `packet.key.tos`; the fabric then
    /// rewrites the frame's ToS byte and header checksum to match.
    /// - Complexity: O(1) for FIFO.
    @inlinable
    public func enqueue(_ packet: inout QueuedPacket, now: SimTime) -> EnqueueOutcome {
        let outcome: EnqueueOutcome
        switch discipline {
        case let .fifo(q): outcome = q.enqueue(packet)
        }
        switch outcome {
        case .queued: break
        case let .dropped(reason), let .queuedDisplacing(_, reason): record(reason)
        }
        return outcome
    }

    /// The next packet to transmit, or nil when none may go now.
    @inlinable
    public func dequeue(now: SimTime) -> QueuedPacket? {
        switch discipline {
        case let .fifo(q): return q.dequeue()
        }
    }

    /// When a non-empty queue that returned nil from `dequeue` (a shaper waiting for tokens) can
    /// send again; nil when it is empty or can send now.
    public func nextEligibleTime(now: SimTime) -> SimTime? { nil }

    public var count: Int {
        switch discipline {
        case let .fifo(q): return q.count
        }
    }

    /// Capacity as `show interfaces` prints it in `Output queue: size/max`.
    public var limit: Int {
        switch discipline {
        case let .fifo(q): return q.limit
        }
    }

    /// `Queueing strategy: ...` as in `show interfaces`.
    public var strategyName: String {
        switch discipline {
        case .fifo: return "fifo"
        }
    }

    @usableFromInline func record(_ reason: DropReason) {
        totalDrops &+= 1
        dropsByReason[reason, default: 0] &+= 1
    }
}
