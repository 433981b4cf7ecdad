import Engine

/// A PIMv2 message (RFC 7761 §4.9), the whole IP payload (IP protocol 103).
///
/// The checksum is the Internet checksum over the whole PIM message, except for Register messages, where
/// it covers only the PIM header (the first 8 bytes: header and the Register's flags word, §4.9.3).
/// Parsing verifies version 2 and the checksum; emitting computes it. Every length and count is checked
/// against the bytes present, and Encoded addresses must be IPv4 (family 1, native encoding 0, §4.9.1).
public enum PIMMessage: Hashable, Sendable {
    case hello(PIMHello)
    case register(PIMRegister)
    case registerStop(PIMRegisterStop)
    case joinPrune(PIMJoinPrune)
    case assert(PIMAssert)
    /// Any other type (Bootstrap 4, Graft 6, Candidate-RP-Advertisement 8, ...): type and the bytes after the
    /// 4-byte header, kept so a capture's unknown message round-trips.
    case other(type: UInt8, body: [UInt8])

    /// RFC 7761 §4.9: the PIM message types this emulator speaks.
    public enum MessageType {
        public static let hello: UInt8 = 0
        public static let register: UInt8 = 1
        public static let registerStop: UInt8 = 2
        public static let joinPrune: UInt8 = 3
        public static let assert: UInt8 = 5
    }

    /// 224.0.0.13, ALL-PIM-ROUTERS (RFC 7761 §4.3.1): Hellos, Join/Prunes and Asserts go here with TTL 1.
    public static let allPIMRouters = IPv4Address(224, 0, 0, 13)

    /// The version in the first nibble of every message (§4.9).
    public static let version: UInt8 = 2
    /// The PIM header: version and type, reserved, checksum (§4.9).
    public static let headerLength = 4
    /// Bytes a Register's checksum covers: the header and the B/N flags word (§4.9.3).
    public static let registerChecksumLength = 8

    public var type: UInt8 {
        switch self {
        case .hello: MessageType.hello
        case .register: MessageType.register
        case .registerStop: MessageType.registerStop
        case .joinPrune: MessageType.joinPrune
        case .assert: MessageType.assert
        case .other(let type, _): type
        }
    }

    public var encodedLength: Int {
        Self.headerLength + {
            switch self {
            case .hello(let hello): hello.bodyLength
            case .register(let register): 4 + register.packet.count
            case .registerStop: PIMRegisterStop.bodyLength
            case .joinPrune(let joinPrune): joinPrune.bodyLength
            case .assert: PIMAssert.bodyLength
            case .other(_, let body): body.count
            }
        }()
    }

