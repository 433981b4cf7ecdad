/// The bytes of every slot of a `FramePool`, in one allocation that the pool owns.
///
/// A class only so the buffer is freed with the pool. The pool reads and writes through `base`
/// directly, so handing a frame's bytes to a closure costs no reference counting and no
/// uniqueness check (an `[UInt8]` kept alive across each closure call cost four retain/release
/// pairs per access on the forwarding path).
@usableFromInline final class FrameBytes {
    @usableFromInline private(set) var base: UnsafeMutableRawPointer
    @usableFromInline private(set) var byteCount: Int

    init() {
        base = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        byteCount = 0
    }

    /// Adds `count` zeroed bytes at the end (moves the buffer: pointers into it become invalid).
    func grow(by count: Int) {
        let new = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(64, byteCount + count), alignment: 64)
        new.copyMemory(from: base, byteCount: byteCount)
        (new + byteCount).initializeMemory(as: UInt8.self, repeating: 0, count: count)
        base.deallocate()
        base = new
        byteCount += count
    }

    deinit { base.deallocate() }
}

/// Frame buffers for every frame in flight, recycled through a free list.
///
/// Each slot has `headroom` spare bytes in front of the frame so a switch can add an 802.1Q tag in
/// place. Frames cross links as bytes; events carry only the handle. After warm-up nothing is
/// allocated: slots are reused and the arrays keep their capacity.
///
/// A network owns one pool and never copies it: copies of a pool share its bytes.
public struct FramePool {
    @usableFromInline let bytes = FrameBytes()
    /// `bytes.base`, cached (updated when the pool grows).
    @usableFromInline var base: UnsafeMutableRawPointer
    @usableFromInline var offsets: [Int32] = []
    @usableFromInline var lengths: [Int32] = []
    @usableFromInline var freeSlots: [UInt32] = []
    public let slotSize: Int
    @usableFromInline static var headroom: Int { 8 }

    /// A pool whose frames can be up to `maximumFrame` bytes.
    public init(maximumFrame: Int, initialSlots: Int = 256) {
        slotSize = (maximumFrame + Self.headroom + 63) & ~63
        base = bytes.base
        grow(by: initialSlots)
    }

    @usableFromInline
    mutating func grow(by slots: Int) {
        let first = offsets.count
        bytes.grow(by: slots * slotSize)
        base = bytes.base
        offsets.append(contentsOf: repeatElement(0, count: slots))
        lengths.append(contentsOf: repeatElement(0, count: slots))
        freeSlots.reserveCapacity(offsets.count)
        for i in stride(from: first + slots - 1, through: first, by: -1) { freeSlots.append(UInt32(i)) }
    }

    /// Frames currently allocated.
    public var inUse: Int { offsets.count - freeSlots.count }
    public var capacity: Int { offsets.count }

    /// A new, empty frame of `length` bytes (contents undefined until written).
    /// - Complexity: O(1) amortized.
    @inlinable
    public mutating func allocate(length: Int) -> FrameHandle {
        if freeSlots.isEmpty { grow(by: Swift.max(64, offsets.count)) }
        let slot = freeSlots.removeLast()
        offsets[Int(slot)] = Int32(Self.headroom)
        lengths[Int(slot)] = Int32(length)
        return FrameHandle(slot)
    }

    /// Returns a frame's slot to the pool.
    @inlinable
    public mutating func release(_ frame: FrameHandle) {
        freeSlots.append(frame.rawValue)
    }

    @inlinable public func length(_ frame: FrameHandle) -> Int { Int(lengths[frame.index]) }

    /// Changes the frame's length (bytes past the old end are undefined).
    @inlinable
    public mutating func setLength(_ frame: FrameHandle, _ length: Int) {
        precondition(Int(offsets[frame.index]) + length <= slotSize, "frame larger than its slot")
        lengths[frame.index] = Int32(length)
    }

    /// Reads the frame's bytes.
    @inlinable
    public func withBytes<R>(_ frame: FrameHandle, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let start = frame.index * slotSize + Int(offsets[frame.index])
        let count = Int(lengths[frame.index])
        precondition(start >= 0 && count >= 0 && start + count <= offsets.count * slotSize, "frame outside the pool")
        return try body(UnsafeRawBufferPointer(start: base + start, count: count))
    }

    /// The frame's bytes without a closure, for the per-frame path: around a closure that calls
    /// out (into Wire's parsers), the caller keeps a copy of the pool alive, four retain/release
    /// pairs per read. Valid only until the pool next changes (allocate, copy, tag, untag).
    @inline(__always)
    func unsafeBytes(_ frame: FrameHandle) -> UnsafeRawBufferPointer {
        let start = frame.index * slotSize + Int(offsets[frame.index])
        let count = Int(lengths[frame.index])
        precondition(start >= 0 && count >= 0 && start + count <= offsets.count * slotSize, "frame outside the pool")
        return UnsafeRawBufferPointer(start: base + start, count: count)
    }

    /// Writes the frame's bytes in place.
    @inlinable
    public mutating func withMutableBytes<R>(_ frame: FrameHandle,
                                             _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        let start = frame.index * slotSize + Int(offsets[frame.index])
        let count = Int(lengths[frame.index])
        precondition(start >= 0 && count >= 0 && start + count <= offsets.count * slotSize, "frame outside the pool")
        return try body(UnsafeMutableRawBufferPointer(start: base + start, count: count))
    }

    /// A copy of `frame` in a new slot.
    @inlinable
    public mutating func copy(_ frame: FrameHandle) -> FrameHandle {
        let copy = allocate(length: length(frame))
        let from = frame.index * slotSize + Int(offsets[frame.index])
        let to = copy.index * slotSize + Int(offsets[copy.index])
        let count = Int(lengths[frame.index])
        (base + to).copyMemory(from: base + from, byteCount: count)
        return copy
    }

    /// Inserts an 802.1Q tag after the two MAC addresses (uses the headroom; no copy of the payload).
    @inlinable
    public mutating func insertTag(_ frame: FrameHandle, vlanID: UInt16, priority: UInt8 = 0) {
        let i = frame.index
        precondition(offsets[i] >= 4, "no headroom for a tag")
        let start = i * slotSize + Int(offsets[i])
        do {
            let base = self.base + start
            for k in 0..<12 { (base - 4 + k).storeBytes(of: base.load(fromByteOffset: k, as: UInt8.self), as: UInt8.self) }
            let tci = UInt16(priority & 7) << 13 | (vlanID & 0x0FFF)
            base.storeBytes(of: UInt8(0x81), toByteOffset: 8, as: UInt8.self)
            base.storeBytes(of: UInt8(0x00), toByteOffset: 9, as: UInt8.self)
            base.storeBytes(of: UInt8(tci >> 8), toByteOffset: 10, as: UInt8.self)
            base.storeBytes(of: UInt8(tci & 0xFF), toByteOffset: 11, as: UInt8.self)
        }
        offsets[i] -= 4
        lengths[i] += 4
    }

    /// Removes the 802.1Q tag that follows the MAC addresses.
    @inlinable
    public mutating func removeTag(_ frame: FrameHandle) {
        let i = frame.index
        let start = i * slotSize + Int(offsets[i])
        do {
            let base = self.base + start
            for k in stride(from: 11, through: 0, by: -1) {
                (base + 4 + k).storeBytes(of: base.load(fromByteOffset: k, as: UInt8.self), as: UInt8.self)
            }
        }
        offsets[i] += 4
        lengths[i] -= 4
    }
}
