import Engine
import Fabric
import Wire

/// One measured case of the forwarding benchmark.
public struct ForwardBenchResult: Sendable {
    public var routers: Int
    public var packetHops: UInt64
    public var delivered: UInt64
    public var seconds: Double
    public var hopsPerSecond: Double
    public var allocationsPerHop: Double
}

/// UDP flows across a chain of routers with a switch and a host at each edge:
///
///     H1 -- SW1 -- R1 -- R2 -- ... -- Rn -- SW2 -- H2
///
/// Static routes everywhere; 10 Gbit/s links so the measure is the forwarding path, not queueing.
/// A packet-hop is one frame put on one link.
public enum ForwardBenchmark {
    public static func build(routers n: Int, flows: Int, packetsPerSecond: Int, packetSize: Int, duration: SimDuration) -> Network {
        precondition(n >= 1 && n <= 250)
        let net = Network(seed: 1)
        func interface(_ name: String, _ address: String, _ length: Int) -> InterfaceSettings {
            var s = InterfaceSettings(name: name)
            let a = IPv4Address(address)!
            s.addresses = [InterfaceAddress(address: a, prefix: IPv4Prefix(a, length: length))]
            return s
        }
        let left = IPv4Prefix(IPv4Address(10, 1, 0, 0), length: 24), right = IPv4Prefix(IPv4Address(10, 2, 0, 0), length: 24)
        var h1 = IPNodeSettings(hostname: "H1")
        h1.interfaces = [interface("Ethernet0", "10.1.0.10", 24)]
        h1.defaultGateway = IPv4Address(10, 1, 0, 1)
        h1.ipRouting = false
        var h2 = IPNodeSettings(hostname: "H2")
        h2.interfaces = [interface("Ethernet0", "10.2.0.10", 24)]
        h2.defaultGateway = IPv4Address(10, 2, 0, 1)
        h2.ipRouting = false
        let host1 = net.addIPNode(h1, isRouter: false, physicalPorts: ["Ethernet0"])
        let host2 = net.addIPNode(h2, isRouter: false, physicalPorts: ["Ethernet0"])
        let sw1 = net.addSwitch(SwitchSettings(hostname: "SW1"), physicalPorts: ["GigabitEthernet0/1", "GigabitEthernet0/2"])
        let sw2 = net.addSwitch(SwitchSettings(hostname: "SW2"), physicalPorts: ["GigabitEthernet0/1", "GigabitEthernet0/2"])
        var routerIDs: [NodeID] = []
        for i in 1...n {
            var r = IPNodeSettings(hostname: "R\(i)")
            r.interfaces = [
                i == 1 ? interface("GigabitEthernet0/0", "10.1.0.1", 24) : interface("GigabitEthernet0/0", "172.16.\(i - 1).2", 24),
                i == n ? interface("GigabitEthernet0/1", "10.2.0.1", 24) : interface("GigabitEthernet0/1", "172.16.\(i).1", 24),
            ]
            if i < n { r.staticRoutes.append(StaticRoute(prefix: right, nextHop: IPv4Address(172, 16, UInt8(i), 2), interface: nil)) }
            if i > 1 { r.staticRoutes.append(StaticRoute(prefix: left, nextHop: IPv4Address(172, 16, UInt8(i - 1), 1), interface: nil)) }
            routerIDs.append(net.addIPNode(r, isRouter: true, physicalPorts: ["GigabitEthernet0/0", "GigabitEthernet0/1"]))
        }
        let rate = Bandwidth.gbps(10), delay = SimDuration.microseconds(1)
        func port(_ node: NodeID, _ name: String) -> PortID { net.port(of: node, named: name)! }
        net.connect(port(host1, "Ethernet0"), port(sw1, "GigabitEthernet0/1"), bandwidth: rate, delay: delay, mtu: 1500)
        net.connect(port(sw1, "GigabitEthernet0/2"), port(routerIDs[0], "GigabitEthernet0/0"), bandwidth: rate, delay: delay, mtu: 1500)
        for i in 0..<(n - 1) {
            net.connect(port(routerIDs[i], "GigabitEthernet0/1"), port(routerIDs[i + 1], "GigabitEthernet0/0"), bandwidth: rate, delay: delay, mtu: 1500)
        }
        net.connect(port(routerIDs[n - 1], "GigabitEthernet0/1"), port(sw2, "GigabitEthernet0/1"), bandwidth: rate, delay: delay, mtu: 1500)
        net.connect(port(sw2, "GigabitEthernet0/2"), port(host2, "Ethernet0"), bandwidth: rate, delay: delay, mtu: 1500)
        net.start()
        let interval = SimDuration(nanoseconds: 1_000_000_000 / Int64(packetsPerSecond))
        for f in 0..<flows {
            // Flows start staggered after ARP has settled along the chain.
            net.addFlow(FlowSpec(name: "f\(f)", source: host1, destination: IPv4Address(10, 2, 0, 10), pattern: .constant(interval: interval),
                                 packetSize: packetSize, sourcePort: UInt16(5000 + f), destinationPort: 6000,
                                 start: .zero + .milliseconds(100) + SimDuration(nanoseconds: Int64(f) * 37), stop: .zero + .milliseconds(100) + duration))
        }
        return net
    }

    /// Runs the chain: warm-up (ARP, MAC learning) untimed, then the timed traffic.
    public static func run(routers: Int, flows: Int = 4, packetsPerSecond: Int = 50_000, packetSize: Int = 100,
                           duration: SimDuration = .seconds(1), allocations: (() -> UInt64)? = nil) -> ForwardBenchResult {
        let net = build(routers: routers, flows: flows, packetsPerSecond: packetsPerSecond, packetSize: packetSize, duration: duration)
        // Warm-up: the first packets resolve ARP hop by hop; start timing once they are through.
        net.run(until: .zero + .milliseconds(120))
        let hopsBefore = net.ports.reduce(0) { $0 + $1.outputPackets }
        let deliveredBefore = net.flows.reduce(0) { $0 + $1.delivered }
        let allocationsBefore = allocations?() ?? 0
        let clock = ContinuousClock()
        let start = clock.now
        net.run(until: .zero + .milliseconds(200) + duration)
        let elapsed = clock.now - start
        let allocationsAfter = allocations?() ?? 0
        let hops = net.ports.reduce(0) { $0 + $1.outputPackets } - hopsBefore
        let delivered = net.flows.reduce(0) { $0 + $1.delivered } - deliveredBefore
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ForwardBenchResult(routers: routers, packetHops: hops, delivered: delivered, seconds: seconds,
                                  hopsPerSecond: Double(hops) / seconds,
                                  allocationsPerHop: allocations == nil ? .nan : Double(allocationsAfter &- allocationsBefore) / Double(max(1, hops)))
    }
}
