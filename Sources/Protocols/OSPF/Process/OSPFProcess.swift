import Engine
import Fabric
import Wire

/// One `router ospf N` running on a router: it owns the interface and neighbor machines (kept inside
/// `OSPFFlooding.interfaces`), the flooding procedure and databases, origination of its own LSAs and the
/// routing table calculation, and turns what they ask for into datagrams, timers, routes and syslog lines.
///
/// Every area type runs (RFC 2328 §3.6 stub areas, RFC 3101 NSSAs): summaries, AS-external-LSAs from
/// redistribution and NSSA translation are originated and flooded, SPF and LSA origination are throttled as
/// IOS's `timers throttle spf` / `timers throttle lsa all` do. Departures from IOS, for now: a change of an area's
/// type, the networks, the router ID or an interface's `ip ospf` settings other than the cost restarts the
/// process (`OSPFProcess.changesInPlace` lists what does not); virtual links are not configurable. Area ranges
/// and summary addresses install IOS's Null0 discard routes (`OSPFProcess+DiscardRoutes.swift`).
public final class OSPFProcess: ControlPlaneProtocol {
    public let processID: Int
    public internal(set) var settings: OSPFProcessSettings
    public internal(set) var interfaceSettings: [String: OSPFInterfaceSettings]

    public private(set) var routerID: IPv4Address = .any
    /// The interfaces and their neighbors live here: `flooding.interfaces[i]` is `OSPFInterfaceID(i)`.
    public internal(set) var flooding = OSPFFlooding(routerID: .any)
    /// The node's interface index of each OSPF interface.
    public private(set) var nodeInterfaces: [Int] = []
    /// Full interface names, for syslog lines and `show` output.
    public private(set) var interfaceNames: [String] = []
    var passive: [Bool] = []
    var isLoopback: [Bool] = []
    public internal(set) var routingTable = OSPFRoutingTable(routes: [], borderRouters: [])
    /// The routing table last offered to the RIB and the node interfaces it was offered through.
    var offeredRoutingTable: (table: OSPFRoutingTable, nodeInterfaces: [Int])?
    public private(set) var droppedPackets = 0
    /// Routing table calculations run, and when the last one ran (`show ip ospf`, `border-routers`).
    public internal(set) var spfRuns = 0
    public internal(set) var lastSPFAt: SimTime?

    var neighborSlots: [NeighborKey: UInt32] = [:]
    /// RFC 2328 D.3: the last cryptographic sequence number accepted from each neighbor.
    var cryptographicSequenceNumbers: [NeighborKey: UInt32] = [:]
    var neighborBySlot: [NeighborKey] = []
    var originationPending = false
    /// Our LSAs a neighbor holds a newer instance of (RFC 2328 §13.4): the next instance must outnumber it.
    var forcedReorigination: Set<LSAKey> = []
    var spfArmed = false
    var started = false
    /// Set while origination runs, so a route change it causes does not start a second pass inside it.
    var finishing = false

    /// SPF throttling (IOS `timers throttle spf`): when the last calculation ran and the wait before the next.
    var lastSPF: SimTime?
    var spfHold = SimDuration.zero
    /// LSA throttling (IOS `timers throttle lsa all`): per LSA, when it was last originated and the wait before
    /// the next instance; the earliest time a deferred origination is due.
    var lsaThrottleState: [OSPFFlooding.ScopedKey: LSAThrottleState] = [:]
    var lsaDeferredUntil: SimTime?

    struct LSAThrottleState {
        var last: SimTime
        var interval: SimDuration
    }

    struct NeighborKey: Hashable {
        var interface: Int
        var neighborID: IPv4Address
    }

    enum TimerKind: UInt32 {
        case hello = 1, wait, inactivity, ddRetransmit, lsrRetransmit, floodRetransmit, delayedAck, ageing, spf, refresh
        case lsaThrottle
    }

