/// The Fletcher checksum of an LSA (RFC 2328 §12.1.7, the algorithm of RFC 905 Annex B / ISO 8473).
///
/// It covers the LSA from its Options field to its end — everything but LS age, so aging an LSA
/// never invalidates it — with the two checksum bytes (LSA bytes 16–17) placed so that both running
/// sums of the whole covered range come out zero modulo 255.
public enum Fletcher {
    /// The LSA bytes the checksum skips: LS age.
    public static let skipped = 2
    /// Where the checksum sits in an LSA.
    public static let checksumOffset = 16

    /// The checksum for `lsa` (a whole LSA, header first), computed as if its checksum bytes were zero.
    /// - Complexity: O(n) in the LSA's length.
    public static func lsaChecksum(_ lsa: UnsafeRawBufferPointer) -> UInt16 {
        precondition(lsa.count >= checksumOffset + 2, "an LSA is at least its 20-byte header")
        var c0 = 0, c1 = 0
        for i in skipped..<lsa.count {
            let byte = i == checksumOffset || i == checksumOffset + 1 ? 0 : Int(lsa[i])
            c0 = (c0 + byte) % 255
            c1 = (c1 + c0) % 255
        }
        // RFC 905 B.4 with L the covered length and n the checksum's 1-based position in it:
        // X = (L − n)·C0 − C1, Y = C1 − (L − n + 1)·C0, both mod 255, zero written as 255.
        let length = lsa.count - skipped, n = checksumOffset - skipped + 1
        var x = ((length - n) * c0 - c1) % 255
        if x <= 0 { x += 255 }
        var y = 510 - c0 - x
        if y > 255 { y -= 255 }
        return UInt16(x) << 8 | UInt16(y)
    }

    /// Whether the checksum stored in `lsa` verifies (RFC 2328 §13 (1)): both sums are zero modulo 255.
    public static func verifies(_ lsa: UnsafeRawBufferPointer) -> Bool {
        guard lsa.count >= checksumOffset + 2 else { return false }
        var c0 = 0, c1 = 0
        for i in skipped..<lsa.count {
            c0 = (c0 + Int(lsa[i])) % 255
            c1 = (c1 + c0) % 255
        }
        // An all-zero checksum field means "not computed" in ISO 8473; OSPF never sends it.
        return c0 == 0 && c1 == 0 && (lsa[checksumOffset] != 0 || lsa[checksumOffset + 1] != 0)
    }
}
