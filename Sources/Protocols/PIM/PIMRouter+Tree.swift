import Engine
import Fabric
import QoS
import Wire

/// The tree state's rules (RFC 7761 §4.1–§4.2 macros) and the forwarding entries written from it.
extension PIMRouter {
    // MARK: - RP mapping (§4.7) and RPF (§4.5)

    /// The RP of `group`: among the static RPs whose access list permits it (a standard list, tried on the group as
    /// its source address; an undefined list permits nothing), the highest address, as IOS picks among statics.
    func rendezvousPoint(for group: IPv4Address, _ context: ControlPlaneContext) -> IPv4Address? {
        settings.rendezvousPoints.filter { rp in
            guard let name = rp.accessList else { return true }
            guard let list = context.node.settings.accessLists.first(where: { $0.name == name }) else { return false }
            return Self.permits(list, group)
        }.map(\.address).max()
    }

    static func permits(_ list: AccessListDefinition, _ group: IPv4Address) -> Bool {
        for entry in list.entries.sorted(by: { $0.sequence < $1.sequence }) {
            let match: Bool
            switch entry.source {
            case .any: match = true
            case let .host(h): match = h == group
            case let .wildcard(a, bits): match = group.rawValue & ~bits.rawValue == a.rawValue & ~bits.rawValue
            }
            if match { return entry.action == .permit }
        }
        return false
    }

    func ownsAddress(_ address: IPv4Address, _ context: ControlPlaneContext) -> Bool {
        context.interfaces.contains { !$0.adminDown && $0.addresses.contains { $0.address == address } }
    }

    /// I_am_RP(G).
    func iAmRP(_ group: IPv4Address, _ context: ControlPlaneContext) -> Bool {
        rendezvousPoint(for: group, context).map { ownsAddress($0, context) } ?? false
    }

    public func rpf(toward address: IPv4Address, _ context: ControlPlaneContext) -> RPFInfo? {
        let views = context.interfaces.map { RPFSelection.InterfaceView(name: $0.name, addresses: $0.adminDown ? [] : $0.addresses) }
        return RPFSelection.rpf(toward: address, staticMRoutes: settings.staticMRoutes, interfaces: views, lookup: context.lookup)
    }

    /// RPF'(...): the neighbor a Join goes to — the RPF neighbor when it is a PIM neighbor on the RPF interface
    /// (a static mroute naming only an interface takes the highest PIM neighbor there). Nil when the address is
    /// ours or directly connected, or no PIM neighbor is there (then nothing is sent upstream).
    func upstreamTarget(_ rpf: RPFInfo?) -> UpstreamTarget? {
        guard let rpf, !rpf.isLocal, !rpf.isDirectlyConnected, let index = rpf.interface, let k = pimInterface(index),
              interfaces[k].isUp else { return nil }
        let neighbor = rpf.neighbor == .any ? interfaces[k].neighbors.last?.address : rpf.neighbor
        guard let neighbor, interfaces[k].neighbor(neighbor) != nil else { return nil }
        return UpstreamTarget(interface: index, neighbor: neighbor)
    }

    // MARK: - Membership (§4.1 local_receiver_include, IGMP's groups)

    /// The directly connected members of `group`: on each PIM interface where we are the DR, the groups IGMP knows;
    /// on any interface, the router's own `ip igmp join-group` and `static-group` (flag L).
    func currentMembers(_ group: IPv4Address, _ context: ControlPlaneContext) -> [Int: LocalMember] {
        guard let igmp = context.node.protocols.lazy.compactMap({ $0 as? IGMPRouter }).first else { return [:] }
        var out: [Int: LocalMember] = [:]
        for i in interfaces where i.isUp {
            guard let g = igmp.membership(of: group, on: i.index, now: context.now) else { continue }
            guard i.isDR || g.isLocal || g.isStatic else { continue }
            out[i.index] = LocalMember(uptime: g.uptime, expires: g.isLocal || g.isStatic ? nil : g.expires, isLocal: g.isLocal)
        }
        return out
    }

