import Engine
import QoS
import Wire

/// The result of one queue-discipline run: enqueue+dequeue pairs per second of wall time.
public struct QoSBenchResult: Sendable, CustomStringConvertible {
    /// Packets through the queue (one enqueue and one dequeue each) per second.
    public var pps: Double
    public var nsPerPacket: Double
    /// Heap allocations per timed packet (NaN when no counter was given).
    public var allocationsPerPacket: Double
    /// Folds every outcome and every dequeued handle, so the optimizer cannot drop the work.
    public var checksum: UInt64

    public var description: String {
        let mpps = (pps / 1e4).rounded() / 100
        let ns = (nsPerPacket * 100).rounded() / 100
        return "\(mpps) Mpps, \(ns) ns/packet (checksum \(checksum))"
    }
}

/// Enqueue plus dequeue per queue discipline in steady state (STYLE §9): a backlog of about 100
/// packets, then each step offers one packet and takes one out. Flow keys and sizes come from
/// tables built before the clock starts.
public enum QoSBenchmark {
    public static let schedulers = ["fifo", "pq", "cq", "wfq", "cbwfq", "llq"]

    /// Interface rate for the policy-based disciplines.
    static let bandwidth = Bandwidth.mbps(100)

    /// The configuration measured for `scheduler`; queues are sized so the ~100-packet backlog
    /// is held without tail drops, so the loop measures scheduling rather than dropping.
    public static func configuration(for scheduler: String) -> (QueueingConfiguration, AccessListTable) {
        let acls = AccessListTable()
        acls.define("101", [AccessListEntry(.permit, .udp, destinationPort: .eq(5001))])
        acls.define("102", [AccessListEntry(.permit, .udp, destinationPort: .eq(5002))])
        switch scheduler {
        case "fifo":
            return (.fifo(holdQueue: 256), acls)
        case "pq":
            let list = PriorityList(number: 1, rules: [
                PriorityRule(.ipList("101"), .high),
                PriorityRule(.ipUDPPort(5002), .medium),
                PriorityRule(.ipGreaterThan(1000), .low),
            ], queueLimits: [256, 256, 256, 256])
            return (.priority(list), acls)
        case "cq":
            let list = QueueList(number: 1, rules: [
                CustomQueueRule(.ipList("101"), 2),
                CustomQueueRule(.ipUDPPort(5002), 3),
                CustomQueueRule(.ipUDPPort(5003), 4),
            ], byteCounts: [2: 3000], limits: [1: 256, 2: 256, 3: 256, 4: 256])
            return (.custom(list), acls)
        case "wfq":
            return (.fair(FairQueueParameters(congestiveDiscardThreshold: 64, dynamicQueues: 1024)), acls)
        case "cbwfq", "llq":
            var classes = [
                ClassPolicy(ClassMap("gold", .matchAll, [.accessGroup("101")]), bandwidth: .percent(20)),
                ClassPolicy(ClassMap("silver", .matchAny, [.dscp([.af(2, 1)]), .accessGroup("102")]),
                            bandwidth: .percent(15)),
                ClassPolicy(.classDefault, fairQueue: .some(1024)),
            ]
            if scheduler == "llq" {
                classes.insert(ClassPolicy(ClassMap("voice", .matchAll, [.dscp([.ef])]), priority: .percent(30)), at: 0)
            }
            return (.policy(PolicyMap(scheduler.uppercased(), classes: classes)), acls)
        default:
            preconditionFailure("unknown scheduler \(scheduler); known: \(schedulers)")
        }
    }

    /// Runs `packets` enqueue+dequeue steps over `flows` distinct 5-tuples. `allocations` reads a
    /// process-wide allocation counter (nil when none is linked in).
    public static func run(scheduler: String, flows: Int, packets: Int,
                           allocations: (() -> UInt64)? = nil) -> QoSBenchResult {
        let (configuration, acls) = configuration(for: scheduler)
        let queue = OutputQueue(configuration, bandwidth: bandwidth, accessLists: acls,
                                random: RandomStream(seed: 1, label: "bench"))
        let flowCount = Swift.max(flows, 1)
        // Distinct 5-tuples; ports 5001-5004 spread flows over the classes, precedence over 0-7
        // (every 8th flow EF, for the LLQ voice class).
        var keys: [PacketKey] = []
        keys.reserveCapacity(flowCount)
        for i in 0..<flowCount {
            let source = IPv4Address(rawValue: 0x0A00_0001 | UInt32(truncatingIfNeeded: i) << 8)
            let tos: UInt8 = i % 8 == 7 ? 46 << 2 : UInt8(i % 7) << 5
            let sourcePort = UInt16(1024 + i % 60000)
            let destinationPort = UInt16(5001 + i % 4)
            keys.append(PacketKey(source: source, destination: IPv4Address(192, 168, 1, 1), ipProtocol: 17, tos: tos,
                                  sourcePort: sourcePort, destinationPort: destinationPort, inputInterface: 1))
        }
        // Sizes 64-1500 bytes, a fixed pseudo-random table.
        var random = RandomStream(seed: 42, label: "sizes")
        let sizes: [Int32] = (0..<1024).map { _ in Int32(64 + random.next(below: 1437)) }
        var checksum: UInt64 = 0
        var now = SimTime.zero
        let step = SimDuration(nanoseconds: 120)  // 100 Mbit/s carries a 1500-byte frame in 120 µs; time only moves policers
        var flow = 0
        var handle: UInt32 = 0

        @inline(__always)
        func offer() {
            var packet = QueuedPacket(handle: handle, length: sizes[Int(handle & 1023)], enqueuedAt: now, key: keys[flow])
            handle &+= 1
            flow += 1
            if flow == flowCount { flow = 0 }
            switch queue.enqueue(&packet, now: now) {
            case .queued: checksum &+= 1
            case let .dropped(reason): checksum &+= reason == .queueFull ? 3 : 5
            case let .queuedDisplacing(victim, _): checksum &+= UInt64(victim)
            }
        }

        for _ in 0..<100 { offer() }
        let allocationsBefore = allocations?() ?? 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<packets {
            now += step
            offer()
            if let p = queue.dequeue(now: now) { checksum = checksum &* 31 &+ UInt64(p.handle) }
        }
        let elapsed = clock.now - start
        let allocationsAfter = allocations?() ?? 0
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let pps = Double(packets) / Swift.max(seconds, 1e-12)
        let perPacket = allocations == nil ? Double.nan
            : Double(allocationsAfter &- allocationsBefore) / Double(Swift.max(packets, 1))
        return QoSBenchResult(pps: pps, nsPerPacket: 1e9 / pps, allocationsPerPacket: perPacket, checksum: checksum)
    }
}
