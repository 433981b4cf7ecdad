import Testing
import Wire

/// MD5 against the test suite of RFC 1321 §A.5.
@Test(arguments: [
    ("", "d41d8cd98f00b204e9800998ecf8427e"),
    ("a", "0cc175b9c0f1b6a831c399e269772661"),
    ("abc", "900150983cd24fb0d6963f7d28e17f72"),
    ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
    ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
    ("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
     "57edf4a22be3c955ac49da2e2107b67a"),
])
func md5MatchesRFC1321(input: String, expected: String) {
    let digest = MD5.digest(of: Array(input.utf8))
    #expect(digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() == expected)
}

@Test func md5StreamsAcrossBlockBoundaries() {
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    var md5 = MD5()
    for chunk in stride(from: 0, to: bytes.count, by: 37) { md5.update(Array(bytes[chunk..<min(chunk + 37, bytes.count)])) }
    #expect(md5.finalize() == MD5.digest(of: bytes))
}
