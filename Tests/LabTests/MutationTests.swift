import Engine
import Foundation
import Testing
@testable import Lab

// Seeded mutations of the shipped topologies and scenarios (issue #8, robustness): each mutant is
// loaded and, when it loads, built and run for 50 ms of virtual time (at most 5,000 events). Bad
// input must come back as errors naming a file and a line. A trap or a hang (60 s on one mutant)
// kills the test process; the signal handler below first prints which mutant it was and where its
// text is, so it replays:
//
//     WIRELAB_MUTANT=campus.yaml:123 swift test --filter MutationTests
//
// `WIRELAB_MUTANTS=N` sets the mutants per file (default 200: 2,600 for the 13 shipped files, about
// 35 s in a debug build on one core since labs share their compiled command tables).

/// One mutant: the file it comes from, its index, what was changed, and the mutated text.
private struct Mutant {
    var file: String
    var index: Int
    var change: String
    var text: String
}

/// SplitMix64: enough to pick mutations reproducibly from (file, index).
private struct MutantRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private enum Mutator {
    /// Values that broke loaders before: zero, negative, overflowing, non-finite, sub-nanosecond, huge.
    static let extremes = [
        "0", "-1", "1e19", "-1e19", "inf", "-inf", "nan", "0.1ns", "0s", "-5s", "1e-9", "0.0000001",
        "9223372036854775807", "9223372036854775808", "18446744073709551616", "4294967296", "65536", "-0",
        "100000g", "0%", "101%", "1e308ms", "0x", "", "1.5.5", "2147483648",
    ]

    static func seed(file: String, index: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in file.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h ^ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
    }

    static func mutate(_ text: String, file: String, index: Int) -> Mutant {
        var rng = MutantRandom(state: seed(file: file, index: index))
        var lines = text.components(separatedBy: "\n")
        var change: String
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1:
            var bytes = Array(text.utf8)
            let n = Int.random(in: 1...4, using: &rng)
            for _ in 0..<n {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] = Bool.random(using: &rng) ? bytes[i] ^ (1 << UInt8.random(in: 0..<8, using: &rng))
                    : UInt8.random(in: 0...255, using: &rng)
            }
            return Mutant(file: file, index: index, change: "\(n) byte flips", text: String(decoding: bytes, as: UTF8.self))
        case 2:
            let i = Int.random(in: 0..<lines.count, using: &rng)
            change = "line \(i + 1) deleted"
            lines.remove(at: i)
        case 3:
            let i = Int.random(in: 0..<lines.count, using: &rng)
            change = "line \(i + 1) duplicated"
            lines.insert(lines[i], at: i)
        case 4:
            let i = Int.random(in: 0..<lines.count, using: &rng), j = Int.random(in: 0..<lines.count, using: &rng)
            change = "line \(i + 1) moved to \(j + 1)"
            lines.insert(lines.remove(at: i), at: j)
        case 5:
            let huge = String(repeating: "x", count: Int.random(in: 200...5_000, using: &rng))
            return replaceToken(lines, with: huge, label: "a huge string", rng: &rng, file: file, index: index)
        default:
            let value = extremes.randomElement(using: &rng)!
            return replaceNumber(lines, with: value, rng: &rng, file: file, index: index)
        }
        return Mutant(file: file, index: index, change: change, text: lines.joined(separator: "\n"))
    }

    /// Replaces one number (with its unit, as in `1544kbps`, `200ms`, `10%`) by `value`.
    static func replaceNumber(_ lines: [String], with value: String, rng: inout MutantRandom, file: String, index: Int) -> Mutant {
        var lines = lines
        let candidates = lines.indices.filter { lines[$0].contains(where: \.isNumber) }
        guard let i = candidates.randomElement(using: &rng) else {
            return Mutant(file: file, index: index, change: "unchanged", text: lines.joined(separator: "\n"))
        }
        let line = Array(lines[i])
        var numbers: [Range<Int>] = []
        var k = 0
        while k < line.count {
            guard line[k].isNumber else { k += 1; continue }
            let start = k
            while k < line.count, line[k].isNumber || line[k] == "." || line[k].isLetter || line[k] == "%" { k += 1 }
            numbers.append(start..<k)
        }
        let r = numbers.randomElement(using: &rng)!
        let old = String(line[r])
        lines[i] = String(line[..<r.lowerBound]) + value + String(line[r.upperBound...])
        return Mutant(file: file, index: index, change: "line \(i + 1): '\(old)' -> '\(value)'", text: lines.joined(separator: "\n"))
    }

    /// Replaces one word of a line by `replacement`.
    static func replaceToken(_ lines: [String], with replacement: String, label: String, rng: inout MutantRandom,
                             file: String, index: Int) -> Mutant {
        var lines = lines
        let i = Int.random(in: 0..<lines.count, using: &rng)
        var words = lines[i].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let candidates = words.indices.filter { !words[$0].isEmpty }
        if let w = candidates.randomElement(using: &rng) { words[w] = replacement } else { words.append(replacement) }
        lines[i] = words.joined(separator: " ")
        return Mutant(file: file, index: index, change: "line \(i + 1): a word -> \(label)", text: lines.joined(separator: "\n"))
    }
}

