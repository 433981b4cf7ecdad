import Engine
import Fabric
import Foundation
import IOSConfig
import Wire

/// The outcome of one expectation, with the evidence that decided it.
public struct ExpectationResult: Sendable, Codable {
    public var description: String
    public var time: String
    public var passed: Bool
    /// The output or values that failed (or passed) it.
    public var evidence: String
    public var line: Int
}

/// What a scenario run produced.
public struct ScenarioReport: Sendable, Codable {
    public var scenario: String
    public var topology: String
    public var seed: UInt64
    public var endTime: String
    public var events: UInt64
    public var results: [ExpectationResult]
    public var flows: [FlowSummary]
    public var probes: [ProbeOutput]
    public var warnings: [String]
    public var ignored: [String]
    /// Storms the switches detected; nil (left out of the JSON) when there were none.
    public var storms: [StormSummary]?

    public var passed: Int { results.filter(\.passed).count }
    /// The process exit code a run reports: 1 when any expectation failed.
    public var exitCode: Int32 { failed > 0 ? 1 : 0 }
    public var failed: Int { results.count - passed }
}

/// Per-flow statistics in a report.
public struct FlowSummary: Sendable, Codable {
    public var name: String
    public var sent: UInt64
    public var delivered: UInt64
    public var lost: UInt64
    public var deliveredPercent: Double
    public var minDelayMicroseconds: Double?
    public var p50DelayMicroseconds: Double?
    public var p99DelayMicroseconds: Double?
    public var maxDelayMicroseconds: Double?
    public var jitterMicroseconds: Double
    public var throughputBitsPerSecond: Double
    /// A flow to a group: each member's share (the flow's own figures are then the group total, every
    /// copy counted); nil, and left out of the JSON, for a unicast flow.
    public var receivers: [FlowSummary]?
}

/// One storm a switch detected (Wirelab's storm detection), for the report.
public struct StormSummary: Sendable, Codable {
    public var device: String
    public var vlan: UInt16
    /// `broadcast`, `multicast` or `unknown-unicast`.
    public var type: String
    public var start: String
    /// Nil while the storm lasted to the end of the run.
    public var end: String?
    public var peakPacketsPerSecond: UInt64
    /// The highest share of one ingress port's bandwidth, and that port.
    public var peakPercent: Double
    public var peakInterface: String
    public var macFlaps: UInt64
}

/// The output of a scenario's ping or traceroute.
public struct ProbeOutput: Sendable, Codable {
    public var name: String
    public var device: String
    public var output: String
}

/// Options for a run.
public struct RunOptions: Sendable {
    public var seed: UInt64?
    public var until: SimDuration?
    public var strict = false
    public var trace = false
    public init() {}
}

/// Runs a scenario: applies timed events, runs the network, evaluates expectations at their times.
public final class ScenarioRunner {
    public let scenario: ScenarioFile
    public let lab: Lab
    public let endTime: SimTime
    var flowIDs: [String: FlowID] = [:]
    var probes: [String: (device: String, handle: ProbeHandle)] = [:]
    var probeOrder: [String] = []
    /// Outputs of `exec` events, printed among the probes in the order they ran (keyed `exec#N`).
    var execOutputs: [String: ProbeOutput] = [:]
    var results: [ExpectationResult] = []
    /// A `counter` expectation's value at its `since` time, by expectation index.
    var counterBaselines: [Int: UInt64] = [:]
    /// Called between chunks of events (progress display, interrupt checks); return false to stop.
    public var onProgress: ((SimTime, UInt64) -> Bool)?

    /// Parses the topology, builds the lab and resolves flows; every mistake is reported once.
    public init(_ scenario: ScenarioFile, options: RunOptions = RunOptions()) throws(LabErrors) {
        self.scenario = scenario
        let topology = try TopologyFile.parse(path: scenario.topologyPath, displayName: scenario.topologyPath)
        lab = try Lab.build(topology, seed: options.seed ?? scenario.seed, strict: options.strict)
        lab.network.traceEnabled = options.trace
        endTime = SimTime.zero + (options.until ?? scenario.duration)
        var errors: [LabError] = []
        for f in scenario.flows {
            do throws(LabError) { flowIDs[f.name] = lab.network.addFlow(try resolve(f)) } catch { errors.append(error) }
        }
        errors += checkReferences()
        guard errors.isEmpty else { throw LabErrors(errors) }
    }

    func err(_ line: Int, _ column: Int, _ message: String) -> LabError {
        LabError(file: scenario.displayName, line: line, column: column, message)
    }