    /// Parses `bytes` as one whole PIM message (the IP payload, exactly) and verifies version and checksum.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        let reader = ByteReader(bytes)
        try reader.require(Self.headerLength)
        let version = reader.u8(0) >> 4, type = reader.u8(0) & 0x0F
        guard version == Self.version else { throw .unsupportedVersion(version) }
        if type == MessageType.register {
            // §4.9.3: the checksum covers the header and flags word only, so a router need not touch the data
            // packet. Some old IOS releases checksum the whole Register, which the RFC says to accept as well
            // ("for interoperability reasons"), so either verifies here. tshark 4.0.17 calls header-only
            // "correct" and a whole-message checksum "Bad checksum", so emit writes header-only.
            try reader.require(Self.registerChecksumLength)
            guard InternetChecksum.checksum(reader.slice(0..<Self.registerChecksumLength)) == 0
                || InternetChecksum.checksum(bytes) == 0 else { throw .badChecksum }
        } else {
            guard InternetChecksum.checksum(bytes) == 0 else { throw .badChecksum }
        }
        // §4.9: the reserved byte is sent as zero and ignored on receipt.
        switch type {
        case MessageType.hello: self = .hello(try PIMHello(parsing: reader))
        case MessageType.register: self = .register(PIMRegister(parsing: reader))
        case MessageType.registerStop: self = .registerStop(try PIMRegisterStop(parsing: reader))
        case MessageType.joinPrune: self = .joinPrune(try PIMJoinPrune(parsing: reader))
        case MessageType.assert: self = .assert(try PIMAssert(parsing: reader))
        default: self = .other(type: type, body: reader.array(Self.headerLength..<reader.count))
        }
    }

    /// Writes the message (`encodedLength` bytes) at the start of `buffer`, computing the checksum.
    public func emit(into buffer: UnsafeMutableRawBufferPointer) {
        let length = encodedLength
        let writer = ByteWriter(buffer, length: length)
        precondition(type <= 0x0F, "PIM type \(type) does not fit 4 bits")
        writer.u8(0, Self.version << 4 | type)
        writer.u8(1, 0)
        writer.u16(2, 0)
        switch self {
        case .hello(let hello): hello.emit(writer)
        case .register(let register): register.emit(writer)
        case .registerStop(let registerStop): registerStop.emit(writer)
        case .joinPrune(let joinPrune): joinPrune.emit(writer)
        case .assert(let assert): assert.emit(writer)
        case .other(_, let body): writer.copy(Self.headerLength, body)
        }
        // An `.other` of type 1 may be shorter than a Register's 8 checksummed bytes.
        let covered = type == MessageType.register ? min(Self.registerChecksumLength, length) : length
        writer.u16(2, InternetChecksum.checksum(writer.slice(0..<covered)))
    }

    /// The encoded message, checksum computed.
    public func encoded() -> [UInt8] { bytes() }

    /// The IPv4 header a PIM message travels under: protocol 103, precedence 6 (IOS sends PIM with TOS 0xC0),
    /// TTL 1 to ALL-PIM-ROUTERS (§4.3.1, §4.5, §4.6); a Register or Register-Stop is unicast with `ttl`.
    public func ipv4Header(source: IPv4Address, destination: IPv4Address = PIMMessage.allPIMRouters,
                           ttl: UInt8 = 255, identification: UInt16 = 0) -> IPv4Header {
        IPv4Header(tos: 0xC0, identification: identification,
                   ttl: destination == Self.allPIMRouters ? 1 : ttl, protocolNumber: .pim,
                   source: source, destination: destination, payloadLength: encodedLength)
    }
}

extension PIMMessage {
    public init(bytes: [UInt8]) throws(WireError) { self = try parseArray(bytes) { raw throws(WireError) in try Self(parsing: raw) } }

    /// The emitted message, written over a buffer first filled with `junk`.
    public func bytes(prefilledWith junk: UInt8 = 0) -> [UInt8] {
        emitArray(count: encodedLength, junk: junk) { emit(into: $0) }
    }
}

// MARK: - Encoded addresses (§4.9.1)

/// The Encoded-Unicast, Encoded-Group and Encoded-Source address formats of RFC 7761 §4.9.1, IPv4 only.
enum PIMEncodedAddress {
    /// Address Family 1: IPv4 (IANA address family numbers).
    static let ipv4Family: UInt8 = 1
    /// Encoding Type 0: the native encoding of the family.
    static let nativeEncoding: UInt8 = 0

    static let unicastLength = 6
    static let groupLength = 8
    static let sourceLength = 8

    static func checkFamily(_ reader: ByteReader, at offset: Int, _ what: String) throws(WireError) {
        let family = reader.u8(offset), encoding = reader.u8(offset + 1)
        guard family == ipv4Family else { throw .malformed("\(what): address family \(family), not IPv4") }
        guard encoding == nativeEncoding else { throw .malformed("\(what): encoding type \(encoding), not 0") }
    }

    static func checkMask(_ maskLength: UInt8, _ what: String) throws(WireError) {
        guard maskLength <= 32 else { throw .malformed("\(what): mask length \(maskLength) above 32") }
    }

    static func unicast(_ reader: ByteReader, at offset: Int, _ what: String) throws(WireError) -> IPv4Address {
        try reader.require(offset + unicastLength)
        try checkFamily(reader, at: offset, what)
        return reader.ipv4(offset + 2)
    }

