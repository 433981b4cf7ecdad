import IOSConfig

/// Interface names as the `show` renderers handle them: text as stored on a port, shortened and
/// ordered the way IOS tables print them (the types and their abbreviations are IOSConfig's).
extension InterfaceName {
    /// Type names longest first, so `TenGigabitEthernet` wins over `GigabitEthernet` and `FastEthernet` over `Ethernet`.
    static let typesLongestFirst = InterfaceType.all.sorted { $0.name.count > $1.name.count }

    /// `GigabitEthernet0/1` → `Gi0/1`, `Port-channel1` → `Po1`; unknown types are returned unchanged.
    public static func short(_ name: String) -> String {
        for type in typesLongestFirst where name.hasPrefix(type.name) {
            return type.shortName + name.dropFirst(type.name.count)
        }
        return name
    }

    /// True when `candidate` names `name` in its full or short form (case-insensitive).
    public static func matches(_ candidate: String, _ name: String) -> Bool {
        let c = candidate.lowercased()
        return c == name.lowercased() || c == short(name).lowercased()
    }

    /// A sort key that orders `Gi0/2` before `Gi0/10` and a subinterface right after its parent:
    /// the type name, then every number in the name compared numerically.
    static func sortKey(_ name: String) -> (type: String, numbers: [Int]) {
        let type = String(name.prefix { !$0.isNumber })
        let numbers = name.dropFirst(type.count).split { !$0.isNumber }.map { Int($0) ?? 0 }
        return (type, numbers)
    }

    /// IOS order for one device's tables: physical interfaces in hardware order with their
    /// subinterfaces, then virtual ones (loopbacks, tunnels, VLAN interfaces) by name.
    static func less(_ a: String, _ b: String) -> Bool {
        let ka = sortKey(a), kb = sortKey(b)
        let va = isVirtual(ka.type), vb = isVirtual(kb.type)
        if va != vb { return !va }
        if ka.type != kb.type { return ka.type < kb.type }
        return ka.numbers.lexicographicallyPrecedes(kb.numbers)
    }

    static func isVirtual(_ type: String) -> Bool {
        ["Loopback", "Tunnel", "Vlan", "Port-channel", "Null"].contains(type)
    }
}

// MARK: - Column helpers shared by the show renderers

extension String {
    /// Left-justified in `width` columns (never truncated), like `%-Ns`.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// Right-justified in `width` columns (never truncated), like `%Ns`.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    /// The line without trailing blanks; IOS pads some lines, goldens should not depend on it.
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Joins `show` output lines, dropping the trailing blanks IOS leaves at the end of some lines.
func renderShowLines(_ lines: [String]) -> String {
    lines.map(\.trimmingTrailingSpaces).joined(separator: "\n")
}
