import Engine
import Wire

/// How a source spaces its packets.
public enum TrafficPattern: Equatable, Sendable {
    /// Constant bit rate: one packet every `interval`.
    case constant(interval: SimDuration)
    /// Poisson arrivals with the given mean gap.
    case poisson(meanInterval: SimDuration)
    /// Bursts: constant rate for `on`, silent for `off`, repeating.
    case onOff(interval: SimDuration, on: SimDuration, off: SimDuration)
}

/// A UDP traffic flow of a scenario, as a typed value.
public struct FlowSpec: Equatable, Sendable {
    public var name: String
    public var source: NodeID
    public var destination: IPv4Address
    public var pattern: TrafficPattern
    /// Bytes of each IP datagram (header included), as IOS and iperf count "packet size".
    public var packetSize: Int
    public var tos: UInt8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var start: SimTime
    public var stop: SimTime

    public init(name: String, source: NodeID, destination: IPv4Address, pattern: TrafficPattern, packetSize: Int,
                tos: UInt8 = 0, sourcePort: UInt16 = 5000, destinationPort: UInt16 = 5001,
                start: SimTime = .zero, stop: SimTime = .distantFuture) {
        self.name = name; self.source = source; self.destination = destination; self.pattern = pattern
        self.packetSize = packetSize; self.tos = tos; self.sourcePort = sourcePort; self.destinationPort = destinationPort
        self.start = start; self.stop = stop
    }

    /// The smallest datagram that carries a flow stamp: IP 20 + UDP 8 + stamp 24.
    public static let minimumPacketSize = 20 + 8 + FlowStamp.length
}

/// The stamp a traffic source writes at the start of each UDP payload, as iperf-like generators do:
/// "WLAB", flow index, sequence number, send time (big-endian).
struct FlowStamp {
    static let length = 24
    static let magic: UInt32 = 0x574C_4142  // "WLAB"
    var flow: UInt32
    var sequence: UInt64
    var sentAt: SimTime

    init(flow: UInt32, sequence: UInt64, sentAt: SimTime) {
        self.flow = flow; self.sequence = sequence; self.sentAt = sentAt
    }

    init?(reading bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard bytes.count >= offset + Self.length else { return nil }
        func be(_ o: Int, _ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<n { v = v << 8 | UInt64(bytes[offset + o + k]) }
            return v
        }
        guard be(0, 4) == UInt64(Self.magic) else { return nil }
        flow = UInt32(be(4, 4))
        sequence = be(8, 8)
        sentAt = SimTime(nanoseconds: Int64(bitPattern: be(16, 8)))
    }

    func write(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        func put(_ o: Int, _ n: Int, _ v: UInt64) {
            for k in 0..<n { bytes[offset + o + k] = UInt8(truncatingIfNeeded: v >> UInt64(8 * (n - 1 - k))) }
        }
        put(0, 4, UInt64(Self.magic))
        put(4, 4, UInt64(flow))
        put(8, 8, sequence)
        put(16, 8, UInt64(bitPattern: sentAt.nanoseconds))
    }
}

/// A log-linear histogram of durations (HDR-style: 64 sub-buckets per power of two, under 1.6 % error),
/// fixed-size so recording allocates nothing.
public struct LatencyHistogram: Sendable {
    var counts = [UInt64](repeating: 0, count: 128 + 57 * 64)
    public private(set) var count: UInt64 = 0
    public private(set) var minimum = SimDuration(nanoseconds: .max)
    public private(set) var maximum = SimDuration.zero

    public init() {}

    static func bucket(_ v: UInt64) -> Int {
        if v < 128 { return Int(v) }
        let k = 63 - v.leadingZeroBitCount
        return 128 + (k - 7) * 64 + Int((v >> UInt64(k - 6)) - 64)
    }

    static func lowerBound(_ b: Int) -> UInt64 {
        if b < 128 { return UInt64(b) }
        let k = (b - 128) / 64 + 7
        let sub = UInt64((b - 128) % 64 + 64)
        return sub << UInt64(k - 6)
    }

