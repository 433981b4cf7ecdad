import Engine
import Wire

extension OSPFFlooding {
    // MARK: - Our own LSAs (RFC 2328 §12.4, §13.3)

    /// Installs a new instance of one of our own LSAs, built by the origination code, and floods it out every
    /// eligible interface (RFC 2328 §12.4, §13.3 with no receiving interface). Its `age` is normally 0.
    public mutating func originate(_ lsa: LSA, in scope: FloodingScope, now: SimTime, actions: inout [FloodingAction]) {
        let scoped = ScopedKey(scope: scope, key: LSAKey(lsa))
        if debugging.contains(.lsaGeneration), lsa.age != LSAHeader.maxAge {
            actions.append(.debug(OSPFDebugLine(.lsaGeneration, interfaceName: "", text: Self.buildLine(lsa, scope))))
        }
        let instance = LSAInstance(lsa)
        let previous = database(scope)[scoped.key]
        removeFromRetransmissionLists(scoped, now: now, actions: &actions)
        withDatabase(scope) { $0.replace(instance, age: lsa.age, now: now) }
        receivedByFloodingAt.removeValue(forKey: scoped)
        if lsa.age == LSAHeader.maxAge { maxAgeFlooded.insert(scoped) } else { maxAgeFlooded.remove(scoped) }
        let changed = previous.map { LSDB.contentsDiffer(database(scope)[scoped.key]!, $0, now: now) } ?? true
        noteInstalled(scoped, result: .installed(contentsChanged: changed), now: now, actions: &actions)
        var outbox = FloodingOutbox()
        flood(scoped, receivedOn: nil, from: nil, now: now, outbox: &outbox, actions: &actions)
        emit(outbox, actions: &actions)
        removeIfFlushed(scoped, now: now, actions: &actions)
    }

    /// IOS `debug ip ospf lsa-generation`: "Build router LSA for area 0, router ID 1.1.1.1, seq 0x80000003"
    /// (the router-LSA wording is IOS's; the other types are named the same way, unconfirmed).
    static func buildLine(_ lsa: LSA, _ scope: FloodingScope) -> String {
        let kind: String
        switch lsa.type {
        case .router: kind = "router"
        case .network: kind = "network"
        case .summaryNetwork: kind = "summary"
        case .summaryASBR: kind = "ASBR summary"
        case .asExternal: kind = "external"
        case .nssaExternal: kind = "NSSA external"
        default: kind = "type \(lsa.type.rawValue)"
        }
        let sequence = String(UInt32(bitPattern: lsa.sequenceNumber), radix: 16, uppercase: true)
        let place: String
        switch scope {
        case let .area(area): place = "area \(area)"
        case .autonomousSystem: place = "LSID \(lsa.linkStateID)"
        }
        return "Build \(kind) LSA for \(place), router ID \(lsa.advertisingRouter), seq 0x\(sequence)"
    }

    /// Premature ageing, RFC 2328 §14.1: the LSA's age is set to MaxAge and it is flooded, so every router
    /// removes it; we remove it once every neighbor has acknowledged (§14). For the owner's own LSAs it no
    /// longer wants (a network-LSA when we stop being DR, §13.4's "no longer desired" case).
    public mutating func prematurelyAge(_ key: LSAKey, in scope: FloodingScope, now: SimTime,
                                        actions: inout [FloodingAction]) {
        guard let entry = database(scope)[key] else { return }
        withDatabase(scope) { $0.replace(entry.instance, age: LSAHeader.maxAge, now: now) }
        flushAtMaxAge(ScopedKey(scope: scope, key: key), now: now, actions: &actions)
    }

    // MARK: - RFC 2328 §14, ageing the database

    /// The ageing timer fired, RFC 2328 §14: LSAs that reached MaxAge are flooded once as such, and MaxAge LSAs
    /// that no retransmission list holds leave the database once no neighbor is in Exchange or Loading.
    /// Refreshing our own LSAs every LSRefreshTime is the originator's business.
    public mutating func ageingTimerFired(now: SimTime, actions: inout [FloodingAction]) {
        ageingDeadline = nil
        // Copies sent back longer than MinLSArrival ago no longer hold anything back (§13 (8)).
        sentBackAt = sentBackAt.filter { now - $0.value < OSPFConstants.minLSArrival }
        let scopes = areaDatabases.keys.sorted().map(FloodingScope.area) + [.autonomousSystem]
        for scope in scopes {
            for key in database(scope).maxAgeKeys(at: now) {
                let scoped = ScopedKey(scope: scope, key: key)
                if maxAgeFlooded.contains(scoped) {
                    removeIfFlushed(scoped, now: now, actions: &actions)
                } else {
                    flushAtMaxAge(scoped, now: now, actions: &actions)
                }
            }
        }
        scheduleAgeing(now: now, actions: &actions)
    }

    /// An LSA now at MaxAge in our database: the routing table must drop it (§13.2) and it floods (§14).
    mutating func flushAtMaxAge(_ scoped: ScopedKey, now: SimTime, actions: inout [FloodingAction]) {
        maxAgeFlooded.insert(scoped)
        receivedByFloodingAt.removeValue(forKey: scoped)
        // The instance at MaxAge is a different instance (§13.1): older copies leave the lists first.
        removeFromRetransmissionLists(scoped, now: now, actions: &actions)
        actions.append(.installed(scoped.key, scope: scoped.scope, contentsChanged: true))
        var outbox = FloodingOutbox()
        flood(scoped, receivedOn: nil, from: nil, now: now, outbox: &outbox, actions: &actions)
        emit(outbox, actions: &actions)
        removeIfFlushed(scoped, now: now, actions: &actions)
        scheduleAgeing(now: now, actions: &actions)
    }

    /// RFC 2328 §14: a MaxAge LSA is removed once (1) no neighbor's retransmission list holds it and (2) no
    /// neighbor is in Exchange or Loading.
    mutating func removeIfFlushed(_ scoped: ScopedKey, now: SimTime, actions: inout [FloodingAction]) {
        guard let entry = database(scoped.scope)[scoped.key], entry.isMaxAge(at: now),
              !anyNeighborExchangingOrLoading else { return }
        let listed = interfaces.contains { interface in
            (interface.areaID == scoped.scope.area || scoped.scope.area == nil)
                && interface.neighbors.contains { $0.linkStateRetransmissionList.contains { $0.lsaKey == scoped.key } }
        }
        guard !listed else { return }
        withDatabase(scoped.scope) { _ = $0.remove(scoped.key) }
        maxAgeFlooded.remove(scoped)
        receivedByFloodingAt.removeValue(forKey: scoped)
        sentBackAt = sentBackAt.filter { $0.key.lsa != scoped }
        actions.append(.removed(scoped.key, scope: scoped.scope))
    }

    /// Arms the ageing timer for the next LSA to reach MaxAge, or in a second while flushed LSAs wait to leave
    /// the database. - Complexity: O(n log n) over all databases, and only while no deadline is armed.
    mutating func scheduleAgeing(now: SimTime, actions: inout [FloodingAction]) {
        guard ageingDeadline == nil else { return }
        var next: SimTime?
        let databases = Array(areaDatabases.values) + [asExternalDatabase]
        for db in databases {
            for entry in db.sortedEntries {
                let age = entry.age(at: now)
                let due = age == LSAHeader.maxAge ? now + .seconds(1) : now + .seconds(Int64(LSAHeader.maxAge - age))
                if next.map({ due < $0 }) ?? true { next = due }
            }
        }
        guard let next else { return }
        ageingDeadline = next
        actions.append(.startAgeingTimer(at: next))
    }
}
