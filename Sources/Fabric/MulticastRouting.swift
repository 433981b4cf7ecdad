import Engine
import Wire

/// The flags of a multicast route as `show ip mroute` prints them (ios-behavior.md §8.2), in IOS's order.
public struct MulticastRouteFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// S: sparse mode.
    public static let sparse = MulticastRouteFlags(rawValue: 1 << 0)
    /// J: join SPT — on (*,G) the next (S,G) packet triggers an (S,G) join (threshold 0: always on a last hop);
    /// on (S,G) the entry was created by that switchover.
    public static let joinSPT = MulticastRouteFlags(rawValue: 1 << 1)
    /// C: a directly attached member (IGMP).
    public static let connected = MulticastRouteFlags(rawValue: 1 << 2)
    /// P: pruned — the outgoing interface list is empty.
    public static let pruned = MulticastRouteFlags(rawValue: 1 << 3)
    /// L: the router itself joined the group (`ip igmp join-group`).
    public static let local = MulticastRouteFlags(rawValue: 1 << 4)
    /// R: RP-bit — (S,G,rpt) prune state on the shared tree.
    public static let rpBit = MulticastRouteFlags(rawValue: 1 << 5)
    /// F: register flag — this router registers a directly connected source.
    public static let register = MulticastRouteFlags(rawValue: 1 << 6)
    /// T: SPT-bit — packets have arrived on the shortest-path tree.
    public static let sptBit = MulticastRouteFlags(rawValue: 1 << 7)

    /// The letters in the order IOS prints them (`SJCL`, `SJPL`, `PFT`, `JT`, `PR`).
    public var letters: String {
        let table: [(MulticastRouteFlags, Character)] = [
            (.sparse, "S"), (.joinSPT, "J"), (.connected, "C"), (.pruned, "P"), (.local, "L"),
            (.rpBit, "R"), (.register, "F"), (.sptBit, "T"),
        ]
        return String(table.compactMap { contains($0.0) ? $0.1 : nil })
    }
}

/// One (*,G) or (S,G) entry of a router's multicast forwarding table (RFC 7761 §4.1's tree state, as the data
/// plane needs it). The control plane (PIM) writes everything but the counters; forwarding reads it.
public struct MulticastRoute: Sendable {
    /// The source; 0.0.0.0 for a (*,G) entry.
    public var source: IPv4Address
    public var group: IPv4Address
    /// The RPF interface: data is accepted only here (toward the source for (S,G), toward the RP for (*,G)).
    /// Nil: no interface (the RP's own (*,G), "Incoming interface: Null").
    public var incoming: Int?
    /// A second interface data is accepted on: an (S,G) entry without the SPT bit still takes the source's
    /// packets from the shared tree (RFC 7761 §4.2, the (*,G) RPF interface) until the SPT delivers.
    public var alsoAccepted: Int?
    /// The upstream neighbor (0.0.0.0 when the source or RP is directly connected or the router is the RP).
    public var rpfNeighbor: IPv4Address
    /// The RP of the group (for `show ip mroute`'s "RP 150.1.5.5" on (*,G)).
    public var rp: IPv4Address
    /// Interfaces a packet accepted here is copied to, ascending; the arrival interface is always skipped.
    public var outgoing: [Int]
    /// What `show ip mroute` prints per outgoing interface (forwarding reads only `outgoing`). PIM keeps one
    /// per interface of `outgoing`, plus pruned ones it still shows (`Prune/Sparse`).
    public var outgoingStates: [OutgoingInterfaceState] = []
    public var flags: MulticastRouteFlags
    public var created: SimTime
    /// When the entry itself expires (nil: "stopped", as IOS prints for (*,G) with receivers).
    public var expires: SimTime?
    /// While set, every packet accepted on `incoming` is reported to the control plane as `.arrival`
    /// (PIM clears it once it has acted: set T, prune from the shared tree, reset the keepalive).
    public var signalArrivals: Bool
    /// While set (the F flag and no Register-Stop in force), every accepted packet is also handed to the
    /// control plane as `.register` with its bytes, to encapsulate toward the RP (RFC 7761 §4.4.1).
    public var registering: Bool
    /// A (*,G) entry with this set reports a packet from a source that has no (S,G) entry as `.newSource`
    /// (the last-hop router's switch to the SPT, and each router's (S,G) cache entries as IOS keeps them).
    public var signalNewSources: Bool

    // Counters, written by the data plane only.
    public var packets: UInt64 = 0
    public var bytes: UInt64 = 0
    /// Packets that arrived on another interface than `incoming`/`alsoAccepted` (show ip mroute count's "RPF failed").
    public var rpfFailures: UInt64 = 0
    /// Accepted packets not forwarded for another reason (TTL at or below a threshold, no outgoing interface).
    public var otherDrops: UInt64 = 0
    public var lastPacket: SimTime?

    public init(source: IPv4Address, group: IPv4Address, incoming: Int?, rpfNeighbor: IPv4Address = .any,
                rp: IPv4Address = .any, outgoing: [Int] = [], flags: MulticastRouteFlags = .sparse, created: SimTime,
                expires: SimTime? = nil) {
        self.source = source
        self.group = group
        self.incoming = incoming
        self.alsoAccepted = nil
        self.rpfNeighbor = rpfNeighbor
        self.rp = rp
        self.outgoing = outgoing
        self.flags = flags
        self.created = created
        self.expires = expires
        self.signalArrivals = false
        self.registering = false
        self.signalNewSources = false
    }

    public var isWildcard: Bool { source == .any }
}

