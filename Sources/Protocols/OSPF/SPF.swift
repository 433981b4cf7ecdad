import Engine
import HeapModule
import Wire

// MARK: - Input

/// A small identifier for one of this router's OSPF interfaces, chosen by the owner of the interfaces
/// (the Lab gives each configured interface a number). The routing table names next hops with it.
public struct OSPFInterfaceID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: OSPFInterfaceID, b: OSPFInterfaceID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "if\(rawValue)" }
}

/// One of this router's OSPF interfaces as the routing table calculation sees it: enough to turn
/// the router-LSA's links into outgoing interfaces and next hops (RFC 2328 §16.1.1).
public struct SPFInterface: Hashable, Sendable {
    public var id: OSPFInterfaceID
    public var area: AreaID
    public var address: IPv4Address
    public var mask: IPv4Address

    public init(id: OSPFInterfaceID, area: AreaID, address: IPv4Address, mask: IPv4Address) {
        self.id = id
        self.area = area
        self.address = address
        self.mask = mask
    }

    var prefix: IPv4Prefix? { IPv4Prefix(address, mask: mask) }
}

/// How an area carries AS-external information (RFC 2328 §3.6 stub areas, RFC 3101 NSSAs).
public enum OSPFAreaType: Hashable, Sendable {
    case normal
    case stub
    case nssa
}

/// One attached area as the calculation needs it: its database and its type.
public struct SPFArea: Sendable {
    public var id: AreaID
    public var type: OSPFAreaType
    public var lsdb: LSDB

    public init(id: AreaID, type: OSPFAreaType = .normal, lsdb: LSDB) {
        self.id = id
        self.type = type
        self.lsdb = lsdb
    }
}

/// Which order to prefer AS-external paths of the same metric type from type-5 and type-7 LSAs in.
public enum ExternalPathPreference: Hashable, Sendable {
    /// RFC 3101 §2.5 (6)(e): compare costs first; at equal cost a type-7 with the P bit beats a
    /// type-5, which beats a type-7 without it. IOS 15.1(2)S and later, and the default here.
    case rfc3101
    /// RFC 1587: a type-5 path always beats a type-7 one of the same metric type (E1 > N1 > E2 > N2),
    /// whatever the costs. IOS before 15.1(2)S.
    case rfc1587
}

/// Everything the routing table calculation of RFC 2328 §16 reads.
public struct SPFInput: Sendable {
    public var routerID: IPv4Address
    public var areas: [SPFArea]
    /// The AS-scoped database of type-5 LSAs.
    public var externals: LSDB
    public var interfaces: [SPFInterface]
    /// Ages (MaxAge LSAs are ignored, RFC 2328 §16) are computed at this time.
    public var now: SimTime
    public var externalPreference: ExternalPathPreference
    /// IOS `maximum-paths`.
    public var maximumPaths: Int
    /// RFC 2328 C.1 RFC1583Compatibility; IOS `compatible rfc1583`, on by default.
    public var rfc1583Compatibility: Bool
    /// This router's configured area address ranges (RFC 2328 §3.5, IOS `area X range`), by area: an ABR
    /// ignores a summary-LSA whose destination equals one of its active ranges (§16.2 (3)).
    public var ranges: [AreaID: [IPv4Prefix]] = [:]

    public init(routerID: IPv4Address, areas: [SPFArea], externals: LSDB = LSDB(), interfaces: [SPFInterface],
                now: SimTime = .zero, externalPreference: ExternalPathPreference = .rfc3101,
                maximumPaths: Int = OSPFConstants.maximumPaths, rfc1583Compatibility: Bool = true) {
        self.routerID = routerID
        self.areas = areas
        self.externals = externals
        self.interfaces = interfaces
        self.now = now
        self.externalPreference = externalPreference
        self.maximumPaths = maximumPaths
        self.rfc1583Compatibility = rfc1583Compatibility
    }
}

// MARK: - The calculation

