import Foundation
@testable import Fabric
@testable import Lab
import Protocols
import Testing
import Wire

//   Lo0 1.1.1.1  R1 Gi0/0 ---- 10.0.12.0/24 ---- Gi0/0 R2  Lo0 2.2.2.2
//
// OSPF authentication (RFC 2328 D, IOS commands): matching settings form FULL, each mismatch keeps the
// routers apart with IOS's `debug ip ospf adj` reason on the receiving side.

/// The two-router LAN with extra lines under each Gi0/0 and each `router ospf 1`.
private func pair(r1: [String] = [], r2: [String] = [], r1Router: [String] = [], r2Router: [String] = []) -> String {
    func lines(_ l: [String]) -> String { l.map { "           \($0)\n" }.joined() }
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
        \(lines(r1))      router ospf 1
               network 10.0.12.0 0.0.0.255 area 0
               network 1.1.1.1 0.0.0.0 area 0
        \(lines(r1Router))  R2:
            kind: router
            config: |
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              interface GigabitEthernet0/0
               ip address 10.0.12.2 255.255.255.0
               no shutdown
        \(lines(r2))      router ospf 1
               network 10.0.12.0 0.0.0.255 area 0
               network 2.2.2.2 0.0.0.0 area 0
        \(lines(r2Router))links:
          - {endpoints: [R1:Gi0/0, R2:Gi0/0], bandwidth: 1G}
        """.replacingOccurrences(of: "        \n", with: "\n")
}

private func run(_ topology: String, duration: String = "60s") throws -> ScenarioRunner {
    let files = LabFiles()
    files.write("topo.yaml", topology)
    return try files.runScenario("""
        topology: topo.yaml
        duration: \(duration)
        events:
          - at: 0s
            exec: {device: R2, command: debug ip ospf adj}
        expectations:
          - log: {contains: "never printed", count: "== 0"}
        """).1
}

private func show(_ runner: ScenarioRunner, _ device: String, _ command: String = "show ip ospf neighbor") -> String {
    (try? runner.lab.show(device: device, command: command)) ?? "(failed)"
}

private func debugText(_ runner: ScenarioRunner, _ device: String = "R2") -> [String] {
    runner.lab.network.logRecords(of: runner.lab.node(device)!).filter(\.isDebug).map(\.text)
}

private let md5 = ["ip ospf authentication message-digest", "ip ospf message-digest-key 1 md5 wirelab"]

@Suite struct OSPFAuthenticationLabTests {
    @Test(arguments: [
        (md5, md5, [String](), [String]()),
        (["ip ospf authentication", "ip ospf authentication-key secret"],
         ["ip ospf authentication", "ip ospf authentication-key secret"], [], []),
        // The area's type, with the keys on the interfaces.
        (["ip ospf message-digest-key 1 md5 wirelab"], ["ip ospf message-digest-key 1 md5 wirelab"],
         ["area 0 authentication message-digest"], ["area 0 authentication message-digest"]),
        // The interface's type overrides the area's.
        (["ip ospf authentication null"], [], ["area 0 authentication message-digest"], []),
    ])
    func matchingAuthenticationFormsFull(r1: [String], r2: [String], r1Router: [String], r2Router: [String]) throws {
        let runner = try run(pair(r1: r1, r2: r2, r1Router: r1Router, r2Router: r2Router))
        #expect(show(runner, "R1").contains("FULL/"), "\(show(runner, "R1"))")
        #expect(show(runner, "R2").contains("FULL/"))
        #expect(!debugText(runner).contains { $0.contains("Mismatch Authentication") })
        #expect(show(runner, "R1", "show ip route").contains("O        2.2.2.2/32 [110/2] via 10.0.12.2"), "\(show(runner, "R1", "show ip route"))")
    }

    @Test(arguments: [
        ([String](), md5, "Mismatch Authentication type. Input packet specified type 0, we use type 2"),
        (["ip ospf authentication"], [String](), "Mismatch Authentication type. Input packet specified type 1, we use type 0"),
        (["ip ospf authentication", "ip ospf authentication-key secret"],
         ["ip ospf authentication", "ip ospf authentication-key other"], "Mismatch Authentication Key - Clear Text"),
        (["ip ospf authentication message-digest", "ip ospf message-digest-key 1 md5 other"], md5,
         "Mismatch Authentication Key - Message Digest Key 1"),
        (["ip ospf authentication message-digest", "ip ospf message-digest-key 2 md5 wirelab"], md5,
         "Mismatch Authentication Key - No message digest key 2 on interface"),
    ])
    func eachMismatchIsDroppedWithItsReason(r1: [String], r2: [String], reason: String) throws {
        let runner = try run(pair(r1: r1, r2: r2))
        #expect(!show(runner, "R1").contains("2.2.2.2"))
        #expect(!show(runner, "R2").contains("1.1.1.1"))
        let line = "OSPF: Rcv pkt from 10.0.12.1, GigabitEthernet0/0 : \(reason)"
        #expect(debugText(runner).contains(line), "\(debugText(runner).suffix(5))")
    }

    @Test func showAndRunningConfigPrintTheSettings() throws {
        let runner = try run(pair(r1: md5, r2: ["ip ospf authentication", "ip ospf authentication-key secret"],
                                  r1Router: ["area 0 authentication message-digest"], r2Router: ["area 0 authentication"]))
        let r1 = show(runner, "R1", "show ip ospf interface GigabitEthernet0/0")
        #expect(r1.contains("  Message digest authentication enabled\n    Youngest key id is 1"), "\(r1)")
        #expect(show(runner, "R2", "show ip ospf interface GigabitEthernet0/0").contains("  Simple password authentication enabled"))
        #expect(show(runner, "R1", "show ip ospf").contains("        Area has message digest authentication"))
        #expect(show(runner, "R2", "show ip ospf").contains("        Area has simple password authentication"))
        let running1 = show(runner, "R1", "show running-config")
        for line in md5 + ["area 0 authentication message-digest"] {
            #expect(running1.contains(" \(line)\n"), "\(line) in \(running1)")
        }
        let running2 = show(runner, "R2", "show running-config")
        #expect(running2.contains(" ip ospf authentication\n") && running2.contains(" ip ospf authentication-key secret\n"))
        #expect(running2.contains(" area 0 authentication\n"), "\(running2)")
    }

    /// RFC 2328 D.3: a packet whose cryptographic sequence number is below the neighbor's last is dropped,
    /// even with the right digest; an equal or higher one passes.
    @Test func aDecreasingCryptographicSequenceNumberIsDropped() throws {
        let runner = try run(pair(r1: md5, r2: md5))
        #expect(show(runner, "R2").contains("FULL/"))
        let network = runner.lab.network
        let node = try #require(network.ipNode(runner.lab.node("R2")!))
        let process = try #require(node.protocols.compactMap { $0 as? OSPFProcess }.first)
        let index = try #require(node.interfaces.firstIndex { $0.name == "GigabitEthernet0/0" })
        let hello = OSPFHello(networkMask: IPv4Address(255, 255, 255, 0), helloInterval: 10, options: .e, routerPriority: 1,
                              routerDeadInterval: 40, designatedRouter: IPv4Address(10, 0, 12, 2),
                              backupDesignatedRouter: IPv4Address(10, 0, 12, 1), neighbors: [IPv4Address(2, 2, 2, 2)])
        func deliver(sequence: UInt32) {
            let packet = OSPFPacket(routerID: IPv4Address(1, 1, 1, 1), areaID: .any, authenticationType: 2,
                                    authentication: OSPFPacket.cryptographicField(keyID: 1, sequenceNumber: sequence),
                                    body: .hello(hello))
            let payload = packet.bytes(md5Key: Array("wirelab".utf8))
            let header = IPv4Header(tos: 0xC0, ttl: 1, protocolNumber: .ospf, source: IPv4Address(10, 0, 12, 1),
                                    destination: OSPFPacket.allSPFRouters, payloadLength: payload.count)
            _ = node.withContext(of: process, network: network) {
                process.receive(ReceivedDatagram(header: header, payload: payload, interface: index), $0)
            }
        }
        let before = process.droppedPackets
        deliver(sequence: 1)
        #expect(process.droppedPackets == before + 1)
        #expect(debugText(runner).contains { $0.hasPrefix(
            "OSPF: Rcv pkt from 10.0.12.1, GigabitEthernet0/0 : Mismatch Authentication Key - Invalid cryptographic sequence number 1, last ")
        }, "\(debugText(runner).suffix(3))")
        deliver(sequence: 1_000)
        #expect(process.droppedPackets == before + 1)
        deliver(sequence: 999)
        #expect(process.droppedPackets == before + 2)
    }
}
