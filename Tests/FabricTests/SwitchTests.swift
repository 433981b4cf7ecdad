import Engine
@testable import Fabric
import Testing
import Wire

//                 SW1
//      Gi0/1 ─┐  ┌────┐  ┌─ Gi0/2
//   A ────────┴──┤    ├──┴──────── B        all access ports in VLAN 1
//   10.1.1.1     │    │            10.1.1.2
//                └─┬──┘
//                  └─ Gi0/3 ────── C 10.1.1.3
func threeHostsOnASwitch() -> (Network, sw: NodeID, a: NodeID, b: NodeID, c: NodeID) {
    let net = Network(seed: 1)
    var s = SwitchSettings(hostname: "SW1")
    s.interfaces = (1...3).map { accessPort("GigabitEthernet0/\($0)", vlan: 1) }
    let sw = net.addSwitch(s, physicalPorts: (0...3).map { "GigabitEthernet0/\($0)" })
    let a = net.addHost("A", "10.1.1.1/24")
    let b = net.addHost("B", "10.1.1.2/24")
    let c = net.addHost("C", "10.1.1.3/24")
    for (k, h) in [a, b, c].enumerated() { net.cable(h, "Ethernet0", sw, "GigabitEthernet0/\(k + 1)") }
    net.start()
    net.run(until: at(1))
    return (net, sw, a, b, c)
}

@Test func aSwitchLearnsSourcesThenForwardsUnicastOnlyToTheLearnedPort() {
    let (net, sw, a, _, _) = threeHostsOnASwitch()
    #expect(net.pingOutput(from: a, to: "10.1.1.2").contains("!!!!!"))
    // Each host's gratuitous ARP and A's request were flooded; the ARP reply, the echoes and replies were not.
    expectShow(net.showInterfacesCountersFlooding(sw), """
        Port           Forwarded        Flooded
        Gi0/0                  0              0
        Gi0/1                  6              2
        Gi0/2                  5              3
        Gi0/3                  0              3

        Frames forwarded from the MAC table: 11, flooded: 4, filtered: 0
        """)
    expectShow(net.showMACAddressTable(sw), """
                  Mac Address Table
        -------------------------------------------

        Vlan    Mac Address       Type        Ports
        ----    -----------       --------    -----
           1    0050.7966.0100    DYNAMIC     Gi0/1
           1    0050.7966.0200    DYNAMIC     Gi0/2
           1    0050.7966.0300    DYNAMIC     Gi0/3
        Total Mac Addresses for this criterion: 3
        """)
    expectShow(net.showMACAddressTable(sw, filter: .interface("Gi0/2")), """
                  Mac Address Table
        -------------------------------------------

        Vlan    Mac Address       Type        Ports
        ----    -----------       --------    -----
           1    0050.7966.0200    DYNAMIC     Gi0/2
        Total Mac Addresses for this criterion: 1
        """)
}

@Test func learnedAddressesAgeOutAfter300Seconds() {
    let (net, sw, a, _, _) = threeHostsOnASwitch()
    _ = net.pingOutput(from: a, to: "10.1.1.2")
    #expect(net.showMACAddressTable(sw, filter: .dynamic).hasSuffix("Total Mac Addresses for this criterion: 3"))
    net.run(until: at(250))
    #expect(net.showMACAddressTable(sw).hasSuffix("Total Mac Addresses for this criterion: 3"))
    net.run(until: at(320))
    #expect(net.showMACAddressTable(sw).hasSuffix("Total Mac Addresses for this criterion: 0"))
    // A still knows B from ARP (4 hours), so its next echo is unknown unicast for the switch: flooded.
    let floodedBefore = net.l2switch(sw)!.floodedFrames
    _ = net.pingOutput(from: a, to: "10.1.1.2", count: 1)
    #expect(net.l2switch(sw)!.floodedFrames == floodedBefore + 1)
}

