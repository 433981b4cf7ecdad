#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import QoS
import Wire

/// A point-to-point, full-duplex link between two ports.
public struct Link: Sendable {
    public let id: LinkID
    public let a: PortID
    public let b: PortID
    public var bandwidth: Bandwidth
    public var delay: SimDuration
    public var mtu: Int
    /// False while a scenario holds the link down (cable pulled).
    public var isUp = true

    public init(id: LinkID, a: PortID, b: PortID, bandwidth: Bandwidth, delay: SimDuration, mtu: Int) {
        self.id = id; self.a = a; self.b = b
        self.bandwidth = bandwidth; self.delay = delay; self.mtu = mtu
    }

    /// `bandwidth.transmissionTime(bytes:)`, bit for bit: ⌈bits × 10⁹ / rate⌉ in 64-bit arithmetic
    /// whenever bits × 10⁹ fits (every real frame), the 128-bit formula otherwise.
    @inline(__always)
    func serializationTime(bytes: Int) -> SimDuration {
        let rate = bandwidth.bitsPerSecond
        let (scaled, overflow) = (Int64(bytes) &* 8).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, scaled >= 0, rate > 0, bytes >= 0, bytes <= Int(Int64.max / 8) else {
            return bandwidth.transmissionTime(bytes: bytes)
        }
        let (q, r) = scaled.quotientAndRemainder(dividingBy: rate)
        return SimDuration(nanoseconds: r > 0 ? q + 1 : q)
    }
}

/// A physical interface: line state, the output queue, serialization and IOS-style counters.
public final class Port {
    public let id: PortID
    public let node: NodeID
    /// Canonical IOS name, e.g. `GigabitEthernet0/1`.
    public let name: String
    public var mac: MACAddress
    public internal(set) var link: LinkID?
    /// `no shutdown` (true) or `shutdown`.
    public internal(set) var adminUp = true
    /// Err-disabled (storm control with `action shutdown`): down until `shutdown`, `no shutdown`.
    public internal(set) var errDisabled = false
    /// The `shutdownCount` of the settings last applied (a new `shutdown` clears `errDisabled`).
    var appliedShutdownCount = 0
    /// The device is switched off (a scenario's `stop`, or a `reload` still booting).
    public internal(set) var poweredOff = false
    /// Enabled: administratively up, not err-disabled, the device on; the line comes up when both ends are.
    public var isEnabled: Bool { adminUp && !errDisabled && !poweredOff }
    /// The rate frames are serialized at (the link's), not the `bandwidth` command's value.
    public internal(set) var lineRate = Bandwidth.mbps(1000)
    /// The `bandwidth` command (routing metrics and QoS percentages); nil means the line rate.
    public var configuredBandwidth: Bandwidth?
    public var description: String?
    /// The software output queue (FIFO by default).
    public internal(set) var queue: OutputQueue { didSet { queueRef = .passUnretained(queue) } }
    /// `queue`, held unmanaged (kept alive by `queue`) so the per-frame path calls into it without
    /// a retain and a release per call.
    var queueRef: Unmanaged<OutputQueue>
    public internal(set) var queueConfiguration: QueueingConfiguration?
    /// Set when the device's access lists changed, so classifiers are rebuilt.
    var queueNeedsRebuild = false
    /// FIFO needs no classification, so an idle line takes a frame straight from the device;
    /// other disciplines see every packet (their counters and policers must).
    public internal(set) var bypassQueueWhenIdle = true
    /// True while a frame is being serialized.
    public internal(set) var transmitting = false
    /// `tx-ring-limit`: frames the driver's transmit ring holds, the one on the line included
    /// (ios-behavior §1). The software queue is consulted only when the ring has room, so with a
    /// longer ring, packets the scheduler released wait in FIFO order behind each other — the
    /// delay and jitter `tx-ring-limit 1` removes on slow links. Default 1: the scheduler decides
    /// every packet as the line frees (IOS's defaults are platform-specific).
    public internal(set) var txRingLimit = 1
    /// Frames handed to the ring that wait for the line (a ring buffer of `txRingLimit − 1`).
    var ringFrames: [FrameHandle] = []
    var ringHead = 0
    public internal(set) var ringWaiting = 0
    /// Frames in the transmit ring, the one being serialized included.
    public var txRingOccupancy: Int { (transmitting ? 1 : 0) + ringWaiting }
    /// When a wake-up for a shaper holding this port's queue is already scheduled.
    var queueWakeAt: SimTime?
    /// Index of this port's outgoing impairment in `Network.impairments`, or -1 (the usual case).
    var impairmentIndex: Int32 = -1
    /// `BlockedProtocol` bits dropped on input and on output (a scenario's `block`).
    public internal(set) var blockedInput: UInt16 = 0
    public internal(set) var blockedOutput: UInt16 = 0
    /// The field fault of a router that stopped believing ARP replies; cleared by a reload.
    public internal(set) var ignoresARPReplies = false
    /// True when the line protocol is up (both ends enabled, link up); kept by the network.
    public internal(set) var lineProtocolUp = false

