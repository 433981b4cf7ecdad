/// LS type values (RFC 2328 A.4.1; type 7 from RFC 3101 §2.1). Unknown values are kept.
public struct LSAType: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let router = LSAType(rawValue: 1)
    public static let network = LSAType(rawValue: 2)
    public static let summaryNetwork = LSAType(rawValue: 3)
    public static let summaryASBR = LSAType(rawValue: 4)
    public static let asExternal = LSAType(rawValue: 5)
    public static let nssaExternal = LSAType(rawValue: 7)

    public static func < (a: LSAType, b: LSAType) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .router: "Router"
        case .network: "Network"
        case .summaryNetwork: "Summary Net"
        case .summaryASBR: "Summary ASB"
        case .asExternal: "Type-5 AS External"
        case .nssaExternal: "Type-7 AS External"
        default: "type \(rawValue)"
        }
    }
}

/// The Options field of hellos, database descriptions and LSAs (RFC 2328 A.2; the N/P bit of RFC 3101 §2.3).
public struct OSPFOptions: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// DN (RFC 4576): down bit, kept as received.
    public static let dn = OSPFOptions(rawValue: 0x80)
    public static let o = OSPFOptions(rawValue: 0x40)
    public static let dc = OSPFOptions(rawValue: 0x20)
    public static let ea = OSPFOptions(rawValue: 0x10)
    /// N in hellos (the interface is in an NSSA), P in type-7 LSAs (translate to type 5).
    public static let np = OSPFOptions(rawValue: 0x08)
    public static let mc = OSPFOptions(rawValue: 0x04)
    /// External routing capability: clear in stub areas and NSSAs (RFC 2328 §10.5).
    public static let e = OSPFOptions(rawValue: 0x02)
    public static let mt = OSPFOptions(rawValue: 0x01)
}

/// The 20-byte header that names an LSA instance (RFC 2328 A.4.1). Database descriptions, requests
/// and acknowledgements carry headers alone, so here the checksum and length are data, as received.
public struct LSAHeader: Hashable, Sendable {
    public var age: UInt16
    public var options: OSPFOptions
    public var type: LSAType
    public var linkStateID: IPv4Address
    public var advertisingRouter: IPv4Address
    /// A signed 32-bit number (RFC 2328 §12.1.6): InitialSequenceNumber 0x80000001 is the lowest used.
    public var sequenceNumber: Int32
    public var checksum: UInt16
    public var length: UInt16

    public static let encodedLength = 20
    /// RFC 2328 B: MaxAge, one hour.
    public static let maxAge: UInt16 = 3600
    public static let initialSequenceNumber = Int32(bitPattern: 0x8000_0001)
    public static let maxSequenceNumber = Int32(0x7FFF_FFFF)

    public init(age: UInt16, options: OSPFOptions, type: LSAType, linkStateID: IPv4Address, advertisingRouter: IPv4Address,
                sequenceNumber: Int32, checksum: UInt16, length: UInt16) {
        self.age = age
        self.options = options
        self.type = type
        self.linkStateID = linkStateID
        self.advertisingRouter = advertisingRouter
        self.sequenceNumber = sequenceNumber
        self.checksum = checksum
        self.length = length
    }

    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        let reader = ByteReader(bytes)
        try reader.require(Self.encodedLength)
        age = reader.u16(0)
        options = OSPFOptions(rawValue: reader.u8(2))
        type = LSAType(rawValue: reader.u8(3))
        linkStateID = reader.ipv4(4)
        advertisingRouter = reader.ipv4(8)
        sequenceNumber = Int32(bitPattern: reader.u32(12))
        checksum = reader.u16(16)
        length = reader.u16(18)
    }

    @inlinable
    public func emit(into buffer: UnsafeMutableRawBufferPointer) {
        let writer = ByteWriter(buffer, length: Self.encodedLength)
        writer.u16(0, age)
        writer.u8(2, options.rawValue)
        writer.u8(3, type.rawValue)
        writer.ipv4(4, linkStateID)
        writer.ipv4(8, advertisingRouter)
        writer.u32(12, UInt32(bitPattern: sequenceNumber))
        writer.u16(16, checksum)
        writer.u16(18, length)
    }
}

