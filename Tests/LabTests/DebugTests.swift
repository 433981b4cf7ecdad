import Testing
@testable import Lab

/// `debug` switches per device, turned on and off by `exec` events, print IOS debug lines into the
/// log that `show logging` and `log:` expectations read.
@Suite struct DebugTests {
    func run(_ events: String, expectations: String = "") throws -> (ScenarioReport, ScenarioRunner) {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        return try files.runScenario("""
            topology: topo.yaml
            duration: 6s
            events:
            \(events)
            expectations:
            \(expectations.isEmpty ? "  - log: {contains: \"never\", count: \"== 0\"}" : expectations)
            """)
    }

    @Test func debugArpPrintsTheRequestAndReplyAsIOSDoes() throws {
        let (report, runner) = try run("""
              - at: 1s
                exec: {device: R1, command: debug arp}
              - at: 2s
                ping: {from: R1, to: 10.0.12.2, count: 1}
            """)
        let lines = runner.lab.network.logRecords(of: runner.lab.node("R1")!).filter(\.isDebug).map(\.text)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.hasPrefix("IP ARP: sent req src 10.0.12.1 ") == true)
        #expect(lines.first?.hasSuffix(", dst 10.0.12.2 0000.0000.0000 GigabitEthernet0/0") == true)
        #expect(lines.last?.hasPrefix("IP ARP: rcvd rep src 10.0.12.2 ") == true)
        // R2 had no debug on: its side of the exchange printed nothing.
        #expect(runner.lab.network.logRecords(of: runner.lab.node("R2")!).allSatisfy { !$0.isDebug })
        #expect(report.probes.first?.output == "ARP packet debugging is on")
    }

    @Test func undebugAllStopsTheLines() throws {
        let (report, _) = try run("""
              - at: 1s
                exec: {device: R2, commands: [debug ip icmp, show debugging]}
              - at: 2s
                ping: {name: first, from: R1, to: 10.0.12.2, count: 2}
              - at: 3s
                exec: {device: R2, command: undebug all}
              - at: 4s
                ping: {name: second, from: R1, to: 10.0.12.2, count: 3}
            """, expectations: """
              - log: {device: R2, contains: "ICMP: echo reply sent, src 10.0.12.2, dst 10.0.12.1", count: "== 2"}
            """)
        #expect(report.failed == 0, "\(report.text())")
        #expect(report.probes[1].output == "Generic IP:\n  ICMP packet debugging is on")
    }

    @Test func anExecCommandThatDoesNotParseIsBadInputAtLoad() {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let errors = files.scenarioErrors("""
            topology: topo.yaml
            events:
              - at: 1s
                exec: {device: R1, command: debug ip ospf frobnicate}
            """)
        #expect(errors.count == 1 && errors.first?.line == 3, "\(errors)")
    }
}
