import Engine

/// An IGMP message (RFC 2236 §2 for versions 1 and 2, RFC 3376 §4 for version 3), the whole IP payload.
/// The checksum covers the whole message; it is computed on emit and checked on parse.
///
/// Queries are told apart by length and Max Resp Code as RFC 3376 §7.1 says: 8 bytes with code 0 is an
/// IGMPv1 query, 8 bytes with a nonzero code an IGMPv2 query, 12 bytes or more an IGMPv3 query; 9–11
/// bytes is malformed. Other messages may carry bytes past their 8 (RFC 2236 §2.5): they are ignored.
public enum IGMPMessage: Hashable, Sendable {
    /// Membership Query, version 1 (`maxResponseDeciseconds` 0) or 2. `group` is 0.0.0.0 in a general
    /// query and the group in a group-specific one (RFC 2236 §2.4).
    case membershipQuery(group: IPv4Address, maxResponseDeciseconds: UInt8)
    /// Version 3 Membership Query (RFC 3376 §4.1).
    case v3MembershipQuery(IGMPv3Query)
    /// Version 1 Membership Report (RFC 1112 appendix I, type 0x12).
    case v1MembershipReport(group: IPv4Address)
    /// Version 2 Membership Report (RFC 2236 §2, type 0x16).
    case v2MembershipReport(group: IPv4Address)
    /// Leave Group (RFC 2236 §2, type 0x17).
    case leaveGroup(group: IPv4Address)
    /// Version 3 Membership Report (RFC 3376 §4.2, type 0x22).
    case v3MembershipReport(records: [IGMPv3GroupRecord])
    /// Any other type (DVMRP, PIMv1, mtrace...): type, the second byte, and everything after the checksum.
    case other(type: UInt8, code: UInt8, body: [UInt8])

    public enum MessageType {
        public static let membershipQuery: UInt8 = 0x11
        public static let v1MembershipReport: UInt8 = 0x12
        public static let v2MembershipReport: UInt8 = 0x16
        public static let leaveGroup: UInt8 = 0x17
        public static let v3MembershipReport: UInt8 = 0x22
    }

    /// The length of every version 1 and 2 message.
    public static let v2Length = 8

    /// 224.0.0.1, the all-systems group: general queries go here (RFC 2236 §2.4).
    public static let allSystems = IPv4Address(224, 0, 0, 1)
    /// 224.0.0.2, the all-routers group: leaves go here (RFC 2236 §3).
    public static let allRouters = IPv4Address(224, 0, 0, 2)
    /// 224.0.0.22, where IGMPv3 reports go (RFC 3376 §4.2.14).
    public static let allIGMPv3Routers = IPv4Address(224, 0, 0, 22)

    @inlinable public var type: UInt8 {
        switch self {
        case .membershipQuery, .v3MembershipQuery: MessageType.membershipQuery
        case .v1MembershipReport: MessageType.v1MembershipReport
        case .v2MembershipReport: MessageType.v2MembershipReport
        case .leaveGroup: MessageType.leaveGroup
        case .v3MembershipReport: MessageType.v3MembershipReport
        case .other(let type, _, _): type
        }
    }

    /// The version a query or report speaks, nil for a leave (always version 2) and other types.
    public var version: Int? {
        switch self {
        case .membershipQuery(_, let code): code == 0 ? 1 : 2
        case .v3MembershipQuery, .v3MembershipReport: 3
        case .v1MembershipReport: 1
        case .v2MembershipReport: 2
        case .leaveGroup, .other: nil
        }
    }

    /// The Max Response Time of a query, nil for other messages. RFC 2236 §2.2: a version 1 query (code 0)
    /// means 10 seconds to the host that answers it (RFC 2236 §4).
    public var maxResponseTime: SimDuration? {
        switch self {
        case .membershipQuery(_, let code): .milliseconds(code == 0 ? 10_000 : Int64(code) * 100)
        case .v3MembershipQuery(let query): query.maxResponseTime
        default: nil
        }
    }

    /// The destination address RFC 2236 §2/§3 and RFC 3376 §4 give this message: a general query to
    /// all-systems, a group-specific query and a v1/v2 report to the group, a leave to all-routers, a v3
    /// report to 224.0.0.22.
    public var destination: IPv4Address {
        switch self {
        case .membershipQuery(let group, _): group == .any ? Self.allSystems : group
        case .v3MembershipQuery(let query): query.group == .any ? Self.allSystems : query.group
        case .v1MembershipReport(let group), .v2MembershipReport(let group): group
        case .leaveGroup: Self.allRouters
        case .v3MembershipReport: Self.allIGMPv3Routers
        case .other: Self.allSystems
        }
    }

    public var encodedLength: Int {
        switch self {
        case .membershipQuery, .v1MembershipReport, .v2MembershipReport, .leaveGroup: Self.v2Length
        case .v3MembershipQuery(let query): 12 + 4 * query.sources.count
        case .v3MembershipReport(let records): records.reduce(8) { $0 + $1.encodedLength }
        case .other(_, _, let body): 4 + body.count
        }
    }

