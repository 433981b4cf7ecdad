import Fabric
import IOSConfig
import QoS
import Wire

/// Resolution of QoS references at the end of parsing: interfaces receive typed queueing
/// (`.priority(list)`, `.custom(list)`, `.fair(parameters)`, `.policy(map)`) and input policies.
extension DeviceCommands {
    /// Fills each interface's `queueing` and `inputPolicy` from the QoS definitions and returns the
    /// errors IOS would give, at the line that made the reference.
    ///
    /// - Parameters:
    ///   - port: the fabric port of an interface name, for `input-interface` matches (nil before the
    ///     network is built: such matches match nothing until `Lab.resolveQoSPorts` runs).
    ///   - linkRate: the line rate of an interface's link, the interface bandwidth when no `bandwidth`
    ///     command is given (nil when the interface is not cabled).
    public static func finalizeQoS(_ config: inout DeviceConfiguration, port: (String) -> UInt32?,
                                   linkRate: (String) -> Bandwidth?) -> [LabError] {
        guard config.kind == .router else { return [] }
        var errors: [LabError] = []
        let qos = config.qos

        func resolve(_ match: QueueingMatch) -> QueueingMatch {
            guard case let .inputInterface(_, name) = match else { return match }
            return .inputInterface(port: port(name) ?? unresolvedPort, name: name)
        }
        func resolve(_ criterion: MatchCriterion) -> MatchCriterion {
            switch criterion {
            case let .inputInterface(_, name): .inputInterface(port: port(name) ?? unresolvedPort, name: name)
            case let .not(inner): .not(resolve(inner))
            default: criterion
            }
        }

        var policies: [String: PolicyMap] = [:]
        for (name, definition) in qos.policyMaps {
            var classes: [ClassPolicy] = []
            for entry in definition.classes {
                var policy = entry.policy
                if entry.name != ClassMap.classDefaultName {
                    guard var classMap = qos.classMaps[entry.name] else {
                        errors.append(LabError(file: entry.location.file, line: entry.location.line,
                                               column: entry.location.column,
                                               "% class-map \(entry.name) not configured"))
                        continue
                    }
                    classMap.criteria = classMap.criteria.map(resolve)
                    policy.classMap = classMap
                }
                classes.append(policy)
            }
            policies[name] = PolicyMap(name, classes: classes)
        }

        for index in config.ip.interfaces.indices {
            let interface = config.ip.interfaces[index]
            let binding = qos.interfaces[interface.name] ?? InterfaceQoSBinding()
            var queueing: QueueingConfiguration?
            switch binding.output {
            case let .priorityGroup(n)?:
                var list = qos.priorityLists[n] ?? PriorityList(number: n)
                list.rules = list.rules.map { PriorityRule(resolve($0.match), $0.queue) }
                queueing = .priority(list)
            case let .customQueueList(n)?:
                var list = qos.queueLists[n] ?? QueueList(number: n)
                list.rules = list.rules.map { CustomQueueRule(resolve($0.match), $0.queue) }
                queueing = .custom(list)
            case var .fairQueue(parameters)?:
                // `hold-queue N out` is the WFQ system limit too (ios-behavior §5.2).
                parameters.holdQueue = interface.holdQueueOut ?? FairQueueParameters().holdQueue
                queueing = .fair(parameters)
            case let .servicePolicy(name)?:
                let location = binding.outputLocation
                if let policy = policies[name] {
                    queueing = .policy(policy)
                    if let bandwidth = interface.bandwidth ?? linkRate(interface.name),
                       let message = policy.validate(against: bandwidth,
                                                     maxReservedPercent: interface.maxReservedBandwidthPercent,
                                                     interfaceName: interface.name) {
                        errors.append(error(at: location, message))
                        queueing = nil
                    }
                } else if qos.policyMaps[name] == nil {
                    errors.append(error(at: location, "% policy map \(name) not configured"))
                }
            case nil:
                queueing = nil
            }
            config.ip.interfaces[index].queueing = queueing
            var input: PolicyMap?
            if let name = binding.inputPolicy {
                input = policies[name]
                if input == nil, qos.policyMaps[name] == nil {
                    errors.append(error(at: binding.inputLocation, "% policy map \(name) not configured"))
                }
            }
            config.ip.interfaces[index].inputPolicy = input
        }
        return errors
    }

    static func error(at location: SourceLocation?, _ message: String) -> LabError {
        LabError(file: location?.file ?? "", line: location?.line ?? 0, column: location?.column ?? 0, message)
    }

    /// Whether any list or class map matches on the input interface (needs fabric port numbers).
    static func usesInputInterface(_ qos: QoSDefinitions) -> Bool {
        func uses(_ c: MatchCriterion) -> Bool {
            switch c {
            case .inputInterface: true
            case let .not(inner): uses(inner)
            default: false
            }
        }
        let isInterface: (QueueingMatch) -> Bool = { if case .inputInterface = $0 { true } else { false } }
        return qos.priorityLists.values.contains { $0.rules.contains { isInterface($0.match) } }
            || qos.queueLists.values.contains { $0.rules.contains { isInterface($0.match) } }
            || qos.classMaps.values.contains { $0.criteria.contains(where: uses) }
    }
}

extension Lab {
    /// Resolves one device's QoS after its configuration is parsed (`Lab.build`), with link rates from
    /// the topology; input interfaces get their ports once the network exists (`resolveQoSPorts`).
    func finalizeQoS(_ configuration: inout DeviceConfiguration, node: String) -> [LabError] {
        DeviceCommands.finalizeQoS(&configuration, port: { _ in nil }) { interface in
            topology.links.first { link in
                (link.a.node == node && link.a.interface == interface)
                    || (link.b.node == node && link.b.interface == interface)
            }?.bandwidth
        }
    }

    /// Resolves QoS on a running network (after a scenario's config event): ports and line rates are known.
    func finalizeQoS(_ configuration: inout DeviceConfiguration, id: NodeID) -> [LabError] {
        let network = network
        return DeviceCommands.finalizeQoS(&configuration, port: { name in
            network.port(of: id, named: name)?.rawValue
        }) { name in
            network.port(of: id, named: name).map { network.ports[$0.index].lineRate }
        }
    }

    /// After the network is built: `input-interface` matches learn their ports, and the devices that
    /// use them get their queues rebuilt.
    func resolveQoSPorts() {
        for spec in topology.nodes where spec.kind == .router {
            guard var configuration = configurations[spec.name], DeviceCommands.usesInputInterface(configuration.qos),
                  let id = node(spec.name) else { continue }
            _ = finalizeQoS(&configuration, id: id)
            network.reconfigure(id, with: configuration.ip)
        }
    }
}
