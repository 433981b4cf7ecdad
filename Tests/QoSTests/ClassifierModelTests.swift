import Engine
@testable import QoS
import Testing
import Wire

/// Random access-list entries, class maps and keys from small value pools, so that matches,
/// denies and misses all happen often.
private struct Generator {
    var random: RandomStream
    init(seed: UInt64) { random = RandomStream(seed: seed, label: "classifier-model") }

    mutating func pick(_ n: Int) -> Int { Int(random.next(below: UInt64(n))) }
    mutating func chance(_ percent: Int) -> Bool { pick(100) < percent }

    static let addresses = [IPv4Address(10, 0, 0, 1), IPv4Address(10, 0, 0, 2), IPv4Address(10, 0, 1, 9),
                            IPv4Address(192, 168, 1, 1)]
    static let ports: [UInt16] = [0, 53, 80, 1000, 5001, 5002, 65535]
    static let protocols: [UInt8] = [1, 6, 17, 47, 89]

    mutating func address() -> AddressMatch {
        switch pick(3) {
        case 0: return .any
        case 1: return .host(Generator.addresses[pick(4)])
        default: return .wildcard(Generator.addresses[pick(4)], bits: IPv4Address(0, 0, pick(2) == 0 ? 0 : 255, 255))
        }
    }

    mutating func port() -> PortMatch? {
        let p = Generator.ports[pick(Generator.ports.count)], q = Generator.ports[pick(Generator.ports.count)]
        switch pick(7) {
        case 0: return .eq(p)
        case 1: return .neq(p)
        case 2: return .gt(p)
        case 3: return .lt(p)
        case 4: return .range(min(p, q), max(p, q))
        default: return nil
        }
    }

    mutating func entry() -> AccessListEntry {
        let proto: IPProtocolMatch = [.ip, .tcp, .udp, .icmp, .number(47)][pick(5)]
        let ports = proto == .tcp || proto == .udp
        return AccessListEntry(chance(70) ? .permit : .deny, proto, source: address(),
                               sourcePort: ports ? port() : nil, destination: address(),
                               destinationPort: ports ? port() : nil,
                               dscp: chance(15) ? [0, 18, 46, 63, 70][pick(5)] : nil,
                               precedence: chance(10) ? UInt8(pick(9)) : nil)
    }

    mutating func criterion(depth: Int = 0) -> MatchCriterion {
        switch pick(depth < 2 ? 8 : 7) {
        case 0, 1, 2: return .accessGroup(["101", "102", "VOICE", "MISSING"][pick(4)])
        case 3: return .protocol([.ip, .tcp, .udp, .icmp, .number(89)][pick(5)])
        case 4: return .dscp((0..<(1 + pick(3))).map { _ in DSCP(rawValue: [0, 10, 18, 46][pick(4)]) })
        case 5: return .precedence((0..<(1 + pick(2))).map { _ in UInt8(pick(8)) })
        case 6: return chance(50) ? .any : .inputInterface(port: UInt32(pick(3)), name: "Gi0/\(pick(3))")
        default: return .not(criterion(depth: depth + 1))
        }
    }

    mutating func key() -> PacketKey {
        PacketKey(isIPv4: !chance(5), source: Generator.addresses[pick(4)], destination: Generator.addresses[pick(4)],
                  ipProtocol: Generator.protocols[pick(Generator.protocols.count)], tos: UInt8(pick(256)),
                  sourcePort: Generator.ports[pick(Generator.ports.count)],
                  destinationPort: Generator.ports[pick(Generator.ports.count)], inputInterface: UInt32(pick(3)))
    }
}

