import Foundation
import Testing
@testable import Lab

/// Every quantity in a lab file has a range that makes physical sense, checked at load with its
/// file, line and column named (issue #8: values outside them trapped the runner or froze virtual time).
@Suite struct QuantityRangeTests {
    func scenario(flow: String) -> String {
        """
        topology: topo.yaml
        duration: 1s
        traffic:
          - {name: f1, from: R1, to: R2, \(flow.contains("size") ? "" : "size: 500, ")\(flow)}
        """
    }

    func share(_ body: String) -> String {
        """
        topology: topo.yaml
        duration: 1s
        traffic:
          - {name: a, from: R1, to: R2, rate: 1mbps}
          - {name: b, from: R1, to: R2, rate: 1mbps}
        expectations:
          - share: {flows: [a, b], \(body)}
        """
    }

    func errors(_ text: String) -> [LabError] {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        return files.scenarioErrors(text)
    }

    // Each of these froze virtual time at 0 s: the packet gap was zero (or negative).
    @Test(arguments: [
        ("interval: 0s", "interval 0s is too short"),
        ("interval: -1ms", "interval -1ms is too short"),
        ("interval: 0.1ns", "interval 0.1ns is too short"),
        ("rate: 100000g", "rate 100000g is more than a flow can offer"),
        ("rate: 400g, size: 52", "more than 100 million packets a second"),
        ("pattern: poisson, interval: 1ns", "interval 1ns is too short"),
        ("pattern: onoff, interval: 1ms, on: 0s, off: 0s", "on must be a positive duration"),
        ("pattern: onoff, interval: 1ms, on: 10ms, off: -1s", "off must be a duration of zero or more"),
        ("rate: 1mbps, start: 5s, stop: 2s", "flow f1 stops at 2s, not after it starts"),
    ])
    func flowQuantitiesOutsideTheirRangeAreBadInput(flow: String, message: String) {
        let found = errors(scenario(flow: flow))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
        #expect(found.first?.line == 4)
        #expect((found.first?.column ?? 0) > 1)
    }

    @Test func aFlowAtTheFastestAllowedRateLoadsAndRuns() throws {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let (report, runner) = try files.runScenario("""
            topology: topo.yaml
            duration: 1ms
            traffic:
              - {name: f1, from: R1, to: R2, rate: 400g, size: 1500}
            """)
        #expect(runner.lab.network.now.nanoseconds == 1_000_000)
        #expect(report.flows.first?.sent ?? 0 > 0)
    }

    // These trapped with "Double value cannot be converted to Int" when the report was written.
    @Test(arguments: [
        ("ratio: [inf, 1]", "expected a positive number up to 1000000 in ratio, found 'inf'"),
        ("ratio: [1e19, 1]", "expected a positive number up to 1000000 in ratio, found '1e19'"),
        ("ratio: [nan, 1]", "found 'nan'"),
        ("ratio: [2, 1], tolerance: 1e19", "expected a tolerance between 0% and 100%"),
        ("ratio: [2, 1], tolerance: 150%", "expected a tolerance between 0% and 100%"),
    ])
    func shareNumbersOutsideTheirRangeAreBadInput(body: String, message: String) {
        let found = errors(share(body))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
        #expect(found.first?.line == 7)
    }

    @Test func aShareWithLargeWholeRatiosIsDescribedWithoutTrapping() throws {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let (report, _) = try files.runScenario(share("ratio: [1000000, 0.5], tolerance: 100%"))
        #expect(report.results.first?.description.contains("= 1000000:0.5 within 100%") == true)
    }

