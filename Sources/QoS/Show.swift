import Engine
import Wire

// MARK: - show interfaces, show queue

extension OutputQueue {
    /// The queueing lines of IOS `show interfaces`.
    public func showInterfaceLines() -> [String] {
        switch discipline {
        case let .fifo(q):
            return ["  Queueing strategy: fifo", "  Output queue: \(q.count)/\(q.limit) (size/max)"]
        case let .priority(q):
            let parts = PriorityLevel.allCases.map { "\($0): \(q.depth($0))/\(q.limit($0))/\(q.drops($0))" }
            return ["  Queueing strategy: \(strategyName)",
                    "  Output queue (queue priority: size/max/drops):",
                    "     " + parts.joined(separator: ", ")]
        case let .custom(q):
            var lines = ["  Queueing strategy: \(strategyName)", "  Output queues: (queue #: size/max/drops)"]
            let parts = (0..<QueueList.queueCount).map { "\($0): \(q.depth($0))/\(q.limit($0))/\(q.drops($0))" }
            for start in stride(from: 0, to: parts.count, by: 5) {
                lines.append("     " + parts[start..<Swift.min(start + 5, parts.count)].joined(separator: " "))
            }
            return lines
        case let .fair(q):
            let p = q.parameters
            return ["  Queueing strategy: weighted fair",
                    "  Output queue: \(q.count)/\(p.holdQueue)/\(p.congestiveDiscardThreshold)/\(totalDrops) "
                        + "(size/max total/threshold/drops)",
                    "     Conversations  \(q.scheduler.activeConversations)/\(q.scheduler.maxActiveConversations)/"
                        + "\(p.dynamicQueues) (active/max active/max total)",
                    "     Reserved Conversations 0/\(p.reservableQueues) (allocated/max allocated)",
                    "     Available Bandwidth \(bandwidth.kilobitsPerSecond * 75 / 100) kilobits/sec"]
        case let .policy(q):
            let reservedClasses = q.kinds.filter { if case .own = $0 { return true } else { return false } }.count
            let available = bandwidth.kilobitsPerSecond * 75 / 100 - q.reservedKbps
            return ["  Queueing strategy: Class-based queueing",
                    "  Output queue: \(q.count)/\(q.holdQueue)/\(q.flowCDT)/\(totalDrops) "
                        + "(size/max total/threshold/drops)",
                    "     Conversations  \(q.scheduler.activeConversations)/\(q.scheduler.maxActiveConversations)/"
                        + "\(q.dynamicQueues) (active/max active/max total)",
                    "     Reserved Conversations \(reservedClasses)/\(reservedClasses) (allocated/max allocated)",
                    "     Available Bandwidth \(Swift.max(available, 0)) kilobits/sec"]
        }
    }

    /// IOS `show queue INTERFACE`: for WFQ (and CBWFQ flows) the queueing lines, then one block per
    /// active conversation with its head packet; other disciplines give just the queueing lines.
    /// The head packet's IP id and TTL are not known to QoS and are left out.
    public func showQueueLines(interfaceName: String) -> [String] {
        var lines = ["Interface \(interfaceName) queueing strategy: \(strategyName)"] + showInterfaceLines()
        let scheduler: ConversationScheduler, counters: ConversationCounters, range: Range<Int>
        switch discipline {
        case let .fair(q): (scheduler, counters, range) = (q.scheduler, q.counters, 0..<q.scheduler.conversationCount)
        case let .policy(q): (scheduler, counters, range) = (q.scheduler, q.flowCounters, 0..<q.scheduler.conversationCount)
        case .fifo, .priority, .custom: return lines
        }
        lines.append("")
        for c in range {
            guard let head = scheduler.headPacket(conversation: c) else { continue }
            let k = head.key
            let weight = conversationWeight(c, precedence: k.precedence)
            lines.append("  (depth/weight/total drops/no-buffer drops/interleaves) \(scheduler.depth(c))/\(weight)/"
                + "\(counters.discards[c])/\(counters.noBufferDrops[c])/0")
            lines.append("  Conversation \(c), linktype: \(k.isIPv4 ? "ip" : "cdp"), length: \(head.length)")
            if k.isIPv4 {
                lines.append("  source: \(k.source), destination: \(k.destination),")
                var last = "  TOS: \(k.tos) prot: \(k.ipProtocol)"
                if k.ipProtocol == 6 || k.ipProtocol == 17 {
                    last += ", source port \(k.sourcePort), destination port \(k.destinationPort)"
                }
                lines.append(last)
            }
        }
        return lines
    }

