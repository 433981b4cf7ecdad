import Engine
import Testing
import Wire

// Golden messages: checksums computed independently (Python, RFC 1071); the report is the IGMP part of
// Golden.igmpReportWithRouterAlert, which tshark decodes with a good checksum.

@Test func v2ReportParsesFromTheGoldenFrame() throws {
    let message = try IGMPMessage(bytes: Golden.igmpReportWithRouterAlert.from(38))
    #expect(message == .v2MembershipReport(group: IPv4Address(239, 1, 1, 1)))
    #expect(message.version == 2)
    #expect(message.bytes(prefilledWith: 0xA5) == Golden.igmpReportWithRouterAlert.from(38))
}

@Test func leaveGroupRoundTrips() throws {
    // Leave Group for 239.1.1.1; checksum 0xF8FC.
    let wire: [UInt8] = [0x17, 0x00, 0xF8, 0xFC, 0xEF, 0x01, 0x01, 0x01]
    let message = try IGMPMessage(bytes: wire)
    #expect(message == .leaveGroup(group: IPv4Address(239, 1, 1, 1)))
    #expect(message.bytes(prefilledWith: 0xA5) == wire)
}

@Test func v2GeneralQueryRoundTrips() throws {
    // General query, Max Response Time 10 s (100 tenths); checksum 0xEE9B.
    let wire: [UInt8] = [0x11, 0x64, 0xEE, 0x9B, 0, 0, 0, 0]
    let message = try IGMPMessage(bytes: wire)
    #expect(message == .membershipQuery(group: .any, maxResponseDeciseconds: 100))
    #expect(message.version == 2)
    #expect(message.maxResponseTime == .seconds(10))
    #expect(message.bytes(prefilledWith: 0x5A) == wire)
}

@Test func groupSpecificQueryRoundTrips() throws {
    // RFC 2236 §3: a group-specific query for 239.1.1.1 with the last member query interval, 1 s.
    let wire: [UInt8] = [0x11, 0x0A, 0xFE, 0xF2, 0xEF, 0x01, 0x01, 0x01]
    let message = try IGMPMessage(bytes: wire)
    #expect(message == .membershipQuery(group: IPv4Address(239, 1, 1, 1), maxResponseDeciseconds: 10))
    #expect(message.maxResponseTime == .seconds(1))
    #expect(message.bytes(prefilledWith: 0xFF) == wire)
}

@Test func v1QueryIsAQueryWithCodeZero() throws {
    // RFC 3376 §7.1: 8 bytes and Max Resp Code 0 is an IGMPv1 query; RFC 2236 §4 answers within 10 s.
    let wire: [UInt8] = [0x11, 0x00, 0xEE, 0xFF, 0, 0, 0, 0]
    let message = try IGMPMessage(bytes: wire)
    #expect(message.version == 1)
    #expect(message.maxResponseTime == .seconds(10))
    #expect(message.bytes(prefilledWith: 0xA5) == wire)
}

@Test func v1ReportRoundTrips() throws {
    let wire: [UInt8] = [0x12, 0x00, 0xFD, 0xFC, 0xEF, 0x01, 0x01, 0x01]
    let message = try IGMPMessage(bytes: wire)
    #expect(message == .v1MembershipReport(group: IPv4Address(239, 1, 1, 1)))
    #expect(message.bytes(prefilledWith: 0xA5) == wire)
}

@Test func v3GeneralQueryRoundTrips() throws {
    // RFC 3376 §4.1: 12 bytes, MRC 100 (10 s), QRV 2, QQIC 125 s, no sources; checksum 0xEC1E.
    let wire: [UInt8] = [0x11, 0x64, 0xEC, 0x1E, 0, 0, 0, 0, 0x02, 0x7D, 0x00, 0x00]
    let message = try IGMPMessage(bytes: wire)
    #expect(message == .v3MembershipQuery(IGMPv3Query(group: .any, maxResponseCode: 100)))
    #expect(message.version == 3)
    #expect(message.destination == IGMPMessage.allSystems)
    #expect(message.bytes(prefilledWith: 0xA5) == wire)
}

