import Bench
import CAllocCount
for p in [1000, 100_000] {
    for _ in 0..<(CommandLine.arguments.count > 2 ? 1 : 3) {
    let r = EngineBenchmark.holdModel(pending: p, events: Int(CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "10000000")!, allocations: { wirelab_allocation_count() })
    print("bench=engine pending=\(p) events_per_s=\(Int(r.eventsPerSecond)) allocs_per_event=\(r.allocationsPerEvent)")
    }
}
