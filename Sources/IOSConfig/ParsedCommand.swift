import Wire

/// A typed value taken from a configuration line.
public enum ArgumentValue: Hashable, Sendable, CustomStringConvertible {
    case address(IPv4Address)
    case prefix(IPv4Prefix)
    case mac(MACAddress)
    case number(Int)
    case word(String)
    /// The rest of the line as typed (`description`, `banner`).
    case line(String)
    case interface(InterfaceName)

    public var address: IPv4Address? { if case .address(let v) = self { v } else { nil } }
    public var prefix: IPv4Prefix? { if case .prefix(let v) = self { v } else { nil } }
    public var mac: MACAddress? { if case .mac(let v) = self { v } else { nil } }
    public var number: Int? { if case .number(let v) = self { v } else { nil } }
    public var interface: InterfaceName? { if case .interface(let v) = self { v } else { nil } }
    /// The text of a `<WORD>` or `<LINE>`.
    public var text: String? {
        switch self {
        case .word(let v), .line(let v): v
        default: nil
        }
    }

    /// Canonical IOS spelling: dotted addresses, `0050.56c0.0001` MACs, full interface names.
    public var description: String {
        switch self {
        case .address(let v): v.description
        case .prefix(let v): v.description
        case .mac(let v): v.ciscoNotation
        case .number(let v): String(v)
        case .word(let v), .line(let v): v
        case .interface(let v): v.description
        }
    }
}

/// One value of a parsed line, with the names it can be looked up by.
public struct CommandArgument: Hashable, Sendable {
    public var value: ArgumentValue
    /// The placeholder text without brackets: `A.B.C.D`, `1-4094`, `WORD`.
    public var placeholder: String
    /// The label given in the syntax (`<A.B.C.D:mask>`), if any.
    public var label: String?
    /// The keywords that precede the value on its line, in full spelling.
    public var keywordPath: [String]
    /// The file column of the value's first word.
    public var column: Int

    /// Whether `name` is this argument's label, placeholder, or a trailing run of its keyword path
    /// (`vlan` or `static vlan`... as written in the syntax).
    func isNamed(_ name: String) -> Bool {
        if label == name || placeholder == name { return true }
        let lowered = name.lowercased()
        for length in stride(from: keywordPath.count, through: 1, by: -1)
        where keywordPath.suffix(length).joined(separator: " ").lowercased() == lowered {
            return true
        }
        return false
    }
}

/// A registered command: its mode, syntax and how it is kept in the running configuration.
public struct CommandSpec: Hashable, Sendable, CustomStringConvertible {
    /// Registration order; also the order of lines within a section of the running config.
    public let id: Int
    public let mode: ConfigMode
    public let syntax: String
    public let enters: ConfigMode?
    public let section: ConfigSection
    public let negatable: Bool
    public let negation: NegationStorage
    /// Accepted but not modelled: reported in the ignored list instead of applied.
    public let isIgnored: Bool

    public var description: String { "\(mode) mode: \(syntax)" }
}

/// How a command's `no` form is kept in the running configuration.
public enum NegationStorage: Hashable, Sendable {
    /// `no X` removes the stored `X` (`no ip address`, `no ip route ...`).
    case removesLine
    /// `no X` is stored in `X`'s place and printed, for commands on by default (`no shutdown`).
    case storedAsNo
}

/// A configuration line matched against a registered command.
public struct ParsedCommand: Hashable, Sendable, CustomStringConvertible {
    /// The `no` form.
    public var isNegated: Bool
    public var spec: CommandSpec
    public var arguments: [CommandArgument]
    /// The keywords matched, in full spelling and order (without a leading `no`).
    public var keywords: [String]
    /// Every word in canonical form: keywords expanded, values normalized, `no` first when negated.
    public var canonicalWords: [String]
    /// The line as typed, without indentation.
    public var text: String
    public var location: SourceLocation
    /// The mode-entering commands around this line, outermost first (`policy-map P`, then `class C`).
    public var contexts: [ParsedCommand]

    /// The line in canonical IOS form, as `show running-config` prints it.
    public var canonicalText: String { canonicalWords.joined(separator: " ") }

    public var description: String { canonicalText }

    /// The value at `position` among the line's values (keywords not counted), or nil.
    public subscript(position: Int) -> ArgumentValue? {
        arguments.indices.contains(position) ? arguments[position].value : nil
    }

    /// The first value named `name`: its label, its placeholder (`WORD`, `1-4094`) or the keyword
    /// (or keyword path) just before it (`vlan`, `interface`, `dot1Q`).
    public subscript(name: String) -> ArgumentValue? {
        arguments.first { $0.isNamed(name) }?.value
    }

    /// Whether the keyword (full spelling, any case) was given, e.g. an optional `secondary`.
    public func has(_ keyword: String) -> Bool {
        let lowered = keyword.lowercased()
        return keywords.contains { $0.lowercased() == lowered }
    }

    public func address(_ name: String) -> IPv4Address? { self[name]?.address }
    public func address(at position: Int) -> IPv4Address? { self[position]?.address }
    public func number(_ name: String) -> Int? { self[name]?.number }
    public func number(at position: Int) -> Int? { self[position]?.number }
    public func interface(_ name: String = "INTERFACE") -> InterfaceName? { self[name]?.interface }
    public func interface(at position: Int) -> InterfaceName? { self[position]?.interface }
    public func text(_ name: String) -> String? { self[name]?.text }
    public func text(at position: Int) -> String? { self[position]?.text }
    public func mac(_ name: String = "H.H.H") -> MACAddress? { self[name]?.mac }
    public func prefix(_ name: String = "A.B.C.D/nn") -> IPv4Prefix? { self[name]?.prefix }

    /// The innermost enclosing command that entered `mode` (the `interface` line above an `ip address`).
    public func enclosing(_ mode: ConfigMode) -> ParsedCommand? {
        contexts.last { $0.spec.enters == mode }
    }
}

/// Why a line did not match any command of a mode, as IOS reports it.
public struct ParseFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// `% Invalid input detected at '^' marker.`
        case invalidInput
        /// `% Incomplete command.`
        case incomplete
        /// `% Ambiguous command: "sh"`
        case ambiguous(String)
    }

    public var reason: Reason
    /// The column (from 1, within the line as given) of the first word that could not be matched.
    public var column: Int

    public var message: String {
        switch reason {
        case .invalidInput: "% Invalid input detected at '^' marker."
        case .incomplete: "% Incomplete command."
        case .ambiguous(let text): "% Ambiguous command: \"\(text)\""
        }
    }

    public var description: String { message }
}
