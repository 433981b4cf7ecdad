import Engine
import Wire

/// What the interface state machine asks its owner to do (RFC 2328 §9.3–§9.5, §12.4). Deadlines are absolute.
public enum InterfaceAction: Hashable, Sendable {
    /// Send a hello to `destination` (AllSPFRouters on broadcast and point-to-point networks).
    case sendHello(OSPFHello, destination: IPv4Address)
    case startHelloTimer(at: SimTime)
    case stopHelloTimer
    case startWaitTimer(at: SimTime)
    case stopWaitTimer
    /// An event the owner should run on one neighbor, with `OSPFInterface.handle(_:neighbor:now:actions:)`.
    case neighborEvent(NeighborEvent, neighborID: IPv4Address)
    /// An action of a neighbor's machine that the interface ran itself (hello receipt, `handle(_:neighbor:...)`).
    case neighbor(IPv4Address, NeighborAction)
    /// RFC 2328 §12.4: (re)originate our router-LSA for this interface's area.
    case originateRouterLSA
    /// RFC 2328 §12.4: as DR, (re)originate the network-LSA; `flushNetworkLSA` when we stop being DR.
    case originateNetworkLSA
    case flushNetworkLSA
    case stateChanged(from: InterfaceState, to: InterfaceState, event: InterfaceEvent)
    /// A debug line, only produced for the debugs in `OSPFInterface.debugging`.
    case debug(OSPFDebugLine)
}

/// One OSPF interface: the data items of RFC 2328 §9 and its neighbors.
public struct OSPFInterface: Hashable, Sendable {
    /// The name IOS uses in debug lines (`Gi0/0`); `%OSPF-5-ADJCHG` lines take the full name from the owner.
    public var name: String
    public var type: OSPFNetworkType
    public internal(set) var state: InterfaceState = .down
    public var routerID: IPv4Address
    public var areaID: AreaID
    public var address: IPv4Address
    public var mask: IPv4Address
    public var helloInterval: SimDuration
    public var routerDeadInterval: SimDuration
    public var rxmtInterval: SimDuration
    public var infTransDelay: SimDuration
    public var priority: UInt8
    public var cost: UInt16
    public var mtu: UInt16
    /// `ip ospf mtu-ignore`: the MTU of received database descriptions is not checked (RFC 2328 §10.6).
    public var mtuIgnore = false
    /// RFC 2328 §3.6: false in stub areas and NSSAs (the E-bit of our hellos).
    public var externalRoutingCapable: Bool
    /// RFC 3101 §2.3: the area is an NSSA (the N-bit of our hellos).
    public var isNSSA: Bool
    /// Interface addresses of the DR and BDR (0.0.0.0: none), as we declare them in hellos.
    public internal(set) var designatedRouter: IPv4Address = .any
    public internal(set) var backupDesignatedRouter: IPv4Address = .any
    public var neighbors: [OSPFNeighbor] = []
    /// When the Hello Timer was started; it then fires every HelloInterval, so the next hello is derived
    /// from it (`show ip ospf interface`: "Hello due in"). Nil while no hellos are sent.
    public internal(set) var helloTimerStartedAt: SimTime?
    /// The debugs turned on for this interface; no debug text is built for the others.
    public var debugging: OSPFDebugFlags = []

    public init(name: String, type: OSPFNetworkType = .broadcast, routerID: IPv4Address, areaID: AreaID = .backbone,
                address: IPv4Address, mask: IPv4Address,
                helloInterval: SimDuration = OSPFConstants.helloInterval,
                routerDeadInterval: SimDuration = OSPFConstants.routerDeadInterval,
                rxmtInterval: SimDuration = OSPFConstants.rxmtInterval,
                infTransDelay: SimDuration = OSPFConstants.infTransDelay,
                priority: UInt8 = OSPFConstants.routerPriority, cost: UInt16 = 1, mtu: UInt16 = 1500,
                externalRoutingCapable: Bool = true, isNSSA: Bool = false) {
        self.name = name
        self.type = type
        self.routerID = routerID
        self.areaID = areaID
        self.address = address
        self.mask = mask
        self.helloInterval = helloInterval
        self.routerDeadInterval = routerDeadInterval
        self.rxmtInterval = rxmtInterval
        self.infTransDelay = infTransDelay
        self.priority = priority
        self.cost = cost
        self.mtu = mtu
        self.externalRoutingCapable = externalRoutingCapable
        self.isNSSA = isNSSA
    }

    /// The options we send (RFC 2328 A.2, RFC 3101 §2.3): E outside stub areas and NSSAs, N in an NSSA.
    public var options: OSPFOptions {
        var options: OSPFOptions = []
        if externalRoutingCapable { options.insert(.e) }
        if isNSSA { options.insert(.np) }
        return options
    }

    /// The snapshot of this interface a neighbor's machine works with.
    public var neighborLink: NeighborLink {
        NeighborLink(networkType: type, routerID: routerID, interfaceAddress: address,
                     designatedRouter: designatedRouter, backupDesignatedRouter: backupDesignatedRouter,
                     options: options, interfaceMTU: mtu, mtuIgnore: mtuIgnore, rxmtInterval: rxmtInterval,
                     routerDeadInterval: routerDeadInterval, externalRoutingCapable: externalRoutingCapable,
                     interfaceName: name, debugging: debugging)
    }

