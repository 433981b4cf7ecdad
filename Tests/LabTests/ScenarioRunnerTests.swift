import Testing
@testable import Lab

/// A trivial lab whose expectations pass, one whose expectation fails, and determinism.
@Suite struct ScenarioRunnerTests {
    //  R1 Gi0/0 ---- 100M, 1 ms ---- Gi0/0 R2
    static let scenario = """
        name: ping-basics
        topology: topo.yaml
        seed: 7
        duration: 20s
        traffic:
          - {name: f1, from: R1, to: R2, rate: 1mbps, size: 500, start: 1s, stop: 10s}
        events:
          - at: 2s
            ping: {name: p1, from: R1, to: 10.0.12.2}
        expectations:
          - ping: p1
            success: ">= 80%"
          - flow: f1
            delivered: ">= 99%"
            p99-delay: "< 5ms"
          - device: R1
            command: sh run
            contains: "ip address 10.0.12.1 255.255.255.0"
          - route: {device: R1, prefix: 10.0.12.0/24}
        """

    @Test func aTrivialLabPasses() throws {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let (report, _) = try files.runScenario(Self.scenario)
        #expect(report.results.count == 4)
        #expect(report.failed == 0, "\(report.text())")
        #expect(report.exitCode == 0)
        #expect(report.probes.first?.output.contains("!!!!!") == true)
    }

    @Test func aFailingExpectationShowsItsEvidenceAndExitsOne() throws {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let (report, _) = try files.runScenario(Self.scenario + """

              - device: R2
                command: show running-config
                contains: "ip address 10.9.9.9"
            """)
        #expect(report.failed == 1)
        #expect(report.exitCode == 1)
        let text = report.text()
        #expect(text.contains("FAIL  at 20s  R2: show running-config contains \"ip address 10.9.9.9\""))
        #expect(text.contains("      | interface GigabitEthernet0/0"), "the failing output is the evidence")
        #expect(text.hasSuffix("4 passed, 1 failed"))
    }

    @Test func linkDownMakesAPingFail() throws {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let (report, _) = try files.runScenario("""
            topology: topo.yaml
            duration: 30s
            events:
              - at: 1s
                link-down: R1:Gi0/0
              - at: 2s
                ping: {name: p1, from: R1, to: 10.0.12.2}
            expectations:
              - ping: p1
                success: "== 0%"
              - route: {device: R1, prefix: 10.0.12.0/24, present: false}
            """)
        #expect(report.failed == 0, "\(report.text())")
    }

    @Test func theSameScenarioAndSeedGiveAnIdenticalTraceAndReport() throws {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let (first, r1) = try files.runScenario(Self.scenario, trace: true)
        let (second, r2) = try files.runScenario(Self.scenario, trace: true)
        #expect(r1.lab.network.trace.count > 100)
        #expect(r1.lab.network.trace == r2.lab.network.trace)
        #expect(first.json() == second.json())
    }

    @Test func configAppliedAtATimeChangesTheRunningConfig() throws {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let (report, _) = try files.runScenario("""
            topology: topo.yaml
            duration: 10s
            events:
              - at: 5s
                config:
                  device: R1
                  lines: |
                    interface Gi0/0
                     shutdown
            expectations:
              - at: 4s
                device: R1
                command: show running-config
                contains: " no shutdown"
              - at: 6s
                device: R1
                command: show running-config
                not-contains: " no shutdown"
              - at: 6s
                route: {device: R1, prefix: 10.0.12.0/24, present: false}
            """)
        #expect(report.failed == 0, "\(report.text())")
    }
}
