#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import Fabric
import Foundation
import Lab
import Protocols
import Wire

/// A generated multi-area OSPF network, written as an ordinary topology file with IOS configuration
/// per router (`router ospf 1`, `network ... area X`), so the benchmark runs what users run:
///
///     area 0:  ABR1a - ABR1b - ABR2a - ABR2b - … - ABRKb - (back to ABR1a), chords every 4th area
///     area k:  a ring of serial links through the area's routers (its two ABRs first), a chord every
///              10th router across the ring, and a broadcast LAN (a switch, 4 routers) per 25 routers
///
/// Every router has a loopback. Area k's addresses are 10.k.0.0/16 (links from 10.k.0.0, LANs
/// 10.k.192+l.0/24, loopbacks 10.k.240.1 on), the backbone's links 10.0.0.0/16; each ABR configures
/// `area k range 10.k.0.0 255.255.0.0`, so once inter-area summaries are originated each area gets one
/// summary per other area rather than one per prefix.
public struct OSPFBenchTopology: Sendable {
    public var routers: Int
    /// Routers per area (about; the routers are spread evenly over the areas).
    public var areaSize: Int
    /// `area k range` on the ABRs.
    public var areaRanges: Bool

    public init(routers: Int, areaSize: Int = 100, areaRanges: Bool = true) {
        precondition(routers >= 6 && areaSize >= 3)
        self.routers = routers
        self.areaSize = areaSize
        self.areaRanges = areaRanges
        precondition(areas <= 250 && routers / areas < 4000, "at most 250 areas of 4,000 routers")
    }

    /// Non-backbone areas, numbered 1…areas.
    /// Serial links are T3s: at T1 rates and below IOS (and Wirelab) put weighted fair queueing on a
    /// serial interface, whose conversation tables cost some 57 KB per interface, and flooding queues
    /// up behind 7.7 ms per full-sized LS Update.
    public static let serialBandwidth = "45M"

    public var areas: Int { max(2, Int((Double(routers) / Double(areaSize)).rounded())) }

    /// Routers in area k (1-based).
    public func size(ofArea k: Int) -> Int { routers / areas + (k <= routers % areas ? 1 : 0) }

    /// Router number (1-based) of the i-th router (0-based) of area k.
    func router(area k: Int, _ i: Int) -> Int {
        // The areas before k: the first `routers % areas` of them hold one router more.
        let base = routers / areas, bigger = routers % areas
        return 1 + (k - 1) * base + min(k - 1, bigger) + i
    }

    /// The loopback of the i-th router (0-based) of area k.
    public func loopback(area k: Int, _ i: Int) -> IPv4Address {
        IPv4Address(10, UInt8(k), UInt8(240 + (i + 1) >> 8), UInt8((i + 1) & 255))
    }

    /// Every loopback of area k, by router index.
    public func loopbacks(ofArea k: Int) -> [IPv4Address] { (0..<size(ofArea: k)).map { loopback(area: k, $0) } }

    /// What the generator builds, for the README and the test.
    public struct Counts: Sendable, Equatable {
        public var serialLinks = 0
        public var lans = 0
        public init(serialLinks: Int = 0, lans: Int = 0) { self.serialLinks = serialLinks; self.lans = lans }
    }

