import Engine
import QoS
import Wire

/// What happens in a lab's event queue: small values naming what happens to whom.
public enum NetEvent: Sendable {
    /// A port finished putting a frame on its line and may start the next.
    case transmitComplete(PortID)
    /// A shaper that held an idle port's queue may release a packet now.
    case queueWake(PortID)
    /// A frame's last bit reached the receiving port.
    case frameArrives(PortID, FrameHandle)
    /// A device timer fired (stale generations are ignored).
    case timer(NodeID, TimerID, generation: UInt32)
    /// A traffic source sends its next packet.
    case flowSend(FlowID)
    /// The 5-second load interval: interface rates are recomputed.
    case loadInterval
}

/// A device in the lab.
public enum Device {
    case router(IPNode)
    case host(IPNode)
    case l2switch(L2Switch)

    public var name: String {
        switch self {
        case let .router(n), let .host(n): return n.name
        case let .l2switch(s): return s.name
        }
    }
}

/// A device as the per-frame path reaches it: unmanaged (the network's `devices` keeps it alive),
/// so delivering a frame costs no retain and release.
enum DeviceRef {
    case ipNode(Unmanaged<IPNode>)
    case l2switch(Unmanaged<L2Switch>)

    init(_ device: Device) {
        switch device {
        case let .router(n), let .host(n): self = .ipNode(.passUnretained(n))
        case let .l2switch(s): self = .l2switch(.passUnretained(s))
        }
    }
}

/// A syslog line a device logged: what `show logging` lists and the trace prints.
public struct LogRecord: Sendable, Equatable {
    public var time: SimTime
    public var device: String
    /// The message as IOS prints it, from its `%FACILITY-SEVERITY-MNEMONIC:` on (a debug line as its debug prints it).
    public var text: String
    /// A `debug` line rather than a syslog message.
    public var isDebug: Bool

    public init(time: SimTime, device: String, text: String, isDebug: Bool = false) {
        self.time = time
        self.device = device
        self.text = text
        self.isDebug = isDebug
    }
}

/// Receives every frame put on a link (the pcap writer, the trace).
public protocol FrameObserver: AnyObject {
    func frameTransmitted(on link: LinkID, from port: PortID, at time: SimTime, bytes: UnsafeRawBufferPointer)
}

/// A lab's devices, ports and links on one event queue: the unit that runs.
///
/// Owned and passed in (no singletons), so two networks can run side by side in one process.
public final class Network {
    public internal(set) var sim = Simulator<NetEvent>(reservingCapacity: 4096)
    /// Devices by `NodeID`; only `add` appends (it keeps `deviceRefs` and `portRanges` in step).
    public private(set) var devices: [Device] = []
    /// `devices`, unmanaged, index for index.
    var deviceRefs: [DeviceRef] = []
    public internal(set) var ports: [Port] = []
    /// Each device's ports: a range of `ports` (a device's ports are added together, after it).
    var portRanges: [Range<Int>] = []
    /// Each device's ports by canonical name, built the first time a name is looked up.
    var portNames: [[String: PortID]?] = []
    public internal(set) var links: [Link] = []
    public var frames: FramePool
    public internal(set) var flows: [Flow] = []
    /// Frames dropped anywhere, by reason.
    public internal(set) var drops = DropCounters()
    public var observers: [FrameObserver] = []
    /// Trace lines (`--trace`), built only when enabled.
    public var traceEnabled = false
    public internal(set) var trace: [String] = []
    /// Syslog lines, always kept (DESIGN: IOS syslog lines always, debug lines on request).
    public internal(set) var logs: [LogRecord] = []
    /// Each device's `debug` switches (`DebugFlag` bits), by node index.
    @usableFromInline var debugMasks: [UInt64] = []
    /// The scenario seed; every component derives its own stream from it.
    public let seed: UInt64
    var deviceIndex: [String: NodeID] = [:]
    var loadIntervalStarted = false
    /// Impaired link directions (`Port.impairmentIndex` points in).
    var impairments: [ImpairmentState] = []

    public init(seed: UInt64 = 1, maximumFrame: Int = 1600) {
        self.seed = seed
        frames = FramePool(maximumFrame: maximumFrame)
    }

    public var now: SimTime { sim.now }

    // MARK: - Building

    /// Adds a device; its ports are added with `addPort`.
    @discardableResult
    public func add(_ device: Device) -> NodeID {
        let id = NodeID(devices.count)
        devices.append(device)
        deviceRefs.append(DeviceRef(device))
        portRanges.append(ports.count..<ports.count)
        portNames.append(nil)
        deviceIndex[device.name.lowercased()] = id
        return id
    }

