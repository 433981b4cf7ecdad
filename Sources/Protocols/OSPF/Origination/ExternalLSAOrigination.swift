import Engine
import Wire

// MARK: - RFC 2328 §12.4.4, AS-external-LSAs

extension LSAOrigination {
    /// The AS-external-LSAs (type 5) of an AS boundary router (RFC 2328 §12.4.4): one per redistributed
    /// route and for `default-information originate`. AS-scoped, so only originated by a router with a
    /// normal area to flood them into (RFC 2328 §3.6, RFC 3101 §2.1). Listed in LSA key order.
    public static func asExternalLSAs(_ input: OriginationInput) -> [LSA] {
        guard input.areas.contains(where: { $0.isActive && $0.kind.carriesASExternals }) else { return [] }
        return externalLSAs(type: .asExternal, routes: externalRoutes(input), advertisingRouter: input.routerID) { _ in
            (.e, nil)
        }
    }

    /// The redistributed routes, the default route last so it wins a tie with a redistributed 0.0.0.0/0.
    static func externalRoutes(_ input: OriginationInput) -> [RedistributedRoute] {
        input.redistributed + (input.defaultInformationOriginate.map { route in
            var route = route
            route.prefix = IPv4Prefix(.any, length: 0)
            return [route]
        } ?? [])
    }

    /// Builds one type-5 or type-7 LSA per route, in key order; `shape` gives a route's options and, when
    /// not nil, the forwarding address to advertise instead of the route's own.
    static func externalLSAs(type: LSAType, routes: [RedistributedRoute], advertisingRouter: IPv4Address,
                             shape: (RedistributedRoute) -> (OSPFOptions, IPv4Address?)) -> [LSA] {
        var byPrefix: [IPv4Prefix: RedistributedRoute] = [:]
        for route in routes where route.metric < OSPFConstants.lsInfinity { byPrefix[route.prefix] = route }
        let ids = linkStateIDs(for: Array(byPrefix.keys))
        return byPrefix.keys.sorted().map { prefix in
            let route = byPrefix[prefix]!
            let (options, forwardingAddress) = shape(route)
            return LSA(options: options, type: type, linkStateID: ids[prefix]!, advertisingRouter: advertisingRouter,
                       sequenceNumber: LSAHeader.initialSequenceNumber,
                       body: .external(ExternalLSA(networkMask: prefix.mask, isType2: route.isType2, metric: route.metric,
                                                   forwardingAddress: forwardingAddress ?? route.forwardingAddress,
                                                   routeTag: route.tag)))
        }.sorted { LSAKey($0) < LSAKey($1) }
    }
}

// MARK: - RFC 3101 §2.2–§2.4, NSSA-external-LSAs

extension LSAOrigination {
    /// The NSSA-external-LSAs (type 7) this router originates into the NSSA `areaID` (RFC 3101 §2.2–§2.4):
    /// its redistributed routes (unless it is the ABR and `no-redistribution` is set) and, with `area X nssa
    /// default-information-originate`, a type-7 default: always on the ABR, on another router only while
    /// its RIB has a default route (ios-behavior.md §7.3). The router-level `default-information originate`
    /// gives a type 5 only. Empty for any other area type.
    ///
    /// The P bit is set on redistributed routes, except by a router that is also an ABR of the NSSA: it
    /// originates the type-5 itself (ios-behavior.md §7.4; IOS, unconfirmed). The ABR's type-7 default
    /// never has P and has forwarding address 0.0.0.0; an internal ASBR's default is shaped as its other
    /// routes (unconfirmed). A type-7 with P needs a non-zero forwarding address (RFC 3101 §2.3); this
    /// emulator picks the highest address of a loopback in the NSSA, else the highest address of any
    /// interface of the NSSA that is not Down (one reading of IOS's "highest loopback / interface
    /// address", unconfirmed); when there is none, P is cleared.
    public static func nssaExternalLSAs(area areaID: AreaID, _ input: OriginationInput) -> [LSA] {
        guard let area = input.area(areaID),
              case let .nssa(_, _, defaultOriginate, defaultMetric, defaultIsType2, noRedistribution) = area.kind
        else { return [] }
        let isABR = input.isAreaBorderRouter
        var routes = isABR && noRedistribution ? [] : input.redistributed
        let defaultPrefix = IPv4Prefix(.any, length: 0)
        if defaultOriginate && (isABR || input.hasDefaultRoute) {
            routes.removeAll { $0.prefix == defaultPrefix }
            routes.append(RedistributedRoute(prefix: defaultPrefix, metric: defaultMetric, isType2: defaultIsType2))
        }
        let forwardingAddress = nssaForwardingAddress(area)
        return externalLSAs(type: .nssaExternal, routes: routes, advertisingRouter: input.routerID) { route in
            if isABR && route.prefix == defaultPrefix && defaultOriginate { return ([], .any) }
            let fa = route.forwardingAddress != .any ? route.forwardingAddress : forwardingAddress
            return (!isABR && fa != .any ? .np : [], fa)
        }
    }

