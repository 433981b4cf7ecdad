import Engine
import Fabric
import IOSConfig
import Wire

/// IGMP as a protocol module. On hosts it runs `IGMPHost` (RFC 2236 §3), which reports the groups
/// the host joins (`groups:` in the topology, `join:`/`leave:` events). On routers with
/// `ip multicast-routing` it runs `IGMPRouter` on interfaces with `ip pim sparse-mode` (or `sparse-dense-mode`)
/// or an `ip igmp` command (IOS enables IGMP with PIM, which `PIMModule` runs); `ip igmp join-group` makes the
/// router a member. IGMP owns the two PIM mode commands because they switch IGMP on.
public enum IGMPModule: ProtocolModule {
    static func requireRouter<Target: ProtocolSettingsContainer>(_ target: Target, _ command: String) throws {
        guard target.isRouter else { throw ConfigError.rejected("% Invalid input detected: \(command) is for routers") }
    }

    static func updateInterface<Target: ProtocolSettingsContainer>(_ c: ParsedCommand, _ target: inout Target,
                                                                   _ body: (inout IGMPInterfaceSettings) -> Void) {
        guard let name = c.enclosing(.interface)?.interface()?.description else { return }
        var s = target.protocolSettings[IGMPSettings.self].interfaces[name] ?? IGMPInterfaceSettings()
        body(&s)
        target.protocolSettings[IGMPSettings.self].interfaces[name] = s == IGMPInterfaceSettings() ? nil : s
    }

    static func group(_ c: ParsedCommand) throws -> IPv4Address? {
        guard let g = c.address(at: 0) else { return nil }
        guard g.isMulticast else { throw ConfigError.rejected("% \(g) is not a multicast group address") }
        return g
    }

    public static func registerCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
        registry.register(.global, "ip multicast-routing") { c, target in
            try requireRouter(target, "ip multicast-routing")
            target.protocolSettings[IGMPSettings.self].multicastRouting = !c.isNegated
        }
        // The two modes replace each other on an interface's one line (IOS keeps one `ip pim` mode).
        registry.register(.interface, "ip pim sparse-mode", key: .custom { _ in "ip pim mode" }) { c, target in
            try requireRouter(target, "ip pim sparse-mode")
            updateInterface(c, &target) {
                $0.pimSparseMode = !c.isNegated
                if !c.isNegated { $0.pimSparseDenseMode = false }
            }
        }
        registry.register(.interface, "ip pim sparse-dense-mode", key: .custom { _ in "ip pim mode" }) { c, target in
            try requireRouter(target, "ip pim sparse-dense-mode")
            updateInterface(c, &target) {
                $0.pimSparseDenseMode = !c.isNegated
                if !c.isNegated { $0.pimSparseMode = false }
            }
        }
        registry.register(.interface, "ip igmp join-group <A.B.C.D>", key: .custom { c in
            "ip igmp join-group \(c.address(at: 0)?.description ?? "")"
        }) { c, target in
            try requireRouter(target, "ip igmp join-group")
            guard let g = try group(c) else { return }
            updateInterface(c, &target) { s in
                s.joinGroups.removeAll { $0 == g }
                if !c.isNegated { s.joinGroups.append(g) }
            }
        }
        registry.register(.interface, "ip igmp static-group <A.B.C.D>", key: .custom { c in
            "ip igmp static-group \(c.address(at: 0)?.description ?? "")"
        }) { c, target in
            try requireRouter(target, "ip igmp static-group")
            guard let g = try group(c) else { return }
            updateInterface(c, &target) { s in
                s.staticGroups.removeAll { $0 == g }
                if !c.isNegated { s.staticGroups.append(g) }
            }
        }
        registry.register(.interface, "ip igmp version <1-3>") { c, target in
            try requireRouter(target, "ip igmp version")
            let v = c.number(at: 0)
            if !c.isNegated, let v, v == 1 { throw ConfigError.rejected("% IGMP version 1 is not modelled (versions 2 and 3 are)") }
            updateInterface(c, &target) { $0.version = c.isNegated || v == 2 ? nil : v }
        }
        registry.register(.interface, "ip igmp query-interval <1-18000>") { c, target in
            try requireRouter(target, "ip igmp query-interval")
            updateInterface(c, &target) { $0.queryIntervalSeconds = c.isNegated ? nil : c.number(at: 0) }
        }
        registry.register(.interface, "ip igmp query-max-response-time <1-25>") { c, target in
            try requireRouter(target, "ip igmp query-max-response-time")
            updateInterface(c, &target) { $0.queryMaxResponseTimeSeconds = c.isNegated ? nil : c.number(at: 0) }
        }
    }

    public static func registerExecCommands(into registry: ExecCommandRegistry) {
        func router(_ context: ExecContext) throws(ExecError) -> IGMPRouter {
            guard let r = context.instances(of: IGMPRouter.self).first else {
                throw ExecError("% IGMP is not enabled (it needs ip multicast-routing and ip pim sparse-mode or ip igmp on an interface)")
            }
            return r
        }
        registry.add("show ip igmp groups") { _, context throws(ExecError) in
            IGMPShow.groups(try router(context), now: context.network.now)
        }
        registry.add("show ip igmp membership") { _, context throws(ExecError) in
            IGMPShow.membership(try router(context), now: context.network.now)
        }
        registry.add("show ip igmp interface [<INTERFACE>]") { c, context throws(ExecError) in
            let r = try router(context)
            return IGMPShow.interfaces(r, only: c.interface()?.description, node: context.ipNode!, network: context.network)
        }
    }

    /// `debug ip igmp` (IOS: "IGMP debugging is on"); `show debugging` lists it under "IP multicast".
    public static var debugSwitches: [DebugSwitch] {
        [DebugSwitch("ip igmp", .ipIGMP, "IGMP debugging", group: "IP multicast")]
    }

    /// A host gets its IGMP at start (and afresh after a power cycle: `old` is nil then). A router joins
    /// and leaves the groups of its `ip igmp join-group` lines as they change.
    public static func configure(_ node: IPNode, old: ProtocolSettingsStore?, new: ProtocolSettingsStore, network: Network) {
        guard node.isRouter else {
            guard old == nil else { return }
            for p in node.protocols where p is IGMPHost { node.detach(p) }
            node.attach(IGMPHost(seed: network.seed, hostname: node.name), network: network)
            return
        }
        let before = old?[IGMPSettings.self] ?? IGMPSettings(), after = new[IGMPSettings.self]
        // The router side restarts when its settings change (IOS would adjust in place: a departure, for now).
        if old == nil || before != after {
            for p in node.protocols where p is IGMPRouter { node.detach(p) }
            if !IGMPRouter.enabledInterfaces(after).isEmpty { node.attach(IGMPRouter(settings: after), network: network) }
        }
        for (index, interface) in node.interfaces.enumerated() {
            let was = old == nil ? [] : before.interfaces[interface.name]?.joinGroups ?? []
            let now = after.interfaces[interface.name]?.joinGroups ?? []
            for g in was where !now.contains(g) { node.leave(g, on: index, network: network) }
            for g in now where !was.contains(g) || !node.isMember(of: g, on: index) { node.join(g, on: index, network: network) }
        }
    }
}
