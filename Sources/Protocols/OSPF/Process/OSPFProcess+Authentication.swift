import Engine
import Fabric
import Wire

/// Why a received packet failed authentication (RFC 2328 §8.2, D.1–D.3). The descriptions are IOS's
/// `debug ip ospf adj` reasons, printed after "OSPF: Rcv pkt from 10.0.12.2, GigabitEthernet0/0 : ".
public enum OSPFAuthenticationDrop: Hashable, Sendable, CustomStringConvertible {
    /// The packet's AuType is not the interface's.
    case typeMismatch(received: UInt16, configured: UInt16)
    /// AuType 1 with another password.
    case simplePasswordMismatch
    /// AuType 2 naming a key ID the interface has no key for.
    case noMessageDigestKey(UInt8)
    /// AuType 2 whose digest is not the one our key gives.
    case messageDigestMismatch(UInt8)
    /// AuType 2 whose cryptographic sequence number is below the last one accepted from the neighbor (D.3).
    case sequenceNumberDecreased(received: UInt32, last: UInt32)

    public var description: String {
        switch self {
        case let .typeMismatch(r, c): "Mismatch Authentication type. Input packet specified type \(r), we use type \(c)"
        case .simplePasswordMismatch: "Mismatch Authentication Key - Clear Text"
        case let .noMessageDigestKey(id): "Mismatch Authentication Key - No message digest key \(id) on interface"
        case let .messageDigestMismatch(id): "Mismatch Authentication Key - Message Digest Key \(id)"
        case let .sequenceNumberDecreased(r, last):
            "Mismatch Authentication Key - Invalid cryptographic sequence number \(r), last \(last)"
        }
    }
}

/// OSPF authentication (RFC 2328 D) on the process's send and receive paths: which type an interface uses
/// (its `ip ospf authentication`, else its area's `area X authentication`, else null), filling in the
/// authentication field (and the MD5 digest) of what it sends, and checking what it receives.
extension OSPFProcess {
    /// The interface's authentication type: the interface's setting overrides the area's, as on IOS.
    func authenticationMode(_ i: Int) -> OSPFAuthenticationMode {
        interfaceSettings[interfaceNames[i]]?.authentication
            ?? settings.area(flooding.interfaces[i].areaID).authentication ?? .null
    }

    /// The interface's MD5 keys by key ID.
    func messageDigestKeys(_ i: Int) -> [UInt8: String] { interfaceSettings[interfaceNames[i]]?.messageDigestKeys ?? [:] }

    /// The key IOS sends with: the youngest (here the highest key ID, IOS's order of configuration not being kept).
    func youngestKeyID(_ i: Int) -> UInt8? { messageDigestKeys(i).keys.max() }

    /// The 64-bit field of a simple password: the key's first 8 bytes, zero-padded (RFC 2328 D.2).
    static func simplePasswordField(_ key: String?) -> UInt64 {
        let bytes = Array((key ?? "").utf8.prefix(8))
        return (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64($1 < bytes.count ? bytes[$1] : 0) }
    }

    /// The bytes of a packet sent on interface `i`, with its authentication: the password (type 1), or the key
    /// ID, sequence number and MD5 digest of the youngest key (type 2). The sequence number is the virtual time
    /// in seconds, so it never decreases (RFC 2328 D.3).
    func authenticatedBytes(_ body: OSPFPacketBody, interface i: Int, now: SimTime) -> [UInt8] {
        var packet = OSPFPacket(routerID: routerID, areaID: flooding.interfaces[i].areaID.address, body: body)
        var key: [UInt8]?
        switch authenticationMode(i) {
        case .null:
            break
        case .simplePassword:
            packet.authenticationType = 1
            packet.authentication = Self.simplePasswordField(interfaceSettings[interfaceNames[i]]?.authenticationKey)
        case .messageDigest:
            let id = youngestKeyID(i) ?? 0
            packet.authenticationType = OSPFPacket.cryptographicAuthentication
            packet.authentication = OSPFPacket.cryptographicField(
                keyID: id, sequenceNumber: UInt32(truncatingIfNeeded: now.nanoseconds / 1_000_000_000))
            key = Array((messageDigestKeys(i)[id] ?? "").utf8)
        }
        var bytes = [UInt8](repeating: 0, count: packet.encodedLength)
        bytes.withUnsafeMutableBytes { packet.emit(into: $0, md5Key: key) }
        return bytes
    }

    /// RFC 2328 §8.2 / D: whether a packet received on interface `i` passes authentication; nil if it does.
    /// A type 2 packet that passes moves the neighbor's last sequence number on.
    func checkAuthentication(_ packet: OSPFPacket, _ datagram: ReceivedDatagram, interface i: Int) -> OSPFAuthenticationDrop? {
        let mode = authenticationMode(i)
        guard packet.authenticationType == mode.auType else {
            return .typeMismatch(received: packet.authenticationType, configured: mode.auType)
        }
        switch mode {
        case .null:
            return nil
        case .simplePassword:
            let ours = Self.simplePasswordField(interfaceSettings[interfaceNames[i]]?.authenticationKey)
            return packet.authentication == ours ? nil : .simplePasswordMismatch
        case .messageDigest:
            let id = packet.keyID
            guard let key = messageDigestKeys(i)[id] else { return .noMessageDigestKey(id) }
            let valid = datagram.payload.withUnsafeBytes { OSPFPacket.verifyMD5($0, key: Array(key.utf8)) }
            guard valid else { return .messageDigestMismatch(id) }
            let neighbor = NeighborKey(interface: i, neighborID: packet.routerID)
            let sequence = packet.cryptographicSequenceNumber
            if let last = cryptographicSequenceNumbers[neighbor], sequence < last {
                return .sequenceNumberDecreased(received: sequence, last: last)
            }
            cryptographicSequenceNumbers[neighbor] = sequence
            return nil
        }
    }

    /// IOS `debug ip ospf adj`: "OSPF: Rcv pkt from 10.0.12.2, GigabitEthernet0/0 : Mismatch Authentication
    /// type. Input packet specified type 0, we use type 2" (the type line as the Cisco IOS Cookbook and Cisco's
    /// FTD OSPF MD5 note print it).
    func debugAuthenticationDrop(_ drop: OSPFAuthenticationDrop, _ datagram: ReceivedDatagram, interface i: Int,
                                 _ context: ControlPlaneContext) {
        let node = context.node.id, network = context.network
        guard network.isDebugging(node, .ospfAdj) else { return }
        network.debug(node, .ospfAdj, "OSPF: Rcv pkt from \(datagram.header.source), \(interfaceNames[i]) : \(drop)")
    }

    /// `show ip ospf interface`: the authentication lines, as IOS prints them after "Suppress hello".
    func authenticationLines(_ i: Int) -> [String] {
        switch authenticationMode(i) {
        case .null: []
        case .simplePassword: ["  Simple password authentication enabled"]
        case .messageDigest:
            ["  Message digest authentication enabled"]
                + (youngestKeyID(i).map { ["    Youngest key id is \($0)"] } ?? ["    No key configured, using default key id 0"])
        }
    }

    /// `show ip ospf`: the area's authentication line.
    static func areaAuthenticationLine(_ mode: OSPFAuthenticationMode?) -> String {
        switch mode {
        case nil, .null: "        Area has no authentication"
        case .simplePassword: "        Area has simple password authentication"
        case .messageDigest: "        Area has message digest authentication"
        }
    }
}
