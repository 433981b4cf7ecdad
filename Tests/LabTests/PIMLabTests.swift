import Engine
import Fabric
import Foundation
@testable import Lab
@testable import Protocols
import Testing
import Wire

//   H1 10.1.1.10 (source)                                                  H4 10.1.4.10 (joins 239.1.1.1)
//    | Gi0/0                                                                 | Gi0/0
//   R1 Gi0/1 ---- Gi0/1 R2 (RP 2.2.2.2) Gi0/2 ---- Gi0/2 R3 Gi0/3 ---- Gi0/3 R4
//    | Gi0/4 ------------- (10.1.14.0/24: OSPF cost 2, no PIM, shut until a test opens it) ----- Gi0/4 |
@Suite struct PIMLabTests {
    static func chain(r4Extra: String = "") -> String {
        func router(_ n: Int, _ interfaces: String, _ extra: String = "") -> String {
            """
              R\(n):
                kind: router
                config: |
                  hostname R\(n)
                  ip multicast-routing
                  interface Loopback0
                   ip address \(n).\(n).\(n).\(n) 255.255.255.255
            \(interfaces)
                  router ospf 1
                   network 0.0.0.0 255.255.255.255 area 0
                  ip pim rp-address 2.2.2.2
            \(extra)
            """
        }
        // The new link costs 2, so only R4's route to H1 moves to it (R3 keeps its path through R2, no ECMP).
        func interface(_ name: String, _ address: String, pim: Bool = true, shut: Bool = false) -> String {
            "      interface \(name)\n       ip address \(address) 255.255.255.0\n" + (pim ? "       ip pim sparse-mode\n" : "")
                + (shut ? "       ip ospf cost 2\n       shutdown" : "       no shutdown")
        }
        return """
            name: pim-chain
            nodes:
            \(router(1, [interface("Gi0/0", "10.1.1.1"), interface("Gi0/1", "10.1.12.1"),
                         interface("Gi0/4", "10.1.14.1", pim: false, shut: true)].joined(separator: "\n")))
            \(router(2, [interface("Gi0/1", "10.1.12.2"), interface("Gi0/2", "10.1.23.2")].joined(separator: "\n")))
            \(router(3, [interface("Gi0/2", "10.1.23.3"), interface("Gi0/3", "10.1.34.3")].joined(separator: "\n")))
            \(router(4, [interface("Gi0/0", "10.1.4.1"), interface("Gi0/3", "10.1.34.4"),
                         interface("Gi0/4", "10.1.14.4", pim: false, shut: true)].joined(separator: "\n"), r4Extra))
              H1: {kind: host, address: 10.1.1.10/24, gateway: 10.1.1.1}
              H4: {kind: host, address: 10.1.4.10/24, gateway: 10.1.4.1, groups: [239.1.1.1]}
            links:
              - {endpoints: [H1:Ethernet0, R1:Gi0/0]}
              - {endpoints: [R1:Gi0/1, R2:Gi0/1]}
              - {endpoints: [R2:Gi0/2, R3:Gi0/2]}
              - {endpoints: [R3:Gi0/3, R4:Gi0/3]}
              - {endpoints: [R4:Gi0/0, H4:Ethernet0]}
              - {endpoints: [R1:Gi0/4, R4:Gi0/4]}
            """
    }

    func run(topology: String, _ scenario: String) throws -> (ScenarioReport, ScenarioRunner) {
        let files = LabFiles()
        let topo = files.write("topo.yaml", topology)
        return try files.runScenario("topology: \(topo)\nseed: 1\n" + scenario)
    }

    func route(_ runner: ScenarioRunner, _ device: String, _ source: IPv4Address, _ group: IPv4Address) -> MulticastRoute? {
        runner.lab.network.ipNode(runner.lab.node(device)!)?.multicastRoutes[source, group]
    }

    static let g = IPv4Address(239, 1, 1, 1), s = IPv4Address(10, 1, 1, 10)