/// The routing table calculation of RFC 2328 §16: intra-area routes from each area's shortest-path
/// tree (§16.1), inter-area routes from summary-LSAs (§16.2) and AS-external routes from type-5
/// LSAs (§16.4) and, in NSSAs, type-7 LSAs (RFC 3101 §2.5). Pure: the same input gives the same table.
///
/// Virtual links are links of the backbone's graph (RFC 2328 §15, §16.1), their next hops taken from
/// the transit area, and an ABR examines its transit areas' summaries for shorter paths (§16.3).
/// Not modelled: TOS (§16.9) and §16.4.1's preference between forwarding-address paths (it is applied to
/// ASBR entries only).
public enum SPF {
    /// - Complexity: O((V + E) log V) per area for §16.1, plus O(S log S) for the S summary and
    ///   external LSAs.
    public static func calculate(_ input: SPFInput) -> OSPFRoutingTable {
        var builder = RoutingTableBuilder(input: input)
        // The backbone goes last: a virtual link's next hops come from its transit area's tree (§16.1.1).
        for area in input.areas.sorted(by: { ($0.id.isBackbone ? 1 : 0, $0.id) < ($1.id.isBackbone ? 1 : 0, $1.id) }) {
            builder.addIntraAreaRoutes(area)
        }
        builder.addInterAreaRoutes()
        builder.examineTransitAreas()
        builder.addExternalRoutes()
        return builder.table
    }
}

/// A vertex of the area graph (RFC 2328 §16.1): a router, named by its router ID, or a transit
/// network, named by its designated router's interface address. Networks order first: RFC 2328
/// §16.1 (3), on a tie network vertices are chosen before routers so all equal-cost paths are found.
enum SPFVertex: Hashable, Comparable {
    case network(IPv4Address)
    case router(IPv4Address)
}

/// An entry of the candidate list, ordered by cost and then by vertex.
struct SPFCandidate: Comparable {
    var cost: UInt32
    var vertex: SPFVertex
    static func < (a: SPFCandidate, b: SPFCandidate) -> Bool { (a.cost, a.vertex) < (b.cost, b.vertex) }
}

/// A vertex found by the calculation: its LSA, its distance from the root and its next hops.
struct SPFVertexState {
    var entry: LSDB.Entry
    var cost: UInt32
    var nextHops: [OSPFNextHop]
    var isInTree = false
}

struct RoutingTableBuilder {
    let input: SPFInput
    var networks: [IPv4Prefix: OSPFRoute] = [:]
    var routers: [BorderRouterKey: OSPFBorderRouter] = [:]
    /// For external routes: 0 type-7 with P, 1 type-5, 2 type-7 without P (RFC 3101 §2.5 (6)(e)).
    var externalSourceRank: [IPv4Prefix: Int] = [:]
    /// Areas whose tree holds a router with the V bit: TransitCapability (RFC 2328 §16.1 (2)).
    var transitAreas: Set<AreaID> = []

    struct BorderRouterKey: Hashable, Comparable {
        var routerID: IPv4Address
        var area: AreaID
        static func < (a: Self, b: Self) -> Bool { (a.routerID, a.area) < (b.routerID, b.area) }
    }

    init(input: SPFInput) { self.input = input }

    var table: OSPFRoutingTable {
        OSPFRoutingTable(routes: networks.keys.sorted().map { networks[$0]! },
                         borderRouters: routers.keys.sorted().map { routers[$0]! })
    }

    var now: SimTime { input.now }

    /// The union of two next-hop lists, sorted, at most `maximumPaths` long.
    func merge(_ a: [OSPFNextHop], _ b: [OSPFNextHop]) -> [OSPFNextHop] {
        // Most merges are of one next hop or none (a tree's paths rarely split): no set for those.
        if a.count <= 1, b.count <= 1, input.maximumPaths >= 2 {
            guard let x = a.first else { return b }
            guard let y = b.first, x != y else { return a }
            return x < y ? [x, y] : [y, x]
        }
        return Array(Set(a).union(b).sorted().prefix(input.maximumPaths))
    }

    // MARK: §16.1, the shortest-path tree of one area

