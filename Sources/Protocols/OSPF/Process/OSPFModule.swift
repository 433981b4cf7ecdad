import Engine
import Fabric
import IOSConfig
import Wire

/// OSPFv2 as a protocol module: `router ospf N` and its commands, the `ip ospf ...` interface commands,
/// the `show ip ospf ...` commands (laid out in `OSPFShow`), and one `OSPFProcess` per configured process.
public enum OSPFModule: ProtocolModule {
    static func requireRouter<Target: ProtocolSettingsContainer>(_ target: Target, _ command: String) throws {
        guard target.isRouter else { throw ConfigError.rejected("% Invalid input detected: \(command) is for routers") }
    }

    static func process(_ c: ParsedCommand) -> Int? { c.enclosing(.router)?.number(at: 0) }

    public static func registerCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
        registry.register(.global, "router ospf <1-65535>", enters: .router, section: .router) { c, target in
            try requireRouter(target, "router ospf")
            guard let id = c.number(at: 0) else { return }
            if c.isNegated { target.protocolSettings[OSPFSettings.self].processes[id] = nil }
            else if target.protocolSettings[OSPFSettings.self].processes[id] == nil {
                target.protocolSettings[OSPFSettings.self].processes[id] = OSPFProcessSettings()
            }
        }
        registry.register(.router, "router-id <A.B.C.D>") { c, target in
            guard let id = process(c) else { return }
            target.protocolSettings[OSPFSettings.self].processes[id]?.routerID = c.isNegated ? nil : c.address(at: 0)
        }
        registry.register(.router, "network <A.B.C.D:address> <A.B.C.D:wildcard> area {<0-4294967295:number> | <A.B.C.D:dotted>}",
                          key: .custom { c in
                              "network \(c.address("address")?.description ?? "") \(c.address("wildcard")?.description ?? "")"
                          }) { c, target in
            guard let id = process(c), let address = c.address("address"), let wildcard = c.address("wildcard") else { return }
            let area = c.number("number").map { AreaID(rawValue: UInt32(clamping: $0)) } ?? c.address("dotted").map { AreaID($0) }
            var networks = target.protocolSettings[OSPFSettings.self].processes[id]?.networks ?? []
            networks.removeAll { $0.address == address && $0.wildcard == wildcard }
            if !c.isNegated, let area {
                networks.append(OSPFNetworkStatement(address: address, wildcard: wildcard, area: area))
            }
            target.protocolSettings[OSPFSettings.self].processes[id]?.networks = networks
        }
        registry.register(.router, "passive-interface <INTERFACE>", key: .custom { c in
            "passive-interface \(c.interface()?.description ?? "")"
        }) { c, target in
            guard let id = process(c), let name = c.interface()?.description else { return }
            if c.isNegated { target.protocolSettings[OSPFSettings.self].processes[id]?.passiveInterfaces.remove(name) }
            else { target.protocolSettings[OSPFSettings.self].processes[id]?.passiveInterfaces.insert(name) }
        }
        registry.register(.interface, "ip ospf cost <1-65535>") { c, target in
            try requireRouter(target, "ip ospf cost")
            guard let name = c.enclosing(.interface)?.interface()?.description else { return }
            updateInterface(name, &target) { $0.cost = c.isNegated ? nil : c.number(at: 0).map { UInt16(clamping: $0) } }
        }
        registry.register(.interface, "ip ospf hello-interval <1-65535>") { c, target in
            try requireRouter(target, "ip ospf hello-interval")
            guard let name = c.enclosing(.interface)?.interface()?.description else { return }
            updateInterface(name, &target) { $0.helloInterval = c.isNegated ? nil : c.number(at: 0) }
        }
        registry.register(.interface, "ip ospf dead-interval <1-65535>") { c, target in
            try requireRouter(target, "ip ospf dead-interval")
            guard let name = c.enclosing(.interface)?.interface()?.description else { return }
            updateInterface(name, &target) { $0.deadInterval = c.isNegated ? nil : c.number(at: 0) }
        }
        registry.register(.interface, "ip ospf priority <0-255>") { c, target in
            try requireRouter(target, "ip ospf priority")
            guard let name = c.enclosing(.interface)?.interface()?.description else { return }
            updateInterface(name, &target) { $0.priority = c.isNegated ? nil : c.number(at: 0).map { UInt8(clamping: $0) } }
        }
    }

    static func updateInterface<Target: ProtocolSettingsContainer>(_ name: String, _ target: inout Target,
                                                                   _ body: (inout OSPFInterfaceSettings) -> Void) {
        var s = target.protocolSettings[OSPFSettings.self].interfaces[name] ?? OSPFInterfaceSettings()
        body(&s)
        target.protocolSettings[OSPFSettings.self].interfaces[name] = s == OSPFInterfaceSettings() ? nil : s
    }

    public static func registerExecCommands(into registry: ExecCommandRegistry) {
        OSPFShow.registerExecCommands(into: registry)
    }

    /// The `show ip protocols` section of every process, in process order.
    public static func protocolsSummary(_ context: ExecContext) -> String? {
        let processes = context.instances(of: OSPFProcess.self).sorted { $0.processID < $1.processID }
        guard !processes.isEmpty else { return nil }
        return processes.map { OSPFShow.protocolsSection($0, context: context) }.joined(separator: "\n\n")
    }

    /// A change of a process's settings, or of any `ip ospf` command, restarts the processes it touches
    /// (IOS would re-originate in place: a departure, for now).
    public static func configure(_ node: IPNode, old: ProtocolSettingsStore?, new: ProtocolSettingsStore, network: Network) {
        let before = old?[OSPFSettings.self] ?? OSPFSettings(), after = new[OSPFSettings.self]
        guard old == nil || before != after else { return }
        let running = node.protocols.compactMap { $0 as? OSPFProcess }
        // Only `ip ospf cost` changed: each process takes the new costs in place, as IOS does.
        func withoutCosts(_ m: [String: OSPFInterfaceSettings]) -> [String: OSPFInterfaceSettings] {
            m.mapValues { var s = $0; s.cost = nil; return s }.filter { $0.value != OSPFInterfaceSettings() }
        }
        if old != nil, before.processes == after.processes, withoutCosts(before.interfaces) == withoutCosts(after.interfaces) {
            for p in running { _ = node.withContext(of: p, network: network) { p.updateCosts(after.interfaces, $0) } }
            return
        }
        let interfacesChanged = before.interfaces != after.interfaces
        for p in running where old == nil || after.processes[p.processID] != before.processes[p.processID] || interfacesChanged {
            node.detach(p)
        }
        let still = node.protocols.compactMap { $0 as? OSPFProcess }.map(\.processID)
        guard node.isRouter else { return }
        for (id, settings) in after.processes.sorted(by: { $0.key < $1.key }) where !still.contains(id) {
            node.attach(OSPFProcess(processID: id, settings: settings, interfaces: after.interfaces), network: network)
        }
    }
}
