import Engine
import Fabric
import Wire

/// IOS's discard routes (RFC 2328 §12.4.3 leaves it to the implementation; IOS "discard-route"): an ABR installs
/// `O 10.1.0.0/16 is a summary, 00:00:12, Null0` for each active, advertised `area X range`, and an ASBR one for each
/// `summary-address` it originates, so traffic to a part of the summary that no longer exists is dropped here
/// rather than following a default back towards the backbone. `no discard-route internal|external` turns them
/// off. A route to Null0 has a next hop with neither gateway nor interface: forwarding drops what matches it
/// (counted as no-route, with an ICMP unreachable, as IOS's Null0 answers by default).
extension OSPFProcess {
    func discardRoutes(_ source: RouteSource, besides routes: [Route]) -> [Route] {
        let taken = Set(routes.map(\.prefix))
        let null0 = [NextHop(gateway: nil, interface: nil)]
        var discards: [IPv4Prefix: Route] = [:]
        let areas = Set(flooding.interfaces.filter { $0.state != .down }.map(\.areaID))
        if settings.discardRouteInternal, areas.count > 1 {
            for (area, areaSettings) in settings.areas where areas.contains(area) {
                for range in areaSettings.ranges where range.advertise {
                    let components = routingTable.routes.filter {
                        $0.pathType == .intraArea && $0.area == area && $0.destination.length > range.prefix.length
                            && IPv4Prefix($0.destination.network, length: range.prefix.length) == range.prefix
                    }
                    guard let cost = range.cost ?? components.map(\.cost).max(), !taken.contains(range.prefix) else { continue }
                    discards[range.prefix] = Route(prefix: range.prefix, source: source, metric: cost, nextHops: null0, code: "O")
                }
            }
        }
        if settings.discardRouteExternal {
            let external = flooding.asExternalDatabase
            for summary in settings.summaryAddresses where summary.advertise && !taken.contains(summary.prefix) {
                // The summary is active while we originate its AS-external-LSA.
                guard let entry = external.entry(type: .asExternal, linkStateID: summary.prefix.network, advertisingRouter: routerID),
                      !entry.isMaxAge(at: lastSPFAt ?? .zero), case let .external(body) = entry.lsa.body,
                      body.networkMask == summary.prefix.mask else { continue }
                discards[summary.prefix] = Route(prefix: summary.prefix, source: source, metric: body.metric, nextHops: null0,
                                                 code: "O")
            }
        }
        return discards.keys.sorted().map { discards[$0]! }
    }
}
