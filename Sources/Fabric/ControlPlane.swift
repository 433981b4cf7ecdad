import Engine
import Wire

/// A control-plane protocol running on a router or host (OSPFv2, IGMP, PIM-SM to come): it receives
/// the datagrams of its IP protocol number and its own timers, and acts only through
/// `ControlPlaneContext` — send a datagram, arm a timer, offer routes, read the routing table.
public protocol ControlPlaneProtocol: AnyObject {
    /// The IP protocol number whose datagrams addressed to the node (unicast, or multicast in
    /// 224.0.0.0/24) are delivered here: 89 OSPF, 2 IGMP, 103 PIM.
    var ipProtocol: IPProtocol { get }
    /// The node came up (called once, from the event loop at the start of the run).
    func start(_ context: ControlPlaneContext)
    /// A datagram for this protocol arrived.
    func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext)
    /// A timer armed with `context.arm(token:at:)` fired (stale generations are filtered out).
    func timerFired(token: UInt32, _ context: ControlPlaneContext)
    /// An interface's line protocol went up or down.
    func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext)
    /// Selected routes of the node changed (any owner's, this protocol's own included), one change per prefix.
    func routesChanged(_ changes: [RouteChange], _ context: ControlPlaneContext)
    /// The link-local groups the protocol listens to on `interface` (RFC 2328 A.1: OSPF's AllSPFRouters and
    /// AllDRouters); the node's MAC filter and local delivery take them. The default follows `ipProtocol`.
    func multicastGroups(on interface: Int) -> [IPv4Address]
    /// Whether the protocol needs every multicast frame on `interface` (a querier hears reports sent to
    /// any group, RFC 2236 §3). Data to groups nobody joined is still not delivered above IP.
    func receivesAllMulticast(on interface: Int) -> Bool
    /// The node joined or left a host group on an interface (RFC 1112 §7.2; IGMP reports it).
    func membershipChanged(_ group: IPv4Address, interface: Int, joined: Bool, _ context: ControlPlaneContext)
    /// Multicast forwarding handed a packet up (no entry, an arrival the entry asked to hear of, an RPF
    /// failure, a packet to register); see `MulticastDataEvent`. Only on routers with multicast routing.
    func multicastData(_ event: MulticastDataEvent, _ context: ControlPlaneContext)
}

extension ControlPlaneProtocol {
    public func routesChanged(_ changes: [RouteChange], _ context: ControlPlaneContext) {}

    public func multicastGroups(on interface: Int) -> [IPv4Address] {
        switch ipProtocol {
        case .ospf: [IPv4Address(224, 0, 0, 5), IPv4Address(224, 0, 0, 6)]  // RFC 2328 A.1
        case .pim: [IPv4Address(224, 0, 0, 13)]  // RFC 7761 §4.3.1 ALL-PIM-ROUTERS
        case .igmp: [IGMPMessage.allRouters, IGMPMessage.allIGMPv3Routers]  // RFC 2236 §3, RFC 3376 §4.2.14
        default: []
        }
    }

    public func receivesAllMulticast(on interface: Int) -> Bool { false }

    public func membershipChanged(_ group: IPv4Address, interface: Int, joined: Bool, _ context: ControlPlaneContext) {}

    public func multicastData(_ event: MulticastDataEvent, _ context: ControlPlaneContext) {}
}

/// A datagram handed to a control-plane protocol.
public struct ReceivedDatagram: Sendable {
    public var header: IPv4Header
    /// The IP payload (the protocol's own packet).
    public var payload: [UInt8]
    /// The logical interface it arrived on.
    public var interface: Int
}

/// What a protocol may do on the node it runs on. Valid only during the callback it was passed to.
public struct ControlPlaneContext {
    public let node: IPNode
    public let network: Network
    let protocolIndex: Int

    public var now: SimTime { network.now }
    public var interfaces: [IPInterface] { node.interfaces }
    public func isUp(_ interface: Int) -> Bool { node.isUp(interface, network: network) }

    /// Sends `payload` as a datagram of the protocol. With `interface`, it leaves by that interface
    /// (multicast to 224.0.0.x maps to its RFC 1112 MAC; unicast resolves by ARP on it); without, it
    /// is routed. `source` sets the source address (a PIM Register from the DR's address on the source's LAN, a
    /// Register-Stop from the RP address); by default the outgoing interface's. Returns false when it cannot be sent.
    @discardableResult
    public func send(_ payload: [UInt8], to destination: IPv4Address, on interface: Int? = nil, ttl: UInt8 = 1, tos: UInt8 = 0xC0,
                     options: [IPv4Option] = [], source: IPv4Address? = nil) -> Bool {
        let proto = node.protocols[protocolIndex].ipProtocol
        return node.sendDatagram(.raw(proto, payload), to: destination, from: source, tos: tos, ttl: ttl, options: options,
                                 via: interface, network: network)
    }

    /// Arms one of the protocol's timers; re-arming with the same token replaces the earlier one.
    public func arm(token: UInt32, at time: SimTime) { node.armProtocolTimer(protocolIndex, token: token, at: time, network: network) }

    /// Cancels a timer armed with `token`.
    public func cancel(token: UInt32) { node.cancelProtocolTimer(protocolIndex, token: token) }

