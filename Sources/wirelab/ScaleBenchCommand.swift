import ArgumentParser
import Bench
import Engine
import Foundation
import Lab

/// `wirelab bench scale`: loading and idle-running generated labs of thousands of nodes, and what a
/// host, a switch port and a router cost in memory.
///
/// Peak RSS is per process, so every size runs in a child process (this binary again, with the
/// hidden `--child` option); memory per element is the growth between two sizes divided by the
/// elements added (N/2 → N hosts, P → 2P switch ports, R → 2R routers), frames in flight taken out.
struct ScaleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Generated labs (N hosts on a switch, a switch's ports, a chain of routers): load time, idle run, memory per element.")

    @Flag(help: "One machine-readable line per case.") var kv = false
    @Option(parsing: .upToNextOption, help: "Host counts (each also measured at half, for the memory per host).")
    var hosts: [Int] = [1_000, 10_000]
    @Option(help: "Unconnected switch ports for the per-port figure (measured at P and 2P; 0 skips).") var ports = 4_000
    @Option(help: "Routers in a chain for the per-router figure (measured at R and 2R; 0 skips).") var routers = 500
    @Option(help: "Access switches the hosts are spread over (one domain under a core switch).") var switches = 1
    @Flag(help: "Each access switch its own subnet behind R1 (with --switches; adds one router).") var routedAccess = false
    @Option(help: "Idle virtual time run after loading.") var idle = DurationOption(argument: "1s")!
    @Option(help: "Write each --hosts size's topology and scenario (with --routers, --switches, --routed-access) to this directory instead of measuring.")
    var write: String?
    @Option(help: .hidden) var child: String?
    @Option(help: "Where generated topologies are written (removed afterwards).") var directory = NSTemporaryDirectory()

    func validate() throws {
        guard hosts.allSatisfy({ $0 >= 2 && $0 < 1 << 22 }) else { throw ValidationError("--hosts must be between 2 and 4,194,303") }
        guard ports >= 0, routers >= 0, routers < 100_000, switches >= 1 else { throw ValidationError("--ports, --routers and --switches must be positive") }
    }

    func run() throws {
        if let child {
            // Child: one size, one line of fields on stdout.
            let n = child.split(separator: ",").compactMap { Int($0) }
            guard n.count == 5 else { throw ValidationError("--child takes hosts,switches,routers,ports,routed") }
            let topology = ScaleTopology(hosts: n[0], switches: n[1], routers: n[2], extraSwitchPorts: n[3], routedAccess: n[4] == 1)
            print(try ScaleBenchmark.measure(topology, idle: idle.value, directory: directory).fields)
            return
        }
        if let write {
            for n in hosts {
                let topology = ScaleTopology(hosts: n, switches: switches, routers: max(routers, routedAccess ? 1 : 0), routedAccess: routedAccess)
                let name = "scale-\(n)h-\(switches)s-\(topology.routers)r\(routedAccess ? "-routed" : "")"
                let directory = URL(fileURLWithPath: write)
                try topology.yaml().write(to: directory.appendingPathComponent(name + ".yaml"), atomically: true, encoding: .utf8)
                try topology.scenarioYAML(topologyFile: name + ".yaml")
                    .write(to: directory.appendingPathComponent(name + "-scenario.yaml"), atomically: true, encoding: .utf8)
                print(directory.appendingPathComponent(name + ".yaml").path, directory.appendingPathComponent(name + "-scenario.yaml").path)
            }
            return
        }
        BenchSupport.warnIfDebug("scale")
        for n in hosts {
            let half = try measure(hosts: n / 2)
            let full = try measure(hosts: n)
            let perHost = Double(full.structureKB - half.structureKB) / Double(n - n / 2)
            if kv {
                print("bench=scale case=hosts hosts=\(n) nodes=\(full.nodes) load_s=\(f4(full.loadSeconds)) run_s=\(f4(full.runSeconds)) "
                      + "peak_rss_kb=\(full.peakRSSKB) frame_pool_kb=\(full.framePoolKB) kb_per_host=\(f2(perHost))")
            } else {
                print(String(format: "%6d hosts (%6d nodes): load %7.3f s, idle %@ run %7.3f s, peak RSS %7.1f MB (frame pool %6.1f MB), %5.2f KB per host",
                             n, full.nodes, full.loadSeconds, "\(idle.value)" as NSString, full.runSeconds,
                             Double(full.peakRSSKB) / 1024, Double(full.framePoolKB) / 1024, perHost))
            }
        }
        if ports > 0 {
            let one = try measure(hosts: 0, ports: ports)
            let two = try measure(hosts: 0, ports: 2 * ports)
            let perPort = Double(two.structureKB - one.structureKB) / Double(ports)
            if kv {
                print("bench=scale case=switch-ports ports=\(2 * ports) nodes=\(two.nodes) load_s=\(f4(two.loadSeconds)) "
                      + "run_s=\(f4(two.runSeconds)) peak_rss_kb=\(two.peakRSSKB) kb_per_switch_port=\(f2(perPort))")
            } else {
                print(String(format: "%6d switch ports on one switch: load %7.3f s, run %7.3f s, peak RSS %7.1f MB, %5.2f KB per port",
                             2 * ports, two.loadSeconds, two.runSeconds, Double(two.peakRSSKB) / 1024, perPort))
            }
        }
        if routers > 0 {
            let one = try measure(hosts: 0, routers: routers)
            let two = try measure(hosts: 0, routers: 2 * routers)
            let perRouter = Double(two.structureKB - one.structureKB) / Double(routers)
            if kv {
                print("bench=scale case=routers routers=\(2 * routers) nodes=\(two.nodes) load_s=\(f4(two.loadSeconds)) "
                      + "run_s=\(f4(two.runSeconds)) peak_rss_kb=\(two.peakRSSKB) kb_per_router=\(f2(perRouter))")
            } else {
                print(String(format: "%6d routers in a chain: load %7.3f s, run %7.3f s, peak RSS %7.1f MB, %5.2f KB per router",
                             2 * routers, two.loadSeconds, two.runSeconds, Double(two.peakRSSKB) / 1024, perRouter))
            }
        }
    }

    func f4(_ x: Double) -> String { String(format: "%.4f", x) }
    func f2(_ x: Double) -> String { String(format: "%.2f", x) }

    /// Runs one size in a child process and reads its figures.
    func measure(hosts: Int, routers: Int = 0, ports: Int = 0) throws -> ScaleBenchResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        // Host cases take the switch layout asked for; the port and router cases one switch.
        let routed = routedAccess && hosts > 0
        let layout = hosts > 0 ? "\(switches),\(routed ? 1 : 0)" : "1,\(routers)"
        process.arguments = ["bench", "scale", "--child", "\(hosts),\(layout),\(ports),\(routed ? 1 : 0)",
                             "--idle", "\(idle.value.nanoseconds)ns", "--directory", directory]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let text = String(data: output, encoding: .utf8),
              let result = ScaleBenchResult(fields: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ValidationError("the measurement of \(hosts) hosts, \(routers) routers, \(ports) ports failed")
        }
        return result
    }
}
