import Engine
@testable import QoS
import Testing
import Wire

private func acls() -> AccessListTable {
    let t = AccessListTable()
    t.define("101", [AccessListEntry(.permit, .udp, destinationPort: .eq(5001))])
    t.define("102", [AccessListEntry(.permit, .udp, destinationPort: .eq(5002))])
    return t
}

private let gold = ClassMap("gold", .matchAll, [.accessGroup("101")])
private let silver = ClassMap("silver", .matchAll, [.accessGroup("102")])
private let voice = ClassMap("voice", .matchAll, [.dscp([.ef])])

@Test func bandwidthClassesShareAnOverloadedLinkInProportion() {
    let policy = PolicyMap("SHARES", classes: [
        ClassPolicy(gold, bandwidth: .percent(30)), ClassPolicy(silver, bandwidth: .percent(10)),
        ClassPolicy(.classDefault, fairQueue: .some(nil)),
    ])
    let q = OutputQueue(.policy(policy), bandwidth: .mbps(1), accessLists: acls())
    var handle: UInt32 = 0
    for port in [UInt16(5001), 5002] { for _ in 0..<60 { q.offer(packet(handle, length: 1000, key: udpKey(port: port))); handle += 1 } }
    var bytes: [UInt16: Int] = [:]
    for _ in 0..<4000 {
        let p = q.dequeue(now: .zero)!
        bytes[p.key.destinationPort, default: 0] += Int(p.length)
        q.offer(packet(handle, length: 1000, key: p.key)); handle += 1
    }
    let ratio = Double(bytes[5001]!) / Double(bytes[5002]!)
    #expect(abs(ratio - 3.0) < 0.05, "ratio \(ratio)")
}

// ios-behavior §6.2: pre-HQF class weights come from a constant (unconfirmed, chosen 64), so a
// `bandwidth remaining percent 5` class still beats precedence-7 class-default traffic ~3.2 : 1.
@Test func remainingPercentFiveBeatsPrecedenceSevenClassDefaultFlows() {
    #expect(PolicyMap("P", classes: []).classWeightConstant == 64)
    let policy = PolicyMap("INE", classes: [ClassPolicy(gold, bandwidth: .remainingPercent(5)),
                                            ClassPolicy(.classDefault, fairQueue: .some(nil))])
    let q = OutputQueue(.policy(policy), bandwidth: .mbps(1), accessLists: acls())
    let goldKey = udpKey(1, port: 5001), bulk = udpKey(2, port: 7000, precedence: 7)
    var handle: UInt32 = 0
    for _ in 0..<30 {
        q.offer(packet(handle, length: 1000, key: goldKey)); handle += 1
        q.offer(packet(handle, length: 1000, key: bulk)); handle += 1
    }
    var bytes: [UInt16: Int] = [:]
    for _ in 0..<4000 {
        let p = q.dequeue(now: .zero)!
        bytes[p.key.destinationPort, default: 0] += Int(p.length)
        q.offer(packet(handle, length: 1000, key: p.key)); handle += 1
    }
    let ratio = Double(bytes[5001]!) / Double(bytes[7000]!)
    #expect(abs(ratio - 4048.0 / 1280.0) < 0.05, "ratio \(ratio)")
}

@Test func llqServesThePriorityClassFirst() {
    let policy = PolicyMap("LLQ", classes: [ClassPolicy(voice, priority: .kbps(100)),
                                            ClassPolicy(gold, bandwidth: .kbps(200))])
    let q = OutputQueue(.policy(policy), bandwidth: .mbps(1), accessLists: acls())
    for i in 0..<5 { q.offer(packet(UInt32(i), length: 1000, key: udpKey(port: 5001))) }
    q.offer(packet(99, length: 200, key: udpKey(port: 6000, tos: DSCP.ef.rawValue << 2)))
    #expect(q.dequeue(now: .zero)?.handle == 99)
}

