import Engine
import Fabric
import IOSConfig
import Wire

/// IGMP snooping on a switch (RFC 4541): the Catalyst global forms, and the NX-OS `vlan configuration N`
/// mode with its `ip igmp snooping querier A` (the fix of the "no querier" outage).
extension DeviceCommands {
    /// Catalyst snooping querier default query interval (60 s); NX-OS uses 125 s.
    static let catalystQuerierInterval = SimDuration.seconds(60)
    static let nexusQuerierInterval = SimDuration.seconds(125)

    static func withSnooping(_ command: String, _ config: inout DeviceConfiguration,
                             _ body: (inout IGMPSnoopingSettings) throws -> Void) throws {
        try require([.l2switch], command, on: config)
        try body(&config.l2.igmpSnooping)
    }

    static func vlanArgument(_ c: ParsedCommand) -> UInt16? { c.number("vlan").map(UInt16.init) }

    public static func registerSnoopingCommands(into registry: CommandRegistry<DeviceConfiguration>) {
        // `no ip igmp snooping` is what the running configuration shows (snooping is on by default).
        registry.register(.global, "ip igmp snooping", negation: .storedAsNo) { c, config in
            try withSnooping("ip igmp snooping", &config) { $0.enabled = !c.isNegated }
        }
        registry.register(.global, "ip igmp snooping vlan <1-4094>", negation: .storedAsNo) { c, config in
            guard let vlan = vlanArgument(c) else { return }
            try withSnooping("ip igmp snooping", &config) { s in
                if c.isNegated { s.disabledVLANs.insert(vlan) } else { s.disabledVLANs.remove(vlan) }
            }
        }
        registry.register(.global, "ip igmp snooping vlan <1-4094> mrouter interface <INTERFACE>",
                          key: .custom { c in "ip igmp snooping vlan \(c.number("vlan") ?? 0) mrouter interface \(c.interface()?.description ?? "")" }) {
            c, config in
            guard let vlan = vlanArgument(c), let name = c.interface()?.description else { return }
            try withSnooping("ip igmp snooping", &config) { s in
                var list = s.staticMrouters[vlan] ?? []
                list.removeAll { $0 == name }
                if !c.isNegated { list.append(name) }
                s.staticMrouters[vlan] = list.isEmpty ? nil : list
            }
        }
        registry.register(.global, "ip igmp snooping vlan <1-4094> immediate-leave") { c, config in
            guard let vlan = vlanArgument(c) else { return }
            try withSnooping("ip igmp snooping", &config) { s in
                if c.isNegated { s.immediateLeaveVLANs.remove(vlan) } else { s.immediateLeaveVLANs.insert(vlan) }
            }
        }
        // NX-OS Optimized Multicast Flood: unregistered multicast to mrouter ports only (RFC 4541 §2.1.2 (1)).
        registry.register(.global, "ip igmp snooping optimise-multicast-flood") { c, config in
            try withSnooping("ip igmp snooping", &config) { $0.optimiseMulticastFlood = !c.isNegated }
        }
        // NX-OS: multicast forwarded by destination MAC instead of IP group (a MAC-table snooping switch).
        registry.register(.global, "layer-2 multicast lookup {ip | mac}", key: .custom { _ in "layer-2 multicast lookup" }) { c, config in
            try withSnooping("layer-2 multicast lookup", &config) { $0.lookupByMAC = !c.isNegated && c.has("mac") }
        }
        registry.register(.global, "ip igmp snooping querier [address <A.B.C.D>]") { c, config in
            try withSnooping("ip igmp snooping querier", &config) { s in
                s.globalQuerier = c.isNegated ? nil : SnoopingQuerierSettings(address: c.address(at: 0),
                                                                                queryInterval: catalystQuerierInterval)
            }
        }
        registry.register(.global, "ip igmp snooping vlan <1-4094> querier [address <A.B.C.D>]") { c, config in
            guard let vlan = vlanArgument(c) else { return }
            try withSnooping("ip igmp snooping querier", &config) { s in
                let global = s.globalQuerier?.address
                s.vlanQueriers[vlan] = c.isNegated ? nil
                    : SnoopingQuerierSettings(address: c.address(at: 1) ?? global, queryInterval: catalystQuerierInterval)
            }
        }

        // NX-OS: `vlan configuration N` holds the per-VLAN snooping settings.
        registry.register(.global, "vlan configuration <1-4094>", enters: .vlanConfiguration, section: .vlanConfiguration) {
            _, config in
            try require([.l2switch], "vlan configuration", on: config)
        }
        func vlan(_ c: ParsedCommand) -> UInt16? { c.enclosing(.vlanConfiguration)?.number(at: 0).map(UInt16.init) }
        registry.register(.vlanConfiguration, "ip igmp snooping querier <A.B.C.D>") { c, config in
            guard let v = vlan(c) else { return }
            try withSnooping("ip igmp snooping querier", &config) { s in
                s.vlanQueriers[v] = c.isNegated ? nil : SnoopingQuerierSettings(address: c.address(at: 0),
                                                                               queryInterval: nexusQuerierInterval)
            }
        }
        registry.register(.vlanConfiguration, "ip igmp snooping", negation: .storedAsNo) { c, config in
            guard let v = vlan(c) else { return }
            try withSnooping("ip igmp snooping", &config) { s in
                if c.isNegated { s.disabledVLANs.insert(v) } else { s.disabledVLANs.remove(v) }
            }
        }
        registry.register(.vlanConfiguration, "ip igmp snooping mrouter interface <INTERFACE>") { c, config in
            guard let v = vlan(c), let name = c.interface()?.description else { return }
            try withSnooping("ip igmp snooping", &config) { s in
                var list = s.staticMrouters[v] ?? []
                list.removeAll { $0 == name }
                if !c.isNegated { list.append(name) }
                s.staticMrouters[v] = list.isEmpty ? nil : list
            }
        }
        // NX-OS spells immediate-leave `fast-leave`.
        registry.register(.vlanConfiguration, "ip igmp snooping fast-leave") { c, config in
            guard let v = vlan(c) else { return }
            try withSnooping("ip igmp snooping", &config) { s in
                if c.isNegated { s.immediateLeaveVLANs.remove(v) } else { s.immediateLeaveVLANs.insert(v) }
            }
        }
    }
}
