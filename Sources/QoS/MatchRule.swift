import Wire

/// The fields a `MatchRule` tests, packed once per packet so each rule compares whole words.
struct PackedKey {
    /// Source address << 32 | destination address.
    var addresses: UInt64
    /// Input interface << 32 | IP protocol << 8 | transport (TCP or UDP) << 1 | IPv4.
    var context: UInt64
    var dscp: UInt64
    var sourcePort: UInt16
    var destinationPort: UInt16

    static let ipv4Bit: UInt64 = 1
    static let transportBit: UInt64 = 2

    /// The fields of a key under a `Mask`, in three words (ports and DSCP share the last, whose
    /// low bit is always set).
    struct Masked: Equatable {
        var addresses: UInt64
        var context: UInt64
        var rest: UInt64
    }

    /// Which bits of a key some rule reads.
    struct Mask {
        var addresses: UInt64 = 0
        var context: UInt64 = 0
        /// Source port << 48 | destination port << 32 | DSCP << 8.
        var rest: UInt64 = 0

        mutating func formUnion(_ other: Mask) {
            addresses |= other.addresses
            context |= other.context
            rest |= other.rest
        }

        @inline(__always)
        func apply(_ key: PackedKey) -> Masked {
            let rest = UInt64(key.sourcePort) &<< 48 | UInt64(key.destinationPort) &<< 32 | key.dscp &<< 8
            return Masked(addresses: key.addresses & addresses, context: key.context & context,
                          rest: rest & self.rest | 1)
        }
    }

    @inline(__always)
    init(_ key: PacketKey) {
        addresses = UInt64(key.source.rawValue) << 32 | UInt64(key.destination.rawValue)
        let transport: UInt64 = key.ipProtocol == 6 || key.ipProtocol == 17 ? PackedKey.transportBit : 0
        context = UInt64(key.inputInterface) << 32 | UInt64(key.ipProtocol) << 8 | transport
            | (key.isIPv4 ? PackedKey.ipv4Bit : 0)
        dscp = UInt64(key.tos >> 2)
        sourcePort = key.sourcePort
        destinationPort = key.destinationPort
    }
}

/// One predicate over a packet key in the form the per-packet scans read: an access-list entry or
/// a class-map criterion flattened into masks and ranges — no enums, no optionals, no reference
/// counting, and one code path for every kind, so classification takes no indirect branches.
///
/// A key matches when every field agrees: addresses, protocol, input interface and address family
/// under care masks, the DSCP in a 64-bit set, and each port in a range (inverted for `neq`).
/// Port operators admit only TCP and UDP; rules other than `match any` and `match input-interface`
/// admit only IPv4.
struct MatchRule {
    var addressCare: UInt64 = 0, addressValue: UInt64 = 0
    var contextCare: UInt64 = PackedKey.ipv4Bit, contextValue: UInt64 = PackedKey.ipv4Bit
    /// Bit d set when DSCP d is admitted (`dscp`, `precedence`, class-map `match ip dscp|precedence`).
    var dscpSet: UInt64 = .max
    /// A port p is in range when `p &- low <= span`.
    var sourcePortLow: UInt16 = 0, sourcePortSpan: UInt16 = .max
    var destinationPortLow: UInt16 = 0, destinationPortSpan: UInt16 = .max
    /// 1 for `neq` (and for an operator no port satisfies), as a word so the match stays arithmetic.
    var sourcePortNegate: UInt32 = 0, destinationPortNegate: UInt32 = 0
    /// The entry's action; criteria that are not access lists permit.
    var permit = true

    /// A rule that matches every frame (`match any`).
    static let any = MatchRule(contextCare: 0, contextValue: 0)

    /// - Complexity: O(1), without data-dependent branches.
    @inline(__always)
    func matches(_ key: PackedKey) -> Bool {
        // Parenthesized: `^` and `|` share a precedence level in Swift.
        var miss = ((key.addresses & addressCare) ^ addressValue) | ((key.context & contextCare) ^ contextValue)
            | (~(dscpSet &>> key.dscp) & 1)
        // A port is out of range when `span − (port − low)` borrows (bit 31 of the 32-bit difference).
        let sourceOut = (UInt32(sourcePortSpan) &- UInt32(key.sourcePort &- sourcePortLow)) >> 31
        let destinationOut = (UInt32(destinationPortSpan) &- UInt32(key.destinationPort &- destinationPortLow)) >> 31
        miss |= UInt64((sourceOut ^ sourcePortNegate) | (destinationOut ^ destinationPortNegate))
        return miss == 0
    }