    public func node(named name: String) -> NodeID? { deviceIndex[name.lowercased()] }

    func addPort(node: NodeID, name: String, mac: MACAddress) -> PortID {
        let id = PortID(ports.count)
        precondition(portRanges[node.index].upperBound == ports.count, "a device's ports are added together, after it")
        ports.append(Port(id: id, node: node, name: name, mac: mac))
        portRanges[node.index] = portRanges[node.index].lowerBound..<ports.count
        portNames[node.index] = nil
        return id
    }

    /// Connects two ports with a full-duplex point-to-point link.
    @discardableResult
    public func connect(_ a: PortID, _ b: PortID, bandwidth: Bandwidth, delay: SimDuration, mtu: Int) -> LinkID {
        let id = LinkID(links.count)
        links.append(Link(id: id, a: a, b: b, bandwidth: bandwidth, delay: delay, mtu: mtu))
        for p in [a, b] {
            ports[p.index].link = id
            ports[p.index].lineRate = bandwidth
        }
        return id
    }

    /// The port at the other end of `port`'s link.
    @inlinable public func peer(of port: PortID) -> PortID? {
        guard let l = ports[port.index].link else { return nil }
        let link = links[l.index]
        return link.a == port ? link.b : link.a
    }

    // MARK: - Running

    /// Fires events until virtual time `limit` (or until idle); returns why it stopped.
    @discardableResult
    public func run(until limit: SimTime, maxEvents: UInt64 = .max) -> RunStop {
        startLoadIntervalIfNeeded()
        var fired: UInt64 = 0
        while fired < maxEvents {
            guard let event = sim.nextDue(until: limit) else {
                let idle = sim.queue.isEmpty
                sim.advance(to: limit)
                return idle ? .idle : .reachedTime
            }
            dispatch(event)
            fired &+= 1
        }
        return .stepLimit
    }

    /// Fires one event due by `limit`; nil when none is.
    public func step(until limit: SimTime = .distantFuture) -> SimTime? {
        startLoadIntervalIfNeeded()
        guard let event = sim.nextDue(until: limit) else { return nil }
        dispatch(event)
        return sim.now
    }

    func startLoadIntervalIfNeeded() {
        guard !loadIntervalStarted else { return }
        loadIntervalStarted = true
        sim.schedule(.loadInterval, after: Port.loadInterval)
    }

    func dispatch(_ event: NetEvent) {
        switch event {
        case let .transmitComplete(port):
            transmitNext(on: port)
        case let .queueWake(port):
            queueWoke(port)
        case let .frameArrives(port, frame):
            arrive(frame, at: port)
        case let .timer(node, timer, generation):
            switch devices[node.index] {
            case let .router(n), let .host(n): n.timerFired(timer, generation: generation, network: self)
            case let .l2switch(s): s.timerFired(timer, generation: generation, network: self)
            }
        case let .flowSend(flow):
            flowSend(flow)
        case .loadInterval:
            for p in ports { p.updateRates(now: now) }
            sim.schedule(.loadInterval, after: Port.loadInterval)
        }
    }

    /// Schedules a device timer event.
    public func schedule(timer: TimerID, generation: UInt32, of node: NodeID, at time: SimTime) {
        sim.schedule(.timer(node, timer, generation: generation), at: time)
    }

    // MARK: - Drops and trace

    public func drop(_ frame: FrameHandle?, _ reason: DropReason) {
        drops[reason, default: 0] &+= 1
        if let frame { frames.release(frame) }
    }

    public func record(_ line: @autoclosure () -> String) {
        guard traceEnabled else { return }
        trace.append("\(now) \(line())")
    }

    /// Logs a syslog line for a device, at `time` (default now); the trace shows it too.
    public func log(_ node: NodeID, _ text: String, at time: SimTime? = nil) {
        let record = LogRecord(time: time ?? now, device: devices[node.index].name, text: text)
        logs.append(record)
        if traceEnabled { trace.append("\(record.time) \(record.device) \(text)") }
    }

    /// A device's syslog lines, oldest first.
    public func logRecords(of node: NodeID) -> [LogRecord] {
        let name = devices[node.index].name
        return logs.filter { $0.device == name }
    }

    public func traceFrame(_ what: String, _ frame: FrameHandle, port: PortID) {
        guard traceEnabled else { return }
        let summary = frames.withBytes(frame) { FrameSummary.describe($0) }
        let p = ports[port.index]
        trace.append("\(now) \(devices[p.node.index].name) \(p.name) \(what) \(summary)")
    }
}