    @Test func theSharedTreeThenTheSourceTreeDeliverTheFlow() throws {
        // RFC 7761 §4.5.6: H4's report makes R4 (the DR) join (*,G) hop by hop to the RP; §4.4: R1 registers H1's
        // first packets to R2; §4.2.1: R4 (IOS threshold 0) joins toward H1 on the first packet and sets T.
        // §4.4.1: the Register-Stop suppresses registering for 60 s; 5 s before the end a Null-Register probes R2,
        // which answers with another Register-Stop (the SPT delivers), so no data is registered again.
        let (report, runner) = try run(topology: Self.chain(), """
            name: chain
            duration: 150s
            traffic:
              - {name: stream, from: H1, to: 239.1.1.1, rate: 64kbps, size: 500, start: 70s, stop: 145s}
            events:
              - at: 60s
                exec: {device: R1, commands: [debug ip pim]}
            expectations:
              - log: {device: R1, matches: '^PIM\\(0\\): Send v2 Register to 2\\.2\\.2\\.2 for 10\\.1\\.1\\.10, group 239\\.1\\.1\\.1$', count: "<= 3"}
              - log: {device: R1, matches: '^PIM\\(0\\): Send v2 Null Register to 2\\.2\\.2\\.2 for 10\\.1\\.1\\.10, group 239\\.1\\.1\\.1$', count: "== 1"}
              - log: {device: R1, matches: '^PIM\\(0\\): Received v2 Register-Stop on GigabitEthernet0/1 from 10\\.1\\.12\\.2$', count: "== 2"}
              - at: 65s
                device: R4
                command: show ip mroute 239.1.1.1
                matches: ['^\\(\\*, 239\\.1\\.1\\.1\\), [0-9:]+/stopped, RP 2\\.2\\.2\\.2, flags: SJC$',
                          '^  Incoming interface: GigabitEthernet0/3, RPF nbr 10\\.1\\.34\\.3$',
                          '^    GigabitEthernet0/0, Forward/Sparse, ']
              - at: 65s
                device: R3
                command: show ip mroute 239.1.1.1
                matches: ['^\\(\\*, 239\\.1\\.1\\.1\\), .*, RP 2\\.2\\.2\\.2, flags: S$', '^  Incoming interface: GigabitEthernet0/2, RPF nbr 10\\.1\\.23\\.2$',
                          '^    GigabitEthernet0/3, Forward/Sparse, ']
              - at: 65s
                device: R2
                command: show ip mroute 239.1.1.1
                matches: ['^  Incoming interface: Null, RPF nbr 0\\.0\\.0\\.0$', '^    GigabitEthernet0/2, Forward/Sparse, ']
              - at: 90s
                device: R4
                command: show ip mroute 239.1.1.1 10.1.1.10
                matches: ['^\\(10\\.1\\.1\\.10, 239\\.1\\.1\\.1\\), [0-9:]+/[0-9:]+, flags: JT$', '^  Incoming interface: GigabitEthernet0/3, RPF nbr 10\\.1\\.34\\.3$']
              - at: 90s
                device: R1
                command: show ip mroute 239.1.1.1 10.1.1.10
                matches: ['flags: FT$', '^  Incoming interface: GigabitEthernet0/0, RPF nbr 0\\.0\\.0\\.0$', '^    GigabitEthernet0/1, Forward/Sparse, ']
                not-contains: [Registering]
              - flow: stream
                receiver: H4
                delivered: ">= 98%"
            """)
        #expect(report.failed == 0, "\(report.text())")
        let r1 = try #require(runner.lab.network.ipNode(runner.lab.node("R1")!)?.protocols.compactMap { $0 as? PIMRouter }.first)
        #expect(r1.entries[MulticastRouteKey(source: Self.s, group: Self.g)]?.register.registerStopTimer != nil)
    }

