import Engine
import Fabric
import IOSConfig
import Lab
import Testing
import Wire

/// Applies `text` as the config of a device of `kind` whose config block starts at line 10 of `lab.yaml`.
func configure(_ kind: DeviceKind, _ text: String, strict: Bool = false) -> (DeviceConfiguration, ConfigResult) {
    var config = DeviceConfiguration(kind: kind, hostname: kind == .host ? "pc1" : "device")
    let result = DeviceCommands.registry().apply(ConfigSource(file: "lab.yaml", firstLine: 10, text: text),
                                                 to: &config, strict: strict)
    return (config, result)
}

func address(_ text: String, _ mask: String, secondary: Bool = false) -> InterfaceAddress {
    let address = IPv4Address(text)!
    return InterfaceAddress(address: address, prefix: IPv4Prefix(address, mask: IPv4Address(mask)!)!,
                            secondary: secondary)
}

func prefix(_ text: String) -> IPv4Prefix { IPv4Prefix(text)! }

// MARK: - Interfaces and addresses

@Test func routerInterfacesTakePrimaryAndSecondaryAddresses() {
    let (config, result) = configure(.router, """
        hostname R1
        !
        interface GigabitEthernet0/0
         description LAN side
         ip address 10.1.1.1 255.255.255.0
         ip address 10.1.2.1 255.255.255.0 secondary
         ip address 10.1.3.1 255.255.255.0 secondary
         no shutdown
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.hostname == "R1")
    let lan = config.ip.interface(named: "GigabitEthernet0/0")
    #expect(lan?.description == "LAN side")
    #expect(lan?.addresses == [address("10.1.1.1", "255.255.255.0"),
                               address("10.1.2.1", "255.255.255.0", secondary: true),
                               address("10.1.3.1", "255.255.255.0", secondary: true)])
    #expect(lan?.shutdown == false)
}

@Test func abbreviatedCommandsAndInterfaceNamesExpand() {
    let (config, result) = configure(.router, """
        int gi0/1
         ip add 192.168.0.1 255.255.255.252
         no shut
        int lo0
         ip add 1.1.1.1 255.255.255.255
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.ip.interface(named: "GigabitEthernet0/1")?.addresses
        == [address("192.168.0.1", "255.255.255.252")])
    #expect(config.ip.interface(named: "GigabitEthernet0/1")?.shutdown == false)
    #expect(config.ip.interface(named: "Loopback0")?.addresses == [address("1.1.1.1", "255.255.255.255")])
    #expect(result.running.render()
        .contains("interface GigabitEthernet0/1\n ip address 192.168.0.1 255.255.255.252\n no shutdown\n"))
}

@Test func routerInterfacesStayShutDownUntilNoShutdown() {
    let (config, _) = configure(.router, """
        interface GigabitEthernet0/0
         ip address 10.0.0.1 255.255.255.0
        interface GigabitEthernet0/1
         no shutdown
        interface GigabitEthernet0/2
         no shutdown
         shutdown
        interface Loopback0
        """)
    #expect(config.ip.interface(named: "GigabitEthernet0/0")?.shutdown == true)
    #expect(config.ip.interface(named: "GigabitEthernet0/1")?.shutdown == false)
    #expect(config.ip.interface(named: "GigabitEthernet0/2")?.shutdown == true)
    #expect(config.ip.interface(named: "Loopback0")?.shutdown == false)
}

