import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// A remembered classification: the masked key, the class, and the access-list hit counters
/// the walk advanced (`hits` of them, at most two). `key.rest` 0 marks an empty entry (a real
/// one has its low bit set). The counter pointers stay valid until the next compile, which
/// clears the memo.
struct ClassificationMemo {
    var key = PackedKey.Masked(addresses: 0, context: 0, rest: 0)
    var classIndex: Int32 = 0
    var hits: Int32 = 0
    var firstHit: UnsafeMutablePointer<UInt64>
    var secondHit: UnsafeMutablePointer<UInt64>

    /// An empty entry.
    init(unused scratch: UnsafeMutablePointer<UInt64>) {
        firstHit = scratch
        secondHit = scratch
    }

    init(key: PackedKey.Masked, classIndex: Int32, hits: Int32, firstHit: UnsafeMutablePointer<UInt64>,
         secondHit: UnsafeMutablePointer<UInt64>) {
        self.key = key
        self.classIndex = classIndex
        self.hits = hits
        self.firstHit = firstHit
        self.secondHit = secondHit
    }
}

/// One step of the classification program: a rule and where to go next, on a match and on a
/// miss. A target ≥ 0 is another step; a negative target `~i` means "class i".
struct ClassificationStep {
    var rule: MatchRule
    var ifMatch: Int32
    var ifMiss: Int32
}

/// The per-packet actions of one class, flattened from its `ClassPolicy`: `set` lines composed
/// into one AND/OR on the ToS byte.
struct ClassActions {
    var drop: Bool
    var marks: Bool
    var markAnd: UInt8 = 0xFF
    var markOr: UInt8 = 0
    var police: Bool
    var conform: PoliceAction
    var exceed: PoliceAction

    init(_ policy: ClassPolicy) {
        drop = policy.drop
        marks = !policy.set.isEmpty
        for action in policy.set {
            let (keep, value): (UInt8, UInt8)
            switch action {
            case let .dscp(d): (keep, value) = (0x03, d.rawValue << 2)
            case let .precedence(p): (keep, value) = (0x1F, (p & 7) << 5)
            }
            markAnd &= keep
            markOr = markOr & keep | value
        }
        police = policy.police != nil
        conform = policy.police?.conform ?? .transmit
        exceed = policy.police?.exceed ?? .drop
    }
}

/// A single-rate token bucket (bytes), refilled continuously from virtual time.
struct TokenBucket {
    let bytesPerNanosecond: Double
    let depth: Double
    var tokens: Double
    var last: Int64

    init(bitsPerSecond: Int64, burstBytes: Int) {
        bytesPerNanosecond = Double(bitsPerSecond) / 8e9
        depth = Double(Swift.max(burstBytes, 1))
        tokens = depth
        last = 0
    }

    @inline(__always)
    mutating func refill(_ now: SimTime) {
        let elapsed = now.nanoseconds - last
        if elapsed > 0 {
            tokens = Swift.min(depth, tokens + Double(elapsed) * bytesPerNanosecond)
            last = now.nanoseconds
        }
    }

    /// Takes `bytes` if the bucket holds them.
    @inline(__always)
    mutating func conform(_ bytes: Int32, now: SimTime) -> Bool {
        refill(now)
        let b = Double(bytes)
        guard tokens >= b else { return false }
        tokens -= b
        return true
    }

    /// When the bucket will hold `bytes` (capped at its depth).
    func readyTime(for bytes: Int32) -> SimTime {
        let need = Swift.min(Double(bytes), depth) - tokens
        if need <= 0 || bytesPerNanosecond <= 0 { return SimTime(nanoseconds: last) }
        return SimTime(nanoseconds: last + Int64((need / bytesPerNanosecond).rounded(.up)))
    }
}

/// IOS `5 minute offered rate`: every 5 s the interval's rate is folded into an exponential
/// average with weight e^(−5/300) (load-interval 300).
struct RateEstimator {
    static let interval: Int64 = 5_000_000_000
    static let decay = exp(-5.0 / 300.0)
    var intervalStart: Int64 = 0
    var bytes: Int64 = 0
    var rate: Double = 0

    @inline(__always)
    mutating func add(_ b: Int32, now: SimTime) {
        if now.nanoseconds &- intervalStart >= RateEstimator.interval { roll(now) }
        bytes &+= Int64(b)
    }

