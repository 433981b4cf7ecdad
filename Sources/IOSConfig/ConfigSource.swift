/// The IOS-style configuration text of one device, as taken from a `config: |` block of a YAML file.
///
/// `firstLine` is the file line of the text's first line and `columnOffset` the number of characters
/// that precede the text on each file line (the block's indentation), so diagnostics name the real
/// file position.
public struct ConfigSource: Hashable, Sendable {
    public var file: String
    public var firstLine: Int
    public var text: String
    public var columnOffset: Int

    public init(file: String, firstLine: Int = 1, text: String, columnOffset: Int = 0) {
        self.file = file
        self.firstLine = firstLine
        self.text = text
        self.columnOffset = columnOffset
    }

    /// Lines given one by one, such as the config lines of a scenario event.
    public init(file: String, firstLine: Int = 1, lines: [String], columnOffset: Int = 0) {
        self.init(file: file, firstLine: firstLine, text: lines.joined(separator: "\n"), columnOffset: columnOffset)
    }
}

/// A position in a topology or scenario file; `line` and `column` count from 1.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line)" }
}

/// A warning or error about one configuration line, rendered as IOS does with a caret under the word.
public struct ConfigDiagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable {
        case warning
        case error
    }

    public var severity: Severity
    public var file: String
    public var line: Int
    /// The file column (from 1) of the offending word.
    public var column: Int
    public var message: String
    /// The offending line without its indentation, shown under the message.
    public var sourceLine: String?
    /// Where the caret goes in `sourceLine` (0 is its first character).
    public var caretOffset: Int

    public init(severity: Severity, file: String, line: Int, column: Int, message: String,
                sourceLine: String? = nil, caretOffset: Int = 0) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
        self.caretOffset = caretOffset
    }

    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    /// IOS-like text:
    /// ```
    /// Topologies/campus.yaml:14: warning: unknown command in interface mode
    ///   ip adress 10.0.0.1 255.255.255.0
    ///      ^
    /// ```
    public var rendered: String {
        var text = "\(file):\(line): \(severity.rawValue): \(message)"
        if let sourceLine {
            text += "\n  " + sourceLine
            text += "\n  " + String(repeating: " ", count: max(0, caretOffset)) + "^"
        }
        return text
    }

    public var description: String { rendered }
}

/// Why a command handler refused a line; the parser reports it as an error at that line.
public enum ConfigError: Error, Hashable, Sendable {
    /// An IOS-style message such as `% 10.0.0.1 overlaps with Ethernet0/1`.
    case rejected(String)
}

/// A line the emulator accepts but does not model, reported once (with the lines of its sub-mode).
public struct IgnoredLine: Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var file: String
    public var line: Int
    /// Lines of the ignored command's sub-mode (or of a banner) swallowed with it.
    public var subLineCount: Int

    public init(text: String, file: String, line: Int, subLineCount: Int = 0) {
        self.text = text
        self.file = file
        self.line = line
        self.subLineCount = subLineCount
    }

    public var description: String {
        let under = subLineCount == 0 ? "" : subLineCount == 1 ? ", with 1 line under it" : ", with \(subLineCount) lines under it"
        return "ignored (not modelled): \(text) (\(file):\(line)\(under))"
    }
}
