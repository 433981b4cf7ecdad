/// OSPF packet types (RFC 2328 A.3.1). Unknown values are kept.
public struct OSPFPacketType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let hello = OSPFPacketType(rawValue: 1)
    public static let databaseDescription = OSPFPacketType(rawValue: 2)
    public static let linkStateRequest = OSPFPacketType(rawValue: 3)
    public static let linkStateUpdate = OSPFPacketType(rawValue: 4)
    public static let linkStateAcknowledgment = OSPFPacketType(rawValue: 5)

    public var description: String {
        switch self {
        case .hello: "Hello"
        case .databaseDescription: "DBD"
        case .linkStateRequest: "LS Req"
        case .linkStateUpdate: "LS Upd"
        case .linkStateAcknowledgment: "LS Ack"
        default: "type \(rawValue)"
        }
    }
}

/// A Hello packet's body (RFC 2328 A.3.2).
public struct OSPFHello: Hashable, Sendable {
    public var networkMask: IPv4Address
    public var helloInterval: UInt16
    public var options: OSPFOptions
    public var routerPriority: UInt8
    public var routerDeadInterval: UInt32
    public var designatedRouter: IPv4Address
    public var backupDesignatedRouter: IPv4Address
    /// Router IDs of the neighbors heard from within RouterDeadInterval.
    public var neighbors: [IPv4Address]

    public init(networkMask: IPv4Address, helloInterval: UInt16, options: OSPFOptions, routerPriority: UInt8,
                routerDeadInterval: UInt32, designatedRouter: IPv4Address, backupDesignatedRouter: IPv4Address,
                neighbors: [IPv4Address]) {
        self.networkMask = networkMask
        self.helloInterval = helloInterval
        self.options = options
        self.routerPriority = routerPriority
        self.routerDeadInterval = routerDeadInterval
        self.designatedRouter = designatedRouter
        self.backupDesignatedRouter = backupDesignatedRouter
        self.neighbors = neighbors
    }
}

/// A Database Description packet's body (RFC 2328 A.3.3).
public struct OSPFDatabaseDescription: Hashable, Sendable {
    public struct Flags: OptionSet, Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Init: the first packet of the exchange.
        public static let i = Flags(rawValue: 0x04)
        /// More: more packets follow.
        public static let m = Flags(rawValue: 0x02)
        /// Master/slave: set by the master.
        public static let ms = Flags(rawValue: 0x01)
    }

    public var interfaceMTU: UInt16
    public var options: OSPFOptions
    public var flags: Flags
    public var sequenceNumber: UInt32
    public var headers: [LSAHeader]

    public init(interfaceMTU: UInt16, options: OSPFOptions, flags: Flags, sequenceNumber: UInt32, headers: [LSAHeader]) {
        self.interfaceMTU = interfaceMTU
        self.options = options
        self.flags = flags
        self.sequenceNumber = sequenceNumber
        self.headers = headers
    }
}

/// One entry of a Link State Request packet (RFC 2328 A.3.4).
public struct LSARequest: Hashable, Sendable {
    public var type: LSAType
    public var linkStateID: IPv4Address
    public var advertisingRouter: IPv4Address

    public init(type: LSAType, linkStateID: IPv4Address, advertisingRouter: IPv4Address) {
        self.type = type
        self.linkStateID = linkStateID
        self.advertisingRouter = advertisingRouter
    }
}

/// What follows the OSPF header, by packet type.
public enum OSPFPacketBody: Hashable, Sendable {
    case hello(OSPFHello)
    case databaseDescription(OSPFDatabaseDescription)
    case linkStateRequest([LSARequest])
    case linkStateUpdate([LSA])
    case linkStateAcknowledgment([LSAHeader])
}

/// An OSPFv2 packet (RFC 2328 A.3.1): the common header and a body. Length and checksum are computed
/// on emit and verified on parse. All three authentication types of RFC 2328 D are carried: null (0), simple
/// password (1) and cryptographic (2), whose MD5 digest follows the packet (D.3) and whose packets carry no
/// checksum.
public struct OSPFPacket: Hashable, Sendable {
    public var routerID: IPv4Address
    public var areaID: IPv4Address
    public var authenticationType: UInt16
    /// The 64-bit authentication field: zero for type 0, the password for type 1, and for type 2 (D.3)
    /// zero (16 bits), the key ID, the authentication data length and the cryptographic sequence number.
    public var authentication: UInt64
    public var body: OSPFPacketBody
    /// Type 2: the digest that followed the packet as parsed (its length is the header's authentication data
    /// length). Emitting writes the digest computed with the key `emit(into:md5Key:)` is given, else this.
    public var messageDigest: [UInt8] = []