/// An outgoing interface of an entry as `show ip mroute` lists it: `Ethernet1/1, Forward/Sparse, 00:00:48/00:02:41`.
public struct OutgoingInterfaceState: Hashable, Sendable {
    public var interface: Int
    public var forwarding: Bool
    public var uptime: SimTime
    /// Nil: prints `00:00:00` (IOS shows it for an interface that does not expire by itself); otherwise the
    /// expiry of the join or of the IGMP membership.
    public var expires: SimTime?
    /// Outgoing-interface flag A: this router won the assert on the interface.
    public var assertWinner: Bool
    public init(interface: Int, forwarding: Bool = true, uptime: SimTime, expires: SimTime?, assertWinner: Bool = false) {
        self.interface = interface
        self.forwarding = forwarding
        self.uptime = uptime
        self.expires = expires
        self.assertWinner = assertWinner
    }
}

/// The key of an entry: source (0 for (*,G)) and group.
public struct MulticastRouteKey: Hashable, Comparable, Sendable {
    public var source: IPv4Address
    public var group: IPv4Address
    public init(source: IPv4Address, group: IPv4Address) {
        self.source = source
        self.group = group
    }
    /// `show ip mroute` order: by group, the (*,G) first, then sources ascending.
    public static func < (a: MulticastRouteKey, b: MulticastRouteKey) -> Bool {
        (a.group, a.source) < (b.group, b.source)
    }
}

/// What the data plane hands to the control plane (the node's protocols, `multicastData`).
public struct MulticastDataEvent {
    public enum Kind: Sendable {
        /// No (S,G) and no (*,G) entry for a packet to a group (PIM: a directly connected source's DR
        /// creates (S,G) with F and registers; otherwise the packet is dropped). `frame` holds the packet.
        case noEntry
        /// A packet came in on the entry's `incoming` interface while `signalArrivals` was set.
        case arrival
        /// An (*,G) with `signalNewSources` accepted a packet from a source with no (S,G) entry.
        case newSource
        /// The packet failed the RPF check (it arrived on another interface than the entry accepts) and was
        /// dropped. PIM asserts when it arrived on one of the entry's outgoing interfaces (RFC 7761 §4.6).
        case wrongInterface
        /// An accepted packet of an entry with `registering` set: `frame` holds it, to encapsulate.
        case register
    }
    public var kind: Kind
    public var source: IPv4Address
    public var group: IPv4Address
    /// The interface it arrived on (a loopback's for a packet the router originates from that address).
    public var interface: Int
    /// The packet (Ethernet frame; IPv4 header at `ipOffset`), valid only during the callback: read it with
    /// `ControlPlaneContext.packetBytes(of:)`.
    public var frame: FrameHandle
    public var ipOffset: Int

    public init(kind: Kind, source: IPv4Address, group: IPv4Address, interface: Int, frame: FrameHandle, ipOffset: Int) {
        self.kind = kind
        self.source = source
        self.group = group
        self.interface = interface
        self.frame = frame
        self.ipOffset = ipOffset
    }
}

/// A router's multicast forwarding table: (*,G) and (S,G) entries (DESIGN "The multicast data plane").
/// Control-plane writes allocate; the forwarding path finds an entry by hashing its key and updates its
/// counters in place.
public struct MulticastForwardingTable: Sendable {
    public internal(set) var entries: [MulticastRouteKey: MulticastRoute] = [:]
    /// `ip multicast ttl-threshold` per logical interface (0: none); a packet leaves an interface only when
    /// its TTL after decrement is above the threshold.
    public internal(set) var ttlThresholds: [Int] = []

    public init() {}

    public subscript(source: IPv4Address, group: IPv4Address) -> MulticastRoute? {
        entries[MulticastRouteKey(source: source, group: group)]
    }

    /// The entries in `show ip mroute` order.
    public var sorted: [MulticastRoute] { entries.keys.sorted().map { entries[$0]! } }
}

extension IPNode {
    /// `ip multicast-routing`: the router forwards multicast (set by the multicast modules' configuration).
    public var multicastRoutingEnabled: Bool {
        get { multicastRouting }
        set {
            multicastRouting = newValue
            if !newValue { multicastTable = MulticastForwardingTable() }
            refreshMulticastFilter()
        }
    }

    /// The router's multicast forwarding table (empty on hosts and without `ip multicast-routing`).
    public var multicastRoutes: MulticastForwardingTable { multicastTable }

    /// Creates or updates an entry; counters of an existing entry are kept whatever `body` does to them.
    public func updateMulticastRoute(source: IPv4Address, group: IPv4Address, create: () -> MulticastRoute,
                                     _ body: (inout MulticastRoute) -> Void) {
        let key = MulticastRouteKey(source: source, group: group)
        var route = multicastTable.entries[key] ?? create()
        let counters = (route.packets, route.bytes, route.rpfFailures, route.otherDrops, route.lastPacket)
        body(&route)
        (route.packets, route.bytes, route.rpfFailures, route.otherDrops, route.lastPacket) = counters
        route.source = source
        route.group = group
        route.outgoing.sort()
        multicastTable.entries[key] = route
    }

    public func removeMulticastRoute(source: IPv4Address, group: IPv4Address) {
        multicastTable.entries[MulticastRouteKey(source: source, group: group)] = nil
    }

    /// `clear ip mroute *` / counters: `clear ip mroute counters` would zero them (not yet offered).
    public func removeAllMulticastRoutes() { multicastTable.entries = [:] }

    public func setMulticastTTLThreshold(_ threshold: Int, on interface: Int) {
        while multicastTable.ttlThresholds.count <= interface { multicastTable.ttlThresholds.append(0) }
        multicastTable.ttlThresholds[interface] = threshold
    }
}
