import Engine
import Fabric
import IOSConfig
import Protocols
import Wire

/// A show command that could not run.
public struct ShowError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

extension Lab {
    /// Runs an IOS exec command (`show ...`, abbreviations allowed) on a device and returns its output.
    public func show(device: String, command: String) throws(ShowError) -> String {
        guard let id = node(device) else { throw ShowError(message: "unknown device '\(device)'") }
        let name = topology.nodes[id.index].name
        return try execCommands.run(command, lab: self, node: id, name: name)
    }

    /// Checks that a device exists and a command parses, before anything runs.
    public func validateShow(device: String, command: String) throws(ShowError) {
        guard node(device) != nil else {
            throw ShowError(message: "unknown device '\(device)' (devices: \(topology.nodes.map(\.name).joined(separator: ", ")))")
        }
        try execCommands.validate(command)
    }
}

extension Lab {
    /// `show logging`: the device's syslog lines, oldest first, stamped with virtual time as
    /// `service timestamps log uptime msec` would (storm lines carry the end of their 1-second window).
    func showLogging(_ node: NodeID) -> String {
        _ = network.stormEpisodes()  // evaluates the storm windows that ended by now
        let records = network.logRecords(of: node)
        var lines = ["Log Buffer (\(records.count) messages):", ""]
        for r in records {
            let ms = r.time.nanoseconds / 1_000_000
            func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
            let fraction = ms % 1000
            let stamp = "\(two(ms / 3_600_000)):\(two(ms / 60_000 % 60)):\(two(ms / 1000 % 60)).\(fraction < 10 ? "00" : fraction < 100 ? "0" : "")\(fraction)"
            lines.append("*\(stamp): \(r.text)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The exec commands, matched with the same grammar and abbreviations as configuration commands.
final class ShowCommands: @unchecked Sendable {
    typealias Handler = (ParsedCommand, Lab, NodeID, String) throws(ShowError) -> String
    static let exec = ConfigMode("exec")
    let registry = CommandRegistry<Int>(ignoringDefaults: false)
    var handlers: [Int: Handler] = [:]

    /// The built-in exec commands, then each module's.
    init(modules: [any ProtocolModule.Type] = []) {
        add("show running-config") { _, lab, _, name in
            lab.running[name]?.render() ?? "!\nend"
        }
        add("show ip route") { _, lab, node, _ throws(ShowError) in
            guard lab.kind(of: node) != .l2switch else { throw ShowError(message: "% IP routing table does not exist on a Layer 2 switch") }
            return lab.network.showIPRoute(node)
        }
        // `show ip route connected|static|ospf [N]`: the routes of those owners only (IOS: connected shows C and L).
        add("show ip route {connected | static | ospf [<1-65535>]}") { c, lab, node, _ throws(ShowError) in
            guard lab.kind(of: node) != .l2switch else { throw ShowError(message: "% IP routing table does not exist on a Layer 2 switch") }
            let words = c.keywords
            if words.contains("connected") { return lab.network.showIPRoute(node) { $0 == .connected || $0 == .local } }
            if words.contains("static") { return lab.network.showIPRoute(node) { $0 == .staticRoute } }
            let instance = c.number(at: 0)
            return lab.network.showIPRoute(node) { $0.code == "O" && (instance == nil || $0.instance == instance) }
        }
        // IOS takes `show arp` as well as `show ip arp`; the layout is the same.
        for syntax in ["show ip arp", "show arp"] {
            add(syntax) { _, lab, node, _ throws(ShowError) in
                guard lab.kind(of: node) != .l2switch else { throw ShowError(message: "% ARP is not modelled on Layer 2 switches") }
                return lab.network.showIPARP(node)
            }
        }
        add("clear arp-cache [interface <INTERFACE>]") { c, lab, node, _ throws(ShowError) in
            guard let ip = lab.network.ipNode(node) else { throw ShowError(message: "% ARP is not modelled on Layer 2 switches") }
            var index: Int?
            if let wanted = c.interface()?.description {
                guard let i = ip.interfaces.firstIndex(where: { $0.name == wanted }) else { throw ShowError(message: "% Invalid input detected: no interface \(wanted)") }
                index = i
            }
            lab.network.clearARPCache(node, interface: index)
            return ""
        }
        add("clear ip arp <A.B.C.D>") { c, lab, node, _ throws(ShowError) in
            guard lab.network.ipNode(node) != nil, let address = c.address(at: 0) else {
                throw ShowError(message: "% ARP is not modelled on Layer 2 switches")
            }
            lab.network.clearARPEntry(node, address)
            return ""
        }
        add("show ip interface brief") { _, lab, node, _ in lab.network.showIPInterfaceBrief(node) }
        add("show interfaces [<INTERFACE>]") { c, lab, node, name throws(ShowError) in
            let wanted = c.interface()?.description
            if let wanted, !lab.network.hasInterface(node, named: wanted) {
                throw ShowError(message: "% Invalid input detected: \(name) has no interface \(wanted)")
            }
            return lab.network.showInterfaces(node, name: wanted)
        }
        add("show interfaces counters") { _, lab, node, _ in lab.network.showInterfacesCounters(node) }
        add("show interfaces counters flooding") { _, lab, node, _ in lab.network.showInterfacesCountersFlooding(node) }
        add("show vlan brief") { _, lab, node, _ throws(ShowError) in
            guard lab.kind(of: node) == .l2switch else { throw ShowError(message: "% VLANs are shown on switches") }
            return lab.network.showVLANBrief(node)
        }
        add("show mac address-table [{dynamic | static | vlan <1-4094> | address <H.H.H> | interface <INTERFACE>}]") { c, lab, node, _ throws(ShowError) in
            guard lab.kind(of: node) == .l2switch else { throw ShowError(message: "% The MAC address table is shown on switches") }
            var filter = MACTableFilter.all
            if c.has("dynamic") { filter = .dynamic }
            else if c.has("static") { filter = .staticEntries }
            else if let v = c.number("1-4094") { filter = .vlan(UInt16(v)) }
            else if let m = c.mac() { filter = .address(m) }
            else if let i = c.interface() { filter = .interface(i.description) }
            return lab.network.showMACAddressTable(node, filter: filter)
        }
        add("show storm-control [<INTERFACE>] [{broadcast | multicast | unicast}]") { c, lab, node, _ throws(ShowError) in
            guard lab.kind(of: node) == .l2switch else { throw ShowError(message: "% Storm control is shown on switches") }
            // Catalyst IOS: without a traffic type, the broadcast settings are shown.
            let type: StormTrafficType = c.has("multicast") ? .multicast : c.has("unicast") ? .unicast : .broadcast
            return lab.network.showStormControl(node, interface: c.interface()?.description, type: type)
        }
        add("show logging") { _, lab, node, _ in lab.showLogging(node) }
        add("show ip igmp snooping [{groups | mrouter | querier}] [vlan <1-4094>]") { c, lab, node, _ throws(ShowError) in
            guard lab.kind(of: node) == .l2switch else { throw ShowError(message: "% IGMP snooping is shown on switches") }
            let vlan = c.number("vlan").map(UInt16.init)
            if c.has("groups") { return lab.network.showIGMPSnoopingGroups(node, vlan: vlan) }
            if c.has("mrouter") { return lab.network.showIGMPSnoopingMrouter(node, vlan: vlan) }
            if c.has("querier") { return lab.network.showIGMPSnoopingQuerier(node, vlan: vlan) }
            return lab.network.showIGMPSnooping(node, vlan: vlan)
        }
        addDebugCommands(modules: modules)
        let moduleCommands = ModuleExecCommands(table: self)
        for module in modules { module.registerExecCommands(into: moduleCommands) }
        add("show ip protocols") { _, lab, node, _ in
            // IOS prints the NSF line, then one section per routing protocol, each followed by a blank line.
            let context = ExecContext(network: lab.network, node: node)
            let sections = modules.compactMap { $0.protocolsSummary(context) }
            return (["*** IP Routing is NSF aware ***", ""] + sections.flatMap { [$0, ""] }).joined(separator: "\n")
        }
        addQoSCommands()
    }

    func add(_ syntax: String, _ handler: @escaping Handler) {
        let spec = registry.register(Self.exec, syntax, negatable: false) { _, _ in }
        handlers[spec.id] = handler
    }

    /// Checks a command's syntax without running it (so a front end can refuse it before a long run).
    func validate(_ command: String) throws(ShowError) {
        if case let .failure(failure) = registry.parse(command, in: Self.exec) {
            let caret = String(repeating: " ", count: max(0, failure.column)) + "^"
            throw ShowError(message: "\(command)\n\(caret)\n\(failure.message)")
        }
    }

    func run(_ command: String, lab: Lab, node: NodeID, name: String) throws(ShowError) -> String {
        switch registry.parse(command, in: Self.exec) {
        case let .success(parsed):
            guard let handler = handlers[parsed.spec.id] else { throw ShowError(message: "% Invalid input detected") }
            return try handler(parsed, lab, node, name)
        case let .failure(failure):
            let caret = String(repeating: " ", count: max(0, failure.column)) + "^"
            throw ShowError(message: "\(command)\n\(caret)\n\(failure.message)")
        }
    }
}

extension ShowCommands {
    /// The fabric's `debug` switches, with the line IOS prints when one is turned on or off.
    static let debugFlags: [DebugSwitch] = [
        DebugSwitch("arp", .arp, "ARP packet debugging", group: "IP ARP"),
        DebugSwitch("ip icmp", .ipICMP, "ICMP packet debugging", group: "Generic IP"),
        DebugSwitch("ip mpacket", .ipMPacket, "IP multicast packets debugging", group: "IP multicast"),
    ]

    /// `debug ...`, `undebug ...` / `no debug ...`, `undebug all` and `show debugging`, for the fabric's switches
    /// and every module's; a module hears of each change so its running instances follow.
    func addDebugCommands(modules: [any ProtocolModule.Type]) {
        let switches = Self.debugFlags + modules.flatMap { $0.debugSwitches }
        func changed(_ lab: Lab, _ node: NodeID) {
            guard let ip = lab.network.ipNode(node) else { return }
            for module in modules { module.debuggingChanged(ip, network: lab.network) }
        }
        for d in switches {
            add("debug \(d.syntax)") { _, lab, node, _ in
                lab.network.setDebug(node, d.flag, on: true)
                changed(lab, node)
                return d.texts.map { "\($0) is on" }.joined(separator: "\n")
            }
            for prefix in ["undebug", "no debug"] {
                add("\(prefix) \(d.syntax)") { _, lab, node, _ in
                    lab.network.setDebug(node, d.flag, on: false)
                    changed(lab, node)
                    return d.texts.map { "\($0) is off" }.joined(separator: "\n")
                }
            }
        }
        for syntax in ["undebug all", "no debug all"] {
            add(syntax) { _, lab, node, _ in
                lab.network.clearDebugging(node)
                changed(lab, node)
                return "All possible debugging has been turned off"
            }
        }
        add("show debugging") { _, lab, node, _ in
            var lines: [String] = []
            var group = ""
            for d in switches where lab.network.isDebugging(node, d.flag) {
                if d.group != group { lines.append("\(d.group):"); group = d.group }
                lines += d.texts.map { "  \($0) is on" }
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// The view of the exec command table a protocol module registers into.
struct ModuleExecCommands: ExecCommandRegistry {
    let table: ShowCommands

    func add(_ syntax: String, _ handler: @escaping (ParsedCommand, ExecContext) throws(ExecError) -> String) {
        table.add(syntax) { command, lab, node, _ throws(ShowError) in
            do throws(ExecError) { return try handler(command, ExecContext(network: lab.network, node: node)) } catch {
                throw ShowError(message: error.message)
            }
        }
    }
}
