import Fabric
import IOSConfig
import QoS
import Wire

/// Legacy queueing: `priority-list`, `queue-list` (ios-behavior §3, §4) and the interface commands
/// that attach queueing: `priority-group`, `custom-queue-list`, `fair-queue`, `service-policy`,
/// `max-reserved-bandwidth`.
extension DeviceCommands {
    static let queueingQualifier = "[list <WORD:acl> | gt <1-65535:gt> | lt <1-65535:lt> | tcp <WORD:tcp> | udp <WORD:udp>]"

    public static func registerLegacyQueueingCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        // One rule per list and match: a new line for the same match moves it to another queue.
        registry.register(.global, "priority-list <1-16> protocol ip {high | medium | normal | low} \(queueingQualifier)", section: .accessList,
                          key: .arguments) { command, config in
            try require([.router], "priority-list", on: config)
            guard let number = command.number(at: 0) else { return }
            if command.isNegated && command.arguments.count == 1 && !command.has("protocol") {
                config.qos.priorityLists[number]?.rules.removeAll()
                return
            }
            let match = try queueingMatch(command)
            var list = config.qos.priorityLists[number] ?? PriorityList(number: number)
            if command.isNegated {
                list.rules.removeAll { $0.match == match }
            } else if let queue = priorityLevel(command) {
                if let i = list.rules.firstIndex(where: { $0.match == match }) {
                    list.rules[i].queue = queue
                } else {
                    list.rules.append(PriorityRule(match, queue))
                }
            }
            config.qos.priorityLists[number] = list
        }
        registry.register(.global, "priority-list <1-16> interface <INTERFACE> {high | medium | normal | low}", section: .accessList,
                          key: .arguments) { command, config in
            try require([.router], "priority-list", on: config)
            guard let number = command.number(at: 0) else { return }
            var list = config.qos.priorityLists[number] ?? PriorityList(number: number)
            if let name = command.interface() {
                let match = QueueingMatch.inputInterface(port: unresolvedPort, name: name.description)
                list.rules.removeAll { $0.match == match }
                if !command.isNegated, let queue = priorityLevel(command) { list.rules.append(PriorityRule(match, queue)) }
            }
            config.qos.priorityLists[number] = list
        }
        registry.register(.global, "priority-list <1-16> default {high | medium | normal | low}", section: .accessList) { command, config in
            try require([.router], "priority-list", on: config)
            guard let number = command.number(at: 0) else { return }
            var list = config.qos.priorityLists[number] ?? PriorityList(number: number)
            list.defaultQueue = command.isNegated ? .normal : priorityLevel(command) ?? .normal
            config.qos.priorityLists[number] = list
        }
        registry.register(.global, "priority-list <1-16> queue-limit <0-32767> <0-32767> <0-32767> <0-32767>", section: .accessList,
                          key: .leadingArguments(1)) { command, config in
            try require([.router], "priority-list", on: config)
            guard let number = command.number(at: 0) else { return }
            var list = config.qos.priorityLists[number] ?? PriorityList(number: number)
            let limits = command.arguments.dropFirst().compactMap(\.value.number)
            list.queueLimits = command.isNegated || limits.count != 4 ? PriorityList.defaultQueueLimits : limits
            config.qos.priorityLists[number] = list
        }

