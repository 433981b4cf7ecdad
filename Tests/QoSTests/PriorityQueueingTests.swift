import Engine
@testable import QoS
import Testing
import Wire

private func pqLab(_ rules: [PriorityRule], defaultQueue: PriorityLevel = .normal) -> OutputQueue {
    let acls = AccessListTable()
    acls.define("101", [AccessListEntry(.permit, .udp, destinationPort: .eq(5001))])
    acls.define("102", [AccessListEntry(.permit, .udp, destinationPort: .eq(5002))])
    return OutputQueue(.priority(PriorityList(number: 1, rules: rules, defaultQueue: defaultQueue)),
                       bandwidth: .mbps(10), accessLists: acls)
}

@Test func priorityQueueingServesHighBeforeMediumBeforeNormalBeforeLow() {
    let q = pqLab([PriorityRule(.ipList("101"), .high), PriorityRule(.ipList("102"), .medium),
                   PriorityRule(.ipUDPPort(5004), .low)])
    q.offer(packet(1, key: udpKey(port: 5004)))   // low
    q.offer(packet(2, key: udpKey(port: 5003)))   // default: normal
    q.offer(packet(3, key: udpKey(port: 5002)))   // medium
    q.offer(packet(4, key: udpKey(port: 5001)))   // high
    #expect(q.drain().map(\.handle) == [4, 3, 2, 1])
}

@Test func priorityQueueingStarvesLowerQueuesWhileHighHasPackets() {
    let q = pqLab([PriorityRule(.ipList("101"), .high)])
    for i in 0..<10 { q.offer(packet(UInt32(100 + i), key: udpKey(port: 5003))) }
    var lowServed = 0
    for i in 0..<1000 {
        q.offer(packet(UInt32(1000 + i), key: udpKey(port: 5001)))
        if let p = q.dequeue(now: .zero), p.handle >= 100, p.handle < 110 { lowServed += 1 }
    }
    #expect(lowServed == 0)
}

// ios-behavior §3, unconfirmed default pinned here: queue limits 20/40/60/80, tail drop per queue.
@Test func priorityQueueLimitsDefaultToTwentyFortySixtyEighty() {
    #expect(PriorityList.defaultQueueLimits == [20, 40, 60, 80])
    let q = pqLab([PriorityRule(.ipUDPPort(5001), .high), PriorityRule(.ipUDPPort(5002), .medium),
                   PriorityRule(.ipUDPPort(5003), .normal), PriorityRule(.ipUDPPort(5004), .low)])
    for (port, limit) in [(UInt16(5001), 20), (5002, 40), (5003, 60), (5004, 80)] {
        var accepted = 0
        for i in 0..<100 where q.offer(packet(UInt32(i), key: udpKey(port: port))) == .queued { accepted += 1 }
        #expect(accepted == limit)
    }
    #expect(q.limit == 200 && q.totalDrops == 400 - 200)
    #expect(q.showInterfaceLines() == ["  Queueing strategy: priority-list 1",
                                       "  Output queue (queue priority: size/max/drops):",
                                       "     high: 20/20/80, medium: 40/40/60, normal: 60/60/40, low: 80/80/20"])
}

@Test func unmatchedTrafficGoesToNormalUnlessTheDefaultIsChanged() {
    let q = pqLab([PriorityRule(.ipUDPPort(5001), .medium)])
    q.offer(packet(1, key: udpKey(port: 9)))
    q.offer(packet(2, key: udpKey(port: 5001)))
    #expect(q.drain().map(\.handle) == [2, 1])
    let low = pqLab([PriorityRule(.ipUDPPort(5001), .normal)], defaultQueue: .low)
    low.offer(packet(1, key: udpKey(port: 9)))
    low.offer(packet(2, key: udpKey(port: 5001)))
    #expect(low.drain().map(\.handle) == [2, 1])
}

@Test func greaterThanAndLessThanRulesClassifyByLength() {
    let q = pqLab([PriorityRule(.ipLessThan(200), .high), PriorityRule(.ipGreaterThan(1000), .low)])
    q.offer(packet(1, length: 1400))   // low
    q.offer(packet(2, length: 500))    // normal
    q.offer(packet(3, length: 100))    // high
    #expect(q.drain().map(\.handle) == [3, 2, 1])
}

@Test func showQueueingPriorityListsTheRules() {
    let list = PriorityList(number: 1, rules: [PriorityRule(.ipList("101"), .high)])
    #expect(QueueingDisplay.priorityLines([list]) == [
        "Current priority queue configuration:", "", "List   Queue  Args",
        "1      high   protocol ip          list 101",
    ])
}
