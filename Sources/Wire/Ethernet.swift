/// Values of the Ethernet II type field (IEEE 802.3 §3.2.6). Unknown values are kept as they are.
public struct EtherType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16

    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let ipv4 = EtherType(rawValue: 0x0800)
    public static let arp = EtherType(rawValue: 0x0806)
    /// The IEEE 802.1Q tag protocol identifier (TPID).
    public static let dot1Q = EtherType(rawValue: 0x8100)
    public static let ipv6 = EtherType(rawValue: 0x86DD)

    public var description: String {
        switch self {
        case .ipv4: "IPv4"
        case .arp: "ARP"
        case .dot1Q: "802.1Q"
        case .ipv6: "IPv6"
        default: "ethertype 0x" + hex(UInt64(rawValue), digits: 4)
        }
    }
}

/// The IEEE 802.1Q tag control information: priority code point, drop eligible indicator, VLAN ID.
public struct VLANTag: Hashable, Sendable {
    /// The priority code point, 0...7 (IEEE 802.1Q §6.9.3; "CoS" in IOS).
    public var priority: UInt8
    public var dropEligible: Bool
    /// The VLAN identifier, 0...4095 (0: priority tag only; 4095 reserved).
    public var vlanID: UInt16

    @inlinable
    public init(vlanID: UInt16, priority: UInt8 = 0, dropEligible: Bool = false) {
        precondition(vlanID <= 0xFFF, "VLAN ID \(vlanID) does not fit 12 bits")
        precondition(priority <= 7, "priority \(priority) does not fit 3 bits")
        self.vlanID = vlanID
        self.priority = priority
        self.dropEligible = dropEligible
    }

    /// The 16-bit TCI as sent: PCP(3) DEI(1) VID(12). Fields set out of range are cut to their width.
    @inlinable public var tagControlInformation: UInt16 {
        UInt16(priority & 0x7) << 13 | (dropEligible ? 0x1000 : 0) | (vlanID & 0xFFF)
    }

    @inlinable public init(tagControlInformation tci: UInt16) {
        self.init(vlanID: tci & 0xFFF, priority: UInt8(tci >> 13), dropEligible: tci & 0x1000 != 0)
    }
}

/// An Ethernet II header (IEEE 802.3 §3.2), with at most one IEEE 802.1Q tag. The FCS is not modelled.
public struct EthernetHeader: Hashable, Sendable {
    public var destination: MACAddress
    public var source: MACAddress
    /// The 802.1Q tag; when present, `etherType` is the type after the tag.
    public var vlanTag: VLANTag?
    public var etherType: EtherType

    public static let untaggedLength = 14
    public static let taggedLength = 18

    @inlinable
    public init(destination: MACAddress, source: MACAddress, vlanTag: VLANTag? = nil, etherType: EtherType) {
        self.destination = destination
        self.source = source
        self.vlanTag = vlanTag
        self.etherType = etherType
    }

    /// 14 bytes, or 18 with a tag.
    @inlinable public var encodedLength: Int { vlanTag == nil ? Self.untaggedLength : Self.taggedLength }

    /// Parses the header at the start of `bytes`, reading one 802.1Q tag if the first type is 0x8100.
    @inlinable
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        let reader = ByteReader(bytes)
        try reader.require(Self.untaggedLength)
        destination = reader.mac(0)
        source = reader.mac(6)
        let type = EtherType(rawValue: reader.u16(12))
        if type == .dot1Q {
            try reader.require(Self.taggedLength)
            vlanTag = VLANTag(tagControlInformation: reader.u16(14))
            etherType = EtherType(rawValue: reader.u16(16))
        } else {
            vlanTag = nil
            etherType = type
        }
    }

    /// Writes `encodedLength` bytes at the start of `buffer`.
    @inlinable
    public func emit(into buffer: UnsafeMutableRawBufferPointer) {
        let writer = ByteWriter(buffer, length: encodedLength)
        writer.mac(0, destination)
        writer.mac(6, source)
        if let tag = vlanTag {
            writer.u16(12, EtherType.dot1Q.rawValue)
            writer.u16(14, tag.tagControlInformation)
            writer.u16(16, etherType.rawValue)
        } else {
            writer.u16(12, etherType.rawValue)
        }
    }
}
