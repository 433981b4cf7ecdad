import Wire

// MARK: - RFC 2328 §12.4.3, summary-LSAs

extension LSAOrigination {
    /// The summary-LSAs (types 3 and 4) an area border router originates into `areaID` (RFC 2328
    /// §12.4.3, RFC 3101 §2.2 for NSSAs), from its routing table (`SPF.calculate`). Empty for a router
    /// that is no ABR. Listed in LSA key order.
    public static func summaryLSAs(area areaID: AreaID, _ input: OriginationInput,
                                   routingTable: OSPFRoutingTable) -> [LSA] {
        guard input.isAreaBorderRouter, let area = input.area(areaID) else { return [] }
        var networks: [IPv4Prefix: UInt32] = [:]
        var asbrs: [IPv4Address: UInt32] = [:]
        var includeRoutes = true
        switch area.kind {
        case .normal:
            asbrs = asbrSummaries(into: areaID, input, routingTable: routingTable)
        case let .stub(noSummary, defaultCost):
            // §12.4.3.1: into a stub area the default summary, cost StubDefaultCost (IOS `area X default-cost`,
            // 1 by default); no type 4 (§3.6). IOS `no-summary`: nothing else.
            networks[IPv4Prefix(.any, length: 0)] = defaultCost
            includeRoutes = !noSummary
        case let .nssa(noSummary, defaultCost, _, _, _, _):
            // RFC 3101 §2.2: no type 4 into an NSSA; a type-3 default only with `no-summary`, and then
            // no other type 3 (IOS totally NSSA).
            if noSummary { networks[IPv4Prefix(.any, length: 0)] = defaultCost }
            includeRoutes = !noSummary
        }
        if includeRoutes {
            for (prefix, cost) in networkSummaries(into: areaID, input, routingTable: routingTable)
            where networks[prefix] == nil {
                networks[prefix] = cost
            }
        }

        let options = area.kind.options
        let ids = linkStateIDs(for: Array(networks.keys))
        let type3 = networks.keys.sorted().map { prefix in
            LSA(options: options, type: .summaryNetwork, linkStateID: ids[prefix]!, advertisingRouter: input.routerID,
                sequenceNumber: LSAHeader.initialSequenceNumber,
                body: .summary(SummaryLSA(networkMask: prefix.mask, metric: networks[prefix]!)))
        }
        let type4 = asbrs.keys.sorted().map { asbr in
            LSA(options: options, type: .summaryASBR, linkStateID: asbr, advertisingRouter: input.routerID,
                sequenceNumber: LSAHeader.initialSequenceNumber,
                body: .summary(SummaryLSA(networkMask: .any, metric: asbrs[asbr]!)))
        }
        return (type3 + type4).sorted { LSAKey($0) < LSAKey($1) }
    }

    /// §12.4.3: the networks to summarise into `target`, with their costs, after area ranges.
    static func networkSummaries(into target: AreaID, _ input: OriginationInput,
                                 routingTable: OSPFRoutingTable) -> [IPv4Prefix: UInt32] {
        var summaries: [IPv4Prefix: UInt32] = [:]
        // Per range, the largest component cost (RFC 2328 §12.4.3; RFC 1583 took the smallest).
        var rangeCosts: [AreaRange: UInt32] = [:]
        for route in routingTable.routes {
            guard let routeArea = route.area, routeArea != target,
                  route.cost < OSPFConstants.lsInfinity else { continue }
            switch route.pathType {
            case .intraArea:
                break
            case .interArea:
                // §12.4.3: an inter-area route is summarised only if learned from the backbone, so only into
                // non-backbone areas; routes of a non-backbone area's summaries are never re-advertised.
                guard routeArea.isBackbone else { continue }
            case .type1External, .type2External:
                // §12.4.3: AS-external routes are never summarised.
                continue
            }
            // §12.4.3: no summary of a route whose next hops lie in the target area itself.
            if route.nextHops.contains(where: { input.areaOf($0.interface) == target }) { continue }
            // §12.4.3: an intra-area route inside one of its area's ranges is summarised by the range alone.
            if route.pathType == .intraArea, let range = containingRange(route.destination, in: input.area(routeArea)) {
                rangeCosts[range] = max(rangeCosts[range] ?? 0, route.cost)
                continue
            }
            summaries[route.destination] = min(summaries[route.destination] ?? .max, route.cost)
        }
        for (range, componentCost) in rangeCosts where range.advertise {
            // A DoNotAdvertise range hides its components and produces nothing.
            let cost = range.cost ?? componentCost
            summaries[range.prefix] = min(summaries[range.prefix] ?? .max, cost)
        }
        return summaries
    }

    /// The most specific configured range of `area` containing `prefix`.
    static func containingRange(_ prefix: IPv4Prefix, in area: OriginationArea?) -> AreaRange? {
        area?.ranges.filter { $0.prefix.length <= prefix.length && $0.prefix.contains(prefix.network) }
            .max { $0.prefix.length < $1.prefix.length }
    }

    /// §12.4.3: type-4 summaries of the AS boundary routers this ABR reaches, into a normal area. An ASBR
    /// inside a stub area or NSSA is not announced (RFC 3101 §2.2: its type-7s are translated, not reached).
    static func asbrSummaries(into target: AreaID, _ input: OriginationInput,
                              routingTable: OSPFRoutingTable) -> [IPv4Address: UInt32] {
        var entries: [IPv4Address: [OSPFBorderRouter]] = [:]
        for entry in routingTable.borderRouters where entry.isASBR && entry.routerID != input.routerID {
            guard input.area(entry.area)?.kind == .normal else { continue }
            // Inter-area ASBR entries come from the backbone's type-4s only (§16.2), as for networks.
            guard entry.pathType == .intraArea || entry.area.isBackbone else { continue }
            entries[entry.routerID, default: []].append(entry)
        }
        var summaries: [IPv4Address: UInt32] = [:]
        for (asbr, candidates) in entries {
            // The routing table's entry for the ASBR: the cheapest, at equal cost the largest area (§16.4 (3)).
            guard let best = candidates.min(by: { ($0.cost, $1.area) < ($1.cost, $0.area) }),
                  best.area != target, best.cost < OSPFConstants.lsInfinity,
                  !best.nextHops.contains(where: { input.areaOf($0.interface) == target }) else { continue }
            summaries[asbr] = best.cost
        }
        return summaries
    }

    /// RFC 2328 Appendix E: Link State IDs for prefixes that may share a network address. The shortest
    /// prefix of a network keeps the address; a longer one gets its host bits set.
    static func linkStateIDs(for prefixes: [IPv4Prefix]) -> [IPv4Prefix: IPv4Address] {
        var ids: [IPv4Prefix: IPv4Address] = [:]
        var used: Set<IPv4Address> = []
        for prefix in prefixes.sorted(by: { ($0.length, $0.network) < ($1.length, $1.network) }) {
            let id = used.contains(prefix.network) ? prefix.broadcast : prefix.network
            used.insert(id)
            ids[prefix] = id
        }
        return ids
    }
}
