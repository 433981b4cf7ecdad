import Engine
import Fabric
import IOSConfig
import Wire

/// OSPFv2 as a protocol module: `router ospf N` and its commands, the `ip ospf ...` interface commands,
/// the `show ip ospf ...` commands (laid out in `OSPFShow`), and one `OSPFProcess` per configured process.
public enum OSPFModule: ProtocolModule {
    public static func registerExecCommands(into registry: ExecCommandRegistry) {
        registerProcessExecCommands(into: registry)
        OSPFShow.registerExecCommands(into: registry)
    }

    /// The `show ip protocols` section of every process, in process order.
    public static func protocolsSummary(_ context: ExecContext) -> String? {
        let processes = context.instances(of: OSPFProcess.self).sorted { $0.processID < $1.processID }
        guard !processes.isEmpty else { return nil }
        return processes.map { OSPFShow.protocolsSection($0, context: context) }.joined(separator: "\n\n")
    }

    /// Costs, redistribution, summaries, ranges, throttles and logging are taken in place by the running
    /// processes (re-originated, as IOS does); any other change of a process's settings, or of an `ip ospf`
    /// command, restarts the processes it touches (IOS would keep more in place: a departure, for now).
    public static func configure(_ node: IPNode, old: ProtocolSettingsStore?, new: ProtocolSettingsStore, network: Network) {
        refreshMTUs(node, network: network)
        // Interfaces added (or readdressed, or removed) by the change: new ones join in place.
        if old != nil {
            for p in node.protocols.compactMap({ $0 as? OSPFProcess }) {
                guard node.withContext(of: p, network: network, { p.reconcileInterfaces($0) }) == true else { continue }
                node.detach(p)
                node.attach(OSPFProcess(processID: p.processID, settings: p.settings, interfaces: p.interfaceSettings),
                            network: network)
            }
        }
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
        // Redistribution, summaries, ranges, default cost, throttles, maximum-paths and logging change in place
        // (IOS re-originates, RFC 2328 §12.4); anything else restarts the process.
        if old != nil, !interfacesChanged {
            for p in running {
                guard let was = before.processes[p.processID], let now = after.processes[p.processID], was != now,
                      OSPFProcess.changesInPlace(from: was, to: now) else { continue }
                _ = node.withContext(of: p, network: network) { p.updateSettings(now, $0) }
            }
        }
        for p in running where old == nil || interfacesChanged
            || (after.processes[p.processID] != before.processes[p.processID] && after.processes[p.processID] != p.settings) {
            node.detach(p)
        }
        let still = node.protocols.compactMap { $0 as? OSPFProcess }.map(\.processID)
        guard node.isRouter else { return }
        for (id, settings) in after.processes.sorted(by: { $0.key < $1.key }) where !still.contains(id) {
            node.attach(OSPFProcess(processID: id, settings: settings, interfaces: after.interfaces), network: network)
        }
    }
}
