import Lab

/// Placeholder until the Capture module lands.
enum Captures {
    static var stopRequested: Bool { false }
    static func start(directory: String?, links: [String], lab: Lab) throws -> CaptureSession? { nil }
}
final class CaptureSession { func close() {} }
