import Engine
import Fabric
import Wire

/// One measured case of the multicast replication benchmark.
public struct MulticastBenchResult: Sendable {
    public var hosts: Int
    public var members: Int
    public var packetHops: UInt64
    public var delivered: UInt64
    public var seconds: Double
    public var hopsPerSecond: Double
    public var allocationsPerHop: Double
}

/// A flow to 239.1.1.1 from one host on a switch with `hosts` − 1 other hosts, every second one a member:
/// the switch floods each packet to every other port (snooping is not modelled yet); members deliver it,
/// the others' MAC filters drop it. A packet-hop is one frame put on one link.
public enum MulticastBenchmark {
    public static let group = IPv4Address(239, 1, 1, 1)

    public static func build(hosts: Int, packetsPerSecond: Int, packetSize: Int, duration: SimDuration) -> Network {
        precondition(hosts >= 2 && hosts <= 250)
        let net = Network(seed: 1)
        var s = SwitchSettings(hostname: "SW1")
        s.interfaces = (1...hosts).map { n in
            var i = InterfaceSettings(name: "GigabitEthernet0/\(n)")
            i.switchport = SwitchportSettings()
            return i
        }
        let sw = net.addSwitch(s, physicalPorts: (1...hosts).map { "GigabitEthernet0/\($0)" })
        var ids: [NodeID] = []
        for n in 1...hosts {
            var h = IPNodeSettings(hostname: "H\(n)")
            var i = InterfaceSettings(name: "Ethernet0")
            let a = IPv4Address(10, 1, UInt8(n / 200), UInt8(n % 200 + 1))
            i.addresses = [InterfaceAddress(address: a, prefix: IPv4Prefix(a, length: 16))]
            if n % 2 == 0 { i.joinedGroups = [group] }
            h.interfaces = [i]
            h.ipRouting = false
            let id = net.addIPNode(h, isRouter: false, physicalPorts: ["Ethernet0"])
            net.connect(net.port(of: id, named: "Ethernet0")!, net.port(of: sw, named: "GigabitEthernet0/\(n)")!,
                        bandwidth: .gbps(10), delay: .microseconds(1), mtu: 1500)
            ids.append(id)
        }
        net.start()
        net.addFlow(FlowSpec(name: "m", source: ids[0], destination: group,
                             pattern: .constant(interval: SimDuration(nanoseconds: 1_000_000_000 / Int64(packetsPerSecond))),
                             packetSize: packetSize, start: .zero + .milliseconds(10), stop: .zero + .milliseconds(10) + duration))
        return net
    }

    /// Warm-up (the members' statistics slots, the frame pool) untimed, then the timed traffic.
    public static func run(hosts: Int = 16, packetsPerSecond: Int = 200_000, packetSize: Int = 100,
                           duration: SimDuration = .seconds(1), allocations: (() -> UInt64)? = nil) -> MulticastBenchResult {
        let net = build(hosts: hosts, packetsPerSecond: packetsPerSecond, packetSize: packetSize, duration: duration)
        let w = TimedWindow.measure(net, duration: duration, allocations: allocations)
        return MulticastBenchResult(hosts: hosts, members: hosts / 2, packetHops: w.hops, delivered: w.delivered,
                                    seconds: w.seconds, hopsPerSecond: Double(w.hops) / w.seconds,
                                    allocationsPerHop: allocations == nil ? .nan : Double(w.allocations) / Double(max(1, w.hops)))
    }
}

/// One measured case of the routed multicast benchmark.
public struct RoutedMulticastBenchResult: Sendable {
    public var routers: Int
    public var receivers: Int
    public var packets: UInt64
    public var packetHops: UInt64
    public var delivered: UInt64
    public var seconds: Double
    public var hopsPerSecond: Double
    public var allocationsPerPacket: Double
}

/// A flow to 239.1.1.1 down a source tree of routers (a chain fan-out): the source host's first-hop router
/// R1 fans out to `branches` chains of routers, `routers` in all, each chain ending in a receiver host.
/// Every router has an (S,G) entry written straight into its forwarding table (no PIM), so each packet is
/// RPF-checked, replicated and its TTL decremented at every router. A packet-hop is one frame on one link.
///
/// ```
///   S ── R1 ─┬─ R2 ── R3 ── … ── R6 ── H1
///            ├─ R7 ── … ──────── R11 ─ H2
///            └─ …                      H10
/// ```
public enum RoutedMulticastBenchmark {
    public static let group = IPv4Address(239, 1, 1, 1)
    public static let source = IPv4Address(10, 0, 0, 2)

