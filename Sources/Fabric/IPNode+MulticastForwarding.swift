import Engine
import Wire

/// The header fields `debug ip mpacket` prints (ios-behavior §8.4), read once when the switch is on.
struct MPacketSummary {
    var source: IPv4Address
    var group: IPv4Address
    var identification: UInt16
    var ttl: UInt8
    var protocolNumber: UInt8
    var totalLength: Int

    /// `IP(0): s=10.1.1.1 (Ethernet0/0) d=239.1.1.1`, then ` (Serial0/1)` for a forwarded copy.
    func line(in arrival: String, out: String?, _ outcome: String) -> String {
        // IOS prints len=A(B) with B the IP total length and A four more (both captured outputs show 104(100)).
        "IP(0): s=\(source) (\(arrival)) d=\(group)\(out.map { " (\($0))" } ?? "") id=\(identification), ttl=\(ttl), "
            + "prot=\(protocolNumber), len=\(totalLength + 4)(\(totalLength)), \(outcome)"
    }
}

extension IPNode {
    // MARK: - The multicast data plane (DESIGN "The multicast data plane"; RFC 7761 §4.2, simplified)

    /// Whether a datagram to `group` goes through the forwarding table: any group but 224.0.0.x, which
    /// never leaves its link (RFC 5771 §4).
    @inline(__always)
    static func isRoutableGroup(_ group: IPv4Address) -> Bool {
        group.isMulticast && group.rawValue & 0xFFFF_FF00 != 0xE000_0000
    }

    /// A datagram to a routable group on a router with multicast routing, arrived on logical interface `index`
    /// (or originated by the router from that interface's address, `originated`: no TTL decrement, no local copy).
    /// Finds the (S,G) entry, else the (*,G); checks RPF; tells the protocols what the entry asked to hear of;
    /// replicates to the outgoing interfaces; delivers a copy here when the router is a member. Takes the frame.
    /// - Complexity: two hash probes and O(outgoing interfaces); no allocation unless an event fires.
    func routeMulticast(_ frame: FrameHandle, offset: Int, group: IPv4Address, interface index: Int,
                        originated: Bool = false, network: Network) {
        let header = network.frames.unsafeBytes(frame)
        let source = IPv4Address(rawValue: UInt32(header[offset + 12]) << 24 | UInt32(header[offset + 13]) << 16
            | UInt32(header[offset + 14]) << 8 | UInt32(header[offset + 15]))
        let ttl = header[offset + 8]
        let totalLength = Int(header[offset + 2]) << 8 | Int(header[offset + 3])
        let summary: MPacketSummary? = network.isDebugging(id, .ipMPacket)
            ? MPacketSummary(source: source, group: group, identification: UInt16(header[offset + 4]) << 8 | UInt16(header[offset + 5]),
                             ttl: ttl, protocolNumber: header[offset + 9], totalLength: totalLength)
            : nil

        // RFC 7761 §4.2 (simplified): the (S,G) entry decides when there is one, on its RPF interface or, until
        // the SPT delivers, the shared tree's; otherwise the (*,G) on its own RPF interface.
        let sgKey = MulticastRouteKey(source: source, group: group)
        let starKey = MulticastRouteKey(source: .any, group: group)
        let key: MulticastRouteKey
        var slot: Dictionary<MulticastRouteKey, MulticastRoute>.Index
        let accepted: Bool, onIncoming: Bool
        if let sg = multicastTable.entries.index(forKey: sgKey) {
            key = sgKey
            slot = sg
            onIncoming = multicastTable.entries.values[sg].incoming == index
            accepted = onIncoming || multicastTable.entries.values[sg].alsoAccepted == index
        } else if let star = multicastTable.entries.index(forKey: starKey) {
            key = starKey
            slot = star
            onIncoming = multicastTable.entries.values[star].incoming == index
            accepted = onIncoming
        } else {
            // No state: PIM decides (a directly connected source's DR creates (S,G) and registers this packet).
            signalMulticast(.noEntry, source: source, group: group, interface: index, frame: frame, ipOffset: offset, network: network)
            network.drop(frame, .noMulticastRoute)
            return
        }
        guard accepted else {
            // ios-behavior §8.3: RPF failures are dropped silently and counted (`show ip mroute count`); PIM
            // hears of it to assert when it came in on an outgoing interface (RFC 7761 §4.6).
            multicastTable.entries.values[slot].rpfFailures &+= 1
            if let port = interfaces[index].port { network.ports[port.index].rpfFailureDrops &+= 1 }
            if let summary { network.debug(id, .ipMPacket, summary.line(in: interfaces[index].name, out: nil, "not RPF interface")) }
            signalMulticast(.wrongInterface, source: source, group: group, interface: index, frame: frame, ipOffset: offset,
                            network: network)
            network.drop(frame, .rpfFailure)
            return
        }

        // What the entry asked to hear of, each condition read afresh after the previous callback (PIM may act
        // on one: set T and clear signalArrivals, create the (S,G) of a new source, stop registering). Without a
        // callback nothing is looked up again.
        if onIncoming && multicastTable.entries.values[slot].signalArrivals {
            signalMulticast(.arrival, source: source, group: group, interface: index, frame: frame, ipOffset: offset, network: network)
            guard let again = multicastTable.entries.index(forKey: key) else { network.drop(frame, .noMulticastRoute); return }
            slot = again
        }
        if key.source == .any && multicastTable.entries.values[slot].signalNewSources && multicastTable.entries.index(forKey: sgKey) == nil {
            signalMulticast(.newSource, source: source, group: group, interface: index, frame: frame, ipOffset: offset, network: network)
            guard let again = multicastTable.entries.index(forKey: key) else { network.drop(frame, .noMulticastRoute); return }
            slot = again
        }
        if multicastTable.entries.values[slot].registering {
            signalMulticast(.register, source: source, group: group, interface: index, frame: frame, ipOffset: offset, network: network)
            guard let again = multicastTable.entries.index(forKey: key) else { network.drop(frame, .noMulticastRoute); return }
            slot = again
        }

        multicastTable.entries.values[slot].packets &+= 1
        multicastTable.entries.values[slot].bytes &+= UInt64(totalLength)
        multicastTable.entries.values[slot].lastPacket = network.now
        // The L flag: the router itself is a member, so it takes a copy (a ping to the group is answered).
        let local = !originated && localGroups.contains(group.rawValue)
        let outcome = replicate(frame, offset: offset, group: group, along: multicastTable.entries.values[slot].outgoing,
                                arrival: index, ttl: ttl, decrement: !originated, keep: local, summary: summary, network: network)
        if local {
            guard let ip = network.frames.withBytes(frame, { try? IPv4Header(parsing: UnsafeRawBufferPointer(rebasing: $0[offset...])) }) else {
                network.drop(frame, .malformed)
                return
            }
            deliverLocally(frame, offset: offset, header: ip, interface: index, network: network)
        } else if outcome.copies == 0 {
            multicastTable.entries.values[slot].otherDrops &+= 1
            network.drop(frame, outcome.ttlTooLow ? .ttlExpired : .noListener)
        }
    }

