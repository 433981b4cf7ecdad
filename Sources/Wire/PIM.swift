import Engine

// CONTRACT (PIM-SM work, 2026-12-02): the types and signatures below are what the PIM protocol codes
// against. The wire helper implements the bodies (RFC 7761 §4.9) and removes this comment.

/// A PIMv2 message (RFC 7761 §4.9), the whole IP payload (IP protocol 103).
///
/// The checksum is the Internet checksum over the whole PIM message, except for Register messages, where
/// it covers only the PIM header (the first 8 bytes: header and the Register's flags word, §4.9.3).
/// Parsing verifies version 2 and the checksum; emitting computes it.
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

    public var type: UInt8 { fatalError("contract: implemented by the wire helper") }

    /// Parses `bytes` as one whole PIM message (the IP payload, exactly) and verifies version and checksum.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) { throw .malformed("contract") }

    /// The encoded message, checksum computed.
    public func encoded() -> [UInt8] { fatalError("contract: implemented by the wire helper") }
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
        self.group = group
        self.source = source
        self.rptBit = rptBit
        self.metricPreference = metricPreference
        self.metric = metric
    }
}