    mutating func addIntraAreaRoutes(_ area: SPFArea) {
        let lsdb = area.lsdb
        let root = input.routerID
        let interfaces = input.interfaces.filter { $0.area == area.id }
        guard let rootEntry = lsdb.entry(type: .router, linkStateID: root, advertisingRouter: root),
              !rootEntry.isMaxAge(at: now) else { return }

        // Network-LSAs by Link State ID: a transit link names its network by the DR's address only.
        var networkLSAs: [IPv4Address: [LSDB.Entry]] = [:]
        for entry in lsdb.sortedEntries(ofType: .network) where !entry.isMaxAge(at: now) {
            networkLSAs[entry.lsa.linkStateID, default: []].append(entry)
        }
        func routerLSA(_ id: IPv4Address) -> (LSDB.Entry, RouterLSA)? {
            guard let entry = lsdb.entry(type: .router, linkStateID: id, advertisingRouter: id),
                  !entry.isMaxAge(at: now), case let .router(body) = entry.lsa.body else { return nil }
            return (entry, body)
        }

        // (1) The tree starts as the root alone.
        var vertices: [SPFVertex: SPFVertexState] = [
            .router(root): SPFVertexState(entry: rootEntry, cost: 0, nextHops: []),
        ]
        var candidates = Heap<SPFCandidate>([SPFCandidate(cost: 0, vertex: .router(root))])
        var tree: [SPFVertex] = []

        // (2)(d): a path to W through V; keep it if no shorter one is known, add its next hops if as short.
        func consider(_ w: SPFVertex, entry: LSDB.Entry, cost: UInt32, nextHops: [OSPFNextHop]) {
            if var known = vertices[w] {
                // (2)(c): already on the tree.
                if known.isInTree || cost > known.cost { return }
                if cost == known.cost {
                    known.nextHops = merge(known.nextHops, nextHops)
                    vertices[w] = known
                    return
                }
            }
            vertices[w] = SPFVertexState(entry: entry, cost: cost, nextHops: merge([], nextHops))
            candidates.insert(SPFCandidate(cost: cost, vertex: w))
        }

        // (3): the candidate closest to the root joins the tree; stale heap entries are skipped.
        while let next = candidates.popMin() {
            guard var v = vertices[next.vertex], !v.isInTree, v.cost == next.cost else { continue }
            v.isInTree = true
            vertices[next.vertex] = v
            tree.append(next.vertex)

            // (2): the links of the vertex just added.
            switch (next.vertex, v.entry.lsa.body) {
            case let (.router(vID), .router(body)):
                for link in body.links {
                    switch link.type {
                    case .pointToPoint:
                        // (2)(b): W's router-LSA must link back to V.
                        guard let (wEntry, wBody) = routerLSA(link.linkID),
                              wBody.links.contains(where: { $0.type == .pointToPoint && $0.linkID == vID })
                        else { continue }
                        let hops: [OSPFNextHop]
                        if vID == root {
                            // §16.1.1: the parent is the root; the next hop is the neighbor's address on the link.
                            hops = Self.pointToPointHop(link: link, neighbor: wBody, root: root, interfaces: interfaces)
                        } else {
                            hops = v.nextHops
                        }
                        consider(.router(link.linkID), entry: wEntry, cost: v.cost + UInt32(link.metric),
                                 nextHops: hops)
                    case .transit:
                        // (2)(b): the network-LSA must list V among its attached routers.
                        guard let wEntry = networkLSAs[link.linkID]?.first(where: {
                            if case let .network(n) = $0.lsa.body { return n.attachedRouters.contains(vID) }
                            return false
                        }) else { continue }
                        let hops: [OSPFNextHop]
                        if vID == root {
                            // §16.1.1: a network directly attached to the root: its interface, no next-hop address.
                            hops = interfaces.first { $0.address == link.linkData }
                                .map { [OSPFNextHop(interface: $0.id, address: nil)] } ?? []
                        } else {
                            hops = v.nextHops
                        }
                        consider(.network(link.linkID), entry: wEntry, cost: v.cost + UInt32(link.metric),
                                 nextHops: hops)
                    case .virtual where area.id.isBackbone:
                        // A virtual link is a point-to-point link of the backbone (RFC 2328 §15), checked alike.
                        guard let (wEntry, wBody) = routerLSA(link.linkID),
                              wBody.links.contains(where: { $0.type == .virtual && $0.linkID == vID }) else { continue }
                        let hops = vID == root ? virtualLinkHops(link) : v.nextHops
                        consider(.router(link.linkID), entry: wEntry, cost: v.cost + UInt32(link.metric),
                                 nextHops: hops)
                    default:
                        // Stub links wait for the second stage.
                        continue
                    }
                }
            case let (.network(vID), .network(body)):
                for attached in body.attachedRouters {
                    // (2)(b): the router must have a transit link back to this network.
                    guard let (wEntry, wBody) = routerLSA(attached),
                          let backLink = wBody.links.first(where: { $0.type == .transit && $0.linkID == vID })
                    else { continue }
                    // §16.1.1: behind a network the root is attached to, the next hop is W's address on it;
                    // the parent's other next hops (the network reached through routers) are inherited.
                    let hops = v.nextHops.map { hop in
                        hop.address == nil ? OSPFNextHop(interface: hop.interface, address: backLink.linkData) : hop
                    }
                    consider(.router(attached), entry: wEntry, cost: v.cost, nextHops: hops)
                }
            default:
                continue
            }
        }

        // (4), for each vertex the tree gained: routes to the transit networks, entries for the border routers.
        for vertex in tree {
            guard let v = vertices[vertex] else { continue }
            switch (vertex, v.entry.lsa.body) {
            case let (.network(id), .network(body)):
                guard let prefix = IPv4Prefix(id, mask: body.networkMask) else { continue }
                installIntraArea(prefix, cost: v.cost, area: area.id, nextHops: v.nextHops,
                                 origin: v.entry.lsa.advertisingRouter)
            case let (.router(id), .router(body)):
                if body.flags.contains(.v) && !area.id.isBackbone { transitAreas.insert(area.id) }
                guard id != root, !body.flags.isDisjoint(with: [.b, .e]) else { continue }
                routers[BorderRouterKey(routerID: id, area: area.id)] = OSPFBorderRouter(
                    routerID: id, area: area.id, pathType: .intraArea, isABR: body.flags.contains(.b),
                    isASBR: body.flags.contains(.e), cost: v.cost, nextHops: v.nextHops)
            default:
                continue
            }
        }

        // The second stage of §16.1: stub networks, from every router on the tree.
        for vertex in tree {
            guard case let .router(id) = vertex, let v = vertices[vertex], case let .router(body) = v.entry.lsa.body
            else { continue }
            for link in body.links where link.type == .stub {
                guard let prefix = IPv4Prefix(link.linkID, mask: link.linkData) else { continue }
                let hops: [OSPFNextHop]
                if id == root {
                    // §16.1.1: a stub network of the root is reached directly through its interface: the one on
                    // that subnet, or for a neighbor's host route (§12.4.1.1 option 1) the one whose subnet holds it.
                    let interface = interfaces.first { $0.prefix == prefix }
                        ?? interfaces.first { $0.prefix?.contains(prefix.network) == true }
                    hops = interface.map { [OSPFNextHop(interface: $0.id, address: nil)] } ?? []
                } else {
                    hops = v.nextHops
                }
                installIntraArea(prefix, cost: v.cost + UInt32(link.metric), area: area.id, nextHops: hops, origin: id)
            }
        }
    }