    /// Parses `bytes` as one whole IGMP message (the IP payload, exactly) and verifies its checksum.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        let reader = ByteReader(bytes)
        try reader.require(Self.v2Length)
        guard InternetChecksum.checksum(bytes) == 0 else { throw .badChecksum }
        let type = reader.u8(0), code = reader.u8(1), group = reader.ipv4(4)
        switch type {
        case MessageType.membershipQuery:
            if reader.count == Self.v2Length {
                self = .membershipQuery(group: group, maxResponseDeciseconds: code)
            } else {
                self = .v3MembershipQuery(try IGMPv3Query(parsing: reader))
            }
        case MessageType.v1MembershipReport:
            self = .v1MembershipReport(group: group)
        case MessageType.v2MembershipReport:
            self = .v2MembershipReport(group: group)
        case MessageType.leaveGroup:
            self = .leaveGroup(group: group)
        case MessageType.v3MembershipReport:
            self = .v3MembershipReport(records: try IGMPv3GroupRecord.parseAll(reader))
        default:
            self = .other(type: type, code: code, body: reader.array(4..<reader.count))
        }
    }

    /// Writes the message (`encodedLength` bytes) at the start of `buffer`, computing the checksum.
    public func emit(into buffer: UnsafeMutableRawBufferPointer) {
        let length = encodedLength
        let writer = ByteWriter(buffer, length: length)
        writer.u8(0, type)
        writer.u16(2, 0)
        switch self {
        case .membershipQuery(let group, let code):
            writer.u8(1, code)
            writer.ipv4(4, group)
        case .v3MembershipQuery(let query):
            query.emit(writer)
        case .v1MembershipReport(let group), .v2MembershipReport(let group), .leaveGroup(let group):
            writer.u8(1, 0)
            writer.ipv4(4, group)
        case .v3MembershipReport(let records):
            writer.u8(1, 0)
            writer.u16(4, 0)
            writer.u16(6, UInt16(records.count))
            var offset = 8
            for record in records {
                record.emit(writer, at: offset)
                offset += record.encodedLength
            }
        case .other(_, let code, let body):
            writer.u8(1, code)
            writer.copy(4, body)
        }
        writer.u16(2, InternetChecksum.checksum(writer.slice(0..<length)))
    }

    /// The IPv4 header an IGMP message travels under: TTL 1 (RFC 2236 §2), the Router Alert option
    /// (RFC 2113; RFC 2236 §2), precedence 6 (IOS sends IGMP with TOS 0xC0, as its captures show).
    public func ipv4Header(source: IPv4Address, identification: UInt16 = 0) -> IPv4Header {
        IPv4Header(tos: 0xC0, identification: identification, ttl: 1, protocolNumber: .igmp, source: source,
                   destination: destination, options: [.routerAlert(value: 0)], payloadLength: encodedLength)
    }
}

/// The Max Resp Code and QQIC encoding of RFC 3376 §4.1.1 and §4.1.7: below 128 the value itself, from
/// 128 on a floating-point form 1|exp(3)|mant(4) meaning (mant | 0x10) << (exp + 3).
public enum IGMPv3Code {
    public static func value(_ code: UInt8) -> Int {
        code < 128 ? Int(code) : (Int(code & 0x0F) | 0x10) << (Int(code >> 4 & 0x07) + 3)
    }

    /// The code for `value` (rounded down to what the encoding holds; at most 31744).
    public static func code(_ value: Int) -> UInt8 {
        if value < 128 { return UInt8(max(0, value)) }
        let value = min(value, 31_744)
        var exp = 0
        while (value >> (exp + 3)) > 0x1F { exp += 1 }
        let mant = (value >> (exp + 3)) & 0x0F
        return 0x80 | UInt8(exp << 4) | UInt8(mant)
    }
}

/// The fields of an IGMPv3 Membership Query after the group (RFC 3376 §4.1).
public struct IGMPv3Query: Hashable, Sendable {
    public var group: IPv4Address
    /// Max Resp Code: tenths of a second in the encoding of §4.1.1.
    public var maxResponseCode: UInt8
    /// S flag: suppress router-side processing (§4.1.5).
    public var suppressRouterSideProcessing: Bool
    /// Querier's Robustness Variable, 0...7 (§4.1.6; 0 when above 7).
    public var robustness: UInt8
    /// Querier's Query Interval Code: seconds in the encoding of §4.1.7.
    public var queryIntervalCode: UInt8
    public var sources: [IPv4Address]

    public init(group: IPv4Address, maxResponseCode: UInt8, suppressRouterSideProcessing: Bool = false,
                robustness: UInt8 = 2, queryIntervalCode: UInt8 = 125, sources: [IPv4Address] = []) {
        precondition(robustness <= 7, "QRV \(robustness) does not fit 3 bits")
        self.group = group
        self.maxResponseCode = maxResponseCode
        self.suppressRouterSideProcessing = suppressRouterSideProcessing
        self.robustness = robustness
        self.queryIntervalCode = queryIntervalCode
        self.sources = sources
    }

