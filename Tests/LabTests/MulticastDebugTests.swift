import Fabric
@testable import Lab
import Testing

/// `debug ip mpacket` is one of the fabric's switches (ios-behavior §8.4), listed under IP multicast.
@Test func debugIPMPacketTurnsOnTheFabricsMulticastPacketSwitch() throws {
    let path = LabFiles().write("topo.yaml", """
        nodes:
          R1:
            kind: router
            config: |
              interface Gi0/0
               ip address 10.0.12.1 255.255.255.0
               no shutdown
        """)
    let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
    #expect(try lab.show(device: "R1", command: "debug ip mpacket") == "IP multicast packets debugging is on")
    #expect(lab.network.isDebugging(lab.node("R1")!, .ipMPacket))
    #expect(try lab.show(device: "R1", command: "show debugging") == "IP multicast:\n  IP multicast packets debugging is on")
    #expect(try lab.show(device: "R1", command: "undebug ip mpacket") == "IP multicast packets debugging is off")
    #expect(!lab.network.isDebugging(lab.node("R1")!, .ipMPacket))
}
