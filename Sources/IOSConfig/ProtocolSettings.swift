/// The typed settings one protocol module keeps in a device's configuration (`router ospf`, its
/// interface commands ...): the module's command handlers write them, the module reads them back.
public protocol ProtocolSettings: Sendable, Equatable {
    /// The settings of a device that configured nothing of the protocol.
    init()
}

/// The settings of every protocol module on one device, keyed by their type, so the config engine and
/// the device model hold them without knowing any module by name.
public struct ProtocolSettingsStore: Sendable, Equatable {
    struct Box: Sendable {
        let value: any Sendable
        let equals: @Sendable (any Sendable) -> Bool
    }

    var values: [ObjectIdentifier: Box] = [:]

    public init() {}

    /// A module's settings; the empty settings when the device configured none.
    public subscript<S: ProtocolSettings>(_ type: S.Type) -> S {
        get { values[ObjectIdentifier(type)]?.value as? S ?? S() }
        set {
            values[ObjectIdentifier(type)] = newValue == S() ? nil : Box(value: newValue) { other in (other as? S) == newValue }
        }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.values.count == b.values.count && a.values.allSatisfy { key, box in b.values[key].map { box.equals($0.value) } ?? false }
    }
}

/// A device configuration that protocol modules keep their settings in.
public protocol ProtocolSettingsContainer {
    var protocolSettings: ProtocolSettingsStore { get set }
    /// Routers run routing protocols; commands of a protocol refuse other kinds of device.
    var isRouter: Bool { get }
}