    /// Sends a copy of the packet out of each interface of `outgoing` that takes it: never the arrival
    /// interface, only up ones with a port, and only when the TTL after decrement is above the interface's
    /// `ip multicast ttl-threshold` (and above 0). Each copy gets the group's RFC 1112 §6.4 MAC, the
    /// interface's MAC and its subinterface tag. Without `keep` the last copy is the frame itself; when no
    /// copy is sent, or with `keep`, the frame is left to the caller unchanged.
    func replicate(_ frame: FrameHandle, offset: Int, group: IPv4Address, along outgoing: [Int], arrival: Int, ttl: UInt8,
                   decrement: Bool, keep: Bool, summary: MPacketSummary?, network: Network) -> (copies: Int, ttlTooLow: Bool) {
        let after = decrement ? Int(ttl) - 1 : Int(ttl)
        var last = -1
        var ttlTooLow = false
        for k in outgoing.indices.reversed() {
            let out = outgoing[k]
            guard out != arrival, out >= 0, out < interfaces.count, interfaces[out].port != nil, isUp(out, network: network) else { continue }
            let threshold = out < multicastTable.ttlThresholds.count ? multicastTable.ttlThresholds[out] : 0
            guard after > max(0, threshold) else { ttlTooLow = true; continue }
            last = k
            break
        }
        guard last >= 0 else { return (0, ttlTooLow) }
        let mac = MACAddress.multicast(for: group)
        let inputPort = arrival >= 0 && arrival < interfaces.count ? interfaces[arrival].port : nil
        var copies = 0
        for k in 0...last {
            let out = outgoing[k]
            guard out != arrival, out >= 0, out < interfaces.count, interfaces[out].port != nil, isUp(out, network: network) else { continue }
            let threshold = out < multicastTable.ttlThresholds.count ? multicastTable.ttlThresholds[out] : 0
            guard after > max(0, threshold) else { continue }
            let copy = k == last && !keep ? frame : network.frames.copy(frame)
            if decrement { network.frames.withMutableBytes(copy) { FrameView.decrementTTL($0, ipOffset: offset) } }
            if let summary {
                let arrivalName = arrival >= 0 && arrival < interfaces.count ? interfaces[arrival].name : "Null"
                network.debug(id, .ipMPacket, summary.line(in: arrivalName, out: interfaces[out].name, "mforward"))
            }
            copies += 1
            finishAndTransmit(copy, nextHopMAC: mac, interface: out, inputPort: inputPort, network: network)
        }
        return (copies, false)
    }