    /// The weight `show queue` prints for a conversation: a class's bandwidth weight, the link
    /// queue weight, or 32384/(IPP+1) for a flow.
    func conversationWeight(_ c: Int, precedence: UInt8) -> UInt64 {
        switch discipline {
        case let .fair(q) where c >= q.dynamicQueues: return UInt64(q.parameters.linkQueueWeight)
        case let .policy(q) where c >= q.firstClassConversation:
            if case let .own(_, w) = q.kinds[q.classByOffset[c - q.firstClassConversation]] { return w }
            return 0
        case let .policy(q) where c >= q.dynamicQueues: return q.linkQueueWeight
        default: return UInt64(FairQueueWeight.weight(precedence: precedence))
        }
    }

    /// IOS `show policy-map interface INTERFACE` for the output service policy (empty otherwise).
    public func showPolicyMapInterfaceLines(interfaceName: String, now: SimTime) -> [String] {
        guard case let .policy(q) = discipline else { return [] }
        return [" \(interfaceName) ", ""]
            + PolicyMapDisplay.lines(direction: "output", classifier: q.classifier, queueing: q, now: now)
    }
}

extension InputPolicy {
    /// IOS `show policy-map interface INTERFACE` for this input policy.
    public func showPolicyMapInterfaceLines(interfaceName: String, now: SimTime) -> [String] {
        [" \(interfaceName) ", ""] + showPolicyMapInterfaceLines(now: now)
    }
}

/// `show policy-map interface` with both directions, as IOS prints them (input first).
public func showPolicyMapInterface(interfaceName: String, input: InputPolicy?, output: OutputQueue?,
                                   now: SimTime) -> [String] {
    var lines = [" \(interfaceName) ", ""]
    if let input { lines += input.showPolicyMapInterfaceLines(now: now) + [""] }
    if let output, case let .policy(q) = output.discipline {
        lines += PolicyMapDisplay.lines(direction: "output", classifier: q.classifier, queueing: q, now: now)
    }
    return lines
}

// MARK: - show policy-map interface

enum PolicyMapDisplay {
    static func lines(direction: String, classifier: PolicyClassifier, queueing: ClassBasedWFQ?,
                      now: SimTime) -> [String] {
        var lines = ["  Service-policy \(direction): \(classifier.policy.name)"]
        for (i, policy) in classifier.policy.classes.enumerated() {
            var c = classifier.counters[i]
            lines.append("")
            lines.append("    Class-map: \(policy.classMap.name) (\(policy.classMap.mode.rawValue))")
            lines.append("      \(c.packets) packets, \(c.bytes) bytes")
            lines.append("      5 minute offered rate \(c.offered.bitsPerSecond(now: now)) bps, "
                + "drop rate \(c.dropped.bitsPerSecond(now: now)) bps")
            for m in policy.classMap.criteria { lines.append("      Match: \(m.showText)") }
            if let q = queueing { lines += queueingLines(q, classIndex: i, policy: policy, counters: c) }
            if let police = policy.police {
                lines.append("      police:")
                lines.append("          cir \(police.cirBitsPerSecond) bps, bc \(police.effectiveBurstBytes) bytes")
                lines.append("        conformed \(c.policeConformedPackets) packets, \(c.policeConformedBytes) bytes; actions:")
                lines.append("          \(police.conform.showText)")
                lines.append("        exceeded \(c.policeExceededPackets) packets, \(c.policeExceededBytes) bytes; actions:")
                lines.append("          \(police.exceed.showText)")
                lines.append("        conformed \(c.policeConformedRate.bitsPerSecond(now: now)) bps, "
                    + "exceed \(c.policeExceededRate.bitsPerSecond(now: now)) bps")
            }
            if !policy.set.isEmpty {
                lines.append("      QoS Set")
                for action in policy.set {
                    lines.append("        \(action.showText)")
                    lines.append("          Packets marked \(c.markedPackets)")
                }
            }
            classifier.counters[i] = c
        }
        return lines
    }