    /// The address a flow or probe goes to: an address, or a node name (its first address).
    func address(_ text: String, line: Int, column: Int) throws(LabError) -> IPv4Address {
        if let a = IPv4Address(text) { return a }
        guard let id = lab.node(text), let n = lab.network.ipNode(id),
              let a = n.interfaces.lazy.flatMap(\.addresses).first?.address else {
            throw err(line, column, "'\(text)' is neither an IPv4 address nor a router or host with an address")
        }
        return a
    }

    func ipNodeID(_ name: String, line: Int, column: Int) throws(LabError) -> NodeID {
        guard let id = lab.node(name) else {
            throw err(line, column, "unknown device '\(name)' (devices: \(lab.topology.nodes.map(\.name).joined(separator: ", ")))")
        }
        guard lab.kind(of: id) != .l2switch else { throw err(line, column, "\(name) is a switch; traffic and probes start at routers and hosts") }
        return id
    }

    func resolve(_ f: FlowDefinition) throws(LabError) -> FlowSpec {
        let source = try ipNodeID(f.from, line: f.line, column: f.column)
        let destination = try address(f.to, line: f.line, column: f.column)
        let interval: SimDuration
        if let i = f.interval { interval = i } else {
            interval = SimDuration(nanoseconds: max(1, Int64((Double(f.size * 8) / Double(f.rate!.bitsPerSecond) * 1e9).rounded())))
        }
        let pattern: TrafficPattern
        switch f.pattern {
        case "poisson": pattern = .poisson(meanInterval: interval)
        case "onoff", "on-off": pattern = .onOff(interval: interval, on: f.on!, off: f.off!)
        default: pattern = .constant(interval: interval)
        }
        return FlowSpec(name: f.name, source: source, destination: destination, pattern: pattern, packetSize: f.size, tos: f.tos,
                        sourcePort: f.sourcePort, destinationPort: f.destinationPort, start: .zero + f.start,
                        stop: f.stop.map { .zero + $0 } ?? .distantFuture)
    }

    /// Devices, interfaces, flows and probes named in events and expectations must exist.
    func checkReferences() -> [LabError] {
        var errors: [LabError] = []
        var probeNames: [String] = []
        for e in scenario.events {
            do throws(LabError) {
                switch e.action {
                case let .linkDown(n, i), let .linkUp(n, i), let .shutdown(n, i), let .noShutdown(n, i),
                     let .impair(n, i, _, _, _), let .flap(n, i, _, _, _), let .block(n, i, _, _, _, _):
                    guard let id = lab.node(n) else { throw err(e.line, e.column, "unknown device '\(n)'") }
                    guard let port = lab.network.port(of: id, named: i) else { throw err(e.line, e.column, "\(n) has no interface \(i)") }
                    switch e.action {
                    case .impair, .flap:
                        if lab.network.ports[port.index].link == nil { throw err(e.line, e.column, "\(n) \(i) is not cabled: no link to impair or flap") }
                    default: break
                    }
                case let .ignoreARPReplies(n, i):
                    let id = try ipNodeID(n, line: e.line, column: e.column)
                    guard lab.network.port(of: id, named: i) != nil else { throw err(e.line, e.column, "\(n) has no interface \(i)") }
                case let .config(d, _, _):
                    guard lab.node(d) != nil else { throw err(e.line, e.column, "unknown device '\(d)'") }
                case let .stop(d), let .start(d), let .reload(d, _):
                    guard lab.node(d) != nil else { throw err(e.line, e.column, "unknown device '\(d)'") }
                case let .join(d, _, i), let .leave(d, _, i):
                    let id = try ipNodeID(d, line: e.line, column: e.column)
                    if let i, lab.network.ipNode(id)?.interfaces.contains(where: { $0.name == i }) != true {
                        throw err(e.line, e.column, "\(d) has no interface \(i)")
                    }
                case let .exec(d, commands):
                    for c in commands {
                        do throws(ShowError) { try lab.validateShow(device: d, command: c) } catch {
                            throw err(e.line, e.column, error.message.replacingOccurrences(of: "\n", with: " "))
                        }
                    }
                case let .ping(name, from, to, _, _, _, _), let .traceroute(name, from, to):
                    _ = try ipNodeID(from, line: e.line, column: e.column)
                    _ = try address(to, line: e.line, column: e.column)
                    if probeNames.contains(name) { throw err(e.line, e.column, "probe name '\(name)' is used twice") }
                    probeNames.append(name)
                }
            } catch { errors.append(error) }
        }
        for x in scenario.expectations {
            switch x.check {
            case let .show(d, _, _, _, _), let .route(d, _, _, _, _):
                if lab.node(d) == nil { errors.append(err(x.line, x.column, "unknown device '\(d)'")) }
            case let .log(d?, _, _, _):
                if lab.node(d) == nil { errors.append(err(x.line, x.column, "unknown device '\(d)'")) }
            case .log(nil, _, _, _):
                break
            case let .counter(d, interfaces, _, _, _):
                guard let id = lab.node(d) else { errors.append(err(x.line, x.column, "unknown device '\(d)'")); break }
                for i in interfaces where lab.network.port(of: id, named: i) == nil {
                    errors.append(err(x.line, x.column, "\(d) has no interface \(i)"))
                }
            case let .ping(name, _, _), let .traceroute(name, _):
                if !probeNames.contains(name) {
                    errors.append(err(x.line, x.column, "no ping or traceroute event is named '\(name)' (named: \(probeNames.joined(separator: ", ")))"))
                }
            case let .flow(name, receiver, _):
                if flowIDs[name] == nil { errors.append(err(x.line, x.column, "no flow is named '\(name)'")) }
                if let receiver {
                    if let id = flowIDs[name], !lab.network.flows[id.index].isMulticast {
                        errors.append(err(x.line, x.column, "flow \(name) goes to an address, not a group: 'receiver' is for flows to a group"))
                    }
                    do throws(LabError) { _ = try ipNodeID(receiver, line: x.line, column: x.column) } catch { errors.append(error) }
                }
            case let .share(names, _, _):
                for name in names where flowIDs[name] == nil { errors.append(err(x.line, x.column, "no flow is named '\(name)'")) }
            case let .drops(d, i, _, _):
                if let d {
                    if let id = lab.node(d) {
                        if let i, lab.network.port(of: id, named: i) == nil { errors.append(err(x.line, x.column, "\(d) has no interface \(i)")) }
                    } else { errors.append(err(x.line, x.column, "unknown device '\(d)'")) }
                } else if i != nil { errors.append(err(x.line, x.column, "drops on an interface need 'device'")) }
            }
        }
        return errors
    }

