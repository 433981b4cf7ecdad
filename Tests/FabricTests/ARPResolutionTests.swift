import Engine
@testable import Fabric
import Testing
import Wire

//   R1 Gi0/0 10.1.1.1/24 ─────── Ethernet0 H1 10.1.1.10/24
//
// R1's Gi0/0 has `arp timeout 60`, so entries reach their timeout inside a short run.
private func routerAndHost() -> (Network, r1: NodeID, h1: NodeID) {
    let net = Network(seed: 1)
    var gi = interface("GigabitEthernet0/0", "10.1.1.1/24")
    gi.arpTimeout = .seconds(60)
    let r1 = net.addRouter("R1", [gi])
    let h1 = net.addHost("H1", "10.1.1.10/24", gateway: "10.1.1.1")
    net.cable(r1, "GigabitEthernet0/0", h1, "Ethernet0")
    net.start()
    net.run(until: at(1))
    return (net, r1, h1)
}

@Suite struct ARPResolutionTests {
    @Test func aHostKeepsThePacketWhileARPResolvesAsRFC1122Asks() {
        // RFC 1122 §2.3.2.2: the host saves the packet and sends it when the reply comes.
        let (net, _, h1) = routerAndHost()
        #expect(net.pingOutput(from: h1, to: "10.1.1.1").contains("!!!!!"))
        #expect(net.drops[.arpUnresolved] == nil)
    }

    @Test func aRouterRefreshesAnEntryAtItsTimeoutInsteadOfDroppingIt() {
        // The entry learned at about 1 s reaches its 60 s timeout; R1 asks H1 again (unicast to the known MAC)
        // and H1's answer renews it: at 75 s it is listed with age 0, and R1's traffic never stopped.
        let (net, r1, _) = routerAndHost()
        _ = net.pingOutput(from: r1, to: "10.1.1.10")
        net.run(until: at(75))
        let arp = net.showIPARP(r1)
        #expect(arp.contains("Internet  10.1.1.10               0   "), "\(arp)")
        #expect(net.pingOutput(from: r1, to: "10.1.1.10").contains("!!!!!"))
    }

    @Test func anUnansweredRefreshRemovesTheEntry() {
        // With Gi0/0 ignoring replies (the field fault), the refresh asked at the timeout gets no usable answer:
        // the entry is used while it is asked (five tries a second apart), then removed.
        let (net, r1, _) = routerAndHost()
        _ = net.pingOutput(from: r1, to: "10.1.1.10")
        net.ignoreARPReplies(on: net.port(of: r1, named: "GigabitEthernet0/0")!)
        net.run(until: at(63))
        #expect(net.showIPARP(r1).contains("Internet  10.1.1.10  "))
        net.run(until: at(80))
        #expect(!net.showIPARP(r1).contains("10.1.1.10 "), "\(net.showIPARP(r1))")
        // Resolution now starts afresh and fails: every echo is lost.
        #expect(net.pingOutput(from: r1, to: "10.1.1.10").contains("....."))
    }
}