    @Test func aUnicastChangeWithoutPIMMakesTheTrafficFailRPF() throws {
        // Field notes §1: the R1-R4 link comes up with OSPF but no PIM (adjacent after the 40 s wait); R4's route to
        // H1 (and so RPF(S), §4.5) leaves by Gi0/4 while the packets still come down Gi0/3 (R3's join state from R4
        // runs out only after its 210 s holdtime): each fails the RPF check and H4 gets none.
        let (report, runner) = try run(topology: Self.chain(), """
            name: outage
            duration: 200s
            traffic:
              - {name: before, from: H1, to: 239.1.1.1, rate: 64kbps, size: 500, start: 70s, stop: 95s}
              - {name: after, from: H1, to: 239.1.1.1, rate: 64kbps, size: 500, start: 160s, stop: 190s}
            events:
              - at: 100s
                config: {device: R1, lines: "interface Gi0/4\\n no shutdown"}
              - at: 100s
                config: {device: R4, lines: "interface Gi0/4\\n no shutdown"}
              - at: 158s
                exec: {device: R4, commands: [debug ip mpacket]}
            expectations:
              - flow: before
                receiver: H4
                delivered: ">= 98%"
              - flow: after
                receiver: H4
                delivered: "<= 2%"
              - at: 180s
                device: R4
                command: show ip rpf 10.1.1.10
                contains: ["RPF interface: GigabitEthernet0/4", "RPF neighbor: ? (10.1.14.1)"]
              - log: {device: R4, matches: 'IP\\(0\\): s=10\\.1\\.1\\.10 \\(GigabitEthernet0/3\\) d=239\\.1\\.1\\.1 .*not RPF interface', count: ">= 100"}
            """)
        #expect(report.failed == 0, "\(report.text())")
        let sg = try #require(route(runner, "R4", Self.s, Self.g))
        #expect(sg.incoming == runner.lab.network.ipNode(runner.lab.node("R4")!)!.interfaces.firstIndex { $0.name == "GigabitEthernet0/4" })
        #expect(sg.rpfFailures >= 100)
    }

    @Test func sourceStateGoesWithTheKeepaliveOnceTheSourceStops() throws {
        // RFC 7761 §4.1.6 Keepalive_Period 210 s: H1 stops at 80 s; by 295 s the last hop's switched (S,G) (J) has
        // gone and its SPT branch is pruned (R3's goes with it). The RP's keepalive was restarted by the first hop's
        // last Null-Register (§4.4.2), so R2 and R1 keep theirs a while longer; by 700 s only the shared tree is left.
        let (report, runner) = try run(topology: Self.chain(), """
            name: keepalive
            duration: 700s
            traffic:
              - {name: stream, from: H1, to: 239.1.1.1, rate: 64kbps, size: 500, start: 70s, stop: 80s}
            expectations:
              - at: 295s
                device: R4
                command: show ip mroute 239.1.1.1
                not-contains: ["(10.1.1.10, 239.1.1.1)"]
              - at: 295s
                device: R3
                command: show ip mroute 239.1.1.1
                not-contains: ["(10.1.1.10, 239.1.1.1)"]
            """)
        #expect(report.failed == 0, "\(report.text())")
        for device in ["R1", "R2", "R3", "R4"] {
            #expect(route(runner, device, Self.s, Self.g) == nil, "\(device) still has (S,G)")
        }
        #expect(route(runner, "R4", .any, Self.g) != nil)
        #expect(route(runner, "R2", .any, Self.g) != nil)
    }

    @Test func sptThresholdInfinityStaysOnTheSharedTree() throws {
        // IOS `ip pim spt-threshold infinity`: R4's (*,G) has no J and no (S,G) is created; the RP's tree delivers.
        let (report, runner) = try run(topology: Self.chain(r4Extra: "      ip pim spt-threshold infinity"), """
            name: rpt
            duration: 100s
            traffic:
              - {name: stream, from: H1, to: 239.1.1.1, rate: 64kbps, size: 500, start: 70s, stop: 95s}
            expectations:
              - at: 90s
                device: R4
                command: show ip mroute 239.1.1.1
                matches: ['^\\(\\*, 239\\.1\\.1\\.1\\), [0-9:]+/stopped, RP 2\\.2\\.2\\.2, flags: SC$']
                not-contains: ["(10.1.1.10, 239.1.1.1)"]
              - flow: stream
                receiver: H4
                delivered: ">= 98%"
            """)
        #expect(report.failed == 0, "\(report.text())")
        #expect(route(runner, "R4", Self.s, Self.g) == nil)
        #expect(route(runner, "R2", Self.s, Self.g)?.flags.contains(.sptBit) == true)
    }

