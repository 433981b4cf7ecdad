import Testing
@testable import Fabric
@testable import Lab

/// Fault injection as scenario events: impairments, flaps, blocked protocols, the ARP-ignore fault.
@Suite struct FaultEventTests {
    //  H3 ---- Gi0/1 R1 Gi0/0 ---- H1   (arp timeout 20 on Gi0/0)
    static let topology = """
        nodes:
          R1:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.1.1.1 255.255.255.0
               arp timeout 20
               no shutdown
              interface Gi0/1
               ip address 10.9.9.1 255.255.255.0
               no shutdown
          H1: {kind: host, address: 10.1.1.11/24, gateway: 10.1.1.1}
          H3: {kind: host, address: 10.9.9.10/24, gateway: 10.9.9.1}
        links:
          - {endpoints: [R1:Gi0/0, H1:Ethernet0], delay: 1ms}
          - {endpoints: [R1:Gi0/1, H3:Ethernet0], delay: 1ms}
        """

    static func run(_ body: String, seed: Int = 1) throws -> (ScenarioReport, ScenarioRunner) {
        let files = LabFiles()
        files.write("topo.yaml", topology)
        return try files.runScenario("topology: topo.yaml\nseed: \(seed)\n" + body)
    }

    static let stream = """
        duration: 30s
        traffic:
          - {name: f, from: H3, to: 10.1.1.11, interval: 10ms, size: 200, start: 1s, stop: 21s}

        """

    @Test func lossIsSeededAndNearItsRate() throws {
        let body = Self.stream + """
            events:
              - at: 0s
                impair: {link: R1:Gi0/0, direction: out, loss: 10%}
            """
        let (_, a) = try Self.run(body)
        let (_, b) = try Self.run(body)
        let (_, c) = try Self.run(body, seed: 2)
        let lost = a.lab.network.drops[.linkLoss] ?? 0
        // 2,000 packets at 10 %: 200 expected, 3.3 standard deviations either side.
        #expect((160...240).contains(lost), "lost \(lost)")
        #expect(b.lab.network.drops[.linkLoss] == lost, "the same seed loses the same frames")
        #expect(c.lab.network.drops[.linkLoss] != lost, "another seed draws again")
        // The stream's packets are all but the few ARP frames the link lost too.
        #expect(a.lab.network.flows[0].lost <= lost && a.lab.network.flows[0].lost + 3 >= lost)
    }

    @Test func delayAndJitterStayInBoundsAndKeepOrder() throws {
        let (report, runner) = try Self.run(Self.stream + """
            events:
              - at: 0s
                impair: {link: H3:Ethernet0, direction: out, delay: 30ms, jitter: 10ms}
            expectations:
              - flow: f
                delivered: "== 100%"
                min-delay: "> 20ms"
                p99-delay: "< 43ms"
                max-delay: "< 80ms"                # the first packet also waits for ARP over the delayed link
            """)
        #expect(report.failed == 0, "\(report.text())")
        // Jitter without reordering: delays vary, but a packet never overtakes the one ahead.
        let flow = runner.lab.network.flows[0]
        #expect(flow.delay.maximum.nanoseconds > flow.delay.minimum.nanoseconds + 5_000_000)
        #expect(flow.outOfOrder == 0)
    }

    @Test func aClearedImpairmentIsGoneAndInputMeansTheOtherEnd() throws {
        let (_, runner) = try Self.run(Self.stream + """
            events:
              - at: 0s
                impair: {link: R1:Gi0/0, direction: in, loss: 50%}
              - at: 0s
                impair: {link: R1:Gi0/1, loss: 100%}
              - at: 0s
                impair: {link: R1:Gi0/1, clear: true}
            """)
        let network = runner.lab.network
        let r1 = runner.lab.node("R1")!, h1 = runner.lab.node("H1")!
        #expect(network.impairment(of: network.port(of: r1, named: "GigabitEthernet0/1")!) == nil)
        #expect(network.impairment(of: network.port(of: h1, named: "Ethernet0")!)?.loss == 0.5, "in: the frames R1 receives")
        #expect(network.impairment(of: network.port(of: r1, named: "GigabitEthernet0/0")!) == nil)
        #expect(network.flows[0].lost == 0, "the stream goes R1 to H1: not impaired")
    }

