import Fabric
import IOSConfig
import Wire

/// Switch commands: VLANs and the MAC address table (`registerSwitchCommands`), and the `switchport`
/// commands of interface mode (`registerSwitchportCommands`).
extension DeviceCommands {
    public static func registerSwitchCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        registry.register(.global, "vlan <1-4094>", enters: .vlan) { command, config in
            try require([.l2switch], "vlan", on: config)
            guard let vlan = command.number("vlan").map(UInt16.init) else { return }
            if command.isNegated {
                if vlan == 1 || (1002...1005).contains(vlan) {
                    throw ConfigError.rejected("% Default VLAN \(vlan) may not be deleted.")
                }
                config.l2.vlans[vlan] = nil
            } else if config.l2.vlans[vlan] == nil {
                config.l2.vlans[vlan] = defaultVLANName(vlan)
            }
        }

        registry.register(.vlan, "name <WORD>") { command, config in
            guard let vlan = command.enclosing(.vlan)?.number("vlan").map(UInt16.init) else { return }
            if vlan == 1 { throw ConfigError.rejected("% Default VLAN 1 may not have its name changed.") }
            let name = command.isNegated ? defaultVLANName(vlan) : command.text("name") ?? defaultVLANName(vlan)
            guard name.count <= 32 else { throw ConfigError.rejected("% VLAN names are at most 32 characters") }
            config.l2.vlans[vlan] = name
        }

        registry.register(
            .global,
            "mac address-table static <H.H.H> vlan <1-4094> interface <INTERFACE> [<INTERFACE> [<INTERFACE> "
                + "[<INTERFACE> [<INTERFACE> [<INTERFACE> [<INTERFACE> [<INTERFACE>]]]]]]]",
            section: .macAddressTable, key: .leadingArguments(2)
        ) { command, config in
            try applyStaticMAC(command, to: &config)
        }

