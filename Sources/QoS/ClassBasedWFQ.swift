import Engine
import Wire

/// Per-class WRED state (ios-behavior §6.4): an exponentially weighted average depth and
/// per-precedence counters for the `show policy-map interface` table.
final class WREDState {
    let configuration: RandomDetect
    let factor: Double
    var average: Double = 0
    var transmittedPackets = [UInt64](repeating: 0, count: 8), transmittedBytes = [UInt64](repeating: 0, count: 8)
    var randomDropPackets = [UInt64](repeating: 0, count: 8), randomDropBytes = [UInt64](repeating: 0, count: 8)
    var tailDropPackets = [UInt64](repeating: 0, count: 8), tailDropBytes = [UInt64](repeating: 0, count: 8)

    init(_ configuration: RandomDetect) {
        self.configuration = configuration
        factor = 1.0 / Double(1 << UInt64(Swift.min(Swift.max(configuration.exponentialWeightingConstant, 0), 30)))
    }

    /// Updates the average with the current depth and decides: nil admits the packet.
    /// Below the minimum threshold nothing drops, at or above the maximum everything does, and in
    /// between the probability rises linearly to 1/denominator.
    @inline(__always)
    func admit(precedence: Int, length: Int32, depth: Int, random: inout RandomStream) -> DropReason? {
        average += (Double(depth) - average) * factor
        let profile = configuration.profiles[precedence]
        let minimum = Double(profile.minimumThreshold), maximum = Double(profile.maximumThreshold)
        if average >= maximum {
            tailDropPackets[precedence] &+= 1
            tailDropBytes[precedence] &+= UInt64(length)
            return .randomEarlyDrop
        }
        if average >= minimum {
            let probability = (average - minimum) / Swift.max(maximum - minimum, 1)
                / Double(Swift.max(profile.markProbabilityDenominator, 1))
            if random.nextUnit() < probability {
                randomDropPackets[precedence] &+= 1
                randomDropBytes[precedence] &+= UInt64(length)
                return .randomEarlyDrop
            }
        }
        transmittedPackets[precedence] &+= 1
        transmittedBytes[precedence] &+= UInt64(length)
        return nil
    }
}

/// Class-based WFQ with low-latency queueing, modelled on pre-HQF IOS (ios-behavior §6):
/// priority classes share one strict queue, admitted by a per-class policer that acts only
/// when the interface is congested; every other class is a conversation of one WFQ system whose
/// weight derives from its bandwidth (`PolicyMap.classWeightConstant` × IfBW / ClassBW, or
/// × 100 / percent); class-default (and classes with no queueing action) are flow-based WFQ with
/// weights 32384/(IPP+1) unless class-default has `bandwidth` without `fair-queue`.
/// Conversation numbers follow IOS: dynamic queues 0…N−1, link queues N…N+7, the priority
/// queue N+8, user classes from N+9.
@usableFromInline
final class ClassBasedWFQ {
    enum ClassQueue {
        case priority
        case own(conversation: Int, weight: UInt64)
        case flows
    }

