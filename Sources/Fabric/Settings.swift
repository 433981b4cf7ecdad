import Engine
import QoS
import Wire

/// An interface's configuration as a typed value; Lab parses IOS text into it.
public struct InterfaceSettings: Equatable, Sendable {
    /// Canonical IOS name (`GigabitEthernet0/0.10` for a subinterface).
    public var name: String
    public var description: String?
    public var shutdown = false
    /// Primary address first, then secondaries.
    public var addresses: [InterfaceAddress] = []
    /// The `bandwidth` command, if given.
    public var bandwidth: Bandwidth?
    public var mtu: Int?
    /// `encapsulation dot1Q N [native]` on a subinterface.
    public var dot1QVLAN: UInt16?
    public var dot1QNative = false
    /// Layer 2 settings on a switch port.
    public var switchport: SwitchportSettings?
    /// `hold-queue N out`.
    public var holdQueueOut: Int?
    /// `tx-ring-limit N` (nil: the default ring of 1).
    public var txRingLimit: Int?
    /// `no fair-queue` given explicitly.
    public var fairQueueDisabled = false
    /// Explicit queueing (`fair-queue`, `priority-group`, `custom-queue-list`, `service-policy output`).
    public var queueing: QueueingConfiguration?
    /// `arp timeout S` (IOS default 4 hours).
    public var arpTimeout: SimDuration?
    /// `service-policy input NAME`, resolved to its policy map.
    public var inputPolicy: PolicyMap?
    /// `max-reserved-bandwidth N` (percent, IOS default 75).
    public var maxReservedBandwidthPercent = 75
    /// `storm-control ...` on a switch port.
    public var stormControl = StormControlSettings()
    /// Host groups the node joins on this interface (a host's `groups:` in a topology; RFC 1112 §7.2).
    public var joinedGroups: [IPv4Address] = []
    /// The IGMP version a host runs on this interface (a host's `igmp-version:`; nil is 2, RFC 2236; 3 is RFC 3376).
    public var igmpVersion: Int?
    /// `mac-address H.H.H` (a router) or a host's `mac:`: the interface's MAC instead of the burned-in one.
    public var macAddress: MACAddress?
    /// A host's `cluster:`: the interface is a Windows NLB member (ios-behavior §10).
    public var nlb: NLBSettings?
    /// How many times `shutdown` was entered: a port err-disabled by storm control recovers on
    /// `shutdown` followed by `no shutdown`, even when both come in one configuration change.
    public var shutdownCount = 0

    public init(name: String) { self.name = name }

    /// True for `Loopback` interfaces.
    public var isLoopback: Bool { name.hasPrefix("Loopback") }
    /// True for `Serial` interfaces.
    public var isSerial: Bool { name.hasPrefix("Serial") }
    /// The physical interface of a subinterface (`GigabitEthernet0/0` for `GigabitEthernet0/0.10`).
    public var physicalName: String { name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name }
    public var isSubinterface: Bool { name.contains(".") }
}

/// An address with its mask on an interface.
public struct InterfaceAddress: Equatable, Sendable {
    public var address: IPv4Address
    public var prefix: IPv4Prefix
    public var secondary: Bool
    public init(address: IPv4Address, prefix: IPv4Prefix, secondary: Bool = false) {
        self.address = address
        self.prefix = prefix
        self.secondary = secondary
    }
}

/// `switchport` settings of a switch port.
public struct SwitchportSettings: Equatable, Sendable {
    public enum Mode: Equatable, Sendable { case access, trunk }
    public var mode: Mode = .access
    public var accessVLAN: UInt16 = 1
    public var nativeVLAN: UInt16 = 1
    /// Allowed VLANs on a trunk; nil means all.
    public var allowedVLANs: Set<UInt16>?
    public init() {}
}

/// The traffic types storm control measures, in the order IOS lists them.
public enum StormTrafficType: Int, CaseIterable, Sendable {
    case broadcast, multicast, unicast

    public var keyword: String {
        switch self {
        case .broadcast: "broadcast"
        case .multicast: "multicast"
        case .unicast: "unicast"
        }
    }
}

