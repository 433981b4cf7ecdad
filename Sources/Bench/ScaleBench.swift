#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import Fabric
import Foundation
import Lab
import Wire

/// Generated labs of thousands of nodes, written as ordinary topology and scenario files:
///
///     H1 … Hn -- SW1 [-- SW2 … SWs, each uplinked to the core SW0] -- R1 -- R2 -- … -- Rr
///
/// Hosts share one broadcast domain (VLAN 1, 10.0.0.0/8; host i is 10.0.0.0 + i + 1, gateway
/// 10.0.0.1 on R1 when there are routers). Host ports are `GigabitEthernet1/0/N`, uplinks
/// `GigabitEthernet1/1/N`; extra unconnected switch ports (`GigabitEthernet2/0/N`, configured on SW1)
/// measure what a port costs by itself. Routers form a chain of /30s in 172.16.0.0/12 with static
/// routes both ways, so a ping from H1 reaches the far end of the chain.
///
/// With `routedAccess`, each access switch is its own subnet instead, 10.S.0.0/16 behind R1's
/// `GigabitEthernet1/0/S` (no core switch): the campus shape, where a broadcast reaches one block.
public struct ScaleTopology: Sendable {
    public var hosts: Int
    /// Access switches the hosts are spread over (in blocks); more than one adds a core switch SW0.
    public var switches: Int
    public var routers: Int
    /// Unconnected ports configured on SW1.
    public var extraSwitchPorts: Int
    /// Each access switch a subnet of its own behind R1, rather than one switched domain.
    public var routedAccess: Bool

    public init(hosts: Int, switches: Int = 1, routers: Int = 0, extraSwitchPorts: Int = 0, routedAccess: Bool = false) {
        precondition(hosts >= 0 && hosts < 1 << 24 - 2 && switches >= 1 && routers >= 0 && routers < 1 << 18)
        precondition(!routedAccess || (routers >= 1 && switches < 256 && (hosts + switches - 1) / switches < 65_000))
        self.hosts = hosts
        self.switches = switches
        self.routers = routers
        self.extraSwitchPorts = extraSwitchPorts
        self.routedAccess = routedAccess
    }

    var hasCore: Bool { switches > 1 && !routedAccess }

    /// Nodes in the topology.
    public var nodes: Int { hosts + switches + (hasCore ? 1 : 0) + routers }

    /// Host `i`'s address (1-based).
    public func hostAddress(_ i: Int) -> IPv4Address {
        guard routedAccess else { return IPv4Address(rawValue: 0x0A00_0000 + UInt32(i + 1)) }
        let s = (i - 1) / perSwitch() + 1, local = (i - 1) % perSwitch() + 1
        return IPv4Address(rawValue: 0x0A00_0000 | (UInt32(s) << 16) + UInt32(local + 1))
    }

    /// The gateway of host `i`'s block.
    func gateway(_ i: Int) -> IPv4Address? {
        guard routers > 0 else { return nil }
        guard routedAccess else { return IPv4Address(10, 0, 0, 1) }
        return IPv4Address(10, UInt8((i - 1) / perSwitch() + 1), 0, 1)
    }

    /// The addresses of chain link `k` (1-based, between R`k` Gi0/1 and R`k+1` Gi0/0).
    func chainLink(_ k: Int) -> (left: IPv4Address, right: IPv4Address) {
        let base = 0xAC10_0000 + UInt32(4 * k)
        return (IPv4Address(rawValue: base + 1), IPv4Address(rawValue: base + 2))
    }

    /// The address a ping from H1 to the far end of the router chain goes to.
    public var farRouterAddress: IPv4Address? {
        routers == 0 ? nil : routers > 1 ? chainLink(routers - 1).right : routedAccess ? IPv4Address(10, 1, 0, 1) : IPv4Address(10, 0, 0, 1)
    }

    func perSwitch() -> Int { hosts == 0 ? 0 : (hosts + switches - 1) / switches }

