import Wire

/// The sequence-number engine shared by flow-based WFQ and CBWFQ (ios-behavior §5.3): packets wait
/// in per-conversation FIFOs; each gets SN = max(its conversation's last SN if that conversation
/// is queued, else the SN of the last packet dequeued) + weight × length, and the packet with the
/// lowest SN leaves first (ties: first to arrive).
///
/// Allocation-free after `init`: packets live in a preallocated slot pool threaded into
/// per-conversation doubly linked lists, and non-empty conversations sit in an indexed 4-ary
/// min-heap keyed by their head packet's (SN, arrival order). All mutable state — scalars
/// included — sits behind `FixedBuffer` pointers, so the hot path pays no exclusivity checks and
/// no reference counting; slots and conversations are single structs (one cache line per slot).
final class ConversationScheduler {
    /// A heap key: the head packet's SN, then its `tag` (arrival number << `tagShift` |
    /// conversation), so comparing tags compares arrival order and the conversation rides along.
    struct HeapEntry {
        var sn: UInt64
        var tag: UInt64

        /// (sn, tag) < (sn, tag) as one 128-bit comparison, without data-dependent branches.
        @inline(__always)
        static func precedes(_ a: HeapEntry, _ b: HeapEntry) -> Bool {
            let borrow: UInt64 = a.tag < b.tag ? 1 : 0
            let (difference, below) = a.sn.subtractingReportingOverflow(b.sn)
            let (_, tiedBelow) = difference.subtractingReportingOverflow(borrow)
            // `below` (a.sn < b.sn) and `tiedBelow` (a.sn == b.sn, a.tag < b.tag) never both hold.
            return below != tiedBelow
        }
    }

    struct Slot {
        var packet: QueuedPacket
        var sn: UInt64
        /// Arrival number << `tagShift` | conversation (see `HeapEntry`).
        var tag: UInt64
        var next: Int32
        var prev: Int32
    }

    struct Conversation {
        var head: Int32 = -1
        var tail: Int32 = -1
        var depth: Int32 = 0
        /// Where the conversation is scheduled: `unscheduled`, `pendingIndex`, or `inHeap`. The
        /// heap position itself is not tracked (the sifts would pay a scattered store a level):
        /// the minimum sits at the root, and the rare removals elsewhere search for it.
        var heapIndex: Int32 = -1
        var lastSN: UInt64 = 0
    }

    struct State {
        var freeHead: Int32 = 0
        var heapCount = 0
        /// SN of the packet most recently taken out for transmission (the virtual time).
        var virtualTime: UInt64 = 0
        var arrivals: UInt64 = 0
        var count = 0
        var activeConversations = 0
        var maxActiveConversations = 0
        /// The most recently activated conversation's entry, held out of the heap (see `pending`).
        var pending = HeapEntry(sn: 0, tag: 0)
        var hasPending = false
    }

    /// `Conversation.heapIndex` of the conversation whose entry is `State.pending`: scheduled, but
    /// not in the heap. Holding the newest activation out of the heap lets a dequeue that follows
    /// it either take it directly (no heap work) or put it in the place of the heap's minimum
    /// (one sift-down) instead of paying an insert and a removal; the order is still the least
    /// (SN, arrival) of heap and pending entry together.
    static let pendingIndex: Int32 = -2
    /// `Conversation.heapIndex` of a conversation whose entry is in the heap (position untracked).
    static let inHeap: Int32 = 0
    static let unscheduled: Int32 = -1

    let slots: FixedBuffer<Slot>
    let conversations: FixedBuffer<Conversation>
    /// The heap array, placed so that each group of four siblings (4i+1 … 4i+4) fills one 64-byte
    /// cache line: entry 0 sits 48 bytes into the allocation's first line.
    let heap: UnsafeMutablePointer<HeapEntry>
    let heapAllocation: UnsafeMutableRawPointer
    let state: FixedBuffer<State>
    let slotCapacity: Int
    let conversationCount: Int
    /// Bits of a tag that hold the conversation.
    let tagShift: UInt64
    let conversationMask: UInt64

