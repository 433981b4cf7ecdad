import Engine
@testable import Fabric
import Testing
import Wire

//                      10.0.12.0/24            Lo0 10.2.3.2/24
//              Gi0/0 ───────────────── Gi0/0 R2
//   R1                                              R1: ip route 10.2.0.0 255.255.0.0 10.0.12.2
//              Gi0/1 ───────────────── Gi0/0 R3         ip route 10.2.2.0 255.255.255.0 10.0.13.3
//                      10.0.13.0/24            Lo0 10.2.2.3/24
func triangle(r1Routes: [StaticRoute]) -> (Network, r1: NodeID, r2: NodeID, r3: NodeID, r1r2: LinkID) {
    let net = Network(seed: 1)
    let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.0.12.1/24"), interface("GigabitEthernet0/1", "10.0.13.1/24")],
                           routes: r1Routes)
    let r2 = net.addRouter("R2", [interface("GigabitEthernet0/0", "10.0.12.2/24"), interface("Loopback0", "10.2.3.2/24")],
                           routes: [route("0.0.0.0/0", via: "10.0.12.1")])
    let r3 = net.addRouter("R3", [interface("GigabitEthernet0/0", "10.0.13.3/24"), interface("Loopback0", "10.2.2.3/24")],
                           routes: [route("0.0.0.0/0", via: "10.0.13.1")])
    let r1r2 = net.cable(r1, "GigabitEthernet0/0", r2, "GigabitEthernet0/0")
    net.cable(r1, "GigabitEthernet0/1", r3, "GigabitEthernet0/0")
    net.start()
    net.run(until: at(1))
    return (net, r1, r2, r3, r1r2)
}

@Test func longestPrefixMatchPrefersTheMoreSpecificStaticRoute() {
    let (net, r1, _, _, _) = triangle(r1Routes: [route("10.2.0.0/16", via: "10.0.12.2"), route("10.2.2.0/24", via: "10.0.13.3")])
    let routes = net.host(r1).routes
    #expect(routes.lookup(ip("10.2.2.3"))?.nextHops.first?.gateway == ip("10.0.13.3"))
    #expect(routes.lookup(ip("10.2.3.2"))?.nextHops.first?.gateway == ip("10.0.12.2"))
    // Both loopbacks answer only if each packet took its own route (R2 has no way to 10.2.2.3 but back to R1).
    #expect(net.pingOutput(from: r1, to: "10.2.2.3").contains("Success rate is 100 percent (5/5)"))
    #expect(net.pingOutput(from: r1, to: "10.2.3.2").contains("Success rate is 100 percent (5/5)"))
    expectShow(net.showIPRoute(r1), """
        Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
               D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
               N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
               E1 - OSPF external type 1, E2 - OSPF external type 2
               i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
               ia - IS-IS inter area, * - candidate default, U - per-user static route
               o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
               a - application route
               + - replicated route, % - next hop override, p - overrides from PfR

        Gateway of last resort is not set

              10.0.0.0/8 is variably subnetted, 6 subnets, 3 masks
        C        10.0.12.0/24 is directly connected, GigabitEthernet0/0
        L        10.0.12.1/32 is directly connected, GigabitEthernet0/0
        C        10.0.13.0/24 is directly connected, GigabitEthernet0/1
        L        10.0.13.1/32 is directly connected, GigabitEthernet0/1
        S        10.2.0.0/16 [1/0] via 10.0.12.2
        S        10.2.2.0/24 [1/0] via 10.0.13.3
        """)
}

@Test func aStaticRouteWithDistance250LosesToTheConnectedRoute() {
    let (net, r1, _, _, _) = triangle(r1Routes: [route("10.0.12.0/24", via: "10.0.13.3", distance: 250)])
    let selected = net.host(r1).routes.lookup(ip("10.0.12.2"))
    #expect(selected?.source == .connected)
    #expect(!net.showIPRoute(r1).contains("[250/0]"))
}

