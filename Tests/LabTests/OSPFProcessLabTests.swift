import Foundation
import Engine
@testable import Fabric
import IOSConfig
@testable import Lab
@testable import Protocols
import Testing
import Wire

/// The running process as configured: `clear ip ospf process`, two processes on one router, redistribution
/// following the RIB, throttles, and the interface options (network type, reference bandwidth, passive default).
@Suite struct OSPFProcessLabTests {
    func lab(_ topology: String) throws -> Lab {
        let path = LabFiles().write("topo.yaml", topology)
        return try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [OSPFModule.self])
    }

    func run(_ lab: Lab, to seconds: Int64) {
        while lab.network.now < .zero + .seconds(seconds) {
            _ = lab.network.run(until: .zero + .seconds(seconds), maxEvents: 1_000_000)
        }
    }

    func runMilliseconds(_ lab: Lab, to ms: Int64) {
        while lab.network.now < .zero + .milliseconds(ms) {
            _ = lab.network.run(until: .zero + .milliseconds(ms), maxEvents: 1_000_000)
        }
    }

    func processes(_ lab: Lab, _ name: String) -> [OSPFProcess] {
        lab.network.ipNode(lab.node(name)!)?.protocols.compactMap { $0 as? OSPFProcess } ?? []
    }

    func route(_ lab: Lab, _ name: String, _ prefix: String) -> Route? {
        lab.network.ipNode(lab.node(name)!)!.routes.selected.first { $0.key.description == prefix }?.value
    }

    /// R1 and R2 on a LAN; `extra1` goes under R1's `router ospf 1`.
    static func lan(extra1: [String] = [], interface1: [String] = []) -> String {
        """
        nodes:
          R1:
            kind: router
            config: |
              interface Loopback0
               ip address 1.1.1.1 255.255.255.255
              interface Gi0/0
               ip address 10.0.12.1 255.255.255.0
        \(interface1.map { "       " + $0 + "\n" }.joined())\
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
        \(extra1.map { "       " + $0 + "\n" }.joined())\
          R2:
            kind: router
            config: |
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              interface Gi0/0
               ip address 10.0.12.2 255.255.255.0
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
        links:
          - endpoints: [R1:Gi0/0, R2:Gi0/0]
            bandwidth: 100M
        """
    }

    @Test func clearIPOSPFProcessDropsTheAdjacenciesAndFormsThemAgain() throws {
        let lab = try lab(Self.lan())
        run(lab, to: 60)
        let before = try #require(processes(lab, "R1").first)
        #expect(route(lab, "R1", "2.2.2.2/32") != nil)
        _ = try lab.show(device: "R1", command: "clear ip ospf process")
        let after = try #require(processes(lab, "R1").first)
        #expect(after !== before && processes(lab, "R1").count == 1)
        #expect(route(lab, "R1", "2.2.2.2/32") == nil, "the old process's routes left with it")
        #expect(lab.network.logs.contains {
            $0.text.contains("%OSPF-5-ADJCHG: Process 1, Nbr 2.2.2.2 on GigabitEthernet0/0 from FULL to DOWN")
        })
        run(lab, to: 150)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 2, "the new process formed the adjacency again")
        #expect(route(lab, "R2", "1.1.1.1/32")?.metric == 2)
        let full = lab.network.logs.filter { $0.text.contains("Nbr 2.2.2.2 on GigabitEthernet0/0 from LOADING to FULL") }
        #expect(full.count == 2, "\(full.map(\.text))")
    }

    static let twoProcesses = """
        nodes:
          R1:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.0.12.1 255.255.255.0
               no shutdown
              interface Gi0/1
               ip address 10.0.13.1 255.255.255.0
               no shutdown
              router ospf 1
               router-id 1.1.1.1
               network 10.0.12.0 0.0.0.255 area 0
              router ospf 2
               router-id 11.11.11.11
               network 10.0.13.0 0.0.0.255 area 0
          R2:
            kind: router
            config: |
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              interface Gi0/0
               ip address 10.0.12.2 255.255.255.0
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
          R3:
            kind: router
            config: |
              interface Loopback0
               ip address 3.3.3.3 255.255.255.255
              interface Gi0/0
               ip address 10.0.13.3 255.255.255.0
               no shutdown
              router ospf 7
               network 0.0.0.0 255.255.255.255 area 0
        links:
          - endpoints: [R1:Gi0/0, R2:Gi0/0]
          - endpoints: [R1:Gi0/1, R3:Gi0/0]
        """

    @Test func twoProcessesOnOneRouterRunSideBySide() throws {
        let lab = try lab(Self.twoProcesses)
        run(lab, to: 90)
        let both = processes(lab, "R1")
        #expect(both.map(\.processID) == [1, 2] && both.map(\.routerID) == [IPv4Address(1, 1, 1, 1), IPv4Address(11, 11, 11, 11)])
        let viaR2 = try #require(route(lab, "R1", "2.2.2.2/32"))
        let viaR3 = try #require(route(lab, "R1", "3.3.3.3/32"))
        #expect(viaR2.source.instance == 1 && viaR3.source.instance == 2 && viaR2.code == "O" && viaR3.code == "O")
        #expect(route(lab, "R2", "3.3.3.3/32") == nil && route(lab, "R3", "2.2.2.2/32") == nil, "no redistribution between them")
        let neighbors = try lab.show(device: "R1", command: "show ip ospf neighbor")
        #expect(neighbors.contains("2.2.2.2") && neighbors.contains("3.3.3.3"), "\(neighbors)")
        #expect(both.allSatisfy { $0.droppedPackets == 0 }, "neither counts the other's packets as bad")
        _ = try lab.show(device: "R1", command: "clear ip ospf 2 process")
        #expect(processes(lab, "R1").first { $0.processID == 1 } === both[0], "only process 2 restarted")
        #expect(route(lab, "R1", "3.3.3.3/32") == nil && route(lab, "R1", "2.2.2.2/32") != nil)
        run(lab, to: 180)
        #expect(route(lab, "R1", "3.3.3.3/32")?.source.instance == 2)
    }

    static let asbr = """
        nodes:
          R1:
            kind: router
            config: |
              interface Loopback0
               ip address 1.1.1.1 255.255.255.255
              interface Loopback1
               ip address 172.16.1.1 255.255.255.0
              interface Loopback2
               ip address 172.16.2.1 255.255.255.0
              interface Loopback3
               ip address 10.200.0.1 255.255.0.0
              interface Serial0/0
               ip address 10.0.12.1 255.255.255.252
               no shutdown
              router ospf 1
               router-id 1.1.1.1
               redistribute connected
               network 1.1.1.1 0.0.0.0 area 0
               network 10.0.12.0 0.0.0.3 area 0
          R2:
            kind: router
            config: |
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              interface Serial0/0
               ip address 10.0.12.2 255.255.255.252
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
        links:
          - endpoints: [R1:Serial0/0, R2:Serial0/0]
        """

    func externals(_ lab: Lab, _ name: String) -> [String] {
        let now = lab.network.now
        return processes(lab, name).first!.flooding.database(.autonomousSystem).sortedEntries.filter { !$0.isMaxAge(at: now) }
            .map { "\($0.lsa.linkStateID) \($0.lsa.advertisingRouter)" }
    }

    @Test func withoutSubnetsOnlyClassfulNetworksAreRedistributed() throws {
        let lab = try lab(Self.asbr)
        run(lab, to: 60)
        #expect(externals(lab, "R2").isEmpty, "172.16.1.0/24, 172.16.2.0/24 and 10.200.0.0/16 are all subnets: \(externals(lab, "R2"))")
    }

    @Test func redistributionFollowsTheRIBAndSummaryAddressAggregates() throws {
        let lab = try lab(Self.asbr)
        run(lab, to: 60)
        try lab.applyConfig(to: "R1", lines: ["router ospf 1", " redistribute connected metric 50 subnets"], file: "s.yaml", line: 1)
        run(lab, to: 120)
        #expect(externals(lab, "R2") == ["10.200.0.0 1.1.1.1", "172.16.1.0 1.1.1.1", "172.16.2.0 1.1.1.1"], "\(externals(lab, "R2"))")
        #expect(route(lab, "R2", "172.16.2.0/24")?.code == "O E2" && route(lab, "R2", "172.16.2.0/24")?.metric == 50)
        // A connected network that goes away is withdrawn (RFC 2328 §14.1: the type-5 is flushed).
        try lab.applyConfig(to: "R1", lines: ["interface Loopback3", " shutdown"], file: "s.yaml", line: 1)
        run(lab, to: 180)
        #expect(externals(lab, "R2") == ["172.16.1.0 1.1.1.1", "172.16.2.0 1.1.1.1"], "\(externals(lab, "R2"))")
        #expect(route(lab, "R2", "10.200.0.0/16") == nil)
        // IOS summary-address: the two /24s leave, one /16 takes their place.
        try lab.applyConfig(to: "R1", lines: ["router ospf 1", " summary-address 172.16.0.0 255.255.0.0 tag 4"], file: "s.yaml", line: 1)
        run(lab, to: 240)
        #expect(externals(lab, "R2") == ["172.16.0.0 1.1.1.1"], "\(externals(lab, "R2"))")
        #expect(route(lab, "R2", "172.16.0.0/16")?.code == "O E2" && route(lab, "R2", "172.16.1.0/24") == nil)
        #expect(!lab.network.logs.contains { $0.text.contains("to DOWN") }, "redistribution changes in place, adjacencies stay")
        #expect(processes(lab, "R1").count == 1)
    }

    @Test func defaultInformationOriginateNeedsADefaultRouteUnlessAlways() throws {
        let lab = try lab(Self.asbr.replacingOccurrences(of: "   redistribute connected\n", with: "   default-information originate\n"))
        run(lab, to: 60)
        #expect(route(lab, "R2", "0.0.0.0/0") == nil, "R1 has no default route")
        try lab.applyConfig(to: "R1", lines: ["ip route 0.0.0.0 0.0.0.0 Serial0/0"], file: "s.yaml", line: 1)
        run(lab, to: 120)
        // R1's default goes out the link to R2 itself, which is odd but enough to make it "present in the RIB".
        #expect(route(lab, "R2", "0.0.0.0/0")?.code == "O E2", "\(externals(lab, "R2"))")
        #expect(try lab.show(device: "R2", command: "show ip route").contains("O*E2  0.0.0.0/0 [110/1] via 10.0.12.1"))
        try lab.applyConfig(to: "R1", lines: ["no ip route 0.0.0.0 0.0.0.0 Serial0/0"], file: "s.yaml", line: 1)
        run(lab, to: 180)
        #expect(route(lab, "R2", "0.0.0.0/0") == nil, "withdrawn with the static")
        try lab.applyConfig(to: "R1", lines: ["router ospf 1", " default-information originate always metric 7 metric-type 1"],
                            file: "s.yaml", line: 1)
        run(lab, to: 240)
        #expect(route(lab, "R2", "0.0.0.0/0")?.code == "O E1" && route(lab, "R2", "0.0.0.0/0")?.metric == 71, "7 + 64")
    }

    @Test func theSPFThrottleStartsAfterTheConfiguredDelay() throws {
        let lab = try lab(Self.lan(extra1: ["timers throttle spf 200 1000 4000", "timers throttle lsa all 0 10 10"]))
        run(lab, to: 60)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 2)
        let p = try #require(processes(lab, "R1").first)
        // Quiet for more than 2 × 4 s: the next change is calculated 200 ms later, not 5 s.
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " ip ospf cost 10"], file: "s.yaml", line: 1)
        runMilliseconds(lab, to: 60_150)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 2, "not before the start delay")
        runMilliseconds(lab, to: 60_300)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 11, "200 ms after the change")
        #expect(p.spfHold == .milliseconds(1000))
        // A second change soon after waits the hold time after the previous calculation.
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " ip ospf cost 20"], file: "s.yaml", line: 1)
        runMilliseconds(lab, to: 61_100)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 11, "held for 1 s after the last calculation")
        runMilliseconds(lab, to: 61_300)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 21)
        #expect(p.spfHold == .milliseconds(2000), "the hold doubles while changes keep coming")
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " ip ospf cost 30"], file: "s.yaml", line: 1)
        runMilliseconds(lab, to: 63_100)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 21, "2 s after the calculation at 61.2 s")
        runMilliseconds(lab, to: 63_300)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 31)
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " ip ospf cost 40"], file: "s.yaml", line: 1)
        runMilliseconds(lab, to: 67_100)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 31 && p.spfHold == .milliseconds(4000), "capped at the maximum wait")
        runMilliseconds(lab, to: 67_300)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 41)
        // Quiet for more than twice the maximum wait: back to the start delay.
        run(lab, to: 80)
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " ip ospf cost 50"], file: "s.yaml", line: 1)
        runMilliseconds(lab, to: 80_150)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 41)
        runMilliseconds(lab, to: 80_300)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 51 && p.spfHold == .milliseconds(1000))
    }

    @Test func theLSAThrottleSpacesInstancesOfOneLSA() throws {
        let lab = try lab(Self.lan(extra1: ["timers throttle spf 10 10 10", "timers throttle lsa all 0 3000 3000"]))
        run(lab, to: 60)
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " ip ospf cost 10"], file: "s.yaml", line: 1)
        runMilliseconds(lab, to: 60_500)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 11, "quiet before: originated at once")
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " ip ospf cost 30"], file: "s.yaml", line: 1)
        runMilliseconds(lab, to: 62_000)
        #expect(route(lab, "R2", "1.1.1.1/32")?.metric == 2 && route(lab, "R1", "2.2.2.2/32")?.metric == 11,
                "the router-LSA waits 3 s after its previous instance")
        runMilliseconds(lab, to: 64_000)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 31)
    }

    @Test func ipOSPFNetworkPointToPointOnEthernetSkipsTheDRElection() throws {
        let lab = try lab(Self.lan(interface1: ["ip ospf network point-to-point"]).replacingOccurrences(
            of: "   ip address 10.0.12.2 255.255.255.0\n", with: "   ip address 10.0.12.2 255.255.255.0\n       ip ospf network point-to-point\n"))
        run(lab, to: 30)
        let neighbors = try lab.show(device: "R1", command: "show ip ospf neighbor")
        #expect(neighbors.contains("FULL/  -"), "full well before a wait timer would end: \(neighbors)")
        #expect(processes(lab, "R1").first!.flooding.interfaces.allSatisfy { $0.type == .pointToPoint })
    }

    @Test func autoCostReferenceBandwidthScalesTheCost() throws {
        let lab = try lab(Self.lan(extra1: ["auto-cost reference-bandwidth 10000"]))
        run(lab, to: 60)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 101, "10 Gbit/s over 100 Mbit/s is 100, plus the loopback")
        #expect(route(lab, "R2", "1.1.1.1/32")?.metric == 2)
    }

    @Test func passiveInterfaceDefaultKeepsAllButTheExceptionsQuiet() throws {
        let quiet = try lab(Self.lan(extra1: ["passive-interface default"]))
        run(quiet, to: 60)
        #expect(route(quiet, "R1", "2.2.2.2/32") == nil && route(quiet, "R2", "1.1.1.1/32") == nil)
        let open = try lab(Self.lan(extra1: ["passive-interface default", "no passive-interface Gi0/0"]))
        run(open, to: 60)
        #expect(route(open, "R1", "2.2.2.2/32")?.metric == 2)
    }

    @Test func logAdjacencyChangesDetailLogsEveryStep() throws {
        let lab = try lab(Self.lan(extra1: ["log-adjacency-changes detail"]))
        run(lab, to: 60)
        let lines = lab.network.logs.filter { $0.text.contains("%OSPF-5-ADJCHG") && $0.text.contains("Nbr 2.2.2.2") }.map(\.text)
        #expect(lines.contains { $0.contains("to EXSTART") } && lines.contains { $0.contains("to FULL") }, "\(lines)")
        let quiet = try self.lab(Self.lan(extra1: ["no log-adjacency-changes"]))
        run(quiet, to: 60)
        #expect(!quiet.network.logs.contains { $0.text.contains("%OSPF-5-ADJCHG: Process 1, Nbr 2.2.2.2") })
    }

    @Test func aSmallerMTUHoldsExStartUntilMTUIgnore() throws {
        let stuck = try lab(Self.lan(interface1: ["mtu 1400"]))
        run(stuck, to: 90)
        // RFC 2328 §10.6: R1 refuses R2's database descriptions advertising 1500 bytes.
        #expect(route(stuck, "R1", "2.2.2.2/32") == nil)
        #expect(try stuck.show(device: "R1", command: "show ip ospf neighbor").contains("EXSTART"))
        let ignored = try lab(Self.lan(interface1: ["mtu 1400", "ip ospf mtu-ignore"]))
        run(ignored, to: 90)
        #expect(route(ignored, "R1", "2.2.2.2/32")?.metric == 2)
    }
}
