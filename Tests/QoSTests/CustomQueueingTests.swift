import Engine
@testable import QoS
import Testing
import Wire

private func cqLab(byteCounts: [Int: Int], limits: [Int: Int] = [1: 200, 2: 200, 3: 200, 4: 200],
                   carry: Bool = false) -> OutputQueue {
    let list = QueueList(number: 1, rules: [
        CustomQueueRule(.ipUDPPort(5002), 2), CustomQueueRule(.ipUDPPort(5003), 3), CustomQueueRule(.ipUDPPort(5004), 4),
    ], byteCounts: byteCounts, limits: limits, deficitCarryOver: carry)
    return OutputQueue(.custom(list), bandwidth: .mbps(10))
}

/// Bytes served per destination port over `n` dequeues with every queue kept backlogged.
private func servedBytes(_ q: OutputQueue, ports: [UInt16], length: Int32, dequeues n: Int) -> [UInt16: Int] {
    var handle: UInt32 = 0
    for port in ports { for _ in 0..<100 { q.offer(packet(handle, length: length, key: udpKey(port: port))); handle += 1 } }
    var bytes: [UInt16: Int] = [:]
    for _ in 0..<n {
        let p = q.dequeue(now: .zero)!
        bytes[p.key.destinationPort, default: 0] += Int(p.length)
        q.offer(packet(handle, length: length, key: p.key)); handle += 1
    }
    return bytes
}

// IOS sends "until the number of bytes sent exceeds the byte count": with 1500-byte frames a
// 3000-byte count sends 3 frames a turn (1500, 3000 = not exceeded, 4500) and 1500 sends 2 — 3:2:2.
@Test func byteCountsThreeThousandFifteenHundredFifteenHundredGiveThreeToTwoToTwoWithFullFrames() {
    let q = cqLab(byteCounts: [2: 3000, 3: 1500, 4: 1500])
    let bytes = servedBytes(q, ports: [5002, 5003, 5004], length: 1500, dequeues: 7000)
    #expect(bytes[5002]! * 2 == bytes[5003]! * 3 && bytes[5003]! == bytes[5004]!)
}

// Issue 14: byte-count 1514 with 1514-byte frames — the first frame reaches the count exactly,
// which does not exceed it, so IOS sends a second one before the turn ends.
@Test func aFrameThatReachesTheByteCountExactlyDoesNotEndTheTurn() {
    let q = cqLab(byteCounts: [2: 1514, 3: 1514])
    var handle: UInt32 = 0
    for port: UInt16 in [5002, 5003] { for _ in 0..<10 { q.offer(packet(handle, length: 1514, key: udpKey(port: port))); handle += 1 } }
    #expect(q.drain(8).map(\.key.destinationPort) == [5002, 5002, 5003, 5003, 5002, 5002, 5003, 5003])
}

// ios-behavior §4: the packet that crosses the byte count goes out whole, so 1000-byte packets
// against a 1500-byte count send 2 packets (2000 bytes) per turn, and 1500-byte packets 2 as well
// (3000 bytes) — shares depend on packet size.
@Test func thousandBytePacketsAgainstAFifteenHundredByteCountSendTwoPerTurn() {
    let q = cqLab(byteCounts: [:])
    var handle: UInt32 = 0
    for _ in 0..<10 { q.offer(packet(handle, length: 1000, key: udpKey(port: 5002))); handle += 1 }
    for _ in 0..<10 { q.offer(packet(handle, length: 1500, key: udpKey(port: 5003))); handle += 1 }
    let ports = q.drain(8).map(\.key.destinationPort)
    #expect(ports == [5002, 5002, 5003, 5003, 5002, 5002, 5003, 5003])   // 1500 reaching 1500 does not exceed it
    let distorted = cqLab(byteCounts: [:])
    var h: UInt32 = 0
    for _ in 0..<100 { distorted.offer(packet(h, length: 1000, key: udpKey(port: 5002))); h += 1 }
    for _ in 0..<100 { distorted.offer(packet(h, length: 1500, key: udpKey(port: 5003))); h += 1 }
    var bytes: [UInt16: Int] = [:]
    for p in distorted.drain(88) { bytes[p.key.destinationPort, default: 0] += Int(p.length) }
    #expect(bytes[5002]! * 3 == bytes[5003]! * 2)   // 2000 : 3000 per round, not 1:1
}

@Test func deficitCarryOverRestoresByteFairnessWhenSwitchedOn() {
    let q = cqLab(byteCounts: [:], carry: true)
    var h: UInt32 = 0
    for _ in 0..<150 { q.offer(packet(h, length: 1000, key: udpKey(port: 5002))); h += 1 }
    for _ in 0..<150 { q.offer(packet(h, length: 1500, key: udpKey(port: 5003))); h += 1 }
    var bytes: [UInt16: Int] = [:]
    for p in q.drain(100) { bytes[p.key.destinationPort, default: 0] += Int(p.length) }
    #expect(abs(bytes[5002]! - bytes[5003]!) <= 2000)
}

@Test func unmatchedTrafficGoesToQueueOne() {
    let q = cqLab(byteCounts: [:])
    q.offer(packet(1, key: udpKey(port: 9)))
    guard case let .custom(cq) = q.discipline else { Issue.record("not CQ"); return }
    #expect(cq.depth(1) == 1)
    #expect(QueueList(number: 1).defaultQueue == 1 && QueueList(number: 1).byteCounts[5] == 1500
        && QueueList(number: 1).limits[5] == 20)
}

@Test func systemQueueZeroIsEmptiedFirst() {
    let q = cqLab(byteCounts: [:])
    q.offer(packet(1, key: udpKey(port: 5002)))
    q.offer(packet(2, key: PacketKey(isIPv4: false)))   // a keepalive
    q.offer(packet(3, key: PacketKey(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(224, 0, 0, 5),
                                     ipProtocol: 89)))  // the router's own OSPF hello
    #expect(q.drain().map(\.handle) == [2, 3, 1])
}

@Test func customQueueShowsSeventeenQueuesInShowInterfaces() {
    let q = OutputQueue(.custom(QueueList(number: 1)), bandwidth: .mbps(10))
    q.offer(packet(1))
    #expect(q.showInterfaceLines() == [
        "  Queueing strategy: custom-list 1",
        "  Output queues: (queue #: size/max/drops)",
        "     0: 0/20/0 1: 1/20/0 2: 0/20/0 3: 0/20/0 4: 0/20/0",
        "     5: 0/20/0 6: 0/20/0 7: 0/20/0 8: 0/20/0 9: 0/20/0",
        "     10: 0/20/0 11: 0/20/0 12: 0/20/0 13: 0/20/0 14: 0/20/0",
        "     15: 0/20/0 16: 0/20/0",
    ])
}
