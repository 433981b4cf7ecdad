import Testing
import Wire

@Test func taggedUDPDatagramParses() throws {
    let datagram = Golden.taggedUDP.from(38)
    let udp = try UDPHeader(bytes: datagram, source: Golden.host, destination: Golden.server)
    #expect(udp == UDPHeader(sourcePort: 5000, destinationPort: 6000, payloadLength: 16))
    let bytes = udp.bytes(source: Golden.host, destination: Golden.server, payload: datagram.from(8),
                          prefilledWith: 0xa5)
    #expect(bytes == datagram)
}

@Test func udpChecksumCoversThePseudoHeader() {
    // Same bytes, another destination address: the pseudo-header no longer matches.
    #expect(throws: WireError.badChecksum) {
        try UDPHeader(bytes: Golden.taggedUDP.from(38), source: Golden.host, destination: IPv4Address(10, 2, 0, 6))
    }
}

@Test func badUDPChecksumIsRejected() {
    var datagram = Golden.taggedUDP.from(38)
    datagram[8] ^= 0x01
    #expect(throws: WireError.badChecksum) {
        try UDPHeader(bytes: datagram, source: Golden.host, destination: Golden.server)
    }
}

@Test func zeroChecksumMeansNoneWasComputed() throws {
    // RFC 768: "An all zero transmitted checksum value means that the transmitter generated no checksum".
    var datagram = Golden.taggedUDP.from(38)
    datagram[6] = 0
    datagram[7] = 0
    datagram[8] ^= 0x01
    #expect(try UDPHeader(bytes: datagram, source: Golden.host, destination: Golden.server).payloadLength == 16)
}

@Test func computedZeroChecksumIsSentAsAllOnes() throws {
    // Find a payload word that makes the computed checksum zero, then check it goes out as 0xffff (RFC 768).
    let udp = UDPHeader(sourcePort: 1, destinationPort: 2, payloadLength: 2)
    let zeroPayload = udp.bytes(source: Golden.host, destination: Golden.server, payload: [0, 0])
    let checksum = UInt16(zeroPayload[6]) << 8 | UInt16(zeroPayload[7])
    // Adding the checksum value itself as payload makes the one's-complement sum all ones.
    let payload = [UInt8(checksum >> 8), UInt8(checksum & 0xff)]
    let bytes = udp.bytes(source: Golden.host, destination: Golden.server, payload: payload)
    #expect(bytes.bytes(6..<8) == [0xff, 0xff])
    #expect(try UDPHeader(bytes: bytes, source: Golden.host, destination: Golden.server) == udp)
}

@Test func lengthBelowEightIsMalformed() {
    var datagram = Golden.taggedUDP.from(38)
    datagram[4] = 0
    datagram[5] = 7
    #expect(throws: WireError.malformed("UDP length 7 below 8")) {
        try UDPHeader(bytes: datagram, source: Golden.host, destination: Golden.server)
    }
}

@Test func everyTruncatedUDPDatagramThrows() {
    let datagram = Golden.taggedUDP.from(38)
    for cut in 0..<datagram.count {
        #expect(throws: WireError.self, "cut at \(cut)") {
            try UDPHeader(bytes: datagram.bytes(0..<cut), source: Golden.host, destination: Golden.server)
        }
    }
    for cut in 0..<Golden.taggedUDP.count {
        #expect(throws: WireError.self, "cut at \(cut)") { try parseWholeFrame(Golden.taggedUDP.bytes(0..<cut)) }
    }
}

@Test func randomBytesNeverTrapTheUDPParser() {
    let seed: UInt64 = 768
    var random = Xorshift(seed: seed)
    for round in 0..<2_000 {
        var bytes = random.bytes(random.below(40))
        if bytes.count >= 8, random.below(2) == 0 {
            bytes[4] = 0
            bytes[5] = UInt8(random.below(bytes.count + 4))
        }
        if let udp = try? UDPHeader(bytes: bytes, source: Golden.host, destination: Golden.server) {
            #expect(udp.length <= bytes.count, "xorshift seed \(seed) round \(round)")
        }
    }
}
