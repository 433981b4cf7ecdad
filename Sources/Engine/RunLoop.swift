/// Something that events are delivered to: a lab's devices, or a benchmark.
public protocol EventHandler {
    associatedtype Payload
    /// Handles one event at `time`; may schedule more on `queue`.
    mutating func handle(_ payload: Payload, at time: SimTime, queue: inout EventQueue<Payload>)
}

/// Why a run stopped.
public enum RunStop: Equatable, Sendable {
    /// The next event lies beyond the time limit (virtual time advanced to the limit).
    case reachedTime
    /// No event is pending.
    case idle
    /// The step budget was used up.
    case stepLimit
}

/// Virtual time plus the pending events: the heart of a run.
///
/// Owned and passed in, never a singleton, so two labs can run side by side in one process.
public struct Simulator<Payload> {
    @usableFromInline var _now: SimTime = .zero
    public var now: SimTime { _now }
    public var queue: EventQueue<Payload>
    /// Events fired since the start.
    @usableFromInline var _eventsFired: UInt64 = 0
    public var eventsFired: UInt64 { _eventsFired }

    public init(reservingCapacity capacity: Int = 1024) {
        queue = EventQueue(reservingCapacity: capacity)
    }

    /// Schedules `payload` at `now + delay` (delays below zero count as zero).
    @inlinable
    public mutating func schedule(_ payload: Payload, after delay: SimDuration) {
        queue.schedule(payload, at: now + (delay.nanoseconds < 0 ? .zero : delay))
    }

    /// Schedules `payload` at an absolute time, no earlier than now.
    @inlinable
    public mutating func schedule(_ payload: Payload, at time: SimTime) {
        queue.schedule(payload, at: time < now ? now : time)
    }

    /// Pops the next event if one is due by `limit`, advancing `now` to its time; nil otherwise
    /// (then `now` is left where it was). For owners that dispatch events themselves.
    /// - Complexity: O(1) amortized.
    @inlinable
    public mutating func nextDue(until limit: SimTime) -> Payload? {
        guard let t = queue.nextTime(), t <= limit else { return nil }
        let event = queue.popNext().unsafelyUnwrapped
        _now = event.time
        _eventsFired &+= 1
        return event.payload
    }

    /// Moves `now` forward to `time` (never backward) once no event is due before it.
    @inlinable
    public mutating func advance(to time: SimTime) {
        if time != .distantFuture && now < time { _now = time }
    }

    /// Fires events in order until the next one lies after `limit`, nothing is pending, or `maxSteps`
    /// events have fired. On `.reachedTime` and `.idle` (with a finite limit) `now` ends at `limit`.
    @inlinable
    public mutating func run<H: EventHandler>(
        until limit: SimTime = .distantFuture, maxSteps: UInt64 = .max, handler: inout H
    ) -> RunStop where H.Payload == Payload {
        var steps: UInt64 = 0
        while true {
            if steps == maxSteps { return .stepLimit }
            guard let t = queue.nextTime() else {
                if limit != .distantFuture && now < limit { _now = limit }
                return .idle
            }
            if t > limit {
                if now < limit { _now = limit }
                return .reachedTime
            }
            let event = queue.popNext().unsafelyUnwrapped
            _now = event.time
            _eventsFired &+= 1
            steps &+= 1
            handler.handle(event.payload, at: now, queue: &queue)
        }
    }

    /// Fires exactly one event, if any is pending and due by `limit`; returns its time.
    @inlinable
    public mutating func step<H: EventHandler>(until limit: SimTime = .distantFuture, handler: inout H) -> SimTime?
    where H.Payload == Payload {
        guard let t = queue.nextTime(), t <= limit, let event = queue.popNext() else { return nil }
        _now = event.time
        _eventsFired &+= 1
        handler.handle(event.payload, at: now, queue: &queue)
        return t
    }
}
