import Wire

/// Where a route came from, with its IOS code and default administrative distance.
/// Open, so protocol modules add their own (`O`, `O IA`, `O E2`, ...).
public struct RouteSource: Hashable, Sendable {
    /// The code `show ip route` prints (`C`, `L`, `S`, `O`, `O IA`, ...).
    public var code: String
    public var defaultDistance: UInt8
    public init(code: String, defaultDistance: UInt8) {
        self.code = code
        self.defaultDistance = defaultDistance
    }
    public static let connected = RouteSource(code: "C", defaultDistance: 0)
    public static let local = RouteSource(code: "L", defaultDistance: 0)
    public static let staticRoute = RouteSource(code: "S", defaultDistance: 1)
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
    public init(prefix: IPv4Prefix, source: RouteSource, distance: UInt8? = nil, metric: UInt32 = 0, nextHops: [NextHop]) {
        self.prefix = prefix
        self.source = source
        self.distance = distance ?? source.defaultDistance
        self.metric = metric
        self.nextHops = nextHops
    }
}

/// The routing table (RIB) and the forwarding table built from it.
///
/// Each source offers routes; per prefix the lowest administrative distance wins (then the lowest
/// metric). The FIB keeps one hash table per prefix length present, searched longest first.
public struct RoutingTable: Sendable {
    var offered: [RouteSource: [Route]] = [:]
    /// The selected routes, by prefix.
    public private(set) var selected: [IPv4Prefix: Route] = [:]
    var fibLengths: [Int] = []
    var fib: [[UInt32: Route]] = Array(repeating: [:], count: 33)

    public init() {}

    /// Replaces everything `source` offers.
    /// - Complexity: O(routes) when the source offers what it already did (no rebuild), else a rebuild.
    public mutating func replace(_ source: RouteSource, with routes: [Route]) {
        if offered[source] == routes { return }
        offered[source] = routes
        rebuild()
    }

    public func routes(from source: RouteSource) -> [Route] { offered[source] ?? [] }

    mutating func rebuild() {
        var best: [IPv4Prefix: Route] = [:]
        for source in offered.keys.sorted(by: { $0.code < $1.code }) {
            for route in offered[source] ?? [] {
                if let current = best[route.prefix] {
                    if (route.distance, route.metric) < (current.distance, current.metric) { best[route.prefix] = route }
                    else if route.distance == current.distance && route.metric == current.metric
                                && route.source == current.source {
                        // Equal-cost paths from one source merge.
                        var merged = current
                        for hop in route.nextHops where !merged.nextHops.contains(hop) { merged.nextHops.append(hop) }
                        best[route.prefix] = merged
                    }
                } else {
                    best[route.prefix] = route
                }
            }
        }
        selected = best
        fib = Array(repeating: [:], count: 33)
        for (prefix, route) in best { fib[prefix.length][prefix.network.rawValue] = route }
        fibLengths = (0...32).reversed().filter { !fib[$0].isEmpty }
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
