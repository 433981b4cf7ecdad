/// The OSPF debugs an owner can turn on: `debug ip ospf adj`, `debug ip ospf hello`, `debug ip ospf flood`.
public struct OSPFDebugFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let adj = OSPFDebugFlags(rawValue: 1)
    public static let hello = OSPFDebugFlags(rawValue: 2)
    public static let flood = OSPFDebugFlags(rawValue: 4)
}

/// One IOS-style OSPF debug line; the owner adds the process number when printing it.
public struct OSPFDebugLine: Hashable, Sendable {
    public var category: OSPFDebugFlags
    public var interfaceName: String
    public var text: String

    public init(_ category: OSPFDebugFlags, interfaceName: String, text: String) {
        self.category = category
        self.interfaceName = interfaceName
        self.text = text
    }

    /// `OSPF-1 ADJ   Gi0/0: DR/BDR election` (IOS XE pads the category to five characters).
    public func formatted(processID: Int) -> String {
        let tag = category == .hello ? "HELLO" : category == .flood ? "FLOOD" : "ADJ  "
        return "OSPF-\(processID) \(tag) \(interfaceName): \(text)"
    }
}
