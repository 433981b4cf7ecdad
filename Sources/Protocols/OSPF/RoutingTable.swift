import Wire

/// One next hop of a route (RFC 2328 §11: outgoing interface and next-hop address).
public struct OSPFNextHop: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var interface: OSPFInterfaceID
    /// Nil for a directly attached destination: packets go straight to it out of `interface`.
    public var address: IPv4Address?

    public init(interface: OSPFInterfaceID, address: IPv4Address?) {
        self.interface = interface
        self.address = address
    }

    public static func < (a: OSPFNextHop, b: OSPFNextHop) -> Bool {
        (a.interface, a.address?.rawValue ?? 0) < (b.interface, b.address?.rawValue ?? 0)
    }

    public var description: String { "\(address.map { "via \($0)" } ?? "directly connected"), \(interface)" }
}

/// The four OSPF path types, in the order RFC 2328 §11 prefers them.
public enum OSPFPathType: Hashable, Comparable, Sendable {
    case intraArea
    case interArea
    case type1External
    case type2External
}

/// A routing table entry for a network destination (RFC 2328 §11).
public struct OSPFRoute: Hashable, Sendable, CustomStringConvertible {
    public var destination: IPv4Prefix
    public var pathType: OSPFPathType
    /// RFC 3101 §2.5: the route comes from a type-7 LSA, so IOS shows it as N1 or N2 rather than E1 or E2.
    public var isNSSA: Bool
    /// The cost to the destination; for type 2 externals, the cost to the ASBR or forwarding address.
    public var cost: UInt32
    /// The type 2 external metric (RFC 2328 §11 "Type 2 cost"); nil for every other path type.
    public var type2Cost: UInt32?
    /// The area whose LSAs gave the route; nil for AS-external routes.
    public var area: AreaID?
    /// The advertising router of the LSA the route came from, for inter-area and external routes.
    public var advertisingRouter: IPv4Address?
    /// At most `maximumPaths`, in `OSPFNextHop` order.
    public var nextHops: [OSPFNextHop]

    public init(destination: IPv4Prefix, pathType: OSPFPathType, isNSSA: Bool = false, cost: UInt32,
                type2Cost: UInt32? = nil, area: AreaID?, advertisingRouter: IPv4Address? = nil,
                nextHops: [OSPFNextHop]) {
        self.destination = destination
        self.pathType = pathType
        self.isNSSA = isNSSA
        self.cost = cost
        self.type2Cost = type2Cost
        self.area = area
        self.advertisingRouter = advertisingRouter
        self.nextHops = nextHops
    }

    /// The IOS route code: O, O IA, E1, E2, N1, N2.
    public var code: String {
        switch pathType {
        case .intraArea: "O"
        case .interArea: "O IA"
        case .type1External: isNSSA ? "N1" : "E1"
        case .type2External: isNSSA ? "N2" : "E2"
        }
    }

    /// The metric IOS shows in `show ip route`: the type 2 metric for E2/N2, the cost otherwise.
    public var metric: UInt32 { type2Cost ?? cost }

    public var description: String {
        "\(code) \(destination) [\(metric)] \(nextHops.map(\.description).joined(separator: "; "))"
    }
}

/// A routing table entry for an area border router or AS boundary router, one per area through which
/// it is reached (RFC 2328 §11); what `show ip ospf border-routers` lists.
public struct OSPFBorderRouter: Hashable, Sendable {
    public var routerID: IPv4Address
    public var area: AreaID
    /// `.intraArea` from the area's shortest-path tree (§16.1), `.interArea` from a type 4 summary (§16.2).
    public var pathType: OSPFPathType
    public var isABR: Bool
    public var isASBR: Bool
    public var cost: UInt32
    public var nextHops: [OSPFNextHop]

    public init(routerID: IPv4Address, area: AreaID, pathType: OSPFPathType, isABR: Bool, isASBR: Bool, cost: UInt32,
                nextHops: [OSPFNextHop]) {
        self.routerID = routerID
        self.area = area
        self.pathType = pathType
        self.isABR = isABR
        self.isASBR = isASBR
        self.cost = cost
        self.nextHops = nextHops
    }
}

/// The OSPF routing table (RFC 2328 §11) a calculation produces, listed in a fixed order: network
/// routes by prefix, border routers by router ID then area.
public struct OSPFRoutingTable: Hashable, Sendable {
    public var routes: [OSPFRoute]
    public var borderRouters: [OSPFBorderRouter]

    public init(routes: [OSPFRoute], borderRouters: [OSPFBorderRouter]) {
        self.routes = routes
        self.borderRouters = borderRouters
    }

    /// The route to exactly `prefix`. - Complexity: O(log n).
    public subscript(prefix: IPv4Prefix) -> OSPFRoute? {
        var low = 0, high = routes.count
        while low < high {
            let mid = (low + high) / 2
            if routes[mid].destination < prefix { low = mid + 1 } else { high = mid }
        }
        return low < routes.count && routes[low].destination == prefix ? routes[low] : nil
    }

    /// The entries for one border router, one per area.
    public func borderRouter(_ routerID: IPv4Address) -> [OSPFBorderRouter] {
        borderRouters.filter { $0.routerID == routerID }
    }
}
