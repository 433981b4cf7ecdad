import Engine
import Wire

/// An OSPF area ID (RFC 2328 §3): 32 bits, written as a number (`area 1`) or dotted (`area 0.0.0.1`).
public struct AreaID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ address: IPv4Address) { rawValue = address.rawValue }

    /// Area 0.0.0.0.
    public static let backbone = AreaID(rawValue: 0)

    /// Reads `0`, `51`, `0.0.0.51` (IOS accepts both forms, `<0-4294967295>` or `A.B.C.D`).
    public init?(_ text: String) {
        if let n = UInt32(text) { rawValue = n; return }
        guard let a = IPv4Address(text) else { return nil }
        rawValue = a.rawValue
    }

    public var address: IPv4Address { IPv4Address(rawValue: rawValue) }
    public var isBackbone: Bool { rawValue == 0 }
    public static func < (a: AreaID, b: AreaID) -> Bool { a.rawValue < b.rawValue }
    /// As IOS prints an area in `show ip ospf` and `show ip ospf interface`: the number as configured
    /// is not kept, so `0` prints as "0" and others as numbers; `dotted` gives the other form.
    public var description: String { String(rawValue) }
    public var dotted: String { address.description }
}

/// Architectural constants (RFC 2328 Appendix B) and the IOS defaults of ios-behavior.md §7.1.
public enum OSPFConstants {
    public static let lsRefreshTime = SimDuration.seconds(1800)
    public static let minLSInterval = SimDuration.seconds(5)
    public static let minLSArrival = SimDuration.seconds(1)
    public static let maxAge = SimDuration.seconds(3600)
    public static let checkAge = SimDuration.seconds(300)
    public static let maxAgeDiff = SimDuration.seconds(900)
    /// LSInfinity: the metric of an unreachable destination (24 bits).
    public static let lsInfinity: UInt32 = 0xFF_FFFF
    /// DefaultDestination.
    public static let defaultDestination = IPv4Address.any

    /// IOS: 10 s hellos and 40 s dead interval on broadcast and point-to-point networks.
    public static let helloInterval = SimDuration.seconds(10)
    public static let routerDeadInterval = SimDuration.seconds(40)
    public static let rxmtInterval = SimDuration.seconds(5)
    public static let infTransDelay = SimDuration.seconds(1)
    public static let routerPriority: UInt8 = 1
    /// IOS `auto-cost reference-bandwidth` default: 100 Mbit/s.
    public static let referenceBandwidth = Bandwidth.mbps(100)
    /// IOS `maximum-paths` default for OSPF.
    public static let maximumPaths = 4
    public static let administrativeDistance: UInt8 = 110
}

/// The network types of an OSPF interface (RFC 2328 §1.2); IOS `ip ospf network ...`.
public enum OSPFNetworkType: Hashable, Sendable {
    case broadcast
    case pointToPoint
    case nbma
    case pointToMultipoint
    case virtualLink
}
