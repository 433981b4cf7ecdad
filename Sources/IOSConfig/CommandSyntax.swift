import Wire

/// One position of a command: a keyword or a typed value.
enum SyntaxTerm: Hashable, Sendable {
    case keyword(String)
    case value(Placeholder)
}

/// A typed value in a command's syntax, such as `<A.B.C.D>` or `<1-4094>`, with an optional label
/// (`<A.B.C.D:mask>`) for looking it up by name.
struct Placeholder: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case address
        case prefix
        case mac
        case range(ClosedRange<Int>)
        case word
        case line
        case interface
    }

    var kind: Kind
    /// The text between the angle brackets, without the label: `A.B.C.D`, `1-4094`.
    var text: String
    var label: String?

    init?(_ spelled: String) {
        let parts = spelled.split(separator: ":", maxSplits: 1)
        guard let first = parts.first else { return nil }
        text = String(first)
        label = parts.count == 2 ? String(parts[1]) : nil
        switch text {
        case "A.B.C.D": kind = .address
        case "A.B.C.D/nn": kind = .prefix
        case "H.H.H": kind = .mac
        case "WORD": kind = .word
        case "LINE": kind = .line
        case "INTERFACE": kind = .interface
        default:
            let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high else {
                return nil
            }
            kind = .range(low...high)
        }
    }
}

/// A command syntax compiled to every linear sequence of terms it allows.
///
/// Grammar: keywords, `<...>` placeholders, `[optional]`, `{alt1 | alt2}`, `[alt1 | alt2]`, nested freely.
struct CompiledSyntax: Sendable {
    var paths: [[SyntaxTerm]]

    /// How many keywords every path starts with; a `no` form may stop after them (`no ip address`).
    var leadingKeywordCounts: [Int]

    static let pathLimit = 1024

    init(_ syntax: String) throws(SyntaxError) {
        var parser = SyntaxParser(tokens: try SyntaxParser.tokenize(syntax), syntax: syntax)
        let node = try parser.parseAlternatives()
        guard parser.position == parser.tokens.count else {
            throw SyntaxError("unbalanced bracket in \"\(syntax)\"")
        }
        let paths = try node.paths(limit: Self.pathLimit, syntax: syntax).filter { !$0.isEmpty }
        guard !paths.isEmpty else { throw SyntaxError("empty syntax \"\(syntax)\"") }
        for path in paths {
            for (index, term) in path.enumerated() {
                if case .value(let placeholder) = term, placeholder.kind == .line, index != path.count - 1 {
                    throw SyntaxError("<LINE> must come last in \"\(syntax)\"")
                }
            }
        }
        self.paths = paths
        leadingKeywordCounts = paths.map { path in
            path.prefix { if case .keyword = $0 { true } else { false } }.count
        }
    }
}

/// A malformed syntax string given to `CommandRegistry.register` (a programming error).
struct SyntaxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

private indirect enum SyntaxNode {
    case term(SyntaxTerm)
    case sequence([SyntaxNode])
    case choice([SyntaxNode])
    case optional(SyntaxNode)

    func paths(limit: Int, syntax: String) throws(SyntaxError) -> [[SyntaxTerm]] {
        switch self {
        case .term(let term):
            return [[term]]
        case .sequence(let items):
            var result: [[SyntaxTerm]] = [[]]
            for item in items {
                let tails = try item.paths(limit: limit, syntax: syntax)
                guard result.count * tails.count <= limit else { throw SyntaxError("too many forms in \"\(syntax)\"") }
                result = result.flatMap { head in tails.map { head + $0 } }
            }
            return result
        case .choice(let alternatives):
            var result: [[SyntaxTerm]] = []
            for alternative in alternatives { result += try alternative.paths(limit: limit, syntax: syntax) }
            guard result.count <= limit else { throw SyntaxError("too many forms in \"\(syntax)\"") }
            return result
        case .optional(let inner):
            return [[]] + (try inner.paths(limit: limit, syntax: syntax))
        }
    }
}

private struct SyntaxParser {
    enum Token: Equatable {
        case word(String)
        case placeholder(String)
        case open(Character)
        case close(Character)
        case bar
    }

    var tokens: [Token]
    var syntax: String
    var position = 0

    static func tokenize(_ syntax: String) throws(SyntaxError) -> [Token] {
        var tokens: [Token] = []
        var chars = Array(syntax)[...]
        while let c = chars.first {
            switch c {
            case " ", "\t":
                chars.removeFirst()
            case "[", "{":
                tokens.append(.open(c))
                chars.removeFirst()
            case "]", "}":
                tokens.append(.close(c))
                chars.removeFirst()
            case "|":
                tokens.append(.bar)
                chars.removeFirst()
            case "<":
                guard let close = chars.firstIndex(of: ">") else { throw SyntaxError("unclosed < in \"\(syntax)\"") }
                tokens.append(.placeholder(String(chars[chars.index(after: chars.startIndex)..<close])))
                chars = chars[chars.index(after: close)...]
            default:
                let word = chars.prefix { !" \t[]{}|<>".contains($0) }
                tokens.append(.word(String(word)))
                chars = chars.dropFirst(word.count)
            }
        }
        return tokens
    }

    /// alternatives := sequence ('|' sequence)*
    mutating func parseAlternatives() throws(SyntaxError) -> SyntaxNode {
        var alternatives = [try parseSequence()]
        while position < tokens.count, tokens[position] == .bar {
            position += 1
            alternatives.append(try parseSequence())
        }
        return alternatives.count == 1 ? alternatives[0] : .choice(alternatives)
    }

    /// sequence := (word | placeholder | '[' alternatives ']' | '{' alternatives '}')*
    mutating func parseSequence() throws(SyntaxError) -> SyntaxNode {
        var items: [SyntaxNode] = []
        while position < tokens.count {
            switch tokens[position] {
            case .word(let word):
                items.append(.term(.keyword(word)))
                position += 1
            case .placeholder(let text):
                guard let placeholder = Placeholder(text) else {
                    throw SyntaxError("unknown placeholder <\(text)> in \"\(syntax)\"")
                }
                items.append(.term(.value(placeholder)))
                position += 1
            case .open(let bracket):
                position += 1
                let inner = try parseAlternatives()
                let expected: Character = bracket == "[" ? "]" : "}"
                guard position < tokens.count, tokens[position] == .close(expected) else {
                    throw SyntaxError("unbalanced \(bracket) in \"\(syntax)\"")
                }
                position += 1
                items.append(bracket == "[" ? .optional(inner) : .choice([inner]))
            case .close, .bar:
                return .sequence(items)
            }
        }
        return .sequence(items)
    }
}
