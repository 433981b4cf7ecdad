/// What applying a configuration produced: diagnostics, the lines not modelled, and the running config.
public struct ConfigResult: Sendable, Equatable {
    public var diagnostics: [ConfigDiagnostic]
    public var ignored: [IgnoredLine]
    public var running: RunningConfig

    public init(diagnostics: [ConfigDiagnostic] = [], ignored: [IgnoredLine] = [], running: RunningConfig = .init()) {
        self.diagnostics = diagnostics
        self.ignored = ignored
        self.running = running
    }

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

extension CommandRegistry {
    /// Applies a device's whole configuration to `target`, starting from an empty running config.
    ///
    /// Unknown, incomplete or ambiguous lines are warnings, or errors when `strict`; a line a handler
    /// rejects is always an error. Neither stops the lines after it.
    public func apply(_ source: ConfigSource, to target: inout Target, strict: Bool = false) -> ConfigResult {
        apply(lines: source, over: RunningConfig(), to: &target, strict: strict)
    }

    /// Applies configuration lines later in a run (a scenario event), starting in global mode and
    /// merging into `running`, the device's current running config.
    public func apply(lines source: ConfigSource, over running: RunningConfig, to target: inout Target,
                      strict: Bool = false) -> ConfigResult {
        var session = ConfigSession(registry: self, source: source, strict: strict, running: running)
        session.run(on: &target)
        return ConfigResult(diagnostics: session.diagnostics, ignored: session.ignored, running: session.running)
    }

    /// `apply(lines:over:to:strict:)` for lines given one by one.
    public func apply(lines: [String], file: String, firstLine: Int = 1, over running: RunningConfig,
                      to target: inout Target, strict: Bool = false) -> ConfigResult {
        apply(lines: ConfigSource(file: file, firstLine: firstLine, lines: lines), over: running, to: &target,
              strict: strict)
    }
}

/// One pass of the parser over a config text: the open modes, by indentation and by IOS's rule that a
/// line invalid in the current mode is tried in the modes above it.
struct ConfigSession<Target> {
    /// An open mode: the line that entered it and what became of that line.
    private struct Context {
        enum Kind {
            case global
            case entered(ParsedCommand, path: [[String]])
            /// The mode command was refused; lines indented under it are skipped.
            case failed
            /// An ignored command's mode; lines indented under it are counted into that ignored line.
            case ignored(entry: Int)
        }

        var kind: Kind
        var mode: ConfigMode
        var indent: Int
        /// Whether a line more indented than the mode command belonged to it: then the config uses
        /// indentation here, and a line at the command's own indentation is its sibling.
        var hasIndentedLines = false

        var command: ParsedCommand? { if case .entered(let command, _) = kind { command } else { nil } }
        var path: [[String]]? {
            switch kind {
            case .global: []
            case .entered(_, let path): path
            case .failed, .ignored: nil
            }
        }
    }

    let registry: CommandRegistry<Target>
    let source: ConfigSource
    let strict: Bool
    var running: RunningConfig
    var diagnostics: [ConfigDiagnostic] = []
    var ignored: [IgnoredLine] = []
    private var stack: [Context] = [Context(kind: .global, mode: .global, indent: -1)]

    init(registry: CommandRegistry<Target>, source: ConfigSource, strict: Bool, running: RunningConfig) {
        self.registry = registry
        self.source = source
        self.strict = strict
        self.running = running
    }

