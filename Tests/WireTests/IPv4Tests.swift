import Testing
import Wire

@Test func pingHeaderParses() throws {
    let header = try IPv4Header(bytes: Golden.ping.from(14))
    #expect(header == IPv4Header(identification: 0x1c46, dontFragment: true, ttl: 64, protocolNumber: .icmp,
                                 source: Golden.host, destination: Golden.server, payloadLength: 64))
    #expect(header.headerLength == 20)
    #expect(header.totalLength == 84)
    #expect(header.bytes(prefilledWith: 0xa5) == Golden.ping.bytes(14..<34))
}

@Test func routerAlertOptionRoundTrips() throws {
    // RFC 2113 §2.1: type 148 (94), length 4, value 0 "router shall examine packet".
    let datagram = Golden.igmpReportWithRouterAlert.from(14)
    let header = try IPv4Header(bytes: datagram)
    #expect(header.options == [.routerAlert(value: 0)])
    #expect(header.headerLength == 24)
    #expect(header.payloadLength == 8)
    #expect(header.tos == 0xc0 && header.precedence == 6 && header.ttl == 1)
    #expect(header.protocolNumber == .igmp)
    #expect(header.bytes(prefilledWith: 0xa5) == datagram.bytes(0..<24))
    #expect(header.bytes().bytes(20..<24) == [0x94, 0x04, 0x00, 0x00])
}

@Test func optionsArePaddedToAFourByteMultiple() throws {
    let header = IPv4Header(protocolNumber: .udp, source: Golden.host, destination: Golden.server,
                            options: [.noOperation, .other(type: 0x82, data: [1, 2, 3])], payloadLength: 0)
    #expect(header.headerLength == 28)
    let bytes = header.bytes(prefilledWith: 0xee)
    #expect(bytes[0] == 0x47)
    #expect(bytes.bytes(20..<28) == [0x01, 0x82, 0x05, 1, 2, 3, 0x00, 0x00])
    #expect(try IPv4Header(bytes: bytes) == header)
}

@Test func dscpAndPrecedenceShareTheTOSOctet() {
    var header = IPv4Header(tos: 0x01, protocolNumber: .udp, source: .any, destination: .any, payloadLength: 0)
    header.dscp = 46  // EF, RFC 3246
    #expect(header.tos == 0xb9)
    #expect(header.precedence == 5)
    header.precedence = 3
    #expect(header.tos == 0x79 && header.dscp == 30 && header.ecn == 1)
}

@Test func fragmentFieldsRoundTrip() throws {
    let header = IPv4Header(identification: 7, moreFragments: true, fragmentOffset: 185, ttl: 9,
                            protocolNumber: .udp, source: Golden.host, destination: Golden.server, payloadLength: 0)
    let bytes = header.bytes(prefilledWith: 0xff)
    #expect(bytes.bytes(6..<8) == [0x20, 0xb9])
    #expect(try IPv4Header(bytes: bytes) == header)
    #expect(header.isFragment)
}

@Test func badHeaderChecksumIsRejected() {
    var datagram = Golden.ping.from(14)
    datagram[11] ^= 0x01
    #expect(throws: WireError.badChecksum) { try IPv4Header(bytes: datagram) }
}

@Test func versionSixIsUnsupported() {
    var datagram = Golden.ping.from(14)
    datagram[0] = 0x65
    #expect(throws: WireError.unsupportedVersion(6)) { try IPv4Header(bytes: datagram) }
}

@Test func ihlBelowFiveIsMalformed() {
    var datagram = Golden.ping.from(14)
    datagram[0] = 0x44
    #expect(throws: WireError.malformed("IHL 4 below 5")) { try IPv4Header(bytes: datagram) }
}

@Test func totalLengthBelowHeaderLengthIsMalformed() {
    let header = IPv4Header(protocolNumber: .udp, source: Golden.host, destination: Golden.server, payloadLength: 0)
    var bytes = header.bytes()
    bytes[3] = 19
    #expect(throws: WireError.malformed("total length 19 below header length 20")) { try IPv4Header(bytes: bytes) }
}

