import Engine
import IOSConfig
import Wire

/// IGMP on one router interface as configured (`ip igmp ...`, `ip pim sparse-mode`).
public struct IGMPInterfaceSettings: Hashable, Sendable {
    /// `ip igmp join-group G`: the router itself is a member (it answers pings to the group).
    public var joinGroups: [IPv4Address] = []
    /// `ip igmp static-group G`: forwarded as if a member were present, without the router joining.
    public var staticGroups: [IPv4Address] = []
    /// `ip igmp version 2|3` (IOS default 2).
    public var version: Int?
    /// `ip igmp query-interval S` (IOS default 60 s).
    public var queryIntervalSeconds: Int?
    /// `ip igmp query-max-response-time S` (IOS default 10 s).
    public var queryMaxResponseTimeSeconds: Int?
    /// `ip pim sparse-mode`: IGMP runs on the interface when multicast routing is on.
    public var pimSparseMode = false
    /// `ip pim sparse-dense-mode`: IGMP runs as with sparse mode (PIM treats the interface as sparse where an RP
    /// is known; dense mode is not modelled).
    public var pimSparseDenseMode = false

    public init() {}
}

/// A device's IGMP settings: `ip multicast-routing` and the per-interface commands, by interface name.
public struct IGMPSettings: ProtocolSettings {
    public var multicastRouting = false
    public var interfaces: [String: IGMPInterfaceSettings] = [:]

    public init() {}
}