    /// RFC 2328 D.3: AuType 2 and its MD5 digest length.
    public static let cryptographicAuthentication: UInt16 = 2
    public static let md5DigestLength = 16

    /// The authentication field of a type 2 packet: key ID, data length 16, sequence number.
    public static func cryptographicField(keyID: UInt8, sequenceNumber: UInt32) -> UInt64 {
        UInt64(keyID) << 40 | UInt64(md5DigestLength) << 32 | UInt64(sequenceNumber)
    }

    /// Type 2: the key ID the sender used.
    public var keyID: UInt8 { UInt8(truncatingIfNeeded: authentication >> 40) }
    /// Type 2: the authentication data length (the digest's, 16 for MD5).
    public var authenticationDataLength: UInt8 { UInt8(truncatingIfNeeded: authentication >> 32) }
    /// Type 2: the non-decreasing cryptographic sequence number.
    public var cryptographicSequenceNumber: UInt32 { UInt32(truncatingIfNeeded: authentication) }

    /// RFC 2328 D.3: the digest is MD5 over the packet (its `length` bytes, authentication field included)
    /// followed by the key, zero-padded (or cut) to 16 bytes.
    public static func md5Digest(packet bytes: UnsafeRawBufferPointer, key: [UInt8]) -> [UInt8] {
        var md5 = MD5()
        md5.update(bytes)
        var padded = [UInt8](key.prefix(16))
        padded += [UInt8](repeating: 0, count: 16 - padded.count)
        md5.update(padded)
        return md5.finalize()
    }

    /// Checks a received type 2 packet's digest against `key`: `bytes` is the IP payload as received.
    public static func verifyMD5(_ bytes: UnsafeRawBufferPointer, key: [UInt8]) -> Bool {
        guard bytes.count >= headerLength else { return false }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard length >= headerLength, bytes.count >= length + md5DigestLength else { return false }
        let digest = md5Digest(packet: UnsafeRawBufferPointer(rebasing: bytes[0..<length]), key: key)
        return digest.elementsEqual(bytes[length..<length + md5DigestLength])
    }

    public static let headerLength = 24
    /// IP protocol number 89 (RFC 2328 A.1).
    public static let ipProtocol: UInt8 = 89
    /// AllSPFRouters and AllDRouters (RFC 2328 A.1).
    public static let allSPFRouters = IPv4Address(224, 0, 0, 5)
    public static let allDRouters = IPv4Address(224, 0, 0, 6)

    public init(routerID: IPv4Address, areaID: IPv4Address, authenticationType: UInt16 = 0, authentication: UInt64 = 0,
                body: OSPFPacketBody) {
        self.routerID = routerID
        self.areaID = areaID
        self.authenticationType = authenticationType
        self.authentication = authentication
        self.body = body
    }

    public var type: OSPFPacketType {
        switch body {
        case .hello: .hello
        case .databaseDescription: .databaseDescription
        case .linkStateRequest: .linkStateRequest
        case .linkStateUpdate: .linkStateUpdate
        case .linkStateAcknowledgment: .linkStateAcknowledgment
        }
    }

    /// The packet's length as its header gives it: without the type 2 digest.
    public var packetLength: Int {
        Self.headerLength + {
            switch body {
            case let .hello(h): 20 + 4 * h.neighbors.count
            case let .databaseDescription(d): 8 + LSAHeader.encodedLength * d.headers.count
            case let .linkStateRequest(r): 12 * r.count
            case let .linkStateUpdate(lsas): 4 + lsas.reduce(0) { $0 + $1.encodedLength }
            case let .linkStateAcknowledgment(h): LSAHeader.encodedLength * h.count
            }
        }()
    }

    /// The bytes `emit` writes: the packet and, for type 2, the digest after it.
    public var encodedLength: Int {
        packetLength + (authenticationType == Self.cryptographicAuthentication ? Self.md5DigestLength : 0)
    }

