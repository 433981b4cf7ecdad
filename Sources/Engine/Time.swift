/// A point in virtual time: integer nanoseconds since the start of a run.
///
/// Time never comes from a clock; it advances only as the event queue fires events.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = SimTime(nanoseconds: 0)
    /// Later than every time a run can reach; "never" for timers and run limits.
    public static let distantFuture = SimTime(nanoseconds: .max)

    @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: SimTime, b: SimDuration) -> SimTime {
        // Saturate instead of trapping: "now + a very long timer" means never.
        let (sum, overflow) = a.nanoseconds.addingReportingOverflow(b.nanoseconds)
        return SimTime(nanoseconds: overflow ? (b.nanoseconds > 0 ? .max : .min) : sum)
    }
    @inlinable public static func - (a: SimTime, b: SimDuration) -> SimTime { a + SimDuration(nanoseconds: -b.nanoseconds) }
    @inlinable public static func - (a: SimTime, b: SimTime) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds &- b.nanoseconds)
    }
    @inlinable public static func += (a: inout SimTime, b: SimDuration) { a = a + b }

    /// Seconds with millisecond precision when exact, e.g. `12.5s`, `0.001s`, `3s`.
    public var description: String { SimDuration(nanoseconds: nanoseconds).description }
}

/// A span of virtual time in integer nanoseconds.
public struct SimDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = SimDuration(nanoseconds: 0)
    @inlinable public static func nanoseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n) }
    @inlinable public static func microseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000) }
    @inlinable public static func milliseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000) }
    @inlinable public static func seconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000_000) }

    @inlinable public static func < (a: SimDuration, b: SimDuration) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: SimDuration, b: SimDuration) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds + b.nanoseconds)
    }
    @inlinable public static func - (a: SimDuration, b: SimDuration) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds - b.nanoseconds)
    }
    @inlinable public static func * (a: SimDuration, b: Int64) -> SimDuration { SimDuration(nanoseconds: a.nanoseconds * b) }

    /// The duration as seconds, for reports only (never for scheduling).
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// Shortest exact form in the largest fitting unit: `2m`, `30s`, `1.5s`, `500ms`, `20us`, `7ns`.
    public var description: String {
        let n = nanoseconds
        if n == 0 { return "0s" }
        let sign = n < 0 ? "-" : ""
        let m = n.magnitude
        if m % 60_000_000_000 == 0 { return "\(sign)\(m / 60_000_000_000)m" }
        if m % 1_000_000_000 == 0 { return "\(sign)\(m / 1_000_000_000)s" }
        if m >= 1_000_000_000 { return sign + Self.decimal(m, unit: 1_000_000_000) + "s" }
        if m % 1_000_000 == 0 || m >= 1_000_000 { return sign + Self.decimal(m, unit: 1_000_000) + "ms" }
        if m % 1_000 == 0 || m >= 1_000 { return sign + Self.decimal(m, unit: 1_000) + "us" }
        return "\(sign)\(m)ns"
    }

    static func decimal(_ value: UInt64, unit: UInt64) -> String {
        let whole = value / unit
        var fraction = value % unit
        if fraction == 0 { return "\(whole)" }
        var digits = String(fraction)
        let width = String(unit - 1).count
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        fraction = 0
        return "\(whole).\(digits)"
    }
}
