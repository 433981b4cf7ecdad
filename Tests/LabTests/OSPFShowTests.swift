import Foundation
import Engine
@testable import Fabric
import IOSConfig
@testable import Lab
@testable import Protocols
import Testing
import Wire

/// The OSPF `show` commands on the triangle lab (Topologies/ospf-triangle.yaml), line by line.
///
///   H1 ---- R1 ==Gi0/0== R2 ==Gi0/1== R3 ---- H3
///            \___________ T1 _____________/
///   R1: Lo0 1.1.1.1, Gi0/0 10.0.12.1 (BDR), Se0/0 10.0.13.1, Gi0/1 10.1.0.1 passive
@Suite struct OSPFShowTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func run(_ lab: Lab, to seconds: Int64) {
        while lab.network.now < .zero + .seconds(seconds) {
            _ = lab.network.run(until: .zero + .seconds(seconds), maxEvents: 1_000_000)
        }
    }

    func triangle(until seconds: Int64 = 60) throws -> Lab {
        let path = Self.root + "/Topologies/ospf-triangle.yaml"
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "ospf-triangle.yaml"), modules: [OSPFModule.self])
        run(lab, to: seconds)
        return lab
    }

    func process(_ lab: Lab, _ name: String, _ id: Int = 1) throws -> OSPFProcess {
        try #require(lab.network.ipNode(lab.node(name)!)?.protocols.compactMap { $0 as? OSPFProcess }
            .first { $0.processID == id })
    }

    func lines(_ lab: Lab, _ device: String, _ command: String) throws -> [String] {
        try lab.show(device: device, command: command).components(separatedBy: "\n")
    }

    @Test func showIPOSPFPrintsTheProcessTimersAndTheBackbone() throws {
        let lab = try triangle()
        let r1 = try process(lab, "R1")
        let out = try lines(lab, "R1", "show ip ospf")
        let db = r1.flooding.database(.area(.backbone)).sortedEntries
        let sum = db.reduce(0) { $0 + Int($1.instance.checksum) }
        let last = try #require(r1.lastSPFAt)
        #expect(r1.spfRuns > 0)
        #expect(Array(out.prefix(6)) == [
            " Routing Process \"ospf 1\" with ID 1.1.1.1",
            " Supports only single TOS(TOS0) routes",
            " Supports opaque LSA",
            " Supports Link-local Signaling (LLS)",
            " Supports area transit capability",
            " Supports NSSA (compatible with RFC 3101)",
        ])
        for line in [" Initial SPF schedule delay 5000 msecs",
                     " Minimum hold time between two consecutive SPFs 10000 msecs",
                     " Maximum wait time between two consecutive SPFs 10000 msecs",
                     " Incremental-SPF disabled",
                     " Minimum LSA arrival 1000 msecs",
                     " Number of external LSA 0. Checksum Sum 0x000000",
                     " Number of areas in this router is 1. 1 normal 0 stub 0 nssa",
                     " Reference bandwidth unit is 100 mbps"] {
            #expect(out.contains(line), "\(line)\n\(out.joined(separator: "\n"))")
        }
        #expect(!out.contains { $0.contains("area border") || $0.contains("boundary router") }, "an internal router")
        let area = try #require(out.firstIndex(of: "    Area BACKBONE(0)"))
        #expect(Array(out[area...]) == [
            "    Area BACKBONE(0)",
            "        Number of interfaces in this area is 4 (1 loopback)",
            "        Area has no authentication",
            "        SPF algorithm last executed \(OSPFShow.preciseUptime(lab.network.now - last)) ago",
            "        SPF algorithm executed \(r1.spfRuns) times",
            "        Area ranges are",
            "        Number of LSA \(db.count). Checksum Sum 0x\(OSPFShow.hex(UInt64(sum), digits: 6))",
            "        Number of opaque link LSA 0. Checksum Sum 0x000000",
            "        Number of DCbitless LSA \(db.count)",
            "        Number of DoNotAge LSA 0",
        ])
        #expect(db.count == 5, "three router-LSAs and two network-LSAs")
    }

    @Test func configuredThrottlesReplaceTheDefaults() throws {
        let lab = try triangle(until: 1)
        var settings = try process(lab, "R1").settings
        settings.spfThrottle = OSPFThrottle(start: 50, hold: 200, maximum: 5000)
        settings.lsaThrottle = OSPFThrottle(start: 0, hold: 20, maximum: 5000)
        let p = OSPFProcess(processID: 7, settings: settings, interfaces: [:])
        let out = OSPFShow.process(p, now: lab.network.now).components(separatedBy: "\n")
        for line in [" Initial SPF schedule delay 50 msecs", " Minimum hold time between two consecutive SPFs 200 msecs",
                     " Maximum wait time between two consecutive SPFs 5000 msecs", " Initial LSA throttle delay 0 msecs",
                     " Minimum hold time for LSA throttle 20 msecs", " Maximum wait time for LSA throttle 5000 msecs"] {
            #expect(out.contains(line), "\(line)")
        }
        #expect(!out.contains(" Minimum LSA interval 5 secs"))
    }

    @Test func neighborDetailCountsStateChangesAndTimesTheNeighbor() throws {
        let lab = try triangle()
        let r1 = try process(lab, "R1")
        let n = try #require(r1.flooding.interfaces[0].neighbors.first)
        let now = lab.network.now
        let out = try lines(lab, "R1", "show ip ospf neighbor detail")
        #expect(Array(out.prefix(9)) == [
            " Neighbor 2.2.2.2, interface address 10.0.12.2",
            "    In the area 0 via interface GigabitEthernet0/0",
            "    Neighbor priority is 1, State is FULL, 6 state changes",
            "    DR is 10.0.12.2 BDR is 10.0.12.1",
            "    Options is 0x2 in Hello (E-bit)",
            "    Options is 0x2 in DBD (E-bit)",
            "    Dead timer due in \(OSPFShow.clock(OSPFShow.seconds(n.inactivityDeadline! - now)))",
            "    Neighbor is up for \(OSPFShow.uptime(now - n.bidirectionalSince!))",
            "    Index 1/1/1, retransmission queue length 0, number of retransmission \(n.retransmissions)",
        ])
        #expect(out.contains(" Neighbor 3.3.3.3, interface address 10.0.13.2"))
        #expect(out.contains("    In the area 0 via interface Serial0/0"))
        // Down → Init → ExStart on a point-to-point link (no 2-Way stop) → Exchange → Loading → Full.
        #expect(out.contains("    Neighbor priority is 1, State is FULL, 5 state changes"), "\(out)")
        #expect(out.contains { $0.hasPrefix("    Index 1/2/2, ") })
    }

    @Test func interfaceDetailDescribesABroadcastLinkAPassiveOneAndALoopback() throws {
        let lab = try triangle()
        let r1 = try process(lab, "R1")
        let gi00 = try lines(lab, "R1", "show ip ospf interface Gi0/0")
        let started = try #require(r1.flooding.interfaces[0].helloTimerStartedAt)
        // Hellos go out every 10 s from the timer's start.
        let elapsed = (lab.network.now - started).nanoseconds, interval: Int64 = 10_000_000_000
        let due = ((elapsed / interval + 1) * interval - elapsed) / 1_000_000_000
        #expect(gi00 == [
            "GigabitEthernet0/0 is up, line protocol is up",
            "  Internet Address 10.0.12.1/24, Area 0, Attached via Network Statement",
            "  Process ID 1, Router ID 1.1.1.1, Network Type BROADCAST, Cost: 1",
            "  Topology-MTID    Cost    Disabled    Shutdown      Topology Name",
            "        0           1         no          no            Base",
            "  Transmit Delay is 1 sec, State BDR, Priority 1",
            "  Designated Router (ID) 2.2.2.2, Interface address 10.0.12.2",
            "  Backup Designated router (ID) 1.1.1.1, Interface address 10.0.12.1",
            "  Timer intervals configured, Hello 10, Dead 40, Wait 40, Retransmit 5",
            "    Hello due in \(OSPFShow.clock(due))",
            "  Index 1/1, flood queue length 0",
            "  Neighbor Count is 1, Adjacent neighbor count is 1",
            "    Adjacent with neighbor 2.2.2.2  (Designated Router)",
            "  Suppress hello for 0 neighbor(s)",
        ])
        let all = try lines(lab, "R1", "show ip ospf interface")
        #expect(all.contains("    No Hellos (Passive interface)"))
        #expect(all.contains("  Process ID 1, Router ID 1.1.1.1, Network Type POINT_TO_POINT, Cost: 64"))
        #expect(all.contains("    Adjacent with neighbor 3.3.3.3"))
        let loopback = try lines(lab, "R1", "show ip ospf interface Loopback0")
        #expect(loopback.last == "  Loopback interface is treated as a stub Host")
        #expect(loopback.contains("  Process ID 1, Router ID 1.1.1.1, Network Type LOOPBACK, Cost: 1"))
        #expect(try lab.show(device: "R1", command: "show ip ospf interface Gi0/3") == "", "not an OSPF interface")
    }

    @Test func interfaceBriefListsEveryInterfaceInColumns() throws {
        let lab = try triangle()
        #expect(try lines(lab, "R1", "show ip ospf interface brief") == [
            "Interface    PID   Area            IP Address/Mask    Cost  State Nbrs F/C",
            "Gi0/0        1     0               10.0.12.1/24       1     BDR   1/1",
            "Gi0/1        1     0               10.1.0.1/24        1     P2P   0/0",
            "Se0/0        1     0               10.0.13.1/30       64    P2P   1/1",
            "Lo0          1     0               1.1.1.1/32         1     LOOP  0/0",
        ])
        #expect(try lines(lab, "R2", "show ip ospf interface brief").contains(
            "Gi0/0        1     0               10.0.12.2/24       1     DR    1/1"))
    }

    @Test func aBackboneOnlyLabHasNoBorderRouters() throws {
        let lab = try triangle()
        #expect(try lines(lab, "R1", "show ip ospf border-routers") == [
            "", "            OSPF Router with ID (1.1.1.1) (Process ID 1)", "", "",
            "                Base Topology (MTID 0)", "",
            "Internal Router Routing Table",
            "Codes: i - Intra-area route, I - Inter-area route", "",
        ])
    }

    @Test func databaseDetailViewsOfTheLiveDatabase() throws {
        let lab = try triangle()
        let r1 = try process(lab, "R1")
        let entry = try #require(r1.flooding.database(.area(.backbone))
            .entry(type: .router, linkStateID: IPv4Address(2, 2, 2, 2), advertisingRouter: IPv4Address(2, 2, 2, 2)))
        let out = try lines(lab, "R1", "show ip ospf database router 2.2.2.2")
        #expect(Array(out.prefix(16)) == [
            "", "            OSPF Router with ID (1.1.1.1) (Process ID 1)",
            "", "                Router Link States (Area 0)", "",
            "  LS age: \(entry.age(at: lab.network.now))",
            "  Options: (No TOS-capability, No DC)",
            "  LS Type: Router Links",
            "  Link State ID: 2.2.2.2",
            "  Advertising Router: 2.2.2.2",
            "  LS Seq Number: \(OSPFShow.hex(UInt64(UInt32(bitPattern: entry.lsa.sequenceNumber)), digits: 8))",
            "  Checksum: 0x\(OSPFShow.hex(UInt64(entry.instance.checksum), digits: 1))",
            "  Length: 60",
            "  Number of Links: 3",
            "",
            "    Link connected to: a Transit Network",
        ])
        #expect(out.contains("     (Link ID) Designated Router address: 10.0.12.2"))
        #expect(out.contains("     (Link ID) Network/subnet number: 2.2.2.2"))
        #expect(out.contains("     (Link Data) Network Mask: 255.255.255.255"))
        let r1Links = try lines(lab, "R1", "show ip ospf database router 1.1.1.1")
        #expect(r1Links.contains("    Link connected to: another Router (point-to-point)"))
        #expect(r1Links.contains("     (Link ID) Neighboring Router ID: 3.3.3.3"))
        #expect(r1Links.contains("       TOS 0 Metrics: 64"))
        let network = try lines(lab, "R1", "show ip ospf database network 10.0.12.2")
        #expect(network.contains("  Link State ID: 10.0.12.2 (address of Designated Router)"))
        #expect(network.contains("  Network Mask: /24"))
        #expect(network.contains("        Attached Router: 2.2.2.2") && network.contains("        Attached Router: 1.1.1.1"))
        #expect(try lines(lab, "R1", "show ip ospf database router 9.9.9.9")
            == ["", "            OSPF Router with ID (1.1.1.1) (Process ID 1)"])
        #expect(try lines(lab, "R1", "show ip ospf database external")
            == ["", "            OSPF Router with ID (1.1.1.1) (Process ID 1)"])
        let mine = try lab.show(device: "R2", command: "show ip ospf database self-originate")
        #expect(mine.contains("2.2.2.2         2.2.2.2         ") && mine.contains("10.0.12.2       2.2.2.2         "))
        #expect(!mine.contains("1.1.1.1         1.1.1.1         "), "\(mine)")
    }

    @Test func showIPProtocolsHasTheOSPFSection() throws {
        let lab = try triangle()
        let out = try lines(lab, "R1", "show ip protocols")
        let r1 = try process(lab, "R1")
        let sources = OSPFShow.informationSources(r1)
        #expect(sources.map(\.0) == [IPv4Address(2, 2, 2, 2), IPv4Address(3, 3, 3, 3)])
        #expect(out == [
            "*** IP Routing is NSF aware ***",
            "",
            "Routing Protocol is \"ospf 1\"",
            "  Outgoing update filter list for all interfaces is not set",
            "  Incoming update filter list for all interfaces is not set",
            "  Router ID 1.1.1.1",
            "  Number of areas in this router is 1. 1 normal 0 stub 0 nssa",
            "  Maximum path: 4",
            "  Routing for Networks:",
            "    10.0.0.0 0.255.255.255 area 0",
            "    1.1.1.1 0.0.0.0 area 0",
            " Reference bandwidth unit is 100 mbps",
            "  Passive Interface(s):",
            "    GigabitEthernet0/1",
            "  Routing Information Sources:",
            "    Gateway         Distance      Last Update",
        ] + sources.map { "    \(OSPFShow.pad($0.0.description, 16))     110      \(OSPFShow.uptime(lab.network.now - $0.1))" } + [
            "  Distance: (default is 110)",
            "",
        ])
        #expect(try lab.show(device: "H1", command: "show ip protocols") == "*** IP Routing is NSF aware ***\n")
    }

    static let twoProcesses = """
        nodes:
          R1:
            kind: router
            config: |
              interface Loopback0
               ip address 1.1.1.1 255.255.255.255
              interface Gi0/0
               ip address 10.0.12.1 255.255.255.0
               no shutdown
              interface Gi0/1
               ip address 10.0.99.1 255.255.255.0
               no shutdown
              router ospf 2
               network 10.0.99.0 0.0.0.255 area 0
              router ospf 1
               network 10.0.12.0 0.0.0.255 area 0
          R2:
            kind: router
            config: |
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              interface Gi0/0
               ip address 10.0.12.2 255.255.255.0
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
        links:
          - endpoints: [R1:Gi0/0, R2:Gi0/0]
        """

    @Test func severalProcessesPrintInProcessOrder() throws {
        let path = LabFiles().write("two.yaml", Self.twoProcesses)
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "two.yaml"), modules: [OSPFModule.self])
        run(lab, to: 60)
        let ospf = try lab.show(device: "R1", command: "show ip ospf")
        let first = try #require(ospf.range(of: "Routing Process \"ospf 1\" with ID 1.1.1.1"))
        let second = try #require(ospf.range(of: "Routing Process \"ospf 2\" with ID 1.1.1.1"))
        #expect(first.lowerBound < second.lowerBound)
        let brief = try lines(lab, "R1", "show ip ospf interface brief")
        #expect(brief == [
            "Interface    PID   Area            IP Address/Mask    Cost  State Nbrs F/C",
            "Gi0/0        1     0               10.0.12.1/24       1     BDR   1/1",
            "Gi0/1        2     0               10.0.99.1/24       1     DOWN  0/0",
        ])
        // Gi0/1 has no cable: its line protocol is down, and so is the OSPF interface.
        let down = try lines(lab, "R1", "show ip ospf interface Gi0/1")
        #expect(down.first == "GigabitEthernet0/1 is down, line protocol is down")
        #expect(down.contains("  Transmit Delay is 1 sec, State DOWN, Priority 1"))
        #expect(down.contains("  No designated router on this network"))
        #expect(down.last == "  Timer intervals configured, Hello 10, Dead 40, Wait 40, Retransmit 5")
        let protocols = try lab.show(device: "R1", command: "show ip protocols")
        #expect(protocols.contains("Routing Protocol is \"ospf 1\"\n") && protocols.contains("\n\nRouting Protocol is \"ospf 2\"\n"))
        let database = try lab.show(device: "R1", command: "show ip ospf database")
        #expect(database.contains("(Process ID 1)") && database.contains("(Process ID 2)"))
        #expect(try lab.show(device: "R2", command: "show ip ospf neighbor detail")
            .contains(" Neighbor 1.1.1.1, interface address 10.0.12.1"))
    }

    static let twoAreas = """
        nodes:
          R1:
            kind: router
            config: |
              interface Loopback0
               ip address 1.1.1.1 255.255.255.255
              interface Serial0/0
               ip address 10.0.12.1 255.255.255.252
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
          R2:
            kind: router
            config: |
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              interface Serial0/0
               ip address 10.0.12.2 255.255.255.252
               no shutdown
              interface Serial0/1
               ip address 10.0.23.1 255.255.255.252
               no shutdown
              router ospf 1
               network 10.0.23.0 0.0.0.3 area 1
               network 0.0.0.0 255.255.255.255 area 0
          R3:
            kind: router
            config: |
              interface Loopback0
               ip address 3.3.3.3 255.255.255.255
              interface Serial0/0
               ip address 10.0.23.2 255.255.255.252
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 1
        links:
          - endpoints: [R1:Serial0/0, R2:Serial0/0]
          - endpoints: [R2:Serial0/1, R3:Serial0/0]
        """

    /// R1 (area 0) --- R2 (ABR) --- R3 (area 1), serial links of cost 64.
    @Test func anAreaBorderRouterAndItsSummariesShowEverywhere() throws {
        let path = LabFiles().write("areas.yaml", Self.twoAreas)
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "areas.yaml"), modules: [OSPFModule.self])
        run(lab, to: 60)
        let r2 = try lines(lab, "R2", "show ip ospf")
        for line in [" It is an area border router", " Number of areas in this router is 2. 2 normal 0 stub 0 nssa",
                     "    Area BACKBONE(0)", "        Number of interfaces in this area is 2 (1 loopback)",
                     "    Area 1", "        Number of interfaces in this area is 1"] {
            #expect(r2.contains(line), "\(line)\n\(r2.joined(separator: "\n"))")
        }
        let r1 = try process(lab, "R1"), r3 = try process(lab, "R3")
        #expect(try lines(lab, "R1", "show ip ospf border-routers").last
            == "i 2.2.2.2 [64] via 10.0.12.2, Serial0/0, ABR, Area 0, SPF \(r1.spfRuns)")
        #expect(try lines(lab, "R3", "show ip ospf border-routers").last
            == "i 2.2.2.2 [64] via 10.0.23.1, Serial0/0, ABR, Area 1, SPF \(r3.spfRuns)")
        #expect(try lines(lab, "R1", "show ip ospf database").contains("                Summary Net Link States (Area 0)"))
        let summary = try lines(lab, "R3", "show ip ospf database summary 10.0.12.0")
        #expect(Array(summary.prefix(4)) == ["", "            OSPF Router with ID (3.3.3.3) (Process ID 1)",
                                             "", "                Summary Net Link States (Area 1)"])
        #expect(Array(summary.suffix(9)) == [
            "  LS Type: Summary Links(Network)",
            "  Link State ID: 10.0.12.0 (summary Network Number)",
            "  Advertising Router: 2.2.2.2",
            "  LS Seq Number: 80000001",
            summary[summary.count - 5],
            "  Length: 28",
            "  Network Mask: /30",
            "        MTID: 0         Metric: 64",
            "",
        ])
        let protocols = try lines(lab, "R2", "show ip protocols")
        #expect(protocols.contains("  It is an area border router"))
        #expect(protocols.contains("    10.0.23.0 0.0.0.3 area 1"))
        #expect(try lines(lab, "R2", "show ip ospf interface brief") == [
            "Interface    PID   Area            IP Address/Mask    Cost  State Nbrs F/C",
            "Se0/0        1     0               10.0.12.2/30       64    P2P   1/1",
            "Se0/1        1     1               10.0.23.1/30       64    P2P   1/1",
            "Lo0          1     0               2.2.2.2/32         1     LOOP  0/0",
        ])
    }

    @Test func stubAndNSSAAreasSayWhatTheyAre() {
        var settings = OSPFProcessSettings()
        var stub = OSPFAreaSettings(), nssa = OSPFAreaSettings()
        stub.kind = .stub(noSummary: true)
        var options = NSSAOptions()
        options.noSummary = false
        nssa.kind = .nssa(options)
        settings.areas = [AreaID(rawValue: 1): stub, AreaID(rawValue: 2): nssa]
        let p = OSPFProcess(processID: 1, settings: settings, interfaces: [:])
        let stubLines = OSPFShow.areaLines(p, AreaID(rawValue: 1), now: .zero)
        #expect(Array(stubLines.prefix(4)) == ["    Area 1", "        Number of interfaces in this area is 0",
                                               "        It is a stub area, no summary LSA in this area",
                                               "        Area has no authentication"])
        #expect(OSPFShow.areaLines(p, AreaID(rawValue: 2), now: .zero)[2] == "        It is a NSSA area")
        #expect(OSPFShow.borderRole([.b, .e]) == "It is an area border and autonomous system boundary router")
        #expect(OSPFShow.borderRole([.e]) == "It is an autonomous system boundary router")
        #expect(OSPFShow.borderRole([]) == nil)
    }

    @Test func aHostHasNoOSPF() throws {
        let lab = try triangle(until: 1)
        #expect(throws: ShowError.self) { try lab.show(device: "H1", command: "show ip ospf") }
    }
}
