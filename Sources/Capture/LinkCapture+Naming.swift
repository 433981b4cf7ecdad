import Fabric
import IOSConfig

// MARK: - File names and endpoint selectors

extension LinkCapture {
    /// Interface types with the short names IOS shows (`show ip interface brief`, CDP).
    static let interfaceTypes: [(long: String, short: String)] = [
        ("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"), ("FastEthernet", "Fa"),
        ("Ethernet", "Et"), ("Serial", "Se"), ("Loopback", "Lo"),
    ]

    /// IOS's short form of a canonical interface name: `GigabitEthernet0/0.10` → `Gi0/0.10`.
    /// Names of other types are returned unchanged.
    public static func shortInterfaceName(_ canonical: String) -> String {
        for type in interfaceTypes where canonical.hasPrefix(type.long) {
            return type.short + canonical.dropFirst(type.long.count)
        }
        return canonical
    }

    /// The file name of a link's capture: `R1_Gi0-0--SW1_Gi0-1.pcap` (endpoint A, then endpoint B).
    public static func fileName(for link: LinkID, in network: Network) -> String {
        let l = network.links[link.index]
        func endpoint(_ id: PortID) -> String {
            let port = network.ports[id.index]
            let text = network.devices[port.node.index].name + "_" + shortInterfaceName(port.name)
            return String(text.map { $0 == "/" ? "-" : $0 })
        }
        return endpoint(l.a) + "--" + endpoint(l.b) + ".pcap"
    }

    /// The links with an endpoint matching any selector, in link order.
    ///
    /// A selector is `DEVICE:INTERFACE` or `DEVICE` (all of its links). Device names match without regard
    /// to case; the interface may be canonical or abbreviated as IOS accepts it (`GigabitEthernet0/0`,
    /// `Gi0/0`, `g0/0`), in any case.
    /// - Throws: `CaptureError.malformedSelector`, or `.noLinkMatches` naming the first selector that
    ///   selects nothing.
    public static func links(in network: Network, matching selectors: [String]) throws -> [LinkID] {
        var selected = Set<LinkID>()
        for selector in selectors {
            let parts = selector.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let device = parts[0].trimmingWhitespace()
            let interface = parts.count > 1 ? parts[1].filter { $0 != " " && $0 != "\t" } : nil
            guard !device.isEmpty, interface.map({ !$0.isEmpty }) ?? true else {
                throw CaptureError.malformedSelector(selector)
            }
            guard let node = network.node(named: device) else { throw CaptureError.noLinkMatches(selector: selector) }
            let matches = network.ports.filter { port in
                port.node == node && port.link != nil
                    && interface.map { interfaceName($0, matches: port.name) } ?? true
            }
            guard !matches.isEmpty else { throw CaptureError.noLinkMatches(selector: selector) }
            for port in matches { selected.insert(port.link!) }
        }
        return selected.sorted()
    }

    /// True when `typed` names the interface `canonical`: `gi0/0`, `Gi0/0`, `g0/0` and
    /// `gigabitethernet0/0` all name `GigabitEthernet0/0`.
    static func interfaceName(_ typed: String, matches canonical: String) -> Bool {
        let wanted = (expandedInterfaceName(typed) ?? typed).lowercased()
        return wanted == canonical.lowercased() || typed.lowercased() == shortInterfaceName(canonical).lowercased()
    }

    /// The canonical form of an interface name typed with any unambiguous prefix of a known type;
    /// nil when the type is not one of `interfaceTypes`.
    static func expandedInterfaceName(_ typed: String) -> String? {
        let typeEnd = typed.firstIndex { !$0.isLetter } ?? typed.endIndex
        let type = typed[..<typeEnd].lowercased()
        guard !type.isEmpty else { return nil }
        let candidates = interfaceTypes.filter { $0.long.lowercased().hasPrefix(type) }
        guard candidates.count == 1 else { return nil }
        return candidates[0].long + typed[typeEnd...]
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