    //   H1 -- R1 (RP 1.1.1.1) Gi0/1 -- Gi0/1 R2 Gi0/0 --+
    //         R1 Gi0/2 ------- Gi0/1 R3 Gi0/0 ---------+-- SW1 -- H2 (10.1.23.0/24)
    // Both R2 and R3 forward onto the LAN (`ip igmp static-group`), so each hears the other's copies there.
    static let lan = """
        name: pim-assert
        nodes:
          R1:
            kind: router
            config: |
              ip multicast-routing
              interface Loopback0
               ip address 1.1.1.1 255.255.255.255
              interface Gi0/0
               ip address 10.1.1.1 255.255.255.0
               ip pim sparse-mode
               no shutdown
              interface Gi0/1
               ip address 10.1.12.1 255.255.255.0
               ip pim sparse-mode
               no shutdown
              interface Gi0/2
               ip address 10.1.13.1 255.255.255.0
               ip pim sparse-mode
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
              ip pim rp-address 1.1.1.1
          R2:
            kind: router
            config: |
              ip multicast-routing
              interface Gi0/0
               ip address 10.1.23.2 255.255.255.0
               ip pim sparse-mode
               ip igmp static-group 239.1.1.1
               no shutdown
              interface Gi0/1
               ip address 10.1.12.2 255.255.255.0
               ip pim sparse-mode
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
              ip pim rp-address 1.1.1.1
          R3:
            kind: router
            config: |
              ip multicast-routing
              interface Gi0/0
               ip address 10.1.23.3 255.255.255.0
               ip pim sparse-mode
               ip igmp static-group 239.1.1.1
               no shutdown
              interface Gi0/1
               ip address 10.1.13.3 255.255.255.0
               ip pim sparse-mode
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
              ip pim rp-address 1.1.1.1
          SW1: {kind: switch}
          H1: {kind: host, address: 10.1.1.10/24, gateway: 10.1.1.1}
          H2: {kind: host, address: 10.1.23.10/24, gateway: 10.1.23.3, groups: [239.1.1.1]}
        links:
          - {endpoints: [H1:Ethernet0, R1:Gi0/0]}
          - {endpoints: [R1:Gi0/1, R2:Gi0/1]}
          - {endpoints: [R1:Gi0/2, R3:Gi0/1]}
          - {endpoints: [R2:Gi0/0, SW1:Gi0/1]}
          - {endpoints: [R3:Gi0/0, SW1:Gi0/2]}
          - {endpoints: [H2:Ethernet0, SW1:Gi0/3]}
        """

    @Test func twoForwardersOnALANAssertAndTheHigherAddressWins() throws {
        // RFC 7761 §4.6: equal preference and metric, so the higher address (R3, 10.1.23.3) wins; R2 stops forwarding
        // onto the LAN and R3 marks the interface A.
        let (report, runner) = try run(topology: Self.lan, """
            name: assert
            duration: 100s
            traffic:
              - {name: stream, from: H1, to: 239.1.1.1, rate: 64kbps, size: 500, start: 70s, stop: 95s}
            expectations:
              - at: 90s
                device: R3
                command: show ip mroute 239.1.1.1 10.1.1.10
                matches: ['^    GigabitEthernet0/0, Forward/Sparse, [0-9:]+/[0-9:]+, A$']
              - at: 90s
                device: R2
                command: show ip mroute 239.1.1.1 10.1.1.10
                not-contains: ["GigabitEthernet0/0, Forward"]
              # Once the assert is settled H2 gets one copy of each packet (the first few came twice).
              - flow: stream
                receiver: H2
                delivered: ">= 98%"
            """)
        #expect(report.failed == 0, "\(report.text())")
        let r2 = try #require(route(runner, "R2", Self.s, Self.g))
        #expect(r2.outgoing.isEmpty)
        let h2 = try #require(report.flows.first { $0.name == "stream" }?.receivers?.first { $0.name == "H2" })
        #expect(h2.delivered <= h2.sent + 5, "only the first packets before the assert come twice")
    }
}

/// The chain lab's control plane without traffic: shows, refresh and expiry, the last receiver leaving, config.
@Suite struct PIMChainControlTests {
    func lab(_ topology: String = PIMLabTests.chain()) throws -> Lab {
        let path = LabFiles().write("topo.yaml", topology)
        return try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
    }

    func run(_ lab: Lab, to seconds: Int64) {
        while lab.network.now < .zero + .seconds(seconds) { _ = lab.network.run(until: .zero + .seconds(seconds), maxEvents: 1_000_000) }
    }

