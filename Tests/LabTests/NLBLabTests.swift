import Foundation
import Testing
@testable import Lab
import Wire

/// Topology keys `mac` and `cluster` (Windows NLB), their errors, and a shipped NLB scenario's state.
@Suite struct NLBLabTests {
    func cluster(_ one: String, _ two: String = "{ip: 10.1.1.100, priority: 2}") -> String {
        """
        nodes:
          SW1: {kind: switch}
          W1: {kind: host, address: 10.1.1.11/24, cluster: \(one)}
          W2: {kind: host, address: 10.1.1.12/24, cluster: \(two)}
        links:
          - {endpoints: [W1:Ethernet0, SW1:Gi0/1]}
          - {endpoints: [W2:Ethernet0, SW1:Gi0/2]}
        """
    }

    @Test func aGoodClusterBuilds() {
        #expect(LabFiles().topologyErrors(cluster("{ip: 10.1.1.100, priority: 1, mode: unicast, affinity: none}")).isEmpty)
    }

    @Test func anUnknownModeIsOneError() {
        let errors = LabFiles().topologyErrors(cluster("{ip: 10.1.1.100, priority: 1, mode: broadcast}"))
        #expect(errors.count == 1)
        #expect(errors.first?.message == "unknown cluster mode 'broadcast' (expected unicast, multicast or igmp-multicast)")
        #expect(errors.first?.line == 3)
    }

    @Test func aPriorityOutOfRangeIsOneError() {
        let errors = LabFiles().topologyErrors(cluster("{ip: 10.1.1.100, priority: 33}"))
        #expect(errors.count == 1)
        #expect(errors.first?.message == "cluster priority must be between 1 and 32, found 33")
    }

    @Test func twoMembersWithOnePriorityIsOneError() {
        let errors = LabFiles().topologyErrors(cluster("{ip: 10.1.1.100, priority: 2}"))
        #expect(errors.count == 1)
        #expect(errors.first?.message == "cluster 10.1.1.100: W2 and W1 both have priority 2; each member needs its own")
        #expect(errors.first?.line == 4)
    }

    @Test func membersDisagreeingOnTheModeIsOneError() {
        let errors = LabFiles().topologyErrors(cluster("{ip: 10.1.1.100, priority: 1, mode: multicast}"))
        #expect(errors.count == 1)
        #expect(errors.first?.message.hasPrefix("cluster 10.1.1.100: W2 says mode unicast but W1 says multicast") == true)
    }

    @Test func aBadMACIsOneError() {
        let text = cluster("{ip: 10.1.1.100, priority: 1}").replacingOccurrences(of: "address: 10.1.1.11/24,", with: "address: 10.1.1.11/24, mac: 0011.2233,")
        let errors = LabFiles().topologyErrors(text)
        #expect(errors.count == 1)
        #expect(errors.first?.message.hasPrefix("expected a MAC address like 0011.2233.4455") == true)
    }

    @Test func theClusterIPOnANonMemberIsADuplicate() {
        let text = cluster("{ip: 10.1.1.100, priority: 1}") .replacingOccurrences(of: "links:", with: """
              X: {kind: host, address: 10.1.1.100/24}
            links:
              - {endpoints: [X:Ethernet0, SW1:Gi0/3]}
            """)
        let errors = LabFiles().topologyErrors(text)
        #expect(errors.count == 1)
        #expect(errors.first?.message.hasPrefix("duplicate address 10.1.1.100 on one segment") == true)
    }

    @Test func aHostMACInEachNotationIsTheInterfacesMAC() throws {
        let files = LabFiles()
        let path = files.write("t.yaml", """
            nodes:
              A: {kind: host, address: 10.1.1.1/24, mac: 00:11:22:33:44:55}
              B: {kind: host, address: 10.1.1.2/24, mac: 00-11-22-33-44-66}
            links:
              - {endpoints: [A:Ethernet0, B:Ethernet0]}
            """)
        let lab = try Lab.build(try TopologyFile.parse(path: path))
        #expect(lab.network.ipNode(lab.node("A")!)!.interfaces[0].mac == MACAddress("0011.2233.4455"))
        #expect(lab.network.ipNode(lab.node("B")!)!.interfaces[0].mac == MACAddress("0011.2233.4466"))
    }

    @Test func aRoutersMacAddressCommandSetsTheInterfaceMACAndShowInterfacesPrintsIt() throws {
        let files = LabFiles()
        let path = files.write("t.yaml", """
            nodes:
              R1:
                kind: router
                config: |
                  interface GigabitEthernet0/0
                   mac-address 0011.2233.4455
                   ip address 10.1.1.1 255.255.255.0
                   no shutdown
              H: {kind: host, address: 10.1.1.2/24}
            links:
              - {endpoints: [R1:Gi0/0, H:Ethernet0]}
            """)
        let lab = try Lab.build(try TopologyFile.parse(path: path))
        let r1 = lab.network.ipNode(lab.node("R1")!)!
        #expect(r1.interfaces.first { $0.name == "GigabitEthernet0/0" }?.mac == MACAddress("0011.2233.4455"))
        #expect(r1.interfaces.first { $0.name == "GigabitEthernet0/0" }?.sourceMAC == MACAddress("0011.2233.4455"))
    }

    @Test func theUnicastScenarioLeavesTheClusterMACUnlearnedAndGivesEachPacketToOneMember() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/nlb-unicast-flood.yaml").path
        let runner = try ScenarioRunner(try ScenarioFile.parse(path: path))
        let report = try runner.run()
        let allPassed = report.results.allSatisfy { $0.passed }
        #expect(allPassed)
        let net = runner.lab.network
        let delivered = ["c1-web", "c2-web"].compactMap { n in net.flows.first { $0.spec.name == n }?.delivered }
        #expect(delivered == [UInt64(6250), 6250])
        #expect(net.drops[.nlbFiltered, default: 0] >= 12500)
    }

    @Test func aSwitchForwardingByMACConfinesTheIGMPModeClusterToItsMembers() throws {
        // `layer-2 multicast lookup mac`: frames to 0100.5e7f.0164 go where 239.255.1.100 was joined, though their
        // IP destination is the unicast cluster IP; by IP group (the default) they would flood.
        let report = try runShipped("nlb-igmp-mac-lookup.yaml")
        let failed = report.results.filter { !$0.passed }.map(\.description)
        #expect(failed.isEmpty, "\(failed)")
        #expect(report.results.count == 7)
    }

    @Test func theSameClusterFloodsWhenTheSwitchForwardsByIPGroup() throws {
        // The shipped IP-lookup scenario: the bystander receives the cluster flow until the static MAC entry.
        let report = try runShipped("nlb-igmp-snooping.yaml")
        #expect(report.results.allSatisfy { $0.passed })
    }
}
