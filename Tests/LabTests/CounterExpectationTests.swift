import Testing
@testable import Lab

/// `counter:` expectations: an interface counter summed over ports, optionally counted since a time.
@Suite struct CounterExpectationTests {
    //  A ---- Gi0/1 SW1 Gi0/2 ---- B, and C on Gi0/3 (a bystander)
    static let topology = """
        nodes:
          SW1: {kind: switch}
          A: {kind: host, address: 10.1.1.1/24}
          B: {kind: host, address: 10.1.1.2/24}
          C: {kind: host, address: 10.1.1.3/24}
        links:
          - {endpoints: [A:Ethernet0, SW1:Gi0/1]}
          - {endpoints: [B:Ethernet0, SW1:Gi0/2]}
          - {endpoints: [C:Ethernet0, SW1:Gi0/3]}
        """

    static func scenario(_ expectations: String) -> String {
        """
        topology: topo.yaml
        duration: 10s
        traffic:
          - {name: f1, from: A, to: 10.1.1.2, rate: 1mbps, size: 500, start: 1s, stop: 9s}
        expectations:
        \(expectations)
        """
    }

    @Test func theFirstFramesFloodAndOnceLearnedTheBystanderSeesNothing() throws {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let (report, runner) = try files.runScenario(Self.scenario("""
              - counter: {device: SW1, interfaces: [Gi0/3], name: output-flooded-bytes, value: "> 0"}
              - counter: {device: SW1, interfaces: [Gi0/3], name: output-flooded-bytes, since: 2s, value: "== 0"}
              - counter: {device: SW1, interface: Gi0/2, name: output-forwarded, since: 2s, value: ">= 1000"}
            """))
        #expect(report.failed == 0, "\(report.text())")
        // What the window counted is the difference, not the total.
        let port = runner.lab.network.port(of: runner.lab.node("SW1")!, named: "GigabitEthernet0/2")!
        let total = runner.lab.network.ports[port.index].outputForwarded
        let evidence = report.results[2].evidence
        #expect(evidence.contains("output-forwarded on SW1 GigabitEthernet0/2 = "))
        #expect(evidence.contains("since 2s: \(total) now"))
        #expect(!evidence.contains("GigabitEthernet0/2 = \(total) since"), "the window leaves out what came before 2 s")
    }

    @Test func aCounterThatDoesNotHoldFailsWithItsValue() throws {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let (report, _) = try files.runScenario(Self.scenario("""
              - counter: {device: SW1, interfaces: [Gi0/3], name: output-flooded-bytes, since: 2s, value: "> 0"}
            """))
        #expect(report.failed == 1)
        #expect(report.text().contains("output-flooded-bytes on SW1 GigabitEthernet0/3 = 0 since 2s"))
    }

    @Test func badCountersAreReportedWithTheirPlace() {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let unknown = files.scenarioErrors(Self.scenario("  - counter: {device: SW1, name: bogus, value: \"> 1\"}"))
        #expect(unknown.first?.message.contains("unknown counter 'bogus' (expected one of: input-packets") == true)
        #expect(unknown.first?.line == 6)
        let noValue = files.scenarioErrors(Self.scenario("  - counter: {device: SW1, name: input-packets}"))
        #expect(noValue.first?.message.contains("counter needs 'value'") == true)
        let late = files.scenarioErrors(Self.scenario("  - {at: 3s, counter: {device: SW1, name: input-packets, since: 5s, value: \"> 1\"}}"))
        #expect(late.first?.message.contains("'since' (5s) is after the expectation's time (3s)") == true)
        let noPort = files.scenarioErrors(Self.scenario("  - counter: {device: SW1, interface: Gi0/9, name: input-packets, value: \"> 1\"}"))
        #expect(noPort.first?.message.contains("SW1 has no interface GigabitEthernet0/9") == true)
    }
}
