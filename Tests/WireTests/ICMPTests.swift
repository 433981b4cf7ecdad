import Testing
import Wire

@Test func pingParsesToAnEchoRequest() throws {
    let message = try ICMPMessage(bytes: Golden.ping.from(34))
    #expect(message == .echoRequest(identifier: 1, sequence: 3, data: Golden.ping.from(42)))
    #expect(message.encodedLength == 64)
    #expect(message.bytes(prefilledWith: 0xa5) == Golden.ping.from(34))
}

@Test func echoReplyRoundTrips() throws {
    let reply = ICMPMessage.echoReply(identifier: 1, sequence: 3, data: Golden.ping.from(42))
    let bytes = reply.bytes(prefilledWith: 0x5a)
    #expect(bytes[0] == 0 && bytes[1] == 0)
    // Only the type changed from 8 to 0, so the checksum rises by 0x0800 (RFC 1624).
    #expect(bytes[2] == 0x8c && bytes[3] == 0x43)
    #expect(try ICMPMessage(bytes: bytes) == reply)
}

@Test func portUnreachableQuotesTheHeaderAndEightBytes() throws {
    let datagram = Golden.taggedUDP.from(18)
    let original = datagram.withUnsafeBytes { ICMPMessage.quoted($0) }
    #expect(original == datagram.bytes(0..<28))
    let message = ICMPMessage.destinationUnreachable(code: .port, original: original)
    let bytes = message.bytes(prefilledWith: 0xa5)
    #expect(bytes.bytes(0..<2) == [3, 3] && bytes.bytes(4..<8) == [0, 0, 0, 0])
    #expect(InternetChecksum.checksum(bytes) == 0)
    #expect(try ICMPMessage(bytes: bytes) == message)
}

@Test func timeExceededRoundTrips() throws {
    let message = ICMPMessage.timeExceeded(code: 0, original: Golden.ping.bytes(14..<42))
    #expect(try ICMPMessage(bytes: message.bytes(prefilledWith: 0xff)) == message)
}

@Test func fragmentationNeededKeepsTheNextHopMTU() throws {
    // RFC 1191 §4: the MTU sits in the unused word, so the message parses as `.other` and round-trips.
    let message = ICMPMessage.fragmentationNeeded(nextHopMTU: 1400, original: Golden.ping.bytes(14..<42))
    let bytes = message.bytes()
    #expect(bytes.bytes(4..<8) == [0, 0, 0x05, 0x78])
    #expect(try ICMPMessage(bytes: bytes) == message)
}

@Test func unknownTypesSurvive() throws {
    let message = ICMPMessage.other(type: 13, code: 0, rest: 0x0001_0002, body: [1, 2, 3, 4, 5])
    #expect(try ICMPMessage(bytes: message.bytes(prefilledWith: 0x77)) == message)
}

@Test func badICMPChecksumIsRejected() {
    var bytes = Golden.ping.from(34)
    bytes[bytes.count - 1] ^= 0x80
    #expect(throws: WireError.badChecksum) { try ICMPMessage(bytes: bytes) }
}

@Test func everyTruncatedPingThrows() {
    // ICMP has no length of its own: the IP Total Length catches a cut frame, the checksum a cut message.
    for cut in 0..<Golden.ping.count {
        #expect(throws: WireError.self, "cut at \(cut)") { try parseWholeFrame(Golden.ping.bytes(0..<cut)) }
    }
    let message = Golden.ping.from(34)
    for cut in 0..<message.count {
        #expect(throws: WireError.self, "cut at \(cut)") { try ICMPMessage(bytes: message.bytes(0..<cut)) }
    }
}

@Test func randomBytesNeverTrapTheICMPParser() {
    let seed: UInt64 = 792
    var random = Xorshift(seed: seed)
    for round in 0..<2_000 {
        var bytes = random.bytes(random.below(40))
        if bytes.count >= 8, random.below(2) == 0 {
            bytes[0] = [0, 3, 8, 11, 5][random.below(5)]
            bytes[2] = 0
            bytes[3] = 0
            let checksum = InternetChecksum.checksum(bytes)
            bytes[2] = UInt8(checksum >> 8)
            bytes[3] = UInt8(checksum & 0xff)
        }
        if let message = try? ICMPMessage(bytes: bytes) {
            #expect(message.bytes() == bytes, "xorshift seed \(seed) round \(round)")
        }
    }
}
