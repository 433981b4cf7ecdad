/// Why a capture could not be started.
public enum CaptureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libpcap could not create or open the file; `reason` is libpcap's message.
    case cannotOpen(path: String, reason: String)
    /// The capture directory does not exist and could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// A selector is not `DEVICE` or `DEVICE:INTERFACE`.
    case malformedSelector(String)
    /// No link has an endpoint that matches the selector.
    case noLinkMatches(selector: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open capture file \(path): \(reason)"
        case let .cannotCreateDirectory(path, reason): return "cannot create capture directory \(path): \(reason)"
        case let .malformedSelector(text): return "capture selector '\(text)' is not DEVICE or DEVICE:INTERFACE"
        case let .noLinkMatches(selector): return "no link has an endpoint matching capture selector '\(selector)'"
        }
    }
}
