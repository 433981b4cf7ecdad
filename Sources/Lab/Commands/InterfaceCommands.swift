import Engine
import Fabric
import IOSConfig
import Wire

/// Interface-mode commands: description, bandwidth, MTU, 802.1Q subinterfaces, addresses, ARP timeout
/// (`registerInterfaceCommands`), then queueing and administrative state (`registerLinkCommands`).
extension DeviceCommands {
    public static func registerInterfaceCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        registry.register(.interface, "description <LINE>") { command, config in
            let text = command.text("LINE")
            if let text, text.count > 240 {
                throw ConfigError.rejected("% Description is longer than 240 characters")
            }
            try withCurrentInterface(command, &config) { _, interface in
                interface.description = command.isNegated ? nil : text
            }
        }

        registry.register(.interface, "bandwidth <1-10000000>") { command, config in
            try withCurrentInterface(command, &config) { _, interface in
                interface.bandwidth = command.isNegated ? nil : command.number("bandwidth").map { .kbps(Int64($0)) }
            }
        }

        registry.register(.interface, "mtu <64-9216>") { command, config in
            try withCurrentInterface(command, &config) { _, interface in
                interface.mtu = command.isNegated ? nil : command.number("mtu")
            }
        }

        registry.register(.interface, "encapsulation dot1Q <1-4094> [native]") { command, config in
            try applyDot1Q(command, to: &config)
        }

        // IOS behaviour: secondaries print before the primary address, so they are registered first.
        registry.register(.interface, "ip address <A.B.C.D:address> <A.B.C.D:mask> secondary",
                          key: .custom(addressKey)) { command, config in
            try applyAddress(command, to: &config)
        }
        registry.register(.interface, "ip address <A.B.C.D:address> <A.B.C.D:mask>",
                          key: .custom(addressKey)) { command, config in
            try applyAddress(command, to: &config)
        }

        // `mac-address H.H.H`: the interface's MAC instead of the burned-in address.
        registry.register(.interface, "mac-address <H.H.H>") { command, config in
            try require([.router], "mac-address", on: config)
            try withCurrentInterface(command, &config) { _, interface in
                interface.macAddress = command.isNegated ? nil : command.mac()
            }
        }

        registry.register(.interface, "arp timeout <0-2147483>") { command, config in
            try withCurrentInterface(command, &config) { _, interface in
                interface.arpTimeout = command.isNegated ? nil : command.number("timeout").map { .seconds(Int64($0)) }
            }
        }