    // MARK: - Running

    enum Step { case event(ScenarioEvent), expectation(Expectation), baseline(Int) }

    /// Runs the scenario to its end (or `--until`) and returns the report.
    public func run() throws(LabErrors) -> ScenarioReport {
        var timeline: [(time: SimTime, order: Int, step: Step)] = []
        for (i, e) in scenario.events.enumerated() {
            timeline.append((.zero + e.at, i, .event(e)))
            // A reload's second half: the device comes back once it has booted.
            if case let .reload(d, boot) = e.action {
                var start = e
                start.action = .start(device: d)
                timeline.append((.zero + e.at + boot, i, .event(start)))
            }
            // A flap is its link-downs and link-ups.
            if case let .flap(n, interface, down, up, count) = e.action {
                var t = e.at
                for _ in 0..<count {
                    var d = e, u = e
                    d.action = .linkDown(node: n, interface: interface)
                    u.action = .linkUp(node: n, interface: interface)
                    timeline.append((.zero + t, i, .event(d)))
                    timeline.append((.zero + t + down, i, .event(u)))
                    t = t + down + up
                }
            }
        }
        for (i, x) in scenario.expectations.enumerated() {
            timeline.append((x.at.map { .zero + $0 } ?? endTime, scenario.events.count + i, .expectation(x)))
            // A counter read `since` a time needs its value then, taken after that time's events.
            if case let .counter(_, _, _, since?, _) = x.check {
                timeline.append((.zero + since, scenario.events.count + i, .baseline(i)))
            }
        }
        timeline.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        for item in timeline where item.time <= endTime {
            guard advance(to: item.time) else { break }
            switch item.step {
            case let .event(e): try apply(e)
            case let .expectation(x): results.append(evaluate(x, index: item.order - scenario.events.count))
            case let .baseline(i):
                if case let .counter(d, interfaces, counter, _, _) = scenario.expectations[i].check {
                    counterBaselines[i] = counterValue(d, interfaces, counter)
                }
            }
        }
        _ = advance(to: endTime)
        // Expectations after --until are reported as not reached.
        for item in timeline where item.time > endTime {
            if case let .expectation(x) = item.step {
                results.append(ExpectationResult(description: describe(x), time: "\(item.time)", passed: false,
                                                 evidence: "not reached: the run stopped at \(endTime)", line: x.line))
            }
        }
        return report()
    }