    /// The key bits this rule's outcome depends on: a field it constrains is read whole.
    var readMask: PackedKey.Mask {
        let sourcePorts: UInt64 = sourcePortLow == 0 && sourcePortSpan == .max && sourcePortNegate == 0 ? 0 : 0xFFFF
        let destinationPorts: UInt64 =
            destinationPortLow == 0 && destinationPortSpan == .max && destinationPortNegate == 0 ? 0 : 0xFFFF
        return PackedKey.Mask(addresses: addressCare, context: contextCare,
                              rest: sourcePorts << 48 | destinationPorts << 32 | (dscpSet == .max ? 0 : 0x3F << 8))
    }
}

extension MatchRule {
    /// An access-list entry (first match decides; ports only after tcp/udp).
    init(_ e: AccessListEntry) {
        func address(_ m: AddressMatch) -> (care: UInt32, value: UInt32) {
            switch m {
            case .any: return (0, 0)
            case let .host(h): return (.max, h.rawValue)
            case let .wildcard(a, bits): return (~bits.rawValue, a.rawValue & ~bits.rawValue)
            }
        }
        let source = address(e.source), destination = address(e.destination)
        addressCare = UInt64(source.care) << 32 | UInt64(destination.care)
        addressValue = UInt64(source.value) << 32 | UInt64(destination.value)
        (sourcePortLow, sourcePortSpan, sourcePortNegate) = MatchRule.portRange(e.sourcePort)
        (destinationPortLow, destinationPortSpan, destinationPortNegate) = MatchRule.portRange(e.destinationPort)
        setProtocol(e.ipProtocol)
        if e.sourcePort != nil || e.destinationPort != nil {
            contextCare |= PackedKey.transportBit
            contextValue |= PackedKey.transportBit
        }
        if let d = e.dscp { dscpSet &= d <= 63 ? 1 << UInt64(d) : 0 }
        if let p = e.precedence { dscpSet &= MatchRule.dscpSet(precedence: p) }
        permit = e.action == .permit
    }

    /// A class-map criterion other than `access-group` and `not` (those are rule lists and a flag).
    init(criterion c: MatchCriterion) {
        switch c {
        case let .protocol(p):
            setProtocol(p)
        case let .dscp(values):
            dscpSet = values.reduce(0) { $0 | 1 << UInt64($1.rawValue & 63) }
        case let .precedence(values):
            dscpSet = values.reduce(0) { $0 | MatchRule.dscpSet(precedence: $1) }
        case let .inputInterface(port, _):
            contextCare = 0xFFFF_FFFF << 32
            contextValue = UInt64(port) << 32
        case .any, .accessGroup, .not:
            self = .any
        }
    }

    private mutating func setProtocol(_ p: IPProtocolMatch) {
        let number: UInt8
        switch p {
        case .ip: return
        case .icmp: number = 1
        case .tcp: number = 6
        case .udp: number = 17
        case let .number(n): number = n
        }
        contextCare |= 0xFF << 8
        contextValue |= UInt64(number) << 8
    }

    /// The eight DSCP values of precedence `p` (none for a value above 7).
    static func dscpSet(precedence p: UInt8) -> UInt64 { p <= 7 ? 0xFF << (UInt64(p) * 8) : 0 }

    /// (low, span, negate) for a port operator; an operator no port satisfies becomes an
    /// inverted full range.
    static func portRange(_ m: PortMatch?) -> (UInt16, UInt16, UInt32) {
        switch m {
        case nil: return (0, .max, 0)
        case let .eq(p)?: return (p, 0, 0)
        case let .neq(p)?: return (p, 0, 1)
        case let .gt(p)?: return p == .max ? (0, .max, 1) : (p + 1, .max - (p + 1), 0)
        case let .lt(p)?: return p == 0 ? (0, .max, 1) : (0, p - 1, 0)
        case let .range(a, b)?: return a <= b ? (a, b - a, 0) : (0, .max, 1)
        }
    }
}
