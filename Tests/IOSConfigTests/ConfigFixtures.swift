import IOSConfig
import Wire

/// A small device model the config tests apply configurations to.
struct TestDevice: Equatable {
    struct Interface: Equatable {
        var address: IPv4Prefix?
        var hostAddress: IPv4Address?
        var secondaries: [IPv4Address] = []
        var isShutdown = false
        var description: String?
        var bandwidthKbps: Int?
        var dot1QVLAN: Int?
    }

    struct Route: Hashable {
        var prefix: IPv4Prefix
        var nextHop: String
        var distance: Int
    }

    struct StaticMAC: Hashable {
        var mac: MACAddress
        var vlan: Int
        var interface: InterfaceName
    }

    var hostname = "Router"
    var interfaces: [InterfaceName: Interface] = [:]
    var routes: [Route] = []
    var vlans: [Int: String] = [:]
    var classMaps: [String: [String]] = [:]
    /// Policy name → class names in order, with each class's actions.
    var policyMaps: [String: [(name: String, actions: [String])]] = [:]
    var staticMACs: Set<StaticMAC> = []

    static func == (a: Self, b: Self) -> Bool {
        a.hostname == b.hostname && a.interfaces == b.interfaces && a.routes == b.routes && a.vlans == b.vlans
            && a.classMaps == b.classMaps && a.staticMACs == b.staticMACs
            && a.policyMaps.mapValues { $0.map(\.name) } == b.policyMaps.mapValues { $0.map(\.name) }
    }
}

