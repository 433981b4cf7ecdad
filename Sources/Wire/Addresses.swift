/// A 48-bit IEEE 802 MAC address, kept in the low 48 bits of a `UInt64`.
public struct MACAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue & 0xFFFF_FFFF_FFFF }
    @inlinable public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8) {
        rawValue = UInt64(b0) << 40 | UInt64(b1) << 32 | UInt64(b2) << 24 | UInt64(b3) << 16 | UInt64(b4) << 8 | UInt64(b5)
    }

    public static let broadcast = MACAddress(rawValue: 0xFFFF_FFFF_FFFF)
    public static let zero = MACAddress(rawValue: 0)

    /// The I/G bit (first octet, least significant bit): set for multicast and broadcast.
    @inlinable public var isMulticast: Bool { rawValue & 0x0100_0000_0000 != 0 }
    @inlinable public var isBroadcast: Bool { rawValue == 0xFFFF_FFFF_FFFF }
    @inlinable public var isUnicast: Bool { !isMulticast }

    /// Octet `i` (0 is sent first).
    @inlinable public subscript(octet i: Int) -> UInt8 { UInt8(truncatingIfNeeded: rawValue >> UInt64(40 - 8 * i)) }

    @inlinable public static func < (a: MACAddress, b: MACAddress) -> Bool { a.rawValue < b.rawValue }

    /// The RFC 1112 §6.4 mapping of an IPv4 multicast group: 01-00-5E plus its low 23 bits.
    public static func multicast(for group: IPv4Address) -> MACAddress {
        MACAddress(rawValue: 0x0100_5E00_0000 | UInt64(group.rawValue & 0x7F_FFFF))
    }

    /// Cisco notation: `0050.56c0.0001`.
    public var description: String { ciscoNotation }

    public var ciscoNotation: String {
        let h = hex(rawValue, digits: 12)
        let c = Array(h)
        return String(c[0..<4]) + "." + String(c[4..<8]) + "." + String(c[8..<12])
    }

    /// Colon notation: `00:50:56:c0:00:01`.
    public var colonNotation: String {
        (0..<6).map { hex(UInt64(self[octet: $0]), digits: 2) }.joined(separator: ":")
    }

    /// Parses `0050.56c0.0001`, `00:50:56:c0:00:01` or `00-50-56-C0-00-01`.
    public init?(_ text: String) {
        let digits = text.filter { $0 != "." && $0 != ":" && $0 != "-" }
        guard digits.count == 12, let value = UInt64(digits, radix: 16) else { return nil }
        let separators = text.filter { $0 == "." || $0 == ":" || $0 == "-" }.count
        guard separators == 0 || separators == 2 || separators == 5 else { return nil }
        self.init(rawValue: value)
    }
}

/// An IPv4 address in host byte order.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    public static let any = IPv4Address(rawValue: 0)
    public static let broadcast = IPv4Address(rawValue: 0xFFFF_FFFF)

    /// 224.0.0.0/4 (RFC 5771).
    @inlinable public var isMulticast: Bool { rawValue & 0xF000_0000 == 0xE000_0000 }
    /// 224.0.0.0/24, never forwarded off the link (RFC 5771 §4).
    @inlinable public var isLinkLocalMulticast: Bool { rawValue & 0xFFFF_FF00 == 0xE000_0000 }
    @inlinable public var isLimitedBroadcast: Bool { rawValue == 0xFFFF_FFFF }

    @inlinable public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        "\(rawValue >> 24).\((rawValue >> 16) & 0xFF).\((rawValue >> 8) & 0xFF).\(rawValue & 0xFF)"
    }

    /// Parses dotted-quad notation (`10.1.2.3`); nothing else.
    public init?(_ text: String) {
        var value: UInt32 = 0
        var parts = 0
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
            parts += 1
        }
        guard parts == 4 else { return nil }
        rawValue = value
    }
}

/// An IPv4 prefix: a network address and a length, with host bits cleared.
public struct IPv4Prefix: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let network: IPv4Address
    public let length: Int

    /// The prefix containing `address` with `length` bits of network part (0...32).
    @inlinable public init(_ address: IPv4Address, length: Int) {
        precondition((0...32).contains(length), "prefix length out of range")
        self.length = length
        self.network = IPv4Address(rawValue: address.rawValue & Self.mask(length: length))
    }

    /// The prefix for an address and a dotted mask; nil when the mask is not contiguous.
    public init?(_ address: IPv4Address, mask: IPv4Address) {
        guard let length = Self.length(ofMask: mask) else { return nil }
        self.init(address, length: length)
    }

    @inlinable public static func mask(length: Int) -> UInt32 { length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length) }

    /// The prefix length of a contiguous dotted mask, or nil.
    public static func length(ofMask mask: IPv4Address) -> Int? {
        let m = mask.rawValue
        let ones = m.nonzeroBitCount
        return mask.rawValue == Self.mask(length: ones) ? ones : nil
    }

    public var mask: IPv4Address { IPv4Address(rawValue: Self.mask(length: length)) }
    /// The directed broadcast address of the prefix.
    public var broadcast: IPv4Address { IPv4Address(rawValue: network.rawValue | ~Self.mask(length: length)) }

    @inlinable public func contains(_ address: IPv4Address) -> Bool {
        address.rawValue & Self.mask(length: length) == network.rawValue
    }

    public static func < (a: IPv4Prefix, b: IPv4Prefix) -> Bool {
        (a.network, a.length) < (b.network, b.length)
    }

    public var description: String { "\(network)/\(length)" }

    /// Parses `10.0.0.0/8`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])),
              let length = Int(parts[1]), (0...32).contains(length) else { return nil }
        self.init(address, length: length)
    }
}

func hex(_ value: UInt64, digits: Int) -> String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: max(0, digits - s.count)) + s
}
