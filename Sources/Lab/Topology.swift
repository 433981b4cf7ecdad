import Engine
import Fabric
import Foundation
import IOSConfig
import Wire

/// One end of a link as written: `R1:Gi0/0`.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var node: String
    /// Canonical interface name.
    public var interface: String
    public var line: Int
    public var column: Int
    public var description: String { "\(node):\(interface)" }
}

/// A host's settings in a topology file.
public struct HostSpec: Sendable {
    public var interface: String
    public var address: InterfaceAddress?
    public var gateway: IPv4Address?
    /// `groups: [239.1.1.1]`: host groups joined from the start (RFC 1112 §7.2).
    public var groups: [IPv4Address] = []
    /// `igmp-version: 3`: the host runs IGMPv3 (RFC 3376) on its interface; 2 (RFC 2236) by default.
    public var igmpVersion = 2
    /// `mac: 0011.2233.4455`: the interface's MAC instead of the generated one.
    public var mac: MACAddress?
    /// `cluster: {ip:, mode:, priority:, affinity:}`: the host is a Windows NLB member.
    public var cluster: ClusterSpec?
}

/// A host's `cluster:` entry (Windows NLB, ios-behavior §10), with where it was written.
public struct ClusterSpec: Sendable {
    public var address: IPv4Address
    public var mode: NLBMode = .unicast
    public var priority: Int
    public var affinity: NLBAffinity = .single
    public var line: Int
    public var column: Int
    /// Where `priority:` and `mode:` were written (for the cross-member checks).
    public var priorityAt: (line: Int, column: Int)
    public var modeAt: (line: Int, column: Int)
}

/// A node as written in a topology file.
public struct NodeSpec: Sendable {
    public var name: String
    public var kind: DeviceKind
    public var line: Int
    public var config: ConfigSource?
    public var host: HostSpec?
    /// Viewer coordinates, if given.
    public var position: (x: Int, y: Int)?
}

/// A link as written in a topology file.
public struct LinkSpec: Sendable {
    public var a: Endpoint
    public var b: Endpoint
    public var bandwidth: Bandwidth
    public var delay: SimDuration
    public var mtu: Int
    public var line: Int
}

/// A parsed topology file (not yet built).
public struct TopologyFile: Sendable {
    /// Link rates a topology may give: from 1 kbit/s (below any serial clock rate IOS offers) to 400 Gbit/s.
    public static let minimumBandwidth = Bandwidth.kbps(1)
    public static let maximumBandwidth = Bandwidth.gbps(400)
    /// The longest propagation delay a link may have.
    public static let maximumDelay = SimDuration.seconds(10)
    public var path: String
    public var displayName: String
    public var name: String
    public var description: String?
    public var nodes: [NodeSpec]
    public var links: [LinkSpec]
}

extension TopologyFile {
    /// Default link settings: Gigabit Ethernet unless the interface names a slower type.
    static func defaultBandwidth(_ a: String, _ b: String) -> Bandwidth {
        func rate(_ name: String) -> Bandwidth {
            if name.hasPrefix("Serial") { return .kbps(1544) }
            if name.hasPrefix("FastEthernet") { return .mbps(100) }
            if name.hasPrefix("TenGigabitEthernet") { return .gbps(10) }
            if name.hasPrefix("Ethernet") { return .mbps(10) }
            return .gbps(1)
        }
        return min(rate(a), rate(b))
    }