@Test func aFloatingStaticRouteTakesOverWhenThePreferredNextHopIsLost() {
    let (net, r1, _, _, r1r2) = triangle(r1Routes: [route("0.0.0.0/0", via: "10.0.12.2"),
                                                    route("0.0.0.0/0", via: "10.0.13.3", distance: 250)])
    #expect(net.showIPRoute(r1).contains("Gateway of last resort is 10.0.12.2 to network 0.0.0.0"))
    net.setLink(r1r2, up: false)
    let table = net.showIPRoute(r1).split(separator: "\n").drop { !$0.hasPrefix("Gateway") }.joined(separator: "\n")
    expectShow(table, """
        Gateway of last resort is 10.0.13.3 to network 0.0.0.0
        S*    0.0.0.0/0 [250/0] via 10.0.13.3
              10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks
        C        10.0.13.0/24 is directly connected, GigabitEthernet0/1
        L        10.0.13.1/32 is directly connected, GigabitEthernet0/1
        """)
}

//   H1 ──── Gi0/0 R1 Gi0/1 ──── Gi0/0 R2 Gi0/1 ──── H2
//   10.1.1.10/24    10.0.12.0/24        10.2.2.10/24   (every link 1 ms)
func chain() -> (Network, h1: NodeID, r1: NodeID, r2: NodeID, h2: NodeID, r2h2: LinkID) {
    let net = Network(seed: 1)
    let h1 = net.addHost("H1", "10.1.1.10/24", gateway: "10.1.1.1")
    let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.1.1.1/24"), interface("GigabitEthernet0/1", "10.0.12.1/24")],
                           routes: [route("10.2.2.0/24", via: "10.0.12.2")])
    let r2 = net.addRouter("R2", [interface("GigabitEthernet0/0", "10.0.12.2/24"), interface("GigabitEthernet0/1", "10.2.2.1/24")],
                           routes: [route("10.1.1.0/24", via: "10.0.12.1")])
    let h2 = net.addHost("H2", "10.2.2.10/24", gateway: "10.2.2.1")
    net.cable(h1, "Ethernet0", r1, "GigabitEthernet0/0")
    net.cable(r1, "GigabitEthernet0/1", r2, "GigabitEthernet0/0")
    let r2h2 = net.cable(r2, "GigabitEthernet0/1", h2, "Ethernet0")
    net.start()
    net.run(until: at(1))
    return (net, h1, r1, r2, h2, r2h2)
}

@Test func tracerouteThroughTwoRoutersListsEachHopAndEndsAtTheTarget() {
    let (net, h1, _, _, _, _) = chain()
    let probe = net.traceroute(from: h1, to: ip("10.2.2.10"))!
    net.run(until: at(60))
    let (text, finished) = net.output(of: probe)
    #expect(finished)
    expectShow(text, """
        Type escape sequence to abort.
        Tracing the route to 10.2.2.10
        VRF info: (vrf in name/id, vrf out name/id)
          1 10.1.1.1 4 msec 2 msec 2 msec
          2 10.0.12.2 6 msec 4 msec 4 msec
          3 10.2.2.10 8 msec 6 msec 6 msec
        """)
    // RFC 1812 §5.3.1: three probes expired at R1 (TTL 1) and three at R2 (TTL 2).
    #expect(net.drops[.ttlExpired] == 6)
}

@Test func showIPRouteOnAHostPrintsItsDefaultGateway() {
    let (net, h1, _, r2, _, _) = chain()
    expectShow(net.showIPRoute(h1), """
        Default gateway is 10.1.1.1

        Host               Gateway           Last Use    Total Uses  Interface
        ICMP redirect cache is empty
        """)
    let table = net.showIPRoute(r2).split(separator: "\n").drop { !$0.hasPrefix("Gateway") }.joined(separator: "\n")
    expectShow(table, """
        Gateway of last resort is not set
              10.0.0.0/8 is variably subnetted, 5 subnets, 2 masks
        C        10.0.12.0/24 is directly connected, GigabitEthernet0/0
        L        10.0.12.2/32 is directly connected, GigabitEthernet0/0
        S        10.1.1.0/24 [1/0] via 10.0.12.1
        C        10.2.2.0/24 is directly connected, GigabitEthernet0/1
        L        10.2.2.1/32 is directly connected, GigabitEthernet0/1
        """)
}