/// Link types in a router-LSA (RFC 2328 A.4.2). Unknown values are kept.
public struct RouterLinkType: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let pointToPoint = RouterLinkType(rawValue: 1)
    public static let transit = RouterLinkType(rawValue: 2)
    public static let stub = RouterLinkType(rawValue: 3)
    public static let virtual = RouterLinkType(rawValue: 4)
}

/// A router-LSA's body (RFC 2328 A.4.2): the V, E and B bits (and RFC 3101's Nt), then its links.
public struct RouterLSA: Hashable, Sendable {
    /// One link; TOS-specific metrics (RFC 2328 A.4.2, unused since RFC 1583) are kept as raw words.
    public struct Link: Hashable, Sendable {
        public var linkID: IPv4Address
        public var linkData: IPv4Address
        public var type: RouterLinkType
        public var metric: UInt16
        public var tosMetrics: [UInt32]

        public init(linkID: IPv4Address, linkData: IPv4Address, type: RouterLinkType, metric: UInt16, tosMetrics: [UInt32] = []) {
            self.linkID = linkID
            self.linkData = linkData
            self.type = type
            self.metric = metric
            self.tosMetrics = tosMetrics
        }

        var encodedLength: Int { 12 + 4 * tosMetrics.count }
    }

    public struct Flags: OptionSet, Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// RFC 3101 §2.4 (Nt): an NSSA border router that translates unconditionally.
        public static let nt = Flags(rawValue: 0x10)
        /// Virtual link endpoint.
        public static let v = Flags(rawValue: 0x04)
        /// AS boundary router.
        public static let e = Flags(rawValue: 0x02)
        /// Area border router.
        public static let b = Flags(rawValue: 0x01)
    }

    public var flags: Flags
    public var links: [Link]

    public init(flags: Flags = [], links: [Link]) {
        self.flags = flags
        self.links = links
    }
}

/// A network-LSA's body (RFC 2328 A.4.3), originated by a transit network's designated router.
public struct NetworkLSA: Hashable, Sendable {
    public var networkMask: IPv4Address
    public var attachedRouters: [IPv4Address]

    public init(networkMask: IPv4Address, attachedRouters: [IPv4Address]) {
        self.networkMask = networkMask
        self.attachedRouters = attachedRouters
    }
}

/// A summary-LSA's body, type 3 or 4 (RFC 2328 A.4.4): a mask (zero for type 4) and a 24-bit metric.
public struct SummaryLSA: Hashable, Sendable {
    public var networkMask: IPv4Address
    public var metric: UInt32
    public var tosMetrics: [UInt32]

    /// RFC 2328 B: LSInfinity, a summary that withdraws its route.
    public static let lsInfinity: UInt32 = 0xFF_FFFF

    public init(networkMask: IPv4Address, metric: UInt32, tosMetrics: [UInt32] = []) {
        self.networkMask = networkMask
        self.metric = metric & 0xFF_FFFF
        self.tosMetrics = tosMetrics
    }
}

/// An AS-external-LSA's body, type 5 (RFC 2328 A.4.5) or 7 (RFC 3101 §2.3, the same layout).
public struct ExternalLSA: Hashable, Sendable {
    public var networkMask: IPv4Address
    /// The E bit: a type-2 external metric, larger than any internal path (RFC 2328 §16.4).
    public var isType2: Bool
    public var metric: UInt32
    public var forwardingAddress: IPv4Address
    public var routeTag: UInt32
    /// TOS entries after the first (12 bytes each), kept as received.
    public var tosEntries: [UInt8]