    /// Runs the network to `time` in chunks so progress and interrupts are seen; false when stopped.
    func advance(to time: SimTime) -> Bool {
        let network = lab.network
        while network.now < time {
            network.run(until: time, maxEvents: 250_000)
            if let onProgress, !onProgress(network.now, network.sim.eventsFired) { return false }
        }
        return true
    }

    func apply(_ e: ScenarioEvent) throws(LabErrors) {
        let network = lab.network
        switch e.action {
        case let .linkDown(n, i), let .linkUp(n, i):
            let port = network.port(of: lab.node(n)!, named: i)!
            if let link = network.ports[port.index].link {
                if case .linkDown = e.action { network.setLink(link, up: false) } else { network.setLink(link, up: true) }
            }
        case let .shutdown(n, i), let .noShutdown(n, i):
            var shut = false
            if case .shutdown = e.action { shut = true }
            try lab.applyConfig(to: n, lines: ["interface \(i)", shut ? " shutdown" : " no shutdown"], file: scenario.displayName, line: e.line)
        case let .config(d, lines, first):
            try lab.applyConfig(to: d, lines: lines, file: scenario.displayName, line: first)
        case let .ping(name, from, to, count, size, timeout, source):
            let id = lab.node(from)!
            let target = try! address(to, line: e.line, column: e.column)
            if let h = network.ping(from: id, to: target, count: count, size: size, timeout: timeout, source: source.flatMap { network.pingSource($0, on: id) }) {
                probes[name] = (lab.nodeName(id), h)
                probeOrder.append(name)
            }
        case let .traceroute(name, from, to):
            let id = lab.node(from)!
            if let h = network.traceroute(from: id, to: try! address(to, line: e.line, column: e.column)) {
                probes[name] = (lab.nodeName(id), h)
                probeOrder.append(name)
            }
        case let .impair(n, i, output, input, impairment):
            let port = network.port(of: lab.node(n)!, named: i)!
            if output { network.impair(port, impairment) }
            if input, let peer = network.peer(of: port) { network.impair(peer, impairment) }
            network.record("\(n) \(i) impaired: loss \(impairment.loss * 100)%, delay \(impairment.delay), jitter \(impairment.jitter)")
        case .flap:
            break  // expanded into link-down and link-up steps
        case let .block(n, i, protocols, input, output, blocking):
            network.block(network.port(of: lab.node(n)!, named: i)!, protocols, input: input, output: output, blocking: blocking)
        case let .ignoreARPReplies(n, i):
            network.ignoreARPReplies(on: network.port(of: lab.node(n)!, named: i)!)
        case let .stop(d), let .reload(d, _):
            lab.stop(d)
        case let .start(d):
            lab.start(d)
        case let .join(d, group, i), let .leave(d, group, i):
            let node = network.ipNode(lab.node(d)!)!
            let index = i.flatMap { name in node.interfaces.firstIndex { $0.name == name } }
                ?? node.interfaces.firstIndex { !$0.addresses.isEmpty } ?? 0
            if case .join = e.action { node.join(group, on: index, network: network) } else { node.leave(group, on: index, network: network) }
            network.record("\(node.name) \(e.action.isJoin ? "joins" : "leaves") \(group) on \(node.interfaces[index].name)")
        case let .exec(d, commands):
            for c in commands {
                let output: String
                do { output = try lab.show(device: d, command: c) } catch { output = error.message }
                let key = "exec#\(execOutputs.count)", device = lab.nodeName(lab.node(d)!)
                execOutputs[key] = ProbeOutput(name: "\(c)  (at \(network.now))", device: device, output: output)
                probeOrder.append(key)
                network.record("\(device)# \(c)")
            }
        }
    }

    // MARK: - Expectations