    let classifier: PolicyClassifier
    let kinds: [ClassQueue]
    let limits: [Int]
    let scheduler: ConversationScheduler
    let flowCounters: ConversationCounters
    let dynamicQueues: Int
    let linkQueues = 8
    let linkQueueWeight: UInt64 = 1024
    let priorityConversation: Int
    let firstClassConversation: Int
    let priorityRing: PacketRings
    let priorityPolicers: FixedBuffer<TokenBucket>
    let isShaped: [Bool]
    let shapers: FixedBuffer<TokenBucket>
    let eligibleAt: FixedBuffer<SimTime>
    /// Shaped classes taken out of scheduling until `eligibleAt`.
    let suspended: FixedBuffer<Int>
    let wred: [WREDState?]
    struct Scalars {
        var random: RandomStream
        var priorityCount = 0
        var flowPackets = 0
        var suspendedCount = 0
    }
    /// Mutable scalars behind a fixed pointer (no exclusivity checks on the hot path).
    let scalars: FixedBuffer<Scalars>
    let flowCDT: Int
    let holdQueue: Int
    let weights: FixedBuffer<UInt64>
    let classDefault: Int
    /// The class of user-class conversation `firstClassConversation + k`.
    let classByOffset: [Int]
    // Per-class tables for the hot path (the arrays above stay for `show`): fixed buffers read
    // with no bounds, uniqueness or reference-count traffic.
    let hotKinds: FixedBuffer<ClassQueue>
    let hotLimits: FixedBuffer<Int>
    let hasWRED: FixedBuffer<Bool>
    let hotShaped: FixedBuffer<Bool>
    /// Some queued class has `shape` (else dequeue skips the shaper check).
    let anyShaped: Bool
    let hotClassByOffset: FixedBuffer<Int>
    var priorityCount: Int { scalars.value.priorityCount }
    var flowPackets: Int { scalars.value.flowPackets }
    let bandwidth: Bandwidth

    /// `holdQueue`: the whole system's limit (IOS WFQ hold queue, 1000), also bounding the flows
    /// of class-default, whose per-flow limit (CDT) is class-default's `queue-limit`.
    init(_ policy: PolicyMap, bandwidth: Bandwidth, accessLists: AccessListTable, random: RandomStream,
         holdQueue: Int = 1000) {
        classifier = PolicyClassifier(policy, accessLists: accessLists)
        self.bandwidth = bandwidth
        self.holdQueue = holdQueue
        let classes = policy.classes
        classDefault = classes.count - 1
        let defaultPolicy = classes[classDefault]
        var dq = FairQueueParameters.dynamicQueues(for: bandwidth)
        if case let .some(.some(n)) = defaultPolicy.fairQueue { dq = n }
        dynamicQueues = Swift.max(dq, 1)
        priorityConversation = dynamicQueues + linkQueues
        firstClassConversation = priorityConversation + 1
        let ifKbps = Swift.max(bandwidth.kilobitsPerSecond, 1)
        let constant = Int64(policy.classWeightConstant)
        var kinds: [ClassQueue] = []
        var classByOffset: [Int] = []
        for (i, c) in classes.enumerated() {
            // IOS numbers the queued classes consecutively after the priority conversation.
            let conversation = firstClassConversation + classByOffset.count
            func weight(_ w: Int64) -> UInt64 { UInt64(Swift.max(w, 1)) }
            if c.priority != nil {
                kinds.append(.priority)
            } else if let b = c.bandwidth, !(i == classDefault && c.fairQueue != nil) {
                switch b {
                case let .kbps(k): kinds.append(.own(conversation: conversation, weight: weight(constant * ifKbps / Int64(Swift.max(k, 1)))))
                case let .percent(p), let .remainingPercent(p):
                    kinds.append(.own(conversation: conversation, weight: weight(constant * 100 / Int64(Swift.max(p, 1)))))
                }
            } else if let s = c.shape, i != classDefault {
                let shapeKbps = Swift.max(s.rateBitsPerSecond / 1000, 1)
                kinds.append(.own(conversation: conversation, weight: weight(constant * ifKbps / shapeKbps)))
            } else {
                kinds.append(.flows)
            }
            if case .own = kinds[i] { classByOffset.append(i) }
        }
        self.kinds = kinds
        self.classByOffset = classByOffset
        limits = classes.map(\.effectiveQueueLimit)
        flowCDT = defaultPolicy.effectiveQueueLimit
        scheduler = ConversationScheduler(slots: holdQueue, conversations: firstClassConversation + classes.count)
        flowCounters = ConversationCounters(firstClassConversation + classes.count)
        let priorityCapacity = zip(classes, limits).reduce(0) { $0 + ($1.0.priority != nil ? $1.1 : 0) }
        priorityRing = PacketRings(capacities: [priorityCapacity])
        let idle = TokenBucket(bitsPerSecond: 0, burstBytes: 1)
        priorityPolicers = FixedBuffer(repeating: idle, count: classes.count)
        shapers = FixedBuffer(repeating: idle, count: classes.count)
        for (i, c) in classes.enumerated() {
            // ios-behavior §6.3: default burst 200 ms of the priority rate (unconfirmed).
            switch c.priority {
            case let .kbps(k, burst)?:
                priorityPolicers[i] = TokenBucket(bitsPerSecond: Int64(k) * 1000, burstBytes: burst ?? k * 1000 / 8 / 5)
            case let .percent(p, burst)?:
                let bps = bandwidth.bitsPerSecond * Int64(p) / 100
                priorityPolicers[i] = TokenBucket(bitsPerSecond: bps, burstBytes: burst ?? Int(bps / 8 / 5))
            case nil: break
            }
            if let s = c.shape {
                shapers[i] = TokenBucket(bitsPerSecond: s.rateBitsPerSecond, burstBytes: Int(s.effectiveSustainedBits / 8))
            }
        }
        isShaped = zip(classes, kinds).map { c, kind in
            if case .own = kind { return c.shape != nil } else { return false }
        }
        anyShaped = isShaped.contains(true)
        eligibleAt = FixedBuffer(repeating: .zero, count: classes.count)
        suspended = FixedBuffer(repeating: 0, count: classes.count)
        scalars = FixedBuffer(repeating: Scalars(random: random), count: 1)
        wred = classes.map { c in c.randomDetect.map(WREDState.init) }
        weights = FixedBuffer(repeating: 0, count: 8)
        for p in 0..<8 { weights[p] = FairQueueWeight.table[p] }
        hotKinds = FixedBuffer(repeating: .flows, count: classes.count)
        hotLimits = FixedBuffer(repeating: 0, count: classes.count)
        hasWRED = FixedBuffer(repeating: false, count: classes.count)
        hotShaped = FixedBuffer(repeating: false, count: classes.count)
        for i in 0..<classes.count {
            hotKinds[i] = kinds[i]
            hotLimits[i] = limits[i]
            hasWRED[i] = wred[i] != nil
            hotShaped[i] = isShaped[i]
        }
        hotClassByOffset = FixedBuffer(repeating: 0, count: classByOffset.count)
        for (k, i) in classByOffset.enumerated() { hotClassByOffset[k] = i }
    }

