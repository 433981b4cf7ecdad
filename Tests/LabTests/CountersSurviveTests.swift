import Testing
@testable import Lab

/// As on IOS, a config change leaves the counters of everything it did not touch: access-list hits,
/// input policy classes and output policy queues (issue #9 "incremental reconfiguration").
@Suite struct CountersSurviveTests {
    //  PC ---- Gi0/0 R1 Serial0/0 ==== 256 kbit/s ==== Serial0/0 R2 Gi0/0 ---- SINK
    static let topology = """
        name: counters
        nodes:
          PC: {kind: host, address: 10.1.1.10/24, gateway: 10.1.1.1}
          R1:
            kind: router
            config: |
              access-list 101 permit udp any any eq 5001
              class-map match-all VOICE
               match access-group 101
              policy-map MARK
               class VOICE
                set dscp ef
              policy-map LLQ
               class VOICE
                priority 64
              interface GigabitEthernet0/0
               ip address 10.1.1.1 255.255.255.0
               service-policy input MARK
               no shutdown
              interface Serial0/0
               ip address 10.0.12.1 255.255.255.252
               service-policy output LLQ
               no shutdown
              ip route 10.2.2.0 255.255.255.0 10.0.12.2
          R2:
            kind: router
            config: |
              interface Serial0/0
               ip address 10.0.12.2 255.255.255.252
               no shutdown
              interface GigabitEthernet0/0
               ip address 10.2.2.1 255.255.255.0
               no shutdown
              ip route 10.1.1.0 255.255.255.0 10.0.12.1
          SINK: {kind: host, address: 10.2.2.10/24, gateway: 10.2.2.1}
        links:
          - endpoints: [PC:Ethernet0, R1:Gi0/0]
          - endpoints: [R1:Serial0/0, R2:Serial0/0]
            bandwidth: 256kbps
          - endpoints: [R2:Gi0/0, SINK:Ethernet0]
        """

    func counts(after change: String) throws -> (before: [String], after: [String]) {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let (_, runner) = try files.runScenario("""
            topology: topo.yaml
            duration: 4s
            traffic:
              - {name: v, from: PC, to: SINK, rate: 32kbps, size: 200, destination-port: 5001, start: 500ms, stop: 2s}
            """)
        let lab = runner.lab
        func snapshot() throws -> [String] {
            [try lab.show(device: "R1", command: "show access-lists 101"),
             try lab.show(device: "R1", command: "show policy-map interface GigabitEthernet0/0"),
             try lab.show(device: "R1", command: "show policy-map interface Serial0/0")]
        }
        let before = try snapshot()
        try lab.applyConfig(to: "R1", lines: change.split(separator: "\n").map(String.init), file: "scenario.yaml", line: 1)
        return (before, try snapshot())
    }

    @Test func anUnrelatedDescriptionKeepsEveryCounter() throws {
        let (before, after) = try counts(after: "interface Serial0/0\n description to R2")
        #expect(before[0].contains(" matches)") && !before[0].contains("(0 matches)"), "\(before[0])")
        #expect(before[1].contains("VOICE") && before[2].contains("VOICE"))
        #expect(after == before)
    }

    @Test func anotherAccessListKeepsTheCountersOfThisOne() throws {
        let (before, after) = try counts(after: "access-list 102 permit tcp any any")
        #expect(after[0] == before[0])
        #expect(after[1] == before[1] && after[2] == before[2])
    }

    @Test func redefiningTheListResetsItsCounters() throws {
        let (before, after) = try counts(after: "access-list 101 permit udp any any eq 5009")
        #expect(before[0].contains("matches)"))
        #expect(!after[0].contains("eq 5001 ("), "\(after[0])")
    }
}