@Test func aStaticMACEntrySendsFramesToEveryListedPortAndNowhereElse() {
    let net = Network(seed: 1)
    var s = SwitchSettings(hostname: "SW1")
    s.interfaces = (1...4).map { accessPort("GigabitEthernet0/\($0)", vlan: 1) }
    // mac address-table static 03bf.0a01.0164 vlan 1 interface Gi0/2 Gi0/3 (NLB multicast mode, ios-behavior §10.3)
    s.staticMACs = [StaticMACEntry(mac: mac("03bf.0a01.0164"), vlan: 1,
                                   interfaces: ["GigabitEthernet0/2", "GigabitEthernet0/3"])]
    let sw = net.addSwitch(s, physicalPorts: (1...4).map { "GigabitEthernet0/\($0)" })
    let client = net.addHost("CLIENT", "10.1.1.10/24", staticARP: [ip("10.1.1.100"): mac("03bf.0a01.0164")])
    let hosts = [client, net.addHost("NLB1", "10.1.1.11/24"), net.addHost("NLB2", "10.1.1.12/24"), net.addHost("OTHER", "10.1.1.13/24")]
    for (k, h) in hosts.enumerated() { net.cable(h, "Ethernet0", sw, "GigabitEthernet0/\(k + 1)") }
    net.start()
    net.run(until: at(1))
    _ = net.pingOutput(from: client, to: "10.1.1.100")
    expectShow(net.showMACAddressTable(sw, filter: .staticEntries), """
                  Mac Address Table
        -------------------------------------------

        Vlan    Mac Address       Type        Ports
        ----    -----------       --------    -----
           1    03bf.0a01.0164    STATIC      Gi0/2 Gi0/3
        Total Mac Addresses for this criterion: 1
        """)
    expectShow(net.showInterfacesCountersFlooding(sw), """
        Port           Forwarded        Flooded
        Gi0/1                  0              3
        Gi0/2                  5              3
        Gi0/3                  5              3
        Gi0/4                  0              3

        Frames forwarded from the MAC table: 5, flooded: 4, filtered: 0
        """)
}

//                     trunk                  access VLAN 10
//   R1 Gi0/0 ───────────────── Gi0/0 SW1 Gi0/1 ──────────── A 10.10.0.10/24
//   Gi0/0.10 10.10.0.1/24 (dot1Q 10)    Gi0/2 ──────────── B 10.20.0.10/24
//   Gi0/0.20 10.20.0.1/24 (dot1Q 20)         access VLAN 20
//                                       Gi0/3 ──────────── C 10.10.0.11/24 (VLAN 10)
func routerOnAStick(seed: UInt64 = 1, traced: Bool = false) -> (Network, r1: NodeID, sw: NodeID, a: NodeID, b: NodeID, c: NodeID) {
    let net = Network(seed: seed)
    net.traceEnabled = traced
    var sub10 = interface("GigabitEthernet0/0.10", "10.10.0.1/24")
    sub10.dot1QVLAN = 10
    var sub20 = interface("GigabitEthernet0/0.20", "10.20.0.1/24")
    sub20.dot1QVLAN = 20
    let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0"), sub10, sub20])
    var s = SwitchSettings(hostname: "SW1")
    s.vlans = [1: "default", 10: "USERS", 20: "SERVERS"]
    s.interfaces = [trunkPort("GigabitEthernet0/0"), accessPort("GigabitEthernet0/1", vlan: 10),
                    accessPort("GigabitEthernet0/2", vlan: 20), accessPort("GigabitEthernet0/3", vlan: 10)]
    let sw = net.addSwitch(s, physicalPorts: (0...7).map { "GigabitEthernet0/\($0)" })
    let a = net.addHost("A", "10.10.0.10/24", gateway: "10.10.0.1")
    let b = net.addHost("B", "10.20.0.10/24", gateway: "10.20.0.1")
    let c = net.addHost("C", "10.10.0.11/24", gateway: "10.10.0.1")
    net.cable(r1, "GigabitEthernet0/0", sw, "GigabitEthernet0/0")
    net.cable(a, "Ethernet0", sw, "GigabitEthernet0/1")
    net.cable(b, "Ethernet0", sw, "GigabitEthernet0/2")
    net.cable(c, "Ethernet0", sw, "GigabitEthernet0/3")
    net.start()
    net.run(until: at(1))
    return (net, r1, sw, a, b, c)
}

