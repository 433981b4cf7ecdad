import Foundation
import Engine
@testable import Fabric
import IOSConfig
@testable import Lab
@testable import Protocols
import Testing
import Wire

/// OSPF across area types, run from a topology file: summaries from an ABR, externals from an ASBR,
/// stub and totally stubby areas, NSSA and totally NSSA with type-7 translation (RFC 2328 §3.6, §12.4,
/// RFC 3101), checked in each router's databases and `show ip route`.
///
/// ```
///            area 1                  area 0                    area 2 (stub)
///   H1 ── R1 (ASBR) ──Se── R2 (ABR) ──Se── R3 ──Se── R6 (ABR)      R2 ──Se── R4
///                            │                        │
///                            Se        area 3 (NSSA)  Se
///                            └────────── R5 (ASBR) ───┘
/// ```
/// R1 redistributes its connected Loopback1 (172.16.1.0/24, E2) and a static route (192.168.50.0/24,
/// metric 30 type 1); R5 redistributes its Loopback1 (172.20.5.0/24) into the NSSA as a type 7.
@Suite struct OSPFAreaLabTests {
    static func topology(area2: String = "area 2 stub", area3: String = "area 3 nssa") -> String {
        """
        nodes:
          H1: {kind: host, address: 10.9.9.10/24, gateway: 10.9.9.1}
          R1:
            kind: router
            config: |
              interface Loopback0
               ip address 1.1.1.1 255.255.255.255
              interface Loopback1
               ip address 172.16.1.1 255.255.255.0
              interface Serial0/0
               ip address 10.0.12.1 255.255.255.252
               no shutdown
              interface Gi0/1
               ip address 10.9.9.1 255.255.255.0
               no shutdown
              ip route 192.168.50.0 255.255.255.0 10.9.9.10
              router ospf 1
               router-id 1.1.1.1
               redistribute connected subnets
               redistribute static metric 30 metric-type 1 subnets
               network 1.1.1.1 0.0.0.0 area 1
               network 10.0.12.0 0.0.0.3 area 1
          R2:
            kind: router
            config: |
              interface Loopback0
               ip address 2.2.2.2 255.255.255.255
              interface Serial0/0
               ip address 10.0.12.2 255.255.255.252
               no shutdown
              interface Serial0/1
               ip address 10.0.23.1 255.255.255.252
               no shutdown
              interface Serial0/2
               ip address 10.0.24.1 255.255.255.252
               no shutdown
              interface Serial0/3
               ip address 10.0.25.1 255.255.255.252
               ip ospf 1 area 3
               no shutdown
              router ospf 1
               \(area2)
               \(area3)
               network 2.2.2.2 0.0.0.0 area 0
               network 10.0.12.0 0.0.0.3 area 1
               network 10.0.23.0 0.0.0.3 area 0
               network 10.0.24.0 0.0.0.3 area 2
               network 10.0.25.0 0.0.0.3 area 0
          R3:
            kind: router
            config: |
              interface Loopback0
               ip address 3.3.3.3 255.255.255.255
              interface Serial0/0
               ip address 10.0.23.2 255.255.255.252
               no shutdown
              interface Serial0/1
               ip address 10.0.36.2 255.255.255.252
               no shutdown
              router ospf 1
               network 0.0.0.0 255.255.255.255 area 0
          R4:
            kind: router
            config: |
              interface Loopback0
               ip address 4.4.4.4 255.255.255.255
              interface Serial0/0
               ip address 10.0.24.2 255.255.255.252
               no shutdown
              router ospf 1
               area 2 stub
               network 0.0.0.0 255.255.255.255 area 2
          R5:
            kind: router
            config: |
              interface Loopback0
               ip address 5.5.5.5 255.255.255.255
              interface Loopback1
               ip address 172.20.5.1 255.255.255.0
              interface Serial0/0
               ip address 10.0.25.2 255.255.255.252
               no shutdown
              interface Serial0/1
               ip address 10.0.56.1 255.255.255.252
               no shutdown
              router ospf 1
               router-id 5.5.5.5
               area 3 nssa
               redistribute connected subnets
               network 5.5.5.5 0.0.0.0 area 3
               network 10.0.0.0 0.255.255.255 area 3
          R6:
            kind: router
            config: |
              interface Loopback0
               ip address 6.6.6.6 255.255.255.255
              interface Serial0/0
               ip address 10.0.56.2 255.255.255.252
               no shutdown
              interface Serial0/1
               ip address 10.0.36.1 255.255.255.252
               no shutdown
              router ospf 1
               \(area3)
               network 6.6.6.6 0.0.0.0 area 0
               network 10.0.36.0 0.0.0.3 area 0
               network 10.0.56.0 0.0.0.3 area 3
        links:
          - endpoints: [H1:Ethernet0, R1:Gi0/1]
          - endpoints: [R1:Serial0/0, R2:Serial0/0]
          - endpoints: [R2:Serial0/1, R3:Serial0/0]
          - endpoints: [R2:Serial0/2, R4:Serial0/0]
          - endpoints: [R2:Serial0/3, R5:Serial0/0]
          - endpoints: [R5:Serial0/1, R6:Serial0/0]
          - endpoints: [R6:Serial0/1, R3:Serial0/1]
        """
    }

