import Capture
import Engine
import Foundation
@testable import Fabric
import Testing
@testable import Lab
import Wire

//   R1 Gi0/0 10.1.1.5 (ip igmp version 3) ---- Gi0/1 SW1 (snooping, VLAN 1) Gi0/2 ---- H1 10.1.1.11 (source)
//                                                                           Gi0/3 ---- H2 10.1.1.12 (igmp-version: 3, groups: [239.1.1.1])
//                                                                           Gi0/4 ---- H3 10.1.1.13 (igmp-version: 3, never joins)
@Suite struct IGMPv3HostLabTests {
    static let topology = """
        name: igmpv3-hosts
        nodes:
          R1:
            kind: router
            config: |
              hostname R1
              ip multicast-routing
              interface GigabitEthernet0/0
               ip address 10.1.1.5 255.255.255.0
               ip pim sparse-mode
               ip igmp version 3
               no shutdown
          SW1:
            kind: switch
            config: |
              hostname SW1
          H1: {kind: host, address: 10.1.1.11/24}
          H2: {kind: host, address: 10.1.1.12/24, igmp-version: 3, groups: [239.1.1.1]}
          H3: {kind: host, address: 10.1.1.13/24, igmp-version: 3}
        links:
          - {endpoints: [R1:Gi0/0, SW1:Gi0/1]}
          - {endpoints: [H1:Ethernet0, SW1:Gi0/2]}
          - {endpoints: [H2:Ethernet0, SW1:Gi0/3]}
          - {endpoints: [H3:Ethernet0, SW1:Gi0/4]}
        """

    static func scenario(topology: String) -> String {
        """
        name: igmpv3-hosts
        topology: \(topology)
        seed: 3
        duration: 200s
        traffic:
          - {name: stream, from: H1, to: 239.1.1.1, rate: 80kbps, size: 1000, start: 10s, stop: 190s}
        expectations:
          - {flow: stream, receiver: H2, delivered: ">= 99%"}
          - {flow: stream, receiver: H3, delivered-packets: "== 0"}
          - device: R1
            command: show ip igmp groups
            matches: ['^239\\.1\\.1\\.1 +GigabitEthernet0/0 .*10\\.1\\.1\\.12']
          - device: SW1
            command: show ip igmp snooping groups
            matches: ['^1 +239\\.1\\.1\\.1 +igmp +v3 +Gi0/3$']
        """
    }

    // RFC 3376 §5.1 and §5.2: H2's TO_EX {} join and its answers to R1's v3 queries keep the router's group and
    // the switch's entry (RFC 4541) alive; the flow reaches H2 and not H3.
    @Test func aVersion3HostBehindASnoopingSwitchJoinsAndReceivesTheFlow() throws {
        let directory = NSTemporaryDirectory() + "wirelab-igmpv3-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let topology = directory + "/topo.yaml", scenario = directory + "/scenario.yaml"
        try Self.topology.write(toFile: topology, atomically: true, encoding: .utf8)
        try Self.scenario(topology: topology).write(toFile: scenario, atomically: true, encoding: .utf8)
        let runner = try ScenarioRunner(try ScenarioFile.parse(path: scenario))
        let captures = directory + "/pcap"
        let capture = try LinkCapture(network: runner.lab.network, directory: captures)
        let report = try runner.run()
        capture.close()
        #expect(report.failed == 0, "\(report.text())")
        let checker = repositoryRoot + "/../shared/tools/check-pcap"
        guard FileManager.default.isExecutableFile(atPath: checker),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark") else {
            print("note: check-pcap or tshark missing; captures not decoded")
            return
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: captures).filter({ $0.hasSuffix(".pcap") }).sorted() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: checker)
            process.arguments = [captures + "/" + file]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "check-pcap failed on \(file)")
        }
    }

    // RFC 3376 §5.1: H2's TO_IN {} leave makes R1 query the group (RFC 3376 §6.4.2) and, unanswered, forget it.
    @Test func theRouterForgetsTheGroupAfterAVersion3Leave() throws {
        let lab = try Lab.build(try TopologyFile.parse(path: LabFiles().write("topo.yaml", Self.topology), displayName: "topo.yaml"))
        func run(to seconds: Int64) {
            while lab.network.now < .zero + .seconds(seconds) { _ = lab.network.run(until: .zero + .seconds(seconds), maxEvents: 1_000_000) }
        }
        run(to: 20)
        #expect(try lab.show(device: "R1", command: "show ip igmp groups").contains("239.1.1.1"))
        lab.network.ipNode(lab.node("H2")!)!.leave(IPv4Address(239, 1, 1, 1), on: 0, network: lab.network)
        run(to: 30)
        #expect(try !lab.show(device: "R1", command: "show ip igmp groups").contains("239.1.1.1"))
    }

    @Test func igmpVersionIsForHostsAndTakesTwoOrThree() throws {
        let bad = Self.topology.replacingOccurrences(of: "igmp-version: 3, groups", with: "igmp-version: 4, groups")
        let path = LabFiles().write("topo.yaml", bad)
        #expect(throws: (any Error).self) { _ = try TopologyFile.parse(path: path, displayName: "topo.yaml") }
    }
}