    /// §16.1.1: a router reached over the root's virtual link takes the next hops of the path to it through
    /// the transit area, the area of the interface the link's Link Data names.
    func virtualLinkHops(_ link: RouterLSA.Link) -> [OSPFNextHop] {
        guard let transitArea = input.interfaces.first(where: { $0.address == link.linkData })?.area,
              let endpoint = routers[BorderRouterKey(routerID: link.linkID, area: transitArea)],
              endpoint.pathType == .intraArea else { return [] }
        return endpoint.nextHops
    }

    /// §16.1.1: root to router W over a point-to-point link: out of the interface the link's Link
    /// Data names, to W's address on the link (the Link Data of W's link back, in the same subnet).
    static func pointToPointHop(link: RouterLSA.Link, neighbor: RouterLSA, root: IPv4Address,
                                interfaces: [SPFInterface]) -> [OSPFNextHop] {
        guard let interface = interfaces.first(where: { $0.address == link.linkData }) else { return [] }
        let backLinks = neighbor.links.filter { $0.type == .pointToPoint && $0.linkID == root }
        let address = backLinks.first(where: { interface.prefix?.contains($0.linkData) == true })?.linkData
            ?? (backLinks.count == 1 ? backLinks[0].linkData : nil)
        return [OSPFNextHop(interface: interface.id, address: address)]
    }

    /// RFC 2328 §16.1 (4) and the second stage: a shorter intra-area path replaces the entry, an
    /// equally short one within the same area adds its next hops; at equal cost the first area calculated
    /// keeps the destination (the other areas in ascending order, then the backbone).
    mutating func installIntraArea(_ prefix: IPv4Prefix, cost: UInt32, area: AreaID, nextHops: [OSPFNextHop],
                                   origin: IPv4Address) {
        if var current = networks[prefix] {
            if cost > current.cost { return }
            if cost == current.cost {
                if current.area == area {
                    current.nextHops = merge(current.nextHops, nextHops)
                    networks[prefix] = current
                }
                return
            }
        }
        networks[prefix] = OSPFRoute(destination: prefix, pathType: .intraArea, cost: cost, area: area,
                                     advertisingRouter: origin, nextHops: merge([], nextHops))
    }

