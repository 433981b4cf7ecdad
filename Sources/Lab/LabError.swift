import IOSConfig

/// A mistake in a lab file: where it is and what was expected. Reported once, exit code 2.
public struct LabError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int = 0, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `Topologies/campus.yaml:12:5: error: unknown node 'R9' in link (nodes: R1, R2, SW1)`
    public var description: String {
        // Every message names a column; one that concerns a whole line or file points at its start.
        "\(file):\(max(line, 1)):\(max(column, 1)): error: \(message)"
    }
}

/// Several lab errors found in one pass (each reported once, in file order).
public struct LabErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [LabError]
    public init(_ errors: [LabError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
