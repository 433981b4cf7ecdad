import Foundation
import Engine
@testable import Fabric
import IOSConfig
@testable import Lab
@testable import Protocols
import Testing
import Wire

//   R1 Gi0/0 10.1.1.1 --+
//   R2 Gi0/0 10.1.1.2 --+-- SW1 (VLAN 1) --+-- H1 10.1.1.11 (groups: [239.1.1.1])
//                                           +-- H2 10.1.1.12
@Suite struct IGMPLabTests {
    static let lan = """
        nodes:
          R1:
            kind: router
            config: |
              ip multicast-routing
              interface Gi0/0
               ip address 10.1.1.1 255.255.255.0
               ip pim sparse-mode
               no shutdown
          R2:
            kind: router
            config: |
              ip multicast-routing
              interface Gi0/0
               ip address 10.1.1.2 255.255.255.0
               ip pim sparse-mode
               ip igmp join-group 239.9.9.9
               no shutdown
          SW1: {kind: switch}
          H1: {kind: host, address: 10.1.1.11/24, gateway: 10.1.1.1, groups: [239.1.1.1]}
          H2: {kind: host, address: 10.1.1.12/24, gateway: 10.1.1.1}
        links:
          - {endpoints: [R1:Gi0/0, SW1:Gi0/1]}
          - {endpoints: [R2:Gi0/0, SW1:Gi0/2]}
          - {endpoints: [H1:Ethernet0, SW1:Gi0/3]}
          - {endpoints: [H2:Ethernet0, SW1:Gi0/4]}
        """

    func lab() throws -> Lab {
        let path = LabFiles().write("topo.yaml", Self.lan)
        return try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
    }

    func run(_ lab: Lab, to time: SimDuration) {
        while lab.network.now < .zero + time { _ = lab.network.run(until: .zero + time, maxEvents: 1_000_000) }
    }

    func router(_ lab: Lab, _ name: String) throws -> IGMPRouter {
        try #require(lab.network.ipNode(lab.node(name)!)?.protocols.compactMap { $0 as? IGMPRouter }.first)
    }

    @Test func theLowestAddressBecomesTheQuerier() throws {
        // RFC 2236 §3 and §7: both start as querier; R2 hears R1's lower address and stops querying.
        let lab = try lab()
        run(lab, to: .seconds(5))
        #expect(try router(lab, "R1").interfaces[0].isQuerier)
        #expect(try !router(lab, "R2").interfaces[0].isQuerier)
        #expect(try router(lab, "R2").interfaces[0].querier == IPv4Address(10, 1, 1, 1))
        let show = try lab.show(device: "R2", command: "show ip igmp interface Gi0/0")
        #expect(show.contains("  IGMP querying router is 10.1.1.1\n"), "\(show)")
        #expect(try lab.show(device: "R1", command: "show ip igmp interface").contains("IGMP querying router is 10.1.1.1 (this system)"))
    }

    @Test func theQuerierTakesOverWhenTheOtherQuerierIsGone() throws {
        // RFC 2236 §3: after the Other Querier Present Interval (IOS: 2 × 60 s) without queries, R2 queries.
        // R1's last query was its first startup query at 0 s; it is switched off at 10 s.
        let lab = try lab()
        run(lab, to: .seconds(10))
        lab.stop("R1")
        run(lab, to: .seconds(119))
        #expect(try !router(lab, "R2").interfaces[0].isQuerier)
        run(lab, to: .seconds(121))
        #expect(try router(lab, "R2").interfaces[0].isQuerier)
    }

    @Test func showIPIGMPGroupsListsReportedAndJoinedGroups() throws {
        let lab = try lab()
        run(lab, to: .seconds(30))
        expectGolden(try lab.show(device: "R1", command: "show ip igmp groups"), """
            IGMP Connected Group Membership
            Group Address    Interface                Uptime    Expires   Last Reporter   Group Accounted
            239.1.1.1        GigabitEthernet0/0       00:00:29  00:02:04  10.1.1.11
            """)
        let r2 = try lab.show(device: "R2", command: "show ip igmp groups")
        #expect(r2.contains("239.9.9.9        GigabitEthernet0/0       00:00:"), "\(r2)")
        #expect(r2.contains("10.1.1.2"), "\(r2)")
        let membership = try lab.show(device: "R2", command: "show ip igmp membership")
        #expect(membership.contains(" Channel/Group                  Reporter        Uptime   Exp.  Flags  Interface\n"))
        #expect(membership.contains(" *,239.9.9.9                    10.1.1.2        00:00:"), "\(membership)")
        #expect(membership.contains(" stop  2LA    Gi0/0"), "\(membership)")
    }

