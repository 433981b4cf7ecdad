import Wire

/// One word of a configuration line and where it starts.
struct LineToken {
    var text: String
    /// Offset of the word's first character in the line (0-based).
    var offset: Int
}

/// A configuration line split into words; blanks and tabs separate words.
struct TokenizedLine {
    var characters: [Character]
    var tokens: [LineToken]

    init(_ line: String) {
        characters = Array(line)
        tokens = []
        var index = 0
        while index < characters.count {
            if characters[index] == " " || characters[index] == "\t" {
                index += 1
                continue
            }
            let start = index
            while index < characters.count, characters[index] != " ", characters[index] != "\t" { index += 1 }
            tokens.append(LineToken(text: String(characters[start..<index]), offset: start))
        }
    }

    /// The text from `token`'s first character to the end of the line, trailing blanks removed.
    func rest(from token: Int) -> String {
        var end = characters.count
        while end > 0, characters[end - 1] == " " || characters[end - 1] == "\t" { end -= 1 }
        let start = tokens[token].offset
        return start < end ? String(characters[start..<end]) : ""
    }

    /// Offset just past the last word: where an incomplete command's caret goes.
    var endOffset: Int { tokens.last.map { $0.offset + $0.text.count } ?? 0 }
}

/// A command as the matcher sees it: its spec and compiled forms.
struct MatchableCommand {
    var spec: CommandSpec
    var syntax: CompiledSyntax
}

/// A successful match of a line, before location and contexts are attached.
struct CommandMatch {
    var command: Int
    var isNegated: Bool
    var isComplete: Bool
    var arguments: [CommandArgument]
    var keywords: [String]
    var canonicalWords: [String]
}

/// Matches a line against all commands of one mode at once, resolving IOS abbreviations: a keyword
/// may be shortened to any prefix that is unambiguous among the keywords valid at that word.
struct CommandMatcher {
    private struct State {
        var command: Int
        var path: Int
        var term: Int
        var isNegated: Bool
        var arguments: [CommandArgument] = []
        var keywords: [String] = []
        var canonicalWords: [String] = []
    }

