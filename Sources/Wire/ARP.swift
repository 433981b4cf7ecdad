/// ARP operation codes (RFC 826; IANA "ARP Parameters"). Unknown values are kept as they are.
public struct ARPOperation: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let request = ARPOperation(rawValue: 1)
    public static let reply = ARPOperation(rawValue: 2)
}

/// An ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1, protocol type 0x0800, lengths 6 and 4.
public struct ARPPacket: Hashable, Sendable {
    public var operation: ARPOperation
    public var senderHardwareAddress: MACAddress
    public var senderProtocolAddress: IPv4Address
    public var targetHardwareAddress: MACAddress
    public var targetProtocolAddress: IPv4Address

    public static let encodedLength = 28

    @inlinable
    public init(
        operation: ARPOperation,
        senderHardwareAddress: MACAddress, senderProtocolAddress: IPv4Address,
        targetHardwareAddress: MACAddress, targetProtocolAddress: IPv4Address
    ) {
        self.operation = operation
        self.senderHardwareAddress = senderHardwareAddress
        self.senderProtocolAddress = senderProtocolAddress
        self.targetHardwareAddress = targetHardwareAddress
        self.targetProtocolAddress = targetProtocolAddress
    }

    /// A request for `target`'s hardware address; the target hardware address is zero (RFC 826 "Packet Generation").
    public static func request(from mac: MACAddress, _ ip: IPv4Address, for target: IPv4Address) -> ARPPacket {
        ARPPacket(operation: .request, senderHardwareAddress: mac, senderProtocolAddress: ip,
                  targetHardwareAddress: .zero, targetProtocolAddress: target)
    }

    /// The reply to `request`, answered by `mac` (RFC 826 "Packet Reception": swap sender and target).
    public static func reply(to request: ARPPacket, with mac: MACAddress) -> ARPPacket {
        ARPPacket(operation: .reply, senderHardwareAddress: mac, senderProtocolAddress: request.targetProtocolAddress,
                  targetHardwareAddress: request.senderHardwareAddress,
                  targetProtocolAddress: request.senderProtocolAddress)
    }

    /// Parses the packet at the start of `bytes` (trailing Ethernet padding is ignored).
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        let reader = ByteReader(bytes)
        try reader.require(Self.encodedLength)
        let hardwareType = reader.u16(0), protocolType = reader.u16(2)
        let hardwareLength = reader.u8(4), protocolLength = reader.u8(5)
        guard hardwareType == 1, protocolType == EtherType.ipv4.rawValue, hardwareLength == 6, protocolLength == 4
        else {
            throw .malformed(
                "ARP for hardware type \(hardwareType), protocol 0x\(hex(UInt64(protocolType), digits: 4)), "
                    + "lengths \(hardwareLength)/\(protocolLength)")
        }
        operation = ARPOperation(rawValue: reader.u16(6))
        senderHardwareAddress = reader.mac(8)
        senderProtocolAddress = reader.ipv4(14)
        targetHardwareAddress = reader.mac(18)
        targetProtocolAddress = reader.ipv4(24)
    }

    /// Writes the 28-byte packet at the start of `buffer`.
    @inlinable
    public func emit(into buffer: UnsafeMutableRawBufferPointer) {
        let writer = ByteWriter(buffer, length: Self.encodedLength)
        writer.u16(0, 1)
        writer.u16(2, EtherType.ipv4.rawValue)
        writer.u8(4, 6)
        writer.u8(5, 4)
        writer.u16(6, operation.rawValue)
        writer.mac(8, senderHardwareAddress)
        writer.ipv4(14, senderProtocolAddress)
        writer.mac(18, targetHardwareAddress)
        writer.ipv4(24, targetProtocolAddress)
    }
}
