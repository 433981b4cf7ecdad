import Engine

/// One measured case of the engine benchmark.
public struct EngineBenchResult: Sendable {
    public var pending: Int
    public var events: Int
    public var seconds: Double
    public var eventsPerSecond: Double
    public var allocationsPerEvent: Double
    /// Sum over fired event times, so the optimizer cannot drop the work; also a correctness check.
    public var checksum: UInt64
}

/// The classic hold model: a constant population of P pending events; each executed event
/// schedules one more at now + d, with d drawn from a table of exponential delays built in advance
/// (mean 1 ms, seeded), so the timed loop does nothing but queue work.
public enum EngineBenchmark {
    struct Hold: EventHandler {
        var delays: [SimDuration]
        var cursor = 0
        var checksum: UInt64 = 0
        var previous: SimTime = .zero
        var ordered = true

        mutating func handle(_ payload: UInt32, at time: SimTime, queue: inout EventQueue<UInt32>) {
            if time < previous { ordered = false }
            previous = time
            checksum &+= UInt64(truncatingIfNeeded: time.nanoseconds) &+ UInt64(payload)
            let d = delays[cursor]
            cursor = cursor + 1 == delays.count ? 0 : cursor + 1
            queue.schedule(payload, at: time + d)
        }
    }

    /// Runs `events` events with `pending` events always queued. `allocations` reads a process-wide
    /// allocation counter (nil when none is linked in).
    public static func holdModel(pending: Int, events: Int, seed: UInt64 = 1,
                                 allocations: (() -> UInt64)? = nil) -> EngineBenchResult {
        var random = RandomStream(seed: seed, label: "bench-engine")
        var delays: [SimDuration] = []
        delays.reserveCapacity(1 << 16)
        for _ in 0..<(1 << 16) { delays.append(random.exponential(mean: .milliseconds(1)) + .nanoseconds(1)) }
        var sim = Simulator<UInt32>(reservingCapacity: pending)
        var hold = Hold(delays: delays)
        for i in 0..<pending {
            sim.schedule(UInt32(truncatingIfNeeded: i), after: delays[(i &* 7919) & 0xFFFF])
        }
        // Warm-up: let the queue reach its steady shape before timing.
        _ = sim.run(maxSteps: UInt64(min(events, pending * 4)), handler: &hold)
        let allocationsBefore = allocations?() ?? 0
        let clock = ContinuousClock()
        let start = clock.now
        _ = sim.run(maxSteps: UInt64(events), handler: &hold)
        let elapsed = clock.now - start
        let allocationsAfter = allocations?() ?? 0
        precondition(hold.ordered, "events fired out of order")
        precondition(sim.queue.count == pending, "the hold model lost or gained events")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return EngineBenchResult(
            pending: pending, events: events, seconds: seconds,
            eventsPerSecond: Double(events) / seconds,
            allocationsPerEvent: allocations == nil ? .nan : Double(allocationsAfter &- allocationsBefore) / Double(events),
            checksum: hold.checksum)
    }
}
