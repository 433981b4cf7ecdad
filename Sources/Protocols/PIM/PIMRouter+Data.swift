import Engine
import Fabric
import Wire

/// What the multicast data plane hands up (`MulticastDataEvent`), and Asserts (RFC 7761 §4.6).
extension PIMRouter {
    public func multicastData(_ event: MulticastDataEvent, _ context: ControlPlaneContext) {
        guard started else { return }
        let key = MulticastRouteKey(source: event.source, group: event.group)
        switch event.kind {
        case .noEntry:
            if isDirectlyConnectedSource(event.source, on: event.interface, context) {
                createFirstHopEntry(event, context)
            } else if rpf(toward: event.source, context) == nil {
                debugMPacket(event, "RPF lookup failed for source", context)
            }
        case .newSource:
            if isDirectlyConnectedSource(event.source, on: event.interface, context), entries[key] == nil {
                createFirstHopEntry(event, context)
            } else if entries[key] == nil, !settings.sptThresholdInfinity {
                // §4.2.1 SwitchToSptDesired with IOS's threshold 0: the last hop joins toward S on its first packet;
                // the keepalive holds the (S,G) while S sends.
                var e = TreeEntry(key: key, created: context.now)
                e.joinSPT = true
                e.keepaliveExpires = context.now + PIMTimers.keepalivePeriod
                entries[key] = e
                update(context)
            }
        case .arrival:
            // §4.2.2 Update_SPTbit: the packet came on RPF_interface(S): the SPT delivers.
            guard var e = entries[key], !e.sptBit else { return }
            e.sptBit = true
            if e.keepaliveExpires != nil || e.isFirstHop || e.joinSPT {
                e.keepaliveExpires = max(e.keepaliveExpires ?? context.now, context.now + PIMTimers.keepalivePeriod)
            }
            entries[key] = e
            // The RP stops the registers now that native packets arrive (§4.4.2).
            if let dr = e.registerSource, iAmRP(event.group, context) {
                sendRegisterStop(source: event.source, group: event.group, to: dr, context)
            }
            update(context)
        case .wrongInterface:
            if entries[key] == nil, isDirectlyConnectedSource(event.source, on: event.interface, context) {
                createFirstHopEntry(event, context)
                return
            }
            let e = entries[key] ?? entries[MulticastRouteKey(source: .any, group: event.group)]
            // The data plane printed `debug ip mpacket`'s "not RPF interface" line already.
            guard var entry = e, let k = pimInterface(event.interface) else { return }
            let olist = entry.isWildcard ? wildcardOlist(entry.key.group, context) : inheritedOlist(entry, context)
            guard olist.contains(event.interface) else { return }
            // §4.6.1 CouldAssert: data arrived on an interface we forward onto: another router forwards there too.
            let mine = myAssertMetric(entry, on: k, context)
            var state = entry.asserts[event.interface] ?? .noInfo
            if state.handle(.dataOnOutgoingInterface, mine: mine, now: context.now) {
                sendAssert(entry, metric: mine, on: k, context)
            }
            entry.asserts[event.interface] = state
            entries[entry.key] = entry
            update(context)
        case .register:
            guard let e = entries[key], e.register == .join, let rp = rendezvousPoint(for: event.group, context) else { return }
            sendRegister(context.packetBytes(of: event), source: event.source, group: event.group, to: rp, context)
        }
    }

    // MARK: - Assert (§4.6)

    /// Our assert metric on PIM interface `k` for the entry: the RPF route's distance and metric toward S (or the
    /// RP, with the RPT bit, for (*,G)), our address on the interface.
    func myAssertMetric(_ e: TreeEntry, on k: Int, _ context: ControlPlaneContext) -> AssertMetric {
        let rpt = e.isWildcard
        let target = rpt ? rendezvousPoint(for: e.key.group, context) : e.key.source
        let info = target.flatMap { rpf(toward: $0, context) }
        return AssertMetric(rptBit: rpt, preference: info?.distance ?? .max, metric: info?.metric ?? .max,
                            address: interfaces[k].address)
    }