    /// The topology file's text, and what it holds.
    public func yaml() -> (text: String, counts: Counts) {
        // Per router: its interface configuration lines and how many serial interfaces it has so far.
        var config = [[String]](repeating: [], count: routers + 1)
        var serials = [Int](repeating: 0, count: routers + 1)
        var links: [String] = []
        var counts = Counts()
        func serial(_ a: Int, _ b: Int, subnet: UInt32) {
            var names: [String] = []
            for (end, r) in [a, b].enumerated() {
                let name = "Serial0/\(serials[r])"
                serials[r] += 1
                names.append(name)
                config[r] += ["      interface \(name)",
                              "       ip address \(IPv4Address(rawValue: subnet + 1 + UInt32(end))) 255.255.255.252",
                              "       no shutdown"]
            }
            links.append("  - {endpoints: [R\(a):\(names[0]), R\(b):\(names[1])], bandwidth: \(Self.serialBandwidth)}")
            counts.serialLinks += 1
        }
        var switches: [String] = []
        for k in 1...areas {
            let m = size(ofArea: k)
            let r = { (i: Int) in self.router(area: k, i) }
            var j: UInt32 = 0
            func areaSubnet() -> UInt32 { defer { j += 1 }; return 0x0A00_0000 | UInt32(k) << 16 | 4 * j }
            // The ring, then the chords across it.
            for i in 0..<m where m > 2 || i == 0 { serial(r(i), r((i + 1) % m), subnet: areaSubnet()) }
            for i in stride(from: 2, to: m, by: 10) where m >= 8 {
                let other = (i + m / 2) % m
                if abs(other - i) > 1 && abs(other - i) != m - 1 && other >= 2 { serial(r(i), r(other), subnet: areaSubnet()) }
            }
            // A broadcast LAN per 25 routers: a switch and four routers on GigabitEthernet0/0.
            for l in 0..<max(m >= 9 ? 1 : 0, m / 25) {
                let name = "SW\(k)x\(l + 1)"
                switches += ["  \(name):", "    kind: switch"]
                for p in 0..<4 {
                    let router = r(l * 25 + 5 + p)
                    config[router] += ["      interface GigabitEthernet0/0",
                                       "       ip address 10.\(k).\(192 + l).\(p + 1) 255.255.255.0", "       no shutdown"]
                    links.append("  - endpoints: [R\(router):GigabitEthernet0/0, \(name):GigabitEthernet1/0/\(p + 1)]")
                }
                counts.lans += 1
            }
        }
        // The backbone: a ring through every area's two ABRs, and chords.
        var b: UInt32 = 0
        func backboneSubnet() -> UInt32 { defer { b += 1 }; return 0x0A00_0000 | 4 * b }
        for k in 1...areas {
            serial(router(area: k, 0), router(area: k, 1), subnet: backboneSubnet())
            serial(router(area: k, 1), router(area: k % areas + 1, 0), subnet: backboneSubnet())
            if areas >= 8, k % 4 == 1 {
                serial(router(area: k, 0), router(area: (k - 1 + areas / 2) % areas + 1, 1), subnet: backboneSubnet())
            }
        }

        var out = ["name: ospf-bench-\(routers)r-\(areas)a", "nodes:"]
        out.reserveCapacity(routers * 24 + links.count + switches.count + 8)
        for k in 1...areas {
            for i in 0..<size(ofArea: k) {
                let n = router(area: k, i)
                out += ["  R\(n):", "    kind: router", "    config: |", "      hostname R\(n)",
                        "      interface Loopback0", "       ip address \(loopback(area: k, i)) 255.255.255.255"]
                out += config[n]
                out += ["      router ospf 1", "       network 10.\(k).0.0 0.0.255.255 area \(k)"]
                if i < 2 {
                    out.append("       network 10.0.0.0 0.0.255.255 area 0")
                    if areaRanges { out.append("       area \(k) range 10.\(k).0.0 255.255.0.0") }
                }
            }
        }
        out += switches
        out.append("links:")
        out += links
        return (out.joined(separator: "\n") + "\n", counts)
    }
}

/// One size of the OSPF benchmark, measured in its own process (peak RSS is per process).
public struct OSPFBenchResult: Sendable {
    public var routers: Int
    public var areas: Int
    /// Parsing the file and building the lab.
    public var loadSeconds: Double
    /// Running from the cold start to the last database or route change.
    public var wallSeconds: Double
    /// The virtual time of the last database or route change (to the 100 ms step it is watched in).
    public var virtualSeconds: Double
    /// Events the engine fired by then.
    public var events: UInt64
    /// LSAs over every router's databases, and how many distinct instances they point at.
    public var lsas: Int
    public var distinctLSAs: Int
    public var peakRSSKB: Int
    /// Resident memory once the lab was built (VmRSS), and what the frame pool holds at the end (its
    /// slots are sized for the largest frame; it keeps the most frames that were ever in flight).
    public var loadRSSKB: Int
    public var framePoolKB: Int
    /// Heap bytes the run's live blocks hold at the end (0 when not counted): RSS less what the
    /// allocator holds free.
    public var heapKB: Int
    /// The same once the lab was built: what the run added, over the routers, is what OSPF keeps per router.
    public var loadHeapKB: Int
    /// Whether every router was required to reach every loopback (inter-area routes), or only those
    /// of its own areas.
    public var interArea: Bool
    /// Whether any database held a summary-LSA.
    public var summaries: Bool