    /// The topology file's text.
    public func yaml() -> String {
        var out: [String] = []
        out.reserveCapacity(4 * nodes + hosts + routers * 10 + extraSwitchPorts + 16)
        out.append("name: scale-\(hosts)h-\(switches)s-\(routers)r\(routedAccess ? "-routed" : "")")
        out.append("nodes:")
        if hasCore { out += ["  SW0:", "    kind: switch"] }
        for s in 1...switches {
            out += ["  SW\(s):", "    kind: switch"]
            if s == 1 && extraSwitchPorts > 0 {
                out.append("    config: |")
                for p in 1...extraSwitchPorts { out.append("      interface GigabitEthernet2/0/\(p)") }
            }
        }
        let length = routedAccess ? 16 : 8
        for i in stride(from: 1, through: hosts, by: 1) {
            out.append("  H\(i):\n    kind: host\n    address: \(hostAddress(i))/\(length)"
                       + (gateway(i).map { "\n    gateway: \($0)" } ?? ""))
        }
        for r in stride(from: 1, through: routers, by: 1) {
            out += ["  R\(r):", "    kind: router", "    config: |"]
            if r == 1 && routedAccess {
                for s in 1...switches {
                    out += ["      interface GigabitEthernet1/0/\(s)", "       ip address 10.\(s).0.1 255.255.0.0", "       no shutdown"]
                }
            } else {
                let inside = r == 1 ? "10.0.0.1 255.0.0.0" : "\(chainLink(r - 1).right) 255.255.255.252"
                out += ["      interface GigabitEthernet0/0", "       ip address \(inside)", "       no shutdown"]
            }
            out += ["      interface GigabitEthernet0/1", "       ip address \(chainLink(r).left) 255.255.255.252", "       no shutdown"]
            if r > 1 { out.append("      ip route 10.0.0.0 255.0.0.0 \(chainLink(r - 1).left)") }
            if r < routers { out.append("      ip route 172.16.0.0 255.240.0.0 \(chainLink(r).right)") }
        }
        out.append(hosts + routers == 0 && switches == 1 ? "links: []" : "links:")
        let block = perSwitch()
        for i in stride(from: 1, through: hosts, by: 1) {
            let s = (i - 1) / block + 1, port = (i - 1) % block + 1
            out.append("  - endpoints: [H\(i):Ethernet0, SW\(s):GigabitEthernet1/0/\(port)]")
        }
        if routedAccess {
            for s in 1...switches { out.append("  - endpoints: [SW\(s):GigabitEthernet1/1/1, R1:GigabitEthernet1/0/\(s)]") }
        } else {
            if hasCore {
                for s in 1...switches { out.append("  - endpoints: [SW\(s):GigabitEthernet1/1/1, SW0:GigabitEthernet1/0/\(s)]") }
            }
            if routers > 0 { out.append("  - endpoints: [R1:GigabitEthernet0/0, SW1:GigabitEthernet1/1/2]") }
        }
        for r in stride(from: 1, to: routers, by: 1) {
            out.append("  - endpoints: [R\(r):GigabitEthernet0/1, R\(r + 1):GigabitEthernet0/0]")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A scenario for it: H1 pings the last host and the far end of the router chain.
    public func scenarioYAML(topologyFile: String, duration: SimDuration = .seconds(5)) -> String {
        var out = ["name: scale-\(hosts)h-\(switches)s-\(routers)r", "topology: \(topologyFile)", "seed: 1",
                   "duration: \(duration.nanoseconds / 1_000_000)ms"]
        var pings: [(String, IPv4Address)] = []
        if hosts >= 2 { pings.append(("last-host", hostAddress(hosts))) }
        if hosts >= 1, let far = farRouterAddress { pings.append(("far-router", far)) }
        guard !pings.isEmpty else { return out.joined(separator: "\n") + "\n" }
        out.append("events:")
        for (i, (name, to)) in pings.enumerated() {
            out += ["  - at: \(1 + i)s", "    ping: {name: \(name), from: H1, to: \(to), count: 3}"]
        }
        out.append("expectations:")
        for (name, _) in pings { out += ["  - ping: \(name)", "    success: \">= 60%\""] }
        return out.joined(separator: "\n") + "\n"
    }
}

/// One size of the scale benchmark, measured in its own process (peak RSS is per process).
public struct ScaleBenchResult: Sendable {
    public var nodes: Int
    public var ports: Int
    /// Parsing the file and building the lab: what `wirelab check` does.
    public var loadSeconds: Double
    /// Running the idle lab (the gratuitous ARP every interface sends when it comes up included).
    public var runSeconds: Double
    /// Resident memory after loading, after the run, and its peak (VmRSS, VmRSS, VmHWM).
    public var loadRSSKB: Int
    public var runRSSKB: Int
    public var peakRSSKB: Int
    /// Bytes the frame pool holds after the run (its slots are sized for the largest frame).
    public var framePoolKB: Int

    /// Memory that stays with the lab's devices, ports and links: RSS after the run, frames in flight
    /// (the pool) taken out.
    public var structureKB: Int { runRSSKB - framePoolKB }

    /// The `key=value` fields a child process prints.
    public var fields: String {
        "nodes=\(nodes) ports=\(ports) load_s=\(String(format: "%.4f", loadSeconds)) run_s=\(String(format: "%.4f", runSeconds)) "
            + "load_rss_kb=\(loadRSSKB) run_rss_kb=\(runRSSKB) peak_rss_kb=\(peakRSSKB) frame_pool_kb=\(framePoolKB)"
    }

    /// Reads `fields` back.
    public init?(fields text: String) {
        var kv: [String: String] = [:]
        for part in text.split(separator: " ") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { kv[String(pair[0])] = String(pair[1]) }
        }
        guard let nodes = kv["nodes"].flatMap({ Int($0) }), let ports = kv["ports"].flatMap({ Int($0) }),
              let load = kv["load_s"].flatMap({ Double($0) }), let run = kv["run_s"].flatMap({ Double($0) }),
              let loadRSS = kv["load_rss_kb"].flatMap({ Int($0) }), let runRSS = kv["run_rss_kb"].flatMap({ Int($0) }),
              let peak = kv["peak_rss_kb"].flatMap({ Int($0) }), let pool = kv["frame_pool_kb"].flatMap({ Int($0) }) else { return nil }
        self.init(nodes: nodes, ports: ports, loadSeconds: load, runSeconds: run, loadRSSKB: loadRSS, runRSSKB: runRSS,
                  peakRSSKB: peak, framePoolKB: pool)
    }

    public init(nodes: Int, ports: Int, loadSeconds: Double, runSeconds: Double, loadRSSKB: Int, runRSSKB: Int,
                peakRSSKB: Int, framePoolKB: Int) {
        self.nodes = nodes; self.ports = ports; self.loadSeconds = loadSeconds; self.runSeconds = runSeconds
        self.loadRSSKB = loadRSSKB; self.runRSSKB = runRSSKB; self.peakRSSKB = peakRSSKB; self.framePoolKB = framePoolKB
    }
}

public enum ScaleBenchmark {
    /// Writes the topology to `directory`, loads it through the loader `wirelab check` and `run` use,
    /// and runs it idle for `idle` of virtual time.
    public static func measure(_ topology: ScaleTopology, idle: SimDuration, directory: String) throws(LabErrors) -> ScaleBenchResult {
        let path = (directory as NSString).appendingPathComponent("scale-\(getpid())-\(topology.hosts)h.yaml")
        guard FileManager.default.createFile(atPath: path, contents: Data(topology.yaml().utf8)) else {
            throw LabErrors([LabError(file: path, line: 0, "cannot write the generated topology")])
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ContinuousClock()
        let start = clock.now
        let lab = try Lab.build(try TopologyFile.parse(path: path))
        let loaded = clock.now
        let loadRSS = memoryStatus("VmRSS")
        lab.network.run(until: .zero + idle)
        let ran = clock.now
        let pool = lab.network.frames.capacity * lab.network.frames.slotSize / 1024
        return ScaleBenchResult(nodes: lab.network.devices.count, ports: lab.network.ports.count,
                                loadSeconds: seconds(loaded - start), runSeconds: seconds(ran - loaded),
                                loadRSSKB: loadRSS, runRSSKB: memoryStatus("VmRSS"), peakRSSKB: memoryStatus("VmHWM"),
                                framePoolKB: pool)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// A `kB` line of /proc/self/status (VmRSS, VmHWM); 0 where there is none.
    public static func memoryStatus(_ key: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
        }
        return 0
    }
}
