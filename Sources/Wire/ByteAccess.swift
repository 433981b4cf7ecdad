/// Big-endian field reads at byte offsets; the only reading code that touches a raw pointer.
///
/// Representations check the length once up front (`require`), then read fields by offset. Every read
/// also checks its bounds, so a mistake in a representation traps instead of reading past the buffer.
@usableFromInline
struct ByteReader {
    @usableFromInline let bytes: UnsafeRawBufferPointer

    @inlinable init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable var count: Int { bytes.count }

    /// Throws `.truncated` unless at least `length` bytes are present.
    @inlinable func require(_ length: Int) throws(WireError) {
        if bytes.count < length { throw .truncated(need: length, have: bytes.count) }
    }

    @inlinable func u8(_ offset: Int) -> UInt8 {
        precondition(offset >= 0 && offset < bytes.count, "ByteReader: read past the end")
        return bytes.load(fromByteOffset: offset, as: UInt8.self)
    }

    @inlinable func u16(_ offset: Int) -> UInt16 {
        precondition(offset >= 0 && offset <= bytes.count - 2, "ByteReader: read past the end")
        return UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inlinable func u32(_ offset: Int) -> UInt32 {
        precondition(offset >= 0 && offset <= bytes.count - 4, "ByteReader: read past the end")
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable func mac(_ offset: Int) -> MACAddress {
        MACAddress(rawValue: UInt64(u16(offset)) << 32 | UInt64(u32(offset + 2)))
    }

    @inlinable func ipv4(_ offset: Int) -> IPv4Address { IPv4Address(rawValue: u32(offset)) }

    /// The bytes in `range`, rebased to start at index 0.
    @inlinable func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "ByteReader: slice past the end")
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// A copy of the bytes in `range` (allocates; control-plane and message bodies only).
    func array(_ range: Range<Int>) -> [UInt8] { Array(slice(range)) }
}

/// Big-endian field writes at byte offsets; the only writing code that touches a raw pointer.
@usableFromInline
struct ByteWriter {
    @usableFromInline let bytes: UnsafeMutableRawBufferPointer

    /// A writer over `bytes`, which must hold at least `length` bytes (the caller sized it with
    /// `encodedLength`; a smaller buffer is a programming error and traps).
    @inlinable init(_ bytes: UnsafeMutableRawBufferPointer, length: Int) {
        precondition(bytes.count >= length, "emit: buffer of \(bytes.count) bytes, need \(length)")
        self.bytes = bytes
    }

    @inlinable func u8(_ offset: Int, _ value: UInt8) {
        precondition(offset >= 0 && offset < bytes.count, "ByteWriter: write past the end")
        bytes.storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
    }

    @inlinable func u16(_ offset: Int, _ value: UInt16) {
        precondition(offset >= 0 && offset <= bytes.count - 2, "ByteWriter: write past the end")
        bytes.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt16.self)
    }

    @inlinable func u32(_ offset: Int, _ value: UInt32) {
        precondition(offset >= 0 && offset <= bytes.count - 4, "ByteWriter: write past the end")
        bytes.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
    }

    @inlinable func mac(_ offset: Int, _ value: MACAddress) {
        u16(offset, UInt16(truncatingIfNeeded: value.rawValue >> 32))
        u32(offset + 2, UInt32(truncatingIfNeeded: value.rawValue))
    }

    @inlinable func ipv4(_ offset: Int, _ value: IPv4Address) { u32(offset, value.rawValue) }

    @inlinable func copy(_ offset: Int, _ source: [UInt8]) {
        precondition(offset >= 0 && offset <= bytes.count - source.count, "ByteWriter: write past the end")
        source.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: bytes[offset...]).copyMemory(from: $0) }
    }

    @inlinable func fill(_ range: Range<Int>, with value: UInt8) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "ByteWriter: fill past the end")
        if !range.isEmpty { UnsafeMutableRawBufferPointer(rebasing: bytes[range]).initializeMemory(as: UInt8.self, repeating: value) }
    }

    /// The bytes in `range` for reading back (checksums over what was just written).
    @inlinable func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "ByteWriter: slice past the end")
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }
}