    deinit {
        priorityRing.deallocate(); flowCounters.deallocate(); weights.deallocate()
        priorityPolicers.deallocate(); shapers.deallocate(); eligibleAt.deallocate(); suspended.deallocate()
        scalars.deallocate()
        hotKinds.deallocate(); hotLimits.deallocate(); hasWRED.deallocate(); hotShaped.deallocate()
        hotClassByOffset.deallocate()
    }

    var count: Int { priorityCount + scheduler.count }

    /// - Complexity: O(classification + log n).
    @usableFromInline
    func enqueue(_ packet: inout QueuedPacket, now: SimTime) -> EnqueueOutcome {
        let i = classifier.classify(packet.key)
        if let reason = classifier.applyActions(&packet, classIndex: i, now: now) { return .dropped(reason) }
        switch hotKinds[i] {
        case .priority:
            return enqueuePriority(packet, classIndex: i, now: now)
        case let .own(conversation, weight):
            // The common case inline; WRED and drops in `enqueueClass`.
            guard !hasWRED[i], scheduler.depth(conversation) < hotLimits[i], !scheduler.isFull else {
                return enqueueClass(packet, classIndex: i, conversation: conversation, weight: weight, now: now)
            }
            let sn = scheduler.sequenceNumber(conversation: conversation, weightedLength: weight &* UInt64(packet.length))
            scheduler.append(packet, conversation: conversation, sn: sn, holdOut: true)
            countQueued(i, packet)
            return .queued
        case .flows:
            if hasWRED[i] { return enqueueFlow(packet, classIndex: i, now: now) }
            let (conversation, weight) = flowConversation(packet.key)
            // The common case — room in the system and under the CDT — queued here; congestive
            // discards and full queues in `offerFlow`, with the same checks in the same order.
            guard scheduler.count < holdQueue && !scheduler.isFull && scheduler.depth(conversation) < flowCDT else {
                return offerFlow(packet, classIndex: i, conversation: conversation, weight: weight, now: now)
            }
            let sn = scheduler.sequenceNumber(conversation: conversation, weightedLength: weight &* UInt64(packet.length))
            scheduler.append(packet, conversation: conversation, sn: sn)
            scalars.value.flowPackets &+= 1
            countQueued(i, packet)
            return .queued
        }
    }

