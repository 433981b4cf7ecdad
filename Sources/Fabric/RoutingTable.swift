import Engine
import Wire

/// Who offers a route (the RIB's owner key: one per protocol instance), with the IOS code its routes
/// print by default and its default administrative distance. Open, so protocol modules add their own;
/// `instance` tells two processes of one protocol apart (`router ospf 1` and `router ospf 2`).
public struct RouteSource: Hashable, Sendable {
    /// The code `show ip route` prints for its routes unless a route carries its own (`O IA`, `O E2`).
    public var code: String
    public var defaultDistance: UInt8
    /// The process or instance number (0 for the fabric's own sources).
    public var instance: Int
    public init(code: String, defaultDistance: UInt8, instance: Int = 0) {
        self.code = code
        self.defaultDistance = defaultDistance
        self.instance = instance
    }
    public static let connected = RouteSource(code: "C", defaultDistance: 0)
    public static let local = RouteSource(code: "L", defaultDistance: 0)
    public static let staticRoute = RouteSource(code: "S", defaultDistance: 1)

    /// The order owners are considered in on a tie of distance and metric (stable across runs).
    static func precedes(_ a: RouteSource, _ b: RouteSource) -> Bool { (a.code, a.instance) < (b.code, b.instance) }
}

/// One way out: a gateway, an interface (a logical interface index of the node), or both.
public struct NextHop: Hashable, Sendable {
    public var gateway: IPv4Address?
    public var interface: Int?
    public init(gateway: IPv4Address?, interface: Int?) {
        self.gateway = gateway
        self.interface = interface
    }
}

/// A route offered by one source.
public struct Route: Equatable, Sendable {
    public var prefix: IPv4Prefix
    public var source: RouteSource
    public var distance: UInt8
    public var metric: UInt32
    public var nextHops: [NextHop]
    /// The code `show ip route` prints (the owner's preference inside itself, such as OSPF's
    /// O, O IA, O E1, O E2, is the owner's to apply before it offers the route).
    public var code: String
    /// When the RIB selected this route (set by the table; `show ip route` prints its age).
    public internal(set) var installed: SimTime = .zero

    public init(prefix: IPv4Prefix, source: RouteSource, distance: UInt8? = nil, metric: UInt32 = 0, nextHops: [NextHop],
                code: String? = nil) {
        self.prefix = prefix
        self.source = source
        self.distance = distance ?? source.defaultDistance
        self.metric = metric
        self.nextHops = nextHops
        self.code = code ?? source.code
    }

    /// Two offers of the same route, ignoring when it was installed.
    func sameOffer(as other: Route) -> Bool {
        prefix == other.prefix && source == other.source && distance == other.distance && metric == other.metric
            && nextHops == other.nextHops && code == other.code
    }
}

/// A change to the selected route of one prefix, as the RIB's subscribers receive it (PIM's RPF,
/// redistribution): the route before and after (nil: none).
public struct RouteChange: Equatable, Sendable {
    public var prefix: IPv4Prefix
    public var old: Route?
    public var new: Route?
}

/// The routing table (RIB) and the forwarding table built from it.
///
/// Routes are kept per owner (`RouteSource`) and prefix. Per prefix, the lowest administrative distance
/// wins, then the lowest metric, then the owner order; equal-cost offers of one owner merge their next
/// hops. An owner's new offer is compared with its old one prefix by prefix, and only the prefixes whose
/// selection changes are touched, in the RIB and in the FIB (one hash table per prefix length present,
/// searched longest first).
public struct RoutingTable: Sendable {
    /// What each owner offers, one (merged) route per prefix.
    var offered: [RouteSource: [IPv4Prefix: Route]] = [:]
    /// The owners, in `RouteSource.precedes` order.
    var owners: [RouteSource] = []
    /// The selected routes, by prefix. Built from the FIB, which holds each selected route once (a
    /// second dictionary of them cost a router of an OSPF area of 100 routers some 50 KB).
    /// - Complexity: O(selected routes); `selectedRoute(_:)` looks one up in O(1).
    public var selected: [IPv4Prefix: Route] {
        var out: [IPv4Prefix: Route] = [:]
        out.reserveCapacity(fibCounts.reduce(0, +))
        for length in fibLengths {
            for route in fib[length].values { out[route.prefix] = route }
        }
        return out
    }

