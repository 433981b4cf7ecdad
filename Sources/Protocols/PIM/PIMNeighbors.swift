import Engine
import Wire

/// A PIM neighbor on one interface, learned from its Hellos (RFC 7761 §4.3.1).
public struct PIMNeighbor: Hashable, Sendable {
    public var address: IPv4Address
    public var uptime: SimTime
    /// Now + the Hello's holdtime; nil for holdtime 0xFFFF (never times out).
    public var expires: SimTime?
    /// Nil: the neighbor sent no DR Priority option (IOS flag N, "Default DR Priority").
    public var drPriority: UInt32?
    public var generationID: UInt32?
    /// The neighbor advertised State Refresh capability (option 21; IOS mode letter S).
    public var stateRefreshCapable = false
}

/// Why a neighbor left the table (`%PIM-5-NBRCHG ... DOWN`).
public enum PIMNeighborLoss: Hashable, Sendable {
    /// Neighbor Liveness Timer expired.
    case holdtimeExpired
    /// A Hello with holdtime 0 (RFC 7761 §4.3.1: the neighbor is going away).
    case goodbye
    /// Our interface went down or PIM stopped on it.
    case interfaceDown
}

/// What the neighbor machine of an interface asks its owner to do (STYLE §4: actions out).
public enum PIMInterfaceAction: Hashable, Sendable {
    case neighborUp(IPv4Address)
    case neighborDown(IPv4Address, PIMNeighborLoss)
    /// A known neighbor's Generation ID changed: it restarted and lost our join state (§4.3.1).
    case neighborRestarted(IPv4Address)
    /// The DR of the interface changed (§4.3.2), from the old to the new address (0.0.0.0 at first).
    case drChanged(from: IPv4Address, to: IPv4Address)
    /// Send a Hello within Triggered_Hello_Delay (a new or restarted neighbor, §4.3.1).
    case triggerHello
}

/// PIM on one router interface: our Hello parameters, the neighbors, and the elected DR (RFC 7761 §4.3).
public struct PIMInterface: Sendable {
    public var index: Int
    public var name: String
    public var address: IPv4Address
    public var prefix: IPv4Prefix
    public var drPriority: UInt32
    public var helloPeriod: SimDuration
    public var generationID: UInt32
    public var neighbors: [PIMNeighbor] = []
    /// 0.0.0.0 until the interface comes up and elects one.
    public var designatedRouter: IPv4Address = .any
    public var isUp = false
    /// Sparse-dense mode (`ip pim sparse-dense-mode`), shown as `v2/SD`; it works as sparse when an RP is known.
    public var sparseDense = false

    public init(index: Int, name: String, address: IPv4Address, prefix: IPv4Prefix, drPriority: UInt32 = 1,
                helloPeriod: SimDuration = PIMTimers.helloPeriod, generationID: UInt32) {
        self.index = index
        self.name = name
        self.address = address
        self.prefix = prefix
        self.drPriority = drPriority
        self.helloPeriod = helloPeriod
        self.generationID = generationID
    }

    /// Hello holdtime: 3.5 × the Hello period (RFC 7761 §4.11 Default_Hello_Holdtime).
    public var holdtimeSeconds: UInt16 { UInt16(clamping: helloPeriod.nanoseconds * 7 / 2 / 1_000_000_000) }

    public var isDR: Bool { designatedRouter == address }

    /// The Hello we send (IOS options: holdtime, DR priority, generation ID, State Refresh capable).
    public func hello(goodbye: Bool = false) -> PIMHello {
        PIMHello(holdtime: goodbye ? 0 : holdtimeSeconds, drPriority: drPriority, generationID: generationID,
                 otherOptions: [PIMHello.Option(type: 21, value: [1, 0, 0, 0])])
    }

    public func neighbor(_ address: IPv4Address) -> PIMNeighbor? { neighbors.first { $0.address == address } }

    /// The interface came up: alone on it, we are the DR.
    public mutating func comeUp(actions: inout [PIMInterfaceAction]) {
        isUp = true
        electDR(actions: &actions)
    }