    mutating func roll(_ now: SimTime) {
        var folds = 0
        while now.nanoseconds - intervalStart >= RateEstimator.interval {
            let sample = Double(bytes) * 8 / 5
            rate = rate * RateEstimator.decay + sample * (1 - RateEstimator.decay)
            bytes = 0
            intervalStart += RateEstimator.interval
            folds += 1
            if folds > 2_000 {  // quiet for hours: the average has decayed to nothing
                rate = 0
                intervalStart = now.nanoseconds - (now.nanoseconds - intervalStart) % RateEstimator.interval
            }
        }
    }

    mutating func bitsPerSecond(now: SimTime) -> Int {
        roll(now)
        return Int(rate.rounded())
    }
}

/// The counters of one class, as `show policy-map interface` prints them.
struct ClassCounters {
    // The fields every packet touches come first, within one cache line.
    var packets: UInt64 = 0
    var bytes: UInt64 = 0
    /// Packets and bytes that entered the class queue (`pkts matched/bytes matched`).
    var queuedPackets: UInt64 = 0
    var queuedBytes: UInt64 = 0
    var offered = RateEstimator()
    var dropped = RateEstimator()
    var dropPackets: UInt64 = 0
    var dropBytes: UInt64 = 0
    var noBufferDrops: UInt64 = 0
    var markedPackets: UInt64 = 0
    var policeConformedPackets: UInt64 = 0
    var policeConformedBytes: UInt64 = 0
    var policeExceededPackets: UInt64 = 0
    var policeExceededBytes: UInt64 = 0
    var policeConformedRate = RateEstimator()
    var policeExceededRate = RateEstimator()
}

/// MQC classification and the per-class actions shared by input and output service policies:
/// `set`, `police` and `drop`, with counters. Hot state lives in fixed buffers.
///
/// Classification runs a compiled program: the class maps in order, each criterion a run of
/// `MatchRule` steps (an access list's entries copied in, with pointers to their hit counters),
/// each step naming the next on a match and on a miss — so match-all/match-any, `match not`,
/// first-match-wins and deny entries are all just jump targets, and a packet walks only the rules
/// it needs with no dispatch on criterion kinds. The copies are checked against the lists'
/// revision counters on every packet and recompiled when a list was redefined.
final class PolicyClassifier {
    let policy: PolicyMap
    let actions: FixedBuffer<ClassActions>
    /// Per class: whether it has `drop`, `set` or `police` (else only counters are touched).
    let hasActions: FixedBuffer<Bool>
    let counters: FixedBuffer<ClassCounters>
    let policers: FixedBuffer<TokenBucket>
    let classDefaultIndex: Int
    /// Keeps the access lists the program copies from alive (placeholders included).
    let accessLists: AccessListTable
    /// The lists referenced, in criterion order, and the revision counters to watch.
    let referencedLists: [AccessList]
    let revisions: [AccessListRevision]
    let revisionCells: FixedBuffer<UnsafeMutablePointer<UInt64>>
    let seenRevisions: FixedBuffer<UInt64>
    /// Memo entries (a power of two).
    static let memoEntries = 1024
    /// Always 0: the revision "counter" of a policy that references no list.
    let zeroCell: FixedBuffer<UInt64>
    /// Hit counter for rules that are not access-list entries (never read).
    let scratchHits: FixedBuffer<UInt64>
    // The program, rebuilt by `compile()`: steps, their hit counters, and the first target.
    private(set) var steps: FixedBuffer<ClassificationStep>
    private(set) var stepHits: FixedBuffer<UnsafeMutablePointer<UInt64>>
    private(set) var entry: Int32 = 0
    /// What the program reads: the union of its rules' care masks (set bits = a field some rule
    /// looks at). Keys equal under these masks classify alike, which is what the memo keys on.
    private(set) var readMask = PackedKey.Mask()
    /// Recent classifications by masked key, with the steps whose hit counters they advanced. A
    /// policy that reads a few fields (ports, DSCP) needs a handful of entries however many
    /// flows there are, so the lookups stay in L1.
    let memo: FixedBuffer<ClassificationMemo>
    /// The first revision counter (a scratch cell holding 0 when no list is referenced) and its
    /// value at the last compile: the per-packet check reads these two.
    let firstRevisionCell: UnsafeMutablePointer<UInt64>
    private(set) var firstSeenRevision: UInt64 = 0