@Test func newPrimaryAddressReplacesTheOldOneAndNoFormsRemove() {
    let (config, result) = configure(.router, """
        interface GigabitEthernet0/0
         ip address 10.0.0.1 255.255.255.0
         ip address 10.0.1.1 255.255.255.0 secondary
         ip address 10.0.0.2 255.255.255.0
         no ip address 10.0.1.1 255.255.255.0 secondary
        interface GigabitEthernet0/1
         ip address 10.9.0.1 255.255.255.0
         no ip address
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.ip.interface(named: "GigabitEthernet0/0")?.addresses == [address("10.0.0.2", "255.255.255.0")])
    #expect(config.ip.interface(named: "GigabitEthernet0/1")?.addresses == [])
    #expect(!result.running.render().contains("10.9.0.1"))
    #expect(!result.running.render().contains("10.0.1.1"))
}

@Test func overlappingAddressIsRejectedAtItsFileLine() {
    let (config, result) = configure(.router, """
        interface GigabitEthernet0/1
         ip address 10.1.1.1 255.255.255.0
        interface GigabitEthernet0/2
         ip address 10.1.1.2 255.255.255.0
        """)
    #expect(result.errors.count == 1)
    let error = result.errors.first
    #expect(error?.message == "% 10.1.1.0 overlaps with GigabitEthernet0/1")
    #expect(error?.file == "lab.yaml")
    #expect(error?.line == 13)
    #expect(error?.rendered == """
        lab.yaml:13: error: % 10.1.1.0 overlaps with GigabitEthernet0/1
          ip address 10.1.1.2 255.255.255.0
          ^
        """)
    #expect(config.ip.interface(named: "GigabitEthernet0/2")?.addresses == [])
    #expect(!result.running.render().contains("10.1.1.2"))
}

@Test func widerSubnetContainingAnotherInterfaceAlsoOverlaps() {
    let (_, result) = configure(.router, """
        interface GigabitEthernet0/1
         ip address 10.1.1.1 255.255.255.0
        interface GigabitEthernet0/2
         ip address 10.2.0.1 255.255.255.0 secondary
         ip address 10.0.0.1 255.0.0.0
        """)
    #expect(result.errors.map(\.message) == ["% 10.0.0.0 overlaps with GigabitEthernet0/1"])
}

@Test func nonContiguousMaskIsRejected() {
    let (config, result) = configure(.router, """
        interface GigabitEthernet0/0
         ip address 10.0.0.1 255.0.255.0
         ip address 10.0.0.0 255.255.255.0
        ip route 10.2.0.0 255.0.255.0 10.0.0.2
        ip route 10.2.0.1 255.255.0.0 10.0.0.2
        """)
    #expect(result.errors.map(\.message) == [
        "% Bad mask 0xFF00FF00 for address 10.0.0.1",
        "% Bad mask /24 for address 10.0.0.0",
        "% Inconsistent address and mask",
        "% Inconsistent address and mask",
    ])
    #expect(result.errors.map(\.line) == [11, 12, 13, 14])
    #expect(config.ip.interface(named: "GigabitEthernet0/0")?.addresses == [])
    #expect(config.ip.staticRoutes.isEmpty)
}

@Test func primaryWithSecondariesCannotBeRemovedFirst() {
    let (config, result) = configure(.router, """
        interface GigabitEthernet0/0
         ip address 10.0.0.1 255.255.255.0
         ip address 10.0.1.1 255.255.255.0 secondary
         no ip address
        """)
    #expect(result.errors.map(\.message) == ["% Must delete secondary before deleting primary"])
    #expect(config.ip.interface(named: "GigabitEthernet0/0")?.addresses.count == 2)
}

@Test func interfaceSettingsAreTyped() {
    let (config, result) = configure(.router, """
        interface Serial0/0/0
         bandwidth 1544
         mtu 1400
         no fair-queue
         hold-queue 100 out
         hold-queue 75 in
         arp timeout 600
         clock rate 2000000
        """)
    #expect(result.diagnostics.isEmpty)
    let serial = config.ip.interface(named: "Serial0/0/0")
    #expect(serial?.bandwidth == .kbps(1544))
    #expect(serial?.mtu == 1400)
    #expect(serial?.fairQueueDisabled == true)
    #expect(serial?.holdQueueOut == 100)
    #expect(serial?.arpTimeout == .seconds(600))
    #expect(result.ignored.map(\.text) == ["hold-queue 75 in", "clock rate 2000000"])
}

@Test func noFormsRestoreInterfaceDefaults() {
    let (config, result) = configure(.router, """
        interface Serial0/0/0
         description WAN
         bandwidth 64
         mtu 1400
         no fair-queue
         hold-queue 100 out
         arp timeout 600
         no description
         no bandwidth
         no mtu
         fair-queue
         no hold-queue 100 out
         no arp timeout
        """)
    #expect(result.diagnostics.isEmpty)
    var expected = InterfaceSettings(name: "Serial0/0/0")
    expected.shutdown = true
    #expect(config.ip.interface(named: "Serial0/0/0") == expected)
}

// MARK: - Subinterfaces

@Test func subinterfacesCarryDot1QVLANs() {
    let (config, result) = configure(.router, """
        interface GigabitEthernet0/0
         no shutdown
        interface GigabitEthernet0/0.10
         encapsulation dot1Q 10
         ip address 10.0.10.1 255.255.255.0
        interface Gi0/0.99
         encapsulation dot1q 99 native
         ip address 10.0.99.1 255.255.255.0
        """)
    #expect(result.diagnostics.isEmpty)
    let users = config.ip.interface(named: "GigabitEthernet0/0.10")
    #expect(users?.dot1QVLAN == 10)
    #expect(users?.dot1QNative == false)
    #expect(users?.shutdown == false)
    #expect(users?.addresses == [address("10.0.10.1", "255.255.255.0")])
    #expect(config.ip.interface(named: "GigabitEthernet0/0.99")?.dot1QVLAN == 99)
    #expect(config.ip.interface(named: "GigabitEthernet0/0.99")?.dot1QNative == true)
    #expect(result.running.render().contains("interface GigabitEthernet0/0.99\n encapsulation dot1Q 99 native\n"))
}

@Test func dot1QNeedsASubinterfaceAndAUniqueVID() {
    let (config, result) = configure(.router, """
        interface GigabitEthernet0/0
         encapsulation dot1Q 10
        interface GigabitEthernet0/0.10
         ip address 10.0.10.1 255.255.255.0
         encapsulation dot1Q 10
        interface GigabitEthernet0/0.11
         encapsulation dot1Q 10
        """)
    #expect(result.errors.map(\.message) == [
        "% encapsulation dot1Q is supported on Ethernet subinterfaces only",
        "% Configuring IP routing on a LAN subinterface is only allowed if that subinterface is already "
            + "configured as part of an IEEE 802.10, IEEE 802.1Q, or ISL vLAN.",
        "% Configuration of multiple subinterfaces of the same main interface with the same VID (10) is not "
            + "permitted. This VID is already configured on GigabitEthernet0/0.10.",
    ])
    #expect(config.ip.interface(named: "GigabitEthernet0/0.11")?.dot1QVLAN == nil)
}

@Test func logicalInterfacesCanBeRemovedButPhysicalOnesCannot() {
    let (config, result) = configure(.router, """
        interface Loopback1
         ip address 1.1.1.1 255.255.255.255
        interface GigabitEthernet0/0
        no interface Loopback1
        no interface GigabitEthernet0/0
        """)
    #expect(result.errors.map(\.message) == ["% Physical interfaces cannot be removed"])
    #expect(config.ip.interface(named: "Loopback1") == nil)
    #expect(!result.running.render().contains("Loopback1"))
}

// MARK: - Routing

@Test func staticRoutesTakeNextHopInterfaceAndDistance() {
    let (config, result) = configure(.router, """
        ip route 0.0.0.0 0.0.0.0 192.168.0.2
        ip route 10.2.0.0 255.255.0.0 GigabitEthernet0/1
        ip route 10.3.0.0 255.255.0.0 gi0/1 192.168.0.2 200 name backup permanent
        ip route 10.4.0.0 255.255.0.0 null0 250
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.ip.staticRoutes == [
        StaticRoute(prefix: prefix("0.0.0.0/0"), nextHop: IPv4Address(192, 168, 0, 2), interface: nil),
        StaticRoute(prefix: prefix("10.2.0.0/16"), nextHop: nil, interface: "GigabitEthernet0/1"),
        StaticRoute(prefix: prefix("10.3.0.0/16"), nextHop: IPv4Address(192, 168, 0, 2),
                    interface: "GigabitEthernet0/1", distance: 200),
        StaticRoute(prefix: prefix("10.4.0.0/16"), nextHop: nil, interface: "Null0", distance: 250),
    ])
    #expect(result.running.render().contains(
        "ip route 10.3.0.0 255.255.0.0 GigabitEthernet0/1 192.168.0.2 200 name backup permanent\n"))
}

