import IOSConfig
import Testing
import Wire

// MARK: - Grammar and abbreviations

@Test func abbreviatedKeywordsAndInterfaceNamesExpand() throws {
    let registry = makeTestRegistry()
    let interface = try registry.parse("int gi0/1", in: .global).get()
    #expect(interface.canonicalText == "interface GigabitEthernet0/1")
    #expect(interface.interface() == (try InterfaceName("GigabitEthernet0/1")))

    let address = try registry.parse("ip add 10.0.0.1 255.255.255.0 sec", in: .interface).get()
    #expect(address.canonicalText == "ip address 10.0.0.1 255.255.255.0 secondary")
    #expect(address.has("secondary"))
    #expect(address.address("mask") == IPv4Address(255, 255, 255, 0))
    #expect(address[0] == .address(IPv4Address(10, 0, 0, 1)))
    #expect(address[5] == nil)
}

@Test func keywordsMatchWithoutRegardToCase() throws {
    let registry = makeTestRegistry()
    let command = try registry.parse("IP ROUTE 0.0.0.0 0.0.0.0 10.0.0.2", in: .global).get()
    #expect(command.canonicalText == "ip route 0.0.0.0 0.0.0.0 10.0.0.2")
}

@Test func prefixSharedByTwoKeywordsIsAmbiguous() {
    let registry = makeTestRegistry()
    let result = registry.parse("sh", in: .interface)
    #expect(result.failure?.reason == .ambiguous("sh"))
    #expect(result.failure?.message == "% Ambiguous command: \"sh\"")
    #expect((try? registry.parse("shu", in: .interface).get())?.canonicalText == "shutdown")
}

@Test func missingValueIsAnIncompleteCommand() {
    let registry = makeTestRegistry()
    let result = registry.parse("ip address 10.0.0.1", in: .interface)
    #expect(result.failure?.reason == .incomplete)
    #expect(result.failure?.message == "% Incomplete command.")
}

@Test func invalidWordIsMarkedAtItsColumn() {
    let registry = makeTestRegistry()
    let result = registry.parse("ip address 10.0.0.300 255.255.255.0", in: .interface)
    #expect(result.failure?.reason == .invalidInput)
    #expect(result.failure?.column == 12)
    #expect(result.failure?.message == "% Invalid input detected at '^' marker.")
}

@Test func rangeOutsideItsBoundsIsInvalid() {
    let registry = makeTestRegistry()
    #expect(registry.parse("vlan 4095", in: .global).failure?.column == 6)
    #expect((try? registry.parse("vlan 010", in: .global).get())?.canonicalText == "vlan 10")
}

@Test func alternativesAndOptionalValuesYieldTypedArguments() throws {
    let registry = makeTestRegistry()
    let viaInterface = try registry.parse("ip route 10.1.0.0 255.255.0.0 null0 250", in: .global).get()
    #expect(viaInterface.canonicalText == "ip route 10.1.0.0 255.255.0.0 Null0 250")
    #expect(viaInterface["via"] == .interface(try InterfaceName("Null0")))
    #expect(viaInterface.number("1-255") == 250)

    let viaAddress = try registry.parse("ip route 10.1.0.0 255.255.0.0 10.0.0.2", in: .global).get()
    #expect(viaAddress["via"] == .address(IPv4Address(10, 0, 0, 2)))
    #expect(viaAddress.number("1-255") == nil)
}

@Test func macAddressesAreReadInEveryNotation() throws {
    let registry = makeTestRegistry()
    for spelling in ["0050.56c0.0001", "00:50:56:C0:00:01", "00-50-56-c0-00-01"] {
        let command = try registry.parse("mac address-table static \(spelling) vlan 10 int fa0/1", in: .global).get()
        #expect(command.canonicalText
            == "mac address-table static 0050.56c0.0001 vlan 10 interface FastEthernet0/1")
        #expect(command.number("vlan") == 10)
        #expect(command.interface("interface") == (try InterfaceName("FastEthernet0/1")))
        #expect(command.mac() == MACAddress(0x00, 0x50, 0x56, 0xC0, 0x00, 0x01))
    }
}

@Test func lineValueKeepsTheRestOfTheLineAsTyped() throws {
    let registry = makeTestRegistry()
    let command = try registry.parse("desc  Uplink to  core!  ", in: .interface).get()
    #expect(command.text("LINE") == "Uplink to  core!")
    #expect(command.canonicalText == "description Uplink to  core!")
}

