import Engine
import Fabric
import Testing
import Wire

/// A toy routing protocol on IP protocol 253 (RFC 3692, for experiments): every second each router
/// multicasts to 224.0.0.250 on every up interface a hello carrying its loopback prefix; a hello
/// received offers a route to that prefix via its sender. Enough to prove the plug-in points
/// OSPF, IGMP and PIM will use: receiving by protocol number, multicast on an interface, timers,
/// offering routes, and interface events.
final class HelloProtocol: ControlPlaneProtocol {
    let ipProtocol = IPProtocol(rawValue: 253)
    static let source = RouteSource(code: "X", defaultDistance: 150)
    static let group = IPv4Address(224, 0, 0, 250)
    let advertised: IPv4Prefix
    var heard: [IPv4Address: (prefix: IPv4Prefix, interface: Int)] = [:]
    var helloInterfaces: [Int] = []

    init(advertising prefix: IPv4Prefix) { advertised = prefix }

    // The MAC filter passes only the groups a node listens to (RFC 1112 §6.4).
    func multicastGroups(on interface: Int) -> [IPv4Address] { [Self.group] }

    func start(_ context: ControlPlaneContext) { sendHellos(context) }

    func sendHellos(_ context: ControlPlaneContext) {
        var payload: [UInt8] = []
        for shift in stride(from: 24, through: 0, by: -8) { payload.append(UInt8(truncatingIfNeeded: advertised.network.rawValue >> UInt32(shift))) }
        payload.append(UInt8(advertised.length))
        for (i, interface) in context.interfaces.enumerated() where interface.port != nil && context.isUp(i) {
            if context.send(payload, to: Self.group, on: i, options: [.routerAlert(value: 0)]) { helloInterfaces.append(i) }
        }
        context.arm(token: 1, at: context.now + .seconds(1))
    }

    func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext) {
        guard datagram.header.destination == Self.group, datagram.payload.count == 5 else { return }
        let p = datagram.payload
        let network = IPv4Address(p[0], p[1], p[2], p[3])
        heard[datagram.header.source] = (IPv4Prefix(network, length: Int(p[4])), datagram.interface)
        offer(context)
    }

    func offer(_ context: ControlPlaneContext) {
        let routes = heard.sorted { $0.key < $1.key }.map { (source, entry) in
            Route(prefix: entry.prefix, source: Self.source, metric: 1, nextHops: [NextHop(gateway: source, interface: entry.interface)])
        }
        context.offerRoutes(routes, as: Self.source)
    }

    func timerFired(token: UInt32, _ context: ControlPlaneContext) { sendHellos(context) }

    func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext) {
        guard !up else { return }
        heard = heard.filter { $0.value.interface != interface }
        offer(context)
    }
}

//   Lo0 1.1.1.1/32  R1 Gi0/0 ---- Gi0/0 R2  Lo0 2.2.2.2/32
//                   10.0.12.1     10.0.12.2
@Suite struct ControlPlaneTests {
    static func lab() -> (Network, NodeID, NodeID, HelloProtocol, HelloProtocol) {
        let net = Network(seed: 1)
        let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.0.12.1/24"), interface("Loopback0", "1.1.1.1/32")])
        let r2 = net.addRouter("R2", [interface("GigabitEthernet0/0", "10.0.12.2/24"), interface("Loopback0", "2.2.2.2/32")])
        net.cable(r1, "GigabitEthernet0/0", r2, "GigabitEthernet0/0")
        net.start()
        let p1 = HelloProtocol(advertising: prefix("1.1.1.1/32")), p2 = HelloProtocol(advertising: prefix("2.2.2.2/32"))
        net.host(r1).attach(p1, network: net)
        net.host(r2).attach(p2, network: net)
        return (net, r1, r2, p1, p2)
    }

    @Test func aProtocolReceivesItsMulticastAndOffersRoutesThatForwardTraffic() {
        let (net, r1, r2, p1, p2) = Self.lab()
        net.run(until: at(3))
        #expect(p1.heard[ip("10.0.12.2")]?.prefix == prefix("2.2.2.2/32"))
        #expect(p2.heard[ip("10.0.12.1")]?.prefix == prefix("1.1.1.1/32"))
        let route = net.host(r1).routes.selected[prefix("2.2.2.2/32")]
        #expect(route?.source.code == "X")
        #expect(route?.distance == 150)
        let probe = net.ping(from: r1, to: ip("2.2.2.2"), source: ip("1.1.1.1"))!
        net.run(until: at(10))
        #expect(net.output(of: probe).text.contains("!!!!!"), "\(net.output(of: probe).text)")
        _ = r2
    }

    @Test func timersRepeatAndStopWhenTheInterfaceGoesDown() {
        let (net, r1, _, p1, _) = Self.lab()
        net.run(until: at(5))
        #expect(p1.helloInterfaces.count == 6, "hellos at 0, 1, 2, 3, 4 and 5 s")
        net.setLink(net.ports[net.port(of: r1, named: "GigabitEthernet0/0")!.index].link!, up: false)
        #expect(net.host(r1).routes.selected[prefix("2.2.2.2/32")] == nil, "routes learned on the interface are withdrawn")
        net.run(until: at(8))
        #expect(p1.helloInterfaces.count == 6, "no hellos on a down interface")
    }
}