    /// A priority class: the strict queue, behind its congestion-only policer.
    @inline(never)
    private func enqueuePriority(_ packet: QueuedPacket, classIndex i: Int, now: SimTime) -> EnqueueOutcome {
        // ios-behavior §6.3: the priority policer acts only when the interface is congested.
        let conforms = priorityPolicers[i].conform(packet.length, now: now)
        if !conforms && count > 0 {
            classifier.countDrop(i, packet, now: now)
            return .dropped(.policed)
        }
        guard priorityRing.push(packet, ring: 0) else {
            classifier.countDrop(i, packet, now: now)
            classifier.counters[i].noBufferDrops &+= 1
            return .dropped(.queueFull)
        }
        scalars.value.priorityCount &+= 1
        countQueued(i, packet)
        return .queued
    }

    /// A bandwidth (or shaped) class with WRED, or at its queue limit, or with the system full.
    @inline(never)
    private func enqueueClass(_ packet: QueuedPacket, classIndex i: Int, conversation: Int, weight: UInt64,
                              now: SimTime) -> EnqueueOutcome {
        let depth = scheduler.depth(conversation)
        if hasWRED[i], let w = wred[i], let reason = w.admit(precedence: Int(packet.key.precedence), length: packet.length,
                                                 depth: depth, random: &scalars.value.random) {
            classifier.countDrop(i, packet, now: now)
            return .dropped(reason)
        }
        guard depth < hotLimits[i], !scheduler.isFull else {
            classifier.countDrop(i, packet, now: now)
            if scheduler.isFull { classifier.counters[i].noBufferDrops &+= 1 }
            return .dropped(.queueFull)
        }
        let sn = scheduler.sequenceNumber(conversation: conversation, weightedLength: weight &* UInt64(packet.length))
        scheduler.append(packet, conversation: conversation, sn: sn, holdOut: true)
        countQueued(i, packet)
        return .queued
    }

    /// The dynamic queue and weight of a flow (router control traffic: the link queue).
    @inline(__always)
    private func flowConversation(_ key: PacketKey) -> (Int, UInt64) {
        isSystemTraffic(key) ? (dynamicQueues, linkQueueWeight)
            : (conversationHash(key, queues: dynamicQueues), weights[Int(key.precedence)])
    }

    /// A flow of a class with WRED (admission against the class's depth), then the flow offer.
    @inline(never)
    private func enqueueFlow(_ packet: QueuedPacket, classIndex i: Int, now: SimTime) -> EnqueueOutcome {
        if let w = wred[i], let reason = w.admit(precedence: Int(packet.key.precedence), length: packet.length,
                                                 depth: flowPackets, random: &scalars.value.random) {
            classifier.countDrop(i, packet, now: now)
            return .dropped(reason)
        }
        let (conversation, weight) = flowConversation(packet.key)
        return offerFlow(packet, classIndex: i, conversation: conversation, weight: weight, now: now)
    }