    mutating func run(on target: inout Target) {
        let lines = source.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var ended = false
        var bannerDelimiter: (String, entry: Int)?
        for (index, rawLine) in lines.enumerated() {
            let line = TokenizedLine(String(rawLine))
            let lineNumber = source.firstLine + index
            if let (delimiter, entry) = bannerDelimiter {
                ignored[entry].subLineCount += 1
                if rawLine.contains(delimiter) { bannerDelimiter = nil }
                continue
            }
            guard let first = line.tokens.first, !first.text.hasPrefix("!") else { continue }
            if ended {
                diagnose(.warning, "lines after 'end' are not applied", line: line, lineNumber: lineNumber,
                         token: 0)
                break
            }
            switch first.text.lowercased() {
            case "end" where line.tokens.count == 1:
                ended = true
                continue
            case "exit" where line.tokens.count == 1:
                if stack.count > 1 { stack.removeLast() }
                continue
            default:
                break
            }
            if let started = process(line, lineNumber: lineNumber, on: &target) {
                bannerDelimiter = started
            }
        }
    }

    /// Applies one line; returns the delimiter and ignored entry when it opens a multi-line banner.
    private mutating func process(_ line: TokenizedLine, lineNumber: Int,
                                  on target: inout Target) -> (String, entry: Int)? {
        let indent = line.tokens[0].offset
        while let top = stack.last, top.indent > indent || (top.indent == indent && top.hasIndentedLines) {
            stack.removeLast()
        }
        if let top = stack.last, top.indent < indent {
            switch top.kind {
            case .failed:
                return nil
            case .ignored(let entry):
                ignored[entry].subLineCount += 1
                return nil
            case .global, .entered:
                // Even a line that turns out invalid shows this mode's lines are indented.
                stack[stack.count - 1].hasIndentedLines = true
            }
        }
        while let top = stack.last, top.indent == indent, case .failed = top.kind { stack.removeLast() }

        // IOS: try the current mode, then each mode above it.
        var bestFailure: ParseFailure?
        for depth in stack.indices.reversed() {
            let mode = stack[depth].mode
            let result = CommandMatcher.match(line, commands: registry.commandsByMode[mode] ?? [],
                                              in: registry.commands, columnBase: source.columnOffset + 1)
            switch result {
            case .success(let match):
                stack.removeSubrange((depth + 1)...)
                return accept(match, line: line, lineNumber: lineNumber, indent: indent, on: &target)
            case .failure(let failure):
                if bestFailure == nil || failure.column > bestFailure!.column { bestFailure = failure }
            }
        }
        if let failure = bestFailure { report(failure, line: line, lineNumber: lineNumber) }
        return nil
    }

    private mutating func accept(_ match: CommandMatch, line: TokenizedLine, lineNumber: Int, indent: Int,
                                 on target: inout Target) -> (String, entry: Int)? {
        let spec = registry.commands[match.command].spec
        let entry = registry.entries[match.command]
        let parent = stack[stack.count - 1]
        let location = SourceLocation(file: source.file, line: lineNumber,
                                      column: source.columnOffset + 1 + line.tokens[0].offset)
        let contexts = stack.compactMap(\.command)
        let command = registry.parsedCommand(match, text: line.rest(from: 0), location: location, contexts: contexts)

        guard let handler = entry.handler else {
            if case .ignored(let owner) = parent.kind {
                ignored[owner].subLineCount += 1
                return nil
            }
            ignored.append(IgnoredLine(text: command.text, file: source.file, line: lineNumber))
            let index = ignored.count - 1
            if let mode = spec.enters, !command.isNegated {
                stack.append(Context(kind: .ignored(entry: index), mode: mode, indent: indent))
            }
            if entry.isDelimitedText, let delimiter = Self.bannerDelimiter(in: match) {
                return (delimiter, index)
            }
            return nil
        }

        if command.isNegated, !match.isComplete, Self.lacksKeyValues(command, entry.key) {
            report(ParseFailure(reason: .incomplete, column: source.columnOffset + 1 + line.endOffset), line: line,
                   lineNumber: lineNumber)
            return nil
        }

        do {
            try handler(command, &target)
        } catch {
            let message = switch error {
            case ConfigError.rejected(let message): message
            default: "% \(error)"
            }
            diagnose(.error, message, line: line, lineNumber: lineNumber, token: 0)
            if spec.enters != nil, !command.isNegated {
                stack.append(Context(kind: .failed, mode: spec.enters!, indent: indent))
            }
            return nil
        }

        guard let parentPath = parent.path else { return nil }
        let key = Self.key(for: command, entry.key)
        if command.isNegated, spec.negation == .removesLine {
            running.remove(keyPrefix: key, under: parentPath)
            return nil
        }
        let node = RunningConfigNode(text: entry.render?(command) ?? command.canonicalText, children: [], entersMode: spec.enters != nil,
                                     section: spec.section, key: key, commandID: spec.id,
                                     sortValues: command.arguments.map { SortValue($0.value) }, sequence: 0)
        running.store(node, under: parentPath)
        if let mode = spec.enters, !command.isNegated {
            stack.append(Context(kind: .entered(command, path: parentPath + [key]), mode: mode, indent: indent))
        }
        return nil
    }

