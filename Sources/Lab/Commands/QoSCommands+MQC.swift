import Fabric
import IOSConfig
import QoS
import Wire

/// MQC: `class-map` with its `match` lines, `policy-map` with its classes and their actions
/// (ios-behavior §6).
extension DeviceCommands {
    /// The criteria of `match` (and `match not`), each with how it becomes a `MatchCriterion`.
    static var matchCriteria: [(syntax: String, build: @Sendable (ParsedCommand) throws -> MatchCriterion)] { [
        ("access-group <1-2699>", { .accessGroup(String($0.number(at: 0) ?? 0)) }),
        ("access-group name <WORD>", { .accessGroup($0.text("WORD") ?? "") }),
        ("protocol {ip | icmp | tcp | udp}", { command in
            .protocol([IPProtocolMatch.icmp, .tcp, .udp].first { command.has($0.description) } ?? .ip)
        }),
        ("[ip] dscp " + valueList("<WORD>", count: 8), { command in
            .dscp(try command.arguments.map { argument in
                guard let text = argument.value.text, let dscp = DSCP(name: text) else {
                    throw ConfigError.rejected("% Invalid DSCP value \(argument.value)")
                }
                return dscp
            })
        }),
        ("[ip] precedence " + valueList("<WORD>", count: 4), { command in
            .precedence(try command.arguments.map { argument in
                guard let text = argument.value.text, let p = AccessListParser.precedence(text) else {
                    throw ConfigError.rejected("% Invalid precedence value \(argument.value)")
                }
                return p
            })
        }),
        ("input-interface <INTERFACE>", { .inputInterface(port: unresolvedPort, name: $0.interface()?.description ?? "") }),
        ("any", { _ in .any }),
    ] }

    /// `<V> [<V> [<V> ...]]`: one to `count` values.
    static func valueList(_ value: String, count: Int) -> String {
        (1..<count).reduce(value) { text, _ in "\(value) [\(text)]" }
    }

    static func policyActions(_ policy: inout ClassPolicy, _ command: ParsedCommand) throws {
        let negated = command.isNegated
        switch command.keywords.first {
        case "bandwidth":
            if negated { policy.bandwidth = nil; return }
            guard let value = command.number(at: 0) else { return }
            policy.bandwidth = command.has("remaining") ? .remainingPercent(value)
                : command.has("percent") ? .percent(value) : .kbps(value)
        case "priority":
            if negated { policy.priority = nil; return }
            guard let value = command.number(at: 0) else { return }
            let burst = command.number(at: 1)
            policy.priority = command.has("percent") ? .percent(value, burstBytes: burst) : .kbps(value, burstBytes: burst)
        case "queue-limit":
            policy.queueLimit = negated ? nil : command.number(at: 0)
        case "fair-queue":
            policy.fairQueue = negated ? nil : .some(command.number(at: 0))
        case "random-detect":
            policy.randomDetect = negated ? nil : RandomDetect()
        case "police":
            if negated { policy.police = nil; return }
            guard let cir = command.number("cir") else { return }
            policy.police = Police(cirBitsPerSecond: Int64(cir), burstBytes: command.number("bc"),
                                   conform: try policeAction(command, "conform-action") ?? .transmit,
                                   exceed: try policeAction(command, "exceed-action") ?? .drop)
        case "shape":
            if negated { policy.shape = nil; return }
            guard let rate = command.number(at: 0) else { return }
            policy.shape = Shape(rateBitsPerSecond: Int64(rate), sustainedBits: command.number(at: 1).map(Int64.init))
        case "set":
            let mark: MarkAction
            if command.has("dscp") {
                guard let text = command.text("WORD"), let dscp = DSCP(name: text) else {
                    throw ConfigError.rejected("% Invalid DSCP value")
                }
                mark = .dscp(dscp)
            } else {
                mark = .precedence(UInt8(command.number(at: 0) ?? 0))
            }
            let sameKind: (MarkAction) -> Bool = { existing in
                switch (existing, mark) {
                case (.dscp, .dscp), (.precedence, .precedence): true
                default: false
                }
            }
            policy.set.removeAll(where: sameKind)
            if !negated { policy.set.append(mark) }
        case "drop":
            policy.drop = !negated
        default:
            break
        }
    }

    /// The action after `conform-action`/`exceed-action`, if given.
    static func policeAction(_ command: ParsedCommand, _ keyword: String) throws -> PoliceAction? {
        guard let at = command.keywords.firstIndex(of: keyword), at + 1 < command.keywords.count else { return nil }
        switch command.keywords[at + 1] {
        case "transmit": return .transmit
        case "drop": return .drop
        case "set-dscp-transmit":
            let value = command.arguments.first { $0.keywordPath.last == "set-dscp-transmit" }?.value.text ?? ""
            guard let dscp = DSCP(name: value) else { throw ConfigError.rejected("% Invalid DSCP value \(value)") }
            return .setDSCPTransmit(dscp)
        case "set-prec-transmit":
            let value = command.arguments.first { $0.keywordPath.last == "set-prec-transmit" }?.value.number ?? 0
            return .setPrecedenceTransmit(UInt8(value))
        default: return nil
        }
    }