/// The MQC semantics written directly over the enum values: first entry wins, implicit deny,
/// non-IPv4 frames match only `any` and `input-interface`.
private func referenceMatches(_ c: MatchCriterion, _ key: PacketKey, lists: [String: [AccessListEntry]],
                              hits: inout [String: [UInt64]]) -> Bool {
    switch c {
    case let .accessGroup(name):
        guard key.isIPv4, let entries = lists[name] else { return false }
        for (i, e) in entries.enumerated() where e.matches(key) {
            hits[name, default: Array(repeating: 0, count: entries.count)][i] += 1
            return e.action == .permit
        }
        return false
    case let .protocol(p): return p.matches(key)
    case let .dscp(values): return key.isIPv4 && values.contains { $0.rawValue == key.dscp }
    case let .precedence(values): return key.isIPv4 && values.contains(key.precedence)
    case let .inputInterface(port, _): return key.inputInterface == port
    case .any: return true
    case let .not(inner): return !referenceMatches(inner, key, lists: lists, hits: &hits)
    }
}

private func referenceClass(_ policy: PolicyMap, _ key: PacketKey, lists: [String: [AccessListEntry]],
                            hits: inout [String: [UInt64]]) -> Int {
    for (i, c) in policy.classes.enumerated().dropLast() where !c.classMap.criteria.isEmpty {
        switch c.classMap.mode {
        case .matchAll:
            if c.classMap.criteria.allSatisfy({ referenceMatches($0, key, lists: lists, hits: &hits) }) { return i }
        case .matchAny:
            if c.classMap.criteria.contains(where: { referenceMatches($0, key, lists: lists, hits: &hits) }) { return i }
        }
    }
    return policy.classes.count - 1
}

/// An access-list entry compiled to a `MatchRule` agrees with the entry itself on every key.
@Test func compiledEntriesAgreeWithTheirEntries() {
    var g = Generator(seed: 7)
    for _ in 0..<3_000 {
        let e = g.entry()
        let rule = MatchRule(e)
        for _ in 0..<20 {
            let key = g.key()
            #expect(rule.matches(PackedKey(key)) == (key.isIPv4 && e.matches(key)), "\(e) \(key)")
        }
    }
}

/// Random policies classify random keys as the direct semantics do, with the same access-list
/// hit counts — also after a list is redefined under a built classifier.
@Test(arguments: 1...6)
func classifierAgreesWithTheMQCSemantics(seed: Int) {
    var g = Generator(seed: UInt64(seed))
    for _ in 0..<40 {
        var lists: [String: [AccessListEntry]] = [:]
        let table = AccessListTable()
        for name in ["101", "102", "VOICE"] {
            lists[name] = (0..<g.pick(5)).map { _ in g.entry() }
            table.define(name, kind: .extended, lists[name]!)
            lists[name] = table[name]!.entries
        }
        let classes = (0..<(1 + g.pick(4))).map { n in
            ClassPolicy(ClassMap("c\(n)", g.chance(50) ? .matchAll : .matchAny,
                                 (0..<g.pick(4)).map { _ in g.criterion() }))
        } + [ClassPolicy(.classDefault)]
        let policy = PolicyMap("P", classes: classes)
        let classifier = PolicyClassifier(policy, accessLists: table)
        var hits: [String: [UInt64]] = [:]
        for round in 0..<2 {
            if round == 1 {
                // Redefine one list under the built classifier (its counters restart), or define
                // the one the class maps referenced before it existed.
                let name = ["101", "102", "VOICE", "MISSING"][g.pick(4)]
                table.define(name, kind: .extended, (0..<g.pick(5)).map { _ in g.entry() })
                lists[name] = table[name]!.entries
                hits[name] = nil
            }
            for _ in 0..<200 {
                let key = g.key()
                let expected = referenceClass(policy, key, lists: lists, hits: &hits)
                #expect(classifier.classify(key) == expected, "\(policy.classes.map(\.classMap)) \(key)")
            }
            for (name, entries) in lists {
                let want = hits[name] ?? Array(repeating: 0, count: entries.count)
                #expect(table[name]!.hits == want, "hits of \(name)")
            }
        }
    }
}
