/// The Internet checksum of RFC 1071: the one's-complement of the one's-complement sum of 16-bit words.
///
/// One routine for IPv4, ICMP, UDP, IGMP, OSPF packets and PIM. Partial sums (`sum`) can be chained with
/// `initial:`, e.g. the UDP pseudo-header followed by the datagram, then `finish`ed once.
public enum InternetChecksum {
    /// The one's-complement sum of `bytes` as big-endian 16-bit words, plus `initial`, not yet folded to
    /// 16 bits. An odd final byte is padded with a zero byte (RFC 1071 §4.1), so only the last buffer of a
    /// chain may have odd length.
    /// - Complexity: O(n)
    @inlinable
    public static func sum(_ bytes: UnsafeRawBufferPointer, initial: UInt32 = 0) -> UInt32 {
        // RFC 1071 §2(B): the sum is independent of word grouping, so add 32-bit words into 64 bits
        // (no carry is lost) and fold at the end; 2^16 ≡ 2^32 ≡ 1 modulo 0xFFFF.
        var total = UInt64(initial)
        let count = bytes.count
        var offset = 0
        if let base = bytes.baseAddress {
            while offset + 4 <= count {
                total &+= UInt64(UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
            }
            if offset + 2 <= count {
                total &+= UInt64(UInt16(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
                offset += 2
            }
            if offset < count {
                total &+= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << 8
            }
        }
        while total >> 32 != 0 { total = (total & 0xFFFF_FFFF) &+ (total >> 32) }
        return UInt32(total)
    }

    /// Folds a partial sum to 16 bits with end-around carry (RFC 1071 §4.1), without complementing.
    @inlinable
    public static func fold(_ sum: UInt32) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) &+ (s >> 16) }
        return UInt16(s)
    }

    /// Folds and complements a partial sum: the value to put in a checksum field. A header whose checksum
    /// field is already filled in verifies when this returns 0.
    @inlinable
    public static func finish(_ sum: UInt32) -> UInt16 { ~fold(sum) }

    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, initial: UInt32 = 0) -> UInt16 {
        finish(sum(bytes, initial: initial))
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt16 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The partial sum of the UDP/TCP pseudo-header (RFC 768): source, destination, zero, protocol, length.
    @inlinable
    public static func pseudoHeaderSum(
        source: IPv4Address, destination: IPv4Address, protocol: IPProtocol, length: Int
    ) -> UInt32 {
        (source.rawValue >> 16) + (source.rawValue & 0xFFFF)
            + (destination.rawValue >> 16) + (destination.rawValue & 0xFFFF)
            + UInt32(`protocol`.rawValue) + UInt32(truncatingIfNeeded: length & 0xFFFF)
    }

    /// The checksum after one 16-bit word of the covered data changes from `old` to `new`, by RFC 1624
    /// eqn. 3: HC' = ~(~HC + ~m + m'), which never produces the -0 that eqn. 2 of RFC 1141 could.
    @inlinable
    public static func updated(_ checksum: UInt16, replacing old: UInt16, with new: UInt16) -> UInt16 {
        ~fold(UInt32(~checksum) + UInt32(~old) + UInt32(new))
    }
}