    init(_ policy: PolicyMap, accessLists: AccessListTable) {
        self.policy = policy
        self.accessLists = accessLists
        var lists: [AccessList] = []
        for c in policy.classes {
            for criterion in c.classMap.criteria {
                if case let .accessGroup(name) = PolicyClassifier.unwrap(criterion).criterion {
                    lists.append(accessLists.list(named: name))
                }
            }
        }
        referencedLists = lists
        var distinct: [AccessListRevision] = []
        for l in lists where !distinct.contains(where: { $0 === l.revision }) { distinct.append(l.revision) }
        revisions = distinct
        scratchHits = FixedBuffer(repeating: 0, count: 1)
        revisionCells = FixedBuffer(repeating: scratchHits.base, count: distinct.count)
        for (k, r) in distinct.enumerated() { revisionCells[k] = r.cell.base }
        seenRevisions = FixedBuffer(repeating: 0, count: distinct.count)
        zeroCell = FixedBuffer(repeating: 0, count: 1)
        firstRevisionCell = distinct.first?.cell.base ?? zeroCell.base
        actions = FixedBuffer(repeating: ClassActions(ClassPolicy(.classDefault)), count: policy.classes.count)
        hasActions = FixedBuffer(repeating: false, count: policy.classes.count)
        for (j, c) in policy.classes.enumerated() {
            let a = ClassActions(c)
            actions[j] = a
            hasActions[j] = a.drop || a.marks || a.police
        }
        counters = FixedBuffer(repeating: ClassCounters(), count: policy.classes.count)
        policers = FixedBuffer(repeating: TokenBucket(bitsPerSecond: 0, burstBytes: 1), count: policy.classes.count)
        for (i, c) in policy.classes.enumerated() {
            if let p = c.police { policers[i] = TokenBucket(bitsPerSecond: p.cirBitsPerSecond, burstBytes: p.effectiveBurstBytes) }
        }
        classDefaultIndex = policy.classes.count - 1
        steps = FixedBuffer(repeating: ClassificationStep(rule: .any, ifMatch: 0, ifMiss: 0), count: 1)
        stepHits = FixedBuffer(repeating: scratchHits.base, count: 1)
        memo = FixedBuffer(repeating: ClassificationMemo(unused: scratchHits.base), count: PolicyClassifier.memoEntries)
        compile()
    }

    deinit {
        counters.deallocate()
        policers.deallocate()
        steps.deallocate(); stepHits.deallocate(); memo.deallocate()
        actions.deallocate(); hasActions.deallocate()
        revisionCells.deallocate(); seenRevisions.deallocate(); scratchHits.deallocate(); zeroCell.deallocate()
    }

    /// `match not … not X` → (X, whether the nots invert it).
    static func unwrap(_ c: MatchCriterion) -> (criterion: MatchCriterion, negate: Bool) {
        var c = c, negate = false
        while case let .not(inner) = c { c = inner; negate.toggle() }
        return (c, negate)
    }

