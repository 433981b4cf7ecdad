import Engine

/// A line rate in bits per second.
public struct Bandwidth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var bitsPerSecond: Int64

    @inlinable public init(bitsPerSecond: Int64) { self.bitsPerSecond = bitsPerSecond }
    @inlinable public static func kbps(_ k: Int64) -> Bandwidth { Bandwidth(bitsPerSecond: k * 1_000) }
    @inlinable public static func mbps(_ m: Int64) -> Bandwidth { Bandwidth(bitsPerSecond: m * 1_000_000) }
    @inlinable public static func gbps(_ g: Int64) -> Bandwidth { Bandwidth(bitsPerSecond: g * 1_000_000_000) }

    /// IOS `bandwidth` units: kilobits per second, rounded down.
    @inlinable public var kilobitsPerSecond: Int64 { bitsPerSecond / 1_000 }

    /// How long `bytes` hold the line: bytes × 8 / rate, rounded up to whole nanoseconds.
    /// - Complexity: O(1)
    @inlinable
    public func transmissionTime(bytes: Int) -> SimDuration {
        let bits = Int64(bytes) * 8
        // bits * 1e9 overflows Int64 only past ~1.1 GB in one frame; use 128-bit math to be safe.
        let (high, low) = bits.multipliedFullWidth(by: 1_000_000_000)
        let (q, r) = bitsPerSecond.dividingFullWidth((high, low))
        return SimDuration(nanoseconds: r > 0 ? q + 1 : q)
    }

    @inlinable public static func < (a: Bandwidth, b: Bandwidth) -> Bool { a.bitsPerSecond < b.bitsPerSecond }

    /// As IOS prints it in `show interfaces`: `BW 1544 Kbit/sec`.
    public var description: String { "\(kilobitsPerSecond) Kbit/sec" }
}
