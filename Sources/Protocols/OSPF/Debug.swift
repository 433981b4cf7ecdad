import Fabric

/// The OSPF debugs an owner can turn on (`debug ip ospf adj|hello|events|packet|lsa-generation|spf|flood`).
/// Bit `n` of the raw value is the device's `DebugFlag` bit `8 + n`: OSPF owns bits 8–15 of the debug mask.
public struct OSPFDebugFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let adj = OSPFDebugFlags(rawValue: 1)
    public static let hello = OSPFDebugFlags(rawValue: 2)
    public static let flood = OSPFDebugFlags(rawValue: 4)
    public static let events = OSPFDebugFlags(rawValue: 8)
    public static let packet = OSPFDebugFlags(rawValue: 16)
    public static let lsaGeneration = OSPFDebugFlags(rawValue: 32)
    public static let spf = OSPFDebugFlags(rawValue: 64)

    /// Every single flag, lowest bit first.
    public static let each: [OSPFDebugFlags] = [.adj, .hello, .flood, .events, .packet, .lsaGeneration, .spf]

    /// The device's mask bit for one flag.
    public var debugFlag: DebugFlag { DebugFlag(bit: 8 + UInt8(rawValue.trailingZeroBitCount)) }

    /// The OSPF debugs turned on for a device.
    public init(of node: NodeID, in network: Network) {
        self = []
        for flag in Self.each where network.isDebugging(node, flag.debugFlag) { insert(flag) }
    }
}

extension DebugFlag {
    /// `debug ip ospf adj`.
    public static let ospfAdj = OSPFDebugFlags.adj.debugFlag
    /// `debug ip ospf hello`.
    public static let ospfHello = OSPFDebugFlags.hello.debugFlag
    /// `debug ip ospf flood`.
    public static let ospfFlood = OSPFDebugFlags.flood.debugFlag
    /// `debug ip ospf events`.
    public static let ospfEvents = OSPFDebugFlags.events.debugFlag
    /// `debug ip ospf packet`.
    public static let ospfPacket = OSPFDebugFlags.packet.debugFlag
    /// `debug ip ospf lsa-generation`.
    public static let ospfLSAGeneration = OSPFDebugFlags.lsaGeneration.debugFlag
    /// `debug ip ospf spf`.
    public static let ospfSPF = OSPFDebugFlags.spf.debugFlag
}

/// One IOS-style OSPF debug line. `category` may name several debugs: the line prints when any is on (IOS
/// shows a hello parameter mismatch under `debug ip ospf hello`, `adj` and, before 15.x, `events`).
public struct OSPFDebugLine: Hashable, Sendable {
    public var category: OSPFDebugFlags
    public var interfaceName: String
    public var text: String

    public init(_ category: OSPFDebugFlags, interfaceName: String, text: String) {
        self.category = category
        self.interfaceName = interfaceName
        self.text = text
    }

    /// `OSPF: Nbr 2.2.2.2 has larger interface MTU`.
    ///
    /// The classic IOS 12.4/15.x layout, as the study labs show it: "OSPF: " and the text, no process number
    /// and no category tag (IOS XE 15.4S and later print `OSPF-1 ADJ   Gi0/0: ...` instead). Source: the
    /// `debug ip ospf adj` captures in the Cisco IOS Cookbook ("Debugging OSPF", O'Reilly) and the MTU
    /// mismatch capture at davidsudjiman.info ("OSPF: Nbr 10.4.4.4 has larger interface MTU").
    public func formatted(processID: Int) -> String {
        "OSPF: \(text)"
    }
}