    /// The hello this interface sends now (RFC 2328 §9.5, A.3.2): the neighbors listed are those heard from
    /// within RouterDeadInterval, i.e. in state Init or above.
    public var hello: OSPFHello {
        OSPFHello(networkMask: type == .virtualLink ? .any : mask,
                  helloInterval: UInt16(clamping: helloInterval.nanoseconds / 1_000_000_000),
                  options: options, routerPriority: priority,
                  routerDeadInterval: UInt32(clamping: routerDeadInterval.nanoseconds / 1_000_000_000),
                  designatedRouter: designatedRouter, backupDesignatedRouter: backupDesignatedRouter,
                  neighbors: neighbors.filter { $0.state >= .initState }.map(\.neighborID))
    }

    func debug(_ category: OSPFDebugFlags, _ text: @autoclosure () -> String, actions: inout [InterfaceAction]) {
        guard !debugging.isDisjoint(with: category) else { return }
        actions.append(.debug(OSPFDebugLine(category, interfaceName: name, text: text())))
    }

    /// The Hello Timer fired (RFC 2328 §9.5): send a hello and arm the timer again.
    public func helloTimerFired(now: SimTime, actions: inout [InterfaceAction]) {
        guard state != .down, state != .loopback else { return }
        let hello = self.hello
        debug([.events, .hello], "Send hello to \(type == .nbma ? "neighbors" : OSPFPacket.allSPFRouters.description) "
            + "area \(areaID) on \(name) from \(address)", actions: &actions)
        if type == .nbma {
            for destination in nbmaHelloDestinations { actions.append(.sendHello(hello, destination: destination)) }
        } else {
            actions.append(.sendHello(hello, destination: OSPFPacket.allSPFRouters))
        }
        actions.append(.startHelloTimer(at: now + helloInterval))
    }

    /// RFC 2328 §9.5.1: on NBMA, an eligible router greets the eligible neighbors (all of them as DR or BDR);
    /// an ineligible one greets only DR and BDR. Neighbors still Down would be polled every PollInterval,
    /// which is not modelled: the owner's `neighbor` configuration starts them (Start, Attempt) instead.
    var nbmaHelloDestinations: [IPv4Address] {
        neighbors.filter { n in
            guard n.state != .down else { return false }
            if state == .dr || state == .backup { return true }
            if priority > 0 { return n.priority > 0 }
            return n.address == designatedRouter || n.address == backupDesignatedRouter
        }.map(\.address)
    }

    /// Runs one neighbor's machine (an event from `.neighborEvent`, a timer, an LSU); a change in the set of
    /// bidirectional neighbors raises NeighborChange on the interface (RFC 2328 §9.2).
    public mutating func handle(_ event: NeighborEvent, neighbor neighborID: IPv4Address, now: SimTime,
                                actions: inout [InterfaceAction]) {
        updateNeighbor(neighborID, now: now, actions: &actions) { n, link, out in
            n.handle(event, link: link, now: now, actions: &out)
        }
    }

    /// Receiving a database description from a neighbor (RFC 2328 §10.6); nil if accepted, or why not.
    /// A packet from a router we have no neighbor for is dropped, as `.neighborNotReady(.down)`.
    public mutating func receiveDatabaseDescription(_ dd: OSPFDatabaseDescription, from neighborID: IPv4Address,
                                                    lsdb: DatabaseExchangeLSDB, now: SimTime,
                                                    actions: inout [InterfaceAction]) -> DatabaseDescriptionDrop? {
        let drop = updateNeighbor(neighborID, now: now, actions: &actions) { n, link, out in
            n.receiveDatabaseDescription(dd, link: link, lsdb: lsdb, now: now, actions: &out)
        }
        return drop ?? .neighborNotReady(.down)
    }

    /// Runs `body` on one neighbor with this interface's link snapshot and wraps what it asks for; a change in
    /// the set of bidirectional neighbors raises NeighborChange on the interface (RFC 2328 §9.2).
    /// Returns nil if there is no such neighbor.
    @discardableResult
    public mutating func updateNeighbor<Result>(
        _ neighborID: IPv4Address, now: SimTime, actions: inout [InterfaceAction],
        _ body: (inout OSPFNeighbor, NeighborLink, inout [NeighborAction]) -> Result
    ) -> Result? {
        guard let index = neighbors.firstIndex(where: { $0.neighborID == neighborID }) else { return nil }
        return updateNeighbor(at: index, now: now, actions: &actions, body)
    }

    mutating func updateNeighbor<Result>(
        at index: Int, now: SimTime, actions: inout [InterfaceAction],
        _ body: (inout OSPFNeighbor, NeighborLink, inout [NeighborAction]) -> Result
    ) -> Result {
        var neighborActions: [NeighborAction] = []
        let wasBidirectional = neighbors[index].isBidirectional
        let result = body(&neighbors[index], neighborLink, &neighborActions)
        let id = neighbors[index].neighborID
        actions.append(contentsOf: neighborActions.map { .neighbor(id, $0) })
        if neighbors[index].isBidirectional != wasBidirectional {
            handle(.neighborChange, now: now, actions: &actions)
        }
        return result
    }

    mutating func runNeighbor(at index: Int, _ event: NeighborEvent, now: SimTime, actions: inout [InterfaceAction]) {
        updateNeighbor(at: index, now: now, actions: &actions) { n, link, out in
            n.handle(event, link: link, now: now, actions: &out)
        }
    }
}
