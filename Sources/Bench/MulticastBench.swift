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
        net.run(until: .zero + .milliseconds(20))
        let hopsBefore = net.ports.reduce(0) { $0 + $1.outputPackets }
        let deliveredBefore = net.flows[0].delivered
        let allocationsBefore = allocations?() ?? 0
        let clock = ContinuousClock()
        let start = clock.now
        net.run(until: .zero + .milliseconds(20) + duration)
        let elapsed = clock.now - start
        let allocationsAfter = allocations?() ?? 0
        let hops = net.ports.reduce(0) { $0 + $1.outputPackets } - hopsBefore
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return MulticastBenchResult(hosts: hosts, members: hosts / 2, packetHops: hops, delivered: net.flows[0].delivered - deliveredBefore,
                                    seconds: seconds, hopsPerSecond: Double(hops) / seconds,
                                    allocationsPerHop: allocations == nil ? .nan : Double(allocationsAfter &- allocationsBefore) / Double(max(1, hops)))
    }
}
