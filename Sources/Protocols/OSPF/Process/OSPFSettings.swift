import IOSConfig
import Wire

/// `network A.B.C.D W.W.W.W area X` (IOS semantics: an interface whose primary address matches the address
/// under the wildcard joins the area; the first matching statement, in configuration order, wins).
public struct OSPFNetworkStatement: Hashable, Sendable {
    public var address: IPv4Address
    public var wildcard: IPv4Address
    public var area: AreaID

    public init(address: IPv4Address, wildcard: IPv4Address, area: AreaID) {
        self.address = address
        self.wildcard = wildcard
        self.area = area
    }

    public func matches(_ candidate: IPv4Address) -> Bool {
        let care = ~wildcard.rawValue
        return candidate.rawValue & care == address.rawValue & care
    }
}

/// The type of a non-backbone area as configured under `router ospf` (`area X stub [no-summary]`,
/// `area X nssa [no-summary] [default-information-originate ...] [no-redistribution]`).
public enum OSPFAreaKind: Hashable, Sendable {
    case normal
    /// RFC 2328 §3.6. `noSummary` (on the ABR): totally stubby.
    case stub(noSummary: Bool)
    /// RFC 3101. `noSummary` (on the ABR): totally NSSA.
    case nssa(NSSAOptions)

    /// How the routing table calculation treats the area.
    public var spfType: OSPFAreaType {
        switch self {
        case .normal: .normal
        case .stub: .stub
        case .nssa: .nssa
        }
    }
}

/// The options of `area X nssa ...`.
public struct NSSAOptions: Hashable, Sendable {
    public var noSummary = false
    /// `default-information-originate [metric M] [metric-type 1|2]`.
    public var defaultInformationOriginate = false
    public var defaultMetric: UInt32 = 1
    public var defaultMetricType2 = true
    public var noRedistribution = false
    /// `area X nssa translate type7 always`.
    public var translateAlways = false

    public init() {}
}

/// Everything `area X ...` configures for one area.
public struct OSPFAreaSettings: Hashable, Sendable {
    public var kind: OSPFAreaKind = .normal
    /// `area X default-cost C` (the default summary into a stub area or NSSA; IOS default 1).
    public var defaultCost: UInt32?
    /// `area X range A.B.C.D M.M.M.M [advertise | not-advertise] [cost C]`, in configuration order.
    public var ranges: [AreaRange] = []
    /// `area X authentication [message-digest]`: the area's default for its interfaces (nil: null).
    public var authentication: OSPFAuthenticationMode?

    public init() {}

    /// The area as origination needs it.
    public var originationKind: OriginationAreaKind {
        let cost = defaultCost ?? 1
        switch kind {
        case .normal: return .normal
        case let .stub(noSummary): return .stub(noSummary: noSummary, defaultCost: cost)
        case let .nssa(o):
            return .nssa(noSummary: o.noSummary, defaultCost: cost, defaultInformationOriginate: o.defaultInformationOriginate,
                         defaultMetric: o.defaultMetric, defaultIsType2: o.defaultMetricType2,
                         noRedistribution: o.noRedistribution)
        }
    }
}

/// What `redistribute` takes routes from.
public enum OSPFRedistributionSource: Hashable, Sendable, Comparable {
    case connected
    case `static`
    /// `redistribute ospf N`: another OSPF process's routes.
    case ospf(Int)
}

/// `redistribute SOURCE [metric M] [metric-type 1|2] [subnets] [tag T]`.
public struct OSPFRedistribution: Hashable, Sendable {
    public var source: OSPFRedistributionSource
    /// IOS default 20 (1 for BGP).
    public var metric: UInt32?
    /// IOS default type 2.
    public var metricType2 = true
    /// Without `subnets` IOS redistributes only classful networks.
    public var subnets = false
    public var tag: UInt32 = 0

    public init(source: OSPFRedistributionSource) { self.source = source }
}

/// `default-information originate [always] [metric M] [metric-type 1|2]`.
public struct OSPFDefaultInformation: Hashable, Sendable {
    public var always = false
    /// IOS default 1.
    public var metric: UInt32 = 1
    public var metricType2 = true

    public init() {}
}

/// `summary-address A.B.C.D M.M.M.M [not-advertise] [tag T]` on an ASBR.
public struct OSPFSummaryAddress: Hashable, Sendable {
    public var prefix: IPv4Prefix
    public var advertise = true
    public var tag: UInt32 = 0

    public init(prefix: IPv4Prefix) { self.prefix = prefix }
}

