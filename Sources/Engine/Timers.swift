/// Names one timer in a `TimerTable`.
public struct TimerID: Hashable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
}

/// Timers that protocols arm, re-arm and cancel cheaply, with lazy cancellation by generation.
///
/// Arming bumps the timer's generation and returns it; the owner schedules an event carrying
/// (timer, generation). Cancelling or re-arming bumps the generation again, so the event already
/// in the queue is recognised as stale when it fires and ignored: nothing is searched for or
/// removed from the event queue.
public struct TimerTable: Sendable {
    @usableFromInline var generations: [UInt32] = []
    @usableFromInline var deadlines: [SimTime] = []

    public init() {}

    /// A new timer, disarmed.
    public mutating func makeTimer() -> TimerID {
        generations.append(0)
        deadlines.append(.distantFuture)
        return TimerID(UInt32(generations.count - 1))
    }

    /// Arms (or re-arms) `timer` for `time`; schedule an event carrying the returned generation.
    /// - Complexity: O(1)
    @inlinable
    public mutating func arm(_ timer: TimerID, at time: SimTime) -> UInt32 {
        let i = Int(timer.rawValue)
        generations[i] &+= 1
        deadlines[i] = time
        return generations[i]
    }

    /// Cancels `timer`; its pending event, if any, becomes stale.
    /// - Complexity: O(1)
    @inlinable
    public mutating func cancel(_ timer: TimerID) {
        let i = Int(timer.rawValue)
        generations[i] &+= 1
        deadlines[i] = .distantFuture
    }

    /// True when `timer` is armed and the event with `generation` is the one that should fire.
    /// A current expiry disarms the timer.
    @inlinable
    public mutating func expire(_ timer: TimerID, generation: UInt32) -> Bool {
        let i = Int(timer.rawValue)
        guard generations[i] == generation, deadlines[i] != .distantFuture else { return false }
        deadlines[i] = .distantFuture
        return true
    }

    /// When `timer` fires next, or nil when it is disarmed.
    public func deadline(of timer: TimerID) -> SimTime? {
        let d = deadlines[Int(timer.rawValue)]
        return d == .distantFuture ? nil : d
    }

    public func isArmed(_ timer: TimerID) -> Bool { deadlines[Int(timer.rawValue)] != .distantFuture }
}
