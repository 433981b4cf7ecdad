import Engine
@testable import QoS
import Testing
import Wire

/// A direct model of the scheduler's contract: per-conversation FIFOs of (SN, arrival), the
/// scheduled conversations' heads compared by (SN, arrival), a virtual time set by each pop.
private struct ReferenceScheduler {
    var queues: [[(sn: UInt64, arrival: UInt64, handle: UInt32)]]
    var suspended: Set<Int> = []
    var virtualTime: UInt64 = 0
    var arrivals: UInt64 = 0

    init(conversations: Int) { queues = Array(repeating: [], count: conversations) }

    func sequenceNumber(_ c: Int, _ weighted: UInt64) -> UInt64 {
        (queues[c].isEmpty ? virtualTime : max(queues[c].last!.sn, virtualTime)) + weighted
    }

    mutating func append(_ c: Int, sn: UInt64, handle: UInt32) {
        queues[c].append((sn, arrivals, handle))
        arrivals += 1
    }

    func minimum() -> Int? {
        var best: (Int, UInt64, UInt64)?
        for (c, q) in queues.enumerated() where !q.isEmpty && !suspended.contains(c) {
            let h = q[0]
            if let b = best, (b.1, b.2) < (h.sn, h.arrival) { continue }
            best = (c, h.sn, h.arrival)
        }
        return best?.0
    }

    mutating func pop(_ c: Int) -> UInt32 {
        let h = queues[c].removeFirst()
        virtualTime = h.sn
        if queues[c].isEmpty { suspended.remove(c) }
        return h.handle
    }

    mutating func removeTail(_ c: Int) -> UInt32 {
        let t = queues[c].removeLast()
        if queues[c].isEmpty { suspended.remove(c) }
        return t.handle
    }

    func highestTail() -> (Int, UInt64)? {
        var best: (Int, UInt64, UInt64)?
        for (c, q) in queues.enumerated() where !q.isEmpty && !suspended.contains(c) {
            let t = q.last!
            if let b = best, (t.sn, t.arrival) < (b.1, b.2) { continue }
            best = (c, t.sn, t.arrival)
        }
        return best.map { ($0.0, $0.1) }
    }
}

/// Random appends (weights up to a heavy class's, lengths up to jumbo frames), pops, congestive
/// discards and shaper suspensions, checked step by step against the model; every third
/// conversation activates as the held-out pending head, as CBWFQ classes do. A small `span` sends
/// many heads through the overflow heap; resumed conversations bring SNs below the virtual time.
@Test(arguments: [(32384 * 1500, 1), (32384 * 1500, 2), (50_000, 3), (1, 4)] as [(UInt64, UInt64)])
func schedulerMatchesTheReferenceOrder(span: UInt64, seed: UInt64) {
    let conversations = 40
    let s = ConversationScheduler(slots: 300, conversations: conversations, span: span)
    var model = ReferenceScheduler(conversations: conversations)
    var random = RandomStream(seed: seed, label: "scheduler-model")
    let weights: [UInt64] = [4048, 5397, 16192, 32384, 320, 426, 1024, 800_000]
    var handle: UInt32 = 0
    func pick(_ n: Int) -> Int { Int(random.next(below: UInt64(n))) }
    for step in 0..<20_000 {
        let r = pick(100)
        if r < 48 && !s.isFull {
            let c = pick(conversations)
            let length = UInt64(pick(10) == 0 ? 9000 : 64 + pick(1437))
            let weighted = weights[pick(weights.count)] * length
            let sn = s.sequenceNumber(conversation: c, weightedLength: weighted)
            #expect(sn == model.sequenceNumber(c, weighted), "step \(step)")
            s.append(QueuedPacket(handle: handle, length: Int32(length), enqueuedAt: .zero, key: PacketKey()),
                     conversation: c, sn: sn, holdOut: c % 3 == 0)
            model.append(c, sn: sn, handle: handle)
            handle += 1
        } else if r < 90 {
            let expected = model.minimum()
            let got = s.minimum()
            #expect(got == expected, "step \(step)")
            guard got == expected else { return }
            guard let c = got else { continue }
            #expect(s.popHead(conversation: c).handle == model.pop(c), "step \(step)")
            #expect(s.virtualTime == model.virtualTime)
        } else if r < 94 {
            let expected = model.highestTail()
            let got = s.highestTail(in: 0..<conversations)
            #expect(got?.conversation == expected?.0 && got?.sn == expected?.1, "step \(step)")
            if let (c, _) = expected {
                #expect(s.removeTail(conversation: c).handle == model.removeTail(c), "step \(step)")
            }
        } else if r < 97 {
            let c = pick(conversations)
            if s.depth(c) > 0 && !model.suspended.contains(c) {
                s.suspend(conversation: c)
                model.suspended.insert(c)
            }
        } else if let c = model.suspended.sorted().first {
            s.resume(conversation: c)
            model.suspended.remove(c)
        }
        #expect(s.count == model.queues.reduce(0) { $0 + $1.count })
        #expect(s.scheduledCount == model.queues.indices.filter { !model.queues[$0].isEmpty && !model.suspended.contains($0) }.count)
    }
    #expect(handle > 5_000, "the run queued \(handle) packets")
}