    /// Hands a multicast data event to every protocol running here, each with its own context.
    func signalMulticast(_ kind: MulticastDataEvent.Kind, source: IPv4Address, group: IPv4Address, interface: Int,
                         frame: FrameHandle, ipOffset: Int, network: Network) {
        let event = MulticastDataEvent(kind: kind, source: source, group: group, interface: interface, frame: frame, ipOffset: ipOffset)
        var p = 0
        while p < protocols.count {
            protocols[p].multicastData(event, context(p, network))
            p += 1
        }
    }

    // MARK: - Decapsulated packets (the RP)

    /// Sends a whole IPv4 datagram (a Register's inner packet, RFC 7761 §4.4.2) down entry `key`'s outgoing
    /// interfaces as forwarding does, without an RPF check, counted on the entry; a member router takes a copy.
    /// False when the entry does not exist or `datagram` is not a valid IPv4 packet from its source to its group.
    func forwardDecapsulated(_ datagram: [UInt8], along key: MulticastRouteKey, outgoing: [Int]? = nil, network: Network) -> Bool {
        guard let slot = multicastTable.entries.index(forKey: key), datagram.count >= 20, datagram[0] >> 4 == 4 else { return false }
        let ihl = Int(datagram[0] & 0x0F) * 4
        let total = Int(datagram[2]) << 8 | Int(datagram[3])
        guard ihl >= 20, total >= ihl, total <= datagram.count else { return false }
        let source = IPv4Address(datagram[12], datagram[13], datagram[14], datagram[15])
        let destination = IPv4Address(datagram[16], datagram[17], datagram[18], datagram[19])
        let valid = datagram.withUnsafeBytes { InternetChecksum.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<ihl])) == 0 }
        guard valid, destination == key.group, key.source == .any || source == key.source else { return false }

        let ethernet = EthernetHeader(destination: .zero, source: .zero, etherType: .ipv4)
        let offset = ethernet.encodedLength
        let length = offset + total
        let frame = network.frames.allocate(length: FrameBuilder.paddedLength(length))
        network.frames.withMutableBytes(frame) { bytes in
            for k in length..<bytes.count { bytes[k] = 0 }
            ethernet.emit(into: bytes)
            for k in 0..<total { bytes[offset + k] = datagram[k] }
        }
        multicastTable.entries.values[slot].packets &+= 1
        multicastTable.entries.values[slot].bytes &+= UInt64(total)
        multicastTable.entries.values[slot].lastPacket = network.now
        let member = localGroups.contains(destination.rawValue) ? interfaces.indices.first { isMember(of: destination, on: $0) } : nil
        let summary: MPacketSummary? = nil  // IOS prints the register tunnel as the arrival interface; not modelled
        let outcome = replicate(frame, offset: offset, group: destination, along: outgoing ?? multicastTable.entries.values[slot].outgoing,
                                arrival: -1, ttl: datagram[8], decrement: true, keep: member != nil, summary: summary, network: network)
        if let member {
            if let ip = network.frames.withBytes(frame, { try? IPv4Header(parsing: UnsafeRawBufferPointer(rebasing: $0[offset...])) }) {
                deliverLocally(frame, offset: offset, header: ip, interface: member, network: network)
            } else {
                network.drop(frame, .malformed)
            }
        } else if outcome.copies == 0 {
            multicastTable.entries.values[slot].otherDrops &+= 1
            network.drop(frame, outcome.ttlTooLow ? .ttlExpired : .noListener)
        }
        return true
    }

    // MARK: - Router-originated multicast

    /// The logical interface that owns `address` (up or not), for a datagram the router sends from it.
    func interfaceOwning(_ address: IPv4Address) -> Int? {
        interfaces.firstIndex { $0.addresses.contains { $0.address == address } }
    }
}
