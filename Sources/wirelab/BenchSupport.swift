import CAllocCount

/// What every `wirelab bench` command shares: the debug-build warning, the allocation counter, best of N.
enum BenchSupport {
    /// Warns when the binary is a debug build (benchmark figures are meant for release builds).
    static func warnIfDebug(_ command: String) {
        #if DEBUG
        writeError("warning: this is a debug build; benchmark with `swift run -c release wirelab bench \(command)`")
        #endif
    }

    /// The process-wide allocation counter, or nil when allocations are not being counted (checked by
    /// allocating once and seeing the count move).
    static var allocationCounter: (() -> UInt64)? {
        let before = wirelab_allocation_count()
        _ = [UInt8](repeating: 1, count: 64 + Int(before % 7))
        guard wirelab_allocation_count() > before else { return nil }
        return { wirelab_allocation_count() }
    }

    /// Runs `measure` `repeats` times (at least once) and keeps the run with the highest `rate`.
    static func best<R>(of repeats: Int, by rate: (R) -> Double, _ measure: () -> R) -> R {
        var best = measure()
        for _ in 1..<max(1, repeats) {
            let r = measure()
            if rate(r) > rate(best) { best = r }
        }
        return best
    }

    /// `0.0000`, or `n/a` when allocations were not counted.
    static func allocations(_ perUnit: Double) -> String { perUnit.isNaN ? "n/a" : String(format: "%.4f", perUnit) }
}
