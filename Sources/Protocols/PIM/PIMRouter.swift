import Engine
import Fabric
import Wire

/// `debug ip pim`: Hellos, Join/Prunes, Registers and Asserts a router sends and receives (bits 24–31 are PIM's).
extension DebugFlag {
    public static let ipPIM = DebugFlag(bit: 24)
}

/// PIM-SM (RFC 7761) on a router, as IOS runs it (ios-behavior.md §8): neighbors and DR election on each PIM
/// interface, a static RP, (*,G) and (S,G) tree state built from IGMP members and received Join/Prunes, Register
/// encapsulation at the source's DR and decapsulation at the RP, the last hop's switch to the SPT, and Asserts.
///
/// The router keeps its own tree state (`entries`) and writes each entry's forwarding view into the node's
/// multicast forwarding table after every event (`PIMRouter+Tree.swift`). The machines of `PIMNeighbors.swift`
/// and `PIMTreeState.swift` perform no I/O; this class turns what they ask for into datagrams, timers and logs.
/// Timers: one Hello timer per interface, the periodic Join/Prune timer (60 s, all upstream state in one message
/// per neighbor, as IOS batches it), and one sweep timer armed at the earliest deadline of all other state
/// (neighbor liveness, downstream expiry and prune-pending, keepalive, register-stop, assert, IGMP expiry).
public final class PIMRouter: ControlPlaneProtocol, IGMPMembershipListener {
    public let ipProtocol = IPProtocol.pim
    public internal(set) var settings: PIMSettings
    /// The PIM interfaces by name, with sparse-dense marked (from `IGMPSettings`, where the mode commands live).
    let modes: [String: Bool]
    public internal(set) var interfaces: [PIMInterface] = []
    public internal(set) var entries: [MulticastRouteKey: TreeEntry] = [:]
    var random: RandomStream
    var started = false
    /// Join/Prune contents waiting to be sent at the end of the current event, per upstream neighbor and group.
    var pendingJoinPrunes: [UpstreamTarget: [IPv4Address: PIMJoinPrune.Group]] = [:]
    var sweepAt: SimTime?
    /// Each group's RP as the last update found it (0.0.0.0: none).
    var rpCache: [IPv4Address: IPv4Address] = [:]

    static let joinPruneToken: UInt32 = 1, sweepToken: UInt32 = 2, helloTokenBase: UInt32 = 1 << 20

    /// - Parameters:
    ///   - modes: the PIM interfaces by name, true for `sparse-dense-mode`.
    public init(settings: PIMSettings, modes: [String: Bool], seed: UInt64, hostname: String) {
        self.settings = settings
        self.modes = modes
        random = RandomStream(seed: seed, label: "pim:\(hostname)")
    }

    /// Where PIM runs: interfaces with `ip pim sparse-mode` or `sparse-dense-mode`, with multicast routing on.
    public static func modes(_ igmp: IGMPSettings) -> [String: Bool] {
        guard igmp.multicastRouting else { return [:] }
        var out: [String: Bool] = [:]
        for (name, s) in igmp.interfaces where s.pimSparseMode || s.pimSparseDenseMode { out[name] = s.pimSparseDenseMode }
        return out
    }

    func pimInterface(_ index: Int) -> Int? { interfaces.firstIndex { $0.index == index } }

    // MARK: - Lifecycle

    public func start(_ context: ControlPlaneContext) {
        guard !started else { return }
        started = true
        for (index, nodeInterface) in context.interfaces.enumerated() {
            guard let sparseDense = modes[nodeInterface.name], let primary = nodeInterface.primary else { continue }
            let s = settings.interfaces[nodeInterface.name] ?? PIMInterfaceSettings()
            var i = PIMInterface(index: index, name: nodeInterface.name, address: primary.address, prefix: primary.prefix,
                                 drPriority: s.drPriority ?? 1,
                                 helloPeriod: .seconds(Int64(s.queryIntervalSeconds ?? 30)),
                                 generationID: UInt32(truncatingIfNeeded: random.next()))
            i.sparseDense = sparseDense
            interfaces.append(i)
        }
        for k in interfaces.indices where context.isUp(interfaces[k].index) { bringUp(k, context) }
        context.arm(token: Self.joinPruneToken, at: context.now + PIMTimers.joinPrunePeriod)
        update(context)
    }

