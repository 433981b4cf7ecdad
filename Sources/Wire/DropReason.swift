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
    case faultInjected = "fault-injected"

    public var description: String { rawValue }
}
