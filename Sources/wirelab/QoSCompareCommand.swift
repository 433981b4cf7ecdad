import ArgumentParser
import Foundation
import Lab

/// `wirelab qos ...`: queueing tools.
struct QoSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "qos", abstract: "Queueing tools.", subcommands: [QoSCompare.self])
}

/// `wirelab qos compare SCENARIO`: the same traffic and seed through each queueing variant of the scenario.
struct QoSCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run a scenario once per queueing variant of its 'compare' section and compare the flows.",
        discussion: """
            Each variant runs in a fresh lab with the same traffic and seed; its IOS lines are applied to the \
            compare device at time 0, before any traffic. The scenario's expectations are counted per variant, \
            not enforced. A variant whose lines are rejected (an error, an unknown command, or a command accepted \
            but not modelled) is reported as 'variant NAME: skipped: file:line: ...' and the others still run; \
            with --strict it is bad input instead.
            Exit codes: 0 at least one variant ran, 2 bad input (or every variant skipped).
            """)

    @Argument(help: "The scenario file (YAML) with a 'compare' section.") var scenario: String
    @Option(help: "Write one CSV row per (variant, flow) to this file.") var csv: String?
    @Option(help: "Write an SVG chart (throughput and p99 delay per flow and variant) to this file.") var svg: String?
    @Option(parsing: .unconditional, help: "Override the scenario's seed (0 to 18446744073709551615).") var seed: SeedOption?
    @Option(help: "Stop each run at this virtual time instead of the scenario's duration.") var until: DurationOption?
    @Option(help: "Only these variants, comma-separated, in this order (e.g. fifo,wfq).") var variants: String?
    @Flag(help: "A variant whose configuration is rejected is an error (exit 2) instead of being skipped.") var strict = false

    func run() throws {
        let file = try ScenarioFile.parse(path: scenario)
        var options = CompareOptions()
        options.seed = seed?.value
        options.until = until?.value
        options.strict = strict
        if let variants {
            let names = variants.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw ValidationError("--variants needs one or more variant names, comma-separated") }
            options.variants = names
        }
        // Output files are checked before the runs, so a bad path fails at once rather than after the report.
        for path in [csv, svg].compactMap({ $0 }) { try checkWritable(path) }
        let report = try QueueingComparison.run(file, options: options)
        print(report.text())
        if let csv { try write(report.csv(), to: csv) }
        if let svg { try write(report.svg(), to: svg) }
        if report.ranVariants.isEmpty {
            writeError("\(file.displayName): error: every variant was skipped; nothing to compare")
            throw ExitCode(2)
        }
    }

    /// Checks the file can be written (opening it without changing it), or fails with exit code 2.
    func checkWritable(_ path: String) throws {
        let existed = FileManager.default.fileExists(atPath: path)
        guard let handle = FileHandle(forWritingAtPath: path) ?? (existed ? nil : create(path)) else {
            writeError("\(path): error: cannot write the file (\(String(cString: strerror(errno))))")
            throw ExitCode(2)
        }
        try? handle.close()
        // A file made only to test the path goes again; the real one is written after the runs.
        if !existed { try? FileManager.default.removeItem(atPath: path) }
    }

    func create(_ path: String) -> FileHandle? {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { return nil }
        return FileHandle(forWritingAtPath: path)
    }

    func write(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            writeError("\(path): error: cannot write the file (\(error.localizedDescription))")
            throw ExitCode(2)
        }
    }
}
