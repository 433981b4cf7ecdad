import Capture
import Foundation
import Testing
@testable import Lab

//   R1 Gi0/0 ---------- Gi0/0 R2 (ip igmp join-group 239.1.1.1)
//   R1 Gi0/1 ---- SW1 ---- H1 (source), H2 (groups: [239.1.1.1]), H3 (joins at 22 s)
@Suite struct MulticastLabTests {
    @Test func theMulticastBasicsLabPassesAndItsCapturesDecodeCleanly() throws {
        let directory = NSTemporaryDirectory() + "wirelab-mcast-" + UUID().uuidString
        let report = try runShipped("multicast-basics.yaml", capturingInto: directory)
        #expect(report.failed == 0, "\(report.text())")
        #expect(report.results.count == 9)
        let ping = report.probes.first { $0.name == "ping-group" }?.output ?? ""
        #expect(ping.contains("\n\nReply to request 0 from "), "\(ping)")
        // The stream's total counts every copy; its members are listed under it, H3 with nothing.
        let stream = report.flows.first { $0.name == "stream" }
        #expect(stream?.receivers?.map(\.name) == ["H2", "H3"])
        #expect(stream?.receivers?.last?.delivered == 0)
        #expect(report.text().contains("\n  > H2 "))
        try expectCleanCaptures(in: directory)
    }

    @Test func theSameSeedGivesTheSameReport() throws {
        #expect(try runShipped("multicast-basics.yaml").json() == (try runShipped("multicast-basics.yaml").json()))
    }

    @Test func aReceiverOfAUnicastFlowIsRefused() throws {
        let path = NSTemporaryDirectory() + "wirelab-mcast-bad-" + UUID().uuidString + ".yaml"
        try """
            name: bad
            topology: \(repositoryRoot)/Topologies/multicast-basics.yaml
            traffic:
              - {name: u, from: H1, to: H2, rate: 64kbps}
            expectations:
              - {flow: u, receiver: H2, delivered: ">= 99%"}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LabErrors.self) { _ = try ScenarioRunner(try ScenarioFile.parse(path: path)) }
    }
}
