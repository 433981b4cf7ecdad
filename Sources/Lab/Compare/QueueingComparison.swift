import Engine
import Fabric
import Foundation
import IOSConfig
import Wire

/// Options for `wirelab qos compare`.
public struct CompareOptions: Sendable {
    public var seed: UInt64?
    public var until: SimDuration?
    /// Only these variants, in this order; nil runs every variant in file order.
    public var variants: [String]?
    /// A variant whose config is rejected is bad input (exit 2) instead of being skipped.
    public var strict = false
    public init() {}
}

/// One flow's figures in one variant.
public struct ComparedFlow: Sendable {
    public var name: String
    public var offeredBitsPerSecond: Double
    public var throughputBitsPerSecond: Double
    /// Throughput over the compared interface's line rate, in percent.
    public var linkSharePercent: Double
    public var p50DelayMilliseconds: Double?
    public var p99DelayMilliseconds: Double?
    public var jitterMilliseconds: Double
    public var sent: UInt64
    public var delivered: UInt64
    /// Sent but not delivered (queue drops anywhere, plus packets still in flight at the end).
    public var drops: UInt64 { sent >= delivered ? sent - delivered : 0 }
    public var dropPercent: Double { sent == 0 ? 0 : Double(drops) * 100 / Double(sent) }
}

/// One variant's run, or why it was skipped.
public struct VariantResult: Sendable {
    public var name: String
    /// Set when the variant's config was rejected (first diagnostic, with file:line); nothing else is filled.
    public var skipped: String?
    /// `show interfaces` "Queueing strategy" of the compared interface after the variant's config.
    public var queueing = ""
    public var flows: [ComparedFlow] = []
    /// Jain's fairness index over the flows' throughputs; nil when nothing was delivered.
    public var jainIndex: Double?
    /// The compared interface's output drops by reason, in `DropReason` order.
    public var interfaceDrops: [(reason: DropReason, count: UInt64)] = []
    public var expectationsPassed = 0
    public var expectationsFailed = 0

    public var ran: Bool { skipped == nil }
}

/// What `wirelab qos compare` produced: every variant of one scenario, same traffic and seed.
public struct ComparisonReport: Sendable {
    public var scenario: String
    public var device: String
    public var interface: String
    public var lineRate: Bandwidth
    public var seed: UInt64
    public var endTime: String
    public var variants: [VariantResult]

    public var ranVariants: [VariantResult] { variants.filter(\.ran) }
}

/// Jain's fairness index (Jain, Chiu & Hawe, DEC-TR-301, 1984): (Σx)² / (n·Σx²), 1 when all are equal,
/// 1/n when one takes everything. Nil for no values or all zeros.
public func jainFairnessIndex(_ values: [Double]) -> Double? {
    let sum = values.reduce(0, +)
    let squares = values.reduce(0) { $0 + $1 * $1 }
    guard !values.isEmpty, squares > 0 else { return nil }
    return sum * sum / (Double(values.count) * squares)
}

/// Runs a scenario once per `compare:` variant: a fresh lab each time, the variant's lines applied to the
/// device at time 0 before any traffic, then the whole scenario (its expectations are counted, not enforced).
public enum QueueingComparison {
    public static func run(_ scenario: ScenarioFile, options: CompareOptions = CompareOptions(),
                           onVariant: ((String) -> Void)? = nil) throws(LabErrors) -> ComparisonReport {
        func fail(_ line: Int, _ message: String) -> LabErrors {
            LabErrors([LabError(file: scenario.displayName, line: line, message)])
        }
        guard let compare = scenario.compare else {
            throw fail(1, "the scenario has no 'compare' section (device, interface and variants to compare)")
        }
        var selected = compare.variants
        if let names = options.variants {
            selected = []
            for name in names {
                guard let v = compare.variants.first(where: { $0.name == name }) else {
                    throw fail(compare.line, "no variant is named '\(name)' (variants: \(compare.variants.map(\.name).joined(separator: ", ")))")
                }
                if !selected.contains(where: { $0.name == name }) { selected.append(v) }
            }
        }
        var runOptions = RunOptions()
        runOptions.seed = options.seed
        runOptions.until = options.until
        var report: ComparisonReport?
        var results: [VariantResult] = []
        for variant in selected {
            onVariant?(variant.name)
            let runner = try ScenarioRunner(scenario, options: runOptions)
            let lab = runner.lab
            guard let node = lab.node(compare.device) else {
                throw fail(compare.deviceLine, "unknown device '\(compare.device)' (devices: \(lab.topology.nodes.map(\.name).joined(separator: ", ")))")
            }
            guard let port = lab.network.port(of: node, named: compare.interface) else {
                let names = lab.network.ports(of: node).map(\.name).joined(separator: ", ")
                throw fail(compare.interfaceLine, "\(lab.nodeName(node)) has no interface \(compare.interface) (interfaces: \(names))")
            }
            if report == nil {
                report = ComparisonReport(scenario: scenario.name, device: lab.nodeName(node), interface: compare.interface,
                                          lineRate: lab.network.ports[port.index].lineRate, seed: lab.network.seed,
                                          endTime: "\(runner.endTime)", variants: [])
            }
            if let reason = apply(variant, on: lab, device: compare.device, file: scenario.displayName) {
                if options.strict { throw fail(variant.line, "variant \(variant.name): \(reason)") }
                results.append(VariantResult(name: variant.name, skipped: reason))
                continue
            }
            let run = try runner.run()
            results.append(measure(variant.name, runner: runner, port: port, report: run))
        }
        report!.variants = results
        return report!
    }

