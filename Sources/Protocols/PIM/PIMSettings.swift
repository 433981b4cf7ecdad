import Engine
import IOSConfig
import Wire

/// `ip pim rp-address A.B.C.D [ACL] [override]`: a static RP (RFC 7761 §4.7's Group-to-RP mapping), for every
/// group or for the groups a standard access list permits.
public struct StaticRP: Hashable, Sendable {
    public var address: IPv4Address
    /// The access list (number or name) restricting the groups; nil: 224.0.0.0/4.
    public var accessList: String?
    /// `override`: the static mapping beats dynamically learned ones (Auto-RP/BSR, not modelled): kept and shown.
    public var override: Bool
    public init(address: IPv4Address, accessList: String? = nil, override: Bool = false) {
        self.address = address
        self.accessList = accessList
        self.override = override
    }
}

/// A static multicast route, `ip mroute SRC MASK RPF-ADDR|INTERFACE [DISTANCE]`: the RPF neighbor or interface
/// for sources in a prefix, preferred to the unicast RIB (ios-behavior.md §8.3; distance 0 by default).
public struct StaticMRoute: Hashable, Sendable {
    public var prefix: IPv4Prefix
    public var rpfAddress: IPv4Address?
    public var interface: String?
    public var distance: Int
    public init(prefix: IPv4Prefix, rpfAddress: IPv4Address?, interface: String?, distance: Int = 0) {
        self.prefix = prefix
        self.rpfAddress = rpfAddress
        self.interface = interface
        self.distance = distance
    }
}

/// PIM on one interface beyond the mode (`ip pim sparse-mode` lives in `IGMPSettings`, as it enables IGMP too).
public struct PIMInterfaceSettings: Hashable, Sendable {
    /// `ip pim dr-priority N` (RFC 7761 §4.3.2; default 1).
    public var drPriority: UInt32?
    /// `ip pim query-interval S`: the Hello period (IOS default 30 s; holdtime 3.5 ×).
    public var queryIntervalSeconds: Int?
    /// `no ip mroute-cache`: accepted and shown (IOS needs it before `debug ip mpacket` sees fast-switched packets).
    public var noMrouteCache = false
    /// `ip multicast ttl-threshold N`.
    public var ttlThreshold: Int?
    public init() {}
}

/// A router's PIM-SM settings: static RPs, the SPT threshold, static mroutes, and the interface commands.
public struct PIMSettings: ProtocolSettings {
    public var rendezvousPoints: [StaticRP] = []
    /// `ip pim spt-threshold infinity`: last-hop routers stay on the shared tree (IOS default 0: switch at once).
    public var sptThresholdInfinity = false
    public var staticMRoutes: [StaticMRoute] = []
    public var interfaces: [String: PIMInterfaceSettings] = [:]
    public init() {}
}

/// The hello timers of RFC 7761 §4.11 as IOS uses them (ios-behavior.md §8).
public enum PIMTimers {
    public static let helloPeriod = SimDuration.seconds(30)
    /// Triggered_Hello_Delay: the first Hello on an interface, and the answer to a new neighbor, within 5 s.
    public static let triggeredHelloDelay = SimDuration.seconds(5)
    public static let joinPrunePeriod = SimDuration.seconds(60)
    /// J/P holdtime: 3.5 × the Join/Prune period.
    public static let joinPruneHoldtimeSeconds: UInt16 = 210
    /// Register_Suppression_Time and Register_Probe_Time (§4.11).
    public static let registerSuppressionTime = SimDuration.seconds(60)
    public static let registerProbeTime = SimDuration.seconds(5)
    /// Keepalive_Period (§4.11).
    public static let keepalivePeriod = SimDuration.seconds(210)
    /// Assert_Time and Assert_Override_Interval (§4.11).
    public static let assertTime = SimDuration.seconds(180)
    public static let assertOverrideInterval = SimDuration.seconds(3)
    /// J/P_Override_Interval: Propagation_Delay 0.5 s + t_override 2.5 s (§4.11).
    public static let joinPruneOverrideInterval = SimDuration.seconds(3)
    public static let tOverride = SimDuration.milliseconds(2500)
}
