import Engine
import QoS
import Wire

/// A logical IPv4 interface of a router or host: a physical port, a dot1Q subinterface of one, or a loopback.
public struct IPInterface: Sendable {
    public var name: String
    /// The physical port; nil for loopbacks.
    public var port: PortID?
    /// The 802.1Q VLAN of a subinterface (nil: untagged).
    public var vlan: UInt16?
    public var addresses: [InterfaceAddress]
    /// `shutdown` on this interface (for a physical interface the port's admin state is the same).
    public var adminDown: Bool
    /// The MAC frames must be addressed to (an NLB unicast member's is the cluster MAC 02-BF-…).
    public var mac: MACAddress
    public var arpTimeout: SimDuration
    public var description: String?
    /// The Ethernet source of frames sent (an NLB unicast member masks it as 02-hh-…, ios-behavior §10.2).
    public var sourceMAC: MACAddress = .zero
    /// Destination MACs taken besides `mac`, broadcast and joined groups (NLB multicast mode's 03-BF-…).
    public var acceptedMACs: [MACAddress] = []
    /// The interface is a Windows NLB member: the cluster IP, mode, priority and members.
    public var nlb: NLBSettings?

    public var primary: InterfaceAddress? { addresses.first }
}

/// An ARP cache entry (RFC 826), IOS style.
public struct ARPEntry: Sendable {
    public enum State: Sendable { case incomplete, dynamic, staticEntry }
    public var address: IPv4Address
    public var mac: MACAddress?
    public var interface: Int
    public var state: State
    public var updated: SimTime
    /// Requests sent while incomplete, or refresh requests sent since the entry's timeout (routers).
    var attempts = 0
    /// Frames waiting for the resolution, with the logical interface they leave by.
    var pending: [FrameHandle] = []
    var timer: TimerID?
}

/// One adjacency cache slot.
struct Adjacency {
    var destination: UInt32 = 0
    var generation: UInt32 = 0
    var interface: Int32 = -1
    var mac: MACAddress = .zero
    var expires: SimTime = .zero
}

/// What a timer of an IP node is for.
enum IPNodeTimer: Sendable {
    case arpRetry(IPv4Address)
    case arpRefresh(IPv4Address)
    case pingTimeout(Int)
    case tracerouteTimeout(Int)
    case gratuitousARP(Int)
    case protocolStart(Int)
    case protocolTimer(Int, UInt32)
    case free
}

/// A router or a host: IPv4 interfaces, routing, ARP, ICMP, and the endpoints of traffic flows.
public final class IPNode {
    public let id: NodeID
    public internal(set) var settings: IPNodeSettings
    public let isRouter: Bool
    public var name: String { settings.hostname }
    public internal(set) var interfaces: [IPInterface] = [] {
        didSet {
            adjacencyGeneration &+= 1
            ownedAddresses = interfaces.filter { !$0.adminDown }.flatMap { $0.addresses.map(\.address.rawValue) }
            // An NLB cluster IP is local too; `nlbAddresses` lets the data path filter it (none on most nodes).
            nlbAddresses = interfaces.filter { !$0.adminDown }.compactMap { $0.nlb?.clusterAddress.rawValue }
            ownedAddresses += nlbAddresses.filter { !ownedAddresses.contains($0) }
            directedBroadcasts = interfaces.enumerated().flatMap { index, i in
                i.addresses.filter { $0.prefix.length < 31 }.map { UInt64(index) << 32 | UInt64($0.prefix.broadcast.rawValue) }
            }
            refreshMulticastFilter()
        }
    }
    /// Host groups joined, by interface name (so they outlive a rebuild of the interface list), each ascending.
    var memberships: [String: [IPv4Address]] = [:]
    /// Each logical interface's multicast filter, rebuilt by `refreshMulticastFilter()`.
    var multicastFilters: [MulticastFilter] = []
    /// `ip multicast-routing` (see `multicastRoutingEnabled`).
    var multicastRouting = false
    /// (*,G) and (S,G) entries the control plane writes and multicast forwarding reads.
    var multicastTable = MulticastForwardingTable()
    /// The host groups the node joined on any interface, ascending (the L flag: a routed copy is delivered here).
    var localGroups: [UInt32] = []
    /// Logical interface by (port, VLAN); VLAN 0 means untagged.
    var interfaceByPortVLAN: [UInt64: Int] = [:] {
        didSet {
            // Untagged frames (the common case) find their interface by array index, without hashing.
            let ports = interfaceByPortVLAN.keys.map { UInt32($0 >> 16) }
            portBase = ports.min() ?? 0
            untaggedInterface = [Int32](repeating: -1, count: Int((ports.max() ?? 0) &- portBase) + 1)
            for (key, index) in interfaceByPortVLAN where key & 0xFFFF == 0 {
                untaggedInterface[Int(UInt32(key >> 16) - portBase)] = Int32(index)
            }
        }
    }
    var portBase: UInt32 = 0
    var untaggedInterface: [Int32] = []

