import Engine
import Wire

/// One `match` line of a class map.
public indirect enum MatchCriterion: Hashable, Sendable {
    /// `match access-group N` / `match access-group name X`.
    case accessGroup(String)
    /// `match protocol ip|icmp|tcp|udp`.
    case `protocol`(IPProtocolMatch)
    /// `match ip dscp V…` (any of the values).
    case dscp([DSCP])
    /// `match ip precedence P…`.
    case precedence([UInt8])
    /// `match input-interface IF` (resolved port; the name is for `show`).
    case inputInterface(port: UInt32, name: String)
    /// `match any`.
    case any
    /// `match not CRITERION`.
    case not(MatchCriterion)

    /// As `show policy-map interface` prints it after `Match: `.
    public var showText: String {
        switch self {
        case let .accessGroup(name): return Int(name) != nil ? "access-group \(name)" : "access-group name \(name)"
        case let .protocol(p): return "protocol \(p)"
        case let .dscp(values): return "ip dscp " + values.map(\.name).joined(separator: " ")
        case let .precedence(values): return "ip precedence " + values.map { "\($0)" }.joined(separator: " ")
        case let .inputInterface(_, name): return "input-interface  \(name)"
        case .any: return "any"
        case let .not(inner): return "not " + inner.showText
        }
    }
}

/// `class-map [match-all|match-any] NAME` with its `match` lines.
public struct ClassMap: Hashable, Sendable {
    public enum Mode: String, Hashable, Sendable { case matchAll = "match-all", matchAny = "match-any" }
    public var name: String
    public var mode: Mode
    public var criteria: [MatchCriterion]

    public init(_ name: String, _ mode: Mode = .matchAll, _ criteria: [MatchCriterion]) {
        self.name = name
        self.mode = mode
        self.criteria = criteria
    }

    public static let classDefaultName = "class-default"
    /// class-default: `match any`, always present, always last.
    public static let classDefault = ClassMap(classDefaultName, .matchAny, [.any])
}

/// `bandwidth` in a policy-map class (ios-behavior §6.1).
public enum BandwidthAllocation: Hashable, Sendable {
    case kbps(Int)
    case percent(Int)
    case remainingPercent(Int)
}

/// `priority` in a policy-map class (LLQ, ios-behavior §6.3). Burst in bytes; nil → 200 ms of
/// the rate (unconfirmed, pinned by a test).
public enum PriorityAllocation: Hashable, Sendable {
    case kbps(Int, burstBytes: Int? = nil)
    case percent(Int, burstBytes: Int? = nil)
}

/// An action of a policer.
public enum PoliceAction: Hashable, Sendable {
    case transmit
    case drop
    case setDSCPTransmit(DSCP)
    case setPrecedenceTransmit(UInt8)

    var showText: String {
        switch self {
        case .transmit: return "transmit"
        case .drop: return "drop"
        case let .setDSCPTransmit(d): return "set-dscp-transmit \(d.name)"
        case let .setPrecedenceTransmit(p): return "set-prec-transmit \(p)"
        }
    }
}

/// `police cir BPS [bc BYTES] conform-action A exceed-action B`: single-rate two-colour.
public struct Police: Hashable, Sendable {
    public var cirBitsPerSecond: Int64
    /// Committed burst in bytes; nil → IOS default max(CIR/32, 1500) (a quarter second of CIR).
    public var burstBytes: Int?
    public var conform: PoliceAction
    public var exceed: PoliceAction

    public init(cirBitsPerSecond: Int64, burstBytes: Int? = nil, conform: PoliceAction = .transmit,
                exceed: PoliceAction = .drop) {
        self.cirBitsPerSecond = cirBitsPerSecond
        self.burstBytes = burstBytes
        self.conform = conform
        self.exceed = exceed
    }

    public var effectiveBurstBytes: Int { burstBytes ?? Swift.max(Int(cirBitsPerSecond / 32), 1500) }
}

/// `shape average BPS [Bc]`: a token bucket of depth Bc refilled at the rate.
public struct Shape: Hashable, Sendable {
    public var rateBitsPerSecond: Int64
    /// Sustained burst in bits; nil → rate × Tc.
    public var sustainedBits: Int64?
    /// The measurement interval for the default Bc. Chosen: 125 ms, the classic IOS GTS/FRTS
    /// maximum Tc (later trains use 4–10 ms at high rates); a parameter.
    public var intervalMilliseconds: Int64

    public init(rateBitsPerSecond: Int64, sustainedBits: Int64? = nil, intervalMilliseconds: Int64 = 125) {
        self.rateBitsPerSecond = rateBitsPerSecond
        self.sustainedBits = sustainedBits
        self.intervalMilliseconds = intervalMilliseconds
    }

    public var effectiveSustainedBits: Int64 {
        sustainedBits ?? Swift.max(rateBitsPerSecond * intervalMilliseconds / 1000, 8 * 1500)
    }
}

/// `random-detect` (precedence-based WRED) thresholds (ios-behavior §6.4).
public struct RandomDetect: Hashable, Sendable {
    public struct Profile: Hashable, Sendable {
        public var minimumThreshold: Int
        public var maximumThreshold: Int
        public var markProbabilityDenominator: Int
        public init(_ minimumThreshold: Int, _ maximumThreshold: Int, _ markProbabilityDenominator: Int) {
            self.minimumThreshold = minimumThreshold
            self.maximumThreshold = maximumThreshold
            self.markProbabilityDenominator = markProbabilityDenominator
        }
    }
    /// Per precedence 0–7. Default: min 20 for precedence 0, 22, 24, 26, 28, 31, 33, 35 for 1–7
    /// (1–7 unconfirmed), max 40, denominator 10.
    public var profiles: [Profile]
    /// Exponential weighting constant n: average = old × (1 − 2⁻ⁿ) + current × 2⁻ⁿ (default 9).
    public var exponentialWeightingConstant: Int