    /// Parses an OSPF packet from the IP payload. Bytes after the length the header gives (IP padding)
    /// are ignored, as RFC 2328 §8.2 allows.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        let reader = ByteReader(bytes)
        try reader.require(Self.headerLength)
        guard reader.u8(0) == 2 else { throw .unsupportedVersion(reader.u8(0)) }
        let length = Int(reader.u16(2))
        guard length >= Self.headerLength else { throw .malformed("OSPF length \(length) below the 24-byte header") }
        try reader.require(length)
        routerID = reader.ipv4(4)
        areaID = reader.ipv4(8)
        authenticationType = reader.u16(14)
        authentication = UInt64(reader.u32(16)) << 32 | UInt64(reader.u32(20))
        // RFC 2328 D.4.3: with cryptographic authentication the checksum is not computed; the digest follows.
        if authenticationType == Self.cryptographicAuthentication {
            // D.3: the only algorithm is keyed MD5, whose digest is 16 bytes (the length emitting writes).
            let dataLength = Int(reader.u8(19))
            guard dataLength == Self.md5DigestLength else {
                throw .malformed("cryptographic authentication data length \(dataLength), not \(Self.md5DigestLength) (MD5)")
            }
            try reader.require(length + dataLength)
            messageDigest = [UInt8](bytes[length..<length + dataLength])
        } else {
            let sum = InternetChecksum.sum(reader.slice(0..<16), initial: InternetChecksum.sum(reader.slice(24..<length)))
            guard InternetChecksum.fold(sum) == 0xFFFF else { throw .badChecksum }
        }
        let start = Self.headerLength
        switch OSPFPacketType(rawValue: reader.u8(1)) {
        case .hello:
            try reader.require(start + 20)
            guard (length - start - 20) % 4 == 0 else { throw .malformed("hello of \(length) bytes") }
            body = .hello(OSPFHello(networkMask: reader.ipv4(start), helloInterval: reader.u16(start + 4),
                                    options: OSPFOptions(rawValue: reader.u8(start + 6)), routerPriority: reader.u8(start + 7),
                                    routerDeadInterval: reader.u32(start + 8), designatedRouter: reader.ipv4(start + 12),
                                    backupDesignatedRouter: reader.ipv4(start + 16),
                                    neighbors: stride(from: start + 20, to: length, by: 4).map { reader.ipv4($0) }))
        case .databaseDescription:
            try reader.require(start + 8)
            guard (length - start - 8) % LSAHeader.encodedLength == 0 else { throw .malformed("database description of \(length) bytes") }
            var headers: [LSAHeader] = []
            for offset in stride(from: start + 8, to: length, by: LSAHeader.encodedLength) {
                headers.append(try LSAHeader(parsing: reader.slice(offset..<offset + LSAHeader.encodedLength)))
            }
            body = .databaseDescription(OSPFDatabaseDescription(
                interfaceMTU: reader.u16(start), options: OSPFOptions(rawValue: reader.u8(start + 2)),
                flags: .init(rawValue: reader.u8(start + 3) & 0x07), sequenceNumber: reader.u32(start + 4), headers: headers))
        case .linkStateRequest:
            guard (length - start) % 12 == 0 else { throw .malformed("link state request of \(length) bytes") }
            var requests: [LSARequest] = []
            for offset in stride(from: start, to: length, by: 12) {
                let type = reader.u32(offset)
                guard type <= 0xFF else { throw .malformed("LS type \(type) in a request") }
                requests.append(LSARequest(type: LSAType(rawValue: UInt8(type)), linkStateID: reader.ipv4(offset + 4),
                                           advertisingRouter: reader.ipv4(offset + 8)))
            }
            body = .linkStateRequest(requests)
        case .linkStateUpdate:
            try reader.require(start + 4)
            let count = Int(reader.u32(start))
            var lsas: [LSA] = []
            var offset = start + 4
            for _ in 0..<min(count, (length - offset) / LSAHeader.encodedLength + 1) {
                guard offset + LSAHeader.encodedLength <= length else { throw .truncated(need: offset + LSAHeader.encodedLength, have: length) }
                let lsaLength = Int(reader.u16(offset + 18))
                guard lsaLength >= LSAHeader.encodedLength, offset + lsaLength <= length else {
                    throw .malformed("LSA length \(lsaLength) at offset \(offset) of a \(length)-byte update")
                }
                lsas.append(try LSA(parsing: reader.slice(offset..<offset + lsaLength)))
                offset += lsaLength
            }
            guard lsas.count == count else { throw .malformed("update announces \(count) LSAs, holds \(lsas.count)") }
            body = .linkStateUpdate(lsas)
        case .linkStateAcknowledgment:
            guard (length - start) % LSAHeader.encodedLength == 0 else { throw .malformed("acknowledgment of \(length) bytes") }
            var headers: [LSAHeader] = []
            for offset in stride(from: start, to: length, by: LSAHeader.encodedLength) {
                headers.append(try LSAHeader(parsing: reader.slice(offset..<offset + LSAHeader.encodedLength)))
            }
            body = .linkStateAcknowledgment(headers)
        case let other:
            throw .malformed("unknown OSPF packet type \(other.rawValue)")
        }
    }

    /// Writes the packet (`encodedLength` bytes) at the start of `buffer`, computing length and checksum, and
    /// for type 2 the digest: with `md5Key` (RFC 2328 D.4.3), else the stored `messageDigest`.
    public func emit(into buffer: UnsafeMutableRawBufferPointer, md5Key: [UInt8]? = nil) {
        let length = packetLength
        let writer = ByteWriter(buffer, length: length)
        writer.u8(0, 2)
        writer.u8(1, type.rawValue)
        writer.u16(2, UInt16(length))
        writer.ipv4(4, routerID)
        writer.ipv4(8, areaID)
        writer.u16(12, 0)
        writer.u16(14, authenticationType)
        writer.u32(16, 0)
        writer.u32(20, 0)
        let start = Self.headerLength
        switch body {
        case let .hello(h):
            writer.ipv4(start, h.networkMask)
            writer.u16(start + 4, h.helloInterval)
            writer.u8(start + 6, h.options.rawValue)
            writer.u8(start + 7, h.routerPriority)
            writer.u32(start + 8, h.routerDeadInterval)
            writer.ipv4(start + 12, h.designatedRouter)
            writer.ipv4(start + 16, h.backupDesignatedRouter)
            for (i, n) in h.neighbors.enumerated() { writer.ipv4(start + 20 + 4 * i, n) }
        case let .databaseDescription(d):
            writer.u16(start, d.interfaceMTU)
            writer.u8(start + 2, d.options.rawValue)
            writer.u8(start + 3, d.flags.rawValue)
            writer.u32(start + 4, d.sequenceNumber)
            for (i, h) in d.headers.enumerated() {
                let offset = start + 8 + LSAHeader.encodedLength * i
                h.emit(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + LSAHeader.encodedLength]))
            }
        case let .linkStateRequest(requests):
            for (i, r) in requests.enumerated() {
                writer.u32(start + 12 * i, UInt32(r.type.rawValue))
                writer.ipv4(start + 12 * i + 4, r.linkStateID)
                writer.ipv4(start + 12 * i + 8, r.advertisingRouter)
            }
        case let .linkStateUpdate(lsas):
            writer.u32(start, UInt32(lsas.count))
            var offset = start + 4
            for lsa in lsas {
                let n = lsa.encodedLength
                lsa.emit(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + n]))
                offset += n
            }
        case let .linkStateAcknowledgment(headers):
            for (i, h) in headers.enumerated() {
                let offset = start + LSAHeader.encodedLength * i
                h.emit(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + LSAHeader.encodedLength]))
            }
        }
        // RFC 2328 A.3.1: the checksum excludes the 64-bit authentication field, written after it.
        writer.u16(12, InternetChecksum.checksum(writer.slice(0..<length)))
        writer.u32(16, UInt32(truncatingIfNeeded: authentication >> 32))
        writer.u32(20, UInt32(truncatingIfNeeded: authentication))
        guard authenticationType == Self.cryptographicAuthentication else { return }
        writer.u16(12, 0)
        let digest = md5Key.map { Self.md5Digest(packet: UnsafeRawBufferPointer(rebasing: buffer[0..<length]), key: $0) }
            ?? messageDigest
        for i in 0..<Self.md5DigestLength { buffer[length + i] = i < digest.count ? digest[i] : 0 }
    }
}
