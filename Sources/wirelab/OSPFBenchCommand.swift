import ArgumentParser
import Bench
import CAllocCount
import Foundation

/// `wirelab bench ospf`: a generated multi-area OSPF network of N routers from cold start to converged
/// (every area's databases identical, a route to every loopback): wall and virtual seconds, events,
/// LSAs held and peak RSS. Each size runs in a child process (this binary again, `--child`), since
/// peak RSS is per process.
struct OSPFBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ospf",
        abstract: "A generated multi-area OSPF network from cold start to converged: wall and virtual time, events, LSAs, memory.")

    @Option(parsing: .upToNextOption, help: "Router counts, each measured in its own process.") var routers: [Int] = [100, 1_000, 10_000]
    @Option(help: "Routers per area (about).") var areaSize = 100
    @Flag(inversion: .prefixedNo, help: "`area k range 10.k.0.0 255.255.0.0` on the ABRs.") var areaRanges = true
    @Flag(inversion: .prefixedNo, help: "Require every router to reach every loopback (inter-area routes), not only its areas'.")
    var interArea = OSPFBenchmark.requireInterAreaRoutesByDefault
    @Option(help: .hidden) var child: Int?
    @Option(help: "Where generated topologies are written (removed afterwards).") var directory = NSTemporaryDirectory()

    func validate() throws {
        guard routers.allSatisfy({ $0 >= 6 }), areaSize >= 3 else { throw ValidationError("--routers must be at least 6, --area-size at least 3") }
        for n in routers {
            let t = max(2, Int((Double(n) / Double(areaSize)).rounded()))
            guard t <= 250, n / t < 4_000 else { throw ValidationError("\(n) routers in areas of \(areaSize): at most 250 areas of 4,000 routers") }
        }
    }

    func run() throws {
        if let child {
            do {
                print(try OSPFBenchmark.measure(OSPFBenchTopology(routers: child, areaSize: areaSize, areaRanges: areaRanges),
                                                interAreaRoutes: interArea,
                                                liveBytes: BenchSupport.allocationCounter.map { _ in { wirelab_thread_live_bytes() } },
                                                directory: directory).fields)
            } catch let error as OSPFConvergenceError {
                writeError("\(child) routers: \(error)")
                throw ExitCode(1)
            }
            return
        }
        BenchSupport.warnIfDebug("ospf")
        for n in routers {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            process.arguments = ["bench", "ospf", "--child", "\(n)", "--area-size", "\(areaSize)",
                                 areaRanges ? "--area-ranges" : "--no-area-ranges", interArea ? "--inter-area" : "--no-inter-area",
                                 "--directory", directory]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let text = String(data: output, encoding: .utf8),
                  let result = OSPFBenchResult(fields: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                writeError("the measurement of \(n) routers failed")
                throw ExitCode(1)
            }
            print(result.fields)
        }
    }
}
