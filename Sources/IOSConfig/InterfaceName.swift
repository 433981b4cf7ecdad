/// A kind of IOS interface, with its full and short spellings and its place in IOS listings.
public struct InterfaceType: Hashable, Sendable, CustomStringConvertible {
    /// How the number after the type is written.
    public enum Numbering: Hashable, Sendable {
        /// `slot/port` paths such as `0/1` or `1/0/1`, with optional `.subinterface`.
        case physical
        /// One number, with optional `.subinterface` (`Port-channel1.10`).
        case single
        /// One number, no subinterfaces (`Loopback0`, `Tunnel0`).
        case virtual
        /// A VLAN ID, 1-4094.
        case vlan
    }

    public let name: String
    public let shortName: String
    /// Position in IOS listings: virtual interfaces first, then physical ones, SVIs last.
    let order: Int
    public let numbering: Numbering
    /// Abbreviations IOS resolves to this type even where a prefix alone would be ambiguous.
    let aliases: [String]

    public var description: String { name }

    public static let loopback = InterfaceType(name: "Loopback", shortName: "Lo", order: 0, numbering: .virtual,
                                               aliases: ["l", "lo"])
    public static let null = InterfaceType(name: "Null", shortName: "Nu", order: 1, numbering: .virtual,
                                           aliases: ["n", "nu"])
    public static let tunnel = InterfaceType(name: "Tunnel", shortName: "Tu", order: 2, numbering: .virtual,
                                             aliases: ["tu"])
    public static let portChannel = InterfaceType(name: "Port-channel", shortName: "Po", order: 3,
                                                  numbering: .single, aliases: ["p", "po"])
    public static let ethernet = InterfaceType(name: "Ethernet", shortName: "Et", order: 10, numbering: .physical,
                                               aliases: ["e", "et", "eth"])
    public static let fastEthernet = InterfaceType(name: "FastEthernet", shortName: "Fa", order: 11,
                                                   numbering: .physical, aliases: ["f", "fa"])
    public static let gigabitEthernet = InterfaceType(name: "GigabitEthernet", shortName: "Gi", order: 12,
                                                      numbering: .physical, aliases: ["g", "gi", "gig"])
    public static let tenGigabitEthernet = InterfaceType(name: "TenGigabitEthernet", shortName: "Te", order: 13,
                                                         numbering: .physical, aliases: ["te", "ten"])
    public static let fortyGigabitEthernet = InterfaceType(name: "FortyGigabitEthernet", shortName: "Fo",
                                                           order: 14, numbering: .physical, aliases: ["fo"])
    public static let hundredGigE = InterfaceType(name: "HundredGigE", shortName: "Hu", order: 15,
                                                  numbering: .physical, aliases: ["h", "hu"])
    public static let serial = InterfaceType(name: "Serial", shortName: "Se", order: 20, numbering: .physical,
                                             aliases: ["s", "se"])
    public static let multilink = InterfaceType(name: "Multilink", shortName: "Mu", order: 21, numbering: .virtual,
                                                aliases: ["mu"])
    public static let dialer = InterfaceType(name: "Dialer", shortName: "Di", order: 22, numbering: .virtual,
                                             aliases: ["d", "di"])
    public static let vlan = InterfaceType(name: "Vlan", shortName: "Vl", order: 30, numbering: .vlan,
                                           aliases: ["v", "vl"])

    /// Every type the parser knows, in listing order.
    public static let all: [InterfaceType] = [
        .loopback, .null, .tunnel, .portChannel, .ethernet, .fastEthernet, .gigabitEthernet, .tenGigabitEthernet,
        .fortyGigabitEthernet, .hundredGigE, .serial, .multilink, .dialer, .vlan,
    ]

    /// The type an IOS user means by `word` (any case, any unambiguous prefix, or a known alias).
    static func resolve(_ word: String) throws(InterfaceNameError) -> InterfaceType {
        let lowered = word.lowercased()
        if let aliased = all.first(where: { $0.aliases.contains(lowered) }) { return aliased }
        let candidates = all.filter { $0.name.lowercased().hasPrefix(lowered) }
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty { throw InterfaceNameError("% Invalid interface type \"\(word)\"") }
        let names = candidates.map(\.name).joined(separator: ", ")
        throw InterfaceNameError("% Ambiguous interface type \"\(word)\" (\(names))")
    }
}

