import Wire

/// The sequence-number engine shared by flow-based WFQ and CBWFQ (ios-behavior §5.3): packets wait
/// in per-conversation FIFOs; each gets SN = max(its conversation's last SN if that conversation
/// is queued, else the SN of the last packet dequeued) + weight × length, and the packet with the
/// lowest SN leaves first (ties: first to arrive).
///
/// Allocation-free after `init`: packets live in a preallocated slot pool threaded into
/// per-conversation doubly linked lists, and non-empty conversations sit in an indexed binary
/// min-heap keyed by their head packet's (SN, arrival order).
final class ConversationScheduler {
    struct HeapEntry {
        var sn: UInt64
        var order: UInt64
        var conversation: Int32
        @inline(__always)
        static func precedes(_ a: HeapEntry, _ b: HeapEntry) -> Bool {
            a.sn < b.sn || (a.sn == b.sn && a.order < b.order)
        }
    }

    // Packet slots.
    let packets: FixedBuffer<QueuedPacket>
    let slotSN: FixedBuffer<UInt64>
    let slotOrder: FixedBuffer<UInt64>
    let nextSlot: FixedBuffer<Int32>
    let prevSlot: FixedBuffer<Int32>
    private var freeHead: Int32
    let slotCapacity: Int

    // Conversations.
    let conversationCount: Int
    let headSlot: FixedBuffer<Int32>
    let tailSlot: FixedBuffer<Int32>
    let depth: FixedBuffer<Int32>
    let lastSN: FixedBuffer<UInt64>
    let heapIndex: FixedBuffer<Int32>
    let heap: FixedBuffer<HeapEntry>
    private(set) var heapCount = 0

    /// SN of the packet most recently taken out for transmission (the virtual time).
    private(set) var virtualTime: UInt64 = 0
    private var arrivals: UInt64 = 0
    /// Packets held.
    private(set) var count = 0
    /// Conversations with packets, and the most there have been at once.
    private(set) var activeConversations = 0
    private(set) var maxActiveConversations = 0

    init(slots: Int, conversations: Int) {
        slotCapacity = Swift.max(slots, 1)
        conversationCount = Swift.max(conversations, 1)
        packets = FixedBuffer(repeating: PacketRings.emptyPacket, count: slotCapacity)
        slotSN = FixedBuffer(repeating: 0, count: slotCapacity)
        slotOrder = FixedBuffer(repeating: 0, count: slotCapacity)
        nextSlot = FixedBuffer(repeating: -1, count: slotCapacity)
        prevSlot = FixedBuffer(repeating: -1, count: slotCapacity)
        for s in 0..<slotCapacity { nextSlot[s] = s + 1 < slotCapacity ? Int32(s + 1) : -1 }
        freeHead = 0
        headSlot = FixedBuffer(repeating: -1, count: conversationCount)
        tailSlot = FixedBuffer(repeating: -1, count: conversationCount)
        depth = FixedBuffer(repeating: 0, count: conversationCount)
        lastSN = FixedBuffer(repeating: 0, count: conversationCount)
        heapIndex = FixedBuffer(repeating: -1, count: conversationCount)
        heap = FixedBuffer(repeating: HeapEntry(sn: 0, order: 0, conversation: -1), count: conversationCount)
    }

    deinit {
        packets.deallocate(); slotSN.deallocate(); slotOrder.deallocate(); nextSlot.deallocate()
        prevSlot.deallocate(); headSlot.deallocate(); tailSlot.deallocate(); depth.deallocate()
        lastSN.deallocate(); heapIndex.deallocate(); heap.deallocate()
    }

    var isFull: Bool { freeHead < 0 }

    /// The SN a packet of `weightedLength` (weight × bytes) would get in `conversation`.
    /// - Complexity: O(1)
    @inline(__always)
    func sequenceNumber(conversation c: Int, weightedLength: UInt64) -> UInt64 {
        let base = depth[c] > 0 ? Swift.max(lastSN[c], virtualTime) : virtualTime
        return base &+ weightedLength
    }

    /// Queues `packet` at the tail of `conversation` with sequence number `sn`. The caller has
    /// checked `isFull` and whether the conversation may take part in scheduling (`schedule`).
    /// - Complexity: O(1), or O(log n) when the conversation becomes active.
    @inline(__always)
    func append(_ packet: QueuedPacket, conversation c: Int, sn: UInt64, schedule: Bool = true) {
        let s = Int(freeHead)
        assert(s >= 0, "ConversationScheduler slot pool exhausted")
        freeHead = nextSlot[s]
        packets[s] = packet
        slotSN[s] = sn
        slotOrder[s] = arrivals
        arrivals &+= 1
        nextSlot[s] = -1
        let t = tailSlot[c]
        prevSlot[s] = t
        if t >= 0 { nextSlot[Int(t)] = Int32(s) } else { headSlot[c] = Int32(s) }
        tailSlot[c] = Int32(s)
        lastSN[c] = sn
        let d = depth[c]
        depth[c] = d + 1
        count += 1
        if d == 0 {
            activeConversations += 1
            if activeConversations > maxActiveConversations { maxActiveConversations = activeConversations }
            if schedule { heapInsert(c) }
        }
    }

    /// The conversation whose head has the lowest SN, left in place.
    @inline(__always)
    var minimumConversation: Int? { heapCount > 0 ? Int(heap[0].conversation) : nil }

