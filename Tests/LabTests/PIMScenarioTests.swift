import Foundation
import Testing
@testable import Lab

/// The shipped PIM-SM labs pass their own expectations, and their captures (Register and Register-Stop
/// among them) decode cleanly in tshark.
@Suite struct PIMScenarioTests {
    @Test func theRPFFailureOutageShowsTheSymptomAndTheRecovery() throws {
        let report = try runShipped("pim-rpf-failure.yaml")
        #expect(report.failed == 0, "\(report.text())")
        #expect(report.results.count >= 15)
    }

    @Test func theTextbookLabElectsTheDRRegistersAndSwitchesToTheSourceTree() throws {
        let directory = NSTemporaryDirectory() + "wirelab-pim-study-" + UUID().uuidString
        let report = try runShipped("pim-study.yaml", capturingInto: directory)
        #expect(report.failed == 0, "\(report.text())")
        #expect(try expectCleanCaptures(in: directory) > 0)
    }
}
