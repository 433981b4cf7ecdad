import Engine
@testable import Fabric
import Testing
import Wire

//              A 10.1.1.1
//              | Gi0/1
//             SW1
//      Gi0/2 /   \ Gi0/3
//    Gi0/2  /     \  Gi0/2          no spanning tree: a loop
//         SW2 ----- SW3
//          | Gi0/3 Gi0/3 |
//    Gi0/1 |             | Gi0/1
//          B             C           10 Mbit/s links keep the storm cheap
func triangle(bandwidth: Bandwidth = .mbps(10)) -> (Network, switches: [NodeID]) {
    let net = Network(seed: 1)
    var switches: [NodeID] = []
    for name in ["SW1", "SW2", "SW3"] {
        var s = SwitchSettings(hostname: name)
        s.interfaces = (1...3).map { accessPort("GigabitEthernet0/\($0)", vlan: 1) }
        switches.append(net.addSwitch(s, physicalPorts: (1...3).map { "GigabitEthernet0/\($0)" }))
    }
    let hosts = [net.addHost("A", "10.1.1.1/24"), net.addHost("B", "10.1.1.2/24"), net.addHost("C", "10.1.1.3/24")]
    let d = SimDuration.microseconds(10)
    for (h, sw) in zip(hosts, switches) { net.cable(h, "Ethernet0", sw, "GigabitEthernet0/1", bandwidth: bandwidth, delay: d) }
    net.cable(switches[0], "GigabitEthernet0/2", switches[1], "GigabitEthernet0/2", bandwidth: bandwidth, delay: d)
    net.cable(switches[0], "GigabitEthernet0/3", switches[2], "GigabitEthernet0/2", bandwidth: bandwidth, delay: d)
    net.cable(switches[1], "GigabitEthernet0/3", switches[2], "GigabitEthernet0/3", bandwidth: bandwidth, delay: d)
    net.start()
    return (net, switches)
}

@Test func aBroadcastStormInATriangleIsDetectedWithinTwoSeconds() {
    let (net, switches) = triangle()
    // A's ARP request for B loops forever.
    _ = net.ping(from: net.node(named: "A")!, to: ip("10.1.1.2"), count: 1)
    net.run(until: at(2))
    let storms = net.stormEpisodes()
    #expect(storms.map(\.device) == ["SW1", "SW2", "SW3"])
    for storm in storms {
        #expect(storm.vlan == 1 && storm.type == .broadcast && storm.end == nil)
        #expect(storm.start <= at(1))
        #expect(storm.peakPacketsPerSecond >= L2Switch.stormMinimumPPS)
        #expect(storm.peakPercent >= L2Switch.stormMinimumPercent)
    }
    let log = net.logRecords(of: switches[0]).map(\.text)
    #expect(log.contains { $0.hasPrefix("%SW-4-STORM: Broadcast storm detected in vlan 1: ") })
    #expect(log.filter { $0.hasPrefix("%SW-4-STORM:") }.count == 1, "logged once per episode")
    #expect(log.contains { $0.hasPrefix("%SW_MATM-4-MACFLAP_NOTIF: Host 0050.7966.") && $0.contains(" in vlan 1 is flapping between port Gi0/") })
    let flaps = log.filter { $0.hasPrefix("%SW_MATM-4-MACFLAP_NOTIF") }.count
    #expect(flaps <= 3, "rate-limited to one a second")
}

@Test func aLoopFreeSwitchedLabHasNoStorm() {
    let (net, sw, a, b, c) = threeHostsOnASwitch()
    #expect(net.pingOutput(from: a, to: "10.1.1.2").contains("!!!!!"))
    #expect(net.pingOutput(from: c, to: "10.1.1.1").contains("!!!!!"))
    _ = b
    net.run(until: net.now + .seconds(3))
    #expect(net.stormEpisodes().isEmpty)
    #expect(!net.logRecords(of: sw).contains { $0.text.contains("STORM") || $0.text.contains("MACFLAP") })
}

/// One switch with one host port under `storm-control broadcast level pps RISING FALLING`.
func stormControlledSwitch(_ level: StormControlLevel, shutdown: Bool = false) -> (Network, L2Switch) {
    let net = Network(seed: 1)
    var s = SwitchSettings(hostname: "SW1")
    var port = accessPort("GigabitEthernet0/1", vlan: 1)
    port.stormControl[.broadcast] = level
    port.stormControl.shutdown = shutdown
    s.interfaces = [port, accessPort("GigabitEthernet0/2", vlan: 1)]
    let sw = net.addSwitch(s, physicalPorts: ["GigabitEthernet0/1", "GigabitEthernet0/2"])
    let a = net.addHost("A", "10.1.1.1/24")
    let b = net.addHost("B", "10.1.1.2/24")
    net.cable(a, "Ethernet0", sw, "GigabitEthernet0/1")
    net.cable(b, "Ethernet0", sw, "GigabitEthernet0/2")
    net.start()
    return (net, net.l2switch(sw)!)
}

extension L2Switch {
    /// Offers `count` broadcast frames on the first port now; how many storm control let through.
    func offerBroadcasts(_ count: Int, network: Network) -> Int {
        (0..<count).filter { _ in stormControlAdmits(.broadcast, bytes: 64, local: 0, network: network) }.count
    }
}