    func describe(_ x: Expectation) -> String {
        if let name = x.name { return name }
        switch x.check {
        case let .show(d, c, contains, notContains, matches):
            let parts = contains.map { "contains \"\($0)\"" } + notContains.map { "does not contain \"\($0)\"" } + matches.map { "matches /\($0)/" }
            return "\(d): \(c) \(parts.joined(separator: ", "))"
        case let .ping(n, s, c):
            return "ping \(n)" + (s.map { " success \($0)" } ?? "") + c.map { " contains \"\($0)\"" }.joined()
        case let .traceroute(n, c): return "traceroute \(n)" + c.map { " contains \"\($0)\"" }.joined()
        case let .flow(n, r, m): return "flow \(n)" + (r.map { ", receiver \($0)" } ?? "") + ": " + m.map { "\($0.metric.rawValue) \($0.comparison)" }.joined(separator: ", ")
        case let .route(d, p, present, via, code):
            return "\(d): route \(p) \(present ? "present" : "absent")" + (via.map { " via \($0)" } ?? "") + (code.map { " code \($0)" } ?? "")
        case let .drops(d, i, r, c):
            return "drops" + (d.map { " on \($0)" } ?? "") + (i.map { " \($0)" } ?? "") + (r.map { " (\($0))" } ?? "") + " \(c)"
        case let .share(flows, ratio, tolerance):
            let r = ratio.map(Self.plainNumber).joined(separator: ":")
            return "share \(flows.joined(separator: ":")) = \(r) within \(Self.plainNumber(tolerance))%"
        case let .counter(d, interfaces, counter, since, comparison):
            return "\(d) \(interfaces.isEmpty ? "all interfaces" : interfaces.joined(separator: ",")): \(counter.rawValue)"
                + (since.map { " since \($0)" } ?? "") + " \(comparison)"
        case let .log(d, contains, matches, count):
            let what = contains.map { "containing \"\($0)\"" } ?? matches.map { "matching /\($0)/" } ?? ""
            return "log\(d.map { " of \($0)" } ?? "") lines \(what): count \(count)"
        }
    }

    /// A counter summed over the named interfaces of a device (all of its ports when none are named).
    func counterValue(_ device: String, _ interfaces: [String], _ counter: PortCounter) -> UInt64 {
        let network = lab.network
        let id = lab.node(device)!
        let ports = interfaces.isEmpty ? Array(network.ports(of: id)) : interfaces.compactMap { network.port(of: id, named: $0).map { network.ports[$0.index] } }
        return ports.reduce(0) { $0 &+ counter.value(of: $1) }
    }

    func evaluate(_ x: Expectation, index: Int = 0) -> ExpectationResult {
        let (passed, evidence) = check(x, index: index)
        return ExpectationResult(description: describe(x), time: "\(lab.network.now)", passed: passed, evidence: evidence, line: x.line)
    }

