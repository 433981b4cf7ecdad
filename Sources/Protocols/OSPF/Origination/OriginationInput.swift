import Wire

// MARK: - What LSA origination reads (RFC 2328 §12.4)

/// A neighbor in state Full on one of this router's interfaces (RFC 2328 §10.1).
public struct FullNeighbor: Hashable, Sendable {
    public var routerID: IPv4Address
    /// The neighbor's address on the shared network (RFC 2328 §10 "Neighbor IP address").
    public var address: IPv4Address

    public init(routerID: IPv4Address, address: IPv4Address) {
        self.routerID = routerID
        self.address = address
    }
}

/// One of this router's OSPF interfaces as origination sees it: the §9 data items that shape the
/// router-LSA's links (§12.4.1) and, on a network where we are DR, the network-LSA (§12.4.2).
public struct OriginatingInterface: Hashable, Sendable {
    public var id: OSPFInterfaceID
    public var type: OSPFNetworkType
    /// The interface machine's state (RFC 2328 §9.1).
    public var state: InterfaceState
    /// The interface output cost (RFC 2328 §9 "Interface output cost(s)").
    public var cost: UInt16
    public var address: IPv4Address
    public var mask: IPv4Address
    /// The DR's interface address as this interface knows it (0.0.0.0: none).
    public var designatedRouter: IPv4Address
    /// The neighbors on this interface in state Full.
    public var fullNeighbors: [FullNeighbor]

    public init(id: OSPFInterfaceID, type: OSPFNetworkType = .broadcast, state: InterfaceState, cost: UInt16 = 1,
                address: IPv4Address, mask: IPv4Address, designatedRouter: IPv4Address = .any,
                fullNeighbors: [FullNeighbor] = []) {
        self.id = id
        self.type = type
        self.state = state
        self.cost = cost
        self.address = address
        self.mask = mask
        self.designatedRouter = designatedRouter
        self.fullNeighbors = fullNeighbors
    }

    /// RFC 2328 §12.4.2: this router is the network's DR (the interface is in state DR and names itself).
    public var isDesignatedRouter: Bool { state == .dr && designatedRouter == address }

    var prefix: IPv4Prefix? { IPv4Prefix(address, mask: mask) }
}

/// An area's type and the ABR options that go with it (IOS `area X stub [no-summary]`,
/// `area X nssa [no-summary] [default-information-originate] [no-redistribution]`, `area X default-cost`).
public enum OriginationAreaKind: Hashable, Sendable {
    case normal
    /// RFC 2328 §3.6. `noSummary`: IOS totally stubby area, only the default summary enters.
    case stub(noSummary: Bool = false, defaultCost: UInt32 = 1)
    /// RFC 3101. `noSummary`: IOS totally NSSA; `defaultInformationOriginate`: the ABR's type-7 default;
    /// `noRedistribution`: an ABR's own redistributed routes stay out of the NSSA.
    case nssa(noSummary: Bool = false, defaultCost: UInt32 = 1, defaultInformationOriginate: Bool = false,
              defaultMetric: UInt32 = 1, defaultIsType2: Bool = true, noRedistribution: Bool = false)

    /// The type the routing table calculation wants (`SPFArea.type`).
    public var areaType: OSPFAreaType {
        switch self {
        case .normal: .normal
        case .stub: .stub
        case .nssa: .nssa
        }
    }

    /// RFC 2328 §3.6, RFC 3101 §2.1: AS-external-LSAs (type 5) are not flooded into stub areas and NSSAs.
    public var carriesASExternals: Bool { self == .normal }

    /// RFC 2328 A.2: the E-bit of every LSA originated into the area; clear in stub areas and NSSAs.
    var options: OSPFOptions { carriesASExternals ? .e : [] }
}

/// IOS `area X range P [advertise | not-advertise] [cost C]` (RFC 2328 §3.5 address ranges).
public struct AreaRange: Hashable, Sendable {
    public var prefix: IPv4Prefix
    /// RFC 2328 C.2 "Advertise" / "DoNotAdvertise".
    public var advertise: Bool
    /// IOS `cost C`: a fixed summary cost instead of the components' maximum.
    public var cost: UInt32?

    public init(prefix: IPv4Prefix, advertise: Bool = true, cost: UInt32? = nil) {
        self.prefix = prefix
        self.advertise = advertise
        self.cost = cost
    }
}

