import Fabric
import IOSConfig
import Lab
import QoS
import Testing
import Wire

/// Applies a router config and resolves its QoS references, as `Lab.build` does.
func configureQoS(_ text: String, linkRate: Bandwidth? = nil) -> (DeviceConfiguration, ConfigResult, [LabError]) {
    var (config, result) = configure(.router, text)
    let errors = DeviceCommands.finalizeQoS(&config, port: { _ in nil }, linkRate: { _ in linkRate })
    return (config, result, errors)
}

func interfaceSettings(_ config: DeviceConfiguration, _ name: String) -> InterfaceSettings? {
    config.ip.interface(named: name)
}

// MARK: - Access lists

@Test func numberedAndNamedAccessListsParseIntoTypedEntries() {
    let (config, result, errors) = configureQoS("""
        access-list 10 permit host 10.1.1.1
        access-list 10 deny 10.1.0.0 0.0.255.255
        access-list 10 permit any
        access-list 101 perm tcp host 10.1.1.1 eq www 10.2.0.0 0.0.255.255 range 1000 2000 dscp ef
        access-list 101 deny udp any any eq 5001 precedence 5
        access-list 101 permit icmp any any
        access-list 2001 permit 89 any any
        ip access-list extended VOICE
         permit udp any range 16384 32767 any
         5 deny udp any host 10.9.9.9
        """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(errors.isEmpty)
    let lists = Dictionary(uniqueKeysWithValues: config.ip.accessLists.map { ($0.name, $0) })
    #expect(lists["10"] == AccessListDefinition(name: "10", kind: .standard, entries: [
        .standard(.permit, .host(IPv4Address("10.1.1.1")!)),
        .standard(.deny, .wildcard(IPv4Address("10.1.0.0")!, bits: IPv4Address("0.0.255.255")!)),
        .standard(.permit, .any),
    ]))
    #expect(lists["101"]?.kind == .extended)
    #expect(lists["101"]?.entries == [
        AccessListEntry(.permit, .tcp, source: .host(IPv4Address("10.1.1.1")!), sourcePort: .eq(80),
                        destination: .wildcard(IPv4Address("10.2.0.0")!, bits: IPv4Address("0.0.255.255")!),
                        destinationPort: .range(1000, 2000), dscp: 46),
        AccessListEntry(.deny, .udp, destinationPort: .eq(5001), precedence: 5),
        AccessListEntry(.permit, .icmp),
    ])
    #expect(lists["2001"]?.entries == [AccessListEntry(.permit, .number(89))])
    #expect(lists["VOICE"] == AccessListDefinition(name: "VOICE", kind: .extended, entries: [
        AccessListEntry(sequence: 5, .deny, .udp, destination: .host(IPv4Address("10.9.9.9")!)),
        AccessListEntry(sequence: 10, .permit, .udp, sourcePort: .range(16384, 32767)),
    ]))
}

@Test func aMalformedAccessListLineIsRefusedAndNoRemovesTheList() {
    let (config, result, _) = configureQoS("""
        access-list 101 permit tcp any eq
        access-list 102 permit ip any any
        access-list 103 permit ip any any
        no access-list 102
        """)
    #expect(result.errors.count == 1)
    #expect(result.errors.first?.line == 10)
    #expect(config.ip.accessLists.map(\.name) == ["103"])
    #expect(!result.running.render().contains("access-list 102"))
}

// MARK: - Legacy queueing

