import Wire

/// The sequence-number engine shared by flow-based WFQ and CBWFQ (ios-behavior §5.3): packets wait
/// in per-conversation FIFOs; each gets SN = max(its conversation's last SN if that conversation
/// is queued, else the SN of the last packet dequeued) + weight × length, and the packet with the
/// lowest SN leaves first (ties: first to arrive).
///
/// Finding that packet is a monotone priority queue over the conversations' head packets: a head's
/// SN lies above the virtual time by at most one weighted packet length. So the heads sit in a
/// calendar — a ring of `bucketCount` buckets, each `1 << bucketShift` SN wide, starting at the
/// bucket of the last minimum (`cursor`) — with an occupancy bitmap: scheduling is a list insert,
/// the minimum is the first occupied bucket after the cursor, and within a bucket an exact
/// comparison of (SN, arrival) keeps the order exact. Heads the ring cannot hold (an increment
/// wider than the ring: a heavy class weight or a jumbo packet) wait in an indexed 4-ary overflow
/// heap and are compared with the calendar's minimum; heads below the cursor (a shaped class
/// resuming with an old SN) join the cursor's bucket, whose scan orders them exactly.
///
/// Allocation-free after `init`: packets live in a preallocated slot pool threaded into
/// per-conversation doubly linked lists; a scheduled head is a node from a dense pool (so the
/// ~100 nodes a busy interface uses stay in a few cache lines however many conversations there
/// are) in its bucket's doubly linked list. All mutable state — scalars included — sits behind `FixedBuffer` pointers,
/// so the hot path pays no exclusivity checks and no reference counting.
final class ConversationScheduler {
    /// An overflow-heap key: the head packet's SN, then its `tag` (arrival number << `tagShift` |
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
        /// Where the head is scheduled: its calendar node (≥ 0), `inOverflow`, or `unscheduled`
        /// (empty, or a shaped class suspended).
        var location: Int32 = -1
        // 16 bytes: the conversation's last SN is its tail slot's, read only when it has packets.
    }

    /// A head in the calendar: its key (the conversation rides in the tag) and its bucket list.
    struct Node {
        var key: HeapEntry
        var next: Int32
        var prev: Int32
        var bucket: Int32
    }

    struct State {
        var freeHead: Int32 = 0
        var freeNode: Int32 = 0
        /// Entries in the overflow heap.
        var heapCount = 0
        /// The most recently activated conversation's head, held out of the calendar (see `pending`).
        var pending = HeapEntry(sn: 0, tag: 0)
        var hasPending = false
        /// Conversations in calendar buckets.
        var bucketed = 0
        /// The absolute bucket number (SN >> `bucketShift`) of the calendar's first bucket: every
        /// bucketed head lies in `cursor ..< cursor + bucketCount` (heads below it in `cursor`).
        var cursor: UInt64 = 0
        /// SN of the packet most recently taken out for transmission (the virtual time).
        var virtualTime: UInt64 = 0
        var arrivals: UInt64 = 0
        var count = 0
        var activeConversations = 0
        var maxActiveConversations = 0
    }

    static let unscheduled: Int32 = -1
    static let inOverflow: Int32 = -2
    /// `Conversation.location` of the conversation whose head is `State.pending`: the newest
    /// class activation, held out of the calendar. A class conversation that is served as soon as
    /// it activates (a CBWFQ class whose weight is far below the flows') then never touches a
    /// bucket; the next held-out activation moves the previous one into the calendar.
    static let pendingLocation: Int32 = -3
    /// Calendar buckets (a power of two) and the occupancy words covering them.
    static let bucketCount = 1024
    static let bucketMask = bucketCount - 1
    static let occupancyWords = bucketCount / 64
    /// The increment the calendar is sized for by default: precedence 0 (weight 32384) × 1500 bytes.
    static let defaultSpan: UInt64 = 32384 * 1500

    let slots: FixedBuffer<Slot>
    let conversations: FixedBuffer<Conversation>
    let nodes: FixedBuffer<Node>
    let bucketHeads: FixedBuffer<Int32>
    let occupancy: FixedBuffer<UInt64>
    /// The overflow heap array, placed so that each group of four siblings (4i+1 … 4i+4) fills one
    /// 64-byte cache line: entry 0 sits 48 bytes into the allocation's first line.
    let heap: UnsafeMutablePointer<HeapEntry>
    let heapAllocation: UnsafeMutableRawPointer
    let state: FixedBuffer<State>
    let slotCapacity: Int
    let conversationCount: Int
    /// Bits of a tag that hold the conversation.
    let tagShift: UInt64
    let conversationMask: UInt64
    /// log2 of a bucket's SN width.
    let bucketShift: UInt64

    /// `span`: the largest SN increment (weight × bytes) the calendar should hold without the
    /// overflow heap; larger ones are still ordered exactly, only more slowly.
    init(slots: Int, conversations: Int, span: UInt64 = ConversationScheduler.defaultSpan) {
        slotCapacity = Swift.max(slots, 1)
        conversationCount = Swift.max(conversations, 1)
        var bits: UInt64 = 1
        while (1 << bits) < conversationCount { bits += 1 }
        precondition(bits <= 24, "too many conversations")
        tagShift = bits
        conversationMask = (1 << bits) - 1
        // The ring holds heads up to (bucketCount − 1) buckets past the cursor's bucket, and the
        // virtual time can sit anywhere in the cursor's bucket.
        var shift: UInt64 = 0
        while shift < 48 && UInt64(Self.bucketCount - 1) << shift < span { shift += 1 }
        bucketShift = shift
        self.slots = FixedBuffer(repeating: Slot(packet: PacketRings.emptyPacket, sn: 0, tag: 0, next: -1, prev: -1),
                                 count: slotCapacity)
        for s in 0..<slotCapacity { self.slots[s].next = s + 1 < slotCapacity ? Int32(s + 1) : -1 }
        self.conversations = FixedBuffer(repeating: Conversation(), count: conversationCount)
        nodes = FixedBuffer(repeating: Node(key: HeapEntry(sn: 0, tag: 0), next: -1, prev: -1, bucket: -1),
                            count: conversationCount)
        for n in 0..<conversationCount { nodes[n].next = n + 1 < conversationCount ? Int32(n + 1) : -1 }
        bucketHeads = FixedBuffer(repeating: -1, count: Self.bucketCount)
        occupancy = FixedBuffer(repeating: 0, count: Self.occupancyWords)
        let heapBytes = (conversationCount + 8) * MemoryLayout<HeapEntry>.stride
        heapAllocation = UnsafeMutableRawPointer.allocate(byteCount: heapBytes, alignment: 64)
        heapAllocation.initializeMemory(as: UInt8.self, repeating: 0, count: heapBytes)
        heap = (heapAllocation + 3 * MemoryLayout<HeapEntry>.stride).assumingMemoryBound(to: HeapEntry.self)
        state = FixedBuffer(repeating: State(), count: 1)
    }

    deinit {
        slots.deallocate(); conversations.deallocate(); nodes.deallocate(); bucketHeads.deallocate(); occupancy.deallocate()
        heapAllocation.deallocate(); state.deallocate()
    }

    var isFull: Bool { state.value.freeHead < 0 }
    /// Packets held.
    var count: Int { state.value.count }
    /// Scheduled conversations (calendar and overflow heap).
    var scheduledCount: Int { state.value.bucketed + state.value.heapCount + (state.value.hasPending ? 1 : 0) }
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
        let base = conversations[c].depth > 0 ? Swift.max(slots[Int(conversations[c].tail)].sn, vt) : vt
        return base &+ weightedLength
    }

    /// Queues `packet` at the tail of `conversation` with sequence number `sn`; a conversation
    /// that becomes active is scheduled — held out as the pending head with `holdOut` (a CBWFQ
    /// class, usually served next), else straight into the calendar (a flow, usually not). The
    /// caller has checked `isFull`.
    /// - Complexity: O(1) (O(log n) when the head goes to the overflow heap).
    @inline(__always)
    func append(_ packet: QueuedPacket, conversation c: Int, sn: UInt64, holdOut: Bool = false) {
        let s = Int(state.value.freeHead)
        assert(s >= 0, "ConversationScheduler slot pool exhausted")
        let arrival = state.value.arrivals
        state.value.arrivals = arrival &+ 1
        state.value.freeHead = slots[s].next
        state.value.count &+= 1
        let tag = arrival &<< tagShift | UInt64(c)
        let t = conversations[c].tail
        slots[s] = Slot(packet: packet, sn: sn, tag: tag, next: -1, prev: t)
        if t >= 0 { slots[Int(t)].next = Int32(truncatingIfNeeded: s) } else { conversations[c].head = Int32(truncatingIfNeeded: s) }
        conversations[c].tail = Int32(truncatingIfNeeded: s)
        let d = conversations[c].depth
        conversations[c].depth = d &+ 1
        if d == 0 {
            let active = state.value.activeConversations &+ 1
            state.value.activeConversations = active
            if active > state.value.maxActiveConversations { state.value.maxActiveConversations = active }
            if holdOut { schedulePending(c, HeapEntry(sn: sn, tag: tag)) } else { schedule(c, HeapEntry(sn: sn, tag: tag)) }
        }
    }

    /// The conversation whose head has the lowest (SN, arrival), left in place; the calendar's
    /// cursor moves up to its bucket (every other head is at or above it).
    /// `holdsOut`: false for an owner that never appends with `holdOut` (flow WFQ), which
    /// compiles the pending checks away.
    /// - Complexity: O(bucket words + the bucket's list), O(1) typically.
    @inline(__always)
    func minimum(holdsOut: Bool = true) -> Int? {
        let cursor = state.value.cursor
        var best = -1
        var bestKey = HeapEntry(sn: 0, tag: 0)
        var bestAbsolute: UInt64 = 0
        let hasPending = holdsOut && state.value.hasPending
        if hasPending {
            bestKey = state.value.pending
            best = conversation(of: bestKey)
            bestAbsolute = Swift.max(bestKey.sn &>> bucketShift, cursor)
        }
        if state.value.bucketed > 0 {
            let start = Int(truncatingIfNeeded: cursor) & Self.bucketMask
            var w = start >> 6
            var bits = occupancy[w] & (~UInt64(0) << UInt64(start & 63))
            while bits == 0 {
                w = (w + 1) & (Self.occupancyWords - 1)
                bits = occupancy[w]
            }
            let b = w << 6 | bits.trailingZeroBitCount
            let absolute = cursor &+ UInt64((b &- start) & Self.bucketMask)
            // A pending head in an earlier bucket beats the whole calendar: no list walk.
            if !hasPending || absolute <= bestAbsolute {
                var n = Int(bucketHeads[b])
                var key = nodes[n].key
                n = Int(nodes[n].next)
                while n >= 0 {
                    let other = nodes[n].key
                    if HeapEntry.precedes(other, key) { key = other }
                    n = Int(nodes[n].next)
                }
                if !hasPending || HeapEntry.precedes(key, bestKey) {
                    bestKey = key
                    best = conversation(of: key)
                    bestAbsolute = absolute
                }
            }
        }
        if state.value.heapCount > 0 && (best < 0 || HeapEntry.precedes(heap[0], bestKey)) {
            best = conversation(of: heap[0])
            bestAbsolute = Swift.max(heap[0].sn &>> bucketShift, cursor)
        }
        guard best >= 0 else { return nil }
        state.value.cursor = bestAbsolute
        return best
    }

    /// Takes the head packet of `conversation` for transmission and advances the virtual time.
    /// - Complexity: O(1) (O(log n) for overflow-heap heads).
    @inline(__always)
    func popHead(conversation c: Int) -> QueuedPacket {
        // The packet is read after the bookkeeping: releasing a slot rewrites only its link.
        slots[popHeadSlot(conversation: c)].packet
    }

    /// `popHead`'s work; returns the released slot, whose packet stays readable until the next append.
    @inline(__always)
    private func popHeadSlot(conversation c: Int) -> Int {
        let s = Int(conversations[c].head)
        state.value.virtualTime = slots[s].sn
        let n = slots[s].next
        conversations[c].head = n
        conversations[c].depth &-= 1
        state.value.count &-= 1
        let location = conversations[c].location
        if n >= 0 {
            slots[Int(n)].prev = -1
            let key = HeapEntry(sn: slots[Int(n)].sn, tag: slots[Int(n)].tag)
            if location >= 0 {
                let node = Int(location)
                let b = bucket(for: key.sn)
                if b == Int(nodes[node].bucket) {
                    // Still in the same bucket: the key changes in place.
                    nodes[node].key = key
                } else {
                    unlink(node)
                    if b >= 0 {
                        link(node, key, bucket: b)
                    } else {
                        releaseNode(node)
                        overflowInsert(key, conversation: c)
                    }
                }
            } else if location == Self.pendingLocation {
                state.value.pending = key
            } else if location == Self.inOverflow {
                overflowRemove(c)
                schedule(c, key)
            }
        } else {
            conversations[c].tail = -1
            state.value.activeConversations &-= 1
            unschedule(c)
        }
        release(s)
        return s
    }

    /// Discards the newest packet of `conversation` (a congestive discard); its SN is forgotten.
    /// - Complexity: O(1) (O(log n) for an overflow-heap head)
    func removeTail(conversation c: Int) -> QueuedPacket {
        let s = Int(conversations[c].tail)
        let packet = slots[s].packet
        let p = slots[s].prev
        conversations[c].tail = p
        conversations[c].depth &-= 1
        state.value.count &-= 1
        if p >= 0 {
            slots[Int(p)].next = -1
        } else {
            conversations[c].head = -1
            state.value.activeConversations &-= 1
            unschedule(c)
        }
        release(s)
        return packet
    }

    /// The scheduled conversation in `range` whose newest packet has the highest SN (ties: the
    /// later arrival), with that SN. Used only for congestive discards, so a scan is fine.
    /// - Complexity: O(bucket words + scheduled conversations)
    func highestTail(in range: Range<Int>) -> (conversation: Int, sn: UInt64)? {
        var best: (Int, HeapEntry)?
        func consider(_ c: Int) {
            guard range.contains(c) else { return }
            let s = Int(conversations[c].tail)
            let tail = HeapEntry(sn: slots[s].sn, tag: slots[s].tag)
            if let b = best, HeapEntry.precedes(tail, b.1) { return }
            best = (c, tail)
        }
        if state.value.bucketed > 0 {
            for w in 0..<Self.occupancyWords {
                var bits = occupancy[w]
                while bits != 0 {
                    var n = Int(bucketHeads[w << 6 | bits.trailingZeroBitCount])
                    while n >= 0 {
                        consider(conversation(of: nodes[n].key))
                        n = Int(nodes[n].next)
                    }
                    bits &= bits &- 1
                }
            }
        }
        for i in 0..<state.value.heapCount { consider(conversation(of: heap[i])) }
        if state.value.hasPending { consider(conversation(of: state.value.pending)) }
        return best.map { ($0.0, $0.1.sn) }
    }

    /// Takes a non-empty conversation out of scheduling (a shaper waiting for tokens).
    func suspend(conversation c: Int) {
        unschedule(c)
    }

    /// Puts a suspended, non-empty conversation back.
    func resume(conversation c: Int) {
        if conversations[c].location == Self.unscheduled && conversations[c].depth > 0 {
            let s = Int(conversations[c].head)
            schedule(c, HeapEntry(sn: slots[s].sn, tag: slots[s].tag))
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

    // MARK: - Calendar

    /// The bucket a head with `sn` belongs in, or −1 when it lies beyond the ring. Heads below
    /// the cursor go in the cursor's bucket.
    @inline(__always)
    private func bucket(for sn: UInt64) -> Int {
        let cursor = state.value.cursor
        let absolute = Swift.max(sn &>> bucketShift, cursor)
        guard absolute &- cursor < UInt64(Self.bucketCount) else { return -1 }
        return Int(truncatingIfNeeded: absolute) & Self.bucketMask
    }

    /// Schedules `c`, whose head has `key`: a node at the front of its bucket's list, or the overflow heap.
    @inline(__always)
    private func schedule(_ c: Int, _ key: HeapEntry) {
        let b = bucket(for: key.sn)
        guard b >= 0 else {
            overflowInsert(key, conversation: c)
            return
        }
        let node = Int(state.value.freeNode)
        state.value.freeNode = nodes[node].next
        conversations[c].location = Int32(truncatingIfNeeded: node)
        link(node, key, bucket: b)
    }

    @inline(__always)
    private func link(_ node: Int, _ key: HeapEntry, bucket b: Int) {
        let h = bucketHeads[b]
        nodes[node] = Node(key: key, next: h, prev: -1, bucket: Int32(truncatingIfNeeded: b))
        if h >= 0 {
            nodes[Int(h)].prev = Int32(truncatingIfNeeded: node)
        } else {
            occupancy[b >> 6] |= 1 << UInt64(b & 63)
        }
        bucketHeads[b] = Int32(truncatingIfNeeded: node)
        state.value.bucketed &+= 1
    }

    @inline(__always)
    private func unlink(_ node: Int) {
        let p = nodes[node].prev, n = nodes[node].next
        if p >= 0 {
            nodes[Int(p)].next = n
        } else {
            let b = Int(nodes[node].bucket)
            bucketHeads[b] = n
            if n < 0 { occupancy[b >> 6] &= ~(1 << UInt64(b & 63)) }
        }
        if n >= 0 { nodes[Int(n)].prev = p }
        state.value.bucketed &-= 1
    }

    @inline(__always)
    private func releaseNode(_ node: Int) {
        nodes[node].next = state.value.freeNode
        state.value.freeNode = Int32(truncatingIfNeeded: node)
    }

    /// Schedules a newly active conversation: its head becomes the pending one, and the previous
    /// pending head, if any, goes into the calendar.
    @inline(__always)
    private func schedulePending(_ c: Int, _ key: HeapEntry) {
        if state.value.hasPending {
            let previous = state.value.pending
            schedule(conversation(of: previous), previous)
        }
        state.value.pending = key
        state.value.hasPending = true
        conversations[c].location = Self.pendingLocation
    }

    /// Takes `c` out of scheduling, wherever its head is.
    @inline(__always)
    private func unschedule(_ c: Int) {
        let location = conversations[c].location
        if location >= 0 {
            unlink(Int(location))
            releaseNode(Int(location))
            conversations[c].location = Self.unscheduled
        } else if location == Self.pendingLocation {
            state.value.hasPending = false
            conversations[c].location = Self.unscheduled
        } else if location == Self.inOverflow {
            overflowRemove(c)
        }
    }

    // MARK: - Overflow: an indexed 4-ary heap (children of i: 4i+1 … 4i+4)

    /// The calendar's way into the overflow heap, kept out of line so the hot paths stay small
    /// enough to inline.
    @inline(never)
    private func overflowInsert(_ entry: HeapEntry, conversation c: Int) {
        heapInsert(entry, conversation: c)
    }

    @inline(never)
    private func overflowRemove(_ c: Int) {
        heapRemove(at: heapPosition(of: c))
    }

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
        conversations[c].location = Self.inOverflow
        siftUp(entry, from: position)
    }

    /// Removes the entry at `position` bottom-up (Floyd): the hole sinks to a leaf along the least
    /// children — three comparisons a level, none against the moving entry — then the last entry
    /// fills it and rises; it usually stays near the bottom, where it came from.
    /// - Complexity: O(log n)
    @inline(__always)
    private func heapRemove(at position: Int) {
        conversations[conversation(of: heap[position])].location = Self.unscheduled
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

    #if QOS_INVARIANTS
    func checkInvariants() {
        var total = 0
        for c in 0..<conversationCount { total += Int(conversations[c].depth) }
        precondition(total == count, "queued packet total")
        let n = state.value.heapCount
        for i in 1..<Swift.max(n, 1) where i < n {
            precondition(!HeapEntry.precedes(heap[i], heap[(i - 1) >> 2]), "heap order")
        }
    }
    #endif
}