    public mutating func record(_ d: SimDuration) {
        let v = UInt64(max(0, d.nanoseconds))
        counts[Self.bucket(v)] &+= 1
        count &+= 1
        if d < minimum { minimum = d }
        if d > maximum { maximum = d }
    }

    /// The value below which `p` percent of the samples lie (bucket midpoint, clamped to min/max).
    public func percentile(_ p: Double) -> SimDuration? {
        guard count > 0 else { return nil }
        let rank = max(1, UInt64((p / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (b, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank {
                let low = Self.lowerBound(b), high = Self.lowerBound(b + 1)
                let mid = Int64((low + high - 1) / 2)
                return SimDuration(nanoseconds: min(max(mid, minimum.nanoseconds), maximum.nanoseconds))
            }
        }
        return maximum
    }
}

/// What one member of a group received of a multicast flow.
public struct FlowReceiver: Sendable {
    public var node: NodeID
    public internal(set) var delivered: UInt64 = 0
    public internal(set) var bytesDelivered: UInt64 = 0
    public internal(set) var delay = LatencyHistogram()
    /// RFC 3550 §6.4.1 interarrival jitter estimate.
    public internal(set) var jitter = SimDuration.zero
    var jitterAccumulator: Double = 0
    var lastTransit: Int64?
    public internal(set) var firstArrival: SimTime?
    public internal(set) var lastArrival: SimTime?

    public init(node: NodeID) { self.node = node }
}

/// A flow's source state and its statistics at the sink.
public struct Flow: Sendable {
    public var spec: FlowSpec
    public internal(set) var sent: UInt64 = 0
    public internal(set) var delivered: UInt64 = 0
    public internal(set) var bytesDelivered: UInt64 = 0
    /// Packets the source could not send (no route, ARP unresolved at the source...).
    public internal(set) var notSent: UInt64 = 0
    public internal(set) var delay = LatencyHistogram()
    /// RFC 3550 §6.4.1 interarrival jitter estimate.
    public internal(set) var jitter = SimDuration.zero
    var jitterAccumulator: Double = 0
    var lastTransit: Int64?
    public internal(set) var firstArrival: SimTime?
    public internal(set) var lastArrival: SimTime?
    public internal(set) var firstSent: SimTime?
    var nextSequence: UInt64 = 0
    /// Unicast packets that arrived after a later-sent packet of the flow had (reordered on the way).
    public internal(set) var outOfOrder: UInt64 = 0
    /// The next sequence number expected at the sink (one past the highest seen).
    var nextExpected: UInt64 = 0
    var random: RandomStream
    var burstStart: SimTime = .zero
    /// Frame template state: the next-hop MAC the source last resolved.
    var sink: NodeID?
    /// A flow to a group: each member that received any of it, in the order they first did. The flow's
    /// own counters (`delivered`, `delay`...) are then the group total, every copy counted.
    public internal(set) var receivers: [FlowReceiver] = []

    public var isMulticast: Bool { spec.destination.isMulticast }

    /// Copies the flow should have delivered: what was sent, once per receiver of a group.
    public var expected: UInt64 { isMulticast ? sent &* UInt64(max(1, receivers.count)) : sent }
    /// Packets (copies, for a group) sent but not delivered.
    public var lost: UInt64 { expected >= delivered ? expected - delivered : 0 }
    public var deliveredPercent: Double { expected == 0 ? 0 : Double(delivered) * 100 / Double(expected) }
    public var lostPercent: Double { expected == 0 ? 0 : Double(lost) * 100 / Double(expected) }

    /// What `node` received of a multicast flow (nothing, if it never received any).
    public func receiver(_ node: NodeID) -> FlowReceiver {
        receivers.first { $0.node == node } ?? FlowReceiver(node: node)
    }

    /// Delivered bits per second between the first send and the last arrival.
    public var throughputBitsPerSecond: Double {
        guard let first = firstSent, let last = lastArrival, last > first else { return 0 }
        return Double(bytesDelivered) * 8 / (last - first).seconds
    }
}

extension Network {
    /// Adds a traffic flow; its destination must be an address of some router or host.
    @discardableResult
    public func addFlow(_ spec: FlowSpec) -> FlowID {
        let id = FlowID(UInt32(flows.count))
        var flow = Flow(spec: spec, random: RandomStream(seed: seed, label: "flow:\(spec.name)"))
        flow.burstStart = spec.start
        if let sink = owner(of: spec.destination) {
            flow.sink = sink
            ipNode(sink)?.sinkFlows.insert(id.rawValue)
        }
        // A flow to an NLB cluster IP ends at whichever member takes it: every member sinks it.
        for case let .host(n) in devices where n.interfaces.contains(where: { $0.nlb?.clusterAddress == spec.destination }) {
            n.sinkFlows.insert(id.rawValue)
            if flow.sink == nil { flow.sink = n.id }
        }
        flows.append(flow)
        sim.schedule(.flowSend(id), at: spec.start)
        return id
    }

    /// The router or host that owns `address`.
    public func owner(of address: IPv4Address) -> NodeID? {
        for (i, d) in devices.enumerated() {
            if case let .router(n) = d, n.interfaces.contains(where: { $0.addresses.contains { $0.address == address } }) { return NodeID(i) }
            if case let .host(n) = d, n.interfaces.contains(where: { $0.addresses.contains { $0.address == address } }) { return NodeID(i) }
        }
        return nil
    }

    func flowSend(_ id: FlowID) {
        // Flows are mutated in place: copying one out would copy its histogram.
        let i = id.index
        let spec = flows[i].spec
        guard now < spec.stop, let node = ipNode(spec.source) else { return }
        let gap: SimDuration
        switch spec.pattern {
        case let .constant(interval):
            gap = interval
        case let .poisson(mean):
            gap = flows[i].random.exponential(mean: mean)
        case let .onOff(interval, on, off):
            let cycle = on + off
            let intoCycle = SimDuration(nanoseconds: (now - flows[i].burstStart).nanoseconds % max(1, cycle.nanoseconds))
            gap = intoCycle + interval >= on ? cycle - intoCycle : interval
        }
        let stamp = FlowStamp(flow: id.rawValue, sequence: flows[i].nextSequence, sentAt: now)
        flows[i].nextSequence &+= 1
        if flows[i].firstSent == nil { flows[i].firstSent = now }
        if node.sendFlowPacket(spec, stamp: stamp, network: self) { flows[i].sent &+= 1 } else { flows[i].notSent &+= 1 }
        // A gap of zero would never let virtual time advance (the loader keeps gaps at 10 ns or more;
        // a Poisson draw can still round to zero).
        let next = now + max(gap, SimDuration(nanoseconds: 1))
        if next < spec.stop { sim.schedule(.flowSend(id), at: next) }
    }

    func flowDelivered(_ stamp: FlowStamp, bytes: Int, at receiver: NodeID) {
        guard Int(stamp.flow) < flows.count else { return }
        let transit = now - stamp.sentAt
        let i = Int(stamp.flow)
        flows[i].recordArrival(transit: transit, bytes: bytes, at: now)
        guard flows[i].isMulticast else {
            if stamp.sequence < flows[i].nextExpected { flows[i].outOfOrder &+= 1 } else { flows[i].nextExpected = stamp.sequence &+ 1 }
            return
        }
        // A new member costs one allocation, at its first packet; later packets only count.
        let r = flows[i].receivers.firstIndex { $0.node == receiver } ?? {
            flows[i].receivers.append(FlowReceiver(node: receiver))
            return flows[i].receivers.count - 1
        }()
        flows[i].receivers[r].recordArrival(transit: transit, bytes: bytes, at: now)
    }

    /// Whether a datagram to `group` carrying flow `index`'s stamp belongs to that multicast flow.
    func isMulticastFlow(_ index: UInt32, to group: IPv4Address) -> Bool {
        Int(index) < flows.count && flows[Int(index)].spec.destination == group
    }
}

/// The per-receiver statistics a flow and each member of a multicast flow keep alike.
protocol ArrivalStatistics {
    var delivered: UInt64 { get set }
    var bytesDelivered: UInt64 { get set }
    var delay: LatencyHistogram { get set }
    var jitter: SimDuration { get set }
    var jitterAccumulator: Double { get set }
    var lastTransit: Int64? { get set }
    var firstArrival: SimTime? { get set }
    var lastArrival: SimTime? { get set }
}

extension ArrivalStatistics {
    mutating func recordArrival(transit: SimDuration, bytes: Int, at time: SimTime) {
        delivered &+= 1
        bytesDelivered &+= UInt64(bytes)
        delay.record(transit)
        if firstArrival == nil { firstArrival = time }
        lastArrival = time
        // RFC 3550 §6.4.1: J += (|D(i-1,i)| - J) / 16.
        if let previous = lastTransit {
            let d = Double(abs(transit.nanoseconds - previous))
            jitterAccumulator += (d - jitterAccumulator) / 16
            jitter = SimDuration(nanoseconds: Int64(jitterAccumulator.rounded()))
        }
        lastTransit = transit.nanoseconds
    }
}

extension FlowReceiver: ArrivalStatistics {}
extension Flow: ArrivalStatistics {}

extension IPNode {
    /// Builds one flow datagram straight into a pooled frame (no allocation) and sends it.
    func sendFlowPacket(_ spec: FlowSpec, stamp: FlowStamp, network: Network) -> Bool {
        let cached = cachedAdjacency(spec.destination, now: network.now)
        var out = cached?.0 ?? -1
        var nextHop = spec.destination
        if cached == nil {
            if spec.destination.isMulticast {
                // RFC 1112 §6.4: a group is sent to its own MAC, never to a gateway; by the route's interface,
                // or the first interface with an address when there is no route.
                let routed = routes.lookup(spec.destination)?.nextHops.first?.interface
                guard let o = routed ?? firstMulticastEgressInterface(network: network), isUp(o, network: network) else { return false }
                out = o
            } else {
                guard let route = routes.lookup(spec.destination), let hop = route.nextHops.first, let o = hop.interface,
                      isUp(o, network: network) else { return false }
                out = o
                nextHop = hop.gateway ?? spec.destination
            }
        }
        let source = interfaces[out].primary?.address ?? .any
        let payloadLength = max(FlowStamp.length, spec.packetSize - 28)
        let ip = IPv4Header(tos: spec.tos, identification: nextIdentification(), ttl: 255, protocolNumber: .udp,
                            source: source, destination: spec.destination, payloadLength: UDPHeader.encodedLength + payloadLength)
        let ethernet = EthernetHeader(destination: .zero, source: interfaces[out].sourceMAC, etherType: .ipv4)
        let udp = UDPHeader(sourcePort: spec.sourcePort, destinationPort: spec.destinationPort, payloadLength: payloadLength)
        let end = ethernet.encodedLength + ip.headerLength + UDPHeader.encodedLength + payloadLength
        let frame = network.frames.allocate(length: FrameBuilder.paddedLength(end))
        network.frames.withMutableBytes(frame) { bytes in
            let ipOffset = ethernet.encodedLength
            let udpOffset = ipOffset + ip.headerLength
            let payloadOffset = udpOffset + UDPHeader.encodedLength
            ethernet.emit(into: bytes)
            for k in payloadOffset..<bytes.count { bytes[k] = 0 }
            stamp.write(into: bytes, at: payloadOffset)
            udp.emit(into: UnsafeMutableRawBufferPointer(rebasing: bytes[udpOffset..<end]), source: source, destination: spec.destination)
            ip.emit(into: UnsafeMutableRawBufferPointer(rebasing: bytes[ipOffset...]))
        }
        if let (_, mac) = cached {
            finishAndTransmit(frame, nextHopMAC: mac, interface: out, network: network)
        } else if let mac = resolve(nextHop, on: out, holding: frame, network: network) {
            remember(spec.destination, interface: out, nextHop: nextHop, mac: mac)
            finishAndTransmit(frame, nextHopMAC: mac, interface: out, network: network)
        }
        return true
    }
}