    public static func registerMQCCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        registry.register(.global, "class-map [match-all | match-any] <WORD>", enters: .classMap) { command, config in
            try require([.router], "class-map", on: config)
            guard let name = command.text("WORD") else { return }
            guard name.lowercased() != ClassMap.classDefaultName else {
                throw ConfigError.rejected("% class-default is predefined and cannot be configured")
            }
            if command.isNegated {
                config.qos.classMaps[name] = nil
                return
            }
            let mode: ClassMap.Mode = command.has("match-any") ? .matchAny : .matchAll
            config.qos.classMaps[name, default: ClassMap(name, mode, [])].mode = mode
        }

        // Each `match` line is its own running-config line; `no match ...` removes that line.
        let matchKey = RunningConfigKey.custom { command in
            (command.isNegated ? command.canonicalWords.dropFirst() : command.canonicalWords[...]).joined(separator: " ")
        }
        for negatedMatch in [false, true] {
            for (syntax, build) in matchCriteria {
                registry.register(.classMap, "match " + (negatedMatch ? "not " : "") + syntax, key: matchKey) {
                    command, config in
                    guard let name = command.enclosing(.classMap)?.text("WORD") else { return }
                    var criterion = try build(command)
                    if negatedMatch { criterion = .not(criterion) }
                    var classMap = config.qos.classMaps[name] ?? ClassMap(name, .matchAll, [])
                    classMap.criteria.removeAll { $0 == criterion }
                    if !command.isNegated { classMap.criteria.append(criterion) }
                    config.qos.classMaps[name] = classMap
                }
            }
        }

        registry.register(.global, "policy-map <WORD>", enters: .policyMap) { command, config in
            try require([.router], "policy-map", on: config)
            guard let name = command.text("WORD") else { return }
            if command.isNegated {
                config.qos.policyMaps[name] = nil
            } else if config.qos.policyMaps[name] == nil {
                config.qos.policyMaps[name] = PolicyMapDefinition(name: name)
            }
        }

        // IOS checks the class map when the `class` line is typed; the emulator checks at the end of
        // parsing (so the order of a file does not matter) and reports this line if it is still missing.
        registry.register(.policyMap, "class <WORD>", enters: .policyMapClass) { command, config in
            guard let policyName = command.enclosing(.policyMap)?.text("WORD"), let name = command.text("WORD") else {
                return
            }
            let isDefault = name.lowercased() == ClassMap.classDefaultName
            let className = isDefault ? ClassMap.classDefaultName : name
            var policy = config.qos.policyMaps[policyName] ?? PolicyMapDefinition(name: policyName)
            if command.isNegated {
                policy.classes.removeAll { $0.name == className }
            } else if !policy.classes.contains(where: { $0.name == className }) {
                let placeholder = isDefault ? ClassMap.classDefault : ClassMap(className, .matchAll, [])
                policy.classes.append(.init(name: className, location: command.location,
                                            policy: ClassPolicy(placeholder)))
            }
            config.qos.policyMaps[policyName] = policy
        }

        let actionSyntaxes = [
            "bandwidth {<8-10000000> | percent <1-100> | remaining percent <1-100>}",
            "priority {<8-10000000> [<32-2000000>] | percent <1-100> [<32-2000000>]}",
            "queue-limit <1-32768> [packets]",
            "fair-queue [<16-4096>]",
            "random-detect",
            "police [cir] <8000-10000000000:cir> [[bc] <1000-512000000:bc>] [conform-action \(policeActionSyntax)] "
                + "[exceed-action \(policeActionSyntax)]",
            "shape average <8000-10000000000> [<256-154400000>]",
            "set [ip] dscp <WORD>",
            "set [ip] precedence <0-7>",
            "drop",
        ]
        for syntax in actionSyntaxes {
            registry.register(.policyMapClass, syntax) { command, config in
                guard let classLine = command.enclosing(.policyMapClass), let className = classLine.text("WORD"),
                      let policyName = command.enclosing(.policyMap)?.text("WORD"),
                      var policy = config.qos.policyMaps[policyName] else { return }
                let name = className.lowercased() == ClassMap.classDefaultName ? ClassMap.classDefaultName : className
                guard let index = policy.classes.firstIndex(where: { $0.name == name }) else { return }
                try policyActions(&policy.classes[index].policy, command)
                try checkClassActions(policy.classes[index].policy)
                config.qos.policyMaps[policyName] = policy
            }
        }
    }

    static let policeActionSyntax = "{transmit | drop | set-dscp-transmit <WORD> | set-prec-transmit <0-7>}"

    /// IOS refuses `bandwidth` and `priority` in one class.
    static func checkClassActions(_ policy: ClassPolicy) throws {
        if policy.bandwidth != nil && policy.priority != nil {
            throw ConfigError.rejected("% Cannot configure both bandwidth and priority in the same class")
        }
    }
}