@Test func noFormMayStopAfterItsKeywords() throws {
    let registry = makeTestRegistry()
    let command = try registry.parse("no ip address", in: .interface).get()
    #expect(command.isNegated)
    #expect(command.canonicalText == "no ip address")
    #expect(registry.parse("no hostname R1", in: .global).failure?.reason == .invalidInput)
}

@Test func interfaceValueAcceptsABlankBeforeTheNumber() throws {
    let registry = makeTestRegistry()
    #expect(try registry.parse("interface Vlan 10", in: .global).get().canonicalText == "interface Vlan10")
    #expect(try registry.parse("int gig 0/2", in: .global).get().canonicalText
        == "interface GigabitEthernet0/2")
}

// MARK: - Modes, comments and diagnostics

@Test func indentedLinesBelongToTheModeAboveThem() {
    let (device, result) = applyConfig("""
        hostname R1
        !
        interface Gi0/1
         description uplink
         ip address 10.0.0.1 255.255.255.0
        !
        interface Loopback0
         ip address 1.1.1.1 255.255.255.255
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(device.hostname == "R1")
    let gi01 = try? InterfaceName("Gi0/1")
    #expect(device.interfaces[gi01!]?.description == "uplink")
    #expect(device.interfaces[gi01!]?.hostAddress == IPv4Address(10, 0, 0, 1))
    #expect(device.interfaces[try! InterfaceName("lo0")]?.hostAddress == IPv4Address(1, 1, 1, 1))
}

@Test func unindentedSubModeLinesFallBackThroughParentModes() {
    let (device, result) = applyConfig("""
        interface Gi0/1
        ip address 10.0.0.1 255.255.255.0
        shutdown
        interface Gi0/2
        ip address 10.0.1.1 255.255.255.0
        class-map match-any VOICE
        match dscp ef
        policy-map WAN
        class VOICE
        priority 128
        class class-default
        fair-queue
        hostname FLAT
        """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    #expect(device.interfaces[try! InterfaceName("Gi0/1")]?.isShutdown == true)
    #expect(device.interfaces[try! InterfaceName("Gi0/2")]?.hostAddress == IPv4Address(10, 0, 1, 1))
    #expect(device.interfaces[try! InterfaceName("Gi0/2")]?.isShutdown == false)
    #expect(device.classMaps["VOICE"] == ["match dscp ef"])
    #expect(device.policyMaps["WAN"]?.map(\.name) == ["VOICE", "class-default"])
    #expect(device.hostname == "FLAT")
}

@Test func invalidIndentedLineStillMarksItsModeAsIndented() {
    let (_, result) = applyConfig("""
        interface Gi0/1
         ip adress 10.0.0.1 255.255.255.0
        description not an interface line
        """)
    #expect(result.diagnostics.map(\.line) == [11, 12])
    #expect(result.diagnostics.map(\.message) == ["unknown command in interface mode", "unknown command in global mode"])
}

@Test func nestedModesGiveHandlersTheirEnclosingCommands() {
    let registry = makeTestRegistry()
    var seen: [String] = []
    registry.register(.policyMapClass, "police <8000-1000000000>") { command, _ in
        let policy = command.enclosing(.policyMap)?.text("WORD") ?? "?"
        let className = command.enclosing(.policyMapClass)?.text("WORD") ?? "?"
        seen.append("\(policy)/\(className)/\(command.number(at: 0) ?? 0)")
    }
    let (_, result) = applyConfig("""
        class-map VOICE
         match any
        policy-map P
         class VOICE
          police 8000
         class class-default
          police 16000
        """, registry: registry)
    #expect(result.diagnostics.isEmpty)
    #expect(seen == ["P/VOICE/8000", "P/class-default/16000"])
}

@Test func exitLeavesTheModeAndEndStopsTheConfig() {
    let (device, result) = applyConfig("""
        interface Gi0/1
        exit
        hostname AFTER-EXIT
        end
        hostname AFTER-END
        """)
    #expect(device.hostname == "AFTER-EXIT")
    #expect(result.warnings.map(\.message) == ["lines after 'end' are not applied"])
    #expect(result.warnings.first?.line == 14)
}

@Test func commentsAndBlankLinesAreSkipped() {
    let (device, result) = applyConfig("""
        ! a comment
        !
           
        hostname R9
        !interface Gi0/1
        """)
    #expect(result.diagnostics.isEmpty)
    #expect(result.running.lines.map(\.text) == ["hostname R9"])
    #expect(device.hostname == "R9")
}

@Test func unknownCommandIsAWarningAtItsFileLineWithACaret() {
    let (_, result) = applyConfig("""
        hostname R1
        interface Gi0/1
         ip adress 10.0.0.1 255.255.255.0
        """, firstLine: 12)
    #expect(result.diagnostics.count == 1)
    let diagnostic = result.diagnostics[0]
    #expect(diagnostic.severity == .warning)
    #expect(diagnostic.line == 14)
    #expect(diagnostic.column == 5)
    #expect(diagnostic.rendered == """
        Topologies/test.yaml:14: warning: unknown command in interface mode
          ip adress 10.0.0.1 255.255.255.0
             ^
        """)
}

@Test func columnsCountTheYAMLBlockIndentation() {
    let registry = makeTestRegistry()
    var device = TestDevice()
    let source = ConfigSource(file: "t.yaml", firstLine: 3, text: "hostname R1\nfrobnicate now", columnOffset: 6)
    let result = registry.apply(source, to: &device, strict: false)
    #expect(result.diagnostics.first?.line == 4)
    #expect(result.diagnostics.first?.column == 7)
    #expect(result.diagnostics.first?.message == "unknown command in global mode")
}

@Test func strictModeMakesUnknownCommandsErrors() {
    let (_, result) = applyConfig("interface Gi0/1\n bogus-command\n", strict: true)
    #expect(result.hasErrors)
    #expect(result.errors.first?.message == "unknown command in interface mode")
    #expect(result.errors.first?.line == 11)
}

@Test func ambiguousAbbreviationInAConfigIsReported() {
    let (_, result) = applyConfig("interface Gi0/1\n sh\n")
    #expect(result.diagnostics.map(\.message) == ["ambiguous command \"sh\" in interface mode"])
}

@Test func handlerRejectionBecomesAnErrorAtThatLine() {
    let (device, result) = applyConfig("""
        interface Ethernet0/1
         ip address 10.0.0.1 255.255.255.0
        interface Ethernet0/2
         ip address 10.0.0.2 255.255.255.0
        """)
    #expect(result.diagnostics.count == 1)
    #expect(result.errors.first?.message == "% 10.0.0.0 overlaps with Ethernet0/1")
    #expect(result.errors.first?.line == 13)
    #expect(device.interfaces[try! InterfaceName("e0/2")]?.address == nil)
    #expect(!result.running.render().contains("10.0.0.2"))
}

@Test func linesUnderARejectedModeCommandAreSkipped() {
    let (device, result) = applyConfig("""
        policy-map P
         class NOT-DEFINED
          priority 100
         class class-default
          fair-queue
        """)
    #expect(result.errors.map(\.message) == ["% class-map NOT-DEFINED not configured"])
    #expect(result.diagnostics.count == 1)
    #expect(device.policyMaps["P"]?.map(\.name) == ["class-default"])
}

@Test func ignoredLinesAreListedOnceEach() {
    let (_, result) = applyConfig("""
        version 15.2
        service timestamps debug datetime msec
        no ip domain-lookup
        hostname R1
        banner motd ^C
        Authorized access only
        ^C
        line vty 0 4
         password cisco
         login
        line con 0
        logging synchronous
        """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.rendered))")
    #expect(result.ignored.map(\.description) == [
        "ignored (not modelled): version 15.2 (Topologies/test.yaml:10)",
        "ignored (not modelled): service timestamps debug datetime msec (Topologies/test.yaml:11)",
        "ignored (not modelled): no ip domain-lookup (Topologies/test.yaml:12)",
        "ignored (not modelled): banner motd ^C (Topologies/test.yaml:14, with 2 lines under it)",
        "ignored (not modelled): line vty 0 4 (Topologies/test.yaml:17, with 2 lines under it)",
        "ignored (not modelled): line con 0 (Topologies/test.yaml:20, with 1 line under it)",
    ])
    #expect(result.running.render() == "hostname R1\n!\nend\n")
}

@Test func registeredCommandWinsOverAnIgnoredOne() {
    let registry = makeTestRegistry()
    var seen = false
    registry.register(.global, "ip cef") { _, _ in seen = true }
    let (_, result) = applyConfig("ip cef", registry: registry)
    #expect(seen)
    #expect(result.ignored.isEmpty)
}

// MARK: - Robustness

/// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Test(arguments: 1...40 as ClosedRange<UInt64>)
func randomGarbageNeverTraps(seed: UInt64) {
    var random = SplitMix64(state: seed)
    let words = ["interface", "int", "gi0/1", "Vlan", "10", "ip", "add", "address", "no", "!", "exit", "end",
                 "class-map", "policy-map", "class", "[", "{", "<", "|", "0/1.", "255.255.255.0", "10.0.0.1",
                 "route", "sh", "shutdown", "vlan", "name", "mac", "address-table", "static", "ffff.ffff.ffff",
                 "99999999999999999999", "-1", "é", "🙂", "\t", "banner", "^C", "line", "description", "secondary",
                 "Gi", "0/", ".", "/", ":", "Port-channel", "4095", "1e3", "0x10", "Null0", "t0", "s0/0/0.1"]
    var lines: [String] = []
    for _ in 0..<60 {
        let indent = String(repeating: " ", count: Int.random(in: 0...3, using: &random))
        let count = Int.random(in: 0...7, using: &random)
        var line = indent
        for _ in 0..<count {
            if Int.random(in: 0..<5, using: &random) == 0 {
                let scalars = (0..<Int.random(in: 1...6, using: &random)).compactMap { _ in
                    Unicode.Scalar(UInt32.random(in: 1...0x2FF, using: &random))
                }
                line += String(String.UnicodeScalarView(scalars))
            } else {
                line += words.randomElement(using: &random)!
            }
            line += Bool.random(using: &random) ? " " : "  "
        }
        lines.append(line)
    }
    let registry = makeTestRegistry()
    var device = TestDevice()
    for strict in [false, true] {
        let result = registry.apply(ConfigSource(file: "random-\(seed).yaml", lines: lines), to: &device,
                                    strict: strict)
        // Whatever was accepted must render and re-parse to the same running config.
        var again = TestDevice()
        let reparsed = registry.apply(ConfigSource(file: "rendered", text: result.running.render()), to: &again,
                                      strict: true)
        #expect(reparsed.running == result.running, "seed \(seed)")
        for diagnostic in result.diagnostics { _ = diagnostic.rendered }
    }
}

@Test(arguments: 1...20 as ClosedRange<UInt64>)
func randomValidConfigsRenderAndParseBackUnchanged(seed: UInt64) {
    var random = SplitMix64(state: seed)
    func pick(_ choices: [String]) -> String { choices.randomElement(using: &random)! }
    var lines: [String] = []
    for _ in 0..<50 {
        let n = Int.random(in: 0...30, using: &random)
        let host = Int.random(in: 1...254, using: &random)
        switch Int.random(in: 0..<8, using: &random) {
        case 0: lines.append("\(pick(["int", "interface", "in"])) \(pick(["gi", "e", "fa", "Lo", "Vlan "]))\(n % 4)\(n % 2 == 0 ? "" : "/\(n)")")
        case 1: lines.append("\(pick([" ", ""]))\(pick(["", "no "]))\(pick(["shut", "shutdown"]))")
        case 2: lines.append(" \(pick(["ip add", "ip address"])) 10.\(n).\(host).1 255.255.255.0\(pick(["", " sec"]))")
        case 3: lines.append(" \(pick(["desc", "description"])) link \(n)")
        case 4: lines.append("\(pick(["", "no "]))ip route 10.\(n).0.0 255.255.0.0 \(pick(["10.0.0.2", "null0", "gi0/1"]))")
        case 5: lines.append("vlan \(n + 1)")
        case 6: lines.append(" name V\(n)")
        default: lines.append(pick(["!", "exit", " bandwidth \(host * 1000)", "hostname R\(n)"]))
        }
    }
    let registry = makeTestRegistry()
    var device = TestDevice()
    let first = registry.apply(ConfigSource(file: "random-\(seed).yaml", lines: lines), to: &device, strict: false)
    #expect(!first.running.lines.isEmpty, "seed \(seed)")
    var again = TestDevice()
    let second = registry.apply(ConfigSource(file: "rendered", text: first.running.render()), to: &again, strict: true)
    #expect(second.diagnostics.isEmpty, "seed \(seed): \(second.diagnostics.map(\.rendered))")
    #expect(second.running == first.running, "seed \(seed)")
    #expect(second.running.render() == first.running.render(), "seed \(seed)")
}

extension Result {
    fileprivate var failure: Failure? { if case .failure(let failure) = self { failure } else { nil } }
}
