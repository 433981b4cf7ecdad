import IOSConfig
import Testing
import Wire

/// A router config typed the way people type it: abbreviated, unordered, with comments and noise.
private let typedConfig = """
    service timestamps debug datetime msec
    hostname R1
    !
    ip route 0.0.0.0 0.0.0.0 10.0.0.2
    int gi0/1
     desc to SW1
     ip add 10.0.1.1 255.255.255.0
     ip add 10.0.2.1 255.255.255.0 sec
     shut
    int g0/0
     ip address 10.0.0.1 255.255.255.0
     no shut
    int gi0/1.100
     encap dot1q 100
     ip add 10.100.0.1 255.255.255.0
    interface lo0
     ip add 1.1.1.1 255.255.255.255
    vlan 20
     name USERS
    vlan 10
    policy-map WAN
     class VOICE
      priority 512
     class class-default
      fair-queue
    class-map match-all VOICE
     match dscp ef
    ip route 10.9.0.0 255.255.0.0 Null0
    mac address-table static 0050.56c0.0001 vlan 10 int fa0/3
    line vty 0 4
     login
    end
    """

/// What `show running-config` prints for `typedConfig`.
private let expectedRunningConfig = """
    hostname R1
    !
    vlan 10
    !
    vlan 20
     name USERS
    !
    class-map match-all VOICE
     match dscp ef
    !
    policy-map WAN
     class class-default
      fair-queue
    !
    interface Loopback0
     ip address 1.1.1.1 255.255.255.255
    !
    interface GigabitEthernet0/0
     ip address 10.0.0.1 255.255.255.0
     no shutdown
    !
    interface GigabitEthernet0/1
     description to SW1
     ip address 10.0.1.1 255.255.255.0
     ip address 10.0.2.1 255.255.255.0 secondary
     shutdown
    !
    interface GigabitEthernet0/1.100
     encapsulation dot1Q 100
     ip address 10.100.0.1 255.255.255.0
    !
    ip route 0.0.0.0 0.0.0.0 10.0.0.2
    ip route 10.9.0.0 255.255.0.0 Null0
    !
    mac address-table static 0050.56c0.0001 vlan 10 interface FastEthernet0/3
    !
    end

    """

@Test func runningConfigIsCanonicalAndInIOSOrder() {
    let (_, result) = applyConfig(typedConfig)
    // `class VOICE` came before its class-map existed, so the policy-map refused it.
    #expect(result.errors.map(\.message) == ["% class-map VOICE not configured"])
    #expect(result.running.render() == expectedRunningConfig)
}

@Test func renderedConfigParsesBackToTheSameTree() {
    let registry = makeTestRegistry()
    let (device, first) = applyConfig(typedConfig, registry: registry)
    let (again, second) = applyConfig(first.running.render(), strict: true, registry: registry)
    #expect(second.diagnostics.isEmpty, "\(second.diagnostics.map(\.rendered))")
    #expect(second.running == first.running)
    #expect(second.running.render() == first.running.render())
    #expect(again == device)
}

