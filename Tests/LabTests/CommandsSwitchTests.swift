import Engine
import Fabric
import Lab
import Testing
import Wire

@Test func switchportsTakeAccessAndTrunkSettings() {
    let (config, result) = configure(.l2switch, """
        hostname SW1
        vlan 10
         name Users
        vlan 20
        interface FastEthernet0/1
         switchport mode access
         switchport access vlan 10
        interface FastEthernet0/24
         switchport trunk encapsulation dot1q
         switchport mode trunk
         switchport trunk native vlan 99
         switchport trunk allowed vlan 10,20,30-35
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.hostname == "SW1")
    #expect(config.l2.vlans == [1: "default", 10: "Users", 20: "VLAN0020"])
    var access = SwitchportSettings()
    access.accessVLAN = 10
    #expect(config.l2.interfaces.first { $0.name == "FastEthernet0/1" }?.switchport == access)
    var trunk = SwitchportSettings()
    trunk.mode = .trunk
    trunk.nativeVLAN = 99
    trunk.allowedVLANs = [10, 20, 30, 31, 32, 33, 34, 35]
    #expect(config.l2.interfaces.first { $0.name == "FastEthernet0/24" }?.switchport == trunk)
    #expect(config.ip.interfaces.isEmpty)
}

@Test func accessVLANThatDoesNotExistIsCreated() {
    let (config, _) = configure(.l2switch, "interface Gi0/1\n switchport access vlan 30")
    #expect(config.l2.vlans[30] == "VLAN0030")
}

@Test(arguments: [
    ("switchport trunk allowed vlan 10,20\n switchport trunk allowed vlan add 30-32", [10, 20, 30, 31, 32]),
    ("switchport trunk allowed vlan 10,20,30\n switchport trunk allowed vlan remove 20", [10, 30]),
    ("switchport trunk allowed vlan none\n switchport trunk allowed vlan add 5", [5]),
    ("switchport trunk allowed vlan except 2-4094", [1]),
    ("switchport trunk allowed vlan remove 2-4094", [1]),
])
func allowedVLANListsChangeAsIOSDoes(lines: String, expected: [UInt16]) {
    let (config, result) = configure(.l2switch, "interface GigabitEthernet0/1\n " + lines)
    #expect(result.diagnostics.isEmpty)
    #expect(config.l2.interfaces.first?.switchport?.allowedVLANs == Set(expected))
}

@Test func allowedVLANsAllOrNoFormAllowEveryVLAN() {
    let (config, result) = configure(.l2switch, """
        interface GigabitEthernet0/1
         switchport trunk allowed vlan 10
         switchport trunk allowed vlan all
        interface GigabitEthernet0/2
         switchport trunk allowed vlan 10
         no switchport trunk allowed vlan
        interface GigabitEthernet0/3
         switchport trunk allowed vlan 10
         switchport trunk allowed vlan add 20
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.l2.interfaces.map { $0.switchport?.allowedVLANs } == [nil, nil, [10, 20]])
}

@Test func badVLANListIsRejected() {
    let (_, result) = configure(.l2switch, "interface Gi0/1\n switchport trunk allowed vlan 10,5000\n"
        + " switchport trunk allowed vlan 20-10")
    #expect(result.errors.map(\.message) == [
        "% Bad VLAN list \"10,5000\": \"5000\" is not a VLAN or range in 1-4094",
        "% Bad VLAN list \"20-10\": \"20-10\" is not a VLAN or range in 1-4094",
    ])
}

