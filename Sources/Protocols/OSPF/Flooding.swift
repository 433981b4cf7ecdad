import Engine
import Wire

/// Which database holds an LSA and how far it floods (RFC 2328 §12.4.4, RFC 3101 §2.1): AS-external-LSAs
/// (type 5) through every area that carries them, every other type — type 7 too — through one area.
public enum FloodingScope: Hashable, Comparable, Sendable, CustomStringConvertible {
    case area(AreaID)
    case autonomousSystem

    public var description: String {
        switch self {
        case let .area(area): "area \(area)"
        case .autonomousSystem: "AS"
        }
    }
}

/// What the flooding procedure asks its owner to do (RFC 2328 §13–§14). Deadlines are absolute; a start of
/// a timer already running replaces its deadline.
public enum FloodingAction: Hashable, Sendable {
    /// Send one LS Update. The LSAs' ages already include the interface's InfTransDelay (RFC 2328 §13.3).
    case sendUpdate([LSA], interface: OSPFInterfaceID, destination: IPv4Address)
    case sendAcknowledgment([LSAHeader], interface: OSPFInterfaceID, destination: IPv4Address)
    /// RFC 2328 §13.6: the neighbor's retransmission list is no longer empty, or was retransmitted.
    case startRetransmitTimer(interface: OSPFInterfaceID, neighborID: IPv4Address, at: SimTime)
    case stopRetransmitTimer(interface: OSPFInterfaceID, neighborID: IPv4Address)
    /// RFC 2328 §13.5: the first delayed acknowledgement of a batch was queued on the interface.
    case startDelayedAckTimer(interface: OSPFInterfaceID, at: SimTime)
    /// RFC 2328 §14: the next time an LSA reaches MaxAge or a flushed LSA may leave the database.
    case startAgeingTimer(at: SimTime)
    /// What the interface or one of its neighbors asks for: Loading Done after the last requested LSA
    /// arrived, or `.neighborEvent(.badLSReq, ...)` for the owner to run (RFC 2328 §13 (6)).
    case interface(OSPFInterfaceID, InterfaceAction)
    /// RFC 2328 §13.4: a more recent instance of one of our own LSAs arrived (and was installed and flooded).
    /// The owner originates a new instance with a sequence number one above the received one, or, if it no
    /// longer wants the LSA, flushes it with `prematurelyAge(_:in:now:actions:)`.
    case selfOriginatedLSAReceived(LSA, scope: FloodingScope)
    /// RFC 2328 §13.2: an LSA was installed (or reached MaxAge); if its contents changed, the owner
    /// schedules the routing table calculation.
    case installed(LSAKey, scope: FloodingScope, contentsChanged: Bool)
    /// RFC 2328 §14: a MaxAge LSA left the database.
    case removed(LSAKey, scope: FloodingScope)
    /// A debug line, only produced for interfaces debugging `.flood`.
    case debug(OSPFDebugLine)
}

/// One router's flooding procedure and databases (RFC 2328 §13, §14): the area and AS-external LSDBs, the
/// interfaces with their neighbors (whose retransmission and request lists it maintains), the delayed
/// acknowledgements queued per interface. It reads no clock and sends nothing: every entry point takes
/// `now` and appends `FloodingAction`s to a buffer the owner passes in.
///
/// `interfaces[i]` is the interface `OSPFInterfaceID(i)`; the owner runs hellos and database exchange on
/// them in place, so the neighbor lists the flooding sees are always the current ones.
public struct OSPFFlooding: Sendable {
    public var routerID: IPv4Address
    public var interfaces: [OSPFInterface]
    public var areaDatabases: [AreaID: LSDB]
    public var asExternalDatabase = LSDB()
    /// The router-wide debugs (`debug ip ospf lsa-generation`); the interfaces keep their own copy.
    public var debugging: OSPFDebugFlags = []
    /// IOS behaviour: delayed acknowledgements go out about once a second (RFC 2328 §13.5 only asks for less
    /// than RxmtInterval).
    public var delayedAckInterval = SimDuration.seconds(1)
    /// The delayed acknowledgements waiting on each interface (RFC 2328 §13.5).
    public internal(set) var pendingDelayedAcks: [OSPFInterfaceID: [LSAHeader]] = [:]

    /// When each LSA now in a database was installed from an LS Update (RFC 2328 §13 (5)(a)); own and
    /// prematurely aged LSAs are not listed.
    var receivedByFloodingAt: [ScopedKey: SimTime] = [:]
    /// When we last sent our more recent copy back to a neighbor (RFC 2328 §13 (8)).
    var sentBackAt: [SentBack: SimTime] = [:]
    /// MaxAge LSAs already flooded as such, so the ageing sweep floods each once (RFC 2328 §14).
    var maxAgeFlooded: Set<ScopedKey> = []
    /// Neighbors whose retransmission timer runs (RFC 2328 §13.6).
    var retransmitting: Set<NeighborRef> = []
    var ageingDeadline: SimTime?

