import Engine
import Fabric
import IOSConfig
import Lab
import Testing
import Wire

let smallRouterConfig = """
    hostname R1
    no ip domain lookup
    ip cef
    !
    interface GigabitEthernet0/1
     ip address 192.168.0.1 255.255.255.252
     no shutdown
     duplex auto
     speed auto
    !
    interface GigabitEthernet0/0
     description LAN
     ip address 10.1.2.1 255.255.255.0 secondary
     ip address 10.1.1.1 255.255.255.0
     no shut
    !
    interface GigabitEthernet0/0.20
     encapsulation dot1Q 20
     ip address 10.1.20.1 255.255.255.0
    !
    interface Serial0/0/0
     bandwidth 128
     ip address 172.16.0.1 255.255.255.252
     no fair-queue
     clock rate 128000
     hold-queue 100 out
    !
    ip route 10.2.0.0 255.255.0.0 Serial0/0/0 200
    ip route 0.0.0.0 0.0.0.0 192.168.0.2
    arp 10.1.1.50 0000.aaaa.bbbb arpa
    !
    line con 0
     logging synchronous
    line vty 0 4
     login
     transport input ssh
    end
    """

let smallSwitchConfig = """
    hostname SW1
    spanning-tree mode rapid-pvst
    vtp mode transparent
    vlan 20
     name Servers
    vlan 10
     name Users
    interface FastEthernet0/2
     switchport mode access
     switchport access vlan 20
     spanning-tree portfast
    interface FastEthernet0/1
     switchport access vlan 10
     switchport mode access
    interface GigabitEthernet0/1
     switchport mode trunk
     switchport trunk native vlan 99
     switchport trunk allowed vlan 10,20,99
     switchport trunk encapsulation dot1q
     no cdp enable
    interface Vlan10
     ip address 10.0.10.2 255.255.255.0
     no shutdown
    ip default-gateway 10.0.10.1
    mac address-table static 0000.1111.2222 vlan 10 interface Fa0/1 Gi0/1
    mac address-table aging-time 600
    """

