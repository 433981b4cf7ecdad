import Engine
import QoS
import Wire

extension IPNode {
    // MARK: - Reception (RFC 1812 §5.2.1 order: validate, then local delivery or forwarding)

    func receiveIPv4(_ frame: FrameHandle, offset: Int, interface index: Int, linkDestination: MACAddress, network: Network) {
        // RFC 1812 §5.2.2: validate version, header length, total length and header checksum before
        // anything else. Forwarded packets are checked in place; only local delivery builds an IPv4Header.
        let bytes = network.frames.unsafeBytes(frame)
        let quick: (destination: IPv4Address, ttl: UInt8)? = {
            guard bytes.count >= offset + 20 else { return nil }
            let ihl = Int(bytes[offset] & 0x0F) * 4
            let total = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard bytes[offset] >> 4 == 4, ihl >= 20, total >= ihl, bytes.count >= offset + total,
                  InternetChecksum.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + ihl)])) == 0 else { return nil }
            let d = UInt32(bytes[offset + 16]) << 24 | UInt32(bytes[offset + 17]) << 16 | UInt32(bytes[offset + 18]) << 8 | UInt32(bytes[offset + 19])
            return (IPv4Address(rawValue: d), bytes[offset + 8])
        }()
        guard let (destination, ttl) = quick else {
            if let port = interfaces[index].port { network.ports[port.index].inputDrops &+= 1 }
            network.drop(frame, .badChecksum)
            return
        }
        if index < inputPolicies.count, let policy = inputPolicies[index] {
            // MQC input policy: classify, police, mark or drop before routing.
            var packet = QueuedPacket(handle: frame.rawValue, length: Int32(network.frames.length(frame)), enqueuedAt: network.now,
                                      key: network.packetKey(frame, inputPort: interfaces[index].port))
            let tos = packet.key.tos
            if let reason = policy.process(&packet, now: network.now) { network.drop(frame, reason); return }
            if packet.key.tos != tos { network.rewriteTOS(frame, to: packet.key.tos) }
        }
        // A multicast router forwards routable groups through its table (RFC 7761 §4.2), local copy included;
        // 224.0.0.x stays on the link, and IGMP (reports go to the group itself, RFC 2236 §2) is its own.
        if multicastRouting, isRouter, Self.isRoutableGroup(destination), bytes[offset + 9] != IPProtocol.igmp.rawValue {
            routeMulticast(frame, offset: offset, group: destination, interface: index, network: network)
            return
        }
        let forMe = ownedAddresses.contains(destination.rawValue) || destination.isLimitedBroadcast
            || (destination.isMulticast && acceptsGroup(destination, protocolNumber: bytes[offset + 9], on: index))
            || directedBroadcasts.contains(UInt64(index) << 32 | UInt64(destination.rawValue))
        if forMe {
            // Windows NLB: every member sees the cluster's packets, and only the bucket's owner takes one.
            if !nlbAddresses.isEmpty, nlbAddresses.contains(destination.rawValue),
               !nlbAccepts(bytes, offset: offset, cluster: destination, interface: index) {
                network.drop(frame, .nlbFiltered)
                return
            }
            guard let ip = network.frames.withBytes(frame, { try? IPv4Header(parsing: UnsafeRawBufferPointer(rebasing: $0[offset...])) }) else {
                network.drop(frame, .malformed)
                return
            }
            deliverLocally(frame, offset: offset, header: ip, interface: index, network: network)
            return
        }
        guard isRouter, !destination.isMulticast, !linkDestination.isMulticast else {
            network.drop(frame, .notForUs)
            return
        }
        forward(frame, offset: offset, destination: destination, ttl: ttl, inInterface: index, network: network)
    }

    /// NLB filtering: the client (its address, and its UDP/TCP source port without affinity) picks one
    /// of 60 buckets, owned round-robin by the members sorted by priority. Reads the header in place.
    func nlbAccepts(_ bytes: UnsafeRawBufferPointer, offset: Int, cluster: IPv4Address, interface index: Int) -> Bool {
        var found = interfaces[index].nlb
        if found?.clusterAddress != cluster {
            found = nil
            for i in interfaces where i.nlb?.clusterAddress == cluster { found = i.nlb; break }
        }
        guard let nlb = found else { return true }
        let client = UInt32(bytes[offset + 12]) << 24 | UInt32(bytes[offset + 13]) << 16 | UInt32(bytes[offset + 14]) << 8 | UInt32(bytes[offset + 15])
        var port: UInt16 = 0
        let ihl = Int(bytes[offset] & 0x0F) * 4
        let protocolNumber = bytes[offset + 9]
        if nlb.affinity == .none, protocolNumber == 6 || protocolNumber == 17, bytes.count >= offset + ihl + 2 {
            port = UInt16(bytes[offset + ihl]) << 8 | UInt16(bytes[offset + ihl + 1])
        }
        let bucket = NLB.bucket(client: IPv4Address(rawValue: client), port: port, affinity: nlb.affinity)
        return NLB.owner(of: bucket, priorities: nlb.members) == nlb.priority
    }

    /// RFC 1812 §5.2.4 and §4.2.2.9: decrement TTL, look up the route, rewrite Layer 2 and send.
    /// The adjacency cache (as IOS CEF keeps one) answers repeat destinations with one array probe.
    func forward(_ frame: FrameHandle, offset: Int, destination: IPv4Address, ttl: UInt8, inInterface: Int, network: Network) {
        if ttl <= 1 {
            // RFC 1812 §5.3.1: a packet whose TTL would reach zero is discarded with Time Exceeded.
            if let ip = network.frames.withBytes(frame, { try? IPv4Header(parsing: UnsafeRawBufferPointer(rebasing: $0[offset...])) }) {
                sendICMPError(.timeExceeded(code: 0, original: originalDatagram(frame, offset: offset, network: network)),
                              about: ip, network: network)
            }
            network.drop(frame, .ttlExpired)
            return
        }
        let inputPort = interfaces[inInterface].port
        if let (out, mac) = cachedAdjacency(destination, now: network.now) {
            network.frames.withMutableBytes(frame) { FrameView.decrementTTL($0, ipOffset: offset) }
            finishAndTransmit(frame, nextHopMAC: mac, interface: out, inputPort: inputPort, network: network)
            return
        }
        guard let route = routes.lookup(destination), let hop = route.nextHops.first,
              let out = hop.interface, isUp(out, network: network) else {
            if let ip = network.frames.withBytes(frame, { try? IPv4Header(parsing: UnsafeRawBufferPointer(rebasing: $0[offset...])) }) {
                sendICMPError(.destinationUnreachable(code: .net, original: originalDatagram(frame, offset: offset, network: network)),
                              about: ip, network: network)
            }
            network.drop(frame, .noRoute)
            return
        }
        network.frames.withMutableBytes(frame) { FrameView.decrementTTL($0, ipOffset: offset) }
        let nextHop = hop.gateway ?? destination
        guard let mac = resolve(nextHop, on: out, holding: frame, network: network) else { return }
        remember(destination, interface: out, nextHop: nextHop, mac: mac)
        finishAndTransmit(frame, nextHopMAC: mac, interface: out, inputPort: inputPort, network: network)
    }

    /// Writes the Ethernet header for interface `index` (tagging for a subinterface) and sends.
    func finishAndTransmit(_ frame: FrameHandle, nextHopMAC: MACAddress, interface index: Int,
                           inputPort: PortID? = nil, network: Network) {
        guard let port = interfaces[index].port, isUp(index, network: network) else {
            network.drop(frame, .interfaceDown)
            return
        }
        let currentTag = FrameView.vlanID(network.frames.unsafeBytes(frame))
        let wanted = interfaces[index].vlan
        if currentTag != wanted {
            if currentTag != nil { network.frames.removeTag(frame) }
            if let v = wanted { network.frames.insertTag(frame, vlanID: v) }
        }
        let source = interfaces[index].sourceMAC
        network.frames.withMutableBytes(frame) { bytes in
            for k in 0..<6 {
                bytes[k] = nextHopMAC[octet: k]
                bytes[6 + k] = source[octet: k]
            }
        }
        network.transmit(frame, on: port, inputPort: inputPort)
    }

    // MARK: - Local delivery

    func deliverLocally(_ frame: FrameHandle, offset: Int, header ip: IPv4Header, interface index: Int, network: Network) {
        let payloadStart = offset + ip.headerLength
        switch ip.protocolNumber {
        case .udp:
            receiveUDP(frame, payloadStart: payloadStart, header: ip, network: network)
        case .icmp:
            let message = network.frames.withBytes(frame) { bytes in
                try? ICMPMessage(parsing: UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<(payloadStart + ip.payloadLength)]))
            }
            let original = message == nil ? [] : originalDatagram(frame, offset: offset, network: network)
            network.frames.release(frame)
            guard let message else { network.drops[.badChecksum, default: 0] &+= 1; return }
            receiveICMP(message, header: ip, original: original, interface: index, network: network)
        default:
            if !deliverToProtocol(frame, payloadStart: payloadStart, header: ip, interface: index, network: network) {
                network.drop(frame, .noListener)
            }
        }
    }

    func receiveUDP(_ frame: FrameHandle, payloadStart: Int, header ip: IPv4Header, network: Network) {
        let end = payloadStart + ip.payloadLength
        let udp = network.frames.withBytes(frame) { bytes -> UDPHeader? in
            guard end <= bytes.count else { return nil }
            return try? UDPHeader(parsing: UnsafeRawBufferPointer(rebasing: bytes[payloadStart..<end]),
                                  source: ip.source, destination: ip.destination)
        }
        guard let udp else { network.drop(frame, .badChecksum); return }
        if let stamp = network.frames.withBytes(frame, { FlowStamp(reading: $0, at: payloadStart + UDPHeader.encodedLength) }),
           ip.destination.isMulticast ? network.isMulticastFlow(stamp.flow, to: ip.destination) : sinkFlows.contains(stamp.flow) {
            network.flowDelivered(stamp, bytes: ip.headerLength + ip.payloadLength, at: id)
            network.frames.release(frame)
            return
        }
        let original = originalDatagram(frame, offset: payloadStart - ip.headerLength, network: network)
        network.frames.release(frame)
        _ = udp
        // RFC 1122 §4.1.3.1: no listener on the port → ICMP Port Unreachable (not for broadcasts).
        if !ip.destination.isMulticast && !ip.destination.isLimitedBroadcast {
            sendICMPError(.destinationUnreachable(code: .port, original: original), about: ip, network: network)
        }
    }

    func receiveICMP(_ message: ICMPMessage, header ip: IPv4Header, original: [UInt8], interface index: Int, network: Network) {
        switch message {
        case let .echoRequest(identifier, sequence, data):
            // RFC 1122 §3.2.2.6: a reply to a multicast echo comes from the address of the interface it arrived on.
            let replySource = ip.destination.isMulticast || ip.destination.isLimitedBroadcast
                ? (interfaces[index].primary?.address ?? interfaces.first { !$0.addresses.isEmpty }?.primary?.address)
                : ip.destination
            network.debug(id, .ipICMP, "ICMP: echo reply sent, src \(replySource ?? ip.destination), dst \(ip.source), topology BASE, dscp \(ip.tos >> 2) topoid 0")
            // RFC 792: the reply swaps the addresses and carries the same identifier, sequence and data.
            sendDatagram(.icmp(.echoReply(identifier: identifier, sequence: sequence, data: data)),
                         to: ip.source, from: replySource, tos: ip.tos, network: network)
        case let .echoReply(identifier, sequence, _):
            network.debug(id, .ipICMP, "ICMP: echo reply rcvd, src \(ip.source), dst \(ip.destination), topology BASE, dscp \(ip.tos >> 2) topoid 0")
            pingReply(identifier: identifier, sequence: sequence, from: ip.source, network: network)
        case let .timeExceeded(_, quoted), let .destinationUnreachable(_, quoted):
            var unreachableCode: ICMPUnreachableCode?
            if case let .destinationUnreachable(code, _) = message { unreachableCode = code }
            if network.isDebugging(id, .ipICMP) {
                let quotedDestination = quoted.count >= 20 ? IPv4Address(quoted[16], quoted[17], quoted[18], quoted[19]) : .any
                if let unreachableCode {
                    network.debug(id, .ipICMP, "ICMP: dst (\(quotedDestination)) \(unreachableCode) unreachable rcv from \(ip.source)")
                } else {
                    network.debug(id, .ipICMP, "ICMP: time exceeded rcvd from \(ip.source)")
                }
            }
            icmpErrorReceived(quoted: quoted, from: ip.source, unreachable: unreachableCode, network: network)
        case .other:
            break
        }
    }

    /// The IP header and first 8 payload bytes of a datagram, quoted by ICMP errors (RFC 792).
    func originalDatagram(_ frame: FrameHandle, offset: Int, network: Network) -> [UInt8] {
        network.frames.withBytes(frame) { bytes in
            guard bytes.count > offset else { return [] }
            let ihl = Int(bytes[offset] & 0x0F) * 4
            let end = Swift.min(bytes.count, offset + ihl + 8)
            return Array(bytes[offset..<end])
        }
    }

    /// Sends an ICMP error about `ip`, never about another ICMP error, a broadcast or a multicast
    /// (RFC 1812 §4.3.2.7).
    func sendICMPError(_ message: ICMPMessage, about ip: IPv4Header, network: Network) {
        guard settings.sendsUnreachables, !ip.destination.isMulticast, !ip.destination.isLimitedBroadcast,
              !ip.source.isMulticast, ip.source != .any else { return }
        if case .destinationUnreachable = message, isRouter {
            // IOS rate-limits unreachables (one per 500 ms by default): why a ping to a lost network prints `U.U.U`.
            if let last = lastUnreachableSent, network.now - last < IPNode.unreachableInterval { return }
            lastUnreachableSent = network.now
        }
        if ip.protocolNumber == .icmp {
            // Errors are not sent about errors; echo requests and replies are fine.
            // (The quoted header's ICMP type is not at hand here; the caller passes echo traffic only.)
        }
        if network.isDebugging(id, .ipICMP) {
            switch message {
            case let .destinationUnreachable(code, _):
                network.debug(id, .ipICMP, "ICMP: dst (\(ip.destination)) \(code) unreachable sent to \(ip.source)")
            case .timeExceeded:
                network.debug(id, .ipICMP, "ICMP: time exceeded (time to live) sent to \(ip.source) (dest was \(ip.destination))")
            case .echoRequest, .echoReply, .other:
                break
            }
        }
        sendDatagram(.icmp(message), to: ip.source, from: nil, tos: 0xC0, network: network)
    }

    // MARK: - Origination

    /// What a locally originated datagram carries.
    enum LocalPayload {
        case icmp(ICMPMessage)
        /// A control-plane protocol's own packet.
        case raw(IPProtocol, [UInt8])
        case udp(sourcePort: UInt16, destinationPort: UInt16, data: [UInt8])
    }

    /// Builds and sends a datagram from this node, routing it like IOS does for its own packets.
    /// Returns false when there is no route.
    @discardableResult
    func sendDatagram(_ payload: LocalPayload, to destination: IPv4Address, from requestedSource: IPv4Address?,
                      tos: UInt8 = 0, ttl: UInt8 = 255, options: [IPv4Option] = [], via forced: Int? = nil, network: Network) -> Bool {
        if destination.isMulticast && forced == nil {
            // IOS `ping 239.1.1.1 source Loopback0` on a multicast router: the router is its own first hop, so the
            // datagram goes through the forwarding table as if it had arrived on the source's interface.
            if multicastRouting, isRouter, Self.isRoutableGroup(destination), let requestedSource,
               let from = interfaceOwning(requestedSource) {
                guard isUp(from, network: network) else { return false }
                let (frame, offset) = makeDatagram(payload, from: requestedSource, to: destination, tos: tos, ttl: ttl,
                                                   options: options, mac: interfaces[from].sourceMAC, network: network)
                routeMulticast(frame, offset: offset, group: destination, interface: from, originated: true, network: network)
                return true
            }
            // A datagram to a group with no interface named leaves by every interface with an address.
            var sent = false
            for out in multicastEgressInterfaces(network: network) {
                sent = sendDatagram(payload, to: destination, from: requestedSource, tos: tos, ttl: ttl, options: options,
                                    via: out, network: network) || sent
            }
            return sent
        }
        let out: Int
        var gateway: IPv4Address?
        if let forced {
            guard forced < interfaces.count, isUp(forced, network: network) else { return false }
            out = forced
        } else {
            guard let route = routes.lookup(destination), let hop = route.nextHops.first, let o = hop.interface,
                  isUp(o, network: network) else {
                network.drops[.noRoute, default: 0] &+= 1
                return false
            }
            out = o
            gateway = hop.gateway
        }
        let source = requestedSource ?? interfaces[out].primary?.address ?? .any
        let (frame, _) = makeDatagram(payload, from: source, to: destination, tos: tos, ttl: ttl, options: options,
                                      mac: interfaces[out].sourceMAC, network: network)
        let nextHop = gateway ?? destination
        if let mac = resolve(nextHop, on: out, holding: frame, network: network) {
            finishAndTransmit(frame, nextHopMAC: mac, interface: out, network: network)
        }
        return true
    }

    /// Builds a datagram of this node in a pooled frame (Ethernet destination left zero); returns the frame
    /// and the offset of its IPv4 header.
    func makeDatagram(_ payload: LocalPayload, from source: IPv4Address, to destination: IPv4Address, tos: UInt8, ttl: UInt8,
                      options: [IPv4Option], mac: MACAddress, network: Network) -> (FrameHandle, Int) {
        var payloadBytes: [UInt8]
        let proto: IPProtocol
        switch payload {
        case let .icmp(message):
            payloadBytes = message.bytes()
            proto = .icmp
        case let .raw(p, bytes):
            payloadBytes = bytes
            proto = p
        case let .udp(sp, dp, data):
            let udp = UDPHeader(sourcePort: sp, destinationPort: dp, payloadLength: data.count)
            payloadBytes = [UInt8](repeating: 0, count: UDPHeader.encodedLength) + data
            payloadBytes.withUnsafeMutableBytes { udp.emit(into: $0, source: source, destination: destination) }
            proto = .udp
        }
        let ip = IPv4Header(tos: tos, identification: nextIdentification(), ttl: ttl, protocolNumber: proto,
                            source: source, destination: destination, options: options, payloadLength: payloadBytes.count)
        let ethernet = EthernetHeader(destination: .zero, source: mac, etherType: .ipv4)
        let length = ethernet.encodedLength + ip.encodedLength + payloadBytes.count
        let frame = network.frames.allocate(length: FrameBuilder.paddedLength(length))
        network.frames.withMutableBytes(frame) { bytes in
            for k in length..<bytes.count { bytes[k] = 0 }
            ethernet.emit(into: bytes)
            ip.emit(into: UnsafeMutableRawBufferPointer(rebasing: bytes[ethernet.encodedLength...]))
            let start = ethernet.encodedLength + ip.encodedLength
            for (k, b) in payloadBytes.enumerated() { bytes[start + k] = b }
        }
        return (frame, ethernet.encodedLength)
    }
}