    /// Groups IGMP knows of on PIM interfaces (to create (*,G) for them).
    func igmpGroups(_ context: ControlPlaneContext) -> Set<IPv4Address> {
        guard let igmp = context.node.protocols.lazy.compactMap({ $0 as? IGMPRouter }).first else { return [] }
        var out: Set<IPv4Address> = []
        for ri in igmp.interfaces where pimInterface(ri.index) != nil {
            for (g, m) in ri.groups where m.expires.map({ $0 > context.now }) ?? true && !g.isLinkLocalMulticast { out.insert(g) }
        }
        return out
    }

    // MARK: - Olists (§4.1.6 macros)

    func assertLosers(_ e: TreeEntry) -> Set<Int> { Set(e.asserts.filter { $0.value.isLoser }.keys) }

    /// immediate_olist: joined interfaces and (for (*,G)) interfaces with members, less assert losers.
    func immediateOlist(_ e: TreeEntry) -> Set<Int> {
        Set(e.joinedInterfaces).union(e.members.keys).subtracting(assertLosers(e))
    }

    /// The (*,G) olist as forwarding uses it (the RPF interface toward the RP left out).
    func wildcardOlist(_ group: IPv4Address, _ context: ControlPlaneContext) -> Set<Int> {
        guard let star = entries[MulticastRouteKey(source: .any, group: group)] else { return [] }
        var olist = immediateOlist(star)
        if let i = incoming(star, context) { olist.remove(i) }
        return olist
    }

    /// inherited_olist(S,G): joins(S,G) ∪ ((*,G)'s olist − (S,G,rpt) prunes), less assert losers; forwarding
    /// leaves out the incoming interface, JoinDesired (§4.5.7) does not (a member on the RPF interface still wants S).
    func inheritedOlist(_ e: TreeEntry, _ context: ControlPlaneContext, keepIncoming: Bool = false) -> Set<Int> {
        guard !e.isWildcard else { return immediateOlist(e) }
        let star = entries[MulticastRouteKey(source: .any, group: e.key.group)].map(immediateOlist) ?? []
        var olist = immediateOlist(e).union(star.subtracting(e.rptPrunes.keys)).subtracting(assertLosers(e))
        if !keepIncoming, let i = incoming(e, context) { olist.remove(i) }
        return olist
    }

    /// The router itself is a member (`ip igmp join-group`): it takes the group's packets whatever the olist.
    func hasLocalMember(_ group: IPv4Address) -> Bool {
        entries[MulticastRouteKey(source: .any, group: group)]?.members.values.contains(where: \.isLocal) ?? false
    }

    /// (S,G) state of the shortest-path tree rather than only (S,G,rpt) prunes on the shared tree. A last hop's
    /// switched (S,G) (J) lives by its keepalive: once S stops for 210 s it goes, and S comes down the RPT again.
    func hasSPTState(_ e: TreeEntry, _ context: ControlPlaneContext) -> Bool {
        e.isFirstHop || !e.joinedInterfaces.isEmpty || e.isKeepaliveRunning(now: context.now)
    }

    /// The RPF interface of the entry: toward the RP for (*,G) (none at the RP) and for (S,G,rpt)-only state,
    /// toward the source for (S,G).
    func incoming(_ e: TreeEntry, _ context: ControlPlaneContext) -> Int? {
        if e.isWildcard || !hasSPTState(e, context) {
            guard let rp = rendezvousPoint(for: e.key.group, context), !ownsAddress(rp, context) else { return nil }
            return rpf(toward: rp, context)?.interface
        }
        return rpf(toward: e.key.source, context)?.interface
    }

    func source(of e: TreeEntry) -> PIMEncodedSource {
        e.isWildcard ? .wildcard(rp: rpCache[e.key.group] ?? .any) : .source(e.key.source)
    }

    // MARK: - Bringing everything in line

