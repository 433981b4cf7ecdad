import Engine
@testable import Fabric
@testable import Protocols
import Testing
import Wire

// MARK: - The host state machine, one test per transition of RFC 2236 §6

func hostGroup(_ state: HostGroupState, lastReporter: Bool = false, unsolicitedLeft: Int = 0) -> HostGroup {
    var g = HostGroup()
    g.state = state
    g.lastReporter = lastReporter
    g.unsolicitedLeft = unsolicitedLeft
    return g
}

func run(_ g: inout HostGroup, _ event: HostGroupEvent, robustness: Int = 2) -> [HostGroupAction] {
    var actions: [HostGroupAction] = []
    g.handle(event, robustness: robustness, unsolicitedReportInterval: .seconds(10), actions: &actions)
    return actions
}

@Test func joinReportsAtOnceAndSchedulesTheRepeat() {
    // RFC 2236 §3: an unsolicited report on join, repeated after up to the Unsolicited Report Interval.
    var g = hostGroup(.nonMember)
    #expect(run(&g, .joinGroup) == [.sendReport, .startTimer(upTo: .seconds(10))])
    #expect(g.state == .delayingMember && g.lastReporter && g.unsolicitedLeft == 1)
}

@Test func joinWithRobustnessOneReportsOnce() {
    var g = hostGroup(.nonMember)
    #expect(run(&g, .joinGroup, robustness: 1) == [.sendReport])
    #expect(g.state == .idleMember)
}

@Test func theUnsolicitedRepeatEndsInIdleMember() {
    var g = hostGroup(.delayingMember, lastReporter: true, unsolicitedLeft: 1)
    #expect(run(&g, .timerExpired) == [.sendReport])
    #expect(g.state == .idleMember && g.lastReporter)
}

@Test func aQueryMovesAnIdleMemberToDelaying() {
    // RFC 2236 §6: Idle Member, query received → start timer → Delaying Member.
    var g = hostGroup(.idleMember)
    #expect(run(&g, .queryReceived(maxResponseTime: .seconds(10))) == [.startTimer(upTo: .seconds(10))])
    #expect(g.state == .delayingMember)
}

@Test func aQueryWhileDelayingResetsTheTimerOnlyIfSooner() {
    // RFC 2236 §3: "reset the timer only if the requested Max Response Time is less than the remaining value".
    var g = hostGroup(.delayingMember)
    #expect(run(&g, .queryReceived(maxResponseTime: .seconds(1))) == [.restartTimerIfLater(upTo: .seconds(1))])
    #expect(g.state == .delayingMember)
}

@Test func anotherMembersReportSuppressesOurs() {
    // RFC 2236 §3 and §6: Delaying Member, report received → stop timer, clear flag → Idle Member.
    var g = hostGroup(.delayingMember, lastReporter: true, unsolicitedLeft: 1)
    #expect(run(&g, .reportReceived) == [.stopTimer])
    #expect(g.state == .idleMember && !g.lastReporter && g.unsolicitedLeft == 0)
}

@Test func theTimerSendsTheReportAndSetsTheFlag() {
    var g = hostGroup(.delayingMember)
    #expect(run(&g, .timerExpired) == [.sendReport])
    #expect(g.state == .idleMember && g.lastReporter)
}

@Test func theLastReporterSendsALeave() {
    // RFC 2236 §6: leave group → send leave if flag set.
    var idle = hostGroup(.idleMember, lastReporter: true)
    #expect(run(&idle, .leaveGroup) == [.sendLeave])
    #expect(idle.state == .nonMember)
    var delaying = hostGroup(.delayingMember, lastReporter: true)
    #expect(run(&delaying, .leaveGroup) == [.stopTimer, .sendLeave])
}

@Test func aMemberWhoseReportWasSuppressedLeavesQuietly() {
    // RFC 2236 §3: a host may omit the leave when it was not the last to report.
    var g = hostGroup(.idleMember, lastReporter: false)
    #expect(run(&g, .leaveGroup) == [])
    #expect(g.state == .nonMember)
}

@Test(arguments: [HostGroupEvent.leaveGroup, .queryReceived(maxResponseTime: .seconds(10)), .reportReceived, .timerExpired])
func aNonMemberIgnoresAllButAJoin(event: HostGroupEvent) {
    var g = hostGroup(.nonMember)
    #expect(run(&g, event) == [])
    #expect(g == HostGroup())
}

