import Foundation
@testable import Lab
import Testing

/// A topology file where a scenario is expected (`wirelab run lab.yaml`, `wirelab show lab.yaml ...`) runs
/// as it is, with nothing scheduled, instead of failing on the topology's keys.
@Suite struct BareTopologyTests {
    @Test func aTopologyRunsAsAScenarioWithNothingScheduled() throws {
        let files = LabFiles()
        let path = files.write("two-routers.yaml", twoRouters)
        let file = try ScenarioFile.parse(path: path, displayName: "two-routers.yaml")
        #expect(file.isBareTopology && file.topologyPath == path && file.name == "two-routers")
        #expect(file.events.isEmpty && file.expectations.isEmpty && file.duration == .seconds(60))
        var options = RunOptions()
        options.until = .seconds(5)
        let runner = try ScenarioRunner(file, options: options)
        _ = try runner.run()
        let route = try runner.lab.show(device: "R1", command: "show ip route")
        #expect(route.contains("C        10.0.12.0/24 is directly connected, GigabitEthernet0/0"), "\(route)")
    }

    @Test func aScenarioWithoutATopologyStillSaysSo() {
        let errors = LabFiles().scenarioErrors("name: x\nduration: 5s\n")
        #expect(errors.map(\.message).contains { $0.contains("the scenario has no 'topology'") }, "\(errors)")
    }
}