/// One attached area: its type, address ranges and this router's interfaces in it.
public struct OriginationArea: Hashable, Sendable {
    public var id: AreaID
    public var kind: OriginationAreaKind
    public var interfaces: [OriginatingInterface]
    /// Ranges summarising this area's intra-area routes into other areas (RFC 2328 §12.4.3).
    public var ranges: [AreaRange]

    public init(id: AreaID, kind: OriginationAreaKind = .normal, interfaces: [OriginatingInterface],
                ranges: [AreaRange] = []) {
        self.id = id
        self.kind = kind
        self.interfaces = interfaces
        self.ranges = ranges
    }

    /// RFC 2328 §12.4.1: an interface in state Down adds nothing; one with no interface up is not "attached".
    var isActive: Bool { interfaces.contains { $0.state != .down } }
}

/// A route redistributed into OSPF (IOS `redistribute ...`), described as RFC 2328 §12.4.4 needs it.
public struct RedistributedRoute: Hashable, Sendable {
    public var prefix: IPv4Prefix
    /// IOS default: 20 for routes redistributed from other protocols (1 for BGP; this emulator uses 20).
    public var metric: UInt32
    /// IOS `metric-type`: 2 by default.
    public var isType2: Bool
    public var tag: UInt32
    public var forwardingAddress: IPv4Address

    public init(prefix: IPv4Prefix, metric: UInt32 = 20, isType2: Bool = true, tag: UInt32 = 0,
                forwardingAddress: IPv4Address = .any) {
        self.prefix = prefix
        self.metric = metric
        self.isType2 = isType2
        self.tag = tag
        self.forwardingAddress = forwardingAddress
    }
}

/// RFC 3101 §3.1 NSSATranslatorRole (IOS `area X nssa translate type7 always`; Candidate by default).
public enum NSSATranslatorRole: Hashable, Sendable {
    case candidate
    case always
}

/// Everything the router's LSA origination reads (RFC 2328 §12.4).
public struct OriginationInput: Hashable, Sendable {
    public var routerID: IPv4Address
    public var areas: [OriginationArea]
    /// Routes redistributed into OSPF; any makes the router an AS boundary router (RFC 2328 §3.3).
    public var redistributed: [RedistributedRoute]
    /// IOS `default-information originate`: a type-5 default from an ASBR (never a type 7).
    public var defaultInformationOriginate: RedistributedRoute?
    /// The router's RIB holds a default route from another source: what `area X nssa
    /// default-information-originate` needs on a router that is not the NSSA's ABR (ios-behavior.md §7.3).
    public var hasDefaultRoute: Bool
    public var translatorRole: NSSATranslatorRole
    /// The router is the elected translator of one of its NSSAs (`LSAOrigination.isNSSATranslator`) and
    /// originates translated type-5s, so the rest of the AS reaches it as an AS boundary router (RFC 3101 §3.2).
    public var isTranslatingType7: Bool

    public init(routerID: IPv4Address, areas: [OriginationArea], redistributed: [RedistributedRoute] = [],
                defaultInformationOriginate: RedistributedRoute? = nil, translatorRole: NSSATranslatorRole = .candidate,
                isTranslatingType7: Bool = false, hasDefaultRoute: Bool = false) {
        self.routerID = routerID
        self.hasDefaultRoute = hasDefaultRoute
        self.areas = areas
        self.redistributed = redistributed
        self.defaultInformationOriginate = defaultInformationOriginate
        self.translatorRole = translatorRole
        self.isTranslatingType7 = isTranslatingType7
    }

    /// RFC 3509 §2.2 and IOS (as `SPF` decides it): attached to more than one area, one of them the backbone.
    public var isAreaBorderRouter: Bool {
        let active = areas.filter(\.isActive)
        return active.count > 1 && active.contains { $0.id.isBackbone }
    }

    /// RFC 2328 §3.3: the router imports external routes.
    public var isASBoundaryRouter: Bool { !redistributed.isEmpty || defaultInformationOriginate != nil }

    func area(_ id: AreaID) -> OriginationArea? { areas.first { $0.id == id } }

    /// The interface that owns a routing table next hop.
    func areaOf(_ interface: OSPFInterfaceID) -> AreaID? {
        areas.first { $0.interfaces.contains { $0.id == interface } }?.id
    }
}
