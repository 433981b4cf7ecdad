import Engine
import Testing
import Wire
@testable import Protocols

// The interface and neighbor machines of two routers wired together by a minimal owner, which delivers what
// they send and runs the neighbor events they raise; timers are fired by hand at the times they fall due.
//
//   R1 1.1.1.1 ── 10.0.0.1 ──┬── LAN 10.0.0.0/24 ──┬── 10.0.0.2 ── R2 2.2.2.2
//                            Gi0/0               Gi0/0

private func routerLSA(_ n: UInt8) -> LSA {
    LSA(options: .e, type: .router, linkStateID: IPv4Address(n, n, n, n), advertisingRouter: IPv4Address(n, n, n, n),
        sequenceNumber: LSAHeader.initialSequenceNumber, body: .router(RouterLSA(links: [])))
}

private func matches(_ lsa: LSA, _ r: LSARequest) -> Bool {
    lsa.type == r.type && lsa.linkStateID == r.linkStateID && lsa.advertisingRouter == r.advertisingRouter
}

private struct LAN {
    var routers: [OSPFInterface]
    var databases: [[LSA]]
    var log: [String] = []
    var now = SimTime.zero

    init(_ ids: [UInt8]) {
        routers = ids.map {
            OSPFInterface(name: "Gi0/0", routerID: IPv4Address($0, $0, $0, $0), address: IPv4Address(10, 0, 0, $0),
                          mask: mask24)
        }
        databases = ids.map { [routerLSA($0)] }
    }

    func lsdb(_ r: Int) -> DatabaseExchangeLSDB {
        let db = databases[r]
        return DatabaseExchangeLSDB(summary: { db.map(\.header) }, isNewerThanOurs: { h in
            !db.contains { matches($0, LSARequest(type: h.type, linkStateID: h.linkStateID,
                                                  advertisingRouter: h.advertisingRouter)) }
        })
    }

    func index(of id: IPv4Address) -> Int { routers.firstIndex { $0.routerID == id }! }

    mutating func run(_ initial: [(Int, InterfaceAction)]) {
        var queue = initial
        var steps = 0
        while !queue.isEmpty, steps < 10_000 {
            steps += 1
            let (r, action) = queue.removeFirst()
            var out: [InterfaceAction] = []
            switch action {
            case let .sendHello(hello, _):
                for other in routers.indices where other != r && routers[other].state != .down {
                    var theirs: [InterfaceAction] = []
                    routers[other].receiveHello(hello, routerID: routers[r].routerID, source: routers[r].address,
                                                now: now, actions: &theirs)
                    queue += theirs.map { (other, $0) }
                }
            case let .neighborEvent(event, id):
                routers[r].handle(event, neighbor: id, now: now, actions: &out)
            case let .neighbor(id, .sendDatabaseDescription(dd)):
                let other = index(of: id)
                var theirs: [InterfaceAction] = []
                _ = routers[other].receiveDatabaseDescription(dd, from: routers[r].routerID, lsdb: lsdb(other),
                                                              now: now, actions: &theirs)
                queue += theirs.map { (other, $0) }
            case let .neighbor(id, .sendLinkStateRequest(requests)):
                // The neighbor answers at once (RFC 2328 §10.7); its update satisfies our requests.
                let other = index(of: id)
                let db = databases[other]
                var theirs: [InterfaceAction] = []
                let from = routers[r].routerID
                let lsas = routers[other].updateNeighbor(from, now: now, actions: &theirs) { n, link, a in
                    n.receiveLinkStateRequest(requests, link: link, lookup: { req in db.first { matches($0, req) } },
                                              now: now, actions: &a)
                } ?? nil
                queue += theirs.map { (other, $0) }
                for lsa in lsas ?? [] {
                    databases[r].append(lsa)
                    routers[r].updateNeighbor(id, now: now, actions: &out) { n, link, a in
                        n.requestSatisfied(by: lsa.header, link: link, now: now, actions: &a)
                    }
                }
            case let .neighbor(_, .adjacencyChanged(change)) where change.isLoggedByDefault:
                log.append("R\(r + 1) " + change.syslogLine(processID: 1, interfaceName: "GigabitEthernet0/0"))
            default:
                break
            }
            queue += out.map { (r, $0) }
        }
    }

    mutating func bringUp() {
        var initial: [(Int, InterfaceAction)] = []
        for r in routers.indices {
            var out: [InterfaceAction] = []
            routers[r].handle(.interfaceUp, now: now, actions: &out)
            initial += out.map { (r, $0) }
        }
        run(initial)
    }