/// The registry the config tests use: a realistic handful of router and switch commands.
func makeTestRegistry() -> CommandRegistry<TestDevice> {
    let registry = CommandRegistry<TestDevice>()

    registry.register(.global, "hostname <WORD>", section: .hostname, negatable: false) { command, device in
        device.hostname = command.text("WORD") ?? device.hostname
    }

    registry.register(.global, "interface <INTERFACE>", enters: .interface) { command, device in
        guard let name = command.interface() else { return }
        if command.isNegated {
            guard name.type == .loopback || name.isSubinterface else {
                throw ConfigError.rejected("% Physical interfaces cannot be removed")
            }
            device.interfaces[name] = nil
        } else {
            device.interfaces[name, default: .init()].isShutdown = device.interfaces[name]?.isShutdown ?? false
        }
    }

    func interfaceName(_ command: ParsedCommand) -> InterfaceName? { command.enclosing(.interface)?.interface() }

    registry.register(.interface, "description <LINE>") { command, device in
        guard let name = interfaceName(command) else { return }
        device.interfaces[name]?.description = command.isNegated ? nil : command.text("LINE")
    }
    registry.register(.interface, "bandwidth <1-10000000>") { command, device in
        guard let name = interfaceName(command) else { return }
        device.interfaces[name]?.bandwidthKbps = command.isNegated ? nil : command.number("bandwidth")
    }
    registry.register(.interface, "encapsulation dot1Q <1-4094>") { command, device in
        guard let name = interfaceName(command) else { return }
        guard name.isSubinterface else { throw ConfigError.rejected("% Configuring IEEE 802.1Q encapsulation is not allowed on the main interface") }
        device.interfaces[name]?.dot1QVLAN = command.isNegated ? nil : command.number("dot1Q")
    }
    registry.register(.interface, "ip address <A.B.C.D:address> <A.B.C.D:mask> [secondary]",
                      key: .custom { $0.has("secondary") ? "ip address secondary \($0["address"]?.description ?? "")" : "ip address" }
    ) { command, device in
        guard let name = interfaceName(command) else { return }
        if command.isNegated {
            if command.has("secondary"), let address = command.address("address") {
                device.interfaces[name]?.secondaries.removeAll { $0 == address }
            } else {
                device.interfaces[name]?.address = nil
                device.interfaces[name]?.hostAddress = nil
            }
            return
        }
        guard let address = command.address("address"), let mask = command.address("mask") else { return }
        guard let prefix = IPv4Prefix(address, mask: mask) else { throw ConfigError.rejected("% Bad mask \(mask) for address \(address)") }
        for (other, settings) in device.interfaces where other != name {
            if let existing = settings.address, existing.contains(address) || prefix.contains(existing.network) {
                throw ConfigError.rejected("% \(prefix.network) overlaps with \(other)")
            }
        }
        if command.has("secondary") {
            device.interfaces[name]?.secondaries.append(address)
        } else {
            device.interfaces[name]?.address = prefix
            device.interfaces[name]?.hostAddress = address
        }
    }
    registry.register(.interface, "shutdown", negation: .storedAsNo) { command, device in
        guard let name = interfaceName(command) else { return }
        device.interfaces[name]?.isShutdown = !command.isNegated
    }
    registry.register(.interface, "shape average <8000-1000000000>") { _, _ in }
    registry.register(.interface, "service-policy {input | output} <WORD>") { _, _ in }

    registry.register(.global, "ip route <A.B.C.D:network> <A.B.C.D:mask> {<A.B.C.D:via> | <INTERFACE:via>} [<1-255>]",
                      section: .ipRoute, key: .leadingArguments(3)) { command, device in
        guard let network = command.address("network"), let mask = command.address("mask") else { return }
        guard let prefix = IPv4Prefix(network, mask: mask) else { throw ConfigError.rejected("% Inconsistent address and mask") }
        let via = command["via"]?.description
        if command.isNegated {
            device.routes.removeAll { $0.prefix == prefix && (via == nil || $0.nextHop == via) }
        } else if let via {
            device.routes.removeAll { $0.prefix == prefix && $0.nextHop == via }
            device.routes.append(.init(prefix: prefix, nextHop: via, distance: command.number("1-255") ?? 1))
        }
    }

    registry.register(.global, "vlan <1-4094>", enters: .vlan) { command, device in
        guard let vlan = command.number("vlan") else { return }
        if command.isNegated { device.vlans[vlan] = nil } else if device.vlans[vlan] == nil {
            device.vlans[vlan] = String(format4(vlan))
        }
    }
    registry.register(.vlan, "name <WORD>") { command, device in
        guard let vlan = command.enclosing(.vlan)?.number("vlan") else { return }
        device.vlans[vlan] = command.isNegated ? format4(vlan) : command.text("name")
    }

    registry.register(.global, "class-map [{match-all | match-any}] <WORD>", enters: .classMap) { command, device in
        guard let name = command.text("WORD") else { return }
        if command.isNegated { device.classMaps[name] = nil } else if device.classMaps[name] == nil { device.classMaps[name] = [] }
    }
    registry.register(.classMap, "match {dscp <WORD> | access-group name <WORD> | any}", key: .arguments) { command, device in
        guard let name = command.enclosing(.classMap)?.text("WORD") else { return }
        if !command.isNegated { device.classMaps[name, default: []].append(command.canonicalText) }
    }
    registry.register(.global, "policy-map <WORD>", enters: .policyMap) { command, device in
        guard let name = command.text("WORD") else { return }
        if command.isNegated { device.policyMaps[name] = nil } else if device.policyMaps[name] == nil { device.policyMaps[name] = [] }
    }
    registry.register(.policyMap, "class <WORD>", enters: .policyMapClass) { command, device in
        guard let policy = command.enclosing(.policyMap)?.text("WORD"), let name = command.text("WORD") else { return }
        guard name == "class-default" || device.classMaps[name] != nil else {
            throw ConfigError.rejected("% class-map \(name) not configured")
        }
        if command.isNegated {
            device.policyMaps[policy]?.removeAll { $0.name == name }
        } else if device.policyMaps[policy]?.contains(where: { $0.name == name }) == false {
            device.policyMaps[policy]?.append((name, []))
        }
    }
    registry.register(.policyMapClass, "priority <8-10000000>") { _, _ in }
    registry.register(.policyMapClass, "bandwidth {<8-10000000> | percent <1-100>}") { _, _ in }
    registry.register(.policyMapClass, "fair-queue") { _, _ in }

    registry.register(.global, "mac address-table static <H.H.H> vlan <1-4094> interface <INTERFACE>",
                      section: .macAddressTable, key: .leadingArguments(2)) { command, device in
        guard let mac = command.mac(), let vlan = command.number("vlan") else { return }
        device.staticMACs = device.staticMACs.filter { !($0.mac == mac && $0.vlan == vlan) }
        if !command.isNegated, let interface = command.interface("interface") {
            device.staticMACs.insert(.init(mac: mac, vlan: vlan, interface: interface))
        }
    }
    return registry
}

private func format4(_ vlan: Int) -> String {
    let digits = String(vlan)
    return "VLAN" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// Applies `text` as the config of `Topologies/test.yaml`, whose config block starts at line `firstLine`.
func applyConfig(_ text: String, firstLine: Int = 10, strict: Bool = false,
                 registry: CommandRegistry<TestDevice> = makeTestRegistry()) -> (TestDevice, ConfigResult) {
    var device = TestDevice()
    let result = registry.apply(ConfigSource(file: "Topologies/test.yaml", firstLine: firstLine, text: text),
                                to: &device, strict: strict)
    return (device, result)
}