    /// The group and its mask length. §4.9.1: the B (bidirectional) and Z (admin scope zone) bits and the
    /// reserved bits are ignored on receipt; this emulator speaks PIM-SM only and sends them as zero.
    static func group(_ reader: ByteReader, at offset: Int, _ what: String) throws(WireError)
        -> (address: IPv4Address, maskLength: UInt8) {
        try reader.require(offset + groupLength)
        try checkFamily(reader, at: offset, what)
        let maskLength = reader.u8(offset + 3)
        try checkMask(maskLength, what)
        return (reader.ipv4(offset + 4), maskLength)
    }

    static func source(_ reader: ByteReader, at offset: Int) throws(WireError) -> PIMEncodedSource {
        try reader.require(offset + sourceLength)
        try checkFamily(reader, at: offset, "Encoded-Source")
        let flags = reader.u8(offset + 2), maskLength = reader.u8(offset + 3)
        try checkMask(maskLength, "Encoded-Source")
        return PIMEncodedSource(address: reader.ipv4(offset + 4), maskLength: maskLength,
                                sparse: flags & 0x04 != 0, wildcard: flags & 0x02 != 0, rpt: flags & 0x01 != 0)
    }

    static func emitUnicast(_ writer: ByteWriter, at offset: Int, _ address: IPv4Address) {
        writer.u8(offset, ipv4Family)
        writer.u8(offset + 1, nativeEncoding)
        writer.ipv4(offset + 2, address)
    }

    static func emitGroup(_ writer: ByteWriter, at offset: Int, _ group: IPv4Address, maskLength: UInt8) {
        writer.u8(offset, ipv4Family)
        writer.u8(offset + 1, nativeEncoding)
        writer.u8(offset + 2, 0)  // B and Z clear
        writer.u8(offset + 3, maskLength)
        writer.ipv4(offset + 4, group)
    }

    static func emitSource(_ writer: ByteWriter, at offset: Int, _ source: PIMEncodedSource) {
        writer.u8(offset, ipv4Family)
        writer.u8(offset + 1, nativeEncoding)
        writer.u8(offset + 2, (source.sparse ? 0x04 : 0) | (source.wildcard ? 0x02 : 0) | (source.rpt ? 0x01 : 0))
        writer.u8(offset + 3, source.maskLength)
        writer.ipv4(offset + 4, source.address)
    }
}

/// Hello (RFC 7761 §4.9.2) with the options IOS sends: Holdtime (1), LAN Prune Delay (2), DR Priority (19),
/// Generation ID (20); an Address List (24) when present. Options not listed here are kept in `otherOptions`.
public struct PIMHello: Hashable, Sendable {
    /// Seconds; 0xFFFF never times out, 0 means "forget me now" (§4.3.1).
    public var holdtime: UInt16
    public var drPriority: UInt32?
    public var generationID: UInt32?
    public var lanPruneDelay: LANPruneDelay?
    public var addressList: [IPv4Address]
    public var otherOptions: [Option]

    public struct LANPruneDelay: Hashable, Sendable {
        public var trackingSupport: Bool
        /// Milliseconds.
        public var propagationDelay: UInt16
        /// Milliseconds.
        public var overrideInterval: UInt16
        public init(trackingSupport: Bool, propagationDelay: UInt16, overrideInterval: UInt16) {
            precondition(propagationDelay <= 0x7FFF, "propagation delay \(propagationDelay) does not fit 15 bits")
            self.trackingSupport = trackingSupport
            self.propagationDelay = propagationDelay
            self.overrideInterval = overrideInterval
        }
    }

    public struct Option: Hashable, Sendable {
        public var type: UInt16
        public var value: [UInt8]
        public init(type: UInt16, value: [UInt8]) {
            self.type = type
            self.value = value
        }
    }

