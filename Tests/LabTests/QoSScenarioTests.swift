import Testing
@testable import Lab

/// A small queueing lab run end to end through `ScenarioRunner`.
@Suite struct QoSScenarioTests {
    //  PC ---- Gi0/0 R1 Serial0/0 ==== 128 kbit/s ==== Serial0/0 R2 Gi0/0 ---- SINK
    static let topology = """
        name: qos-small
        nodes:
          PC: {kind: host, address: 10.1.1.10/24, gateway: 10.1.1.1}
          R1:
            kind: router
            config: |
              interface Serial0/0
               custom-queue-list 1
               ip address 10.0.12.1 255.255.255.252
               no shutdown
              interface GigabitEthernet0/0
               ip address 10.1.1.1 255.255.255.0
               no shutdown
              ip route 10.2.2.0 255.255.255.0 10.0.12.2
              access-list 101 permit udp any any eq 5001
              access-list 102 permit udp any any eq 5002
              queue-list 1 protocol ip 1 list 101
              queue-list 1 protocol ip 2 list 102
              queue-list 1 queue 1 byte-count 3000
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
            bandwidth: 128kbps
          - endpoints: [R2:Gi0/0, SINK:Ethernet0]
        """

    // 500-byte datagrams are 514-byte frames: queue 1 sends 6 per round (3084 bytes), queue 2 sends 3.
    static let scenario = """
        name: cq-small
        topology: topo.yaml
        duration: 8s
        traffic:
          - {name: a, from: PC, to: SINK, rate: 128kbps, size: 500, destination-port: 5001, start: 1s, stop: 8s}
          - {name: b, from: PC, to: SINK, rate: 128kbps, size: 500, destination-port: 5002, start: 1s, stop: 8s}
        expectations:
          - share: {flows: [a, b], ratio: [2, 1], tolerance: 10}
          - device: R1
            command: show queueing custom
            contains: "1      1      byte-count 3000"
          - device: R1
            command: sh access-lists 101
            matches: "10 permit udp any any eq 5001 \\\\([0-9]+ matches\\\\)"
          - device: R1
            command: show queue Serial0/0
            contains: "queueing strategy: custom-list 1"
        """

    @Test func customQueueingSharesTheLinkByByteCount() throws {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let (report, _) = try files.runScenario(Self.scenario)
        #expect(report.failed == 0, "\(report.text())")
        #expect(report.results.count == 4)
    }

    @Test func aServicePolicyAttachedByAConfigEventShowsItsCounters() throws {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let (report, runner) = try files.runScenario("""
            name: llq-event
            topology: topo.yaml
            duration: 4s
            traffic:
              - {name: v, from: PC, to: SINK, rate: 64kbps, size: 200, dscp: ef, start: 1s, stop: 4s}
              - {name: d, from: PC, to: SINK, rate: 128kbps, size: 500, destination-port: 5001, start: 1s, stop: 4s}
            events:
              - at: 0s
                config:
                  device: R1
                  lines: |
                    class-map VOICE
                     match ip dscp ef
                    policy-map LLQ
                     class VOICE
                      priority 32
                    interface Serial0/0
                     service-policy output LLQ
            expectations:
              - drops: {device: R1, interface: Serial0/0, reason: policed, count: "> 0"}
              - device: R1
                command: show policy-map interface Serial0/0 output
                contains: "Class-map: VOICE (match-all)"
            """)
        #expect(report.failed == 0, "\(report.text())")
        let policy = try runner.lab.show(device: "R1", command: "show policy-map LLQ")
        #expect(policy.contains("    Class VOICE\n      priority 32 (kbps)"))
    }

    @Test func aConfigEventWithAnUndefinedClassMapIsAnError() throws {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        #expect(throws: LabErrors.self) {
            _ = try files.runScenario("""
                name: bad
                topology: topo.yaml
                duration: 1s
                events:
                  - at: 0s
                    config:
                      device: R1
                      lines: |
                        policy-map P
                         class NOPE
                """)
        }
    }
}
