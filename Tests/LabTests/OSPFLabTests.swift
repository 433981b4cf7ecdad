import Foundation
import Engine
@testable import Fabric
import IOSConfig
@testable import Lab
import Protocols
import Testing
import Wire

/// OSPF run end to end from topology files: adjacencies, databases, routes in the RIB, link failures.
@Suite struct OSPFLabTests {
    static let lan = """
        nodes:
          R1:
            kind: router
            config: |
              interface Loopback0
               ip address 1.1.1.1 255.255.255.255
              interface Gi0/0
               ip address 10.0.12.1 255.255.255.0
               no shutdown
              router ospf 1
               network 10.0.12.0 0.0.0.255 area 0
               network 1.1.1.1 0.0.0.0 area 0
          R2:
            kind: router
            config: |
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              interface Gi0/0
               ip address 10.0.12.2 255.255.255.0
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0.0.0.0
        links:
          - endpoints: [R1:Gi0/0, R2:Gi0/0]
            bandwidth: 100M
            delay: 1ms
        """

    static let chain = """
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
               router-id 33.33.33.33
               network 0.0.0.0 255.255.255.255 area 0
        links:
          - endpoints: [R1:Serial0/0, R2:Serial0/0]
          - endpoints: [R2:Serial0/1, R3:Serial0/0]
        """

