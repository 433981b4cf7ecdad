import Engine
import Wire

/// What a queue discipline needs to know about a packet: its size, when it arrived, and the
/// header fields classifiers and flow hashing read. The frame bytes stay with the fabric,
/// named by `handle`.
public struct QueuedPacket: Sendable {
    /// The fabric's frame buffer handle; the queue never looks inside.
    public var handle: UInt32
    /// Bytes on the wire (the whole Layer 2 frame), as IOS counts for byte-count and rates.
    public var length: Int32
    /// Time the packet entered the output queue (for queueing delay).
    public var enqueuedAt: SimTime
    /// Header fields for classification and flow identification.
    public var key: PacketKey

    @inlinable
    public init(handle: UInt32, length: Int32, enqueuedAt: SimTime, key: PacketKey) {
        self.handle = handle
        self.length = length
        self.enqueuedAt = enqueuedAt
        self.key = key
    }
}

/// Header fields read once by the fabric when a packet is queued.
public struct PacketKey: Hashable, Sendable {
    /// False for non-IPv4 frames (ARP, keepalives); the IP fields are then zero.
    public var isIPv4: Bool
    public var source: IPv4Address
    public var destination: IPv4Address
    /// IP protocol number (1 ICMP, 6 TCP, 17 UDP, 89 OSPF, 103 PIM, 2 IGMP).
    public var ipProtocol: UInt8
    /// The whole ToS byte: DSCP in the upper six bits, precedence in the upper three.
    public var tos: UInt8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// The port the packet came in on (`PacketKey.locallyOriginated` for the router's own).
    public var inputInterface: UInt32

    public static let locallyOriginated: UInt32 = .max

    @inlinable
    public init(isIPv4: Bool = true, source: IPv4Address = .any, destination: IPv4Address = .any, ipProtocol: UInt8 = 0,
                tos: UInt8 = 0, sourcePort: UInt16 = 0, destinationPort: UInt16 = 0,
                inputInterface: UInt32 = PacketKey.locallyOriginated) {
        self.isIPv4 = isIPv4
        self.source = source
        self.destination = destination
        self.ipProtocol = ipProtocol
        self.tos = tos
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.inputInterface = inputInterface
    }

    @inlinable public var precedence: UInt8 { tos >> 5 }
    @inlinable public var dscp: UInt8 { tos >> 2 }
}

/// The result of offering a packet to a queue.
public enum EnqueueOutcome: Equatable, Sendable {
    /// The packet is queued.
    case queued
    /// The offered packet was dropped.
    case dropped(DropReason)
    /// The offered packet was queued, but an already queued one — the frame handle given — was
    /// discarded to make room (WFQ's congestive discard of the packet with the highest sequence
    /// number); the fabric must release that frame. Only the handle travels, so an outcome fits
    /// in registers on the per-packet path.
    case queuedDisplacing(victimHandle: UInt32, DropReason)

    public static func == (a: EnqueueOutcome, b: EnqueueOutcome) -> Bool {
        switch (a, b) {
        case (.queued, .queued): return true
        case let (.dropped(x), .dropped(y)): return x == y
        case let (.queuedDisplacing(p, x), .queuedDisplacing(q, y)): return p == q && x == y
        default: return false
        }
    }
}