@Test func v3QueryDecodesFloatingPointCodesAndSources() throws {
    // MRC 0x8C: exp 0, mant 12 → (12|16) << 3 = 224 tenths (§4.1.1); QQIC 0x90: 16 << 4 = 256 s (§4.1.7);
    // S set, QRV 2; one source 10.1.1.10; checksum 0xEFD4.
    let wire: [UInt8] = [0x11, 0x8C, 0xEF, 0xD4, 0xE8, 0x01, 0x01, 0x01, 0x0A, 0x90, 0x00, 0x01, 0x0A, 0x01, 0x01, 0x0A]
    let message = try IGMPMessage(bytes: wire)
    guard case .v3MembershipQuery(let query) = message else { Issue.record("not a v3 query: \(message)"); return }
    #expect(query.maxResponseTime == .milliseconds(22_400))
    #expect(query.queryInterval == .seconds(256))
    #expect(query.suppressRouterSideProcessing && query.robustness == 2)
    #expect(query.sources == [IPv4Address(10, 1, 1, 10)])
    #expect(message.destination == IPv4Address(232, 1, 1, 1))
    #expect(message.bytes(prefilledWith: 0x00) == wire)
}

@Test(arguments: [0, 1, 100, 127, 128, 224, 992, 2944, 31_744])
func v3CodesRoundTripTheirValues(value: Int) {
    // RFC 3376 §4.1.1: every value the encoding holds exactly comes back from its code.
    #expect(IGMPv3Code.value(IGMPv3Code.code(value)) == value)
}

@Test func v3CodesRoundDownBetweenExactValues() {
    // 1000 lies between 992 (0xAF: exp 2, mant 15) and 1024 (0xB0): the code holds the lower one.
    #expect(IGMPv3Code.code(1000) == 0xAF)
    #expect(IGMPv3Code.value(0xAF) == 992)
    #expect(IGMPv3Code.value(0xB0) == 1024)
}

@Test func v3ReportRoundTrips() throws {
    // RFC 3376 §4.2: two records, EXCLUDE {} for 239.1.1.1 (a join) and INCLUDE {10.2.0.5} for 232.1.1.1.
    let wire: [UInt8] = [
        0x22, 0x00, 0xF5, 0xEF, 0x00, 0x00, 0x00, 0x02,
        0x04, 0x00, 0x00, 0x00, 0xEF, 0x01, 0x01, 0x01,
        0x01, 0x00, 0x00, 0x01, 0xE8, 0x01, 0x01, 0x01, 0x0A, 0x02, 0x00, 0x05,
    ]
    let message = try IGMPMessage(bytes: wire)
    let records = [
        IGMPv3GroupRecord(recordType: .changeToExclude, group: IPv4Address(239, 1, 1, 1)),
        IGMPv3GroupRecord(recordType: .modeIsInclude, group: IPv4Address(232, 1, 1, 1), sources: [IPv4Address(10, 2, 0, 5)]),
    ]
    #expect(message == .v3MembershipReport(records: records))
    #expect(records.allSatisfy { $0.isJoin })
    #expect(!IGMPv3GroupRecord(recordType: .changeToInclude, group: IPv4Address(239, 1, 1, 1)).isJoin)
    #expect(message.destination == IGMPMessage.allIGMPv3Routers)
    #expect(message.bytes(prefilledWith: 0xA5) == wire)
}

@Test func v3ReportAuxiliaryDataSurvives() throws {
    let message = IGMPMessage.v3MembershipReport(records: [
        IGMPv3GroupRecord(recordType: .allowNewSources, group: IPv4Address(239, 9, 9, 9),
                          sources: [IPv4Address(10, 0, 0, 1)], auxiliaryData: [1, 2, 3, 4]),
    ])
    #expect(try IGMPMessage(bytes: message.bytes(prefilledWith: 0x33)) == message)
}

@Test func unknownIGMPTypesSurvive() throws {
    // DVMRP (type 0x13) with its code and body kept.
    let message = IGMPMessage.other(type: 0x13, code: 5, body: [0, 0, 3, 0xFF, 1, 2])
    #expect(try IGMPMessage(bytes: message.bytes(prefilledWith: 0x77)) == message)
}

