import Engine
@testable import QoS
import Testing
import Wire

@Test func fifoTailDropsTheFortyFirstPacket() {
    let q = OutputQueue(.fifo(holdQueue: FIFOQueue.defaultHoldQueue), bandwidth: .mbps(10))
    for i in 0..<40 { #expect(q.offer(packet(UInt32(i))) == .queued) }
    #expect(q.offer(packet(40)) == .dropped(.queueFull))
    #expect(q.count == 40 && q.totalDrops == 1 && q.dropsByReason == [.queueFull: 1])
    #expect(q.drain().map(\.handle) == Array(0..<40))
}

@Test func fifoShowsIOSInterfaceLines() {
    let q = OutputQueue(.fifo(holdQueue: 40), bandwidth: .mbps(10))
    q.offer(packet(1))
    #expect(q.showInterfaceLines() == ["  Queueing strategy: fifo", "  Output queue: 1/40 (size/max)"])
}

@Test func slowSerialInterfacesDefaultToWFQ() {
    #expect(QueueingConfiguration.interfaceDefault(isSerial: true, bandwidth: .kbps(1544)) == .fair(FairQueueParameters()))
    #expect(QueueingConfiguration.interfaceDefault(isSerial: false, bandwidth: .kbps(1544)) == .fifo(holdQueue: 40))
}
