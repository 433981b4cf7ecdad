import Engine
import Fabric
import IOSConfig
import Wire

/// PIM-SM as a protocol module: the `ip pim ...`, `ip mroute` and `ip multicast ...` commands, the `show ip pim`,
/// `show ip rpf` and `show ip mroute` commands, `debug ip pim`, and one `PIMRouter` on each router with
/// `ip multicast-routing` and at least one interface in sparse (or sparse-dense) mode. `ip multicast-routing` and
/// the interface modes are IGMP's commands (`IGMPSettings`), since they enable IGMP too.
public enum PIMModule: ProtocolModule {
    /// Where `ip pim rp-address`, `ip pim spt-threshold` and `ip mroute` print: after the static routes, as IOS does.
    static let section = ConfigSection(rank: 810, name: "ip pim")

    static func requireRouter<Target: ProtocolSettingsContainer>(_ target: Target, _ command: String) throws {
        guard target.isRouter else { throw ConfigError.rejected("% Invalid input detected: \(command) is for routers") }
    }

    static func updateInterface<Target: ProtocolSettingsContainer>(_ c: ParsedCommand, _ target: inout Target,
                                                                   _ body: (inout PIMInterfaceSettings) -> Void) {
        guard let name = c.enclosing(.interface)?.interface()?.description else { return }
        var s = target.protocolSettings[PIMSettings.self].interfaces[name] ?? PIMInterfaceSettings()
        body(&s)
        target.protocolSettings[PIMSettings.self].interfaces[name] = s == PIMInterfaceSettings() ? nil : s
    }

