/// Interface states, RFC 2328 §9.1.
public enum InterfaceState: Hashable, Sendable, CustomStringConvertible {
    case down, loopback, waiting, pointToPoint
    case drOther // RFC 2328 "DR Other"
    case backup, dr

    /// As IOS prints the state in `show ip ospf interface` ("State DR, Priority 1").
    public var description: String {
        switch self {
        case .down: "DOWN"
        case .loopback: "LOOPBACK"
        case .waiting: "WAITING"
        case .pointToPoint: "POINT_TO_POINT"
        case .drOther: "DROTHER"
        case .backup: "BDR"
        case .dr: "DR"
        }
    }
}

/// Interface events, RFC 2328 §9.2.
public enum InterfaceEvent: Hashable, Sendable, CustomStringConvertible {
    case interfaceUp, waitTimer, backupSeen, neighborChange, loopInd, unloopInd, interfaceDown

    public var description: String {
        switch self {
        case .interfaceUp: "InterfaceUp"
        case .waitTimer: "WaitTimer"
        case .backupSeen: "BackupSeen"
        case .neighborChange: "NeighborChange"
        case .loopInd: "LoopInd"
        case .unloopInd: "UnloopInd"
        case .interfaceDown: "InterfaceDown"
        }
    }
}
