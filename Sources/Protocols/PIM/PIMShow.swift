import Engine
import Fabric
import IOSConfig
import Wire

/// IOS layouts of `show ip pim neighbor | interface | rp mapping` and `show ip rpf` (field-notes.md §7; the
/// interface and RPF layouts are recalled from IOS 12.4/15, not captured).
enum PIMShow {
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    static func clock(_ d: SimDuration) -> String { OSPFShow.uptime(d) }

    /// `show ip pim neighbor`: the field notes' header; a row per neighbor, its DR priority and mode letters (DR when
    /// it is the interface's DR, N without a DR Priority option, S when State Refresh capable, G with a generation ID).
    static func neighbors(_ r: PIMRouter?, only: String?, now: SimTime) -> String {
        var lines = [
            "PIM Neighbor Table",
            "Mode: B - Bidir Capable, DR - Designated Router, N - Default DR Priority,",
            "      P - Proxy Capable, S - State Refresh Capable, G - GenID Capable",
            "Neighbor          Interface                Uptime/Expires    Ver   DR",
            "Address                                                            Prio/Mode",
        ]
        for i in r?.interfaces ?? [] where only.map({ InterfaceName.matches($0, i.name) }) ?? true {
            for n in i.neighbors {
                var modes: [String] = []
                if i.designatedRouter == n.address { modes.append("DR") }
                if n.drPriority == nil { modes.append("N") }
                if n.stateRefreshCapable { modes.append("S") }
                if n.generationID != nil { modes.append("G") }
                let expires = n.expires.map { clock($0 - now) } ?? "never"
                lines.append(pad(n.address.description, 18) + pad(i.name, 25) + pad("\(clock(now - n.uptime))/\(expires)", 18)
                             + "v2    " + "\(n.drPriority ?? 1) / " + modes.joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `show ip pim interface`.
    static func interfaces(_ r: PIMRouter?, only: String?) -> String {
        var lines = [
            "",
            "Address          Interface                Ver/   Nbr    Query  DR     DR",
            "                                          Mode   Count  Intvl  Prior",
        ]
        for i in r?.interfaces ?? [] where only.map({ InterfaceName.matches($0, i.name) }) ?? true {
            let dr = i.isUp ? i.designatedRouter.description : "0.0.0.0"
            lines.append(pad(i.address.description, 17) + pad(i.name, 25) + pad(i.sparseDense ? "v2/SD" : "v2/S", 7)
                         + pad("\(i.neighbors.count)", 7) + pad("\(i.helloPeriod.nanoseconds / 1_000_000_000)", 7)
                         + pad("\(i.drPriority)", 7) + dr)
        }
        return lines.joined(separator: "\n")
    }

    /// `show ip pim rp mapping` for static RPs: `Group(s): 224.0.0.0/4, Static` (or `Acl: 10, Static`, `, Override`).
    static func rpMapping(_ node: IPNodeSettings, pim: PIMSettings?) -> String {
        var lines = ["PIM Group-to-RP Mappings", ""]
        for rp in (pim?.rendezvousPoints ?? []).sorted(by: { $0.address > $1.address }) {
            let scope = rp.accessList.map { "Acl: \($0)" } ?? "Group(s): 224.0.0.0/4"
            lines.append("\(scope), Static\(rp.override ? ", Override" : "")")
            lines.append("    RP: \(rp.address) (?)")
        }
        return lines.joined(separator: "\n")
    }

    /// `show ip rpf A.B.C.D` (IOS 15 layout).
    static func rpf(_ address: IPv4Address, node: IPNode, router: PIMRouter?, network: Network) -> String {
        let info: RPFInfo?
        if let router, let i = node.withContext(of: router, network: network, { router.rpf(toward: address, $0) }) {
            info = i
        } else {
            let views = node.interfaces.map { RPFSelection.InterfaceView(name: $0.name, addresses: $0.addresses) }
            info = RPFSelection.rpf(toward: address, staticMRoutes: router?.settings.staticMRoutes ?? [], interfaces: views,
                                    lookup: { node.routes.lookup($0) })
        }
        guard let info, let interface = info.interface else {
            return "RPF information for ? (\(address)) failed, no route exists"
        }
        let neighbor: String
        switch info.origin {
        case .local: neighbor = "? (0.0.0.0)"
        case .unicast, .staticMRoute:
            neighbor = "? (\(info.neighbor))" + (info.isDirectlyConnected ? " - directly connected" : "")
        }
        let type: String
        switch info.origin {
        case .local: type = "unicast (connected)"
        case let .unicast(owner): type = "unicast (\(owner))"
        case .staticMRoute: type = "multicast (static)"
        }
        return [
            "RPF information for ? (\(address))",
            "  RPF interface: \(node.interfaces[interface].name)",
            "  RPF neighbor: \(neighbor)",
            "  RPF route/mask: \(info.prefix.network)/\(info.prefix.length)",
            "  RPF type: \(type)",
            "  Doing distance-preferred lookups across tables",
            "  RPF topology: ipv4 multicast base, originated from ipv4 unicast base",
        ].joined(separator: "\n")
    }
}