/// A storm-control threshold pair (`level 1.00 0.50`, `level bps 10m 5m`, `level pps 1k`).
public struct StormControlLevel: Equatable, Sendable {
    public enum Unit: Equatable, Sendable {
        /// Percent of the port's bandwidth, two decimals.
        case percent
        case bitsPerSecond
        case packetsPerSecond
    }
    public var unit: Unit
    public var rising: Double
    /// IOS: the falling level defaults to the rising one.
    public var falling: Double
    public init(unit: Unit, rising: Double, falling: Double? = nil) {
        self.unit = unit
        self.rising = rising
        self.falling = falling ?? rising
    }
}

/// `storm-control` on one switch port (Catalyst IOS: 1-second intervals, filter by default).
public struct StormControlSettings: Equatable, Sendable {
    /// Levels by `StormTrafficType.rawValue`; nil: not configured.
    public var levels: [StormControlLevel?] = [nil, nil, nil]
    /// `storm-control action shutdown`: err-disable the port (the default action filters).
    public var shutdown = false
    /// `storm-control action trap`: an SNMP trap as well (traps are not modelled; the log line is).
    /// IOS: trap and shutdown are independent of each other.
    public var trap = false

    public init() {}

    public subscript(type: StormTrafficType) -> StormControlLevel? {
        get { levels[type.rawValue] }
        set { levels[type.rawValue] = newValue }
    }

    /// IOS: storm control acts only when the rising level is below 100 percent.
    public var isActive: Bool {
        levels.contains { $0.map { $0.unit != .percent || $0.rising < 100 } ?? false }
    }
}

/// A static route (`ip route PREFIX MASK {NEXT-HOP | INTERFACE} [DISTANCE]`).
public struct StaticRoute: Equatable, Sendable {
    public var prefix: IPv4Prefix
    public var nextHop: IPv4Address?
    public var interface: String?
    public var distance: UInt8
    public init(prefix: IPv4Prefix, nextHop: IPv4Address?, interface: String?, distance: UInt8 = 1) {
        self.prefix = prefix
        self.nextHop = nextHop
        self.interface = interface
        self.distance = distance
    }
}

/// `mac address-table static MAC vlan N interface INTF...`.
public struct StaticMACEntry: Equatable, Sendable {
    public var mac: MACAddress
    public var vlan: UInt16
    public var interfaces: [String]
    public init(mac: MACAddress, vlan: UInt16, interfaces: [String]) {
        self.mac = mac
        self.vlan = vlan
        self.interfaces = interfaces
    }
}

/// A router's or a host's configuration: what the IP node needs to know.
public struct IPNodeSettings: Equatable, Sendable {
    public var hostname: String
    public var interfaces: [InterfaceSettings] = []
    public var staticRoutes: [StaticRoute] = []
    /// `arp IP MAC arpa`.
    public var staticARP: [IPv4Address: MACAddress] = [:]
    /// `ip routing` (routers: on; hosts: off).
    public var ipRouting = true
    /// A host's default gateway (`ip default-gateway` on a switch or a host's gateway).
    public var defaultGateway: IPv4Address?
    /// Access lists by name (`access-list 101 ...`, `ip access-list extended NAME`), for classification.
    public var accessLists: [AccessListDefinition] = []
    /// `ip icmp rate-limit unreachable` is not modelled; IOS sends unreachables.
    public var sendsUnreachables = true

    public init(hostname: String) { self.hostname = hostname }

    public func interface(named name: String) -> InterfaceSettings? { interfaces.first { $0.name == name } }
}

/// A switch's configuration.
public struct SwitchSettings: Equatable, Sendable {
    public var hostname: String
    public var interfaces: [InterfaceSettings] = []
    /// `vlan N` / `name X`.
    public var vlans: [UInt16: String] = [1: "default"]
    public var staticMACs: [StaticMACEntry] = []
    /// `mac address-table aging-time S` (default 300 s).
    public var macAgingTime = SimDuration.seconds(300)
    /// `ip igmp snooping ...` (RFC 4541; on by default in every VLAN).
    public var igmpSnooping = IGMPSnoopingSettings()

    public init(hostname: String) { self.hostname = hostname }
}

