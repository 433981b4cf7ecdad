import Engine
@testable import QoS
import Testing
import Wire

@Test(arguments: [(UInt8(0), 32384), (1, 16192), (3, 8096), (5, 5397), (7, 4048)])
func wfqWeightIs32384OverPrecedencePlusOne(precedence: UInt8, weight: Int) {
    #expect(FairQueueWeight.weight(precedence: precedence) == weight)
}

@Test func fairQueueDefaultsMatchIOS() {
    let p = FairQueueParameters()
    #expect(p.congestiveDiscardThreshold == 64 && p.dynamicQueues == 256 && p.reservableQueues == 0
        && p.holdQueue == 1000 && !p.quarterCDTHysteresis)
}

// ios-behavior §5.3, the Cisco Press worked example with its SNs recomputed: flows of 1500 B
// precedence 3 (packets 1-4), 1000 B precedence 5 (5-8), 500 B precedence 0 (9-12) and 100 B
// precedence 0 (13-16), all queued at once. Packets 4 and 11 tie at 48,576,000: first to arrive first.
@Test func workedExampleLeavesInRecomputedSequenceNumberOrder() {
    let q = OutputQueue(.fair(FairQueueParameters()), bandwidth: .kbps(1544))
    let flows: [(Int32, UInt8)] = [(1500, 3), (1000, 5), (500, 0), (100, 0)]
    let keys = flows.indices.map { udpKey(UInt8(10 + $0), precedence: flows[$0].1) }
    let conversations = Set(keys.map { conversationHash($0, queues: 256) })
    #expect(conversations.count == 4)
    var handle: UInt32 = 1
    for (i, (length, _)) in flows.enumerated() {
        for _ in 0..<4 {
            #expect(q.offer(packet(handle, length: length, key: keys[i])) == .queued)
            handle += 1
        }
    }
    #expect(q.drain().map(\.handle) == [13, 5, 14, 15, 6, 1, 16, 7, 9, 8, 2, 10, 3, 4, 11, 12])
}

@Test func precedenceFiveGetsSixTimesTheBytesOfPrecedenceZero() {
    let q = OutputQueue(.fair(FairQueueParameters()), bandwidth: .kbps(1544))
    let low = udpKey(1, precedence: 0), high = udpKey(2, precedence: 5)
    var handle: UInt32 = 0
    for _ in 0..<40 {
        q.offer(packet(handle, length: 1000, key: low)); handle += 1
        q.offer(packet(handle, length: 1000, key: high)); handle += 1
    }
    var bytes: [UInt8: Int] = [:]
    for _ in 0..<7000 {
        let p = q.dequeue(now: .zero)!
        bytes[p.key.precedence, default: 0] += Int(p.length)
        q.offer(packet(handle, length: 1000, key: p.key)); handle += 1
    }
    let ratio = Double(bytes[5]!) / Double(bytes[0]!)
    #expect(abs(ratio - 6.0) < 0.1, "ratio \(ratio)")
}

@Test func arrivalWithTheHighestSequenceNumberIsDroppedAtTheCDT() {
    let q = OutputQueue(.fair(FairQueueParameters(congestiveDiscardThreshold: 4)), bandwidth: .kbps(1544))
    let big = udpKey(1, precedence: 0), small = udpKey(2, precedence: 7)
    for i in 0..<4 { #expect(q.offer(packet(UInt32(i), length: 1000, key: big)) == .queued) }
    q.offer(packet(10, length: 100, key: small))
    #expect(q.offer(packet(4, length: 1000, key: big)) == .dropped(.congestiveDiscard))
    #expect(q.dropsByReason == [.congestiveDiscard: 1])
}

@Test func conversationAtTheCDTDisplacesAnotherFlowsHigherSequenceNumber() {
    let q = OutputQueue(.fair(FairQueueParameters(congestiveDiscardThreshold: 4)), bandwidth: .kbps(1544))
    let voice = udpKey(1, precedence: 7), bulk = udpKey(2, precedence: 0)
    for i in 0..<4 { q.offer(packet(UInt32(i), length: 64, key: voice)) }
    q.offer(packet(100, length: 1500, key: bulk))
    q.offer(packet(101, length: 1500, key: bulk))
    let outcome = q.offer(packet(4, length: 64, key: voice))
    guard case let .queuedDisplacing(victim, reason) = outcome else {
        Issue.record("expected a displacement, got \(outcome)"); return
    }
    #expect(victim == 101 && reason == .congestiveDiscard)
    #expect(q.count == 6)
    #expect(q.drain().map(\.handle) == [0, 1, 2, 3, 4, 100])
}

@Test func fullHoldQueueDropsTheArrival() {
    let q = OutputQueue(.fair(FairQueueParameters(holdQueue: 10)), bandwidth: .kbps(1544))
    for i in 0..<10 { #expect(q.offer(packet(UInt32(i), key: udpKey(UInt8(i)))) == .queued) }
    #expect(q.offer(packet(10, key: udpKey(50))) == .dropped(.queueFull))
}

@Test func quarterCDTHysteresisBlocksAConversationUntilItDrains() {
    let q = OutputQueue(.fair(FairQueueParameters(congestiveDiscardThreshold: 8, quarterCDTHysteresis: true)),
                        bandwidth: .kbps(1544))
    let key = udpKey(1)
    for i in 0..<8 { q.offer(packet(UInt32(i), key: key)) }
    #expect(q.offer(packet(8, key: key)) == .dropped(.congestiveDiscard))
    _ = q.drain(5)   // depth 3, not below 8/4 = 2
    #expect(q.offer(packet(9, key: key)) == .dropped(.congestiveDiscard))
    _ = q.drain(2)   // depth 1
    #expect(q.offer(packet(10, key: key)) == .queued)
}

@Test func wfqShowsIOSInterfaceAndQueueLines() {
    let q = OutputQueue(.fair(FairQueueParameters()), bandwidth: .kbps(1544))
    q.offer(packet(1, length: 64, key: udpKey(1, precedence: 5)))
    #expect(q.showInterfaceLines() == [
        "  Queueing strategy: weighted fair",
        "  Output queue: 1/1000/64/0 (size/max total/threshold/drops)",
        "     Conversations  1/1/256 (active/max active/max total)",
        "     Reserved Conversations 0/0 (allocated/max allocated)",
        "     Available Bandwidth 1158 kilobits/sec",
    ])
    let lines = q.showQueueLines(interfaceName: "Serial0/0")
    #expect(lines.contains("  (depth/weight/total drops/no-buffer drops/interleaves) 1/5397/0/0/0"))
    #expect(lines.contains("  TOS: 160 prot: 17, source port 1001, destination port 5001"))
    #expect(QueueingDisplay.fairLines([("Serial0/0", FairQueueParameters())]).last
        == "  Serial0/0           64         256      0         8       1")
}
