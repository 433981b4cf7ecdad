import Fabric
import IOSConfig
import QoS
import Wire

/// QoS definitions as parsed, before resolution: lists, class maps, policy maps and what each
/// interface refers to by number or name. IOS accepts references before their targets exist
/// (`priority-group 1` before `priority-list 1 ...`), so interfaces receive typed values only when
/// `DeviceCommands.finalizeQoS` resolves the references at the end of parsing.
public struct QoSDefinitions: Sendable {
    /// `priority-list N ...`, by list number.
    public var priorityLists: [Int: PriorityList] = [:]
    /// `queue-list N ...`, by list number.
    public var queueLists: [Int: QueueList] = [:]
    /// `class-map NAME`, by name.
    public var classMaps: [String: ClassMap] = [:]
    /// `policy-map NAME`, by name.
    public var policyMaps: [String: PolicyMapDefinition] = [:]
    /// What each interface (canonical name) attaches.
    public var interfaces: [String: InterfaceQoSBinding] = [:]

    public init() {}
}

/// A `policy-map` as written: its classes in configuration order, each naming a class map that is
/// looked up at resolution (the `class` line's location is kept for the error IOS gives).
public struct PolicyMapDefinition: Sendable {
    public struct Class: Sendable {
        public var name: String
        public var location: SourceLocation
        /// The class's actions; its `classMap` is a placeholder until resolution.
        public var policy: ClassPolicy
    }

    public var name: String
    public var classes: [Class] = []

    public init(name: String) { self.name = name }
}

/// The queueing an interface attaches, by reference, with the line that attached it.
public struct InterfaceQoSBinding: Sendable {
    public enum Output: Sendable {
        case priorityGroup(Int)
        case customQueueList(Int)
        case fairQueue(FairQueueParameters)
        case servicePolicy(String)
    }

    public var output: Output?
    public var outputLocation: SourceLocation?
    public var inputPolicy: String?
    public var inputLocation: SourceLocation?

    public init() {}
}

/// The IOS QoS configuration commands: access lists, legacy queueing (`priority-list`, `queue-list`,
/// `fair-queue`), MQC (`class-map`, `policy-map`, `service-policy`).
extension DeviceCommands {
    public static func registerQoSCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        registerAccessListCommands(into: registry)
        registerLegacyQueueingCommands(into: registry)
        registerMQCCommands(into: registry)
        registerInterfaceQoSCommands(into: registry)
    }

    /// Runs `body` on the QoS binding of the interface whose mode the command was given in.
    static func withBinding(_ command: ParsedCommand, _ config: inout DeviceConfiguration,
                            _ body: (inout InterfaceQoSBinding) throws -> Void) throws {
        let name = try currentInterface(command).description
        config.withInterface(name) { _ in }
        try body(&config.qos.interfaces[name, default: InterfaceQoSBinding()])
    }
}

// MARK: - Access lists

/// IOS behaviour: numbered access-list lines and named-list entries are kept in the running config
/// one line per typed line, in configuration order, with the text after `permit`/`deny` as typed
/// (the parser checks it and builds the typed entry). A structured grammar would sort lines by their
/// values and so reorder the list.
extension DeviceCommands {
    static let standardACLMode = ConfigMode("std-nacl")
    static let extendedACLMode = ConfigMode("ext-nacl")

    public static func registerAccessListCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        registry.register(.global, "access-list <1-2699> {permit | deny | remark} <LINE>", section: .accessList,
                          key: .arguments) { command, config in
            try require([.router], "access-list", on: config)
            guard let number = command.number(at: 0) else { return }
            let name = String(number)
            guard let kind = AccessList.kind(ofNumber: name) else {
                throw ConfigError.rejected("% Invalid access list number \(number)")
            }
            if command.isNegated {
                guard let text = command.text("LINE") else {
                    config.ip.accessLists.removeAll { $0.name == name }
                    return
                }
                guard !command.has("remark") else { return }
                let entry = try AccessListParser.entry(action: command.has("permit") ? .permit : .deny,
                                                       text, kind: kind)
                config.withAccessList(name, kind: kind) { list in list.entries.removeAll { $0 == entry } }
                return
            }
            guard !command.has("remark"), let text = command.text("LINE") else { return }
            let entry = try AccessListParser.entry(action: command.has("permit") ? .permit : .deny, text, kind: kind)
            config.withAccessList(name, kind: kind) { $0.entries.append(entry) }
        }