        registry.register(.global, "queue-list <1-16> protocol ip <0-16> \(queueingQualifier)", section: .accessList, key: .arguments) {
            command, config in
            try require([.router], "queue-list", on: config)
            guard let number = command.number(at: 0) else { return }
            if command.isNegated && command.arguments.count == 1 && !command.has("protocol") {
                config.qos.queueLists[number]?.rules.removeAll()
                return
            }
            guard let queue = command.number(at: 1) else { return }
            let match = try queueingMatch(command)
            try applyCustomRule(number, match: match, queue: queue, negated: command.isNegated, to: &config)
        }
        registry.register(.global, "queue-list <1-16> interface <INTERFACE> <0-16>", section: .accessList, key: .arguments) {
            command, config in
            try require([.router], "queue-list", on: config)
            guard let number = command.number(at: 0), let name = command.interface(),
                  let queue = command.number(at: 2) else { return }
            let match = QueueingMatch.inputInterface(port: unresolvedPort, name: name.description)
            try applyCustomRule(number, match: match, queue: queue, negated: command.isNegated, to: &config)
        }
        registry.register(.global, "queue-list <1-16> default <1-16>", section: .accessList) { command, config in
            try require([.router], "queue-list", on: config)
            guard let number = command.number(at: 0) else { return }
            var list = config.qos.queueLists[number] ?? QueueList(number: number)
            list.defaultQueue = command.isNegated ? 1 : command.number(at: 1) ?? 1
            config.qos.queueLists[number] = list
        }
        registry.register(.global, "queue-list <1-16> queue <0-16> byte-count <1-16777215> [limit <0-32767>]", section: .accessList,
                          key: .leadingArguments(2)) { command, config in
            try require([.router], "queue-list", on: config)
            guard let number = command.number(at: 0), let queue = command.number(at: 1) else { return }
            var list = config.qos.queueLists[number] ?? QueueList(number: number)
            list.byteCounts[queue] = command.isNegated ? QueueList.defaultByteCount
                : command.number("byte-count") ?? QueueList.defaultByteCount
            if let limit = command.number("limit") {
                list.limits[queue] = command.isNegated ? QueueList.defaultLimit : limit
            }
            config.qos.queueLists[number] = list
        }
        registry.register(.global, "queue-list <1-16> queue <0-16> limit <0-32767>", section: .accessList, key: .leadingArguments(2)) {
            command, config in
            try require([.router], "queue-list", on: config)
            guard let number = command.number(at: 0), let queue = command.number(at: 1) else { return }
            var list = config.qos.queueLists[number] ?? QueueList(number: number)
            list.limits[queue] = command.isNegated ? QueueList.defaultLimit : command.number("limit") ?? QueueList.defaultLimit
            config.qos.queueLists[number] = list
        }
    }

    /// The port of an input-interface match before the network is built; `resolveQoSPorts` fills it in.
    static let unresolvedPort = UInt32.max - 1

    static func priorityLevel(_ command: ParsedCommand) -> PriorityLevel? {
        PriorityLevel.allCases.first { command.has($0.description) }
    }

    /// The match of a `protocol ip [qualifier]` line.
    static func queueingMatch(_ command: ParsedCommand) throws -> QueueingMatch {
        if let acl = command.text("acl") {
            guard Int(acl).map({ AccessList.kind(ofNumber: String($0)) != nil }) ?? true else {
                throw ConfigError.rejected("% Invalid access list \(acl)")
            }
            return .ipList(acl)
        }
        if let n = command.number("gt") { return .ipGreaterThan(n) }
        if let n = command.number("lt") { return .ipLessThan(n) }
        if let text = command.text("tcp") { return .ipTCPPort(try portNumber(text)) }
        if let text = command.text("udp") { return .ipUDPPort(try portNumber(text)) }
        return .ip
    }

    static func portNumber(_ text: String) throws -> UInt16 {
        if let n = UInt16(text) { return n }
        guard let name = try AccessListParser.keyword(text, in: Array(AccessListParser.portNames.keys)),
              let n = AccessListParser.portNames[name] else {
            throw ConfigError.rejected("% Invalid port \(text)")
        }
        return n
    }

    static func applyCustomRule(_ number: Int, match: QueueingMatch, queue: Int, negated: Bool,
                                to config: inout DeviceConfiguration) throws {
        // IOS behaviour: queue 0 is the system queue and takes no user traffic (ios-behavior §4).
        guard (1...16).contains(queue) else {
            throw ConfigError.rejected("% Queue 0 is the system queue; user traffic goes to queues 1-16")
        }
        var list = config.qos.queueLists[number] ?? QueueList(number: number)
        if negated {
            list.rules.removeAll { $0.match == match && $0.queue == queue }
        } else if !list.rules.contains(where: { $0.match == match && $0.queue == queue }) {
            list.rules.append(CustomQueueRule(match, queue))
        }
        config.qos.queueLists[number] = list
    }

    // MARK: - Interface commands

    public static func registerInterfaceQoSCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        // Registered before the base `fair-queue` (which models only `no fair-queue`), so this one wins.
        registry.register(.interface, "fair-queue [<1-4096> [<16-4096> [<0-1000>]]]", negation: .storedAsNo) {
            command, config in
            try require([.router], "fair-queue", on: config)
            let values = command.arguments.compactMap(\.value.number)
            var parameters = FairQueueParameters()
            if !command.isNegated, let cdt = values.first {
                guard (16...4096).contains(cdt), cdt & (cdt - 1) == 0 else {
                    throw ConfigError.rejected("% Congestive discard threshold must be a power of 2 from 16 to 4096")
                }
                parameters.congestiveDiscardThreshold = cdt
                if values.count > 1 {
                    let dynamic = values[1]
                    guard dynamic & (dynamic - 1) == 0 else {
                        throw ConfigError.rejected("% Number of dynamic queues must be a power of 2 "
                            + "(16, 32, 64, 128, 256, 512, 1024, 2048, 4096)")
                    }
                    parameters.dynamicQueues = dynamic
                }
                if values.count > 2 { parameters.reservableQueues = values[2] }
            }
            try withCurrentInterface(command, &config) { _, interface in interface.fairQueueDisabled = command.isNegated }
            try withBinding(command, &config) { binding in
                if command.isNegated {
                    if case .fairQueue? = binding.output { binding.output = nil }
                } else {
                    binding.output = .fairQueue(parameters)
                    binding.outputLocation = command.location
                }
            }
        }

        registry.register(.interface, "priority-group <1-16>") { command, config in
            try require([.router], "priority-group", on: config)
            try attachOutput(command, .priorityGroup(command.number(at: 0) ?? 0), to: &config) {
                if case .priorityGroup = $0 { true } else { false }
            }
        }
        registry.register(.interface, "custom-queue-list <1-16>") { command, config in
            try require([.router], "custom-queue-list", on: config)
            try attachOutput(command, .customQueueList(command.number(at: 0) ?? 0), to: &config) {
                if case .customQueueList = $0 { true } else { false }
            }
        }
        registry.register(.interface, "max-reserved-bandwidth <1-100>") { command, config in
            try require([.router], "max-reserved-bandwidth", on: config)
            try withCurrentInterface(command, &config) { _, interface in
                interface.maxReservedBandwidthPercent = command.isNegated ? 75 : command.number(at: 0) ?? 75
            }
        }
        registry.register(.interface, "service-policy {input | output} <WORD>",
                          key: .custom { $0.has("input") ? "service-policy input" : "service-policy output" }) {
            command, config in
            try require([.router], "service-policy", on: config)
            guard let name = command.text("WORD") else { return }
            if command.has("input") {
                try withBinding(command, &config) { binding in
                    binding.inputPolicy = command.isNegated ? nil : name
                    binding.inputLocation = command.location
                }
            } else {
                try attachOutput(command, .servicePolicy(name), to: &config) {
                    if case .servicePolicy = $0 { true } else { false }
                }
            }
        }
    }

    /// IOS behaviour: one queueing mechanism per interface; the last one configured is used.
    static func attachOutput(_ command: ParsedCommand, _ output: InterfaceQoSBinding.Output,
                             to config: inout DeviceConfiguration,
                             sameKind: (InterfaceQoSBinding.Output) -> Bool) throws {
        try withBinding(command, &config) { binding in
            if command.isNegated {
                if let current = binding.output, sameKind(current) { binding.output = nil }
            } else {
                binding.output = output
                binding.outputLocation = command.location
            }
        }
    }
}