    func lab(_ topology: String) throws -> Lab {
        let path = LabFiles().write("topo.yaml", topology)
        let lab = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [OSPFModule.self])
        while lab.network.now < .zero + .seconds(120) {
            _ = lab.network.run(until: .zero + .seconds(120), maxEvents: 2_000_000)
        }
        return lab
    }

    func process(_ lab: Lab, _ name: String) throws -> OSPFProcess {
        try #require(lab.network.ipNode(lab.node(name)!)?.protocols.compactMap { $0 as? OSPFProcess }.first)
    }

    /// The LSAs of one scope as `type LSID adv-router` lines, in key order.
    func lsas(_ lab: Lab, _ name: String, _ scope: FloodingScope, _ type: LSAType? = nil) throws -> [String] {
        let now = lab.network.now
        return try process(lab, name).flooding.database(scope).sortedEntries
            .filter { !$0.isMaxAge(at: now) && (type == nil || $0.lsa.type == type) }
            .map { "\($0.lsa.type.rawValue) \($0.lsa.linkStateID) \($0.lsa.advertisingRouter)" }
    }

    func area(_ n: UInt32) -> FloodingScope { .area(AreaID(rawValue: n)) }

    func routes(_ lab: Lab, _ name: String) throws -> String { try lab.show(device: name, command: "show ip route") }

    @Test func anABRSummarisesEachAreaIntoTheOthersAndAnASBRsExternalsReachTheBackbone() throws {
        let lab = try lab(Self.topology())
        // RFC 2328 §12.4.3: R2 summarises area 1 into area 0 (type 3) and announces the ASBR R1 (type 4).
        let backbone = try lsas(lab, "R3", area(0))
        #expect(backbone.contains("3 1.1.1.1 2.2.2.2") && backbone.contains("3 10.0.12.0 2.2.2.2"), "\(backbone)")
        #expect(backbone.contains("4 1.1.1.1 2.2.2.2"), "\(backbone)")
        // ... and the backbone into area 1.
        let area1 = try lsas(lab, "R1", area(1))
        #expect(area1.contains("3 3.3.3.3 2.2.2.2") && area1.contains("3 10.0.23.0 2.2.2.2"), "\(area1)")
        // RFC 2328 §12.4.4: R1's type-5s, one per redistributed route, flooded AS-wide.
        let external = try lsas(lab, "R3", .autonomousSystem)
        #expect(external.contains("5 172.16.1.0 1.1.1.1") && external.contains("5 192.168.50.0 1.1.1.1")
                && external.contains("5 10.9.9.0 1.1.1.1"), "\(external)")
        #expect(!external.contains("5 10.0.12.0 1.1.1.1") && !external.contains("5 1.1.1.1 1.1.1.1"),
                "OSPF's own networks are not redistributed: \(external)")
        let r3 = try routes(lab, "R3")
        #expect(r3.contains("O IA     1.1.1.1/32 [110/129] via 10.0.23.1"), "\(r3)")
        #expect(r3.contains("O E2     172.16.1.0/24 [110/20] via 10.0.23.1"), "\(r3)")
        #expect(r3.contains("O E1  192.168.50.0/24 [110/158] via 10.0.23.1"), "30 + 64 + 64: \(r3)")
        let r1 = try routes(lab, "R1")
        #expect(r1.contains("O IA     3.3.3.3/32 [110/129] via 10.0.12.2"), "\(r1)")
        let route = try #require(lab.network.ipNode(lab.node("R3")!)!.routes.selected[IPv4Prefix(IPv4Address(172, 16, 1, 0), length: 24)])
        #expect(route.code == "O E2" && route.metric == 20 && route.distance == 110)
    }

    @Test func aStubAreaGetsSummariesAndADefaultButNoExternals() throws {
        let lab = try lab(Self.topology())
        let stub = try lsas(lab, "R4", area(2))
        // RFC 2328 §3.6, §12.4.3.1: no type 4 or 5 in a stub area; the ABR's default summary instead.
        #expect(stub.contains("3 0.0.0.0 2.2.2.2") && stub.contains("3 3.3.3.3 2.2.2.2") && stub.contains("3 1.1.1.1 2.2.2.2"),
                "\(stub)")
        #expect(!stub.contains { $0.hasPrefix("4 ") || $0.hasPrefix("5 ") }, "\(stub)")
        #expect(try lsas(lab, "R4", .autonomousSystem).isEmpty)
        let r4 = try routes(lab, "R4")
        #expect(r4.contains("O*IA  0.0.0.0/0 [110/65] via 10.0.24.1"), "default-cost 1 + 64: \(r4)")
        #expect(r4.contains("Gateway of last resort is 10.0.24.1 to network 0.0.0.0"), "\(r4)")
        #expect(!r4.contains("172.16.1.0"), "\(r4)")
        let hellos = try lab.show(device: "R4", command: "show ip ospf neighbor")
        #expect(hellos.contains("2.2.2.2           0   FULL/  -") || hellos.contains("2.2.2.2           1   FULL/  -"), "\(hellos)")
    }

    @Test func aTotallyStubbyAreaGetsOnlyTheDefaultSummary() throws {
        let lab = try lab(Self.topology(area2: "area 2 stub no-summary"))
        let stub = try lsas(lab, "R4", area(2))
        #expect(stub.filter { !$0.hasPrefix("1 ") } == ["3 0.0.0.0 2.2.2.2"], "\(stub)")
        let r4 = try routes(lab, "R4")
        #expect(r4.contains("O*IA  0.0.0.0/0 [110/65] via 10.0.24.1") && !r4.contains("3.3.3.3"), "\(r4)")
    }

    @Test func anNSSACarriesType7AndTheHighestRouterIDABRTranslatesIt() throws {
        let lab = try lab(Self.topology())
        // RFC 3101 §2.2: R5's redistributed route is a type 7 inside area 3, with no type 5 or 4 there.
        let nssa = try lsas(lab, "R2", area(3))
        #expect(nssa.contains("7 172.20.5.0 5.5.5.5"), "\(nssa)")
        #expect(!nssa.contains { $0.hasPrefix("4 ") || $0.hasPrefix("5 ") }, "\(nssa)")
        #expect(nssa.contains("3 3.3.3.3 2.2.2.2"), "type 3 still enters an NSSA: \(nssa)")
        #expect(!nssa.contains("3 0.0.0.0 2.2.2.2"), "no default without default-information-originate: \(nssa)")
        #expect(try lsas(lab, "R5", .autonomousSystem).isEmpty)
        // RFC 3101 §3.1: of the two ABRs, R6 (6.6.6.6) has the higher router ID and translates.
        let external = try lsas(lab, "R3", .autonomousSystem)
        #expect(external.contains("5 172.20.5.0 6.6.6.6") && !external.contains("5 172.20.5.0 2.2.2.2"), "\(external)")
        let r3 = try routes(lab, "R3")
        #expect(r3.contains("O E2     172.20.5.0/24 [110/20]"), "\(r3)")
        let r2 = try routes(lab, "R2")
        #expect(r2.contains("O N2     172.20.5.0/24 [110/20] via 10.0.25.2"), "\(r2)")
        let r5 = try routes(lab, "R5")
        #expect(r5.contains("O IA     3.3.3.3/32") && !r5.contains("172.16.1.0") && !r5.contains("0.0.0.0/0"), "\(r5)")
        // R1, in a normal area, reaches the translator through R2's type 4.
        #expect(try lsas(lab, "R1", area(1)).contains("4 6.6.6.6 2.2.2.2"))
        #expect(try routes(lab, "R1").contains("O E2     172.20.5.0/24 [110/20] via 10.0.12.2"))
    }

    @Test func aTotallyNSSAGetsADefaultSummaryFromEachABR() throws {
        let lab = try lab(Self.topology(area3: "area 3 nssa no-summary"))
        let nssa = try lsas(lab, "R5", area(3))
        #expect(nssa.filter { $0.hasPrefix("3 ") } == ["3 0.0.0.0 2.2.2.2", "3 0.0.0.0 6.6.6.6"], "\(nssa)")
        #expect(nssa.contains("7 172.20.5.0 5.5.5.5"), "\(nssa)")
        let r5 = try routes(lab, "R5")
        #expect(r5.contains("O*IA  0.0.0.0/0 [110/65]"), "\(r5)")
        #expect(try routes(lab, "R3").contains("O E2     172.20.5.0/24 [110/20]"))
    }

    @Test func nssaDefaultInformationOriginateGivesAType7DefaultFromTheABRs() throws {
        let lab = try lab(Self.topology(area3: "area 3 nssa default-information-originate"))
        // ios-behavior.md §7.3: an NSSA ABR originates the type-7 default whether or not it has a default route.
        let nssa = try lsas(lab, "R5", area(3), .nssaExternal)
        #expect(nssa.contains("7 0.0.0.0 2.2.2.2") && nssa.contains("7 0.0.0.0 6.6.6.6"), "\(nssa)")
        let r5 = try routes(lab, "R5")
        #expect(r5.contains("O*N2  0.0.0.0/0 [110/1]"), "\(r5)")
        // Without the P bit the defaults are not translated into type 5 (RFC 3101 §2.3).
        #expect(try !lsas(lab, "R3", .autonomousSystem).contains { $0.hasPrefix("5 0.0.0.0 ") })
    }

    @Test func anAreaRangeSummarisesAndTheDefaultCostPricesTheStubDefault() throws {
        let lab = try lab(Self.topology(area2: """
            area 2 stub
                   area 2 default-cost 10
                   area 1 range 10.0.0.0 255.255.0.0
                   area 1 range 1.1.1.1 255.255.255.255 not-advertise
            """))
        // RFC 2328 §12.4.3: one type 3 for the range, costed as its most expensive component (10.0.12.0/30, 64).
        let backbone = try lsas(lab, "R3", area(0))
        #expect(backbone.contains("3 10.0.0.0 2.2.2.2") && !backbone.contains("3 10.0.12.0 2.2.2.2"), "\(backbone)")
        #expect(!backbone.contains("3 1.1.1.1 2.2.2.2"), "DoNotAdvertise: \(backbone)")
        let r3 = try routes(lab, "R3")
        #expect(r3.contains("O IA     10.0.0.0/16 [110/128] via 10.0.23.1") && !r3.contains("1.1.1.1/32"), "\(r3)")
        #expect(try routes(lab, "R4").contains("O*IA  0.0.0.0/0 [110/74] via 10.0.24.1"), "default-cost 10 + 64")
    }

    @Test func anABRConfiguredToAlwaysTranslateTakesOverFromTheElectedOne() throws {
        let lab = try lab(Self.topology(area2: """
            area 2 stub
                   area 3 nssa
                   area 3 nssa translate type7 always
            """))
        // RFC 3101 §3.1: R2 sets Nt in its router-LSA and translates; R6, a candidate, stands down.
        let r2 = try process(lab, "R2")
        let own = r2.flooding.database(area(3)).entry(type: .router, linkStateID: r2.routerID, advertisingRouter: r2.routerID)
        guard case let .router(body)? = own?.lsa.body else { Issue.record("no router-LSA"); return }
        #expect(body.flags.contains(.nt) && body.flags.contains(.b))
        let external = try lsas(lab, "R3", .autonomousSystem)
        #expect(external.contains("5 172.20.5.0 2.2.2.2") && !external.contains("5 172.20.5.0 6.6.6.6"), "\(external)")
    }

    @Test func theAreasScenarioPasses() throws {
        let root = String(#filePath).components(separatedBy: "/Tests/LabTests/")[0]
        let runner = try ScenarioRunner(try ScenarioFile.parse(path: root + "/Scenarios/ospf-areas.yaml", displayName: "ospf-areas.yaml"))
        let report = try runner.run()
        #expect(report.failed == 0, "\(report.text())")
    }

    @Test func maximumPathsLimitsTheEqualCostNextHops() throws {
        let prefix = IPv4Prefix(IPv4Address(5, 5, 5, 5), length: 32)
        let both = try lab(Self.topology())
        #expect(both.network.ipNode(both.node("R3")!)!.routes.selected[prefix]?.nextHops.count == 2, "via R2 and via R6")
        let one = try lab(Self.topology().replacingOccurrences(
            of: "   network 0.0.0.0 255.255.255.255 area 0\n", with: "   network 0.0.0.0 255.255.255.255 area 0\n       maximum-paths 1\n"))
        #expect(one.network.ipNode(one.node("R3")!)!.routes.selected[prefix]?.nextHops.count == 1)
    }

    @Test func theSameAreaLabTwiceGivesTheSameDatabasesAndRoutes() throws {
        let first = try lab(Self.topology()), second = try lab(Self.topology())
        for name in ["R1", "R2", "R3", "R4", "R5", "R6"] {
            #expect(try first.show(device: name, command: "show ip route") == second.show(device: name, command: "show ip route"))
            let a = try lsas(first, name, .autonomousSystem), b = try lsas(second, name, .autonomousSystem)
            #expect(a == b, "\(name)")
            let p = try process(first, name), q = try process(second, name)
            #expect(p.flooding.areaDatabases.keys.sorted() == q.flooding.areaDatabases.keys.sorted())
            for area in p.flooding.areaDatabases.keys.sorted() {
                let x = p.flooding.database(.area(area)).sortedEntries.map { "\($0.lsa.header)" }
                let y = q.flooding.database(.area(area)).sortedEntries.map { "\($0.lsa.header)" }
                #expect(x == y, "\(name) area \(area)")
            }
        }
    }
}
