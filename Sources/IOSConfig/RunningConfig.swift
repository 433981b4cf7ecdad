import Wire

/// How a command's lines are told apart in the running configuration: a new line replaces the stored
/// line with the same key, and `no` removes the lines whose keys start with the key it gives.
public enum RunningConfigKey {
    /// One line per command (`hostname`, `ip address`, `shutdown`/`no shutdown`).
    case command
    /// One line per distinct value list (`interface <INTERFACE>`, `vlan <1-4094>`).
    case arguments
    /// One line per distinct first `n` values (`ip route` by prefix, mask and next hop).
    case leadingArguments(Int)
    /// A key computed from the line; commands returning the same key share one line
    /// (`ip address` keyed "primary" or "secondary 10.0.0.1").
    case custom((ParsedCommand) -> String)
}

/// A value that orders lines of one command as IOS lists them: interfaces in interface order, numbers
/// and addresses numerically; words and lines keep the order they were configured in.
enum SortValue: Comparable, Sendable {
    case interface(InterfaceName)
    case number(Int)
    case unordered

    init(_ value: ArgumentValue) {
        switch value {
        case .interface(let name): self = .interface(name)
        case .number(let number): self = .number(number)
        case .address(let address): self = .number(Int(address.rawValue))
        case .prefix(let prefix): self = .number(Int(prefix.network.rawValue) << 6 | prefix.length)
        case .mac(let mac): self = .number(Int(mac.rawValue))
        case .word, .line: self = .unordered
        }
    }
}

/// One line of the running configuration, with the lines of its sub-mode.
public struct RunningConfigNode: Sendable, Equatable, CustomStringConvertible {
    /// The line in canonical IOS form, e.g. `ip address 10.0.0.1 255.255.255.0` or `no shutdown`.
    public internal(set) var text: String
    public internal(set) var children: [RunningConfigNode]
    /// Whether the line enters a mode (its block is followed by `!` at the top level).
    public internal(set) var entersMode: Bool
    public internal(set) var section: ConfigSection
    var key: [String]
    var commandID: Int
    var sortValues: [SortValue]
    /// Configuration order, the last tie-breaker.
    var sequence: Int

    public var description: String { text }

    /// Equal lines and sub-trees; the configuration order of equal-ranked lines is not compared.
    public static func == (a: Self, b: Self) -> Bool {
        a.text == b.text && a.key == b.key && a.entersMode == b.entersMode && a.children == b.children
    }

    func precedes(_ other: Self) -> Bool {
        if section != other.section { return section < other.section }
        if commandID != other.commandID { return commandID < other.commandID }
        if sortValues != other.sortValues { return sortValues.lexicographicallyPrecedes(other.sortValues) }
        return sequence < other.sequence
    }
}

/// The canonical running configuration of one device: every accepted line in IOS form and order.
public struct RunningConfig: Sendable, Equatable, CustomStringConvertible {
    /// The top-level lines, in `show running-config` order.
    public internal(set) var lines: [RunningConfigNode] = []
    var nextSequence = 0

    public init() {}

    public static func == (a: Self, b: Self) -> Bool { a.lines == b.lines }

    /// `show running-config`: top-level blocks and sections separated by `!`, ending in `end`.
    public func render() -> String {
        var output: [String] = []
        var previous: RunningConfigNode?
        for node in lines {
            if let previous, previous.entersMode || node.entersMode || previous.section != node.section {
                output.append("!")
            }
            Self.render(node, depth: 0, into: &output)
            previous = node
        }
        output.append("!")
        output.append("end")
        return output.joined(separator: "\n") + "\n"
    }

    private static func render(_ node: RunningConfigNode, depth: Int, into output: inout [String]) {
        output.append(String(repeating: " ", count: depth) + node.text)
        for child in node.children { render(child, depth: depth + 1, into: &output) }
    }

    public var description: String { render() }

    /// The stored line at `path` (a key per level), if any.
    func node(at path: [[String]]) -> RunningConfigNode? {
        var level = lines
        var found: RunningConfigNode?
        for key in path {
            guard let next = level.first(where: { $0.key == key }) else { return nil }
            found = next
            level = next.children
        }
        return found
    }

    /// Stores `node` among the children of the line at `parent`, replacing a line with the same key
    /// (and keeping that line's sub-mode lines when `node` enters a mode).
    mutating func store(_ node: RunningConfigNode, under parent: [[String]]) {
        var node = node
        node.sequence = nextSequence
        nextSequence += 1
        Self.modify(&lines, at: parent[...]) { children in
            if let index = children.firstIndex(where: { $0.key == node.key }) {
                node.children = children[index].children
                node.sequence = children[index].sequence
                children.remove(at: index)
            }
            let position = children.firstIndex { node.precedes($0) } ?? children.endIndex
            children.insert(node, at: position)
        }
    }

    /// Removes the lines under `parent` whose key starts with `key`.
    mutating func remove(keyPrefix key: [String], under parent: [[String]]) {
        Self.modify(&lines, at: parent[...]) { children in
            children.removeAll { $0.key.starts(with: key) }
        }
    }

    private static func modify(_ level: inout [RunningConfigNode], at path: ArraySlice<[String]>,
                               _ body: (inout [RunningConfigNode]) -> Void) {
        guard let first = path.first else { return body(&level) }
        guard let index = level.firstIndex(where: { $0.key == first }) else { return }
        modify(&level[index].children, at: path.dropFirst(), body)
    }
}
