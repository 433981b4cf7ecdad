import ArgumentParser
import Bench
import Capture
import CAllocCount
import Engine
import Foundation
import Lab

@main
struct Wirelab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wirelab",
        abstract: "A deterministic emulator of IOS-style routers, switches and hosts.",
        discussion: """
            Exit codes: 0 every expectation passed, 1 an expectation failed, 2 bad input (the message names file:line).
            """,
        subcommands: [Run.self, Check.self, Show.self, BenchCommand.self, QoSCommand.self])

    /// Parses and runs, mapping every usage or input error to exit code 2 with one clear message.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as LabErrors {
            FileHandle.standardError.write((error.description + "\n").data(using: .utf8)!)
            Foundation.exit(2)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            FileHandle.standardError.write((fullMessage(for: error) + "\n").data(using: .utf8)!)
            Foundation.exit(2)
        }
    }
}

func writeError(_ text: String) {
    FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
}

/// Reads a duration option (`30s`, `500ms`).
struct DurationOption: ExpressibleByArgument {
    var value: SimDuration
    init?(argument: String) {
        guard let d = Units.duration(argument), d >= .zero else { return nil }
        value = d
    }
    static var defaultValueDescription: String { "a duration like 30s or 500ms" }
}

/// Reads `--seed N`. Parsed unconditionally, so `--seed -1` is refused as a value, not taken for an option.
struct SeedOption: ExpressibleByArgument {
    var value: UInt64
    init?(argument: String) {
        guard let v = UInt64(argument) else { return nil }
        value = v
    }
    static var defaultValueDescription: String { "a whole number from 0 to 18446744073709551615" }
}

/// Progress on stderr while a long run goes (only when stderr is a terminal).
final class Progress {
    let enabled = isatty(STDERR_FILENO) != 0
    let clock = ContinuousClock()
    lazy var start = clock.now
    var lastPrint: ContinuousClock.Instant?
    let end: SimTime

    init(end: SimTime) { self.end = end }

    func update(now: SimTime, events: UInt64) {
        guard enabled else { return }
        let t = clock.now
        if let last = lastPrint, t - last < .milliseconds(200) { return }
        lastPrint = t
        let wall = (t - start)
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(events) / seconds : 0
        FileHandle.standardError.write(String(format: "\r  virtual time %@ / %@, %.2f M events/s   ", "\(now)" as NSString, "\(end)" as NSString, rate / 1e6).data(using: .utf8)!)
    }

    func finish() {
        if enabled && lastPrint != nil { FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!) }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a scenario and check its expectations.")

    @Argument(help: "The scenario file (YAML).") var scenario: String
    @Option(parsing: .unconditional, help: "Override the scenario's seed (0 to 18446744073709551615).") var seed: SeedOption?
    @Option(help: "Stop at this virtual time instead of the scenario's duration.") var until: DurationOption?
    @Flag(help: "Print a trace of every frame and state change.") var trace = false
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Treat unknown configuration commands as errors.") var strict = false
    @Flag(help: "Show the evidence of passing expectations too.") var verbose = false
    @Option(help: "Write one pcap file per link into this directory.") var pcap: String?
    @Option(help: "Capture only this link (NODE:Interface); repeatable.") var pcapLink: [String] = []

