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

/// One `router ospf N` block.
public struct OSPFProcessSettings: Hashable, Sendable {
    public var routerID: IPv4Address?
    public var networks: [OSPFNetworkStatement] = []
    /// Full interface names (`GigabitEthernet0/0`).
    public var passiveInterfaces: Set<String> = []

    public init() {}
}

/// The `ip ospf ...` commands of one interface.
public struct OSPFInterfaceSettings: Hashable, Sendable {
    public var cost: UInt16?
    public var helloInterval: Int?
    public var deadInterval: Int?
    public var priority: UInt8?

    public init() {}
}

/// Everything OSPF a device configured: its processes and its interfaces' `ip ospf` commands.
public struct OSPFSettings: ProtocolSettings {
    public var processes: [Int: OSPFProcessSettings] = [:]
    /// By full interface name.
    public var interfaces: [String: OSPFInterfaceSettings] = [:]

    public init() {}
}
