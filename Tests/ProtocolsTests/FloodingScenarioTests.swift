import Engine
import Testing
import Wire
@testable import Protocols

// End to end: several flooding instances wired by a fake network that delivers their updates and acks after
// 1 ms and runs their retransmission and delayed-ack timers. Neighbors are already Full; hellos and database
// exchange are not modelled here.

/// Routers and the networks between them, with an event list ordered by time, then by scheduling order.
private struct FakeNetwork {
    struct Endpoint: Hashable {
        var router: Int
        var interface: OSPFInterfaceID
    }

    enum Event {
        case update(Endpoint, from: IPv4Address, [LSA])
        case ack(Endpoint, from: IPv4Address, [LSAHeader])
        case retransmit(Endpoint, neighborID: IPv4Address, due: SimTime)
        case delayedAck(Endpoint)
        case ageing(router: Int, due: SimTime)
    }

    var routers: [OSPFFlooding]
    var networks: [[Endpoint]]
    var events: [(time: SimTime, sequence: Int, event: Event)] = []
    var sequence = 0
    var now = at(seconds: 100)
    var retransmitDue: [Endpoint: [IPv4Address: SimTime]] = [:]
    var ageingDue: [Int: SimTime] = [:]
    /// How many LS Updates each router sent, and a filter that loses packets on the way.
    var updatesSent: [Int] = []
    var lose: (Endpoint, Endpoint, [LSA]) -> Bool = { _, _, _ in false }

    init(routers: [OSPFFlooding], networks: [[Endpoint]]) {
        self.routers = routers
        self.networks = networks
        updatesSent = Array(repeating: 0, count: routers.count)
    }

    mutating func schedule(_ event: Event, at time: SimTime) {
        sequence += 1
        events.append((time, sequence, event))
    }

    /// Who on the network of `from` receives a packet to `destination` (RFC 2328 A.1 addresses).
    func receivers(from: Endpoint, destination: IPv4Address) -> [Endpoint] {
        guard let network = networks.first(where: { $0.contains(from) }) else { return [] }
        return network.filter { to in
            guard to != from else { return false }
            let interface = routers[to.router].interfaces[to.interface.rawValue]
            switch destination {
            case OSPFPacket.allSPFRouters: return true
            case OSPFPacket.allDRouters: return interface.state == .dr || interface.state == .backup
            default: return interface.address == destination
            }
        }
    }

    mutating func perform(_ actions: [FloodingAction], of router: Int) {
        let routerID = routers[router].routerID
        for action in actions {
            switch action {
            case let .sendUpdate(lsas, interface, destination):
                updatesSent[router] += 1
                let from = Endpoint(router: router, interface: interface)
                for to in receivers(from: from, destination: destination) where !lose(from, to, lsas) {
                    schedule(.update(to, from: routerID, lsas), at: now + .milliseconds(1))
                }
            case let .sendAcknowledgment(headers, interface, destination):
                let from = Endpoint(router: router, interface: interface)
                for to in receivers(from: from, destination: destination) {
                    schedule(.ack(to, from: routerID, headers), at: now + .milliseconds(1))
                }
            case let .startRetransmitTimer(interface, neighborID, due):
                let endpoint = Endpoint(router: router, interface: interface)
                retransmitDue[endpoint, default: [:]][neighborID] = due
                schedule(.retransmit(endpoint, neighborID: neighborID, due: due), at: due)
            case let .stopRetransmitTimer(interface, neighborID):
                retransmitDue[Endpoint(router: router, interface: interface)]?[neighborID] = nil
            case let .startDelayedAckTimer(interface, due):
                schedule(.delayedAck(Endpoint(router: router, interface: interface)), at: due)
            case let .startAgeingTimer(due):
                ageingDue[router] = due
                schedule(.ageing(router: router, due: due), at: due)
            case .interface, .selfOriginatedLSAReceived, .installed, .removed, .debug:
                break
            }
        }
    }