    public init(processID: Int, settings: OSPFProcessSettings, interfaces: [String: OSPFInterfaceSettings]) {
        self.processID = processID
        self.settings = settings
        self.interfaceSettings = interfaces
    }

    public var ipProtocol: IPProtocol { IPProtocol(rawValue: OSPFPacket.ipProtocol) }

    // MARK: - Tokens

    func token(_ kind: TimerKind, interface: Int = 0, slot: UInt32 = 0) -> UInt32 {
        kind.rawValue << 28 | UInt32(interface & 0xFFF) << 16 | (slot & 0xFFFF)
    }

    func slot(_ interface: Int, _ neighborID: IPv4Address) -> UInt32 {
        let key = NeighborKey(interface: interface, neighborID: neighborID)
        if let s = neighborSlots[key] { return s }
        let s = UInt32(neighborBySlot.count)
        neighborSlots[key] = s
        neighborBySlot.append(key)
        return s
    }

    // MARK: - Start

    public func start(_ context: ControlPlaneContext) {
        guard !started else { return }
        started = true
        routerID = Self.chooseRouterID(settings.routerID, context)
        guard routerID != .any else {
            context.network.log(context.node.id, "%OSPF-4-NORTRID: OSPF process \(processID) failed to allocate unique router-id and cannot start")
            return
        }
        var interfaces: [OSPFInterface] = []
        for (index, nodeInterface) in context.interfaces.enumerated() {
            guard let made = makeInterface(nodeInterface, context) else { continue }
            interfaces.append(made.interface)
            nodeInterfaces.append(index)
            interfaceNames.append(nodeInterface.name)
            passive.append(made.passive)
            isLoopback.append(made.loopback)
        }
        flooding = OSPFFlooding(routerID: routerID, interfaces: interfaces)
        refreshDebugging(node: context.node.id, network: context.network)
        for i in flooding.interfaces.indices where context.isUp(nodeInterfaces[i]) {
            bringUp(i, context)
        }
        finish(context)
        context.arm(token: token(.refresh), at: context.now + OSPFConstants.lsRefreshTime)
    }

    /// The OSPF interface a node interface becomes under this process's settings, nil when none of its
    /// `network` statements (or an `ip ospf N area X`) takes it.
    func makeInterface(_ nodeInterface: IPInterface, _ context: ControlPlaneContext)
        -> (interface: OSPFInterface, passive: Bool, loopback: Bool)? {
        guard let primary = nodeInterface.primary else { return nil }
        let configured = interfaceSettings[nodeInterface.name] ?? OSPFInterfaceSettings()
        // IOS: `ip ospf PID area X` on the interface takes precedence over every `network` statement.
        let areaID: AreaID
        if let assigned = configured.area {
            guard assigned.process == processID else { return nil }
            areaID = assigned.area
        } else if let statement = settings.networks.first(where: { $0.matches(primary.address) }) {
            areaID = statement.area
        } else { return nil }
        let loopback = nodeInterface.name.hasPrefix("Loopback")
        let isPassive = settings.isPassive(nodeInterface.name)
        // IOS: serial links are point-to-point, Ethernet broadcast, unless `ip ospf network` says otherwise.
        let type: OSPFNetworkType = loopback || isPassive ? .pointToPoint
            : configured.networkType ?? (nodeInterface.name.hasPrefix("Serial") ? .pointToPoint : .broadcast)
        let hello = configured.helloInterval ?? 10
        let dead = configured.deadInterval ?? hello * 4
        let cost = Self.cost(configured, of: nodeInterface, referenceBandwidthMbps: settings.referenceBandwidthMbps, context)
        let mask = IPv4Address(rawValue: loopback ? .max : IPv4Prefix.mask(length: primary.prefix.length))
        let kind = settings.area(areaID).kind
        // RFC 2328 §3.6, RFC 3101 §2.3: the E-bit only outside stub areas and NSSAs, the N-bit in an NSSA.
        var isNSSA = false
        if case .nssa = kind { isNSSA = true }
        // The interface `mtu`, as the database descriptions advertise it (RFC 2328 A.3.3).
        var interface = OSPFInterface(name: nodeInterface.name, type: type, routerID: routerID, areaID: areaID,
                                        address: primary.address, mask: mask,
                                        helloInterval: .seconds(Int64(hello)), routerDeadInterval: .seconds(Int64(dead)),
                                        rxmtInterval: .seconds(Int64(configured.retransmitInterval ?? 5)),
                                        infTransDelay: .seconds(Int64(configured.transmitDelay ?? 1)),
                                        priority: configured.priority ?? OSPFConstants.routerPriority, cost: cost,
                                        mtu: Self.ipMTU(nodeInterface, context),
                                        externalRoutingCapable: kind == .normal, isNSSA: isNSSA)
        interface.mtuIgnore = configured.mtuIgnore
        return (interface, isPassive, loopback)
    }