    /// PIM stops on the router (its configuration went): a Hello with holdtime 0 on each interface (RFC 7761
    /// §4.3.1), Prunes for the upstream state, and the forwarding entries it wrote are removed.
    public func stop(_ context: ControlPlaneContext) {
        for (key, e) in entries.sorted(by: { $0.key < $1.key }) {
            if let up = e.upstream { queue(prune: source(of: e), group: key.group, to: up) }
        }
        flushJoinPrunes(context)
        for k in interfaces.indices where interfaces[k].isUp {
            sendHello(k, goodbye: true, context)
        }
        for key in entries.keys { context.node.removeMulticastRoute(source: key.source, group: key.group) }
        entries = [:]
        started = false
    }

    func bringUp(_ k: Int, _ context: ControlPlaneContext) {
        var actions: [PIMInterfaceAction] = []
        interfaces[k].comeUp(actions: &actions)
        run(actions, k, context)
        // RFC 7761 §4.3.1: the first Hello within Triggered_Hello_Delay, drawn from the router's seeded stream.
        armHello(k, within: PIMTimers.triggeredHelloDelay, context)
    }

    func armHello(_ k: Int, within delay: SimDuration, _ context: ControlPlaneContext) {
        let bound = UInt64(max(1, delay.nanoseconds / 1_000_000))
        let at = context.now + .milliseconds(Int64(random.next(below: bound)))
        context.arm(token: Self.helloTokenBase | UInt32(interfaces[k].index), at: at)
    }

    // MARK: - Callbacks

    public func interfaceChanged(_ interface: Int, up: Bool, _ context: ControlPlaneContext) {
        guard started, let k = pimInterface(interface) else { return }
        if up {
            guard !interfaces[k].isUp else { return }
            bringUp(k, context)
        } else {
            var actions: [PIMInterfaceAction] = []
            interfaces[k].goDown(actions: &actions)
            run(actions, k, context)
            context.cancel(token: Self.helloTokenBase | UInt32(interface))
            // The interface's downstream, (S,G,rpt) and assert state goes with it.
            for key in entries.keys {
                entries[key]?.downstream[interface] = nil
                entries[key]?.rptPrunes[interface] = nil
                entries[key]?.asserts[interface] = nil
            }
        }
        update(context)
    }

    public func routesChanged(_ changes: [RouteChange], _ context: ControlPlaneContext) {
        // RFC 7761 §4.5.7 "RPF'(*,G) / RPF'(S,G) changes": every entry's RPF is evaluated afresh.
        guard started else { return }
        update(context)
    }

    func igmpMembershipChanged(interface: Int?, group: IPv4Address?, _ context: ControlPlaneContext) {
        guard started else { return }
        if let group, entries[MulticastRouteKey(source: .any, group: group)] == nil, !group.isLinkLocalMulticast {
            entries[MulticastRouteKey(source: .any, group: group)] = TreeEntry(key: MulticastRouteKey(source: .any, group: group),
                                                                               created: context.now)
        }
        update(context)
    }

    public func timerFired(token: UInt32, _ context: ControlPlaneContext) {
        guard started else { return }
        switch token {
        case Self.joinPruneToken:
            sendPeriodicJoinPrunes(context)
            context.arm(token: Self.joinPruneToken, at: context.now + PIMTimers.joinPrunePeriod)
        case Self.sweepToken:
            sweepAt = nil
            sweep(context)
        default:
            guard token & Self.helloTokenBase != 0, let k = pimInterface(Int(token & ~Self.helloTokenBase)),
                  interfaces[k].isUp else { return }
            debug(context, "PIM(0): Send periodic v2 Hello on \(interfaces[k].name)")
            sendHello(k, goodbye: false, context)
            context.arm(token: token, at: context.now + interfaces[k].helloPeriod)
        }
    }

