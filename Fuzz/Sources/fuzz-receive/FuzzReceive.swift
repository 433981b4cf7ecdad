import Engine
import Fabric
import FuzzSupport
import Lab

let topology = FuzzSupport.topology(FuzzLabs.receiveTopology, name: "fuzz-receive.yaml")
let feeders = ["FEED1", "FEED2", "FEED3", "FEED4"]

// The bytes as a frame arriving at a router's routed port and dot1Q trunk and at a switch's access
// port and trunk (each feeder host puts it on its link), as given and with checksums fixed; the
// engine runs 20 ms between rounds, so the second round meets learned MACs and ARP entries.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReceive(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    // The longest frame a 1500-byte link carries (18 bytes of Ethernet and 802.1Q).
    let input = [UInt8](UnsafeBufferPointer(start: data, count: min(size, 1518)))
    let lab = try! Lab.build(topology)
    let network = lab.network
    for frame in [input, FuzzSupport.withFixedChecksums(input), input] {
        for name in feeders {
            let port = network.ports(of: lab.node(name)!).first!.id
            let handle = network.frames.allocate(length: frame.count)
            network.frames.withMutableBytes(handle) { buffer in buffer.copyBytes(from: frame) }
            network.transmit(handle, on: port)
        }
        FuzzSupport.runBriefly(network, for: .milliseconds(20))
    }
    return 0
}
