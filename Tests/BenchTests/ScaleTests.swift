import Bench
import CAllocCount
import Engine
import Fabric
import Foundation
import Lab
import Testing

/// Generated labs of thousands of nodes load in linear work and forward across.
struct ScaleTests {
    func write(_ text: String, _ name: String) throws -> String {
        let directory = NSTemporaryDirectory() + "wirelab-scale-tests-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Allocations and bytes asked for by this thread while parsing and building the topology
    /// (`wirelab check`'s work), with the lab it built.
    /// Also the heap the built lab holds (live bytes, the lab still alive).
    func loadWork(_ topology: ScaleTopology) throws -> (allocations: UInt64, bytes: UInt64, live: Int64, lab: Lab) {
        let path = try write(topology.yaml(), "load-\(topology.hosts)h-\(topology.routers)r.yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (a0, b0, l0) = (wirelab_thread_allocation_count(), wirelab_thread_allocated_bytes(), wirelab_thread_live_bytes())
        let lab = try Lab.build(try TopologyFile.parse(path: path))
        return (wirelab_thread_allocation_count() - a0, wirelab_thread_allocated_bytes() - b0, wirelab_thread_live_bytes() - l0, lab)
    }

    // Twice the nodes must cost about twice the allocations and bytes, never four times: a scan of
    // every node or port per node (the loader had several) allocates per step or copies growing
    // arrays, and shows up here long before it shows in seconds. No clock is read.
    @Test(arguments: [(hosts: 400, routers: 0), (hosts: 0, routers: 80)])
    func loadingTwiceTheNodesCostsTwiceTheWork(hosts: Int, routers: Int) throws {
        _ = try loadWork(ScaleTopology(hosts: hosts / 10, routers: routers / 10))  // warm caches and metadata
        let one = try loadWork(ScaleTopology(hosts: hosts, routers: routers))
        let two = try loadWork(ScaleTopology(hosts: 2 * hosts, routers: 2 * routers))
        #expect(two.lab.network.devices.count == 2 * one.lab.network.devices.count - 1)
        let allocationRatio = Double(two.allocations) / Double(one.allocations)
        let byteRatio = Double(two.bytes) / Double(one.bytes)
        #expect(allocationRatio < 2.2, "allocations \(one.allocations) → \(two.allocations)")
        #expect(byteRatio < 2.2, "bytes \(one.bytes) → \(two.bytes)")
        // What one more device keeps: under 16 KB for an idle host with its switch port and link, no
        // table sized up front (there were a 4 KB VLAN map per switch port, a 32 KB adjacency cache
        // per host). A router keeps two ports and its configuration.
        let perDevice = (two.live - one.live) / Int64(hosts + routers)
        #expect(perDevice < (routers > 0 ? 40_000 : 16_000), "\(perDevice) heap bytes held per added device")
    }

    //   H1 … H250 -- SW1 --+
    //   ...                 R1 -- R2
    //   H1751 … H2000 -- SW8 --+
    @Test func twoThousandHostsLoadAndPingAcross() throws {
        let topology = ScaleTopology(hosts: 2_000, switches: 8, routers: 2, routedAccess: true)
        let topologyPath = try write(topology.yaml(), "ping-2000.yaml")
        let scenarioPath = try write(topology.scenarioYAML(topologyFile: "ping-2000.yaml", duration: .seconds(4)),
                                     "ping-2000-scenario.yaml")
        defer {
            try? FileManager.default.removeItem(atPath: topologyPath)
            try? FileManager.default.removeItem(atPath: scenarioPath)
        }
        let runner = try ScenarioRunner(try ScenarioFile.parse(path: scenarioPath))
        #expect(runner.lab.network.devices.count == 2_010)
        let report = try runner.run()
        #expect(report.results.count == 2)
        #expect(report.failed == 0, "\(report.probes.map(\.output).joined(separator: "\n"))")
        // Past 256 nodes the generated MAC addresses stay unique too.
        let macs = Set(runner.lab.network.ports.map(\.mac))
        #expect(macs.count == runner.lab.network.ports.count)
    }

    // One switched domain of 600 hosts under a core switch: the last host answers the first.
    @Test func aThousandHostsOnStackedSwitchesPingAcross() throws {
        let topology = ScaleTopology(hosts: 600, switches: 3)
        let topologyPath = try write(topology.yaml(), "ping-1000.yaml")
        let scenarioPath = try write(topology.scenarioYAML(topologyFile: "ping-1000.yaml", duration: .seconds(3)),
                                     "ping-1000-scenario.yaml")
        defer {
            try? FileManager.default.removeItem(atPath: topologyPath)
            try? FileManager.default.removeItem(atPath: scenarioPath)
        }
        let report = try ScenarioRunner(try ScenarioFile.parse(path: scenarioPath)).run()
        #expect(report.results.count == 1)
        #expect(report.failed == 0, "\(report.probes.map(\.output).joined(separator: "\n"))")
    }
}
