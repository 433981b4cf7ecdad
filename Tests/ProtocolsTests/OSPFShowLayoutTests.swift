import Engine
import Testing
import Wire
@testable import Protocols

/// The layouts of `show ip ospf database` for the LSA types a backbone-only process does not originate yet
/// (summary, ASBR-summary, AS-external, NSSA-external), from fabricated databases.
@Suite struct OSPFShowLayoutTests {
    static let now = SimTime.zero + .seconds(200)

    /// Area 0 and NSSA area 1 of an ABR 1.1.1.1; 3.3.3.3 is an ASBR beyond it.
    static func view() -> (OSPFDatabaseView, [LSAKey: LSAInstance]) {
        var instances: [LSAKey: LSAInstance] = [:]
        func install(_ lsa: LSA, age: UInt16, in db: inout LSDB) {
            let instance = LSAInstance(lsa)
            instances[instance.key] = instance
            db.replace(instance, age: age, now: now)
        }
        var backbone = LSDB(), nssa = LSDB(), external = LSDB()
        install(LSA(options: .e, type: .router, linkStateID: ip("1.1.1.1"), advertisingRouter: ip("1.1.1.1"),
                    sequenceNumber: Int32(bitPattern: 0x8000_0004),
                    body: .router(RouterLSA(flags: [.b], links: [
                        RouterLSA.Link(linkID: ip("2.2.2.2"), linkData: ip("10.0.12.1"), type: .pointToPoint, metric: 64),
                        RouterLSA.Link(linkID: ip("10.0.12.0"), linkData: ip("255.255.255.252"), type: .stub, metric: 64),
                    ]))), age: 12, in: &backbone)
        install(LSA(options: [.e, .dc], type: .summaryNetwork, linkStateID: ip("10.1.0.0"), advertisingRouter: ip("1.1.1.1"),
                    sequenceNumber: Int32(bitPattern: 0x8000_0001),
                    body: .summary(SummaryLSA(networkMask: ip("255.255.255.0"), metric: 2))), age: 30, in: &backbone)
        install(LSA(options: .e, type: .summaryASBR, linkStateID: ip("3.3.3.3"), advertisingRouter: ip("1.1.1.1"),
                    sequenceNumber: Int32(bitPattern: 0x8000_0002),
                    body: .summary(SummaryLSA(networkMask: .any, metric: 10))), age: 31, in: &backbone)
        install(LSA(options: [.np], type: .nssaExternal, linkStateID: ip("192.168.7.0"), advertisingRouter: ip("3.3.3.3"),
                    sequenceNumber: Int32(bitPattern: 0x8000_0001),
                    body: .external(ExternalLSA(networkMask: ip("255.255.255.0"), isType2: false, metric: 20,
                                                forwardingAddress: ip("10.1.0.3"), routeTag: 0))), age: 40, in: &nssa)
        install(LSA(options: .e, type: .asExternal, linkStateID: ip("192.168.7.0"), advertisingRouter: ip("1.1.1.1"),
                    sequenceNumber: Int32(bitPattern: 0x8000_0001),
                    body: .external(ExternalLSA(networkMask: ip("255.255.255.0"), isType2: true, metric: 20,
                                                forwardingAddress: ip("10.1.0.3"), routeTag: 7))), age: 41, in: &external)
        let view = OSPFDatabaseView(routerID: ip("1.1.1.1"), processID: 1,
                                    areas: [(AreaID(rawValue: 1), nssa), (.backbone, backbone)], external: external)
        return (view, instances)
    }

    static func checksum(_ instances: [LSAKey: LSAInstance], _ type: LSAType, _ id: String, _ adv: String,
                         digits: Int) -> String {
        let c = instances[LSAKey(type: type, linkStateID: ip(id), advertisingRouter: ip(adv))]!.checksum
        return "0x" + OSPFShow.hex(UInt64(c), digits: digits)
    }