    func pim(_ lab: Lab, _ name: String) throws -> PIMRouter {
        try #require(lab.network.ipNode(lab.node(name)!)?.protocols.compactMap { $0 as? PIMRouter }.first)
    }

    @Test func showIPPIMNeighborInterfaceAndRPMappingAreLaidOutAsIOS() throws {
        let lab = try lab()
        run(lab, to: 65)
        let neighbors = try lab.show(device: "R3", command: "show ip pim neighbor")
        #expect(neighbors.hasPrefix("""
            PIM Neighbor Table
            Mode: B - Bidir Capable, DR - Designated Router, N - Default DR Priority,
                  P - Proxy Capable, S - State Refresh Capable, G - GenID Capable
            Neighbor          Interface                Uptime/Expires    Ver   DR
            Address                                                            Prio/Mode
            """), "\(neighbors)")
        #expect(neighbors.contains(try Regex(#"\n10\.1\.23\.2         GigabitEthernet0/2       00:0[0-9]:[0-9]{2}/00:01:[0-9]{2} v2    1 / S G\n"#)),
                "\(neighbors)")
        #expect(neighbors.contains(try Regex(#"\n10\.1\.34\.4         GigabitEthernet0/3       00:0[0-9]:[0-9]{2}/00:01:[0-9]{2} v2    1 / DR S G$"#)),
                "\(neighbors)")
        expectGolden(try lab.show(device: "R3", command: "show ip pim interface"), """

            Address          Interface                Ver/   Nbr    Query  DR     DR
                                                      Mode   Count  Intvl  Prior
            10.1.23.3        GigabitEthernet0/2       v2/S   1      30     1      10.1.23.3
            10.1.34.3        GigabitEthernet0/3       v2/S   1      30     1      10.1.34.4
            """)
        expectGolden(try lab.show(device: "R3", command: "show ip pim rp mapping"), """
            PIM Group-to-RP Mappings

            Group(s): 224.0.0.0/4, Static
                RP: 2.2.2.2 (?)
            """)
        expectGolden(try lab.show(device: "R4", command: "show ip rpf 2.2.2.2"), """
            RPF information for ? (2.2.2.2)
              RPF interface: GigabitEthernet0/3
              RPF neighbor: ? (10.1.34.3)
              RPF route/mask: 2.2.2.2/32
              RPF type: unicast (ospf 1)
              Doing distance-preferred lookups across tables
              RPF topology: ipv4 multicast base, originated from ipv4 unicast base
            """)
        #expect(try lab.show(device: "R4", command: "show ip rpf 10.1.4.10").contains("  RPF neighbor: ? (10.1.4.10) - directly connected"))
        #expect(try lab.show(device: "R4", command: "show ip rpf 192.0.2.1") == "RPF information for ? (192.0.2.1) failed, no route exists")
    }

    @Test func neighborsComeUpWithSyslogAndExpireWithTheirHoldtime() throws {
        // RFC 7761 §4.3.1: R4's PIM dies at 70 s (no goodbye, the link stays up); R3 forgets it 105 s after its last
        // Hello, and the (*,G) join state from it runs out 210 s after the last periodic Join (§4.5.2).
        let lab = try lab()
        run(lab, to: 65)
        let r3 = lab.node("R3")!
        let up = lab.network.logRecords(of: r3).map(\.text)
        #expect(up.contains("%PIM-5-NBRCHG: neighbor 10.1.34.4 UP on interface GigabitEthernet0/3"), "\(up)")
        #expect(up.contains("%PIM-5-DRCHG: DR change from neighbor 10.1.34.3 to 10.1.34.4 on interface GigabitEthernet0/3"), "\(up)")
        let star = MulticastRouteKey(source: .any, group: PIMLabTests.g)
        let gi03 = lab.network.ipNode(r3)!.interfaces.firstIndex { $0.name == "GigabitEthernet0/3" }!
        let joined = try #require(try pim(lab, "R3").entries[star]?.downstream[gi03]?.expires)
        #expect(joined > lab.network.now + .seconds(140), "a periodic Join refreshes the 210 s holdtime every 60 s")
        run(lab, to: 70)
        let r4 = lab.network.ipNode(lab.node("R4")!)!
        r4.detach(try pim(lab, "R4"))
        run(lab, to: 70 + 105 + 1)
        #expect(lab.network.logRecords(of: r3).map(\.text).contains(
            "%PIM-5-NBRCHG: neighbor 10.1.34.4 DOWN on interface GigabitEthernet0/3 (hold-time expired)"))
        #expect(try pim(lab, "R3").entries[star] != nil)
        run(lab, to: 70 + 215)
        #expect(try pim(lab, "R3").entries[star] == nil)
        #expect(lab.network.ipNode(r3)!.multicastRoutes[.any, PIMLabTests.g] == nil)
    }

    @Test func theLastReceiverLeavingPrunesTheSharedTree() throws {
        // RFC 7761 §4.5.6: IGMP's group goes (the hook tells PIM), JoinDesired(*,G) turns false, R4 prunes, and
        // R3 (a point-to-point link: no prune-pending wait) prunes in turn.
        let lab = try lab()
        run(lab, to: 65)
        #expect(lab.network.ipNode(lab.node("R3")!)!.multicastRoutes[.any, PIMLabTests.g] != nil)
        let h4 = lab.network.ipNode(lab.node("H4")!)!
        h4.leave(PIMLabTests.g, on: 0, network: lab.network)
        run(lab, to: 70)
        #expect(lab.network.ipNode(lab.node("R4")!)!.multicastRoutes[.any, PIMLabTests.g] == nil)
        #expect(lab.network.ipNode(lab.node("R3")!)!.multicastRoutes[.any, PIMLabTests.g] == nil)
        #expect(lab.network.ipNode(lab.node("R2")!)!.multicastRoutes[.any, PIMLabTests.g] == nil)
    }

    @Test func theCommandsAreKeptInTheRunningConfig() throws {
        let lab = try lab(PIMLabTests.chain(r4Extra: """
                  ip pim spt-threshold infinity
                  ip mroute 10.1.1.0 255.255.255.0 10.1.34.3
                  interface Gi0/0
                   ip pim sparse-dense-mode
                   ip pim dr-priority 7
                   ip pim query-interval 10
                   no ip mroute-cache
                   ip multicast ttl-threshold 16
            """))
        let config = try lab.show(device: "R4", command: "show running-config")
        for line in ["ip pim rp-address 2.2.2.2", "ip pim spt-threshold infinity", "ip mroute 10.1.1.0 255.255.255.0 10.1.34.3",
                     " ip pim sparse-dense-mode", " ip pim dr-priority 7", " ip pim query-interval 10", " no ip mroute-cache",
                     " ip multicast ttl-threshold 16"] {
            #expect(config.contains("\n\(line)\n"), "\(line) in \(config)")
        }
        #expect(!config.contains("interface GigabitEthernet0/0\n ip address 10.1.4.1 255.255.255.0\n ip pim sparse-mode"))
        run(lab, to: 65)
        let show = try lab.show(device: "R4", command: "show ip pim interface GigabitEthernet0/0")
        #expect(show.contains("10.1.4.1         GigabitEthernet0/0       v2/SD  0      10     7      10.1.4.1"), "\(show)")
        #expect(try lab.show(device: "R4", command: "show ip rpf 10.1.1.10").contains("RPF type: multicast (static)"))
        let node = lab.network.ipNode(lab.node("R4")!)!
        #expect(node.multicastRoutes.ttlThresholds[node.interfaces.firstIndex { $0.name == "GigabitEthernet0/0" }!] == 16)
    }

    @Test func aDRPriorityChangeIsTakenInPlace() throws {
        // RFC 7761 §4.3.2: R3 at priority 100 takes the DR role on Gi0/3 from R4 at once; the neighbor stays up.
        let lab = try lab()
        run(lab, to: 65)
        let before = try pim(lab, "R3")
        try lab.applyConfig(to: "R3", lines: ["interface Gi0/3", " ip pim dr-priority 100"], file: "test", line: 1)
        run(lab, to: 66)
        #expect(try pim(lab, "R3") === before)
        #expect(before.interfaces.first { $0.name == "GigabitEthernet0/3" }?.isDR == true)
        #expect(try pim(lab, "R4").interfaces.first { $0.name == "GigabitEthernet0/3" }?.designatedRouter == IPv4Address(10, 1, 34, 3))
        #expect(before.interfaces.first { $0.name == "GigabitEthernet0/3" }?.neighbors.count == 1)
    }
}

//   R1 (RP 1.1.1.1) Gi0/0 --+
//   R2 Gi0/0 ---------------+-- SW1 (10.1.123.0/24)      R2 Gi0/1 -- H2 (joins 239.1.1.1)
//   R3 Gi0/0 ---------------+                            R3 Gi0/1 -- H3 (joins 239.1.1.1)
@Suite struct PIMPruneOverrideTests {
    static let lan: String = {
        func router(_ n: Int, _ extra: String) -> String {
            """
              R\(n):
                kind: router
                config: |
                  ip multicast-routing
                  interface Loopback0
                   ip address \(n).\(n).\(n).\(n) 255.255.255.255
                  interface Gi0/0
                   ip address 10.1.123.\(n) 255.255.255.0
                   ip pim sparse-mode
                   no shutdown
            \(extra)
                  router ospf 1
                   network 0.0.0.0 255.255.255.255 area 0
                  ip pim rp-address 1.1.1.1
            """
        }
        func receiverLAN(_ n: Int) -> String {
            "      interface Gi0/1\n       ip address 10.1.\(n).1 255.255.255.0\n       ip pim sparse-mode\n       no shutdown"
        }
        return """
            name: pim-override
            nodes:
            \(router(1, ""))
            \(router(2, receiverLAN(2)))
            \(router(3, receiverLAN(3)))
              SW1: {kind: switch}
              H2: {kind: host, address: 10.1.2.10/24, gateway: 10.1.2.1, groups: [239.1.1.1]}
              H3: {kind: host, address: 10.1.3.10/24, gateway: 10.1.3.1, groups: [239.1.1.1]}
            links:
              - {endpoints: [R1:Gi0/0, SW1:Gi0/1]}
              - {endpoints: [R2:Gi0/0, SW1:Gi0/2]}
              - {endpoints: [R3:Gi0/0, SW1:Gi0/3]}
              - {endpoints: [R2:Gi0/1, H2:Ethernet0]}
              - {endpoints: [R3:Gi0/1, H3:Ethernet0]}
            """
    }()

    @Test func aPruneOnTheLANIsOverriddenByARouterThatStillNeedsTheTree() throws {
        // RFC 7761 §4.5.3: R1 holds R2's (*,G) Prune for the J/P override interval (three PIM neighbors on the LAN);
        // §4.5.7: R3 hears the Prune addressed to R1 for state it keeps through R1 and answers with a Join in time.
        let path = LabFiles().write("topo.yaml", Self.lan)
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
        func run(to seconds: Int64) {
            while lab.network.now < .zero + .seconds(seconds) {
                _ = lab.network.run(until: .zero + .seconds(seconds), maxEvents: 1_000_000)
            }
        }
        run(to: 65)
        let r1 = lab.network.ipNode(lab.node("R1")!)!
        let lanIndex = r1.interfaces.firstIndex { $0.name == "GigabitEthernet0/0" }!
        #expect(r1.multicastRoutes[.any, PIMLabTests.g]?.outgoing == [lanIndex])
        lab.network.setDebug(lab.node("R3")!, .ipPIM, on: true)
        lab.network.setDebug(lab.node("R1")!, .ipPIM, on: true)
        lab.network.ipNode(lab.node("H2")!)!.leave(PIMLabTests.g, on: 0, network: lab.network)
        run(to: 75)
        #expect(r1.multicastRoutes[.any, PIMLabTests.g]?.outgoing == [lanIndex])
        let r3 = lab.network.logRecords(of: lab.node("R3")!).map(\.text)
        #expect(r3.contains("PIM(0): Received v2 Join/Prune on GigabitEthernet0/0 from 10.1.123.2, not to us"), "\(r3)")
        #expect(r3.contains("PIM(0): Send v2 join/prune to 10.1.123.1 (GigabitEthernet0/0)"), "\(r3)")
        // Once H3 leaves too, nobody overrides: R1 lets the interface go after the override interval.
        lab.network.ipNode(lab.node("H3")!)!.leave(PIMLabTests.g, on: 0, network: lab.network)
        run(to: 85)
        #expect(r1.multicastRoutes[.any, PIMLabTests.g] == nil)
    }
}