@Test func aNewDistanceReplacesTheRouteAndNoRemovesIt() {
    let (config, result) = configure(.router, """
        ip route 0.0.0.0 0.0.0.0 192.168.0.2
        ip route 0.0.0.0 0.0.0.0 192.168.0.2 5
        ip route 0.0.0.0 0.0.0.0 192.168.1.2 10
        ip route 10.2.0.0 255.255.0.0 GigabitEthernet0/1
        no ip route 10.2.0.0 255.255.0.0 GigabitEthernet0/1
        no ip route 0.0.0.0 0.0.0.0 192.168.1.2
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.ip.staticRoutes == [
        StaticRoute(prefix: prefix("0.0.0.0/0"), nextHop: IPv4Address(192, 168, 0, 2), interface: nil, distance: 5),
    ])
    #expect(result.running.render().split(separator: "\n").filter { $0.hasPrefix("ip route") }.count == 1)
}

@Test func ipRoutingCanBeTurnedOff() {
    let (config, result) = configure(.router, "no ip routing\nip default-gateway 10.0.0.1")
    #expect(result.diagnostics.isEmpty)
    #expect(config.ip.ipRouting == false)
    #expect(config.ip.defaultGateway == IPv4Address(10, 0, 0, 1))
    #expect(result.running.render().contains("no ip routing\n"))
}

@Test func staticARPEntriesMapAddressesToMACs() {
    let (config, result) = configure(.router, """
        arp 10.0.0.5 0000.aaaa.bbbb arpa
        arp 10.0.0.6 0000.aaaa.cccc ARPA
        no arp 10.0.0.6
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(config.ip.staticARP == [IPv4Address(10, 0, 0, 5): MACAddress("0000.aaaa.bbbb")!])
}

@Test func nextHopOnTheRouterItselfIsRejected() {
    let (_, result) = configure(.router, """
        interface GigabitEthernet0/0
         ip address 10.0.0.1 255.255.255.0
        ip route 0.0.0.0 0.0.0.0 10.0.0.1
        """)
    #expect(result.errors.map(\.message) == ["%Invalid next hop address (it's this router)"])
}

// MARK: - Kinds

@Test func switchportOnARouterIsRejected() {
    let (config, result) = configure(.router, """
        interface GigabitEthernet0/0
         switchport mode access
         switchport access vlan 10
        vlan 10
        mac address-table static 0000.1111.2222 vlan 10 interface Gi0/0
        """)
    #expect(result.errors.map(\.message) == [
        "% Invalid input detected: switchport is not supported on a router",
        "% Invalid input detected: switchport is not supported on a router",
        "% Invalid input detected: vlan is not supported on a router",
        "% Invalid input detected: mac address-table is not supported on a router",
    ])
    #expect(config.ip.interface(named: "GigabitEthernet0/0")?.switchport == nil)
}

