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

    /// LLQ voice over a congested 128 kbit/s link, with the transmit ring given by `ring` (nil:
    /// the default ring of 1).
    static func llqVoiceScenario(ring: Int?, expectation: String) -> String {
        """
        name: llq-ring
        topology: topo.yaml
        duration: 6s
        traffic:
          - {name: v, from: PC, to: SINK, rate: 24kbps, size: 160, dscp: ef, start: 1s, stop: 6s}
          - {name: d, from: PC, to: SINK, rate: 192kbps, size: 1000, destination-port: 5001, start: 1s, stop: 6s}
        events:
          - at: 0s
            config:
              device: R1
              lines: |
                class-map VOICE
                 match ip dscp ef
                policy-map LLQ
                 class VOICE
                  priority 48
                interface Serial0/0
                 service-policy output LLQ

        """ + (ring.map { "         tx-ring-limit \($0)\n" } ?? "") + """
        expectations:
          - flow: v
            \(expectation)
        """
    }

    // ios-behavior §1: packets the scheduler released wait in the ring in FIFO order, so a ring of
    // 8 puts up to 7 data frames (1,014 bytes, 63 ms each at 128 kbit/s) ahead of a voice packet;
    // with the default ring of 1 voice waits for at most the frame on the line.
    @Test func aLongerTransmitRingDelaysTheLowLatencyQueue() throws {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let (short, _) = try files.runScenario(Self.llqVoiceScenario(ring: nil, expectation: "p99-delay: \"< 80ms\""))
        #expect(short.failed == 0, "\(short.text())")
        let (long, runner) = try files.runScenario(Self.llqVoiceScenario(ring: 8, expectation: "p99-delay: \"> 250ms\""))
        #expect(long.failed == 0, "\(long.text())")
        let config = try runner.lab.show(device: "R1", command: "show running-config")
        #expect(config.contains("interface Serial0/0\n ip address 10.0.12.1 255.255.255.252\n tx-ring-limit 8\n"), "\(config)")
    }

    // A shaped class waiting for tokens holds only itself: while it waits, the line is free for
    // the other classes (before, the port stayed "busy" until the shaper's wake-up: class b's
    // delay was 69 ms p50 and 175 ms p99; now 14 ms and 85 ms, the worst case being a 1,014-byte
    // frame of class a on the line, 63 ms at 128 kbit/s).
    @Test func aShapedClassWaitingForTokensDoesNotHoldTheOtherClasses() throws {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let (report, _) = try files.runScenario("""
            name: shaper-wake
            topology: topo.yaml
            duration: 8s
            traffic:
              - {name: a, from: PC, to: SINK, rate: 64kbps, size: 1000, destination-port: 5001, start: 1s, stop: 8s}
              - {name: b, from: PC, to: SINK, rate: 16kbps, size: 200, destination-port: 5002, start: 1s, stop: 8s}
            events:
              - at: 0s
                config:
                  device: R1
                  lines: |
                    class-map A
                     match access-group 101
                    class-map B
                     match access-group 102
                    policy-map SHAPED
                     class A
                      shape average 32000
                     class B
                      bandwidth 32
                    interface Serial0/0
                     no custom-queue-list 1
                     service-policy output SHAPED
            expectations:
              - flow: b
                p50-delay: "< 30ms"
              - flow: b
                p99-delay: "< 120ms"
              - flow: a
                throughput: "< 36kbps"
            """)
        #expect(report.failed == 0, "\(report.text())")
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