@Test func aRouterOnAStickRoutesBetweenTwoVLANsOverATrunk() {
    let (net, r1, sw, a, _, _) = routerOnAStick()
    expectShow(net.pingOutput(from: a, to: "10.20.0.10"), """
        Type escape sequence to abort.
        Sending 5, 100-byte ICMP Echos to 10.20.0.10, timeout is 2 seconds:
        !!!!!
        Success rate is 100 percent (5/5), round-trip min/avg/max = 8/9/16 ms
        """)
    expectShow(net.showVLANBrief(sw), """

        VLAN Name                             Status    Ports
        ---- -------------------------------- --------- -------------------------------
        1    default                          active    Gi0/4, Gi0/5, Gi0/6, Gi0/7
        10   USERS                            active    Gi0/1, Gi0/3
        20   SERVERS                          active    Gi0/2
        1002 fddi-default                     act/unsup
        1003 token-ring-default               act/unsup
        1004 fddinet-default                  act/unsup
        1005 trnet-default                    act/unsup
        """)
    expectShow(net.showMACAddressTable(sw), """
                  Mac Address Table
        -------------------------------------------

        Vlan    Mac Address       Type        Ports
        ----    -----------       --------    -----
          10    0050.7966.0200    DYNAMIC     Gi0/1
          10    0050.7966.0400    DYNAMIC     Gi0/3
          10    aabb.cc00.0000    DYNAMIC     Gi0/0
          20    0050.7966.0300    DYNAMIC     Gi0/2
          20    aabb.cc00.0000    DYNAMIC     Gi0/0
        Total Mac Addresses for this criterion: 5
        """)
    expectShow(net.showIPInterfaceBrief(r1), """
        Interface                  IP-Address      OK? Method Status                Protocol
        GigabitEthernet0/0         unassigned      YES unset  up                    up
        GigabitEthernet0/0.10      10.10.0.1       YES manual up                    up
        GigabitEthernet0/0.20      10.20.0.1       YES manual up                    up
        """)
    expectShow(net.showInterfaces(r1, name: "GigabitEthernet0/0.20"), """
        GigabitEthernet0/0.20 is up, line protocol is up
          Hardware is iGbE, address is aabb.cc00.0000 (bia aabb.cc00.0000)
          Internet address is 10.20.0.1/24
          MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,
             reliability 255/255, txload 1/255, rxload 1/255
          Encapsulation 802.1Q Virtual LAN, Vlan ID  20.
          ARP type: ARPA, ARP Timeout 04:00:00
          Keepalive set (10 sec)
          Last clearing of "show interface" counters never
        """)
    expectShow(net.showIPARP(r1), """
        Protocol  Address          Age (min)  Hardware Addr   Type   Interface
        Internet  10.10.0.1               -   aabb.cc00.0000  ARPA   GigabitEthernet0/0.10
        Internet  10.10.0.10              0   0050.7966.0200  ARPA   GigabitEthernet0/0.10
        Internet  10.20.0.1               -   aabb.cc00.0000  ARPA   GigabitEthernet0/0.20
        Internet  10.20.0.10              0   0050.7966.0300  ARPA   GigabitEthernet0/0.20
        """)
}

@Test func broadcastsAndUnknownUnicastStayInsideTheirVLAN() {
    let (net, _, sw, a, _, _) = routerOnAStick()
    let toB = net.port(of: sw, named: "GigabitEthernet0/2")!
    let before = net.ports[toB.index].outputPackets
    // A's ARP for C floods VLAN 10: the trunk (tagged) and Gi0/3, never B's VLAN 20 port.
    #expect(net.pingOutput(from: a, to: "10.10.0.11").contains("!!!!!"))
    #expect(net.ports[toB.index].outputPackets == before)
    // Gi0/3 saw the VLAN 10 floods only: the gratuitous ARPs of A and of R1 Gi0/0.10, and A's request for C.
    #expect(net.ports[net.port(of: sw, named: "GigabitEthernet0/3")!.index].outputFlooded == 3)
    expectShow(net.showInterfacesCounters(sw), """

        Port            InOctets    InUcastPkts    InMcastPkts    InBcastPkts
        Gi0/0                120              0              0              2
        Gi0/1                690              5              0              2
        Gi0/2                 60              0              0              1
        Gi0/3                690              6              0              1
        Gi0/4                  0              0              0              0
        Gi0/5                  0              0              0              0
        Gi0/6                  0              0              0              0
        Gi0/7                  0              0              0              0

        Port           OutOctets   OutUcastPkts   OutMcastPkts   OutBcastPkts
        Gi0/0                256              0              0              4
        Gi0/1                746              6              0              2
        Gi0/2                 56              0              0              1
        Gi0/3                746              5              0              3
        Gi0/4                  0              0              0              0
        Gi0/5                  0              0              0              0
        Gi0/6                  0              0              0              0
        Gi0/7                  0              0              0              0
        """)
}

/// Records the 802.1Q VLAN (nil: untagged) of every frame put on each link.
final class TagRecorder: FrameObserver {
    var tags: [LinkID: Set<UInt16>] = [:]
    var untagged: Set<LinkID> = []
    func frameTransmitted(on link: LinkID, from port: PortID, at time: SimTime, bytes: UnsafeRawBufferPointer) {
        if let v = FrameView.vlanID(bytes) { tags[link, default: []].insert(v) } else { untagged.insert(link) }
    }
}

@Test func framesAreTaggedOnTheTrunkAndUntaggedOnAccessPorts() {
    let (net, r1, sw, a, _, _) = routerOnAStick()
    let recorder = TagRecorder()
    net.observers.append(recorder)
    #expect(net.pingOutput(from: a, to: "10.20.0.10").contains("!!!!!"))
    let trunk = net.ports[net.port(of: r1, named: "GigabitEthernet0/0")!.index].link!
    let accessA = net.ports[net.port(of: sw, named: "GigabitEthernet0/1")!.index].link!
    let accessB = net.ports[net.port(of: sw, named: "GigabitEthernet0/2")!.index].link!
    #expect(recorder.tags[trunk] == [10, 20])
    #expect(!recorder.untagged.contains(trunk))
    #expect(recorder.tags[accessA] == nil && recorder.tags[accessB] == nil)
    #expect(recorder.untagged.isSuperset(of: [accessA, accessB]))
}
