import Wire

/// Golden frames for the Wire tests.
///
/// Built by hand field by field in the shape of a GNS3 lab capture (a VPCS host, MAC 0050.7966.6800,
/// behind an IOS router ca01.0a1b.0008), with checksums computed independently (Python, RFC 1071) and the
/// whole set decoded by tshark 4.0.17 with checksum validation on: every IP, ICMP and UDP checksum
/// reported "Good". Frames are as captured at the sender, before padding to 60 bytes.
enum Golden {
    /// VPCS 10.1.1.10 asks for its gateway: ARP who-has 10.1.1.1 tell 10.1.1.10 (42 bytes).
    static let arpRequest: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x50, 0x79, 0x66, 0x68, 0x00, 0x08, 0x06,  // Ethernet
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,  // htype 1, ptype IPv4, hlen 6, plen 4, request
        0x00, 0x50, 0x79, 0x66, 0x68, 0x00, 0x0a, 0x01, 0x01, 0x0a,  // sender 0050.7966.6800 10.1.1.10
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x01, 0x01,  // target 0000.0000.0000 10.1.1.1
    ]

    /// Linux-style ping 10.1.1.10 → 10.2.0.5, id 1 seq 3, DF, TTL 64, 56 data bytes (98 bytes).
    /// IP header checksum 0x0952, ICMP checksum 0x8443.
    static let ping: [UInt8] = [
        0xca, 0x01, 0x0a, 0x1b, 0x00, 0x08, 0x00, 0x50, 0x79, 0x66, 0x68, 0x00, 0x08, 0x00,  // Ethernet
        0x45, 0x00, 0x00, 0x54, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x01, 0x09, 0x52,  // IPv4, total 84, id 0x1c46
        0x0a, 0x01, 0x01, 0x0a, 0x0a, 0x02, 0x00, 0x05,  // 10.1.1.10 → 10.2.0.5
        0x08, 0x00, 0x84, 0x43, 0x00, 0x01, 0x00, 0x03,  // echo request, id 1, seq 3
        0x6a, 0x4f, 0x1e, 0x66, 0x00, 0x00, 0x00, 0x00,  // timestamp
        0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
        0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
        0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
    ]

    /// UDP 10.1.1.10:5000 → 10.2.0.5:6000 marked EF (TOS 0xb8), 802.1Q VLAN 20 priority 5, 16 payload
    /// bytes "A"..."P" (62 bytes). IP header checksum 0x64f7, UDP checksum 0x7d6a.
    static let taggedUDP: [UInt8] = [
        0xca, 0x01, 0x0a, 0x1b, 0x00, 0x08, 0x00, 0x50, 0x79, 0x66, 0x68, 0x00,  // MACs
        0x81, 0x00, 0xa0, 0x14, 0x08, 0x00,  // 802.1Q: PCP 5, VID 20; then IPv4
        0x45, 0xb8, 0x00, 0x2c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x64, 0xf7,  // IPv4, total 44, TTL 64
        0x0a, 0x01, 0x01, 0x0a, 0x0a, 0x02, 0x00, 0x05,
        0x13, 0x88, 0x17, 0x70, 0x00, 0x18, 0x7d, 0x6a,  // UDP 5000 → 6000, length 24
        0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50,
    ]

    /// IGMPv2 Membership Report for 239.1.1.1 with the Router Alert option (RFC 2113, RFC 2236 §2),
    /// TOS 0xc0, TTL 1 (46 bytes). IP header checksum 0x290b, IGMP checksum 0xf9fc.
    static let igmpReportWithRouterAlert: [UInt8] = [
        0x01, 0x00, 0x5e, 0x01, 0x01, 0x01, 0x00, 0x50, 0x79, 0x66, 0x68, 0x00, 0x08, 0x00,  // Ethernet
        0x46, 0xc0, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x29, 0x0b,  // IPv4, IHL 6, total 32
        0x0a, 0x01, 0x01, 0x0a, 0xef, 0x01, 0x01, 0x01,  // 10.1.1.10 → 239.1.1.1
        0x94, 0x04, 0x00, 0x00,  // Router Alert, value 0
        0x16, 0x00, 0xf9, 0xfc, 0xef, 0x01, 0x01, 0x01,  // IGMPv2 report 239.1.1.1
    ]

    static let vpcs = MACAddress(0x00, 0x50, 0x79, 0x66, 0x68, 0x00)
    static let router = MACAddress(0xca, 0x01, 0x0a, 0x1b, 0x00, 0x08)
    static let host = IPv4Address(10, 1, 1, 10)
    static let server = IPv4Address(10, 2, 0, 5)
}

/// Marsaglia's xorshift64 (2003): a tiny seeded generator so random-input tests replay from their seed.
struct Xorshift {
    var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in byte() } }
}

extension Array where Element == UInt8 {
    /// The bytes from `offset` on, as a new array.
    func from(_ offset: Int) -> [UInt8] { Array(self[offset...]) }
    /// The bytes in `range`, as a new array.
    func bytes(_ range: Range<Int>) -> [UInt8] { Array(self[range]) }
}

/// Parses a frame as deep as Wire knows (Ethernet, then ARP or IPv4, then ICMP or UDP), throwing the first
/// error. Used by the truncation and random-input tests, which check for throws rather than traps.
func parseWholeFrame(_ frame: [UInt8]) throws {
    try frame.withUnsafeBytes { bytes in
        let ethernet = try EthernetHeader(parsing: bytes)
        let payload = UnsafeRawBufferPointer(rebasing: bytes[ethernet.encodedLength...])
        switch ethernet.etherType {
        case .arp:
            _ = try ARPPacket(parsing: payload)
        case .ipv4:
            let ip = try IPv4Header(parsing: payload)
            let data = UnsafeRawBufferPointer(rebasing: payload[ip.headerLength..<ip.totalLength])
            switch ip.protocolNumber {
            case .icmp: _ = try ICMPMessage(parsing: data)
            case .udp: _ = try UDPHeader(parsing: data, source: ip.source, destination: ip.destination)
            case .igmp: _ = try IGMPMessage(parsing: data)
            default: break
            }
        default:
            break
        }
    }
}
