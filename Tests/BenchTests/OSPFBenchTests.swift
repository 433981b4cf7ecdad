import Bench
import Engine
import Foundation
import Lab
import Protocols
import Testing

/// `wirelab bench ospf` on a small network: it converges, and its line reads back.
struct OSPFBenchTests {
    // Two areas of 15 routers (a serial ring with chords, one LAN of four on a switch each), their four
    // ABRs in a backbone ring: every database identical within its area, a route to every loopback.
    @Test func thirtyRoutersInTwoAreasConverge() throws {
        let topology = OSPFBenchTopology(routers: 30)
        #expect(topology.areas == 2 && topology.size(ofArea: 1) == 15 && topology.size(ofArea: 2) == 15)
        // Per area a ring of 15 and 2 chords; the backbone ring of 4 ABRs, each area's pair linked in area 0 too.
        #expect(topology.yaml().counts == OSPFBenchTopology.Counts(serialLinks: 2 * (15 + 2) + 4, lans: 2))
        let result = try OSPFBenchmark.measure(topology, directory: NSTemporaryDirectory())
        #expect(result.routers == 30 && result.areas == 2)
        // Cold start to converged takes the LAN's wait timer (RouterDeadInterval, 40 s) and a little more.
        #expect(result.virtualSeconds > 40 && result.virtualSeconds < 120)
        #expect(result.events > 0 && result.peakRSSKB > 0)
        // Each area's 15 router-LSAs and its LAN's network-LSA reach all of its routers, at least.
        #expect(result.lsas >= 30 * 16)
        #expect(result.distinctLSAs <= result.lsas)
        let line = result.fields
        #expect(line.hasPrefix("bench=ospf routers=30 wall_s="))
        let keys = line.split(separator: " ").map { $0.split(separator: "=")[0] }
        #expect(Array(keys.prefix(7)) == ["bench", "routers", "wall_s", "virtual_s", "events", "lsas", "peak_rss_kb"])
        let back = try #require(OSPFBenchResult(fields: line))
        #expect(back.fields == line)
    }

    // The check fails loudly: a router that lost its routes is named.
    @Test func aMissingRouteIsReported() throws {
        let topology = OSPFBenchTopology(routers: 12, areaSize: 6)
        let path = NSTemporaryDirectory() + "ospf-bench-test-\(getpid()).yaml"
        try topology.yaml().text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lab = try Lab.build(try TopologyFile.parse(path: path))
        lab.network.run(until: SimTime.zero + SimDuration.seconds(5))   // adjacencies not formed yet: nothing learnt
        let routers = OSPFBenchmark.ospfRouters(lab)
        #expect(routers.count == 12)
        #expect(throws: OSPFConvergenceError.self) { try OSPFBenchmark.checkConvergence(routers, topology: topology) }
    }
}