    /// After every event: each entry's timers are applied, its upstream messages queued and its forwarding entry
    /// written (or removed), then the Join/Prunes go out and the sweep is armed at the next deadline.
    func update(_ context: ControlPlaneContext) {
        for g in igmpGroups(context) where entries[MulticastRouteKey(source: .any, group: g)] == nil {
            entries[MulticastRouteKey(source: .any, group: g)] = TreeEntry(key: MulticastRouteKey(source: .any, group: g),
                                                                            created: context.now)
        }
        rpCache = [:]
        for key in entries.keys.sorted() { reconcile(key, context) }
        flushJoinPrunes(context)
        armSweep(context)
    }

    func sweep(_ context: ControlPlaneContext) {
        for k in interfaces.indices {
            var actions: [PIMInterfaceAction] = []
            interfaces[k].expireNeighbors(now: context.now, actions: &actions)
            run(actions, k, context)
        }
        update(context)
    }

    func armSweep(_ context: ControlPlaneContext) {
        var next = interfaces.compactMap(\.nextNeighborExpiry).min() ?? .distantFuture
        for e in entries.values {
            for d in e.downstream.values { if let t = d.nextDeadline { next = min(next, t) } }
            for t in e.rptPrunes.values { next = min(next, t) }
            for m in e.members.values { if let t = m.expires { next = min(next, t) } }
            for a in e.asserts.values {
                switch a {
                case .noInfo: break
                case let .winner(t): next = min(next, t - PIMTimers.assertOverrideInterval)
                case let .loser(_, t): next = min(next, t)
                }
            }
            if let t = e.keepaliveExpires { next = min(next, t) }
            if let t = e.register.registerStopTimer { next = min(next, t) }
            if let t = e.overrideJoinAt { next = min(next, t) }
        }
        guard next != .distantFuture else {
            if sweepAt != nil { context.cancel(token: Self.sweepToken) }
            sweepAt = nil
            return
        }
        let at = max(next, context.now)
        if sweepAt != at {
            context.arm(token: Self.sweepToken, at: at)
            sweepAt = at
        }
    }

