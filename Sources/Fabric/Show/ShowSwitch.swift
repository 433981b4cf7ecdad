import Engine
import IOSConfig
import Wire

/// The filters of `show mac address-table`.
public enum MACTableFilter: Equatable, Sendable {
    case all
    case dynamic
    case staticEntries
    case vlan(UInt16)
    case address(MACAddress)
    /// An interface in full or short form (`GigabitEthernet0/1`, `Gi0/1`).
    case interface(String)
}

extension Network {
    func l2switch(_ node: NodeID) -> L2Switch? {
        if case let .l2switch(s) = devices[node.index] { return s }
        return nil
    }

    /// Catalyst `show mac address-table [dynamic | static | vlan N | address MAC | interface X]`.
    /// The CPU's own system entries (`All 0100.0ccc.cccc STATIC CPU`...) are not listed.
    public func showMACAddressTable(_ node: NodeID, filter: MACTableFilter = .all) -> String {
        guard let s = l2switch(node) else { return "% Invalid input detected at '^' marker." }
        let entries = s.currentEntries(now: now).filter { entry in
            switch filter {
            case .all: return true
            case .dynamic: return !entry.isStatic
            case .staticEntries: return entry.isStatic
            case let .vlan(v): return entry.vlan == v
            case let .address(mac): return entry.mac == mac
            case let .interface(name): return entry.ports.contains { InterfaceName.matches(name, ports[$0.index].name) }
            }
        }
        var lines = ["          Mac Address Table", "-------------------------------------------", "",
                     "Vlan    Mac Address       Type        Ports", "----    -----------       --------    -----"]
        for e in entries {
            let portNames = e.ports.sorted().map { InterfaceName.short(ports[$0.index].name) }.joined(separator: " ")
            lines.append("\(e.vlan)".leftPadded(to: 4) + "    " + e.mac.ciscoNotation + "    "
                         + (e.isStatic ? "STATIC" : "DYNAMIC").padded(to: 12) + portNames)
        }
        lines.append("Total Mac Addresses for this criterion: \(entries.count)")
        return renderShowLines(lines)
    }

    /// Catalyst `show vlan brief`: configured VLANs with their access ports (trunks are not listed),
    /// ports wrapped at 31 columns as IOS does, then the four reserved Token Ring/FDDI VLANs.
    public func showVLANBrief(_ node: NodeID) -> String {
        guard let s = l2switch(node) else { return "% Invalid input detected at '^' marker." }
        var lines = ["", "VLAN Name                             Status    Ports",
                     "---- -------------------------------- --------- -------------------------------"]
        let reserved: [(UInt16, String)] = [(1002, "fddi-default"), (1003, "token-ring-default"),
                                            (1004, "fddinet-default"), (1005, "trnet-default")]
        for vlan in s.settings.vlans.keys.sorted() where !reserved.contains(where: { $0.0 == vlan }) {
            var name = s.settings.vlans[vlan] ?? ""
            if name.isEmpty { name = "VLAN" + String(repeating: "0", count: max(0, 4 - "\(vlan)".count)) + "\(vlan)" }
            let members = s.portIDs.filter { id in
                let sp = s.switchport(id)
                return sp.mode == .access && sp.accessVLAN == vlan
            }.map { InterfaceName.short(ports[$0.index].name) }
            var rows: [String] = []
            for member in members {
                if let last = rows.last, last.count + 2 + member.count <= 31 {
                    rows[rows.count - 1] = last + ", " + member
                } else {
                    rows.append(member)
                }
            }
            let head = "\(vlan)".padded(to: 5) + String(name.prefix(32)).padded(to: 33) + "active    "
            lines.append(head + (rows.first ?? ""))
            for row in rows.dropFirst() { lines.append(String(repeating: " ", count: head.count) + row) }
        }
        for (vlan, name) in reserved {
            lines.append("\(vlan)".padded(to: 5) + (s.settings.vlans[vlan] ?? name).padded(to: 33) + "act/unsup")
        }
        return renderShowLines(lines)
    }

    /// Catalyst `show interfaces counters`: octets and unicast/multicast/broadcast packets in, then out.
    public func showInterfacesCounters(_ node: NodeID) -> String {
        let views = interfaceViews(of: node).filter { $0.port != nil && $0.kind != .subinterface }
        func row(_ name: String, _ octets: UInt64, _ packets: UInt64, _ multicasts: UInt64, _ broadcasts: UInt64) -> String {
            let unicast = packets >= multicasts + broadcasts ? packets - multicasts - broadcasts : 0
            return InterfaceName.short(name).padded(to: 8) + "\(octets)".leftPadded(to: 16) + "\(unicast)".leftPadded(to: 15)
                + "\(multicasts)".leftPadded(to: 15) + "\(broadcasts)".leftPadded(to: 15)
        }
        var lines = ["", "Port            InOctets    InUcastPkts    InMcastPkts    InBcastPkts"]
        for v in views {
            let p = v.port!
            lines.append(row(v.name, p.inputBytes, p.inputPackets, p.inputMulticasts, p.inputBroadcasts))
        }
        lines += ["", "Port           OutOctets   OutUcastPkts   OutMcastPkts   OutBcastPkts"]
        for v in views {
            let p = v.port!
            lines.append(row(v.name, p.outputBytes, p.outputPackets, p.outputMulticasts, p.outputBroadcasts))
        }
        return renderShowLines(lines)
    }

    /// `show interfaces counters flooding` — a Wirelab command, not an IOS one. Per port, the frames
    /// the switch sent because its MAC table named the port (forwarded) and the copies it sent
    /// because the destination was unknown, broadcast or multicast (flooded); then the switch's
    /// totals per received frame. Measures the unicast flooding of Windows NLB.
    public func showInterfacesCountersFlooding(_ node: NodeID) -> String {
        guard let s = l2switch(node) else { return "% Invalid input detected at '^' marker." }
        var lines = ["Port           Forwarded        Flooded"]
        for id in s.portIDs.sorted(by: { InterfaceName.less(ports[$0.index].name, ports[$1.index].name) }) {
            let p = ports[id.index]
            lines.append(InterfaceName.short(p.name).padded(to: 8) + "\(p.outputForwarded)".leftPadded(to: 16)
                         + "\(p.outputFlooded)".leftPadded(to: 15))
        }
        lines.append("")
        lines.append("Frames forwarded from the MAC table: \(s.forwardedFrames), flooded: \(s.floodedFrames), "
                     + "filtered: \(s.filteredFrames)")
        lines += multicastGroupCounterLines(s)
        return renderShowLines(lines)
    }
}