    /// WFQ's modified tail drop for a flow of a flow-based class (ios-behavior §5.4).
    @inline(never)
    private func offerFlow(_ packet: QueuedPacket, classIndex i: Int, conversation: Int, weight: UInt64,
                           now: SimTime) -> EnqueueOutcome {
        switch scheduler.offerFlowPacket(
            packet, conversation: conversation, weight: weight, cdt: flowCDT, holdQueue: holdQueue,
            hysteresis: false, flows: 0..<priorityConversation, counters: flowCounters) {
        case .queued:
            scalars.value.flowPackets &+= 1
            countQueued(i, packet)
            return .queued
        case let .dropped(reason):
            classifier.countDrop(i, packet, now: now)
            if reason == .queueFull { classifier.counters[i].noBufferDrops &+= 1 }
            return .dropped(reason)
        case let .displacing(victim):
            countQueued(i, packet)
            classifier.countDrop(classDefault, victim, now: now)
            return .queuedDisplacing(victimHandle: victim.handle, .congestiveDiscard)
        }
    }

    @inline(__always)
    private func countQueued(_ i: Int, _ packet: QueuedPacket) {
        classifier.counters[i].queuedPackets &+= 1
        classifier.counters[i].queuedBytes &+= UInt64(packet.length)
    }

    /// The strict queue first, then the lowest SN among classes whose shaper allows sending.
    /// - Complexity: O(log n)
    @usableFromInline
    func dequeue(now: SimTime) -> QueuedPacket? {
        if let p = priorityRing.pop(ring: 0) {
            scalars.value.priorityCount &-= 1
            return p
        }
        if scalars.value.suspendedCount > 0 { resumeEligible(now) }
        while let c = scheduler.minimum() {
            if c < firstClassConversation {
                scalars.value.flowPackets &-= 1
            } else if anyShaped && hotShaped[hotClassByOffset[c - firstClassConversation]] && suspendIfShaped(c, now: now) {
                continue
            }
            return scheduler.popHead(conversation: c)
        }
        return nil
    }

    /// Takes a shaped class whose shaper holds no tokens for its head out of scheduling until
    /// it can send; false when the head may go.
    @inline(never)
    private func suspendIfShaped(_ c: Int, now: SimTime) -> Bool {
        let i = hotClassByOffset[c - firstClassConversation]
        let head = scheduler.headPacket(conversation: c)!
        guard !shapers[i].conform(head.length, now: now) else { return false }
        eligibleAt[i] = shapers[i].readyTime(for: head.length)
        scheduler.suspend(conversation: c)
        suspended[scalars.value.suspendedCount] = i
        scalars.value.suspendedCount += 1
        return true
    }

    @inline(never)
    private func resumeEligible(_ now: SimTime) {
        var kept = 0
        for j in 0..<scalars.value.suspendedCount {
            let i = suspended[j]
            if eligibleAt[i] <= now {
                if case let .own(conversation, _) = kinds[i] { scheduler.resume(conversation: conversation) }
            } else {
                suspended[kept] = i
                kept += 1
            }
        }
        scalars.value.suspendedCount = kept
    }

    /// When a shaped class can send again, if shaping is all that holds the queue back.
    func nextEligibleTime(now: SimTime) -> SimTime? {
        let n = scalars.value.suspendedCount
        guard count > 0, priorityCount == 0, scheduler.scheduledCount == 0, n > 0 else { return nil }
        let t = (0..<n).map { eligibleAt[suspended[$0]] }.min()!
        return t > now ? t : nil
    }

    func depth(ofClass i: Int) -> Int {
        switch kinds[i] {
        case .priority: return priorityCount
        case let .own(conversation, _): return scheduler.depth(conversation)
        case .flows: return flowPackets
        }
    }

    /// Sum of `bandwidth` and `priority` reservations in kbps.
    var reservedKbps: Int64 {
        let ifKbps = bandwidth.kilobitsPerSecond
        return classifier.policy.classes.reduce(Int64(0)) { sum, c in
            switch (c.bandwidth, c.priority) {
            case let (.kbps(k)?, _), let (_, .kbps(k, _)?): return sum + Int64(k)
            case let (.percent(p)?, _), let (_, .percent(p, _)?): return sum + ifKbps * Int64(p) / 100
            default: return sum
            }
        }
    }
}