@Test func extraBytesAfterAReportAreIgnored() throws {
    // RFC 2236 §2.5: a longer message is accepted and its first 8 bytes are used.
    var wire: [UInt8] = [0x16, 0x00, 0, 0, 0xEF, 0x01, 0x01, 0x01, 0, 0, 0, 0]
    let checksum = InternetChecksum.checksum(wire)
    wire[2] = UInt8(checksum >> 8)
    wire[3] = UInt8(truncatingIfNeeded: checksum)
    #expect(try IGMPMessage(bytes: wire) == .v2MembershipReport(group: IPv4Address(239, 1, 1, 1)))
}

@Test func queriesOfNineToElevenBytesAreRejected() {
    // RFC 3376 §7.1: such queries are ignored.
    for extra in 1...3 {
        var wire: [UInt8] = [0x11, 0x64, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: extra)
        let checksum = InternetChecksum.checksum(wire)
        wire[2] = UInt8(checksum >> 8)
        wire[3] = UInt8(truncatingIfNeeded: checksum)
        #expect(throws: WireError.self) { try IGMPMessage(bytes: wire) }
    }
}

@Test func badIGMPChecksumIsRejected() {
    var wire = Golden.igmpReportWithRouterAlert.from(38)
    wire[7] ^= 0x01
    #expect(throws: WireError.badChecksum) { try IGMPMessage(bytes: wire) }
}

@Test func everyTruncatedIGMPMessageThrows() {
    let report = IGMPMessage.v3MembershipReport(records: [
        IGMPv3GroupRecord(recordType: .modeIsInclude, group: IPv4Address(232, 1, 1, 1),
                          sources: [IPv4Address(10, 2, 0, 5), IPv4Address(10, 2, 0, 6)]),
    ]).bytes()
    for cut in 0..<report.count {
        #expect(throws: WireError.self, "cut at \(cut)") { try IGMPMessage(bytes: report.bytes(0..<cut)) }
    }
    for cut in 0..<Golden.igmpReportWithRouterAlert.count {
        #expect(throws: WireError.self, "cut at \(cut)") {
            try parseWholeFrame(Golden.igmpReportWithRouterAlert.bytes(0..<cut))
        }
    }
}

@Test func randomIGMPInputNeverTraps() {
    for seed in UInt64(1)...300 {
        var random = Xorshift(seed: seed)
        var bytes = random.bytes(random.below(64))
        if bytes.count >= 8 {
            bytes[0] = [0x11, 0x12, 0x16, 0x17, 0x22][random.below(5)]
            bytes[2] = 0
            bytes[3] = 0
            let checksum = InternetChecksum.checksum(bytes)
            bytes[2] = UInt8(checksum >> 8)
            bytes[3] = UInt8(truncatingIfNeeded: checksum)
        }
        if let message = try? IGMPMessage(bytes: bytes) {
            let again = try? IGMPMessage(bytes: message.bytes(prefilledWith: 0xA5))
            #expect(again == message, "seed \(seed)")
        }
    }
}

@Test func destinationsAreThoseOfTheRFCs() {
    let group = IPv4Address(239, 1, 1, 1)
    // RFC 2236 §2.4 and §3: general query to all-systems, specific query and report to the group,
    // leave to all-routers.
    #expect(IGMPMessage.membershipQuery(group: .any, maxResponseDeciseconds: 100).destination == IGMPMessage.allSystems)
    #expect(IGMPMessage.membershipQuery(group: group, maxResponseDeciseconds: 10).destination == group)
    #expect(IGMPMessage.v2MembershipReport(group: group).destination == group)
    #expect(IGMPMessage.leaveGroup(group: group).destination == IGMPMessage.allRouters)
}

@Test func theIPHeaderMatchesTheGoldenFrame() throws {
    // TTL 1, Router Alert (RFC 2113), TOS 0xC0: the header of the golden report, byte for byte.
    let message = IGMPMessage.v2MembershipReport(group: IPv4Address(239, 1, 1, 1))
    let header = message.ipv4Header(source: Golden.host)
    #expect(header.bytes(prefilledWith: 0xA5) == Golden.igmpReportWithRouterAlert.bytes(14..<38))
    let frame = IGMPMessage.frame(message, source: Golden.host, sourceMAC: Golden.vpcs)
    #expect(frame.bytes(0..<46) == Golden.igmpReportWithRouterAlert)
    #expect(frame.count == 60)
}
