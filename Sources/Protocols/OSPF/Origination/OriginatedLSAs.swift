import Engine
import Wire

/// Every LSA a router originates at one moment (RFC 2328 §12.4): per area its router-LSA, network-LSAs,
/// summary-LSAs and type-7s, and the AS-scoped type-5s, its own and those it translates (RFC 3101 §3.2).
/// The owner compares each with its previous instance (`LSAOrigination.reoriginate`) and flushes those
/// that are gone (`LSAOrigination.flushed`).
public struct OriginatedLSAs: Hashable, Sendable {
    /// Area-scoped LSAs, each area's in key order.
    public var areas: [AreaID: [LSA]]
    /// AS-scoped type-5 LSAs, in key order.
    public var asExternal: [LSA]

    public init(areas: [AreaID: [LSA]], asExternal: [LSA]) {
        self.areas = areas
        self.asExternal = asExternal
    }
}

extension LSAOrigination {
    /// All of this router's LSAs. `routingTable` is the router's latest `SPF.calculate` (for summaries);
    /// for each NSSA, `nssaDatabases` holds its database (the type-7s to translate) and `nssaBorderRouters`
    /// the other border routers reachable in it (RFC 3101 §3.1). `input.isTranslatingType7` is worked out here.
    public static func originate(_ input: OriginationInput, routingTable: OSPFRoutingTable,
                                 nssaDatabases: [AreaID: LSDB] = [:],
                                 nssaBorderRouters: [AreaID: [NSSABorderRouter]] = [:], now: SimTime) -> OriginatedLSAs {
        var input = input
        let translating = input.areas.map(\.id).filter {
            isNSSATranslator(area: $0, input, otherBorderRouters: nssaBorderRouters[$0] ?? [])
        }
        input.isTranslatingType7 = !translating.isEmpty
        var areas: [AreaID: [LSA]] = [:]
        for area in input.areas {
            let lsas = [routerLSA(area: area.id, input)].compactMap { $0 } + networkLSAs(area: area.id, input)
                + summaryLSAs(area: area.id, input, routingTable: routingTable) + nssaExternalLSAs(area: area.id, input)
            areas[area.id] = lsas.sorted { LSAKey($0) < LSAKey($1) }
        }
        // Our own type-5 for a prefix wins over a translation of someone's type 7 for it.
        var external: [LSAKey: LSA] = [:]
        for area in translating {
            for lsa in translatedExternalLSAs(nssa: nssaDatabases[area] ?? LSDB(), translator: input.routerID, now: now)
            where external[LSAKey(lsa)] == nil {
                external[LSAKey(lsa)] = lsa
            }
        }
        for lsa in asExternalLSAs(input) { external[LSAKey(lsa)] = lsa }
        return OriginatedLSAs(areas: areas, asExternal: external.keys.sorted().map { external[$0]! })
    }
}
