import Engine
import FuzzSupport
import Lab

// Any bytes as a scenario file next to copies of the shipped topologies: parsed, its topology built,
// its flows resolved, then run for at most 20 ms of virtual time and 250,000 events.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = FuzzSupport.write(UnsafeRawBufferPointer(start: data, count: size), folder: "Scenarios", name: "input.yaml")
    do {
        var options = RunOptions()
        options.until = .milliseconds(20)
        let runner = try ScenarioRunner(try ScenarioFile.parse(path: path, displayName: "input.yaml"), options: options)
        // The runner reports progress after each chunk of at most 250,000 events: stop a storm there.
        runner.onProgress = { _, fired in fired < 100_000 }
        _ = try runner.run()
    } catch {
        FuzzSupport.expectLocated(error)
    }
    return 0
}