    public init(holdtime: UInt16, drPriority: UInt32? = nil, generationID: UInt32? = nil,
                lanPruneDelay: LANPruneDelay? = nil, addressList: [IPv4Address] = [], otherOptions: [Option] = []) {
        self.holdtime = holdtime
        self.drPriority = drPriority
        self.generationID = generationID
        self.lanPruneDelay = lanPruneDelay
        self.addressList = addressList
        self.otherOptions = otherOptions
    }
}

/// Register (RFC 7761 §4.9.3): the B (border) and N (null-register) bits and the encapsulated multicast
/// datagram (for a null register: the IP header of a dummy packet from the source to the group, §4.4.1).
public struct PIMRegister: Hashable, Sendable {
    public var border: Bool
    public var null: Bool
    /// The inner IPv4 datagram, header included.
    public var packet: [UInt8]
    public init(border: Bool = false, null: Bool = false, packet: [UInt8]) {
        self.border = border
        self.null = null
        self.packet = packet
    }
}

/// Register-Stop (RFC 7761 §4.9.4): encoded-group (mask 32) and encoded-unicast source.
public struct PIMRegisterStop: Hashable, Sendable {
    public var group: IPv4Address
    public var source: IPv4Address
    public init(group: IPv4Address, source: IPv4Address) {
        self.group = group
        self.source = source
    }
}

/// An Encoded-Source address (RFC 7761 §4.9.1) in a Join/Prune: address, mask length, and the S (sparse),
/// W (wildcard: the entry is (*,G), the address is the RP) and R (RPT: toward the RP) bits.
public struct PIMEncodedSource: Hashable, Sendable {
    public var address: IPv4Address
    public var maskLength: UInt8
    public var sparse: Bool
    public var wildcard: Bool
    public var rpt: Bool
    public init(address: IPv4Address, maskLength: UInt8 = 32, sparse: Bool = true, wildcard: Bool = false, rpt: Bool = false) {
        self.address = address
        self.maskLength = maskLength
        self.sparse = sparse
        self.wildcard = wildcard
        self.rpt = rpt
    }
    /// (*,G) toward RP `rp` (§4.9.5: S, W and R set).
    public static func wildcard(rp: IPv4Address) -> PIMEncodedSource {
        PIMEncodedSource(address: rp, sparse: true, wildcard: true, rpt: true)
    }
    /// (S,G) on the shortest-path tree.
    public static func source(_ s: IPv4Address) -> PIMEncodedSource { PIMEncodedSource(address: s) }
    /// (S,G,rpt): the source on the shared tree (R set, W clear).
    public static func rpt(_ s: IPv4Address) -> PIMEncodedSource { PIMEncodedSource(address: s, rpt: true) }
}

/// Join/Prune (RFC 7761 §4.9.5): the upstream neighbor it is addressed to, the holdtime, and per group the
/// joined and pruned sources.
public struct PIMJoinPrune: Hashable, Sendable {
    public var upstreamNeighbor: IPv4Address
    /// Seconds (IOS: 210, 3.5 × the 60 s Join/Prune period).
    public var holdtime: UInt16
    public var groups: [Group]

    public struct Group: Hashable, Sendable {
        public var group: IPv4Address
        public var maskLength: UInt8
        public var joins: [PIMEncodedSource]
        public var prunes: [PIMEncodedSource]
        public init(group: IPv4Address, maskLength: UInt8 = 32, joins: [PIMEncodedSource] = [], prunes: [PIMEncodedSource] = []) {
            self.group = group
            self.maskLength = maskLength
            self.joins = joins
            self.prunes = prunes
        }
    }

    public init(upstreamNeighbor: IPv4Address, holdtime: UInt16, groups: [Group]) {
        self.upstreamNeighbor = upstreamNeighbor
        self.holdtime = holdtime
        self.groups = groups
    }
}

