import Engine
import IOSConfig
import Wire

/// An IOS `ping`: echo requests one at a time, each waiting for its reply or the timeout.
struct PingSession {
    var target: IPv4Address
    var source: IPv4Address?
    var count: Int
    var size: Int
    var timeout: SimDuration
    var identifier: UInt16
    var sequence: UInt16 = 0
    var sentAt: SimTime = .zero
    var marks: String = ""
    var roundTrips: [SimDuration] = []
    var timer: TimerID?
    var done = false
    /// A ping to a group waits out each timeout and collects a reply from every member (IOS).
    var isMulticast: Bool { target.isMulticast }
    /// `Reply to request 0 from 10.2.0.2, 8 ms` lines of a multicast ping, and `.` for a request nobody answered.
    var replyLines: [String] = []
    var currentAnswered = false
}

/// An IOS `traceroute`: three UDP probes per TTL to ports from 33434, until the target answers.
struct TracerouteSession {
    var target: IPv4Address
    var maxTTL: Int = 30
    var probesPerHop = 3
    var timeout: SimDuration
    var ttl = 1
    var probe = 0
    var port: UInt16 = 33434
    var sentAt: SimTime = .zero
    var lines: [String] = []
    var current = ""
    var currentResponder: IPv4Address?
    var reachedTarget = false
    var timer: TimerID?
    var done = false
}

/// A ping or traceroute started by a scenario; read its output once it finishes.
public struct ProbeHandle: Hashable, Sendable {
    public var node: NodeID
    public var index: Int
    public var isTraceroute: Bool
}

extension IPNode {
    // MARK: - Ping

    func startPing(to target: IPv4Address, count: Int, size: Int, timeout: SimDuration, source: IPv4Address?,
                   network: Network) -> Int {
        let index = pings.count
        pings.append(PingSession(target: target, source: source, count: count, size: max(36, size), timeout: timeout,
                                 identifier: UInt16(truncatingIfNeeded: index + 1)))
        sendNextEcho(index, network: network)
        return index
    }

    func sendNextEcho(_ index: Int, network: Network) {
        var s = pings[index]
        guard s.marks.count < s.count else { s.done = true; pings[index] = s; return }
        s.sequence &+= 1
        s.sentAt = network.now
        // IOS "100-byte ICMP Echos": the whole IP datagram is 100 bytes; the data is IOS's 0xABCD pattern.
        let dataLength = s.size - 20 - 8
        let data = (0..<dataLength).map { $0 % 2 == 0 ? UInt8(0xAB) : UInt8(0xCD) }
        s.timer = armTimer(.pingTimeout(index), at: network.now + s.timeout, network: network)
        pings[index] = s
        let routed = sendDatagram(.icmp(.echoRequest(identifier: s.identifier, sequence: s.sequence, data: data)),
                                  to: s.target, from: s.source, network: network)
        if !routed {
            // No route: IOS prints '.' after the timeout as well; keep waiting for the timer.
        }
    }

    func pingReply(identifier: UInt16, sequence: UInt16, from: IPv4Address, network: Network) {
        guard let index = pings.firstIndex(where: { $0.identifier == identifier && !$0.done }),
              pings[index].sequence == sequence else { return }
        if pings[index].isMulticast {
            // IOS: every member's reply is printed as it comes; the next request waits for the timeout.
            let ms = (network.now - pings[index].sentAt).nanoseconds / 1_000_000
            pings[index].replyLines.append("Reply to request \(sequence - 1) from \(from), \(ms) ms")
            if !pings[index].currentAnswered { pings[index].roundTrips.append(network.now - pings[index].sentAt) }
            pings[index].currentAnswered = true
            return
        }
        if let t = pings[index].timer { cancelTimer(t); pings[index].timer = nil }
        pings[index].marks.append("!")
        pings[index].roundTrips.append(network.now - pings[index].sentAt)
        sendNextEcho(index, network: network)
    }