    func check(_ x: Expectation, index: Int = 0) -> (Bool, String) {
        let network = lab.network
        switch x.check {
        case let .counter(d, interfaces, counter, since, comparison):
            let now = counterValue(d, interfaces, counter)
            let base = since == nil ? 0 : counterBaselines[index] ?? 0
            let value = now &- min(base, now)
            let which = interfaces.isEmpty ? "all interfaces" : interfaces.joined(separator: ", ")
            let window = since.map { " since \($0): \(now) now, \(base) then" } ?? ""
            return (comparison.holds(Double(value)), "\(counter.rawValue) on \(d) \(which) = \(value)\(window) (want \(comparison))")
        case let .show(d, command, contains, notContains, matches):
            let output: String
            do { output = try lab.show(device: d, command: command) } catch { return (false, "\(error)") }
            var ok = contains.allSatisfy { output.contains($0) } && !notContains.contains { output.contains($0) }
            for pattern in matches {
                guard let regex = try? Regex(pattern) else { ok = false; continue }
                if !output.split(separator: "\n", omittingEmptySubsequences: false).contains(where: { $0.contains(regex) }) { ok = false }
            }
            return (ok, output)
        case let .ping(name, success, contains):
            guard let p = probes[name] else { return (false, "the ping '\(name)' has not started yet") }
            let (text, finished) = network.output(of: p.handle)
            guard finished else { return (false, text + "\n(still running)") }
            var ok = contains.allSatisfy { text.contains($0) }
            if let success, let rate = network.pingSuccessPercent(p.handle) { ok = ok && success.holds(Double(rate)) }
            return (ok, text)
        case let .traceroute(name, contains):
            guard let p = probes[name] else { return (false, "the traceroute '\(name)' has not started yet") }
            let (text, finished) = network.output(of: p.handle)
            return (finished && contains.allSatisfy { text.contains($0) }, text + (finished ? "" : "\n(still running)"))
        case let .flow(name, receiver, metrics):
            let flow = network.flows[flowIDs[name]!.index]
            let member = receiver.map { flow.receiver(lab.node($0)!) }
            var ok = true
            var lines: [String] = []
            for (metric, comparison) in metrics {
                let (value, shown) = member.map { measure(flow, $0, metric) } ?? measure(flow, metric)
                let holds = value.map(comparison.holds) ?? false
                ok = ok && holds
                lines.append("\(metric.rawValue) = \(shown) (want \(comparison))\(holds ? "" : "  <-- fails")")
            }
            if let member, let receiver {
                let lost = flow.sent >= member.delivered ? flow.sent - member.delivered : 0
                lines.append("sent \(flow.sent), delivered to \(receiver) \(member.delivered), lost \(lost)")
            } else {
                lines.append("sent \(flow.sent), delivered \(flow.delivered), lost \(flow.lost)")
            }
            return (ok, lines.joined(separator: "\n"))
        case let .route(d, prefix, present, via, code):
            guard let n = network.ipNode(lab.node(d)!) else { return (false, "\(d) is a switch and has no routing table") }
            let route = n.routes.selectedRoute(prefix)
            var ok = (route != nil) == present
            if present, let route {
                if let via { ok = ok && route.nextHops.contains { $0.gateway == via } }
                // The code `show ip route` prints (`O IA`, `O E2`), not only its owner's (`O`).
                if let code { ok = ok && route.code == code }
            }
            let shown = route.map { r in "\(r.code) \(r.prefix) [\(r.distance)/\(r.metric)] " +
                r.nextHops.map { h in h.gateway.map { "via \($0)" } ?? "directly connected, \(h.interface.map { n.interfaces[$0].name } ?? "")" }
                    .joined(separator: ", ") } ?? "no route for \(prefix)"
            return (ok, shown)
        case let .drops(d, i, reason, comparison):
            var count: UInt64
            if let d, let i, let port = network.port(of: lab.node(d)!, named: i) {
                let queue = network.ports[port.index].queue
                count = reason.map { queue.dropsByReason[$0] ?? 0 } ?? network.ports[port.index].outputDrops
                // Storm control drops on input, so its count is the port's, not the output queue's.
                if reason == .stormControl { count += network.ports[port.index].stormControlDrops }
                // So do RPF failures: counted on the interface the packet arrived on.
                if reason == .rpfFailure { count += network.ports[port.index].rpfFailureDrops }
            } else if let reason {
                count = network.drops[reason] ?? 0
            } else {
                count = network.drops.values.reduce(0, +)
            }
            return (comparison.holds(Double(count)), "drops = \(count) (want \(comparison))")
        case let .log(d, contains, matches, count):
            _ = network.stormEpisodes()  // storm lines are written when their 1-second window is read
            let records = d.map { network.logRecords(of: lab.node($0)!) } ?? network.logs
            let regex = matches.flatMap { try? Regex($0) }
            let hits = records.filter { r in contains.map { r.text.contains($0) } ?? regex.map { r.text.contains($0) } ?? false }
            let shown = hits.prefix(5).map { "\($0.time) \($0.device) \($0.text)" }
            return (count.holds(Double(hits.count)), "\(hits.count) matching log lines (want \(count))" + (shown.isEmpty ? "" : "\n" + shown.joined(separator: "\n")))
        case let .share(names, ratio, tolerance):
            let bytes = names.map { Double(network.flows[flowIDs[$0]!.index].bytesDelivered) }
            let total = bytes.reduce(0, +), ratioTotal = ratio.reduce(0, +)
            var ok = total > 0
            var lines = ["flow              bytes delivered    share   expected"]
            for (i, name) in names.enumerated() {
                let share = total > 0 ? bytes[i] / total : 0
                let expected = ratio[i] / ratioTotal
                let within = abs(share - expected) <= tolerance / 100 * expected
                ok = ok && within
                lines.append(name.padding(toLength: max(16, name.count), withPad: " ", startingAt: 0)
                             + String(format: " %16.0f  %6.2f%%   %6.2f%%", bytes[i], share * 100, expected * 100) + (within ? "" : "  <-- outside tolerance"))
            }
            return (ok, lines.joined(separator: "\n"))
        }
    }

    func measure(_ flow: Flow, _ metric: FlowMetric) -> (Double?, String) {
        func ms(_ d: SimDuration?) -> (Double?, String) {
            guard let d else { return (nil, "n/a (nothing delivered)") }
            return (Double(d.nanoseconds), "\(d)")
        }
        switch metric {
        case .delivered: return (flow.sent == 0 ? nil : flow.deliveredPercent, String(format: "%.2f%%", flow.deliveredPercent))
        case .lost: return (flow.sent == 0 ? nil : flow.lostPercent, String(format: "%.2f%%", flow.lostPercent))
        case .sent: return (Double(flow.sent), "\(flow.sent)")
        case .received: return (Double(flow.delivered), "\(flow.delivered)")
        case .lostPackets: return (Double(flow.lost), "\(flow.lost)")
        case .p50Delay: return ms(flow.delay.percentile(50))
        case .p99Delay: return ms(flow.delay.percentile(99))
        case .maxDelay: return ms(flow.delay.count == 0 ? nil : flow.delay.maximum)
        case .minDelay: return ms(flow.delay.count == 0 ? nil : flow.delay.minimum)
        case .jitter: return (Double(flow.jitter.nanoseconds), "\(flow.jitter)")
        case .throughput: return (flow.throughputBitsPerSecond, String(format: "%.0f bit/s", flow.throughputBitsPerSecond))
        }
    }