    /// RFC 3101 §2.3: the forwarding address of our type-7s in an NSSA; see `nssaExternalLSAs`.
    static func nssaForwardingAddress(_ area: OriginationArea) -> IPv4Address {
        let up = area.interfaces.filter { $0.state != .down }
        let loopbacks = up.filter { $0.state == .loopback }
        return (loopbacks.isEmpty ? up : loopbacks).map(\.address).max() ?? .any
    }
}

// MARK: - RFC 3101 §3, translating type-7 into type-5

/// An NSSA border router as the translator election sees it: from its router-LSA in the NSSA, the B
/// bit set and reachable inside the NSSA (RFC 3101 §3.1).
public struct NSSABorderRouter: Hashable, Sendable {
    public var routerID: IPv4Address
    /// The Nt bit of its router-LSA: NSSATranslatorRole Always.
    public var alwaysTranslates: Bool

    public init(routerID: IPv4Address, alwaysTranslates: Bool = false) {
        self.routerID = routerID
        self.alwaysTranslates = alwaysTranslates
    }
}

extension LSAOrigination {
    /// RFC 3101 §3.1: the NSSA border routers that translate. Every router with Nt set translates; when
    /// one exists, the candidates stand down (as FRR reads §3.1). Otherwise the candidate with the highest
    /// router ID is elected. Sorted by router ID.
    public static func nssaTranslators(_ borderRouters: [NSSABorderRouter]) -> [IPv4Address] {
        let always = borderRouters.filter(\.alwaysTranslates).map(\.routerID)
        if !always.isEmpty { return Set(always).sorted() }
        return borderRouters.map(\.routerID).max().map { [$0] } ?? []
    }

    /// RFC 3101 §3.1 for this router: it translates the NSSA `areaID` when it is one of its border routers
    /// and elected among them and `otherBorderRouters` (the others reachable in the NSSA).
    public static func isNSSATranslator(area areaID: AreaID, _ input: OriginationInput,
                                        otherBorderRouters: [NSSABorderRouter]) -> Bool {
        guard input.isAreaBorderRouter, case .nssa = input.area(areaID)?.kind else { return false }
        let me = NSSABorderRouter(routerID: input.routerID, alwaysTranslates: input.translatorRole == .always)
        return nssaTranslators(otherBorderRouters + [me]).contains(input.routerID)
    }

    /// RFC 3101 §3.2: the type-5 LSAs a translator originates from the type-7 LSAs in an NSSA's database.
    /// Only type-7s with the P bit and a non-zero forwarding address are translated, keeping their
    /// metric, metric type, tag and forwarding address; the translator is the advertising router. Of
    /// several type-7s for one prefix the best is taken: type 1 over type 2, then the smaller metric,
    /// then the higher advertising router. Not modelled: checking the type-7 is the routing table's
    /// chosen path (§3.2 (1)), and NSSA address ranges (§3.2 (3)).
    public static func translatedExternalLSAs(nssa lsdb: LSDB, translator routerID: IPv4Address,
                                              now: SimTime) -> [LSA] {
        var best: [IPv4Prefix: (route: RedistributedRoute, from: IPv4Address)] = [:]
        for entry in lsdb.sortedEntries(ofType: .nssaExternal) where !entry.isMaxAge(at: now) {
            let lsa = entry.lsa
            guard lsa.options.contains(.np), lsa.advertisingRouter != routerID, case let .external(body) = lsa.body,
                  body.forwardingAddress != .any, body.metric < OSPFConstants.lsInfinity,
                  let prefix = IPv4Prefix(lsa.linkStateID, mask: body.networkMask) else { continue }
            let route = RedistributedRoute(prefix: prefix, metric: body.metric, isType2: body.isType2,
                                           tag: body.routeTag, forwardingAddress: body.forwardingAddress)
            if let current = best[prefix] {
                let a = (route.isType2 ? 1 : 0, route.metric), b = (current.route.isType2 ? 1 : 0, current.route.metric)
                guard a < b || (a == b && lsa.advertisingRouter > current.from) else { continue }
            }
            best[prefix] = (route, lsa.advertisingRouter)
        }
        return externalLSAs(type: .asExternal, routes: best.values.map(\.route), advertisingRouter: routerID) { _ in
            (.e, nil)
        }
    }
}
