import Fabric
import IOSConfig
import Wire

/// Layer 3 global commands: `ip routing`, static routes, the default gateway and static ARP entries.
extension DeviceCommands {
    /// The running-config section of static ARP entries, after the static routes as IOS prints them.
    static let arpSection = ConfigSection(rank: 850, name: "arp")

    public static func registerRoutingCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        registry.register(.global, "ip routing", negation: .storedAsNo) { command, config in
            try require([.router], "ip routing", on: config)
            config.ip.ipRouting = !command.isNegated
        }

        // IOS keeps `ip default-gateway` for when routing is off; a router with `ip routing` ignores it.
        registry.register(.global, "ip default-gateway <A.B.C.D>", section: .ipRoute) { command, config in
            config.ip.defaultGateway = command.isNegated ? nil : command.address("A.B.C.D")
        }

        registry.register(
            .global,
            "ip route <A.B.C.D:network> <A.B.C.D:mask> {<A.B.C.D:via> | <INTERFACE:exit> [<A.B.C.D:via>]} "
                + "[<1-255:distance>] [name <WORD:name>] [permanent]",
            section: .ipRoute, key: .custom(staticRouteKey)
        ) { command, config in
            try applyStaticRoute(command, to: &config)
        }

        registry.register(.global, "arp <A.B.C.D> <H.H.H> arpa", section: arpSection, key: .leadingArguments(1)) {
            command, config in
            try require([.router, .host], "arp", on: config)
            guard let address = command.address("A.B.C.D") else { return }
            config.ip.staticARP[address] = command.isNegated ? nil : command.mac()
        }
    }

    /// IOS tells static routes apart by prefix, exit interface and next hop; distance and name are
    /// attributes of the route, so a new distance replaces the line.
    static func staticRouteKey(_ command: ParsedCommand) -> String {
        let parts = [command.address("network"), command.address("mask")].map { $0?.description ?? "" }
            + [command.interface("exit")?.description ?? "", command.address("via")?.description ?? ""]
        return "ip route " + parts.joined(separator: " ")
    }

    static func applyStaticRoute(_ command: ParsedCommand, to config: inout DeviceConfiguration) throws {
        try require([.router, .host], "ip route", on: config)
        guard let network = command.address("network"), let mask = command.address("mask") else { return }
        let prefix = try prefix(network, mask: mask, message: "% Inconsistent address and mask")
        guard prefix.network == network else { throw ConfigError.rejected("% Inconsistent address and mask") }
        let nextHop = command.address("via")
        let exit = command.interface("exit")?.description
        if command.isNegated {
            guard nextHop != nil || exit != nil else {
                throw ConfigError.rejected("% Incomplete command: name the next hop or interface of the route")
            }
            config.ip.staticRoutes.removeAll { $0.prefix == prefix && $0.nextHop == nextHop && $0.interface == exit }
            return
        }
        if let nextHop, interfaces(of: config).contains(where: { $0.addresses.contains { $0.address == nextHop } }) {
            throw ConfigError.rejected("%Invalid next hop address (it's this router)")
        }
        let route = StaticRoute(prefix: prefix, nextHop: nextHop, interface: exit,
                                distance: UInt8(command.number("distance") ?? 1))
        if let index = config.ip.staticRoutes.firstIndex(where: {
            $0.prefix == prefix && $0.nextHop == nextHop && $0.interface == exit
        }) {
            config.ip.staticRoutes[index] = route
        } else {
            config.ip.staticRoutes.append(route)
        }
    }
}
