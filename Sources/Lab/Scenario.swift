import Engine
import Fabric
import Foundation
import IOSConfig
import Wire

/// A scenario file: the topology it runs, seed, duration, traffic, timed events and expectations.
public struct ScenarioFile: Sendable {
    public var path: String
    public var displayName: String
    public var name: String
    public var description: String?
    public var topologyPath: String
    public var topologyLine: Int
    public var seed: UInt64 = 1
    public var duration: SimDuration = .seconds(60)
    /// The file is a topology, run as a scenario with nothing scheduled.
    public var isBareTopology = false
    public var flows: [FlowDefinition] = []
    public var events: [ScenarioEvent] = []
    public var expectations: [Expectation] = []
    /// `compare:` — queueing variants for `wirelab qos compare` (ignored by `wirelab run`).
    public var compare: CompareSection?
}

/// A flow as written (its source and destination resolve when the lab is built).
public struct FlowDefinition: Sendable {
    public var name: String
    public var from: String
    public var to: String
    public var pattern: String
    public var rate: Bandwidth?
    public var interval: SimDuration?
    public var size: Int
    public var tos: UInt8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var start: SimDuration
    public var stop: SimDuration?
    public var on: SimDuration?
    public var off: SimDuration?
    public var line: Int
    public var column: Int = 0

    /// The shortest gap between a flow's packets: 100 million packets a second, far above any one
    /// source's line rate, and a bound that keeps virtual time moving (a zero gap would never advance it).
    public static let minimumInterval = SimDuration(nanoseconds: 10)
    public static let maximumPacketRate = 1_000_000_000 / 10
    /// The highest offered rate a flow may ask for: the fastest link (`TopologyFile.maximumBandwidth`).
    public static let maximumRate = TopologyFile.maximumBandwidth
}

/// Something a scenario does at a time.
public struct ScenarioEvent: Sendable {
    public enum Action: Sendable {
        case linkDown(node: String, interface: String)
        case linkUp(node: String, interface: String)
        case shutdown(node: String, interface: String)
        case noShutdown(node: String, interface: String)
        case config(device: String, lines: [String], firstLine: Int)
        case ping(name: String, from: String, to: String, count: Int, size: Int, timeout: SimDuration, source: String?)
        case traceroute(name: String, from: String, to: String)
        /// Exec commands typed at a device's prompt at that time (`debug arp`, `undebug all`, `show ...`).
        case exec(device: String, commands: [String])
        /// Power off (state lost, configuration kept) and on again (configuration applied, protocols start over).
        case stop(device: String)
        case start(device: String)
        /// `stop` now and `start` once `boot` has passed.
        case reload(device: String, boot: SimDuration)
        /// A host group joined or left on an interface (nil: the device's first interface with an address).
        case join(device: String, group: IPv4Address, interface: String?)
        case leave(device: String, group: IPv4Address, interface: String?)
        /// Loss, delay and jitter on the frames leaving an endpoint, arriving at it, or both (none: cleared).
        case impair(node: String, interface: String, output: Bool, input: Bool, impairment: LinkImpairment)
        /// The link goes down for `down`, then up for `up`, `count` times (expanded into link-down and link-up).
        case flap(node: String, interface: String, down: SimDuration, up: SimDuration, count: Int)
        /// Frames of some protocols dropped on an interface (`block`), or let through again (`unblock`).
        case block(node: String, interface: String, protocols: [BlockedProtocol], input: Bool, output: Bool, blocking: Bool)
        /// The interface ignores every ARP reply until the device is reloaded.
        case ignoreARPReplies(node: String, interface: String)
    }
    public var at: SimDuration
    public var action: Action
    public var line: Int
    public var column: Int = 0
}

extension ScenarioEvent.Action {
    var isJoin: Bool { if case .join = self { true } else { false } }
}

/// A numeric comparison as written: `>= 99%`, `< 20ms`, `== 0`.
public struct Comparison: Sendable, CustomStringConvertible {
    public enum Operator: String, Sendable { case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "==", ne = "!=" }
    public var op: Operator
    public var value: Double
    public var text: String

    public func holds(_ x: Double) -> Bool {
        let epsilon = 1e-9 * max(1, abs(value))
        switch op {
        case .lt: return x < value - epsilon
        case .le: return x <= value + epsilon
        case .gt: return x > value + epsilon
        case .ge: return x >= value - epsilon
        case .eq: return abs(x - value) <= epsilon
        case .ne: return abs(x - value) > epsilon
        }
    }
    public var description: String { text }
}

