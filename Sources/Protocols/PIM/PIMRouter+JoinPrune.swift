import Engine
import Fabric
import Wire

/// Join/Prune messages (RFC 7761 §4.5): building, sending, and receiving them.
extension PIMRouter {
    // MARK: - Sending

    func queue(join source: PIMEncodedSource, group: IPv4Address, to target: UpstreamTarget) {
        var g = pendingJoinPrunes[target, default: [:]][group] ?? PIMJoinPrune.Group(group: group)
        g.prunes.removeAll { $0 == source }
        if !g.joins.contains(source) { g.joins.append(source) }
        pendingJoinPrunes[target, default: [:]][group] = g
    }

    func queue(prune source: PIMEncodedSource, group: IPv4Address, to target: UpstreamTarget) {
        var g = pendingJoinPrunes[target, default: [:]][group] ?? PIMJoinPrune.Group(group: group)
        g.joins.removeAll { $0 == source }
        if !g.prunes.contains(source) { g.prunes.append(source) }
        pendingJoinPrunes[target, default: [:]][group] = g
    }

    /// Sends what the event queued: one Join/Prune per upstream neighbor, groups ascending, to ALL-PIM-ROUTERS on
    /// the RPF interface with the neighbor in the message (§4.9.5).
    func flushJoinPrunes(_ context: ControlPlaneContext) {
        guard !pendingJoinPrunes.isEmpty else { return }
        let pending = pendingJoinPrunes
        pendingJoinPrunes = [:]
        for (target, groups) in pending.sorted(by: { ($0.key.interface, $0.key.neighbor) < ($1.key.interface, $1.key.neighbor) }) {
            let list = groups.keys.sorted().map { groups[$0]! }.filter { !$0.joins.isEmpty || !$0.prunes.isEmpty }
            guard !list.isEmpty else { continue }
            sendJoinPrune(PIMJoinPrune(upstreamNeighbor: target.neighbor, holdtime: PIMTimers.joinPruneHoldtimeSeconds, groups: list),
                          on: target.interface, context)
        }
    }

    func sendJoinPrune(_ jp: PIMJoinPrune, on interface: Int, _ context: ControlPlaneContext) {
        if context.network.isDebugging(context.node.id, .ipPIM) {
            for g in jp.groups {
                for j in g.joins { debug(context, "PIM(0): Insert \(describe(j, g.group)) join in nbr \(jp.upstreamNeighbor)'s queue") }
                for p in g.prunes { debug(context, "PIM(0): Insert \(describe(p, g.group)) prune in nbr \(jp.upstreamNeighbor)'s queue") }
            }
            debug(context, "PIM(0): Send v2 join/prune to \(jp.upstreamNeighbor) (\(interfaceName(interface, context)))")
        }
        send(.joinPrune(jp), to: PIMMessage.allPIMRouters, on: interface, context)
    }

    /// `(*,239.1.1.1)`, `(150.1.4.4,239.1.1.1)`, `(150.1.4.4/32, 239.1.1.1), RPT-bit` as IOS's J/P debug names them.
    func describe(_ s: PIMEncodedSource, _ group: IPv4Address) -> String {
        if s.wildcard { return "(*,\(group))" }
        return s.rpt ? "(\(s.address),\(group), RPT-bit)" : "(\(s.address),\(group))"
    }

    /// The periodic Join/Prune (§4.5.6/§4.5.7, every t_periodic = 60 s): every joined entry, and the (S,G,rpt)
    /// prunes, to each upstream neighbor; `only` restricts it to one interface (a restarted neighbor).
    func sendPeriodicJoinPrunes(_ context: ControlPlaneContext, only: Int? = nil) {
        for key in entries.keys.sorted() {
            let e = entries[key]!
            if let up = e.upstream, only.map({ $0 == up.interface }) ?? true {
                queue(join: source(of: e), group: key.group, to: up)
            }
            if let up = e.rptPruneUpstream, only.map({ $0 == up.interface }) ?? true {
                queue(prune: .rpt(key.source), group: key.group, to: up)
            }
        }
        flushJoinPrunes(context)
    }

    // MARK: - Receiving

