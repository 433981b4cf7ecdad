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