/// Assert (RFC 7761 §4.9.6): group, source (0.0.0.0 with the R bit for an (*,G) assert), the RPT bit,
/// metric preference (the route's administrative distance) and metric.
public struct PIMAssert: Hashable, Sendable {
    public var group: IPv4Address
    public var source: IPv4Address
    public var rptBit: Bool
    public var metricPreference: UInt32
    public var metric: UInt32
    public init(group: IPv4Address, source: IPv4Address, rptBit: Bool, metricPreference: UInt32, metric: UInt32) {
        precondition(metricPreference <= 0x7FFF_FFFF, "metric preference \(metricPreference) does not fit 31 bits")
        self.group = group
        self.source = source
        self.rptBit = rptBit
        self.metricPreference = metricPreference
        self.metric = metric
    }
}

// MARK: - Hello (§4.9.2)

extension PIMHello {
    /// Hello option types (§4.9.2) this emulator reads into fields.
    public enum OptionType {
        public static let holdtime: UInt16 = 1
        public static let lanPruneDelay: UInt16 = 2
        public static let drPriority: UInt16 = 19
        public static let generationID: UInt16 = 20
        public static let addressList: UInt16 = 24
    }

    /// The holdtime of a Hello without a Holdtime option: 3.5 × Hello_Period of 30 s (§4.11).
    public static let defaultHoldtime: UInt16 = 105
    /// Encoded-Unicast IPv4 addresses one Address List option holds: its value length field is 16 bits.
    static let addressesPerOption = 0xFFFF / PIMEncodedAddress.unicastLength

    var addressListOptionCount: Int { (addressList.count + Self.addressesPerOption - 1) / Self.addressesPerOption }

    var bodyLength: Int {
        var length = 4 + 2  // Holdtime
        if lanPruneDelay != nil { length += 4 + 4 }
        if drPriority != nil { length += 4 + 4 }
        if generationID != nil { length += 4 + 4 }
        length += 4 * addressListOptionCount + PIMEncodedAddress.unicastLength * addressList.count
        for option in otherOptions { length += 4 + option.value.count }
        return length
    }

    /// The options after the header, to the end of the message. An option whose length overruns the
    /// message, or a known option of the wrong length, is malformed. A repeated option: the last one counts,
    /// except Address Lists, which add up.
    init(parsing reader: ByteReader) throws(WireError) {
        self.init(holdtime: Self.defaultHoldtime)
        var offset = PIMMessage.headerLength
        while offset < reader.count {
            try reader.require(offset + 4)
            let type = reader.u16(offset), length = Int(reader.u16(offset + 2))
            let value = offset + 4
            try reader.require(value + length)
            switch type {
            case OptionType.holdtime:
                try Self.check(type, length, is: 2)
                holdtime = reader.u16(value)
            case OptionType.lanPruneDelay:
                try Self.check(type, length, is: 4)
                let first = reader.u16(value)
                lanPruneDelay = LANPruneDelay(trackingSupport: first & 0x8000 != 0, propagationDelay: first & 0x7FFF,
                                              overrideInterval: reader.u16(value + 2))
            case OptionType.drPriority:
                try Self.check(type, length, is: 4)
                drPriority = reader.u32(value)
            case OptionType.generationID:
                try Self.check(type, length, is: 4)
                generationID = reader.u32(value)
            case OptionType.addressList:
                guard length % PIMEncodedAddress.unicastLength == 0 else {
                    throw .malformed("Hello Address List of \(length) bytes, not a multiple of 6")
                }
                var at = value
                while at < value + length {
                    addressList.append(try PIMEncodedAddress.unicast(reader, at: at, "Hello Address List"))
                    at += PIMEncodedAddress.unicastLength
                }
            default:
                otherOptions.append(Option(type: type, value: reader.array(value..<value + length)))
            }
            offset = value + length
        }
    }

    private static func check(_ type: UInt16, _ length: Int, is expected: Int) throws(WireError) {
        guard length == expected else { throw .malformed("Hello option \(type) of length \(length), not \(expected)") }
    }