@Test func minimalRouterRendersLikeIOS() {
    let (_, result) = applyConfig("""
        hostname R1
        interface GigabitEthernet0/0
         ip address 10.0.0.1 255.255.255.0
         no shutdown
        ip route 0.0.0.0 0.0.0.0 10.0.0.2
        """)
    #expect(result.running.render() == """
        hostname R1
        !
        interface GigabitEthernet0/0
         ip address 10.0.0.1 255.255.255.0
         no shutdown
        !
        ip route 0.0.0.0 0.0.0.0 10.0.0.2
        !
        end

        """)
}

@Test func commandAndItsNoFormReplaceEachOther() {
    let (device, result) = applyConfig("""
        interface Gi0/1
         shutdown
         no shutdown
         ip address 10.0.0.1 255.255.255.0
         ip address 10.0.5.1 255.255.255.0
         description first
         no description
        """)
    #expect(result.running.lines.first?.children.map(\.text) == ["ip address 10.0.5.1 255.255.255.0", "no shutdown"])
    #expect(device.interfaces[try! InterfaceName("gi0/1")]?.isShutdown == false)
    #expect(device.interfaces[try! InterfaceName("gi0/1")]?.description == nil)
}

@Test func noFormRemovesOnlyTheMatchingKeyedLines() {
    let (device, result) = applyConfig("""
        ip route 10.1.0.0 255.255.0.0 10.0.0.2
        ip route 10.1.0.0 255.255.0.0 10.0.0.3 200
        ip route 10.2.0.0 255.255.0.0 10.0.0.2
        no ip route 10.1.0.0 255.255.0.0 10.0.0.3
        ip route 10.2.0.0 255.255.0.0 10.0.0.2 5
        """)
    #expect(result.running.lines.map(\.text) == [
        "ip route 10.1.0.0 255.255.0.0 10.0.0.2",
        "ip route 10.2.0.0 255.255.0.0 10.0.0.2 5",
    ])
    #expect(device.routes.count == 2)
}

@Test func noFormWithoutTheKeyValuesIsIncomplete() {
    let (_, result) = applyConfig("""
        ip route 10.1.0.0 255.255.0.0 10.0.0.2
        no ip route 10.1.0.0 255.255.0.0
        no interface
        """)
    #expect(result.diagnostics.map(\.message) == ["incomplete command in global mode", "incomplete command in global mode"])
    #expect(result.running.lines.count == 1)
}

@Test func removingAModeCommandRemovesItsBlock() {
    let (device, result) = applyConfig("""
        interface Loopback0
         ip address 1.1.1.1 255.255.255.255
        interface Loopback1
        no interface Loopback0
        """)
    #expect(result.running.render() == "interface Loopback1\n!\nend\n")
    #expect(device.interfaces.keys.map(\.description) == ["Loopback1"])
}

@Test func laterLinesMergeIntoTheRunningConfig() {
    let registry = makeTestRegistry()
    let (initialDevice, initial) = applyConfig("""
        hostname R1
        interface GigabitEthernet0/1
         ip address 10.0.0.1 255.255.255.0
         no shutdown
        interface GigabitEthernet0/2
         no shutdown
        """, registry: registry)
    var device = initialDevice
    let later = registry.apply(lines: ["interface Gi0/1", " shutdown", "ip route 0.0.0.0 0.0.0.0 10.0.0.2"],
                               file: "Scenarios/outage.yaml", firstLine: 30, over: initial.running, to: &device)
    #expect(later.diagnostics.isEmpty)
    #expect(device.interfaces[try! InterfaceName("Gi0/1")]?.isShutdown == true)
    #expect(device.interfaces[try! InterfaceName("Gi0/1")]?.hostAddress == IPv4Address(10, 0, 0, 1))
    #expect(later.running.render() == """
        hostname R1
        !
        interface GigabitEthernet0/1
         ip address 10.0.0.1 255.255.255.0
         shutdown
        !
        interface GigabitEthernet0/2
         no shutdown
        !
        ip route 0.0.0.0 0.0.0.0 10.0.0.2
        !
        end

        """)
}

@Test func laterLinesReportTheScenarioFileLine() {
    let registry = makeTestRegistry()
    var device = TestDevice()
    let later = registry.apply(lines: ["interface Gi0/1", " shutdwn"], file: "Scenarios/outage.yaml", firstLine: 30,
                               over: RunningConfig(), to: &device)
    #expect(later.diagnostics.first?.rendered == """
        Scenarios/outage.yaml:31: warning: unknown command in interface mode
          shutdwn
          ^
        """)
}

@Test func linesOfOneCommandSortAsIOSListsThem() {
    let (_, result) = applyConfig("""
        vlan 300
        vlan 20
        vlan 1000
        interface Gi0/10
        interface Gi0/2
        interface Vlan10
        interface Lo0
        """)
    #expect(result.running.lines.map(\.text) == [
        "vlan 20", "vlan 300", "vlan 1000",
        "interface Loopback0", "interface GigabitEthernet0/2", "interface GigabitEthernet0/10", "interface Vlan10",
    ])
}