    // MARK: §16.2, inter-area routes

    /// True when this router is an ABR as RFC 3509 §2.2 and IOS define it: attached to more than one
    /// area, one of them the backbone.
    var isAreaBorderRouter: Bool {
        input.areas.count > 1 && input.areas.contains { $0.id.isBackbone }
    }

    mutating func addInterAreaRoutes() {
        // RFC 2328 §16.2: an ABR examines only the backbone's summary-LSAs. IOS behaviour (RFC 3509
        // §2.3): a router in several areas without the backbone is no ABR and examines all of them.
        let areas = input.areas.filter { !isAreaBorderRouter || $0.id.isBackbone }.sorted { $0.id < $1.id }
        // §16.2 (3): a range is active when an intra-area route of its area falls inside it (§3.5); a summary
        // for exactly an active range of ours is ignored (we advertise that range ourselves).
        var activeRanges: Set<IPv4Prefix> = []
        if isAreaBorderRouter {
            for (area, ranges) in input.ranges {
                for range in ranges where networks.values.contains(where: {
                    $0.pathType == .intraArea && $0.area == area && range.length <= $0.destination.length
                        && range.contains($0.destination.network)
                }) {
                    activeRanges.insert(range)
                }
            }
        }
        for area in areas {
            for entry in Self.summaryLSAs(area.lsdb) {
                let lsa = entry.lsa
                // (1) Unreachable or flushed; (2) originated by this router.
                guard case let .summary(summary) = lsa.body, summary.metric != OSPFConstants.lsInfinity,
                      !entry.isMaxAge(at: now), lsa.advertisingRouter != input.routerID else { continue }
                // (4) The area border router BR must be reachable inside the area.
                guard let border = routers[BorderRouterKey(routerID: lsa.advertisingRouter, area: area.id)],
                      border.pathType == .intraArea, border.isABR else { continue }
                let cost = border.cost + summary.metric
                if lsa.type == .summaryNetwork {
                    guard let prefix = IPv4Prefix(lsa.linkStateID, mask: summary.networkMask),
                          !activeRanges.contains(prefix) else { continue }
                    installInterArea(prefix, cost: cost, area: area.id, border: border)
                } else {
                    guard lsa.linkStateID != input.routerID else { continue }
                    installInterAreaASBR(lsa.linkStateID, cost: cost, area: area.id, border: border)
                }
            }
        }
    }

    /// Type 3 then type 4 summary-LSAs, each in key order.
    static func summaryLSAs(_ lsdb: LSDB) -> [LSDB.Entry] {
        lsdb.sortedEntries(ofType: .summaryNetwork) + lsdb.sortedEntries(ofType: .summaryASBR)
    }

    /// §16.2 (5)–(7) for a network.
    mutating func installInterArea(_ prefix: IPv4Prefix, cost: UInt32, area: AreaID, border: OSPFBorderRouter) {
        if var current = networks[prefix] {
            switch current.pathType {
            case .intraArea: return                       // (6) intra-area paths are always preferred
            case .type1External, .type2External: break    // (5) replaced
            case .interArea:                              // (7) the cheaper, or both if equal
                if cost > current.cost { return }
                if cost == current.cost {
                    current.nextHops = merge(current.nextHops, border.nextHops)
                    networks[prefix] = current
                    return
                }
            }
        }
        networks[prefix] = OSPFRoute(destination: prefix, pathType: .interArea, cost: cost, area: area,
                                     advertisingRouter: border.routerID, nextHops: border.nextHops)
    }

    /// §16.2 (5)–(7) for an AS boundary router named by a type 4 summary.
    mutating func installInterAreaASBR(_ asbr: IPv4Address, cost: UInt32, area: AreaID, border: OSPFBorderRouter) {
        let key = BorderRouterKey(routerID: asbr, area: area)
        if var current = routers[key] {
            if current.pathType == .intraArea || cost > current.cost { return }
            if cost == current.cost {
                current.nextHops = merge(current.nextHops, border.nextHops)
                routers[key] = current
                return
            }
        }
        routers[key] = OSPFBorderRouter(routerID: asbr, area: area, pathType: .interArea, isABR: false, isASBR: true,
                                        cost: cost, nextHops: border.nextHops)
    }

