import Engine
import Fabric
import Foundation
import Lab

/// Shared pieces of the fuzz targets: a scratch folder with the shipped topologies, the promise that
/// every error names a file and a line, and a bounded run of the engine.
public enum FuzzSupport {
    /// The repository root (this file is Fuzz/Sources/FuzzSupport/FuzzSupport.swift).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A per-process folder holding `Topologies/` (copies of the shipped ones) and `Scenarios/`, so a
    /// fuzzed scenario's `topology: ../Topologies/campus.yaml` resolves as it does in the repository.
    public static let scratch: String = {
        let root = NSTemporaryDirectory() + "wirelab-fuzz-\(getpid())"
        let fm = FileManager.default
        try? fm.removeItem(atPath: root)
        try! fm.createDirectory(atPath: root + "/Scenarios", withIntermediateDirectories: true)
        try! fm.createDirectory(atPath: root + "/Topologies", withIntermediateDirectories: true)
        let shipped = repositoryRoot + "/Topologies"
        for name in (try? fm.contentsOfDirectory(atPath: shipped)) ?? [] where name.hasSuffix(".yaml") {
            try! fm.copyItem(atPath: shipped + "/" + name, toPath: root + "/Topologies/" + name)
        }
        atexit { try? FileManager.default.removeItem(atPath: FuzzSupport.scratch) }
        return root
    }()

    /// Writes the fuzz input to `folder/name` in the scratch folder and returns its path.
    public static func write(_ bytes: UnsafeRawBufferPointer, folder: String, name: String) -> String {
        let path = scratch + "/" + folder + "/" + name
        let ok = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        precondition(ok, "cannot write \(path)")
        return path
    }

    /// The project's promise for bad input: errors, each naming a file and a line (never line 0).
    public static func expectLocated(_ errors: LabErrors) {
        precondition(!errors.errors.isEmpty, "LabErrors without an error")
        for e in errors.errors {
            precondition(!e.file.isEmpty && e.line > 0, "error without a location: \(e)")
        }
    }

    /// Runs `network` for a little virtual time, with a cap on events so a storm stays fast.
    public static func runBriefly(_ network: Network, for duration: SimDuration, maxEvents: UInt64 = 20_000) {
        network.run(until: network.now + duration, maxEvents: maxEvents)
    }

    /// Parses a topology given as text (for the targets' fixed labs).
    public static func topology(_ text: String, name: String) -> TopologyFile {
        let path = scratch + "/Topologies/" + name
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        do { return try TopologyFile.parse(path: path, displayName: name) } catch { fatalError("\(name): \(error)") }
    }
}