    /// Applies a variant's lines; returns why the variant cannot be compared, or nil.
    /// A line the device does not know (a warning for `wirelab run`) or accepts without modelling would
    /// leave the interface as it was, so the variant would silently measure something else: it is refused.
    static func apply(_ variant: CompareSection.Variant, on lab: Lab, device: String, file: String) -> String? {
        guard !variant.lines.isEmpty else { return nil }
        let warnings = lab.warnings.count, ignored = lab.ignored.count
        do {
            try lab.applyConfig(to: device, lines: variant.lines, file: file, line: variant.firstLine)
        } catch {
            guard let e = error.errors.first else { return "the config was rejected" }
            // The message's second line, when present, is the offending source line (above its caret).
            let parts = e.message.split(separator: "\n", omittingEmptySubsequences: false)
            let source = parts.count > 1 ? ": '\(parts[1].trimmingCharacters(in: .whitespaces))'" : ""
            return "\(e.file):\(e.line): \(parts[0])\(source)"
        }
        if lab.warnings.count > warnings {
            let w = lab.warnings[warnings]
            return "\(w.file):\(w.line): \(w.message)" + (w.sourceLine.map { ": '\($0)'" } ?? "")
        }
        if lab.ignored.count > ignored {
            let i = lab.ignored[ignored]
            return "\(i.file):\(i.line): '\(i.text)' is accepted but not modelled"
        }
        return nil
    }

    static func measure(_ name: String, runner: ScenarioRunner, port: PortID, report: ScenarioReport) -> VariantResult {
        let network = runner.lab.network
        let lineRate = Double(network.ports[port.index].lineRate.bitsPerSecond)
        let end = network.now
        var result = VariantResult(name: name)
        for f in network.flows {
            // Offered: what the source sent over the time it was sending.
            let stop = min(f.spec.stop, end)
            let window = stop > f.spec.start ? (stop - f.spec.start).seconds : 0
            let offered = window > 0 ? Double(f.sent) * Double(f.spec.packetSize) * 8 / window : 0
            func ms(_ d: SimDuration?) -> Double? { d.map { Double($0.nanoseconds) / 1e6 } }
            result.flows.append(ComparedFlow(
                name: f.spec.name, offeredBitsPerSecond: offered, throughputBitsPerSecond: f.throughputBitsPerSecond,
                linkSharePercent: lineRate > 0 ? f.throughputBitsPerSecond * 100 / lineRate : 0,
                p50DelayMilliseconds: ms(f.delay.percentile(50)), p99DelayMilliseconds: ms(f.delay.percentile(99)),
                jitterMilliseconds: Double(f.jitter.nanoseconds) / 1e6, sent: f.sent, delivered: f.delivered))
        }
        result.jainIndex = jainFairnessIndex(result.flows.map(\.throughputBitsPerSecond))
        let queue = network.ports[port.index].queue
        result.queueing = queue.strategyName
        let drops = queue.dropsByReason
        result.interfaceDrops = DropReason.allCases.compactMap { r in drops[r].map { (r, $0) } }
        result.expectationsPassed = report.passed
        result.expectationsFailed = report.failed
        return result
    }
}
