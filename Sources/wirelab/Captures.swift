import Capture
import Lab

/// The CLI's use of the Capture module: per-link pcap files and Ctrl-C handling.
enum Captures {
    /// True once SIGINT or SIGTERM arrived; the run loop stops between events and closes the files.
    static var stopRequested: Bool { LinkCapture.stopRequested }
    static var interruptExitStatus: Int32 { LinkCapture.interruptExitStatus }

    /// Starts capturing into `directory` (all links, or those matching `links`), and installs the
    /// interrupt handler so an interrupted run still leaves complete files.
    static func start(directory: String?, links: [String], lab: Lab) throws -> LinkCapture? {
        LinkCapture.installInterruptHandler()
        guard let directory else {
            if !links.isEmpty { throw CaptureUsageError(message: "--pcap-link needs --pcap DIR") }
            return nil
        }
        return try LinkCapture(network: lab.network, directory: directory, selection: links.isEmpty ? .allLinks : .endpoints(links))
    }
}

struct CaptureUsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
