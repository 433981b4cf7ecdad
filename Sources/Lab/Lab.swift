import Engine
import Fabric
import Foundation
import IOSConfig
import Protocols
import Wire

/// A topology built into a running network, with each device's parsed configuration.
public final class Lab {
    public let topology: TopologyFile
    public let network: Network
    /// Typed configuration per node name.
    public private(set) var configurations: [String: DeviceConfiguration] = [:]
    /// `show running-config` per node name.
    public private(set) var running: [String: RunningConfig] = [:]
    /// Unknown-command warnings (errors never get this far).
    public private(set) var warnings: [ConfigDiagnostic] = []
    /// Lines accepted but not modelled, each listed once.
    public private(set) var ignored: [IgnoredLine] = []
    /// Things a user likely did not mean, that IOS would do all the same (a cabled router
    /// interface left administratively down by default).
    public private(set) var notes: [String] = []
    public let strict: Bool
    /// The protocol modules this lab runs (`ProtocolCatalog.all` unless told otherwise).
    public let modules: [any ProtocolModule.Type]
    let registry: CommandRegistry<DeviceConfiguration>
    /// The exec commands (`show ...`, `debug ...`): the built-in ones and the modules'.
    let execCommands: ShowCommands
    var nodeIDs: [String: NodeID] = [:]

    init(topology: TopologyFile, seed: UInt64, strict: Bool, modules: [any ProtocolModule.Type]) {
        self.topology = topology
        self.strict = strict
        self.modules = modules
        (registry, execCommands) = CommandTables.tables(for: modules)
        let mtu = topology.links.map(\.mtu).max() ?? 1500
        network = Network(seed: seed, maximumFrame: mtu + 18 + 4)
    }

    /// The node's ID by name (case-insensitive).
    public func node(_ name: String) -> NodeID? { nodeIDs[name.lowercased()] }
    public func nodeName(_ id: NodeID) -> String { topology.nodes[id.index].name }
    public func kind(of id: NodeID) -> DeviceKind { topology.nodes[id.index].kind }

    /// Parses every device configuration and builds the network; every mistake is reported once.
    public static func build(_ topology: TopologyFile, seed: UInt64 = 1, strict: Bool = false,
                             modules: [any ProtocolModule.Type] = ProtocolCatalog.all) throws(LabErrors) -> Lab {
        let lab = Lab(topology: topology, seed: seed, strict: strict, modules: modules)
        var errors: [LabError] = []
        // Each NLB cluster's members, by priority: every member is given the full list at build time.
        var clusterMembers: [UInt32: [Int]] = [:]
        for spec in topology.nodes { if let c = spec.host?.cluster { clusterMembers[c.address.rawValue, default: []].append(c.priority) } }
        for spec in topology.nodes {
            var configuration = DeviceConfiguration(kind: spec.kind, hostname: spec.name)
            if let source = spec.config {
                let result = lab.registry.apply(source, to: &configuration, strict: strict)
                errors += lab.finalizeQoS(&configuration, node: spec.name)
                for d in result.diagnostics {
                    if d.severity == .error { errors.append(LabError(file: d.file, line: d.line, column: d.column, d.message + d.caretBlock)) }
                    else { lab.warnings.append(d) }
                }
                lab.ignored += result.ignored
                lab.running[spec.name] = result.running
            }
            if let host = spec.host {
                var interface = InterfaceSettings(name: host.interface)
                if let a = host.address { interface.addresses = [a] }
                interface.joinedGroups = host.groups
                interface.igmpVersion = host.igmpVersion == 2 ? nil : host.igmpVersion
                interface.macAddress = host.mac
                if let c = host.cluster {
                    interface.nlb = NLBSettings(clusterAddress: c.address, mode: c.mode, priority: c.priority, affinity: c.affinity,
                                                members: (clusterMembers[c.address.rawValue] ?? [c.priority]).sorted())
                    // ios-behavior §10.2: an IGMP multicast member joins 239.255.Y.Z (RFC 1112 §7.2, as any host group).
                    let group = NLB.igmpGroup(c.address)
                    if c.mode == .igmpMulticast, !interface.joinedGroups.contains(group) { interface.joinedGroups.append(group) }
                }
                configuration.ip.interfaces = [interface]
                configuration.ip.defaultGateway = host.gateway
                configuration.ip.ipRouting = false
            }
            lab.configurations[spec.name] = configuration
        }
        guard errors.isEmpty else { throw LabErrors(errors) }
        // Physical ports: every cabled interface plus every configured physical one, in IOS order.
        var cabled: [String: [String]] = [:]
        for link in topology.links {
            cabled[link.a.node, default: []].append(link.a.interface)
            cabled[link.b.node, default: []].append(link.b.interface)
        }
        for spec in topology.nodes {
            let configuration = lab.configurations[spec.name]!
            var names = Set(cabled[spec.name] ?? [])
            let configured = spec.kind == .l2switch ? configuration.l2.interfaces : configuration.ip.interfaces
            for i in configured where !i.isSubinterface && !i.isLoopback
                && !["Vlan", "Tunnel", "Null", "Port-channel"].contains(where: { i.name.hasPrefix($0) }) {
                names.insert(i.name)
            }
            // Each name is read once, not once per comparison (and a single port needs no order).
            let ports = names.count < 2 ? Array(names) : names.map { (name: $0, parsed: try? InterfaceName($0)) }.sorted { a, b in
                guard let x = a.parsed, let y = b.parsed else { return a.name < b.name }
                return x < y
            }.map(\.name)
            let id: NodeID
            switch spec.kind {
            case .router: id = lab.network.addIPNode(configuration.ip, isRouter: true, physicalPorts: ports)
            case .host: id = lab.network.addIPNode(configuration.ip, isRouter: false, physicalPorts: ports)
            case .l2switch: id = lab.network.addSwitch(configuration.l2, physicalPorts: ports)
            }
            lab.nodeIDs[spec.name.lowercased()] = id
        }
        for link in topology.links {
            let a = lab.network.port(of: lab.nodeIDs[link.a.node.lowercased()]!, named: link.a.interface)!
            let b = lab.network.port(of: lab.nodeIDs[link.b.node.lowercased()]!, named: link.b.interface)!
            lab.network.connect(a, b, bandwidth: link.bandwidth, delay: link.delay, mtu: link.mtu)
        }
        errors += lab.duplicateAddresses()
        for link in topology.links {
            for end in [link.a, link.b] {
                guard let id = lab.node(end.node), case let spec = topology.nodes[id.index], spec.kind == .router else { continue }
                let settings = lab.configurations[spec.name]!.ip.interfaces.first { $0.name == end.interface }
                if settings?.shutdown ?? true, !lab.typedShutdown(node: spec.name, interface: end.interface) {
                    lab.notes.append("\(topology.displayName):\(end.line): note: \(spec.name) \(end.interface) is cabled but "
                                     + "administratively down: IOS leaves router interfaces down until `no shutdown`")
                }
            }
        }
        guard errors.isEmpty else { throw LabErrors(errors) }
        lab.network.start()
        lab.resolveQoSPorts()
        for spec in topology.nodes where spec.kind != .l2switch {
            let id = lab.nodeIDs[spec.name.lowercased()]!
            guard let node = lab.network.ipNode(id) else { continue }
            for module in modules { module.configure(node, old: nil, new: lab.configurations[spec.name]!.protocolSettings, network: lab.network) }
        }
        return lab
    }