@Test func priorityGroupBeforeItsListResolvesToTheTypedList() {
    let (config, result, errors) = configureQoS("""
        interface Serial0/0
         priority-group 1
        priority-list 1 protocol ip high list 101
        priority-list 1 protocol ip medium tcp telnet
        priority-list 1 protocol ip low gt 1000
        priority-list 1 interface Ethernet0/1 medium
        priority-list 1 default low
        priority-list 1 queue-limit 10 20 30 40
        """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(errors.isEmpty)
    let expected = PriorityList(number: 1, rules: [
        PriorityRule(.ipList("101"), .high),
        PriorityRule(.ipTCPPort(23), .medium),
        PriorityRule(.ipGreaterThan(1000), .low),
        PriorityRule(.inputInterface(port: UInt32.max - 1, name: "Ethernet0/1"), .medium),
    ], defaultQueue: .low, queueLimits: [10, 20, 30, 40])
    #expect(interfaceSettings(config, "Serial0/0")?.queueing == .priority(expected))
}

@Test func queueListsResolveByteCountsAndLimits() {
    let (config, result, errors) = configureQoS("""
        queue-list 2 protocol ip 1 list 101
        queue-list 2 protocol ip 2 udp 5002
        queue-list 2 default 3
        queue-list 2 queue 1 byte-count 3000 limit 30
        queue-list 2 queue 2 limit 10
        interface Serial0/1
         custom-queue-list 2
        """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(errors.isEmpty)
    let expected = QueueList(number: 2, rules: [CustomQueueRule(.ipList("101"), 1), CustomQueueRule(.ipUDPPort(5002), 2)],
                             defaultQueue: 3, byteCounts: [1: 3000], limits: [1: 30, 2: 10])
    #expect(interfaceSettings(config, "Serial0/1")?.queueing == .custom(expected))
}

@Test func fairQueueTakesItsParametersAndTheHoldQueue() {
    let (config, result, _) = configureQoS("""
        interface Serial0/0
         fair-q 128 512 10
         hold-queue 500 out
        interface Serial0/1
         fair-queue 100
        interface Serial0/2
         no fair-queue
        """)
    #expect(result.errors.count == 1)
    #expect(result.errors.first?.message.contains("power of 2") == true)
    #expect(interfaceSettings(config, "Serial0/0")?.queueing
        == .fair(FairQueueParameters(congestiveDiscardThreshold: 128, dynamicQueues: 512, reservableQueues: 10,
                                     holdQueue: 500)))
    #expect(interfaceSettings(config, "Serial0/2")?.fairQueueDisabled == true)
    #expect(interfaceSettings(config, "Serial0/2")?.queueing == nil)
}

// MARK: - MQC

@Test func policyMapsResolveTheirClassMaps() {
    let (config, result, errors) = configureQoS("""
        policy-map EDGE
         class VOICE
          priority 64 3000
          police cir 64000 bc 8000 conform-action transmit exceed-action drop
         class DATA
          bandwidth percent 30
          queue-limit 40 packets
          random-detect
          set ip dscp af21
         class class-default
          fair-queue
          shape average 128000
        class-map match-any VOICE
         match ip dscp ef cs5
         match protocol udp
        class-map DATA
         match access-group name WEB
         match not precedence 7
        interface Serial0/0
         service-policy output EDGE
         service-policy input EDGE
        """, linkRate: .kbps(1544))
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(errors.isEmpty, "\(errors)")
    let voice = ClassMap("VOICE", .matchAny, [.dscp([.ef, .cs(5)]), .protocol(.udp)])
    let data = ClassMap("DATA", .matchAll, [.accessGroup("WEB"), .not(.precedence([7]))])
    let expected = PolicyMap("EDGE", classes: [
        ClassPolicy(voice, priority: .kbps(64, burstBytes: 3000),
                    police: Police(cirBitsPerSecond: 64000, burstBytes: 8000, conform: .transmit, exceed: .drop)),
        ClassPolicy(data, bandwidth: .percent(30), queueLimit: 40, randomDetect: RandomDetect(), set: [.dscp(.af(2, 1))]),
        ClassPolicy(.classDefault, fairQueue: .some(nil), shape: Shape(rateBitsPerSecond: 128000)),
    ])
    #expect(interfaceSettings(config, "Serial0/0")?.queueing == .policy(expected))
    #expect(interfaceSettings(config, "Serial0/0")?.inputPolicy == expected)
}

@Test func anUndefinedClassMapIsAnErrorAtItsClassLine() {
    let files = LabFiles()
    let errors = files.topologyErrors("""
        name: t
        nodes:
          R1:
            kind: router
            config: |
              policy-map P
               class MISSING
                bandwidth 64
        links: []
        """)
    #expect(errors.map(\.description) == ["topo.yaml:7:8: error: % class-map MISSING not configured"])
}

//  R1 Serial0/0 ---- 256 kbit/s ---- Serial0/0 R2: 75 % of 256 kbit/s is 192 kbit/s.
@Test func aPolicyReservingMoreThanMaxReservedBandwidthIsRefusedAtItsServicePolicyLine() {
    let files = LabFiles()
    let errors = files.topologyErrors("""
        name: t
        nodes:
          R1:
            kind: router
            config: |
              class-map A
               match protocol udp
              policy-map P
               class A
                bandwidth 200
              interface Serial0/0
               service-policy output P
               no shutdown
          R2:
            kind: router
        links:
          - endpoints: [R1:Serial0/0, R2:Serial0/0]
            bandwidth: 256kbps
        """)
    #expect(errors.map(\.description) == [
        "topo.yaml:12:8: error: I/f Serial0/0 class A requested bandwidth 200 (kbps), available only 192 (kbps)",
    ])
    // `max-reserved-bandwidth 90` makes room (230 kbit/s), and `bandwidth` overrides the link rate.
    #expect(configureQoS("""
        class-map A
         match protocol udp
        policy-map P
         class A
          bandwidth 200
        interface Serial0/0
         max-reserved-bandwidth 90
         service-policy output P
        """, linkRate: .kbps(256)).2.isEmpty)
    #expect(configureQoS("""
        class-map A
         match protocol udp
        policy-map P
         class A
          bandwidth 200
        interface Serial0/0
         bandwidth 128
         service-policy output P
        """, linkRate: .kbps(1544)).2.map(\.line) == [17])
}

// MARK: - Running config

let qosRouterConfig = """
    hostname R1
    !
    class-map match-any VOICE
     match dscp ef
    !
    class-map match-all WEB
     match access-group 101
    !
    policy-map EDGE
     class VOICE
      priority 64
     class WEB
      bandwidth 96
     class class-default
      fair-queue
    !
    interface Serial0/0
     ip address 10.0.12.1 255.255.255.252
     service-policy output EDGE
     no shutdown
    !
    interface Serial0/1
     ip address 10.0.13.1 255.255.255.252
     custom-queue-list 1
     no shutdown
    !
    interface Serial0/2
     ip address 10.0.14.1 255.255.255.252
     priority-group 1
     no shutdown
    !
    access-list 101 permit tcp any any eq www
    access-list 101 deny ip any any
    access-list 102 permit udp any any range 5000 6000
    !
    ip access-list extended BULK
     permit tcp any any eq ftp
    !
    priority-list 1 protocol ip high list 101
    priority-list 1 protocol ip low list BULK
    queue-list 1 protocol ip 1 list 102
    queue-list 1 queue 1 byte-count 3000
    !
    end

    """

@Test func aQoSRouterRunningConfigPrintsInIOSFormAndRoundTrips() {
    let (first, result, errors) = configureQoS(qosRouterConfig)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(errors.isEmpty)
    let rendered = result.running.render()
    #expect(rendered == qosRouterConfig)
    let (second, again, _) = configureQoS(rendered)
    #expect(again.diagnostics.isEmpty)
    #expect(again.running.render() == rendered)
    // The same settings, up to the order lists were given in.
    func sorted(_ settings: IPNodeSettings) -> IPNodeSettings {
        var settings = normalized(settings)
        settings.accessLists.sort { $0.name < $1.name }
        return settings
    }
    #expect(sorted(second.ip) == sorted(first.ip))
}

@Test func abbreviatedQoSCommandsExpandInTheRunningConfig() {
    let (_, result, errors) = configureQoS("""
        class-map match-any V
         mat dscp ef
        policy-m P
         cla V
          prio 64
        int Serial0/0
         serv out P
         prio 1
        """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(errors.isEmpty)
    let text = result.running.render()
    #expect(text.contains("policy-map P\n class V\n  priority 64\n"))
    #expect(text.contains(" service-policy output P\n priority-group 1\n") || text.contains(" priority-group 1\n"))
}
