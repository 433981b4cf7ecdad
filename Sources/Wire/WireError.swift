/// Why bytes could not be parsed as a header. Parsing throws these instead of trapping; the reason feeds
/// drop counters (`DropReason`) and debug lines.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the header (or a length field in it) requires.
    case truncated(need: Int, have: Int)
    /// A checksum did not verify.
    case badChecksum
    /// A version field this emulator does not speak.
    case unsupportedVersion(UInt8)
    /// Fields that contradict each other or the RFC, with a short reason such as "IHL 4 below 5".
    case malformed(String)

    public var description: String {
        switch self {
        case .truncated(let need, let have): "truncated (need \(need) bytes, have \(have))"
        case .badChecksum: "bad checksum"
        case .unsupportedVersion(let version): "unsupported version \(version)"
        case .malformed(let reason): reason
        }
    }

    /// The drop counter a frame failing with this error is charged to.
    public var dropReason: DropReason {
        switch self {
        case .badChecksum: .badChecksum
        case .truncated, .unsupportedVersion, .malformed: .malformed
        }
    }
}
