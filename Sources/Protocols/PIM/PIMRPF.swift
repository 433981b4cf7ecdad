import Engine
import Fabric
import Wire

/// The RPF interface and neighbor toward an address (RFC 7761 §4.5 RPF_interface / RPF'; ios-behavior.md §8.3),
/// and what `show ip rpf` prints about the route it came from.
public struct RPFInfo: Hashable, Sendable {
    public enum Origin: Hashable, Sendable {
        /// A unicast route of the RIB; the text names its owner (`ospf 1`, `connected`, `static`).
        case unicast(String)
        /// A static `ip mroute`.
        case staticMRoute
        /// The address is the router's own.
        case local
    }

    /// The RPF interface (the interface owning the address when it is ours); nil when none resolves.
    public var interface: Int?
    /// The RPF neighbor: the route's gateway, or the address itself when it is directly connected (IOS prints it
    /// so), 0.0.0.0 when it is ours or a static mroute names only an interface.
    public var neighbor: IPv4Address
    public var isDirectlyConnected: Bool
    public var prefix: IPv4Prefix
    public var origin: Origin
    /// Administrative distance and metric, as an Assert carries them (RFC 7761 §4.6.1).
    public var distance: UInt32
    public var metric: UInt32

    public var isLocal: Bool { origin == .local }
}

/// The RPF rules of RFC 7761 §4.5 as IOS applies them: a static `ip mroute` (longest match) beats the unicast
/// route unless its distance is higher (static mroutes default to 0, ios-behavior.md §8.3); among ECMP next hops,
/// the highest next-hop address (IOS without `ip multicast multipath`; unconfirmed, ios-behavior.md §8.3).
public enum RPFSelection {
    /// The interfaces a router has, as RPF needs them: name, addresses (with prefixes).
    public struct InterfaceView: Sendable {
        public var name: String
        public var addresses: [InterfaceAddress]
        public init(name: String, addresses: [InterfaceAddress]) {
            self.name = name
            self.addresses = addresses
        }
    }

    public static func rpf(toward address: IPv4Address, staticMRoutes: [StaticMRoute], interfaces: [InterfaceView],
                           lookup: (IPv4Address) -> Route?) -> RPFInfo? {
        if let own = interfaces.firstIndex(where: { $0.addresses.contains { $0.address == address } }) {
            return RPFInfo(interface: own, neighbor: .any, isDirectlyConnected: true, prefix: IPv4Prefix(address, length: 32),
                           origin: .local, distance: 0, metric: 0)
        }
        let unicast = lookup(address).flatMap { unicastRPF(address, route: $0, lookup: lookup) }
        let mroute = staticMRoutes.filter { $0.prefix.contains(address) }.max { $0.prefix.length < $1.prefix.length }
        if let mroute, let info = staticRPF(address, mroute, interfaces: interfaces, lookup: lookup),
           unicast.map({ UInt32(mroute.distance) <= $0.distance }) ?? true {
            return info
        }
        return unicast
    }

    static func unicastRPF(_ address: IPv4Address, route: Route, lookup: (IPv4Address) -> Route?) -> RPFInfo? {
        // ECMP: the highest next-hop address; a hop without a gateway is the connected subnet itself.
        guard let hop = route.nextHops.max(by: { ($0.gateway ?? address).rawValue < ($1.gateway ?? address).rawValue })
        else { return nil }
        var interface = hop.interface
        if interface == nil, let gateway = hop.gateway {
            interface = lookup(gateway)?.nextHops.first?.interface  // a recursive static route
        }
        guard let interface else { return nil }
        let owner: String
        switch route.source.code {
        case "O": owner = "ospf \(route.source.instance)"
        case "C", "L": owner = "connected"
        case "S": owner = "static"
        default: owner = route.source.code.lowercased()
        }
        return RPFInfo(interface: interface, neighbor: hop.gateway ?? address, isDirectlyConnected: hop.gateway == nil,
                       prefix: route.prefix, origin: .unicast(owner), distance: UInt32(route.distance), metric: route.metric)
    }

    static func staticRPF(_ address: IPv4Address, _ mroute: StaticMRoute, interfaces: [InterfaceView],
                          lookup: (IPv4Address) -> Route?) -> RPFInfo? {
        if let name = mroute.interface {
            guard let index = interfaces.firstIndex(where: { $0.name == name }) else { return nil }
            return RPFInfo(interface: index, neighbor: mroute.rpfAddress ?? .any, isDirectlyConnected: false,
                           prefix: mroute.prefix, origin: .staticMRoute, distance: UInt32(mroute.distance), metric: 0)
        }
        guard let neighbor = mroute.rpfAddress else { return nil }
        // The RPF address resolves recursively through the unicast table (IOS), usually to a connected subnet.
        let connected = interfaces.firstIndex { $0.addresses.contains { $0.prefix.contains(neighbor) } }
        guard let index = connected ?? lookup(neighbor).flatMap({ unicastRPF(neighbor, route: $0, lookup: lookup)?.interface })
        else { return nil }
        return RPFInfo(interface: index, neighbor: neighbor, isDirectlyConnected: false, prefix: mroute.prefix,
                       origin: .staticMRoute, distance: UInt32(mroute.distance), metric: 0)
    }
}
