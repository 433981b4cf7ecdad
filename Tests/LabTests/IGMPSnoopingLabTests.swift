import Engine
import Foundation
@testable import Fabric
import IOSConfig
@testable import Lab
@testable import Protocols
import Testing
import Wire

/// Counts IGMP messages by type that the switch sent out of each of its ports.
final class IGMPEgressCounter: FrameObserver {
    var sent: [String: [UInt8: Int]] = [:]
    let network: Network
    let sw: NodeID
    init(_ network: Network, switch sw: NodeID) { self.network = network; self.sw = sw }
    func frameTransmitted(on link: LinkID, from port: PortID, at time: SimTime, bytes: UnsafeRawBufferPointer) {
        guard network.ports[port.index].node == sw, let offset = FrameView.payloadOffset(bytes),
              FrameView.etherType(bytes) == .ipv4, let ip = FrameView.ipv4Summary(bytes, ipOffset: offset),
              ip.protocolNumber == 2 else { return }
        sent[network.ports[port.index].name, default: [:]][bytes[offset + ip.headerLength], default: 0] += 1
    }
    func count(_ port: String, _ type: UInt8) -> Int { sent[port]?[type] ?? 0 }
}

//   R1 Gi0/0 10.1.1.5 ---- Gi0/1 SW1 (VLAN 1) Gi0/2 ---- H1 10.1.1.11 (groups: [239.1.1.1])
//                                             Gi0/3 ---- H2 10.1.1.12 (groups: [239.1.1.1])
//                                             Gi0/4 ---- H3 10.1.1.13
@Suite struct IGMPSnoopingLabTests {
    static func topology(switchConfig: String = "", router: Bool = true) -> String {
        """
        nodes:
        \(router ? """
          R1:
            kind: router
            config: |
              ip multicast-routing
              interface Gi0/0
               ip address 10.1.1.5 255.255.255.0
               ip pim sparse-mode
               no shutdown
        """ : "")
          SW1:
            kind: switch
            config: |
              hostname SW1
        \(switchConfig.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
          H1: {kind: host, address: 10.1.1.11/24, groups: [239.1.1.1]}
          H2: {kind: host, address: 10.1.1.12/24, groups: [239.1.1.1]}
          H3: {kind: host, address: 10.1.1.13/24}
        links:
        \(router ? "  - {endpoints: [R1:Gi0/0, SW1:Gi0/1]}" : "")
          - {endpoints: [H1:Ethernet0, SW1:Gi0/2]}
          - {endpoints: [H2:Ethernet0, SW1:Gi0/3]}
          - {endpoints: [H3:Ethernet0, SW1:Gi0/4]}
        """
    }

    func lab(switchConfig: String = "", router: Bool = true) throws -> Lab {
        let path = LabFiles().write("topo.yaml", Self.topology(switchConfig: switchConfig, router: router))
        return try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
    }

    func advance(_ lab: Lab, _ seconds: Int64) {
        let time = SimTime.zero + .seconds(seconds)
        while lab.network.now < time { _ = lab.network.run(until: time, maxEvents: 1_000_000) }
    }

