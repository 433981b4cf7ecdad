import Engine
import Fabric
import Wire

// MARK: - Throttling (IOS `timers throttle spf`, `timers throttle lsa all`)

extension OSPFProcess {
    /// IOS exponential backoff: after a quiet spell (no calculation for twice the maximum wait) the first
    /// change runs SPF `start` later and the next wait is `hold`; while changes keep coming each calculation
    /// waits the current hold after the previous one, and the hold doubles up to `max`.
    func scheduleSPF(_ context: ControlPlaneContext) {
        guard !spfArmed else { return }
        spfArmed = true
        let t = settings.spfThrottle ?? .spfDefault
        let now = context.now, maximum = SimDuration.milliseconds(Int64(t.maximum))
        let at: SimTime
        if let last = lastSPF, now - last < maximum * 2 {
            at = max(now, last + spfHold)
            spfHold = min(spfHold * 2, maximum)
        } else {
            at = now + .milliseconds(Int64(t.start))
            spfHold = .milliseconds(Int64(t.hold))
        }
        context.arm(token: token(.spf), at: at)
    }

    /// When a new instance of an LSA we originated before may go out (RFC 2328 §12.4 MinLSInterval, which IOS
    /// replaces by the same backoff as SPF's: `start` after a quiet spell, then `hold` doubling up to `max`).
    func lsaEarliest(_ key: OSPFFlooding.ScopedKey, now: SimTime) -> SimTime {
        guard let state = lsaThrottleState[key] else { return now }
        let t = settings.lsaThrottle ?? .lsaDefault
        if now - state.last >= .milliseconds(Int64(t.maximum)) * 2 { return state.last + .milliseconds(Int64(t.start)) }
        return state.last + state.interval
    }

    func noteOriginated(_ key: OSPFFlooding.ScopedKey, now: SimTime) {
        let t = settings.lsaThrottle ?? .lsaDefault
        let maximum = SimDuration.milliseconds(Int64(t.maximum))
        if let state = lsaThrottleState[key], now - state.last < maximum * 2 {
            lsaThrottleState[key] = LSAThrottleState(last: now, interval: min(state.interval * 2, maximum))
        } else {
            lsaThrottleState[key] = LSAThrottleState(last: now, interval: .milliseconds(Int64(t.hold)))
        }
    }

    /// Origination of an LSA is held back until `at`: a timer brings origination back then.
    func deferOrigination(until at: SimTime, _ context: ControlPlaneContext) {
        guard lsaDeferredUntil.map({ at < $0 }) ?? true else { return }
        lsaDeferredUntil = at
        context.arm(token: token(.lsaThrottle), at: at)
    }

    /// Runs origination until nothing more is pending (flooding our LSAs can itself raise events).
    func finish(_ context: ControlPlaneContext) {
        guard !finishing else { return }
        finishing = true
        defer { finishing = false }
        var rounds = 0
        while originationPending, rounds < 8 {
            originationPending = false
            rounds += 1
            originate(context)
        }
    }
}

// MARK: - Origination (RFC 2328 §12.4, RFC 3101 §2.2–§3.2)

extension OSPFProcess {
    var originationInput: OriginationInput { originationInput(redistributed: [], defaultRoute: nil, hasDefaultRoute: false) }

    func originationInput(redistributed: [RedistributedRoute], defaultRoute: RedistributedRoute?,
                          hasDefaultRoute: Bool) -> OriginationInput {
        var areas: [AreaID: [OriginatingInterface]] = [:]
        for (i, interface) in flooding.interfaces.enumerated() {
            let full = interface.neighbors.filter { $0.state == .full }.map {
                FullNeighbor(routerID: $0.neighborID, address: $0.address)
            }
            areas[interface.areaID, default: []].append(
                OriginatingInterface(id: OSPFInterfaceID(i), type: interface.type, state: interface.state, cost: interface.cost,
                                     address: interface.address, mask: interface.mask,
                                     designatedRouter: interface.designatedRouter, fullNeighbors: full))
        }
        // RFC 3101 §3.1: `area X nssa translate type7 always` makes the router's NSSATranslatorRole Always.
        let always = settings.areas.keys.sorted().contains { id in
            if case let .nssa(o) = settings.area(id).kind { return o.translateAlways && areas[id] != nil }
            return false
        }
        return OriginationInput(routerID: routerID,
                                areas: areas.keys.sorted().map {
                                    OriginationArea(id: $0, kind: settings.area($0).originationKind, interfaces: areas[$0]!,
                                                    ranges: settings.area($0).ranges)
                                },
                                redistributed: redistributed, defaultInformationOriginate: defaultRoute,
                                translatorRole: always ? .always : .candidate, hasDefaultRoute: hasDefaultRoute)
    }