    // MARK: §16.3, examining transit areas' summary-LSAs

    /// RFC 2328 §16.3: an ABR with transit areas looks for paths to backbone destinations that leave
    /// the backbone and cross a transit area, cheaper than the backbone's own. The route keeps the
    /// backbone as its area; only its cost and next hops change.
    mutating func examineTransitAreas() {
        guard isAreaBorderRouter else { return }
        for area in input.areas.sorted(by: { $0.id < $1.id }) where transitAreas.contains(area.id) {
            for entry in Self.summaryLSAs(area.lsdb) {
                let lsa = entry.lsa
                // (1) Unreachable, flushed or our own.
                guard case let .summary(summary) = lsa.body, summary.metric != OSPFConstants.lsInfinity,
                      !entry.isMaxAge(at: now), lsa.advertisingRouter != input.routerID else { continue }
                // (3) The advertising ABR, reached inside the transit area.
                guard let border = routers[BorderRouterKey(routerID: lsa.advertisingRouter, area: area.id)],
                      border.pathType == .intraArea else { continue }
                let cost = border.cost + summary.metric
                // (2) Only backbone routes (intra- or inter-area) are improved; (4) cheaper replaces, equal adds.
                if lsa.type == .summaryNetwork {
                    guard let prefix = IPv4Prefix(lsa.linkStateID, mask: summary.networkMask),
                          var current = networks[prefix], current.area == .backbone,
                          current.pathType == .intraArea || current.pathType == .interArea, cost <= current.cost
                    else { continue }
                    current.nextHops = cost < current.cost ? border.nextHops : merge(current.nextHops, border.nextHops)
                    current.cost = cost
                    networks[prefix] = current
                } else {
                    let key = BorderRouterKey(routerID: lsa.linkStateID, area: .backbone)
                    guard var current = routers[key], cost <= current.cost else { continue }
                    current.nextHops = cost < current.cost ? border.nextHops : merge(current.nextHops, border.nextHops)
                    current.cost = cost
                    routers[key] = current
                }
            }
        }
    }

    // MARK: §16.4, AS-external routes (and RFC 3101 §2.5 for type-7)

    mutating func addExternalRoutes() {
        // Computed against the intra- and inter-area routes only, before any external route is added.
        let internalRoutes = networks
        let normalAreas = Set(input.areas.filter { $0.type == .normal }.map(\.id))
        // The entries a type-5's ASBR may be reached by: any area but a stub area or an NSSA.
        var asbrEntries: [IPv4Address: [OSPFBorderRouter]] = [:]
        for key in routers.keys.sorted() where normalAreas.contains(key.area) && routers[key]!.isASBR {
            asbrEntries[key.routerID, default: []].append(routers[key]!)
        }
        var sources: [(entry: LSDB.Entry, nssa: AreaID?)] = []
        if !normalAreas.isEmpty {
            sources += input.externals.sortedEntries(ofType: .asExternal).map { ($0, nil) }
        }
        for area in input.areas.sorted(by: { $0.id < $1.id }) where area.type == .nssa {
            sources += area.lsdb.sortedEntries(ofType: .nssaExternal).map { ($0, area.id) }
        }

        for (entry, nssa) in sources {
            let lsa = entry.lsa
            // (1) Unreachable or flushed; (2) originated by this router.
            guard case let .external(external) = lsa.body, external.metric != OSPFConstants.lsInfinity,
                  !entry.isMaxAge(at: now), lsa.advertisingRouter != input.routerID,
                  let prefix = IPv4Prefix(lsa.linkStateID, mask: external.networkMask) else { continue }

            // (3) The ASBR. For a type-5, RFC1583Compatibility (IOS default): the cheapest entry over the
            // non-stub areas, at equal cost the one of the largest area ID. For a type-7 (RFC 3101 §2.5 (3)):
            // the ASBR reached inside its NSSA.
            let asbr: OSPFBorderRouter?
            if let nssa {
                asbr = routers[BorderRouterKey(routerID: lsa.advertisingRouter, area: nssa)]
                    .flatMap { $0.pathType == .intraArea && $0.isASBR ? $0 : nil }
            } else {
                asbr = Self.preferredASBREntry(asbrEntries[lsa.advertisingRouter] ?? [],
                                               rfc1583Compatibility: input.rfc1583Compatibility)
            }
            guard let asbr else { continue }

            // (3) A non-zero forwarding address must be reached by an intra- or inter-area route (for a
            // type-7, an intra-area route of its NSSA), whose cost and next hops the external route takes.
            var forwardCost = asbr.cost
            var nextHops = asbr.nextHops
            let forwardingAddress = external.forwardingAddress
            if forwardingAddress != .any {
                guard let route = Self.longestMatch(forwardingAddress, in: internalRoutes),
                      nssa == nil || (route.pathType == .intraArea && route.area == nssa) else { continue }
                forwardCost = route.cost
                // A forwarding address on a directly attached network is itself the next hop.
                nextHops = route.nextHops.map {
                    $0.address == nil ? OSPFNextHop(interface: $0.interface, address: forwardingAddress) : $0
                }
            }

            // (4) E1: the internal cost plus the external metric. E2: the external metric, with the internal
            // cost kept for the tie-break.
            let candidate = OSPFRoute(
                destination: prefix, pathType: external.isType2 ? .type2External : .type1External, isNSSA: nssa != nil,
                cost: external.isType2 ? forwardCost : forwardCost + external.metric,
                type2Cost: external.isType2 ? external.metric : nil, area: nil,
                advertisingRouter: lsa.advertisingRouter, nextHops: nextHops)
            let rank = nssa == nil ? 1 : (lsa.options.contains(.np) ? 0 : 2)
            installExternal(candidate, sourceRank: rank)
        }
    }

