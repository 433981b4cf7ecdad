import Testing
@testable import Engine

@Suite struct EventQueueTests {
    @Test func eventsFireInTimeOrder() {
        var q = EventQueue<Int>()
        for (i, t) in [50, 10, 40, 20, 30].enumerated() { q.schedule(i, at: SimTime(nanoseconds: Int64(t))) }
        var times: [Int64] = []
        while let e = q.popNext() { times.append(e.time.nanoseconds) }
        #expect(times == [10, 20, 30, 40, 50])
    }

    @Test func simultaneousEventsFireInSchedulingOrder() {
        var q = EventQueue<Int>()
        for i in 0..<100 { q.schedule(i, at: SimTime(nanoseconds: 7)) }
        q.schedule(-1, at: SimTime(nanoseconds: 3))
        var order: [Int] = []
        while let e = q.popNext() { order.append(e.payload) }
        #expect(order == [-1] + Array(0..<100))
    }

    @Test func eventScheduledAtTheCurrentTimeFiresAfterThoseAlreadyDue() {
        var q = EventQueue<String>()
        q.schedule("a", at: SimTime(nanoseconds: 100))
        q.schedule("b", at: SimTime(nanoseconds: 100))
        let first = q.popNext()
        q.schedule("c", at: SimTime(nanoseconds: 100))  // scheduled while "b" is pending at the same time
        #expect(first?.payload == "a")
        #expect(q.popNext()?.payload == "b")
        #expect(q.popNext()?.payload == "c")
        #expect(q.popNext() == nil)
    }

    /// Cross-checks the ladder queue against a sort of the same (time, sequence) keys, over seeds and
    /// delay shapes that exercise the open bucket, the rung, the top and rebuilds.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func matchesAReferenceOrderUnderRandomInterleaving(seed: UInt64) {
        var random = RandomStream(seed: seed)
        var q = EventQueue<UInt64>()
        var reference: [(Int64, UInt64)] = []
        var now: Int64 = 0
        var sequence: UInt64 = 0
        var popped: [(Int64, UInt64)] = []
        for step in 0..<20_000 {
            let burst = random.next(below: 3)
            for _ in 0...burst {
                let shape = random.next(below: 4)
                let delay: Int64 = switch shape {
                case 0: 0
                case 1: Int64(random.next(below: 10))
                case 2: Int64(random.next(below: 1_000_000))
                default: Int64(random.next(below: 1_000_000_000_000))
                }
                q.schedule(sequence, at: SimTime(nanoseconds: now + delay))
                reference.append((now + delay, sequence))
                sequence += 1
            }
            if step % 3 != 0, let e = q.popNext() {
                #expect(e.time.nanoseconds >= now, "seed \(seed)")
                now = e.time.nanoseconds
                popped.append((e.time.nanoseconds, e.payload))
            }
        }
        while let e = q.popNext() { popped.append((e.time.nanoseconds, e.payload)) }
        reference.sort { $0 < $1 }
        #expect(popped.count == reference.count, "seed \(seed)")
        #expect(popped.elementsEqual(reference, by: { $0 == $1 }), "seed \(seed)")
    }

    @Test func peekingThenSchedulingEarlierStillFiresInOrder() {
        var q = EventQueue<Int>()
        q.schedule(1, at: SimTime(nanoseconds: 1_000_000))
        #expect(q.nextTime() == SimTime(nanoseconds: 1_000_000))  // opens a bucket
        q.schedule(0, at: SimTime(nanoseconds: 5))
        #expect(q.popNext()?.payload == 0)
        #expect(q.popNext()?.payload == 1)
    }
}

@Suite struct SimulatorTests {
    struct Recorder: EventHandler {
        var fired: [(SimTime, Int)] = []
        var rescheduleEvery: SimDuration? = nil
        mutating func handle(_ payload: Int, at time: SimTime, queue: inout EventQueue<Int>) {
            fired.append((time, payload))
            if let d = rescheduleEvery { queue.schedule(payload, at: time + d) }
        }
    }

    @Test func runUntilStopsAtTheLimitAndAdvancesTime() {
        var sim = Simulator<Int>()
        var rec = Recorder(rescheduleEvery: .seconds(1))
        sim.schedule(7, after: .seconds(1))
        let stop = sim.run(until: SimTime.zero + .milliseconds(3500), handler: &rec)
        #expect(stop == .reachedTime)
        #expect(rec.fired.map(\.0) == [1, 2, 3].map { SimTime.zero + .seconds($0) })
        #expect(sim.now == SimTime.zero + .milliseconds(3500))
    }