    /// The logical interface that takes frames from `port` with this VLAN tag (0: untagged).
    func interface(for port: PortID, vlan: UInt16) -> Int? {
        if vlan == 0 {
            let local = Int(port.rawValue &- portBase)
            guard port.rawValue >= portBase, local < untaggedInterface.count, untaggedInterface[local] >= 0 else { return nil }
            return Int(untaggedInterface[local])
        }
        return interfaceByPortVLAN[UInt64(port.rawValue) << 16 | UInt64(vlan)]
    }
    public internal(set) var routes = RoutingTable() { didSet { adjacencyGeneration &+= 1 } }
    public internal(set) var arpCache: [IPv4Address: ARPEntry] = [:] { didSet { adjacencyGeneration &+= 1 } }
    /// Every address of the node's interfaces that are not shut down.
    var ownedAddresses: [UInt32] = []
    /// The NLB cluster IPs of the node's interfaces (empty unless the node is an NLB member).
    var nlbAddresses: [UInt32] = []
    /// Each interface's directed-broadcast addresses (prefixes shorter than /31), as interface << 32 | address.
    var directedBroadcasts: [UInt64] = []
    /// Destination → egress interface and next-hop MAC, valid for one generation of routing and ARP state.
    /// Direct-mapped by the top bits of a multiplicative hash. One never-valid slot until the node
    /// first forwards (an idle host costs 32 bytes, not 32 KB); then 1,024 slots on a router, 64 on a host.
    var adjacencies = [Adjacency](repeating: Adjacency(), count: 1)
    var adjacencyShift: UInt32 = 0
    var adjacencyMask: UInt32 = 0
    var adjacencyGeneration: UInt32 = 1
    var adjacencyBits: UInt32 { isRouter ? 10 : 6 }

    @inline(__always)
    func adjacencySlot(_ destination: IPv4Address) -> Int {
        Int((destination.rawValue &* 0x9E37_79B1) &>> adjacencyShift & adjacencyMask)
    }
    var timers = TimerTable()
    var timerPurposes: [IPNodeTimer] = []
    var freeTimers: [TimerID] = []
    var identification: UInt16 = 0
    var pings: [PingSession] = []
    var traceroutes: [TracerouteSession] = []
    /// Flows that end here, by flow index (UDP sink).
    var sinkFlows: Set<UInt32> = []
    /// Control-plane protocols running here (OSPF, IGMP, PIM), and their armed timers by (index, token).
    public internal(set) var protocols: [ControlPlaneProtocol] = []
    var protocolTimers: [UInt64: TimerID] = [:]
    /// The device's access lists (shared by its queues and policies; hit counters live here).
    public let accessLists = AccessListTable()
    /// `service-policy input` per logical interface.
    public internal(set) var inputPolicies: [InputPolicy?] = []
    /// When this router last sent an ICMP Destination Unreachable (for IOS's rate limit).
    var lastUnreachableSent: SimTime?
    /// IOS `ip icmp rate-limit unreachable` default: at most one unreachable per 500 ms.
    public static let unreachableInterval = SimDuration.milliseconds(500)

    /// IOS ARP defaults: entries live 4 hours; an unanswered request is repeated every second, 5 times
    /// (the retry interval and count are not documented by Cisco; parameters, not RFC rules).
    public static let arpTimeout = SimDuration.seconds(4 * 3600)
    public static let arpRetryInterval = SimDuration.seconds(1)
    public static let arpMaxAttempts = 5
    /// Frames held per incomplete entry while resolution is pending.
    public static let arpHoldLimit = 8

    init(id: NodeID, settings: IPNodeSettings, isRouter: Bool) {
        self.id = id
        self.settings = settings
        self.isRouter = isRouter
    }

    // MARK: - Timers

    func armTimer(_ purpose: IPNodeTimer, at time: SimTime, network: Network) -> TimerID {
        let timer: TimerID
        if let t = freeTimers.popLast() { timer = t; timerPurposes[Int(t.rawValue)] = purpose }
        else { timer = timers.makeTimer(); timerPurposes.append(purpose) }
        let generation = timers.arm(timer, at: time)
        network.schedule(timer: timer, generation: generation, of: id, at: time)
        return timer
    }

    func cancelTimer(_ timer: TimerID) {
        timers.cancel(timer)
        timerPurposes[Int(timer.rawValue)] = .free
        freeTimers.append(timer)
    }