    public var kbPerRouter: Double { Double(peakRSSKB) / Double(routers) }

    /// The `key=value` line (the issue's fields first).
    public var fields: String {
        "bench=ospf routers=\(routers) wall_s=\(String(format: "%.3f", wallSeconds)) virtual_s=\(String(format: "%.1f", virtualSeconds)) "
            + "events=\(events) lsas=\(lsas) peak_rss_kb=\(peakRSSKB) areas=\(areas) load_s=\(String(format: "%.3f", loadSeconds)) "
            + "distinct_lsas=\(distinctLSAs) kb_per_router=\(String(format: "%.1f", kbPerRouter)) inter_area=\(interArea ? "yes" : "no") summaries=\(summaries ? "yes" : "no") load_rss_kb=\(loadRSSKB) frame_pool_kb=\(framePoolKB) load_heap_kb=\(loadHeapKB) heap_kb=\(heapKB)"
    }

    /// Reads `fields` back.
    public init?(fields text: String) {
        var kv: [String: String] = [:]
        for part in text.split(separator: " ") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { kv[String(pair[0])] = String(pair[1]) }
        }
        guard kv["bench"] == "ospf", let routers = kv["routers"].flatMap({ Int($0) }), let areas = kv["areas"].flatMap({ Int($0) }),
              let load = kv["load_s"].flatMap({ Double($0) }), let wall = kv["wall_s"].flatMap({ Double($0) }),
              let virtual = kv["virtual_s"].flatMap({ Double($0) }), let events = kv["events"].flatMap({ UInt64($0) }),
              let lsas = kv["lsas"].flatMap({ Int($0) }), let distinct = kv["distinct_lsas"].flatMap({ Int($0) }),
              let peak = kv["peak_rss_kb"].flatMap({ Int($0) }), let inter = kv["inter_area"], let summaries = kv["summaries"],
              let loadRSS = kv["load_rss_kb"].flatMap({ Int($0) }), let pool = kv["frame_pool_kb"].flatMap({ Int($0) }),
              let heap = kv["heap_kb"].flatMap({ Int($0) }), let loadHeap = kv["load_heap_kb"].flatMap({ Int($0) })
        else { return nil }
        self.init(routers: routers, areas: areas, loadSeconds: load, wallSeconds: wall, virtualSeconds: virtual, events: events,
                  lsas: lsas, distinctLSAs: distinct, peakRSSKB: peak, interArea: inter == "yes",
                  summaries: summaries == "yes", loadRSSKB: loadRSS, framePoolKB: pool, heapKB: heap, loadHeapKB: loadHeap)
    }

    public init(routers: Int, areas: Int, loadSeconds: Double, wallSeconds: Double, virtualSeconds: Double, events: UInt64,
                lsas: Int, distinctLSAs: Int, peakRSSKB: Int, interArea: Bool, summaries: Bool,
                loadRSSKB: Int, framePoolKB: Int, heapKB: Int, loadHeapKB: Int) {
        self.routers = routers; self.areas = areas; self.loadSeconds = loadSeconds; self.wallSeconds = wallSeconds
        self.virtualSeconds = virtualSeconds; self.events = events; self.lsas = lsas; self.distinctLSAs = distinctLSAs
        self.peakRSSKB = peakRSSKB; self.interArea = interArea; self.summaries = summaries
        self.loadRSSKB = loadRSSKB; self.framePoolKB = framePoolKB; self.heapKB = heapKB
        self.loadHeapKB = loadHeapKB
    }
}

