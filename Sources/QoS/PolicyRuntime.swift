import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// A class-map criterion with its access list resolved and value sets turned into bit masks.
/// A flat struct (no indirect enum, no reference counting): the access list is held unmanaged,
/// kept alive by `PolicyClassifier.accessLists`.
struct CompiledCriterion {
    enum Kind { case accessGroup, ipProtocol, dscp, precedence, inputInterface, any }
    var kind: Kind
    var negate: Bool
    var mask: UInt64 = 0
    var port: UInt32 = 0
    var ipProtocol: IPProtocolMatch = .ip
    var accessList: Unmanaged<AccessList>?

    init(_ c: MatchCriterion, accessLists: AccessListTable, negate: Bool = false) {
        self.negate = negate
        switch c {
        case let .accessGroup(name):
            kind = .accessGroup
            accessList = Unmanaged.passUnretained(accessLists.list(named: name))
        case let .protocol(p):
            kind = .ipProtocol
            ipProtocol = p
        case let .dscp(values):
            kind = .dscp
            mask = values.reduce(0) { $0 | 1 << UInt64($1.rawValue) }
        case let .precedence(values):
            kind = .precedence
            mask = values.reduce(0) { $0 | 1 << UInt64($1 & 7) }
        case let .inputInterface(port, _):
            kind = .inputInterface
            self.port = port
        case .any:
            kind = .any
        case let .not(inner):
            self = CompiledCriterion(inner, accessLists: accessLists, negate: !negate)
        }
    }

    /// - Complexity: O(1) except access lists, O(entries).
    @inline(__always)
    func matches(_ key: PacketKey) -> Bool {
        let result: Bool
        switch kind {
        case .accessGroup: result = key.isIPv4 && accessList!._withUnsafeGuaranteedRef { $0.matches(key) }
        case .ipProtocol: result = ipProtocol.matches(key)
        case .dscp: result = key.isIPv4 && mask >> UInt64(key.dscp) & 1 != 0
        case .precedence: result = key.isIPv4 && mask >> UInt64(key.precedence) & 1 != 0
        case .inputInterface: result = key.inputInterface == port
        case .any: result = true
        }
        return result != negate
    }
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
    var packets: UInt64 = 0
    var bytes: UInt64 = 0
    var offered = RateEstimator()
    var dropped = RateEstimator()
    var dropPackets: UInt64 = 0
    var dropBytes: UInt64 = 0
    var noBufferDrops: UInt64 = 0
    /// Packets and bytes that entered the class queue (`pkts matched/bytes matched`).
    var queuedPackets: UInt64 = 0
    var queuedBytes: UInt64 = 0
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
final class PolicyClassifier {
    let policy: PolicyMap
    /// Criteria of class i are `criteria[criteriaStart[i]..<criteriaStart[i + 1]]`. Fixed
    /// buffers, so the per-packet scan pays no bounds, uniqueness or reference-count traffic.
    let criteria: FixedBuffer<CompiledCriterion>
    let criteriaStart: FixedBuffer<Int>
    let matchAll: FixedBuffer<Bool>
    let actions: FixedBuffer<ClassActions>
    let counters: FixedBuffer<ClassCounters>
    let policers: FixedBuffer<TokenBucket>
    let classDefaultIndex: Int
    /// Keeps the access lists the criteria reference unmanaged alive.
    let accessLists: AccessListTable

    init(_ policy: PolicyMap, accessLists: AccessListTable) {
        self.policy = policy
        self.accessLists = accessLists
        var criteria: [CompiledCriterion] = []
        var starts: [Int] = []
        for c in policy.classes {
            starts.append(criteria.count)
            criteria += c.classMap.criteria.map { CompiledCriterion($0, accessLists: accessLists) }
        }
        starts.append(criteria.count)
        self.criteria = FixedBuffer(repeating: CompiledCriterion(.any, accessLists: accessLists), count: criteria.count)
        for (j, c) in criteria.enumerated() { self.criteria[j] = c }
        criteriaStart = FixedBuffer(repeating: 0, count: starts.count)
        for (j, v) in starts.enumerated() { criteriaStart[j] = v }
        matchAll = FixedBuffer(repeating: false, count: policy.classes.count)
        actions = FixedBuffer(repeating: ClassActions(ClassPolicy(.classDefault)), count: policy.classes.count)
        for (j, c) in policy.classes.enumerated() {
            matchAll[j] = c.classMap.mode == .matchAll
            actions[j] = ClassActions(c)
        }
        counters = FixedBuffer(repeating: ClassCounters(), count: policy.classes.count)
        policers = FixedBuffer(repeating: TokenBucket(bitsPerSecond: 0, burstBytes: 1), count: policy.classes.count)
        for (i, c) in policy.classes.enumerated() {
            if let p = c.police { policers[i] = TokenBucket(bitsPerSecond: p.cirBitsPerSecond, burstBytes: p.effectiveBurstBytes) }
        }
        classDefaultIndex = policy.classes.count - 1
    }

    deinit {
        counters.deallocate()
        policers.deallocate()
        criteria.deallocate(); criteriaStart.deallocate(); matchAll.deallocate(); actions.deallocate()
    }

    /// The first class whose map matches, else class-default. A class map without `match` lines
    /// matches nothing.
    /// - Complexity: O(classes × criteria)
    @inline(__always)
    func classify(_ key: PacketKey) -> Int {
        var i = 0
        while i < classDefaultIndex {
            var j = criteriaStart[i]
            let end = criteriaStart[i + 1]
            if j < end {
                if matchAll[i] {
                    while j < end && criteria[j].matches(key) { j += 1 }
                    if j == end { return i }
                } else {
                    while j < end {
                        if criteria[j].matches(key) { return i }
                        j += 1
                    }
                }
            }
            i += 1
        }
        return classDefaultIndex
    }

    /// Counts the packet as offered to class `index`, then applies `drop`, `set` and `police` in
    /// IOS order (marking before policing); a marking rewrites `packet.key.tos`.
    @inline(__always)
    func applyActions(_ packet: inout QueuedPacket, classIndex i: Int, now: SimTime) -> DropReason? {
        let a = actions[i]
        counters[i].packets &+= 1
        counters[i].bytes &+= UInt64(packet.length)
        counters[i].offered.add(packet.length, now: now)
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
