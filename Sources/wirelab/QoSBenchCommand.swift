import ArgumentParser
import Bench
import CAllocCount
import Foundation

/// `wirelab bench qos`: steady-state enqueue+dequeue throughput of every queue discipline.
struct QoSBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qos",
        abstract: "Queue disciplines in steady state (one enqueue and one dequeue per packet, ~100 queued).")

    @Flag(help: "One machine-readable line per case.") var kv = false
    @Option(parsing: .upToNextOption, help: "Distinct flows (5-tuples).") var flows: [Int] = [16, 1_024]
    @Option(help: "Timed packets per case.") var packets = 10_000_000
    @Option(help: "Repetitions per case (the best is reported).") var repeats = 3
    @Option(parsing: .upToNextOption,
            help: "Schedulers to measure (\(QoSBenchmark.schedulers.joined(separator: ", "))).")
    var scheduler: [String] = QoSBenchmark.schedulers

    func validate() throws {
        for name in scheduler where !QoSBenchmark.schedulers.contains(name) {
            throw ValidationError("unknown scheduler '\(name)'; known: \(QoSBenchmark.schedulers.joined(separator: ", "))")
        }
        guard flows.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--flows must be at least 1") }
        guard packets >= 1 else { throw ValidationError("--packets must be at least 1") }
    }

    func run() throws {
        BenchSupport.warnIfDebug("qos")
        for name in scheduler {
            for f in flows {
                let r = BenchSupport.best(of: repeats, by: \.pps) {
                    QoSBenchmark.run(scheduler: name, flows: f, packets: packets, allocations: BenchSupport.allocationCounter)
                }
                let allocs = BenchSupport.allocations(r.allocationsPerPacket)
                if kv {
                    print("bench=qos scheduler=\(name) flows=\(f) pps=\(Int(r.pps)) "
                        + "ns_per_pkt=\(String(format: "%.2f", r.nsPerPacket)) allocs_per_pkt=\(allocs)")
                } else {
                    let label = name.padding(toLength: 6, withPad: " ", startingAt: 0)
                    print(label + String(format: "%5d flows: %7.2f Mpps, %6.2f ns/packet, %@ allocations/packet (%d packets, best of %d)",
                                         f, r.pps / 1e6, r.nsPerPacket, allocs as NSString, packets, repeats))
                }
            }
        }
    }
}
