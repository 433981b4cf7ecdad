import Testing
import Wire

// RFC 1071 §3: the example bytes 00 01 f2 03 f4 f5 f6 f7 have the one's-complement sum 0xddf2.
@Test func rfc1071ExampleSumsToDDF2() {
    let bytes: [UInt8] = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]
    let sum = bytes.withUnsafeBytes { InternetChecksum.sum($0) }
    #expect(InternetChecksum.fold(sum) == 0xddf2)
    #expect(InternetChecksum.finish(sum) == ~UInt16(0xddf2))
    #expect(InternetChecksum.checksum(bytes) == 0x220d)
}

@Test func rfc1071ExampleSumIsTheSameInAnyGrouping() {
    // RFC 1071 §2(B): the sum may be computed in pieces and combined.
    let bytes: [UInt8] = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]
    bytes.withUnsafeBytes { raw in
        for split in stride(from: 0, through: 8, by: 2) {
            let first = InternetChecksum.sum(UnsafeRawBufferPointer(rebasing: raw[..<split]))
            let both = InternetChecksum.sum(UnsafeRawBufferPointer(rebasing: raw[split...]), initial: first)
            #expect(InternetChecksum.fold(both) == 0xddf2, "split at \(split)")
        }
    }
}

@Test func oddLengthIsPaddedWithAZeroByte() {
    #expect(InternetChecksum.checksum([0x12, 0x34, 0x56]) == InternetChecksum.checksum([0x12, 0x34, 0x56, 0x00]))
    #expect(InternetChecksum.checksum([0xab]) == ~UInt16(0xab00))
    #expect(InternetChecksum.checksum([]) == 0xffff)
}

@Test func goldenIPv4HeadersVerifyToZero() {
    for (name, frame, offset) in [("ping", Golden.ping, 14), ("udp", Golden.taggedUDP, 18),
                                  ("igmp", Golden.igmpReportWithRouterAlert, 14)] {
        let headerLength = Int(frame[offset] & 0x0f) * 4
        #expect(InternetChecksum.checksum(frame.bytes(offset..<offset + headerLength)) == 0, "\(name)")
    }
}

@Test func largeBuffersDoNotLoseCarries() {
    // 64 KiB of 0xff: a naive 32-bit accumulator of 16-bit words would be fine, one of 32-bit words would
    // overflow; either way the folded sum of all-ones is 0xffff.
    let bytes = [UInt8](repeating: 0xff, count: 65_536)
    #expect(InternetChecksum.checksum(bytes) == 0)
    let sum = bytes.withUnsafeBytes { InternetChecksum.sum($0, initial: 0xffff_ffff) }
    #expect(InternetChecksum.fold(sum) == 0xffff)
}

@Test func checksumMatchesAWordByWordReferenceOnRandomInput() {
    var random = Xorshift(seed: 0x1071)
    for round in 0..<300 {
        let bytes = random.bytes(random.below(200))
        var reference: UInt32 = 0
        for i in stride(from: 0, to: bytes.count, by: 2) {
            reference += UInt32(bytes[i]) << 8 | (i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0)
        }
        while reference >> 16 != 0 { reference = (reference & 0xffff) + (reference >> 16) }
        #expect(InternetChecksum.checksum(bytes) == ~UInt16(reference), "xorshift seed 0x1071 round \(round)")
    }
}

@Test func pseudoHeaderSumCoversAddressesProtocolAndLength() {
    let sum = InternetChecksum.pseudoHeaderSum(source: Golden.host, destination: Golden.server, protocol: .udp,
                                               length: 24)
    let bytes: [UInt8] = [10, 1, 1, 10, 10, 2, 0, 5, 0, 17, 0, 24]
    #expect(InternetChecksum.fold(sum) == ~InternetChecksum.checksum(bytes))
}

// RFC 1624 §4: incremental update gives what a full recomputation gives.
@Test func incrementalUpdateMatchesRecomputation() {
    var random = Xorshift(seed: 1624)
    for round in 0..<300 {
        var words = (0..<10).map { _ in UInt16(truncatingIfNeeded: random.next()) }
        words[5] = 0
        func bytes(_ words: [UInt16]) -> [UInt8] { words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] } }
        let checksum = InternetChecksum.checksum(bytes(words))
        let index = random.below(5)
        let old = words[index]
        words[index] = UInt16(truncatingIfNeeded: random.next())
        let updated = InternetChecksum.updated(checksum, replacing: old, with: words[index])
        var verified = words
        verified[5] = updated
        #expect(InternetChecksum.checksum(bytes(verified)) == 0, "xorshift seed 1624 round \(round)")
    }
}