    /// RFC 2328 §16.4 (3): of an ASBR's entries (one per area), the cheapest; at equal cost the one of
    /// the largest area ID. With RFC1583Compatibility disabled, §16.4.1 first keeps only the intra-area
    /// paths through non-backbone areas, if there are any.
    static func preferredASBREntry(_ entries: [OSPFBorderRouter], rfc1583Compatibility: Bool) -> OSPFBorderRouter? {
        var candidates = entries
        if !rfc1583Compatibility {
            let preferred = entries.filter { $0.pathType == .intraArea && !$0.area.isBackbone }
            if !preferred.isEmpty { candidates = preferred }
        }
        return candidates.min { ($0.cost, $1.area) < ($1.cost, $0.area) }
    }

    /// §16.4 (5)–(6), with RFC 3101 §2.5 (6) for type-7 against type-5.
    mutating func installExternal(_ candidate: OSPFRoute, sourceRank: Int) {
        let prefix = candidate.destination
        guard var current = networks[prefix] else {
            networks[prefix] = candidate
            externalSourceRank[prefix] = sourceRank
            return
        }
        // (6)(a) Intra-area and inter-area paths are always preferred over AS-external paths.
        if current.pathType == .intraArea || current.pathType == .interArea { return }
        func key(_ r: OSPFRoute) -> [UInt32] {
            // (6)(b) type 1 over type 2; (c) the smaller type 2 cost, then the smaller cost.
            let metricType: UInt32 = r.pathType == .type1External ? 0 : 1
            switch input.externalPreference {
            case .rfc3101: return [metricType, r.type2Cost ?? 0, r.cost]
            case .rfc1587: return [metricType, r.isNSSA ? 1 : 0, r.type2Cost ?? 0, r.cost]
            }
        }
        let currentRank = externalSourceRank[prefix] ?? 1
        let a = key(candidate), b = key(current)
        let preferredSource = input.externalPreference == .rfc3101 && sourceRank < currentRank
        if a.lexicographicallyPrecedes(b) || (a == b && preferredSource) {
            networks[prefix] = candidate
            externalSourceRank[prefix] = sourceRank
        } else if a == b && (input.externalPreference == .rfc1587 || sourceRank == currentRank) {
            // Equally good paths: equal-cost multipath.
            current.nextHops = merge(current.nextHops, candidate.nextHops)
            networks[prefix] = current
        }
    }

    /// The longest-matching intra- or inter-area route for an address. - Complexity: 33 lookups.
    static func longestMatch(_ address: IPv4Address, in routes: [IPv4Prefix: OSPFRoute]) -> OSPFRoute? {
        for length in stride(from: 32, through: 0, by: -1) {
            if let route = routes[IPv4Prefix(address, length: length)],
               route.pathType == .intraArea || route.pathType == .interArea {
                return route
            }
        }
        return nil
    }
}
