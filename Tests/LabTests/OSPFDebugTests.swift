import Foundation
import Fabric
import Testing
@testable import Lab

//   Lo0 1.1.1.1  R1 Gi0/0 ---- 10.0.12.0/24 ---- Gi0/0 R2  Lo0 2.2.2.2
//
// `debug ip ospf ...` typed at R1 or R2 from exec events; what the log holds afterwards.

/// The two-router OSPF LAN, with extra lines under R2's Gi0/0 (or R1's) and R2's `router ospf 1`.
private func pair(r1Interface: String = "", r2Interface: String = "", r2Router: String = "",
                  r2Area: String = "0") -> String {
    func indent(_ s: String) -> String { s.split(separator: "\n").map { "       \($0)" }.joined(separator: "\n") }
    return """
        nodes:
          R1:
            kind: router
            config: |
              interface Loopback0
               ip address 1.1.1.1 255.255.255.255
              interface GigabitEthernet0/0
               ip address 10.0.12.1 255.255.255.0
               no shutdown
        \(indent(r1Interface))
              router ospf 1
               network 10.0.12.0 0.0.0.255 area 0
               network 1.1.1.1 0.0.0.0 area 0
          R2:
            kind: router
            config: |
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              interface GigabitEthernet0/0
               ip address 10.0.12.2 255.255.255.0
               no shutdown
        \(indent(r2Interface))
              router ospf 1
        \(indent(r2Router))
               network 10.0.12.0 0.0.0.255 area \(r2Area)
               network 2.2.2.2 0.0.0.0 area \(r2Area)
        links:
          - {endpoints: [R1:Gi0/0, R2:Gi0/0], bandwidth: 1G}
        """
}

private func run(_ topology: String, duration: String = "60s", events: String) throws -> (ScenarioReport, ScenarioRunner) {
    let files = LabFiles()
    files.write("topo.yaml", topology)
    return try files.runScenario("""
        topology: topo.yaml
        duration: \(duration)
        events:
        \(events)
        expectations:
          - log: {contains: "never printed", count: "== 0"}
        """)
}

private func debugLines(_ runner: ScenarioRunner, _ device: String) -> [LogRecord] {
    runner.lab.network.logRecords(of: runner.lab.node(device)!).filter(\.isDebug)
}

private func show(_ runner: ScenarioRunner, _ device: String, _ command: String = "show ip ospf neighbor") -> String {
    (try? runner.lab.show(device: device, command: command)) ?? "(failed)"
}

@Suite struct OSPFDebugTests {
    // Each switch: what IOS answers, and a line that shows it worked.
    static let switches: [(syntax: String, answer: String, marker: String)] = [
        ("ip ospf adj", "OSPF adjacency events debugging is on", "OSPF: DR/BDR election on GigabitEthernet0/0"),
        ("ip ospf hello", "OSPF hello events debugging is on",
         "OSPF: Send hello to 224.0.0.5 area 0 on GigabitEthernet0/0 from 10.0.12.1"),
        ("ip ospf events", "OSPF events debugging is on",
         "OSPF: Rcv hello from 2.2.2.2 area 0 from GigabitEthernet0/0 10.0.12.2"),
        ("ip ospf packet", "OSPF packet debugging is on", "rid:2.2.2.2 aid:0.0.0.0 chk:"),
        ("ip ospf lsa-generation", "OSPF LSA generation debugging is on",
         "OSPF: Build router LSA for area 0, router ID 1.1.1.1, seq 0x8000000"),
        ("ip ospf spf", "OSPF spf intra events debugging is on\nOSPF spf inter events debugging is on\n"
            + "OSPF spf external events debugging is on", "OSPF: running SPF for area 0"),
        ("ip ospf flood", "OSPF flooding debugging is on", "OSPF: Send Type 1, LSID 1.1.1.1, Adv rtr 1.1.1.1, age "),
    ]

