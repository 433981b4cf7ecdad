import Engine
import Testing
import Wire

// Golden messages written out by hand from the layouts of RFC 7761 §4.9, in the shape IOS sends them
// (Holdtime 105, LAN Prune Delay 500/2500 ms, DR priority 1, a Join/Prune holdtime of 210 s). Checksums were
// computed independently (Python, RFC 1071). Each golden message and each of `everyPIMMessage` (but the
// empty Register and the unknown types), emitted into an Ethernet/IPv4 frame, decoded in tshark 4.0.17 as
// intended, with no malformed packet and every PIM checksum "correct" (its PIM dissector always verifies;
// there is no preference to turn on), and passed /work/shared/tools/check-pcap.

/// Hello from 10.0.12.1: Holdtime 105, LAN Prune Delay (T clear, 500 ms, 2500 ms), DR Priority 1,
/// Generation ID 0x2b3c4d5e, Address List 10.0.12.1 (secondary). Checksum 0x43ec.
let goldenHello: [UInt8] = [
    0x20, 0x00, 0x43, 0xEC,  // version 2, type 0 (Hello), reserved, checksum
    0x00, 0x01, 0x00, 0x02, 0x00, 0x69,  // Holdtime (1), length 2: 105 s
    0x00, 0x02, 0x00, 0x04, 0x01, 0xF4, 0x09, 0xC4,  // LAN Prune Delay (2), length 4: T 0, 500 ms; 2500 ms
    0x00, 0x13, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01,  // DR Priority (19), length 4: 1
    0x00, 0x14, 0x00, 0x04, 0x2B, 0x3C, 0x4D, 0x5E,  // Generation ID (20), length 4
    0x00, 0x18, 0x00, 0x06, 0x01, 0x00, 0x0A, 0x00, 0x0C, 0x01,  // Address List (24): family 1, enc 0, 10.0.12.1
]

/// Join/Prune to upstream neighbor 10.0.12.2, holdtime 210: group 239.1.1.1/32 joins (*,G) toward RP 10.0.0.1
/// (S, W, R set) and prunes (10.1.1.10, 239.1.1.1, rpt) (S, R set). Checksum 0xb0b9.
let goldenJoinPrune: [UInt8] = [
    0x23, 0x00, 0xB0, 0xB9,  // version 2, type 3 (Join/Prune), reserved, checksum
    0x01, 0x00, 0x0A, 0x00, 0x0C, 0x02,  // Encoded-Unicast upstream neighbor 10.0.12.2
    0x00, 0x01, 0x00, 0xD2,  // reserved, 1 group, holdtime 210
    0x01, 0x00, 0x00, 0x20, 0xEF, 0x01, 0x01, 0x01,  // Encoded-Group 239.1.1.1/32, B and Z clear
    0x00, 0x01, 0x00, 0x01,  // 1 joined source, 1 pruned source
    0x01, 0x00, 0x07, 0x20, 0x0A, 0x00, 0x00, 0x01,  // Encoded-Source 10.0.0.1/32, S W R
    0x01, 0x00, 0x05, 0x20, 0x0A, 0x01, 0x01, 0x0A,  // Encoded-Source 10.1.1.10/32, S R
]

/// Register-Stop for (10.1.1.10, 239.1.1.1). Checksum 0xe0d1.
let goldenRegisterStop: [UInt8] = [
    0x22, 0x00, 0xE0, 0xD1,
    0x01, 0x00, 0x00, 0x20, 0xEF, 0x01, 0x01, 0x01,  // Encoded-Group 239.1.1.1/32
    0x01, 0x00, 0x0A, 0x01, 0x01, 0x0A,  // Encoded-Unicast 10.1.1.10
]