// MARK: - Crash and hang reporting

/// What the signal handler prints: the mutant being loaded (preformatted, as a handler may not allocate).
nonisolated(unsafe) var currentMutantLine: UnsafeMutablePointer<CChar>?

let reportedSignals = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGALRM]

/// Until `removeCrashReporter`, a fatal signal first prints `currentMutantLine`; SIGALRM (the hang
/// watchdog) prints it and exits.
func installCrashReporter() {
    for signal in reportedSignals {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            if let line = currentMutantLine { _ = write(2, line, strlen(line)) }
            if signal == SIGALRM {
                let message = "mutation test: the mutant above hung (no progress in 60 s)\n"
                _ = message.withCString { write(2, $0, strlen($0)) }
                _exit(3)
            }
            Foundation.signal(signal, SIG_DFL)
            raise(signal)
        }
        sigaction(signal, &action, nil)
    }
}

func removeCrashReporter() {
    alarm(0)
    for s in reportedSignals { signal(s, SIG_DFL) }
    free(currentMutantLine)
    currentMutantLine = nil
}

// MARK: - The test

@Suite(.serialized) struct MutationTests {
    static let shipped: [(folder: String, name: String)] = {
        var files: [(String, String)] = []
        for folder in ["Topologies", "Scenarios"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/" + folder)) ?? []
            files += names.filter { $0.hasSuffix(".yaml") }.sorted().map { (folder, $0) }
        }
        return files
    }()

    @Test func mutatedShippedLabsFailCleanlyOrRun() throws {
        let environment = ProcessInfo.processInfo.environment
        let perFile = environment["WIRELAB_MUTANTS"].flatMap { Int($0) } ?? 200
        let only = environment["WIRELAB_MUTANT"].map { $0.split(separator: ":").map(String.init) }
        let directory = NSTemporaryDirectory() + "wirelab-mutants-" + UUID().uuidString
        let fm = FileManager.default
        for folder in ["Topologies", "Scenarios"] {
            try fm.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
        }
        for (folder, name) in Self.shipped where folder == "Topologies" {
            try fm.copyItem(atPath: repositoryRoot + "/Topologies/" + name, toPath: directory + "/Topologies/" + name)
        }
        installCrashReporter()
        defer { removeCrashReporter() }
        #expect(Self.shipped.count >= 10)
        var (loaded, rejected) = (0, 0)
        for (folder, name) in Self.shipped {
            if let only, only[0] != name { continue }
            let original = try String(contentsOfFile: repositoryRoot + "/" + folder + "/" + name, encoding: .utf8)
            let indices = only.map { [Int($0[1])!] } ?? Array(0..<perFile)
            for index in indices {
                let mutant = Mutator.mutate(original, file: name, index: index)
                let path = directory + "/" + folder + "/mutant-" + name
                try mutant.text.write(toFile: path, atomically: false, encoding: .utf8)
                let where_ = "mutant \(name):\(index) (\(mutant.change)); its text: \(path)"
                free(currentMutantLine)
                currentMutantLine = strdup("mutation test was loading " + where_ + "\n")
                alarm(60)
                let errors = Self.load(path, folder: folder, displayName: folder + "/" + name)
                if errors.isEmpty { loaded += 1 } else { rejected += 1 }
                for e in errors {
                    #expect(!e.file.isEmpty && e.line > 0, "error without a location, \(where_): \(e)")
                    #expect(e.description.contains(": error: "), "\(where_): \(e)")
                }
            }
        }
        print("mutation test: \(loaded) mutants loaded and ran, \(rejected) rejected with located errors")
        try? fm.removeItem(atPath: directory)
    }

    /// The runner's timeline to 50 ms with at most 5,000 events in all (`run()` stops a storm only
    /// after a chunk of 250,000, too slow for a debug build): events applied, expectations evaluated.
    static func runBriefly(_ runner: ScenarioRunner) throws(LabErrors) {
        let network = runner.lab.network
        let end = SimTime.zero + .milliseconds(50)
        let budget: UInt64 = 5_000
        func runTo(_ time: SimTime) {
            let left = budget - min(budget, network.sim.eventsFired)
            if left > 0 { network.run(until: time, maxEvents: left) }
        }
        for e in runner.scenario.events.sorted(by: { $0.at < $1.at }) where .zero + e.at <= end {
            runTo(.zero + e.at)
            try runner.apply(e)
        }
        runTo(end)
        for x in runner.scenario.expectations { _ = runner.evaluate(x) }
        _ = runner.report()
    }

    /// Loads a mutant; when it loads, builds and runs it for 50 ms. Returns the errors it reported.
    static func load(_ path: String, folder: String, displayName: String) -> [LabError] {
        do throws(LabErrors) {
            if folder == "Topologies" {
                let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: displayName))
                lab.network.run(until: .zero + .milliseconds(50), maxEvents: 5_000)
            } else {
                let runner = try ScenarioRunner(try ScenarioFile.parse(path: path, displayName: displayName))
                try runBriefly(runner)
            }
            return []
        } catch {
            return error.errors
        }
    }
}
