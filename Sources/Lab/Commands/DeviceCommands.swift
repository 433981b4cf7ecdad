import Engine
import Fabric
import IOSConfig
import Wire

/// The IOS commands of routers, switches and hosts, registered into one `CommandRegistry` whose
/// handlers write typed settings into a `DeviceConfiguration`.
///
/// Each concern registers its own commands (`registerGlobalCommands(into:)`, ...); protocol modules add
/// theirs the same way after `registry()` has built the base set. Registration order is the order of lines
/// within a running-config section, so the composition below follows a real router's `show running-config`.
public enum DeviceCommands {
    /// Every device command, plus the boilerplate of real configs that the emulator accepts and ignores.
    public static func registry() -> CommandRegistry<DeviceConfiguration> {
        let registry = CommandRegistry<DeviceConfiguration>()
        registerGlobalCommands(into: registry)
        registerSwitchCommands(into: registry)
        registerSnoopingCommands(into: registry)
        registerInterfaceCommands(into: registry)
        registerSwitchportCommands(into: registry)
        registerQoSCommands(into: registry)
        registerLinkCommands(into: registry)
        registerRoutingCommands(into: registry)
        registerIgnoredCommands(into: registry)
        return registry
    }

    /// `mac address-table aging-time 0`: entries never age. Large, yet far from overflowing `SimTime`.
    public static let macAgingNever = SimDuration.seconds(1 << 32)
}

// MARK: - Helpers shared by the handlers

extension DeviceKind {
    /// How messages name the kind: "a router", "a switch", "a host".
    var withArticle: String {
        switch self {
        case .router: "a router"
        case .l2switch: "a switch"
        case .host: "a host"
        }
    }
}

extension DeviceCommands {
    /// Refuses a command that means nothing on this kind of device.
    static func require(_ kinds: Set<DeviceKind>, _ what: String, on config: DeviceConfiguration) throws {
        guard kinds.contains(config.kind) else {
            let kind = config.kind.withArticle
            throw ConfigError.rejected("% Invalid input detected: \(what) is not supported on \(kind)")
        }
    }

    /// The interface whose mode the command was given in.
    static func currentInterface(_ command: ParsedCommand) throws -> InterfaceName {
        guard let name = command.enclosing(.interface)?.interface() else {
            throw ConfigError.rejected("% \(command.keywords.first ?? "command") is valid only in interface mode")
        }
        return name
    }

    /// Runs `body` on the settings of the interface whose mode the command was given in.
    static func withCurrentInterface<R>(_ command: ParsedCommand, _ config: inout DeviceConfiguration,
                                        _ body: (InterfaceName, inout InterfaceSettings) throws -> R) throws -> R {
        let name = try currentInterface(command)
        return try config.withInterface(name.description) { try body(name, &$0) }
    }

    /// Every interface of the device, whichever side (IP node or switch) holds it.
    static func interfaces(of config: DeviceConfiguration) -> [InterfaceSettings] {
        config.kind == .l2switch ? config.l2.interfaces : config.ip.interfaces
    }

    /// The prefix of a network and a dotted mask; IOS refuses a non-contiguous mask.
    static func prefix(_ address: IPv4Address, mask: IPv4Address, message: String) throws -> IPv4Prefix {
        guard let prefix = IPv4Prefix(address, mask: mask) else { throw ConfigError.rejected(message) }
        return prefix
    }
}
