import Engine
import Testing
import Wire
@testable import Protocols

@Suite struct PIMDownstreamTests {
    @Test func aJoinForwardsUntilItsHoldtimeRunsOut() {
        // RFC 7761 §4.5.3: Join sets the Expiry Timer to the message's holdtime; expiry returns to NoInfo.
        var d = DownstreamInterface(uptime: t0)
        d.handle(.receiveJoin(holdtime: .seconds(210)), now: t0)
        #expect(d.state == .join(expires: t0 + .seconds(210)))
        d.handle(.timersDue, now: t0 + .seconds(209))
        #expect(d.isJoined)
        d.handle(.timersDue, now: t0 + .seconds(210))
        #expect(d.state == .noInfo)
    }

    @Test func aPeriodicJoinRefreshesTheExpiry() {
        var d = DownstreamInterface(uptime: t0)
        d.handle(.receiveJoin(holdtime: .seconds(210)), now: t0)
        d.handle(.receiveJoin(holdtime: .seconds(210)), now: t0 + .seconds(60))
        #expect(d.expires == t0 + .seconds(270))
        #expect(d.uptime == t0)
    }

    @Test func aPruneOnAPointToPointLinkRemovesTheInterfaceAtOnce() {
        var d = DownstreamInterface(uptime: t0)
        d.handle(.receiveJoin(holdtime: .seconds(210)), now: t0)
        d.handle(.receivePrune(onLAN: false), now: t0 + .seconds(5))
        #expect(d.state == .noInfo)
    }

    @Test func aPruneOnALANWaitsTheOverrideIntervalAndAJoinOverridesIt() {
        // RFC 7761 §4.5.3: Prune-Pending for J/P_Override_Interval (3 s); a Join in that time keeps the state.
        var d = DownstreamInterface(uptime: t0)
        d.handle(.receiveJoin(holdtime: .seconds(210)), now: t0)
        d.handle(.receivePrune(onLAN: true), now: t0 + .seconds(5))
        #expect(d.state == .prunePending(expires: t0 + .seconds(210), until: t0 + .seconds(8)))
        var overridden = d
        overridden.handle(.receiveJoin(holdtime: .seconds(210)), now: t0 + .seconds(6))
        overridden.handle(.timersDue, now: t0 + .seconds(8))
        #expect(overridden.isJoined)
        d.handle(.timersDue, now: t0 + .seconds(8))
        #expect(d.state == .noInfo)
    }
}

@Suite struct PIMRegisterStateTests {
    // RFC 7761 §4.4.1, one test per transition the DR goes through.
    @Test func couldRegisterAddsTheTunnel() {
        var s = RegisterState.noInfo
        var actions: [RegisterAction] = []
        s.handle(.couldRegisterTrue, now: t0, actions: &actions)
        #expect(s == .join && actions == [.addRegisterTunnel])
    }

    @Test func aRegisterStopSuppressesForSixtySecondsLessTheProbeTime() {
        var s = RegisterState.join
        var actions: [RegisterAction] = []
        s.handle(.registerStopReceived, now: t0, actions: &actions)
        #expect(s == .prune(until: t0 + .seconds(55)) && actions == [.removeRegisterTunnel])
    }

    @Test func theSuppressionEndsWithANullRegisterAndFiveSecondsToAnswer() {
        var s = RegisterState.prune(until: t0 + .seconds(55))
        var actions: [RegisterAction] = []
        s.handle(.registerStopTimerExpired, now: t0 + .seconds(55), actions: &actions)
        #expect(s == .joinPending(until: t0 + .seconds(60)) && actions == [.sendNullRegister])
    }

    @Test func noAnswerToTheNullRegisterMeansRegisteringAgain() {
        var s = RegisterState.joinPending(until: t0 + .seconds(60))
        var actions: [RegisterAction] = []
        s.handle(.registerStopTimerExpired, now: t0 + .seconds(60), actions: &actions)
        #expect(s == .join && actions == [.addRegisterTunnel])
    }

    @Test func aRegisterStopAnsweringTheNullRegisterSuppressesAgain() {
        var s = RegisterState.joinPending(until: t0 + .seconds(60))
        var actions: [RegisterAction] = []
        s.handle(.registerStopReceived, now: t0 + .seconds(57), actions: &actions)
        #expect(s == .prune(until: t0 + .seconds(112)) && actions.isEmpty)
    }

    @Test func losingCouldRegisterEndsEverything() {
        for start in [RegisterState.join, .prune(until: t0), .joinPending(until: t0)] {
            var s = start
            var actions: [RegisterAction] = []
            s.handle(.couldRegisterFalse, now: t0, actions: &actions)
            #expect(s == .noInfo)
            #expect(actions == (start == .join ? [.removeRegisterTunnel] : []))
        }
    }
}

@Suite struct PIMAssertTests {
    static func m(_ rpt: Bool, _ pref: UInt32, _ metric: UInt32, _ last: UInt8) -> AssertMetric {
        AssertMetric(rptBit: rpt, preference: pref, metric: metric, address: IPv4Address(10, 1, 1, last))
    }

    // RFC 7761 §4.6.1: RPT bit clear first, then lower preference, lower metric, higher address.
    @Test(arguments: [
        (m(false, 110, 50, 1), m(true, 1, 1, 9)),
        (m(false, 90, 500, 1), m(false, 110, 2, 9)),
        (m(false, 110, 20, 1), m(false, 110, 30, 9)),
        (m(false, 110, 20, 9), m(false, 110, 20, 1)),
    ])
    func theBetterMetricWins(better: AssertMetric, worse: AssertMetric) {
        #expect(better.isBetter(than: worse))
        #expect(!worse.isBetter(than: better))
    }

    @Test func dataOnAnOutgoingInterfaceMakesUsAssert() {
        var s = AssertState.noInfo
        let first = s.handle(.dataOnOutgoingInterface, mine: Self.m(false, 110, 20, 1), now: t0)
        #expect(first)
        #expect(s == .winner(expires: t0 + .seconds(180)))
        // The winner does not assert again on every packet.
        let again = s.handle(.dataOnOutgoingInterface, mine: Self.m(false, 110, 20, 1), now: t0 + .seconds(1))
        #expect(!again)
    }

    @Test func aBetterAssertMakesUsTheLoser() {
        var s = AssertState.winner(expires: t0 + .seconds(180))
        let theirs = Self.m(false, 110, 10, 2)
        let sent = s.handle(.receiveAssert(theirs), mine: Self.m(false, 110, 20, 1), now: t0)
        #expect(!sent)
        #expect(s == .loser(winner: theirs, expires: t0 + .seconds(180)))
        let sentAtExpiry = s.handle(.timerExpired, mine: Self.m(false, 110, 20, 1), now: t0 + .seconds(180))
        #expect(!sentAtExpiry)
        #expect(s == .noInfo)
    }

    @Test func anInferiorAssertIsAnsweredAndWeWin() {
        var s = AssertState.noInfo
        let sent = s.handle(.receiveAssert(Self.m(false, 110, 30, 9)), mine: Self.m(false, 110, 20, 1), now: t0)
        #expect(sent)
        #expect(s.isWinner)
    }
}
