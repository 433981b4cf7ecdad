/// The IOS configuration commands a lab understands, and the code that applies each to a `Target`
/// (a device model). Modules plug their commands in; `apply` parses a device's config with them.
///
/// ```swift
/// registry.register(.global, "interface <INTERFACE>", enters: .interface) { command, router in
///     router.addInterface(command.interface()!)
/// }
/// registry.register(.interface, "shutdown", negation: .storedAsNo) { command, router in
///     router.setShutdown(!command.isNegated, on: command.enclosing(.interface)!.interface()!)
/// }
/// let result = registry.apply(source, to: &router, strict: false)   // result.running.render()
/// ```
public final class CommandRegistry<Target> {
    typealias Handler = (ParsedCommand, inout Target) throws -> Void

    struct Entry {
        var key: RunningConfigKey
        var handler: Handler?
        /// For ignored commands such as `banner`: the text runs to a line holding the delimiter.
        var isDelimitedText: Bool
        /// The stored line's text when IOS normalizes values (`level 1` is stored `level 1.00`).
        var render: ((ParsedCommand) -> String)? = nil
    }

    var commands: [MatchableCommand] = []
    var entries: [Entry] = []
    var commandsByMode: [ConfigMode: [Int]] = [:]

    /// A registry; with `ignoringDefaults`, the lines of `defaultIgnoredCommands` are accepted and listed.
    public init(ignoringDefaults: Bool = true) {
        if ignoringDefaults { ignoreDefaults() }
    }

    /// Adds a command valid in `mode`, written in the syntax grammar (keywords, `<A.B.C.D>`, `<A.B.C.D/nn>`,
    /// `<H.H.H>`, `<1-4094>`, `<WORD>`, `<LINE>`, `<INTERFACE>`, `[optional]`, `{a | b}`; a placeholder may
    /// carry a label for lookup, `<A.B.C.D:mask>`).
    ///
    /// - Parameters:
    ///   - enters: the sub-mode the command opens (`interface` opens `.interface`).
    ///   - section: where its lines go in `show running-config`; by default from `enters`.
    ///   - negatable: whether a `no` form exists. A `no` form may stop after the leading keywords.
    ///   - negation: whether `no X` removes `X` or is stored in its place (`no shutdown`).
    ///   - key: which stored line a new line replaces; by default one per command, or one per value list
    ///     for mode-entering commands.
    ///   - render: the stored text, when IOS prints values in a normal form (default: the canonical words).
    ///   - apply: applies the line to the target; throw `ConfigError.rejected` to refuse it.
    /// - Precondition: `syntax` is well formed (a malformed syntax is a programming error).
    @discardableResult
    public func register(_ mode: ConfigMode, _ syntax: String, enters: ConfigMode? = nil,
                         section: ConfigSection? = nil, negatable: Bool = true,
                         negation: NegationStorage = .removesLine, key: RunningConfigKey? = nil,
                         render: ((ParsedCommand) -> String)? = nil,
                         apply: @escaping (ParsedCommand, inout Target) throws -> Void) -> CommandSpec {
        let spec = add(mode, syntax, enters: enters, section: section, negatable: negatable, negation: negation,
                       key: key ?? (enters == nil ? .command : .arguments), handler: apply, isDelimitedText: false)
        entries[spec.id].render = render
        return spec
    }

    /// Accepts lines of a command the emulator does not model and lists each once in `ConfigResult.ignored`.
    /// With `enters`, every more-indented line below it is swallowed with it (`line vty 0 4`); with
    /// `delimitedText`, the lines up to the closing delimiter are (`banner motd ^C ... ^C`).
    @discardableResult
    public func ignore(_ mode: ConfigMode, _ syntax: String, enters: ConfigMode? = nil,
                       delimitedText: Bool = false) -> CommandSpec {
        add(mode, syntax, enters: enters, section: nil, negatable: true, negation: .removesLine, key: .command,
            handler: nil, isDelimitedText: delimitedText)
    }

    /// The commands valid in `mode`, in registration order.
    public func commands(in mode: ConfigMode) -> [CommandSpec] {
        (commandsByMode[mode] ?? []).map { commands[$0].spec }
    }

