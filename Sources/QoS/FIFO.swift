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