    /// Takes the head packet of `conversation` for transmission and advances the virtual time.
    /// - Complexity: O(log n)
    @inline(__always)
    func popHead(conversation c: Int) -> QueuedPacket {
        let s = Int(headSlot[c])
        let packet = packets[s]
        virtualTime = slotSN[s]
        let n = nextSlot[s]
        headSlot[c] = n
        let d = depth[c] - 1
        depth[c] = d
        count -= 1
        let position = Int(heapIndex[c])
        if n >= 0 {
            prevSlot[Int(n)] = -1
            if position >= 0 {
                heap[position].sn = slotSN[Int(n)]
                heap[position].order = slotOrder[Int(n)]
                siftDown(position)
            }
        } else {
            tailSlot[c] = -1
            activeConversations -= 1
            if position >= 0 { heapRemove(at: position) }
        }
        release(s)
        return packet
    }

    /// Takes the lowest-SN packet overall.
    /// - Complexity: O(log n)
    @inline(__always)
    func popMinimum() -> (QueuedPacket, Int)? {
        guard heapCount > 0 else { return nil }
        let c = Int(heap[0].conversation)
        return (popHead(conversation: c), c)
    }

    /// Discards the newest packet of `conversation` (a congestive discard); its SN is forgotten.
    /// - Complexity: O(log n)
    func removeTail(conversation c: Int) -> QueuedPacket {
        let s = Int(tailSlot[c])
        let packet = packets[s]
        let p = prevSlot[s]
        tailSlot[c] = p
        depth[c] -= 1
        count -= 1
        if p >= 0 {
            nextSlot[Int(p)] = -1
            lastSN[c] = slotSN[Int(p)]
        } else {
            headSlot[c] = -1
            activeConversations -= 1
            let position = Int(heapIndex[c])
            if position >= 0 { heapRemove(at: position) }
        }
        release(s)
        return packet
    }

    /// The scheduled conversation in `range` whose newest packet has the highest SN (ties: the
    /// later arrival), with that SN. Used only for congestive discards, so a scan is fine.
    /// - Complexity: O(active conversations)
    func highestTail(in range: Range<Int>) -> (conversation: Int, sn: UInt64)? {
        var best: (Int, UInt64, UInt64)?
        for i in 0..<heapCount {
            let c = Int(heap[i].conversation)
            guard range.contains(c) else { continue }
            let s = Int(tailSlot[c])
            let sn = slotSN[s], order = slotOrder[s]
            if let b = best, sn < b.1 || (sn == b.1 && order < b.2) { continue }
            best = (c, sn, order)
        }
        return best.map { ($0.0, $0.1) }
    }

    /// Takes a non-empty conversation out of the scheduling heap (a shaper waiting for tokens).
    func suspend(conversation c: Int) {
        let position = Int(heapIndex[c])
        if position >= 0 { heapRemove(at: position) }
    }

    /// Puts a suspended, non-empty conversation back.
    func resume(conversation c: Int) {
        if heapIndex[c] < 0 && depth[c] > 0 { heapInsert(c) }
    }

    func headPacket(conversation c: Int) -> QueuedPacket? {
        depth[c] > 0 ? packets[Int(headSlot[c])] : nil
    }

    @inline(__always)
    private func release(_ s: Int) {
        nextSlot[s] = freeHead
        freeHead = Int32(s)
    }

    // MARK: - Indexed binary heap

    @inline(__always)
    private func heapInsert(_ c: Int) {
        let s = Int(headSlot[c])
        let position = heapCount
        heapCount += 1
        heap[position] = HeapEntry(sn: slotSN[s], order: slotOrder[s], conversation: Int32(c))
        heapIndex[c] = Int32(position)
        siftUp(position)
    }

    @inline(__always)
    private func heapRemove(at position: Int) {
        let removed = Int(heap[position].conversation)
        heapIndex[removed] = -1
        heapCount -= 1
        guard position != heapCount else { return }
        let moved = heap[heapCount]
        heap[position] = moved
        heapIndex[Int(moved.conversation)] = Int32(position)
        siftDown(position)
        siftUp(Int(heapIndex[Int(moved.conversation)]))
    }

    @inline(__always)
    private func siftUp(_ start: Int) {
        var i = start
        let entry = heap[i]
        while i > 0 {
            let parent = (i - 1) >> 1
            let p = heap[parent]
            guard HeapEntry.precedes(entry, p) else { break }
            heap[i] = p
            heapIndex[Int(p.conversation)] = Int32(i)
            i = parent
        }
        heap[i] = entry
        heapIndex[Int(entry.conversation)] = Int32(i)
    }

    @inline(__always)
    private func siftDown(_ start: Int) {
        var i = start
        let entry = heap[i]
        let n = heapCount
        while true {
            let left = 2 * i + 1
            guard left < n else { break }
            var child = left
            let right = left + 1
            if right < n && HeapEntry.precedes(heap[right], heap[left]) { child = right }
            let c = heap[child]
            guard HeapEntry.precedes(c, entry) else { break }
            heap[i] = c
            heapIndex[Int(c.conversation)] = Int32(i)
            i = child
        }
        heap[i] = entry
        heapIndex[Int(entry.conversation)] = Int32(i)
    }

    #if QOS_INVARIANTS
    func checkInvariants() {
        var total = 0
        for c in 0..<conversationCount { total += Int(depth[c]) }
        precondition(total == count, "queued packet total")
        for i in 1..<max(heapCount, 1) where i < heapCount {
            precondition(!HeapEntry.precedes(heap[i], heap[(i - 1) >> 1]), "heap order")
        }
    }
    #endif
}