    func sw(_ lab: Lab) throws -> L2Switch { try #require(lab.network.l2switch(lab.node("SW1")!)) }
    func show(_ lab: Lab, _ command: String, on device: String = "SW1") throws -> String {
        try lab.show(device: device, command: command)
    }
    func configure(_ lab: Lab, _ device: String, _ text: String) throws {
        try lab.applyConfig(to: device, lines: text.split(separator: "\n").map(String.init), file: "test", line: 1)
    }
    func running(_ lab: Lab, _ device: String) throws -> String { try show(lab, "show running-config", on: device) }

    // RFC 4541 §2.1.1 (1): reports go to the mrouter port only, so H2 never hears H1's report.
    @Test func reportsAreForwardedToMrouterPortsOnlyAndNeverToOtherHosts() throws {
        let lab = try lab()
        let counter = IGMPEgressCounter(lab.network, switch: lab.node("SW1")!)
        lab.network.observers.append(counter)
        advance(lab, 200)
        #expect(counter.count("GigabitEthernet0/1", 0x16) >= 4)
        for host in ["GigabitEthernet0/2", "GigabitEthernet0/3", "GigabitEthernet0/4"] {
            #expect(counter.count(host, 0x16) == 0, "\(host)")
            // 224.0.0.1 is link-local: R1's general queries reach every port (RFC 4541 §2.1.2 (2)).
            #expect(counter.count(host, 0x11) >= 2, "\(host)")
        }
        expectGolden(try show(lab, "show ip igmp snooping mrouter"), """
            Vlan    ports
            -------+------
               1    Gi0/1(dynamic)
            """)
        expectGolden(try show(lab, "show ip igmp snooping groups"), """
            Vlan      Group                    Type        Version     Port List
            -----------------------------------------------------------------------
            1         239.1.1.1                igmp        v2          Gi0/2, Gi0/3
            """)
        expectGolden(try show(lab, "show ip igmp snooping querier"), """
            Vlan      IP Address               IGMP Version   Port
            -------------------------------------------------------------
            1         10.1.1.5                 v2             Gi0/1
            """)
    }

    @Test func withoutAQuerierTheEntriesAgeOutAfterTheMembershipInterval() throws {
        let lab = try lab(router: false)
        advance(lab, 100)
        #expect(try sw(lab).snoopingTable.members(vlan: 1, group: IPv4Address(239, 1, 1, 1), now: lab.network.now).count == 2)
        // The last unsolicited report goes out within 10 s of the join (RFC 2236 §3); 2 × 125 + 10 s later it is gone.
        advance(lab, 271)
        #expect(try sw(lab).snoopingTable.members(vlan: 1, group: IPv4Address(239, 1, 1, 1), now: lab.network.now).isEmpty)
        #expect(!(try show(lab, "show ip igmp snooping groups")).contains("239.1.1.1"))
    }

    // RFC 2236 §3: the lowest address queries; the switch's querier at 10.1.1.9 stays silent behind R1 (10.1.1.5).
    @Test func theSnoopingQuerierStaysSilentWhileALowerAddressedRouterQueries() throws {
        let lab = try lab(switchConfig: "ip igmp snooping querier address 10.1.1.9")
        advance(lab, 300)
        let state = try sw(lab).querierStates[1]
        #expect(state?.active == false)
        #expect(state?.lastQuerier == IPv4Address(10, 1, 1, 5))
        #expect(try sw(lab).querierStates[1]?.queriesSent ?? 0 <= 1)
    }

    @Test func theSnoopingQuerierTakesOverWhenTheRouterStopsQuerying() throws {
        let lab = try lab(switchConfig: "ip igmp snooping querier address 10.1.1.9")
        advance(lab, 100)
        try configure(lab, "R1", "interface Gi0/0\n shutdown")
        // Catalyst form: QI 60 s, so the Other Querier Present Interval is 2 × 60 + 5 = 125 s after R1's last query.
        advance(lab, 100 + 130)
        #expect(try sw(lab).querierStates[1]?.active == true)
        advance(lab, 600)
        expectGolden(try show(lab, "show ip igmp snooping querier"), """
            Vlan      IP Address               IGMP Version   Port
            -------------------------------------------------------------
            1         10.1.1.9                 v2             Switch
            """)
        // The hosts keep answering its queries, so their entries outlive the 260 s membership interval.
        #expect(try sw(lab).snoopingTable.members(vlan: 1, group: IPv4Address(239, 1, 1, 1), now: lab.network.now).count == 2)
    }

    @Test func aLowerAddressedSnoopingQuerierWinsAndTheRouterStops() throws {
        let lab = try lab(switchConfig: "ip igmp snooping querier address 10.1.1.2")
        advance(lab, 300)
        #expect(try sw(lab).querierStates[1]?.active == true)
        #expect(try show(lab, "show ip igmp interface Gi0/0", on: "R1").contains("IGMP querying router is 10.1.1.2"))
    }

    @Test func theNexusFormStartsTheQuerierAtOnceWhenNoQueryWasHeard() throws {
        let lab = try lab(router: false)
        advance(lab, 50)
        try configure(lab, "SW1", "vlan configuration 1\n ip igmp snooping querier 10.1.1.1")
        advance(lab, 51)
        #expect(try sw(lab).querierStates[1]?.active == true)
        #expect(try running(lab, "SW1").contains("vlan configuration 1\n ip igmp snooping querier 10.1.1.1"))
        // Startup queries at QI / 4 (31.25 s), then every 125 s: the group never ages out.
        advance(lab, 900)
        #expect(try sw(lab).snoopingTable.members(vlan: 1, group: IPv4Address(239, 1, 1, 1), now: lab.network.now).count == 2)
    }

    @Test func aLeaveUnderTheSnoopingQuerierRemovesThePortAfterTheLastMemberQueryTime() throws {
        let lab = try lab(switchConfig: "ip igmp snooping querier address 10.1.1.1", router: false)
        advance(lab, 60)
        let h1 = try #require(lab.network.ipNode(lab.node("H1")!))
        h1.leave(IPv4Address(239, 1, 1, 1), on: 0, network: lab.network)
        advance(lab, 63)
        expectGolden(try show(lab, "show ip igmp snooping groups vlan 1"), """
            Vlan      Group                    Type        Version     Port List
            -----------------------------------------------------------------------
            1         239.1.1.1                igmp        v2          Gi0/3
            """)
    }

    @Test func immediateLeaveRemovesThePortAtOnce() throws {
        let lab = try lab(switchConfig: "ip igmp snooping vlan 1 immediate-leave", router: false)
        advance(lab, 30)
        let h1 = try #require(lab.network.ipNode(lab.node("H1")!))
        h1.leave(IPv4Address(239, 1, 1, 1), on: 0, network: lab.network)
        advance(lab, 31)
        #expect(try sw(lab).snoopingTable.members(vlan: 1, group: IPv4Address(239, 1, 1, 1), now: lab.network.now)
                    == [lab.network.port(of: lab.node("SW1")!, named: "GigabitEthernet0/3")!])
    }

