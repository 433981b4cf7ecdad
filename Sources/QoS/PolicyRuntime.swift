import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// A class-map criterion with its access list resolved and value sets turned into bit masks.
indirect enum CompiledCriterion {
    case accessGroup(AccessList)
    case ipProtocol(IPProtocolMatch)
    case dscp(UInt64)
    case precedence(UInt8)
    case inputInterface(UInt32)
    case any
    case not(CompiledCriterion)

    init(_ c: MatchCriterion, accessLists: AccessListTable) {
        switch c {
        case let .accessGroup(name): self = .accessGroup(accessLists.list(named: name))
        case let .protocol(p): self = .ipProtocol(p)
        case let .dscp(values): self = .dscp(values.reduce(0) { $0 | 1 << UInt64($1.rawValue) })
        case let .precedence(values): self = .precedence(values.reduce(0) { $0 | 1 << ($1 & 7) })
        case let .inputInterface(port, _): self = .inputInterface(port)
        case .any: self = .any
        case let .not(inner): self = .not(CompiledCriterion(inner, accessLists: accessLists))
        }
    }

    /// - Complexity: O(1) except access lists, O(entries).
    func matches(_ key: PacketKey) -> Bool {
        switch self {
        case let .accessGroup(acl): return key.isIPv4 && acl.matches(key)
        case let .ipProtocol(p): return p.matches(key)
        case let .dscp(mask): return key.isIPv4 && mask >> UInt64(key.dscp) & 1 != 0
        case let .precedence(mask): return key.isIPv4 && mask >> key.precedence & 1 != 0
        case let .inputInterface(port): return key.inputInterface == port
        case .any: return true
        case let .not(inner): return !inner.matches(key)
        }
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
/// `set`, `police` and `drop`, with counters.
final class PolicyClassifier {
    let policy: PolicyMap
    let compiled: [(ClassMap.Mode, [CompiledCriterion])]
    var counters: [ClassCounters]
    var policers: [TokenBucket?]
    let classDefaultIndex: Int

    init(_ policy: PolicyMap, accessLists: AccessListTable) {
        self.policy = policy
        compiled = policy.classes.map { c in
            (c.classMap.mode, c.classMap.criteria.map { CompiledCriterion($0, accessLists: accessLists) })
        }
        counters = Array(repeating: ClassCounters(), count: policy.classes.count)
        policers = policy.classes.map { c in
            c.police.map { TokenBucket(bitsPerSecond: $0.cirBitsPerSecond, burstBytes: $0.effectiveBurstBytes) }
        }
        classDefaultIndex = policy.classes.count - 1
    }

    /// The first class whose map matches, else class-default.
    /// - Complexity: O(classes × criteria)
    @inline(__always)
    func classify(_ key: PacketKey) -> Int {
        for i in 0..<classDefaultIndex {
            let (mode, criteria) = compiled[i]
            if criteria.isEmpty { continue }
            switch mode {
            case .matchAll:
                var all = true
                for c in criteria where !c.matches(key) { all = false; break }
                if all { return i }
            case .matchAny:
                for c in criteria where c.matches(key) { return i }
            }
        }
        return classDefaultIndex
    }

    /// Counts the packet as offered to class `index`, then applies `drop`, `set` and `police` in
    /// IOS order (marking before policing); a marking rewrites `packet.key.tos`.
    @inline(__always)
    func applyActions(_ packet: inout QueuedPacket, classIndex i: Int, now: SimTime) -> DropReason? {
        let policy = self.policy.classes[i]
        counters[i].packets &+= 1
        counters[i].bytes &+= UInt64(packet.length)
        counters[i].offered.add(packet.length, now: now)
        if policy.drop {
            countDrop(i, packet, now: now)
            return .classDrop
        }
        if !policy.set.isEmpty {
            var tos = packet.key.tos
            for action in policy.set { tos = action.apply(to: tos) }
            packet.key.tos = tos
            counters[i].markedPackets &+= 1
        }
        if let police = policy.police {
            let conforms = policers[i]!.conform(packet.length, now: now)
            let action: PoliceAction
            if conforms {
                counters[i].policeConformedPackets &+= 1
                counters[i].policeConformedBytes &+= UInt64(packet.length)
                counters[i].policeConformedRate.add(packet.length, now: now)
                action = police.conform
            } else {
                counters[i].policeExceededPackets &+= 1
                counters[i].policeExceededBytes &+= UInt64(packet.length)
                counters[i].policeExceededRate.add(packet.length, now: now)
                action = police.exceed
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