    /// Builds the program from the policy and the referenced lists' current entries. Steps are
    /// laid out class by class, criterion by criterion; a criterion without rules (an undefined
    /// list) and a class without criteria resolve straight to their outcome.
    private func compile() {
        let classes = policy.classes
        let defaultClass = classDefaultIndex
        // The rules of each criterion, with their hit counters and the criterion's `not`.
        var criterionRules: [[[(MatchRule, UnsafeMutablePointer<UInt64>)]]] = []
        var negated: [[Bool]] = []
        var listIndex = 0
        for c in classes[..<defaultClass] {
            var perCriterion: [[(MatchRule, UnsafeMutablePointer<UInt64>)]] = []
            var nots: [Bool] = []
            for criterion in c.classMap.criteria {
                let (inner, negate) = PolicyClassifier.unwrap(criterion)
                if case .accessGroup = inner {
                    let store = referencedLists[listIndex].store.value
                    listIndex += 1
                    perCriterion.append((0..<store.compiledCount).map { (store.compiled[$0], store.hitCounts.base + $0) })
                } else {
                    perCriterion.append([(MatchRule(criterion: inner), scratchHits.base)])
                }
                nots.append(negate)
            }
            criterionRules.append(perCriterion)
            negated.append(nots)
        }
        var start: [[Int32]] = []
        var next: Int32 = 0
        for perCriterion in criterionRules {
            start.append(perCriterion.map { rules in defer { next += Int32(rules.count) }; return next })
        }
        func classEntry(_ i: Int) -> Int32 {
            guard i < defaultClass else { return ~Int32(defaultClass) }
            return criterionRules[i].isEmpty ? classEntry(i + 1) : criterionEntry(i, 0)
        }
        func criterionTrue(_ i: Int, _ k: Int) -> Int32 {
            classes[i].classMap.mode == .matchAll && k + 1 < criterionRules[i].count ? criterionEntry(i, k + 1) : ~Int32(i)
        }
        func criterionFalse(_ i: Int, _ k: Int) -> Int32 {
            classes[i].classMap.mode == .matchAny && k + 1 < criterionRules[i].count ? criterionEntry(i, k + 1) : classEntry(i + 1)
        }
        func criterionEntry(_ i: Int, _ k: Int) -> Int32 {
            if !criterionRules[i][k].isEmpty { return start[i][k] }
            return negated[i][k] ? criterionTrue(i, k) : criterionFalse(i, k)
        }
        var newSteps: [ClassificationStep] = []
        var newHits: [UnsafeMutablePointer<UInt64>] = []
        for (i, perCriterion) in criterionRules.enumerated() {
            for (k, rules) in perCriterion.enumerated() {
                let negate = negated[i][k]
                let whenTrue = criterionTrue(i, k), whenFalse = criterionFalse(i, k)
                for (q, (rule, hits)) in rules.enumerated() {
                    let miss = q + 1 < rules.count ? start[i][k] + Int32(q + 1) : (negate ? whenTrue : whenFalse)
                    newSteps.append(ClassificationStep(rule: rule, ifMatch: rule.permit != negate ? whenTrue : whenFalse,
                                                       ifMiss: miss))
                    newHits.append(hits)
                }
            }
        }
        steps.deallocate()
        stepHits.deallocate()
        steps = FixedBuffer(repeating: ClassificationStep(rule: .any, ifMatch: 0, ifMiss: 0), count: newSteps.count)
        for (k, step) in newSteps.enumerated() { steps[k] = step }
        stepHits = FixedBuffer(repeating: scratchHits.base, count: newHits.count)
        for (k, h) in newHits.enumerated() { stepHits[k] = h }
        readMask = newSteps.reduce(into: PackedKey.Mask()) { $0.formUnion($1.rule.readMask) }
        for m in 0..<PolicyClassifier.memoEntries { memo[m] = ClassificationMemo(unused: scratchHits.base) }
        entry = classEntry(0)
        for k in 0..<revisions.count { seenRevisions[k] = revisionCells[k].pointee }
        firstSeenRevision = firstRevisionCell.pointee
    }

    /// Recompiles when a referenced list was redefined since the last compile.
    @inline(__always)
    private func refreshProgram() {
        // One table's lists share one counter: the common case is this one comparison.
        if firstRevisionCell.pointee != firstSeenRevision { recompile(); return }
        let n = revisions.count
        var k = 1
        while k < n {
            if revisionCells[k].pointee != seenRevisions[k] { recompile(); return }
            k += 1
        }
    }

    @inline(never)
    private func recompile() { compile() }

    /// The first class whose map matches, else class-default. A class map without `match` lines
    /// matches nothing.
    /// - Complexity: O(rules walked)
    @inline(__always)
    func classify(_ key: PacketKey) -> Int {
        refreshProgram()
        let packed = PackedKey(key)
        let masked = readMask.apply(packed)
        var h = masked.addresses &* 0x9E37_79B9_7F4A_7C15 ^ masked.context &* 0xC2B2_AE3D_27D4_EB4F
            ^ masked.rest &* 0x1656_67B1_9E37_79F9
        h ^= h &>> 29
        let m = Int(truncatingIfNeeded: h &>> 40) & (PolicyClassifier.memoEntries - 1)
        if memo[m].key.rest == masked.rest && memo[m].key.addresses == masked.addresses
            && memo[m].key.context == masked.context {
            // The walk's outcome for this masked key; replay the access-list hits it counted.
            let hits = memo[m].hits
            if hits > 0 {
                memo[m].firstHit.pointee &+= 1
                if hits > 1 { memo[m].secondHit.pointee &+= 1 }
            }
            return Int(truncatingIfNeeded: memo[m].classIndex)
        }
        return walk(packed, memoSlot: m, masked: masked)
    }