/// The network did not converge: what was wrong, a few examples of each.
public struct OSPFConvergenceError: Error, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "OSPF did not converge:\n  " + problems.joined(separator: "\n  ") }
}

public enum OSPFBenchmark {
    /// How often the databases and routing tables are looked at for a change.
    public static let step = SimDuration.milliseconds(100)
    /// Converged once nothing changed for this long: past the wait timer of a broadcast LAN
    /// (RouterDeadInterval, 40 s), IOS's SPF throttle and the retransmission interval.
    public static let quietPeriod = SimDuration.seconds(60)
    /// Give up (and fail) after this much virtual time.
    public static let limit = SimDuration.seconds(1_800)

    /// Writes the topology to `directory`, loads it through the loader `wirelab check` and `run` use,
    /// runs it from the cold start until nothing has changed for `quietPeriod`, and checks it converged.
    /// `liveBytes`: the heap bytes this thread's live blocks hold, where the allocator is wrapped to count them.
    public static func measure(_ topology: OSPFBenchTopology, interAreaRoutes: Bool = requireInterAreaRoutesByDefault,
                               liveBytes: (() -> Int64)? = nil, directory: String) throws -> OSPFBenchResult {
        let path = (directory as NSString).appendingPathComponent("ospf-bench-\(getpid())-\(topology.routers)r.yaml")
        guard FileManager.default.createFile(atPath: path, contents: Data(topology.yaml().text.utf8)) else {
            throw LabErrors([LabError(file: path, line: 0, "cannot write the generated topology")])
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ContinuousClock()
        let start = clock.now
        let lab = try Lab.build(try TopologyFile.parse(path: path))
        let loaded = clock.now
        let loadRSS = ScaleBenchmark.memoryStatus("VmRSS"), loadHeap = Int((liveBytes?() ?? 0) / 1024)
        let network = lab.network
        let routers = ospfRouters(lab)
        guard routers.count == topology.routers else {
            throw OSPFConvergenceError(problems: ["\(routers.count) of \(topology.routers) routers run OSPF"])
        }

        var signature = changeSignature(routers)
        var lastChange = network.now, lastChangeWall = loaded, lastEvents = network.sim.eventsFired
        while network.now - lastChange < quietPeriod {
            guard network.now < .zero + limit else {
                throw OSPFConvergenceError(problems: ["still changing after \(limit) of virtual time"])
            }
            network.run(until: network.now + step)
            let now = changeSignature(routers)
            if now != signature {
                signature = now
                lastChange = network.now
                lastChangeWall = clock.now
                lastEvents = network.sim.eventsFired
            }
        }
        let check: (lsas: Int, distinct: Int, summaries: Bool)
        do { check = try checkConvergence(routers, topology: topology, interAreaRoutes: interAreaRoutes) } catch var error as OSPFConvergenceError {
            error.problems.insert("last change at \(lastChange) virtual, watched until \(network.now)", at: 0)
            throw error
        }
        return OSPFBenchResult(routers: topology.routers, areas: topology.areas, loadSeconds: ScaleBenchmark.seconds(loaded - start),
                               wallSeconds: ScaleBenchmark.seconds(lastChangeWall - loaded),
                               virtualSeconds: Double(lastChange.nanoseconds) / 1e9, events: lastEvents,
                               lsas: check.lsas, distinctLSAs: check.distinct, peakRSSKB: ScaleBenchmark.memoryStatus("VmHWM"),
                               interArea: interAreaRoutes, summaries: check.summaries, loadRSSKB: loadRSS,
                               framePoolKB: network.frames.capacity * network.frames.slotSize / 1024, heapKB: Int((liveBytes?() ?? 0) / 1024), loadHeapKB: loadHeap)
    }

    /// Every router's node and its OSPF process, in node order.
    public static func ospfRouters(_ lab: Lab) -> [(node: IPNode, process: OSPFProcess)] {
        lab.network.devices.indices.compactMap { i in
            guard let node = lab.network.ipNode(NodeID(i)), let p = node.protocols.lazy.compactMap({ $0 as? OSPFProcess }).first
            else { return nil }
            return (node, p)
        }
    }

    /// Changes whenever a database or a routing table changes. - Complexity: O(routers × areas).
    static func changeSignature(_ routers: [(node: IPNode, process: OSPFProcess)]) -> UInt64 {
        var sum: UInt64 = 0
        for (node, p) in routers {
            sum &+= node.routes.generation &+ p.flooding.asExternalDatabase.version
            for db in p.flooding.areaDatabases.values { sum &+= db.version }
        }
        return sum
    }

    /// Whether the convergence check asks every router for a route to every loopback of every area
    /// (inter-area routes, RFC 2328 §16.2) rather than those of the areas it is attached to. Off while
    /// non-backbone areas are being finished (ABRs already originate summary-LSAs, but not every
    /// router gets its inter-area routes); turn it on when they are, `--inter-area` meanwhile.
    public static let requireInterAreaRoutesByDefault = true

    /// "Converged": in each area every router's database holds the same instances, and every router
    /// has a route to every loopback — of every area with `interAreaRoutes`, else of the areas it is
    /// attached to. Throws the problems found (the first 20). Returns the LSA counts and whether any
    /// database holds a summary-LSA.
    public static func checkConvergence(_ routers: [(node: IPNode, process: OSPFProcess)], topology: OSPFBenchTopology,
                                        interAreaRoutes: Bool = requireInterAreaRoutesByDefault)
        throws -> (lsas: Int, distinct: Int, summaries: Bool) {
        var problems: [String] = []
        func problem(_ text: @autoclosure () -> String) { if problems.count < 20 { problems.append(text()) } }
        var byArea: [AreaID: [Int]] = [:]
        var lsas = 0
        var distinct = Set<ObjectIdentifier>()
        var summaries = false
        for (r, (_, p)) in routers.enumerated() {
            for (area, db) in p.flooding.areaDatabases {
                byArea[area, default: []].append(r)
                lsas += db.count
            }
            lsas += p.flooding.asExternalDatabase.count
        }
        // The same instances everywhere in an area (RFC 2328 §13: what flooding is for).
        for (area, members) in byArea.sorted(by: { $0.key < $1.key }) {
            let reference = routers[members[0]].process
            let entries = reference.flooding.database(.area(area)).sortedEntries
            if entries.contains(where: { $0.key.type == .summaryNetwork }) { summaries = true }
            for r in members {
                let db = routers[r].process.flooding.database(.area(area))
                if db.count != entries.count {
                    problem("area \(area): \(routers[r].node.name) holds \(db.count) LSAs, \(reference.routerID) \(entries.count)")
                }
                for e in entries {
                    guard let mine = db[e.key] else { problem("area \(area): \(routers[r].node.name) lacks \(e.key)"); continue }
                    distinct.insert(ObjectIdentifier(mine.instance))
                    if mine.instance.sequenceNumber != e.instance.sequenceNumber || mine.instance.checksum != e.instance.checksum {
                        problem("area \(area): \(routers[r].node.name) holds another instance of \(e.key)")
                    }
                }
            }
        }
        // A route to every loopback.
        let loopbacks = (1...topology.areas).map { topology.loopbacks(ofArea: $0) }
        let all = loopbacks.flatMap { $0 }
        for (node, p) in routers {
            let wanted = interAreaRoutes ? all : p.flooding.areaDatabases.keys.filter { !$0.isBackbone }.sorted()
                .flatMap { loopbacks[Int($0.rawValue) - 1] }
            for address in wanted where node.routes.lookup(address) == nil {
                problem("\(node.name) has no route to \(address)")
            }
        }
        guard problems.isEmpty else {
            throw OSPFConvergenceError(problems: [interAreaRoutes ? "every router must reach every loopback (inter-area routes)"
                                                                  : "every router must reach its areas' loopbacks"] + problems)
        }
        return (lsas, distinct.count, summaries)
    }
}
