import Fabric
import IOSConfig

/// OSPF's `debug ip ospf ...` switches and the interface commands that decide whether an adjacency can form
/// past a mismatch (`ip ospf mtu-ignore`).
extension OSPFModule {
    /// IOS texts: "OSPF adjacency events debugging is on" (Cisco IOS Cookbook, "Debugging OSPF"), "OSPF events
    /// debugging is on" and "OSPF LSA generation debugging is on" (an IOS 15 `show debugging`, gist ton3s),
    /// "OSPF flooding debugging is on" (Cisco Press "OSPF Network Design Solutions"), the three `spf` lines
    /// (Sybex CCNP "Troubleshooting OSPF"); "OSPF hello events" and "OSPF packet" are unconfirmed.
    public static var debugSwitches: [DebugSwitch] {
        [
            DebugSwitch("ip ospf adj", .ospfAdj, "OSPF adjacency events debugging", group: "OSPF"),
            DebugSwitch("ip ospf hello", .ospfHello, "OSPF hello events debugging", group: "OSPF"),
            DebugSwitch("ip ospf events", .ospfEvents, "OSPF events debugging", group: "OSPF"),
            DebugSwitch("ip ospf packet", .ospfPacket, "OSPF packet debugging", group: "OSPF"),
            DebugSwitch("ip ospf lsa-generation", .ospfLSAGeneration, "OSPF LSA generation debugging", group: "OSPF"),
            DebugSwitch("ip ospf spf", .ospfSPF, "OSPF spf intra events debugging", "OSPF spf inter events debugging",
                        "OSPF spf external events debugging", group: "OSPF"),
            DebugSwitch("ip ospf flood", .ospfFlood, "OSPF flooding debugging", group: "OSPF"),
        ]
    }

    /// Each running process takes the device's new debug switches.
    public static func debuggingChanged(_ node: IPNode, network: Network) {
        for p in node.protocols.compactMap({ $0 as? OSPFProcess }) {
            p.refreshDebugging(node: node.id, network: network)
        }
    }

    /// Running processes follow the interfaces' `mtu` (not an OSPF setting, so `configure` sees no change).
    static func refreshMTUs(_ node: IPNode, network: Network) {
        for p in node.protocols.compactMap({ $0 as? OSPFProcess }) {
            _ = node.withContext(of: p, network: network) { p.refreshMTUs($0) }
        }
    }
}