    @Test func aBlockedProtocolIsDroppedAndOnlyIt() throws {
        let (report, _) = try Self.run(Self.stream + """
            events:
              - at: 0s
                block: {interface: R1:Gi0/0, protocol: icmp, direction: out}
              - at: 5s
                ping: {name: blocked, from: H3, to: 10.1.1.11}
              - at: 15s
                unblock: {interface: R1:Gi0/0, protocol: icmp}
              - at: 16s
                ping: {name: open, from: H3, to: 10.1.1.11}
            expectations:
              - ping: blocked
                success: "== 0%"
              - ping: open
                success: "== 100%"
              - flow: f
                delivered: "== 100%"
              - drops: {reason: fault-injected, count: "== 5"}
            """)
        #expect(report.failed == 0, "\(report.text())")
    }

    @Test func aFlapTakesTheLineDownAndUpCountTimes() throws {
        let (report, _) = try Self.run(Self.stream + """
            events:
              - at: 5s
                flap: {link: R1:Gi0/0, down: 1s, up: 2s, count: 3}
            expectations:
              - log: {device: R1, contains: "Line protocol on Interface GigabitEthernet0/0, changed state to down", count: "== 3"}
              - at: 5500ms
                route: {device: R1, prefix: 10.1.1.0/24, present: false}
              - at: 7s
                route: {device: R1, prefix: 10.1.1.0/24, present: true}
              - flow: f
                lost: "> 10%"
            """)
        #expect(report.failed == 0, "\(report.text())")
    }

    @Test func anInterfaceIgnoringARPRepliesLosesItsNeighborsUntilAReload() throws {
        let (report, runner) = try Self.run("""
            duration: 90s
            traffic:
              - {name: f, from: H3, to: 10.1.1.11, interval: 100ms, size: 200, start: 1s, stop: 85s}
            events:
              - at: 5s
                ignore-arp-replies: R1:Gi0/0
              - at: 50s
                reload: {device: R1, boot: 10s}
            expectations:
              - {at: 15s, flow: f, delivered: ">= 99%"}
              - at: 40s
                device: R1
                command: show ip arp
                matches: '10\\.1\\.1\\.11 +[0-9]+ +Incomplete'
              - at: 40s
                device: R1
                command: show interfaces Gi0/0
                contains: "GigabitEthernet0/0 is up, line protocol is up"
              - {at: 40s, counter: {device: R1, interface: Gi0/0, name: input-packets, since: 25s, value: "> 5"}}
              - at: 80s
                device: R1
                command: show ip arp
                matches: '10\\.1\\.1\\.11 +[0-9]+ +[0-9a-f]{4}\\.'
            """)
        #expect(report.failed == 0, "\(report.text())")
        let port = runner.lab.network.port(of: runner.lab.node("R1")!, named: "GigabitEthernet0/0")!
        #expect(!runner.lab.network.ports[port.index].ignoresARPReplies, "the reload cleared the fault")
    }

    @Test func badFaultEventsAreReportedWithTheirPlace() {
        let files = LabFiles()
        files.write("topo.yaml", Self.topology)
        func error(_ event: String) -> String {
            files.scenarioErrors("topology: topo.yaml\nevents:\n  - at: 1s\n    " + event).first.map { "\($0.line):\($0.column) \($0.message)" } ?? "none"
        }
        #expect(error("impair: {link: R1:Gi0/0, loss: 120%}").contains("expected a loss rate between 0% and 100%"))
        #expect(error("impair: {link: R1:Gi0/0}").contains("impair needs 'loss', 'delay' or 'jitter'"))
        #expect(error("impair: {link: R1:Gi0/0, delay: 5ms, direction: up}").contains("direction must be in, out or both, found 'up'"))
        #expect(error("impair: {link: R1:Gi0/7, delay: 5ms}").contains("R1 has no interface GigabitEthernet0/7"))
        #expect(error("flap: {link: R1:Gi0/0, count: 0}").contains("count"))
        #expect(error("block: {interface: R1:Gi0/0, protocol: smtp}").contains("unknown protocol 'smtp' (expected one of: arp, icmp"))
        #expect(error("block: {interface: R1:Gi0/0}").contains("block needs 'protocol'"))
        #expect(error("ignore-arp-replies: R1").contains("expected NODE:Interface"))
        #expect(error("impair: {link: R1:Gi0/0, loss: 120%}").hasPrefix("4:"))
    }
}