    /// Runs events until none is left before `until`.
    mutating func run(until: SimTime) {
        while let next = events.indices.min(by: { (events[$0].time, events[$0].sequence)
                                                   < (events[$1].time, events[$1].sequence) }),
              events[next].time <= until {
            let (time, _, event) = events.remove(at: next)
            now = time
            var actions: [FloodingAction] = []
            switch event {
            case let .update(to, from, lsas):
                routers[to.router].receiveUpdate(lsas, on: to.interface, from: from, now: now, actions: &actions)
                perform(actions, of: to.router)
            case let .ack(to, from, headers):
                routers[to.router].receiveAcknowledgment(headers, on: to.interface, from: from, now: now,
                                                         actions: &actions)
                perform(actions, of: to.router)
            case let .retransmit(endpoint, neighborID, due):
                // A stopped or re-armed timer leaves a stale event behind; it is ignored.
                guard retransmitDue[endpoint]?[neighborID] == due else { continue }
                routers[endpoint.router].retransmitTimerFired(interface: endpoint.interface, neighborID: neighborID,
                                                             now: now, actions: &actions)
                perform(actions, of: endpoint.router)
            case let .delayedAck(endpoint):
                routers[endpoint.router].delayedAckTimerFired(interface: endpoint.interface, now: now,
                                                             actions: &actions)
                perform(actions, of: endpoint.router)
            case let .ageing(router, due):
                guard ageingDue[router] == due else { continue }
                routers[router].ageingTimerFired(now: now, actions: &actions)
                perform(actions, of: router)
            }
        }
    }

    mutating func originate(_ lsa: LSA, at router: Int) {
        var actions: [FloodingAction] = []
        routers[router].originate(lsa, in: .area(.backbone), now: now, actions: &actions)
        perform(actions, of: router)
    }

    mutating func flush(_ key: LSAKey, at router: Int) {
        var actions: [FloodingAction] = []
        routers[router].prematurelyAge(key, in: .area(.backbone), now: now, actions: &actions)
        perform(actions, of: router)
    }

    var everyRetransmissionListIsEmpty: Bool {
        routers.allSatisfy { router in
            router.interfaces.allSatisfy { $0.neighbors.allSatisfy { $0.linkStateRetransmissionList.isEmpty } }
        }
    }

    var noRetransmitTimerRuns: Bool { retransmitDue.values.allSatisfy(\.isEmpty) }
}

/// Router n (ID n.n.n.n) with one interface per (address, state, DR, BDR, neighbors) given.
private func router(_ n: UInt8, _ interfaces: [(IPv4Address, OSPFNetworkType, InterfaceState, IPv4Address, IPv4Address,
                                                  [OSPFNeighbor])]) -> OSPFFlooding {
    OSPFFlooding(routerID: peerID(n), interfaces: interfaces.enumerated().map { index, spec in
        var i = floodingInterface("Gi0/\(index)", type: spec.1, state: spec.2, address: spec.0, dr: spec.3, bdr: spec.4,
                                  neighbors: spec.5)
        i.routerID = peerID(n)
        return i
    })
}

private func full(_ n: UInt8, at address: IPv4Address) -> OSPFNeighbor {
    var p = peer(n)
    p.address = address
    return p
}

//   R1 (DR) 10.0.0.1    R2 (BDR) 10.0.0.2    R3 (DROther) 10.0.0.3
//      |                   |                    |
//   ---+-------------------+--------------------+---  10.0.0.0/24
private func broadcastSegment() -> FakeNetwork {
    let dr = peerAddress(1), bdr = peerAddress(2)
    let routers = (1...3).map { (n: UInt8) in
        let state: InterfaceState = n == 1 ? .dr : n == 2 ? .backup : .drOther
        let others = (1...3).filter { $0 != n }.map { full(UInt8($0), at: peerAddress(UInt8($0))) }
        return router(n, [(peerAddress(n), .broadcast, state, dr, bdr, others)])
    }
    return FakeNetwork(routers: routers, networks: [(0..<3).map { .init(router: $0, interface: if0) }])
}