    /// IOS order: Holdtime, LAN Prune Delay, DR Priority, Generation ID; then the Address List and the rest.
    func emit(_ writer: ByteWriter) {
        var offset = PIMMessage.headerLength
        func option(_ type: UInt16, length: Int) -> Int {
            precondition(length <= 0xFFFF, "Hello option \(type) of \(length) bytes")
            writer.u16(offset, type)
            writer.u16(offset + 2, UInt16(length))
            defer { offset += 4 + length }
            return offset + 4
        }
        writer.u16(option(OptionType.holdtime, length: 2), holdtime)
        if let lanPruneDelay {
            let value = option(OptionType.lanPruneDelay, length: 4)
            writer.u16(value, (lanPruneDelay.trackingSupport ? 0x8000 : 0) | lanPruneDelay.propagationDelay & 0x7FFF)
            writer.u16(value + 2, lanPruneDelay.overrideInterval)
        }
        if let drPriority { writer.u32(option(OptionType.drPriority, length: 4), drPriority) }
        if let generationID { writer.u32(option(OptionType.generationID, length: 4), generationID) }
        var start = 0
        while start < addressList.count {
            let end = min(start + Self.addressesPerOption, addressList.count)
            let value = option(OptionType.addressList, length: PIMEncodedAddress.unicastLength * (end - start))
            for index in start..<end {
                PIMEncodedAddress.emitUnicast(writer, at: value + PIMEncodedAddress.unicastLength * (index - start),
                                              addressList[index])
            }
            start = end
        }
        for other in otherOptions { writer.copy(option(other.type, length: other.value.count), other.value) }
    }
}

// MARK: - Register (§4.9.3) and Register-Stop (§4.9.4)

extension PIMRegister {
    static let borderBit: UInt32 = 0x8000_0000
    static let nullRegisterBit: UInt32 = 0x4000_0000

    /// The flags word and the packet after it; the caller checked the 8 bytes the checksum covers. The inner
    /// packet is not looked at: the RP decapsulates it (§4.4.2) and judges it then.
    init(parsing reader: ByteReader) {
        let flags = reader.u32(4)
        self.init(border: flags & Self.borderBit != 0, null: flags & Self.nullRegisterBit != 0,
                  packet: reader.array(PIMMessage.registerChecksumLength..<reader.count))
    }

    func emit(_ writer: ByteWriter) {
        writer.u32(4, (border ? Self.borderBit : 0) | (null ? Self.nullRegisterBit : 0))
        writer.copy(PIMMessage.registerChecksumLength, packet)
    }
}

extension PIMRegisterStop {
    static let bodyLength = PIMEncodedAddress.groupLength + PIMEncodedAddress.unicastLength

    /// §4.9.4: the group is sent with mask length 32; another mask length (at most 32) is ignored.
    init(parsing reader: ByteReader) throws(WireError) {
        let group = try PIMEncodedAddress.group(reader, at: 4, "Register-Stop group")
        self.init(group: group.address, source: try PIMEncodedAddress.unicast(reader, at: 12, "Register-Stop source"))
    }

    func emit(_ writer: ByteWriter) {
        PIMEncodedAddress.emitGroup(writer, at: 4, group, maskLength: 32)
        PIMEncodedAddress.emitUnicast(writer, at: 12, source)
    }
}

// MARK: - Join/Prune (§4.9.5)

extension PIMJoinPrune {
    /// Upstream neighbor (6), reserved (1), number of groups (1), holdtime (2).
    static let fixedLength = PIMEncodedAddress.unicastLength + 4
    /// Encoded group (8), number of joined sources (2), number of pruned sources (2).
    static let groupHeaderLength = PIMEncodedAddress.groupLength + 4

    var bodyLength: Int {
        groups.reduce(Self.fixedLength) {
            $0 + Self.groupHeaderLength + PIMEncodedAddress.sourceLength * ($1.joins.count + $1.prunes.count)
        }
    }

