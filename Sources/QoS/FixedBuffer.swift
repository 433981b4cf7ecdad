/// A buffer of fixed capacity allocated once at configuration time, so the hot path neither
/// allocates nor pays array uniqueness and exclusivity checks. The only unsafe memory in QoS;
/// indices are asserted in debug builds. The owning class frees it in `deinit`.
@usableFromInline
struct FixedBuffer<Element> {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    @usableFromInline let capacity: Int

    @usableFromInline
    init(repeating value: Element, count: Int) {
        capacity = Swift.max(count, 1)
        base = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        base.initialize(repeating: value, count: capacity)
    }

    @usableFromInline
    func deallocate() {
        base.deinitialize(count: capacity)
        base.deallocate()
    }

    /// In-place element access (addressors, so `buffer[i].field += 1` touches only that field).
    /// - Complexity: O(1)
    @inlinable
    subscript(index: Int) -> Element {
        unsafeAddress {
            assert(index >= 0 && index < capacity, "FixedBuffer index out of range")
            return UnsafePointer(base + index)
        }
        nonmutating unsafeMutableAddress {
            assert(index >= 0 && index < capacity, "FixedBuffer index out of range")
            return base + index
        }
    }

    /// The first element, for a buffer used as a single mutable cell.
    @inlinable
    var value: Element {
        unsafeAddress { UnsafePointer(base) }
        nonmutating unsafeMutableAddress { base }
    }
}

/// Several FIFO packet rings carved out of one slab: the queues of PQ, CQ and the LLQ strict queue.
/// Each ring has its own capacity (its tail-drop limit).
struct PacketRings {
    let slots: FixedBuffer<QueuedPacket>
    let offset: FixedBuffer<Int>
    let ringCapacity: FixedBuffer<Int>
    let head: FixedBuffer<Int>
    let depth: FixedBuffer<Int>
    let ringCount: Int

    static let emptyPacket = QueuedPacket(handle: 0, length: 0, enqueuedAt: .zero, key: PacketKey())

    init(capacities: [Int]) {
        ringCount = capacities.count
        offset = FixedBuffer(repeating: 0, count: capacities.count)
        ringCapacity = FixedBuffer(repeating: 0, count: capacities.count)
        head = FixedBuffer(repeating: 0, count: capacities.count)
        depth = FixedBuffer(repeating: 0, count: capacities.count)
        var total = 0
        for (i, c) in capacities.enumerated() {
            offset[i] = total
            ringCapacity[i] = Swift.max(c, 0)
            total += Swift.max(c, 0)
        }
        slots = FixedBuffer(repeating: Self.emptyPacket, count: total)
    }

    func deallocate() {
        slots.deallocate(); offset.deallocate(); ringCapacity.deallocate(); head.deallocate(); depth.deallocate()
    }

    /// Appends to ring `ring`; false when the ring is full (tail drop).
    /// - Complexity: O(1)
    @inline(__always)
    func push(_ packet: QueuedPacket, ring: Int) -> Bool {
        let d = depth[ring], cap = ringCapacity[ring]
        guard d < cap else { return false }
        var index = head[ring] + d
        if index >= cap { index -= cap }
        slots[offset[ring] + index] = packet
        depth[ring] = d + 1
        return true
    }

    /// Removes the oldest packet of ring `ring`.
    /// - Complexity: O(1)
    @inline(__always)
    func pop(ring: Int) -> QueuedPacket? {
        let d = depth[ring]
        guard d > 0 else { return nil }
        let h = head[ring]
        let packet = slots[offset[ring] + h]
        let next = h + 1
        head[ring] = next == ringCapacity[ring] ? 0 : next
        depth[ring] = d - 1
        return packet
    }

    /// The oldest packet of ring `ring`, left in place.
    @inline(__always)
    func peek(ring: Int) -> QueuedPacket? {
        depth[ring] > 0 ? slots[offset[ring] + head[ring]] : nil
    }
}