/// One `router ospf N` block.
public struct OSPFProcessSettings: Hashable, Sendable {
    public var routerID: IPv4Address?
    public var networks: [OSPFNetworkStatement] = []
    /// Full interface names (`GigabitEthernet0/0`) named by `passive-interface X`.
    public var passiveInterfaces: Set<String> = []
    /// `passive-interface default`: every interface is passive but those in `nonPassiveInterfaces`.
    public var passiveByDefault = false
    /// `no passive-interface X` under `passive-interface default`.
    public var nonPassiveInterfaces: Set<String> = []
    /// By area; an area with default settings need not appear.
    public var areas: [AreaID: OSPFAreaSettings] = [:]
    public var redistributions: [OSPFRedistribution] = []
    public var defaultInformation: OSPFDefaultInformation?
    public var summaryAddresses: [OSPFSummaryAddress] = []
    /// `auto-cost reference-bandwidth M` in Mbit/s (IOS default 100).
    public var referenceBandwidthMbps: Int?
    /// `maximum-paths N` (IOS default 4).
    public var maximumPaths: Int?
    /// `timers throttle spf START HOLD MAX` in milliseconds (IOS default 5000 10000 10000).
    public var spfThrottle: OSPFThrottle?
    /// `timers throttle lsa all START HOLD MAX` in milliseconds (IOS default 0 5000 5000).
    public var lsaThrottle: OSPFThrottle?
    /// `log-adjacency-changes [detail]`: IOS logs ADJCHG to FULL and DOWN by default; `detail` logs every step.
    public var logAdjacencyDetail = false
    /// `no log-adjacency-changes` turns the ADJCHG lines off.
    public var logAdjacencyChanges = true
    /// `no discard-route internal`: an ABR installs no Null0 route for its area ranges (IOS default on).
    public var discardRouteInternal = true
    /// `no discard-route external`: an ASBR installs no Null0 route for its summary addresses (IOS default on).
    public var discardRouteExternal = true

    public init() {}

    public func isPassive(_ interface: String) -> Bool {
        passiveByDefault ? !nonPassiveInterfaces.contains(interface) : passiveInterfaces.contains(interface)
    }

    public func area(_ id: AreaID) -> OSPFAreaSettings { areas[id] ?? OSPFAreaSettings() }
}

/// `timers throttle ... START HOLD MAX` (milliseconds).
public struct OSPFThrottle: Hashable, Sendable {
    public var start: Int
    public var hold: Int
    public var maximum: Int

    public init(start: Int, hold: Int, maximum: Int) {
        self.start = start
        self.hold = hold
        self.maximum = maximum
    }

    /// IOS `timers throttle spf` default.
    public static let spfDefault = OSPFThrottle(start: 5000, hold: 10000, maximum: 10000)
    /// IOS `timers throttle lsa all` default (ios-behavior.md §7.1, unconfirmed).
    public static let lsaDefault = OSPFThrottle(start: 0, hold: 5000, maximum: 5000)
}

/// `ip ospf PID area X` on an interface (takes precedence over `network` statements, as on IOS).
public struct OSPFInterfaceArea: Hashable, Sendable {
    public var process: Int
    public var area: AreaID

    public init(process: Int, area: AreaID) {
        self.process = process
        self.area = area
    }
}

/// The `ip ospf ...` commands of one interface.
public struct OSPFInterfaceSettings: Hashable, Sendable {
    public var cost: UInt16?
    public var helloInterval: Int?
    public var deadInterval: Int?
    public var priority: UInt8?
    public var area: OSPFInterfaceArea?
    /// `ip ospf network point-to-point | broadcast`.
    public var networkType: OSPFNetworkType?
    /// `ip ospf mtu-ignore`: the DD MTU check is skipped (RFC 2328 §10.6 otherwise).
    public var mtuIgnore = false
    /// `ip ospf retransmit-interval N` (default 5 s).
    public var retransmitInterval: Int?
    /// `ip ospf transmit-delay N` (default 1 s).
    public var transmitDelay: Int?
    /// `ip ospf authentication [message-digest | null]`: overrides the area's `area X authentication`.
    public var authentication: OSPFAuthenticationMode?
    /// `ip ospf authentication-key KEY` (simple password, at most 8 characters are used).
    public var authenticationKey: String?
    /// `ip ospf message-digest-key N md5 KEY`, by key ID.
    public var messageDigestKeys: [UInt8: String] = [:]

    public init() {}
}

/// Everything OSPF a device configured: its processes and its interfaces' `ip ospf` commands.
public struct OSPFSettings: ProtocolSettings {
    public var processes: [Int: OSPFProcessSettings] = [:]
    /// By full interface name.
    public var interfaces: [String: OSPFInterfaceSettings] = [:]

    public init() {}
}

/// The authentication an interface uses (RFC 2328 D: AuType 0, 1 or 2).
public enum OSPFAuthenticationMode: Hashable, Sendable {
    case null
    case simplePassword
    case messageDigest

    /// The AuType field's value.
    public var auType: UInt16 {
        switch self {
        case .null: 0
        case .simplePassword: 1
        case .messageDigest: 2
        }
    }
}