    init(slots: Int, conversations: Int) {
        slotCapacity = Swift.max(slots, 1)
        conversationCount = Swift.max(conversations, 1)
        var bits: UInt64 = 1
        while (1 << bits) < conversationCount { bits += 1 }
        precondition(bits <= 24, "too many conversations")
        tagShift = bits
        conversationMask = (1 << bits) - 1
        self.slots = FixedBuffer(repeating: Slot(packet: PacketRings.emptyPacket, sn: 0, tag: 0, next: -1, prev: -1),
                                 count: slotCapacity)
        for s in 0..<slotCapacity { self.slots[s].next = s + 1 < slotCapacity ? Int32(s + 1) : -1 }
        self.conversations = FixedBuffer(repeating: Conversation(), count: conversationCount)
        let heapBytes = (conversationCount + 8) * MemoryLayout<HeapEntry>.stride
        heapAllocation = UnsafeMutableRawPointer.allocate(byteCount: heapBytes, alignment: 64)
        heapAllocation.initializeMemory(as: UInt8.self, repeating: 0, count: heapBytes)
        heap = (heapAllocation + 3 * MemoryLayout<HeapEntry>.stride).assumingMemoryBound(to: HeapEntry.self)
        state = FixedBuffer(repeating: State(), count: 1)
    }

    deinit {
        slots.deallocate(); conversations.deallocate(); heapAllocation.deallocate(); state.deallocate()
    }

    var isFull: Bool { state.value.freeHead < 0 }
    /// Packets held.
    var count: Int { state.value.count }
    /// Scheduled conversations (the heap plus the pending entry).
    var heapCount: Int { state.value.heapCount + (state.value.hasPending ? 1 : 0) }
    var virtualTime: UInt64 { state.value.virtualTime }
    /// Conversations with packets, and the most there have been at once.
    var activeConversations: Int { state.value.activeConversations }
    var maxActiveConversations: Int { state.value.maxActiveConversations }

    /// Packets queued in `conversation`.
    @inline(__always)
    func depth(_ c: Int) -> Int { Int(conversations[c].depth) }

    /// The SN a packet of `weightedLength` (weight × bytes) would get in `conversation`.
    /// - Complexity: O(1)
    @inline(__always)
    func sequenceNumber(conversation c: Int, weightedLength: UInt64) -> UInt64 {
        let vt = state.value.virtualTime
        let base = conversations[c].depth > 0 ? Swift.max(conversations[c].lastSN, vt) : vt
        return base &+ weightedLength
    }

    /// Queues `packet` at the tail of `conversation` with sequence number `sn`. The caller has
    /// checked `isFull` and whether the conversation may take part in scheduling (`schedule`).
    /// - Complexity: O(1), or O(log n) when the conversation becomes active.
    @inline(__always)
    func append(_ packet: QueuedPacket, conversation c: Int, sn: UInt64, schedule: Bool = true) {
        let s = Int(state.value.freeHead)
        assert(s >= 0, "ConversationScheduler slot pool exhausted")
        let arrival = state.value.arrivals
        state.value.arrivals = arrival &+ 1
        state.value.freeHead = slots[s].next
        state.value.count += 1
        let tag = arrival << tagShift | UInt64(c)
        let t = conversations[c].tail
        slots[s] = Slot(packet: packet, sn: sn, tag: tag, next: -1, prev: t)
        if t >= 0 { slots[Int(t)].next = Int32(truncatingIfNeeded: s) } else { conversations[c].head = Int32(truncatingIfNeeded: s) }
        conversations[c].tail = Int32(truncatingIfNeeded: s)
        conversations[c].lastSN = sn
        let d = conversations[c].depth
        conversations[c].depth = d + 1
        if d == 0 {
            let active = state.value.activeConversations + 1
            state.value.activeConversations = active
            if active > state.value.maxActiveConversations { state.value.maxActiveConversations = active }
            if schedule { schedulePending(HeapEntry(sn: sn, tag: tag), conversation: c) }
        }
    }

    /// The conversation whose head has the lowest SN, left in place.
    @inline(__always)
    var minimumConversation: Int? {
        if state.value.hasPending {
            let p = state.value.pending
            if state.value.heapCount > 0 && HeapEntry.precedes(heap[0], p) { return conversation(of: heap[0]) }
            return conversation(of: p)
        }
        return state.value.heapCount > 0 ? conversation(of: heap[0]) : nil
    }