/// What an expectation checks.
public struct Expectation: Sendable {
    public enum Check: Sendable {
        case show(device: String, command: String, contains: [String], notContains: [String], matches: [String])
        case ping(name: String, success: Comparison?, contains: [String])
        case traceroute(name: String, contains: [String])
        /// A flow's metrics; with `receiver`, what that member received of a flow to a group.
        case flow(name: String, receiver: String?, metrics: [(metric: FlowMetric, comparison: Comparison)])
        case route(device: String, prefix: IPv4Prefix, present: Bool, via: IPv4Address?, code: String?)
        case drops(device: String?, interface: String?, reason: DropReason?, comparison: Comparison)
        /// Delivered bytes split between flows in a ratio, each within a relative tolerance.
        case share(flows: [String], ratio: [Double], tolerancePercent: Double)
        /// Syslog lines (of one device, or of all) containing a text or matching a regular expression, counted.
        case log(device: String?, contains: String?, matches: String?, count: Comparison)
        /// An interface counter summed over a device's interfaces (all of them when none are named); with
        /// `since`, only what it counted after that time.
        case counter(device: String, interfaces: [String], counter: PortCounter, since: SimDuration?, comparison: Comparison)
    }
    public var name: String?
    /// Nil: at the end of the run.
    public var at: SimDuration?
    public var check: Check
    public var line: Int
    public var column: Int = 0
}

/// The interface counters a `counter` expectation reads, as `show interfaces` (and a switch's flooding) count them.
public enum PortCounter: String, Sendable, CaseIterable {
    case inputPackets = "input-packets", inputBytes = "input-bytes", inputDrops = "input-drops"
    case inputBroadcasts = "input-broadcasts", inputMulticasts = "input-multicasts"
    case outputPackets = "output-packets", outputBytes = "output-bytes", outputDrops = "output-drops"
    case outputBroadcasts = "output-broadcasts", outputMulticasts = "output-multicasts"
    /// Frames (and their bytes) a switch flooded out of the port: unknown unicast, broadcast, multicast.
    case outputFlooded = "output-flooded", outputFloodedBytes = "output-flooded-bytes"
    /// Frames a switch sent out of the port from its MAC table.
    case outputForwarded = "output-forwarded"
    case rpfFailures = "rpf-failures", stormControlDrops = "storm-control-drops"

    public func value(of p: Fabric.Port) -> UInt64 {
        switch self {
        case .inputPackets: p.inputPackets
        case .inputBytes: p.inputBytes
        case .inputDrops: p.inputDrops
        case .inputBroadcasts: p.inputBroadcasts
        case .inputMulticasts: p.inputMulticasts
        case .outputPackets: p.outputPackets
        case .outputBytes: p.outputBytes
        case .outputDrops: p.outputDrops
        case .outputBroadcasts: p.outputBroadcasts
        case .outputMulticasts: p.outputMulticasts
        case .outputFlooded: p.outputFlooded
        case .outputFloodedBytes: p.outputFloodedBytes
        case .outputForwarded: p.outputForwarded
        case .rpfFailures: p.rpfFailureDrops
        case .stormControlDrops: p.stormControlDrops
        }
    }
}

/// Flow metrics expectations can compare.
public enum FlowMetric: String, Sendable, CaseIterable {
    case delivered, lost, sent, received = "delivered-packets", lostPackets = "lost-packets"
    case p50Delay = "p50-delay", p99Delay = "p99-delay", maxDelay = "max-delay", minDelay = "min-delay"
    case jitter, throughput

    enum Unit { case percent, count, duration, bandwidth }
    var unit: Unit {
        switch self {
        case .delivered, .lost: return .percent
        case .sent, .received, .lostPackets: return .count
        case .p50Delay, .p99Delay, .maxDelay, .minDelay, .jitter: return .duration
        case .throughput: return .bandwidth
        }
    }
}

extension ScenarioFile {
    /// The largest number in a `share` ratio (a million to one is already beyond what a run can measure).
    static let maximumShareRatio = 1_000_000.0
    static let eventKeys = ["link-down", "link-up", "shutdown", "no-shutdown", "config", "ping", "traceroute", "exec", "stop", "start", "reload", "join", "leave",
                            "impair", "flap", "block", "unblock", "ignore-arp-replies"]