@Test func staticMACEntriesTakeSeveralInterfaces() {
    let (config, result) = configure(.l2switch, """
        mac address-table static 0000.1111.2222 vlan 10 interface Fa0/1 fa0/2 FastEthernet 0/3
        mac address-table static 0000.1111.3333 vlan 20 interface Gi0/1
        mac address-table static 0000.1111.3333 vlan 20 interface Gi0/2
        mac address-table aging-time 600
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.l2.staticMACs == [
        StaticMACEntry(mac: MACAddress("0000.1111.2222")!, vlan: 10,
                       interfaces: ["FastEthernet0/1", "FastEthernet0/2", "FastEthernet0/3"]),
        StaticMACEntry(mac: MACAddress("0000.1111.3333")!, vlan: 20, interfaces: ["GigabitEthernet0/2"]),
    ])
    #expect(config.l2.macAgingTime == .seconds(600))
    #expect(result.running.render().contains(
        "mac address-table static 0000.1111.2222 vlan 10 interface FastEthernet0/1 FastEthernet0/2 FastEthernet0/3\n"))
}

@Test func agingTimeZeroMeansNever() {
    let (config, result) = configure(.l2switch, "mac address-table aging-time 0\nmac address-table aging-time 5")
    #expect(config.l2.macAgingTime == DeviceCommands.macAgingNever)
    #expect(result.errors.map(\.message) == ["% Aging time should be 0 (never) or 10-1000000 seconds"])
    let (restored, _) = configure(.l2switch, "mac address-table aging-time 0\nno mac address-table aging-time")
    #expect(restored.l2.macAgingTime == .seconds(300))
}

@Test func noStaticMACRemovesTheEntry() {
    let (config, result) = configure(.l2switch, """
        mac address-table static 0000.1111.2222 vlan 10 interface Fa0/1
        no mac address-table static 0000.1111.2222 vlan 10
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.l2.staticMACs.isEmpty)
    #expect(!result.running.render().contains("static"))
}

@Test func vlanNamesAndDeletion() {
    let (config, result) = configure(.l2switch, """
        vlan 10
         name Users
        vlan 20
         name Servers
         no name
        vlan 30
        no vlan 30
        no vlan 1
        vlan 1
         name Everything
        """)
    #expect(result.errors.map(\.message) == ["% Default VLAN 1 may not be deleted.",
                                             "% Default VLAN 1 may not have its name changed."])
    #expect(config.l2.vlans == [1: "default", 10: "Users", 20: "VLAN0020"])
}

@Test func switchVirtualInterfacesTakeAddressesButSwitchportsDoNot() {
    let (config, result) = configure(.l2switch, """
        interface Vlan10
         ip address 10.0.10.2 255.255.255.0
         no shutdown
        interface FastEthernet0/1
         ip address 10.0.20.2 255.255.255.0
         no switchport
        ip default-gateway 10.0.10.1
        """)
    #expect(result.errors.map(\.message) == [
        "% IP addresses may not be configured on L2 links.",
        "% Routed ports are not modelled: FastEthernet0/1 stays a switchport (use an SVI, interface VlanN)",
    ])
    let svi = config.l2.interfaces.first { $0.name == "Vlan10" }
    #expect(svi?.addresses == [address("10.0.10.2", "255.255.255.0")])
    #expect(svi?.switchport == nil)
    #expect(config.ip.defaultGateway == IPv4Address(10, 0, 10, 1))
}

@Test func switchRefusesRoutingCommandsAndSubinterfaces() {
    let (_, result) = configure(.l2switch, """
        ip routing
        ip route 0.0.0.0 0.0.0.0 10.0.0.1
        interface GigabitEthernet0/1.10
         encapsulation dot1Q 10
        interface Loopback0
        interface Vlan10
         switchport mode trunk
        """)
    #expect(result.errors.map(\.message) == [
        "% Invalid input detected: ip routing is not supported on a switch",
        "% Invalid input detected: ip route is not supported on a switch",
        "% Invalid input detected: subinterfaces are not supported on a switch",
        "% Invalid input detected: Loopback interfaces are not supported on a switch",
        "% Invalid input detected: Vlan10 is not a switchport",
    ])
    // The line under the refused `interface` is skipped, not tried elsewhere.
    #expect(result.errors.map(\.line) == [10, 11, 12, 14, 16])
}