@Test func optionRunningPastTheHeaderIsMalformed() {
    // An option claiming 8 bytes in a 4-byte options area; the checksum is fixed up so only the option is wrong.
    var bytes = IPv4Header(protocolNumber: .igmp, source: Golden.host, destination: Golden.server,
                           options: [.routerAlert(value: 0)], payloadLength: 0).bytes()
    bytes[21] = 8
    bytes[10] = 0
    bytes[11] = 0
    let checksum = InternetChecksum.checksum(bytes)
    bytes[10] = UInt8(checksum >> 8)
    bytes[11] = UInt8(checksum & 0xff)
    #expect {
        try IPv4Header(bytes: bytes)
    } throws: { error in
        if case WireError.malformed = error { true } else { false }
    }
}

@Test func ethernetPaddingAfterTheDatagramIsIgnored() throws {
    let datagram = Golden.igmpReportWithRouterAlert.from(14) + [UInt8](repeating: 0, count: 14)
    #expect(try IPv4Header(bytes: datagram).payloadLength == 8)
}

@Test func everyTruncatedDatagramThrows() {
    for frame in [Golden.ping, Golden.igmpReportWithRouterAlert] {
        let datagram = frame.from(14)
        for cut in 0..<datagram.count {
            #expect(throws: WireError.self, "cut at \(cut)") { try IPv4Header(bytes: datagram.bytes(0..<cut)) }
        }
    }
}

@Test func randomHeadersWithOptionsRoundTrip() throws {
    let seed: UInt64 = 791
    var random = Xorshift(seed: seed)
    for round in 0..<500 {
        var options: [IPv4Option] = []
        var room = 40
        while random.below(3) != 0 {
            let option: IPv4Option = switch random.below(3) {
            case 0: .noOperation
            case 1: .routerAlert(value: UInt16(truncatingIfNeeded: random.next()))
            default: .other(type: UInt8(2 + random.below(146)), data: random.bytes(random.below(8)))  // below 148, RA
            }
            guard option.encodedLength <= room else { break }
            room -= option.encodedLength
            options.append(option)
        }
        let header = IPv4Header(
            tos: random.byte(), identification: UInt16(truncatingIfNeeded: random.next()),
            dontFragment: random.below(2) == 0, moreFragments: random.below(2) == 0,
            fragmentOffset: UInt16(random.below(0x2000)), ttl: random.byte(),
            protocolNumber: IPProtocol(rawValue: random.byte()),
            source: IPv4Address(rawValue: UInt32(truncatingIfNeeded: random.next())),
            destination: IPv4Address(rawValue: UInt32(truncatingIfNeeded: random.next())),
            options: options, payloadLength: random.below(100))
        let datagram = header.bytes(prefilledWith: random.byte()) + random.bytes(header.payloadLength)
        #expect(try IPv4Header(bytes: datagram) == header, "xorshift seed \(seed) round \(round)")
    }
}

@Test func randomBytesNeverTrapTheIPv4Parser() {
    let seed: UInt64 = 0x4500
    var random = Xorshift(seed: seed)
    for round in 0..<3_000 {
        var bytes = random.bytes(random.below(80))
        // Mostly plausible version/IHL so the option parser is reached too.
        if !bytes.isEmpty, random.below(4) != 0 { bytes[0] = 0x40 | UInt8(5 + random.below(11)) }
        if bytes.count >= 12, random.below(2) == 0 {
            bytes[2] = 0
            bytes[3] = UInt8(min(bytes.count, 255))
            bytes[10] = 0
            bytes[11] = 0
            let headerLength = min(Int(bytes[0] & 0x0f) * 4, bytes.count)
            let checksum = InternetChecksum.checksum(bytes.bytes(0..<headerLength))
            bytes[10] = UInt8(checksum >> 8)
            bytes[11] = UInt8(checksum & 0xff)
        }
        if let header = try? IPv4Header(bytes: bytes) {
            #expect(header.totalLength <= bytes.count, "xorshift seed \(seed) round \(round)")
        }
    }
}