    public static func registerCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
        // `ip pim rp-address A [ACL] [override]`: one line per RP address. The ACL is a standard list's number or name.
        registry.register(.global, "ip pim rp-address <A.B.C.D:rp> [<WORD:acl>] [override]", section: section,
                          key: .custom { c in "ip pim rp-address \(c.address("rp")?.description ?? "")" }) { c, target in
            try requireRouter(target, "ip pim rp-address")
            guard let address = c.address("rp") else { return }
            var rps = target.protocolSettings[PIMSettings.self].rendezvousPoints
            rps.removeAll { $0.address == address }
            if !c.isNegated {
                var acl = c.text("acl")
                var override = c.has("override")
                if acl?.lowercased() == "override" { acl = nil; override = true }
                if let acl, let n = Int(acl), !(1...99).contains(n) && !(1300...1999).contains(n) {
                    throw ConfigError.rejected("% Invalid access list \(acl): a standard list (1-99, 1300-1999) or a name")
                }
                rps.append(StaticRP(address: address, accessList: acl, override: override))
            }
            target.protocolSettings[PIMSettings.self].rendezvousPoints = rps
        }
        // IOS threshold semantics: `infinity` keeps last hops on the shared tree; a rate is not measured here, so any
        // number switches at the first packet as 0 does (a departure for rates above 0).
        registry.register(.global, "ip pim spt-threshold {infinity | <0-4294967:kbps>}", section: section) { c, target in
            try requireRouter(target, "ip pim spt-threshold")
            target.protocolSettings[PIMSettings.self].sptThresholdInfinity = !c.isNegated && c.has("infinity")
        }
        registry.register(.global, "ip mroute <A.B.C.D:source> <A.B.C.D:mask> {<A.B.C.D:rpf> | <INTERFACE:exit>} [<0-255:distance>]",
                          section: section, key: .custom { c in
                              "ip mroute \(c.address("source")?.description ?? "") \(c.address("mask")?.description ?? "")"
                          }) { c, target in
            try requireRouter(target, "ip mroute")
            guard let source = c.address("source"), let mask = c.address("mask") else { return }
            guard let prefix = IPv4Prefix(source, mask: mask), prefix.network == source else {
                throw ConfigError.rejected("% Inconsistent address and mask")
            }
            var routes = target.protocolSettings[PIMSettings.self].staticMRoutes
            routes.removeAll { $0.prefix == prefix }
            if !c.isNegated {
                guard c.address("rpf") != nil || c.interface("exit") != nil else { throw ConfigError.rejected("% Incomplete command.") }
                routes.append(StaticMRoute(prefix: prefix, rpfAddress: c.address("rpf"), interface: c.interface("exit")?.description,
                                           distance: c.number("distance") ?? 0))
            }
            target.protocolSettings[PIMSettings.self].staticMRoutes = routes
        }
        registry.register(.interface, "ip pim dr-priority <0-4294967295>") { c, target in
            try requireRouter(target, "ip pim dr-priority")
            updateInterface(c, &target) { $0.drPriority = c.isNegated ? nil : c.number(at: 0).map { UInt32($0) } }
        }
        registry.register(.interface, "ip pim query-interval <1-65535>") { c, target in
            try requireRouter(target, "ip pim query-interval")
            updateInterface(c, &target) { $0.queryIntervalSeconds = c.isNegated ? nil : c.number(at: 0) }
        }
        registry.register(.interface, "ip mroute-cache", negation: .storedAsNo) { c, target in
            try requireRouter(target, "ip mroute-cache")
            updateInterface(c, &target) { $0.noMrouteCache = c.isNegated }
        }
        registry.register(.interface, "ip multicast ttl-threshold <0-255>") { c, target in
            try requireRouter(target, "ip multicast ttl-threshold")
            updateInterface(c, &target) { $0.ttlThreshold = c.isNegated ? nil : c.number(at: 0) }
        }
    }

    public static func registerExecCommands(into registry: ExecCommandRegistry) {
        func node(_ context: ExecContext) throws(ExecError) -> IPNode {
            guard let n = context.ipNode, n.isRouter else { throw ExecError("% Invalid input detected at '^' marker.") }
            return n
        }
        registry.add("show ip pim neighbor [<INTERFACE>]") { c, context throws(ExecError) in
            _ = try node(context)
            return PIMShow.neighbors(context.instances(of: PIMRouter.self).first, only: c.interface()?.description,
                                     now: context.network.now)
        }
        registry.add("show ip pim interface [<INTERFACE>]") { c, context throws(ExecError) in
            _ = try node(context)
            return PIMShow.interfaces(context.instances(of: PIMRouter.self).first, only: c.interface()?.description)
        }
        registry.add("show ip pim rp mapping") { _, context throws(ExecError) in
            let n = try node(context)
            return PIMShow.rpMapping(n.settings, pim: context.instances(of: PIMRouter.self).first?.settings)
        }
        registry.add("show ip rpf <A.B.C.D>") { c, context throws(ExecError) in
            let n = try node(context)
            guard let address = c.address(at: 0) else { throw ExecError("% Incomplete command.") }
            return PIMShow.rpf(address, node: n, router: context.instances(of: PIMRouter.self).first, network: context.network)
        }
        registry.add("show ip mroute count") { _, context throws(ExecError) in
            let n = try node(context)
            refreshExpiries(n, context)
            return MRouteShow.count(n, network: context.network, group: nil)
        }
        registry.add("show ip mroute [<A.B.C.D:group> [<A.B.C.D:source>]]") { c, context throws(ExecError) in
            let n = try node(context)
            var group = c.address("group"), source = c.address("source")
            // IOS takes the two addresses in either order: the multicast one is the group.
            if let g = group, let s = source, !g.isMulticast, s.isMulticast { (group, source) = (s, g) }
            refreshExpiries(n, context)
            return MRouteShow.table(n, network: context.network, group: group, source: source)
        }
    }

    /// Entries whose expiry follows their packets (the keepalive) are brought up to date before they are shown.
    static func refreshExpiries(_ node: IPNode, _ context: ExecContext) {
        for r in context.instances(of: PIMRouter.self) {
            _ = node.withContext(of: r, network: context.network) { r.refreshKeepaliveExpiries($0) }
        }
    }

    /// `debug ip pim` (IOS: "PIM debugging is on"); `show debugging` lists it under "IP multicast".
    public static var debugSwitches: [DebugSwitch] {
        [DebugSwitch("ip pim", .ipPIM, "PIM debugging", group: "IP multicast")]
    }

    public static func protocolsSummary(_ context: ExecContext) -> String? { nil }

    /// Follows the configuration. In place: `ip pim dr-priority` (a new Hello and a new election), the RPs, the SPT
    /// threshold and static mroutes (every entry evaluated again). Anything else that touches PIM — an interface's
    /// mode, query interval or address — restarts the router (goodbye Hellos, state rebuilt): a departure from IOS,
    /// which adjusts the one interface.
    public static func configure(_ node: IPNode, old: ProtocolSettingsStore?, new: ProtocolSettingsStore, network: Network) {
        guard node.isRouter else { return }
        let igmp = new[IGMPSettings.self], pim = new[PIMSettings.self]
        if node.multicastRoutingEnabled != igmp.multicastRouting { node.multicastRoutingEnabled = igmp.multicastRouting }
        for (index, interface) in node.interfaces.enumerated() {
            let threshold = pim.interfaces[interface.name]?.ttlThreshold ?? 0
            if node.multicastRoutes.ttlThresholds.indices.contains(index) ? node.multicastRoutes.ttlThresholds[index] != threshold
                : threshold != 0 {
                node.setMulticastTTLThreshold(threshold, on: index)
            }
        }
        let modes = PIMRouter.modes(igmp)
        let wanted = modes.keys.contains { name in node.interfaces.contains { $0.name == name && $0.primary != nil } }
        let running = node.protocols.compactMap { $0 as? PIMRouter }
        func stop(_ r: PIMRouter) {
            _ = node.withContext(of: r, network: network) { r.stop($0) }
            node.detach(r)
        }
        guard wanted else {
            running.forEach(stop)
            return
        }
        if let r = running.first, old != nil {
            if r.modes == modes, r.sameInterfaces(node, pim), r.settings != pim {
                _ = node.withContext(of: r, network: network) { r.updateSettings(pim, $0) }
                return
            }
            if r.modes == modes, r.sameInterfaces(node, pim) { return }
        }
        running.forEach(stop)
        node.attach(PIMRouter(settings: pim, modes: modes, seed: network.seed, hostname: node.name), network: network)
    }
}

