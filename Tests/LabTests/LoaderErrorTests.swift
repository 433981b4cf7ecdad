import Testing
@testable import Lab

/// Each kind of mistake in a lab file is reported once, naming file:line and what was expected.
@Suite struct LoaderErrorTests {
    @Test func unknownNodeInALinkNamesTheNodeAndTheKnownOnes() {
        let errors = LabFiles().topologyErrors(twoRouters.replacingOccurrences(of: "[R1:Gi0/0, R2:Gi0/0]", with: "[R1:Gi0/0, R9:Gi0/0]"))
        #expect(errors.count == 1)
        #expect(errors.first?.description == "topo.yaml:16:27: error: unknown node 'R9' in link (nodes: R1, R2)")
    }

    @Test func unknownInterfaceInALinkIsReported() {
        let errors = LabFiles().topologyErrors(twoRouters.replacingOccurrences(of: "R2:Gi0/0]", with: "R2:Gx0/0]"))
        #expect(errors.count == 1)
        #expect(errors.first?.line == 16)
        #expect(errors.first?.message.hasPrefix("unknown interface 'Gx0/0' on R2") == true)
    }

    @Test func interfaceUsedByTwoLinksNamesTheFirstLink() {
        let text = twoRouters + "\n  - endpoints: [R1:Gi0/0, R2:Gi0/1]\n"
        let errors = LabFiles().topologyErrors(text)
        #expect(errors.count == 1)
        #expect(errors.first?.description == "topo.yaml:19:17: error: interface R1:GigabitEthernet0/0 is already used by the link on line 16")
    }

    @Test func duplicateAddressOnASegmentIsReported() {
        let text = twoRouters.replacingOccurrences(of: "10.0.12.2 255", with: "10.0.12.1 255")
        let errors = LabFiles().topologyErrors(text)
        #expect(errors.count == 1)
        #expect(errors.first?.message == "duplicate address 10.0.12.1 on one segment: R1 GigabitEthernet0/0 and R2 GigabitEthernet0/0")
        #expect(errors.first?.line == 9)  // R2, the second owner
    }

    @Test func theSameAddressOnSeparateSegmentsIsFine() {
        let text = """
            nodes:
              A: {kind: host, address: 192.168.1.10/24, gateway: 192.168.1.1}
              B: {kind: host, address: 192.168.1.1/24}
              C: {kind: host, address: 192.168.1.10/24, gateway: 192.168.1.1}
              D: {kind: host, address: 192.168.1.1/24}
            links:
              - endpoints: [A:Ethernet0, B:Ethernet0]
              - endpoints: [C:eth0, D:e0]
            """
        #expect(LabFiles().topologyErrors(text).isEmpty)
    }

    @Test func unparseableBandwidthSaysWhatWasExpected() {
        let errors = LabFiles().topologyErrors(twoRouters.replacingOccurrences(of: "bandwidth: 100M", with: "bandwidth: fast"))
        #expect(errors.count == 1)
        #expect(errors.first?.description
                == "topo.yaml:17:16: error: cannot read bandwidth 'fast' (expected a rate like 1544kbps, 1.544mbps, 100M or 10g)")
    }

    @Test func malformedYAMLGivesItsPosition() {
        let errors = LabFiles().topologyErrors("nodes:\n  R1: {kind: router\n  R2: x\n")
        #expect(errors.count == 1)
        #expect(errors.first?.message.hasPrefix("malformed YAML") == true)
        #expect(errors.first?.line == 3)
    }

    @Test func unknownKeyListsTheExpectedOnes() {
        let errors = LabFiles().topologyErrors(twoRouters.replacingOccurrences(of: "delay: 1ms", with: "dealy: 1ms"))
        #expect(errors.first?.message == "unknown key 'dealy' in a link (expected one of: endpoints, bandwidth, delay, mtu)")
    }

    @Test func eventAtANegativeTimeIsRejected() {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let errors = files.scenarioErrors("""
            topology: topo.yaml
            duration: 10s
            events:
              - at: -5s
                link-down: R1:Gi0/0
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.description == "scenario.yaml:4:9: error: event time -5s is before the start of the run (times count from 0)")
    }

    @Test func scenarioNamingAMissingTopologyIsRejected() {
        let files = LabFiles()
        let errors = files.scenarioErrors("topology: nowhere.yaml\nduration: 10s\n")
        #expect(errors.count == 1)
        #expect(errors.first?.line == 1)
        #expect(errors.first?.message.hasPrefix("topology file 'nowhere.yaml' not found") == true)
    }

    @Test func unknownCommandIsAWarningUnlessStrict() throws {
        let files = LabFiles()
        let text = twoRouters.replacingOccurrences(of: "   no shutdown\n  R2", with: "   no shutdown\n       ip adress 1.1.1.1 255.0.0.0\n  R2")
        let path = files.write("topo.yaml", text)
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
        #expect(lab.warnings.count == 1)
        #expect(lab.warnings.first?.line == 9)
        #expect(lab.warnings.first?.rendered.contains("^") == true)
        #expect(throws: LabErrors.self) { _ = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), strict: true) }
    }

    @Test func unknownDeviceInAnExpectationIsRejected() {
        let files = LabFiles()
        files.write("topo.yaml", twoRouters)
        let errors = files.scenarioErrors("""
            topology: topo.yaml
            expectations:
              - device: R7
                command: show ip route
                contains: "C"
            """)
        #expect(errors.map(\.description) == ["scenario.yaml:3:5: error: unknown device 'R7'"])
    }
}

@Suite struct UnitTests {
    @Test(arguments: [("1544kbps", 1_544_000), ("1.544mbps", 1_544_000), ("100M", 100_000_000), ("10g", 10_000_000_000),
                      ("64000", 64_000), ("2.048 Mbit/s", 2_048_000)] as [(String, Int64)])
    func bandwidthsParseAsUsersWriteThem(text: String, bits: Int64) {
        #expect(Units.bandwidth(text)?.bitsPerSecond == bits)
    }

    @Test(arguments: ["fast", "", "-1M", "10x", "1.2.3M"])
    func nonsenseBandwidthsAreRejected(text: String) {
        #expect(Units.bandwidth(text) == nil)
    }

    @Test(arguments: [("500ms", 500_000_000), ("30s", 30_000_000_000), ("2m", 120_000_000_000), ("1.5s", 1_500_000_000),
                      ("20us", 20_000), ("7", 7_000_000_000)] as [(String, Int64)])
    func durationsParseAsUsersWriteThem(text: String, nanoseconds: Int64) {
        #expect(Units.duration(text)?.nanoseconds == nanoseconds)
    }
}

@Suite struct LabNoteTests {
    @Test func aCabledRouterInterfaceLeftDownByDefaultGetsANote() throws {
        let files = LabFiles()
        let path = files.write("topo.yaml", twoRouters.replacingOccurrences(of: "   ip address 10.0.12.1 255.255.255.0\n       no shutdown",
                                                                             with: "   ip address 10.0.12.1 255.255.255.0"))
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
        #expect(lab.notes == ["topo.yaml:15: note: R1 GigabitEthernet0/0 is cabled but administratively down: "
                              + "IOS leaves router interfaces down until `no shutdown`"])
    }

    @Test func anInterfaceShutOnPurposeGetsNoNote() throws {
        let files = LabFiles()
        let path = files.write("topo.yaml", twoRouters.replacingOccurrences(of: "   ip address 10.0.12.1 255.255.255.0\n       no shutdown",
                                                                             with: "   ip address 10.0.12.1 255.255.255.0\n       shutdown"))
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"))
        #expect(lab.notes.isEmpty)
    }
}