    public init(networkMask: IPv4Address, isType2: Bool, metric: UInt32, forwardingAddress: IPv4Address = .any,
                routeTag: UInt32 = 0, tosEntries: [UInt8] = []) {
        self.networkMask = networkMask
        self.isType2 = isType2
        self.metric = metric & 0xFF_FFFF
        self.forwardingAddress = forwardingAddress
        self.routeTag = routeTag
        self.tosEntries = tosEntries
    }
}

/// What follows an LSA's header, by LS type.
public enum LSABody: Hashable, Sendable {
    case router(RouterLSA)
    case network(NetworkLSA)
    /// Types 3 and 4.
    case summary(SummaryLSA)
    /// Types 5 and 7.
    case external(ExternalLSA)
    /// An LS type this emulator does not model (opaque LSAs, type 6 group membership): its bytes kept.
    case other([UInt8])
}

/// One whole LSA (RFC 2328 A.4): the header fields that identify the instance, and its body. The
/// length and the Fletcher checksum are computed on emit and verified on parse.
public struct LSA: Hashable, Sendable {
    public var age: UInt16
    public var options: OSPFOptions
    public var type: LSAType
    public var linkStateID: IPv4Address
    public var advertisingRouter: IPv4Address
    public var sequenceNumber: Int32
    public var body: LSABody

    public init(age: UInt16 = 0, options: OSPFOptions, type: LSAType, linkStateID: IPv4Address, advertisingRouter: IPv4Address,
                sequenceNumber: Int32, body: LSABody) {
        self.age = age
        self.options = options
        self.type = type
        self.linkStateID = linkStateID
        self.advertisingRouter = advertisingRouter
        self.sequenceNumber = sequenceNumber
        self.body = body
    }

    public var encodedLength: Int {
        LSAHeader.encodedLength + {
            switch body {
            case let .router(r): 4 + r.links.reduce(0) { $0 + $1.encodedLength }
            case let .network(n): 4 + 4 * n.attachedRouters.count
            case let .summary(s): 8 + 4 * s.tosMetrics.count
            case let .external(e): 16 + e.tosEntries.count
            case let .other(bytes): bytes.count
            }
        }()
    }

