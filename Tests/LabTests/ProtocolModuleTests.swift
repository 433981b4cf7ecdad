import Engine
import Fabric
import IOSConfig
@testable import Lab
import Protocols
import Testing
import Wire

/// A protocol module plugged into a lab as OSPF, IGMP and PIM plug in: it owns its commands, its
/// typed settings and its exec commands, and hears of configuration changes as differences.
@Suite struct ProtocolModuleTests {
    /// `router demo N` with `hello-interval S`, and `ip demo cost C` on interfaces.
    struct DemoSettings: ProtocolSettings {
        var processes: [Int: Int] = [:]        // process → hello interval
        var costs: [String: Int] = [:]          // interface → cost
        init() {}
    }

    /// The running instance: counts what it was told, so a test sees it was not restarted.
    final class DemoProcess: ControlPlaneProtocol {
        let process: Int
        var helloInterval: Int
        var reconfigurations = 0
        var started = false
        init(process: Int, helloInterval: Int) {
            self.process = process
            self.helloInterval = helloInterval
        }
        var ipProtocol: IPProtocol { IPProtocol(rawValue: 253) }  // RFC 3692 experimentation
        func start(_ context: ControlPlaneContext) { started = true }
        func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext) {}
        func timerFired(token: UInt32, _ context: ControlPlaneContext) {}
        func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext) {}
    }

    enum DemoModule: ProtocolModule {
        static let mode = ConfigMode("router-demo")

        static func registerCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
            registry.register(.global, "router demo <1-65535>", enters: mode, section: .router) { c, target in
                guard target.isRouter else { throw ConfigError.rejected("% Invalid input detected: router demo is for routers") }
                let id = c.number(at: 0)!
                if c.isNegated { target.protocolSettings[DemoSettings.self].processes[id] = nil }
                else if target.protocolSettings[DemoSettings.self].processes[id] == nil {
                    target.protocolSettings[DemoSettings.self].processes[id] = 10
                }
            }
            registry.register(mode, "hello-interval <1-65535>") { c, target in
                let id = c.enclosing(mode)!.number(at: 0)!
                target.protocolSettings[DemoSettings.self].processes[id] = c.isNegated ? 10 : c.number(at: 0)!
            }
            registry.register(.interface, "ip demo cost <1-65535>") { c, target in
                let name = c.enclosing(.interface)!.interface()!.description
                target.protocolSettings[DemoSettings.self].costs[name] = c.isNegated ? nil : c.number(at: 0)!
            }
        }

        /// A switch on a bit no module owns.
        static let debugSwitches = [DebugSwitch("ip demo", DebugFlag(bit: 63), "Demo packet debugging", group: "Demo")]
        nonisolated(unsafe) static var debugChanges: [String] = []
        static func debuggingChanged(_ node: IPNode, network: Network) {
            debugChanges.append("\(node.name) \(network.isDebugging(node.id, DebugFlag(bit: 63)))")
        }

        static func registerExecCommands(into registry: ExecCommandRegistry) {
            registry.add("show ip demo") { _, context throws(ExecError) in
                let processes = context.instances(of: DemoProcess.self)
                guard !processes.isEmpty else { throw ExecError("% demo is not running") }
                return processes.map { "Demo \($0.process): hello \($0.helloInterval)s, reconfigured \($0.reconfigurations) times" }
                    .joined(separator: "\n")
            }
        }

        static func configure(_ node: IPNode, old: ProtocolSettingsStore?, new: ProtocolSettingsStore, network: Network) {
            let before = old?[DemoSettings.self] ?? DemoSettings(), after = new[DemoSettings.self]
            guard old == nil || before != after else { return }
            let running = node.protocols.compactMap { $0 as? DemoProcess }
            for p in running where after.processes[p.process] == nil { node.detach(p) }
            for (id, hello) in after.processes.sorted(by: { $0.key < $1.key }) {
                if let p = running.first(where: { $0.process == id }) {
                    p.helloInterval = hello
                    p.reconfigurations += 1
                } else {
                    node.attach(DemoProcess(process: id, helloInterval: hello), network: network)
                }
            }
        }
    }

    /// A module with nothing but a `show ip protocols` section, on routers running `router demo`.
    enum SummaryModule: ProtocolModule {
        static func registerCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {}
        static func registerExecCommands(into registry: ExecCommandRegistry) {}
        static func configure(_ node: IPNode, old: ProtocolSettingsStore?, new: ProtocolSettingsStore, network: Network) {}
        static func protocolsSummary(_ context: ExecContext) -> String? {
            context.instances(of: DemoProcess.self).isEmpty ? nil : "Routing Protocol is \"summary\"\n  Maximum path: 1"
        }
    }

    static func topology(_ r1Extra: String) -> String {
        """
        nodes:
          R1:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.0.12.1 255.255.255.0
               ip demo cost 7
               no shutdown
        \(r1Extra.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
          R2:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.0.12.2 255.255.255.0
               no shutdown
        links:
          - endpoints: [R1:Gi0/0, R2:Gi0/0]
        """
    }

    func lab(_ config: String = "router demo 1\n hello-interval 5") throws -> Lab {
        let path = LabFiles().write("topo.yaml", Self.topology(config))
        return try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [DemoModule.self])
    }

    @Test func aModulesCommandsWriteItsSettingsAndPrintInTheRunningConfig() throws {
        let lab = try lab()
        let settings = lab.configurations["R1"]!.protocolSettings[DemoSettings.self]
        #expect(settings.processes == [1: 5] && settings.costs == ["GigabitEthernet0/0": 7])
        let running = try lab.show(device: "R1", command: "show running-config")
        #expect(running.contains(" ip demo cost 7") && running.contains("router demo 1\n hello-interval 5"), "\(running)")
        #expect(lab.configurations["R2"]!.protocolSettings == ProtocolSettingsStore(), "R2 configured none of it")
    }

    @Test func aModulesExecCommandsAnswerOnTheDevice() throws {
        let lab = try lab()
        #expect(try lab.show(device: "R1", command: "sh ip demo") == "Demo 1: hello 5s, reconfigured 0 times")
        #expect(throws: ShowError.self) { _ = try lab.show(device: "R2", command: "show ip demo") }
    }

    @Test func showIPProtocolsJoinsTheSectionsOfTheModulesThatHaveOne() throws {
        let path = LabFiles().write("topo.yaml", Self.topology("router demo 1"))
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"),
                                modules: [DemoModule.self, SummaryModule.self])
        // DemoModule keeps the default (no section); SummaryModule answers where a demo process runs.
        #expect(try lab.show(device: "R1", command: "show ip protocols")
            == "*** IP Routing is NSF aware ***\n\nRouting Protocol is \"summary\"\n  Maximum path: 1\n")
        #expect(try lab.show(device: "R2", command: "show ip protocols") == "*** IP Routing is NSF aware ***\n")
        #expect(DemoModule.protocolsSummary(ExecContext(network: lab.network, node: lab.node("R1")!)) == nil)
    }

    @Test func aModulesDebugSwitchesJoinTheLabsDebugCommands() throws {
        let lab = try lab()
        DemoModule.debugChanges = []
        #expect(try lab.show(device: "R1", command: "debug ip demo") == "Demo packet debugging is on")
        #expect(try lab.show(device: "R1", command: "debug arp") == "ARP packet debugging is on")
        #expect(try lab.show(device: "R1", command: "show debugging")
            == "IP ARP:\n  ARP packet debugging is on\nDemo:\n  Demo packet debugging is on")
        #expect(try lab.show(device: "R1", command: "undebug ip demo") == "Demo packet debugging is off")
        _ = try lab.show(device: "R1", command: "debug ip demo")
        _ = try lab.show(device: "R1", command: "undebug all")
        #expect(try lab.show(device: "R1", command: "show debugging") == "")
        #expect(DemoModule.debugChanges == ["R1 true", "R1 true", "R1 false", "R1 true", "R1 false"])
    }

    @Test func aChangeReachesTheRunningInstanceWithoutARestart() throws {
        let lab = try lab()
        let process = try #require(lab.network.ipNode(lab.node("R1")!)?.protocols.first { $0 is DemoProcess } as? DemoProcess)
        try lab.applyConfig(to: "R1", lines: ["router demo 1", " hello-interval 30"], file: "s.yaml", line: 1)
        #expect(process.helloInterval == 30 && process.reconfigurations == 1)
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " description unrelated"], file: "s.yaml", line: 1)
        #expect(process.reconfigurations == 1, "a change outside the module does not reach it")
        try lab.applyConfig(to: "R1", lines: ["no router demo 1"], file: "s.yaml", line: 1)
        #expect(throws: ShowError.self) { _ = try lab.show(device: "R1", command: "show ip demo") }
    }

    @Test func aModuleCommandOnTheWrongDeviceIsBadInputAtItsLine() {
        let files = LabFiles()
        let path = files.write("topo.yaml", """
            nodes:
              H1: {kind: host, address: 10.0.0.1/24}
              SW1:
                kind: switch
                config: |
                  router demo 1
            links: []
            """)
        #expect(throws: LabErrors.self) {
            _ = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [DemoModule.self])
        }
    }

    @Test func withoutTheModuleItsCommandsAreUnknown() throws {
        let path = LabFiles().write("topo.yaml", Self.topology("router demo 1"))
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [])
        #expect(lab.warnings.map(\.line) == [7, 9], "\(lab.warnings)")
    }
}
