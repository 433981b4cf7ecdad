import Testing
import Wire

@Test func untaggedHeaderParsesFromTheARPRequest() throws {
    let header = try EthernetHeader(bytes: Golden.arpRequest)
    #expect(header == EthernetHeader(destination: .broadcast, source: Golden.vpcs, etherType: .arp))
    #expect(header.encodedLength == 14)
    #expect(header.bytes(prefilledWith: 0xa5) == Golden.arpRequest.bytes(0..<14))
}

@Test func taggedHeaderRoundTrips() throws {
    let header = try EthernetHeader(bytes: Golden.taggedUDP)
    let expected = EthernetHeader(destination: Golden.router, source: Golden.vpcs,
                                  vlanTag: VLANTag(vlanID: 20, priority: 5), etherType: .ipv4)
    #expect(header == expected)
    #expect(header.encodedLength == 18)
    #expect(header.bytes(prefilledWith: 0xa5) == Golden.taggedUDP.bytes(0..<18))
    #expect(try EthernetHeader(bytes: header.bytes()) == header)
}

@Test func vlanTagKeepsPriorityDropEligibleAndID() throws {
    // IEEE 802.1Q §9.6: PCP 7, DEI 1, VID 4094 → TCI 0xfffe.
    let tag = VLANTag(vlanID: 4094, priority: 7, dropEligible: true)
    #expect(tag.tagControlInformation == 0xfffe)
    #expect(VLANTag(tagControlInformation: 0xfffe) == tag)
    let header = EthernetHeader(destination: .broadcast, source: Golden.vpcs, vlanTag: tag, etherType: .arp)
    let bytes = header.bytes(prefilledWith: 0x5a)
    #expect(bytes.bytes(12..<18) == [0x81, 0x00, 0xff, 0xfe, 0x08, 0x06])
    #expect(try EthernetHeader(bytes: bytes) == header)
}

@Test func unknownEtherTypesSurvive() throws {
    let header = EthernetHeader(destination: Golden.router, source: Golden.vpcs,
                                etherType: EtherType(rawValue: 0x88cc))
    #expect(try EthernetHeader(bytes: header.bytes()).etherType.rawValue == 0x88cc)
}

@Test func everyTruncatedEthernetHeaderThrows() {
    for frame in [Golden.arpRequest, Golden.taggedUDP] {
        let length = frame[12] == 0x81 ? 18 : 14
        for cut in 0..<length {
            #expect(throws: WireError.truncated(need: cut < 14 ? 14 : 18, have: cut)) {
                try EthernetHeader(bytes: frame.bytes(0..<cut))
            }
        }
    }
}

@Test func randomEthernetHeadersRoundTrip() throws {
    let seed: UInt64 = 0xE7E7
    var random = Xorshift(seed: seed)
    for round in 0..<500 {
        let tag = random.below(2) == 0 ? nil : VLANTag(vlanID: UInt16(random.below(4096)),
                                                       priority: UInt8(random.below(8)),
                                                       dropEligible: random.below(2) == 0)
        var type = UInt16(truncatingIfNeeded: random.next())
        if type == 0x8100 { type = 0x0800 }
        let header = EthernetHeader(destination: MACAddress(rawValue: random.next()),
                                    source: MACAddress(rawValue: random.next()), vlanTag: tag,
                                    etherType: EtherType(rawValue: type))
        #expect(try EthernetHeader(bytes: header.bytes(prefilledWith: random.byte())) == header,
                "xorshift seed \(seed) round \(round)")
    }
}

@Test func randomBytesNeverTrapTheEthernetParser() {
    let seed: UInt64 = 802
    var random = Xorshift(seed: seed)
    for round in 0..<2_000 {
        let bytes = random.bytes(random.below(40))
        if let header = try? EthernetHeader(bytes: bytes) {
            #expect(header.bytes() == bytes.bytes(0..<header.encodedLength), "xorshift seed \(seed) round \(round)")
        }
    }
}
