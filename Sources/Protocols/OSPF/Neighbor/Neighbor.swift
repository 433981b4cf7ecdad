import Engine
import Wire

/// What a neighbor's state machine knows of the interface it is reached through (RFC 2328 §9, §10.4, §10.6):
/// a snapshot the owning `OSPFInterface` hands in with every event, so the neighbor holds no reference to it.
public struct NeighborLink: Hashable, Sendable {
    public var networkType: OSPFNetworkType
    /// Our router ID and our address on this interface.
    public var routerID: IPv4Address
    public var interfaceAddress: IPv4Address
    /// The interface's current Designated and Backup Designated Router (interface addresses, 0.0.0.0 if none).
    public var designatedRouter: IPv4Address
    public var backupDesignatedRouter: IPv4Address
    /// Our options, as sent in hellos and database descriptions.
    public var options: OSPFOptions
    /// The largest IP datagram this interface sends unfragmented (IOS `ip mtu`, default 1500).
    public var interfaceMTU: UInt16
    /// `ip ospf mtu-ignore`: the DD MTU check is skipped.
    public var mtuIgnore: Bool
    public var rxmtInterval: SimDuration
    public var routerDeadInterval: SimDuration
    /// RFC 2328 §3.6 ExternalRoutingCapability: false in stub areas and NSSAs, where AS-external LSAs may not appear.
    public var externalRoutingCapable: Bool
    /// For debug lines: the interface's short name and the debugs turned on.
    public var interfaceName: String
    public var debugging: OSPFDebugFlags

    public init(networkType: OSPFNetworkType, routerID: IPv4Address, interfaceAddress: IPv4Address,
                designatedRouter: IPv4Address = .any, backupDesignatedRouter: IPv4Address = .any,
                options: OSPFOptions = .e, interfaceMTU: UInt16 = 1500, mtuIgnore: Bool = false,
                rxmtInterval: SimDuration = OSPFConstants.rxmtInterval,
                routerDeadInterval: SimDuration = OSPFConstants.routerDeadInterval, externalRoutingCapable: Bool = true,
                interfaceName: String = "", debugging: OSPFDebugFlags = []) {
        self.networkType = networkType
        self.routerID = routerID
        self.interfaceAddress = interfaceAddress
        self.designatedRouter = designatedRouter
        self.backupDesignatedRouter = backupDesignatedRouter
        self.options = options
        self.interfaceMTU = interfaceMTU
        self.mtuIgnore = mtuIgnore
        self.rxmtInterval = rxmtInterval
        self.routerDeadInterval = routerDeadInterval
        self.externalRoutingCapable = externalRoutingCapable
        self.interfaceName = interfaceName
        self.debugging = debugging
    }

    func debug(_ text: @autoclosure () -> String, actions: inout [NeighborAction]) {
        debug(.adj, text(), actions: &actions)
    }

    func debug(_ category: OSPFDebugFlags, _ text: @autoclosure () -> String, actions: inout [NeighborAction]) {
        guard !debugging.isDisjoint(with: category) else { return }
        actions.append(.debug(OSPFDebugLine(category, interfaceName: interfaceName, text: text())))
    }

    /// RFC 2328 A.3.3: the Interface MTU field of our DDs, 0 over virtual links.
    var advertisedMTU: UInt16 { networkType == .virtualLink ? 0 : interfaceMTU }

    var weAreDesignatedRouter: Bool { designatedRouter == interfaceAddress && designatedRouter != .any }
}

/// Our side of the master/slave relationship of a database exchange (RFC 2328 §10, "Master/Slave").
public enum DatabaseExchangeRole: Hashable, Sendable { case master, slave }

/// The fields of the last database description received, by which a duplicate is recognised (RFC 2328 §10.6).
public struct ReceivedDatabaseDescription: Hashable, Sendable {
    public var flags: OSPFDatabaseDescription.Flags
    public var options: OSPFOptions
    public var sequenceNumber: UInt32

    public init(_ dd: OSPFDatabaseDescription) {
        flags = dd.flags
        options = dd.options
        sequenceNumber = dd.sequenceNumber
    }
}

/// One adjacency state change, for the `%OSPF-5-ADJCHG` syslog line (the owner knows process and interface).
public struct AdjacencyChange: Hashable, Sendable {
    public var neighborID: IPv4Address
    public var from: NeighborState
    public var to: NeighborState
    public var event: NeighborEvent

    /// IOS `log-adjacency-changes` (the default) logs reaching Full and going Down; `... detail` logs every change.
    public var isLoggedByDefault: Bool { to == .full || to == .down }