/// Assert for (10.1.1.10, 239.1.1.1), R clear, metric preference 110 (OSPF), metric 20. Checksum 0xdd4f.
let goldenAssert: [UInt8] = [
    0x25, 0x00, 0xDD, 0x4F,
    0x01, 0x00, 0x00, 0x20, 0xEF, 0x01, 0x01, 0x01,  // Encoded-Group 239.1.1.1/32
    0x01, 0x00, 0x0A, 0x01, 0x01, 0x0A,  // Encoded-Unicast 10.1.1.10
    0x00, 0x00, 0x00, 0x6E,  // R 0, metric preference 110
    0x00, 0x00, 0x00, 0x14,  // metric 20
]

/// The null Register's header and flags word: N set, checksum 0x9eff over these 8 bytes only (§4.9.3).
let goldenNullRegisterHead: [UInt8] = [0x21, 0x00, 0x9E, 0xFF, 0x40, 0x00, 0x00, 0x00]

/// The IPv4 header of the dummy packet a null Register carries: (10.1.1.10, 239.1.1.1), no payload (§4.4.1).
let nullRegisterInner = IPv4Header(ttl: 255, protocolNumber: .pim, source: IPv4Address(10, 1, 1, 10),
                                   destination: IPv4Address(239, 1, 1, 1), payloadLength: 0).bytes()

let pimGroup = IPv4Address(239, 1, 1, 1)
let pimRP = IPv4Address(10, 0, 0, 1)
let pimSource = IPv4Address(10, 1, 1, 10)

/// `bytes` with the PIM checksum recomputed over the first `covered` bytes (all of them when nil).
func withPIMChecksum(_ bytes: [UInt8], covering covered: Int? = nil) -> [UInt8] {
    var bytes = bytes
    guard bytes.count >= 4 else { return bytes }
    bytes[2] = 0
    bytes[3] = 0
    let checksum = InternetChecksum.checksum(Array(bytes[0..<min(covered ?? bytes.count, bytes.count)]))
    bytes[2] = UInt8(checksum >> 8)
    bytes[3] = UInt8(truncatingIfNeeded: checksum)
    return bytes
}

func pimError(_ bytes: [UInt8]) -> WireError? {
    do { _ = try PIMMessage(bytes: bytes); return nil } catch { return error }
}

/// Every message type with every field and option set, for round trips.
let everyPIMMessage: [PIMMessage] = [
    .hello(PIMHello(holdtime: 105, drPriority: 7, generationID: 0xDEAD_BEEF,
                    lanPruneDelay: .init(trackingSupport: true, propagationDelay: 0x7FFF, overrideInterval: 2500),
                    addressList: [IPv4Address(10, 0, 12, 1), IPv4Address(192, 168, 1, 1)],
                    otherOptions: [.init(type: 21, value: [0, 0, 0, 1]), .init(type: 65004, value: []),
                                   .init(type: 22, value: [1, 2, 3])])),
    .hello(PIMHello(holdtime: 0)),
    .hello(PIMHello(holdtime: 0xFFFF, drPriority: 0, generationID: 0)),
    .register(PIMRegister(border: true, null: true, packet: nullRegisterInner)),
    .register(PIMRegister(packet: nullRegisterInner + [0x01, 0x02, 0x03])),
    .register(PIMRegister(packet: [])),
    .registerStop(PIMRegisterStop(group: pimGroup, source: .any)),
    .joinPrune(PIMJoinPrune(upstreamNeighbor: IPv4Address(10, 0, 12, 2), holdtime: 210, groups: [
        .init(group: pimGroup, joins: [.wildcard(rp: pimRP), .source(pimSource)], prunes: [.rpt(pimSource)]),
        .init(group: IPv4Address(232, 0, 0, 0), maskLength: 8, joins: [],
              prunes: [PIMEncodedSource(address: IPv4Address(10, 9, 0, 0), maskLength: 16, sparse: false)]),
        .init(group: IPv4Address(239, 2, 2, 2)),
    ])),
    .joinPrune(PIMJoinPrune(upstreamNeighbor: IPv4Address(10, 0, 12, 2), holdtime: 0, groups: [])),
    .assert(PIMAssert(group: pimGroup, source: .any, rptBit: true, metricPreference: 0x7FFF_FFFF, metric: 0xFFFF_FFFF)),
    .assert(PIMAssert(group: pimGroup, source: pimSource, rptBit: false, metricPreference: 110, metric: 20)),
    .other(type: 4, body: [0x12, 0x34, 0x56, 0x78, 0x9A]),  // a Bootstrap, kept as bytes
    .other(type: 15, body: []),
]