    /// The node's interfaces changed (one added, readdressed or removed by a config change): IOS takes a new
    /// interface a `network` statement matches into OSPF at once (RFC 2328 §9.3 InterfaceUp), keeping every
    /// adjacency. Returns true when an interface OSPF runs on was removed, readdressed or moved to another area:
    /// the owner then restarts the process (a departure: IOS resets only that interface).
    func reconcileInterfaces(_ context: ControlPlaneContext) -> Bool {
        guard started else { return false }
        // A process that found no router ID starts once an address gives it one (IOS after %OSPF-4-NORTRID).
        guard routerID != .any else { return Self.chooseRouterID(settings.routerID, context) != .any }
        let names = context.interfaces.map(\.name)
        for (i, name) in interfaceNames.enumerated() {
            guard let index = names.firstIndex(of: name), let wanted = makeInterface(context.interfaces[index], context),
                  wanted.interface.areaID == flooding.interfaces[i].areaID,
                  wanted.interface.address == flooding.interfaces[i].address,
                  wanted.interface.mask == flooding.interfaces[i].mask else { return true }
            nodeInterfaces[i] = index
        }
        var added = false
        for (index, nodeInterface) in context.interfaces.enumerated() where !interfaceNames.contains(nodeInterface.name) {
            guard let made = makeInterface(nodeInterface, context) else { continue }
            if flooding.areaDatabases[made.interface.areaID] == nil { flooding.areaDatabases[made.interface.areaID] = LSDB() }
            flooding.interfaces.append(made.interface)
            nodeInterfaces.append(index)
            interfaceNames.append(nodeInterface.name)
            passive.append(made.passive)
            isLoopback.append(made.loopback)
            refreshDebugging(node: context.node.id, network: context.network)
            if context.isUp(index) { bringUp(flooding.interfaces.count - 1, context) }
            added = true
        }
        if added {
            originationPending = true
            finish(context)
        }
        return false
    }

    /// `ip ospf cost`, else the reference bandwidth (`auto-cost reference-bandwidth`, IOS default 100 Mbit/s)
    /// over the interface's, at least 1; loopbacks cost 1.
    static func cost(_ configured: OSPFInterfaceSettings, of interface: IPInterface, referenceBandwidthMbps: Int?,
                     _ context: ControlPlaneContext) -> UInt16 {
        if let c = configured.cost { return c }
        guard !interface.name.hasPrefix("Loopback"), let port = interface.port else { return 1 }
        let bps = context.network.ports[port.index].bandwidth.bitsPerSecond
        let reference = referenceBandwidthMbps.map { Int64($0) * 1_000_000 } ?? Int64(OSPFConstants.referenceBandwidth.bitsPerSecond)
        return UInt16(clamping: max(1, reference / max(1, Int64(bps))))
    }