    @Test func runUntilIdleReportsIdle() {
        var sim = Simulator<Int>()
        var rec = Recorder()
        sim.schedule(1, after: .milliseconds(5))
        #expect(sim.run(handler: &rec) == .idle)
        #expect(sim.now == SimTime.zero + .milliseconds(5))
    }

    @Test func stepFiresOneEventAtATime() {
        var sim = Simulator<Int>()
        var rec = Recorder()
        sim.schedule(1, after: .milliseconds(1))
        sim.schedule(2, after: .milliseconds(2))
        #expect(sim.step(handler: &rec) == SimTime.zero + .milliseconds(1))
        #expect(rec.fired.count == 1)
        #expect(sim.step(handler: &rec) == SimTime.zero + .milliseconds(2))
        #expect(sim.step(handler: &rec) == nil)
    }

    @Test func schedulingInThePastIsClampedToNow() {
        var sim = Simulator<Int>()
        var rec = Recorder()
        sim.schedule(1, after: .seconds(2))
        _ = sim.run(handler: &rec)
        sim.schedule(2, at: .zero)
        _ = sim.run(handler: &rec)
        #expect(rec.fired.last?.0 == SimTime.zero + .seconds(2))
    }
}

@Suite struct TimerTableTests {
    @Test func cancelledTimerEventIsStale() {
        var timers = TimerTable()
        let t = timers.makeTimer()
        let g = timers.arm(t, at: SimTime(nanoseconds: 10))
        timers.cancel(t)
        let fired = timers.expire(t, generation: g)
        #expect(!fired)
        #expect(!timers.isArmed(t))
    }

    @Test func rearmedTimerIgnoresTheEarlierExpiry() {
        var timers = TimerTable()
        let t = timers.makeTimer()
        let first = timers.arm(t, at: SimTime(nanoseconds: 10))
        let second = timers.arm(t, at: SimTime(nanoseconds: 20))
        let stale = timers.expire(t, generation: first)
        #expect(!stale)
        #expect(timers.deadline(of: t) == SimTime(nanoseconds: 20))
        let current = timers.expire(t, generation: second)
        #expect(current)
        #expect(!timers.isArmed(t))
        let again = timers.expire(t, generation: second)
        #expect(!again, "a timer fires once per arming")
    }
}

@Suite struct RandomStreamTests {
    @Test func sameSeedAndLabelGiveTheSameDraws() {
        var a = RandomStream(seed: 42, label: "host:PC1")
        var b = RandomStream(seed: 42, label: "host:PC1")
        for _ in 0..<100 { #expect(a.next() == b.next()) }
    }

    @Test func differentLabelsGiveIndependentStreams() {
        var a = RandomStream(seed: 42, label: "host:PC1")
        var b = RandomStream(seed: 42, label: "host:PC2")
        #expect((0..<8).map { _ in a.next() } != (0..<8).map { _ in b.next() })
    }

    @Test func stableHashIsFNV1a() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (reference value from the FNV authors).
        #expect(RandomStream.stableHash("a") == 0xAF63_DC4C_8601_EC8C)
    }

    @Test func boundedDrawsStayInRange() {
        var r = RandomStream(seed: 9)
        for bound in [1, 2, 3, 10, 1000] as [UInt64] {
            for _ in 0..<1000 { #expect(r.next(below: bound) < bound) }
        }
    }

    @Test func exponentialMeanIsClose() {
        var r = RandomStream(seed: 3)
        var total: Int64 = 0
        for _ in 0..<100_000 { total += r.exponential(mean: .microseconds(100)).nanoseconds }
        let mean = Double(total) / 100_000
        #expect(abs(mean - 100_000) < 2_000)
    }
}

@Suite struct TimeTests {
    @Test(arguments: [
        (SimDuration.seconds(120), "2m"), (.seconds(30), "30s"), (.milliseconds(1500), "1.5s"),
        (.milliseconds(500), "500ms"), (.microseconds(20), "20us"), (.nanoseconds(7), "7ns"), (.zero, "0s"),
    ])
    func durationsPrintInTheirLargestExactUnit(d: SimDuration, text: String) {
        #expect(d.description == text)
    }

    @Test func addingPastTheEndOfTimeSaturates() {
        #expect(SimTime(nanoseconds: .max - 1) + .seconds(1) == .distantFuture)
    }
}
