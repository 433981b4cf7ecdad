import Engine
@testable import Fabric
@testable import Protocols
import Testing
import Wire

// MARK: - IGMPv3 hosts (RFC 3376 §5, any-source multicast), on the segment of IGMPHostTests

/// Delivers `message` to the host's IGMP as if a querier at 10.1.1.254 had sent it.
func deliver(_ message: IGMPMessage, _ net: Network, to host: NodeID) {
    let node = net.ipNode(host)!
    let header = message.ipv4Header(source: IPv4Address(10, 1, 1, 254))
    let igmp = node.protocols.first { $0 is IGMPHost }!
    _ = node.withContext(of: igmp, network: net) { igmp.receive(ReceivedDatagram(header: header, payload: message.bytes(), interface: 0), $0) }
}

func v3Query(group: IPv4Address = .any, maxResponseDeciseconds: Int) -> IGMPMessage {
    .v3MembershipQuery(IGMPv3Query(group: group, maxResponseCode: IGMPv3Code.code(maxResponseDeciseconds)))
}

extension IGMPRecorder {
    /// The v3 reports sent since message number `start`, with their times.
    func v3Reports(from start: Int = 0) -> [(time: SimTime, destination: IPv4Address, records: [IGMPv3GroupRecord])] {
        messages[start...].compactMap {
            if case .v3MembershipReport(let records) = $0.message { ($0.time, $0.destination, records) } else { nil }
        }
    }
}

let otherGroup = IPv4Address(239, 2, 2, 2)

@Test func aVersion3JoinSendsAChangeToExcludeReportAndOneRetransmissionWithinOneSecond() {
    // RFC 3376 §5.1: TO_EX {} at once, repeated Robustness − 1 = 1 time within the 1 s Unsolicited Report Interval (§8.11).
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    let joined = net.now
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let reports = recorder.v3Reports()
    #expect(reports.map(\.records) == Array(repeating: [IGMPv3GroupRecord(recordType: .changeToExclude, group: testGroup)], count: 2))
    #expect(reports.allSatisfy { $0.destination == IGMPMessage.allIGMPv3Routers })
    #expect(reports.first.map { $0.time - joined < .milliseconds(5) } == true)
    #expect(reports.count == 2 && reports[1].time - reports[0].time <= .seconds(1))
    #expect(!recorder.messages.contains { $0.message.version == 2 })
}

@Test func aVersion3LeaveSendsAChangeToIncludeReportTwice() {
    // RFC 3376 §5.1: leaving is TO_IN {}, retransmitted like a join.
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let before = recorder.messages.count
    net.ipNode(hosts[0])!.leave(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let reports = recorder.v3Reports(from: before)
    #expect(reports.map(\.records) == Array(repeating: [IGMPv3GroupRecord(recordType: .changeToInclude, group: testGroup)], count: 2))
    #expect(reports.count == 2 && reports[1].time - reports[0].time <= .seconds(1))
    #expect(!recorder.messages.contains { $0.message == .leaveGroup(group: testGroup) })
}

@Test func aSecondChangeWhileOneIsPendingIsMergedIntoTheReport() {
    // RFC 3376 §5.1: the new State-Change Report merges the pending records with the new one.
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.ipNode(hosts[0])!.join(otherGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let reports = recorder.v3Reports()
    #expect(reports.first?.records == [IGMPv3GroupRecord(recordType: .changeToExclude, group: testGroup)])
    #expect(reports.dropFirst().first?.records == [IGMPv3GroupRecord(recordType: .changeToExclude, group: testGroup),
                                                   IGMPv3GroupRecord(recordType: .changeToExclude, group: otherGroup)])
}

@Test func aGeneralQueryGetsOneCurrentStateReportWithinMaxRespTime() {
    // RFC 3376 §5.2: one report, MODE_IS_EXCLUDE for every joined group, after a delay up to Max Resp Time (2 s here).
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.ipNode(hosts[0])!.join(otherGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let before = recorder.messages.count, queried = net.now
    deliver(v3Query(maxResponseDeciseconds: 20), net, to: hosts[0])
    net.run(until: net.now + .seconds(5))
    let answers = recorder.v3Reports(from: before)
    #expect(answers.map(\.records) == [[IGMPv3GroupRecord(recordType: .modeIsExclude, group: testGroup),
                                        IGMPv3GroupRecord(recordType: .modeIsExclude, group: otherGroup)]])
    #expect(answers.allSatisfy { $0.time - queried <= .seconds(2) })
}

@Test func aLongMaxRespCodeIsDecodedAsFloatingPoint() {
    // RFC 3376 §4.1.1: code 0x8F is (0xF | 0x10) << 3 = 248 tenths, 24.8 s.
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let before = recorder.messages.count, queried = net.now
    deliver(.v3MembershipQuery(IGMPv3Query(group: .any, maxResponseCode: 0x8F)), net, to: hosts[0])
    net.run(until: net.now + .seconds(30))
    let answers = recorder.v3Reports(from: before)
    #expect(answers.count == 1)
    #expect(answers.allSatisfy { $0.time - queried <= .milliseconds(24_800) })
}

