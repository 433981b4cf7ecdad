import Engine
import Wire
@testable import Protocols

// Fixtures for the flooding procedure (RFC 2328 §13, §14). We are router 1.1.1.1 at 10.0.0.1/24 on interface 0,
// a broadcast network in area 0; peers are router n.n.n.n at 10.0.0.n. A second interface, 10.1.0.1/24,
// is added where a test needs somewhere else to flood. Events happen at t = 100 s (`now`).

let if0 = OSPFInterfaceID(0)
let if1 = OSPFInterfaceID(1)

func peerID(_ n: UInt8) -> IPv4Address { IPv4Address(n, n, n, n) }
func peerAddress(_ n: UInt8, net: UInt8 = 0) -> IPv4Address { IPv4Address(10, net, 0, n) }

/// Peer n on network 10.net.0.0/24 in `state`.
func peer(_ n: UInt8, _ state: NeighborState = .full, net: UInt8 = 0, requests: [LSARequest] = []) -> OSPFNeighbor {
    var p = OSPFNeighbor(neighborID: peerID(n), address: peerAddress(n, net: net), options: .e)
    p.state = state
    p.linkStateRequestList = requests
    return p
}

/// An interface already in `state`, with DR and BDR as given (interface addresses) and its neighbors.
func floodingInterface(_ name: String = "Gi0/0", type: OSPFNetworkType = .broadcast, state: InterfaceState = .dr,
                       address: IPv4Address = myAddress, area: AreaID = .backbone,
                       dr: IPv4Address? = nil, bdr: IPv4Address = .any, neighbors: [OSPFNeighbor],
                       externalRoutingCapable: Bool = true, isNSSA: Bool = false, mtu: UInt16 = 1500) -> OSPFInterface {
    var i = OSPFInterface(name: name, type: type, routerID: me, areaID: area, address: address, mask: mask24,
                          mtu: mtu, externalRoutingCapable: externalRoutingCapable, isNSSA: isNSSA)
    i.state = state
    i.designatedRouter = dr ?? (state == .dr ? address : .any)
    i.backupDesignatedRouter = bdr
    i.neighbors = neighbors
    return i
}

/// A router-LSA of router n (one stub link whose metric tells instances apart).
func routerLSA(_ n: UInt8, seq: Int32 = LSAHeader.initialSequenceNumber, age: UInt16 = 1, metric: UInt16 = 10) -> LSA {
    LSA(age: age, options: .e, type: .router, linkStateID: peerID(n), advertisingRouter: peerID(n),
        sequenceNumber: seq,
        body: .router(RouterLSA(links: [RouterLSA.Link(linkID: IPv4Address(192, 168, n, 0),
                                                       linkData: mask24, type: .stub, metric: metric)])))
}

func externalLSA(_ n: UInt8, type: LSAType = .asExternal, seq: Int32 = LSAHeader.initialSequenceNumber) -> LSA {
    LSA(age: 1, options: .e, type: type, linkStateID: IPv4Address(172, 16, n, 0), advertisingRouter: peerID(n),
        sequenceNumber: seq, body: .external(ExternalLSA(networkMask: mask24, isType2: true, metric: 20)))
}

func key(_ lsa: LSA) -> LSAKey { LSAKey(lsa) }

/// The LSA as sent after one hop's InfTransDelay (1 s) on top of its age at `now`.
func aged(_ lsa: LSA, by seconds: UInt16 = 1) -> LSA {
    var lsa = lsa
    lsa.age = min(lsa.age + seconds, LSAHeader.maxAge)
    return lsa
}

func withAge(_ h: LSAHeader, _ age: UInt16) -> LSAHeader {
    var h = h
    h.age = age
    return h
}

extension OSPFFlooding {
    /// Puts `lsa` in the area-0 database as if it had been installed at `time`, by flooding or not.
    mutating func preinstall(_ lsa: LSA, scope: FloodingScope = .area(.backbone), at time: SimTime = now,
                             byFlooding: Bool = false) {
        withDatabase(scope) { $0.replace(LSAInstance(lsa), age: lsa.age, now: time) }
        if byFlooding { receivedByFloodingAt[ScopedKey(scope: scope, key: LSAKey(lsa))] = time }
        // As a real installation would have done: the ageing timer is armed.
        var ignored: [FloodingAction] = []
        ageingDeadline = nil
        scheduleAgeing(now: time, actions: &ignored)
    }

    func neighbor(_ n: UInt8, on interface: OSPFInterfaceID = if0) -> OSPFNeighbor {
        interfaces[interface.rawValue].neighbors.first { $0.neighborID == peerID(n) }!
    }

    func retransmissionList(_ n: UInt8, on interface: OSPFInterfaceID = if0) -> [LSAKey] {
        neighbor(n, on: interface).linkStateRetransmissionList.map(\.lsaKey)
    }

    /// Receives `lsas` from peer n at `time` and returns the actions, debug lines left out.
    mutating func receive(_ lsas: [LSA], from n: UInt8, on interface: OSPFInterfaceID = if0,
                          at time: SimTime = now) -> [FloodingAction] {
        var actions: [FloodingAction] = []
        receiveUpdate(lsas, on: interface, from: peerID(n), now: time, actions: &actions)
        return actions.withoutDebug
    }
}

extension Array where Element == FloodingAction {
    var withoutDebug: [FloodingAction] { filter { if case .debug = $0 { false } else { true } } }

    var updates: [FloodingAction] { filter { if case .sendUpdate = $0 { true } else { false } } }
    var acks: [FloodingAction] { filter { if case .sendAcknowledgment = $0 { true } else { false } } }
    var delayedAckTimers: [FloodingAction] {
        filter { if case .startDelayedAckTimer = $0 { true } else { false } }
    }
}