        registry.register(.global, "ip access-list standard <WORD>", enters: standardACLMode, section: .accessList) {
            command, config in
            try applyNamedACL(command, kind: .standard, to: &config)
        }
        registry.register(.global, "ip access-list extended <WORD>", enters: extendedACLMode, section: .accessList) {
            command, config in
            try applyNamedACL(command, kind: .extended, to: &config)
        }
        for mode in [standardACLMode, extendedACLMode] {
            registry.register(mode, "[<1-2147483647>] {permit | deny | remark} <LINE>", key: .arguments) {
                command, config in
                try applyNamedACLEntry(command, to: &config)
            }
        }
    }

    static func applyNamedACL(_ command: ParsedCommand, kind: AccessList.Kind,
                              to config: inout DeviceConfiguration) throws {
        try require([.router], "ip access-list", on: config)
        guard let name = command.text("WORD") else { return }
        if command.isNegated {
            config.ip.accessLists.removeAll { $0.name == name }
            return
        }
        if let existing = config.ip.accessLists.first(where: { $0.name == name }), existing.kind != kind {
            throw ConfigError.rejected("% A named \(existing.kind == .standard ? "standard" : "extended") IP access "
                + "list with this name already exists")
        }
        config.withAccessList(name, kind: kind) { _ in }
    }

    static func applyNamedACLEntry(_ command: ParsedCommand, to config: inout DeviceConfiguration) throws {
        guard let owner = command.contexts.last, let name = owner.text("WORD") else { return }
        let kind: AccessList.Kind = owner.has("standard") ? .standard : .extended
        let sequence = command.arguments.first { $0.placeholder == "1-2147483647" }?.value.number
        if command.isNegated {
            config.withAccessList(name, kind: kind) { list in
                if let sequence, command.text("LINE") == nil {
                    list.entries.removeAll { $0.sequence == sequence }
                } else if let text = command.text("LINE"), !command.has("remark"),
                          let entry = try? AccessListParser.entry(action: command.has("permit") ? .permit : .deny,
                                                                  text, kind: kind) {
                    list.entries.removeAll { $0.action == entry.action && $0.matchesSameTraffic(as: entry) }
                }
            }
            return
        }
        guard !command.has("remark"), let text = command.text("LINE") else { return }
        var entry = try AccessListParser.entry(action: command.has("permit") ? .permit : .deny, text, kind: kind)
        try config.withAccessList(name, kind: kind) { list in
            // IOS numbers entries 10, 20, ...: the next one follows the highest so far.
            let highest = list.entries.map(\.sequence).max() ?? 0
            entry.sequence = sequence ?? highest + 10
            if list.entries.contains(where: { $0.sequence == entry.sequence }) {
                throw ConfigError.rejected("% Duplicate sequence number")
            }
            list.entries.append(entry)
            list.entries.sort { $0.sequence < $1.sequence }
        }
    }
}

extension AccessListEntry {
    /// The same entry apart from its sequence number.
    func matchesSameTraffic(as other: AccessListEntry) -> Bool {
        var a = self, b = other
        a.sequence = 0
        b.sequence = 0
        return a == b
    }
}

extension DeviceConfiguration {
    /// The access list `name`, created (empty, of `kind`) on first use.
    mutating func withAccessList<R>(_ name: String, kind: AccessList.Kind,
                                    _ body: (inout AccessListDefinition) throws -> R) rethrows -> R {
        if let i = ip.accessLists.firstIndex(where: { $0.name == name }) { return try body(&ip.accessLists[i]) }
        var list = AccessListDefinition(name: name, kind: kind, entries: [])
        let result = try body(&list)
        ip.accessLists.append(list)
        return result
    }
}

/// Parses the part of an access-list line after `permit`/`deny`, with IOS keyword abbreviations.
enum AccessListParser {
    /// Well-known port names IOS accepts (and prints) in extended lists.
    static let portNames: [String: UInt16] = [
        "bgp": 179, "bootpc": 68, "bootps": 67, "domain": 53, "echo": 7, "ftp": 21, "ftp-data": 20, "isakmp": 500,
        "ntp": 123, "pop3": 110, "smtp": 25, "snmp": 161, "snmptrap": 162, "syslog": 514, "telnet": 23, "tftp": 69,
        "www": 80,
    ]
    static let protocolNames: [String: IPProtocolMatch] = [
        "ip": .ip, "icmp": .icmp, "tcp": .tcp, "udp": .udp, "igmp": .number(2), "gre": .number(47),
        "eigrp": .number(88), "ospf": .number(89), "pim": .number(103),
    ]

