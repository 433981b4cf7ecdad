import Engine
import Fabric
import IOSConfig

/// A command a device could not run, as IOS answers it (`% Invalid input detected ...`).
public struct ExecError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What an exec command of a module (`show ip ospf neighbor`, `debug ip ospf adj`) works on.
public struct ExecContext {
    public let network: Network
    public let node: NodeID

    public init(network: Network, node: NodeID) {
        self.network = network
        self.node = node
    }

    /// The router or host, if the device is one.
    public var ipNode: IPNode? { network.ipNode(node) }

    /// The running instances of protocol type `P` on the device (`router ospf 1` and `2` are two).
    public func instances<P: ControlPlaneProtocol>(of type: P.Type) -> [P] {
        ipNode?.protocols.compactMap { $0 as? P } ?? []
    }
}

/// Where a module registers its exec commands (`show ...`, `debug ...`); the lab's command table implements it.
public protocol ExecCommandRegistry {
    /// Adds an exec command in the config engine's syntax grammar; the handler returns the output.
    func add(_ syntax: String, _ handler: @escaping (ParsedCommand, ExecContext) throws(ExecError) -> String)
}

/// One `debug` switch a module offers at the exec prompt (`debug ip ospf adj`), as the fabric's `debug arp`:
/// the syntax after `debug`, the device's mask bit it sets, what IOS prints when it is turned on or off (each
/// text followed by " is on" / " is off"; `debug ip ospf spf` prints three) and its `show debugging` group.
public struct DebugSwitch: Sendable {
    public var syntax: String
    public var flag: DebugFlag
    public var texts: [String]
    public var group: String

    public init(_ syntax: String, _ flag: DebugFlag, _ texts: String..., group: String) {
        self.syntax = syntax
        self.flag = flag
        self.texts = texts
        self.group = group
    }
}

/// A protocol as a plug-in: its config commands and typed settings, its exec commands, and how its
/// running instances follow the configuration. The lab composes the modules it is given and names none.
public protocol ProtocolModule {
    /// Registers the module's configuration commands (global, interface, and the modes it opens); their
    /// handlers write the module's `ProtocolSettings` into the target's store.
    static func registerCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>)

    /// Registers the module's exec commands.
    static func registerExecCommands(into registry: ExecCommandRegistry)

    /// Brings a router's or host's running instances in line with its settings: at start with `old` nil,
    /// then on every configuration change with the settings before and after (the module compares its own
    /// part and reacts to what changed, as IOS does: a cost change re-originates, it does not restart).
    static func configure(_ node: IPNode, old: ProtocolSettingsStore?, new: ProtocolSettingsStore, network: Network)

    /// The module's part of `show ip protocols` on a device (`Routing Protocol is "ospf 1"` ...), or nil when
    /// it runs nothing there. The lab prints the sections of every module in turn.
    static func protocolsSummary(_ context: ExecContext) -> String?

    /// The module's `debug` switches; the lab's `debug`, `undebug` and `show debugging` cover them.
    static var debugSwitches: [DebugSwitch] { get }

    /// A `debug` or `undebug` changed the device's switches: running instances that keep a copy of them
    /// (so their machines build debug text only when asked) take the new ones.
    static func debuggingChanged(_ node: IPNode, network: Network)

}

extension ProtocolModule {
    public static func protocolsSummary(_ context: ExecContext) -> String? { nil }
    public static var debugSwitches: [DebugSwitch] { [] }
    public static func debuggingChanged(_ node: IPNode, network: Network) {}
}

/// The modules a lab runs unless told otherwise (they join here as they land).
public enum ProtocolCatalog {
    nonisolated(unsafe) public static let all: [any ProtocolModule.Type] = [OSPFModule.self, IGMPModule.self, PIMModule.self]
}
