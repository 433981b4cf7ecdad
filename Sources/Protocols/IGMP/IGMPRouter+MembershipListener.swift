import Engine
import Fabric
import Wire

/// A protocol on the same router that follows IGMP's group membership (PIM-SM's last-hop DR, RFC 7761 §4.1
/// local_receiver_include): told when a group appears on an interface or its membership may end sooner (a Leave
/// lowered its timer), and with `group` nil when an interface's or the whole router's groups were replaced.
/// Expiry itself is not announced (IGMP purges lazily): a listener reads `expires` and checks again then.
protocol IGMPMembershipListener: ControlPlaneProtocol {
    func igmpMembershipChanged(interface: Int?, group: IPv4Address?, _ context: ControlPlaneContext)
}

extension IGMPRouter {
    /// Tells every listener on the node, each with its own context.
    func notifyMembershipListeners(interface: Int?, group: IPv4Address?, _ context: ControlPlaneContext) {
        for p in context.node.protocols {
            guard let listener = p as? IGMPMembershipListener else { continue }
            _ = context.node.withContext(of: listener, network: context.network) {
                listener.igmpMembershipChanged(interface: interface, group: group, $0)
            }
        }
    }

    /// The current members of `group` on the node interface `index` (nil when IGMP does not run there or none).
    func membership(of group: IPv4Address, on index: Int, now: SimTime) -> RouterGroup? {
        guard let k = state(index), let g = interfaces[k].groups[group], g.expires.map({ $0 > now }) ?? true else { return nil }
        return g
    }
}
