import Testing
import Wire

@Test func frameViewReadsUntaggedFrames() {
    Golden.ping.withUnsafeBytes { frame in
        #expect(FrameView.destination(frame) == Golden.router)
        #expect(FrameView.source(frame) == Golden.vpcs)
        #expect(FrameView.etherType(frame) == .ipv4)
        #expect(FrameView.vlanID(frame) == nil)
        #expect(FrameView.payloadOffset(frame) == 14)
        #expect(FrameView.ttl(frame, ipOffset: 14) == 64)
    }
}

@Test func frameViewReadsThroughTheVLANTag() {
    Golden.taggedUDP.withUnsafeBytes { frame in
        #expect(FrameView.etherType(frame) == .ipv4)
        #expect(FrameView.vlanID(frame) == 20)
        #expect(FrameView.vlanTag(frame) == VLANTag(vlanID: 20, priority: 5))
        #expect(FrameView.payloadOffset(frame) == 18)
        #expect(FrameView.tos(frame, ipOffset: 18) == 0xb8)
    }
}

@Test func frameViewReturnsNilOnEveryShortPrefix() {
    for cut in 0..<18 {
        let prefix = Golden.taggedUDP.bytes(0..<cut)
        prefix.withUnsafeBytes { frame in
            #expect((FrameView.destination(frame) != nil) == (cut >= 6))
            #expect((FrameView.source(frame) != nil) == (cut >= 12))
            #expect(FrameView.etherType(frame) == nil)
            #expect(FrameView.vlanID(frame) == nil)
            #expect(FrameView.payloadOffset(frame) == nil)
            #expect(FrameView.ttl(frame, ipOffset: 18) == nil)
        }
    }
}

@Test func decrementTTLKeepsTheHeaderChecksumValid() throws {
    for (golden, offset) in [(Golden.ping, 14), (Golden.taggedUDP, 18), (Golden.igmpReportWithRouterAlert, 14)] {
        var frame = golden
        let before = try IPv4Header(bytes: frame.from(offset))
        for step in 1..<Int(before.ttl) {
            frame.withUnsafeMutableBytes { FrameView.decrementTTL($0, ipOffset: offset) }
            let header = try IPv4Header(bytes: frame.from(offset))  // throws .badChecksum if the update was wrong
            #expect(Int(header.ttl) == Int(before.ttl) - step)
            // The incremental result equals a full recomputation (RFC 1624 §3).
            var expected = before
            expected.ttl = header.ttl
            #expect(frame.bytes(offset..<offset + header.headerLength) == expected.bytes())
        }
    }
}

@Test func setTOSKeepsTheHeaderChecksumValid() throws {
    var frame = Golden.ping
    for tos in [UInt8(0xb8), 0x00, 0xff, 0x2e, 0x01] {
        frame.withUnsafeMutableBytes { FrameView.setTOS($0, ipOffset: 14, tos: tos) }
        let header = try IPv4Header(bytes: frame.from(14))
        #expect(header.tos == tos)
        #expect(InternetChecksum.checksum(frame.bytes(14..<34)) == 0)
    }
}

@Test func frameViewNeverTrapsOnRandomBytes() {
    let seed: UInt64 = 0x8021
    var random = Xorshift(seed: seed)
    for _ in 0..<2_000 {
        var bytes = random.bytes(random.below(24))
        if bytes.count > 13, random.below(2) == 0 { bytes[12] = 0x81; bytes[13] = 0x00 }
        bytes.withUnsafeBytes { frame in
            _ = FrameView.destination(frame)
            _ = FrameView.source(frame)
            _ = FrameView.etherType(frame)
            _ = FrameView.vlanID(frame)
            _ = FrameView.ttl(frame, ipOffset: FrameView.payloadOffset(frame) ?? 0)
        }
    }
}
