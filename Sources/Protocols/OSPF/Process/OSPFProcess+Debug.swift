import Engine
import Fabric
import Wire

/// The process's side of `debug ip ospf ...`: the machines' debug lines printed on the device, the lines only
/// the process can build (packets, SPF runs) and the syslog lines of packets it drops before any machine.
///
/// Every line follows the classic IOS 12.4/15.x layout ("OSPF: ..."), see `OSPFDebugLine.formatted`.
/// Lines go to `network.debug`, which stamps them with virtual time; none is built unless its switch is on.
extension OSPFProcess {
    /// Copies the device's OSPF debug switches into the machines, so they build text only for those that are on.
    func refreshDebugging(node: NodeID, network: Network) {
        let flags = OSPFDebugFlags(of: node, in: network)
        flooding.debugging = flags
        for i in flooding.interfaces.indices { flooding.interfaces[i].debugging = flags }
    }

    /// Prints one line a machine built, under the first of its debugs that is on.
    func printDebug(_ line: OSPFDebugLine, _ context: ControlPlaneContext) {
        let node = context.node.id, network = context.network
        guard let flag = OSPFDebugFlags.each.first(where: {
            line.category.contains($0) && network.isDebugging(node, $0.debugFlag)
        }) else { return }
        network.debug(node, flag.debugFlag, line.formatted(processID: processID))
    }

    /// A packet arrived on OSPF interface `i`, before the header checks of RFC 2328 §8.2.
    func debugReceived(_ packet: OSPFPacket, _ datagram: ReceivedDatagram, interface i: Int,
                       _ context: ControlPlaneContext) {
        let node = context.node.id, network = context.network
        let interface = flooding.interfaces[i]
        let name = interfaceNames[i]
        let source = datagram.header.source
        // IOS `debug ip ospf packet` (classic): "OSPF: rcv. v:2 t:1 l:48 rid:2.2.2.2 aid:0.0.0.0 chk:4D40 aut:0
        // auk: from Ethernet0/0" (IOS wraps the line before "aid:"; here it is one line).
        network.debug(node, .ospfPacket, Self.packetLine(datagram.payload, packet, interface: name))
        // RFC 2328 §8.2: the area ID must be the receiving interface's. IOS `debug ip ospf adj`: "Rcv pkt from
        // 10.0.12.2, GigabitEthernet0/0, area 0.0.0.0 mismatch area 0.0.0.1 in the header" (ours, then theirs).
        if packet.areaID != interface.areaID.address {
            network.debug(node, .ospfAdj, "OSPF: Rcv pkt from \(source), \(name), area \(interface.areaID.dotted) "
                          + "mismatch area \(packet.areaID) in the header")
            return
        }
        guard case .hello = packet.body else { return }
        // IOS behaviour: a hello from another address carrying our router ID is dropped and logged, whatever
        // the debugs (RFC 2328 §8.2 drops it as our own). IOS repeats the line under its syslog rate limit; the
        // emulator prints it at most once a minute per neighbor address.
        if packet.routerID == routerID {
            guard source != interface.address else { return }
            let line = "%OSPF-4-DUP_RTRID_NBR: OSPF detected duplicate router-id \(routerID) from \(source) "
                + "on interface \(name)"
            let device = context.node.name, cutoff = context.now - .seconds(60)
            let recent = network.logs.reversed().prefix { $0.time >= cutoff }
            if !recent.contains(where: { $0.device == device && $0.text == line }) { network.log(node, line) }
            return
        }
        // IOS `debug ip ospf events` / `hello`: "Rcv hello from 2.2.2.2 area 0 from GigabitEthernet0/0 10.0.12.2".
        for flag in [DebugFlag.ospfEvents, .ospfHello] where network.isDebugging(node, flag) {
            network.debug(node, flag,
                          "OSPF: Rcv hello from \(packet.routerID) area \(interface.areaID) from \(name) \(source)")
            break
        }
    }

    static func packetLine(_ bytes: [UInt8], _ packet: OSPFPacket, interface: String) -> String {
        func u16(_ at: Int) -> Int { bytes.count > at + 1 ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : 0 }
        let version = bytes.first.map(Int.init) ?? 0, type = bytes.count > 1 ? Int(bytes[1]) : 0
        let checksum = String(u16(12), radix: 16, uppercase: true)
        return "OSPF: rcv. v:\(version) t:\(type) l:\(u16(2)) rid:\(packet.routerID) aid:\(packet.areaID) "
            + "chk:\(checksum) aut:\(packet.authenticationType) auk: from \(interface)"
    }

    /// IOS `debug ip ospf spf`: "OSPF: running SPF for area 0" per area (Sybex CCNP "Troubleshooting OSPF"),
    /// framed by Begin/End lines as `debug ip ospf spf statistic` prints them (that layout unconfirmed).
    /// The calculation takes no virtual time, so both carry the same stamp.
    func debugSPF(_ context: ControlPlaneContext) {
        let node = context.node.id, network = context.network
        guard network.isDebugging(node, .ospfSPF) else { return }
        let ms = context.now.nanoseconds / 1_000_000
        network.debug(node, .ospfSPF, "OSPF: Begin SPF at \(ms)ms, process time 0ms")
        for area in flooding.areaDatabases.keys.sorted() {
            network.debug(node, .ospfSPF, "OSPF: running SPF for area \(area)")
        }
        network.debug(node, .ospfSPF, "OSPF: End SPF at \(ms)ms, Total elapsed time 0ms")
    }

    /// The IP MTU of an interface as `mtu N` set it (a subinterface inherits its parent's), IOS default 1500:
    /// the Interface MTU our database descriptions carry and the one theirs are checked against (RFC 2328 A.3.3).
    static func ipMTU(_ interface: IPInterface, _ context: ControlPlaneContext) -> UInt16 {
        let settings = context.node.settings
        let parent = interface.name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? interface.name
        let mtu = settings.interface(named: interface.name)?.mtu ?? settings.interface(named: parent)?.mtu ?? 1500
        return UInt16(clamping: mtu)
    }

    /// An `mtu` change on a running interface: later database descriptions carry it, and it checks theirs.
    func refreshMTUs(_ context: ControlPlaneContext) {
        guard started, routerID != .any else { return }
        for (i, n) in nodeInterfaces.enumerated() where context.interfaces.indices.contains(n) {
            flooding.interfaces[i].mtu = Self.ipMTU(context.interfaces[n], context)
        }
    }
}
