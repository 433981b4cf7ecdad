/// MD5 (RFC 1321), for OSPF cryptographic authentication (RFC 2328 D.3). It is kept here, small and
/// dependency-free, because OSPF needs nothing else of a crypto library; MD5 is not for new security uses.
///
/// Streaming: `update` any number of times, then `finalize`. `MD5.digest(of:)` does both.
public struct MD5: Sendable {
    public static let digestLength = 16

    private var a: UInt32 = 0x6745_2301
    private var b: UInt32 = 0xEFCD_AB89
    private var c: UInt32 = 0x98BA_DCFE
    private var d: UInt32 = 0x1032_5476
    /// Bytes of the current 64-byte block not yet compressed.
    private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var blockCount = 0
    private var totalLength: UInt64 = 0

    public init() {}

    /// The per-round shift amounts and the sine-derived constants T[i] = floor(2^32 · |sin(i + 1)|) (RFC 1321 §3.4).
    private static let shifts: [UInt32] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
    private static let table: [UInt32] = [
        0xD76A_A478, 0xE8C7_B756, 0x2420_70DB, 0xC1BD_CEEE, 0xF57C_0FAF, 0x4787_C62A, 0xA830_4613, 0xFD46_9501,
        0x6980_98D8, 0x8B44_F7AF, 0xFFFF_5BB1, 0x895C_D7BE, 0x6B90_1122, 0xFD98_7193, 0xA679_438E, 0x49B4_0821,
        0xF61E_2562, 0xC040_B340, 0x265E_5A51, 0xE9B6_C7AA, 0xD62F_105D, 0x0244_1453, 0xD8A1_E681, 0xE7D3_FBC8,
        0x21E1_CDE6, 0xC337_07D6, 0xF4D5_0D87, 0x455A_14ED, 0xA9E3_E905, 0xFCEF_A3F8, 0x676F_02D9, 0x8D2A_4C8A,
        0xFFFA_3942, 0x8771_F681, 0x6D9D_6122, 0xFDE5_380C, 0xA4BE_EA44, 0x4BDE_CFA9, 0xF6BB_4B60, 0xBEBF_BC70,
        0x289B_7EC6, 0xEAA1_27FA, 0xD4EF_3085, 0x0488_1D05, 0xD9D4_D039, 0xE6DB_99E5, 0x1FA2_7CF8, 0xC4AC_5665,
        0xF429_2244, 0x432A_FF97, 0xAB94_23A7, 0xFC93_A039, 0x655B_59C3, 0x8F0C_CC92, 0xFFEF_F47D, 0x8584_5DD1,
        0x6FA8_7E4F, 0xFE2C_E6E0, 0xA301_4314, 0x4E08_11A1, 0xF753_7E82, 0xBD3A_F235, 0x2AD7_D2BB, 0xEB86_D391,
    ]

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        totalLength &+= UInt64(bytes.count)
        for byte in bytes { append(byte) }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    private mutating func append(_ byte: UInt8) {
        withUnsafeMutableBytes(of: &block) { $0[blockCount] = byte }
        blockCount += 1
        if blockCount == 64 {
            compress()
            blockCount = 0
        }
    }

    private mutating func compress() {
        // The block is read as sixteen little-endian words (RFC 1321 §2).
        var x = [UInt32](repeating: 0, count: 16)
        withUnsafeBytes(of: &block) { raw in
            for i in 0..<16 {
                x[i] = UInt32(raw[4 * i]) | UInt32(raw[4 * i + 1]) << 8 | UInt32(raw[4 * i + 2]) << 16
                    | UInt32(raw[4 * i + 3]) << 24
            }
        }
        var aa = a, bb = b, cc = c, dd = d
        for i in 0..<64 {
            let f: UInt32, g: Int
            switch i {
            case 0..<16: f = (bb & cc) | (~bb & dd); g = i
            case 16..<32: f = (bb & dd) | (cc & ~dd); g = (5 * i + 1) % 16
            case 32..<48: f = bb ^ cc ^ dd; g = (3 * i + 5) % 16
            default: f = cc ^ (bb | ~dd); g = (7 * i) % 16
            }
            let s = Self.shifts[(i / 16) * 4 + i % 4]
            let sum = aa &+ f &+ Self.table[i] &+ x[g]
            aa = dd
            dd = cc
            cc = bb
            bb = bb &+ (sum << s | sum >> (32 - s))
        }
        a &+= aa
        b &+= bb
        c &+= cc
        d &+= dd
    }

    /// Pads (RFC 1321 §3.1–3.2: a 1 bit, zeros to 56 mod 64, the bit length little-endian) and returns the digest.
    public mutating func finalize() -> [UInt8] {
        let bits = totalLength &* 8
        append(0x80)
        while blockCount != 56 { append(0) }
        for i in 0..<8 { append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        var out = [UInt8](repeating: 0, count: Self.digestLength)
        for (i, word) in [a, b, c, d].enumerated() {
            for j in 0..<4 { out[4 * i + j] = UInt8(truncatingIfNeeded: word >> (8 * UInt32(j))) }
        }
        return out
    }

    public static func digest(of bytes: [UInt8]) -> [UInt8] {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalize()
    }
}
