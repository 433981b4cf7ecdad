import Testing
import Wire

@Test func arpRequestParses() throws {
    let arp = try ARPPacket(bytes: Golden.arpRequest.from(14))
    #expect(arp == ARPPacket(operation: .request, senderHardwareAddress: Golden.vpcs,
                             senderProtocolAddress: Golden.host, targetHardwareAddress: .zero,
                             targetProtocolAddress: IPv4Address(10, 1, 1, 1)))
    #expect(arp == .request(from: Golden.vpcs, Golden.host, for: IPv4Address(10, 1, 1, 1)))
}

@Test func arpRequestReEmitsOverJunk() throws {
    let arp = try ARPPacket(bytes: Golden.arpRequest.from(14))
    #expect(arp.bytes(prefilledWith: 0xa5) == Golden.arpRequest.from(14))
    #expect(arp.bytes(prefilledWith: 0x5a).count == ARPPacket.encodedLength)
}

@Test func arpReplySwapsSenderAndTarget() throws {
    // RFC 826 "Packet Reception": the replier fills in its own address and swaps the pairs.
    let request = try ARPPacket(bytes: Golden.arpRequest.from(14))
    let reply = ARPPacket.reply(to: request, with: Golden.router)
    #expect(reply.operation == .reply)
    #expect(reply.senderHardwareAddress == Golden.router)
    #expect(reply.senderProtocolAddress == IPv4Address(10, 1, 1, 1))
    #expect(reply.targetHardwareAddress == Golden.vpcs)
    #expect(reply.targetProtocolAddress == Golden.host)
    #expect(try ARPPacket(bytes: reply.bytes()) == reply)
}

@Test func arpIgnoresEthernetPadding() throws {
    let padded = Golden.arpRequest.from(14) + [UInt8](repeating: 0, count: 18)
    #expect(try ARPPacket(bytes: padded) == ARPPacket(bytes: Golden.arpRequest.from(14)))
}

@Test(arguments: [(1, 0x06), (2, 0x86), (4, 0x08), (5, 0x10)])
func arpForOtherThanEthernetAndIPv4IsMalformed(offset: Int, value: UInt8) {
    var bytes = Golden.arpRequest.from(14)
    bytes[offset] = value
    #expect {
        try ARPPacket(bytes: bytes)
    } throws: { error in
        if case WireError.malformed = error { true } else { false }
    }
}

@Test func everyTruncatedARPRequestThrows() {
    let frame = Golden.arpRequest
    for cut in 0..<frame.count {
        #expect(throws: WireError.self, "cut at \(cut)") { try parseWholeFrame(frame.bytes(0..<cut)) }
    }
    for cut in 0..<28 {
        #expect(throws: WireError.truncated(need: 28, have: cut)) { try ARPPacket(bytes: frame.from(14).bytes(0..<cut)) }
    }
}

@Test func unknownARPOperationsSurvive() throws {
    var bytes = Golden.arpRequest.from(14)
    bytes[7] = 9  // RFC 2390 InARP request is 8; 9 is InARP reply
    let arp = try ARPPacket(bytes: bytes)
    #expect(arp.operation.rawValue == 9)
    #expect(arp.bytes() == bytes)
}
