import Engine
import Foundation
import FuzzSupport
import IOSConfig
import Lab

let base = FuzzSupport.topology(FuzzLabs.configTopology, name: "fuzz-config.yaml")
let registry = DeviceCommands.registry()

// Any text as IOS configuration: parsed as a router's and a switch's startup config; appended to R1's
// startup config and built into a lab; then applied to the running R1 and SW1 as a scenario's config
// event would be, and the lab run for 5 ms.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    for kind in [DeviceKind.router, .l2switch] {
        var configuration = DeviceConfiguration(kind: kind, hostname: "D")
        let result = registry.apply(ConfigSource(file: "config.txt", text: text), to: &configuration)
        for d in result.diagnostics { precondition(d.line > 0 && d.column >= 0, "diagnostic without a location: \(d)") }
    }
    var topology = base
    let r1 = topology.nodes.firstIndex { $0.name == "R1" }!
    topology.nodes[r1].config!.text += "\n" + text
    let lab: Lab
    do {
        lab = try Lab.build(topology)
    } catch {
        FuzzSupport.expectLocated(error)
        return 0
    }
    FuzzSupport.runBriefly(lab.network, for: .milliseconds(1))
    let lines = text.components(separatedBy: "\n")
    for device in ["SW1", "R1"] {
        do {
            try lab.applyConfig(to: device, lines: lines, file: "event.yaml", line: 7)
        } catch {
            FuzzSupport.expectLocated(error)
        }
    }
    FuzzSupport.runBriefly(lab.network, for: .milliseconds(5))
    return 0
}
