import Engine
import Fabric
import Lab
import Testing
import Wire

@Test func stormControlLevelsParseAsCatalystIOSWritesThem() {
    let (config, result) = configure(.l2switch, """
        interface GigabitEthernet0/1
         storm-control broadcast level 1
         storm-control multicast level bps 10m 5m
         storm-control unicast level pps 1.5k
         storm-control action shutdown
         storm-control action trap
        interface GigabitEthernet0/2
         storm-control broadcast level 20.00 10.5
         storm-control broadcast level 5.00
         no storm-control broadcast level
        """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    let storm = config.l2.interfaces.first { $0.name == "GigabitEthernet0/1" }!.stormControl
    #expect(storm[.broadcast] == StormControlLevel(unit: .percent, rising: 1))
    #expect(storm[.multicast] == StormControlLevel(unit: .bitsPerSecond, rising: 10e6, falling: 5e6))
    #expect(storm[.unicast] == StormControlLevel(unit: .packetsPerSecond, rising: 1500))
    #expect(storm.shutdown && storm.trap)
    #expect(config.l2.interfaces.first { $0.name == "GigabitEthernet0/2" }!.stormControl[.broadcast] == nil)
    #expect(result.running.render() == """
        interface GigabitEthernet0/1
         storm-control broadcast level 1.00
         storm-control multicast level bps 10m 5m
         storm-control unicast level pps 1.5k
         storm-control action shutdown
         storm-control action trap
        !
        interface GigabitEthernet0/2
        !
        end

        """)
}

@Test(arguments: ["storm-control broadcast level 101", "storm-control broadcast level 1.005",
                  "storm-control broadcast level 5 10", "storm-control multicast level pps 12q"])
func badStormControlLevelsAreRejected(line: String) {
    let (_, result) = configure(.l2switch, "interface GigabitEthernet0/1\n " + line)
    #expect(result.diagnostics.contains { $0.severity == .error }, "\(line)")
}

@Test func stormControlIsForSwitchPorts() {
    let (_, result) = configure(.router, "interface GigabitEthernet0/0\n storm-control broadcast level 1.00")
    #expect(result.diagnostics.contains { $0.severity == .error })
}

@Test func stormControlRunningConfigRoundTrips() {
    let text = """
        hostname SW1
        interface GigabitEthernet0/1
         switchport mode access
         shutdown
         storm-control broadcast level 1.00 0.50
         storm-control unicast level bps 2.5g
         storm-control action trap
        """
    let (first, result) = configure(.l2switch, text)
    let rendered = result.running.render()
    #expect(rendered.contains(" shutdown\n storm-control broadcast level 1.00 0.50\n storm-control unicast level bps 2.5g\n"
                              + " storm-control action trap\n"))
    let (second, again) = configure(.l2switch, rendered)
    #expect(again.diagnostics.isEmpty)
    #expect(again.running.render() == rendered)
    #expect(normalized(second.l2) == normalized(first.l2))
}
