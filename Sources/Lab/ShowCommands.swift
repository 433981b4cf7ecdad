import Engine
import Fabric
import Wire

/// A show command that could not run.
public struct ShowError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

extension Lab {
    /// Runs an IOS exec command (`show ...`, abbreviations allowed) on a device and returns its output.
    public func show(device: String, command: String) throws(ShowError) -> String {
        guard let id = node(device) else { throw ShowError(message: "unknown device '\(device)'") }
        let name = topology.nodes[id.index].name
        return try ShowCommands.shared.run(command, lab: self, node: id, name: name)
    }
}

/// The exec commands, matched with the same grammar and abbreviations as configuration commands.
final class ShowCommands: @unchecked Sendable {
    typealias Handler = (ParsedCommand, Lab, NodeID, String) throws(ShowError) -> String
    static let exec = ConfigMode("exec")
    static let shared = ShowCommands()
    let registry = CommandRegistry<Int>(ignoringDefaults: false)
    var handlers: [Int: Handler] = [:]

    init() {
        add("show running-config") { _, lab, _, name in
            lab.running[name]?.render() ?? "!\nend"
        }
    }

    func add(_ syntax: String, _ handler: @escaping Handler) {
        let spec = registry.register(Self.exec, syntax, negatable: false) { _, _ in }
        handlers[spec.id] = handler
    }

    func run(_ command: String, lab: Lab, node: NodeID, name: String) throws(ShowError) -> String {
        switch registry.parse(command, in: Self.exec) {
        case let .success(parsed):
            guard let handler = handlers[parsed.spec.id] else { throw ShowError(message: "% Invalid input detected") }
            return try handler(parsed, lab, node, name)
        case let .failure(failure):
            let caret = String(repeating: " ", count: max(0, failure.column)) + "^"
            throw ShowError(message: "\(command)\n\(caret)\n\(failure.message)")
        }
    }
}
