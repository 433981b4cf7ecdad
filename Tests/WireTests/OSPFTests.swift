import Testing
import Wire

/// OSPFv2 packets and LSAs (RFC 2328 A.3, A.4). The golden bytes were built field by field with their
/// checksums computed independently in Python (RFC 1071 for the packet, RFC 905 Annex B for the LSA)
/// and decoded by tshark with checksum validation on.
enum OSPFGolden {
    /// Hello from router 1.1.1.1, area 0: mask /24, hello 10 s, options E, priority 1, dead 40 s,
    /// DR 10.0.12.1, no BDR, neighbor 2.2.2.2. Checksum 0xe093.
    static let hello: [UInt8] = [
        0x02, 0x01, 0x00, 0x30, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x93, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00, 0x0a, 0x02, 0x01,
        0x00, 0x00, 0x00, 0x28, 0x0a, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x02, 0x02,
    ]

    /// Router-LSA of 1.1.1.1, age 1, options E+DC, sequence 0x80000001, flags E: a stub 10.0.12.0/24
    /// cost 10 and a point-to-point link to 2.2.2.2 (interface 10.0.12.1) cost 64. Checksum 0x9dfd.
    static let routerLSA: [UInt8] = [
        0x00, 0x01, 0x22, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x80, 0x00, 0x00, 0x01,
        0x9d, 0xfd, 0x00, 0x30, 0x02, 0x00, 0x00, 0x02, 0x0a, 0x00, 0x0c, 0x00, 0xff, 0xff, 0xff, 0x00,
        0x03, 0x00, 0x00, 0x0a, 0x02, 0x02, 0x02, 0x02, 0x0a, 0x00, 0x0c, 0x01, 0x01, 0x00, 0x00, 0x40,
    ]
}

let rid1 = IPv4Address(1, 1, 1, 1), rid2 = IPv4Address(2, 2, 2, 2)

let goldenRouterLSA = LSA(age: 1, options: [.e, .dc], type: .router, linkStateID: rid1, advertisingRouter: rid1,
                          sequenceNumber: LSAHeader.initialSequenceNumber, body: .router(RouterLSA(flags: .e, links: [
                              .init(linkID: IPv4Address(10, 0, 12, 0), linkData: IPv4Address(255, 255, 255, 0), type: .stub, metric: 10),
                              .init(linkID: rid2, linkData: IPv4Address(10, 0, 12, 1), type: .pointToPoint, metric: 64),
                          ])))

@Test func helloParsesAndReEmitsTheGoldenBytes() throws {
    let packet = try OSPFPacket(bytes: OSPFGolden.hello)
    #expect(packet == OSPFPacket(routerID: rid1, areaID: .any, body: .hello(OSPFHello(
        networkMask: IPv4Address(255, 255, 255, 0), helloInterval: 10, options: .e, routerPriority: 1, routerDeadInterval: 40,
        designatedRouter: IPv4Address(10, 0, 12, 1), backupDesignatedRouter: .any, neighbors: [rid2]))))
    #expect(packet.bytes(prefilledWith: 0xa5) == OSPFGolden.hello)
}

@Test func routerLSAParsesAndReEmitsTheGoldenBytes() throws {
    #expect(try LSA(bytes: OSPFGolden.routerLSA) == goldenRouterLSA)
    #expect(goldenRouterLSA.bytes(prefilledWith: 0x5a) == OSPFGolden.routerLSA)
    #expect(goldenRouterLSA.header.checksum == 0x9dfd && goldenRouterLSA.header.length == 48)
}

// RFC 2328 §12.1.7: the checksum leaves out LS age, so an LSA ages in the database without recomputing it.
@Test func agingAnLSALeavesItsChecksumValid() throws {
    var aged = OSPFGolden.routerLSA
    aged[0] = 0x0e; aged[1] = 0x10  // MaxAge
    let lsa = try LSA(bytes: aged)
    #expect(lsa.age == LSAHeader.maxAge)
    #expect(lsa.header.checksum == goldenRouterLSA.header.checksum)
}

// RFC 2328 §13 (1): an LSA whose checksum fails is discarded.
@Test func aCorruptLSAFailsItsChecksum() {
    for i in 2..<OSPFGolden.routerLSA.count where !(16...17).contains(i) {
        var bytes = OSPFGolden.routerLSA
        bytes[i] ^= 0x01
        #expect(throws: WireError.self, "byte \(i)") { try LSA(bytes: bytes) }
    }
}

@Test func aCorruptPacketFailsItsChecksum() {
    var bytes = OSPFGolden.hello
    bytes[30] ^= 0x40
    #expect(throws: WireError.badChecksum) { try OSPFPacket(bytes: bytes) }
}