@Test func pingsFailWithUnreachablesOnceTheLinkIsDown() {
    let (net, h1, _, r2, _, r2h2) = chain()
    #expect(net.pingOutput(from: h1, to: "10.2.2.10").contains("!!!!!"))
    net.setLink(r2h2, up: false)
    expectShow(net.pingOutput(from: h1, to: "10.2.2.10"), """
        Type escape sequence to abort.
        Sending 5, 100-byte ICMP Echos to 10.2.2.10, timeout is 2 seconds:
        U.U.U
        Success rate is 0 percent (0/5)
        """)
    expectShow(net.showIPInterfaceBrief(r2), """
        Interface                  IP-Address      OK? Method Status                Protocol
        GigabitEthernet0/0         10.0.12.2       YES manual up                    up
        GigabitEthernet0/1         10.2.2.1        YES manual down                  down
        """)
    #expect(net.showInterfaces(r2, name: "Gi0/1").hasPrefix("GigabitEthernet0/1 is down, line protocol is down\n"))
}

@Test func equalCostStaticRoutesPrintTheirSecondPathUnderTheFirstBracket() {
    let (net, r1, _, _, _) = triangle(r1Routes: [route("172.16.0.0/16", via: "10.0.12.2"), route("172.16.0.0/16", via: "10.0.13.3"),
                                                 route("192.168.1.0/24", via: "10.0.13.3")])
    let table = net.showIPRoute(r1).split(separator: "\n").drop { !$0.hasPrefix("Gateway") }.joined(separator: "\n")
    expectShow(table, """
        Gateway of last resort is not set
              10.0.0.0/8 is variably subnetted, 4 subnets, 2 masks
        C        10.0.12.0/24 is directly connected, GigabitEthernet0/0
        L        10.0.12.1/32 is directly connected, GigabitEthernet0/0
        C        10.0.13.0/24 is directly connected, GigabitEthernet0/1
        L        10.0.13.1/32 is directly connected, GigabitEthernet0/1
        S     172.16.0.0/16 [1/0] via 10.0.12.2
                            [1/0] via 10.0.13.3
        S     192.168.1.0/24 [1/0] via 10.0.13.3
        """)
}

@Test func loopbacksAreListedAfterPhysicalInterfacesAndPrintTheirOwnHardware() {
    let (net, _, r2, _, _) = triangle(r1Routes: [])
    expectShow(net.showIPInterfaceBrief(r2), """
        Interface                  IP-Address      OK? Method Status                Protocol
        GigabitEthernet0/0         10.0.12.2       YES manual up                    up
        Loopback0                  10.2.3.2        YES manual up                    up
        """)
    expectShow(net.showInterfaces(r2, name: "Lo0"), """
        Loopback0 is up, line protocol is up
          Hardware is Loopback
          Internet address is 10.2.3.2/24
          MTU 1514 bytes, BW 8000000 Kbit/sec, DLY 5000 usec,
             reliability 255/255, txload 1/255, rxload 1/255
          Encapsulation LOOPBACK, loopback not set
          Keepalive set (10 sec)
          Last clearing of "show interface" counters never
          Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
          Queueing strategy: fifo
          Output queue: 0/0 (size/max)
          5 minute input rate 0 bits/sec, 0 packets/sec
          5 minute output rate 0 bits/sec, 0 packets/sec
             0 packets input, 0 bytes, 0 no buffer
             Received 0 broadcasts (0 IP multicasts)
             0 runts, 0 giants, 0 throttles
             0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort
             0 packets output, 0 bytes, 0 underruns
             0 output errors, 0 collisions, 0 interface resets
             0 unknown protocol drops
             0 output buffer failures, 0 output buffers swapped out
        """)
}