    static func entry(action: AccessListEntry.Action, _ text: String, kind: AccessList.Kind) throws -> AccessListEntry {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)[...]
        switch kind {
        case .standard:
            let source = try address(&words, standard: true)
            _ = take(&words, "log")
            try finish(words)
            return .standard(action, source)
        case .extended:
            guard let word = words.popFirst() else { throw incomplete }
            let proto: IPProtocolMatch
            if let number = UInt8(word) {
                proto = [1: .icmp, 6: .tcp, 17: .udp][number] ?? .number(number)
            } else if let named = try keyword(word, in: Array(protocolNames.keys)).flatMap({ protocolNames[$0] }) {
                proto = named
            } else {
                throw invalid(word)
            }
            let hasPorts = proto == .tcp || proto == .udp
            let source = try address(&words, standard: false)
            let sourcePort = hasPorts ? try port(&words) : nil
            let destination = try address(&words, standard: false)
            let destinationPort = hasPorts ? try port(&words) : nil
            var entry = AccessListEntry(action, proto, source: source, sourcePort: sourcePort,
                                        destination: destination, destinationPort: destinationPort)
            while let word = words.popFirst() {
                switch try keyword(word, in: ["dscp", "precedence", "log"]) {
                case "dscp":
                    guard let value = words.popFirst() else { throw incomplete }
                    guard let dscp = DSCP(name: value) else { throw invalid(value) }
                    entry.dscp = dscp.rawValue
                case "precedence":
                    guard let value = words.popFirst() else { throw incomplete }
                    guard let p = precedence(value) else { throw invalid(value) }
                    entry.precedence = p
                case "log":
                    break
                default:
                    throw invalid(word)
                }
            }
            return entry
        }
    }

    static var incomplete: ConfigError { .rejected("% Incomplete command.") }
    static func invalid(_ word: String) -> ConfigError { .rejected("% Invalid input detected at '\(word)'") }

    static func finish(_ words: ArraySlice<String>) throws {
        if let extra = words.first { throw invalid(extra) }
    }

    /// The full keyword that `word` abbreviates among `keywords` (an exact match wins), or nil.
    static func keyword(_ word: String, in keywords: [String]) throws -> String? {
        let lowered = word.lowercased()
        if keywords.contains(lowered) { return lowered }
        let candidates = keywords.filter { $0.hasPrefix(lowered) }
        if candidates.count > 1 { throw ConfigError.rejected("% Ambiguous command: \"\(word)\"") }
        return candidates.first
    }

    static func take(_ words: inout ArraySlice<String>, _ expected: String) -> Bool {
        guard let first = words.first, (try? keyword(first, in: [expected])) == expected else { return false }
        words.removeFirst()
        return true
    }

    /// `any`, `host A`, `A [W]` (standard lists: the wildcard is optional), or `A W`.
    static func address(_ words: inout ArraySlice<String>, standard: Bool) throws -> AddressMatch {
        guard let word = words.popFirst() else { throw incomplete }
        if let address = IPv4Address(word) {
            if let next = words.first, let wildcard = IPv4Address(next) {
                words.removeFirst()
                return wildcard.rawValue == 0 ? .host(address) : .wildcard(address, bits: wildcard)
            }
            guard standard else { throw incomplete }
            return .host(address)
        }
        switch try keyword(word, in: ["any", "host"]) {
        case "any": return .any
        case "host":
            guard let next = words.popFirst() else { throw incomplete }
            guard let address = IPv4Address(next) else { throw invalid(next) }
            return .host(address)
        default: throw invalid(word)
        }
    }

    /// An optional port operator: `eq|gt|lt|neq P` or `range P P`.
    static func port(_ words: inout ArraySlice<String>) throws -> PortMatch? {
        guard let word = words.first,
              let op = try? keyword(word, in: ["eq", "gt", "lt", "neq", "range"]) else { return nil }
        words.removeFirst()
        func value() throws -> UInt16 {
            guard let text = words.popFirst() else { throw incomplete }
            if let n = UInt16(text) { return n }
            guard let name = try keyword(text, in: Array(portNames.keys)), let n = portNames[name] else {
                throw invalid(text)
            }
            return n
        }
        switch op {
        case "eq": return .eq(try value())
        case "gt": return .gt(try value())
        case "lt": return .lt(try value())
        case "neq": return .neq(try value())
        default:
            let low = try value()
            return .range(low, try value())
        }
    }

    static let precedenceNames = ["routine", "priority", "immediate", "flash", "flash-override", "critical",
                                  "internet", "network"]

    static func precedence(_ text: String) -> UInt8? {
        if let n = UInt8(text), n <= 7 { return n }
        return precedenceNames.firstIndex(of: text.lowercased()).map(UInt8.init)
    }
}
