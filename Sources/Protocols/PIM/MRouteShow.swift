import Engine
import Fabric
import Wire

/// `show ip mroute [GROUP] [SOURCE]` and `show ip mroute count`, read from the router's multicast forwarding
/// table, laid out as IOS 15 prints them (ios-behavior.md §8.2; field notes §7 for the legend and an entry).
enum MRouteShow {
    /// IOS 15's legend, as the field notes captured it.
    static let legend = """
        IP Multicast Routing Table
        Flags: D - Dense, S - Sparse, B - Bidir Group, s - SSM Group, C - Connected,
               L - Local, P - Pruned, R - RP-bit set, F - Register flag,
               T - SPT-bit set, J - Join SPT, M - MSDP created entry, E - Extranet,
               X - Proxy Join Timer Running, A - Candidate for MSDP Advertisement,
               U - URD, I - Received Source Specific Host Report,
               Z - Multicast Tunnel, z - MDT-data group sender,
               Y - Joined MDT-data group, y - Sending to MDT-data group,
               V - RD & Vector, v - Vector
        Outgoing interface flags: H - Hardware switched, A - Assert winner
         Timers: Uptime/Expires
         Interface state: Interface, Next-Hop or VCD, State/Mode
        """

    static func uptime(_ d: SimDuration) -> String { OSPFShow.uptime(d) }

    /// An expiry: `stopped` when the entry does not time out by itself.
    static func expiry(_ t: SimTime?, now: SimTime) -> String {
        guard let t else { return "stopped" }
        return OSPFShow.clock(OSPFShow.seconds(t - now))
    }

    static func name(_ node: IPNode, _ interface: Int?) -> String {
        guard let interface, interface < node.interfaces.count else { return "Null" }
        return node.interfaces[interface].name
    }

    /// The entries a `show ip mroute` with these arguments lists, in IOS order (by group; (*,G) first).
    static func selected(_ node: IPNode, group: IPv4Address?, source: IPv4Address?) -> [MulticastRoute] {
        node.multicastRoutes.sorted.filter { r in
            (group == nil || r.group == group) && (source == nil || r.source == source)
        }
    }

    /// One entry:
    /// ```
    /// (150.1.4.4, 239.1.1.1), 00:00:48/00:02:41, flags: T
    ///   Incoming interface: Ethernet0/2, RPF nbr 10.1.14.4
    ///   Outgoing interface list:
    ///     Ethernet1/1, Forward/Sparse, 00:00:48/00:02:41
    /// ```
    static func entry(_ r: MulticastRoute, node: IPNode, now: SimTime) -> [String] {
        let source = r.isWildcard ? "*" : r.source.description
        var head = "(\(source), \(r.group)), \(uptime(now - r.created))/\(expiry(r.expires, now: now))"
        if r.isWildcard { head += ", RP \(r.rp)" }
        head += ", flags: \(r.flags.letters)"
        var incoming = "  Incoming interface: \(name(node, r.incoming)), RPF nbr \(r.rpfNeighbor)"
        if r.registering { incoming += ", Registering" }
        var lines = [head, incoming]
        let states = r.outgoingStates.sorted { $0.interface < $1.interface }
        if states.isEmpty {
            lines.append("  Outgoing interface list: Null")
        } else {
            lines.append("  Outgoing interface list:")
            for s in states {
                var line = "    \(name(node, s.interface)), \(s.forwarding ? "Forward" : "Prune")/Sparse, "
                    + "\(uptime(now - s.uptime))/\(s.expires.map { OSPFShow.clock(OSPFShow.seconds($0 - now)) } ?? "00:00:00")"
                if s.assertWinner { line += ", A" }
                lines.append(line)
            }
        }
        return lines
    }

    static func table(_ node: IPNode, network: Network, group: IPv4Address?, source: IPv4Address?) -> String {
        var lines = [legend, ""]
        for r in selected(node, group: group, source: source) {
            lines += entry(r, node: node, now: network.now)
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// Whole packets per second and kilobits per second over the entry's life (IOS shows a recent rate; an
    /// average over the entry's lifetime is what the counters allow — a documented departure).
    static func rates(_ r: MulticastRoute, forwarded: UInt64, now: SimTime) -> (pps: UInt64, kbps: UInt64, size: UInt64) {
        let life = max(1, OSPFShow.seconds(now - r.created))
        let size = r.packets == 0 ? 0 : r.bytes / r.packets
        return (forwarded / UInt64(life), forwarded * size * 8 / 1000 / UInt64(life), size)
    }

    /// `show ip mroute count`:
    /// ```
    /// IP Multicast Statistics
    /// 2 routes using 1184 bytes of memory
    /// 1 groups, 1.00 average sources per group
    /// Forwarding Counts: Pkt Count/Pkts per second/Avg Pkt Size/Kilobits per second
    /// Other counts: Total/RPF failed/Other drops(OIF-null, rate-limit etc)
    ///
    /// Group: 239.1.1.1, Source count: 1, Packets forwarded: 471, Packets received: 942
    ///   RP-tree: Forwarding: 0/0/0/0, Other: 0/0/0
    ///   Source: 150.1.4.4/32, Forwarding: 471/1/100/0, Other: 942/471/0
    /// ```
    /// "Other: total" is every packet that reached the entry (accepted or failing RPF).
    static func count(_ node: IPNode, network: Network, group: IPv4Address?) -> String {
        let routes = selected(node, group: group, source: nil)
        let groups = Array(Set(routes.map(\.group))).sorted()
        let sources = routes.filter { !$0.isWildcard }.count
        // The memory figure is this table's own: each entry's storage and its interface lists.
        let memory = routes.reduce(0) { total, r in
            total + MemoryLayout<MulticastRoute>.stride + r.outgoing.count * MemoryLayout<Int>.stride
                + r.outgoingStates.count * MemoryLayout<OutgoingInterfaceState>.stride
        }
        let average = groups.isEmpty ? 0 : Double(sources) / Double(groups.count)
        let hundredths = Int((average * 100).rounded())
        var lines = [
            "IP Multicast Statistics",
            "\(routes.count) routes using \(memory) bytes of memory",
            "\(groups.count) groups, \(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100) average sources per group",
            "Forwarding Counts: Pkt Count/Pkts per second/Avg Pkt Size/Kilobits per second",
            "Other counts: Total/RPF failed/Other drops(OIF-null, rate-limit etc)",
        ]
        let now = network.now
        func counts(_ r: MulticastRoute) -> (forwarding: String, other: String, forwarded: UInt64, received: UInt64) {
            let forwarded = r.packets - min(r.packets, r.otherDrops)
            let received = r.packets + r.rpfFailures
            let rate = rates(r, forwarded: forwarded, now: now)
            return ("\(forwarded)/\(rate.pps)/\(rate.size)/\(rate.kbps)", "\(received)/\(r.rpfFailures)/\(r.otherDrops)",
                    forwarded, received)
        }
        for g in groups {
            let members = routes.filter { $0.group == g }
            let shared = members.first { $0.isWildcard }
            let perSource = members.filter { !$0.isWildcard }
            let all = members.map(counts)
            lines.append("")
            lines.append("Group: \(g), Source count: \(perSource.count), Packets forwarded: \(all.reduce(0) { $0 + $1.forwarded }), "
                         + "Packets received: \(all.reduce(0) { $0 + $1.received })")
            if let shared {
                let c = counts(shared)
                lines.append("  RP-tree: Forwarding: \(c.forwarding), Other: \(c.other)")
            }
            for r in perSource {
                let c = counts(r)
                lines.append("  Source: \(r.source)/32, Forwarding: \(c.forwarding), Other: \(c.other)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