    /// Parses a topology file; every mistake is collected and thrown together (each once).
    public static func parse(path: String, displayName: String? = nil) throws(LabErrors) -> TopologyFile {
        let display = displayName ?? path
        let root: YAMLValue, lines: SourceLines
        do { (root, lines) = try YAMLFile.load(path, displayName: display) } catch { throw LabErrors([error]) }
        var errors: [LabError] = []
        var topology = TopologyFile(path: path, displayName: display, name: "", nodes: [], links: [])
        do throws(LabError) {
            let entries = try root.mapping("the topology")
            try checkKeys(entries, allowed: ["name", "description", "nodes", "links"], in: "the topology")
            for e in entries {
                switch e.key {
                case "name": topology.name = try e.value.string("name")
                case "description": topology.description = try e.value.string("description")
                case "nodes": topology.nodes = parseNodes(e.value, lines: lines, errors: &errors)
                case "links": topology.links = parseLinks(e.value, nodes: topology.nodes, errors: &errors)
                default: break
                }
            }
            if !entries.contains(where: { $0.key == "nodes" }) { errors.append(root.error("the topology has no 'nodes'")) }
        } catch { errors.append(error) }
        if topology.name.isEmpty {
            topology.name = ((display as NSString).lastPathComponent as NSString).deletingPathExtension
        }
        if errors.isEmpty { validateClusters(topology, errors: &errors) }
        if errors.isEmpty { validateLinks(topology, errors: &errors) }
        guard errors.isEmpty else { throw LabErrors(errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
        return topology
    }

    static func parseNodes(_ value: YAMLValue, lines: SourceLines, errors: inout [LabError]) -> [NodeSpec] {
        var nodes: [NodeSpec] = []
        let entries: [(key: String, keyNode: YAMLValue, value: YAMLValue)]
        do { entries = try value.mapping("nodes (name: settings)") } catch { errors.append(error); return [] }
        var names = Set<String>()
        for e in entries {
            do throws(LabError) {
                if names.contains(e.key.lowercased()) {
                    throw e.keyNode.error("node '\(e.key)' is defined twice")
                }
                guard e.key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !e.key.isEmpty else {
                    throw e.keyNode.error("node name '\(e.key)' must be letters, digits, '-' or '_'")
                }
                nodes.append(try parseNode(name: e.key, e.value, keyLine: e.keyNode.line, lines: lines, errors: &errors))
                names.insert(e.key.lowercased())
            } catch { errors.append(error) }
        }
        return nodes
    }

    /// A mistake in a host's `mac` or `cluster` goes to `errors` and the node is kept, so its links do not
    /// report it missing (one error per mistake).
    static func parseNode(name: String, _ value: YAMLValue, keyLine: Int, lines: SourceLines,
                          errors: inout [LabError]) throws(LabError) -> NodeSpec {
        let entries = try value.mapping("node \(name)")
        try checkKeys(entries, allowed: ["kind", "config", "position", "address", "gateway", "interface", "groups", "igmp-version", "mac", "cluster"], in: "node \(name)")
        guard let kindEntry = entries.first(where: { $0.key == "kind" }) else {
            throw value.error("node \(name) needs a 'kind' (router, switch or host)")
        }
        let kindText = try kindEntry.value.string("kind")
        guard let kind = DeviceKind(rawValue: kindText.lowercased()) else {
            throw kindEntry.value.error("unknown kind '\(kindText)' for node \(name) (expected router, switch or host)")
        }
        var node = NodeSpec(name: name, kind: kind, line: keyLine)
        var host = HostSpec(interface: "Ethernet0")
        for e in entries {
            switch e.key {
            case "config":
                guard kind != .host else { throw e.keyNode.error("hosts take address/gateway settings, not an IOS 'config'") }
                let text = try e.value.string("config")
                let scalar = e.value.node.scalar
                let block = scalar?.style == .literal || scalar?.style == .folded
                let first = block ? e.value.line + 1 : e.value.line
                let indent = first - 1 < lines.count ? lines.leadingSpaces(first - 1) : 0
                node.config = ConfigSource(file: value.file, firstLine: first, text: text, columnOffset: block ? indent : e.value.column - 1)
            case "position":
                let xy = try e.value.sequence("position [x, y]")
                guard xy.count == 2 else { throw e.value.error("position must be [x, y]") }
                node.position = (try xy[0].int("x"), try xy[1].int("y"))
            case "address":
                guard kind == .host else { throw e.keyNode.error("'address' is for hosts; configure routers and switches in 'config'") }
                let text = try e.value.string("address")
                let parts = text.split(separator: "/")
                guard parts.count == 2, let a = IPv4Address(String(parts[0])), let len = Int(parts[1]), (0...32).contains(len) else {
                    throw e.value.error("expected an address with a prefix length like 10.1.1.10/24, found '\(text)'")
                }
                host.address = InterfaceAddress(address: a, prefix: IPv4Prefix(a, length: len))
            case "gateway":
                guard kind == .host else { throw e.keyNode.error("'gateway' is for hosts") }
                let text = try e.value.string("gateway")
                guard let g = IPv4Address(text) else { throw e.value.error("expected an IPv4 address for gateway, found '\(text)'") }
                host.gateway = g
            case "groups":
                guard kind == .host else { throw e.keyNode.error("'groups' is for hosts; routers join with 'ip igmp join-group'") }
                let items = e.value.isSequence ? try e.value.sequence("groups") : [e.value]
                for item in items {
                    let text = try item.string("group")
                    guard let g = IPv4Address(text), g.isMulticast, !g.isLinkLocalMulticast else {
                        throw item.error("expected a multicast group outside 224.0.0.0/24 like 239.1.1.1, found '\(text)'")
                    }
                    if !host.groups.contains(g) { host.groups.append(g) }
                }
            case "igmp-version":
                guard kind == .host else { throw e.keyNode.error("'igmp-version' is for hosts; routers take 'ip igmp version'") }
                let v = try e.value.int("igmp-version")
                guard v == 2 || v == 3 else { throw e.value.error("igmp-version must be 2 or 3, found \(v)") }
                host.igmpVersion = v
            case "mac":
                guard kind == .host else { throw e.keyNode.error("'mac' is for hosts; routers take 'mac-address H.H.H'") }
                do throws(LabError) {
                    let text = try e.value.string("mac")
                    guard let mac = MACAddress(text) else {
                        throw e.value.error("expected a MAC address like 0011.2233.4455, 00-11-22-33-44-55 or 00:11:22:33:44:55, found '\(text)'")
                    }
                    guard mac.isUnicast, mac != .zero else { throw e.value.error("a host's MAC must be a unicast address, found '\(text)'") }
                    host.mac = mac
                } catch { errors.append(error) }
            case "cluster":
                guard kind == .host else { throw e.keyNode.error("'cluster' (Windows NLB) is for hosts") }
                do throws(LabError) { host.cluster = try parseCluster(e.value) } catch { errors.append(error) }
            case "interface":
                guard kind == .host else { throw e.keyNode.error("'interface' is for hosts") }
                let text = try e.value.string("interface")
                do { host.interface = try InterfaceName(text).description } catch {
                    throw e.value.error("'\(text)' is not an interface name (\(error.message))")
                }
            default: break
            }
        }
        if kind == .host { node.host = host }
        return node
    }

    /// `cluster: {ip: 10.1.1.100, mode: unicast, priority: 1, affinity: single}`.
    static func parseCluster(_ value: YAMLValue) throws(LabError) -> ClusterSpec {
        let entries = try value.mapping("cluster {ip, mode, priority, affinity}")
        try checkKeys(entries, allowed: ["ip", "mode", "priority", "affinity"], in: "cluster")
        var address: IPv4Address?, priority: Int?
        var spec = ClusterSpec(address: .any, priority: 0, line: value.line, column: value.column,
                               priorityAt: (value.line, value.column), modeAt: (value.line, value.column))
        for e in entries {
            switch e.key {
            case "ip":
                let text = try e.value.string("cluster ip")
                guard let a = IPv4Address(text), !a.isMulticast, a != .any, !a.isLimitedBroadcast else {
                    throw e.value.error("expected a unicast IPv4 address for the cluster ip, found '\(text)'")
                }
                address = a
            case "mode":
                let text = try e.value.string("cluster mode")
                guard let m = NLBMode(rawValue: text.lowercased()) else {
                    throw e.value.error("unknown cluster mode '\(text)' (expected unicast, multicast or igmp-multicast)")
                }
                spec.mode = m
                spec.modeAt = (e.value.line, e.value.column)
            case "priority":
                priority = try e.value.int("cluster priority", in: 1...32)
                spec.priorityAt = (e.value.line, e.value.column)
            case "affinity":
                let text = try e.value.string("cluster affinity")
                guard let a = NLBAffinity(rawValue: text.lowercased()) else {
                    throw e.value.error("unknown cluster affinity '\(text)' (expected single or none)")
                }
                spec.affinity = a
            default: break
            }
        }
        guard let address else { throw value.error("a cluster needs its 'ip' (the cluster's virtual IP)") }
        guard let priority else { throw value.error("a cluster member needs its 'priority' (host priority 1-32, unique in the cluster)") }
        spec.address = address
        spec.priority = priority
        return spec
    }

    /// Members of one cluster IP agree on the mode and have distinct priorities.
    static func validateClusters(_ topology: TopologyFile, errors: inout [LabError]) {
        var first: [UInt32: (node: String, spec: ClusterSpec)] = [:]
        var priorities: [UInt64: String] = [:]
        for node in topology.nodes {
            guard let c = node.host?.cluster else { continue }
            if let f = first[c.address.rawValue], f.spec.mode != c.mode {
                errors.append(LabError(file: topology.displayName, line: c.modeAt.line, column: c.modeAt.column,
                                       "cluster \(c.address): \(node.name) says mode \(c.mode.rawValue) but \(f.node) says \(f.spec.mode.rawValue); members of one cluster share its mode"))
            } else if first[c.address.rawValue] == nil {
                first[c.address.rawValue] = (node.name, c)
            }
            let key = UInt64(c.address.rawValue) << 8 | UInt64(c.priority)
            if let other = priorities[key] {
                errors.append(LabError(file: topology.displayName, line: c.priorityAt.line, column: c.priorityAt.column,
                                       "cluster \(c.address): \(node.name) and \(other) both have priority \(c.priority); each member needs its own"))
            } else {
                priorities[key] = node.name
            }
        }
    }

    /// `nodeIndex` maps each lowercased node name to its position in `nodes`.
    static func parseEndpoint(_ v: YAMLValue, nodes: [NodeSpec], nodeIndex: [String: Int]) throws(LabError) -> Endpoint {
        let text = try v.string("a link endpoint")
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw v.error("expected NODE:Interface for a link endpoint, found '\(text)'") }
        guard let node = nodeIndex[parts[0].lowercased()].map({ nodes[$0] }) else {
            let known = nodes.map(\.name).joined(separator: ", ")
            throw v.error("unknown node '\(parts[0])' in link (nodes: \(known))")
        }
        let name: InterfaceName
        do { name = try InterfaceName(parts[1]) } catch {
            throw v.error("unknown interface '\(parts[1])' on \(node.name): \(error.message)")
        }
        if name.isSubinterface || ["Loopback", "Vlan", "Tunnel", "Null"].contains(where: { name.description.hasPrefix($0) }) {
            throw v.error("\(name) on \(node.name) is not a physical interface and cannot be cabled")
        }
        if let host = node.host, host.interface != name.description {
            throw v.error("unknown interface '\(parts[1])' on host \(node.name) (it has \(host.interface))")
        }
        return Endpoint(node: node.name, interface: name.description, line: v.line, column: v.column)
    }

    static func parseLinks(_ value: YAMLValue, nodes: [NodeSpec], errors: inout [LabError]) -> [LinkSpec] {
        var links: [LinkSpec] = []
        let items: [YAMLValue]
        do { items = try value.sequence("links") } catch { errors.append(error); return [] }
        var nodeIndex: [String: Int] = [:]
        for (i, node) in nodes.enumerated() where nodeIndex[node.name.lowercased()] == nil { nodeIndex[node.name.lowercased()] = i }
        for item in items {
            do throws(LabError) {
                var a: Endpoint?, b: Endpoint?
                var bandwidth: Bandwidth?, delay = SimDuration.microseconds(10), mtu = 1500
                if case .scalar = item.node {
                    // Short form: "R1:Gi0/0 -- R2:Gi0/0"
                    throw item.error("expected a link mapping like {endpoints: [R1:Gi0/0, R2:Gi0/0], bandwidth: 100M}")
                }
                let entries = try item.mapping("a link")
                try checkKeys(entries, allowed: ["endpoints", "bandwidth", "delay", "mtu"], in: "a link")
                for e in entries {
                    switch e.key {
                    case "endpoints":
                        let ends = try e.value.sequence("endpoints")
                        guard ends.count == 2 else { throw e.value.error("a link has exactly two endpoints, found \(ends.count)") }
                        a = try parseEndpoint(ends[0], nodes: nodes, nodeIndex: nodeIndex)
                        b = try parseEndpoint(ends[1], nodes: nodes, nodeIndex: nodeIndex)
                    case "bandwidth":
                        let text = try e.value.string("bandwidth")
                        guard let bw = Units.bandwidth(text) else {
                            throw e.value.error("cannot read bandwidth '\(text)' (expected a rate like 1544kbps, 1.544mbps, 100M or 10g)")
                        }
                        guard bw >= TopologyFile.minimumBandwidth, bw <= TopologyFile.maximumBandwidth else {
                            throw e.value.error("bandwidth \(text) is out of range (expected 1kbps to 400g)")
                        }
                        bandwidth = bw
                    case "delay":
                        let text = try e.value.string("delay")
                        guard let d = Units.duration(text), d >= .zero else {
                            throw e.value.error("cannot read delay '\(text)' (expected a duration like 500us, 2ms or 1s)")
                        }
                        guard d <= TopologyFile.maximumDelay else {
                            throw e.value.error("delay \(text) is longer than any link (expected at most 10s; a geostationary hop is about 270ms)")
                        }
                        delay = d
                    case "mtu":
                        mtu = try e.value.int("mtu", in: 64...9216)
                    default: break
                    }
                }
                guard let a, let b else { throw item.error("a link needs 'endpoints: [NODE:Interface, NODE:Interface]'") }
                links.append(LinkSpec(a: a, b: b, bandwidth: bandwidth ?? defaultBandwidth(a.interface, b.interface),
                                      delay: delay, mtu: mtu, line: item.line))
            } catch { errors.append(error) }
        }
        return links
    }

    static func validateLinks(_ topology: TopologyFile, errors: inout [LabError]) {
        var used: [Endpoint: Int] = [:]
        for link in topology.links {
            if link.a.node == link.b.node && link.a.interface == link.b.interface {
                errors.append(LabError(file: topology.displayName, line: link.a.line, column: link.a.column,
                                       "a link cannot connect \(link.a) to itself"))
                continue
            }
            for end in [link.a, link.b] {
                let key = Endpoint(node: end.node, interface: end.interface, line: 0, column: 0)
                if let first = used[key] {
                    errors.append(LabError(file: topology.displayName, line: end.line, column: end.column,
                                           "interface \(end) is already used by the link on line \(first)"))
                } else {
                    used[key] = link.line
                }
            }
        }
    }
}
