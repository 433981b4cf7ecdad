import Foundation
@testable import Lab
import Protocols
import Testing
import Wire

/// The `router ospf` and `ip ospf` commands of the area, redistribution and throttling work: what each
/// stores, what `show running-config` prints back, and IOS's refusals.
@Suite struct OSPFCommandsTests {
    /// One router whose config is `lines` under `router ospf 1` (and an interface for `ip ospf` lines).
    func build(router lines: [String], interface: [String] = []) throws -> Lab {
        let config = (["interface Gi0/0", " ip address 10.0.0.1 255.255.255.0"] + interface.map { " " + $0 }
                      + ["router ospf 1"] + lines.map { " " + $0 }).map { "      " + $0 }.joined(separator: "\n")
        let path = LabFiles().write("topo.yaml", "nodes:\n  R1:\n    kind: router\n    config: |\n\(config)\nlinks: []\n")
        return try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [OSPFModule.self])
    }

    func settings(_ lab: Lab) -> OSPFSettings { lab.configurations["R1"]!.protocolSettings[OSPFSettings.self] }
    func process(_ lab: Lab) -> OSPFProcessSettings { settings(lab).processes[1]! }
    func running(_ lab: Lab) throws -> String { try lab.show(device: "R1", command: "show running-config") }

    /// The messages of the errors a config gives.
    func errors(router lines: [String]) -> [String] {
        do {
            _ = try build(router: lines)
            return []
        } catch let error as LabErrors {
            return error.errors.map(\.message)
        } catch { return ["\(error)"] }
    }

    @Test func areaStubAndTotallyStubby() throws {
        let lab = try build(router: ["area 1 stub", "area 0.0.0.2 stub no-summary"])
        #expect(process(lab).area(AreaID(rawValue: 1)).kind == .stub(noSummary: false))
        #expect(process(lab).area(AreaID(rawValue: 2)).kind == .stub(noSummary: true))
        let text = try running(lab)
        #expect(text.contains(" area 1 stub\n") && text.contains(" area 0.0.0.2 stub no-summary\n"), "\(text)")
    }

    @Test func areaNSSAWithItsOptions() throws {
        let lab = try build(router: ["area 1 nssa no-summary default-information-originate metric 30 metric-type 1 no-redistribution",
                                     "area 1 nssa translate type7 always"])
        guard case let .nssa(o) = process(lab).area(AreaID(rawValue: 1)).kind else { Issue.record("not an NSSA"); return }
        #expect(o.noSummary && o.defaultInformationOriginate && o.defaultMetric == 30 && !o.defaultMetricType2
                && o.noRedistribution && o.translateAlways)
        let text = try running(lab)
        #expect(text.contains(" area 1 nssa no-summary default-information-originate metric 30 metric-type 1 no-redistribution\n"),
                "\(text)")
        #expect(text.contains(" area 1 nssa translate type7 always\n"), "\(text)")
    }

    @Test func aStubLineReplacesAnNSSALineForTheSameArea() throws {
        let lab = try build(router: ["area 1 nssa", "area 0.0.0.1 stub"])
        #expect(process(lab).area(AreaID(rawValue: 1)).kind == .stub(noSummary: false))
        let text = try running(lab)
        #expect(!text.contains("nssa") && text.contains(" area 0.0.0.1 stub\n"), "\(text)")
    }

    @Test func areaDefaultCost() throws {
        let lab = try build(router: ["area 1 stub", "area 1 default-cost 25"])
        #expect(process(lab).area(AreaID(rawValue: 1)).defaultCost == 25)
        #expect(process(lab).area(AreaID(rawValue: 1)).originationKind == .stub(noSummary: false, defaultCost: 25))
        #expect(try running(lab).contains(" area 1 default-cost 25\n"))
    }

    @Test func areaRangeAdvertiseNotAdvertiseAndCost() throws {
        let lab = try build(router: ["area 1 range 10.1.0.0 255.255.0.0 advertise cost 40",
                                     "area 1 range 10.2.0.0 255.255.0.0 not-advertise"])
        let ranges = process(lab).area(AreaID(rawValue: 1)).ranges
        #expect(ranges == [AreaRange(prefix: IPv4Prefix(IPv4Address(10, 1, 0, 0), length: 16), advertise: true, cost: 40),
                           AreaRange(prefix: IPv4Prefix(IPv4Address(10, 2, 0, 0), length: 16), advertise: false)])
        let text = try running(lab)
        #expect(text.contains(" area 1 range 10.1.0.0 255.255.0.0 cost 40\n")
                && text.contains(" area 1 range 10.2.0.0 255.255.0.0 not-advertise\n"), "\(text)")
    }

    @Test func redistributeConnectedAndStatic() throws {
        let lab = try build(router: ["redistribute static metric 50 metric-type 1 subnets tag 7", "redistribute connected subnets"])
        let r = process(lab).redistributions
        #expect(r.map(\.source) == [.connected, .static])
        #expect(r[0].subnets && r[0].metric == nil && r[0].metricType2)
        #expect(r[1].metric == 50 && !r[1].metricType2 && r[1].subnets && r[1].tag == 7)
        let text = try running(lab)
        #expect(text.contains(" redistribute connected subnets\n")
                && text.contains(" redistribute static metric 50 metric-type 1 subnets tag 7\n"), "\(text)")
    }

    @Test func redistributeTakesSubnetsFirstAndPrintsInIOSOrder() throws {
        let lab = try build(router: ["redistribute connected subnets metric 50 metric-type 2 tag 3"])
        let r = try #require(process(lab).redistributions.first)
        #expect(r.subnets && r.metric == 50 && r.metricType2 && r.tag == 3)
        #expect(try running(lab).contains(" redistribute connected metric 50 subnets tag 3\n"))
    }

    @Test func defaultInformationOriginate() throws {
        let lab = try build(router: ["default-information originate always metric 10 metric-type 1"])
        let d = try #require(process(lab).defaultInformation)
        #expect(d.always && d.metric == 10 && !d.metricType2)
        #expect(try running(lab).contains(" default-information originate always metric 10 metric-type 1\n"))
    }

    @Test func summaryAddress() throws {
        let lab = try build(router: ["summary-address 172.16.0.0 255.255.0.0 tag 9", "summary-address 172.17.0.0 255.255.0.0 not-advertise"])
        let s = process(lab).summaryAddresses
        #expect(s.count == 2 && s[0].advertise && s[0].tag == 9 && !s[1].advertise)
        #expect(try running(lab).contains(" summary-address 172.16.0.0 255.255.0.0 tag 9\n"))
    }

    @Test func autoCostMaximumPathsAndThrottles() throws {
        let lab = try build(router: ["auto-cost reference-bandwidth 10000", "maximum-paths 8", "timers throttle spf 50 200 5000",
                                     "timers throttle lsa all 0 100 1000"])
        let p = process(lab)
        #expect(p.referenceBandwidthMbps == 10000 && p.maximumPaths == 8)
        #expect(p.spfThrottle == OSPFThrottle(start: 50, hold: 200, maximum: 5000))
        #expect(p.lsaThrottle == OSPFThrottle(start: 0, hold: 100, maximum: 1000))
        let text = try running(lab)
        #expect(text.contains(" auto-cost reference-bandwidth 10000\n") && text.contains(" maximum-paths 8\n")
                && text.contains(" timers throttle spf 50 200 5000\n") && text.contains(" timers throttle lsa all 0 100 1000\n"),
                "\(text)")
    }

    @Test func passiveInterfaceDefaultWithAnException() throws {
        let lab = try build(router: ["passive-interface default", "no passive-interface Gi0/0"])
        let p = process(lab)
        #expect(p.passiveByDefault && p.nonPassiveInterfaces == ["GigabitEthernet0/0"])
        #expect(!p.isPassive("GigabitEthernet0/0") && p.isPassive("Loopback0"))
        let text = try running(lab)
        #expect(text.contains(" passive-interface default\n") && text.contains(" no passive-interface GigabitEthernet0/0\n"),
                "\(text)")
    }

    @Test func logAdjacencyChangesDetail() throws {
        #expect(try process(build(router: ["log-adjacency-changes detail"])).logAdjacencyDetail)
        let off = try build(router: ["no log-adjacency-changes"])
        #expect(!process(off).logAdjacencyChanges)
        #expect(try running(off).contains(" no log-adjacency-changes\n"))
    }

    @Test func interfaceCommands() throws {
        let lab = try build(router: [], interface: ["ip ospf 1 area 0.0.0.3", "ip ospf network point-to-point", "ip ospf mtu-ignore",
                                                    "ip ospf retransmit-interval 7", "ip ospf transmit-delay 2"])
        let s = try #require(settings(lab).interfaces["GigabitEthernet0/0"])
        #expect(s.area == OSPFInterfaceArea(process: 1, area: AreaID(rawValue: 3)))
        #expect(s.networkType == .pointToPoint && s.mtuIgnore && s.retransmitInterval == 7 && s.transmitDelay == 2)
        let text = try running(lab)
        #expect(text.contains(" ip ospf 1 area 0.0.0.3\n") && text.contains(" ip ospf network point-to-point\n")
                && text.contains(" ip ospf mtu-ignore\n") && text.contains(" ip ospf retransmit-interval 7\n")
                && text.contains(" ip ospf transmit-delay 2\n"), "\(text)")
    }

    @Test func ipOSPFAreaCreatesTheProcess() throws {
        let lab = try build(router: [], interface: ["ip ospf 7 area 0"])
        #expect(settings(lab).processes[7] != nil)
    }

    // MARK: - Refusals

    @Test func theBackboneCannotBeAStubArea() {
        #expect(errors(router: ["area 0 stub"]).contains { $0.contains("% OSPF: Backbone can not be configured as stub area") })
        #expect(errors(router: ["area 0.0.0.0 stub no-summary"]).contains {
            $0.contains("% OSPF: Backbone can not be configured as stub area")
        })
    }

    @Test func theBackboneCannotBeAnNSSA() {
        #expect(errors(router: ["area 0 nssa"]).contains { $0.contains("% OSPF: Backbone can not be configured as NSSA area") })
        #expect(errors(router: ["area 0 nssa translate type7 always"]).contains {
            $0.contains("% OSPF: Backbone can not be configured as NSSA area")
        })
    }

    @Test func aRangeOrSummaryWithANonContiguousMaskIsRefused() {
        #expect(errors(router: ["area 1 range 10.0.0.0 255.0.255.0"]).contains { $0.contains("% OSPF: Invalid mask") })
        #expect(errors(router: ["summary-address 10.0.0.0 255.0.255.0"]).contains { $0.contains("% OSPF: Invalid mask") })
    }

    @Test func translateNeedsAnNSSA() {
        #expect(errors(router: ["area 1 nssa translate type7 always"]).contains { $0.contains("is not an NSSA") })
    }

    @Test func aThrottleWhoseMaximumIsBelowItsHoldIsRefused() {
        #expect(errors(router: ["timers throttle spf 100 2000 1000"]).contains { $0.contains("% OSPF: Throttle") })
    }

    @Test func routerOSPFIsRefusedOnAHost() {
        let path = LabFiles().write("topo.yaml", """
            nodes:
              R1:
                kind: router
                config: |
                  interface Gi0/0
                   ip address 10.0.0.1 255.255.255.0
              SW1:
                kind: switch
                config: |
                  router ospf 1
                   area 1 stub
            links: []
            """)
        do {
            _ = try Lab.build(try TopologyFile.parse(path: path, displayName: "topo.yaml"), modules: [OSPFModule.self])
            Issue.record("accepted")
        } catch {
            #expect(error.errors.contains { $0.message.contains("router ospf is for routers") }, "\(error)")
        }
    }
}