//   R1 ---- 10.12.0.0/24 ---- R2 ---- 10.23.0.0/24 ---- R3   (point-to-point links)
private func chain() -> FakeNetwork {
    let a12 = IPv4Address(10, 12, 0, 1), b12 = IPv4Address(10, 12, 0, 2)
    let a23 = IPv4Address(10, 23, 0, 2), b23 = IPv4Address(10, 23, 0, 3)
    let routers = [
        router(1, [(a12, .pointToPoint, .pointToPoint, .any, .any, [full(2, at: b12)])]),
        router(2, [(b12, .pointToPoint, .pointToPoint, .any, .any, [full(1, at: a12)]),
                   (a23, .pointToPoint, .pointToPoint, .any, .any, [full(3, at: b23)])]),
        router(3, [(b23, .pointToPoint, .pointToPoint, .any, .any, [full(2, at: a23)])]),
    ]
    return FakeNetwork(routers: routers,
                       networks: [[.init(router: 0, interface: if0), .init(router: 1, interface: if0)],
                                  [.init(router: 1, interface: if1), .init(router: 2, interface: if0)]])
}

private func holdsEverywhere(_ net: FakeNetwork, _ lsa: LSA) -> Bool {
    net.routers.allSatisfy { router in
        guard let entry = router.database(.area(.backbone))[LSAKey(lsa)] else { return false }
        return entry.instance.sequenceNumber == lsa.sequenceNumber && entry.lsa.body == lsa.body
    }
}

@Test func anLSAOriginatedByADROtherReachesEveryRouterAndEveryListEmpties() {
    var net = broadcastSegment()
    let lsa = routerLSA(3, age: 0)
    net.originate(lsa, at: 2)
    net.run(until: at(seconds: 160))
    #expect(holdsEverywhere(net, lsa))
    #expect(net.everyRetransmissionListIsEmpty && net.noRetransmitTimerRuns)
    // R3 to AllDRouters, R1 back onto the segment; the Backup stays silent and nothing is retransmitted.
    #expect(net.updatesSent == [1, 0, 1])
}

@Test func anLSAOriginatedByTheDRReachesEveryRouterAndEveryListEmpties() {
    var net = broadcastSegment()
    let lsa = routerLSA(1, age: 0)
    net.originate(lsa, at: 0)
    net.run(until: at(seconds: 160))
    #expect(holdsEverywhere(net, lsa))
    #expect(net.everyRetransmissionListIsEmpty && net.noRetransmitTimerRuns)
    #expect(net.updatesSent == [1, 0, 0])
}

@Test func anLSAFloodsDownAChainOfPointToPointLinks() {
    var net = chain()
    let lsa = routerLSA(1, age: 0)
    net.originate(lsa, at: 0)
    net.run(until: at(seconds: 160))
    #expect(holdsEverywhere(net, lsa))
    #expect(net.routers[2].database(.area(.backbone))[LSAKey(lsa)]?.age(at: net.now) ?? 0 >= 2)
    #expect(net.everyRetransmissionListIsEmpty && net.noRetransmitTimerRuns)
    #expect(net.updatesSent == [1, 1, 0])
}

@Test func aLostUpdateIsRetransmittedAfterRxmtInterval() {
    var net = chain()
    var lost = false
    net.lose = { from, to, _ in
        guard !lost, from.router == 1, to.router == 2 else { return false }
        lost = true
        return true
    }
    let lsa = routerLSA(1, age: 0)
    net.originate(lsa, at: 0)
    net.run(until: at(seconds: 104))
    #expect(net.routers[2].database(.area(.backbone)).isEmpty)
    net.run(until: at(seconds: 160))
    #expect(holdsEverywhere(net, lsa))
    #expect(net.everyRetransmissionListIsEmpty && net.noRetransmitTimerRuns)
    #expect(net.updatesSent == [1, 2, 0])
}

@Test func aFlushedLSALeavesEveryDatabase() {
    var net = broadcastSegment()
    let lsa = routerLSA(3, age: 0)
    net.originate(lsa, at: 2)
    net.run(until: at(seconds: 130))
    net.flush(LSAKey(lsa), at: 2)
    net.run(until: at(seconds: 160))
    #expect(net.routers.allSatisfy { $0.database(.area(.backbone)).isEmpty })
    #expect(net.everyRetransmissionListIsEmpty && net.noRetransmitTimerRuns)
}
