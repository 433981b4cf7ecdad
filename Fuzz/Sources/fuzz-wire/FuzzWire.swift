import FuzzSupport
import Wire

/// Every decoder on the bytes as given and with their checksums fixed: a value that parses must emit
/// and parse back to itself; nothing may trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = [UInt8](UnsafeBufferPointer(start: data, count: size))
    decodeFrame(input)
    decodeFrame(FuzzSupport.withFixedChecksums(input))
    // The same bytes with no Ethernet header in front, as each decoder's own input.
    decodeHeaders(input)
    return 0
}

func decodeFrame(_ frame: [UInt8]) {
    _ = FrameSummary.describe(frame)
    frame.withUnsafeBytes { raw in
        _ = FrameView.destination(raw)
        _ = FrameView.source(raw)
        _ = FrameView.etherType(raw)
        _ = FrameView.vlanTag(raw)
        _ = FrameView.vlanID(raw)
        if let offset = FrameView.payloadOffset(raw) {
            _ = FrameView.ttl(raw, ipOffset: offset)
            _ = FrameView.tos(raw, ipOffset: offset)
        }
        for offset in [-1, 0, 14, 18, raw.count - 20, raw.count] {
            _ = FrameView.ttl(raw, ipOffset: offset)
            _ = FrameView.tos(raw, ipOffset: offset)
        }
    }
    guard let ethernet = try? EthernetHeader(bytes: frame) else { return }
    check(try? EthernetHeader(bytes: ethernet.bytes(prefilledWith: 0xA5)), equals: ethernet, "Ethernet")
    let payload = Array(frame[ethernet.encodedLength...])
    decodeHeaders(payload)
    // The in-place edits the forwarding path makes on a datagram that passed validation.
    guard ethernet.etherType == .ipv4, let ip = try? IPv4Header(bytes: payload) else { return }
    var copy = frame
    copy.withUnsafeMutableBytes { buffer in
        let offset = ethernet.encodedLength
        FrameView.setTOS(buffer, ipOffset: offset, tos: ip.tos ^ 0xFC)
        if ip.ttl > 0 { FrameView.decrementTTL(buffer, ipOffset: offset) }
    }
    // RFC 1624: the incrementally patched header checksum still verifies.
    let edited = try? IPv4Header(bytes: Array(copy[ethernet.encodedLength...]))
    precondition(edited != nil, "header invalid after setTOS/decrementTTL")
}

func decodeHeaders(_ bytes: [UInt8]) {
    if let arp = try? ARPPacket(bytes: bytes) {
        check(try? ARPPacket(bytes: arp.bytes(prefilledWith: 0xA5)), equals: arp, "ARP")
    }
    if let icmp = try? ICMPMessage(bytes: bytes) {
        check(try? ICMPMessage(bytes: icmp.bytes(prefilledWith: 0xA5)), equals: icmp, "ICMP")
    }
    decodeOSPF(bytes)
    decodeOSPF(FuzzSupport.withFixedOSPFChecksums(bytes))
    decodeIGMP(bytes)
    decodeIGMP(FuzzSupport.withFixedIGMPChecksum(bytes))
    decodePIM(bytes)
    decodePIM(FuzzSupport.withFixedPIMChecksum(bytes))
    if let lsa = try? LSA(bytes: FuzzSupport.withFixedLSAChecksum(bytes)) {
        check(try? LSA(bytes: lsa.bytes(prefilledWith: 0xA5)), equals: lsa, "LSA")
        _ = lsa.header
    }
    if let header = try? bytes.withUnsafeBytes({ raw throws(WireError) in try LSAHeader(parsing: raw) }) {
        var again = [UInt8](repeating: 0xA5, count: LSAHeader.encodedLength)
        again.withUnsafeMutableBytes { header.emit(into: $0) }
        check(try? again.withUnsafeBytes({ raw throws(WireError) in try LSAHeader(parsing: raw) }), equals: header, "LSA header")
    }
    let (source, destination) = (IPv4Address(10, 0, 0, 1), IPv4Address(10, 0, 0, 2))
    if let udp = try? UDPHeader(bytes: bytes, source: source, destination: destination) {
        let payload = Array(bytes[8..<8 + udp.payloadLength])
        let again = try? UDPHeader(bytes: udp.bytes(source: source, destination: destination, payload: payload, prefilledWith: 0xA5),
                                   source: source, destination: destination)
        check(again, equals: udp, "UDP")
    }
    guard let ip = try? IPv4Header(bytes: bytes) else { return }
    let payload = Array(bytes[ip.headerLength..<ip.totalLength])
    check(try? IPv4Header(bytes: ip.datagram(payload: payload, prefilledWith: 0xA5)), equals: ip, "IPv4")
    let body = payload.withUnsafeBytes { ICMPMessage.quoted($0) }
    _ = ICMPMessage.fragmentationNeeded(nextHopMTU: 576, original: body).bytes()
    switch ip.protocolNumber {
    case .icmp: _ = try? ICMPMessage(bytes: payload)
    case .udp: _ = try? UDPHeader(bytes: payload, source: ip.source, destination: ip.destination)
    case .igmp: decodeIGMP(payload)
    case .pim:
        decodePIM(payload)
        decodePIM(FuzzSupport.withFixedPIMChecksum(payload))
    default: if ip.protocolNumber.rawValue == OSPFPacket.ipProtocol { decodeOSPF(payload) }
    }
}

/// OSPFv2 (RFC 2328 A.3): a packet that parses emits and parses back to itself.
func decodeOSPF(_ bytes: [UInt8]) {
    guard let packet = try? OSPFPacket(bytes: bytes) else { return }
    check(try? OSPFPacket(bytes: packet.bytes(prefilledWith: 0xA5)), equals: packet, "OSPF")
}

/// IGMPv1/v2/v3 (RFC 2236 §2, RFC 3376 §4): a message that parses emits and parses back to itself.
func decodeIGMP(_ bytes: [UInt8]) {
    guard let message = try? IGMPMessage(bytes: bytes) else { return }
    _ = message.destination
    _ = message.maxResponseTime
    check(try? IGMPMessage(bytes: message.bytes(prefilledWith: 0xA5)), equals: message, "IGMP")
}

/// PIMv2 (RFC 7761 §4.9): a message that parses emits and parses back to itself.
func decodePIM(_ bytes: [UInt8]) {
    guard let message = try? PIMMessage(bytes: bytes) else { return }
    _ = message.type
    check(try? PIMMessage(bytes: message.bytes(prefilledWith: 0xA5)), equals: message, "PIM")
}

func check<T: Equatable>(_ again: T?, equals value: T, _ what: String) {
    precondition(again == value, "\(what) does not round-trip: \(value) became \(String(describing: again))")
}