// ios-behavior §6.3: excess priority traffic goes out while the link is idle and is policed
// (dropped) only when packets are waiting; the default burst is 200 ms of the rate.
@Test func llqPolicesThePriorityClassOnlyUnderCongestion() {
    let policy = PolicyMap("LLQ", classes: [ClassPolicy(voice, priority: .kbps(100)),
                                            ClassPolicy(gold, bandwidth: .kbps(200))])
    let efKey = udpKey(3, port: 6000, tos: DSCP.ef.rawValue << 2)
    let idle = OutputQueue(.policy(policy), bandwidth: .mbps(1), accessLists: acls())
    for i in 0..<20 {
        #expect(idle.offer(packet(UInt32(i), length: 1000, key: efKey)) == .queued)
        #expect(idle.dequeue(now: .zero) != nil)
    }
    let busy = OutputQueue(.policy(policy), bandwidth: .mbps(1), accessLists: acls())
    for i in 0..<5 { busy.offer(packet(UInt32(i), length: 1000, key: udpKey(port: 5001))) }
    var outcomes: [EnqueueOutcome] = []
    for i in 0..<10 { outcomes.append(busy.offer(packet(UInt32(100 + i), length: 1000, key: efKey))) }
    #expect(outcomes.filter { $0 == .queued }.count == 2)   // burst 100 kbps × 200 ms = 2500 bytes
    #expect(busy.dropsByReason == [.policed: 8])
    let lines = busy.showPolicyMapInterfaceLines(interfaceName: "Serial0/0", now: .zero)
    #expect(lines.contains("        Output Queue: Conversation 264"))
    #expect(lines.contains("        Bandwidth 100 (kbps) Burst 2500 (Bytes)"))
    #expect(lines.contains("        (total drops/bytes drops) 8/8000"))
}

@Test func reservationsBeyondSeventyFivePercentAreRefused() {
    let policy = PolicyMap("TOO-MUCH", classes: [ClassPolicy(voice, priority: .kbps(1200))])
    #expect(policy.validate(against: .kbps(1544), interfaceName: "Serial0/0")
        == "I/f Serial0/0 class voice requested bandwidth 1200 (kbps), available only 1158 (kbps)")
    let fits = PolicyMap("OK", classes: [ClassPolicy(voice, priority: .kbps(500)), ClassPolicy(gold, bandwidth: .kbps(600))])
    #expect(fits.validate(against: .kbps(1544)) == nil)
    let second = PolicyMap("P", classes: [ClassPolicy(voice, priority: .percent(50)), ClassPolicy(gold, bandwidth: .percent(30))])
    #expect(second.validate(against: .kbps(1544), interfaceName: "Serial0/0")
        == "I/f Serial0/0 class gold requested bandwidth 30 (%), available only 25 (%)")
    #expect(second.validate(against: .kbps(1544), maxReservedPercent: 100) == nil)
}

/// Fraction of offers WRED drops while the class queue is held at `depth` packets.
private func wredDropFraction(depth: Int) -> Double {
    let policy = PolicyMap("RED", classes: [ClassPolicy(gold, bandwidth: .percent(50), queueLimit: 1000,
                                                        randomDetect: RandomDetect())])
    let q = OutputQueue(.policy(policy), bandwidth: .mbps(1), accessLists: acls(),
                        random: RandomStream(seed: 7, label: "wred"))
    var handle: UInt32 = 0
    func hold() { while q.count > depth { _ = q.dequeue(now: .zero) } }
    for _ in 0..<3000 { q.offer(packet(handle, key: udpKey(port: 5001))); handle += 1; hold() }
    var drops = 0
    for _ in 0..<5000 {
        if q.offer(packet(handle, key: udpKey(port: 5001))) != .queued { drops += 1 }
        handle += 1
        hold()
    }
    return Double(drops) / 5000
}

@Test func wredDropsMoreAsTheAverageDepthGrows() {
    let fractions = [10, 25, 32, 38, 45].map(wredDropFraction)
    #expect(fractions[0] == 0)
    #expect(fractions[1] > 0 && fractions[1] < fractions[2] && fractions[2] < fractions[3])
    #expect(fractions[3] < 0.1)   // at most 1/10 below the maximum threshold
    #expect(fractions[4] == 1)    // average above 40: every packet
}