@Test func smallRouterShowsItsRunningConfigInIOSForm() {
    let (_, result) = configure(.router, smallRouterConfig)
    #expect(result.diagnostics.isEmpty)
    #expect(result.running.render() == """
        hostname R1
        !
        interface GigabitEthernet0/0
         description LAN
         ip address 10.1.2.1 255.255.255.0 secondary
         ip address 10.1.1.1 255.255.255.0
         no shutdown
        !
        interface GigabitEthernet0/0.20
         encapsulation dot1Q 20
         ip address 10.1.20.1 255.255.255.0
        !
        interface GigabitEthernet0/1
         ip address 192.168.0.1 255.255.255.252
         no shutdown
        !
        interface Serial0/0/0
         bandwidth 128
         ip address 172.16.0.1 255.255.255.252
         no fair-queue
         hold-queue 100 out
        !
        ip route 0.0.0.0 0.0.0.0 192.168.0.2
        ip route 10.2.0.0 255.255.0.0 Serial0/0/0 200
        !
        arp 10.1.1.50 0000.aaaa.bbbb arpa
        !
        end

        """)
}

@Test func smallSwitchShowsItsRunningConfigInIOSForm() {
    let (_, result) = configure(.l2switch, smallSwitchConfig)
    #expect(result.diagnostics.isEmpty)
    #expect(result.running.render() == """
        hostname SW1
        !
        vlan 10
         name Users
        !
        vlan 20
         name Servers
        !
        interface FastEthernet0/1
         switchport access vlan 10
         switchport mode access
        !
        interface FastEthernet0/2
         switchport access vlan 20
         switchport mode access
        !
        interface GigabitEthernet0/1
         switchport trunk encapsulation dot1q
         switchport trunk native vlan 99
         switchport trunk allowed vlan 10,20,99
         switchport mode trunk
        !
        interface Vlan10
         ip address 10.0.10.2 255.255.255.0
         no shutdown
        !
        ip default-gateway 10.0.10.1
        !
        mac address-table static 0000.1111.2222 vlan 10 interface FastEthernet0/1 GigabitEthernet0/1
        mac address-table aging-time 600
        !
        end

        """)
}

@Test(arguments: [(DeviceKind.router, smallRouterConfig), (.l2switch, smallSwitchConfig)])
func runningConfigRoundTrips(kind: DeviceKind, text: String) {
    let (first, result) = configure(kind, text)
    let rendered = result.running.render()
    let (second, again) = configure(kind, rendered)
    #expect(again.diagnostics.isEmpty)
    #expect(again.running.render() == rendered)
    // The settings are the same, up to the order lines were given in.
    #expect(normalized(second.ip) == normalized(first.ip))
    #expect(normalized(second.l2) == normalized(first.l2))
}

/// Settings with interfaces in IOS order and routes by prefix, as `show running-config` lists them.
func normalized(_ settings: IPNodeSettings) -> IPNodeSettings {
    var settings = settings
    settings.interfaces.sort { (try! InterfaceName($0.name)) < (try! InterfaceName($1.name)) }
    settings.staticRoutes.sort { ($0.prefix, $0.nextHop ?? .any) < ($1.prefix, $1.nextHop ?? .any) }
    return settings
}

func normalized(_ settings: SwitchSettings) -> SwitchSettings {
    var settings = settings
    settings.interfaces.sort { (try! InterfaceName($0.name)) < (try! InterfaceName($1.name)) }
    return settings
}

@Test func allowedVLANChangesRoundTripInConfigurationOrder() {
    let (first, result) = configure(.l2switch, """
        interface GigabitEthernet0/1
         switchport trunk allowed vlan 10,20,30
         switchport trunk allowed vlan remove 20
         switchport trunk allowed vlan add 40
        """)
    let (second, again) = configure(.l2switch, result.running.render())
    #expect(again.running.render() == result.running.render())
    #expect(second.l2 == first.l2)
    #expect(first.l2.interfaces.first?.switchport?.allowedVLANs == [10, 30, 40])
}

// MARK: - Diagnostics and ignored lines

@Test func unknownCommandIsAWarningWithACaret() {
    let (config, result) = configure(.router, """
        interface GigabitEthernet0/0
         ip adress 10.0.0.1 255.255.255.0
         no shutdown
        """)
    #expect(result.errors.isEmpty)
    #expect(result.warnings.map(\.rendered) == ["""
        lab.yaml:11: warning: unknown command in interface mode
          ip adress 10.0.0.1 255.255.255.0
             ^
        """])
    #expect(config.ip.interface(named: "GigabitEthernet0/0")?.shutdown == false)
    let (_, strict) = configure(.router, "interface Gi0/0\n ip adress 10.0.0.1 255.255.255.0", strict: true)
    #expect(strict.errors.count == 1)
}

@Test func ignoredBoilerplateIsListedOnce() {
    let (_, result) = configure(.router, """
        no ip domain lookup
        ip cef
        no ip http server
        interface GigabitEthernet0/0
         duplex auto
         speed 100
         no cdp enable
         media-type rj45
         negotiation auto
        line vty 0 4
         login
         logging synchronous
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(result.ignored.map(\.description) == [
        "ignored (not modelled): no ip domain lookup (lab.yaml:10)",
        "ignored (not modelled): ip cef (lab.yaml:11)",
        "ignored (not modelled): no ip http server (lab.yaml:12)",
        "ignored (not modelled): duplex auto (lab.yaml:14)",
        "ignored (not modelled): speed 100 (lab.yaml:15)",
        "ignored (not modelled): no cdp enable (lab.yaml:16)",
        "ignored (not modelled): media-type rj45 (lab.yaml:17)",
        "ignored (not modelled): negotiation auto (lab.yaml:18)",
        "ignored (not modelled): line vty 0 4 (lab.yaml:19, with 2 lines under it)",
    ])
    #expect(!result.running.render().contains("duplex"))
}

@Test func everyRegisteredSyntaxCompilesAndIgnoredSyntaxesAreNotDuplicates() {
    let registry = DeviceCommands.registry()
    let defaults = Set(CommandRegistry<DeviceConfiguration>.defaultIgnoredCommands.map { "\($0.mode) \($0.syntax)" })
    for (mode, syntax, _) in DeviceCommands.ignoredCommands {
        #expect(!defaults.contains("\(mode) \(syntax)"))
    }
    #expect(registry.commands(in: .interface).contains { $0.syntax == "shutdown" && $0.negation == .storedAsNo })
}
