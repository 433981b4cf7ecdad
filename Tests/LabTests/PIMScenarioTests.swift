import Foundation
import Testing
@testable import Lab

/// The shipped PIM-SM labs pass their own expectations, and their captures (Register and Register-Stop
/// among them) decode cleanly in tshark.
@Suite struct PIMScenarioTests {
    func checkCaptures(_ directory: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pcap") }.sorted()
        #expect(!files.isEmpty)
        let checker = repositoryRoot + "/../shared/tools/check-pcap"
        guard FileManager.default.isExecutableFile(atPath: checker), FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark") else {
            print("note: check-pcap or tshark missing; captures not decoded")
            return
        }
        for file in files {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: checker)
            process.arguments = [directory + "/" + file]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "check-pcap failed on \(file)")
        }
    }

    @Test func theRPFFailureOutageShowsTheSymptomAndTheRecovery() throws {
        let report = try runShipped("pim-rpf-failure.yaml")
        #expect(report.failed == 0, "\(report.text())")
        #expect(report.results.count >= 15)
    }

    @Test func theTextbookLabElectsTheDRRegistersAndSwitchesToTheSourceTree() throws {
        let directory = NSTemporaryDirectory() + "wirelab-pim-study-" + UUID().uuidString
        let report = try runShipped("pim-study.yaml", capturingInto: directory)
        #expect(report.failed == 0, "\(report.text())")
        try checkCaptures(directory)
    }
}