    @Test func aLeaveIsAnsweredWithTwoGroupSpecificQueriesAndTheGroupGoes() throws {
        // RFC 2236 §3: last member query count 2, interval 1 s; no report comes back, so the group is removed.
        let lab = try lab()
        lab.network.setDebug(lab.node("R1")!, .ipIGMP, on: true)
        run(lab, to: .seconds(20))
        let h1 = lab.network.ipNode(lab.node("H1")!)!
        h1.leave(IPv4Address(239, 1, 1, 1), on: 0, network: lab.network)
        run(lab, to: .seconds(20) + .milliseconds(500))
        #expect(try lab.show(device: "R1", command: "show ip igmp groups").contains("239.1.1.1"))
        run(lab, to: .seconds(23))
        #expect(try !lab.show(device: "R1", command: "show ip igmp groups").contains("239.1.1.1"))
        let lines = lab.network.logRecords(of: lab.node("R1")!).map(\.text)
        #expect(lines.contains("IGMP(0): Received Leave from 10.1.1.11 (GigabitEthernet0/0) for 239.1.1.1"))
        #expect(lines.filter { $0 == "IGMP(0): Send v2 Query on GigabitEthernet0/0 for group 239.1.1.1" }.count == 2)
        #expect(lines.contains("IGMP(0): Received v2 Report on GigabitEthernet0/0 from 10.1.1.11 for 239.1.1.1"))
    }

    @Test func aMemberAnswersTheGroupSpecificQueryAndStays() throws {
        // H2 joins too; H1 leaves: H2 answers the group-specific query, so the group stays.
        let lab = try lab()
        run(lab, to: .seconds(5))
        let h2 = lab.network.ipNode(lab.node("H2")!)!
        h2.join(IPv4Address(239, 1, 1, 1), on: 0, network: lab.network)
        run(lab, to: .seconds(20))
        lab.network.ipNode(lab.node("H1")!)!.leave(IPv4Address(239, 1, 1, 1), on: 0, network: lab.network)
        run(lab, to: .seconds(30))
        #expect(try lab.show(device: "R1", command: "show ip igmp groups").contains("239.1.1.1"))
    }

    @Test func membershipTimesOutWithoutReports() throws {
        // RFC 2236 §3: with no querier refreshing it, a group expires after the Group Membership Interval.
        let lab = try lab()
        run(lab, to: .seconds(5))
        let r1 = try router(lab, "R1")
        let entry = try #require(r1.interfaces[0].groups[IPv4Address(239, 1, 1, 1)])
        // 2 × 60 s + 10 s after the last report.
        #expect(entry.expires! - lab.network.now <= .seconds(130))
        #expect(entry.expires! - lab.network.now > .seconds(120))
    }

    @Test func queriesKeepTheGroupAliveIndefinitely() throws {
        let lab = try lab()
        run(lab, to: .seconds(600))
        #expect(try lab.show(device: "R1", command: "show ip igmp groups").contains("239.1.1.1"))
    }

    @Test func theSettingsAreParsedAndShown() throws {
        let lab = try lab()
        try lab.applyConfig(to: "R1", lines: ["interface Gi0/0", " ip igmp query-interval 30", " ip igmp query-max-response-time 5"],
                            file: "test", line: 1)
        run(lab, to: .seconds(5))
        let show = try lab.show(device: "R1", command: "show ip igmp interface")
        #expect(show.contains("  IGMP query interval is 30 seconds\n  IGMP querier timeout is 60 seconds\n  IGMP max query response time is 5 seconds"), "\(show)")
    }
}

// RFC 2236 §3 and §7: on a segment of IGMP routers, the one with the lowest address is the querier,
// whatever order they start in or are cabled in.
@Test(arguments: [["10.0.0.2", "10.0.0.1"], ["10.0.0.9", "10.0.0.3", "10.0.0.5"], ["10.0.0.200", "10.0.0.100", "10.0.0.20", "10.0.0.30"]])
func lowestAddressBecomesQuerier(routers: [String]) throws {
    var nodes = "nodes:\n  SW1: {kind: switch}\n"
    var links = "links:\n"
    for (k, address) in routers.enumerated() {
        nodes += """
              R\(k + 1):
                kind: router
                config: |
                  ip multicast-routing
                  interface Gi0/0
                   ip address \(address) 255.255.255.0
                   ip pim sparse-mode
                   no shutdown

            """
        links += "  - {endpoints: [R\(k + 1):Gi0/0, SW1:Gi0/\(k + 1)]}\n"
    }
    let path = LabFiles().write("topo.yaml", nodes + links)
    let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
    while lab.network.now < .zero + .seconds(70) { _ = lab.network.run(until: .zero + .seconds(70), maxEvents: 1_000_000) }
    let lowest = routers.compactMap(IPv4Address.init).min()!
    for k in routers.indices {
        let r = try #require(lab.network.ipNode(lab.node("R\(k + 1)")!)?.protocols.compactMap { $0 as? IGMPRouter }.first)
        #expect(r.interfaces[0].querier == lowest, "R\(k + 1) \(routers[k]) believes \(r.interfaces[0].querier)")
    }
}

@Test func aStaticGroupIsListedAsStopped() throws {
    let path = LabFiles().write("topo.yaml", """
        nodes:
          R1:
            kind: router
            config: |
              ip multicast-routing
              interface Gi0/0
               ip address 10.1.1.1 255.255.255.0
               ip igmp static-group 239.5.5.5
               no shutdown
        links: []
        """)
    let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
    _ = lab.network.run(until: .zero + .seconds(3))
    let show = try lab.show(device: "R1", command: "show ip igmp groups")
    #expect(show.contains("239.5.5.5        GigabitEthernet0/0       00:00:03  stopped   0.0.0.0"), "\(show)")
}

func expectGolden(_ actual: String, _ golden: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    if actual != golden { print("---- actual ----\n\(actual)\n---- end ----") }
    #expect(actual == golden, sourceLocation: sourceLocation)
}
