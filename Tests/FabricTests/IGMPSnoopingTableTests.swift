import Engine
@testable import Fabric
import Testing
import Wire

/// The snooping table's transitions (RFC 4541 §2.1.1), one test each.
@Suite struct IGMPSnoopingTableTests {
    let g = IPv4Address(239, 1, 1, 1)
    let p1 = PortID(1), p2 = PortID(2), p3 = PortID(3)
    func t(_ s: Int64) -> SimTime { .zero + .seconds(s) }

    @Test func aReportMakesThePortAMemberUntilTheMembershipInterval() {
        var table = IGMPSnoopingTable()
        table.learn(vlan: 10, group: g, port: p1, until: t(260), version: 2)
        #expect(table.isMember(p1, vlan: 10, group: g, now: t(259)))
        #expect(!table.isMember(p1, vlan: 11, group: g, now: t(1)))
        #expect(table.members(vlan: 10, group: g, now: t(1)) == [p1])
    }

    @Test func aLaterReportRefreshesTheEntry() {
        var table = IGMPSnoopingTable()
        table.learn(vlan: 10, group: g, port: p1, until: t(260), version: 2)
        table.learn(vlan: 10, group: g, port: p1, until: t(380), version: 2)
        #expect(table.isMember(p1, vlan: 10, group: g, now: t(300)))
        #expect(table.entries.count == 1 && table.entries[0].ports == [p1])
    }

    @Test func withoutReportsTheEntryAgesOutAndTheGroupIsUnregistered() {
        var table = IGMPSnoopingTable()
        table.learn(vlan: 10, group: g, port: p1, until: t(260), version: 2)
        table.learn(vlan: 10, group: g, port: p2, until: t(270), version: 2)
        #expect(table.members(vlan: 10, group: g, now: t(265)) == [p2])
        #expect(table.registered(vlan: 10, group: g, now: t(265)) != nil)
        #expect(table.registered(vlan: 10, group: g, now: t(270)) == nil)
    }

    @Test func aLeaveShortensOnlyThatPortsMembership() {
        var table = IGMPSnoopingTable()
        table.learn(vlan: 10, group: g, port: p1, until: t(260), version: 2)
        table.learn(vlan: 10, group: g, port: p2, until: t(260), version: 2)
        table.shorten(vlan: 10, group: g, port: p1, to: t(12))
        #expect(table.members(vlan: 10, group: g, now: t(12)) == [p2])
        // A report after the leave (another member on the port answered) restores it.
        table.learn(vlan: 10, group: g, port: p1, until: t(271), version: 2)
        #expect(table.members(vlan: 10, group: g, now: t(13)) == [p1, p2])
    }

    @Test func aGeneralQueryMakesAnMrouterPortThatAgesOut() {
        var table = IGMPSnoopingTable()
        table.learnMrouter(vlan: 10, port: p3, until: t(300))
        #expect(table.isMrouter(p3, vlan: 10, now: t(299)))
        #expect(!table.isMrouter(p3, vlan: 10, now: t(300)))
        #expect(!table.isMrouter(p3, vlan: 20, now: t(1)))
    }

    @Test func aStaticMrouterPortNeverAgesAndSurvivesALinkFlush() {
        var table = IGMPSnoopingTable()
        table.setStaticMrouters([10: [p3]])
        table.learnMrouter(vlan: 10, port: p3, until: t(5))
        table.flush(port: p3)
        #expect(table.mrouterPorts(vlan: 10, now: t(100_000)) == [MrouterPort(port: p3, expires: .distantFuture, isStatic: true)])
        table.setStaticMrouters([:])
        #expect(table.mrouterPorts(vlan: 10, now: t(1)).isEmpty)
    }

    @Test func aPortGoingDownLosesItsMemberships() {
        var table = IGMPSnoopingTable()
        table.learn(vlan: 10, group: g, port: p1, until: t(260), version: 2)
        table.learnMrouter(vlan: 10, port: p1, until: t(300))
        table.flush(port: p1)
        #expect(table.members(vlan: 10, group: g, now: t(1)).isEmpty)
        #expect(!table.isMrouter(p1, vlan: 10, now: t(1)))
    }

    @Test func snoopingIsOnByDefaultAndOffPerVLANOrGlobally() {
        var s = IGMPSnoopingSettings()
        #expect(s.isOn(vlan: 1))
        s.disabledVLANs = [5]
        #expect(!s.isOn(vlan: 5) && s.isOn(vlan: 6))
        s.enabled = false
        #expect(!s.isOn(vlan: 6))
    }

    @Test func aVLANQuerierOverridesTheGlobalOne() {
        var s = IGMPSnoopingSettings()
        s.globalQuerier = SnoopingQuerierSettings(address: IPv4Address(10, 0, 0, 9), queryInterval: .seconds(60))
        s.vlanQueriers[7] = SnoopingQuerierSettings(address: IPv4Address(10, 0, 0, 1), queryInterval: .seconds(125))
        #expect(s.querier(vlan: 7)?.address == IPv4Address(10, 0, 0, 1))
        #expect(s.querier(vlan: 8)?.queryInterval == .seconds(60))
        s.disabledVLANs = [7]
        #expect(s.querier(vlan: 7) == nil)
    }
}
