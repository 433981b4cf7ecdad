import Engine
import Wire

extension Network {
    /// IOS `show ip arp`: the node's own addresses (age `-`), learned entries with their age in
    /// minutes of virtual time, static `arp` entries, and unanswered requests as `Incomplete`
    /// (IOS prints no interface for those). Sorted by address, as IOS lists them.
    public func showIPARP(_ node: NodeID) -> String {
        guard let n = ipNode(node) else { return "% Invalid input detected at '^' marker." }
        struct Row { var address: IPv4Address; var age: String; var hardware: String; var interface: String }
        var rows: [Row] = []
        for (index, interface) in n.interfaces.enumerated() {
            // Own entries exist for up Ethernet interfaces only: loopbacks and HDLC serials have no ARP.
            guard interface.port != nil, !interface.name.hasPrefix("Serial"), n.isUp(index, network: self) else { continue }
            for a in interface.addresses {
                rows.append(Row(address: a.address, age: "-", hardware: interface.mac.ciscoNotation, interface: interface.name))
            }
        }
        for entry in n.arpCache.values {
            let name = entry.interface < n.interfaces.count ? n.interfaces[entry.interface].name : ""
            let minutes = "\(max(0, (now - entry.updated).nanoseconds) / 60_000_000_000)"
            switch entry.state {
            case .staticEntry:
                rows.append(Row(address: entry.address, age: "-", hardware: entry.mac?.ciscoNotation ?? "Incomplete",
                                interface: name))
            case .dynamic:
                // A host's entry past its ARP timeout is gone, even if nothing has asked for it since; a router's
                // stays while its refresh is asked (`IPNode.arpRefresh`).
                guard n.isRouter || now - entry.updated < n.interfaces[entry.interface].arpTimeout else { continue }
                rows.append(Row(address: entry.address, age: minutes, hardware: entry.mac?.ciscoNotation ?? "",
                                interface: name))
            case .incomplete:
                rows.append(Row(address: entry.address, age: minutes, hardware: "Incomplete", interface: ""))
            }
        }
        rows.sort { $0.address < $1.address }
        var lines = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
        for r in rows {
            // `Internet  ` + address and age right-aligned to column 35 + 3 blanks + hardware (16) + type (7).
            lines.append("Internet  " + "\(r.address)".padded(to: 16) + r.age.leftPadded(to: 9) + "   "
                         + r.hardware.padded(to: 16) + "ARPA   " + r.interface)
        }
        return renderShowLines(lines)
    }
}