    /// A metric of what one member received of a flow to a group: sent is the flow's, the rest the member's.
    func measure(_ flow: Flow, _ member: FlowReceiver, _ metric: FlowMetric) -> (Double?, String) {
        func ms(_ d: SimDuration?) -> (Double?, String) {
            guard let d else { return (nil, "n/a (nothing delivered)") }
            return (Double(d.nanoseconds), "\(d)")
        }
        let sent = flow.sent, got = member.delivered
        let lost = sent >= got ? sent - got : 0
        let deliveredPercent = sent == 0 ? 0 : Double(got) * 100 / Double(sent)
        switch metric {
        case .delivered: return (sent == 0 ? nil : deliveredPercent, String(format: "%.2f%%", deliveredPercent))
        case .lost: return (sent == 0 ? nil : 100 - deliveredPercent, String(format: "%.2f%%", 100 - deliveredPercent))
        case .sent: return (Double(sent), "\(sent)")
        case .received: return (Double(got), "\(got)")
        case .lostPackets: return (Double(lost), "\(lost)")
        case .p50Delay: return ms(member.delay.percentile(50))
        case .p99Delay: return ms(member.delay.percentile(99))
        case .maxDelay: return ms(member.delay.count == 0 ? nil : member.delay.maximum)
        case .minDelay: return ms(member.delay.count == 0 ? nil : member.delay.minimum)
        case .jitter: return (Double(member.jitter.nanoseconds), "\(member.jitter)")
        case .throughput:
            guard let first = flow.firstSent, let last = member.lastArrival, last > first else { return (0, "0 bit/s") }
            let bps = Double(member.bytesDelivered) * 8 / (last - first).seconds
            return (bps, String(format: "%.0f bit/s", bps))
        }
    }

    /// The members a report lists for a flow to a group: those that received any of it and those an
    /// expectation names, by name.
    func reportedReceivers(_ flow: Flow) -> [FlowReceiver] {
        var nodes = flow.receivers.map(\.node)
        for x in scenario.expectations {
            if case let .flow(name, receiver?, _) = x.check, name == flow.spec.name, let id = lab.node(receiver), !nodes.contains(id) {
                nodes.append(id)
            }
        }
        return nodes.map { flow.receiver($0) }.sorted { lab.nodeName($0.node) < lab.nodeName($1.node) }
    }

    func report() -> ScenarioReport {
        let network = lab.network
        let storms = network.stormEpisodes().map { e in
            StormSummary(device: e.device, vlan: e.vlan, type: e.type == .unicast ? "unknown-unicast" : e.type.keyword,
                         start: "\(e.start)", end: e.end.map { "\($0)" }, peakPacketsPerSecond: e.peakPacketsPerSecond,
                         peakPercent: (e.peakPercent * 100).rounded() / 100, peakInterface: e.peakPort, macFlaps: e.macFlaps)
        }
        let flows = network.flows.map { f -> FlowSummary in
            func us(_ d: SimDuration?) -> Double? { d.map { Double($0.nanoseconds) / 1000 } }
            return FlowSummary(name: f.spec.name, sent: f.sent, delivered: f.delivered, lost: f.lost, deliveredPercent: f.deliveredPercent,
                               minDelayMicroseconds: f.delay.count == 0 ? nil : us(f.delay.minimum),
                               p50DelayMicroseconds: us(f.delay.percentile(50)), p99DelayMicroseconds: us(f.delay.percentile(99)),
                               maxDelayMicroseconds: f.delay.count == 0 ? nil : us(f.delay.maximum),
                               jitterMicroseconds: Double(f.jitter.nanoseconds) / 1000, throughputBitsPerSecond: f.throughputBitsPerSecond,
                               receivers: f.isMulticast ? reportedReceivers(f).map { r in
                                   let lost = f.sent >= r.delivered ? f.sent - r.delivered : 0
                                   let bps: Double = {
                                       guard let first = f.firstSent, let last = r.lastArrival, last > first else { return 0 }
                                       return Double(r.bytesDelivered) * 8 / (last - first).seconds
                                   }()
                                   return FlowSummary(name: lab.nodeName(r.node), sent: f.sent, delivered: r.delivered, lost: lost,
                                                      deliveredPercent: f.sent == 0 ? 0 : Double(r.delivered) * 100 / Double(f.sent),
                                                      minDelayMicroseconds: r.delay.count == 0 ? nil : us(r.delay.minimum),
                                                      p50DelayMicroseconds: us(r.delay.percentile(50)), p99DelayMicroseconds: us(r.delay.percentile(99)),
                                                      maxDelayMicroseconds: r.delay.count == 0 ? nil : us(r.delay.maximum),
                                                      jitterMicroseconds: Double(r.jitter.nanoseconds) / 1000, throughputBitsPerSecond: bps)
                               } : nil)
        }
        return ScenarioReport(scenario: scenario.name, topology: lab.topology.displayName, seed: network.seed, endTime: "\(network.now)",
                              events: network.sim.eventsFired, results: results, flows: flows,
                              probes: probeOrder.map {
                                  execOutputs[$0] ?? ProbeOutput(name: $0, device: probes[$0]!.device, output: network.output(of: probes[$0]!.handle).text)
                              },
                              warnings: lab.warnings.map(\.rendered) + lab.notes, ignored: lab.ignored.map(\.description),
                              storms: storms.isEmpty ? nil : storms)
    }
}