    // Counters, as `show interfaces` names them.
    public internal(set) var inputPackets: UInt64 = 0
    public internal(set) var inputBytes: UInt64 = 0
    public internal(set) var inputDrops: UInt64 = 0
    public internal(set) var inputBroadcasts: UInt64 = 0
    public internal(set) var inputMulticasts: UInt64 = 0
    public internal(set) var outputPackets: UInt64 = 0
    public internal(set) var outputBytes: UInt64 = 0
    public internal(set) var outputBroadcasts: UInt64 = 0
    public internal(set) var outputMulticasts: UInt64 = 0
    /// Frames sent because a switch flooded them (unknown unicast, broadcast, multicast).
    public internal(set) var outputFlooded: UInt64 = 0
    /// The bytes of those flooded frames (what a port that is not an NLB member receives of the cluster's traffic).
    public internal(set) var outputFloodedBytes: UInt64 = 0
    /// Frames a switch forwarded to this port from its MAC table (known unicast).
    public internal(set) var outputForwarded: UInt64 = 0
    /// Frames storm control discarded on input (`DropReason.stormControl`).
    public internal(set) var stormControlDrops: UInt64 = 0
    /// Multicast packets that arrived here and failed a router's RPF check (`DropReason.rpfFailure`).
    public internal(set) var rpfFailureDrops: UInt64 = 0
    /// Software queue drops (tail drop, WFQ discards, policer...), as "Total output drops".
    public var outputDrops: UInt64 { queue.totalDrops + queueDropsBeforeReconfigure }
    var queueDropsBeforeReconfigure: UInt64 = 0

    // 5-minute exponentially decayed rates, updated every 5 s as IOS does.
    public internal(set) var inputBitsPerSecond: Double = 0
    public internal(set) var inputPacketsPerSecond: Double = 0
    public internal(set) var outputBitsPerSecond: Double = 0
    public internal(set) var outputPacketsPerSecond: Double = 0
    var rateSnapshot: (inBytes: UInt64, inPackets: UInt64, outBytes: UInt64, outPackets: UInt64) = (0, 0, 0, 0)

    /// IOS recomputes interface load every 5 seconds.
    public static let loadInterval = SimDuration.seconds(5)
    /// Weight of the newest 5-second sample in a 5-minute average: 1 − e^(−5/300).
    static let rateDecay = exp(-5.0 / 300.0)

    init(id: PortID, node: NodeID, name: String, mac: MACAddress) {
        self.id = id
        self.node = node
        self.name = name
        self.mac = mac
        let initial = OutputQueue(.fifo(holdQueue: FIFOQueue.defaultHoldQueue), bandwidth: .mbps(1000))
        queue = initial
        queueRef = .passUnretained(initial)
    }

    /// The bandwidth routing and QoS see: `bandwidth` if configured, else the line rate.
    public var bandwidth: Bandwidth { configuredBandwidth ?? lineRate }