    @Test func aStaticMrouterPortIsListedAndReceivesReports() throws {
        let lab = try lab(switchConfig: "ip igmp snooping vlan 1 mrouter interface Gi0/4", router: false)
        let counter = IGMPEgressCounter(lab.network, switch: lab.node("SW1")!)
        lab.network.observers.append(counter)
        advance(lab, 30)
        #expect(counter.count("GigabitEthernet0/4", 0x16) >= 2)
        #expect(try show(lab, "show ip igmp snooping mrouter vlan 1").contains("   1    Gi0/4(static)"))
    }

    @Test func theSnoopingCommandsAreParsedAndShown() throws {
        let lab = try lab(switchConfig: "no ip igmp snooping vlan 1\nip igmp snooping optimise-multicast-flood", router: false)
        let running = try running(lab, "SW1")
        #expect(running.contains("no ip igmp snooping vlan 1"))
        #expect(running.contains("ip igmp snooping optimise-multicast-flood"))
        let show = try show(lab, "show ip igmp snooping vlan 1")
        #expect(show.contains("Unregistered multicast       : mrouter ports only"))
        #expect(show.contains("Vlan 1:\n--------\nIGMP snooping                       : Disabled"))
        
    }

    // MARK: - The shipped scenarios

    @Test(arguments: ["multicast-no-querier.yaml", "multicast-no-snooping.yaml", "multicast-router-querier.yaml"])
    func theShippedSnoopingScenarioPasses(_ name: String) throws {
        let report = try runShipped(name)
        #expect(report.failed == 0, "\(report.text())")
    }
}
