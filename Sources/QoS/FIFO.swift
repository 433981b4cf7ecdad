import Engine
import Wire

/// First in, first out with tail drop: the IOS default outside slow serial links, `hold-queue N out`.
///
/// A ring over a buffer allocated once (rather than a `Deque` in a class property): the whole
/// enqueue/dequeue inlines into the fabric with no exclusivity, uniqueness or reference-count
/// traffic — 16 Mpps with `Deque`, see `QoSBenchmark`.
public final class FIFOQueue {
    @usableFromInline
    struct Ring {
        @usableFromInline var head: Int
        @usableFromInline var count: Int
        @usableFromInline var drops: UInt64
        @usableFromInline init() { head = 0; count = 0; drops = 0 }
    }

    @usableFromInline let slots: FixedBuffer<QueuedPacket>
    @usableFromInline let ring: FixedBuffer<Ring>
    /// The hold-queue limit in packets (IOS default 40).
    public let limit: Int

    public init(limit: Int = FIFOQueue.defaultHoldQueue) {
        self.limit = Swift.max(limit, 0)
        slots = FixedBuffer(repeating: QueuedPacket(handle: 0, length: 0, enqueuedAt: .zero, key: PacketKey()),
                            count: Swift.max(limit, 1))
        ring = FixedBuffer(repeating: Ring(), count: 1)
    }

    deinit {
        slots.deallocate()
        ring.deallocate()
    }

    /// IOS default output hold queue, in packets.
    public static let defaultHoldQueue = 40

    /// - Complexity: O(1)
    @inlinable
    public func enqueue(_ packet: QueuedPacket) -> EnqueueOutcome {
        let count = ring.value.count
        guard count < limit else {
            ring.value.drops &+= 1
            return .dropped(.queueFull)
        }
        var index = ring.value.head + count
        if index >= limit { index -= limit }
        slots[index] = packet
        ring.value.count = count + 1
        return .queued
    }

    /// - Complexity: O(1)
    @inlinable
    public func dequeue() -> QueuedPacket? {
        let count = ring.value.count
        guard count > 0 else { return nil }
        let head = ring.value.head
        let packet = slots[head]
        let next = head + 1
        ring.value.head = next == limit ? 0 : next
        ring.value.count = count - 1
        return packet
    }

    public var count: Int { ring.value.count }
    public var drops: UInt64 { ring.value.drops }
}
