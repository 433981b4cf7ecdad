import Engine
import Fabric
import Wire

/// `show ip mroute [GROUP] [SOURCE]` and `show ip mroute count`, read from the router's multicast forwarding
/// table (CONTRACT: the lead writes the bodies; PIMModule registers the commands and calls these).
enum MRouteShow {
    static func table(_ node: IPNode, network: Network, group: IPv4Address?, source: IPv4Address?) -> String { "" }
    static func count(_ node: IPNode, network: Network, group: IPv4Address?) -> String { "" }
}
