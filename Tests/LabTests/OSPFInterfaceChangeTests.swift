import Foundation
import Engine
@testable import Fabric
@testable import Lab
import Protocols
import Testing
import Wire

/// Interfaces that appear, change address or vanish under a running OSPF process (a scenario `config:` event).
@Suite struct OSPFInterfaceChangeTests {
    func lab() throws -> Lab {
        let path = LabFiles().write("topo.yaml", OSPFLabTests.chain)
        return try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [OSPFModule.self])
    }

    func run(_ lab: Lab, to seconds: Int64) {
        while lab.network.now < .zero + .seconds(seconds) {
            _ = lab.network.run(until: .zero + .seconds(seconds), maxEvents: 1_000_000)
        }
    }

    func route(_ lab: Lab, _ name: String, _ prefix: String) -> Route? {
        lab.network.ipNode(lab.node(name)!)!.routes.selected.first { $0.key.description == prefix }?.value
    }

    func process(_ lab: Lab, _ name: String) -> OSPFProcess? {
        lab.network.ipNode(lab.node(name)!)?.protocols.compactMap { $0 as? OSPFProcess }.first
    }

    /// RFC 2328 §9.3: a new interface a `network` statement matches comes up in OSPF at once; the process and
    /// its adjacencies carry on (IOS does not reset them).
    @Test func aNewInterfaceJoinsTheRunningProcess() throws {
        let lab = try lab()
        run(lab, to: 60)
        let before = try #require(process(lab, "R1"))
        try lab.applyConfig(to: "R1", lines: ["interface Loopback7", " ip address 10.7.7.7 255.255.255.255"],
                            file: "s.yaml", line: 1)
        run(lab, to: 90)
        #expect(process(lab, "R1") === before, "the same process, not a restart")
        #expect(before.interfaceNames.contains("Loopback7"))
        #expect(route(lab, "R3", "10.7.7.7/32")?.code == "O", "R3 learns the new loopback")
        let logging = try lab.show(device: "R1", command: "show logging")
        #expect(!logging.contains("to DOWN"), "\(logging)")
    }

    /// A readdressed OSPF interface restarts the process (a departure: IOS resets that interface only); it
    /// converges on the new address.
    @Test func aReaddressedInterfaceRestartsTheProcessAndConverges() throws {
        let lab = try lab()
        run(lab, to: 60)
        let before = try #require(process(lab, "R1"))
        try lab.applyConfig(to: "R1", lines: ["interface Loopback0", " ip address 1.1.1.2 255.255.255.255"],
                            file: "s.yaml", line: 1)
        run(lab, to: 120)
        #expect(process(lab, "R1") !== before)
        #expect(route(lab, "R3", "1.1.1.2/32")?.code == "O")
        #expect(route(lab, "R3", "1.1.1.1/32") == nil, "the old loopback is withdrawn")
    }
}