    /// Replaces every route this protocol offers (administrative distance decides against others).
    /// Only prefixes whose selection changes are touched; every protocol on the node hears of them.
    public func offerRoutes(_ routes: [Route], as source: RouteSource) {
        let changes = node.routes.replace(source, with: routes, now: network.now)
        network.routingChanged(at: node.id)
        node.notifyRouteChanges(changes, network: network)
    }

    /// The node's multicast filter changed (the protocol's groups or its need for all multicast did): rebuild it.
    public func multicastListeningChanged() { node.refreshMulticastFilter() }

    /// The bytes of the packet a multicast data event carries, from its IPv4 header to the end of the datagram.
    public func packetBytes(of event: MulticastDataEvent) -> [UInt8] {
        network.frames.withBytes(event.frame) { bytes in
            let start = event.ipOffset, end = bytes.count
            guard start + 4 <= end else { return [] }
            let total = Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
            return Array(bytes[start..<min(end, start + total)])
        }
    }

    /// Sends a whole IPv4 multicast datagram (a Register's inner packet, decapsulated at the RP) down the tree
    /// of entry `key`: a copy to each of its outgoing interfaces with TTL decremented, no RPF check, counted
    /// on the entry; `outgoing` replaces the entry's list (the RP sends down olist(S,G,rpt), RFC 7761 §4.4.2).
    /// False when the entry does not exist or `datagram` is not an IPv4 packet to its group.
    @discardableResult
    public func forwardMulticast(_ datagram: [UInt8], along key: MulticastRouteKey, outgoing: [Int]? = nil) -> Bool {
        node.forwardDecapsulated(datagram, along: key, outgoing: outgoing, network: network)
    }

    /// Longest-prefix match in the node's routing table (for RPF checks and next hops).
    public func lookup(_ destination: IPv4Address) -> Route? { node.routes.lookup(destination) }
}

extension IPNode {
    /// Runs a control-plane protocol on this node; it starts at the current time, from the event loop.
    public func attach(_ proto: ControlPlaneProtocol, network: Network) {
        protocols.append(proto)
        refreshMulticastFilter()
        _ = armTimer(.protocolStart(protocols.count - 1), at: network.now, network: network)
    }

    /// Runs `body` with the context of an attached protocol, so a module can hand it a configuration
    /// change to act on now (re-originate, re-elect) instead of restarting it. Nil when it is not attached.
    public func withContext<R>(of proto: ControlPlaneProtocol, network: Network, _ body: (ControlPlaneContext) -> R) -> R? {
        guard let index = protocols.firstIndex(where: { $0 === proto }) else { return nil }
        return body(context(index, network))
    }

    /// Stops a protocol (its configuration was removed): its timers are cancelled and it hears nothing more.
    /// Its slot stays taken, so the other protocols' timers keep their indices.
    public func detach(_ proto: ControlPlaneProtocol) {
        guard let index = protocols.firstIndex(where: { $0 === proto }) else { return }
        for key in protocolTimers.keys.sorted() where key >> 32 == UInt64(index) {
            if let timer = protocolTimers.removeValue(forKey: key) { cancelTimer(timer) }
        }
        protocols[index] = DetachedProtocol()
        refreshMulticastFilter()
    }

    func context(_ index: Int, _ network: Network) -> ControlPlaneContext {
        ControlPlaneContext(node: self, network: network, protocolIndex: index)
    }

    func armProtocolTimer(_ index: Int, token: UInt32, at time: SimTime, network: Network) {
        let key = UInt64(index) << 32 | UInt64(token)
        if let old = protocolTimers[key] { cancelTimer(old) }
        protocolTimers[key] = armTimer(.protocolTimer(index, token), at: time, network: network)
    }

    func cancelProtocolTimer(_ index: Int, token: UInt32) {
        let key = UInt64(index) << 32 | UInt64(token)
        if let old = protocolTimers.removeValue(forKey: key) { cancelTimer(old) }
    }

    /// Hands a datagram to every protocol that owns its IP protocol number (two OSPF processes on one router
    /// both hear it; each keeps what arrived on its own interfaces); false when none does.
    func deliverToProtocol(_ frame: FrameHandle, payloadStart: Int, header ip: IPv4Header, interface: Int, network: Network) -> Bool {
        guard protocols.contains(where: { $0.ipProtocol == ip.protocolNumber }) else { return false }
        let payload = network.frames.withBytes(frame) { Array($0[payloadStart..<(payloadStart + ip.payloadLength)]) }
        network.frames.release(frame)
        let datagram = ReceivedDatagram(header: ip, payload: payload, interface: interface)
        for index in protocols.indices where index < protocols.count && protocols[index].ipProtocol == ip.protocolNumber {
            protocols[index].receive(datagram, context(index, network))
        }
        return true
    }
}

/// What a detached protocol's slot holds: it owns no protocol number (255 is reserved, RFC 5237) and does nothing.
final class DetachedProtocol: ControlPlaneProtocol {
    var ipProtocol: IPProtocol { IPProtocol(rawValue: 255) }
    func multicastGroups(on interface: Int) -> [IPv4Address] { [] }
    func start(_ context: ControlPlaneContext) {}
    func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext) {}
    func timerFired(token: UInt32, _ context: ControlPlaneContext) {}
    func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext) {}
}