    /// The header this LSA is announced by (computes the checksum: control plane only).
    public var header: LSAHeader {
        let bytes = self.bytes()
        func u16(_ i: Int) -> UInt16 { UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) }
        return LSAHeader(age: age, options: options, type: type, linkStateID: linkStateID, advertisingRouter: advertisingRouter,
                         sequenceNumber: sequenceNumber, checksum: u16(Fletcher.checksumOffset), length: u16(18))
    }

    /// Parses one LSA occupying all of `bytes` (its length field must say so) and verifies its checksum.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        let header = try LSAHeader(parsing: bytes)
        let length = Int(header.length)
        guard length >= LSAHeader.encodedLength, length % 4 == 0 else { throw .malformed("LSA length \(length)") }
        guard length == bytes.count else { throw .truncated(need: length, have: bytes.count) }
        guard Fletcher.verifies(bytes) else { throw .badChecksum }
        let reader = ByteReader(bytes)
        age = header.age
        options = header.options
        type = header.type
        linkStateID = header.linkStateID
        advertisingRouter = header.advertisingRouter
        sequenceNumber = header.sequenceNumber
        let start = LSAHeader.encodedLength
        switch header.type {
        case .router:
            try reader.require(start + 4)
            let count = Int(reader.u16(start + 2))
            var links: [RouterLSA.Link] = []
            var offset = start + 4
            for _ in 0..<count {
                try reader.require(offset + 12)
                let tosCount = Int(reader.u8(offset + 9))
                try reader.require(offset + 12 + 4 * tosCount)
                links.append(RouterLSA.Link(linkID: reader.ipv4(offset), linkData: reader.ipv4(offset + 4),
                                            type: RouterLinkType(rawValue: reader.u8(offset + 8)), metric: reader.u16(offset + 10),
                                            tosMetrics: (0..<tosCount).map { reader.u32(offset + 12 + 4 * $0) }))
                offset += 12 + 4 * tosCount
            }
            guard offset == length else { throw .malformed("router-LSA of \(length) bytes holds \(count) links in \(offset)") }
            body = .router(RouterLSA(flags: RouterLSA.Flags(rawValue: reader.u8(start)), links: links))
        case .network:
            try reader.require(start + 4)
            body = .network(NetworkLSA(networkMask: reader.ipv4(start),
                                       attachedRouters: stride(from: start + 4, to: length, by: 4).map { reader.ipv4($0) }))
        case .summaryNetwork, .summaryASBR:
            try reader.require(start + 8)
            body = .summary(SummaryLSA(networkMask: reader.ipv4(start), metric: reader.u32(start + 4) & 0xFF_FFFF,
                                       tosMetrics: stride(from: start + 8, to: length, by: 4).map { reader.u32($0) }))
        case .asExternal, .nssaExternal:
            try reader.require(start + 16)
            guard (length - start - 16) % 12 == 0 else { throw .malformed("external LSA of \(length) bytes") }
            let word = reader.u32(start + 4)
            body = .external(ExternalLSA(networkMask: reader.ipv4(start), isType2: word & 0x8000_0000 != 0, metric: word & 0xFF_FFFF,
                                         forwardingAddress: reader.ipv4(start + 8), routeTag: reader.u32(start + 12),
                                         tosEntries: reader.array(start + 16..<length)))
        default:
            body = .other(reader.array(start..<length))
        }
    }

    /// Writes the LSA (`encodedLength` bytes) at the start of `buffer`, computing its length and checksum.
    public func emit(into buffer: UnsafeMutableRawBufferPointer) {
        let length = encodedLength
        let writer = ByteWriter(buffer, length: length)
        LSAHeader(age: age, options: options, type: type, linkStateID: linkStateID, advertisingRouter: advertisingRouter,
                  sequenceNumber: sequenceNumber, checksum: 0, length: UInt16(length)).emit(into: buffer)
        let start = LSAHeader.encodedLength
        switch body {
        case let .router(r):
            writer.u8(start, r.flags.rawValue)
            writer.u8(start + 1, 0)
            writer.u16(start + 2, UInt16(r.links.count))
            var offset = start + 4
            for link in r.links {
                writer.ipv4(offset, link.linkID)
                writer.ipv4(offset + 4, link.linkData)
                writer.u8(offset + 8, link.type.rawValue)
                writer.u8(offset + 9, UInt8(link.tosMetrics.count))
                writer.u16(offset + 10, link.metric)
                for (i, word) in link.tosMetrics.enumerated() { writer.u32(offset + 12 + 4 * i, word) }
                offset += link.encodedLength
            }
        case let .network(n):
            writer.ipv4(start, n.networkMask)
            for (i, router) in n.attachedRouters.enumerated() { writer.ipv4(start + 4 + 4 * i, router) }
        case let .summary(s):
            writer.ipv4(start, s.networkMask)
            writer.u32(start + 4, s.metric & 0xFF_FFFF)
            for (i, word) in s.tosMetrics.enumerated() { writer.u32(start + 8 + 4 * i, word) }
        case let .external(e):
            writer.ipv4(start, e.networkMask)
            writer.u32(start + 4, (e.isType2 ? 0x8000_0000 : 0) | e.metric & 0xFF_FFFF)
            writer.ipv4(start + 8, e.forwardingAddress)
            writer.u32(start + 12, e.routeTag)
            writer.copy(start + 16, e.tosEntries)
        case let .other(bytes):
            writer.copy(start, bytes)
        }
        writer.u16(Fletcher.checksumOffset, Fletcher.lsaChecksum(writer.slice(0..<length)))
    }
}
