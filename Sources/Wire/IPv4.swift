/// Values of the IPv4 Protocol field (RFC 791 §3.1; IANA "Protocol Numbers"). Unknown values are kept.
public struct IPProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let icmp = IPProtocol(rawValue: 1)
    public static let igmp = IPProtocol(rawValue: 2)
    public static let tcp = IPProtocol(rawValue: 6)
    public static let udp = IPProtocol(rawValue: 17)
    public static let ospf = IPProtocol(rawValue: 89)
    public static let pim = IPProtocol(rawValue: 103)

    public var description: String {
        switch self {
        case .icmp: "ICMP"
        case .igmp: "IGMP"
        case .tcp: "TCP"
        case .udp: "UDP"
        case .ospf: "OSPF"
        case .pim: "PIM"
        default: "proto \(rawValue)"
        }
    }
}

/// One IPv4 option (RFC 791 §3.1 "Options"; Router Alert RFC 2113).
public enum IPv4Option: Hashable, Sendable {
    /// Type 0. Parsing stops here and does not report it; emitting writes the single byte.
    case endOfOptionList
    /// Type 1, a single byte.
    case noOperation
    /// Type 148 (0x94), length 4; value 0 means "every router examines the packet" (RFC 2113 §2.1).
    case routerAlert(value: UInt16)
    /// Any other option: type byte (copied flag, class, number), then length = 2 + data.count, then data.
    /// `type` is not 0, 1 or 148 (those have their own cases), and `data` is at most 38 bytes.
    case other(type: UInt8, data: [UInt8])

    public static let routerAlertType: UInt8 = 0x94

    /// Bytes this option takes in the header, before padding.
    @inlinable public var encodedLength: Int {
        switch self {
        case .endOfOptionList, .noOperation: 1
        case .routerAlert: 4
        case .other(_, let data): 2 + data.count
        }
    }
}

/// An IPv4 header (RFC 791 §3.1). Total length, IHL and the header checksum are computed by `emit` and
/// checked by `init(parsing:)`.
public struct IPv4Header: Hashable, Sendable {
    /// The former Type of Service octet: DSCP << 2 | ECN (RFC 2474, RFC 3168).
    public var tos: UInt8
    public var identification: UInt16
    public var dontFragment: Bool
    public var moreFragments: Bool
    /// In 8-byte units, 0...8191.
    public var fragmentOffset: UInt16
    public var ttl: UInt8
    public var protocolNumber: IPProtocol
    public var source: IPv4Address
    public var destination: IPv4Address
    /// Emitted in order and padded with zeros to a 4-byte multiple; at most 40 bytes in all.
    public var options: [IPv4Option]
    /// Total length − header length.
    public var payloadLength: Int

    public static let minimumLength = 20
    public static let maximumLength = 60

    @inlinable
    public init(
        tos: UInt8 = 0, identification: UInt16 = 0, dontFragment: Bool = false, moreFragments: Bool = false,
        fragmentOffset: UInt16 = 0, ttl: UInt8 = 255, protocolNumber: IPProtocol,
        source: IPv4Address, destination: IPv4Address, options: [IPv4Option] = [], payloadLength: Int
    ) {
        precondition(fragmentOffset <= 0x1FFF, "fragment offset \(fragmentOffset) does not fit 13 bits")
        self.tos = tos
        self.identification = identification
        self.dontFragment = dontFragment
        self.moreFragments = moreFragments
        self.fragmentOffset = fragmentOffset
        self.ttl = ttl
        self.protocolNumber = protocolNumber
        self.source = source
        self.destination = destination
        self.options = options
        self.payloadLength = payloadLength
    }

    /// Differentiated Services codepoint, the upper six bits of `tos` (RFC 2474 §3).
    @inlinable public var dscp: UInt8 {
        get { tos >> 2 }
        set { tos = (newValue & 0x3F) << 2 | (tos & 0x03) }
    }

    /// IP precedence, the upper three bits of `tos` (RFC 791; IOS `set ip precedence`).
    @inlinable public var precedence: UInt8 {
        get { tos >> 5 }
        set { tos = (newValue & 0x07) << 5 | (tos & 0x1F) }
    }

    /// Explicit Congestion Notification, the low two bits of `tos` (RFC 3168 §5).
    @inlinable public var ecn: UInt8 {
        get { tos & 0x03 }
        set { tos = (tos & 0xFC) | (newValue & 0x03) }
    }

    /// True for any fragment but an unfragmented datagram's only piece.
    @inlinable public var isFragment: Bool { moreFragments || fragmentOffset != 0 }

    /// IHL × 4: 20 plus the options padded to a 4-byte multiple.
    @inlinable public var headerLength: Int {
        if options.isEmpty { return Self.minimumLength }
        var length = 0
        for option in options { length += option.encodedLength }
        return Self.minimumLength + (length + 3) & ~3
    }

    @inlinable public var encodedLength: Int { headerLength }

    /// Header plus payload: the Total Length field.
    @inlinable public var totalLength: Int { headerLength + payloadLength }

