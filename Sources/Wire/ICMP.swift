/// Codes of the ICMP Destination Unreachable message (RFC 792; RFC 1812 §5.2.7.1). Unknown values are kept.
public struct ICMPUnreachableCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let net = ICMPUnreachableCode(rawValue: 0)
    public static let host = ICMPUnreachableCode(rawValue: 1)
    public static let `protocol` = ICMPUnreachableCode(rawValue: 2)
    public static let port = ICMPUnreachableCode(rawValue: 3)
    public static let fragmentationNeeded = ICMPUnreachableCode(rawValue: 4)
    /// RFC 1812 §5.2.7.1 "Communication Administratively Prohibited" (IOS prints `!A`).
    public static let administrativelyProhibited = ICMPUnreachableCode(rawValue: 13)

    public var description: String {
        switch self {
        case .net: "net"
        case .host: "host"
        case .protocol: "protocol"
        case .port: "port"
        case .fragmentationNeeded: "fragmentation-needed"
        case .administrativelyProhibited: "admin-prohibited"
        default: "code \(rawValue)"
        }
    }
}

/// An ICMP message (RFC 792). The checksum covers the whole message and is computed on emit, checked on parse.
///
/// A message of a known type whose unused word is not zero (such as RFC 1191's next-hop MTU in a
/// fragmentation-needed message) parses as `.other`, so its bytes survive a round trip.
public enum ICMPMessage: Hashable, Sendable {
    case echoRequest(identifier: UInt16, sequence: UInt16, data: [UInt8])
    case echoReply(identifier: UInt16, sequence: UInt16, data: [UInt8])
    /// `original` is the offending datagram's IP header plus its first 8 data bytes (RFC 792).
    case destinationUnreachable(code: ICMPUnreachableCode, original: [UInt8])
    /// Code 0: TTL exceeded in transit; 1: fragment reassembly time exceeded.
    case timeExceeded(code: UInt8, original: [UInt8])
    /// Any other message: type, code, the 32-bit word after the checksum, and the body after it.
    case other(type: UInt8, code: UInt8, rest: UInt32, body: [UInt8])

    public static let headerLength = 8

    public enum MessageType {
        public static let echoReply: UInt8 = 0
        public static let destinationUnreachable: UInt8 = 3
        public static let echoRequest: UInt8 = 8
        public static let timeExceeded: UInt8 = 11
    }

    /// RFC 1191 §4: fragmentation needed, with the next-hop MTU in the low half of the unused word.
    public static func fragmentationNeeded(nextHopMTU: UInt16, original: [UInt8]) -> ICMPMessage {
        .other(type: MessageType.destinationUnreachable, code: ICMPUnreachableCode.fragmentationNeeded.rawValue,
               rest: UInt32(nextHopMTU), body: original)
    }

    /// What an ICMP error quotes of `datagram` (RFC 792; RFC 1812 §4.3.2.3 allows more, IOS sends this much):
    /// its IP header plus the first 8 bytes of its data.
    public static func quoted(_ datagram: UnsafeRawBufferPointer) -> [UInt8] {
        guard let first = datagram.first else { return [] }
        let headerLength = Int(first & 0x0F) * 4
        return Array(datagram.prefix(headerLength + 8))
    }

    @inlinable public var type: UInt8 {
        switch self {
        case .echoRequest: MessageType.echoRequest
        case .echoReply: MessageType.echoReply
        case .destinationUnreachable: MessageType.destinationUnreachable
        case .timeExceeded: MessageType.timeExceeded
        case .other(let type, _, _, _): type
        }
    }

    @inlinable public var code: UInt8 {
        switch self {
        case .echoRequest, .echoReply: 0
        case .destinationUnreachable(let code, _): code.rawValue
        case .timeExceeded(let code, _): code
        case .other(_, let code, _, _): code
        }
    }

    /// The 32-bit word after the checksum: identifier and sequence, or zero ("unused") for the errors.
    @inlinable public var rest: UInt32 {
        switch self {
        case .echoRequest(let identifier, let sequence, _), .echoReply(let identifier, let sequence, _):
            UInt32(identifier) << 16 | UInt32(sequence)
        case .destinationUnreachable, .timeExceeded: 0
        case .other(_, _, let rest, _): rest
        }
    }

    /// Everything after the first 8 bytes.
    @inlinable public var body: [UInt8] {
        switch self {
        case .echoRequest(_, _, let data), .echoReply(_, _, let data): data
        case .destinationUnreachable(_, let original), .timeExceeded(_, let original): original
        case .other(_, _, _, let body): body
        }
    }

    @inlinable public var isError: Bool {
        switch self {
        case .destinationUnreachable, .timeExceeded: true
        case .echoRequest, .echoReply, .other: false
        }
    }

    @inlinable public var encodedLength: Int { Self.headerLength + body.count }

    /// Parses `bytes` as one whole ICMP message (the IP payload, exactly) and verifies its checksum.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        let reader = ByteReader(bytes)
        try reader.require(Self.headerLength)
        guard InternetChecksum.checksum(bytes) == 0 else { throw .badChecksum }
        let type = reader.u8(0), code = reader.u8(1), rest = reader.u32(4)
        let body = reader.array(Self.headerLength..<reader.count)
        switch (type, code) {
        case (MessageType.echoRequest, 0):
            self = .echoRequest(identifier: UInt16(rest >> 16), sequence: UInt16(truncatingIfNeeded: rest), data: body)
        case (MessageType.echoReply, 0):
            self = .echoReply(identifier: UInt16(rest >> 16), sequence: UInt16(truncatingIfNeeded: rest), data: body)
        case (MessageType.destinationUnreachable, _) where rest == 0:
            self = .destinationUnreachable(code: ICMPUnreachableCode(rawValue: code), original: body)
        case (MessageType.timeExceeded, _) where rest == 0:
            self = .timeExceeded(code: code, original: body)
        default:
            self = .other(type: type, code: code, rest: rest, body: body)
        }
    }

    /// Writes the message (`encodedLength` bytes) at the start of `buffer`, computing the checksum.
    @inlinable
    public func emit(into buffer: UnsafeMutableRawBufferPointer) {
        let body = self.body
        let length = Self.headerLength + body.count
        let writer = ByteWriter(buffer, length: length)
        writer.u8(0, type)
        writer.u8(1, code)
        writer.u16(2, 0)
        writer.u32(4, rest)
        writer.copy(Self.headerLength, body)
        writer.u16(2, InternetChecksum.checksum(writer.slice(0..<length)))
    }
}