    init(parsing reader: ByteReader) throws(WireError) {
        let upstream = try PIMEncodedAddress.unicast(reader, at: 4, "Join/Prune upstream neighbor")
        try reader.require(PIMMessage.headerLength + Self.fixedLength)
        let groupCount = Int(reader.u8(11))
        self.init(upstreamNeighbor: upstream, holdtime: reader.u16(12), groups: [])
        var offset = PIMMessage.headerLength + Self.fixedLength
        for _ in 0..<groupCount {
            let group = try PIMEncodedAddress.group(reader, at: offset, "Join/Prune group")
            try reader.require(offset + Self.groupHeaderLength)
            let joinCount = Int(reader.u16(offset + 8)), pruneCount = Int(reader.u16(offset + 10))
            offset += Self.groupHeaderLength
            // Both counts against the bytes before anything is read or allocated for them.
            try reader.require(offset + PIMEncodedAddress.sourceLength * (joinCount + pruneCount))
            var entry = Group(group: group.address, maskLength: group.maskLength)
            entry.joins.reserveCapacity(joinCount)
            entry.prunes.reserveCapacity(pruneCount)
            for _ in 0..<joinCount {
                entry.joins.append(try PIMEncodedAddress.source(reader, at: offset))
                offset += PIMEncodedAddress.sourceLength
            }
            for _ in 0..<pruneCount {
                entry.prunes.append(try PIMEncodedAddress.source(reader, at: offset))
                offset += PIMEncodedAddress.sourceLength
            }
            groups.append(entry)
        }
    }

    func emit(_ writer: ByteWriter) {
        precondition(groups.count <= 0xFF, "Join/Prune with \(groups.count) groups; the count field holds 255")
        PIMEncodedAddress.emitUnicast(writer, at: 4, upstreamNeighbor)
        writer.u8(10, 0)
        writer.u8(11, UInt8(groups.count))
        writer.u16(12, holdtime)
        var offset = PIMMessage.headerLength + Self.fixedLength
        for group in groups {
            precondition(group.joins.count <= 0xFFFF && group.prunes.count <= 0xFFFF,
                         "Join/Prune group \(group.group) with more than 65535 joined or pruned sources")
            PIMEncodedAddress.emitGroup(writer, at: offset, group.group, maskLength: group.maskLength)
            writer.u16(offset + 8, UInt16(group.joins.count))
            writer.u16(offset + 10, UInt16(group.prunes.count))
            offset += Self.groupHeaderLength
            for source in group.joins {
                PIMEncodedAddress.emitSource(writer, at: offset, source)
                offset += PIMEncodedAddress.sourceLength
            }
            for source in group.prunes {
                PIMEncodedAddress.emitSource(writer, at: offset, source)
                offset += PIMEncodedAddress.sourceLength
            }
        }
    }
}

// MARK: - Assert (§4.9.6)

extension PIMAssert {
    static let bodyLength = PIMEncodedAddress.groupLength + PIMEncodedAddress.unicastLength + 8
    static let rptBitMask: UInt32 = 0x8000_0000

    /// §4.9.6: the group is sent with mask length 32; another mask length (at most 32) is ignored.
    init(parsing reader: ByteReader) throws(WireError) {
        let group = try PIMEncodedAddress.group(reader, at: 4, "Assert group")
        let source = try PIMEncodedAddress.unicast(reader, at: 12, "Assert source")
        try reader.require(PIMMessage.headerLength + Self.bodyLength)
        let preference = reader.u32(18)
        self.init(group: group.address, source: source, rptBit: preference & Self.rptBitMask != 0,
                  metricPreference: preference & ~Self.rptBitMask, metric: reader.u32(22))
    }

    func emit(_ writer: ByteWriter) {
        PIMEncodedAddress.emitGroup(writer, at: 4, group, maskLength: 32)
        PIMEncodedAddress.emitUnicast(writer, at: 12, source)
        writer.u32(18, (rptBit ? Self.rptBitMask : 0) | metricPreference & ~Self.rptBitMask)
        writer.u32(22, metric)
    }
}