        registry.register(.global, "mac address-table aging-time <0-1000000>", section: .macAddressTable) {
            command, config in
            try require([.l2switch], "mac address-table", on: config)
            guard !command.isNegated else {
                config.l2.macAgingTime = SwitchSettings(hostname: "").macAgingTime
                return
            }
            guard let seconds = command.number("aging-time") else { return }
            switch seconds {
            case 0: config.l2.macAgingTime = macAgingNever
            case 10...: config.l2.macAgingTime = .seconds(Int64(seconds))
            default: throw ConfigError.rejected("% Aging time should be 0 (never) or 10-1000000 seconds")
            }
        }
    }

    /// The name IOS gives a VLAN created without one: `VLAN0010`.
    static func defaultVLANName(_ vlan: UInt16) -> String {
        let digits = String(vlan)
        return "VLAN" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func applyStaticMAC(_ command: ParsedCommand, to config: inout DeviceConfiguration) throws {
        try require([.l2switch], "mac address-table", on: config)
        guard let mac = command.mac(), let vlan = command.number("vlan").map(UInt16.init) else { return }
        config.l2.staticMACs.removeAll { $0.mac == mac && $0.vlan == vlan }
        guard !command.isNegated else { return }
        var names: [String] = []
        for argument in command.arguments {
            guard let name = argument.value.interface else { continue }
            guard !name.isSubinterface, name.type != .vlan else {
                throw ConfigError.rejected("% \(name) is not a switchport")
            }
            if !names.contains(name.description) { names.append(name.description) }
        }
        config.l2.staticMACs.append(StaticMACEntry(mac: mac, vlan: vlan, interfaces: names))
    }

    // MARK: - switchport

    public static func registerSwitchportCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        registry.register(.interface, "switchport") { command, config in
            try withSwitchport(command, &config) { name, _ in
                if command.isNegated {
                    throw ConfigError.rejected(
                        "% Routed ports are not modelled: \(name) stays a switchport (use an SVI, interface VlanN)")
                }
            }
        }

        registry.register(.interface, "switchport access vlan <1-4094>") { command, config in
            let vlan = command.isNegated ? 1 : UInt16(command.number("vlan") ?? 1)
            try withSwitchport(command, &config) { _, port in port.accessVLAN = vlan }
            // IOS: "% Access VLAN does not exist. Creating vlan N".
            if config.l2.vlans[vlan] == nil { config.l2.vlans[vlan] = defaultVLANName(vlan) }
        }

        // Accepted for old switches that also speak ISL; 802.1Q is the only trunk encapsulation modelled.
        registry.register(.interface, "switchport trunk encapsulation dot1q") { command, config in
            try withSwitchport(command, &config) { _, _ in }
        }

        registry.register(.interface, "switchport trunk native vlan <1-4094>") { command, config in
            let vlan = command.isNegated ? 1 : UInt16(command.number("vlan") ?? 1)
            try withSwitchport(command, &config) { _, port in port.nativeVLAN = vlan }
        }

        // IOS prints one line with the resulting list; the engine stores lines as given, so `add`, `remove`
        // and `except` lines are kept each under its own key, after the base list, in configuration order.
        registry.register(
            .interface,
            "switchport trunk allowed vlan {<WORD:list> | add <WORD:add> | remove <WORD:remove> | "
                + "except <WORD:except> | all | none}",
            key: .custom(allowedVLANKey)
        ) { command, config in
            try applyAllowedVLANs(command, to: &config)
        }

        registry.register(.interface, "switchport mode {access | trunk}") { command, config in
            let mode: SwitchportSettings.Mode = command.has("trunk") && !command.isNegated ? .trunk : .access
            try withSwitchport(command, &config) { _, port in port.mode = mode }
        }
    }

    // MARK: - storm-control

    /// Catalyst `storm-control`, printed after `shutdown` as IOS does; registered from `registerLinkCommands`.
    public static func registerStormControlCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        // One command per type, so the lines print broadcast, multicast, unicast as on IOS.
        for type in StormTrafficType.allCases {
            registry.register(
                .interface,
                "storm-control \(type.keyword) level {<WORD:rise> [<WORD:fall>] | bps <WORD:rise> [<WORD:fall>] "
                    + "| pps <WORD:rise> [<WORD:fall>]}",
                render: { c in
                    guard let level = try? stormLevel(c) else { return c.canonicalText }
                    return "storm-control \(type.keyword) level " + stormLevelText(level)
                }
            ) { command, config in
                let level = command.isNegated ? nil : try stormLevel(command)
                try withStormControl(command, &config) { storm in storm[type] = level }
            }
        }

        registry.register(.interface, "storm-control action {shutdown | trap}",
                          key: .custom { c in c.has("shutdown") ? "storm-control action shutdown" : "storm-control action trap" }) {
            command, config in
            let on = !command.isNegated
            try withStormControl(command, &config) { storm in
                if command.has("shutdown") { storm.shutdown = on } else { storm.trap = on }
            }
        }
    }

    /// Reads `level 1.00 [0.50]` (percent, two decimals), `bps 10m [5m]`, `pps 1k [500]` (k, m, g suffixes).
    static func stormLevel(_ command: ParsedCommand) throws -> StormControlLevel {
        let unit: StormControlLevel.Unit = command.has("bps") ? .bitsPerSecond : command.has("pps") ? .packetsPerSecond : .percent
        func value(_ label: String) throws -> Double? {
            guard let text = command.text(label) else { return nil }
            if unit == .percent {
                guard let v = Double(text), v >= 0, v <= 100, text.split(separator: ".").last.map({ !text.contains(".") || $0.count <= 2 }) ?? true,
                      text.allSatisfy({ $0.isNumber || $0 == "." }) else {
                    throw ConfigError.rejected("% Invalid level \"\(text)\": expected a percentage 0.00-100.00")
                }
                return v
            }
            var digits = Substring(text.lowercased())
            var scale = 1.0
            switch digits.last {
            case "k": scale = 1e3; digits = digits.dropLast()
            case "m": scale = 1e6; digits = digits.dropLast()
            case "g": scale = 1e9; digits = digits.dropLast()
            default: break
            }
            guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." }), let v = Double(digits), v * scale <= 1e10 else {
                throw ConfigError.rejected("% Invalid rate \"\(text)\": expected 0-10000000000, with a k, m or g suffix if wanted")
            }
            return v * scale
        }
        guard let rising = try value("rise") else { throw ConfigError.rejected("% Incomplete command.") }
        let falling = try value("fall")
        // IOS: the falling level must be equal to or less than the rising level.
        if let falling, falling > rising {
            throw ConfigError.rejected("% The falling level must be equal to or less than the rising level")
        }
        return StormControlLevel(unit: unit, rising: rising, falling: falling)
    }

    /// The level as `show running-config` prints it: `1.00 0.50`, `bps 10m 5m`, `pps 1k`.
    static func stormLevelText(_ level: StormControlLevel) -> String {
        let same = level.falling == level.rising
        switch level.unit {
        case .percent:
            return L2Switch.percent(level.rising).dropLast() + (same ? "" : " " + L2Switch.percent(level.falling).dropLast())
        case .bitsPerSecond, .packetsPerSecond:
            let word = level.unit == .bitsPerSecond ? "bps" : "pps"
            return word + " " + Network.metric(level.rising) + (same ? "" : " " + Network.metric(level.falling))
        }
    }

    /// Runs `body` on the storm-control settings of the current interface (physical switch ports only).
    static func withStormControl(_ command: ParsedCommand, _ config: inout DeviceConfiguration,
                                 _ body: (inout StormControlSettings) -> Void) throws {
        try require([.l2switch], "storm-control", on: config)
        try withCurrentInterface(command, &config) { name, interface in
            guard interface.switchport != nil else {
                throw ConfigError.rejected("% Storm control is supported only on physical switch ports, not \(name)")
            }
            body(&interface.stormControl)
        }
    }

    /// Runs `body` on the switchport settings of the current interface; refuses other kinds and SVIs.
    static func withSwitchport(_ command: ParsedCommand, _ config: inout DeviceConfiguration,
                               _ body: (InterfaceName, inout SwitchportSettings) throws -> Void) throws {
        try require([.l2switch], "switchport", on: config)
        try withCurrentInterface(command, &config) { name, interface in
            guard var port = interface.switchport else {
                throw ConfigError.rejected("% Invalid input detected: \(name) is not a switchport")
            }
            try body(name, &port)
            interface.switchport = port
        }
    }

    static func allowedVLANKey(_ command: ParsedCommand) -> String {
        for form in ["add", "remove", "except"] where command.has(form) {
            return "switchport trunk allowed vlan \(form) \(command.text(form) ?? "")"
        }
        return "switchport trunk allowed vlan"
    }

    static func applyAllowedVLANs(_ command: ParsedCommand, to config: inout DeviceConfiguration) throws {
        let everyVLAN = Set(UInt16(1)...4094)
        var change: (Set<UInt16>?) -> Set<UInt16>?
        if command.isNegated || command.has("all") {
            change = { _ in nil }
        } else if command.has("none") {
            change = { _ in [] }
        } else if let text = command.text("add") {
            let list = try vlanList(text)
            change = { $0.map { $0.union(list) } }
        } else if let text = command.text("remove") {
            let list = try vlanList(text)
            change = { ($0 ?? everyVLAN).subtracting(list) }
        } else if let text = command.text("except") {
            let list = try vlanList(text)
            change = { _ in everyVLAN.subtracting(list) }
        } else if let text = command.text("list") {
            let list = try vlanList(text)
            change = { _ in list }
        } else {
            return
        }
        try withSwitchport(command, &config) { _, port in
            let allowed = change(port.allowedVLANs)
            port.allowedVLANs = allowed == everyVLAN ? nil : allowed
        }
    }

    /// A VLAN list as IOS writes it: `10,20,30-35`.
    static func vlanList(_ text: String) throws -> Set<UInt16> {
        var vlans = Set<UInt16>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            let numbers = bounds.compactMap { bound -> UInt16? in
                guard !bound.isEmpty, bound.count <= 4, bound.allSatisfy({ $0.isASCII && $0.isNumber }),
                      let vlan = UInt16(bound), (1...4094).contains(vlan) else { return nil }
                return vlan
            }
            guard (1...2).contains(bounds.count), numbers.count == bounds.count,
                  numbers[0] <= numbers[numbers.count - 1] else {
                throw ConfigError.rejected("% Bad VLAN list \"\(text)\": \"\(item)\" is not a VLAN or range in 1-4094")
            }
            vlans.formUnion(numbers[0]...numbers[numbers.count - 1])
        }
        return vlans
    }
}