    func updateRates(now: SimTime) {
        let seconds = Port.loadInterval.seconds
        let d = Port.rateDecay
        func mix(_ old: Double, _ delta: UInt64, _ scale: Double) -> Double {
            old * d + (Double(delta) * scale / seconds) * (1 - d)
        }
        inputBitsPerSecond = mix(inputBitsPerSecond, inputBytes &- rateSnapshot.inBytes, 8)
        inputPacketsPerSecond = mix(inputPacketsPerSecond, inputPackets &- rateSnapshot.inPackets, 1)
        outputBitsPerSecond = mix(outputBitsPerSecond, outputBytes &- rateSnapshot.outBytes, 8)
        outputPacketsPerSecond = mix(outputPacketsPerSecond, outputPackets &- rateSnapshot.outPackets, 1)
        rateSnapshot = (inputBytes, inputPackets, outputBytes, outputPackets)
    }

    /// Sets the ring size; frames already in a ring longer than the new limit stay and drain.
    func setTxRingLimit(_ limit: Int) {
        let limit = Swift.max(limit, 1)
        guard limit != txRingLimit else { return }
        var waiting: [FrameHandle] = []
        while let f = popRing() { waiting.append(f) }
        txRingLimit = limit
        ringFrames = Array(repeating: FrameHandle(0), count: Swift.max(limit - 1, waiting.count))
        ringHead = 0
        for f in waiting { pushRing(f) }
    }

    /// Queues a frame in the ring behind the one on the line.
    func pushRing(_ frame: FrameHandle) {
        var index = ringHead + ringWaiting
        if index >= ringFrames.count { index -= ringFrames.count }
        ringFrames[index] = frame
        ringWaiting += 1
    }

    /// The oldest frame waiting in the ring.
    func popRing() -> FrameHandle? {
        guard ringWaiting > 0 else { return nil }
        let frame = ringFrames[ringHead]
        ringHead += 1
        if ringHead == ringFrames.count { ringHead = 0 }
        ringWaiting -= 1
        return frame
    }

    /// Replaces the queueing discipline (`fair-queue`, `priority-group`, `service-policy`...).
    func setQueueing(_ configuration: QueueingConfiguration?, defaultFor bandwidth: Bandwidth,
                     accessLists: AccessListTable, random: RandomStream) -> [QueuedPacket] {
        var leftovers: [QueuedPacket] = []
        while let p = queue.dequeue(now: .distantFuture) { leftovers.append(p) }
        queueDropsBeforeReconfigure += queue.totalDrops
        queueConfiguration = configuration
        if case .fifo = configuration ?? .fifo(holdQueue: 40) { bypassQueueWhenIdle = true } else { bypassQueueWhenIdle = false }
        queue = OutputQueue(configuration ?? .fifo(holdQueue: FIFOQueue.defaultHoldQueue), bandwidth: bandwidth,
                            accessLists: accessLists, random: random)
        return leftovers
    }

}

// MARK: - The transmit path

extension Network {
    /// Puts `frame` out of `port`: straight onto the line when it is idle, else into the output queue.
    /// Takes ownership of the frame.
    public func transmit(_ frame: FrameHandle, on portID: PortID, inputPort: PortID? = nil) {
        // The network keeps its ports alive for its whole life: no reference counting per frame.
        unowned(unsafe) let port = ports[portID.index]
        guard port.lineProtocolUp else { drop(frame, .interfaceDown); return }
        if port.blockedOutput != 0, isBlocked(frame, mask: port.blockedOutput) { drop(frame, .faultInjected); return }
        let classifies = !port.bypassQueueWhenIdle
        // ios-behavior §1: a ring with room takes the frame without software queueing.
        if port.txRingOccupancy < port.txRingLimit && !classifies && port.queueRef._withUnsafeGuaranteedRef({ $0.count }) == 0 {
            handToRing(frame, on: portID)
            return
        }
        // FIFO never looks at the key: it gets only the input interface (re-classified from the
        // frame if the discipline changes while it waits, see `applyPortSettings`).
        let key = classifies ? packetKey(frame, inputPort: inputPort)
            : PacketKey(isIPv4: false, inputInterface: inputPort.map { $0.rawValue } ?? PacketKey.locallyOriginated)
        var packet = QueuedPacket(handle: frame.rawValue, length: Int32(frames.length(frame)), enqueuedAt: now, key: key)
        let tosBefore = packet.key.tos
        let t = now
        switch port.queueRef._withUnsafeGuaranteedRef({ $0.enqueue(&packet, now: t) }) {
        case .queued:
            break
        case let .dropped(reason):
            record("\(devices[port.node.index].name) \(port.name) output drop (\(reason))")
            drop(frame, reason)
            return
        case let .queuedDisplacing(victim, reason):
            drop(FrameHandle(victim), reason)
        }
        if packet.key.tos != tosBefore { rewriteTOS(frame, to: packet.key.tos) }
        serviceQueue(portID)
    }