@Test func aGroupSpecificQueryGetsAModeIsExcludeRecordForItsGroupOnly() {
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.ipNode(hosts[0])!.join(otherGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let before = recorder.messages.count, queried = net.now
    deliver(v3Query(group: otherGroup, maxResponseDeciseconds: 10), net, to: hosts[0])
    deliver(v3Query(group: IPv4Address(239, 9, 9, 9), maxResponseDeciseconds: 10), net, to: hosts[0])
    net.run(until: net.now + .seconds(2))
    let answers = recorder.v3Reports(from: before)
    #expect(answers.map(\.records) == [[IGMPv3GroupRecord(recordType: .modeIsExclude, group: otherGroup)]])
    #expect(answers.allSatisfy { $0.time - queried <= .seconds(1) })
}

@Test func groupSpecificQueriesMergeIntoOneResponse() {
    // RFC 3376 §5.2 (4): a second group-specific query adds its group to the pending response.
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.ipNode(hosts[0])!.join(otherGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let before = recorder.messages.count
    deliver(v3Query(group: testGroup, maxResponseDeciseconds: 100), net, to: hosts[0])
    deliver(v3Query(group: otherGroup, maxResponseDeciseconds: 100), net, to: hosts[0])
    net.run(until: net.now + .seconds(11))
    #expect(recorder.v3Reports(from: before).map(\.records) == [[IGMPv3GroupRecord(recordType: .modeIsExclude, group: testGroup),
                                                                 IGMPv3GroupRecord(recordType: .modeIsExclude, group: otherGroup)]])
}

@Test func aPendingGeneralResponseDueSoonerCoversAGroupSpecificQuery() {
    // RFC 3376 §5.2 (1): no further response is scheduled when the General Query's is due sooner.
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let before = recorder.messages.count
    deliver(v3Query(maxResponseDeciseconds: 1), net, to: hosts[0])
    deliver(v3Query(group: testGroup, maxResponseDeciseconds: 250), net, to: hosts[0])
    net.run(until: net.now + .seconds(26))
    #expect(recorder.v3Reports(from: before).count == 1)
}

@Test func aVersion2QueryMakesAVersion3HostFallBackUntilTheOlderQuerierTimeout() {
    // RFC 3376 §7.2.1: a v2 query → v2 reports and leaves for the Older Version Querier Present Timeout
    // (§8.12: 2 × 125 s + 10 s = 260 s), then back to v3.
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    var before = recorder.messages.count
    deliver(.membershipQuery(group: .any, maxResponseDeciseconds: 100), net, to: hosts[0])
    net.run(until: net.now + .seconds(11))
    #expect(recorder.messages[before...].map(\.message) == [.v2MembershipReport(group: testGroup)])
    before = recorder.messages.count
    net.ipNode(hosts[0])!.join(otherGroup, on: 0, network: net)
    net.ipNode(hosts[0])!.leave(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(11))
    #expect(recorder.messages[before...].contains { $0.message == .v2MembershipReport(group: otherGroup) })
    #expect(recorder.messages[before...].contains { $0.message == .leaveGroup(group: testGroup) })
    #expect(recorder.v3Reports(from: before).isEmpty)
    // 260 s after the query the host speaks v3 again.
    net.run(until: net.now + .seconds(240))
    before = recorder.messages.count
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(2))
    #expect(recorder.v3Reports(from: before).map(\.records).first == [IGMPv3GroupRecord(recordType: .changeToExclude, group: testGroup)])
    #expect(!recorder.messages[before...].contains { $0.message.version == 2 })
}

@Test func aVersion1QueryMakesAVersion3HostSendVersion1Reports() {
    let (net, hosts, recorder) = igmpHosts(igmpVersion: 3)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(5))
    let before = recorder.messages.count
    deliver(.membershipQuery(group: .any, maxResponseDeciseconds: 0), net, to: hosts[0])
    net.run(until: net.now + .seconds(11))
    #expect(recorder.messages[before...].map(\.message) == [.v1MembershipReport(group: testGroup)])
}

@Test func theSameSeedSendsTheSameVersion3ReportsAtTheSameInstants() {
    func reports(seed: UInt64) -> [SimTime] {
        let (net, hosts, recorder) = igmpHosts(seed: seed, igmpVersion: 3)
        net.ipNode(hosts[1])!.join(testGroup, on: 0, network: net)
        net.run(until: net.now + .seconds(5))
        deliver(v3Query(maxResponseDeciseconds: 100), net, to: hosts[1])
        net.run(until: net.now + .seconds(11))
        return recorder.v3Reports().map(\.time)
    }
    #expect(reports(seed: 7) == reports(seed: 7))
    #expect(reports(seed: 7).count == 3)
}