    func lab(_ topology: String) throws -> Lab {
        let path = LabFiles().write("topo.yaml", topology)
        return try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [OSPFModule.self])
    }

    func run(_ lab: Lab, to seconds: Int64) {
        while lab.network.now < .zero + .seconds(seconds) {
            _ = lab.network.run(until: .zero + .seconds(seconds), maxEvents: 1_000_000)
        }
    }

    func process(_ lab: Lab, _ name: String) throws -> OSPFProcess {
        try #require(lab.network.ipNode(lab.node(name)!)?.protocols.compactMap { $0 as? OSPFProcess }.first)
    }

    func route(_ lab: Lab, _ name: String, _ prefix: String) -> Route? {
        let node = lab.network.ipNode(lab.node(name)!)!
        return node.routes.selected.first { $0.key.description == prefix }?.value
    }

    @Test func twoRoutersOnALanBecomeFullAndLearnEachOthersLoopbacks() throws {
        let lab = try lab(Self.lan)
        run(lab, to: 60)
        let r1 = try process(lab, "R1"), r2 = try process(lab, "R2")
        #expect(r1.routerID == IPv4Address(1, 1, 1, 1) && r2.routerID == IPv4Address(2, 2, 2, 2))
        #expect(r1.flooding.interfaces.flatMap(\.neighbors).map(\.state).contains(.full))
        #expect(r2.flooding.interfaces.flatMap(\.neighbors).map(\.state).contains(.full))
        let states = [r1, r2].map { $0.flooding.interfaces.first { $0.type == .broadcast }!.state }
        #expect(states.contains(.dr) && states.contains(.backup), "\(states)")

        let neighbors = try lab.show(device: "R1", command: "show ip ospf neighbor")
        #expect(neighbors.contains("Neighbor ID     Pri   State           Dead Time   Address         Interface"), "\(neighbors)")
        #expect(neighbors.contains("2.2.2.2           1   FULL/DR         00:00:3"), "\(neighbors)")
        #expect(neighbors.contains("10.0.12.2       GigabitEthernet0/0"), "\(neighbors)")

        let r1Route = try #require(route(lab, "R1", "2.2.2.2/32"))
        #expect(r1Route.code == "O" && r1Route.metric == 2 && r1Route.distance == 110)
        #expect(r1Route.nextHops.first?.gateway == IPv4Address(10, 0, 12, 2))
        let r2Route = try #require(route(lab, "R2", "1.1.1.1/32"))
        #expect(r2Route.code == "O" && r2Route.metric == 2)
        let table = try lab.show(device: "R1", command: "show ip route")
        #expect(table.contains("2.2.2.2"), "\(table)")

        let logging = try lab.show(device: "R1", command: "show logging")
        #expect(logging.contains("%OSPF-5-ADJCHG: Process 1, Nbr 2.2.2.2 on GigabitEthernet0/0 from LOADING to FULL, Loading Done"),
                "\(logging)")

        let database = try lab.show(device: "R1", command: "show ip ospf database")
        #expect(database.contains("            OSPF Router with ID (1.1.1.1) (Process ID 1)"), "\(database)")
        #expect(database.contains("                Router Link States (Area 0)"))
        #expect(database.contains("Link ID         ADV Router      Age         Seq#       Checksum Link count"))
        #expect(database.contains("                Net Link States (Area 0)"), "\(database)")
        #expect(database.contains("10.0.12.2       2.2.2.2         "), "the DR's network-LSA: \(database)")
    }

    @Test func aChainOfSerialLinksSumsTheirCosts() throws {
        let lab = try lab(Self.chain)
        run(lab, to: 60)
        let r1To3 = try #require(route(lab, "R1", "3.3.3.3/32"))
        #expect(r1To3.metric == 129 && r1To3.code == "O", "64 + 64 + 1")
        let r1To23 = try #require(route(lab, "R1", "10.0.23.0/30"))
        #expect(r1To23.metric == 128)
        let r3To1 = try #require(route(lab, "R3", "1.1.1.1/32"))
        #expect(r3To1.metric == 129 && r3To1.nextHops.first?.gateway == IPv4Address(10, 0, 23, 1))
        let neighbors = try lab.show(device: "R2", command: "show ip ospf neighbor")
        #expect(neighbors.contains("33.33.33.33       0   FULL/  -") || neighbors.contains("33.33.33.33       1   FULL/  -"),
                "\(neighbors)")
    }

    @Test func aRouteGoesWithItsLinkAndComesBack() throws {
        let lab = try lab(Self.chain)
        run(lab, to: 60)
        #expect(route(lab, "R1", "3.3.3.3/32") != nil)
        let port = lab.network.port(of: lab.node("R3")!, named: "Serial0/0")!
        let link = lab.network.ports[port.index].link!
        lab.network.setLink(link, up: false)
        run(lab, to: 105)
        #expect(route(lab, "R1", "3.3.3.3/32") == nil, "gone once the dead interval has passed")
        lab.network.setLink(link, up: true)
        run(lab, to: 170)
        #expect(route(lab, "R1", "3.3.3.3/32")?.metric == 129, "back after the link came up")
        let logging = try lab.show(device: "R2", command: "show logging")
        #expect(logging.contains("Nbr 33.33.33.33 on Serial0/1 from FULL to DOWN"), "\(logging)")
    }

    @Test func theSameLabTwiceGivesTheSameDatabase() throws {
        let first = try lab(Self.lan), second = try lab(Self.lan)
        run(first, to: 90)
        run(second, to: 90)
        let a = try first.show(device: "R2", command: "show ip ospf database")
        let b = try second.show(device: "R2", command: "show ip ospf database")
        #expect(a == b && a.contains("1.1.1.1         1.1.1.1"), "\(a)")
    }

    @Test func garbageOSPFPacketsAreDroppedWithoutHarm() throws {
        let lab = try lab(Self.lan)
        run(lab, to: 60)
        let r2 = lab.network.ipNode(lab.node("R2")!)!
        let gi = r2.interfaces.firstIndex { $0.name == "GigabitEthernet0/0" }!
        var rng = SplitMix(seed: 7)
        var payloads: [[UInt8]] = [[], [2], [2, 1, 0, 44], Array(repeating: 0xFF, count: 64)]
        for length in [24, 44, 48, 100, 300] {
            payloads.append((0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        // A valid header whose body is cut short or lies about its length.
        payloads.append([2, 1, 0, 200, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0] + Array(repeating: 0, count: 16))
        payloads.append([2, 4, 0, 28, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0] + Array(repeating: 0, count: 8) + [0, 0, 0, 9])
        for payload in payloads {
            _ = r2.sendDatagram(.raw(IPProtocol(rawValue: 89), payload), to: IPv4Address(224, 0, 0, 5), from: nil, tos: 0xC0,
                                ttl: 1, via: gi, network: lab.network)
        }
        let before = try process(lab, "R1").droppedPackets
        run(lab, to: 70)
        #expect(try process(lab, "R1").droppedPackets >= before + payloads.count - 1)
        #expect(route(lab, "R1", "2.2.2.2/32") != nil, "the adjacency survives")
    }

    @Test func aScenarioRunsOSPFFromTheCatalog() throws {
        #expect(ProtocolCatalog.all.contains { $0 == OSPFModule.self })
        let files = LabFiles()
        files.write("topo.yaml", Self.chain)
        let (report, _) = try files.runScenario("""
            topology: topo.yaml
            duration: 200s
            events:
              - at: 60s
                link-down: R3:Serial0/0
              - at: 120s
                link-up: R3:Serial0/0
            expectations:
              - at: 55s
                route: {device: R1, prefix: 3.3.3.3/32, via: 10.0.12.2, code: O}
              - at: 55s
                device: R1
                command: show ip route
                contains: "[110/129] via 10.0.12.2"
              - at: 110s
                route: {device: R1, prefix: 3.3.3.3/32, present: false}
              - at: 190s
                route: {device: R1, prefix: 3.3.3.3/32, via: 10.0.12.2, code: O}
              - log: {device: R2, contains: "%OSPF-5-ADJCHG: Process 1, Nbr 33.33.33.33 on Serial0/1 from LOADING to FULL", count: "== 2"}
            """)
        #expect(report.failed == 0, "\(report.text())")
    }

    static let threeOnASwitch = """
        nodes:
          SW1: {kind: switch}
          R1:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.0.0.1 255.255.255.0
               ip ospf priority 0
               no shutdown
              router ospf 1
               network 10.0.0.0 0.0.0.255 area 0
          R2:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.0.0.2 255.255.255.0
               ip ospf priority 0
               no shutdown
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
          R3:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.0.0.3 255.255.255.0
               no shutdown
              router ospf 1
               network 10.0.0.0 0.0.0.255 area 0
        links:
          - endpoints: [R1:Gi0/0, SW1:Gi0/1]
          - endpoints: [R2:Gi0/0, SW1:Gi0/2]
          - endpoints: [R3:Gi0/0, SW1:Gi0/3]
        """

    @Test func drOthersStayTwoWayWithEachOtherAndFullWithTheDR() throws {
        let lab = try lab(Self.threeOnASwitch)
        run(lab, to: 90)
        let neighbors = try lab.show(device: "R1", command: "show ip ospf neighbor")
        #expect(neighbors.contains("2.2.2.2           0   2WAY/DROTHER    00:00:"), "\(neighbors)")
        #expect(neighbors.contains("10.0.0.3          1   FULL/DR"), "\(neighbors)")
        let viaDR = try #require(route(lab, "R1", "2.2.2.2/32"))
        #expect(viaDR.metric == 2 && viaDR.nextHops.first?.gateway == IPv4Address(10, 0, 0, 2),
                "the next hop is R2 itself, across the transit network")
        let database = try lab.show(device: "R3", command: "show ip ospf database")
        #expect(database.contains("10.0.0.3        10.0.0.3        "), "\(database)")
    }

    @Test func aCostChangedAtRunTimeChangesTheMetric() throws {
        let lab = try lab(Self.lan)
        run(lab, to: 60)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 2)
        let process = lab.network.ipNode(lab.node("R1")!)!.protocols.first { $0 is OSPFProcess }
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " ip ospf cost 10"], file: "s.yaml", line: 1)
        run(lab, to: 62)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 2, "IOS: SPF runs 5 s after the first change (timers throttle spf)")
        run(lab, to: 66)
        // RFC 2328 §12.4 / IOS: the router-LSA is re-originated; the process and its adjacency stay.
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 11, "within the SPF start delay, no dead interval waited")
        #expect(lab.network.ipNode(lab.node("R1")!)!.protocols.first { $0 is OSPFProcess } === process)
        #expect(try lab.show(device: "R1", command: "show ip ospf neighbor").contains("FULL/"))
        #expect(!lab.network.logs.contains { $0.text.contains("%OSPF-5-ADJCHG") && $0.text.contains("to DOWN") })
        run(lab, to: 150)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 11)
        #expect(route(lab, "R2", "1.1.1.1/32")?.metric == 2, "the cost is outgoing only")
        try lab.applyConfig(to: "R1", lines: ["no router ospf 1"], file: "s.yaml", line: 1)
        run(lab, to: 200)
        #expect(route(lab, "R2", "1.1.1.1/32") == nil, "gone with the process")
        #expect(throws: ShowError.self) { _ = try lab.show(device: "R1", command: "show ip ospf neighbor") }
    }

    @Test func wellFormedButWrongPacketsAreSurvived() throws {
        let lab = try lab(Self.lan)
        run(lab, to: 60)
        let r2 = lab.network.ipNode(lab.node("R2")!)!
        let gi = r2.interfaces.firstIndex { $0.name == "GigabitEthernet0/0" }!
        func send(_ packet: OSPFPacket, to destination: IPv4Address = IPv4Address(224, 0, 0, 5)) {
            var bytes = [UInt8](repeating: 0, count: packet.encodedLength)
            bytes.withUnsafeMutableBytes { packet.emit(into: $0) }
            _ = r2.sendDatagram(.raw(IPProtocol(rawValue: 89), bytes), to: destination, from: nil, tos: 0xC0, ttl: 1,
                                via: gi, network: lab.network)
        }
        let me = IPv4Address(2, 2, 2, 2), stranger = IPv4Address(9, 9, 9, 9), r1 = IPv4Address(10, 0, 12, 1)
        let hello = OSPFHello(networkMask: IPv4Address(255, 255, 255, 0), helloInterval: 10, options: .e, routerPriority: 1,
                              routerDeadInterval: 40, designatedRouter: .any, backupDesignatedRouter: .any, neighbors: [])
        send(OSPFPacket(routerID: stranger, areaID: IPv4Address(0, 0, 0, 1), body: .hello(hello)))   // another area
        var badHello = hello
        badHello.helloInterval = 3
        send(OSPFPacket(routerID: stranger, areaID: .any, body: .hello(badHello)))                   // mismatched timers
        send(OSPFPacket(routerID: IPv4Address(1, 1, 1, 1), areaID: .any, body: .hello(hello)))      // R1's own router ID
        send(OSPFPacket(routerID: stranger, areaID: .any, body: .databaseDescription(
            OSPFDatabaseDescription(interfaceMTU: 9000, options: .e, flags: [.i, .m, .ms], sequenceNumber: 7, headers: []))), to: r1)
        send(OSPFPacket(routerID: stranger, areaID: .any, body: .linkStateRequest([
            LSARequest(type: .router, linkStateID: stranger, advertisingRouter: stranger)])), to: r1)
        send(OSPFPacket(routerID: stranger, areaID: .any, body: .linkStateAcknowledgment([])), to: r1)
        send(OSPFPacket(routerID: me, areaID: .any, body: .linkStateAcknowledgment([
            LSAHeader(age: 1, options: .e, type: .router, linkStateID: me, advertisingRouter: me, sequenceNumber: 5,
                      checksum: 1, length: 24)])), to: r1)
        // An update with an LSA of an unknown type and a router-LSA claiming to be R1's own, newer than R1's.
        let fake = LSA(options: .e, type: .router, linkStateID: IPv4Address(1, 1, 1, 1), advertisingRouter: IPv4Address(1, 1, 1, 1),
                       sequenceNumber: LSAHeader.initialSequenceNumber &+ 100, body: .router(RouterLSA(links: [])))
        send(OSPFPacket(routerID: me, areaID: .any, body: .linkStateUpdate([fake])), to: r1)
        run(lab, to: 65)
        let fought = try process(lab, "R1").flooding.database(.area(.backbone))
            .entry(type: .router, linkStateID: IPv4Address(1, 1, 1, 1), advertisingRouter: IPv4Address(1, 1, 1, 1))
        #expect((fought?.lsa.sequenceNumber ?? 0) == LSAHeader.initialSequenceNumber &+ 101,
                "R1 answers a newer copy of its own LSA with the next sequence number (RFC 2328 §13.4)")
        // The real neighbor asks for an LSA nobody has: BadLSReq, and the adjacency forms again.
        send(OSPFPacket(routerID: me, areaID: .any, body: .linkStateRequest([
            LSARequest(type: .network, linkStateID: stranger, advertisingRouter: stranger)])), to: r1)
        run(lab, to: 120)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 2, "the adjacency and the routes came back")
        #expect(route(lab, "R2", "1.1.1.1/32")?.metric == 2, "R1 fought back its own LSA with a newer instance")
        let r1Process = try process(lab, "R1")
        #expect(r1Process.flooding.interfaces.flatMap(\.neighbors).allSatisfy { $0.neighborID != stranger || $0.state < .exStart })
    }

    @Test func theExampleScenarioPasses() throws {
        let root = String(#filePath).components(separatedBy: "/Tests/LabTests/")[0]
        let runner = try ScenarioRunner(try ScenarioFile.parse(path: root + "/Scenarios/ospf.yaml", displayName: "ospf.yaml"))
        let report = try runner.run()
        #expect(report.failed == 0, "\(report.text())")
    }

    /// Valid packets of every type with a few bytes changed and the checksum made right again, so they get past
    /// the checksum into the parsers and the state machines.
    @Test func mutatedPacketsWithGoodChecksumsDoNotTrap() throws {
        let lab = try lab(Self.lan)
        run(lab, to: 60)
        let r2 = lab.network.ipNode(lab.node("R2")!)!
        let gi = r2.interfaces.firstIndex { $0.name == "GigabitEthernet0/0" }!
        let me = IPv4Address(2, 2, 2, 2), r1 = IPv4Address(1, 1, 1, 1)
        let lsas = try process(lab, "R2").flooding.database(.area(.backbone)).sortedEntries.map(\.lsa)
        let hello = OSPFHello(networkMask: IPv4Address(255, 255, 255, 0), helloInterval: 10, options: .e, routerPriority: 1,
                              routerDeadInterval: 40, designatedRouter: IPv4Address(10, 0, 12, 2),
                              backupDesignatedRouter: IPv4Address(10, 0, 12, 1), neighbors: [r1])
        let bodies: [OSPFPacketBody] = [
            .hello(hello),
            .databaseDescription(OSPFDatabaseDescription(interfaceMTU: 1500, options: .e, flags: [.m], sequenceNumber: 1,
                                                         headers: lsas.map(\.header))),
            .linkStateRequest(lsas.map { LSARequest(type: $0.type, linkStateID: $0.linkStateID, advertisingRouter: $0.advertisingRouter) }),
            .linkStateUpdate(lsas),
            .linkStateAcknowledgment(lsas.map(\.header)),
        ]
        let templates: [[UInt8]] = bodies.map { body in
            let packet = OSPFPacket(routerID: me, areaID: .any, body: body)
            var bytes = [UInt8](repeating: 0, count: packet.encodedLength)
            bytes.withUnsafeMutableBytes { packet.emit(into: $0) }
            return bytes
        }
        for var t in templates {
            let emitted = (t[12], t[13])
            t[12] = 0
            t[13] = 0
            let sum = InternetChecksum.checksum(Array(t[0..<16] + t[24...]))
            #expect(emitted == (UInt8(sum >> 8), UInt8(sum & 0xFF)), "the test computes the checksum as emit does")
        }
        var rng = SplitMix(seed: 89)
        for round in 0..<400 {
            var bytes = templates[round % templates.count]
            for _ in 0...(Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            // RFC 2328 D.4: the checksum covers the packet but the 64-bit authentication field.
            bytes[12] = 0
            bytes[13] = 0
            if bytes.count >= 24 {
                let sum = InternetChecksum.checksum(Array(bytes[0..<16] + bytes[24...]))
                bytes[12] = UInt8(sum >> 8)
                bytes[13] = UInt8(sum & 0xFF)
            }
            _ = r2.sendDatagram(.raw(IPProtocol(rawValue: 89), bytes), to: IPv4Address(224, 0, 0, 5), from: nil, tos: 0xC0,
                                ttl: 1, via: gi, network: lab.network)
            if round % 20 == 19 { run(lab, to: 60 + Int64(round / 20) + 1) }
        }
        run(lab, to: 300)
        let full = try process(lab, "R1").flooding.interfaces.flatMap(\.neighbors).filter { $0.state == .full }.map(\.neighborID)
        #expect(full.contains(me), "the real adjacency is Full again once the noise stops")
        #expect(route(lab, "R1", "2.2.2.2/32") != nil)
    }

    @Test func aRouterStoppedAndStartedAgainFormsItsAdjacencyAfresh() throws {
        let lab = try lab(Self.lan)
        run(lab, to: 60)
        lab.stop("R2")
        run(lab, to: 110)
        #expect(route(lab, "R1", "2.2.2.2/32") == nil)
        lab.start("R2")
        run(lab, to: 200)
        #expect(route(lab, "R1", "2.2.2.2/32")?.metric == 2)
        #expect(route(lab, "R2", "1.1.1.1/32")?.metric == 2)
        let r2 = try process(lab, "R2")
        let own = r2.flooding.database(.area(.backbone)).entry(type: .router, linkStateID: r2.routerID, advertisingRouter: r2.routerID)
        #expect((own?.lsa.sequenceNumber ?? 0) > LSAHeader.initialSequenceNumber &+ 1,
                "the restarted router outnumbers the instance it originated before it stopped")
    }

    @Test func twoHoursLaterTheLSAsHaveBeenRefreshedAndTheRoutesStay() throws {
        let lab = try lab(Self.chain)
        run(lab, to: 7300)
        #expect(route(lab, "R1", "3.3.3.3/32")?.metric == 129)
        let database = try lab.show(device: "R2", command: "show ip ospf database")
        let ages = database.split(separator: "\n").filter { $0.hasPrefix("1.1.1.1 ") || $0.hasPrefix("2.2.2.2 ") || $0.hasPrefix("33.33.33.33 ") }
            .compactMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[2]) }
        #expect(ages.count == 3 && ages.allSatisfy { $0 < 1800 }, "every LSA was refreshed within LSRefreshTime: \(database)")
        #expect(database.contains("0x80000005") || database.contains("0x80000006"), "\(database)")
    }

    @Test func ospfCommandsAreForRoutersAndPrintInTheRunningConfig() throws {
        let lab = try lab(Self.lan.replacingOccurrences(of: " network 10.0.12.0 0.0.0.255 area 0\n",
                                                        with: " network 10.0.12.0 0.0.0.255 area 0\n       passive-interface Loopback0\n"))
        let running = try lab.show(device: "R1", command: "show running-config")
        #expect(running.contains("router ospf 1\n") && running.contains(" network 10.0.12.0 0.0.0.255 area 0\n")
                && running.contains(" network 1.1.1.1 0.0.0.0 area 0") && running.contains(" passive-interface Loopback0"),
                "\(running)")
        let settings = lab.configurations["R1"]!.protocolSettings[OSPFSettings.self]
        #expect(settings.processes[1]?.networks.count == 2)
        let files = LabFiles()
        let path = files.write("topo.yaml", """
            nodes:
              H1:
                kind: host
                address: 10.0.0.1/24
              SW1:
                kind: switch
                config: |
                  router ospf 1
            links: []
            """)
        #expect(throws: LabErrors.self) {
            _ = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [OSPFModule.self])
        }
    }
}

/// A small deterministic generator for the garbage.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
