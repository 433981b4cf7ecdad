import Engine
import Wire

extension Network {
    /// IOS 15 `show ip route`: the codes legend, the gateway of last resort, then the routes grouped
    /// under their classful networks. A host (`no ip routing`) prints its default gateway instead.
    /// `only` keeps the routes of some owners (`show ip route ospf|connected|static`); the subnet headers
    /// still count every subnet of the network, as IOS prints them.
    public func showIPRoute(_ node: NodeID, only: ((RouteSource) -> Bool)? = nil) -> String {
        guard let n = ipNode(node) else { return "% Invalid input detected at '^' marker." }
        guard n.isRouter && n.settings.ipRouting else {
            let gateway = n.settings.defaultGateway.map { "\($0)" } ?? "not set"
            return renderShowLines([
                "Default gateway is \(gateway)", "",
                "Host               Gateway           Last Use    Total Uses  Interface",
                "ICMP redirect cache is empty",
            ])
        }
        var lines = Self.routeCodesLegend + [""]
        let routes = n.routes.selected.values.sorted { $0.prefix < $1.prefix }
        if let defaultRoute = routes.first(where: { $0.prefix.length == 0 }) {
            let gateway = defaultRoute.nextHops.first?.gateway ?? .any
            lines.append("Gateway of last resort is \(gateway) to network 0.0.0.0")
        } else {
            lines.append("Gateway of last resort is not set")
        }
        lines.append("")
        for group in Self.classfulGroups(routes) {
            let shown = only.map { keep in group.routes.filter { keep($0.source) } } ?? group.routes
            if shown.isEmpty { continue }
            if group.isSubnetted {
                let masks = Set(group.routes.map(\.prefix.length))
                let count = group.routes.count
                if masks.count == 1 {
                    lines.append("      \(IPv4Prefix(group.major, length: masks.first!)) is subnetted, \(count) subnets")
                } else {
                    let classful = IPv4Prefix(group.major, length: Self.classfulLength(group.major))
                    lines.append("      \(classful) is variably subnetted, \(count) subnets, \(masks.count) masks")
                }
            }
            for route in shown {
                lines += routeLines(route, of: n, indent: group.isSubnetted ? 9 : 6)
            }
        }
        return renderShowLines(lines)
    }

    /// The codes legend exactly as IOS 15 prints it.
    static let routeCodesLegend = [
        "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP",
        "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area",
        "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2",
        "       E1 - OSPF external type 1, E2 - OSPF external type 2",
        "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2",
        "       ia - IS-IS inter area, * - candidate default, U - per-user static route",
        "       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP",
        "       a - application route",
        "       + - replicated route, % - next hop override, p - overrides from PfR",
    ]

    /// The class A, B or C network length of an address (RFC 791 classes); 32 for classes D and E.
    static func classfulLength(_ address: IPv4Address) -> Int {
        switch address.rawValue >> 24 {
        case 0..<128: return 8
        case 128..<192: return 16
        case 192..<224: return 24
        default: return 32
        }
    }

    /// Routes of one classful network printed together, or a lone route printed at the top level.
    struct ClassfulGroup {
        var major: IPv4Address
        var routes: [Route]
        /// True when the network has subnets: IOS then prints a header and indents the routes.
        var isSubnetted: Bool
    }

    /// IOS grouping: routes at least as long as their classful mask share a header with the other
    /// subnets of that network; the classful network alone and supernets (the default route) stand alone.
    static func classfulGroups(_ sorted: [Route]) -> [ClassfulGroup] {
        var groups: [ClassfulGroup] = []
        for route in sorted {
            let length = classfulLength(route.prefix.network)
            guard route.prefix.length >= length else {
                groups.append(ClassfulGroup(major: route.prefix.network, routes: [route], isSubnetted: false))
                continue
            }
            let major = IPv4Prefix(route.prefix.network, length: length).network
            if let last = groups.last, last.major == major,
               last.routes.allSatisfy({ $0.prefix.length >= length }) {
                groups[groups.count - 1].routes.append(route)
            } else {
                groups.append(ClassfulGroup(major: major, routes: [route], isSubnetted: false))
            }
        }
        for i in groups.indices {
            let length = classfulLength(groups[i].major)
            groups[i].isSubnetted = groups[i].routes.contains { $0.prefix.length > length }
        }
        return groups
    }

    /// One route's line(s): `C        10.1.1.0/24 is directly connected, GigabitEthernet0/0`,
    /// `S*    0.0.0.0/0 [1/0] via 10.0.0.2`; further equal-cost paths go under the first bracket.
    /// IOS's route age: `00:00:12` below a day, then `1d02h`, then `2w3d`.
    static func routeAge(_ age: SimDuration) -> String {
        let seconds = max(0, age.nanoseconds / 1_000_000_000)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        if seconds < 86_400 { return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))" }
        let days = seconds / 86_400
        if days < 7 { return "\(days)d\(two(seconds / 3600 % 24))h" }
        return "\(days / 7)w\(days % 7)d"
    }

    func routeLines(_ route: Route, of node: IPNode, indent: Int) -> [String] {
        var code = route.code
        if route.prefix.length == 0 {
            // The candidate default takes `*` after the first letter: `S*`, `O*E2`.
            if let space = code.firstIndex(of: " ") { code.replaceSubrange(space...space, with: "*") } else { code += "*" }
        }
        let head = code.padded(to: indent) + "\(route.prefix)"
        func interfaceName(_ hop: NextHop) -> String? {
            hop.interface.flatMap { $0 < node.interfaces.count ? node.interfaces[$0].name : nil }
        }
        let metric = "[\(route.distance)/\(route.metric)]"
        var lines: [String] = []
        for (k, hop) in route.nextHops.enumerated() {
            let body: String
            if route.source != .connected, route.source != .local, route.source != .staticRoute, hop.gateway == nil,
               hop.interface == nil {
                // A dynamic protocol's discard route (OSPF's area range or summary-address), as IOS prints it.
                body = "is a summary, \(Self.routeAge(now - route.installed)), Null0"
            } else if route.source == .connected || route.source == .local || hop.gateway == nil {
                body = "is directly connected, \(interfaceName(hop) ?? "Null0")"
            } else if route.source == .staticRoute {
                // A static names its outgoing interface only when the configuration did.
                let named = node.settings.staticRoutes.contains {
                    $0.prefix == route.prefix && $0.nextHop == hop.gateway && $0.interface != nil
                }
                body = "\(metric) via \(hop.gateway!)" + (named ? ", \(interfaceName(hop) ?? "")" : "")
            } else {
                // Dynamic routes carry their age since the RIB selected them, as IOS prints it.
                body = "\(metric) via \(hop.gateway!), \(Self.routeAge(now - route.installed))" + (interfaceName(hop).map { ", \($0)" } ?? "")
            }
            if k == 0 {
                lines.append(head + " " + body)
            } else if let bracket = lines[0].firstIndex(of: "[") {
                lines.append(String(repeating: " ", count: lines[0].distance(from: lines[0].startIndex, to: bracket)) + body)
            } else {
                lines.append(String(repeating: " ", count: head.count + 1) + body)
            }
        }
        return lines
    }
}
