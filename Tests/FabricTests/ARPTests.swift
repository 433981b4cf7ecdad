import Engine
@testable import Fabric
import Testing
import Wire

//   R1 Gi0/0 ──────────────── Ethernet0 NLB
//   10.1.1.1/24                10.1.1.100/24, MAC 03bf.0a01.0164 (Windows NLB multicast mode)
//
// The NLB node answers ARP with its multicast cluster MAC. It keeps a static ARP entry for R1,
// standing in for the unicast NIC MAC a real member also owns.
func routerFacingAnNLBCluster(staticARP: Bool) -> (Network, r1: NodeID) {
    let net = Network(seed: 1)
    let clusterMAC = mac("03bf.0a01.0164")
    let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.1.1.1/24")],
                           staticARP: staticARP ? [ip("10.1.1.100"): clusterMAC] : [:])
    let nlb = net.addHost("NLB", "10.1.1.100/24", staticARP: [ip("10.1.1.1"): mac("aabb.cc00.0000")])
    net.ports[net.port(of: nlb, named: "Ethernet0")!.index].mac = clusterMAC
    net.cable(r1, "GigabitEthernet0/0", nlb, "Ethernet0")
    net.start()
    net.run(until: at(1))
    return (net, r1)
}

@Test func aRouterIgnoresAnARPReplyWithAMulticastMACAndTheEntryStaysIncomplete() {
    // RFC 1812 §3.3.2 / ios-behavior §10.1: the reply is not believed.
    let (net, r1) = routerFacingAnNLBCluster(staticARP: false)
    let probe = net.ping(from: r1, to: ip("10.1.1.100"))!
    net.run(until: at(3))
    expectShow(net.showIPARP(r1), """
        Protocol  Address          Age (min)  Hardware Addr   Type   Interface
        Internet  10.1.1.1                -   aabb.cc00.0000  ARPA   GigabitEthernet0/0
        Internet  10.1.1.100              0   Incomplete      ARPA
        """)
    net.run(until: at(20))
    expectShow(net.output(of: probe).text, """
        Type escape sequence to abort.
        Sending 5, 100-byte ICMP Echos to 10.1.1.100, timeout is 2 seconds:
        .....
        Success rate is 0 percent (0/5)
        """)
}

@Test func aStaticARPEntryWithTheClusterMACMakesTheNLBAddressReachable() {
    // ios-behavior §10.3: `arp 10.1.1.100 03bf.0a01.0164 arpa` is the documented fix.
    let (net, r1) = routerFacingAnNLBCluster(staticARP: true)
    expectShow(net.pingOutput(from: r1, to: "10.1.1.100"), """
        Type escape sequence to abort.
        Sending 5, 100-byte ICMP Echos to 10.1.1.100, timeout is 2 seconds:
        !!!!!
        Success rate is 100 percent (5/5), round-trip min/avg/max = 2/2/2 ms
        """)
    expectShow(net.showIPARP(r1), """
        Protocol  Address          Age (min)  Hardware Addr   Type   Interface
        Internet  10.1.1.1                -   aabb.cc00.0000  ARPA   GigabitEthernet0/0
        Internet  10.1.1.100              -   03bf.0a01.0164  ARPA   GigabitEthernet0/0
        """)
}