    public init(routerID: IPv4Address, interfaces: [OSPFInterface] = [], areaDatabases: [AreaID: LSDB] = [:]) {
        self.routerID = routerID
        self.interfaces = interfaces
        self.areaDatabases = areaDatabases
        for interface in interfaces where self.areaDatabases[interface.areaID] == nil {
            self.areaDatabases[interface.areaID] = LSDB()
        }
    }

    struct ScopedKey: Hashable, Sendable {
        var scope: FloodingScope
        var key: LSAKey
    }

    struct NeighborRef: Hashable, Sendable {
        var interface: OSPFInterfaceID
        var neighborID: IPv4Address
    }

    struct SentBack: Hashable, Sendable {
        var neighbor: NeighborRef
        var lsa: ScopedKey
    }

    // MARK: - Databases

    /// The database of one scope.
    public func database(_ scope: FloodingScope) -> LSDB {
        switch scope {
        case let .area(area): areaDatabases[area] ?? LSDB()
        case .autonomousSystem: asExternalDatabase
        }
    }

    mutating func withDatabase<R>(_ scope: FloodingScope, _ body: (inout LSDB) -> R) -> R {
        switch scope {
        case let .area(area): body(&areaDatabases[area, default: LSDB()])
        case .autonomousSystem: body(&asExternalDatabase)
        }
    }

    /// The scope of an LSA of `type` met on an interface of `area`.
    public static func scope(of type: LSAType, area: AreaID) -> FloodingScope {
        type == .asExternal ? .autonomousSystem : .area(area)
    }

    /// The header of a database entry as it would be sent at `now` (§13.1 comparisons use current ages).
    func lsa(_ entry: LSDB.Entry, sentOn interface: OSPFInterface, now: SimTime) -> LSA {
        // RFC 2328 §13.3: "the LS age field ... must be incremented by InfTransDelay", stopping at MaxAge.
        var lsa = entry.lsa
        let delay = interface.infTransDelay.nanoseconds / 1_000_000_000
        lsa.age = UInt16(min(Int64(entry.age(at: now)) + delay, Int64(LSAHeader.maxAge)))
        return lsa
    }

    /// RFC 2328 §13.4: we originated the LSA, or it is a network-LSA for one of our interface addresses.
    public func isSelfOriginated(_ lsa: LSA) -> Bool {
        if lsa.advertisingRouter == routerID { return true }
        return lsa.type == .network && interfaces.contains { $0.address == lsa.linkStateID }
    }

    /// RFC 2328 §13 (4), §14 (2): some neighbor of the router is still exchanging or loading its database.
    var anyNeighborExchangingOrLoading: Bool {
        interfaces.contains { $0.neighbors.contains { $0.state == .exchange || $0.state == .loading } }
    }

    func debug(_ interface: OSPFInterfaceID, _ text: @autoclosure () -> String, actions: inout [FloodingAction]) {
        let i = interface.rawValue
        guard interfaces.indices.contains(i), interfaces[i].debugging.contains(.flood) else { return }
        actions.append(.debug(OSPFDebugLine(.flood, interfaceName: interfaces[i].name, text: text())))
    }
}

/// RFC 2328 §13.1, for lists that hold headers: the same sequence number and checksum, and both or neither
/// at MaxAge. (The MaxAgeDiff rule is left out: a listed header and its acknowledgement are seconds apart.)
func isSameInstance(_ a: LSAHeader, _ b: LSAHeader) -> Bool {
    a.sequenceNumber == b.sequenceNumber && a.checksum == b.checksum
        && (a.age == LSAHeader.maxAge) == (b.age == LSAHeader.maxAge)
}

extension LSAHeader {
    var lsaKey: LSAKey { LSAKey(type: type, linkStateID: linkStateID, advertisingRouter: advertisingRouter) }
}

extension LSARequest {
    init(_ key: LSAKey) {
        self.init(type: key.type, linkStateID: key.linkStateID, advertisingRouter: key.advertisingRouter)
    }
}

extension OSPFPacketBudget {
    /// RFC 2328 §13.5: the LSA headers one LS Acknowledgment carries within the MTU.
    public static func headersPerAcknowledgment(mtu: UInt16) -> Int {
        max(1, (Int(mtu) - 20 - OSPFPacket.headerLength) / LSAHeader.encodedLength)
    }

    /// RFC 2328 A.3.5: the LSA bytes one LS Update carries within the MTU (after the 4-byte count).
    public static func lsaBytesPerUpdate(mtu: UInt16) -> Int {
        Int(mtu) - 20 - OSPFPacket.headerLength - 4
    }
}
