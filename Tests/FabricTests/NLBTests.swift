import Engine
@testable import Fabric
import Testing
import Wire

//   C1 10.1.1.21 ── Gi0/3 ┐
//   W1 10.1.1.11 ── Gi0/1 ├ SW1 (VLAN 1)    W1, W2: NLB cluster 10.1.1.100
//   W2 10.1.1.12 ── Gi0/2 ┘
func nlbSegment(mode: NLBMode) -> (Network, client: NodeID, members: [NodeID]) {
    let net = Network(seed: 1)
    var sw = SwitchSettings(hostname: "SW1")
    sw.interfaces = (1...3).map { accessPort("GigabitEthernet0/\($0)", vlan: 1) }
    let s = net.addSwitch(sw, physicalPorts: (1...3).map { "GigabitEthernet0/\($0)" })
    var members: [NodeID] = []
    for (i, address) in ["10.1.1.11/24", "10.1.1.12/24"].enumerated() {
        var settings = IPNodeSettings(hostname: "W\(i + 1)")
        var e = interface("Ethernet0", address)
        e.nlb = NLBSettings(clusterAddress: ip("10.1.1.100"), mode: mode, priority: i + 1, members: [1, 2])
        settings.interfaces = [e]
        settings.ipRouting = false
        let id = net.addIPNode(settings, isRouter: false, physicalPorts: ["Ethernet0"])
        net.cable(id, "Ethernet0", s, "GigabitEthernet0/\(i + 1)")
        members.append(id)
    }
    let c = net.addHost("C1", "10.1.1.21/24")
    net.cable(c, "Ethernet0", s, "GigabitEthernet0/3")
    net.start()
    return (net, c, members)
}

@Suite struct NLBFabricTests {
    @Test func aHostAcceptsTheMulticastClusterMACThatARouterRefuses() {
        // ios-behavior §10.1: hosts believe the ARP reply; routers do not (RFC 1812 §3.3.2).
        let (net, c, _) = nlbSegment(mode: .multicast)
        expectShow(net.pingOutput(from: c, to: "10.1.1.100"), """
            Type escape sequence to abort.
            Sending 5, 100-byte ICMP Echos to 10.1.1.100, timeout is 2 seconds:
            !!!!!
            Success rate is 100 percent (5/5), round-trip min/avg/max = 4/4/8 ms
            """)
        #expect(net.host(c).arpCache[ip("10.1.1.100")]?.mac == mac("03bf.0a01.0164"))
    }

    @Test func unicastMembersOwnTheClusterMACAndSendWithTheMaskedOne() {
        let (net, _, members) = nlbSegment(mode: .unicast)
        for (i, m) in members.enumerated() {
            #expect(net.host(m).interfaces[0].mac == mac("02bf.0a01.0164"))
            #expect(net.host(m).interfaces[0].sourceMAC == NLB.maskedSourceMAC(ip("10.1.1.100"), priority: i + 1))
        }
    }

    @Test func exactlyOneMemberTakesEachEchoAndTheOtherFiltersIt() {
        let (net, c, _) = nlbSegment(mode: .unicast)
        _ = net.pingOutput(from: c, to: "10.1.1.100", count: 10)
        #expect(net.drops[.nlbFiltered, default: 0] == 10)
    }
}