    public static let defaultMinimumThresholds = [20, 22, 24, 26, 28, 31, 33, 35]

    public init(profiles: [Profile]? = nil, exponentialWeightingConstant: Int = 9) {
        self.profiles = profiles ?? RandomDetect.defaultMinimumThresholds.map { Profile($0, 40, 10) }
        self.exponentialWeightingConstant = exponentialWeightingConstant
    }
}

/// `set dscp V` / `set precedence P` / `set ip dscp` / `set ip precedence`.
public enum MarkAction: Hashable, Sendable {
    case dscp(DSCP)
    case precedence(UInt8)

    @inline(__always)
    func apply(to tos: UInt8) -> UInt8 {
        switch self {
        case let .dscp(d): return d.rawValue << 2 | tos & 0x03
        case let .precedence(p): return (p & 7) << 5 | tos & 0x1F
        }
    }

    var showText: String {
        switch self {
        case let .dscp(d): return "dscp \(d.name)"
        case let .precedence(p): return "precedence \(p)"
        }
    }
}

/// One `class NAME` section of a policy map.
public struct ClassPolicy: Hashable, Sendable {
    public var classMap: ClassMap
    public var bandwidth: BandwidthAllocation?
    public var priority: PriorityAllocation?
    /// `queue-limit N` packets; nil → 64 (ios-behavior §6.2).
    public var queueLimit: Int?
    /// `fair-queue [N]` (class-default): nil = not configured; `.some(nil)` = default queue count.
    public var fairQueue: Int??
    public var randomDetect: RandomDetect?
    public var police: Police?
    public var shape: Shape?
    public var set: [MarkAction]
    public var drop: Bool

    public static let defaultQueueLimit = 64

    public init(_ classMap: ClassMap, bandwidth: BandwidthAllocation? = nil, priority: PriorityAllocation? = nil,
                queueLimit: Int? = nil, fairQueue: Int?? = nil, randomDetect: RandomDetect? = nil,
                police: Police? = nil, shape: Shape? = nil, set: [MarkAction] = [], drop: Bool = false) {
        self.classMap = classMap
        self.bandwidth = bandwidth
        self.priority = priority
        self.queueLimit = queueLimit
        self.fairQueue = fairQueue
        self.randomDetect = randomDetect
        self.police = police
        self.shape = shape
        self.set = set
        self.drop = drop
    }

    public var effectiveQueueLimit: Int { queueLimit ?? ClassPolicy.defaultQueueLimit }
    var isClassDefault: Bool { classMap.name == ClassMap.classDefaultName }
}

/// `policy-map NAME`: classes in order, class-default last (added when not configured).
public struct PolicyMap: Hashable, Sendable {
    public var name: String
    public var classes: [ClassPolicy]
    /// Pre-HQF class weight = constant × interface bandwidth / class bandwidth (or × 100 / percent).
    /// The constant is unconfirmed (ios-behavior §6.2); chosen 64, which gives a `bandwidth
    /// remaining percent 5` class about 3.2× a precedence-7 class-default flow (INE reports ~3.3×).
    public var classWeightConstant: Int

    public init(_ name: String, classes: [ClassPolicy], classWeightConstant: Int = 64) {
        self.name = name
        var list = classes.filter { !$0.isClassDefault }
        list.append(classes.first(where: \.isClassDefault) ?? ClassPolicy(.classDefault))
        self.classes = list
        self.classWeightConstant = classWeightConstant
    }

    /// IOS `max-reserved-bandwidth` admission (ios-behavior §6.1): `bandwidth` and `priority`
    /// reservations, in class order, may not exceed `maxReservedPercent` of the interface
    /// bandwidth. Returns the IOS error text for the first class that does not fit, or nil.
    public func validate(against bandwidth: Bandwidth, maxReservedPercent: Int = 75,
                         interfaceName: String = "") -> String? {
        let ifKbps = bandwidth.kilobitsPerSecond
        let availableKbps = ifKbps * Int64(maxReservedPercent) / 100
        var usedKbps: Int64 = 0
        for c in classes {
            var requested: Int64?
            var percent: Int?
            switch (c.bandwidth, c.priority) {
            case let (.kbps(k)?, _): requested = Int64(k)
            case let (.percent(p)?, _): percent = p
            case let (_, .kbps(k, _)?): requested = Int64(k)
            case let (_, .percent(p, _)?): percent = p
            default: break
            }
            if let p = percent {
                let usedPercent = ifKbps > 0 ? Int(usedKbps * 100 / ifKbps) : 0
                let availablePercent = maxReservedPercent - usedPercent
                if p > availablePercent {
                    return "I/f \(interfaceName) class \(c.classMap.name) requested bandwidth \(p) (%), "
                        + "available only \(availablePercent) (%)"
                }
                usedKbps += ifKbps * Int64(p) / 100
            } else if let k = requested {
                let available = availableKbps - usedKbps
                if k > available {
                    return "I/f \(interfaceName) class \(c.classMap.name) requested bandwidth \(k) (kbps), "
                        + "available only \(available) (kbps)"
                }
                usedKbps += k
            }
        }
        return nil
    }
}