@Test func everyLSATypeRoundTrips() throws {
    let mask = IPv4Address(255, 255, 255, 0)
    let bodies: [(LSAType, LSABody)] = [
        (.network, .network(NetworkLSA(networkMask: mask, attachedRouters: [rid1, rid2]))),
        (.summaryNetwork, .summary(SummaryLSA(networkMask: mask, metric: 74))),
        (.summaryASBR, .summary(SummaryLSA(networkMask: .any, metric: SummaryLSA.lsInfinity))),
        (.asExternal, .external(ExternalLSA(networkMask: mask, isType2: true, metric: 20, routeTag: 7))),
        (.nssaExternal, .external(ExternalLSA(networkMask: mask, isType2: false, metric: 5, forwardingAddress: IPv4Address(10, 9, 9, 1)))),
        (.router, .router(RouterLSA(flags: [.b, .nt], links: [.init(linkID: rid2, linkData: IPv4Address(10, 0, 0, 1), type: .transit,
                                                                     metric: 1, tosMetrics: [0x0800_0005])]))),
        (LSAType(rawValue: 10), .other([1, 2, 3, 4, 5, 6, 7, 8])),
    ]
    for (type, body) in bodies {
        let lsa = LSA(age: 3, options: .e, type: type, linkStateID: IPv4Address(10, 1, 0, 0), advertisingRouter: rid1,
                      sequenceNumber: 0x7000_0000, body: body)
        let bytes = lsa.bytes(prefilledWith: 0xee)
        #expect(bytes.count == lsa.encodedLength)
        #expect(try LSA(bytes: bytes) == lsa, "\(type)")
    }
}

@Test func everyPacketTypeRoundTrips() throws {
    let header = goldenRouterLSA.header
    let bodies: [OSPFPacketBody] = [
        .databaseDescription(OSPFDatabaseDescription(interfaceMTU: 1500, options: .e, flags: [.i, .m, .ms], sequenceNumber: 0x1234,
                                                     headers: [])),
        .databaseDescription(OSPFDatabaseDescription(interfaceMTU: 1500, options: .e, flags: .m, sequenceNumber: 0x1235,
                                                     headers: [header, header])),
        .linkStateRequest([LSARequest(type: .router, linkStateID: rid1, advertisingRouter: rid1),
                           LSARequest(type: .nssaExternal, linkStateID: IPv4Address(10, 0, 0, 0), advertisingRouter: rid2)]),
        .linkStateUpdate([goldenRouterLSA, LSA(options: [], type: .network, linkStateID: IPv4Address(10, 0, 0, 1), advertisingRouter: rid2,
                                               sequenceNumber: LSAHeader.initialSequenceNumber,
                                               body: .network(NetworkLSA(networkMask: IPv4Address(255, 255, 255, 0),
                                                                         attachedRouters: [rid1, rid2])))]),
        .linkStateAcknowledgment([header]),
        .linkStateUpdate([]),
    ]
    for body in bodies {
        let packet = OSPFPacket(routerID: rid2, areaID: IPv4Address(0, 0, 0, 1), authenticationType: 1,
                                authentication: 0x6369_7363_6f00_0000, body: body)
        let bytes = packet.bytes(prefilledWith: 0x3c)
        #expect(bytes.count == packet.encodedLength)
        #expect(try OSPFPacket(bytes: bytes) == packet, "\(packet.type)")
    }
}

@Test func everyTruncatedPacketThrows() throws {
    let update = OSPFPacket(routerID: rid1, areaID: .any, body: .linkStateUpdate([goldenRouterLSA])).bytes()
    for packet in [OSPFGolden.hello, update] {
        for cut in 0..<packet.count {
            #expect(throws: WireError.self, "cut at \(cut)") { try OSPFPacket(bytes: Array(packet[0..<cut])) }
        }
    }
    for cut in 0..<OSPFGolden.routerLSA.count {
        #expect(throws: WireError.self, "cut at \(cut)") { try LSA(bytes: Array(OSPFGolden.routerLSA[0..<cut])) }
    }
}

@Test func anUnknownVersionIsRefused() {
    var bytes = OSPFGolden.hello
    bytes[0] = 3
    #expect(throws: WireError.unsupportedVersion(3)) { try OSPFPacket(bytes: bytes) }
}

@Test func randomInputNeverTraps() {
    var random = Xorshift(seed: 2328)
    for round in 0..<20_000 {
        var bytes = random.bytes(random.below(120))
        if round % 2 == 0, bytes.count >= 24 {
            // A plausible header, so parsing gets past the version and length checks into the bodies.
            bytes[0] = 2
            bytes[1] = UInt8(1 + random.below(5))
            bytes[2] = 0
            bytes[3] = UInt8(bytes.count)
            bytes[14] = 0; bytes[15] = 2  // cryptographic: no checksum to stop the parse
        }
        _ = try? OSPFPacket(bytes: bytes)
        _ = try? LSA(bytes: bytes)
    }
}