/// Why text could not be read as an interface name; the message is IOS-like.
public struct InterfaceNameError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// An interface name as IOS accepts it (`gi0/1`, `Gig 0/1`, `GigabitEthernet0/1`), held in canonical form.
///
/// Ordering follows IOS listings: by type, then numerically by each number (Gi0/2 before Gi0/10).
public struct InterfaceName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let type: InterfaceType
    /// The slot/port path: `[0, 1]` for `GigabitEthernet0/1`.
    public let numbers: [Int]
    public let subinterface: Int?

    /// Reads any IOS spelling: a type (full, prefix or alias, any case), optional blanks, then the number.
    public init(_ text: String) throws(InterfaceNameError) {
        let chars = Array(text)
        var index = 0
        while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 }
        let typeStart = index
        while index < chars.count, chars[index].isASCII, chars[index].isLetter || chars[index] == "-" { index += 1 }
        let typeWord = String(chars[typeStart..<index])
        while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 }
        var end = chars.count
        while end > index, chars[end - 1] == " " || chars[end - 1] == "\t" { end -= 1 }
        let numberText = String(chars[index..<end])
        guard !typeWord.isEmpty else { throw InterfaceNameError("% Invalid interface name \"\(text)\"") }
        let type = try InterfaceType.resolve(typeWord)
        guard !numberText.isEmpty else { throw InterfaceNameError("% Incomplete interface name \"\(text)\"") }
        let invalidNumber = InterfaceNameError("% Invalid interface number \"\(numberText)\" for \(type.name)")

        let dotted = numberText.split(separator: ".", omittingEmptySubsequences: false)
        guard dotted.count <= 2 else { throw invalidNumber }
        let path = dotted[0].split(separator: "/", omittingEmptySubsequences: false)
        var numbers: [Int] = []
        for part in path {
            guard let number = Self.number(part) else { throw invalidNumber }
            numbers.append(number)
        }
        var subinterface: Int?
        if dotted.count == 2 {
            guard let number = Self.number(dotted[1]) else { throw invalidNumber }
            subinterface = number
        }
        switch type.numbering {
        case .physical:
            guard numbers.count <= 4 else { throw invalidNumber }
        case .single:
            guard numbers.count == 1 else { throw invalidNumber }
        case .virtual:
            guard numbers.count == 1, subinterface == nil else { throw invalidNumber }
        case .vlan:
            guard numbers.count == 1, subinterface == nil, (1...4094).contains(numbers[0]) else { throw invalidNumber }
        }
        self.type = type
        self.numbers = numbers
        self.subinterface = subinterface
    }

    public init(type: InterfaceType, numbers: [Int], subinterface: Int? = nil) {
        self.type = type
        self.numbers = numbers
        self.subinterface = subinterface
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    private var numberText: String {
        numbers.map(String.init).joined(separator: "/") + (subinterface.map { ".\($0)" } ?? "")
    }

    /// The canonical IOS name: `GigabitEthernet0/1`, `Vlan10`, `GigabitEthernet0/0.10`.
    public var description: String { type.name + numberText }

    /// The short form some `show` commands use: `Gi0/1`, `Et0/0`, `Vl10`.
    public var shortName: String { type.shortName + numberText }

    public var isSubinterface: Bool { subinterface != nil }

    /// The main interface of a subinterface, or nil.
    public var parent: InterfaceName? {
        subinterface == nil ? nil : InterfaceName(type: type, numbers: numbers)
    }

    public static func < (a: Self, b: Self) -> Bool {
        if a.type.order != b.type.order { return a.type.order < b.type.order }
        if a.type != b.type { return a.type.name < b.type.name }
        if a.numbers != b.numbers { return a.numbers.lexicographicallyPrecedes(b.numbers) }
        return (a.subinterface ?? -1) < (b.subinterface ?? -1)
    }
}