    static func queueingLines(_ q: ClassBasedWFQ, classIndex i: Int, policy: ClassPolicy,
                              counters c: ClassCounters) -> [String] {
        var lines: [String] = []
        switch q.kinds[i] {
        case .priority:
            let ifKbps = q.bandwidth.kilobitsPerSecond
            let (kbps, burst, percent): (Int64, Int, Int?)
            switch policy.priority! {
            case let .kbps(k, b): (kbps, burst, percent) = (Int64(k), b ?? k * 25, nil)
            case let .percent(p, b): (kbps, burst, percent) = (ifKbps * Int64(p) / 100, b ?? Int(ifKbps * Int64(p) / 100 * 25), p)
            }
            lines.append("      Queueing")
            lines.append("        Strict Priority")
            lines.append("        Output Queue: Conversation \(q.priorityConversation)")
            if let percent { lines.append("        Bandwidth \(percent) (%)") }
            lines.append("        Bandwidth \(kbps) (kbps) Burst \(burst) (Bytes)")
            lines.append("        (pkts matched/bytes matched) \(c.queuedPackets)/\(c.queuedBytes)")
            lines.append("        (total drops/bytes drops) \(c.dropPackets)/\(c.dropBytes)")
        case let .own(conversation, _):
            lines.append("      Queueing")
            lines.append("        Output Queue: Conversation \(conversation)")
            var bandwidthText: String
            switch policy.bandwidth {
            case let .kbps(k)?: bandwidthText = "Bandwidth \(k) (kbps)"
            case let .percent(p)?: bandwidthText = "Bandwidth \(p) (%)"
            case let .remainingPercent(p)?: bandwidthText = "Bandwidth remaining \(p) (%)"
            case nil: bandwidthText = ""
            }
            if policy.randomDetect == nil {
                bandwidthText += (bandwidthText.isEmpty ? "" : " ") + "Max Threshold \(q.limits[i]) (packets)"
            }
            lines.append("        " + bandwidthText)
            lines.append("        (pkts matched/bytes matched) \(c.queuedPackets)/\(c.queuedBytes)")
            lines.append("        (depth/total drops/no-buffer drops) \(q.depth(ofClass: i))/\(c.dropPackets)/\(c.noBufferDrops)")
            if let w = q.wred[i] { lines += wredLines(w) }
            if let s = policy.shape { lines += shapeLines(s, depth: q.depth(ofClass: i)) }
        case .flows:
            if case let .some(n) = policy.fairQueue {
                lines.append("      Queueing")
                lines.append("        Flow Based Fair Queueing")
                lines.append("        Maximum Number of Hashed Queues \(n ?? q.dynamicQueues)")
                lines.append("        (total queued/total drops/no-buffer drops) \(q.depth(ofClass: i))/"
                    + "\(c.dropPackets)/\(c.noBufferDrops)")
            }
            if let w = q.wred[i] { lines += wredLines(w) }
        }
        return lines
    }