extension PIMRouter {
    /// Whether the running interfaces still match the node's (same names and addresses) and their Hello periods.
    func sameInterfaces(_ node: IPNode, _ pim: PIMSettings) -> Bool {
        guard started else { return true }
        let wanted = node.interfaces.enumerated().compactMap { index, i -> (Int, String, IPv4Address)? in
            guard modes[i.name] != nil, let p = i.primary else { return nil }
            return (index, i.name, p.address)
        }
        guard wanted.count == interfaces.count else { return false }
        for (w, i) in zip(wanted, interfaces) {
            guard w.0 == i.index, w.1 == i.name, w.2 == i.address,
                  SimDuration.seconds(Int64(pim.interfaces[i.name]?.queryIntervalSeconds ?? 30)) == i.helloPeriod else { return false }
        }
        return true
    }

    /// New settings taken in place: DR priorities change with a Hello at once (RFC 7761 §4.3.1 asks for a triggered
    /// Hello when the priority changes) and a new election; RPs, the threshold and static mroutes re-evaluate the tree.
    func updateSettings(_ new: PIMSettings, _ context: ControlPlaneContext) {
        settings = new
        guard started else { return }
        for k in interfaces.indices {
            let priority = new.interfaces[interfaces[k].name]?.drPriority ?? 1
            guard priority != interfaces[k].drPriority else { continue }
            var actions: [PIMInterfaceAction] = []
            interfaces[k].setDRPriority(priority, actions: &actions)
            run(actions, k, context)
            if interfaces[k].isUp { sendHello(k, goodbye: false, context) }
        }
        update(context)
    }

    /// `show ip mroute` reads `expires` from the forwarding entries; keepalive-driven ones are written again.
    func refreshKeepaliveExpiries(_ context: ControlPlaneContext) {
        guard started else { return }
        for key in entries.keys.sorted() where !key.source.isZero {
            guard var e = entries[key], e.keepaliveExpires != nil,
                  let last = context.node.multicastRoutes[key.source, key.group]?.lastPacket else { continue }
            e.keepaliveExpires = max(e.keepaliveExpires!, last + PIMTimers.keepalivePeriod)
            entries[key] = e
            writeForwardingEntry(e, rp: rendezvousPoint(for: key.group, context) ?? .any, context)
        }
    }
}
