import Capture
import Foundation
import Testing
@testable import Lab

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Runs a shipped scenario with captures of every link into `directory`.
func runShipped(_ name: String, capturingInto directory: String? = nil) throws -> ScenarioReport {
    let path = repositoryRoot + "/Scenarios/" + name
    let runner = try ScenarioRunner(try ScenarioFile.parse(path: path, displayName: "Scenarios/" + name))
    let capture = try directory.map { try LinkCapture(network: runner.lab.network, directory: $0) }
    let report = try runner.run()
    capture?.close()
    return report
}

/// Runs ../shared/tools/check-pcap on every capture in `directory` (skipped, with a note, when it or tshark
/// is missing); each capture must decode cleanly. Returns how many captures there are.
@discardableResult
func expectCleanCaptures(in directory: String) throws -> Int {
    let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pcap") }.sorted()
    let checker = repositoryRoot + "/../shared/tools/check-pcap"
    guard FileManager.default.isExecutableFile(atPath: checker),
          FileManager.default.isExecutableFile(atPath: "/usr/bin/tshark") else {
        print("note: check-pcap or tshark missing; captures not decoded")
        return files.count
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
    return files.count
}

@Suite struct ShippedScenarioTests {
    //   PC1(v10) PC2(v20)          PC3(v10) PC4(v20)
    //       \     /                    \     /
    //        SW1 ==== trunk ==== SW2 ==== trunk ==== R1 ---- T1 ---- R2 ---- SRV
    @Test func theCampusLabPassesAndItsCapturesDecodeCleanly() throws {
        let directory = NSTemporaryDirectory() + "wirelab-campus-" + UUID().uuidString
        let report = try runShipped("campus.yaml", capturingInto: directory)
        #expect(report.failed == 0, "\(report.text())")
        #expect(report.results.count >= 10)
        #expect(try expectCleanCaptures(in: directory) == 8)
    }

    @Test func theSameSeedGivesIdenticalCaptureBytes() throws {
        let a = NSTemporaryDirectory() + "wirelab-det-a-" + UUID().uuidString
        let b = NSTemporaryDirectory() + "wirelab-det-b-" + UUID().uuidString
        _ = try runShipped("campus.yaml", capturingInto: a)
        _ = try runShipped("campus.yaml", capturingInto: b)
        let files = try FileManager.default.contentsOfDirectory(atPath: a).sorted()
        #expect(files == (try FileManager.default.contentsOfDirectory(atPath: b).sorted()))
        for f in files {
            let x = FileManager.default.contents(atPath: a + "/" + f)
            #expect(x != nil && x == FileManager.default.contents(atPath: b + "/" + f), "\(f) differs between runs")
        }
    }
}