    static func wredLines(_ w: WREDState) -> [String] {
        var lines = ["         exponential weight: \(w.configuration.exponentialWeightingConstant)",
                     "         mean queue depth: \(Int(w.average))", "",
                     "  class    Transmitted      Random drop      Tail drop    Minimum Maximum  Mark",
                     "           pkts/bytes       pkts/bytes       pkts/bytes    thresh  thresh  prob"]
        for p in 0..<8 {
            let profile = w.configuration.profiles[p]
            func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: Swift.max(n - s.count, 0)) + s }
            lines.append("      \(p)" + pad("\(w.transmittedPackets[p])/\(w.transmittedBytes[p])", 13)
                + pad("\(w.randomDropPackets[p])/\(w.randomDropBytes[p])", 17)
                + pad("\(w.tailDropPackets[p])/\(w.tailDropBytes[p])", 17)
                + pad("\(profile.minimumThreshold)", 13) + pad("\(profile.maximumThreshold)", 8)
                + pad("1/\(profile.markProbabilityDenominator)", 7))
        }
        return lines
    }

    static func shapeLines(_ s: Shape, depth: Int) -> [String] {
        let bc = s.effectiveSustainedBits
        let intervalMs = s.rateBitsPerSecond > 0 ? bc * 1000 / s.rateBitsPerSecond : 0
        return ["      Traffic Shaping",
                "           Target/Average   Byte   Sustain   Excess    Interval  Increment",
                "             Rate           Limit  bits/int  bits/int  (ms)      (bytes)",
                "           \(s.rateBitsPerSecond)/\(s.rateBitsPerSecond)     \(bc / 8)   \(bc)      0         "
                    + "\(intervalMs)       \(bc / 8)",
                "        Queue Depth \(depth)"]
    }
}

// MARK: - show queueing

/// `show queueing priority|custom|fair`, from the configured lists.
public enum QueueingDisplay {
    static func column(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    /// `show queueing priority`.
    public static func priorityLines(_ lists: [PriorityList]) -> [String] {
        var lines = ["Current priority queue configuration:", "", "List   Queue  Args"]
        for list in lists {
            let n = column("\(list.number)", 7)
            if list.defaultQueue != .normal { lines.append(n + column("\(list.defaultQueue)", 7) + "default") }
            for rule in list.rules { lines.append(n + column("\(rule.queue)", 7) + rule.match.argumentText) }
            if list.queueLimits != PriorityList.defaultQueueLimits {
                for level in PriorityLevel.allCases {
                    lines.append(n + column("\(level)", 7) + "limit \(list.queueLimits[level.rawValue])")
                }
            }
        }
        return lines
    }

    /// `show queueing custom`.
    public static func customLines(_ lists: [QueueList]) -> [String] {
        var lines = ["Current custom queue configuration:", "", "List   Queue  Args"]
        for list in lists {
            let n = column("\(list.number)", 7)
            if list.defaultQueue != 1 { lines.append(n + column("\(list.defaultQueue)", 7) + "default") }
            for rule in list.rules { lines.append(n + column("\(rule.queue)", 7) + rule.match.argumentText) }
            for q in 1..<QueueList.queueCount {
                if list.byteCounts[q] != QueueList.defaultByteCount {
                    lines.append(n + column("\(q)", 7) + "byte-count \(list.byteCounts[q])")
                }
                if list.limits[q] != QueueList.defaultLimit {
                    lines.append(n + column("\(q)", 7) + "limit \(list.limits[q])")
                }
            }
        }
        return lines
    }

    /// `show queueing fair`, one line per interface running WFQ.
    public static func fairLines(_ interfaces: [(name: String, parameters: FairQueueParameters)]) -> [String] {
        var lines = ["Current fair queue configuration:", "",
                     "  Interface           Discard    Dynamic  Reserved  Link    Priority",
                     "                      threshold  queues   queues    queues  queues"]
        for (name, p) in interfaces {
            lines.append("  " + column(name, 20) + column("\(p.congestiveDiscardThreshold)", 11)
                + column("\(p.dynamicQueues)", 9) + column("\(p.reservableQueues)", 10)
                + column("\(p.linkQueues)", 8) + "1")
        }
        return lines
    }
}