/// RFC 7761 §4.9: the PIMv2 messages, parsed from golden bytes, round-tripped and rejected when malformed.
struct PIMTests {
    // MARK: - Golden bytes

    @Test func helloParsesFromGoldenBytes() throws {
        // RFC 7761 §4.9.2: the options IOS sends, in its order, then an Address List.
        let message = try PIMMessage(bytes: goldenHello)
        #expect(message == .hello(PIMHello(
            holdtime: 105, drPriority: 1, generationID: 0x2B3C_4D5E,
            lanPruneDelay: .init(trackingSupport: false, propagationDelay: 500, overrideInterval: 2500),
            addressList: [IPv4Address(10, 0, 12, 1)])))
        #expect(message.type == PIMMessage.MessageType.hello)
        #expect(message.encodedLength == goldenHello.count)
        #expect(message.bytes(prefilledWith: 0xA5) == goldenHello)
        #expect(message.encoded() == goldenHello)
    }

    @Test func joinPruneParsesFromGoldenBytes() throws {
        // RFC 7761 §4.9.5: a (*,G) join with S, W and R set and an (S,G,rpt) prune with S and R set.
        let message = try PIMMessage(bytes: goldenJoinPrune)
        #expect(message == .joinPrune(PIMJoinPrune(upstreamNeighbor: IPv4Address(10, 0, 12, 2), holdtime: 210, groups: [
            .init(group: pimGroup, joins: [.wildcard(rp: pimRP)], prunes: [.rpt(pimSource)]),
        ])))
        #expect(message.bytes(prefilledWith: 0x5A) == goldenJoinPrune)
    }

    @Test func registerStopParsesFromGoldenBytes() throws {
        // RFC 7761 §4.9.4: the group encoded with mask length 32, the source as Encoded-Unicast.
        let message = try PIMMessage(bytes: goldenRegisterStop)
        #expect(message == .registerStop(PIMRegisterStop(group: pimGroup, source: pimSource)))
        #expect(message.bytes(prefilledWith: 0xFF) == goldenRegisterStop)
    }

    @Test func assertParsesFromGoldenBytes() throws {
        // RFC 7761 §4.9.6: R bit clear, metric preference 110, metric 20.
        let message = try PIMMessage(bytes: goldenAssert)
        #expect(message == .assert(PIMAssert(group: pimGroup, source: pimSource, rptBit: false,
                                             metricPreference: 110, metric: 20)))
        #expect(message.bytes(prefilledWith: 0xA5) == goldenAssert)
    }

    @Test func nullRegisterChecksumCoversOnlyTheFirst8Bytes() throws {
        // RFC 7761 §4.9.3: the checksum covers the PIM header and the flags word, not the data packet.
        let wire = goldenNullRegisterHead + nullRegisterInner
        let message = try PIMMessage(bytes: wire)
        #expect(message == .register(PIMRegister(null: true, packet: nullRegisterInner)))
        #expect(message.bytes(prefilledWith: 0xA5) == wire)
    }

    // MARK: - Round trips

    @Test(arguments: everyPIMMessage)
    func everyMessageRoundTrips(message: PIMMessage) throws {
        // RFC 7761 §4.9.2–§4.9.6: emitted over junk, parsed back to the same value.
        for junk: UInt8 in [0x00, 0xA5, 0xFF] {
            let bytes = message.bytes(prefilledWith: junk)
            #expect(bytes.count == message.encodedLength)
            #expect(try PIMMessage(bytes: bytes) == message)
        }
    }

    @Test func helloEmitsOptionsInIOSOrder() throws {
        // IOS order (RFC 7761 §4.9.2 leaves it open): Holdtime, LAN Prune Delay, DR Priority, Generation ID,
        // then the Address List and the other options in the order given.
        guard case .hello(let hello) = everyPIMMessage[0] else { Issue.record("not a Hello"); return }
        let bytes = PIMMessage.hello(hello).encoded()
        var types: [UInt16] = []
        var offset = 4
        while offset + 4 <= bytes.count {
            types.append(UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]))
            offset += 4 + (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
        }
        #expect(offset == bytes.count)
        #expect(types == [1, 2, 19, 20, 24, 21, 65004, 22])
    }

    @Test func helloKeepsUnknownOptionsInOrder() throws {
        // RFC 7761 §4.9.2: unknown options are skipped by the protocol but kept here, in order, for round trips.
        let wire = withPIMChecksum([0x20, 0x00, 0, 0,
                                    0xFD, 0xE9, 0x00, 0x01, 0x07,  // 65001, length 1
                                    0x00, 0x01, 0x00, 0x02, 0x00, 0x1E,  // Holdtime 30
                                    0x00, 0x15, 0x00, 0x00])  // 21, length 0
        let message = try PIMMessage(bytes: wire)
        let others: [PIMHello.Option] = [.init(type: 65001, value: [7]), .init(type: 21, value: [])]
        #expect(message == .hello(PIMHello(holdtime: 30, otherOptions: others)))
    }

    @Test func helloWithoutHoldtimeGetsTheDefault() throws {
        // RFC 7761 §4.11: Hello_Holdtime defaults to 3.5 × Hello_Period = 105 s.
        let message = try PIMMessage(bytes: withPIMChecksum([0x20, 0x00, 0, 0, 0x00, 0x13, 0x00, 0x04, 0, 0, 0, 9]))
        #expect(message == .hello(PIMHello(holdtime: PIMHello.defaultHoldtime, drPriority: 9)))
    }

    @Test func registerAcceptsAWholeMessageChecksum() throws {
        // RFC 7761 §4.9.3: "a message carrying a checksum calculated over the entire PIM Register message should
        // also be accepted" (some old IOS releases send it so). tshark 4.0.17 calls such a checksum bad.
        let wire = withPIMChecksum(goldenNullRegisterHead + nullRegisterInner + [0x42])
        #expect(try PIMMessage(bytes: wire) == .register(PIMRegister(null: true, packet: nullRegisterInner + [0x42])))
    }

    @Test func registerWithADamagedInnerPacketStillParses() throws {
        // RFC 7761 §4.9.3: the checksum does not cover the data packet, so damage there is the RP's to find.
        var inner = nullRegisterInner
        inner[0] = 0x00  // version 0, IHL 0
        inner[10] ^= 0xFF  // and a wrong header checksum
        let message = try PIMMessage(bytes: goldenNullRegisterHead + inner)
        #expect(message == .register(PIMRegister(null: true, packet: inner)))
    }

    // MARK: - Rejections

    @Test func badChecksumIsRejected() {
        // RFC 7761 §4.9: the checksum covers the whole message (header only for a Register, §4.9.3).
        for golden in [goldenHello, goldenJoinPrune, goldenRegisterStop, goldenAssert, goldenNullRegisterHead] {
            var wire = golden
            wire[wire.count - 1] ^= 0x01
            #expect(pimError(wire) == .badChecksum)
        }
        var register = goldenNullRegisterHead + nullRegisterInner
        register[4] ^= 0x80  // the B bit is covered
        #expect(pimError(register) == .badChecksum)
    }

    @Test func version1IsRejected() {
        // RFC 7761 §4.9: PIM Version 2; PIMv1 (RFC 2117) rode on IGMP and is not spoken here.
        #expect(pimError(withPIMChecksum([0x10] + goldenHello.from(1))) == .unsupportedVersion(1))
        #expect(pimError(withPIMChecksum([0x30] + goldenHello.from(1))) == .unsupportedVersion(3))
    }

    @Test func joinPruneWithMoreGroupsThanBytesIsTruncated() {
        // RFC 7761 §4.9.5: Num Groups says 2, the message holds 1.
        var wire = goldenJoinPrune
        wire[11] = 2
        #expect(pimError(withPIMChecksum(wire)) == .truncated(need: 50, have: 42))
    }

    @Test func joinPruneWithMoreSourcesThanBytesIsTruncated() {
        // RFC 7761 §4.9.5: Number of Joined Sources says 0xFFFF; checked against the bytes before any is read.
        var wire = goldenJoinPrune
        wire[22] = 0xFF
        wire[23] = 0xFF
        #expect(pimError(withPIMChecksum(wire)) == .truncated(need: 26 + 8 * (0xFFFF + 1), have: 42))
    }

    @Test func helloOptionOverrunningTheMessageIsTruncated() {
        // RFC 7761 §4.9.2: an Option Length past the end of the message.
        var wire = goldenHello
        wire[37] = 0x07  // the Address List claims 7 bytes, 6 are there
        #expect(pimError(withPIMChecksum(wire)) == .truncated(need: 45, have: 44))
    }

    @Test func helloOptionsOfTheWrongLengthAreMalformed() {
        // RFC 7761 §4.9.2: Holdtime is 2 bytes, DR Priority 4; an Address List is whole Encoded-Unicast addresses.
        let shortPriority = withPIMChecksum([0x20, 0x00, 0, 0, 0x00, 0x13, 0x00, 0x02, 0, 1])
        #expect(pimError(shortPriority) == .malformed("Hello option 19 of length 2, not 4"))
        let longHoldtime = withPIMChecksum([0x20, 0x00, 0, 0, 0x00, 0x01, 0x00, 0x04, 0, 0, 0, 105])
        #expect(pimError(longHoldtime) == .malformed("Hello option 1 of length 4, not 2"))
        let oddList = withPIMChecksum([0x20, 0x00, 0, 0, 0x00, 0x18, 0x00, 0x04, 1, 0, 10, 0])
        #expect(pimError(oddList) == .malformed("Hello Address List of 4 bytes, not a multiple of 6"))
    }

    @Test func encodedAddressesOtherThanIPv4AreMalformed() {
        // RFC 7761 §4.9.1: Address Family 1 (IPv4) and Encoding Type 0 only.
        var ipv6 = goldenJoinPrune
        ipv6[4] = 2  // upstream neighbor, family 2 (IPv6)
        #expect(pimError(withPIMChecksum(ipv6))
            == .malformed("Join/Prune upstream neighbor: address family 2, not IPv4"))
        var encoding = goldenJoinPrune
        encoding[27] = 1  // the joined source, encoding type 1
        #expect(pimError(withPIMChecksum(encoding)) == .malformed("Encoded-Source: encoding type 1, not 0"))
        var groupFamily = goldenRegisterStop
        groupFamily[4] = 0
        #expect(pimError(withPIMChecksum(groupFamily)) == .malformed("Register-Stop group: address family 0, not IPv4"))
        var list = goldenHello
        list[38] = 2
        #expect(pimError(withPIMChecksum(list)) == .malformed("Hello Address List: address family 2, not IPv4"))
    }

    @Test func maskLengthsAbove32AreMalformed() {
        // RFC 7761 §4.9.1: an IPv4 mask length is at most 32.
        var groupMask = goldenJoinPrune
        groupMask[17] = 33
        #expect(pimError(withPIMChecksum(groupMask)) == .malformed("Join/Prune group: mask length 33 above 32"))
        var sourceMask = goldenJoinPrune
        sourceMask[37] = 0xFF
        #expect(pimError(withPIMChecksum(sourceMask)) == .malformed("Encoded-Source: mask length 255 above 32"))
    }

    @Test func everyTruncatedPrefixThrows() {
        // RFC 7761 §4.9: each prefix, checksum made right for its length, lacks a field the counts promise.
        for golden in [goldenJoinPrune, goldenRegisterStop, goldenAssert] {
            for length in 0..<golden.count {
                #expect(pimError(withPIMChecksum(Array(golden[0..<length]))) != nil, "prefix of \(length) bytes")
            }
        }
        // A Hello cut at an option boundary is a shorter Hello; anywhere else it throws.
        let boundaries: Set<Int> = [4, 10, 18, 26, 34, 44]
        for length in 0..<goldenHello.count where !boundaries.contains(length) {
            #expect(pimError(withPIMChecksum(Array(goldenHello[0..<length]))) != nil, "prefix of \(length) bytes")
        }
        // A Register needs its 8 checksummed bytes; the packet after them may be any length.
        for length in 0..<8 {
            let prefix = Array(goldenNullRegisterHead[0..<length])
            #expect(pimError(withPIMChecksum(prefix)) != nil, "prefix of \(length) bytes")
        }
    }

    @Test func seededRandomInputNeverTrapsAndRoundTrips() throws {
        // Random bodies behind each type's header, checksum made right: whatever parses emits and parses back.
        for seed: UInt64 in 1...300 {
            var random = Xorshift(seed: seed)
            let type = UInt8(random.below(7))
            var bytes = [0x20 | type, 0, 0, 0] + random.bytes(random.below(64))
            // Often a valid address family and encoding where the Encoded addresses start.
            if bytes.count > 14, random.below(2) == 0 { bytes[4] = 1; bytes[5] = 0; bytes[12] = 1; bytes[13] = 0 }
            let wire = withPIMChecksum(bytes, covering: type == 1 ? 8 : nil)
            guard let message = try? PIMMessage(bytes: wire) else { continue }
            #expect(try PIMMessage(bytes: message.bytes(prefilledWith: 0xA5)) == message, "seed \(seed)")
        }
    }

    // MARK: - Frame summaries and the IPv4 header

    @Test func pimFramesAreSummarisedAsTsharkNamesThem() throws {
        // tshark's Info column: Hello, Join/Prune, Register, Register-stop, Assert.
        let mac = MACAddress(0xca, 0x01, 0x0a, 0x1b, 0x00, 0x08)
        func frame(_ message: PIMMessage, to destination: IPv4Address = PIMMessage.allPIMRouters) -> [UInt8] {
            let ip = message.ipv4Header(source: IPv4Address(10, 0, 12, 1), destination: destination)
            let ethernet = EthernetHeader(destination: .multicast(for: PIMMessage.allPIMRouters), source: mac,
                                          etherType: .ipv4)
            return ethernet.bytes() + ip.bytes() + message.encoded()
        }
        let hello = try PIMMessage(bytes: goldenHello)
        #expect(FrameSummary.describe(frame(hello))
            == "10.0.12.1 > 224.0.0.13 PIMv2 Hello holdtime 105 dr-priority 1 genid 0x2b3c4d5e ttl 1 tos 0xc0")
        #expect(FrameSummary.describe(frame(try PIMMessage(bytes: goldenJoinPrune)))
            == "10.0.12.1 > 224.0.0.13 PIMv2 Join/Prune upstream 10.0.12.2 holdtime 210"
                + " [239.1.1.1/32 join 1 prune 1] ttl 1 tos 0xc0")
        #expect(FrameSummary.describe(frame(try PIMMessage(bytes: goldenAssert)))
            == "10.0.12.1 > 224.0.0.13 PIMv2 Assert (10.1.1.10, 239.1.1.1) pref 110 metric 20 ttl 1 tos 0xc0")
        #expect(FrameSummary.describe(frame(.register(PIMRegister(null: true, packet: nullRegisterInner)), to: pimRP))
            == "10.0.12.1 > 10.0.0.1 PIMv2 Register null len 20 ttl 255 tos 0xc0")
        #expect(FrameSummary.describe(frame(try PIMMessage(bytes: goldenRegisterStop), to: pimRP))
            == "10.0.12.1 > 10.0.0.1 PIMv2 Register-stop (10.1.1.10, 239.1.1.1) ttl 255 tos 0xc0")
        var damaged = frame(hello)
        damaged[damaged.count - 1] ^= 1
        #expect(FrameSummary.describe(damaged) == "10.0.12.1 > 224.0.0.13 PIMv2 malformed: bad checksum")
    }
}