    @Test(arguments: ["delivered: \">= inf%\"", "delivered: \">= 150%\"", "sent: \"> inf\"", "sent: \"> nan\""])
    func nonFiniteOrImpossibleComparisonsAreBadInput(metric: String) {
        let found = errors("""
            topology: topo.yaml
            traffic:
              - {name: a, from: R1, to: R2, rate: 1mbps}
            expectations:
              - flow: a
                \(metric)
            """)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.message.hasPrefix("cannot read the comparison") == true, "\(found)")
    }

    @Test(arguments: ["timeout: -1s", "timeout: 2h"])
    func pingTimeoutsOutsideIOSRangeAreBadInput(timeout: String) {
        let found = errors("""
            topology: topo.yaml
            events:
              - at: 1s
                ping: {from: R1, to: 10.0.12.2, \(timeout)}
            """)
        #expect(found.first?.message.hasPrefix("ping timeout must be between 0s and 3600s") == true, "\(found)")
    }

    @Test(arguments: [("bandwidth: 1000000g", "bandwidth 1000000g is out of range"), ("bandwidth: 1bps", "out of range"),
                      ("delay: 1h", "delay 1h is longer than any link")])
    func linkQuantitiesOutsideTheirRangeAreBadInput(replacement: String, message: String) {
        let text = twoRouters.replacingOccurrences(of: replacement.hasPrefix("delay") ? "delay: 1ms" : "bandwidth: 100M", with: replacement)
        let found = LabFiles().topologyErrors(text)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
    }

    // `check` said "cannot read the file (does it exist?)" at line 0 and `run` "not UTF-8" at line 1,
    // neither with a column: now both name the first byte that is not UTF-8.
    @Test func aFileThatIsNotUTF8NamesTheLineAndColumnOfTheFirstBadByte() throws {
        let files = LabFiles()
        let path = files.directory + "/bad.yaml"
        var bytes = Array("name: x\nnodes:\n  R\u{e9}1: {}\n".utf8)
        bytes.replaceSubrange(18..<20, with: [0xE9])  // Latin-1 é where UTF-8 has two bytes
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: LabErrors.self) { _ = try TopologyFile.parse(path: path, displayName: "bad.yaml") }
        do { _ = try ScenarioFile.parse(path: path, displayName: "bad.yaml") } catch {
            #expect(error.errors.map(\.description) == ["bad.yaml:3:4: error: the file is not UTF-8 text: an invalid byte here (save it as UTF-8)"])
        }
    }

    @Test func aMissingFileIsNamedAtItsFirstLineAndColumn() {
        do { _ = try TopologyFile.parse(path: "/nonexistent/topo.yaml", displayName: "topo.yaml") } catch {
            #expect(error.errors.map(\.description) == ["topo.yaml:1:1: error: no such file"])
        }
    }
}

/// `wirelab show` refuses a device or command it cannot run before the run, and fails (exit 2) on an
/// interface the device does not have (issue #8: it printed `% Invalid input` and exited 0).
@Suite struct ShowValidationTests {
    func lab() throws -> Lab {
        let files = LabFiles()
        let path = files.write("topo.yaml", twoRouters)
        return try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
    }

    @Test func anUnknownInterfaceIsAnError() throws {
        let lab = try lab()
        #expect(throws: ShowError.self) { _ = try lab.show(device: "R1", command: "show interfaces Gi99/99/99") }
        #expect(try lab.show(device: "R1", command: "show interfaces Gi0/0").hasPrefix("GigabitEthernet0/0 is up"))
    }

    @Test func unknownDevicesAndMalformedCommandsFailValidation() throws {
        let lab = try lab()
        #expect(throws: ShowError.self) { try lab.validateShow(device: "R9", command: "show ip route") }
        #expect(throws: ShowError.self) { try lab.validateShow(device: "R1", command: "show ip rou xyz") }
        try lab.validateShow(device: "R1", command: "sh ip ro")
    }
}

/// `log:` expectations count a device's syslog lines (or every device's) by text or pattern.
@Suite struct LogExpectationTests {
    func run(_ expectations: String) throws -> ScenarioReport {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        return try files.runScenario("""
            topology: topo.yaml
            duration: 3s
            events:
              - at: 1s
                link-down: R1:Gi0/0
              - at: 2s
                link-up: R1:Gi0/0
            expectations:
            \(expectations)
            """).0
    }

    @Test func lineProtocolChangesAreCountedPerDeviceAndInAll() throws {
        let report = try run("""
              - log: {device: R1, contains: "%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/0, changed state to down", count: "== 1"}
              - log: {matches: "LINEPROTO.*changed state to (up|down)", count: "== 6"}
              - at: 1500ms
                log: {device: R2, contains: "changed state to up", count: "== 1"}
              - log: {device: R2, contains: "%OSPF"}
            """)
        // Results come in time order: the 1.5 s check first. Both ends log up at 0 s, down at 1 s, up at 2 s.
        #expect(report.results.map(\.passed) == [true, true, true, false], "\(report.results)")
    }

    @Test func aLogExpectationNeedsOneOfContainsOrMatches() {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let errors = files.scenarioErrors("""
            topology: topo.yaml
            expectations:
              - log: {device: R1, count: "> 0"}
              - log: {matches: "(", count: "> 0"}
            """)
        #expect(errors.map(\.line) == [3, 4], "\(errors)")
        let unknown = files.scenarioErrors("topology: topo.yaml\nexpectations:\n  - log: {device: R9, contains: x}\n")
        #expect(unknown.map(\.description) == ["scenario.yaml:3:5: error: unknown device 'R9'"])
    }
}