    func reconcile(_ key: MulticastRouteKey, _ context: ControlPlaneContext) {
        guard var e = entries[key] else { return }
        let now = context.now, group = key.group
        let rp = rendezvousPoint(for: group, context)
        rpCache[group] = rp ?? .any
        // Timers due (§4.5.2/§4.5.3 Expiry and Prune-Pending; §4.5.4 (S,G,rpt); §4.6 Assert).
        for (i, var d) in e.downstream {
            d.handle(.timersDue, now: now)
            e.downstream[i] = d.isJoined ? d : nil
        }
        e.rptPrunes = e.rptPrunes.filter { $0.value > now }
        if e.isWildcard { e.members = currentMembers(group, context) }
        expireAsserts(&e, context)
        // Keepalive (§4.1.6): the data plane stamps the entry's last packet; the timer runs 210 s from it.
        if let kat = e.keepaliveExpires, kat <= now {
            let last = context.node.multicastRoutes[key.source, group]?.lastPacket
            e.keepaliveExpires = last.map { $0 + PIMTimers.keepalivePeriod }.flatMap { $0 > now ? $0 : nil }
        }
        if e.isFirstHop { updateRegisterState(&e, rp: rp, context) }
        if e.isFirstHop && !e.isKeepaliveRunning(now: now) { e.isFirstHop = false }

        let rpfRP = rp.flatMap { ownsAddress($0, context) ? nil : rpf(toward: $0, context) }
        if e.isWildcard {
            // JoinDesired(*,G) (§4.5.6): an olist and an RP that is not us.
            let desired = rp != nil && !ownsAddress(rp!, context) && !immediateOlist(e).isEmpty
            updateUpstream(&e, desired: desired, target: upstreamTarget(rpfRP), source: .wildcard(rp: rp ?? .any))
            if let at = e.overrideJoinAt, at <= now {
                if let up = e.upstream { queue(join: .wildcard(rp: rp ?? .any), group: group, to: up) }
                e.overrideJoinAt = nil
            }
            if e.downstream.isEmpty && e.members.isEmpty {
                if let up = e.upstream { queue(prune: .wildcard(rp: rp ?? .any), group: group, to: up) }
                entries[key] = nil
                context.node.removeMulticastRoute(source: key.source, group: group)
                return
            }
        } else {
            let spt = hasSPTState(e, context)
            let rpfS = rpf(toward: key.source, context)
            let inherited = inheritedOlist(e, context, keepIncoming: true)
            // JoinDesired(S,G) (§4.5.7): downstream (S,G) joins, or the keepalive running with an inherited olist
            // (the RP after a Register, the last hop after switching).
            // A router that is itself a member (flag L on the (*,G)) counts as an olist of its own.
            let desired = spt && (!e.joinedInterfaces.isEmpty
                                  || (e.isKeepaliveRunning(now: now) && (!inherited.isEmpty || hasLocalMember(group))))
            updateUpstream(&e, desired: desired, target: upstreamTarget(rpfS), source: .source(key.source))
            if let at = e.overrideJoinAt, at <= now {
                if let up = e.upstream { queue(join: .source(key.source), group: group, to: up) }
                e.overrideJoinAt = nil
            }
            // PruneDesired(S,G,rpt) (§4.5.8): the shared tree is joined, and either nothing below wants S from it,
            // or S arrives on the SPT from another neighbor than the shared tree's.
            let star = entries[MulticastRouteKey(source: .any, group: group)]
            let rptTarget = star?.upstream
            let rptOlist = wildcardOlist(group, context).subtracting(e.rptPrunes.keys)
            let pruneRPT = rptTarget != nil
                && ((!spt && rptOlist.isEmpty) || (e.sptBit && upstreamTarget(rpfS) != rptTarget))
            if pruneRPT, let target = rptTarget {
                if e.rptPruneUpstream != target {
                    queue(prune: .rpt(key.source), group: group, to: target)
                    e.rptPruneUpstream = target
                }
            } else if let old = e.rptPruneUpstream {
                if !pruneRPT, rptTarget == old { queue(join: .rpt(key.source), group: group, to: old) }
                e.rptPruneUpstream = nil
            }
            if !spt && e.rptPrunes.isEmpty {
                if let up = e.upstream { queue(prune: .source(key.source), group: group, to: up) }
                // The shared tree carries S again for us: the (S,G,rpt) prune is withdrawn.
                if let up = e.rptPruneUpstream { queue(join: .rpt(key.source), group: group, to: up) }
                entries[key] = nil
                context.node.removeMulticastRoute(source: key.source, group: group)
                return
            }
        }
        entries[key] = e
        writeForwardingEntry(e, rp: rp ?? .any, context)
    }

    /// Sends Joins and Prunes as JoinDesired and RPF' change (§4.5.6/§4.5.7 upstream machines, level-triggered).
    /// Departure from RFC 7761 §4.5.7, as the field notes' outage shows IOS behaving: when RPF' moves to another
    /// neighbor the Join goes to the new one and the old one is not pruned — its state there runs out with the
    /// holdtime (210 s), so data keeps arriving on the old interface and fails the RPF check meanwhile.
    func updateUpstream(_ e: inout TreeEntry, desired: Bool, target: UpstreamTarget?, source: PIMEncodedSource) {
        if desired, let target {
            guard e.upstream != target else { return }
            queue(join: source, group: e.key.group, to: target)
            e.upstream = target
        } else if let old = e.upstream {
            // Only a Join no longer desired is pruned; an RPF' that moved to a non-PIM neighbor leaves the old
            // upstream's state to expire, as above.
            if !desired, isNeighbor(old) { queue(prune: source, group: e.key.group, to: old) }
            e.upstream = nil
        }
    }

    func isNeighbor(_ t: UpstreamTarget) -> Bool {
        pimInterface(t.interface).map { interfaces[$0].isUp && interfaces[$0].neighbor(t.neighbor) != nil } ?? false
    }

