import Foundation
@testable import Lab

/// Writes lab files into a fresh temporary folder for one test.
struct LabFiles {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "wirelab-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = directory + "/" + name
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The errors a topology file produces (empty when it loads and builds).
    func topologyErrors(_ text: String) -> [LabError] {
        let path = write("topo.yaml", text)
        do {
            _ = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
            return []
        } catch { return error.errors }
    }

    /// The errors a scenario produces when loaded (empty when it loads).
    func scenarioErrors(_ text: String) -> [LabError] {
        let path = write("scenario.yaml", text)
        do {
            _ = try ScenarioRunner(try ScenarioFile.parse(path: path, displayName: "scenario.yaml"))
            return []
        } catch { return error.errors }
    }

    func runScenario(_ text: String, trace: Bool = false) throws -> (ScenarioReport, ScenarioRunner) {
        let path = write("scenario.yaml", text)
        var options = RunOptions()
        options.trace = trace
        let runner = try ScenarioRunner(try ScenarioFile.parse(path: path, displayName: "scenario.yaml"), options: options)
        return (try runner.run(), runner)
    }
}

/// Two routers on one Gigabit link.
let twoRouters = """
    name: two-routers
    nodes:
      R1:
        kind: router
        config: |
          interface Gi0/0
           ip address 10.0.12.1 255.255.255.0
           no shutdown
      R2:
        kind: router
        config: |
          interface GigabitEthernet0/0
           ip address 10.0.12.2 255.255.255.0
           no shutdown
    links:
      - endpoints: [R1:Gi0/0, R2:Gi0/0]
        bandwidth: 100M
        delay: 1ms
    """