    /// `%OSPF-5-ADJCHG: Process 1, Nbr 2.2.2.2 on GigabitEthernet0/0 from LOADING to FULL, Loading Done`
    public func syslogLine(processID: Int, interfaceName: String) -> String {
        let reason = to == .down ? "Neighbor Down: \(event)" : "\(event)"
        return "%OSPF-5-ADJCHG: Process \(processID), Nbr \(neighborID) on \(interfaceName) "
            + "from \(from) to \(to), \(reason)"
    }
}

/// What the neighbor state machine asks its owner to do (RFC 2328 §10.3–§10.9). Timer deadlines are absolute.
public enum NeighborAction: Hashable, Sendable {
    /// NBMA Start (RFC 2328 §10.3): send this interface's hello to the neighbor now.
    case sendHello
    case sendDatabaseDescription(OSPFDatabaseDescription)
    case sendLinkStateRequest([LSARequest])
    case restartInactivityTimer(at: SimTime)
    case stopInactivityTimer
    case startDDRetransmitTimer(at: SimTime)
    case stopDDRetransmitTimer
    case startLSRRetransmitTimer(at: SimTime)
    case stopLSRRetransmitTimer
    /// RFC 2328 §12.4: the neighbor reached or left Full, so our router-LSA (and, as DR, the network-LSA) changes.
    case originateRouterLSA
    case originateNetworkLSA
    case adjacencyChanged(AdjacencyChange)
    /// A debug line, only produced when `NeighborLink.debugging` has `.adj`.
    case debug(OSPFDebugLine)
}

/// One neighbor on one interface: the data structure of RFC 2328 §10.
public struct OSPFNeighbor: Hashable, Sendable {
    public internal(set) var state: NeighborState = .down
    /// The Inactivity Timer's deadline, kept for `show ip ospf neighbor` ("Dead Time"); the owner runs the timer.
    public internal(set) var inactivityDeadline: SimTime?
    /// Our role in the database exchange; meaningful from ExStart on.
    public internal(set) var role: DatabaseExchangeRole = .master
    public internal(set) var ddSequenceNumber: UInt32 = 0
    public internal(set) var lastReceivedDD: ReceivedDatabaseDescription?
    /// The last database description we sent, retransmitted by the master and re-sent by the slave on a duplicate.
    public internal(set) var lastSentDD: OSPFDatabaseDescription?
    /// Set once the first adjacency is attempted; the DD sequence number is then incremented, not re-chosen.
    public internal(set) var hasAttemptedAdjacency = false
    /// State changes since the neighbor was first heard from (`show ip ospf neighbor detail`: "6 state changes").
    public internal(set) var stateChanges = 0
    /// When the neighbor last became bidirectional (2-Way or above); nil below 2-Way ("Neighbor is up for").
    public internal(set) var bidirectionalSince: SimTime?
    /// LSAs retransmitted to the neighbor (RFC 2328 §13.6), for "number of retransmission".
    public internal(set) var retransmissions = 0

    public var neighborID: IPv4Address
    public var priority: UInt8
    public var address: IPv4Address
    public var options: OSPFOptions
    /// The neighbor's view of DR and BDR, from its last hello (interface addresses).
    public var designatedRouter: IPv4Address
    public var backupDesignatedRouter: IPv4Address

    public var linkStateRetransmissionList: [LSAHeader] = []
    public var databaseSummaryList: [LSAHeader] = []
    public var linkStateRequestList: [LSARequest] = []
    /// The requests of the last LS Request packet not yet answered (RFC 2328 §10.9).
    public internal(set) var outstandingRequests: [LSARequest] = []

    public init(neighborID: IPv4Address, address: IPv4Address, priority: UInt8 = OSPFConstants.routerPriority,
                options: OSPFOptions = [], designatedRouter: IPv4Address = .any,
                backupDesignatedRouter: IPv4Address = .any) {
        self.neighborID = neighborID
        self.address = address
        self.priority = priority
        self.options = options
        self.designatedRouter = designatedRouter
        self.backupDesignatedRouter = backupDesignatedRouter
    }

    /// A neighbor in state ≥ 2-Way takes part in DR election and is listed as bidirectional.
    public var isBidirectional: Bool { state >= .twoWay }
    /// The neighbor declares itself DR (RFC 2328 §9.4).
    public var declaresItselfDR: Bool { designatedRouter == address && address != .any }
    public var declaresItselfBDR: Bool { backupDesignatedRouter == address && address != .any }
}