    private func add(_ mode: ConfigMode, _ syntax: String, enters: ConfigMode?, section: ConfigSection?,
                     negatable: Bool, negation: NegationStorage, key: RunningConfigKey, handler: Handler?,
                     isDelimitedText: Bool) -> CommandSpec {
        let compiled: CompiledSyntax
        do {
            compiled = try CompiledSyntax(syntax)
        } catch {
            preconditionFailure("CommandRegistry: \(error)")
        }
        let spec = CommandSpec(id: commands.count, mode: mode, syntax: syntax, enters: enters,
                               section: section ?? .of(entering: enters), negatable: negatable,
                               negation: negation, isIgnored: handler == nil)
        commandsByMode[mode, default: []].append(commands.count)
        commands.append(MatchableCommand(spec: spec, syntax: compiled))
        entries.append(Entry(key: key, handler: handler, isDelimitedText: isDelimitedText))
        return spec
    }

    /// Parses one line (without contexts) in `mode`, as a unit of the grammar.
    public func parse(_ line: String, in mode: ConfigMode) -> Result<ParsedCommand, ParseFailure> {
        let tokenized = TokenizedLine(line)
        switch CommandMatcher.match(tokenized, commands: commandsByMode[mode] ?? [], in: commands, columnBase: 1) {
        case .success(let match):
            let start = tokenized.tokens.first?.offset ?? 0
            let text = tokenized.rest(from: 0)
            return .success(parsedCommand(match, text: text,
                                          location: SourceLocation(file: "", line: 1, column: start + 1),
                                          contexts: []))
        case .failure(let failure):
            return .failure(failure)
        }
    }

    func parsedCommand(_ match: CommandMatch, text: String, location: SourceLocation,
                       contexts: [ParsedCommand]) -> ParsedCommand {
        ParsedCommand(isNegated: match.isNegated, spec: commands[match.command].spec, arguments: match.arguments,
                      keywords: match.keywords, canonicalWords: match.canonicalWords, text: text,
                      location: location, contexts: contexts)
    }

    // MARK: - Default ignored commands

    /// Global and line-mode commands of real configs that the emulator does not model.
    public static var defaultIgnoredCommands: [(mode: ConfigMode, syntax: String, enters: ConfigMode?)] {
        [
            (.global, "version <LINE>", nil),
            (.global, "service <LINE>", nil),
            (.global, "logging <LINE>", nil),
            (.global, "boot <LINE>", nil),
            (.global, "boot-start-marker", nil),
            (.global, "boot-end-marker", nil),
            (.global, "enable {secret | password} <LINE>", nil),
            (.global, "username <LINE>", nil),
            (.global, "aaa <LINE>", nil),
            (.global, "clock <LINE>", nil),
            (.global, "ip domain-lookup", nil),
            (.global, "ip domain-name <WORD>", nil),
            (.global, "ip domain name <WORD>", nil),
            (.global, "ip name-server <LINE>", nil),
            (.global, "ip cef", nil),
            (.global, "ip http <LINE>", nil),
            (.global, "ip ssh <LINE>", nil),
            (.global, "ip forward-protocol <LINE>", nil),
            (.global, "ntp <LINE>", nil),
            (.global, "snmp-server <LINE>", nil),
            (.global, "cdp <LINE>", nil),
            (.global, "lldp <LINE>", nil),
            (.global, "crypto <LINE>", nil),
            (.global, "license <LINE>", nil),
            (.global, "memory-size <LINE>", nil),
            (.global, "redundancy", .ignoredSubMode),
            (.global, "control-plane", .ignoredSubMode),
            (.global, "line <LINE>", .line),
            (.line, "login [<LINE>]", nil),
            (.line, "password <LINE>", nil),
            (.line, "transport <LINE>", nil),
            (.line, "exec-timeout <LINE>", nil),
            (.line, "exec", nil),
            (.line, "logging synchronous [<LINE>]", nil),
            (.line, "privilege <LINE>", nil),
            (.line, "stopbits <LINE>", nil),
            (.line, "session-timeout <LINE>", nil),
            (.line, "history <LINE>", nil),
            (.line, "access-class <LINE>", nil),
        ]
    }

    private func ignoreDefaults() {
        for (mode, syntax, enters) in Self.defaultIgnoredCommands {
            ignore(mode, syntax, enters: enters)
        }
        ignore(.global, "banner <LINE>", delimitedText: true)
    }
}

extension ConfigMode {
    /// The sub-mode of an ignored command whose own lines are not listed (`redundancy`, `control-plane`).
    public static let ignoredSubMode = ConfigMode("ignored")
}
