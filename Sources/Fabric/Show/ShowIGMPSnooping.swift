import Engine
import IOSConfig
import Wire

/// `show ip igmp snooping ...` in the Catalyst IOS layouts (column positions reconstructed, not checked
/// against a capture), and the per-group rows of `show interfaces counters flooding`.
extension Network {
    func snoopingVLANs(_ s: L2Switch, only: UInt16?) -> [UInt16] {
        s.settings.vlans.keys.sorted().filter { only == nil || $0 == only }
    }

    func shortName(_ port: PortID) -> String { InterfaceName.short(ports[port.index].name) }

    /// `show ip igmp snooping [vlan N]`: the global settings, then each VLAN's.
    public func showIGMPSnooping(_ node: NodeID, vlan only: UInt16? = nil) -> String {
        guard let s = l2switch(node) else { return "% Invalid input detected at '^' marker." }
        let g = s.settings.igmpSnooping
        func onOff(_ b: Bool) -> String { b ? "Enabled" : "Disabled" }
        var lines = ["Global IGMP Snooping configuration:", "-------------------------------------------",
                     "IGMP snooping                : \(onOff(g.enabled))",
                     "IGMPv3 snooping (minimal)    : Enabled",
                     // Departure: every report is forwarded to the mrouter ports (no proxy suppression).
                     "Report suppression           : Disabled",
                     "Robustness variable          : 2",
                     "Last member query count      : 2",
                     "Last member query interval   : 1000",
                     "Unregistered multicast       : \(g.optimiseMulticastFlood ? "mrouter ports only" : "flooded")", ""]
        for vlan in snoopingVLANs(s, only: only) {
            lines += ["Vlan \(vlan):", "--------",
                      "IGMP snooping                       : \(onOff(g.isOn(vlan: vlan)))",
                      "IGMPv2 immediate leave              : \(onOff(g.immediateLeaveVLANs.contains(vlan)))",
                      "Multicast router learning mode      : pim-dvmrp",
                      "Robustness variable                 : 2",
                      "Last member query count             : 2",
                      "Last member query interval          : 1000",
                      "IGMP snooping querier               : \(onOff(g.querier(vlan: vlan) != nil))", ""]
        }
        return renderShowLines(Array(lines.dropLast()))
    }

    /// `show ip igmp snooping groups [vlan N]`: one row per (VLAN, group) with its member ports.
    public func showIGMPSnoopingGroups(_ node: NodeID, vlan only: UInt16? = nil) -> String {
        guard let s = l2switch(node) else { return "% Invalid input detected at '^' marker." }
        var lines = ["Vlan      Group                    Type        Version     Port List",
                     "-----------------------------------------------------------------------"]
        let entries = s.snoopingTable.entries.filter { only == nil || $0.vlan == only }
            .sorted { ($0.vlan, $0.group) < ($1.vlan, $1.group) }
        for e in entries {
            let members = s.snoopingTable.members(vlan: e.vlan, group: e.group, now: now)
                .sorted { InterfaceName.less(ports[$0.index].name, ports[$1.index].name) }
            guard !members.isEmpty else { continue }
            lines.append("\(e.vlan)".padded(to: 10) + e.group.description.padded(to: 25) + "igmp".padded(to: 12)
                         + "v\(e.version)".padded(to: 12) + members.map(shortName).joined(separator: ", "))
        }
        return renderShowLines(lines)
    }

    /// `show ip igmp snooping mrouter [vlan N]`.
    public func showIGMPSnoopingMrouter(_ node: NodeID, vlan only: UInt16? = nil) -> String {
        guard let s = l2switch(node) else { return "% Invalid input detected at '^' marker." }
        var lines = ["Vlan    ports", "-------+------"]
        for vlan in snoopingVLANs(s, only: only) {
            let list = s.snoopingTable.mrouterPorts(vlan: vlan, now: now)
                .sorted { InterfaceName.less(ports[$0.port.index].name, ports[$1.port.index].name) }
            guard !list.isEmpty else { continue }
            let text = list.map { shortName($0.port) + ($0.isStatic ? "(static)" : "(dynamic)") }.joined(separator: ",")
            lines.append("\(vlan)".leftPadded(to: 4) + "    " + text)
        }
        return renderShowLines(lines)
    }

    /// `show ip igmp snooping querier [vlan N]`: the querier each VLAN last heard, or the switch itself.
    public func showIGMPSnoopingQuerier(_ node: NodeID, vlan only: UInt16? = nil) -> String {
        guard let s = l2switch(node) else { return "% Invalid input detected at '^' marker." }
        var lines = ["Vlan      IP Address               IGMP Version   Port",
                     "-------------------------------------------------------------"]
        for vlan in snoopingVLANs(s, only: only) {
            guard let state = s.querierStates[vlan] else { continue }
            if state.active, let own = s.settings.igmpSnooping.querier(vlan: vlan)?.address {
                lines.append("\(vlan)".padded(to: 10) + own.description.padded(to: 25) + "v2".padded(to: 15) + "Switch")
            } else if let q = state.lastQuerier, let p = state.lastQuerierPort,
                      let t = state.lastQueryTime, now - t < s.otherQuerierPresentInterval(vlan: vlan) {
                lines.append("\(vlan)".padded(to: 10) + q.description.padded(to: 25)
                             + "v\(state.lastQuerierVersion)".padded(to: 15) + shortName(p))
            }
        }
        return renderShowLines(lines)
    }

    /// The per-group part of `show interfaces counters flooding` (a Wirelab addition): frames and bytes
    /// each port sent for each multicast group outside 224.0.0.x, snooped or flooded.
    func multicastGroupCounterLines(_ s: L2Switch) -> [String] {
        guard !s.groupTraffic.isEmpty else { return [] }
        var lines = ["", "Multicast by group:", "Vlan  Group            Port            Frames          Bytes"]
        let order = s.portIDs.indices.sorted {
            InterfaceName.less(ports[s.portIDs[$0].index].name, ports[s.portIDs[$1].index].name)
        }
        for row in s.groupTraffic.sorted(by: { ($0.vlan, $0.group) < ($1.vlan, $1.group) }) {
            for l in order where row.frames[l] > 0 {
                lines.append("\(row.vlan)".padded(to: 6) + row.group.description.padded(to: 17)
                             + shortName(s.portIDs[l]).padded(to: 8) + "\(row.frames[l])".leftPadded(to: 14)
                             + "\(row.bytes[l])".leftPadded(to: 15))
            }
        }
        return lines
    }
}