// Catalyst IOS: over the rising level the type is blocked; it forwards again only after an interval
// whose rate is below the falling level.
@Test func stormControlBlocksOverTheRisingLevelUntilAnIntervalFallsBelowTheFallingLevel() {
    let (net, sw) = stormControlledSwitch(StormControlLevel(unit: .packetsPerSecond, rising: 10, falling: 5))
    net.run(until: at(1) + .milliseconds(100))
    #expect(sw.offerBroadcasts(10, network: net) == 10)      // up to the level passes
    #expect(sw.offerBroadcasts(5, network: net) == 0)        // over it: blocking
    let filtered = net.logRecords(of: sw.id).filter { $0.text.hasPrefix("%STORM_CONTROL-3-FILTERED") }
    #expect(filtered.map(\.text) == ["%STORM_CONTROL-3-FILTERED: A packet storm was detected on Gi0/1. "
                                     + "A packet filter action has been applied on the interface."])
    net.run(until: at(2) + .milliseconds(100))
    #expect(sw.offerBroadcasts(6, network: net) == 0)        // 15 pps last second: still blocking
    net.run(until: at(3) + .milliseconds(100))
    #expect(sw.offerBroadcasts(4, network: net) == 0)        // 6 pps is not below 5: still blocking
    net.run(until: at(4) + .milliseconds(100))
    #expect(sw.offerBroadcasts(3, network: net) == 3)        // 4 pps was below 5: forwarding
    #expect(sw.stormControlStatus(sw.portIDs[0], type: .broadcast, network: net)?.state == .forwarding)
    // Other types are not filtered.
    #expect(sw.stormControlAdmits(.multicast, bytes: 64, local: 0, network: net))
}

@Test func anIdleIntervalEndsTheBlocking() {
    let (net, sw) = stormControlledSwitch(StormControlLevel(unit: .packetsPerSecond, rising: 2))
    net.run(until: at(1))
    #expect(sw.offerBroadcasts(5, network: net) == 2)
    net.run(until: at(3) + .milliseconds(500))                // [1,2) measured 5, [2,3) idle
    #expect(sw.offerBroadcasts(2, network: net) == 2)
}

@Test func stormControlWithActionShutdownErrDisablesThePortUntilShutNoShut() {
    let (net, sw) = stormControlledSwitch(StormControlLevel(unit: .packetsPerSecond, rising: 3), shutdown: true)
    net.run(until: at(1))
    #expect(sw.offerBroadcasts(4, network: net) == 3)
    let port = net.ports[sw.portIDs[0].index]
    #expect(port.errDisabled && !port.lineProtocolUp)
    let log = net.logRecords(of: sw.id).map(\.text)
    #expect(log.contains("%PM-4-ERR_DISABLE: storm-control error detected on Gi0/1, putting Gi0/1 in err-disable state"))
    #expect(log.last == "%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/1, changed state to down")
    #expect(net.showInterfaces(sw.id, name: "Gi0/1").hasPrefix(
        "GigabitEthernet0/1 is down, line protocol is down (err-disabled)"))
    // `no shutdown` alone does not help: the port was never shut.
    net.reconfigure(sw.id, with: sw.settings)
    #expect(port.errDisabled)
    var settings = sw.settings
    settings.interfaces[0].shutdownCount += 1                // `shutdown`, then `no shutdown`
    net.reconfigure(sw.id, with: settings)
    #expect(!port.errDisabled && port.lineProtocolUp)
}

@Test func showStormControlPrintsLevelsAndTheLastIntervalAsCatalystIOSDoes() {
    let (net, sw) = stormControlledSwitch(StormControlLevel(unit: .percent, rising: 1, falling: 0.5))
    var settings = sw.settings
    settings.interfaces[1].stormControl[.broadcast] = StormControlLevel(unit: .bitsPerSecond, rising: 10e6, falling: 2.5e6)
    settings.interfaces[1].stormControl[.multicast] = StormControlLevel(unit: .packetsPerSecond, rising: 1500)
    net.reconfigure(sw.id, with: settings)
    net.run(until: at(1))
    // 1% of 1 Gbit/s is 1.25 MB a second: 20,000 frames of 64 bytes pass, the rest are blocked.
    #expect(sw.offerBroadcasts(25_000, network: net) == 19_531)
    net.run(until: at(2))
    expectShow(net.showStormControl(sw.id), """
        Interface  Filter State   Upper        Lower        Current
        ---------  -------------  -----------  -----------  ----------
        Gi0/1      Blocking             1.00%        0.50%        1.28%
        Gi0/2      Forwarding         10m bps     2.5m bps        0 bps
        """)
    expectShow(net.showStormControl(sw.id, interface: "Gi0/2", type: .multicast), """
        Interface  Filter State   Upper        Lower        Current
        ---------  -------------  -----------  -----------  ----------
        Gi0/2      Forwarding        1.5k pps     1.5k pps        0 pps
        """)
    expectShow(net.showStormControl(sw.id, type: .unicast), """
        Interface  Filter State   Upper        Lower        Current
        ---------  -------------  -----------  -----------  ----------
        Gi0/1      Inactive           100.00%      100.00%        0.00%
        Gi0/2      Inactive           100.00%      100.00%        0.00%
        """)
}