@Test func hostsTakeAddressesAndADefaultGateway() {
    let (config, result) = configure(.host, """
        interface Ethernet0
         ip address 10.0.0.10 255.255.255.0
        ip default-gateway 10.0.0.1
        ip routing
        """)
    #expect(result.errors.map(\.message) == ["% Invalid input detected: ip routing is not supported on a host"])
    #expect(config.ip.interface(named: "Ethernet0")?.addresses == [address("10.0.0.10", "255.255.255.0")])
    #expect(config.ip.interface(named: "Ethernet0")?.shutdown == false)
    #expect(config.ip.defaultGateway == IPv4Address(10, 0, 0, 1))
    #expect(config.ip.ipRouting == false)
}

@Test func invalidHostnameIsRejected() {
    let (config, result) = configure(.router, "hostname R1.lab\nhostname 1R")
    #expect(result.errors.map(\.message) == ["% Hostname contains one or more illegal characters.",
                                             "% Hostname should start with a letter"])
    #expect(config.hostname == "device")
}

@Test func holdQueueNeedsALengthAndNoFormRestoresTheDefault() {
    let (config, result) = configure(.router, """
        interface Serial0/0
         hold-queue out
         hold-queue 60 out
        interface Serial0/1
         hold-queue 60 out
         no hold-queue out
        """)
    #expect(result.errors.map(\.message) == ["% Incomplete command."])
    #expect(config.ip.interface(named: "Serial0/0")?.holdQueueOut == 60)
    #expect(config.ip.interface(named: "Serial0/1")?.holdQueueOut == nil)
}