    func timerFired(_ timer: TimerID, generation: UInt32, network: Network) {
        guard timers.expire(timer, generation: generation) else { return }
        let purpose = timerPurposes[Int(timer.rawValue)]
        timerPurposes[Int(timer.rawValue)] = .free
        freeTimers.append(timer)
        switch purpose {
        case let .arpRetry(address): arpRetry(address, network: network)
        case let .arpRefresh(address): arpRefresh(address, network: network)
        case let .pingTimeout(session): pingTimedOut(session, network: network)
        case let .tracerouteTimeout(session): tracerouteTimedOut(session, network: network)
        case let .gratuitousARP(interface): if isUp(interface, network: network) { sendGratuitousARP(on: interface, network: network) }
        case let .protocolStart(index): protocols[index].start(context(index, network))
        case let .protocolTimer(index, token):
            protocolTimers[UInt64(index) << 32 | UInt64(token)] = nil
            protocols[index].timerFired(token: token, context(index, network))
        case .free: break
        }
    }

    // MARK: - Interfaces

    /// Whether a logical interface can send and receive: not shut, and its port's line protocol up.
    @inline(__always)
    public func isUp(_ index: Int, network: Network) -> Bool {
        if interfaces[index].adminDown { return false }
        guard let port = interfaces[index].port else { return true }
        unowned(unsafe) let p = network.ports[port.index]
        return p.lineProtocolUp
    }


    // MARK: - Adjacency cache

    /// Looks `destination` up in the adjacency cache: the egress interface and next-hop MAC, while the
    /// routing and ARP state it was built from is unchanged and the ARP entry has not aged out.
    /// - Complexity: O(1)
    func cachedAdjacency(_ destination: IPv4Address, now: SimTime) -> (Int, MACAddress)? {
        let entry = adjacencies[adjacencySlot(destination)]
        guard entry.generation == adjacencyGeneration, entry.destination == destination.rawValue, now < entry.expires else { return nil }
        return (Int(entry.interface), entry.mac)
    }

    func remember(_ destination: IPv4Address, interface: Int, nextHop: IPv4Address, mac: MACAddress) {
        let expires: SimTime
        switch arpCache[nextHop]?.state {
        case .staticEntry?: expires = .distantFuture
        case .dynamic?: expires = arpCache[nextHop]!.updated + interfaces[arpCache[nextHop]!.interface].arpTimeout
        default: return  // broadcast and multicast mappings are not cached
        }
        if adjacencyMask == 0 {
            adjacencies = [Adjacency](repeating: Adjacency(), count: 1 << Int(adjacencyBits))
            adjacencyShift = 32 - adjacencyBits
            adjacencyMask = (1 << adjacencyBits) - 1
        }
        adjacencies[adjacencySlot(destination)] = Adjacency(destination: destination.rawValue, generation: adjacencyGeneration,
                                                            interface: Int32(interface), mac: mac, expires: expires)
    }

    func interfaceIndex(named name: String) -> Int? { interfaces.firstIndex { $0.name == name } }

    /// Rebuilds connected, local and static routes from the interface state.
    func refreshRoutes(network: Network) {
        var connected: [Route] = []
        var local: [Route] = []
        for (index, i) in interfaces.enumerated() where isUp(index, network: network) {
            for a in i.addresses {
                connected.append(Route(prefix: a.prefix, source: .connected, nextHops: [NextHop(gateway: nil, interface: index)]))
                if a.prefix.length < 32 || isRouter {
                    local.append(Route(prefix: IPv4Prefix(a.address, length: 32), source: .local,
                                       nextHops: [NextHop(gateway: nil, interface: index)]))
                }
            }
        }
        var changes = routes.replace(.connected, with: connected, now: network.now)
        changes += routes.replace(.local, with: isRouter ? local : [], now: network.now)
        var statics: [Route] = []
        var configured = settings.staticRoutes
        if let gateway = settings.defaultGateway {
            configured.append(StaticRoute(prefix: IPv4Prefix(.any, length: 0), nextHop: gateway, interface: nil))
        }
        // The previous statics must not resolve the new ones (a dead next hop would resolve through its own
        // stale route). Statics may resolve through each other, so repeat until no more resolve.
        changes += routes.replace(.staticRoute, with: [], now: network.now)
        while !configured.isEmpty {
            var unresolved: [StaticRoute] = []
            for s in configured {
                var hop = NextHop(gateway: s.nextHop, interface: nil)
                if let name = s.interface {
                    guard let index = interfaceIndex(named: name), isUp(index, network: network) else { continue }
                    hop.interface = index
                } else if let gateway = s.nextHop {
                    // IOS installs a static route only while its next hop resolves (recursively) to an interface.
                    guard let via = resolveInterface(for: gateway, depth: 0, excluding: s.prefix, network: network) else {
                        unresolved.append(s)
                        continue
                    }
                    hop.interface = via
                }
                statics.append(Route(prefix: s.prefix, source: .staticRoute, distance: s.distance, nextHops: [hop]))
            }
            changes += routes.replace(.staticRoute, with: statics, now: network.now)
            if unresolved.count == configured.count { break }
            configured = unresolved
        }
        notifyRouteChanges(changes, network: network)
    }

