import Fabric
import IOSConfig

/// Global commands every kind of device takes: `hostname` and `interface`.
extension DeviceCommands {
    public static func registerGlobalCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        registry.register(.global, "hostname <WORD>", section: .hostname) { command, config in
            guard !command.isNegated else {
                // IOS behaviour: `no hostname` restores the factory name.
                config.hostname = switch config.kind {
                case .router: "Router"
                case .l2switch: "Switch"
                case .host: config.hostname
                }
                return
            }
            guard let name = command.text("WORD") else { return }
            try validateHostname(name)
            config.hostname = name
        }

        registry.register(.global, "interface <INTERFACE>", enters: .interface) { command, config in
            guard let name = command.interface() else { return }
            if command.isNegated {
                try removeInterface(name, from: &config)
            } else {
                try checkInterfaceExists(name, on: config)
                config.withInterface(name.description) { _ in }
            }
        }
    }

    /// RFC 1123 host names: letters, digits and hyphens (IOS also takes underscores), starting with a letter.
    static func validateHostname(_ name: String) throws {
        guard let first = name.first, first.isASCII, first.isLetter else {
            throw ConfigError.rejected("% Hostname should start with a letter")
        }
        guard name.count <= 63,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw ConfigError.rejected("% Hostname contains one or more illegal characters.")
        }
    }

    /// Switches model Ethernet switchports and SVIs (`interface Vlan10`) only; routers and hosts take
    /// any interface, including subinterfaces.
    static func checkInterfaceExists(_ name: InterfaceName, on config: DeviceConfiguration) throws {
        guard config.kind == .l2switch else { return }
        if name.isSubinterface {
            throw ConfigError.rejected("% Invalid input detected: subinterfaces are not supported on a switch")
        }
        let ethernet: [InterfaceType] = [.ethernet, .fastEthernet, .gigabitEthernet, .tenGigabitEthernet,
                                         .fortyGigabitEthernet, .hundredGigE]
        guard name.type == .vlan || ethernet.contains(name.type) else {
            throw ConfigError.rejected(
                "% Invalid input detected: \(name.type.name) interfaces are not supported on a switch")
        }
    }

    /// `no interface X`: IOS removes logical interfaces only.
    static func removeInterface(_ name: InterfaceName, from config: inout DeviceConfiguration) throws {
        guard name.isSubinterface || name.type.numbering != .physical else {
            throw ConfigError.rejected("% Physical interfaces cannot be removed")
        }
        let canonical = name.description
        config.ip.interfaces.removeAll { $0.name == canonical }
        config.l2.interfaces.removeAll { $0.name == canonical }
    }
}
