import Testing
@testable import Lab

/// Devices are switched off and on (`stop`, `start`, `reload`): state lost, configuration kept.
@Suite struct LifecycleTests {
    func run(_ events: String, _ expectations: String) throws -> (ScenarioReport, ScenarioRunner) {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        return try files.runScenario("""
            topology: topo.yaml
            duration: 20s
            events:
            \(events)
            expectations:
            \(expectations)
            """)
    }

    @Test func aReloadedRouterIsUnreachableWhileItBootsAndComesBackWithItsConfig() throws {
        let (report, runner) = try run("""
              - at: 1s
                ping: {name: before, from: R1, to: 10.0.12.2, count: 2}
              - at: 5s
                reload: {device: R2, boot: 5s}
              - at: 6s
                ping: {name: booting, from: R1, to: 10.0.12.2, count: 2, timeout: 1s}
              - at: 12s
                ping: {name: after, from: R1, to: 10.0.12.2, count: 2}
            """, """
              - ping: before
                success: "== 100%"
              - ping: booting
                success: "== 0%"
              - ping: after
                success: "== 100%"
              - log: {device: R1, contains: "GigabitEthernet0/0, changed state to down", count: "== 1"}
              - log: {device: R2, contains: "%SYS-5-RESTARTED: System restarted", count: "== 1"}
              - at: 7s
                log: {device: R2, contains: "changed state to down", count: "== 0"}
              - at: 7s
                device: R1
                command: show ip route
                not-contains: "10.0.12.0/24 is directly connected"
            """)
        #expect(report.failed == 0, "\(report.text())")
        // The ARP entry R2 learned before the reload went with it; the one after is fresh.
        let arp = try runner.lab.show(device: "R2", command: "show ip arp")
        #expect(arp.contains("10.0.12.1"), "\(arp)")
    }

    @Test func aStoppedDeviceStaysDownUntilStarted() throws {
        let (report, _) = try run("""
              - at: 2s
                stop: R2
              - at: 3s
                ping: {name: off, from: R1, to: 10.0.12.2, count: 2, timeout: 1s}
              - at: 10s
                start: R2
              - at: 11s
                ping: {name: on, from: R1, to: 10.0.12.2, count: 2}
            """, """
              - ping: off
                success: "== 0%"
              - ping: on
                success: "== 100%"
            """)
        #expect(report.failed == 0, "\(report.text())")
    }

    @Test func reloadingAnUnknownDeviceIsBadInput() {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let errors = files.scenarioErrors("topology: topo.yaml\nevents:\n  - at: 1s\n    reload: R9\n")
        #expect(errors.map(\.description) == ["scenario.yaml:3:5: error: unknown device 'R9'"])
    }
}
