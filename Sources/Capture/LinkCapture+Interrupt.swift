#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import Fabric
import Synchronization

// MARK: - Stopping a run on Ctrl-C or SIGTERM with complete capture files

/// The signal that asked the run to stop, or 0. Written by the signal handler: a lock-free atomic store is
/// async-signal-safe, where closing files or touching Swift objects from a handler is not.
private let requestedStopSignal = Atomic<Int32>(0)

/// First SIGINT/SIGTERM: record it for the run loop to see. A second one while the first is still
/// pending: the default action (kill), for a run loop that never polls.
private func stopSignalHandler(_ number: Int32) {
    if !requestedStopSignal.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
        _ = signal(number, SIG_DFL)
        _ = raise(number)
    }
}

extension LinkCapture {
    /// Makes SIGINT (Ctrl-C) and SIGTERM set `stopRequested` instead of killing the process.
    ///
    /// The simulation runs on one thread and libpcap writes through stdio, so a file can only be finished
    /// between two frames: the handler just sets an atomic flag, and the caller's run loop polls it.
    /// How a command line uses it:
    ///
    /// ```swift
    /// LinkCapture.installInterruptHandler()
    /// let capture = try LinkCapture(network: network, directory: "captures")
    /// guard let stop = LinkCapture.run(network, until: end) else {   // nil: interrupted
    ///     capture.close()                         // files end on a whole frame
    ///     exit(LinkCapture.interruptExitStatus)   // 130 for Ctrl-C, 143 for SIGTERM
    /// }
    /// ```
    ///
    /// A loop of its own must call `network.run(until:maxEvents:)` in bounded chunks and check
    /// `stopRequested` between them. A second signal while a stop is pending kills the process
    /// (frames still in stdio buffers are then lost).
    public static func installInterruptHandler() {
        _ = requestedStopSignal.load(ordering: .relaxed)  // initialize the global before a handler can run
        _ = signal(SIGINT, stopSignalHandler)
        _ = signal(SIGTERM, stopSignalHandler)
    }

    /// Gives SIGINT and SIGTERM back their default action.
    public static func removeInterruptHandler() {
        _ = signal(SIGINT, SIG_DFL)
        _ = signal(SIGTERM, SIG_DFL)
    }

    /// True once SIGINT or SIGTERM arrived (or `requestStop` was called): the run loop should stop,
    /// close its captures and exit with `interruptExitStatus`.
    public static var stopRequested: Bool { requestedStopSignal.load(ordering: .relaxed) != 0 }

    /// The signal that requested the stop, if any.
    public static var stopSignal: Int32? {
        let s = requestedStopSignal.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// The shell convention for death by a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).
    public static var interruptExitStatus: Int32 { 128 + (stopSignal ?? SIGINT) }

    /// Requests a stop as if `signal` had arrived (a viewer's quit key, tests).
    public static func requestStop(signal: Int32 = SIGINT) {
        _ = requestedStopSignal.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
    }

    /// Forgets a requested stop.
    public static func clearStopRequest() {
        requestedStopSignal.store(0, ordering: .relaxed)
    }

    /// Runs `network` until `limit` in chunks of at most `eventsPerCheck` events, checking
    /// `stopRequested` after each chunk; nil when a stop was requested, else why the run ended.
    public static func run(_ network: Network, until limit: SimTime, eventsPerCheck: UInt64 = 10_000) -> RunStop? {
        while !stopRequested {
            let stop = network.run(until: limit, maxEvents: eventsPerCheck)
            if stopRequested { break }
            if stop != .stepLimit { return stop }
        }
        return nil
    }
}