    /// Applies IOS configuration lines to a device at the current virtual time (a scenario event).
    public func applyConfig(to name: String, lines: [String], file: String, line: Int) throws(LabErrors) {
        guard let id = node(name), var configuration = configurations[topology.nodes[id.index].name] else {
            throw LabErrors([LabError(file: file, line: line, "unknown device '\(name)'")])
        }
        let key = topology.nodes[id.index].name
        let source = ConfigSource(file: file, firstLine: line, lines: lines)
        let result = registry.apply(lines: source, over: running[key] ?? RunningConfig(), to: &configuration, strict: strict)
        let errors = result.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw LabErrors(errors.map { LabError(file: $0.file, line: $0.line, column: $0.column, $0.message + $0.caretBlock) })
        }
        let qosErrors = finalizeQoS(&configuration, id: id)
        guard qosErrors.isEmpty else { throw LabErrors(qosErrors) }
        warnings += result.diagnostics.filter { $0.severity != .error }
        ignored += result.ignored
        running[key] = result.running
        let before = configurations[key]?.protocolSettings
        configurations[key] = configuration
        switch configuration.kind {
        case .l2switch: network.reconfigure(id, with: configuration.l2)
        case .router, .host:
            network.reconfigure(id, with: configuration.ip)
            // Each module hears of the change with its settings before and after, and keeps what did not change.
            if let node = network.ipNode(id) {
                for module in modules { module.configure(node, old: before, new: configuration.protocolSettings, network: network) }
            }
        }
    }

    /// Switches a device off: links down, state lost, configuration kept (a scenario's `stop`).
    public func stop(_ name: String) {
        guard let id = node(name) else { return }
        network.powerOff(id)
    }

    /// Switches a device on: its configuration applied afresh and its protocols started over (`start`).
    public func start(_ name: String) {
        guard let id = node(name), network.isPoweredOff(id), let configuration = configurations[nodeName(id)] else { return }
        network.powerOn(id)
        switch configuration.kind {
        case .l2switch: network.reconfigure(id, with: configuration.l2)
        case .router, .host:
            network.reconfigure(id, with: configuration.ip)
            if let node = network.ipNode(id) {
                for module in modules { module.configure(node, old: nil, new: configuration.protocolSettings, network: network) }
            }
        }
    }

    /// True when the device's configuration says `shutdown` under the interface in so many words.
    func typedShutdown(node: String, interface: String) -> Bool {
        guard let text = running[node]?.render() else { return false }
        var inside = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("interface ") { inside = line == "interface \(interface)"; continue }
            if !line.hasPrefix(" ") { inside = false; continue }
            if inside && line == " shutdown" { return true }
        }
        return false
    }

    /// RFC 826 needs one owner per address on a segment: two interfaces in the same broadcast domain
    /// with the same address is a lab mistake. Segments follow links, switch VLANs and dot1Q tags.
    func duplicateAddresses() -> [LabError] {
        // Union-find over (port, VLAN tag) pairs; tag 0 is untagged.
        var parent: [Int: Int] = [:]
        func find(_ x: Int) -> Int {
            var r = x
            while let p = parent[r], p != r { r = p }
            parent[x] = r
            return r
        }
        func union(_ a: Int, _ b: Int) { let (x, y) = (find(a), find(b)); if x != y { parent[max(x, y)] = min(x, y) } }
        func key(_ port: PortID, _ tag: UInt16) -> Int { Int(port.rawValue) << 13 | Int(tag) }
        var tags: Set<UInt16> = [0]
        for (_, c) in configurations {
            for i in c.ip.interfaces { if let v = i.dot1QVLAN { tags.insert(v) } }
            for v in c.l2.vlans.keys { tags.insert(v) }
        }
        let sortedTags = tags.sorted()
        for link in network.links { for t in sortedTags { union(key(link.a, t), key(link.b, t)) } }
        for spec in topology.nodes where spec.kind == .l2switch {
            let c = configurations[spec.name]!.l2
            let id = nodeIDs[spec.name.lowercased()]!
            let byName = Dictionary(c.interfaces.map { ($0.name, $0.switchport) }, uniquingKeysWith: { first, _ in first })
            let switchports = network.ports(of: id).map { (port: $0, settings: byName[$0.name].flatMap { $0 } ?? SwitchportSettings()) }
            for vlan in c.vlans.keys.sorted() {
                var members: [Int] = []
                for (port, sp) in switchports {
                    switch sp.mode {
                    case .access where sp.accessVLAN == vlan: members.append(key(port.id, 0))
                    case .trunk where sp.allowedVLANs?.contains(vlan) ?? true:
                        members.append(key(port.id, vlan == sp.nativeVLAN ? 0 : vlan))
                    default: break
                    }
                }
                for m in members.dropFirst() { union(members[0], m) }
            }
        }
        var seen: [String: (node: String, interface: String, cluster: Bool)] = [:]
        var errors: [LabError] = []
        for spec in topology.nodes where spec.kind != .l2switch {
            let id = nodeIDs[spec.name.lowercased()]!
            for i in configurations[spec.name]!.ip.interfaces {
                let portName = i.physicalName
                guard let port = network.port(of: id, named: portName) else { continue }
                let segment = find(key(port, i.dot1QNative ? 0 : (i.dot1QVLAN ?? 0)))
                // An NLB cluster IP is shared by its members (not a duplicate among them), but not with anyone else.
                if let nlb = i.nlb {
                    let k = "\(segment)/\(nlb.clusterAddress)"
                    if let first = seen[k], !first.cluster {
                        errors.append(LabError(file: topology.displayName, line: spec.line,
                                               "duplicate address \(nlb.clusterAddress) on one segment: \(first.node) \(first.interface) and NLB cluster member \(spec.name) \(i.name)"))
                    } else if seen[k] == nil {
                        seen[k] = (spec.name, i.name, true)
                    }
                }
                for a in i.addresses {
                    let k = "\(segment)/\(a.address)"
                    if let first = seen[k] {
                        errors.append(LabError(file: topology.displayName, line: spec.line,
                                               "duplicate address \(a.address) on one segment: \(first.node) \(first.interface) and \(spec.name) \(i.name)"))
                    } else {
                        seen[k] = (spec.name, i.name, false)
                    }
                }
            }
        }
        return errors
    }
}

extension ConfigDiagnostic {
    /// The source line and caret, indented under the message.
    var caretBlock: String {
        guard let sourceLine else { return "" }
        return "\n  \(sourceLine)\n  " + String(repeating: " ", count: max(0, caretOffset)) + "^"
    }
}

/// The compiled command tables for a set of modules. They are read-only once built, so labs with the same
/// modules share one pair (compiling every syntax was a fifth of building a small lab); a lab with other
/// modules gets its own pair.
enum CommandTables {
    typealias Pair = (CommandRegistry<DeviceConfiguration>, ShowCommands)
    // The tables are never written after they are built; the lock guards the dictionary only.
    nonisolated(unsafe) private static var cache: [String: Pair] = [:]
    private static let lock = NSLock()

    static func tables(for modules: [any ProtocolModule.Type]) -> Pair {
        let key = modules.map { String(reflecting: $0) }.joined(separator: ",")
        lock.lock()
        defer { lock.unlock() }
        if let pair = cache[key] { return pair }
        let registry = DeviceCommands.registry()
        for module in modules { module.registerCommands(into: registry) }
        let pair = (registry, ShowCommands(modules: modules))
        cache[key] = pair
        return pair
    }
}