    /// Takes the head packet of `conversation` for transmission and advances the virtual time.
    /// - Complexity: O(log n)
    @inline(__always)
    func popHead(conversation c: Int) -> QueuedPacket {
        let s = Int(conversations[c].head)
        let packet = slots[s].packet
        state.value.virtualTime = slots[s].sn
        let n = slots[s].next
        conversations[c].head = n
        conversations[c].depth -= 1
        state.value.count -= 1
        let scheduled = conversations[c].heapIndex
        if n >= 0 {
            slots[Int(n)].prev = -1
            let next = HeapEntry(sn: slots[Int(n)].sn, tag: slots[Int(n)].tag)
            if scheduled >= 0 {
                let position = heapPosition(of: c)
                heap[position] = next
                siftDown(position)
            } else if scheduled == Self.pendingIndex {
                state.value.pending = next
            }
        } else {
            conversations[c].tail = -1
            state.value.activeConversations -= 1
            if scheduled >= 0 {
                let position = heapPosition(of: c)
                conversations[c].heapIndex = Self.unscheduled
                if state.value.hasPending {
                    // The pending entry takes the emptied conversation's place in the heap.
                    state.value.hasPending = false
                    let p = state.value.pending
                    conversations[conversation(of: p)].heapIndex = Self.inHeap
                    replace(at: position, with: p)
                } else {
                    heapRemove(at: position)
                }
            } else if scheduled == Self.pendingIndex {
                conversations[c].heapIndex = Self.unscheduled
                state.value.hasPending = false
            }
        }
        release(s)
        return packet
    }

    /// Takes the lowest-SN packet overall.
    /// - Complexity: O(log n)
    @inline(__always)
    func popMinimum() -> (QueuedPacket, Int)? {
        guard let c = minimumConversation else { return nil }
        return (popHead(conversation: c), c)
    }

    /// Discards the newest packet of `conversation` (a congestive discard); its SN is forgotten.
    /// - Complexity: O(log n)
    func removeTail(conversation c: Int) -> QueuedPacket {
        let s = Int(conversations[c].tail)
        let packet = slots[s].packet
        let p = slots[s].prev
        conversations[c].tail = p
        conversations[c].depth -= 1
        state.value.count -= 1
        if p >= 0 {
            slots[Int(p)].next = -1
            conversations[c].lastSN = slots[Int(p)].sn
        } else {
            conversations[c].head = -1
            state.value.activeConversations -= 1
            unschedule(c)
        }
        release(s)
        return packet
    }

    /// The scheduled conversation in `range` whose newest packet has the highest SN (ties: the
    /// later arrival), with that SN. Used only for congestive discards, so a scan is fine.
    /// - Complexity: O(active conversations)
    func highestTail(in range: Range<Int>) -> (conversation: Int, sn: UInt64)? {
        var best: (Int, HeapEntry)?
        let n = state.value.heapCount
        for i in 0...n {
            let c: Int
            if i < n { c = conversation(of: heap[i]) } else if state.value.hasPending { c = conversation(of: state.value.pending) } else { break }
            guard range.contains(c) else { continue }
            let s = Int(conversations[c].tail)
            let tail = HeapEntry(sn: slots[s].sn, tag: slots[s].tag)
            if let b = best, HeapEntry.precedes(tail, b.1) { continue }
            best = (c, tail)
        }
        return best.map { ($0.0, $0.1.sn) }
    }

    /// Takes a non-empty conversation out of the scheduling heap (a shaper waiting for tokens).
    func suspend(conversation c: Int) {
        unschedule(c)
    }

    /// Takes `c` out of scheduling, wherever its entry is.
    private func unschedule(_ c: Int) {
        let scheduled = conversations[c].heapIndex
        if scheduled >= 0 {
            heapRemove(at: heapPosition(of: c))
        } else if scheduled == Self.pendingIndex {
            conversations[c].heapIndex = -1
            state.value.hasPending = false
        }
    }

    /// Puts a suspended, non-empty conversation back.
    func resume(conversation c: Int) {
        if conversations[c].heapIndex == Self.unscheduled && conversations[c].depth > 0 {
            let s = Int(conversations[c].head)
            heapInsert(HeapEntry(sn: slots[s].sn, tag: slots[s].tag), conversation: c)
        }
    }

    func headPacket(conversation c: Int) -> QueuedPacket? {
        conversations[c].depth > 0 ? slots[Int(conversations[c].head)].packet : nil
    }

    @inline(__always)
    private func release(_ s: Int) {
        slots[s].next = state.value.freeHead
        state.value.freeHead = Int32(truncatingIfNeeded: s)
    }

    // MARK: - Indexed 4-ary heap (children of i: 4i+1 … 4i+4)

    @inline(__always)
    private func conversation(of entry: HeapEntry) -> Int { Int(truncatingIfNeeded: entry.tag & conversationMask) }

    /// The heap position of in-heap conversation `c`: the root when `c` is the minimum (every
    /// dequeue), else a scan (congestive discards, shaper suspensions of a non-minimum).
    /// - Complexity: O(1) at the root, else O(n)
    @inline(__always)
    private func heapPosition(of c: Int) -> Int {
        if conversation(of: heap[0]) == c { return 0 }
        return heapSearch(c)
    }

