import Engine
import Fabric
import IOSConfig
import Wire

/// OSPFv2 as a protocol module: `router ospf N` and its commands, the `ip ospf ...` interface commands,
/// `show ip ospf neighbor` and `show ip ospf database`, and one `OSPFProcess` per configured process.
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
        registerMismatchCommands(into: registry)
    }

    static func updateInterface<Target: ProtocolSettingsContainer>(_ name: String, _ target: inout Target,
                                                                   _ body: (inout OSPFInterfaceSettings) -> Void) {
        var s = target.protocolSettings[OSPFSettings.self].interfaces[name] ?? OSPFInterfaceSettings()
        body(&s)
        target.protocolSettings[OSPFSettings.self].interfaces[name] = s == OSPFInterfaceSettings() ? nil : s
    }

    public static func registerExecCommands(into registry: ExecCommandRegistry) {
        registry.add("show ip ospf neighbor") { _, context throws(ExecError) in
            let processes = context.instances(of: OSPFProcess.self)
            guard !processes.isEmpty else { throw ExecError("% OSPF is not enabled") }
            return processes.map { OSPFShow.neighbors($0, now: context.network.now) }.joined(separator: "\n")
        }
        registry.add("show ip ospf database") { _, context throws(ExecError) in
            let processes = context.instances(of: OSPFProcess.self)
            guard !processes.isEmpty else { throw ExecError("% OSPF is not enabled") }
            return processes.map { OSPFShow.database($0, now: context.network.now) }.joined(separator: "\n")
        }
    }

    /// A change of a process's settings, or of any `ip ospf` command, restarts the processes it touches
    /// (IOS would re-originate in place: a departure, for now).
    public static func configure(_ node: IPNode, old: ProtocolSettingsStore?, new: ProtocolSettingsStore, network: Network) {
        refreshMTUs(node, network: network)
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

/// IOS layouts of the OSPF `show` commands.
enum OSPFShow {
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    static func padLeft(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    static func clock(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
    }

    static func neighbors(_ p: OSPFProcess, now: SimTime) -> String {
        var lines = ["", "Neighbor ID     Pri   State           Dead Time   Address         Interface"]
        for (i, interface) in p.flooding.interfaces.enumerated() {
            for n in interface.neighbors where n.state > .down {
                let role: String
                if interface.type == .pointToPoint { role = "  -" }
                else if n.address == interface.designatedRouter { role = "DR" }
                else if n.address == interface.backupDesignatedRouter { role = "BDR" }
                else { role = "DROTHER" }
                let dead = n.inactivityDeadline.map { clock(($0 - now).nanoseconds / 1_000_000_000) } ?? "-"
                lines.append(pad(n.neighborID.description, 16) + padLeft(String(n.priority), 3) + "   "
                    + pad("\(n.state)/\(role)", 16) + pad(dead, 12) + pad(n.address.description, 16) + p.interfaceNames[i])
            }
        }
        return lines.joined(separator: "\n")
    }

    static func database(_ p: OSPFProcess, now: SimTime) -> String {
        var lines = ["", "            OSPF Router with ID (\(p.routerID)) (Process ID \(p.processID))"]
        for area in p.flooding.areaDatabases.keys.sorted() {
            let db = p.flooding.database(.area(area))
            let routers = db.sortedEntries(ofType: .router)
            if !routers.isEmpty {
                lines += ["", "                Router Link States (Area \(area))", "",
                          "Link ID         ADV Router      Age         Seq#       Checksum Link count"]
                for e in routers {
                    var count = 0
                    if case let .router(body) = e.lsa.body { count = body.links.count }
                    lines.append(row(e, now: now) + " \(count)")
                }
            }
            let networks = db.sortedEntries(ofType: .network)
            if !networks.isEmpty {
                lines += ["", "                Net Link States (Area \(area))", "",
                          "Link ID         ADV Router      Age         Seq#       Checksum"]
                for e in networks { lines.append(row(e, now: now)) }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func row(_ e: LSDB.Entry, now: SimTime) -> String {
        pad(e.lsa.linkStateID.description, 16) + pad(e.lsa.advertisingRouter.description, 16)
            + pad(String(e.age(at: now)), 12)
            + "0x" + hex(UInt64(UInt32(bitPattern: e.lsa.sequenceNumber)), digits: 8) + " 0x" + hex(UInt64(e.instance.checksum), digits: 6)
    }
}
