import Engine
@testable import QoS
import Wire

/// A UDP packet key; `n` varies the source so flows differ.
func udpKey(_ n: UInt8 = 1, port: UInt16 = 5001, precedence: UInt8 = 0, tos: UInt8? = nil) -> PacketKey {
    PacketKey(source: IPv4Address(10, 0, 0, n), destination: IPv4Address(10, 9, 9, 9), ipProtocol: 17,
              tos: tos ?? precedence << 5, sourcePort: 1000 + UInt16(n), destinationPort: port, inputInterface: 1)
}

func packet(_ handle: UInt32, length: Int32 = 100, key: PacketKey = udpKey(), at time: SimTime = .zero) -> QueuedPacket {
    QueuedPacket(handle: handle, length: length, enqueuedAt: time, key: key)
}

extension OutputQueue {
    @discardableResult
    func offer(_ p: QueuedPacket, now: SimTime = .zero) -> EnqueueOutcome {
        var p = p
        return enqueue(&p, now: now)
    }

    func drain(_ n: Int = .max, now: SimTime = .zero) -> [QueuedPacket] {
        var out: [QueuedPacket] = []
        while out.count < n, let p = dequeue(now: now) { out.append(p) }
        return out
    }
}