    /// Tells the node's protocols what changed in the RIB, one change per prefix (the first old route
    /// and the last new one of `changes`; prefixes that came back to where they were are left out).
    func notifyRouteChanges(_ changes: [RouteChange], network: Network) {
        guard !changes.isEmpty, !protocols.isEmpty else { return }
        var net: [IPv4Prefix: RouteChange] = [:]
        for c in changes {
            if var existing = net[c.prefix] { existing.new = c.new; net[c.prefix] = existing } else { net[c.prefix] = c }
        }
        let coalesced = net.values.filter { c in
            switch (c.old, c.new) {
            case (nil, nil): false
            case let (o?, n?): !o.sameOffer(as: n)
            default: true
            }
        }.sorted { $0.prefix < $1.prefix }
        guard !coalesced.isEmpty else { return }
        for index in protocols.indices { protocols[index].routesChanged(coalesced, context(index, network)) }
    }

    /// The egress interface for `address` through the selected routes, never through the route for
    /// `excluded` itself (IOS does not let a static recurse through its own prefix), and only if it is up.
    func resolveInterface(for address: IPv4Address, depth: Int, excluding excluded: IPv4Prefix? = nil,
                          network: Network) -> Int? {
        guard depth < 8, let route = routes.lookup(address), route.prefix != excluded,
              let hop = route.nextHops.first else { return nil }
        if let i = hop.interface { return isUp(i, network: network) ? i : nil }
        if let g = hop.gateway, g != address {
            return resolveInterface(for: g, depth: depth + 1, excluding: excluded, network: network)
        }
        return nil
    }

    func portStateChanged(_ port: PortID, up: Bool, network: Network) {
        if !up {
            // The interface's dynamic ARP entries go with it.
            for (address, entry) in arpCache where entry.state != .staticEntry
                && interfaces[entry.interface].port == port {
                for f in entry.pending { network.drop(f, .interfaceDown) }
                if let t = entry.timer { cancelTimer(t) }
                arpCache[address] = nil
            }
        }
        refreshRoutes(network: network)
        for (index, i) in interfaces.enumerated() where i.port == port {
            for (p, proto) in protocols.enumerated() { proto.interfaceChanged(index, up: up && isUp(index, network: network), context(p, network)) }
        }
        if up {
            for (index, i) in interfaces.enumerated() where i.port == port && isUp(index, network: network) {
                announce(index, network: network)
            }
        }
        network.routingChanged(at: id)
    }

    // MARK: - Receiving

    func receive(_ frame: FrameHandle, on port: PortID, network: Network) {
        let bytes = network.frames.unsafeBytes(frame)
        let header: (MACAddress, EtherType, UInt16, Int)? = {
            guard let d = FrameView.destination(bytes), let t = FrameView.etherType(bytes),
                  let o = FrameView.payloadOffset(bytes) else { return nil }
            return (d, t, FrameView.vlanID(bytes) ?? 0, o)
        }()
        guard let (destination, etherType, vlan, offset) = header else { network.drop(frame, .malformed); return }
        guard let index = interface(for: port, vlan: vlan), !interfaces[index].adminDown else {
            network.ports[port.index].inputDrops &+= 1
            network.drop(frame, .vlanMismatch)
            return
        }
        // RFC 1112 §6.4: an interface takes the multicast MACs of the groups it listens to, not all of them.
        guard destination == interfaces[index].mac || destination.isBroadcast
                || (destination.isMulticast && acceptsMulticastMAC(destination, on: index))
                || (!interfaces[index].acceptedMACs.isEmpty && interfaces[index].acceptedMACs.contains(destination)) else {
            network.drop(frame, .notForUs)
            return
        }
        switch etherType {
        case .arp: receiveARP(frame, offset: offset, interface: index, network: network)
        case .ipv4: receiveIPv4(frame, offset: offset, interface: index, linkDestination: destination, network: network)
        default: network.drop(frame, .notForUs)
        }
    }

    func nextIdentification() -> UInt16 {
        identification &+= 1
        return identification
    }
}

extension Network {
    /// Called when a device's routing table changed; protocol modules hook in here later.
    func routingChanged(at node: NodeID) {}
}