    /// The interface went down or PIM left it: every neighbor goes, the DR is forgotten.
    public mutating func goDown(actions: inout [PIMInterfaceAction]) {
        isUp = false
        for n in neighbors { actions.append(.neighborDown(n.address, .interfaceDown)) }
        neighbors = []
        designatedRouter = .any
    }

    /// RFC 7761 §4.3.1: a Hello from `source` creates or refreshes the neighbor; holdtime 0 removes it; a new
    /// Generation ID is a restart. The DR is elected again after every Hello (§4.3.2: preemptive).
    public mutating func receiveHello(_ hello: PIMHello, from source: IPv4Address, now: SimTime,
                                      actions: inout [PIMInterfaceAction]) {
        guard isUp, source != address else { return }
        let index = neighbors.firstIndex { $0.address == source }
        if hello.holdtime == 0 {
            if let index {
                neighbors.remove(at: index)
                actions.append(.neighborDown(source, .goodbye))
                electDR(actions: &actions)
            }
            return
        }
        let expires: SimTime? = hello.holdtime == 0xFFFF ? nil : now + .seconds(Int64(hello.holdtime))
        let stateRefresh = hello.otherOptions.contains { $0.type == 21 }
        if let index {
            let restarted = hello.generationID != nil && neighbors[index].generationID != nil
                && hello.generationID != neighbors[index].generationID
            neighbors[index].expires = expires
            neighbors[index].drPriority = hello.drPriority
            neighbors[index].generationID = hello.generationID
            neighbors[index].stateRefreshCapable = stateRefresh
            if restarted {
                neighbors[index].uptime = now
                actions.append(.neighborRestarted(source))
                actions.append(.triggerHello)
            }
        } else {
            neighbors.append(PIMNeighbor(address: source, uptime: now, expires: expires, drPriority: hello.drPriority,
                                         generationID: hello.generationID, stateRefreshCapable: stateRefresh))
            neighbors.sort { $0.address < $1.address }
            actions.append(.neighborUp(source))
            actions.append(.triggerHello)
        }
        electDR(actions: &actions)
    }

    /// Neighbor Liveness Timers that ran out by `now` (RFC 7761 §4.3.1).
    public mutating func expireNeighbors(now: SimTime, actions: inout [PIMInterfaceAction]) {
        let gone = neighbors.filter { $0.expires.map { $0 <= now } ?? false }
        guard !gone.isEmpty else { return }
        neighbors.removeAll { n in gone.contains { $0.address == n.address } }
        for n in gone { actions.append(.neighborDown(n.address, .holdtimeExpired)) }
        electDR(actions: &actions)
    }

    /// Our DR priority changed (`ip pim dr-priority`): the election runs again (our next Hello tells the others).
    public mutating func setDRPriority(_ priority: UInt32, actions: inout [PIMInterfaceAction]) {
        drPriority = priority
        if isUp { electDR(actions: &actions) }
    }

    mutating func electDR(actions: inout [PIMInterfaceAction]) {
        let elected = Self.electDR(me: address, priority: drPriority, neighbors: neighbors)
        if elected != designatedRouter {
            actions.append(.drChanged(from: designatedRouter, to: elected))
            designatedRouter = elected
        }
    }

    /// DR election, RFC 7761 §4.3.2: the highest DR priority wins, then the highest address. When any router
    /// on the link sends no DR Priority option, priorities are ignored and the highest address wins.
    public static func electDR(me: IPv4Address, priority: UInt32, neighbors: [PIMNeighbor]) -> IPv4Address {
        let usePriority = neighbors.allSatisfy { $0.drPriority != nil }
        var best = (priority: usePriority ? priority : 0, address: me)
        for n in neighbors {
            let candidate = (priority: usePriority ? n.drPriority ?? 1 : 0, address: n.address)
            if (candidate.priority, candidate.address.rawValue) > (best.priority, best.address.rawValue) { best = candidate }
        }
        return best.address
    }

    /// The earliest Neighbor Liveness Timer, for the owner's sweep.
    public var nextNeighborExpiry: SimTime? { neighbors.compactMap(\.expires).min() }
}
