#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPcap
import Engine

/// Writes Ethernet frames to a nanosecond-resolution pcap file through libpcap, stamped with virtual time.
///
/// The file header says `DLT_EN10MB` with magic 0xa1b23c4d (nanosecond timestamps), so a frame sent at
/// virtual time t appears at exactly t seconds after the epoch. Writing a frame does not allocate: one
/// `pcap_pkthdr` is reused. libpcap buffers through stdio; `flush()` pushes out what is buffered.
public final class PcapWriter {
    public let path: String
    public let snapLength: Int
    /// Frames written so far.
    public private(set) var framesWritten: UInt64 = 0
    private var pcap: OpaquePointer?
    private var dumper: OpaquePointer?
    private let header: UnsafeMutablePointer<pcap_pkthdr>

    /// Creates (or truncates) the file at `path` and writes the pcap file header.
    /// - Throws: `CaptureError.cannotOpen` with libpcap's message when the file cannot be opened.
    public init(path: String, snapLength: Int = 65535) throws {
        self.path = path
        self.snapLength = snapLength
        guard let pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, Int32(snapLength),
                                                               UInt32(PCAP_TSTAMP_PRECISION_NANO)) else {
            throw CaptureError.cannotOpen(path: path, reason: "pcap_open_dead failed")
        }
        guard let dumper = pcap_dump_open(pcap, path) else {
            let reason = String(cString: pcap_geterr(pcap))
            pcap_close(pcap)
            throw CaptureError.cannotOpen(path: path, reason: reason)
        }
        self.pcap = pcap
        self.dumper = dumper
        header = .allocate(capacity: 1)
        header.initialize(to: pcap_pkthdr())
    }

    deinit {
        close()
        header.deallocate()
    }

    /// True until `close()`.
    public var isOpen: Bool { dumper != nil }

    /// Appends one frame, as given, stamped with virtual time `time`. Ignored after `close()`.
    public func write(_ bytes: UnsafeRawBufferPointer, at time: SimTime) {
        guard let dumper, let base = bytes.baseAddress else { return }
        // Nanosecond pcap keeps nanoseconds in the field libpcap calls tv_usec.
        let nanoseconds = max(time.nanoseconds, 0)
        header.pointee.ts.tv_sec = .init(nanoseconds / 1_000_000_000)
        header.pointee.ts.tv_usec = .init(nanoseconds % 1_000_000_000)
        header.pointee.caplen = UInt32(min(bytes.count, snapLength))
        header.pointee.len = UInt32(bytes.count)
        pcap_dump(UnsafeMutablePointer<UInt8>(dumper), header, base.assumingMemoryBound(to: UInt8.self))
        framesWritten &+= 1
    }

    /// Pushes buffered frames to the file.
    public func flush() {
        guard let dumper else { return }
        _ = pcap_dump_flush(dumper)
    }

    /// Flushes and closes the file. Calling it again does nothing.
    public func close() {
        if let dumper { pcap_dump_close(dumper) }
        if let pcap { pcap_close(pcap) }
        dumper = nil
        pcap = nil
    }
}