@Test func policerCountsConformingAndExceedingPackets() {
    let policy = PolicyMap("POLICE", classes: [
        ClassPolicy(gold, police: Police(cirBitsPerSecond: 8000, conform: .transmit, exceed: .drop)),
    ])
    #expect(Police(cirBitsPerSecond: 8000).effectiveBurstBytes == 1500)
    #expect(Police(cirBitsPerSecond: 1_000_000).effectiveBurstBytes == 31250)
    let input = InputPolicy(policy, accessLists: acls())
    var results: [DropReason?] = []
    for i in 0..<10 {
        var p = packet(UInt32(i), length: 500, key: udpKey(port: 5001))
        results.append(input.process(&p, now: .zero))
    }
    #expect(results.filter { $0 == nil }.count == 3 && results.filter { $0 == .policed }.count == 7)
    var later = packet(11, length: 500, key: udpKey(port: 5001))
    #expect(input.process(&later, now: SimTime(nanoseconds: 500_000_000)) == nil)   // 500 bytes refilled
    let lines = input.showPolicyMapInterfaceLines(interfaceName: "Ethernet0/0", now: .zero)
    #expect(lines.contains("  Service-policy input: POLICE"))
    #expect(lines.contains("          cir 8000 bps, bc 1500 bytes"))
    #expect(lines.contains("        conformed 4 packets, 2000 bytes; actions:"))
    #expect(lines.contains("        exceeded 7 packets, 3500 bytes; actions:"))
}

@Test func shaperHoldsTheQueueUntilTokensReturn() {
    let policy = PolicyMap("SHAPE", classes: [ClassPolicy(gold, shape: Shape(rateBitsPerSecond: 64000))])
    #expect(Shape(rateBitsPerSecond: 256_000).effectiveSustainedBits == 32000)   // Tc 125 ms
    let q = OutputQueue(.policy(policy), bandwidth: .mbps(1), accessLists: acls())
    for i in 0..<3 { q.offer(packet(UInt32(i), length: 1000, key: udpKey(port: 5001))) }
    #expect(q.dequeue(now: .zero)?.handle == 0)       // bucket 1500 bytes (Bc floor of one MTU)
    #expect(q.dequeue(now: .zero) == nil)
    let ready = SimTime(nanoseconds: 62_500_000)       // 500 bytes more at 8000 bytes/s
    #expect(q.nextEligibleTime(now: .zero) == ready)
    #expect(q.dequeue(now: SimTime(nanoseconds: 62_000_000)) == nil)
    #expect(q.dequeue(now: ready)?.handle == 1)
}

@Test func markingRewritesTheKeyToS() {
    let policy = PolicyMap("MARK", classes: [
        ClassPolicy(gold, bandwidth: .percent(20), set: [.precedence(5)]),
        ClassPolicy(.classDefault, set: [.dscp(.af(4, 1))]),
    ])
    let q = OutputQueue(.policy(policy), bandwidth: .mbps(1), accessLists: acls())
    var p = packet(1, key: udpKey(port: 5001, tos: 0x02))
    _ = q.enqueue(&p, now: .zero)
    #expect(p.key.tos == 0xA2 && p.key.precedence == 5)
    var d = packet(2, key: udpKey(port: 7000))
    _ = q.enqueue(&d, now: .zero)
    #expect(d.key.dscp == 34)
    let input = InputPolicy(PolicyMap("IN", classes: [ClassPolicy(gold, set: [.dscp(.ef)])]), accessLists: acls())
    var e = packet(3, key: udpKey(port: 5001))
    #expect(input.process(&e, now: .zero) == nil && e.key.tos == 0xB8)
    let lines = q.showPolicyMapInterfaceLines(interfaceName: "Serial0/0", now: .zero)
    #expect(lines.contains("      QoS Set") && lines.contains("        precedence 5")
        && lines.contains("          Packets marked 1"))
}