    var routeSource: RouteSource {
        RouteSource(code: "O", defaultDistance: OSPFConstants.administrativeDistance, instance: processID)
    }

    /// The class A, B or C length of a network (RFC 791); what `redistribute` without `subnets` keeps.
    static func classfulLength(_ address: IPv4Address) -> Int {
        switch address.rawValue >> 24 {
        case 0..<128: 8
        case 128..<192: 16
        case 192..<224: 24
        default: 32
        }
    }

    /// The RIB's routes `redistribute` takes (RFC 2328 §12.4.4 external routing information), in prefix order.
    /// IOS behaviour: connected networks of this process's own interfaces are not redistributed (OSPF advertises
    /// them itself); without `subnets` only classful networks are; the default route needs `default-information
    /// originate`; the metric defaults to 20, type 2.
    func redistributedRoutes(_ context: ControlPlaneContext) -> [RedistributedRoute] {
        // Without `redistribute` there is nothing to take: no listing of the whole RIB on every origination.
        guard !settings.redistributions.isEmpty else { return [] }
        let selected = context.node.routes.selected.values.sorted { $0.prefix < $1.prefix }
        let own = Set(flooding.interfaces.compactMap { IPv4Prefix($0.address, mask: $0.mask) })
        var routes: [RedistributedRoute] = []
        for r in settings.redistributions {
            let source: RouteSource
            switch r.source {
            case .connected: source = .connected
            case .static: source = .staticRoute
            case .ospf: continue
            }
            for route in selected where route.source == source && route.prefix.length > 0 {
                if r.source == .connected && own.contains(route.prefix) { continue }
                if !r.subnets && route.prefix.length != Self.classfulLength(route.prefix.network) { continue }
                routes.append(RedistributedRoute(prefix: route.prefix, metric: r.metric ?? 20, isType2: r.metricType2, tag: r.tag))
            }
        }
        return summarised(routes)
    }

    /// IOS `summary-address` on an ASBR: redistributed routes inside a summary are replaced by one route for it
    /// (none with `not-advertise`), with the smallest metric of the routes it covers (IOS, unconfirmed) and the
    /// summary's tag.
    func summarised(_ routes: [RedistributedRoute]) -> [RedistributedRoute] {
        guard !settings.summaryAddresses.isEmpty else { return routes }
        var kept: [RedistributedRoute] = []
        var summaries: [IPv4Prefix: RedistributedRoute] = [:]
        for route in routes {
            guard let summary = settings.summaryAddresses.first(where: {
                $0.prefix.length <= route.prefix.length && $0.prefix.contains(route.prefix.network)
            }) else { kept.append(route); continue }
            guard summary.advertise else { continue }
            if let current = summaries[summary.prefix], (current.metric, current.isType2 ? 1 : 0) <= (route.metric, route.isType2 ? 1 : 0) {
                continue
            }
            summaries[summary.prefix] = RedistributedRoute(prefix: summary.prefix, metric: route.metric, isType2: route.isType2,
                                                           tag: summary.tag)
        }
        return (kept + summaries.values).sorted { $0.prefix < $1.prefix }
    }

    /// For each attached NSSA, the other border routers reachable inside it (RFC 3101 §3.1): routers whose
    /// router-LSA in the NSSA has the B bit and that the routing table reaches through the NSSA.
    func nssaBorderRouters() -> [AreaID: [NSSABorderRouter]] {
        var result: [AreaID: [NSSABorderRouter]] = [:]
        for id in flooding.areaDatabases.keys.sorted() {
            guard case .nssa = settings.area(id).kind else { continue }
            var found: [NSSABorderRouter] = []
            for entry in flooding.database(.area(id)).sortedEntries(ofType: .router) {
                guard entry.lsa.advertisingRouter != routerID, case let .router(body) = entry.lsa.body, body.flags.contains(.b)
                else { continue }
                let reachable = routingTable.borderRouters.contains {
                    $0.routerID == entry.lsa.advertisingRouter && $0.area == id && $0.pathType == .intraArea
                }
                if reachable {
                    found.append(NSSABorderRouter(routerID: entry.lsa.advertisingRouter, alwaysTranslates: body.flags.contains(.nt)))
                }
            }
            result[id] = found
        }
        return result
    }

