/// An IOS configuration mode. Open, so protocol modules can add their own modes.
public struct ConfigMode: Hashable, Sendable, CustomStringConvertible {
    /// The name used in messages: "unknown command in \(name) mode".
    public var name: String

    public init(_ name: String) { self.name = name }

    public static let global = ConfigMode("global")
    /// Interfaces and subinterfaces alike (IOS uses one mode for both).
    public static let interface = ConfigMode("interface")
    public static let router = ConfigMode("router")
    public static let classMap = ConfigMode("class-map")
    public static let policyMap = ConfigMode("policy-map")
    public static let policyMapClass = ConfigMode("policy-map class")
    public static let vlan = ConfigMode("vlan")
    public static let vlanConfiguration = ConfigMode("vlan configuration")
    public static let line = ConfigMode("line")
    public static let accessList = ConfigMode("access-list")
    public static let controller = ConfigMode("controller")
    public static let controlPlane = ConfigMode("control-plane")

    public var description: String { name }
}

/// Where a command's lines go in `show running-config`: sections print in ascending rank.
///
/// IOS behaviour: the order follows a real router's running-config (class-maps and policy-maps
/// before the interfaces that use them, static routes after the routing processes, lines last).
public struct ConfigSection: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rank: Int
    public var name: String

    public init(rank: Int, name: String) {
        self.rank = rank
        self.name = name
    }

    public static let hostname = ConfigSection(rank: 100, name: "hostname")
    /// Global switches such as `ip routing`, `ip multicast-routing`.
    public static let global = ConfigSection(rank: 200, name: "global")
    public static let vlan = ConfigSection(rank: 300, name: "vlan")
    public static let vlanConfiguration = ConfigSection(rank: 310, name: "vlan configuration")
    public static let classMap = ConfigSection(rank: 400, name: "class-map")
    public static let policyMap = ConfigSection(rank: 500, name: "policy-map")
    public static let interface = ConfigSection(rank: 600, name: "interface")
    public static let router = ConfigSection(rank: 700, name: "router")
    public static let ipRoute = ConfigSection(rank: 800, name: "ip route")
    public static let accessList = ConfigSection(rank: 900, name: "access-list")
    public static let macAddressTable = ConfigSection(rank: 950, name: "mac address-table")
    public static let controller = ConfigSection(rank: 960, name: "controller")
    public static let controlPlane = ConfigSection(rank: 970, name: "control-plane")
    public static let line = ConfigSection(rank: 1000, name: "line")

    /// The usual section of a command that enters `mode`, or `.global`.
    public static func of(entering mode: ConfigMode?) -> ConfigSection {
        switch mode {
        case ConfigMode.interface?: .interface
        case ConfigMode.router?: .router
        case ConfigMode.classMap?: .classMap
        case ConfigMode.policyMap?: .policyMap
        case ConfigMode.vlan?: .vlan
        case ConfigMode.vlanConfiguration?: .vlanConfiguration
        case ConfigMode.accessList?: .accessList
        case ConfigMode.line?: .line
        case ConfigMode.controller?: .controller
        case ConfigMode.controlPlane?: .controlPlane
        default: .global
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    public var description: String { name }
}