    /// Parses a scenario; the topology path is resolved against the scenario's folder.
    public static func parse(path: String, displayName: String? = nil) throws(LabErrors) -> ScenarioFile {
        let display = displayName ?? path
        let root: YAMLValue
        do { (root, _) = try YAMLFile.load(path, displayName: display) } catch { throw LabErrors([error]) }
        var scenario = ScenarioFile(path: path, displayName: display, name: "", topologyPath: "", topologyLine: 1)
        var errors: [LabError] = []
        do throws(LabError) {
            let entries = try root.mapping("the scenario")
            // A topology file given where a scenario is expected runs as it is: no traffic, events or
            // expectations, for the default duration (`wirelab show lab.yaml --at 60s R1 "show ip route"`).
            if entries.contains(where: { $0.key == "nodes" }) && !entries.contains(where: { $0.key == "topology" }) {
                scenario.topologyPath = path
                scenario.name = ((display as NSString).lastPathComponent as NSString).deletingPathExtension
                scenario.isBareTopology = true
                return scenario
            }
            try checkKeys(entries, allowed: ["name", "description", "topology", "seed", "duration", "traffic", "events", "expectations",
                                          "compare"],
                          in: "the scenario")
            for e in entries {
                do throws(LabError) {
                    switch e.key {
                    case "name": scenario.name = try e.value.string("name")
                    case "description": scenario.description = try e.value.string("description")
                    case "topology":
                        let relative = try e.value.string("topology")
                        let base = (path as NSString).deletingLastPathComponent
                        scenario.topologyPath = relative.hasPrefix("/") ? relative : (base.isEmpty ? relative : base + "/" + relative)
                        scenario.topologyLine = e.value.line
                        if !FileManager.default.fileExists(atPath: scenario.topologyPath) {
                            throw e.value.error("topology file '\(relative)' not found (looked for \(scenario.topologyPath))")
                        }
                    case "seed":
                        let text = try e.value.string("seed")
                        guard let s = UInt64(text) else { throw e.value.error("expected a non-negative whole number for seed, found '\(text)'") }
                        scenario.seed = s
                    case "duration":
                        scenario.duration = try duration(e.value, "duration")
                        if scenario.duration <= .zero { throw e.value.error("duration must be positive") }
                    case "traffic":
                        for item in try e.value.sequence("traffic") {
                            do throws(LabError) { scenario.flows.append(try parseFlow(item)) } catch { errors.append(error) }
                        }
                    case "events":
                        for item in try e.value.sequence("events") {
                            do throws(LabError) { scenario.events.append(try parseEvent(item)) } catch { errors.append(error) }
                        }
                    case "expectations":
                        for item in try e.value.sequence("expectations") {
                            do throws(LabError) { scenario.expectations.append(try parseExpectation(item)) } catch { errors.append(error) }
                        }
                    case "compare": scenario.compare = try parseCompare(e.value)
                    default: break
                    }
                } catch { errors.append(error) }
            }
            if scenario.topologyPath.isEmpty && !errors.contains(where: { $0.message.contains("topology") }) {
                throw root.error("the scenario has no 'topology' (the topology file it runs)")
            }
        } catch { errors.append(error) }
        if scenario.name.isEmpty { scenario.name = ((display as NSString).lastPathComponent as NSString).deletingPathExtension }
        let names = scenario.flows.map(\.name)
        for (i, f) in scenario.flows.enumerated() where names[..<i].contains(f.name) {
            errors.append(LabError(file: display, line: f.line, column: f.column, "flow name '\(f.name)' is used twice"))
        }
        guard errors.isEmpty else { throw LabErrors(errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
        return scenario
    }

    static func duration(_ v: YAMLValue, _ what: String) throws(LabError) -> SimDuration {
        let text = try v.string(what)
        guard let d = Units.duration(text) else {
            throw v.error("cannot read \(what) '\(text)' (expected a duration like 500ms, 30s or 2m)")
        }
        return d
    }

    static func time(_ v: YAMLValue, _ what: String) throws(LabError) -> SimDuration {
        let d = try duration(v, what)
        if d < .zero { throw v.error("\(what) \(d) is before the start of the run (times count from 0)") }
        return d
    }

    static func endpoint(_ v: YAMLValue, _ what: String) throws(LabError) -> (String, String) {
        let text = try v.string(what)
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw v.error("expected NODE:Interface for \(what), found '\(text)'") }
        do { return (parts[0], try InterfaceName(parts[1]).description) } catch {
            throw v.error("'\(parts[1])' is not an interface name (\(error.message))")
        }
    }

    /// `direction: in | out | both` as (input, output).
    static func direction(_ m: [(key: String, keyNode: YAMLValue, value: YAMLValue)], default d: (Bool, Bool)) throws(LabError) -> (Bool, Bool) {
        guard let e = m.first(where: { $0.key == "direction" }) else { return d }
        switch try e.value.string("direction").lowercased() {
        case "in": return (true, false)
        case "out": return (false, true)
        case "both": return (true, true)
        case let other: throw e.value.error("direction must be in, out or both, found '\(other)'")
        }
    }

    static func parseFlow(_ item: YAMLValue) throws(LabError) -> FlowDefinition {
        let entries = try item.mapping("a traffic flow")
        try checkKeys(entries, allowed: ["name", "from", "to", "pattern", "rate", "interval", "size", "dscp", "precedence", "tos",
                                         "source-port", "destination-port", "start", "stop", "on", "off", "protocol"], in: "a traffic flow")
        var f = FlowDefinition(name: "", from: "", to: "", pattern: "cbr", size: 1000, tos: 0, sourcePort: 5000, destinationPort: 5001,
                               start: .zero, line: item.line, column: item.column)
        var rateNode: YAMLValue?
        var stopNode: YAMLValue?
        for e in entries {
            switch e.key {
            case "name": f.name = try e.value.string("name")
            case "from": f.from = try e.value.string("from")
            case "to": f.to = try e.value.string("to")
            case "protocol":
                let p = try e.value.string("protocol")
                if p.lowercased() != "udp" { throw e.value.error("traffic protocol '\(p)' is not supported (expected udp)") }
            case "pattern":
                f.pattern = try e.value.string("pattern").lowercased()
                if !["cbr", "poisson", "onoff", "on-off"].contains(f.pattern) {
                    throw e.value.error("unknown pattern '\(f.pattern)' (expected cbr, poisson or onoff)")
                }
            case "rate":
                let text = try e.value.string("rate")
                guard let r = Units.bandwidth(text) else { throw e.value.error("cannot read rate '\(text)' (expected a rate like 64kbps or 1.5M)") }
                guard r <= FlowDefinition.maximumRate else {
                    throw e.value.error("rate \(text) is more than a flow can offer (expected at most 400 Gbit/s, the fastest link Wirelab models)")
                }
                f.rate = r
                rateNode = e.value
            case "interval":
                let d = try duration(e.value, "interval")
                guard d >= FlowDefinition.minimumInterval else {
                    throw e.value.error("interval \(try e.value.string("interval")) is too short (expected at least \(FlowDefinition.minimumInterval) between packets, \(FlowDefinition.maximumPacketRate / 1_000_000) million packets a second)")
                }
                f.interval = d
            case "size": f.size = try e.value.int("size", in: FlowSpec.minimumPacketSize...9000)
            case "dscp":
                let text = try e.value.string("dscp")
                guard let d = dscpValue(text) else { throw e.value.error("unknown DSCP '\(text)' (expected 0-63 or a name like ef, af41, cs3)") }
                f.tos = d << 2
            case "precedence": f.tos = UInt8(try e.value.int("precedence", in: 0...7)) << 5
            case "tos": f.tos = UInt8(try e.value.int("tos", in: 0...255))
            case "source-port": f.sourcePort = UInt16(try e.value.int("source-port", in: 1...65535))
            case "destination-port": f.destinationPort = UInt16(try e.value.int("destination-port", in: 1...65535))
            case "start": f.start = try time(e.value, "start")
            case "stop": f.stop = try time(e.value, "stop"); stopNode = e.value
            case "on":
                let d = try duration(e.value, "on")
                guard d > .zero else { throw e.value.error("on must be a positive duration (the length of a burst), found \(try e.value.string("on"))") }
                f.on = d
            case "off":
                let d = try duration(e.value, "off")
                guard d >= .zero else { throw e.value.error("off must be a duration of zero or more (the silence between bursts), found \(try e.value.string("off"))") }
                f.off = d
            default: break
            }
        }
        if f.name.isEmpty { throw item.error("a flow needs a 'name'") }
        if f.from.isEmpty || f.to.isEmpty { throw item.error("flow \(f.name) needs 'from' (a host or router) and 'to' (a node or an address)") }
        if f.rate == nil && f.interval == nil { throw item.error("flow \(f.name) needs a 'rate' (like 256kbps) or an 'interval' (like 10ms)") }
        if f.pattern.hasPrefix("on"), f.on == nil || f.off == nil { throw item.error("an onoff flow needs 'on' and 'off' durations") }
        if let rate = f.rate, f.interval == nil, let rateNode {
            // The packet gap the rate gives must be one the engine can step: at least minimumInterval.
            let gap = Double(f.size * 8) / Double(rate.bitsPerSecond) * 1e9
            if gap < Double(FlowDefinition.minimumInterval.nanoseconds) {
                throw rateNode.error("rate \(try rateNode.string("rate")) with \(f.size)-byte packets is more than \(FlowDefinition.maximumPacketRate / 1_000_000) million packets a second (use larger packets or a lower rate)")
            }
        }
        if let stop = f.stop, let stopNode, stop <= f.start {
            throw stopNode.error("flow \(f.name) stops at \(stop), not after it starts (\(f.start))")
        }
        return f
    }

    static func dscpValue(_ text: String) -> UInt8? {
        if let n = UInt8(text), n < 64 { return n }
        let t = text.lowercased()
        if t == "ef" { return 46 }
        if t == "default" || t == "be" { return 0 }
        if t.hasPrefix("cs"), let n = UInt8(t.dropFirst(2)), n < 8 { return n << 3 }
        if t.hasPrefix("af"), t.count == 4, let c = UInt8(String(t.dropFirst(2).prefix(1))), let d = UInt8(String(t.suffix(1))),
           (1...4).contains(c), (1...3).contains(d) { return c << 3 | d << 1 }
        return nil
    }

    static func parseEvent(_ item: YAMLValue) throws(LabError) -> ScenarioEvent {
        let entries = try item.mapping("an event")
        try checkKeys(entries, allowed: ["at"] + eventKeys, in: "an event")
        guard let atEntry = entries.first(where: { $0.key == "at" }) else { throw item.error("an event needs 'at' (a time like 10s)") }
        let at = try time(atEntry.value, "event time")
        let actions = entries.filter { $0.key != "at" }
        guard actions.count == 1, let a = actions.first else {
            throw item.error("an event needs exactly one action (\(eventKeys.joined(separator: ", ")))")
        }
        let action: ScenarioEvent.Action
        switch a.key {
        case "link-down": let (n, i) = try endpoint(a.value, "link-down"); action = .linkDown(node: n, interface: i)
        case "link-up": let (n, i) = try endpoint(a.value, "link-up"); action = .linkUp(node: n, interface: i)
        case "shutdown": let (n, i) = try endpoint(a.value, "shutdown"); action = .shutdown(node: n, interface: i)
        case "no-shutdown": let (n, i) = try endpoint(a.value, "no-shutdown"); action = .noShutdown(node: n, interface: i)
        case "config":
            let m = try a.value.mapping("config")
            try checkKeys(m, allowed: ["device", "lines"], in: "config")
            guard let d = m.first(where: { $0.key == "device" }), let l = m.first(where: { $0.key == "lines" }) else {
                throw a.value.error("config needs 'device' and 'lines'")
            }
            let text = try l.value.string("lines")
            let block = l.value.node.scalar?.style == .literal || l.value.node.scalar?.style == .folded
            action = .config(device: try d.value.string("device"), lines: text.components(separatedBy: "\n").filter { !$0.isEmpty },
                             firstLine: block ? l.value.line + 1 : l.value.line)
        case "join", "leave":
            let m = try a.value.mapping(a.key)
            try checkKeys(m, allowed: ["device", "group", "interface"], in: a.key)
            guard let d = m.first(where: { $0.key == "device" }), let g = m.first(where: { $0.key == "group" }) else {
                throw a.value.error("\(a.key) needs 'device' and 'group'")
            }
            let text = try g.value.string("group")
            guard let group = IPv4Address(text), group.isMulticast, !group.isLinkLocalMulticast else {
                throw g.value.error("expected a multicast group outside 224.0.0.0/24 like 239.1.1.1, found '\(text)'")
            }
            var interface: String?
            if let i = m.first(where: { $0.key == "interface" }) {
                let name = try i.value.string("interface")
                do { interface = try InterfaceName(name).description } catch { throw i.value.error("'\(name)' is not an interface name") }
            }
            let device = try d.value.string("device")
            action = a.key == "join" ? .join(device: device, group: group, interface: interface)
                : .leave(device: device, group: group, interface: interface)
        case "impair":
            let m = try a.value.mapping("impair")
            try checkKeys(m, allowed: ["link", "direction", "loss", "delay", "jitter", "clear"], in: "impair")
            guard let l = m.first(where: { $0.key == "link" }) else { throw a.value.error("impair needs 'link' (NODE:Interface, one end of the link)") }
            let (n, i) = try endpoint(l.value, "link")
            let (input, output) = try direction(m, default: (true, true))
            var impairment = LinkImpairment()
            let clear = try m.first { $0.key == "clear" }?.value.bool("clear") ?? false
            if let e = m.first(where: { $0.key == "loss" }) {
                let text = try e.value.string("loss")
                guard let p = Units.percent(text), p.isFinite, (0...100).contains(p) else {
                    throw e.value.error("expected a loss rate between 0% and 100%, like 2%, found '\(text)'")
                }
                impairment.loss = p / 100
            }
            for key in ["delay", "jitter"] {
                guard let e = m.first(where: { $0.key == key }) else { continue }
                let d = try duration(e.value, key)
                guard d >= .zero, d <= TopologyFile.maximumDelay else {
                    throw e.value.error("\(key) must be between 0s and 10s, found \(try e.value.string(key))")
                }
                if key == "delay" { impairment.delay = d } else { impairment.jitter = d }
            }
            if clear {
                guard m.count == (m.contains { $0.key == "direction" } ? 3 : 2) else {
                    throw a.value.error("impair with 'clear: true' takes only 'link' (and 'direction')")
                }
                impairment = LinkImpairment()
            } else if impairment.isNone {
                throw a.value.error("impair needs 'loss', 'delay' or 'jitter' (or 'clear: true' to remove an impairment)")
            }
            action = .impair(node: n, interface: i, output: output, input: input, impairment: impairment)
        case "flap":
            let m = try a.value.mapping("flap")
            try checkKeys(m, allowed: ["link", "down", "up", "count"], in: "flap")
            guard let l = m.first(where: { $0.key == "link" }) else { throw a.value.error("flap needs 'link' (NODE:Interface)") }
            let (n, i) = try endpoint(l.value, "link")
            var down = SimDuration.seconds(1), up = SimDuration.seconds(1), count = 1
            for e in m {
                switch e.key {
                case "down", "up":
                    let d = try duration(e.value, e.key)
                    guard d > .zero, d <= .seconds(3600) else { throw e.value.error("\(e.key) must be a duration above 0s and at most 1h") }
                    if e.key == "down" { down = d } else { up = d }
                case "count": count = try e.value.int("count", in: 1...1000)
                default: break
                }
            }
            action = .flap(node: n, interface: i, down: down, up: up, count: count)
        case "block", "unblock":
            let m = try a.value.mapping(a.key)
            try checkKeys(m, allowed: ["interface", "protocol", "direction"], in: a.key)
            guard let f = m.first(where: { $0.key == "interface" }) else { throw a.value.error("\(a.key) needs 'interface' (NODE:Interface)") }
            let (n, i) = try endpoint(f.value, "interface")
            let names = BlockedProtocol.allCases.map(\.rawValue).joined(separator: ", ")
            var protocols: [BlockedProtocol] = []
            if let p = m.first(where: { $0.key == "protocol" }) {
                for item in p.value.isSequence ? try p.value.sequence("protocol") : [p.value] {
                    let text = try item.string("protocol")
                    guard let bp = BlockedProtocol(rawValue: text.lowercased()) else {
                        throw item.error("unknown protocol '\(text)' (expected one of: \(names))")
                    }
                    protocols.append(bp)
                }
            } else if a.key == "block" {
                throw a.value.error("block needs 'protocol' (one of: \(names))")
            } else {
                protocols = BlockedProtocol.allCases
            }
            let (input, output) = try direction(m, default: (true, true))
            action = .block(node: n, interface: i, protocols: protocols, input: input, output: output, blocking: a.key == "block")
        case "ignore-arp-replies":
            let (n, i) = try endpoint(a.value, "ignore-arp-replies")
            action = .ignoreARPReplies(node: n, interface: i)
        case "stop": action = .stop(device: try a.value.string("stop"))
        case "start": action = .start(device: try a.value.string("start"))
        case "reload":
            if a.value.isMapping {
                let m = try a.value.mapping("reload")
                try checkKeys(m, allowed: ["device", "boot"], in: "reload")
                guard let d = m.first(where: { $0.key == "device" }) else { throw a.value.error("reload needs 'device'") }
                var boot = SimDuration.zero
                if let b = m.first(where: { $0.key == "boot" }) {
                    boot = try duration(b.value, "boot")
                    guard boot >= .zero, boot <= .seconds(3600) else { throw b.value.error("boot must be between 0s and 1h") }
                }
                action = .reload(device: try d.value.string("device"), boot: boot)
            } else {
                action = .reload(device: try a.value.string("reload"), boot: .zero)
            }
        case "exec":
            let m = try a.value.mapping("exec")
            try checkKeys(m, allowed: ["device", "command", "commands"], in: "exec")
            guard let d = m.first(where: { $0.key == "device" }) else { throw a.value.error("exec needs 'device' and 'command'") }
            var commands: [String] = []
            for c in m where c.key == "command" || c.key == "commands" {
                if c.value.isSequence {
                    commands += try c.value.sequence(c.key).map { x throws(LabError) in try x.string("command") }
                } else {
                    commands.append(try c.value.string(c.key))
                }
            }
            if commands.isEmpty { throw a.value.error("exec needs 'command' (like \"debug arp\") or 'commands' (a list)") }
            action = .exec(device: try d.value.string("device"), commands: commands)
        case "ping", "traceroute":
            let m = try a.value.mapping(a.key)
            try checkKeys(m, allowed: ["name", "from", "to", "count", "size", "timeout", "source"], in: a.key)
            func s(_ k: String) throws(LabError) -> String? { try m.first { $0.key == k }?.value.string(k) }
            guard let from = try s("from"), let to = try s("to") else { throw a.value.error("\(a.key) needs 'from' and 'to'") }
            let name = try s("name") ?? "\(a.key)-\(from)-\(to)"
            if a.key == "ping" {
                // IOS sends one echo to a group unless told otherwise, five to an address.
                let count = try m.first { $0.key == "count" }?.value.int("count", in: 1...100000)
                    ?? (IPv4Address(to)?.isMulticast == true ? 1 : 5)
                let size = try m.first { $0.key == "size" }?.value.int("size", in: 36...18024) ?? 100
                let timeout = try m.first { $0.key == "timeout" }.map { e throws(LabError) -> SimDuration in
                    let d = try duration(e.value, "timeout")
                    // IOS `ping ... timeout <0-3600>` (seconds).
                    guard d >= .zero, d <= .seconds(3600) else {
                        throw e.value.error("ping timeout must be between 0s and 3600s (as IOS accepts), found \(try e.value.string("timeout"))")
                    }
                    return d
                } ?? .seconds(2)
                action = .ping(name: name, from: from, to: to, count: count, size: size, timeout: timeout, source: try s("source"))
            } else {
                action = .traceroute(name: name, from: from, to: to)
            }
        default: throw a.keyNode.error("unknown event action '\(a.key)'")
        }
        return ScenarioEvent(at: at, action: action, line: item.line, column: item.column)
    }

    static func comparison(_ v: YAMLValue, unit: FlowMetric.Unit, what: String) throws(LabError) -> Comparison {
        let text = try v.string(what).trimmingCharacters(in: .whitespaces)
        var op = Comparison.Operator.ge
        var rest = Substring(text)
        for candidate in [Comparison.Operator.le, .ge, .eq, .ne, .lt, .gt] where rest.hasPrefix(candidate.rawValue) {
            op = candidate
            rest = rest.dropFirst(candidate.rawValue.count)
            break
        }
        let valueText = rest.trimmingCharacters(in: .whitespaces)
        let value: Double?
        switch unit {
        case .percent: value = Units.percent(valueText)
        case .count: value = Double(valueText)
        case .duration: value = Units.duration(valueText).map { Double($0.nanoseconds) }
        case .bandwidth: value = Units.bandwidth(valueText).map { Double($0.bitsPerSecond) }
        }
        guard let value, value.isFinite, unit != .percent || (0...100).contains(value) else {
            let example = switch unit { case .percent: ">= 99%"; case .count: "> 0"; case .duration: "< 20ms"; case .bandwidth: ">= 1.2mbps" }
            throw v.error("cannot read the comparison '\(text)' for \(what) (expected something like '\(example)')")
        }
        return Comparison(op: op, value: value, text: "\(op.rawValue) \(valueText)")
    }

    static func parseExpectation(_ item: YAMLValue) throws(LabError) -> Expectation {
        let entries = try item.mapping("an expectation")
        var at: SimDuration?
        var name: String?
        func strings(_ key: String) throws(LabError) -> [String] {
            guard let e = entries.first(where: { $0.key == key }) else { return [] }
            if e.value.isSequence { return try e.value.sequence(key).map { x throws(LabError) in try x.string(key) } }
            return [try e.value.string(key)]
        }
        func value(_ key: String) throws(LabError) -> String? { try entries.first { $0.key == key }?.value.string(key) }
        if let e = entries.first(where: { $0.key == "at" }) {
            if (try? e.value.string("at")) == "end" { at = nil } else { at = try time(e.value, "expectation time") }
        }
        name = try value("name")
        let check: Expectation.Check
        if entries.contains(where: { $0.key == "command" }) {
            try checkKeys(entries, allowed: ["at", "name", "device", "command", "contains", "not-contains", "matches"], in: "a show expectation")
            guard let device = try value("device") else { throw item.error("a show expectation needs 'device'") }
            let matches = try strings("matches")
            for (i, pattern) in matches.enumerated() {
                if (try? Regex(pattern)) == nil {
                    let node = entries.first { $0.key == "matches" }!.value
                    throw (node.isSequence ? ((try? node.sequence("matches"))?[i] ?? node) : node).error("'\(pattern)' is not a valid regular expression")
                }
            }
            check = .show(device: device, command: try value("command")!, contains: try strings("contains"),
                          notContains: try strings("not-contains"), matches: matches)
            if case let .show(_, _, c, n, m) = check, c.isEmpty && n.isEmpty && m.isEmpty {
                throw item.error("a show expectation needs 'contains', 'not-contains' or 'matches'")
            }
        } else if let p = try value("ping") {
            try checkKeys(entries, allowed: ["at", "name", "ping", "success", "contains"], in: "a ping expectation")
            let success = try entries.first { $0.key == "success" }.map { e throws(LabError) in try comparison(e.value, unit: .percent, what: "success") }
            check = .ping(name: p, success: success, contains: try strings("contains"))
        } else if let t = try value("traceroute") {
            try checkKeys(entries, allowed: ["at", "name", "traceroute", "contains"], in: "a traceroute expectation")
            check = .traceroute(name: t, contains: try strings("contains"))
        } else if let f = try value("flow") {
            let metricKeys = FlowMetric.allCases.map(\.rawValue)
            try checkKeys(entries, allowed: ["at", "name", "flow", "receiver"] + metricKeys, in: "a flow expectation")
            var metrics: [(FlowMetric, Comparison)] = []
            for e in entries {
                if let m = FlowMetric(rawValue: e.key) { metrics.append((m, try comparison(e.value, unit: m.unit, what: e.key))) }
            }
            if metrics.isEmpty { throw item.error("a flow expectation needs a metric (\(metricKeys.joined(separator: ", ")))") }
            check = .flow(name: f, receiver: try value("receiver"), metrics: metrics)
        } else if let e = entries.first(where: { $0.key == "route" }) {
            try checkKeys(entries, allowed: ["at", "name", "route"], in: "a route expectation")
            let m = try e.value.mapping("route")
            try checkKeys(m, allowed: ["device", "prefix", "present", "via", "code"], in: "route")
            func s(_ k: String) throws(LabError) -> String? { try m.first { $0.key == k }?.value.string(k) }
            guard let device = try s("device"), let prefixText = try s("prefix") else { throw e.value.error("route needs 'device' and 'prefix'") }
            guard let prefix = IPv4Prefix(prefixText) else { throw e.value.error("expected a prefix like 10.1.0.0/16, found '\(prefixText)'") }
            let present = try m.first { $0.key == "present" }?.value.bool("present") ?? true
            var via: IPv4Address?
            if let v = try s("via") {
                guard let a = IPv4Address(v) else { throw e.value.error("expected an address for via, found '\(v)'") }
                via = a
            }
            check = .route(device: device, prefix: prefix, present: present, via: via, code: try s("code"))
        } else if let e = entries.first(where: { $0.key == "drops" }) {
            try checkKeys(entries, allowed: ["at", "name", "drops"], in: "a drops expectation")
            let m = try e.value.mapping("drops")
            try checkKeys(m, allowed: ["device", "interface", "reason", "count"], in: "drops")
            func s(_ k: String) throws(LabError) -> String? { try m.first { $0.key == k }?.value.string(k) }
            var reason: DropReason?
            if let r = try s("reason") {
                guard let dr = DropReason(rawValue: r) else {
                    throw e.value.error("unknown drop reason '\(r)' (expected one of: \(DropReason.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                reason = dr
            }
            guard let countNode = m.first(where: { $0.key == "count" }) else { throw e.value.error("drops needs 'count' (like '> 0')") }
            var interface: String?
            if let i = try s("interface") {
                do { interface = try InterfaceName(i).description } catch { throw e.value.error("'\(i)' is not an interface name") }
            }
            check = .drops(device: try s("device"), interface: interface, reason: reason,
                           comparison: try comparison(countNode.value, unit: .count, what: "count"))
        } else if let e = entries.first(where: { $0.key == "share" }) {
            try checkKeys(entries, allowed: ["at", "name", "share"], in: "a share expectation")
            let m = try e.value.mapping("share")
            try checkKeys(m, allowed: ["flows", "ratio", "tolerance"], in: "share")
            guard let f = m.first(where: { $0.key == "flows" }), let r = m.first(where: { $0.key == "ratio" }) else {
                throw e.value.error("share needs 'flows: [a, b, ...]' and 'ratio: [2, 1, ...]'")
            }
            let flows = try f.value.sequence("flows").map { x throws(LabError) in try x.string("flow") }
            let ratio = try r.value.sequence("ratio").map { x throws(LabError) -> Double in
                let t = try x.string("ratio")
                guard let v = Double(t), v.isFinite, v > 0, v <= Self.maximumShareRatio else {
                    throw x.error("expected a positive number up to 1000000 in ratio, found '\(t)'")
                }
                return v
            }
            guard flows.count == ratio.count, flows.count >= 2 else { throw r.value.error("share needs as many ratio numbers as flows (two or more)") }
            var tolerance = 10.0
            if let t = m.first(where: { $0.key == "tolerance" }) {
                guard let v = Units.percent(try t.value.string("tolerance")), v.isFinite, (0...100).contains(v) else {
                    throw t.value.error("expected a tolerance between 0% and 100%, like 10%, found '\(try t.value.string("tolerance"))'")
                }
                tolerance = v
            }
            check = .share(flows: flows, ratio: ratio, tolerancePercent: tolerance)
        } else if let e = entries.first(where: { $0.key == "log" }) {
            try checkKeys(entries, allowed: ["at", "name", "log"], in: "a log expectation")
            let m = try e.value.mapping("log")
            try checkKeys(m, allowed: ["device", "contains", "matches", "count"], in: "log")
            func s(_ k: String) throws(LabError) -> String? { try m.first { $0.key == k }?.value.string(k) }
            let contains = try s("contains"), matches = try s("matches")
            guard (contains == nil) != (matches == nil) else {
                throw e.value.error("log needs 'contains' (a text) or 'matches' (a regular expression), one of them")
            }
            if let matches, (try? Regex(matches)) == nil {
                throw m.first { $0.key == "matches" }!.value.error("'\(matches)' is not a valid regular expression")
            }
            let count = try m.first { $0.key == "count" }.map { c throws(LabError) in try comparison(c.value, unit: .count, what: "count") }
                ?? Comparison(op: .ge, value: 1, text: ">= 1")
            check = .log(device: try s("device"), contains: contains, matches: matches, count: count)
        } else if let e = entries.first(where: { $0.key == "counter" }) {
            try checkKeys(entries, allowed: ["at", "name", "counter"], in: "a counter expectation")
            let m = try e.value.mapping("counter")
            try checkKeys(m, allowed: ["device", "interface", "interfaces", "name", "since", "value"], in: "counter")
            func s(_ k: String) throws(LabError) -> String? { try m.first { $0.key == k }?.value.string(k) }
            guard let device = try s("device") else { throw e.value.error("counter needs 'device'") }
            let names = PortCounter.allCases.map(\.rawValue).joined(separator: ", ")
            guard let n = m.first(where: { $0.key == "name" }) else { throw e.value.error("counter needs 'name' (one of: \(names))") }
            let nameText = try n.value.string("name")
            guard let counter = PortCounter(rawValue: nameText) else {
                throw n.value.error("unknown counter '\(nameText)' (expected one of: \(names))")
            }
            var interfaces: [String] = []
            for key in ["interface", "interfaces"] {
                guard let i = m.first(where: { $0.key == key }) else { continue }
                for item in i.value.isSequence ? try i.value.sequence(key) : [i.value] {
                    let text = try item.string("interface")
                    do { interfaces.append(try InterfaceName(text).description) } catch { throw item.error("'\(text)' is not an interface name") }
                }
            }
            let since = try m.first { $0.key == "since" }.map { x throws(LabError) in try time(x.value, "since") }
            guard let v = m.first(where: { $0.key == "value" }) else { throw e.value.error("counter needs 'value' (like '> 0')") }
            let comparison = try comparison(v.value, unit: .count, what: "value")
            if let since, let at, since > at { throw e.value.error("'since' (\(since)) is after the expectation's time (\(at))") }
            check = .counter(device: device, interfaces: interfaces, counter: counter, since: since, comparison: comparison)
        } else {
            throw item.error("an expectation needs one of: command (with device), ping, traceroute, flow, route, drops, share, log, counter")
        }
        return Expectation(name: name, at: at, check: check, line: item.line, column: item.column)
    }
}