    /// The selected route of one prefix. - Complexity: O(1) on average.
    public func selectedRoute(_ prefix: IPv4Prefix) -> Route? { fib[prefix.length][prefix.network.rawValue] }
    var fibLengths: [Int] = []
    var fibCounts = [Int](repeating: 0, count: 33)
    var fib: [[UInt32: Route]] = Array(repeating: [:], count: 33)
    /// Bumped on every change to the selection (forwarding caches compare it).
    public private(set) var generation: UInt64 = 0

    public init() {}

    /// Replaces everything `source` offers; returns the prefixes whose selected route changed, in order.
    /// - Complexity: O(old + new offers of `source`) plus O(owners) per prefix that changed.
    @discardableResult
    public mutating func replace(_ source: RouteSource, with routes: [Route], now: SimTime = .zero) -> [RouteChange] {
        // The same offers again (a routing protocol recalculating without a change), in prefix order so
        // that no prefix repeats: nothing to merge or reselect.
        if let old = offered[source], old.count == routes.count,
           zip(routes, routes.dropFirst()).allSatisfy({ $0.prefix < $1.prefix }),
           routes.allSatisfy({ old[$0.prefix]?.sameOffer(as: $0) == true }) {
            return []
        }
        var merged: [IPv4Prefix: Route] = [:]
        merged.reserveCapacity(routes.count)
        for route in routes {
            guard let current = merged[route.prefix] else { merged[route.prefix] = route; continue }
            if (route.distance, route.metric) < (current.distance, current.metric) {
                merged[route.prefix] = route
            } else if route.distance == current.distance && route.metric == current.metric {
                // Equal-cost paths from one source merge.
                var m = current
                for hop in route.nextHops where !m.nextHops.contains(hop) { m.nextHops.append(hop) }
                merged[route.prefix] = m
            }
        }
        let old = offered[source] ?? [:]
        if old.count == merged.count && old.allSatisfy({ merged[$0.key]?.sameOffer(as: $0.value) == true }) { return [] }
        if offered[source] == nil {
            owners.append(source)
            owners.sort(by: RouteSource.precedes)
        }
        offered[source] = merged
        // The prefixes offered anew or differently, and those no longer offered: one comparison per prefix.
        var touched: [IPv4Prefix] = []
        for (prefix, route) in merged where old[prefix]?.sameOffer(as: route) != true { touched.append(prefix) }
        for prefix in old.keys where merged[prefix] == nil { touched.append(prefix) }
        var changes: [RouteChange] = []
        for prefix in touched.sorted() {
            if let change = reselect(prefix, now: now) { changes.append(change) }
        }
        return changes
    }

    public func routes(from source: RouteSource) -> [Route] {
        (offered[source] ?? [:]).values.sorted { $0.prefix < $1.prefix }
    }

    /// Picks the best offer for `prefix` among the owners and updates the FIB entry in place.
    mutating func reselect(_ prefix: IPv4Prefix, now: SimTime) -> RouteChange? {
        var best: Route?
        for owner in owners {
            guard let route = offered[owner]?[prefix] else { continue }
            if let b = best, (route.distance, route.metric) >= (b.distance, b.metric) { continue }
            best = route
        }
        let old = selectedRoute(prefix)
        if let old, let b = best, old.sameOffer(as: b) { return nil }
        if old == nil && best == nil { return nil }
        if var b = best {
            b.installed = now
            if old == nil { fibCounts[prefix.length] += 1 }
            fib[prefix.length][prefix.network.rawValue] = b
            best = b
        } else {
            fibCounts[prefix.length] -= 1
            fib[prefix.length][prefix.network.rawValue] = nil
        }
        // Only a length gaining its first route or losing its last changes the lengths searched.
        if (fibCounts[prefix.length] > 0) != fibLengths.contains(prefix.length) {
            fibLengths = (0...32).reversed().filter { fibCounts[$0] > 0 }
        }
        generation &+= 1
        return RouteChange(prefix: prefix, old: old, new: best)
    }
    /// Longest-prefix match.
    /// - Complexity: O(number of distinct prefix lengths) hash lookups.
    public func lookup(_ destination: IPv4Address) -> Route? {
        for length in fibLengths {
            if let route = fib[length][destination.rawValue & IPv4Prefix.mask(length: length)] { return route }
        }
        return nil
    }

}