extension ScenarioReport {
    /// The human-readable report: every expectation PASS or FAIL with its evidence.
    public func text(verbose: Bool = false) -> String {
        var out: [String] = []
        out.append("Scenario \(scenario) on \(topology), seed \(seed): ran to \(endTime), \(events) events")
        if !warnings.isEmpty { out.append(contentsOf: warnings) }
        out.append(contentsOf: ignored)
        for p in probes {
            out.append("")
            out.append("\(p.device)# \(p.name)")
            out.append(p.output)
        }
        if !flows.isEmpty {
            out.append("")
            out.append("Flow                 Sent  Delivered   Lost%   p50 delay   p99 delay      Jitter   Throughput")
            // A flow to a group: its total row (every copy), then one row per member, indented.
            for f in flows.flatMap({ [$0] + ($0.receivers ?? []).map { r in var r = r; r.name = "  > " + r.name; return r } }) {
                func d(_ v: Double?) -> String { v.map { String(format: "%.3fms", $0 / 1000) } ?? "-" }
                func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
                    s.count >= n ? s : (left ? s + String(repeating: " ", count: n - s.count) : String(repeating: " ", count: n - s.count) + s)
                }
                out.append(pad(f.name, 16, left: true) + pad("\(f.sent)", 9) + pad("\(f.delivered)", 11)
                           + pad(String(format: "%.2f", f.sent == 0 ? 0 : 100 - f.deliveredPercent), 8)
                           + pad(d(f.p50DelayMicroseconds), 12) + pad(d(f.p99DelayMicroseconds), 12) + pad(d(f.jitterMicroseconds), 12)
                           + pad(String(format: "%.1fkbps", f.throughputBitsPerSecond / 1000), 13))
            }
        }
        if let storms {
            out.append("")
            out.append("Storm (Wirelab detection)  Vlan  Type             Start       End    Peak pps   Peak  Interface  MAC flaps")
            for st in storms {
                func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
                    s.count >= n ? s : (left ? s + String(repeating: " ", count: n - s.count) : String(repeating: " ", count: n - s.count) + s)
                }
                out.append(pad(st.device, 26, left: true) + pad("\(st.vlan)", 6) + "  " + pad(st.type, 15, left: true)
                           + pad(st.start, 7) + pad(st.end ?? "ongoing", 10) + pad("\(st.peakPacketsPerSecond)", 12)
                           + pad(String(format: "%.2f%%", st.peakPercent), 7) + "  " + pad(InterfaceName.short(st.peakInterface), 9, left: true)
                           + pad("\(st.macFlaps)", 11))
            }
        }
        out.append("")
        for r in results {
            out.append("\(r.passed ? "PASS" : "FAIL")  at \(r.time)  \(r.description)")
            if !r.passed || verbose {
                out.append(contentsOf: r.evidence.split(separator: "\n", omittingEmptySubsequences: false).map { "      | \($0)" })
            }
        }
        out.append("")
        out.append("\(passed) passed, \(failed) failed")
        return out.joined(separator: "\n")
    }

    /// The report as JSON with sorted keys (stable for machines and diffs).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}

extension ScenarioRunner {
    /// `2`, `1.5`: whole numbers without a fraction. Never converts a value an `Int` cannot hold.
    static func plainNumber(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