    func originate(_ context: ControlPlaneContext) {
        let now = context.now
        // IOS: `default-information originate` needs a default route in the RIB from another source unless `always`.
        let defaultPrefix = IPv4Prefix(.any, length: 0)
        let hasDefaultRoute = context.node.routes.selectedRoute(defaultPrefix).map { $0.source != routeSource } ?? false
        let defaultRoute = settings.defaultInformation.flatMap { d -> RedistributedRoute? in
            guard d.always || hasDefaultRoute else { return nil }
            return RedistributedRoute(prefix: defaultPrefix, metric: d.metric, isType2: d.metricType2)
        }
        let input = originationInput(redistributed: redistributedRoutes(context), defaultRoute: defaultRoute,
                                     hasDefaultRoute: hasDefaultRoute)
        let nssaDatabases = Dictionary(uniqueKeysWithValues: flooding.areaDatabases.filter { key, _ in
            if case .nssa = settings.area(key).kind { return true }
            return false
        }.map { ($0.key, $0.value) })
        let wanted = LSAOrigination.originate(input, routingTable: routingTable, nssaDatabases: nssaDatabases,
                                              nssaBorderRouters: nssaBorderRouters(), now: now)
        var actions: [FloodingAction] = []
        var stillForced: Set<LSAKey> = []
        for (area, lsas) in wanted.areas.sorted(by: { $0.key < $1.key }) {
            reconcile(lsas, in: .area(area), now: now, stillForced: &stillForced, actions: &actions, context)
        }
        for area in flooding.areaDatabases.keys.sorted() where wanted.areas[area] == nil {
            reconcile([], in: .area(area), now: now, stillForced: &stillForced, actions: &actions, context)
        }
        // RFC 2328 §12.4.4: type-5s are AS-scoped, flooded through every area that carries them.
        reconcile(wanted.asExternal, in: .autonomousSystem, now: now, stillForced: &stillForced, actions: &actions, context)
        forcedReorigination = stillForced
        run(actions, context)
    }

    /// Brings our LSAs of one scope to `lsas`: new or changed ones are originated (throttled), the ones no
    /// longer wanted are flushed (RFC 2328 §14.1).
    func reconcile(_ lsas: [LSA], in scope: FloodingScope, now: SimTime, stillForced: inout Set<LSAKey>,
                   actions: inout [FloodingAction], _ context: ControlPlaneContext) {
        for lsa in lsas {
            let key = LSAKey(lsa)
            let scoped = OSPFFlooding.ScopedKey(scope: scope, key: key)
            var previous = flooding.database(scope)[key].map { entry -> LSA in
                var copy = entry.lsa
                copy.age = entry.age(at: now)
                return copy
            }
            let forced = forcedReorigination.contains(key)
            if forced, var p = previous {
                p.age = LSAHeader.maxAge   // forces a new instance whatever the contents
                previous = p
            }
            switch LSAOrigination.reoriginate(lsa, previous: previous) {
            case .unchanged:
                break
            case let .originate(next):
                let earliest = previous == nil ? now : lsaEarliest(scoped, now: now)
                if earliest > now {
                    if forced { stillForced.insert(key) }
                    deferOrigination(until: earliest, context)
                    continue
                }
                noteOriginated(scoped, now: now)
                flooding.originate(next, in: scope, now: now, actions: &actions)
            case let .flushThenOriginate(maxAged, then):
                flooding.prematurelyAge(LSAKey(maxAged), in: scope, now: now, actions: &actions)
                noteOriginated(scoped, now: now)
                flooding.originate(then, in: scope, now: now, actions: &actions)
            }
        }
        let keep = Set(lsas.map(LSAKey.init))
        for entry in flooding.database(scope).sortedEntries(where: { self.flooding.isSelfOriginated($0.lsa) })
        where !keep.contains(entry.key) && !entry.isMaxAge(at: now) {
            flooding.prematurelyAge(entry.key, in: scope, now: now, actions: &actions)
        }
    }