    /// `ip ospf cost` changed on running interfaces: the costs change in place and the router-LSA is
    /// originated anew (RFC 2328 §12.4: a cost change is a reason for a new instance); adjacencies stay.
    func updateCosts(_ settings: [String: OSPFInterfaceSettings], _ context: ControlPlaneContext) {
        interfaceSettings = settings
        guard started, routerID != .any else { return }
        for (i, name) in interfaceNames.enumerated() {
            let cost = Self.cost(settings[name] ?? OSPFInterfaceSettings(), of: context.interfaces[nodeInterfaces[i]],
                                 referenceBandwidthMbps: self.settings.referenceBandwidthMbps, context)
            if flooding.interfaces[i].cost != cost {
                flooding.interfaces[i].cost = cost
                originationPending = true
            }
        }
        finish(context)
    }

    /// IOS: `router-id`, else the highest loopback address, else the highest address of an up interface.
    static func chooseRouterID(_ configured: IPv4Address?, _ context: ControlPlaneContext) -> IPv4Address {
        if let configured { return configured }
        let loopbacks = context.interfaces.enumerated().filter { $0.element.name.hasPrefix("Loopback") && context.isUp($0.offset) }
            .flatMap { $0.element.addresses.map(\.address) }
        if let best = loopbacks.max() { return best }
        let up = context.interfaces.enumerated().filter { context.isUp($0.offset) }.flatMap { $0.element.addresses.map(\.address) }
        return up.max() ?? .any
    }

    func bringUp(_ i: Int, _ context: ControlPlaneContext) {
        var actions: [InterfaceAction] = []
        flooding.interfaces[i].handle(isLoopback[i] ? .loopInd : .interfaceUp, now: context.now, actions: &actions)
        run(actions, interface: i, context)
    }

    // MARK: - Callbacks

