/// Why a packet or frame was dropped; feeds per-reason drop counters, debug lines and expectations.
public enum DropReason: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    // Queueing (QoS)
    /// The output queue (or the class or priority queue) was full: tail drop.
    case queueFull = "queue-full"
    /// WFQ: the conversation reached its congestive discard threshold.
    case congestiveDiscard = "congestive-discard"
    /// WRED random or forced drop.
    case randomEarlyDrop = "random-early-drop"
    /// A policer's exceed/violate action, or LLQ's congestion-time policer.
    case policed = "policed"
    /// An MQC class with `drop`.
    case classDrop = "class-drop"
    // Forwarding (fabric)
    case noRoute = "no-route"
    case ttlExpired = "ttl-expired"
    case arpUnresolved = "arp-unresolved"
    case interfaceDown = "interface-down"
    case linkDown = "link-down"
    case mtuExceeded = "mtu-exceeded"
    case badChecksum = "bad-checksum"
    case malformed = "malformed"
    case notForUs = "not-for-us"
    case vlanMismatch = "vlan-mismatch"
    case noListener = "no-listener"
    case accessListDenied = "access-list"
    case rpfFailure = "rpf-failure"
    /// A scenario fault dropped the frame (a blocked protocol on an interface).
    case faultInjected = "fault-injected"
    /// A switch port's `storm-control` filter discarded the frame (its traffic type was over the level).
    case stormControl = "storm-control"
    /// A multicast router had neither an (S,G) nor a (*,G) entry for the packet (after telling its protocols).
    case noMulticastRoute = "no-mroute"
    /// An impaired link lost the frame (a scenario's `impair` with `loss`).
    case linkLoss = "link-loss"
    /// An NLB member's filtering gave the packet to another member of its cluster.
    case nlbFiltered = "nlb-filtered"

    public var description: String { rawValue }

    /// The case's position in `allCases`, for counters kept in an array.
    @inlinable
    public var ordinal: Int {
        switch self {
        case .queueFull: return 0
        case .congestiveDiscard: return 1
        case .randomEarlyDrop: return 2
        case .policed: return 3
        case .classDrop: return 4
        case .noRoute: return 5
        case .ttlExpired: return 6
        case .arpUnresolved: return 7
        case .interfaceDown: return 8
        case .linkDown: return 9
        case .mtuExceeded: return 10
        case .badChecksum: return 11
        case .malformed: return 12
        case .notForUs: return 13
        case .vlanMismatch: return 14
        case .noListener: return 15
        case .accessListDenied: return 16
        case .rpfFailure: return 17
        case .faultInjected: return 18
        case .stormControl: return 19
        case .noMulticastRoute: return 20
        case .linkLoss: return 21
        case .nlbFiltered: return 22
        }
    }
}

/// Drop counts by reason, in an array indexed by `DropReason.ordinal`: counting a drop costs no
/// hashing (overload and flooding outages drop on every frame). Reads like the dictionary it
/// replaced: a reason never counted reads nil.
public struct DropCounters: Sendable {
    @usableFromInline var counts = [UInt64](repeating: 0, count: DropReason.allCases.count)

    public init() {}

    public subscript(reason: DropReason) -> UInt64? {
        let c = counts[reason.ordinal]
        return c == 0 ? nil : c
    }

    /// For `counters[reason, default: 0] &+= 1`.
    @inlinable
    public subscript(reason: DropReason, default _: UInt64) -> UInt64 {
        get { counts[reason.ordinal] }
        set { counts[reason.ordinal] = newValue }
    }

    /// The counts of the reasons counted, in `allCases` order.
    public var values: [UInt64] { counts.filter { $0 > 0 } }
}