        // ios-behavior §1: the transmit ring in front of the line (printed, as IOS does, before the
        // queueing commands).
        registry.register(.interface, "tx-ring-limit <1-32767>") { command, config in
            try require([.router], "tx-ring-limit", on: config)
            try withCurrentInterface(command, &config) { _, interface in
                interface.txRingLimit = command.isNegated ? nil : command.number("tx-ring-limit")
            }
        }
    }

    /// Queueing and administrative state, printed after the layer 2 and 3 settings of an interface.
    public static func registerLinkCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        // Only the `no` form is modelled here: weighted fair queueing itself belongs to the QoS commands.
        registry.register(.interface, "fair-queue", negation: .storedAsNo) { command, config in
            try require([.router], "fair-queue", on: config)
            try withCurrentInterface(command, &config) { _, interface in
                interface.fairQueueDisabled = command.isNegated
            }
        }

        registry.register(.interface, "shutdown", negation: .storedAsNo) { command, config in
            try withCurrentInterface(command, &config) { _, interface in
                interface.shutdown = !command.isNegated
                if !command.isNegated { interface.shutdownCount += 1 }
            }
        }
        registerStormControlCommands(into: registry)

        // The input hold queue is not modelled (frames are processed as they arrive): it is ignored.
        registry.register(.interface, "hold-queue [<0-4096>] out") { command, config in
            let length = command.number("hold-queue")
            guard command.isNegated || length != nil else { throw ConfigError.rejected("% Incomplete command.") }
            try withCurrentInterface(command, &config) { _, interface in
                interface.holdQueueOut = command.isNegated ? nil : length
            }
        }
        registry.ignore(.interface, "hold-queue <0-4096> in")
    }

    // MARK: - ip address

    /// One stored line for the primary address and one per secondary address.
    static func addressKey(_ command: ParsedCommand) -> String {
        guard command.has("secondary") else { return "ip address" }
        return "ip address \(command.address("address")?.description ?? "") secondary"
    }

    static func applyAddress(_ command: ParsedCommand, to config: inout DeviceConfiguration) throws {
        let name = try currentInterface(command)
        let canonical = name.description
        let current = interfaces(of: config).first { $0.name == canonical } ?? InterfaceSettings(name: canonical)
        if config.kind == .l2switch, current.switchport != nil {
            throw ConfigError.rejected("% IP addresses may not be configured on L2 links.")
        }
        let secondary = command.has("secondary")
        if command.isNegated {
            try removeAddress(command.address("address"), secondary: secondary, from: current, in: &config)
            return
        }
        guard let address = command.address("address"), let mask = command.address("mask") else { return }
        let maskHex = String(mask.rawValue, radix: 16, uppercase: true)
        let paddedMask = String(repeating: "0", count: 8 - maskHex.count) + maskHex
        let prefix = try prefix(address, mask: mask, message: "% Bad mask 0x\(paddedMask) for address \(address)")
        // IOS refuses the subnet's own network and broadcast addresses, except on /31 and /32 links.
        if prefix.length == 0 || (prefix.length < 31 && (address == prefix.network || address == prefix.broadcast)) {
            throw ConfigError.rejected("% Bad mask /\(prefix.length) for address \(address)")
        }
        if config.kind == .router, current.isSubinterface, current.dot1QVLAN == nil, isEthernet(name.type) {
            throw ConfigError.rejected(
                "% Configuring IP routing on a LAN subinterface is only allowed if that subinterface is already "
                    + "configured as part of an IEEE 802.10, IEEE 802.1Q, or ISL vLAN.")
        }
        try checkOverlap(prefix, address: address, secondary: secondary, on: canonical, in: config)

        let entry = InterfaceAddress(address: address, prefix: prefix, secondary: secondary)
        config.withInterface(canonical) { interface in
            if secondary {
                if let index = interface.addresses.firstIndex(where: { $0.secondary && $0.address == address }) {
                    interface.addresses[index] = entry
                } else {
                    interface.addresses.append(entry)
                }
            } else if let index = interface.addresses.firstIndex(where: { !$0.secondary }) {
                interface.addresses[index] = entry
            } else {
                interface.addresses.insert(entry, at: 0)
            }
        }
    }

    /// IOS: a subnet may appear on one interface only, and once among an interface's own addresses.
    static func checkOverlap(_ prefix: IPv4Prefix, address: IPv4Address, secondary: Bool, on name: String,
                             in config: DeviceConfiguration) throws {
        for other in interfaces(of: config) {
            for existing in other.addresses {
                if other.name == name {
                    // The line replaces the primary, or the secondary with the same address.
                    let replaced = secondary ? existing.secondary && existing.address == address : !existing.secondary
                    if replaced { continue }
                }
                if existing.prefix.contains(prefix.network) || prefix.contains(existing.prefix.network) {
                    throw ConfigError.rejected("% \(prefix.network) overlaps with \(other.name)")
                }
            }
        }
    }

    /// `no ip address [A M [secondary]]`. The running config drops one stored line per `no` line, so a
    /// primary with secondaries cannot go in one step (IOS refuses this too when the address is named).
    static func removeAddress(_ address: IPv4Address?, secondary: Bool, from current: InterfaceSettings,
                              in config: inout DeviceConfiguration) throws {
        if secondary {
            guard let address else { return }
            config.withInterface(current.name) { interface in
                interface.addresses.removeAll { $0.secondary && $0.address == address }
            }
            return
        }
        if current.addresses.contains(where: \.secondary) {
            throw ConfigError.rejected("% Must delete secondary before deleting primary")
        }
        if let address, let primary = current.addresses.first(where: { !$0.secondary }), primary.address != address {
            throw ConfigError.rejected("% \(address) is not the primary address of \(current.name)")
        }
        config.withInterface(current.name) { interface in interface.addresses.removeAll { !$0.secondary } }
    }

    static func isEthernet(_ type: InterfaceType) -> Bool {
        [.ethernet, .fastEthernet, .gigabitEthernet, .tenGigabitEthernet, .fortyGigabitEthernet, .hundredGigE,
         .portChannel].contains(type)
    }

    // MARK: - encapsulation dot1Q

    static func applyDot1Q(_ command: ParsedCommand, to config: inout DeviceConfiguration) throws {
        let name = try currentInterface(command)
        guard name.isSubinterface, isEthernet(name.type) else {
            throw ConfigError.rejected("% encapsulation dot1Q is supported on Ethernet subinterfaces only")
        }
        if command.isNegated {
            config.withInterface(name.description) { interface in
                interface.dot1QVLAN = nil
                interface.dot1QNative = false
            }
            return
        }
        guard let vlan = command.number("dot1Q").map(UInt16.init) else { return }
        let native = command.has("native")
        let physical = name.parent?.description
        let siblings = interfaces(of: config).filter { $0.physicalName == physical && $0.name != name.description }
        for sibling in siblings {
            if sibling.dot1QVLAN == vlan {
                throw ConfigError.rejected(
                    "% Configuration of multiple subinterfaces of the same main interface with the same VID (\(vlan)) "
                        + "is not permitted. This VID is already configured on \(sibling.name).")
            }
            if native, sibling.dot1QNative {
                throw ConfigError.rejected("% \(sibling.name) already carries the native VLAN of \(physical ?? "")")
            }
        }
        config.withInterface(name.description) { interface in
            interface.dot1QVLAN = vlan
            interface.dot1QNative = native
        }
    }
}