    public static func build(routers: Int, branches: Int, packetsPerSecond: Int, packetSize: Int, duration: SimDuration) -> Network {
        precondition(branches >= 1 && branches <= 200 && routers > branches && routers - 1 <= 250 * branches)
        let net = Network(seed: 1)
        func port(_ n: Int) -> String { "GigabitEthernet0/\(n)" }
        func settings(_ name: String, _ addresses: [(String, IPv4Address?)]) -> IPNodeSettings {
            var s = IPNodeSettings(hostname: name)
            s.interfaces = addresses.map { name, address in
                var i = InterfaceSettings(name: name)
                if let address { i.addresses = [InterfaceAddress(address: address, prefix: IPv4Prefix(address, length: 24))] }
                return i
            }
            return s
        }
        func link(_ a: NodeID, _ pa: String, _ b: NodeID, _ pb: String) {
            net.connect(net.port(of: a, named: pa)!, net.port(of: b, named: pb)!, bandwidth: .gbps(10), delay: .microseconds(1), mtu: 1500)
        }
        func host(_ name: String, _ address: IPv4Address, member: Bool) -> NodeID {
            var h = settings(name, [("Ethernet0", address)])
            if member { h.interfaces[0].joinedGroups = [group] }
            h.ipRouting = false
            h.defaultGateway = IPv4Address(rawValue: address.rawValue & 0xFFFF_FF00 | 1)
            return net.addIPNode(h, isRouter: false, physicalPorts: ["Ethernet0"])
        }
        /// Adds a router whose interface 0 is upstream and 1... downstream, with its (S,G) entry.
        func router(_ name: String, _ ports: [(String, IPv4Address?)]) -> NodeID {
            let id = net.addIPNode(settings(name, ports), isRouter: true, physicalPorts: ports.map(\.0))
            let node = net.ipNode(id)!
            node.multicastRoutingEnabled = true
            node.updateMulticastRoute(source: source, group: group, create: {
                MulticastRoute(source: source, group: group, incoming: 0, outgoing: Array(1..<ports.count), flags: [.sparse, .sptBit],
                               created: .zero)
            }) { _ in }
            return id
        }
        let sender = host("S", source, member: false)
        // Chains as even as they come: the first ones one router longer.
        let chained = routers - 1
        let lengths = (0..<branches).map { chained / branches + ($0 < chained % branches ? 1 : 0) }
        let r1 = router("R1", [(port(0), IPv4Address(10, 0, 0, 1))]
                        + (1...branches).map { (port($0), IPv4Address(10, UInt8($0), 1, 1)) })
        link(sender, "Ethernet0", r1, port(0))
        var n = 2
        for (b, length) in lengths.enumerated() {
            var upstream = (r1, port(b + 1))
            for j in 1...length {
                let r = router("R\(n)", [(port(0), IPv4Address(10, UInt8(b + 1), UInt8(j), 2)),
                                         (port(1), IPv4Address(10, UInt8(b + 1), UInt8(j + 1), 1))])
                link(upstream.0, upstream.1, r, port(0))
                upstream = (r, port(1))
                n += 1
            }
            let receiver = host("H\(b + 1)", IPv4Address(10, UInt8(b + 1), UInt8(length + 1), 2), member: true)
            link(upstream.0, upstream.1, receiver, "Ethernet0")
        }
        net.start()
        net.addFlow(FlowSpec(name: "m", source: sender, destination: group,
                             pattern: .constant(interval: SimDuration(nanoseconds: 1_000_000_000 / Int64(packetsPerSecond))),
                             packetSize: packetSize, start: .zero + .milliseconds(10), stop: .zero + .milliseconds(10) + duration))
        return net
    }

    /// Warm-up (ARP, the receivers' statistics slots, the frame pool) untimed, then the timed traffic.
    public static func run(routers: Int = 50, branches: Int = 10, packetsPerSecond: Int = 100_000, packetSize: Int = 100,
                           duration: SimDuration = .seconds(1), allocations: (() -> UInt64)? = nil) -> RoutedMulticastBenchResult {
        let net = build(routers: routers, branches: branches, packetsPerSecond: packetsPerSecond, packetSize: packetSize,
                        duration: duration)
        let w = TimedWindow.measure(net, duration: duration, allocations: allocations)
        // Every packet sent reaches every receiver: the tree is right, or the figures mean nothing.
        precondition(w.delivered + UInt64(branches) * 2 >= w.sent * UInt64(branches), "routed multicast lost packets")
        return RoutedMulticastBenchResult(routers: routers, receivers: branches, packets: w.sent, packetHops: w.hops,
                                          delivered: w.delivered, seconds: w.seconds, hopsPerSecond: Double(w.hops) / w.seconds,
                                          allocationsPerPacket: allocations == nil ? .nan : Double(w.allocations) / Double(max(1, w.sent)))
    }
}

/// The timed part of both multicast benchmarks: 20 ms of warm-up (ARP, statistics slots, the frame pool) run
/// untimed, then `duration` timed, with what the ports, the flow and the allocator counted meanwhile.
struct TimedWindow {
    var hops: UInt64
    var sent: UInt64
    var delivered: UInt64
    var allocations: UInt64
    var seconds: Double

    static func measure(_ net: Network, duration: SimDuration, allocations: (() -> UInt64)?) -> TimedWindow {
        net.run(until: .zero + .milliseconds(20))
        let hopsBefore = net.ports.reduce(0) { $0 + $1.outputPackets }
        let sentBefore = net.flows[0].sent, deliveredBefore = net.flows[0].delivered
        let allocationsBefore = allocations?() ?? 0
        let clock = ContinuousClock()
        let start = clock.now
        net.run(until: .zero + .milliseconds(20) + duration)
        let elapsed = clock.now - start
        let allocationsAfter = allocations?() ?? 0
        return TimedWindow(hops: net.ports.reduce(0) { $0 + $1.outputPackets } - hopsBefore,
                           sent: net.flows[0].sent - sentBefore, delivered: net.flows[0].delivered - deliveredBefore,
                           allocations: allocationsAfter &- allocationsBefore,
                           seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
