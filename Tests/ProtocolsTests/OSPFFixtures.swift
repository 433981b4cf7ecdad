import Engine
import Wire
@testable import Protocols

// Shared fixtures for the OSPF interface and neighbor machines. We are router 1.1.1.1 at 10.0.0.1/24; the
// neighbor under test is 2.2.2.2 at 10.0.0.2. Events happen at t = 100 s, so RxmtInterval timers fall due at
// 105 s, the Hello Timer at 110 s and RouterDeadInterval timers at 140 s.

let me = IPv4Address(1, 1, 1, 1)
let myAddress = IPv4Address(10, 0, 0, 1)
let nbrID = IPv4Address(2, 2, 2, 2)
let nbrAddress = IPv4Address(10, 0, 0, 2)
let mask24 = IPv4Address(255, 255, 255, 0)
let now = SimTime(nanoseconds: 100_000_000_000)

func at(seconds: Int64) -> SimTime { SimTime(nanoseconds: seconds * 1_000_000_000) }

/// A point-to-point link: every neighbor is adjacent (RFC 2328 §10.4).
let pointToPointLink = NeighborLink(networkType: .pointToPoint, routerID: me, interfaceAddress: myAddress)
/// A broadcast link where 10.0.0.3 is DR and 10.0.0.4 BDR: we and the neighbor are both DROthers.
let drOtherLink = NeighborLink(networkType: .broadcast, routerID: me, interfaceAddress: myAddress,
                               designatedRouter: IPv4Address(10, 0, 0, 3),
                               backupDesignatedRouter: IPv4Address(10, 0, 0, 4))
/// A broadcast link where we are DR.
let drLink = NeighborLink(networkType: .broadcast, routerID: me, interfaceAddress: myAddress,
                          designatedRouter: myAddress, backupDesignatedRouter: IPv4Address(10, 0, 0, 4))

func header(_ type: LSAType, _ id: UInt8, seq: Int32 = LSAHeader.initialSequenceNumber) -> LSAHeader {
    LSAHeader(age: 1, options: .e, type: type, linkStateID: IPv4Address(10, 0, 0, id),
              advertisingRouter: IPv4Address(id, id, id, id), sequenceNumber: seq, checksum: 0x1234, length: 36)
}

func request(for h: LSAHeader) -> LSARequest {
    LSARequest(type: h.type, linkStateID: h.linkStateID, advertisingRouter: h.advertisingRouter)
}

/// A neighbor already in `state`, as the machine would have left it (an exchange under way from ExStart on).
func neighbor(in state: NeighborState, role: DatabaseExchangeRole = .master, id: IPv4Address = nbrID,
              requests: [LSARequest] = [], summary: [LSAHeader] = []) -> OSPFNeighbor {
    var n = OSPFNeighbor(neighborID: id, address: nbrAddress, options: .e)
    n.state = state
    if state >= .initState { n.inactivityDeadline = at(seconds: 130) }
    if state >= .exStart {
        n.hasAttemptedAdjacency = true
        n.ddSequenceNumber = 500
        n.role = role
    }
    n.linkStateRequestList = requests
    n.databaseSummaryList = summary
    return n
}

func change(_ from: NeighborState, _ to: NeighborState, _ event: NeighborEvent,
            id: IPv4Address = nbrID) -> NeighborAction {
    .adjacencyChanged(AdjacencyChange(neighborID: id, from: from, to: to, event: event))
}

func initialDD(seq: UInt32, mtu: UInt16 = 1500) -> OSPFDatabaseDescription {
    OSPFDatabaseDescription(interfaceMTU: mtu, options: .e, flags: [.i, .m, .ms], sequenceNumber: seq, headers: [])
}

extension Array where Element == NeighborAction {
    var withoutDebug: [NeighborAction] { filter { if case .debug = $0 { false } else { true } } }
}

extension Array where Element == InterfaceAction {
    var withoutDebug: [InterfaceAction] { filter { if case .debug = $0 { false } else { true } } }
}
