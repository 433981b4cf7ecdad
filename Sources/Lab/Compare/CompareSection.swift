import Foundation
import IOSConfig

/// A scenario's `compare:` section: the congested interface and the queueing variants to run it with.
///
/// ```yaml
/// compare:
///   device: R1
///   interface: Serial0/0
///   variants:
///     fifo: |
///       interface Serial0/0
///        no fair-queue
/// ```
public struct CompareSection: Sendable {
    /// One variant: IOS lines applied to the device at time 0, before any traffic.
    public struct Variant: Sendable {
        public var name: String
        /// The config lines; an empty list runs the topology as configured.
        public var lines: [String]
        /// The file line of `lines[0]`, so config diagnostics point into the scenario.
        public var firstLine: Int
        /// The line of the variant's key.
        public var line: Int
    }

    public var device: String
    public var deviceLine: Int
    /// Canonical IOS name (`Serial0/0`), as `Network.port(of:named:)` wants it.
    public var interface: String
    public var interfaceLine: Int
    public var variants: [Variant]
    /// The line of the `compare:` key's value.
    public var line: Int
}

extension ScenarioFile {
    static let compareKeys = ["device", "interface", "variants"]

    /// Parses `compare:`; devices and interfaces are checked against the lab when it is built.
    static func parseCompare(_ value: YAMLValue) throws(LabError) -> CompareSection {
        let entries = try value.mapping("compare")
        try checkKeys(entries, allowed: compareKeys, in: "compare")
        func entry(_ key: String, _ example: String) throws(LabError) -> YAMLValue {
            guard let e = entries.first(where: { $0.key == key }) else {
                throw value.error("compare needs '\(key)' (\(example))")
            }
            return e.value
        }
        let device = try entry("device", "the router whose output queue is compared, like R1")
        let interface = try entry("interface", "the congested interface, like Serial0/0")
        let interfaceText = try interface.string("interface")
        let canonical: String
        do { canonical = try InterfaceName(interfaceText).description } catch {
            throw interface.error("'\(interfaceText)' is not an interface name")
        }
        let variantsNode = try entry("variants", "a mapping of variant names to IOS config lines")
        var variants: [CompareSection.Variant] = []
        for v in try variantsNode.mapping("variants") {
            if variants.contains(where: { $0.name == v.key }) { throw v.keyNode.error("variant name '\(v.key)' is used twice") }
            if v.key.isEmpty || v.key.contains(",") || v.key.contains(where: \.isWhitespace) {
                throw v.keyNode.error("variant name '\(v.key)' must be one word without commas")
            }
            let text = v.value.isNull ? "" : try v.value.string("the config lines of variant \(v.key)")
            var lines = text.components(separatedBy: "\n")
            // Interior blank lines stay, so every line keeps its file line number.
            while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
            let style = v.value.node.scalar?.style
            let block = style == .literal || style == .folded
            variants.append(.init(name: v.key, lines: lines, firstLine: block ? v.value.line + 1 : v.value.line, line: v.keyNode.line))
        }
        if variants.isEmpty { throw variantsNode.error("compare needs at least one variant") }
        return CompareSection(device: try device.string("device"), deviceLine: device.line, interface: canonical,
                              interfaceLine: interface.line, variants: variants, line: value.line)
    }
}