/// A VLAN's snooping querier as configured: Catalyst `ip igmp snooping querier [address A]` (global or
/// `ip igmp snooping vlan N querier address A`) or NX-OS `vlan configuration N` / `ip igmp snooping querier A`.
public struct SnoopingQuerierSettings: Equatable, Sendable {
    /// The source of its queries; without one the querier is not operational (Catalyst needs an address).
    public var address: IPv4Address?
    /// Catalyst snooping querier default 60 s; NX-OS 125 s (the RFC 2236 default).
    public var queryInterval: SimDuration
    public init(address: IPv4Address?, queryInterval: SimDuration) {
        self.address = address
        self.queryInterval = queryInterval
    }
}

/// IGMP snooping on a switch (RFC 4541), as the `ip igmp snooping` commands configure it.
public struct IGMPSnoopingSettings: Equatable, Sendable {
    /// `no ip igmp snooping` turns it off everywhere.
    public var enabled = true
    /// `no ip igmp snooping vlan N`.
    public var disabledVLANs: Set<UInt16> = []
    /// `ip igmp snooping vlan N mrouter interface X`, interface names by VLAN.
    public var staticMrouters: [UInt16: [String]] = [:]
    /// `ip igmp snooping vlan N immediate-leave`.
    public var immediateLeaveVLANs: Set<UInt16> = []
    /// NX-OS `ip igmp snooping optimise-multicast-flood`: unregistered multicast goes to mrouter ports
    /// only (RFC 4541 §2.1.2 (1)), instead of the Catalyst default of flooding the VLAN.
    public var optimiseMulticastFlood = false
    /// NX-OS `layer-2 multicast lookup mac`: forward by the destination MAC, as the switches whose snooping
    /// programs the MAC address table do (Catalyst 2960/3560/3750 class), instead of by the packet's IP group
    /// (`lookup ip`, the default, as Catalyst 9000 and Nexus do). The 32 groups that share a MAC (RFC 1112 §6.4)
    /// then share their member ports, and a frame to a group MAC whose IP destination is unicast (Windows NLB
    /// IGMP multicast mode) reaches the ports that joined that MAC's group instead of flooding.
    public var lookupByMAC = false
    /// Catalyst global `ip igmp snooping querier [address A]`: a querier in every VLAN.
    public var globalQuerier: SnoopingQuerierSettings?
    /// Per-VLAN queriers; they override the global one.
    public var vlanQueriers: [UInt16: SnoopingQuerierSettings] = [:]

    public init() {}

    /// Whether snooping runs in `vlan`.
    public func isOn(vlan: UInt16) -> Bool { enabled && !disabledVLANs.contains(vlan) }

    /// The querier that runs in `vlan`, if any.
    public func querier(vlan: UInt16) -> SnoopingQuerierSettings? {
        guard isOn(vlan: vlan) else { return nil }
        return vlanQueriers[vlan] ?? globalQuerier
    }
}

/// An access list as configured: its name (number or name), kind and ordered entries.
public struct AccessListDefinition: Equatable, Sendable {
    public var name: String
    public var kind: AccessList.Kind?
    public var entries: [AccessListEntry]
    public init(name: String, kind: AccessList.Kind?, entries: [AccessListEntry]) {
        self.name = name
        self.kind = kind
        self.entries = entries
    }
}

/// A Windows NLB member's settings on one interface (a host's `cluster:` in a topology).
public struct NLBSettings: Equatable, Sendable {
    /// The cluster (virtual) IP every member shares.
    public var clusterAddress: IPv4Address
    public var mode: NLBMode
    /// Host priority (host ID), 1...32, unique within the cluster.
    public var priority: Int
    public var affinity: NLBAffinity
    /// The priorities of all the cluster's members, ascending (the lab knows them from the topology).
    public var members: [Int]

    public init(clusterAddress: IPv4Address, mode: NLBMode = .unicast, priority: Int,
                affinity: NLBAffinity = .single, members: [Int] = []) {
        self.clusterAddress = clusterAddress
        self.mode = mode
        self.priority = priority
        self.affinity = affinity
        self.members = members.isEmpty ? [priority] : members
    }
}
