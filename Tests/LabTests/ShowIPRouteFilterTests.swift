import Foundation
import Engine
@testable import Lab
import Protocols
import Testing

/// `show ip route ospf|connected|static`: the routes of those owners, under headers that still count every
/// subnet of the network (IOS).
@Suite struct ShowIPRouteFilterTests {
    @Test func eachFilterKeepsItsOwnersRoutes() throws {
        let path = LabFiles().write("topo.yaml", OSPFLabTests.chain)
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [OSPFModule.self])
        while lab.network.now < .zero + .seconds(60) { _ = lab.network.run(until: .zero + .seconds(60), maxEvents: 1_000_000) }
        let ospf = try lab.show(device: "R1", command: "show ip route ospf")
        #expect(ospf.contains("O        10.0.23.0/30 [110/128] via 10.0.12.2"), "\(ospf)")
        #expect(ospf.contains("Gateway of last resort is not set"))
        #expect(!ospf.contains("C        10.0.12.0/30"), "no connected routes: \(ospf)")
        #expect(ospf.contains("10.0.0.0/8 is variably subnetted, 3 subnets, 2 masks"), "the header counts them all: \(ospf)")
        #expect(try lab.show(device: "R1", command: "show ip route ospf 1") == ospf)
        #expect(!(try lab.show(device: "R1", command: "show ip route ospf 2")).contains("O    "))
        let connected = try lab.show(device: "R1", command: "sh ip ro conn")
        #expect(connected.contains("C        10.0.12.0/30 is directly connected, Serial0/0"), "\(connected)")
        #expect(connected.contains("L        10.0.12.1/32 is directly connected, Serial0/0"))
        #expect(!connected.contains("O    "))
        #expect(!(try lab.show(device: "R1", command: "show ip route static")).contains("10.0."))
    }
}