    func run() throws {
        let file = try ScenarioFile.parse(path: scenario)
        var options = RunOptions()
        options.seed = seed?.value
        options.until = until?.value
        options.strict = strict
        options.trace = trace
        let runner = try ScenarioRunner(file, options: options)
        let capture = try Captures.start(directory: pcap, links: pcapLink, lab: runner.lab)
        let progress = Progress(end: runner.endTime)
        runner.onProgress = { now, events in
            progress.update(now: now, events: events)
            return !Captures.stopRequested
        }
        let report = try runner.run()
        progress.finish()
        capture?.close()
        if Captures.stopRequested {
            writeError("interrupted at \(runner.lab.network.now); captures closed")
            throw ExitCode(Captures.interruptExitStatus)
        }
        if trace { print(runner.lab.network.trace.joined(separator: "\n")) }
        print(json ? report.json() : report.text(verbose: verbose))
        if report.failed > 0 { throw ExitCode(1) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate topology and scenario files without running them.")

    @Argument(help: "Topology or scenario files.") var files: [String]
    /// Checked labs, kept until the process exits: freeing the objects of a lab of 10,000 nodes one
    /// by one took a twentieth of `check`, for nothing.
    nonisolated(unsafe) static var checked: [Lab] = []
    @Flag(help: "Treat unknown configuration commands as errors.") var strict = false

    func run() throws {
        var failed: [LabError] = []
        for path in files {
            do {
                if try isScenario(path) {
                    let s = try ScenarioFile.parse(path: path)
                    var options = RunOptions()
                    options.strict = strict
                    let runner = try ScenarioRunner(s, options: options)
                    report(runner.lab, path: path, extra: "\(s.flows.count) flows, \(s.events.count) events, \(s.expectations.count) expectations")
                    Check.checked.append(runner.lab)
                } else {
                    let lab = try Lab.build(try TopologyFile.parse(path: path), strict: strict)
                    report(lab, path: path, extra: nil)
                    Check.checked.append(lab)
                }
            } catch let e as LabErrors {
                failed += e.errors
            }
        }
        if !failed.isEmpty { throw LabErrors(failed) }
    }

    /// A scenario names its topology at the top level; anything else (unreadable files included) is
    /// loaded as a topology, whose loader reports what is wrong with it.
    func isScenario(_ path: String) throws -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return data.split(separator: UInt8(ascii: "\n")).contains { $0.starts(with: Array("topology:".utf8)) }
    }

    func report(_ lab: Lab, path: String, extra: String?) {
        for w in lab.warnings { writeError(w.rendered) }
        for n in lab.notes { writeError(n) }
        for i in lab.ignored { writeError("\(i)") }
        let t = lab.topology
        print("\(path): ok (\(t.nodes.count) nodes, \(t.links.count) links\(extra.map { ", " + $0 } ?? ""))")
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a scenario to a time and print a device's show output.")

    @Argument(help: "The scenario file.") var scenario: String
    @Option(help: "Virtual time to stop at (default: the scenario's end).") var at: DurationOption?
    @Argument(help: "The device.") var device: String
    @Argument(help: "The command, e.g. \"show ip route\".") var command: String
    @Option(parsing: .unconditional, help: "Override the scenario's seed (0 to 18446744073709551615).") var seed: SeedOption?

    func run() throws {
        let file = try ScenarioFile.parse(path: scenario)
        var options = RunOptions()
        options.until = at?.value
        options.seed = seed?.value
        let runner = try ScenarioRunner(file, options: options)
        // The device and the command's syntax are checked before the run, so a typo costs no waiting.
        do throws(ShowError) { try runner.lab.validateShow(device: device, command: command) } catch {
            writeError("\(error)")
            throw ExitCode(2)
        }
        _ = try runner.run()
        do throws(ShowError) { print(try runner.lab.show(device: device, command: command)) } catch {
            writeError("\(error)")
            throw ExitCode(2)
        }
    }
}

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmarks (build with -c release).",
                                                    subcommands: [EngineBench.self, ForwardBench.self, MulticastBench.self, QoSBench.self, ScaleBench.self, OSPFBench.self])
}

struct EngineBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "engine", abstract: "The event-queue hold model at 1,000 and 100,000 pending events.")

    @Flag(help: "One machine-readable line per case.") var kv = false
    @Option(help: "Timed events per case.") var events = 10_000_000
    @Option(help: "Repetitions per case (the best is reported).") var repeats = 3
    @Option(parsing: .upToNextOption, help: "Pending-event populations.") var pending: [Int] = [1_000, 100_000]

    func run() throws {
        BenchSupport.warnIfDebug("engine")
        for p in pending {
            let r = BenchSupport.best(of: repeats, by: \.eventsPerSecond) {
                EngineBenchmark.holdModel(pending: p, events: events, allocations: BenchSupport.allocationCounter)
            }
            let allocs = BenchSupport.allocations(r.allocationsPerEvent)
            if kv {
                print("bench=engine pending=\(p) events_per_s=\(Int(r.eventsPerSecond)) allocs_per_event=\(allocs)")
            } else {
                print(String(format: "hold model, %7d pending: %6.2f M events/s, %@ allocations/event (%d events, best of %d)",
                             p, r.eventsPerSecond / 1e6, allocs as NSString, events, repeats))
            }
        }
    }
}