    /// Whether a shortened `no` form leaves out values its key needs, so it would remove too much
    /// (`no interface` alone, or `no ip route 10.0.0.0` for a route keyed by prefix, mask and next hop).
    private static func lacksKeyValues(_ command: ParsedCommand, _ key: RunningConfigKey) -> Bool {
        switch key {
        case .command, .custom: false
        case .arguments: command.arguments.isEmpty
        case .leadingArguments(let count): command.arguments.count < count
        }
    }

    private static func key(for command: ParsedCommand, _ key: RunningConfigKey) -> [String] {
        let id = "#\(command.spec.id)"
        let values = command.arguments.map(\.value.description)
        switch key {
        case .command: return [id]
        case .arguments: return [id] + values
        case .leadingArguments(let count): return [id] + values.prefix(max(0, count))
        case .custom(let makeKey): return ["=" + makeKey(command)]
        }
    }

    /// The delimiter of `banner motd ^C...`: the first character of the text (or `^C` spelled out),
    /// when the text does not close on the same line.
    private static func bannerDelimiter(in match: CommandMatch) -> String? {
        guard let text = match.arguments.last?.value.text else { return nil }
        let words = text.split(separator: " ", maxSplits: 1)
        guard words.count >= 1 else { return nil }
        // `banner motd ^C`: the first word names the banner, the next starts with the delimiter.
        guard let body = words.count == 2 ? String(words[1]) : nil, let first = body.first else { return nil }
        let delimiter = body.hasPrefix("^C") ? "^C" : String(first)
        let rest = body.dropFirst(delimiter.count)
        return rest.contains(delimiter) ? nil : delimiter
    }

    private mutating func report(_ failure: ParseFailure, line: TokenizedLine, lineNumber: Int) {
        let mode = stack.last?.mode ?? .global
        let what = switch failure.reason {
        case .invalidInput: "unknown command"
        case .incomplete: "incomplete command"
        case .ambiguous(let text): "ambiguous command \"\(text)\""
        }
        let offset = failure.column - source.columnOffset - 1
        diagnostics.append(diagnostic(strict ? .error : .warning, "\(what) in \(mode) mode", line: line,
                                      lineNumber: lineNumber, offset: offset))
    }

    private mutating func diagnose(_ severity: ConfigDiagnostic.Severity, _ message: String, line: TokenizedLine,
                                   lineNumber: Int, token: Int) {
        diagnostics.append(diagnostic(severity, message, line: line, lineNumber: lineNumber,
                                      offset: line.tokens[token].offset))
    }

    private func diagnostic(_ severity: ConfigDiagnostic.Severity, _ message: String, line: TokenizedLine,
                            lineNumber: Int, offset: Int) -> ConfigDiagnostic {
        let indent = line.tokens.first?.offset ?? 0
        return ConfigDiagnostic(severity: severity, file: source.file, line: lineNumber,
                                column: source.columnOffset + 1 + offset, message: message,
                                sourceLine: line.tokens.isEmpty ? "" : line.rest(from: 0),
                                caretOffset: max(0, offset - indent))
    }
}