    public var maxResponseTime: SimDuration { .milliseconds(Int64(IGMPv3Code.value(maxResponseCode)) * 100) }
    public var queryInterval: SimDuration { .seconds(Int64(IGMPv3Code.value(queryIntervalCode))) }

    init(parsing reader: ByteReader) throws(WireError) {
        try reader.require(12)
        let count = Int(reader.u16(10))
        try reader.require(12 + 4 * count)
        group = reader.ipv4(4)
        maxResponseCode = reader.u8(1)
        // §4.1.4: the Resv bits are sent as zero and ignored on receipt.
        suppressRouterSideProcessing = reader.u8(8) & 0x08 != 0
        robustness = reader.u8(8) & 0x07
        queryIntervalCode = reader.u8(9)
        sources = (0..<count).map { reader.ipv4(12 + 4 * $0) }
    }

    func emit(_ writer: ByteWriter) {
        writer.u8(1, maxResponseCode)
        writer.ipv4(4, group)
        writer.u8(8, (suppressRouterSideProcessing ? 0x08 : 0) | robustness & 0x07)
        writer.u8(9, queryIntervalCode)
        writer.u16(10, UInt16(sources.count))
        for (index, source) in sources.enumerated() { writer.ipv4(12 + 4 * index, source) }
    }
}

/// Values of a Group Record's Record Type (RFC 3376 §4.2.12). Unknown values are kept.
public struct IGMPv3RecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let modeIsInclude = IGMPv3RecordType(rawValue: 1)
    public static let modeIsExclude = IGMPv3RecordType(rawValue: 2)
    public static let changeToInclude = IGMPv3RecordType(rawValue: 3)
    public static let changeToExclude = IGMPv3RecordType(rawValue: 4)
    public static let allowNewSources = IGMPv3RecordType(rawValue: 5)
    public static let blockOldSources = IGMPv3RecordType(rawValue: 6)

    public var description: String {
        switch rawValue {
        case 1: "MODE_IS_INCLUDE"
        case 2: "MODE_IS_EXCLUDE"
        case 3: "CHANGE_TO_INCLUDE_MODE"
        case 4: "CHANGE_TO_EXCLUDE_MODE"
        case 5: "ALLOW_NEW_SOURCES"
        case 6: "BLOCK_OLD_SOURCES"
        default: "type \(rawValue)"
        }
    }
}

/// One Group Record of an IGMPv3 report (RFC 3376 §4.2.4).
public struct IGMPv3GroupRecord: Hashable, Sendable {
    public var recordType: IGMPv3RecordType
    public var group: IPv4Address
    public var sources: [IPv4Address]
    /// Auxiliary data, a multiple of 4 bytes (§4.2.6: receivers ignore it; it is kept for round trips).
    public var auxiliaryData: [UInt8]

    public init(recordType: IGMPv3RecordType, group: IPv4Address, sources: [IPv4Address] = [],
                auxiliaryData: [UInt8] = []) {
        precondition(auxiliaryData.count % 4 == 0 && auxiliaryData.count <= 1020, "aux data of \(auxiliaryData.count) bytes")
        self.recordType = recordType
        self.group = group
        self.sources = sources
        self.auxiliaryData = auxiliaryData
    }

    public var encodedLength: Int { 8 + 4 * sources.count + auxiliaryData.count }

    /// A record of EXCLUDE mode with no sources means "joined, any source" (§5.1); INCLUDE with none, left.
    public var isJoin: Bool {
        (recordType == .modeIsExclude || recordType == .changeToExclude) || !sources.isEmpty
            && (recordType == .modeIsInclude || recordType == .allowNewSources)
    }

    static func parseAll(_ reader: ByteReader) throws(WireError) -> [IGMPv3GroupRecord] {
        let count = Int(reader.u16(6))
        var records: [IGMPv3GroupRecord] = []
        var offset = 8
        for _ in 0..<count {
            try reader.require(offset + 8)
            let auxWords = Int(reader.u8(offset + 1)), sourceCount = Int(reader.u16(offset + 2))
            let end = offset + 8 + 4 * sourceCount + 4 * auxWords
            try reader.require(end)
            let sources = (0..<sourceCount).map { reader.ipv4(offset + 8 + 4 * $0) }
            records.append(IGMPv3GroupRecord(
                recordType: IGMPv3RecordType(rawValue: reader.u8(offset)), group: reader.ipv4(offset + 4),
                sources: sources, auxiliaryData: reader.array(end - 4 * auxWords..<end)))
            offset = end
        }
        return records
    }

    func emit(_ writer: ByteWriter, at offset: Int) {
        writer.u8(offset, recordType.rawValue)
        writer.u8(offset + 1, UInt8(auxiliaryData.count / 4))
        writer.u16(offset + 2, UInt16(sources.count))
        writer.ipv4(offset + 4, group)
        for (index, source) in sources.enumerated() { writer.ipv4(offset + 8 + 4 * index, source) }
        writer.copy(offset + 8 + 4 * sources.count, auxiliaryData)
    }
}
