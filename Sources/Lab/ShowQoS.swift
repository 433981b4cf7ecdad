import Engine
import Fabric
import IOSConfig
import QoS
import Wire

/// The QoS exec commands: `show queueing`, `show queue`, `show policy-map [interface]`,
/// `show access-lists`. Output comes from the QoS renderers; the lists shown are the configured ones.
extension ShowCommands {
    func addQoSCommands() {
        add("show queueing [{priority | custom | fair}]") { c, lab, node, name throws(ShowError) in
            let router = try Self.router(lab, node)
            let qos = lab.configurations[name]?.qos ?? QoSDefinitions()
            var lines: [String] = []
            let all = !c.has("priority") && !c.has("custom") && !c.has("fair")
            if all || c.has("fair") {
                let fair = lab.network.ports(of: node).compactMap { port -> (name: String, parameters: FairQueueParameters)? in
                    guard case let .fair(p) = port.queue.configuration else { return nil }
                    return (port.name, p)
                }
                lines += QueueingDisplay.fairLines(fair)
            }
            if all || c.has("priority") {
                if !lines.isEmpty { lines.append("") }
                lines += QueueingDisplay.priorityLines(qos.priorityLists.keys.sorted().map { qos.priorityLists[$0]! })
            }
            if all || c.has("custom") {
                if !lines.isEmpty { lines.append("") }
                lines += QueueingDisplay.customLines(qos.queueLists.keys.sorted().map { qos.queueLists[$0]! })
            }
            _ = router
            return lines.joined(separator: "\n")
        }
        add("show queue <INTERFACE>") { c, lab, node, _ throws(ShowError) in
            let port = try Self.port(lab, node, c.interface())
            return port.queue.showQueueLines(interfaceName: port.name).joined(separator: "\n")
        }
        add("show policy-map interface [<INTERFACE>] [{input | output}]") { c, lab, node, _ throws(ShowError) in
            let router = try Self.router(lab, node)
            let wanted = c.interface()?.description
            var blocks: [[String]] = []
            for (i, interface) in router.interfaces.enumerated() {
                if let wanted, interface.name != wanted { continue }
                let input = c.has("output") ? nil : (i < router.inputPolicies.count ? router.inputPolicies[i] : nil)
                var output: OutputQueue?
                if !c.has("input"), let port = interface.port, !interface.name.contains(".") {
                    let queue = lab.network.ports[port.index].queue
                    if case .policy = queue.configuration { output = queue }
                }
                guard input != nil || output != nil else { continue }
                blocks.append(showPolicyMapInterface(interfaceName: interface.name, input: input, output: output,
                                                     now: lab.network.now))
            }
            if let wanted, blocks.isEmpty, !router.interfaces.contains(where: { $0.name == wanted }) {
                throw ShowError(message: "% Invalid input detected: no interface \(wanted)")
            }
            return blocks.map { $0.joined(separator: "\n") }.joined(separator: "\n\n")
        }
        add("show policy-map [<WORD>]") { c, lab, node, name throws(ShowError) in
            _ = try Self.router(lab, node)
            let qos = lab.configurations[name]?.qos ?? QoSDefinitions()
            let names = c.text("WORD").map { [$0] } ?? qos.policyMaps.keys.sorted()
            var lines: [String] = []
            for policyName in names {
                guard let policy = qos.policyMaps[policyName] else {
                    throw ShowError(message: "% Policy map \(policyName) not configured")
                }
                lines += PolicyMapText.lines(policy)
            }
            return lines.joined(separator: "\n")
        }
        add("show access-lists [<WORD>]") { c, lab, node, _ throws(ShowError) in
            let router = try Self.router(lab, node)
            if let listName = c.text("WORD") {
                guard let list = router.accessLists[listName] else { return "" }
                return list.showLines().joined(separator: "\n")
            }
            return router.accessLists.showLines().joined(separator: "\n")
        }
        add("show ip access-lists [<WORD>]") { c, lab, node, _ throws(ShowError) in
            let router = try Self.router(lab, node)
            if let listName = c.text("WORD") {
                return router.accessLists[listName]?.showLines().joined(separator: "\n") ?? ""
            }
            return router.accessLists.showLines().joined(separator: "\n")
        }
    }

    static func router(_ lab: Lab, _ node: NodeID) throws(ShowError) -> IPNode {
        guard lab.kind(of: node) == .router, let router = lab.network.ipNode(node) else {
            throw ShowError(message: "% QoS is shown on routers")
        }
        return router
    }

    static func port(_ lab: Lab, _ node: NodeID, _ name: InterfaceName?) throws(ShowError) -> Port {
        guard let name, let id = lab.network.port(of: node, named: name.description) else {
            throw ShowError(message: "% Invalid input detected: no interface \(name?.description ?? "")")
        }
        return lab.network.ports[id.index]
    }
}

/// `show policy-map NAME`: the configured policy as IOS prints it.
enum PolicyMapText {
    static func lines(_ policy: PolicyMapDefinition) -> [String] {
        var lines = ["  Policy Map \(policy.name)"]
        var classes = policy.classes.filter { $0.name != ClassMap.classDefaultName }
        classes += policy.classes.filter { $0.name == ClassMap.classDefaultName }
        for entry in classes {
            lines.append("    Class \(entry.name)")
            let p = entry.policy
            switch p.priority {
            case let .kbps(k, burst)?: lines.append("      priority \(k) (kbps) \(burst ?? k * 25) (bytes)")
            case let .percent(pc, burst)?:
                lines.append("      priority \(pc) (%)" + (burst.map { " \($0) (bytes)" } ?? ""))
            case nil: break
            }
            switch p.bandwidth {
            case let .kbps(k)?: lines.append("      bandwidth \(k) (kbps)")
            case let .percent(pc)?: lines.append("      bandwidth \(pc) (%)")
            case let .remainingPercent(pc)?: lines.append("      bandwidth remaining \(pc) (%)")
            case nil: break
            }
            if let police = p.police {
                lines.append("      police cir \(police.cirBitsPerSecond) bc \(police.effectiveBurstBytes)")
                lines.append("        conform-action \(police.conform.configText)")
                lines.append("        exceed-action \(police.exceed.configText)")
            }
            if let shape = p.shape {
                lines.append("      shape average \(shape.rateBitsPerSecond) \(shape.effectiveSustainedBits)")
            }
            if case let .some(n) = p.fairQueue {
                lines.append("      fair-queue" + (n.map { " \($0)" } ?? ""))
            }
            if p.randomDetect != nil { lines.append("      random-detect") }
            if let limit = p.queueLimit { lines.append("      queue-limit \(limit) packets") }
            for mark in p.set {
                switch mark {
                case let .dscp(d): lines.append("      set dscp \(d.name)")
                case let .precedence(n): lines.append("      set precedence \(n)")
                }
            }
            if p.drop { lines.append("      drop") }
        }
        return lines
    }
}

extension PoliceAction {
    var configText: String {
        switch self {
        case .transmit: "transmit"
        case .drop: "drop"
        case let .setDSCPTransmit(d): "set-dscp-transmit \(d.name)"
        case let .setPrecedenceTransmit(p): "set-prec-transmit \(p)"
        }
    }
}