@Test func anIdleMemberIgnoresReportsTimersAndJoins() {
    for event in [HostGroupEvent.reportReceived, .timerExpired, .joinGroup] {
        var g = hostGroup(.idleMember, lastReporter: true)
        #expect(run(&g, event) == [])
        #expect(g.state == .idleMember && g.lastReporter)
    }
}

// MARK: - Hosts on one segment

/// Records the IGMP messages hosts send (from their own ports, so a switch's flooded copies are not counted again).
final class IGMPRecorder: FrameObserver {
    var messages: [(time: SimTime, source: IPv4Address, destination: IPv4Address, message: IGMPMessage)] = []
    var hostPorts: Set<PortID> = []
    func frameTransmitted(on link: LinkID, from port: PortID, at time: SimTime, bytes: UnsafeRawBufferPointer) {
        guard hostPorts.contains(port), FrameView.etherType(bytes) == .ipv4, let o = FrameView.payloadOffset(bytes),
              let ip = try? IPv4Header(parsing: UnsafeRawBufferPointer(rebasing: bytes[o...])), ip.protocolNumber == .igmp else { return }
        let start = o + ip.headerLength
        guard let m = try? IGMPMessage(bytes: Array(bytes[start..<(start + ip.payloadLength)])) else { return }
        messages.append((time, ip.source, ip.destination, m))
    }
}

let testGroup = IPv4Address(239, 1, 1, 1)

//   H1 10.1.1.1, H2 10.1.1.2, H3 10.1.1.3 (Ethernet0) on SW1 Gi0/1-3, VLAN 1; IGMP runs on each.
func igmpHosts(seed: UInt64 = 1, snooping: Bool = false, igmpVersion: Int? = nil) -> (Network, [NodeID], IGMPRecorder) {
    let net = Network(seed: seed)
    var s = SwitchSettings(hostname: "SW1")
    s.interfaces = (1...3).map { n in
        var i = InterfaceSettings(name: "GigabitEthernet0/\(n)")
        i.switchport = SwitchportSettings()
        return i
    }
    // A shared segment: without snooping the switch floods reports to every host, as RFC 2236 §3 suppression assumes.
    s.igmpSnooping.enabled = snooping
    let sw = net.addSwitch(s, physicalPorts: (0...3).map { "GigabitEthernet0/\($0)" })
    var hosts: [NodeID] = []
    for n in 1...3 {
        var h = IPNodeSettings(hostname: "H\(n)")
        var i = InterfaceSettings(name: "Ethernet0")
        let a = IPv4Address(10, 1, 1, UInt8(n))
        i.addresses = [InterfaceAddress(address: a, prefix: IPv4Prefix(a, length: 24))]
        i.igmpVersion = igmpVersion
        h.interfaces = [i]
        h.ipRouting = false
        let id = net.addIPNode(h, isRouter: false, physicalPorts: ["Ethernet0"])
        net.connect(net.port(of: id, named: "Ethernet0")!, net.port(of: sw, named: "GigabitEthernet0/\(n)")!,
                    bandwidth: .gbps(1), delay: .milliseconds(1), mtu: 1500)
        hosts.append(id)
    }
    let recorder = IGMPRecorder()
    recorder.hostPorts = Set(hosts.map { net.port(of: $0, named: "Ethernet0")! })
    net.observers.append(recorder)
    net.start()
    for id in hosts { net.ipNode(id)!.attach(IGMPHost(seed: seed, hostname: net.ipNode(id)!.name), network: net) }
    net.run(until: .zero + .seconds(1))
    return (net, hosts, recorder)
}

func sendQuery(_ net: Network, to host: NodeID, group: IPv4Address = .any, maxResponseDeciseconds: UInt8 = 100) {
    // A querier's query as it arrives at the host: delivered straight to the host's IGMP.
    let node = net.ipNode(host)!
    let message = IGMPMessage.membershipQuery(group: group, maxResponseDeciseconds: maxResponseDeciseconds)
    let header = message.ipv4Header(source: IPv4Address(10, 1, 1, 254))
    let igmp = node.protocols.first { $0 is IGMPHost }!
    _ = node.withContext(of: igmp, network: net) { igmp.receive(ReceivedDatagram(header: header, payload: message.bytes(), interface: 0), $0) }
}

