/// Neighbor states, RFC 2328 §10.1.
public enum NeighborState: Int, Hashable, Comparable, Sendable, CustomStringConvertible {
    case down, attempt
    case initState // RFC 2328 "Init"
    case twoWay, exStart, exchange, loading, full

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// As IOS prints the state in `%OSPF-5-ADJCHG` and `show ip ospf neighbor`.
    public var description: String {
        switch self {
        case .down: "DOWN"
        case .attempt: "ATTEMPT"
        case .initState: "INIT"
        case .twoWay: "2WAY"
        case .exStart: "EXSTART"
        case .exchange: "EXCHANGE"
        case .loading: "LOADING"
        case .full: "FULL"
        }
    }
}

/// Neighbor events, RFC 2328 §10.2.
public enum NeighborEvent: Hashable, Sendable, CustomStringConvertible {
    case helloReceived
    case start
    case twoWayReceived
    case negotiationDone
    case exchangeDone
    case badLSReq
    case loadingDone
    case adjOK // RFC 2328 "AdjOK?"
    case seqNumberMismatch
    case oneWay // RFC 2328 "1-Way"
    case killNbr
    case inactivityTimer
    case llDown

    /// The reason text IOS appends to `%OSPF-5-ADJCHG`. Transitions to Down carry the "Neighbor Down:" prefix.
    /// IOS behaviour: KillNbr (interface down, `clear ip ospf process`) and LLDown both read "Interface down or
    /// detached"; the 1-Way and AdjOK? wordings are the RFC's names (unconfirmed against IOS).
    public var description: String {
        switch self {
        case .helloReceived: "Received Hello"
        case .start: "Start"
        case .twoWayReceived: "2-Way Received"
        case .negotiationDone: "Negotiation Done"
        case .exchangeDone: "Exchange Done"
        case .badLSReq: "BadLSReq"
        case .loadingDone: "Loading Done"
        case .adjOK: "AdjOK?"
        case .seqNumberMismatch: "SeqNumberMismatch"
        case .oneWay: "1-Way"
        case .killNbr: "Interface down or detached"
        case .inactivityTimer: "Dead timer expired"
        case .llDown: "Interface down or detached"
        }
    }
}