    // MARK: - The forwarding entry

    func flags(_ e: TreeEntry, olist: Set<Int>, _ context: ControlPlaneContext) -> MulticastRouteFlags {
        var f: MulticastRouteFlags = []
        if e.isWildcard {
            f.insert(.sparse)
            if !e.members.isEmpty {
                f.insert(.connected)
                // IOS threshold 0: a last hop's (*,G) switches to the SPT on the next new source (flag J).
                if !settings.sptThresholdInfinity { f.insert(.joinSPT) }
            }
            if e.members.values.contains(where: \.isLocal) { f.insert(.local) }
        } else {
            if e.joinSPT { f.insert(.joinSPT) }
            if !hasSPTState(e, context) { f.insert(.rpBit) }
            if e.isFirstHop { f.insert(.register) }
            if e.sptBit { f.insert(.sptBit) }
        }
        // IOS: an entry the router itself listens on (L) is not pruned, even with nothing to forward to.
        if olist.isEmpty && !hasLocalMember(e.key.group) { f.insert(.pruned) }
        return f
    }

    func writeForwardingEntry(_ e: TreeEntry, rp: IPv4Address, _ context: ControlPlaneContext) {
        let now = context.now
        let olist = e.isWildcard ? wildcardOlist(e.key.group, context) : inheritedOlist(e, context)
        let inIf = incoming(e, context)
        let rpfInfo: RPFInfo?
        if e.isWildcard || !hasSPTState(e, context) {
            rpfInfo = rp == .any || ownsAddress(rp, context) ? nil : rpf(toward: rp, context)
        } else {
            rpfInfo = rpf(toward: e.key.source, context)
        }
        let neighbor = rpfInfo.map { $0.isDirectlyConnected || $0.isLocal ? IPv4Address.any : $0.neighbor } ?? .any
        var states: [OutgoingInterfaceState] = []
        var expiry: SimTime? = e.keepaliveExpires.flatMap { $0 > now ? $0 : nil }
        let star = entries[MulticastRouteKey(source: .any, group: e.key.group)]
        for i in olist.sorted() {
            let joined = e.downstream[i] ?? (e.isWildcard ? nil : star?.downstream[i])
            let member = e.isWildcard ? e.members[i] : star?.members[i]
            let oifExpires = [joined?.expires, member?.expires].compactMap { $0 }.max()
            let uptime = [joined?.uptime, member?.uptime].compactMap { $0 }.min() ?? now
            states.append(OutgoingInterfaceState(interface: i, uptime: max(uptime, e.created), expires: oifExpires,
                                                 assertWinner: e.asserts[i]?.isWinner ?? false))
            if let t = oifExpires { expiry = max(expiry ?? t, t) }
        }
        let f = flags(e, olist: olist, context)
        let spt = hasSPTState(e, context)
        let alsoAccepted: Int? = {
            // §4.2: until the SPT delivers, S's packets still come down the shared tree.
            guard !e.isWildcard, spt, !e.sptBit, let star, let starIn = incoming(star, context), starIn != inIf else { return nil }
            return starIn
        }()
        context.node.updateMulticastRoute(source: e.key.source, group: e.key.group, create: {
            MulticastRoute(source: e.key.source, group: e.key.group, incoming: inIf, created: e.created)
        }) { r in
            r.incoming = inIf
            r.alsoAccepted = alsoAccepted
            r.rpfNeighbor = neighbor
            r.rp = rp
            r.outgoing = olist.sorted()
            r.outgoingStates = states
            r.flags = f
            r.created = e.created
            r.expires = e.isWildcard && !e.members.isEmpty ? nil : expiry
            r.signalArrivals = !e.isWildcard && spt && !e.sptBit
            r.registering = e.isFirstHop && e.register == .join
            r.signalNewSources = e.isWildcard && f.contains(.joinSPT)
        }
    }
}