    /// A Join/Prune on PIM interface `k`. Addressed to us: each group's joins and prunes drive the downstream
    /// machines (§4.5.2–§4.5.4). Addressed to another neighbor on the LAN: a Prune for state we keep joined through
    /// that same neighbor is overridden by a Join within t_override (§4.5.7).
    func receiveJoinPrune(_ jp: PIMJoinPrune, from sender: IPv4Address, on k: Int, _ context: ControlPlaneContext) {
        let i = interfaces[k], toUs = jp.upstreamNeighbor == i.address
        debug(context, "PIM(0): Received v2 Join/Prune on \(i.name) from \(sender), \(toUs ? "to us" : "not to us")")
        let now = context.now
        guard toUs else {
            for g in jp.groups {
                for p in g.prunes where !p.rpt || p.wildcard {
                    let key = MulticastRouteKey(source: p.wildcard ? .any : p.address, group: g.group)
                    guard var e = entries[key], e.upstream == UpstreamTarget(interface: i.index, neighbor: jp.upstreamNeighbor),
                          e.overrideJoinAt == nil else { continue }
                    let delay = SimDuration.milliseconds(Int64(random.next(below: UInt64(PIMTimers.tOverride.nanoseconds / 1_000_000))))
                    e.overrideJoinAt = now + delay
                    entries[key] = e
                }
            }
            return
        }
        let holdtime = SimDuration.seconds(Int64(jp.holdtime))
        let onLAN = i.neighbors.count > 1
        for g in jp.groups where g.group.isMulticast {
            let starKey = MulticastRouteKey(source: .any, group: g.group)
            for j in g.joins {
                debug(context, "PIM(0): Join-list: \(describeList(j, g.group))")
                if j.wildcard {
                    var e = entries[starKey] ?? TreeEntry(key: starKey, created: now)
                    var d = e.downstream[i.index] ?? DownstreamInterface(uptime: now)
                    d.handle(.receiveJoin(holdtime: holdtime), now: now)
                    e.downstream[i.index] = d
                    entries[starKey] = e
                    debug(context, "PIM(0): Add \(i.name)/\(sender) to (*, \(g.group)), Forward state, by PIM *G Join")
                    // §4.5.3: a (*,G) Join without an (S,G,rpt) Prune ends that prune state on the interface.
                    let pruned = Set(g.prunes.filter { $0.rpt && !$0.wildcard }.map(\.address))
                    for (key, var sg) in entries where key.group == g.group && !key.source.isZero
                        && sg.rptPrunes[i.index] != nil && !pruned.contains(key.source) {
                        sg.rptPrunes[i.index] = nil
                        entries[key] = sg
                    }
                } else if j.rpt {
                    // Join(S,G,rpt): the (S,G,rpt) prune on this interface is cancelled.
                    let key = MulticastRouteKey(source: j.address, group: g.group)
                    entries[key]?.rptPrunes[i.index] = nil
                } else {
                    let key = MulticastRouteKey(source: j.address, group: g.group)
                    var e = entries[key] ?? TreeEntry(key: key, created: now)
                    var d = e.downstream[i.index] ?? DownstreamInterface(uptime: now)
                    d.handle(.receiveJoin(holdtime: holdtime), now: now)
                    e.downstream[i.index] = d
                    entries[key] = e
                    debug(context, "PIM(0): Add \(i.name)/\(sender) to (\(j.address), \(g.group)), Forward state, by PIM SG Join")
                }
            }
            for p in g.prunes {
                debug(context, "PIM(0): Prune-list: \(describeList(p, g.group))")
                if p.wildcard {
                    entries[starKey]?.downstream[i.index]?.handle(.receivePrune(onLAN: onLAN), now: now)
                } else if p.rpt {
                    // (S,G,rpt) Prune (§4.5.4): only meaningful while the shared tree is joined here.
                    guard entries[starKey] != nil else { continue }
                    let key = MulticastRouteKey(source: p.address, group: g.group)
                    var e = entries[key] ?? TreeEntry(key: key, created: now)
                    e.rptPrunes[i.index] = now + holdtime
                    entries[key] = e
                    debug(context, "PIM(0): Prune \(i.name)/\(sender) from (\(p.address)/32, \(g.group)) RPT-bit set")
                } else {
                    let key = MulticastRouteKey(source: p.address, group: g.group)
                    entries[key]?.downstream[i.index]?.handle(.receivePrune(onLAN: onLAN), now: now)
                }
            }
        }
    }

    /// IOS's J/P list line: `(*, 239.1.1.1), RPT-bit set, WC-bit set, S-bit set`.
    func describeList(_ s: PIMEncodedSource, _ group: IPv4Address) -> String {
        var text = s.wildcard ? "(*, \(group))" : "(\(s.address)/\(s.maskLength), \(group))"
        if s.rpt { text += ", RPT-bit set" }
        if s.wildcard { text += ", WC-bit set" }
        if s.sparse { text += ", S-bit set" }
        return text
    }
}

extension IPv4Address {
    var isZero: Bool { rawValue == 0 }
}