struct MulticastBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "multicast",
                                                    abstract: "A flow to a group flooded by a switch to N hosts, half of them members, and one routed down a tree of 50 routers: packet-hops per second.")

    @Flag(help: "One machine-readable line per case.") var kv = false
    @Option(parsing: .upToNextOption, help: "Hosts on the switch.") var hosts: [Int] = [16]
    @Option(help: "Packets per second.") var rate = 200_000
    @Option(help: "Repetitions per case (the best is reported).") var repeats = 3

    func run() throws {
        BenchSupport.warnIfDebug("multicast")
        for n in hosts {
            guard (2...250).contains(n) else { throw ValidationError("--hosts must be between 2 and 250") }
        }
        // The routed part: a chain fan-out of 50 routers with (S,G) entries, 10 receivers at its leaves.
        let routed = BenchSupport.best(of: repeats, by: \.hopsPerSecond) {
            RoutedMulticastBenchmark.run(allocations: BenchSupport.allocationCounter)
        }
        for n in hosts {
            let r = BenchSupport.best(of: repeats, by: \.hopsPerSecond) {
                MulticastBenchmark.run(hosts: n, packetsPerSecond: rate, allocations: BenchSupport.allocationCounter)
            }
            if kv {
                print("bench=multicast hosts=\(n) members=\(r.members) hops_per_s=\(Int(r.hopsPerSecond)) allocs_per_hop=\(BenchSupport.allocations(r.allocationsPerHop))"
                    + " routed_routers=\(routed.routers) routed_receivers=\(routed.receivers)"
                    + " routed_packet_hops_per_s=\(Int(routed.hopsPerSecond)) routed_allocs_per_packet=\(BenchSupport.allocations(routed.allocationsPerPacket))")
            } else {
                print(String(format: "%d hosts, %d members: %.2f M packet-hops/s (%llu hops, %llu delivered, %.4f allocations/hop)",
                             n, r.members, r.hopsPerSecond / 1e6, r.packetHops, r.delivered, r.allocationsPerHop))
            }
        }
        if !kv {
            print(String(format: "routed: %d routers, %d receivers: %.2f M packet-hops/s (%llu packets, %llu hops, %llu delivered, %.4f allocations/packet)",
                         routed.routers, routed.receivers, routed.hopsPerSecond / 1e6, routed.packets, routed.packetHops,
                         routed.delivered, routed.allocationsPerPacket))
        }
    }
}

struct ForwardBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forward",
                                                    abstract: "UDP flows across a chain of routers with switches at the edges: packet-hops per second.")

    @Flag(help: "One machine-readable line per case.") var kv = false
    @Option(parsing: .upToNextOption, help: "Chain lengths (routers).") var routers: [Int] = [50]
    @Option(help: "Flows.") var flows = 4
    @Option(help: "Packets per second per flow.") var rate = 50_000
    @Option(help: "IP packet size in bytes.") var size = 100
    @Option(help: "Repetitions per case (the best is reported).") var repeats = 3

    func run() throws {
        BenchSupport.warnIfDebug("forward")
        for n in routers {
            guard (1...250).contains(n) else { throw ValidationError("--routers must be between 1 and 250") }
            let r = BenchSupport.best(of: repeats, by: \.hopsPerSecond) {
                ForwardBenchmark.run(routers: n, flows: flows, packetsPerSecond: rate, packetSize: size,
                                     allocations: BenchSupport.allocationCounter)
            }
            if kv {
                print("bench=forward routers=\(n) hops_per_s=\(Int(r.hopsPerSecond)) allocs_per_hop=\(BenchSupport.allocations(r.allocationsPerHop))")
            } else {
                print(String(format: "chain of %d routers: %.2f M packet-hops/s (%llu hops, %llu delivered, %.4f allocations/hop)",
                             n, r.hopsPerSecond / 1e6, r.packetHops, r.delivered, r.allocationsPerHop))
            }
        }
    }
}
