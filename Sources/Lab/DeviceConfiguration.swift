import Fabric
import IOSConfig
import QoS
import Wire

/// The kinds of device a topology holds.
public enum DeviceKind: String, Sendable, CaseIterable {
    case router, l2switch = "switch", host
}

/// What a device's IOS-style configuration sets, as typed values: the target every registered
/// command handler writes into. Lab builds it from text; the fabric receives its parts.
public struct DeviceConfiguration: Sendable {
    public var kind: DeviceKind
    /// Routers and hosts: interfaces, addresses, routes, ARP.
    public var ip: IPNodeSettings
    /// Switches: VLANs, switchports, static MAC entries.
    public var l2: SwitchSettings
    /// QoS lists, class maps and policy maps as parsed, resolved into interfaces by `finalizeQoS`.
    public var qos = QoSDefinitions()

    public init(kind: DeviceKind, hostname: String) {
        self.kind = kind
        ip = IPNodeSettings(hostname: hostname)
        ip.ipRouting = kind == .router
        l2 = SwitchSettings(hostname: hostname)
    }

    public var hostname: String {
        get { kind == .l2switch ? l2.hostname : ip.hostname }
        set { ip.hostname = newValue; l2.hostname = newValue }
    }

    /// The interface settings of `name` (canonical), created on first use, on the side the kind uses.
    public mutating func withInterface<R>(_ name: String, _ body: (inout InterfaceSettings) throws -> R) rethrows -> R {
        if kind == .l2switch {
            if let i = l2.interfaces.firstIndex(where: { $0.name == name }) { return try body(&l2.interfaces[i]) }
            var s = InterfaceSettings(name: name)
            s.switchport = name.hasPrefix("Vlan") ? nil : SwitchportSettings()
            let r = try body(&s)
            l2.interfaces.append(s)
            return r
        }
        if let i = ip.interfaces.firstIndex(where: { $0.name == name }) { return try body(&ip.interfaces[i]) }
        var s = InterfaceSettings(name: name)
        // IOS routers leave interfaces administratively down until `no shutdown`; loopbacks and
        // subinterfaces come up by themselves.
        s.shutdown = kind == .router && !s.isLoopback && !s.isSubinterface
        let r = try body(&s)
        ip.interfaces.append(s)
        return r
    }
}