    /// Redistribution and `default-information originate` follow the RIB (routes of other owners changed).
    public func routesChanged(_ changes: [RouteChange], _ context: ControlPlaneContext) {
        guard started, routerID != .any else { return }
        let nssaDefault = settings.areas.values.contains {
            if case let .nssa(o) = $0.kind { return o.defaultInformationOriginate }
            return false
        }
        guard !settings.redistributions.isEmpty || settings.defaultInformation != nil || nssaDefault else { return }
        let source = routeSource
        guard changes.contains(where: { $0.old?.source != source || $0.new?.source != source }) else { return }
        originationPending = true
        finish(context)
    }
}

// MARK: - Routes (RFC 2328 §16)

extension OSPFRoute {
    /// The code `show ip route` prints: O, O IA, O E1, O E2, O N1, O N2.
    public var ribCode: String {
        switch pathType {
        case .intraArea, .interArea: code
        case .type1External, .type2External: "O " + code
        }
    }
}

extension OSPFProcess {
    func calculateRoutes(_ context: ControlPlaneContext) {
        spfRuns += 1
        lastSPFAt = context.now
        debugSPF(context)
        let areas = flooding.areaDatabases.keys.sorted().map {
            SPFArea(id: $0, type: settings.area($0).kind.spfType, lsdb: flooding.areaDatabases[$0]!)
        }
        let interfaces = flooding.interfaces.enumerated().filter { $0.element.state != .down }.map {
            SPFInterface(id: OSPFInterfaceID($0.offset), area: $0.element.areaID, address: $0.element.address,
                         mask: $0.element.mask)
        }
        var input = SPFInput(routerID: routerID, areas: areas, externals: flooding.asExternalDatabase,
                             interfaces: interfaces, now: context.now,
                             maximumPaths: settings.maximumPaths ?? OSPFConstants.maximumPaths)
        input.ranges = settings.areas.mapValues { $0.ranges.map(\.prefix) }.filter { !$0.value.isEmpty }
        routingTable = SPF.calculate(input)
        // The same table through the same interfaces as last offered (a recalculation that changed nothing this
        // router routes by): the RIB already holds these routes, so building and comparing them again is waste.
        if let offered = offeredRoutingTable, offered.table == routingTable, offered.nodeInterfaces == nodeInterfaces {
            return
        }
        offeredRoutingTable = (routingTable, nodeInterfaces)
        let source = routeSource
        let routes: [Route] = routingTable.routes.compactMap { route in
            let hops = route.nextHops.compactMap { hop -> NextHop? in
                guard nodeInterfaces.indices.contains(hop.interface.rawValue) else { return nil }
                return NextHop(gateway: hop.address, interface: nodeInterfaces[hop.interface.rawValue])
            }
            guard !hops.isEmpty else { return nil }
            return Route(prefix: route.destination, source: source, metric: route.metric, nextHops: hops, code: route.ribCode)
        }
        context.offerRoutes(routes + discardRoutes(source, besides: routes), as: source)
    }
}

// MARK: - Settings changed at run time

extension OSPFProcess {
    /// The settings a running process takes without a restart: what only shapes origination, the routing
    /// table or logging. Area types, networks, interfaces and the router ID restart it.
    static func changesInPlace(from old: OSPFProcessSettings, to new: OSPFProcessSettings) -> Bool {
        func structural(_ s: OSPFProcessSettings) -> OSPFProcessSettings {
            var s = s
            s.redistributions = []
            s.defaultInformation = nil
            s.summaryAddresses = []
            s.spfThrottle = nil
            s.lsaThrottle = nil
            s.maximumPaths = nil
            s.logAdjacencyChanges = true
            s.logAdjacencyDetail = false
            s.areas = s.areas.mapValues { var a = $0; a.ranges = []; a.defaultCost = nil; return a }
                .filter { $0.value != OSPFAreaSettings() }
            return s
        }
        return structural(old) == structural(new)
    }

    /// Takes `changesInPlace` settings: our LSAs are originated anew where they differ, and the routing table
    /// is calculated again (`maximum-paths`).
    func updateSettings(_ new: OSPFProcessSettings, _ context: ControlPlaneContext) {
        let pathsChanged = new.maximumPaths != settings.maximumPaths
        settings = new
        guard started, routerID != .any else { return }
        if pathsChanged { scheduleSPF(context) }
        originationPending = true
        finish(context)
    }
}
