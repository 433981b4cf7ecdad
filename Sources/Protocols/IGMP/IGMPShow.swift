import Engine
import Fabric
import IOSConfig
import Wire

/// IOS layouts of the `show ip igmp` commands.
enum IGMPShow {
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    static func clock(_ d: SimDuration) -> String { OSPFShow.clock(d.nanoseconds / 1_000_000_000) }

    static func minutesSeconds(_ d: SimDuration) -> String {
        let s = max(0, d.nanoseconds / 1_000_000_000)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(s / 60)):\(two(s % 60))"
    }

    /// `show ip igmp groups`: one row per group and interface, as IOS 15 prints them.
    static func groups(_ r: IGMPRouter, now: SimTime) -> String {
        var lines = ["IGMP Connected Group Membership",
                     "Group Address    Interface                Uptime    Expires   Last Reporter   Group Accounted"]
        for k in r.interfaces.indices {
            for (group, entry) in r.currentGroups(k, now: now) {
                let expires = entry.isStatic || entry.expires == nil ? "stopped" : clock(entry.expires! - now)
                lines.append(pad(group.description, 17) + pad(r.interfaces[k].name, 25) + pad(clock(now - entry.uptime), 10)
                             + pad(expires, 10) + entry.lastReporter.description)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `show ip igmp membership`: the field notes' header and row layout (IOS 12.4–15).
    static func membership(_ r: IGMPRouter, now: SimTime) -> String {
        var lines = [
            "Flags: A  - aggregate, T - tracked",
            "       L  - Local, S - static, V - virtual, R - Reported through v3",
            "       I - v3lite, U - Urd, M - SSM (S,G) channel",
            "       1,2,3 - The version of IGMP, the group is in",
            "Channel/Group-Flags:",
            "       / - Filtering entry (Exclude mode (S,G), Include mode (G))",
            "Reporter:",
            "       <mac-or-ip-address> - last reporter if group is not explicitly tracked",
            "       <n>/<m>      - <n> reporter in include mode, <m> reporter in exclude",
            "",
            " Channel/Group                  Reporter        Uptime   Exp.  Flags  Interface",
        ]
        for k in r.interfaces.indices {
            for (group, entry) in r.currentGroups(k, now: now) {
                let exp = entry.isLocal || entry.isStatic || entry.expires == nil ? "stop" : minutesSeconds(entry.expires! - now)
                let flags = "\(entry.version)" + (entry.isLocal ? "L" : "") + (entry.isStatic ? "S" : "") + "A"
                lines.append(" " + pad("*,\(group)", 31) + pad(entry.lastReporter.description, 16) + pad(clock(now - entry.uptime), 9)
                             + pad(exp, 6) + pad(flags, 7) + InterfaceName.short(r.interfaces[k].name))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `show ip igmp interface [X]`, IOS 12.4 layout (the lines Wirelab models; no access groups or TTL thresholds).
    static func interfaces(_ r: IGMPRouter, only name: String?, node: IPNode, network: Network) -> String {
        var blocks: [String] = []
        for i in r.interfaces where name.map({ InterfaceName.matches($0, i.name) }) ?? true {
            let up = node.isUp(i.index, network: network)
            let prefix = node.interfaces[i.index].primary.map { "\($0.address)/\($0.prefix.length)" } ?? "unassigned"
            let qi = i.queryInterval.nanoseconds / 1_000_000_000, mrt = i.maxResponseTime.nanoseconds / 1_000_000_000
            let joined = r.currentGroups(r.interfaces.firstIndex { $0.index == i.index }!, now: network.now)
                .filter { $0.1.isLocal }.map { "      \($0.0)(1)" }
            var lines = [
                "\(i.name) is \(up ? "up" : "down"), line protocol is \(up ? "up" : "down")",
                "  Internet address is \(prefix)",
                "  IGMP is enabled on interface",
                "  Current IGMP host version is \(i.version)",
                "  Current IGMP router version is \(i.version)",
                "  IGMP query interval is \(qi) seconds",
                "  IGMP querier timeout is \(qi * 2) seconds",
                "  IGMP max query response time is \(mrt) seconds",
                "  Last member query count is \(IGMPRouter.lastMemberQueryCount)",
                "  Last member query response interval is \(IGMPRouter.lastMemberQueryInterval.nanoseconds / 1_000_000) ms",
                "  IGMP activity: \(i.joins) joins, \(i.leaves) leaves",
                "  Multicast routing is enabled on interface",
                "  IGMP querying router is \(i.querier)\(i.isQuerier ? " (this system)" : "")",
            ]
            if !joined.isEmpty {
                lines.append("  Multicast groups joined by this system (number of users):")
                lines += joined
            } else {
                lines.append("  No multicast groups joined by this system")
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        return blocks.joined(separator: "\n")
    }
}