@Test func aJoiningHostSendsTwoUnsolicitedReportsToTheGroup() {
    let (net, hosts, recorder) = igmpHosts()
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(11))
    let reports = recorder.messages.filter { $0.message == .v2MembershipReport(group: testGroup) }
    // RFC 2236 §3: the report goes to the group itself; robustness 2 means one repeat within 10 s.
    #expect(reports.count == 2)
    #expect(reports.allSatisfy { $0.destination == testGroup && $0.source == IPv4Address(10, 1, 1, 1) })
    #expect(reports[1].time - reports[0].time < .seconds(10))
}

@Test func aQueryIsAnsweredOnceOnTheSegment() {
    // RFC 2236 §3: members delay their answers at random; the first report suppresses the others.
    let (net, hosts, recorder) = igmpHosts()
    for h in hosts { net.ipNode(h)!.join(testGroup, on: 0, network: net) }
    net.run(until: net.now + .seconds(20))
    let before = recorder.messages.count
    let queried = net.now
    for h in hosts { sendQuery(net, to: h) }
    net.run(until: net.now + .seconds(11))
    let answers = recorder.messages[before...].filter { $0.message == .v2MembershipReport(group: testGroup) }
    #expect(answers.count == 1)
    // The answer came within the Max Response Time.
    #expect(answers.allSatisfy { $0.time - queried <= .seconds(10) })
}

@Test func behindASnoopingSwitchEveryMemberAnswersTheQuery() {
    // RFC 4541 §2.1.1: the switch forwards reports to mrouter ports only, so no host hears another's and none suppresses.
    let (net, hosts, recorder) = igmpHosts(snooping: true)
    for h in hosts { net.ipNode(h)!.join(testGroup, on: 0, network: net) }
    net.run(until: net.now + .seconds(20))
    let before = recorder.messages.count
    for h in hosts { sendQuery(net, to: h) }
    net.run(until: net.now + .seconds(11))
    #expect(recorder.messages[before...].filter { $0.message == .v2MembershipReport(group: testGroup) }.count == 3)
}

@Test func theSameSeedAnswersAtTheSameInstant() {
    func answerTime(seed: UInt64) -> SimTime? {
        let (net, hosts, recorder) = igmpHosts(seed: seed)
        net.ipNode(hosts[1])!.join(testGroup, on: 0, network: net)
        net.run(until: net.now + .seconds(20))
        let before = recorder.messages.count
        sendQuery(net, to: hosts[1])
        net.run(until: net.now + .seconds(11))
        return recorder.messages[before...].first?.time
    }
    #expect(answerTime(seed: 7) == answerTime(seed: 7))
    #expect(answerTime(seed: 7) != nil)
}

@Test func aGroupSpecificQueryConcernsOnlyItsGroup() {
    let (net, hosts, recorder) = igmpHosts()
    let other = IPv4Address(239, 2, 2, 2)
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.ipNode(hosts[0])!.join(other, on: 0, network: net)
    net.run(until: net.now + .seconds(20))
    let before = recorder.messages.count
    sendQuery(net, to: hosts[0], group: other, maxResponseDeciseconds: 10)
    net.run(until: net.now + .seconds(2))
    #expect(recorder.messages[before...].map(\.message) == [.v2MembershipReport(group: other)])
}

@Test func theLastReporterLeavesToAllRouters() {
    let (net, hosts, recorder) = igmpHosts()
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(11))
    net.ipNode(hosts[0])!.leave(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(1))
    let leaves = recorder.messages.filter { $0.message == .leaveGroup(group: testGroup) }
    #expect(leaves.count == 1)
    #expect(leaves.first?.destination == IGMPMessage.allRouters)
}

@Test func aVersion1QuerierGetsVersion1ReportsAndNoLeave() {
    // RFC 2236 §4: while a v1 router is present, reports are v1 and leaves are not sent.
    let (net, hosts, recorder) = igmpHosts()
    net.ipNode(hosts[0])!.join(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(11))
    sendQuery(net, to: hosts[0], maxResponseDeciseconds: 0)
    net.run(until: net.now + .seconds(11))
    net.ipNode(hosts[0])!.leave(testGroup, on: 0, network: net)
    net.run(until: net.now + .seconds(1))
    #expect(recorder.messages.contains { $0.message == .v1MembershipReport(group: testGroup) })
    #expect(!recorder.messages.contains { $0.message == .leaveGroup(group: testGroup) })
}