    public func receive(_ datagram: ReceivedDatagram, _ context: ControlPlaneContext) {
        guard started else { return }
        let message: PIMMessage
        do {
            message = try datagram.payload.withUnsafeBytes { bytes throws(WireError) in try PIMMessage(parsing: bytes) }
        } catch {
            return
        }
        let source = datagram.header.source
        switch message {
        case let .register(register):
            receiveRegister(register, from: source, to: datagram.header.destination, on: datagram.interface, context)
        case let .registerStop(stop):
            receiveRegisterStop(stop, from: source, on: datagram.interface, context)
        case let .hello(hello):
            guard let k = pimInterface(datagram.interface) else { return }
            debug(context, "PIM(0): Received v2 Hello on \(interfaces[k].name) from \(source)")
            var actions: [PIMInterfaceAction] = []
            interfaces[k].receiveHello(hello, from: source, now: context.now, actions: &actions)
            run(actions, k, context)
        case let .joinPrune(jp):
            guard let k = pimInterface(datagram.interface) else { return }
            receiveJoinPrune(jp, from: source, on: k, context)
        case let .assert(a):
            guard let k = pimInterface(datagram.interface) else { return }
            receiveAssert(a, from: source, on: k, context)
        case .other:
            return
        }
        update(context)
    }

    // MARK: - Neighbor actions

    func run(_ actions: [PIMInterfaceAction], _ k: Int, _ context: ControlPlaneContext) {
        let name = interfaces[k].name
        for action in actions {
            switch action {
            case let .neighborUp(address):
                context.network.log(context.node.id, "%PIM-5-NBRCHG: neighbor \(address) UP on interface \(name)")
            case let .neighborDown(address, reason):
                let why = switch reason {
                case .holdtimeExpired: " (hold-time expired)"
                case .goodbye: ""
                case .interfaceDown: " (interface down)"
                }
                context.network.log(context.node.id, "%PIM-5-NBRCHG: neighbor \(address) DOWN on interface \(name)\(why)")
            case .neighborRestarted:
                // RFC 7761 §4.3.1: a restarted neighbor lost our join state; the next periodic message restores it
                // at once (sent now rather than waiting up to 60 s).
                sendPeriodicJoinPrunes(context, only: interfaces[k].index)
            case let .drChanged(from, to):
                context.network.log(context.node.id,
                                    "%PIM-5-DRCHG: DR change from neighbor \(from) to \(to) on interface \(name)")
            case .triggerHello:
                armHello(k, within: PIMTimers.triggeredHelloDelay, context)
            }
        }
    }

    // MARK: - Sending

    func sendHello(_ k: Int, goodbye: Bool, _ context: ControlPlaneContext) {
        guard context.interfaces[interfaces[k].index].port != nil else { return }  // a loopback has no one to greet
        send(.hello(interfaces[k].hello(goodbye: goodbye)), to: PIMMessage.allPIMRouters, on: interfaces[k].index, context)
    }

    /// Link-local messages leave by `interface` with TTL 1; Registers and Register-Stops are routed (TTL 255) from
    /// the outgoing interface's address, as IOS sends them without `ip pim register-source` (not modelled).
    func send(_ message: PIMMessage, to destination: IPv4Address, on interface: Int?, _ context: ControlPlaneContext) {
        if let interface {
            context.send(message.encoded(), to: destination, on: interface, ttl: 1, tos: 0xC0)
        } else {
            context.send(message.encoded(), to: destination, ttl: 255, tos: 0)
        }
    }

    func debug(_ context: ControlPlaneContext, _ text: @autoclosure () -> String) {
        context.network.debug(context.node.id, .ipPIM, text())
    }

    func interfaceName(_ index: Int, _ context: ControlPlaneContext) -> String {
        index < context.interfaces.count ? context.interfaces[index].name : "Null"
    }
}
