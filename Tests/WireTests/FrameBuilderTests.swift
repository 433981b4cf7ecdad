import Testing
import Wire

private let ethernet = EthernetHeader(destination: Golden.router, source: Golden.vpcs, etherType: .ipv4)
private let ip = IPv4Header(tos: 0xb8, identification: 1, ttl: 64, protocolNumber: .udp,
                            source: Golden.host, destination: Golden.server, payloadLength: 0)

private func build(_ ethernet: EthernetHeader, _ ip: IPv4Header, payloadLength: Int, fill: UInt8,
                   junk: UInt8 = 0xa5) -> [UInt8] {
    var buffer = [UInt8](repeating: junk, count: 2_000)
    let length = buffer.withUnsafeMutableBytes {
        FrameBuilder.udpFrame(into: $0, ethernet: ethernet, ip: ip, sourcePort: 5000, destinationPort: 6000,
                              payloadLength: payloadLength, fill: fill)
    }
    return Array(buffer[0..<length])
}

@Test func udpFrameParsesBackWithValidChecksums() throws {
    let frame = build(ethernet, ip, payloadLength: 172, fill: 0x5a)
    #expect(frame.count == 14 + 20 + 8 + 172)
    let parsedEthernet = try EthernetHeader(bytes: frame)
    #expect(parsedEthernet == ethernet)
    let parsedIP = try IPv4Header(bytes: frame.from(14))
    var expectedIP = ip
    expectedIP.payloadLength = 180
    #expect(parsedIP == expectedIP)
    let udp = try UDPHeader(bytes: frame.from(34), source: Golden.host, destination: Golden.server)
    #expect(udp == UDPHeader(sourcePort: 5000, destinationPort: 6000, payloadLength: 172))
    #expect(frame.from(42).allSatisfy { $0 == 0x5a })
    #expect(frame.bytes(40..<42) != [0, 0], "the UDP checksum is filled in")
}

@Test func udpFrameMatchesTheRepresentationsEmit() throws {
    // The builder must write exactly what the representations write one by one.
    let frame = build(ethernet, ip, payloadLength: 16, fill: 0x41, junk: 0x00)
    var expectedIP = ip
    expectedIP.payloadLength = 24
    let udp = UDPHeader(sourcePort: 5000, destinationPort: 6000, payloadLength: 16)
    let expected = ethernet.bytes() + expectedIP.bytes()
        + udp.bytes(source: Golden.host, destination: Golden.server, payload: [UInt8](repeating: 0x41, count: 16))
    #expect(expected.count == 58)
    #expect(frame == expected + [0, 0], "58 bytes, zero-padded to 60")
}

@Test func shortFramesArePaddedWithZerosToSixtyBytes() throws {
    let tagged = EthernetHeader(destination: Golden.router, source: Golden.vpcs, vlanTag: VLANTag(vlanID: 20),
                                etherType: .ipv4)
    let frame = build(tagged, ip, payloadLength: 3, fill: 0xff, junk: 0xa5)
    #expect(frame.count == 60)
    #expect(frame.bytes(49..<60).allSatisfy { $0 == 0 })
    #expect(frame.bytes(46..<49) == [0xff, 0xff, 0xff])
    try parseWholeFrame(frame)
    #expect(try IPv4Header(bytes: frame.from(18)).totalLength == 31)
}

@Test func builderOverridesEtherTypeAndProtocol() throws {
    var arpEthernet = ethernet
    arpEthernet.etherType = .arp
    var icmpIP = ip
    icmpIP.protocolNumber = .icmp
    let frame = build(arpEthernet, icmpIP, payloadLength: 20, fill: 1)
    #expect(try EthernetHeader(bytes: frame).etherType == .ipv4)
    #expect(try IPv4Header(bytes: frame.from(14)).protocolNumber == .udp)
}

@Test func udpFrameWithRouterAlertKeepsTheOption() throws {
    var withOption = ip
    withOption.options = [.routerAlert(value: 0)]
    let frame = build(ethernet, withOption, payloadLength: 40, fill: 7)
    let parsed = try IPv4Header(bytes: frame.from(14))
    #expect(parsed.options == [.routerAlert(value: 0)])
    #expect(try UDPHeader(bytes: frame.from(38), source: Golden.host, destination: Golden.server).payloadLength == 40)
}

@Test(arguments: [(0, 60), (42, 60), (59, 60), (60, 60), (61, 61), (1514, 1514)])
func paddedLengthRaisesShortFramesToSixty(length: Int, padded: Int) {
    #expect(FrameBuilder.paddedLength(length) == padded)
    #expect(FrameBuilder.minimumFramePadding(length) == padded - length)
}

@Test func payloadSizesFromZeroToMTUAllParse() throws {
    for payloadLength in [0, 1, 17, 18, 19, 100, 1472] {
        let frame = build(ethernet, ip, payloadLength: payloadLength, fill: UInt8(payloadLength & 0xff))
        #expect(frame.count == FrameBuilder.paddedLength(42 + payloadLength))
        try parseWholeFrame(frame)
    }
}
