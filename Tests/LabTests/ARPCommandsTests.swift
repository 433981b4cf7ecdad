import Testing
@testable import Lab

/// `show arp`, `clear arp-cache` (a refresh) and `clear ip arp` (a removal) on a router.
@Suite struct ARPCommandsTests {
    //  R1 Gi0/0 ---- H1, H2 through SW1
    static let topology = """
        nodes:
          R1:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.1.1.1 255.255.255.0
               no shutdown
              arp 10.1.1.99 0011.2233.4455 arpa
          SW1: {kind: switch}
          H1: {kind: host, address: 10.1.1.11/24, gateway: 10.1.1.1}
          H2: {kind: host, address: 10.1.1.12/24, gateway: 10.1.1.1}
        links:
          - {endpoints: [R1:Gi0/0, SW1:Gi0/1]}
          - {endpoints: [SW1:Gi0/2, H1:Ethernet0]}
          - {endpoints: [SW1:Gi0/3, H2:Ethernet0]}
        """

    @Test func clearArpCacheRefreshesLearnedEntriesAndClearIPArpRemovesOne() throws {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let (report, runner) = try files.runScenario("""
            topology: topo.yaml
            duration: 200s
            events:
              - at: 1s
                ping: {name: p1, from: R1, to: 10.1.1.11}
              - at: 1s
                ping: {name: p2, from: R1, to: 10.1.1.12}
              - at: 150s
                exec: {device: R1, commands: [clear ip arp 10.1.1.12, clear arp-cache]}
            expectations:
              - at: 149s
                device: R1
                command: show arp
                matches: ['Internet  10\\.1\\.1\\.11 +2 +', 'Internet  10\\.1\\.1\\.12 +2 +']
              - at: 151s
                device: R1
                command: show ip arp
                matches: ['Internet  10\\.1\\.1\\.11 +0 +[0-9a-f]{4}\\.', 'Internet  10\\.1\\.1\\.99 +- +0011\\.2233\\.4455']
                not-contains: "10.1.1.12 "
            """)
        #expect(report.failed == 0, "\(report.text())")
        let r1 = runner.lab.network.ipNode(runner.lab.node("R1")!)!
        #expect(r1.arpCache[.init(10, 1, 1, 11)]?.state == .dynamic)
        #expect(r1.arpCache[.init(10, 1, 1, 12)] == nil)
    }

    @Test func showArpIsShowIPArp() throws {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        let (_, runner) = try files.runScenario("topology: topo.yaml\nduration: 5s\n")
        #expect(try runner.lab.show(device: "R1", command: "show arp") == runner.lab.show(device: "R1", command: "show ip arp"))
        #expect(throws: (any Error).self) { try runner.lab.show(device: "SW1", command: "clear arp-cache") }
    }
}
