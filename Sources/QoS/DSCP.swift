/// A Differentiated Services code point (RFC 2474), with the names IOS accepts and prints.
public struct DSCP: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8

    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue & 0x3F }

    public static let `default` = DSCP(rawValue: 0)
    public static let ef = DSCP(rawValue: 46)
    public static func af(_ klass: UInt8, _ dropPrecedence: UInt8) -> DSCP { DSCP(rawValue: klass << 3 | dropPrecedence << 1) }
    public static func cs(_ n: UInt8) -> DSCP { DSCP(rawValue: n << 3) }

    /// Parses `ef`, `af11`…`af43`, `cs0`…`cs7`, `default` or a number 0–63.
    public init?(name: String) {
        let n = name.lowercased()
        if n == "ef" { self = .ef; return }
        if n == "default" { self = .default; return }
        if n.hasPrefix("af"), n.count == 4, let c = UInt8(String(n.dropFirst(2).prefix(1))),
           let d = UInt8(String(n.suffix(1))), (1...4).contains(c), (1...3).contains(d) {
            self = .af(c, d); return
        }
        if n.hasPrefix("cs"), n.count == 3, let c = UInt8(String(n.suffix(1))), c <= 7 { self = .cs(c); return }
        if let v = UInt8(n), v < 64 { self.init(rawValue: v); return }
        return nil
    }

    /// The IOS keyword when there is one, else the number.
    public var name: String {
        switch rawValue {
        case 0: return "default"
        case 46: return "ef"
        case let v where v & 7 == 0: return "cs\(v >> 3)"
        case let v where v & 1 == 0 && (1...4).contains(v >> 3) && (1...3).contains((v >> 1) & 3):
            return "af\(v >> 3)\((v >> 1) & 3)"
        default: return "\(rawValue)"
        }
    }

    public var description: String { name }
}
