import Engine
@testable import Fabric
import Testing
import Wire

/// Runs the router-on-a-stick lab with pings, a traceroute and a Poisson flow, and returns every
/// `show` output and the trace.
func recordedRun(seed: UInt64) -> (show: String, trace: [String]) {
    let (net, r1, sw, a, b, _) = routerOnAStick(seed: seed, traced: true)
    _ = net.ping(from: a, to: ip("10.20.0.10"))
    _ = net.traceroute(from: b, to: ip("10.10.0.11"))
    net.addFlow(FlowSpec(name: "poisson", source: a, destination: ip("10.20.0.10"),
                         pattern: .poisson(meanInterval: .milliseconds(3)), packetSize: 300, start: at(2), stop: at(4)))
    net.run(until: at(30))
    let show = [net.showIPRoute(r1), net.showIPARP(r1), net.showInterfaces(r1), net.showIPInterfaceBrief(r1),
                net.showMACAddressTable(sw), net.showVLANBrief(sw), net.showInterfacesCounters(sw),
                net.showInterfacesCountersFlooding(sw), net.showInterfaces(sw)].joined(separator: "\n")
    return (show, net.trace)
}

@Test func theSameNetworkAndSeedGiveIdenticalShowOutputAndTrace() {
    let first = recordedRun(seed: 42)
    let second = recordedRun(seed: 42)
    #expect(first.show == second.show)
    #expect(first.trace == second.trace)
    #expect(first.trace.count > 100)
}

@Test func aDifferentSeedChangesThePoissonArrivals() {
    #expect(recordedRun(seed: 42).trace != recordedRun(seed: 43).trace)
}

/// Stepping one event at a time (as the viewer and console will) reaches the same state as running.
@Test func steppingOneEventAtATimeMatchesRunning() {
    func lab() -> (Network, NodeID) {
        let net = Network(seed: 3)
        let r1 = net.addRouter("R1", [interface("GigabitEthernet0/0", "10.0.12.1/24")])
        let r2 = net.addRouter("R2", [interface("GigabitEthernet0/0", "10.0.12.2/24")])
        net.cable(r1, "GigabitEthernet0/0", r2, "GigabitEthernet0/0")
        net.traceEnabled = true
        net.start()
        _ = net.ping(from: r1, to: ip("10.0.12.2"))
        return (net, r1)
    }
    let (run, r1) = lab()
    run.run(until: at(12))
    let (stepped, _) = lab()
    var last = SimTime.zero
    var steps = 0
    while let t = stepped.step(until: at(12)) {
        #expect(t >= last)
        last = t
        steps += 1
    }
    #expect(steps == Int(stepped.sim.eventsFired))
    #expect(stepped.trace == run.trace)
    #expect(stepped.showIPARP(r1) == run.showIPARP(r1))
    #expect(stepped.output(of: ProbeHandle(node: r1, index: 0, isTraceroute: false)).text.contains("!!!!!"))
}
