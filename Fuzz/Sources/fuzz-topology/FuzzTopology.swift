import Engine
import FuzzSupport
import Lab

// Any bytes as a topology file: parsed and built into a lab, then run for 2 ms of virtual time.
// Bad input must come back as located errors, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTopology(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = FuzzSupport.write(UnsafeRawBufferPointer(start: data, count: size), folder: "Topologies", name: "input.yaml")
    do {
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "input.yaml"))
        FuzzSupport.runBriefly(lab.network, for: .milliseconds(2))
    } catch {
        FuzzSupport.expectLocated(error)
    }
    return 0
}