    /// Parses the header at the start of `bytes`, which holds the whole datagram (trailing Ethernet padding
    /// beyond Total Length is allowed). Checks version 4, IHL ≥ 5, IHL × 4 ≤ Total Length ≤ bytes, the header
    /// checksum and the options' lengths.
    @inlinable
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        let reader = ByteReader(bytes)
        try reader.require(Self.minimumLength)
        let versionAndIHL = reader.u8(0)
        guard versionAndIHL >> 4 == 4 else { throw .unsupportedVersion(versionAndIHL >> 4) }
        let headerLength = Int(versionAndIHL & 0x0F) * 4
        guard headerLength >= Self.minimumLength else { throw Self.badIHL(versionAndIHL & 0x0F) }
        try reader.require(headerLength)
        let totalLength = Int(reader.u16(2))
        guard totalLength >= headerLength else { throw Self.badTotalLength(totalLength, headerLength) }
        try reader.require(totalLength)
        guard InternetChecksum.checksum(reader.slice(0..<headerLength)) == 0 else { throw .badChecksum }

        tos = reader.u8(1)
        identification = reader.u16(4)
        let flagsAndOffset = reader.u16(6)
        // RFC 791: bit 0 of the flags is reserved; it is not kept.
        dontFragment = flagsAndOffset & 0x4000 != 0
        moreFragments = flagsAndOffset & 0x2000 != 0
        fragmentOffset = flagsAndOffset & 0x1FFF
        ttl = reader.u8(8)
        protocolNumber = IPProtocol(rawValue: reader.u8(9))
        source = reader.ipv4(12)
        destination = reader.ipv4(16)
        options = headerLength == Self.minimumLength ? [] : try Self.parseOptions(reader.slice(20..<headerLength))
        payloadLength = totalLength - headerLength
    }

    @usableFromInline static func badIHL(_ ihl: UInt8) -> WireError { .malformed("IHL \(ihl) below 5") }

    @usableFromInline static func badTotalLength(_ total: Int, _ header: Int) -> WireError {
        .malformed("total length \(total) below header length \(header)")
    }

    /// Options in the order sent, stopping at End of Option List (RFC 791: the rest is padding).
    @usableFromInline
    static func parseOptions(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> [IPv4Option] {
        let reader = ByteReader(bytes)
        var options: [IPv4Option] = []
        var offset = 0
        while offset < reader.count {
            let type = reader.u8(offset)
            switch type {
            case 0:
                return options
            case 1:
                options.append(.noOperation)
                offset += 1
                continue
            default:
                break
            }
            guard offset + 2 <= reader.count else { throw .malformed("option \(type) has no length byte") }
            let length = Int(reader.u8(offset + 1))
            guard length >= 2, offset + length <= reader.count else {
                throw .malformed("option \(type) length \(length) does not fit the header")
            }
            if type == IPv4Option.routerAlertType {
                guard length == 4 else { throw .malformed("Router Alert length \(length), not 4") }
                options.append(.routerAlert(value: reader.u16(offset + 2)))
            } else {
                options.append(.other(type: type, data: reader.array(offset + 2..<offset + length)))
            }
            offset += length
        }
        return options
    }

    /// Writes the header (`headerLength` bytes) at the start of `buffer`, with Total Length = headerLength +
    /// payloadLength and the header checksum computed. The payload is not touched.
    @inlinable
    public func emit(into buffer: UnsafeMutableRawBufferPointer) {
        let headerLength = self.headerLength
        precondition(headerLength <= Self.maximumLength, "IPv4 options take \(headerLength - 20) bytes, over 40")
        precondition(payloadLength >= 0 && headerLength + payloadLength <= 0xFFFF,
                     "IPv4 total length \(headerLength + payloadLength) out of range")
        let writer = ByteWriter(buffer, length: headerLength)
        writer.u8(0, 0x40 | UInt8(headerLength / 4))
        writer.u8(1, tos)
        writer.u16(2, UInt16(headerLength + payloadLength))
        writer.u16(4, identification)
        writer.u16(6, (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset & 0x1FFF))
        writer.u8(8, ttl)
        writer.u8(9, protocolNumber.rawValue)
        writer.u16(10, 0)
        writer.ipv4(12, source)
        writer.ipv4(16, destination)
        if !options.isEmpty { emitOptions(writer, headerLength: headerLength) }
        writer.u16(10, InternetChecksum.checksum(writer.slice(0..<headerLength)))
    }

    @usableFromInline
    func emitOptions(_ writer: ByteWriter, headerLength: Int) {
        var offset = Self.minimumLength
        for option in options {
            switch option {
            case .endOfOptionList:
                writer.u8(offset, 0)
            case .noOperation:
                writer.u8(offset, 1)
            case .routerAlert(let value):
                writer.u8(offset, IPv4Option.routerAlertType)
                writer.u8(offset + 1, 4)
                writer.u16(offset + 2, value)
            case .other(let type, let data):
                precondition(type > 1 && data.count <= 38, "IPv4 option type \(type) with \(data.count) data bytes")
                writer.u8(offset, type)
                writer.u8(offset + 1, UInt8(2 + data.count))
                writer.copy(offset + 2, data)
            }
            offset += option.encodedLength
        }
        writer.fill(offset..<headerLength, with: 0)
    }
}