    public func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext) {
        guard started, routerID != .any, let i = nodeInterfaces.firstIndex(of: interface) else { return }
        if up {
            guard flooding.interfaces[i].state == .down else { return }
            bringUp(i, context)
        } else {
            var actions: [InterfaceAction] = []
            let event: InterfaceEvent = isLoopback[i] ? .unloopInd : .interfaceDown
            flooding.interfaces[i].handle(event, now: context.now, actions: &actions)
            run(actions, interface: i, context)
            // A loopback leaves Loopback for Down on UnloopInd; the router-LSA must drop its host route.
            originationPending = true
        }
        finish(context)
    }

    public func timerFired(token: UInt32, _ context: ControlPlaneContext) {
        guard started, routerID != .any, let kind = TimerKind(rawValue: token >> 28) else { return }
        let i = Int(token >> 16 & 0xFFF)
        let slot = Int(token & 0xFFFF)
        let now = context.now
        switch kind {
        case .hello:
            guard flooding.interfaces.indices.contains(i) else { return }
            var actions: [InterfaceAction] = []
            flooding.interfaces[i].helloTimerFired(now: now, actions: &actions)
            run(actions, interface: i, context)
        case .wait:
            guard flooding.interfaces.indices.contains(i) else { return }
            var actions: [InterfaceAction] = []
            flooding.interfaces[i].handle(.waitTimer, now: now, actions: &actions)
            run(actions, interface: i, context)
        case .inactivity, .ddRetransmit, .lsrRetransmit:
            guard neighborBySlot.indices.contains(slot) else { return }
            let key = neighborBySlot[slot]
            var actions: [InterfaceAction] = []
            switch kind {
            case .inactivity:
                flooding.interfaces[key.interface].handle(.inactivityTimer, neighbor: key.neighborID, now: now, actions: &actions)
            case .ddRetransmit:
                flooding.interfaces[key.interface].updateNeighbor(key.neighborID, now: now, actions: &actions) { n, link, out in
                    n.ddRetransmitTimerFired(link: link, now: now, actions: &out)
                }
            default:
                flooding.interfaces[key.interface].updateNeighbor(key.neighborID, now: now, actions: &actions) { n, link, out in
                    n.lsrRetransmitTimerFired(link: link, now: now, actions: &out)
                }
            }
            run(actions, interface: key.interface, context)
        case .floodRetransmit:
            guard neighborBySlot.indices.contains(slot) else { return }
            let key = neighborBySlot[slot]
            var actions: [FloodingAction] = []
            flooding.retransmitTimerFired(interface: OSPFInterfaceID(key.interface), neighborID: key.neighborID, now: now,
                                          actions: &actions)
            run(actions, context)
        case .delayedAck:
            var actions: [FloodingAction] = []
            flooding.delayedAckTimerFired(interface: OSPFInterfaceID(i), now: now, actions: &actions)
            run(actions, context)
        case .ageing:
            var actions: [FloodingAction] = []
            flooding.ageingTimerFired(now: now, actions: &actions)
            run(actions, context)
        case .spf:
            spfArmed = false
            lastSPF = now
            calculateRoutes(context)
            // Summary-LSAs and translated type-5s follow the new routing table (RFC 2328 §12.4.3, RFC 3101 §3.1).
            originationPending = true
        case .refresh:
            // RFC 2328 §12.4 LSRefreshTime: every own LSA gets a new instance.
            let scopes = flooding.areaDatabases.keys.sorted().map(FloodingScope.area) + [.autonomousSystem]
            for scope in scopes {
                for entry in flooding.database(scope).sortedEntries where entry.lsa.advertisingRouter == routerID {
                    forcedReorigination.insert(entry.key)
                }
            }
            originationPending = true
            context.arm(token: self.token(.refresh), at: now + OSPFConstants.lsRefreshTime)
        case .lsaThrottle:
            lsaDeferredUntil = nil
            originationPending = true
        }
        finish(context)
    }

    public func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext) {
        // Another process's interface (`router ospf 1` and `router ospf 2` side by side): not ours to count.
        guard started, routerID != .any, let i = nodeInterfaces.firstIndex(of: datagram.interface) else { return }
        guard !passive[i], !isLoopback[i] else { droppedPackets += 1; return }
        let packet: OSPFPacket
        do {
            packet = try datagram.payload.withUnsafeBytes { bytes throws(WireError) in try OSPFPacket(parsing: bytes) }
        } catch {
            droppedPackets += 1
            return
        }
        let interface = flooding.interfaces[i]
        debugReceived(packet, datagram, interface: i, context)
        // RFC 2328 §8.2: the area must match, the packet must not be our own, and on a broadcast network the
        // source must be on the interface's subnet.
        guard packet.areaID == interface.areaID.address, packet.routerID != routerID,
              interface.type != .broadcast
                || datagram.header.source.rawValue & interface.mask.rawValue == interface.address.rawValue & interface.mask.rawValue
        else { droppedPackets += 1; return }
        if let drop = checkAuthentication(packet, datagram, interface: i) {
            debugAuthenticationDrop(drop, datagram, interface: i, context)
            droppedPackets += 1
            return
        }
        let now = context.now
        switch packet.body {
        case let .hello(hello):
            var actions: [InterfaceAction] = []
            flooding.interfaces[i].receiveHello(hello, routerID: packet.routerID, source: datagram.header.source, now: now,
                                                actions: &actions)
            run(actions, interface: i, context)
        case let .databaseDescription(dd):
            let scope = FloodingScope.area(interface.areaID)
            let area = flooding.database(scope), external = flooding.asExternalDatabase
            let carriesExternals = interface.externalRoutingCapable
            let lsdb = DatabaseExchangeLSDB(
                summary: {
                    (area.sortedEntries + (carriesExternals ? external.sortedEntries : [])).map { $0.header(at: now) }
                },
                isNewerThanOurs: { header in
                    let db = header.type == .asExternal ? external : area
                    guard let ours = db[header.lsaKey] else { return true }
                    return LSDB.isNewer(header, than: ours.header(at: now))
                })
            var actions: [InterfaceAction] = []
            _ = flooding.interfaces[i].receiveDatabaseDescription(dd, from: packet.routerID, lsdb: lsdb, now: now,
                                                                  actions: &actions)
            run(actions, interface: i, context)
        case let .linkStateRequest(requests):
            let area = flooding.database(.area(interface.areaID)), external = flooding.asExternalDatabase
            let delay = UInt16(clamping: interface.infTransDelay.nanoseconds / 1_000_000_000)
            var actions: [InterfaceAction] = []
            let lsas = flooding.interfaces[i].updateNeighbor(packet.routerID, now: now, actions: &actions) { n, link, out in
                n.receiveLinkStateRequest(requests, link: link, lookup: { request in
                    let key = LSAKey(type: request.type, linkStateID: request.linkStateID,
                                     advertisingRouter: request.advertisingRouter)
                    guard let entry = (request.type == .asExternal ? external : area)[key] else { return nil }
                    var lsa = entry.lsa
                    lsa.age = min(entry.age(at: now) &+ delay, LSAHeader.maxAge)
                    return lsa
                }, now: now, actions: &out)
            }
            run(actions, interface: i, context)
            if let lsas = lsas ?? nil, !lsas.isEmpty, let neighbor = flooding.interfaces[i].neighbors.first(where: {
                $0.neighborID == packet.routerID
            }) {
                for batch in OSPFFlooding.packets(lsas, mtu: interface.mtu) {
                    send(.linkStateUpdate(batch), interface: i, to: destination(i, neighbor.address), context)
                }
            }
        case let .linkStateUpdate(lsas):
            var actions: [FloodingAction] = []
            flooding.receiveUpdate(lsas, on: OSPFInterfaceID(i), from: packet.routerID, now: now, actions: &actions)
            run(actions, context)
        case let .linkStateAcknowledgment(headers):
            var actions: [FloodingAction] = []
            flooding.receiveAcknowledgment(headers, on: OSPFInterfaceID(i), from: packet.routerID, now: now, actions: &actions)
            run(actions, context)
        }
        finish(context)
    }

    // MARK: - Acting on what the machines ask for

    /// RFC 2328 §8.1: on point-to-point networks every packet goes to AllSPFRouters.
    func destination(_ i: Int, _ address: IPv4Address) -> IPv4Address {
        flooding.interfaces[i].type == .pointToPoint ? OSPFPacket.allSPFRouters : address
    }

    func send(_ body: OSPFPacketBody, interface i: Int, to destination: IPv4Address, _ context: ControlPlaneContext) {
        guard !passive[i], !isLoopback[i], flooding.interfaces[i].state != .down else { return }
        let bytes = authenticatedBytes(body, interface: i, now: context.now)
        context.send(bytes, to: destination, on: nodeInterfaces[i], ttl: 1, tos: 0xC0)
    }

    func run(_ actions: [InterfaceAction], interface i: Int, _ context: ControlPlaneContext) {
        for action in actions { run(action, interface: i, context) }
    }

    func run(_ action: InterfaceAction, interface i: Int, _ context: ControlPlaneContext) {
        switch action {
        case let .sendHello(hello, destination):
            send(.hello(hello), interface: i, to: destination, context)
        case let .startHelloTimer(at):
            context.arm(token: token(.hello, interface: i), at: at)
        case .stopHelloTimer:
            context.cancel(token: token(.hello, interface: i))
        case let .startWaitTimer(at):
            context.arm(token: token(.wait, interface: i), at: at)
        case .stopWaitTimer:
            context.cancel(token: token(.wait, interface: i))
        case let .neighborEvent(event, neighborID):
            var more: [InterfaceAction] = []
            flooding.interfaces[i].handle(event, neighbor: neighborID, now: context.now, actions: &more)
            run(more, interface: i, context)
        case let .neighbor(neighborID, action):
            run(action, neighbor: neighborID, interface: i, context)
        case .originateRouterLSA, .originateNetworkLSA, .flushNetworkLSA:
            originationPending = true
        case .stateChanged:
            break
        case let .debug(line):
            printDebug(line, context)
        }
    }

    func run(_ action: NeighborAction, neighbor neighborID: IPv4Address, interface i: Int, _ context: ControlPlaneContext) {
        let s = slot(i, neighborID)
        let address = flooding.interfaces[i].neighbors.first { $0.neighborID == neighborID }?.address ?? .any
        switch action {
        case .sendHello:
            send(.hello(flooding.interfaces[i].hello), interface: i, to: address, context)
        case let .sendDatabaseDescription(dd):
            send(.databaseDescription(dd), interface: i, to: destination(i, address), context)
        case let .sendLinkStateRequest(requests):
            send(.linkStateRequest(requests), interface: i, to: destination(i, address), context)
        case let .restartInactivityTimer(at):
            context.arm(token: token(.inactivity, interface: i, slot: s), at: at)
        case .stopInactivityTimer:
            context.cancel(token: token(.inactivity, interface: i, slot: s))
        case let .startDDRetransmitTimer(at):
            context.arm(token: token(.ddRetransmit, interface: i, slot: s), at: at)
        case .stopDDRetransmitTimer:
            context.cancel(token: token(.ddRetransmit, interface: i, slot: s))
        case let .startLSRRetransmitTimer(at):
            context.arm(token: token(.lsrRetransmit, interface: i, slot: s), at: at)
        case .stopLSRRetransmitTimer:
            context.cancel(token: token(.lsrRetransmit, interface: i, slot: s))
        case .originateRouterLSA, .originateNetworkLSA:
            originationPending = true
        case let .adjacencyChanged(change):
            // IOS logs FULL and DOWN by default, every step with `log-adjacency-changes detail`, none with `no`.
            if settings.logAdjacencyChanges && (settings.logAdjacencyDetail || change.isLoggedByDefault) {
                context.network.log(context.node.id, change.syslogLine(processID: processID, interfaceName: interfaceNames[i]))
            }
            if change.to == .down {
                // Nothing more is retransmitted to a neighbor that is gone.
                context.cancel(token: token(.floodRetransmit, interface: i, slot: s))
            }
            originationPending = true
        case let .debug(line):
            printDebug(line, context)
        }
    }

    func run(_ actions: [FloodingAction], _ context: ControlPlaneContext) {
        for action in actions {
            switch action {
            case let .sendUpdate(lsas, interface, destination):
                send(.linkStateUpdate(lsas), interface: interface.rawValue, to: self.destination(interface.rawValue, destination), context)
            case let .sendAcknowledgment(headers, interface, destination):
                send(.linkStateAcknowledgment(headers), interface: interface.rawValue,
                     to: self.destination(interface.rawValue, destination), context)
            case let .startRetransmitTimer(interface, neighborID, at):
                context.arm(token: token(.floodRetransmit, interface: interface.rawValue, slot: slot(interface.rawValue, neighborID)), at: at)
            case let .stopRetransmitTimer(interface, neighborID):
                context.cancel(token: token(.floodRetransmit, interface: interface.rawValue, slot: slot(interface.rawValue, neighborID)))
            case let .startDelayedAckTimer(interface, at):
                context.arm(token: token(.delayedAck, interface: interface.rawValue), at: at)
            case let .startAgeingTimer(at):
                context.arm(token: token(.ageing), at: at)
            case let .interface(interface, action):
                run(action, interface: interface.rawValue, context)
            case let .selfOriginatedLSAReceived(lsa, _):
                forcedReorigination.insert(LSAKey(lsa))
                originationPending = true
            case let .installed(_, _, changed):
                if changed { scheduleSPF(context) }
            case .removed:
                scheduleSPF(context)
            case let .debug(line):
                printDebug(line, context)
            }
        }
    }
}
