#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import Fabric

/// Records the frames put on a network's links, one pcap file per link, named after the link's endpoints.
///
/// Starting a capture creates every selected link's file at once (a user expects a file even for a quiet
/// link) and attaches the capture to `network.observers`. Both directions of a link go into its one file.
public final class LinkCapture: FrameObserver {
    /// Which links to capture.
    public enum Selection: Equatable, Sendable {
        case allLinks
        /// Links with an endpoint matching any of these selectors: `DEVICE:INTERFACE` (e.g. `R1:Gi0/0`,
        /// `r1:GigabitEthernet0/0`) or `DEVICE` alone for all of that device's links.
        case endpoints([String])
    }

    /// A link being captured and its file.
    public struct File: Equatable, Sendable {
        public var link: LinkID
        public var path: String
    }

    public let directory: String
    /// The captured links, in link order.
    public let files: [File]
    /// Indexed by link; nil for links not captured.
    private var writers: [PcapWriter?]
    private weak var network: Network?

    /// Creates `directory` if needed, opens one file per selected link and starts observing `network`.
    /// - Throws: `CaptureError` when a selector matches no link or a file cannot be created.
    public init(network: Network, directory: String, selection: Selection = .allLinks) throws {
        let links: [LinkID]
        switch selection {
        case .allLinks: links = network.links.map(\.id)
        case let .endpoints(selectors): links = try Self.links(in: network, matching: selectors)
        }
        let directory = directory.isEmpty ? "." : directory
        try Self.makeDirectory(directory)
        var writers = [PcapWriter?](repeating: nil, count: network.links.count)
        var files: [File] = []
        for link in links {
            let path = directory + "/" + Self.fileName(for: link, in: network)
            writers[link.index] = try PcapWriter(path: path)
            files.append(File(link: link, path: path))
        }
        self.directory = directory
        self.files = files
        self.writers = writers
        self.network = network
        network.observers.append(self)
    }

    deinit { close() }

    public func frameTransmitted(on link: LinkID, from port: PortID, at time: SimTime, bytes: UnsafeRawBufferPointer) {
        guard link.index < writers.count, let writer = writers[link.index] else { return }
        writer.write(bytes, at: time)
    }

    /// Frames written to `link`'s file so far (0 for a link not captured).
    public func framesWritten(on link: LinkID) -> UInt64 {
        link.index < writers.count ? writers[link.index]?.framesWritten ?? 0 : 0
    }

    /// Pushes buffered frames of every file to disk.
    public func flush() {
        for case let writer? in writers { writer.flush() }
    }

    /// Stops observing the network and closes every file. Calling it again does nothing.
    public func close() {
        for case let writer? in writers { writer.close() }
        if let network { network.observers.removeAll { $0 === self } }
        network = nil
    }

    /// Creates `path` and any missing parents (`mkdir -p`).
    static func makeDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw CaptureError.cannotCreateDirectory(path: prefix, reason: String(cString: strerror(errno)))
            }
            prefix += "/"
        }
    }
}