    @Test func theSummaryListingHasEveryTypeInIOSOrderWithTagsOnExternals() {
        let (view, instances) = Self.view()
        let lines = OSPFShow.database(view, now: Self.now).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let columns = "Link ID         ADV Router      Age         Seq#       Checksum"
        let c = { (t: LSAType, id: String, adv: String) in Self.checksum(instances, t, id, adv, digits: 6) }
        #expect(lines == [
            "", "            OSPF Router with ID (1.1.1.1) (Process ID 1)",
            "", "                Router Link States (Area 0)", "", columns + " Link count",
            "1.1.1.1         1.1.1.1         12          0x80000004 \(c(.router, "1.1.1.1", "1.1.1.1")) 2",
            "", "                Summary Net Link States (Area 0)", "", columns,
            "10.1.0.0        1.1.1.1         30          0x80000001 \(c(.summaryNetwork, "10.1.0.0", "1.1.1.1"))",
            "", "                Summary ASB Link States (Area 0)", "", columns,
            "3.3.3.3         1.1.1.1         31          0x80000002 \(c(.summaryASBR, "3.3.3.3", "1.1.1.1"))",
            "", "                Type-7 AS External Link States (Area 1)", "", columns + " Tag",
            "192.168.7.0     3.3.3.3         40          0x80000001 \(c(.nssaExternal, "192.168.7.0", "3.3.3.3")) 0",
            "", "                Type-5 AS External Link States", "", columns + " Tag",
            "192.168.7.0     1.1.1.1         41          0x80000001 \(c(.asExternal, "192.168.7.0", "1.1.1.1")) 7",
        ])
    }

    @Test func selfOriginateKeepsOnlyOurLSAs() {
        let (view, _) = Self.view()
        let text = OSPFShow.database(view, now: Self.now, selfOriginated: true)
        #expect(!text.contains("Type-7 AS External Link States"), "3.3.3.3's type-7 LSA is not ours: \(text)")
        #expect(text.contains("                Type-5 AS External Link States"))
        #expect(text.contains("                Summary ASB Link States (Area 0)"))
    }

    @Test func aRouterLSAInFullNamesItsFlagsAndLinks() {
        let (view, instances) = Self.view()
        let lines = OSPFShow.databaseDetail(view, type: .router, linkStateID: nil, now: Self.now).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines == [
            "", "            OSPF Router with ID (1.1.1.1) (Process ID 1)",
            "", "                Router Link States (Area 0)", "",
            "  LS age: 12",
            "  Options: (No TOS-capability, No DC)",
            "  LS Type: Router Links",
            "  Link State ID: 1.1.1.1",
            "  Advertising Router: 1.1.1.1",
            "  LS Seq Number: 80000004",
            "  Checksum: \(Self.checksum(instances, .router, "1.1.1.1", "1.1.1.1", digits: 1))",
            "  Length: 48",
            "  Area Border Router",
            "  Number of Links: 2",
            "",
            "    Link connected to: another Router (point-to-point)",
            "     (Link ID) Neighboring Router ID: 2.2.2.2",
            "     (Link Data) Router Interface address: 10.0.12.1",
            "      Number of MTID metrics: 0",
            "       TOS 0 Metrics: 64",
            "",
            "    Link connected to: a Stub Network",
            "     (Link ID) Network/subnet number: 10.0.12.0",
            "     (Link Data) Network Mask: 255.255.255.252",
            "      Number of MTID metrics: 0",
            "       TOS 0 Metrics: 64",
            "", "",
        ])
    }

    @Test func summaryAndASBRSummaryLSAsInFull() {
        let (view, instances) = Self.view()
        let summary = OSPFShow.databaseDetail(view, type: .summaryNetwork, linkStateID: ip("10.1.0.0"), now: Self.now)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(summary == [
            "", "            OSPF Router with ID (1.1.1.1) (Process ID 1)",
            "", "                Summary Net Link States (Area 0)", "",
            "  LS age: 30",
            "  Options: (No TOS-capability, DC)",
            "  LS Type: Summary Links(Network)",
            "  Link State ID: 10.1.0.0 (summary Network Number)",
            "  Advertising Router: 1.1.1.1",
            "  LS Seq Number: 80000001",
            "  Checksum: \(Self.checksum(instances, .summaryNetwork, "10.1.0.0", "1.1.1.1", digits: 1))",
            "  Length: 28",
            "  Network Mask: /24",
            "        MTID: 0         Metric: 2",
            "",
        ])
        let asbr = OSPFShow.databaseDetail(view, type: .summaryASBR, linkStateID: nil, now: Self.now)
        #expect(asbr.contains("  LS Type: Summary Links(AS Boundary Router)\n  Link State ID: 3.3.3.3 (AS Boundary Router address)"))
        #expect(asbr.contains("  Network Mask: /0\n        MTID: 0         Metric: 10"), "\(asbr)")
    }

    @Test func externalAndNSSAExternalLSAsInFull() {
        let (view, _) = Self.view()
        let external = OSPFShow.databaseDetail(view, type: .asExternal, linkStateID: nil, now: Self.now)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(external.prefix(5)) == ["", "            OSPF Router with ID (1.1.1.1) (Process ID 1)",
                                              "", "                Type-5 AS External Link States", ""])
        #expect(Array(external.dropFirst(5).prefix(3)) == ["  LS age: 41", "  Options: (No TOS-capability, No DC)",
                                                           "  LS Type: AS External Link"])
        #expect(external.contains("  Link State ID: 192.168.7.0 (External Network Number )"))
        #expect(Array(external.suffix(7)) == [
            "  Network Mask: /24",
            "        Metric Type: 2 (Larger than any link state path)",
            "        MTID: 0",
            "        Metric: 20",
            "        Forward Address: 10.1.0.3",
            "        External Route Tag: 7",
            "",
        ])
        let nssa = OSPFShow.databaseDetail(view, type: .nssaExternal, linkStateID: nil, now: Self.now)
        #expect(nssa.contains("                Type-7 AS External Link States (Area 1)"))
        #expect(nssa.contains("  Options: (No TOS-capability, Type 7/5 translation, No DC)"))
        #expect(nssa.contains("        Metric Type: 1 (Comparable directly to link state metric)"))
        #expect(nssa.contains("        Forward Address: 10.1.0.3"))
    }

    @Test func anUnknownLinkStateIDPrintsOnlyTheHeader() {
        let (view, _) = Self.view()
        for type in [LSAType.router, .network, .summaryNetwork, .summaryASBR, .asExternal, .nssaExternal] {
            let text = OSPFShow.databaseDetail(view, type: type, linkStateID: ip("9.9.9.9"), now: Self.now)
            #expect(text == "\n            OSPF Router with ID (1.1.1.1) (Process ID 1)", "\(type)")
        }
    }

    @Test func aMaxAgeLSAShowsMAXAGE() {
        var db = LSDB()
        db.replace(LSAInstance(LSA(options: .e, type: .summaryNetwork, linkStateID: ip("10.9.0.0"),
                                   advertisingRouter: ip("2.2.2.2"), sequenceNumber: LSAHeader.initialSequenceNumber,
                                   body: .summary(SummaryLSA(networkMask: ip("255.255.0.0"), metric: 5)))),
                   age: LSAHeader.maxAge, now: .zero)
        let view = OSPFDatabaseView(routerID: ip("1.1.1.1"), processID: 1, areas: [(.backbone, db)])
        let text = OSPFShow.databaseDetail(view, type: .summaryNetwork, linkStateID: nil, now: .zero + .seconds(5))
        #expect(text.contains("  LS age: MAXAGE(3600)"), "\(text)")
    }

    @Test func borderRoutersListEveryAreaAndNextHop() {
        let entries = [
            OSPFBorderRouter(routerID: ip("2.2.2.2"), area: .backbone, pathType: .intraArea, isABR: true, isASBR: false,
                             cost: 10, nextHops: [OSPFNextHop(interface: OSPFInterfaceID(0), address: ip("10.0.12.2"))]),
            OSPFBorderRouter(routerID: ip("3.3.3.3"), area: AreaID(rawValue: 1), pathType: .interArea, isABR: true,
                             isASBR: true, cost: 74, nextHops: [OSPFNextHop(interface: OSPFInterfaceID(1), address: nil)]),
        ]
        let text = OSPFShow.borderRouters(routerID: ip("1.1.1.1"), processID: 1, entries,
                                          interfaceNames: ["GigabitEthernet0/0", "Serial0/0"], spfRuns: 3) { i, id in
            i == 1 && id == ip("3.3.3.3") ? ip("10.0.13.2") : nil
        }
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
            "", "            OSPF Router with ID (1.1.1.1) (Process ID 1)", "", "",
            "                Base Topology (MTID 0)", "",
            "Internal Router Routing Table",
            "Codes: i - Intra-area route, I - Inter-area route", "",
            "i 2.2.2.2 [10] via 10.0.12.2, GigabitEthernet0/0, ABR, Area 0, SPF 3",
            "I 3.3.3.3 [74] via 10.0.13.2, Serial0/0, ABR/ASBR, Area 1, SPF 3",
        ])
    }

    @Test(arguments: [(0, "00:00:00"), (35, "00:00:35"), (3_723, "01:02:03"), (90_000, "1d01h"), (694_800, "1w1d")])
    func uptimesReadAsIOSPrintsThem(seconds: Int64, text: String) {
        #expect(OSPFShow.uptime(.seconds(seconds)) == text)
    }

    @Test func spfAgesCarryMilliseconds() {
        #expect(OSPFShow.preciseUptime(.milliseconds(12_345)) == "00:00:12.345")
        #expect(OSPFShow.preciseUptime(.milliseconds(5)) == "00:00:00.005")
    }

    @Test func helloOptionsNameTheirBitsFromTheLowest() {
        #expect(OSPFShow.optionsLine([.e, .ea], in: "Hello") == "    Options is 0x12 in Hello (E-bit, L-bit)")
        #expect(OSPFShow.optionsLine([.e, .ea, .o], in: "DBD") == "    Options is 0x52 in DBD (E-bit, L-bit, O-bit)")
        #expect(OSPFShow.optionsLine([], in: "Hello") == "    Options is 0x0 in Hello")
    }
}
