import Engine
import Testing
import Wire
@testable import Protocols

/// A PIM interface 10.1.12.1/24, up, alone.
func pimInterface(priority: UInt32 = 1) -> PIMInterface {
    var i = PIMInterface(index: 0, name: "Ethernet0/0", address: IPv4Address(10, 1, 12, 1),
                         prefix: IPv4Prefix(IPv4Address(10, 1, 12, 0), length: 24), drPriority: priority, generationID: 7)
    var actions: [PIMInterfaceAction] = []
    i.comeUp(actions: &actions)
    return i
}

func hello(priority: UInt32? = 1, genID: UInt32? = 1, holdtime: UInt16 = 105) -> PIMHello {
    PIMHello(holdtime: holdtime, drPriority: priority, generationID: genID)
}

let t0 = SimTime.zero + .seconds(100)

@Suite struct PIMNeighborTests {
    // RFC 7761 §4.3.2: highest priority, then highest address; no priority option anywhere → address only.
    @Test(arguments: [
        ([(1, 1), (2, 1), (3, 1)], 3),
        ([(1, 5), (2, 1), (3, 1)], 1),
        ([(1, 5), (2, 5), (3, 1)], 2),
        ([(1, 0), (2, 0), (3, 0)], 3),
        ([(1, 9), (2, nil), (3, 1)], 3),  // router 2 sends no DR Priority: priorities are ignored
    ] as [([(UInt8, UInt32?)], UInt8)])
    func drIsTheHighestPriorityThenTheHighestAddress(routers: [(UInt8, UInt32?)], expected: UInt8) {
        let me = routers[0]
        let neighbors = routers.dropFirst().map {
            PIMNeighbor(address: IPv4Address(10, 0, 0, $0.0), uptime: .zero, expires: nil, drPriority: $0.1, generationID: 1)
        }
        #expect(PIMInterface.electDR(me: IPv4Address(10, 0, 0, me.0), priority: me.1 ?? 1, neighbors: neighbors)
                == IPv4Address(10, 0, 0, expected))
    }

    @Test func aRouterAloneIsTheDRFromZero() {
        var i = PIMInterface(index: 0, name: "Ethernet0/0", address: IPv4Address(10, 1, 12, 1),
                             prefix: IPv4Prefix(IPv4Address(10, 1, 12, 0), length: 24), generationID: 7)
        var actions: [PIMInterfaceAction] = []
        i.comeUp(actions: &actions)
        #expect(actions == [.drChanged(from: .any, to: IPv4Address(10, 1, 12, 1))])
        #expect(i.isDR)
    }

    @Test func aHelloFromAHigherAddressPreemptsTheDR() {
        // RFC 7761 §4.3.2: the election runs on every Hello; a higher address takes over at once (preemptive).
        var i = pimInterface()
        var actions: [PIMInterfaceAction] = []
        i.receiveHello(hello(), from: IPv4Address(10, 1, 12, 2), now: t0, actions: &actions)
        #expect(actions == [.neighborUp(IPv4Address(10, 1, 12, 2)), .triggerHello,
                            .drChanged(from: IPv4Address(10, 1, 12, 1), to: IPv4Address(10, 1, 12, 2))])
        #expect(i.neighbors.first?.expires == t0 + .seconds(105))
    }

    @Test func aHigherPriorityBeatsAHigherAddressAndAPriorityChangeReElects() {
        var i = pimInterface(priority: 10)
        var actions: [PIMInterfaceAction] = []
        i.receiveHello(hello(priority: 1), from: IPv4Address(10, 1, 12, 2), now: t0, actions: &actions)
        #expect(i.isDR)
        actions = []
        i.receiveHello(hello(priority: 20), from: IPv4Address(10, 1, 12, 2), now: t0 + .seconds(30), actions: &actions)
        #expect(actions == [.drChanged(from: IPv4Address(10, 1, 12, 1), to: IPv4Address(10, 1, 12, 2))])
        actions = []
        i.setDRPriority(30, actions: &actions)
        #expect(actions == [.drChanged(from: IPv4Address(10, 1, 12, 2), to: IPv4Address(10, 1, 12, 1))])
    }

    @Test func aNeighborExpiresAfterItsHoldtime() {
        // RFC 7761 §4.3.1: the Neighbor Liveness Timer runs for the Hello's holdtime.
        var i = pimInterface()
        var actions: [PIMInterfaceAction] = []
        i.receiveHello(hello(), from: IPv4Address(10, 1, 12, 2), now: t0, actions: &actions)
        actions = []
        i.expireNeighbors(now: t0 + .seconds(104), actions: &actions)
        #expect(actions.isEmpty)
        i.expireNeighbors(now: t0 + .seconds(105), actions: &actions)
        #expect(actions == [.neighborDown(IPv4Address(10, 1, 12, 2), .holdtimeExpired),
                            .drChanged(from: IPv4Address(10, 1, 12, 2), to: IPv4Address(10, 1, 12, 1))])
        #expect(i.neighbors.isEmpty)
    }

    @Test func aNewGenerationIDIsARestart() {
        // RFC 7761 §4.3.1: a changed Generation ID means the neighbor rebooted and lost its state.
        var i = pimInterface()
        var actions: [PIMInterfaceAction] = []
        i.receiveHello(hello(genID: 1), from: IPv4Address(10, 1, 12, 2), now: t0, actions: &actions)
        actions = []
        i.receiveHello(hello(genID: 1), from: IPv4Address(10, 1, 12, 2), now: t0 + .seconds(30), actions: &actions)
        #expect(actions.isEmpty)
        i.receiveHello(hello(genID: 2), from: IPv4Address(10, 1, 12, 2), now: t0 + .seconds(60), actions: &actions)
        #expect(actions == [.neighborRestarted(IPv4Address(10, 1, 12, 2)), .triggerHello])
        #expect(i.neighbors.first?.uptime == t0 + .seconds(60))
    }

    @Test func holdtimeZeroIsAGoodbye() {
        var i = pimInterface()
        var actions: [PIMInterfaceAction] = []
        i.receiveHello(hello(), from: IPv4Address(10, 1, 12, 2), now: t0, actions: &actions)
        actions = []
        i.receiveHello(hello(holdtime: 0), from: IPv4Address(10, 1, 12, 2), now: t0 + .seconds(1), actions: &actions)
        #expect(actions == [.neighborDown(IPv4Address(10, 1, 12, 2), .goodbye),
                            .drChanged(from: IPv4Address(10, 1, 12, 2), to: IPv4Address(10, 1, 12, 1))])
    }

    @Test func ourHelloCarriesHoldtimeThreeAndAHalfPeriods() {
        // RFC 7761 §4.11 Default_Hello_Holdtime = 3.5 × Hello_Period; goodbye holdtime 0.
        var i = pimInterface(priority: 5)
        #expect(i.hello().holdtime == 105)
        #expect(i.hello().drPriority == 5)
        #expect(i.hello().generationID == 7)
        #expect(i.hello(goodbye: true).holdtime == 0)
        i.helloPeriod = .seconds(10)
        #expect(i.hello().holdtime == 35)
    }
}
