import Testing
import Wire

@Test func arpRequestSummaryReadsLikeTcpdump() {
    #expect(FrameSummary.describe(Golden.arpRequest) == "0050.7966.6800 > ffff.ffff.ffff ARP who-has 10.1.1.1 tell 10.1.1.10")
}

@Test func taggedARPSummaryShowsTheVLAN() {
    let ethernet = EthernetHeader(destination: .broadcast, source: Golden.vpcs, vlanTag: VLANTag(vlanID: 10),
                                  etherType: .arp)
    let frame = ethernet.bytes() + Golden.arpRequest.from(14)
    #expect(FrameSummary.describe(frame)
        == "0050.7966.6800 > ffff.ffff.ffff vlan 10 ARP who-has 10.1.1.1 tell 10.1.1.10")
}

@Test func arpReplySummaryNamesTheAnswer() throws {
    let request = try ARPPacket(bytes: Golden.arpRequest.from(14))
    let reply = ARPPacket.reply(to: request, with: Golden.router)
    let ethernet = EthernetHeader(destination: Golden.vpcs, source: Golden.router, etherType: .arp)
    #expect(FrameSummary.describe(ethernet.bytes() + reply.bytes())
        == "ca01.0a1b.0008 > 0050.7966.6800 ARP reply 10.1.1.1 is-at ca01.0a1b.0008")
}

@Test func pingSummaryReadsLikeTcpdump() {
    #expect(FrameSummary.describe(Golden.ping) == "10.1.1.10 > 10.2.0.5 ICMP echo request id 1 seq 3 len 64 ttl 64")
}

@Test func udpSummaryShowsPortsLengthAndTOS() {
    #expect(FrameSummary.describe(Golden.taggedUDP) == "10.1.1.10.5000 > 10.2.0.5.6000 vlan 20 UDP len 16 tos 0xb8")
}

@Test func igmpSummaryShowsRouterAlert() {
    #expect(FrameSummary.describe(Golden.igmpReportWithRouterAlert)
        == "10.1.1.10 > 239.1.1.1 IGMP v2 report 239.1.1.1 ttl 1 [RA] tos 0xc0")
}

@Test func badChecksumSummaryIsMalformed() {
    var frame = Golden.ping
    frame[frame.count - 1] ^= 1
    #expect(FrameSummary.describe(frame) == "10.1.1.10 > 10.2.0.5 ICMP malformed: bad checksum")
    #expect(FrameSummary.describe([1, 2, 3]) == "malformed: truncated (need 14 bytes, have 3)")
}

@Test func summaryOfEveryPrefixAndOfGarbageNeverTraps() {
    for frame in [Golden.arpRequest, Golden.ping, Golden.taggedUDP, Golden.igmpReportWithRouterAlert] {
        for cut in 0...frame.count { _ = FrameSummary.describe(frame.bytes(0..<cut)) }
    }
    let seed: UInt64 = 0x5EED
    var random = Xorshift(seed: seed)
    for _ in 0..<3_000 {
        var bytes = random.bytes(random.below(120))
        // Steer most frames into the ARP and IPv4 decoders.
        if bytes.count >= 16, random.below(4) != 0 {
            bytes[12] = 0x08
            bytes[13] = random.below(2) == 0 ? 0x00 : 0x06
            bytes[14] = 0x45
        }
        _ = FrameSummary.describe(bytes)
    }
}

@Test func mutatedGoldenFramesNeverTrapAnyParser() {
    // Flip a few bytes of each golden frame and run every parser and the summary over it.
    let seed: UInt64 = 0xF11F
    var random = Xorshift(seed: seed)
    for _ in 0..<3_000 {
        let goldens = [Golden.arpRequest, Golden.ping, Golden.taggedUDP, Golden.igmpReportWithRouterAlert]
        var frame = goldens[random.below(goldens.count)]
        for _ in 0..<1 + random.below(3) { frame[random.below(frame.count)] = random.byte() }
        _ = try? parseWholeFrame(frame)
        _ = FrameSummary.describe(frame)
    }
}
