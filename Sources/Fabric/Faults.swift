import Engine
import Wire

/// What a scenario's `impair` does to the frames leaving one port: lost with a probability, delayed by
/// a fixed amount plus a uniform jitter. Frames stay in order on the line (a real link does not reorder):
/// a frame never arrives before the one sent ahead of it.
public struct LinkImpairment: Sendable, Equatable {
    /// Probability in [0, 1] that a frame is lost.
    public var loss: Double
    public var delay: SimDuration
    /// Each frame's extra delay is `delay` ± up to `jitter`, uniformly, never below zero.
    public var jitter: SimDuration

    public init(loss: Double = 0, delay: SimDuration = .zero, jitter: SimDuration = .zero) {
        self.loss = loss; self.delay = delay; self.jitter = jitter
    }

    public var isNone: Bool { loss <= 0 && delay == .zero && jitter == .zero }
}

/// The protocols a scenario's `block` can drop on an interface, as bits of a port's block masks.
public enum BlockedProtocol: String, CaseIterable, Sendable {
    case arp, icmp, igmp, tcp, udp, ospf, pim, ip

    public var bit: UInt16 { 1 << UInt16(Self.allCases.firstIndex(of: self)!) }

    /// The bits a frame matches: its EtherType (after an 802.1Q tag) and, for IPv4, its protocol.
    /// `ip` matches every IPv4 packet.
    static func bits(of bytes: UnsafeRawBufferPointer) -> UInt16 {
        guard let type = FrameView.etherType(bytes) else { return 0 }
        if type == .arp { return BlockedProtocol.arp.bit }
        guard type == .ipv4, let offset = FrameView.payloadOffset(bytes), bytes.count > offset + 9 else { return 0 }
        let p: BlockedProtocol? = switch bytes[offset + 9] {
        case 1: .icmp
        case 2: .igmp
        case 6: .tcp
        case 17: .udp
        case 89: .ospf
        case 103: .pim
        default: nil
        }
        return BlockedProtocol.ip.bit | (p?.bit ?? 0)
    }
}

/// An impaired direction's state: the impairment, its own seeded stream, and the last arrival it gave.
struct ImpairmentState {
    var impairment: LinkImpairment
    var random: RandomStream
    var lastArrival = SimTime.zero
}

extension Network {
    /// Sets (or with a `none` impairment removes) what happens to frames sent out of `port`.
    /// Each port has its own stream derived from the seed and the port's name, so a run is reproducible
    /// and impairing one link does not change the draws on another.
    public func impair(_ portID: PortID, _ impairment: LinkImpairment) {
        let port = ports[portID.index]
        if impairment.isNone {
            port.impairmentIndex = -1
            return
        }
        if port.impairmentIndex >= 0 {
            impairments[Int(port.impairmentIndex)].impairment = impairment
            return
        }
        let label = "impair:\(devices[port.node.index].name):\(port.name)"
        impairments.append(ImpairmentState(impairment: impairment, random: RandomStream(seed: seed, label: label)))
        port.impairmentIndex = Int32(impairments.count - 1)
    }

    /// The impairment on frames leaving `port`, if any.
    public func impairment(of portID: PortID) -> LinkImpairment? {
        let i = ports[portID.index].impairmentIndex
        return i >= 0 ? impairments[Int(i)].impairment : nil
    }

    /// A frame on an impaired line: lost (it was sent and counted, it does not arrive), or delivered later.
    func sendImpaired(_ frame: FrameHandle, from port: Port, to peer: PortID, after base: SimDuration) {
        let index = Int(port.impairmentIndex)
        let i = impairments[index].impairment
        if i.loss > 0, impairments[index].random.nextUnit() < i.loss {
            drop(frame, .linkLoss)
            return
        }
        var extra = i.delay.nanoseconds
        if i.jitter > .zero {
            let span = UInt64(i.jitter.nanoseconds) * 2 + 1
            extra += Int64(impairments[index].random.next(below: span)) - i.jitter.nanoseconds
        }
        var arrival = now + base + SimDuration(nanoseconds: max(0, extra))
        if arrival < impairments[index].lastArrival { arrival = impairments[index].lastArrival }
        impairments[index].lastArrival = arrival
        sim.schedule(.frameArrives(peer, frame), at: arrival)
    }

    /// Drops the protocols in `protocols` on a port, in the directions given (`block`), or lets them
    /// through again (`unblock`: `blocking: false`).
    public func block(_ portID: PortID, _ protocols: [BlockedProtocol], input: Bool, output: Bool, blocking: Bool = true) {
        let port = ports[portID.index]
        let mask = protocols.reduce(UInt16(0)) { $0 | $1.bit }
        if input { port.blockedInput = blocking ? port.blockedInput | mask : port.blockedInput & ~mask }
        if output { port.blockedOutput = blocking ? port.blockedOutput | mask : port.blockedOutput & ~mask }
    }

    /// True when a blocked protocol matches the frame.
    func isBlocked(_ frame: FrameHandle, mask: UInt16) -> Bool {
        BlockedProtocol.bits(of: frames.unsafeBytes(frame)) & mask != 0
    }

    /// The field fault: the port's interface ignores every ARP reply from now on (the line stays up,
    /// frames are counted in) until the device is reloaded.
    public func ignoreARPReplies(on portID: PortID) {
        ports[portID.index].ignoresARPReplies = true
    }
}