    @inline(never)
    private func heapSearch(_ c: Int) -> Int {
        let n = state.value.heapCount
        var i = 1
        while i < n {
            if conversation(of: heap[i]) == c { return i }
            i += 1
        }
        preconditionFailure("conversation \(c) not in the heap")
    }

    /// - Complexity: O(log n)
    @inline(__always)
    private func heapInsert(_ entry: HeapEntry, conversation c: Int) {
        let position = state.value.heapCount
        state.value.heapCount = position + 1
        conversations[c].heapIndex = Self.inHeap
        siftUp(entry, from: position)
    }

    /// Schedules a newly active conversation: its entry becomes the pending one, and the previous
    /// pending entry, if any, goes into the heap.
    /// - Complexity: O(1), or O(log n) when an entry was already pending.
    @inline(__always)
    private func schedulePending(_ entry: HeapEntry, conversation c: Int) {
        if state.value.hasPending { heapInsert(state.value.pending, conversation: conversation(of: state.value.pending)) }
        state.value.pending = entry
        state.value.hasPending = true
        conversations[c].heapIndex = Self.pendingIndex
    }

    /// Puts `entry` at `position` (whose conversation has left the heap) and restores the order.
    /// - Complexity: O(log n)
    @inline(__always)
    private func replace(at position: Int, with entry: HeapEntry) {
        if position > 0 && HeapEntry.precedes(entry, heap[(position - 1) >> 2]) {
            siftUp(entry, from: position)
        } else {
            heap[position] = entry
            siftDown(position)
        }
    }

    /// Removes the entry at `position` bottom-up (Floyd): the hole sinks to a leaf along the least
    /// children — three comparisons a level, none against the moving entry — then the last entry
    /// fills it and rises; it usually stays near the bottom, where it came from.
    /// - Complexity: O(log n)
    @inline(__always)
    private func heapRemove(at position: Int) {
        conversations[conversation(of: heap[position])].heapIndex = Self.unscheduled
        let n = state.value.heapCount - 1
        state.value.heapCount = n
        guard position != n else { return }
        let last = heap[n]
        var hole = position
        while true {
            let first = 4 &* hole &+ 1
            guard first < n else { break }
            let (best, bestEntry) = leastChild(first: first, count: n)
            heap[hole] = bestEntry
            hole = best
        }
        siftUp(last, from: hole)
    }

    /// The least of the children starting at `first` (at most four, all below `count`).
    @inline(__always)
    private func leastChild(first: Int, count n: Int) -> (Int, HeapEntry) {
        var best = first
        var bestEntry = heap[first]
        if first &+ 3 < n {
            // All four children: pick the least without unpredictable branches.
            let e1 = heap[first &+ 1], e2 = heap[first &+ 2], e3 = heap[first &+ 3]
            let take1 = HeapEntry.precedes(e1, bestEntry)
            best = take1 ? first &+ 1 : best
            bestEntry = take1 ? e1 : bestEntry
            let take3 = HeapEntry.precedes(e3, e2)
            let best23 = take3 ? first &+ 3 : first &+ 2
            let entry23 = take3 ? e3 : e2
            let take23 = HeapEntry.precedes(entry23, bestEntry)
            best = take23 ? best23 : best
            bestEntry = take23 ? entry23 : bestEntry
        } else {
            var j = first &+ 1
            while j < n {
                let e = heap[j]
                if HeapEntry.precedes(e, bestEntry) { best = j; bestEntry = e }
                j &+= 1
            }
        }
        return (best, bestEntry)
    }

    /// Places `entry` at the hole `start` or above it.
    @inline(__always)
    private func siftUp(_ entry: HeapEntry, from start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) >> 2
            let p = heap[parent]
            guard HeapEntry.precedes(entry, p) else { break }
            heap[i] = p
            i = parent
        }
        heap[i] = entry
    }

    /// Moves the entry at `start` down to its place.
    @inline(__always)
    private func siftDown(_ start: Int) {
        var i = start
        let entry = heap[i]
        let n = state.value.heapCount
        while true {
            let first = 4 &* i &+ 1
            guard first < n else { break }
            let (best, bestEntry) = leastChild(first: first, count: n)
            guard HeapEntry.precedes(bestEntry, entry) else { break }
            heap[i] = bestEntry
            i = best
        }
        heap[i] = entry
    }

    #if QOS_INVARIANTS
    func checkInvariants() {
        var total = 0
        for c in 0..<conversationCount { total += Int(conversations[c].depth) }
        precondition(total == count, "queued packet total")
        for i in 1..<max(heapCount, 1) where i < heapCount {
            precondition(!HeapEntry.precedes(heap[i], heap[(i - 1) >> 2]), "heap order")
        }
    }
    #endif
}