    /// Matches `line` against `commands` (indices into `all`); `columnBase` is added to offsets for columns.
    static func match(_ line: TokenizedLine, commands: [Int], in all: [MatchableCommand],
                      columnBase: Int) -> Result<CommandMatch, ParseFailure> {
        let tokens = line.tokens
        guard !tokens.isEmpty else { return .failure(ParseFailure(reason: .incomplete, column: columnBase)) }
        var buckets = [[State]](repeating: [], count: tokens.count + 1)
        let startsWithNo = tokens[0].text.lowercased() == "no"
        for command in commands {
            for path in all[command].syntax.paths.indices {
                buckets[0].append(State(command: command, path: path, term: 0, isNegated: false))
                if startsWithNo, all[command].spec.negatable {
                    buckets[1].append(State(command: command, path: path, term: 0, isNegated: true,
                                            canonicalWords: ["no"]))
                }
            }
        }

        var furthest = 0
        var ambiguousAt: Int?
        var complete: [State] = []
        for index in 0...tokens.count {
            let states = buckets[index]
            guard !states.isEmpty else { continue }
            furthest = index
            if index == tokens.count {
                complete = states.filter { state in
                    let syntax = all[state.command].syntax
                    return state.term == syntax.paths[state.path].count
                        || (state.isNegated && state.term >= max(1, syntax.leadingKeywordCounts[state.path]))
                }
                break
            }
            let token = tokens[index]
            let lowered = token.text.lowercased()

            // IOS: an exact keyword wins (`ip` over `ipv6`); otherwise a prefix must name one keyword.
            var candidates = Set<String>()
            for state in states {
                let path = all[state.command].syntax.paths[state.path]
                if state.term < path.count, case .keyword(let keyword) = path[state.term] {
                    candidates.insert(keyword.lowercased())
                }
            }
            var chosen: String?
            if candidates.contains(lowered) {
                chosen = lowered
            } else {
                let prefixed = candidates.filter { $0.hasPrefix(lowered) }
                if prefixed.count == 1 {
                    chosen = prefixed.first
                } else if prefixed.count > 1 {
                    ambiguousAt = index
                }
            }

            for state in states {
                let path = all[state.command].syntax.paths[state.path]
                guard state.term < path.count else { continue }
                switch path[state.term] {
                case .keyword(let keyword):
                    guard keyword.lowercased() == chosen else { continue }
                    var next = state
                    next.term += 1
                    next.keywords.append(keyword)
                    next.canonicalWords.append(keyword)
                    buckets[index + 1].append(next)
                case .value(let placeholder):
                    for (value, consumed) in values(of: placeholder, at: index, in: line) {
                        var next = state
                        next.term += 1
                        next.arguments.append(CommandArgument(value: value, placeholder: placeholder.text,
                                                              label: placeholder.label, keywordPath: state.keywords,
                                                              column: columnBase + token.offset))
                        next.canonicalWords.append(value.description)
                        buckets[index + consumed].append(next)
                    }
                }
            }
        }

        if let best = complete.max(by: { rank($0, all) < rank($1, all) }) {
            let syntax = all[best.command].syntax
            return .success(CommandMatch(command: best.command, isNegated: best.isNegated,
                                         isComplete: best.term == syntax.paths[best.path].count,
                                         arguments: best.arguments, keywords: best.keywords,
                                         canonicalWords: best.canonicalWords))
        }
        if furthest >= tokens.count {
            return .failure(ParseFailure(reason: .incomplete, column: columnBase + line.endOffset))
        }
        let column = columnBase + tokens[furthest].offset
        if ambiguousAt == furthest {
            let typed = tokens[...furthest].map(\.text).joined(separator: " ")
            return .failure(ParseFailure(reason: .ambiguous(typed), column: column))
        }
        return .failure(ParseFailure(reason: .invalidInput, column: column))
    }

    /// Preference among complete matches: a full form over a shortened `no` form, a modelled command over
    /// an ignored one, more keywords over fewer, then the earlier registration.
    private static func rank(_ state: State, _ all: [MatchableCommand]) -> (Int, Int, Int, Int) {
        let command = all[state.command]
        let full = state.term == command.syntax.paths[state.path].count ? 1 : 0
        return (full, command.spec.isIgnored ? 0 : 1, state.keywords.count, -command.spec.id)
    }

    /// The readings of the words at `index` as `placeholder`, each with the number of words it consumes.
    private static func values(of placeholder: Placeholder, at index: Int,
                               in line: TokenizedLine) -> [(ArgumentValue, Int)] {
        let text = line.tokens[index].text
        switch placeholder.kind {
        case .address:
            return IPv4Address(text).map { [(.address($0), 1)] } ?? []
        case .prefix:
            return IPv4Prefix(text).map { [(.prefix($0), 1)] } ?? []
        case .mac:
            guard text.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" || $0 == "-" }) else { return [] }
            return MACAddress(text).map { [(.mac($0), 1)] } ?? []
        case .range(let range):
            guard text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text),
                  range.contains(number) else { return [] }
            return [(.number(number), 1)]
        case .word:
            return [(.word(text), 1)]
        case .line:
            return [(.line(line.rest(from: index)), line.tokens.count - index)]
        case .interface:
            var readings: [(ArgumentValue, Int)] = []
            if let name = try? InterfaceName(text) { readings.append((.interface(name), 1)) }
            // IOS accepts a blank between type and number: `interface Vlan 10`, `GigabitEthernet 0/1`.
            if index + 1 < line.tokens.count, text.allSatisfy({ $0.isLetter || $0 == "-" }),
               let name = try? InterfaceName(text + line.tokens[index + 1].text) {
                readings.append((.interface(name), 2))
            }
            return readings
        }
    }
}