    func pingTimedOut(_ index: Int, network: Network) {
        pings[index].timer = nil
        if pings[index].isMulticast {
            if !pings[index].currentAnswered { pings[index].replyLines.append(".") }
            pings[index].marks.append(pings[index].currentAnswered ? "!" : ".")
            pings[index].currentAnswered = false
            sendNextEcho(index, network: network)
            return
        }
        pings[index].marks.append(".")
        sendNextEcho(index, network: network)
    }

    func pingUnreachable(identifier: UInt16, network: Network) {
        guard let index = pings.firstIndex(where: { $0.identifier == identifier && !$0.done }) else { return }
        if let t = pings[index].timer { cancelTimer(t); pings[index].timer = nil }
        pings[index].marks.append("U")
        sendNextEcho(index, network: network)
    }

    /// The IOS output of a ping session (complete once it has finished).
    func pingOutput(_ index: Int) -> String {
        let s = pings[index]
        var lines = ["Type escape sequence to abort.",
                     "Sending \(s.count), \(s.size)-byte ICMP Echos to \(s.target), timeout is \(s.timeout.nanoseconds / 1_000_000_000) seconds:"]
        if let source = s.source { lines.append("Packet sent with a source address of \(source) ") }
        if s.isMulticast {
            // IOS prints a blank line, then the replies; no success-rate line for a group.
            return (lines + [""] + s.replyLines).joined(separator: "\n")
        }
        lines.append(s.marks)
        let ok = s.roundTrips.count
        let rate = s.count == 0 ? 0 : ok * 100 / s.count
        if ok > 0 {
            let ms = s.roundTrips.map { $0.nanoseconds / 1_000_000 }
            let avg = ms.reduce(0, +) / Int64(ms.count)
            lines.append("Success rate is \(rate) percent (\(ok)/\(s.count)), round-trip min/avg/max = \(ms.min()!)/\(avg)/\(ms.max()!) ms")
        } else {
            lines.append("Success rate is \(rate) percent (\(ok)/\(s.count))")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - Traceroute

    func startTraceroute(to target: IPv4Address, timeout: SimDuration, maxTTL: Int, network: Network) -> Int {
        let index = traceroutes.count
        traceroutes.append(TracerouteSession(target: target, maxTTL: maxTTL, timeout: timeout))
        sendProbe(index, network: network)
        return index
    }

    func sendProbe(_ index: Int, network: Network) {
        var s = traceroutes[index]
        s.sentAt = network.now
        s.port &+= 1
        s.timer = armTimer(.tracerouteTimeout(index), at: network.now + s.timeout, network: network)
        traceroutes[index] = s
        sendDatagram(.udp(sourcePort: 49152 &+ UInt16(truncatingIfNeeded: index), destinationPort: s.port, data: [UInt8](repeating: 0, count: 12)),
                     to: s.target, from: nil, ttl: UInt8(s.ttl), network: network)
    }

    func icmpErrorReceived(quoted: [UInt8], from responder: IPv4Address, unreachable: ICMPUnreachableCode?, network: Network) {
        guard quoted.count >= 28 else { return }
        let ihl = Int(quoted[0] & 0x0F) * 4
        guard quoted.count >= ihl + 8 else { return }
        let proto = quoted[9]
        if proto == IPProtocol.icmp.rawValue {
            let identifier = UInt16(quoted[ihl + 4]) << 8 | UInt16(quoted[ihl + 5])
            if quoted[ihl] == 8 { pingUnreachable(identifier: identifier, network: network) }
            return
        }
        guard proto == IPProtocol.udp.rawValue else { return }
        let port = UInt16(quoted[ihl + 2]) << 8 | UInt16(quoted[ihl + 3])
        guard let index = traceroutes.firstIndex(where: { !$0.done && $0.port == port }) else { return }
        if let t = traceroutes[index].timer { cancelTimer(t); traceroutes[index].timer = nil }
        let ms = (network.now - traceroutes[index].sentAt).nanoseconds / 1_000_000
        if traceroutes[index].currentResponder != responder {
            traceroutes[index].current += (traceroutes[index].current.isEmpty ? "" : " ") + "\(responder)"
            traceroutes[index].currentResponder = responder
        }
        traceroutes[index].current += " \(ms) msec"
        if unreachable == .port || responder == traceroutes[index].target { traceroutes[index].reachedTarget = true }
        probeFinished(index, network: network)
    }

    func tracerouteTimedOut(_ index: Int, network: Network) {
        traceroutes[index].timer = nil
        traceroutes[index].current += traceroutes[index].current.isEmpty ? "*" : " *"
        probeFinished(index, network: network)
    }

    func probeFinished(_ index: Int, network: Network) {
        var s = traceroutes[index]
        s.probe += 1
        if s.probe == s.probesPerHop {
            s.lines.append(String(repeating: " ", count: s.ttl < 10 ? 2 : 1) + "\(s.ttl) " + s.current)
            s.current = ""
            s.currentResponder = nil
            s.probe = 0
            s.ttl += 1
            if s.reachedTarget || s.ttl > s.maxTTL { s.done = true; traceroutes[index] = s; return }
        }
        traceroutes[index] = s
        sendProbe(index, network: network)
    }

    func tracerouteOutput(_ index: Int) -> String {
        let s = traceroutes[index]
        return (["Type escape sequence to abort.", "Tracing the route to \(s.target)",
                 "VRF info: (vrf in name/id, vrf out name/id)"] + s.lines).joined(separator: "\n")
    }
}

extension Network {
    /// Starts an IOS-style ping from a router or host.
    public func ping(from node: NodeID, to target: IPv4Address, count: Int = 5, size: Int = 100,
                     timeout: SimDuration = .seconds(2), source: IPv4Address? = nil) -> ProbeHandle? {
        guard let n = ipNode(node) else { return nil }
        let i = n.startPing(to: target, count: count, size: size, timeout: timeout, source: source, network: self)
        return ProbeHandle(node: node, index: i, isTraceroute: false)
    }

    /// The address a ping's `source` names on `node` (IOS `ping 239.1.1.1 source Loopback0`): an address as it
    /// is, or an interface of the node in its full or short form (`Loopback0`, `Lo0`), its primary address.
    /// Nil when it is neither, or the interface has no address.
    public func pingSource(_ text: String, on node: NodeID) -> IPv4Address? {
        if let address = IPv4Address(text) { return address }
        guard let n = ipNode(node) else { return nil }
        return n.interfaces.first { InterfaceName.matches(text, $0.name) }?.primary?.address
    }

    /// Starts an IOS-style traceroute (3 probes per hop, 3 s timeout).
    public func traceroute(from node: NodeID, to target: IPv4Address, timeout: SimDuration = .seconds(3),
                           maxTTL: Int = 30) -> ProbeHandle? {
        guard let n = ipNode(node) else { return nil }
        let i = n.startTraceroute(to: target, timeout: timeout, maxTTL: maxTTL, network: self)
        return ProbeHandle(node: node, index: i, isTraceroute: true)
    }

    /// The IOS output of a ping or traceroute, and whether it has finished.
    public func output(of probe: ProbeHandle) -> (text: String, finished: Bool) {
        guard let n = ipNode(probe.node) else { return ("", true) }
        if probe.isTraceroute { return (n.tracerouteOutput(probe.index), n.traceroutes[probe.index].done) }
        return (n.pingOutput(probe.index), n.pings[probe.index].done)
    }

    /// Success rate of a finished ping, in percent.
    public func pingSuccessPercent(_ probe: ProbeHandle) -> Int? {
        guard !probe.isTraceroute, let n = ipNode(probe.node) else { return nil }
        let s = n.pings[probe.index]
        return s.count == 0 ? 0 : s.roundTrips.count * 100 / s.count
    }

    public func ipNode(_ node: NodeID) -> IPNode? {
        switch devices[node.index] {
        case let .router(n), let .host(n): return n
        case .l2switch: return nil
        }
    }
}
