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
public struct DeviceConfiguration: Sendable, ProtocolSettingsContainer {
    public var kind: DeviceKind
    /// Routers and hosts: interfaces, addresses, routes, ARP.
    public var ip: IPNodeSettings
    /// Switches: VLANs, switchports, static MAC entries.
    public var l2: SwitchSettings
    /// QoS lists, class maps and policy maps as parsed, resolved into interfaces by `finalizeQoS`.
    public var qos = QoSDefinitions()
    /// The protocol modules' own settings (`router ospf`, `ip ospf ...`), by module.
    public var protocolSettings = ProtocolSettingsStore()

    public init(kind: DeviceKind, hostname: String) {
        self.kind = kind
        ip = IPNodeSettings(hostname: hostname)
        ip.ipRouting = kind == .router
        l2 = SwitchSettings(hostname: hostname)
    }

    public var isRouter: Bool { kind == .router }

    public var hostname: String {
        get { kind == .l2switch ? l2.hostname : ip.hostname }
        set { ip.hostname = newValue; l2.hostname = newValue }
    }

    /// The interface settings of `name` (canonical), created on first use, on the side the kind uses.
    public mutating func withInterface<R>(_ name: String, _ body: (inout InterfaceSettings) throws -> R) rethrows -> R {
        if kind == .l2switch {
            if let i = interfaceIndex(name, in: l2.interfaces) { return try body(&l2.interfaces[i]) }
            var s = InterfaceSettings(name: name)
            s.switchport = name.hasPrefix("Vlan") ? nil : SwitchportSettings()
            let r = try body(&s)
            l2.interfaces.append(s)
            noteAppended(name, count: l2.interfaces.count)
            return r
        }
        if let i = interfaceIndex(name, in: ip.interfaces) { return try body(&ip.interfaces[i]) }
        var s = InterfaceSettings(name: name)
        // IOS routers leave interfaces administratively down until `no shutdown`; loopbacks and
        // subinterfaces come up by themselves.
        s.shutdown = kind == .router && !s.isLoopback && !s.isSubinterface
        let r = try body(&s)
        ip.interfaces.append(s)
        noteAppended(name, count: ip.interfaces.count)
        return r
    }

    /// Interface positions by name for devices of many interfaces (names are unique: only
    /// `withInterface` adds one), trusted while the list has the length and last name it had when
    /// they were taken; anything else rebuilds them. Short lists are scanned.
    var interfaceSlots: [String: Int] = [:]
    var interfaceSlotsFor: (count: Int, last: String)?

    /// The position of the interface called `name`, as `firstIndex` would find it.
    /// - Complexity: O(1) amortized past 64 interfaces.
    mutating func interfaceIndex(_ name: String, in list: [InterfaceSettings]) -> Int? {
        guard list.count > 64 else { return list.firstIndex { $0.name == name } }
        if interfaceSlotsFor?.count != list.count || interfaceSlotsFor?.last != list.last?.name {
            interfaceSlots = [:]
            for (i, s) in list.enumerated() where interfaceSlots[s.name] == nil { interfaceSlots[s.name] = i }
            interfaceSlotsFor = (list.count, list.last?.name ?? "")
        }
        guard let i = interfaceSlots[name], i < list.count, list[i].name == name else { return nil }
        return i
    }

    mutating func noteAppended(_ name: String, count: Int) {
        guard let slots = interfaceSlotsFor, slots.count == count - 1 else { return }
        if interfaceSlots[name] == nil { interfaceSlots[name] = count - 1 }
        interfaceSlotsFor = (count, name)
    }
}