    mutating func fire(at seconds: Int64, _ timer: (inout OSPFInterface, SimTime, inout [InterfaceAction]) -> Void) {
        now = at(seconds: seconds)
        var initial: [(Int, InterfaceAction)] = []
        for r in routers.indices {
            var out: [InterfaceAction] = []
            timer(&routers[r], now, &out)
            initial += out.map { (r, $0) }
        }
        run(initial)
    }

    mutating func helloTimers(at seconds: Int64) {
        fire(at: seconds) { i, now, out in i.helloTimerFired(now: now, actions: &out) }
    }
}

@Test func twoRoutersOnALANElectTheHigherRouterIDAndBecomeFull() {
    var lan = LAN([1, 2])
    lan.bringUp()
    #expect(lan.routers.map(\.state) == [.waiting, .waiting])
    lan.helloTimers(at: 10)
    #expect(lan.routers.flatMap(\.neighbors).map(\.state) == [.twoWay, .twoWay])
    lan.fire(at: 40) { i, now, out in i.handle(.waitTimer, now: now, actions: &out) }
    lan.helloTimers(at: 50)

    let r1 = lan.routers[0], r2 = lan.routers[1]
    #expect(r2.state == .dr && r1.state == .backup)
    #expect(r1.designatedRouter == IPv4Address(10, 0, 0, 2) && r1.backupDesignatedRouter == myAddress)
    #expect(r2.designatedRouter == IPv4Address(10, 0, 0, 2) && r2.backupDesignatedRouter == myAddress)
    #expect(r1.neighbors.map(\.state) == [.full] && r2.neighbors.map(\.state) == [.full])
    #expect(r1.neighbors[0].role == .slave && r2.neighbors[0].role == .master)
    #expect(lan.databases.map { Set($0) } == [Set([routerLSA(1), routerLSA(2)]), Set([routerLSA(1), routerLSA(2)])])
    #expect(lan.log.sorted() == [
        "R1 %OSPF-5-ADJCHG: Process 1, Nbr 2.2.2.2 on GigabitEthernet0/0 from LOADING to FULL, Loading Done",
        "R2 %OSPF-5-ADJCHG: Process 1, Nbr 1.1.1.1 on GigabitEthernet0/0 from LOADING to FULL, Loading Done",
    ])

    // R2 falls silent: R1's dead timer expires, and the BDR takes over as DR.
    lan.log.removeAll()
    lan.routers[1].state = .down
    lan.fire(at: 90) { i, now, out in
        if i.routerID == me { i.handle(.inactivityTimer, neighbor: nbrID, now: now, actions: &out) }
    }
    #expect(lan.routers[0].state == .dr)
    #expect(lan.routers[0].designatedRouter == myAddress && lan.routers[0].backupDesignatedRouter == .any)
    #expect(lan.log == [
        "R1 %OSPF-5-ADJCHG: Process 1, Nbr 2.2.2.2 on GigabitEthernet0/0 from FULL to DOWN, "
            + "Neighbor Down: Dead timer expired",
    ])
}

@Test func aRequestForAnLSAWeDoNotHaveIsBadLSReq() {
    var n = neighbor(in: .full)
    var actions: [NeighborAction] = []
    let have = routerLSA(1)
    let asked = [LSARequest(type: .router, linkStateID: have.linkStateID, advertisingRouter: have.advertisingRouter)]
    #expect(n.receiveLinkStateRequest(asked, link: pointToPointLink, lookup: { matches(have, $0) ? have : nil },
                                      now: now, actions: &actions) == [have])
    #expect(n.state == .full)
    let missing = [LSARequest(type: .network, linkStateID: nbrAddress, advertisingRouter: nbrID)]
    #expect(n.receiveLinkStateRequest(missing, link: pointToPointLink, lookup: { matches(have, $0) ? have : nil },
                                      now: now, actions: &actions) == nil)
    #expect(n.state == .exStart)
}

@Test(arguments: [NeighborState.down, .initState, .twoWay, .exStart])
func linkStateRequestsBeforeExchangeAreIgnored(state: NeighborState) {
    var n = neighbor(in: state)
    var actions: [NeighborAction] = []
    #expect(n.receiveLinkStateRequest([], link: pointToPointLink, lookup: { _ in nil }, now: now,
                                      actions: &actions) == nil)
    #expect(n.state == state && actions.isEmpty)
}