@Test func dropClassDropsEverything() {
    let policy = PolicyMap("DENY", classes: [ClassPolicy(gold, drop: true)])
    let q = OutputQueue(.policy(policy), bandwidth: .mbps(1), accessLists: acls())
    #expect(q.offer(packet(1, key: udpKey(port: 5001))) == .dropped(.classDrop))
    #expect(q.offer(packet(2, key: udpKey(port: 5002))) == .queued)
}

@Test func showPolicyMapInterfaceFollowsIOSLayout() {
    let policy = PolicyMap("LLQ", classes: [
        ClassPolicy(ClassMap("voice", .matchAll, [.accessGroup("101")]), priority: .kbps(128), set: [.precedence(5)]),
        ClassPolicy(silver, bandwidth: .kbps(256)),
        ClassPolicy(.classDefault, fairQueue: .some(nil)),
    ])
    let q = OutputQueue(.policy(policy), bandwidth: .kbps(1544), accessLists: acls())
    q.offer(packet(1, length: 100, key: udpKey(port: 5001)))
    #expect(q.showPolicyMapInterfaceLines(interfaceName: "Serial0/0", now: .zero) == [
        " Serial0/0 ", "",
        "  Service-policy output: LLQ", "",
        "    Class-map: voice (match-all)",
        "      1 packets, 100 bytes",
        "      5 minute offered rate 0 bps, drop rate 0 bps",
        "      Match: access-group 101",
        "      Queueing",
        "        Strict Priority",
        "        Output Queue: Conversation 264",
        "        Bandwidth 128 (kbps) Burst 3200 (Bytes)",
        "        (pkts matched/bytes matched) 1/100",
        "        (total drops/bytes drops) 0/0",
        "      QoS Set",
        "        precedence 5",
        "          Packets marked 1", "",
        "    Class-map: silver (match-all)",
        "      0 packets, 0 bytes",
        "      5 minute offered rate 0 bps, drop rate 0 bps",
        "      Match: access-group 102",
        "      Queueing",
        "        Output Queue: Conversation 265",
        "        Bandwidth 256 (kbps) Max Threshold 64 (packets)",
        "        (pkts matched/bytes matched) 0/0",
        "        (depth/total drops/no-buffer drops) 0/0/0", "",
        "    Class-map: class-default (match-any)",
        "      0 packets, 0 bytes",
        "      5 minute offered rate 0 bps, drop rate 0 bps",
        "      Match: any",
        "      Queueing",
        "        Flow Based Fair Queueing",
        "        Maximum Number of Hashed Queues 256",
        "        (total queued/total drops/no-buffer drops) 0/0/0",
    ])
    #expect(q.showInterfaceLines()[0] == "  Queueing strategy: Class-based queueing")
    #expect(q.showInterfaceLines()[4] == "     Available Bandwidth 774 kilobits/sec")
}

@Test func offeredRateIsAFiveMinuteExponentialAverage() {
    let policy = PolicyMap("RATE", classes: [ClassPolicy(gold, bandwidth: .percent(50))])
    let q = OutputQueue(.policy(policy), bandwidth: .mbps(10), accessLists: acls())
    // 1000 bytes every 10 ms = 800 kbit/s for 10 minutes.
    for t in 0..<60_000 {
        let now = SimTime(nanoseconds: Int64(t) * 10_000_000)
        q.offer(packet(UInt32(t), length: 1000, key: udpKey(port: 5001)), now: now)
        _ = q.dequeue(now: now)
    }
    let line = q.showPolicyMapInterfaceLines(interfaceName: "Serial0/0", now: SimTime(nanoseconds: 600_000_000_000))
        .first { $0.contains("offered rate") }!
    let rate = Int(line.split(separator: " ")[4])!
    #expect(rate > 680_000 && rate < 800_000, "\(line)")   // 1 − e^(−2) of the way after 10 minutes
}