    func sendAssert(_ e: TreeEntry, metric: AssertMetric, on k: Int, _ context: ControlPlaneContext) {
        let a = PIMAssert(group: e.key.group, source: e.key.source, rptBit: metric.rptBit,
                          metricPreference: metric.preference, metric: metric.metric)
        debug(context, "PIM(0): Send v2 Assert on \(interfaces[k].name) for \(e.key.group), source \(e.key.source), "
              + "metric [\(metric.preference)/\(metric.metric)]")
        send(.assert(a), to: PIMMessage.allPIMRouters, on: interfaces[k].index, context)
    }

    /// An Assert on PIM interface `k`: where the interface is in our olist, the metrics decide who forwards.
    func receiveAssert(_ a: PIMAssert, from sender: IPv4Address, on k: Int, _ context: ControlPlaneContext) {
        let index = interfaces[k].index
        debug(context, "PIM(0): Received v2 Assert on \(interfaces[k].name) from \(sender)")
        debug(context, "PIM(0): Assert metric to source \(a.source) is [\(a.metricPreference)/\(a.metric)]")
        let theirs = AssertMetric(rptBit: a.rptBit, preference: a.metricPreference, metric: a.metric, address: sender)
        let key = MulticastRouteKey(source: a.rptBit ? .any : a.source, group: a.group)
        // An (S,G) assert also concerns a (*,G) forwarding S's packets there (§4.6.2 is reduced to that).
        guard var e = entries[key] ?? entries[MulticastRouteKey(source: .any, group: a.group)] else { return }
        let olist = e.isWildcard ? wildcardOlist(a.group, context) : inheritedOlist(e, context)
        guard olist.contains(index) || e.asserts[index]?.isLoser == true else { return }
        let mine = myAssertMetric(e, on: k, context)
        var state = e.asserts[index] ?? .noInfo
        if state.handle(.receiveAssert(theirs), mine: mine, now: context.now) { sendAssert(e, metric: mine, on: k, context) }
        if state.isLoser { debug(context, "PIM(0): We lose, our metric [\(mine.preference)/\(mine.metric)]") }
        else { debug(context, "PIM(0): We win, our metric [\(mine.preference)/\(mine.metric)]") }
        e.asserts[index] = state
        entries[e.key] = e
    }

    /// Assert timers due by now: a loser forwards again, a winner re-asserts (§4.6.1, Assert_Override_Interval early).
    func expireAsserts(_ e: inout TreeEntry, _ context: ControlPlaneContext) {
        for (index, var state) in e.asserts {
            guard let t = state.expires else { e.asserts[index] = nil; continue }
            let due = state.isWinner ? t - PIMTimers.assertOverrideInterval : t
            guard due <= context.now, let k = pimInterface(index) else { continue }
            let mine = myAssertMetric(e, on: k, context)
            // A winner that no longer forwards there lets its state go.
            let forwards = (e.isWildcard ? wildcardOlist(e.key.group, context) : inheritedOlist(e, context)).contains(index)
            if state.isWinner && !forwards {
                e.asserts[index] = nil
                continue
            }
            if state.handle(.timerExpired, mine: mine, now: context.now) { sendAssert(e, metric: mine, on: k, context) }
            e.asserts[index] = state == .noInfo ? nil : state
        }
    }

    /// `debug ip mpacket`'s line for a packet with no state that PIM cannot place (ios-behavior.md §8.4), in the
    /// data plane's layout: `IP(0): s=S (If) d=G id=N, ttl=T, prot=P, len=A(B), RPF lookup failed for source`.
    func debugMPacket(_ event: MulticastDataEvent, _ reason: String, _ context: ControlPlaneContext) {
        guard context.network.isDebugging(context.node.id, .ipMPacket) else { return }
        let b = context.packetBytes(of: event)
        guard b.count >= 20 else { return }
        let total = Int(b[2]) << 8 | Int(b[3]), id = Int(b[4]) << 8 | Int(b[5])
        context.network.debug(context.node.id, .ipMPacket,
                              "IP(0): s=\(event.source) (\(interfaceName(event.interface, context))) d=\(event.group) id=\(id), "
                              + "ttl=\(b[8]), prot=\(b[9]), len=\(total + 4)(\(total)), \(reason)")
    }
}
