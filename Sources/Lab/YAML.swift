import Foundation
import IOSConfig
import Yams

/// A YAML node with the file it came from, so every complaint names file:line:column.
struct YAMLValue {
    let node: Node
    let file: String

    var line: Int { node.mark?.line ?? 1 }
    var column: Int { node.mark?.column ?? 0 }

    func error(_ message: String) -> LabError { LabError(file: file, line: line, column: column, message) }

    var isMapping: Bool { if case .mapping = node { return true } else { return false } }
    var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    var isNull: Bool { node.null != nil && node.scalar?.style == .plain && (node.scalar?.string ?? "").isEmpty }

    /// The entries of a mapping, in file order.
    func mapping(_ what: String) throws(LabError) -> [(key: String, keyNode: YAMLValue, value: YAMLValue)] {
        guard case let .mapping(m) = node else { throw error("expected a mapping for \(what)") }
        return m.map { (k, v) in (k.string ?? "\(k)", YAMLValue(node: k, file: file), YAMLValue(node: v, file: file)) }
    }

    func sequence(_ what: String) throws(LabError) -> [YAMLValue] {
        guard case let .sequence(s) = node else { throw error("expected a list for \(what)") }
        return s.map { YAMLValue(node: $0, file: file) }
    }

    func string(_ what: String) throws(LabError) -> String {
        guard case let .scalar(s) = node else { throw error("expected a single value for \(what)") }
        return s.string
    }

    func int(_ what: String, in range: ClosedRange<Int>? = nil) throws(LabError) -> Int {
        let s = try string(what)
        let value: Int?
        if s.lowercased().hasPrefix("0x") { value = Int(s.dropFirst(2), radix: 16) } else { value = Int(s) }
        guard let v = value else { throw error("expected a whole number for \(what), found '\(s)'") }
        if let range, !range.contains(v) { throw error("\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(v)") }
        return v
    }

    func bool(_ what: String) throws(LabError) -> Bool {
        switch try string(what).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let s: throw error("expected true or false for \(what), found '\(s)'")
        }
    }
}

/// Checks a mapping's keys against the known ones; an unknown key is an error naming the expected ones.
func checkKeys(_ entries: [(key: String, keyNode: YAMLValue, value: YAMLValue)], allowed: [String], in what: String) throws(LabError) {
    for e in entries where !allowed.contains(e.key) {
        throw e.keyNode.error("unknown key '\(e.key)' in \(what) (expected one of: \(allowed.joined(separator: ", ")))")
    }
}

enum YAMLFile {
    /// Reads and composes a YAML file; unreadable files and malformed YAML become a LabError.
    static func load(_ path: String, displayName: String) throws(LabError) -> (YAMLValue, [String]) {
        let data = try read(path, displayName: displayName)
        guard let text = String(data: data, encoding: .utf8) else { throw notUTF8(data, file: displayName) }
        let lines = text.components(separatedBy: "\n")
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw LabError(file: displayName, line: 1, "the file is empty (expected a YAML mapping)")
            }
            return (YAMLValue(node: node, file: displayName), lines)
        } catch let e as LabError {
            throw e
        } catch let e as YamlError {
            throw yamlError(e, file: displayName)
        } catch {
            throw LabError(file: displayName, line: 1, "malformed YAML: \(error)")
        }
    }

    /// The bytes of a lab file; a missing or unreadable file is an error at its first line.
    static func read(_ path: String, displayName: String) throws(LabError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LabError(file: displayName, line: 1, column: 1, "no such file")
        }
        if isDirectory.boolValue { throw LabError(file: displayName, line: 1, column: 1, "is a directory (expected a YAML file)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError(file: displayName, line: 1, column: 1, "cannot read the file (permission denied?)")
        }
        return data
    }

    /// Names the line and column of the first byte that is not UTF-8.
    static func notUTF8(_ data: Data, file: String) -> LabError {
        var bytes = data.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&bytes) {
            case let .scalarValue(scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                return LabError(file: file, line: line, column: column, "the file is not UTF-8 text (save it as UTF-8)")
            case .error:
                return LabError(file: file, line: line, column: column, "the file is not UTF-8 text: an invalid byte here (save it as UTF-8)")
            }
        }
    }

    static func yamlError(_ e: YamlError, file: String) -> LabError {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let ctx = context.map { " (\($0.text))" } ?? ""
            return LabError(file: file, line: mark.line, column: mark.column, "malformed YAML: \(problem)\(ctx)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return LabError(file: file, line: context.mark.line, column: context.mark.column,
                            "malformed YAML: duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return LabError(file: file, line: 1, "malformed YAML: \(e)")
        }
    }
}