    /// Header fields the output queue classifies on.
    func packetKey(_ frame: FrameHandle, inputPort: PortID?) -> PacketKey {
        let input = inputPort.map { $0.rawValue } ?? PacketKey.locallyOriginated
        return frames.withBytes(frame) { bytes in
            guard let type = FrameView.etherType(bytes), type == .ipv4, let offset = FrameView.payloadOffset(bytes),
                  bytes.count >= offset + 20 else {
                return PacketKey(isIPv4: false, inputInterface: input)
            }
            let ihl = Int(bytes[offset] & 0x0F) * 4
            func u16(_ i: Int) -> UInt16 { UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) }
            func addr(_ i: Int) -> IPv4Address {
                IPv4Address(rawValue: UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3]))
            }
            let proto = bytes[offset + 9]
            var sport: UInt16 = 0, dport: UInt16 = 0
            let fragmentOffset = u16(offset + 6) & 0x1FFF
            if (proto == 6 || proto == 17) && fragmentOffset == 0 && bytes.count >= offset + ihl + 4 {
                sport = u16(offset + ihl)
                dport = u16(offset + ihl + 2)
            }
            return PacketKey(isIPv4: true, source: addr(offset + 12), destination: addr(offset + 16), ipProtocol: proto,
                             tos: bytes[offset + 1], sourcePort: sport, destinationPort: dport, inputInterface: input)
        }
    }

    func rewriteTOS(_ frame: FrameHandle, to tos: UInt8) {
        frames.withMutableBytes(frame) { bytes in
            guard let offset = FrameView.payloadOffset(UnsafeRawBufferPointer(bytes)) else { return }
            FrameView.setTOS(bytes, ipOffset: offset, tos: tos)
        }
    }

    /// The line finished a frame: the ring's next frame goes on the line, and the ring refills
    /// from the software queue.
    func transmitNext(on portID: PortID) {
        unowned(unsafe) let port = ports[portID.index]
        port.transmitting = false
        guard port.lineProtocolUp else {
            flushOutput(port)
            return
        }
        if port.ringWaiting > 0, let frame = port.popRing() { startTransmission(frame, on: port) }
        serviceQueue(portID)
    }

    /// Hands packets from the software queue to the transmit ring while it has room (starting the
    /// line when it is idle). When a shaper holds the queue and the ring is empty, a wake-up is
    /// scheduled for the time it may send; the line stays free meanwhile, so other classes go at once.
    @inline(__always)
    func serviceQueue(_ portID: PortID) {
        // Unowned, as everywhere on the per-frame path: no reference counting per frame.
        unowned(unsafe) let port = ports[portID.index]
        let t = now
        while port.txRingOccupancy < port.txRingLimit {
            guard let packet = port.queueRef._withUnsafeGuaranteedRef({ $0.dequeue(now: t) }) else {
                if port.txRingOccupancy == 0, let wake = port.queueRef._withUnsafeGuaranteedRef({ $0.nextEligibleTime(now: t) }),
                   port.queueWakeAt.map({ wake < $0 }) ?? true {
                    port.queueWakeAt = wake
                    sim.schedule(.queueWake(port.id), at: wake)
                }
                return
            }
            handToRing(FrameHandle(packet.handle), on: portID)
        }
    }

    /// A scheduled shaper wake-up.
    func queueWoke(_ portID: PortID) {
        unowned(unsafe) let port = ports[portID.index]
        if let w = port.queueWakeAt, w <= now { port.queueWakeAt = nil }
        guard port.lineProtocolUp else { return }
        serviceQueue(portID)
    }

    /// Onto the line if it is idle, else behind the ring's other frames.
    @inline(__always)
    func handToRing(_ frame: FrameHandle, on portID: PortID) {
        unowned(unsafe) let port = ports[portID.index]
        if port.transmitting { port.pushRing(frame) } else { startTransmission(frame, on: port) }
    }

    /// Drops everything waiting to leave a port whose line went down.
    func flushOutput(_ port: Port) {
        while let f = port.popRing() { drop(f, .interfaceDown) }
        while let p = port.queue.dequeue(now: .distantFuture) { drop(FrameHandle(p.handle), .interfaceDown) }
    }

    func startTransmission(_ frame: FrameHandle, on port: Port) {
        guard let linkID = port.link else { drop(frame, .linkDown); return }
        let link = links[linkID.index]
        let length = frames.length(frame)
        let byteCount = UInt64(length)
        port.transmitting = true
        port.outputPackets &+= 1
        port.outputBytes &+= byteCount
        let destination = FrameView.destination(frames.unsafeBytes(frame)) ?? .zero
        if destination.isMulticast {
            if destination.isBroadcast { port.outputBroadcasts &+= 1 } else { port.outputMulticasts &+= 1 }
        }
        if !observers.isEmpty {
            let t = now
            frames.withBytes(frame) { bytes in
                for o in observers { o.frameTransmitted(on: linkID, from: port.id, at: t, bytes: bytes) }
            }
        }
        if traceEnabled { traceFrame("sent", frame, port: port.id) }
        let serialization = link.serializationTime(bytes: length)
        sim.schedule(.transmitComplete(port.id), after: serialization)
        let peer = link.a == port.id ? link.b : link.a
        if port.impairmentIndex >= 0 { sendImpaired(frame, from: port, to: peer, after: serialization + link.delay); return }
        sim.schedule(.frameArrives(peer, frame), after: serialization + link.delay)
    }

    func arrive(_ frame: FrameHandle, at portID: PortID) {
        unowned(unsafe) let port = ports[portID.index]
        guard let l = port.link, links[l.index].isUp, port.lineProtocolUp else { drop(frame, .linkDown); return }
        let length = frames.length(frame)
        if length > links[l.index].mtu + 18 { port.inputDrops &+= 1; drop(frame, .mtuExceeded); return }
        let byteCount = UInt64(length)
        port.inputPackets &+= 1
        port.inputBytes &+= byteCount
        let destination = FrameView.destination(frames.unsafeBytes(frame)) ?? .zero
        if destination.isMulticast {
            if destination.isBroadcast { port.inputBroadcasts &+= 1 } else { port.inputMulticasts &+= 1 }
        }
        if port.blockedInput != 0, isBlocked(frame, mask: port.blockedInput) { drop(frame, .faultInjected); return }
        switch deviceRefs[port.node.index] {
        case let .ipNode(n): n._withUnsafeGuaranteedRef { $0.receive(frame, on: portID, network: self) }
        case let .l2switch(s): s._withUnsafeGuaranteedRef { $0.receive(frame, on: portID, network: self) }
        }
    }

    // MARK: - Line state

    /// Recomputes every port's line protocol from admin state and link state; devices are told of
    /// changes (connected routes come and go, ARP entries on the interface are flushed).
    public func refreshLineState() {
        for link in links {
            let a = ports[link.a.index], b = ports[link.b.index]
            let up = link.isUp && a.isEnabled && b.isEnabled
            for p in [a, b] where p.lineProtocolUp != up {
                p.lineProtocolUp = up
                // A device that is off logs nothing.
                if !p.poweredOff {
                    log(p.node, "%LINEPROTO-5-UPDOWN: Line protocol on Interface \(p.name), changed state to \(up ? "up" : "down")")
                }
                if !up { flushOutput(p) }
                switch devices[p.node.index] {
                case let .router(n), let .host(n): n.portStateChanged(p.id, up: up, network: self)
                case let .l2switch(s): s.portStateChanged(p.id, up: up, network: self)
                }
            }
        }
    }

    /// Takes a link down or up (a scenario's `link-down` / `link-up`).
    public func setLink(_ link: LinkID, up: Bool) {
        links[link.index].isUp = up
        refreshLineState()
    }
}