    /// Runs the program for `packed`, counting hits, and remembers the outcome in memo slot `m`
    /// when the walk counted at most two access-list entries (a longer one is walked every time).
    /// - Complexity: O(rules walked)
    @inline(never)
    private func walk(_ packed: PackedKey, memoSlot m: Int, masked: PackedKey.Masked) -> Int {
        var t = entry
        let scratch = scratchHits.base
        var first = scratch, second = scratch, counted: Int32 = 0
        // Branches, not selects: the next step is then predicted and its loads issue early.
        while t >= 0 {
            let s = Int(t)
            if steps[s].rule.matches(packed) {
                let counter = stepHits[s]
                counter.pointee &+= 1
                if counter != scratch {
                    if counted == 0 { first = counter } else { second = counter }
                    counted += 1
                }
                t = steps[s].ifMatch
            } else {
                t = steps[s].ifMiss
            }
        }
        let classIndex = Int(~t)
        if counted <= 2 {
            memo[m] = ClassificationMemo(key: masked, classIndex: Int32(classIndex), hits: counted,
                                         firstHit: first, secondHit: second)
        }
        return classIndex
    }

    /// Counts the packet as offered to class `index`, then applies `drop`, `set` and `police` in
    /// IOS order (marking before policing); a marking rewrites `packet.key.tos`.
    @inline(__always)
    func applyActions(_ packet: inout QueuedPacket, classIndex i: Int, now: SimTime) -> DropReason? {
        counters[i].packets &+= 1
        counters[i].bytes &+= UInt64(packet.length)
        counters[i].offered.add(packet.length, now: now)
        guard hasActions[i] else { return nil }
        return applyConfiguredActions(&packet, classIndex: i, now: now)
    }

    /// `drop`, `set` and `police`, for a class that has any.
    @inline(never)
    private func applyConfiguredActions(_ packet: inout QueuedPacket, classIndex i: Int, now: SimTime) -> DropReason? {
        let a = actions[i]
        if a.drop {
            countDrop(i, packet, now: now)
            return .classDrop
        }
        if a.marks {
            packet.key.tos = packet.key.tos & a.markAnd | a.markOr
            counters[i].markedPackets &+= 1
        }
        if a.police {
            let action: PoliceAction
            if policers[i].conform(packet.length, now: now) {
                counters[i].policeConformedPackets &+= 1
                counters[i].policeConformedBytes &+= UInt64(packet.length)
                counters[i].policeConformedRate.add(packet.length, now: now)
                action = a.conform
            } else {
                counters[i].policeExceededPackets &+= 1
                counters[i].policeExceededBytes &+= UInt64(packet.length)
                counters[i].policeExceededRate.add(packet.length, now: now)
                action = a.exceed
            }
            switch action {
            case .transmit: break
            case .drop:
                countDrop(i, packet, now: now)
                return .policed
            case let .setDSCPTransmit(d): packet.key.tos = MarkAction.dscp(d).apply(to: packet.key.tos)
            case let .setPrecedenceTransmit(p): packet.key.tos = MarkAction.precedence(p).apply(to: packet.key.tos)
            }
        }
        return nil
    }

    @inline(__always)
    func countDrop(_ i: Int, _ packet: QueuedPacket, now: SimTime) {
        counters[i].dropPackets &+= 1
        counters[i].dropBytes &+= UInt64(packet.length)
        counters[i].dropped.add(packet.length, now: now)
    }
}

/// `service-policy input`: classification, marking, policing and `drop` on arrival; no queueing.
public final class InputPolicy {
    let classifier: PolicyClassifier

    public init(_ policy: PolicyMap, accessLists: AccessListTable = AccessListTable()) {
        classifier = PolicyClassifier(policy, accessLists: accessLists)
    }

    public var policy: PolicyMap { classifier.policy }

    /// Classifies and applies the class's actions; nil means forward (possibly re-marked: the
    /// fabric rewrites the frame's ToS from `packet.key.tos`), otherwise the drop reason.
    /// - Complexity: O(classes × criteria)
    public func process(_ packet: inout QueuedPacket, now: SimTime) -> DropReason? {
        let i = classifier.classify(packet.key)
        return classifier.applyActions(&packet, classIndex: i, now: now)
    }

    /// `show policy-map interface` for this input policy.
    public func showPolicyMapInterfaceLines(now: SimTime) -> [String] {
        PolicyMapDisplay.lines(direction: "input", classifier: classifier, queueing: nil, now: now)
    }
}