    @Test(arguments: switches)
    func eachSwitchPrintsOnlyWhileItIsOn(debug: (syntax: String, answer: String, marker: String)) throws {
        let (report, runner) = try run(pair(), duration: "100s", events: """
              - at: 1s
                exec: {device: R1, commands: [debug \(debug.syntax), show debugging]}
              - at: 75s
                exec: {device: R1, commands: [undebug \(debug.syntax), show debugging]}
            """)
        #expect(report.probes.map(\.output) == [
            debug.answer, "OSPF:\n" + debug.answer.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"),
            debug.answer.replacingOccurrences(of: " is on", with: " is off"), "",
        ])
        let lines = debugLines(runner, "R1")
        #expect(lines.contains { $0.text.contains(debug.marker) }, "\(lines.map(\.text))")
        #expect(lines.allSatisfy { $0.text.hasPrefix("OSPF: ") })
        #expect(lines.allSatisfy { $0.time.nanoseconds < 75_000_000_000 }, "lines after undebug")
        #expect(debugLines(runner, "R2").isEmpty)
    }

    // Classic IOS `debug ip ospf adj` through a whole adjacency; R1 has the lower router ID, so it is the slave.
    @Test func adjDebugFollowsTheAdjacencyAsIOSPrintsIt() throws {
        let (_, runner) = try run(pair(), events: """
              - at: 1s
                exec: {device: R1, command: debug ip ospf adj}
            """)
        let lines = debugLines(runner, "R1").map(\.text)
        let steps = [
            "OSPF: 2 Way Communication to 2.2.2.2 on GigabitEthernet0/0, state 2WAY",
            "OSPF: DR/BDR election on GigabitEthernet0/0",
            "OSPF: Send DBD to 2.2.2.2 on GigabitEthernet0/0 seq 0x",
            "OSPF: Rcv DBD from 2.2.2.2 on GigabitEthernet0/0 seq 0x",
            "OSPF: NBR Negotiation Done. We are the SLAVE",
            "OSPF: Exchange Done with 2.2.2.2 on GigabitEthernet0/0",
            "OSPF: Synchronized with 2.2.2.2 on GigabitEthernet0/0, state FULL",
        ]
        var index = 0
        for line in lines where index < steps.count && line.hasPrefix(steps[index]) { index += 1 }
        #expect(index == steps.count, "missing \(index < steps.count ? steps[index] : "") in \(lines)")
    }

    @Test func withNoSwitchOnNothingIsPrinted() throws {
        let (_, runner) = try run(pair(), events: """
              - at: 1s
                exec: {device: R1, commands: [debug ip ospf adj, no debug ip ospf adj]}
            """)
        #expect(debugLines(runner, "R1").isEmpty)
        #expect(show(runner, "R1").contains("FULL/"))
    }

    @Test func showDebuggingGroupsTheFabricsAndOSPFsSwitchesAndUndebugAllClearsThem() throws {
        let (report, runner) = try run(pair(), events: """
              - at: 1s
                exec: {device: R1, commands: [debug ip ospf flood, debug arp, debug ip ospf adj, show debugging]}
              - at: 2s
                exec: {device: R1, commands: [undebug all, show debugging]}
            """)
        #expect(report.probes[3].output == """
            IP ARP:
              ARP packet debugging is on
            OSPF:
              OSPF adjacency events debugging is on
              OSPF flooding debugging is on
            """)
        #expect(report.probes[4].output == "All possible debugging has been turned off")
        #expect(report.probes[5].output == "")
        #expect(debugLines(runner, "R1").allSatisfy { $0.time.nanoseconds < 2_000_000_000 })
    }

    // MARK: - Adjacencies that stay down, and why

    // RFC 2328 §10.5: mismatched hello parameters drop every hello, so the neighbor is never even listed.
    @Test func aHelloIntervalMismatchNeverReachesTwoWay() throws {
        let (_, runner) = try run(pair(r2Interface: "ip ospf hello-interval 30"), duration: "100s", events: """
              - at: 1s
                exec: {device: R1, command: debug ip ospf hello}
            """)
        #expect(!show(runner, "R1").contains("2.2.2.2"))
        #expect(!show(runner, "R2").contains("1.1.1.1"))
        let lines = debugLines(runner, "R1").map(\.text)
        #expect(lines.contains("OSPF: Mismatched hello parameters from 10.0.12.2"))
        #expect(lines.contains("OSPF: Dead R 120 C 40, Hello R 30 C 10  Mask R 255.255.255.0 C 255.255.255.0"))
        #expect(!show(runner, "R1", "show ip route").contains("2.2.2.2"))
    }

    @Test func aDeadIntervalMismatchPrintsUnderAdj() throws {
        let (_, runner) = try run(pair(r2Interface: "ip ospf dead-interval 60"), events: """
              - at: 1s
                exec: {device: R1, command: debug ip ospf adj}
            """)
        #expect(!show(runner, "R1").contains("2.2.2.2"))
        let lines = debugLines(runner, "R1").map(\.text)
        #expect(lines.contains("OSPF: Dead R 60 C 40, Hello R 10 C 10  Mask R 255.255.255.0 C 255.255.255.0"))
    }

    // RFC 2328 §8.2: a packet whose area ID is not the interface's is dropped.
    @Test func anAreaMismatchIsPrintedWithBothAreas() throws {
        let (_, runner) = try run(pair(r2Area: "1"), events: """
              - at: 1s
                exec: {device: R1, command: debug ip ospf adj}
            """)
        #expect(!show(runner, "R1").contains("2.2.2.2"))
        let lines = debugLines(runner, "R1").map(\.text)
        #expect(lines.contains("OSPF: Rcv pkt from 10.0.12.2, GigabitEthernet0/0, area 0.0.0.0 mismatch area 0.0.0.1 "
                               + "in the header"), "\(lines)")
    }

    // IOS behaviour: a neighbor with our router ID is logged without any debug on, and never becomes a neighbor.
    @Test func aDuplicateRouterIDIsASyslogLine() throws {
        let (_, runner) = try run(pair(r2Router: "router-id 1.1.1.1"), duration: "50s", events: """
              - at: 1s
                exec: {device: R1, command: show debugging}
            """)
        let logs = runner.lab.network.logRecords(of: runner.lab.node("R1")!)
        let dup = logs.filter {
            $0.text == "%OSPF-4-DUP_RTRID_NBR: OSPF detected duplicate router-id 1.1.1.1 from 10.0.12.2 "
                + "on interface GigabitEthernet0/0"
        }
        #expect(dup.count == 1, "\(logs.map(\.text))")
        #expect(dup.allSatisfy { !$0.isDebug })
        #expect(!show(runner, "R1").contains("1.1.1.1"))
    }

    // RFC 2328 §10.6: the router with the smaller MTU refuses the other's DDs; it stays in EXSTART, the other
    // (its slave here) in EXCHANGE. The DDs carry the interface's `mtu`.
    @Test func anMTUMismatchSticksInExStartAndExchange() throws {
        let (_, runner) = try run(pair(r2Interface: "mtu 1400"), duration: "100s", events: """
              - at: 1s
                exec: {device: R1, command: debug ip ospf adj}
              - at: 1s
                exec: {device: R2, command: debug ip ospf adj}
            """)
        #expect(show(runner, "R2").contains("1.1.1.1           1   EXSTART/"))
        #expect(show(runner, "R1").contains("2.2.2.2           1   EXCHANGE/"))
        #expect(debugLines(runner, "R2").map(\.text).contains("OSPF: Nbr 1.1.1.1 has larger interface MTU"))
        #expect(debugLines(runner, "R1").contains { $0.text.hasPrefix("OSPF: Rcv DBD from 2.2.2.2") && $0.text.contains("mtu 1400") })
        #expect(!debugLines(runner, "R1").map(\.text).contains("OSPF: Nbr 2.2.2.2 has larger interface MTU"))
    }

    // IOS: `ip ospf mtu-ignore` is needed on the side that refuses, the one with the smaller MTU.
    @Test(arguments: [("R2", "ip ospf mtu-ignore", true), ("R1", "ip ospf mtu-ignore", false), ("R2", "mtu 1500", true)])
    func theMTUFixWorksOnTheRefusingSide(device: String, line: String, full: Bool) throws {
        let (_, runner) = try run(pair(r2Interface: "mtu 1400"), duration: "150s", events: """
              - at: 60s
                config:
                  device: \(device)
                  lines: |
                    interface GigabitEthernet0/0
                     \(line)
            """)
        #expect(show(runner, "R1").contains("FULL/") == full, "\(show(runner, "R1"))")
        #expect(show(runner, "R2").contains("FULL/") == full)
    }

    @Test func mtuIgnoreShowsInTheRunningConfig() throws {
        let (_, runner) = try run(pair(r2Interface: "ip ospf mtu-ignore"), duration: "1s", events: """
              - at: 0s
                exec: {device: R2, command: show running-config}
            """)
        #expect(show(runner, "R2", "show running-config").contains(" ip ospf mtu-ignore"))
    }

    // MARK: - The shipped labs

    @Test(arguments: ["ospf-hello-mismatch.yaml", "ospf-mtu-mismatch.yaml", "ospf-auth-mismatch.yaml"])
    func theMismatchLabsPassAndTheirCapturesDecode(name: String) throws {
        let directory = NSTemporaryDirectory() + "wirelab-" + name + "-" + UUID().uuidString
        let report = try runShipped(name, capturingInto: directory)
        #expect(report.failed == 0, "\(report.text())")
        #expect(report.results.count >= 7)
        #expect(try expectCleanCaptures(in: directory) == 1)
    }
}
