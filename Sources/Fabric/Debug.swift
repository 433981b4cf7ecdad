import Wire

/// One `debug` switch of a device (IOS `debug arp`, `debug ip icmp`, ...): a bit of the device's
/// debug mask, so the paths that print check one word before building any text.
///
/// Modules own ranges of bits: the fabric 0–7, OSPF 8–15, IGMP 16–23, PIM 24–31, spanning tree 32–39.
public struct DebugFlag: Hashable, Sendable {
    public let bit: UInt8
    public init(bit: UInt8) {
        precondition(bit < 64, "a debug mask has 64 bits")
        self.bit = bit
    }
    @inlinable public var mask: UInt64 { 1 << UInt64(bit) }

    /// `debug arp`: ARP packets sent and received, entries created.
    public static let arp = DebugFlag(bit: 0)
    /// `debug ip icmp`: ICMP messages sent and received by the device itself.
    public static let ipICMP = DebugFlag(bit: 1)
    /// `debug ip mpacket`: multicast packets a router forwards or drops for failing RPF (ios-behavior §8.4).
    public static let ipMPacket = DebugFlag(bit: 2)
}

extension Network {
    /// Whether `flag` is on for the device.
    @inlinable public func isDebugging(_ node: NodeID, _ flag: DebugFlag) -> Bool {
        node.index < debugMasks.count && debugMasks[node.index] & flag.mask != 0
    }

    /// Turns a debug switch on or off for a device (`debug ...` / `undebug ...`).
    public func setDebug(_ node: NodeID, _ flag: DebugFlag, on: Bool) {
        while debugMasks.count <= node.index { debugMasks.append(0) }
        if on { debugMasks[node.index] |= flag.mask } else { debugMasks[node.index] &= ~flag.mask }
    }

    /// `undebug all`.
    public func clearDebugging(_ node: NodeID) {
        if node.index < debugMasks.count { debugMasks[node.index] = 0 }
    }

    /// A debug line for a device, built only when its switch is on; `show logging`, the trace and
    /// `log:` expectations see it as they see syslog lines.
    @inlinable
    public func debug(_ node: NodeID, _ flag: DebugFlag, _ text: @autoclosure () -> String) {
        guard isDebugging(node, flag) else { return }
        appendDebugLine(node, text())
    }

    @usableFromInline func appendDebugLine(_ node: NodeID, _ text: String) {
        let record = LogRecord(time: now, device: devices[node.index].name, text: text, isDebug: true)
        logs.append(record)
        if traceEnabled { trace.append("\(record.time) \(record.device) \(text)") }
    }
}
