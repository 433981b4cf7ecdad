import Engine
import Wire

extension IPNode {
    /// RFC 826 "Packet Reception", with IOS's refusal of multicast hardware addresses.
    func receiveARP(_ frame: FrameHandle, offset: Int, interface index: Int, network: Network) {
        let parsed = network.frames.withBytes(frame) { bytes in
            try? ARPPacket(parsing: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        }
        network.frames.release(frame)
        guard let arp = parsed else { network.drops[.malformed, default: 0] &+= 1; return }
        // The field fault (a scenario's `ignore-arp-replies`): the reply was counted in, and is ignored silently.
        if arp.operation == .reply, let port = interfaces[index].port, network.ports[port.index].ignoresARPReplies { return }
        let sender = arp.senderProtocolAddress
        network.debug(id, .arp, "IP ARP: rcvd \(arp.operation == .reply ? "rep" : "req") src \(sender) \(arp.senderHardwareAddress), dst \(arp.targetProtocolAddress) \(self.interfaces[index].name)")
        let onSubnet = interfaces[index].addresses.contains { $0.prefix.contains(sender) }
        // RFC 1812 §3.3.2 and IOS: a router does not believe an ARP reply that maps an IP address to a
        // broadcast or multicast MAC (the entry stays incomplete). This is why NLB multicast mode needs a
        // static ARP on the router; hosts (Windows clients on the cluster's VLAN) accept it (ios-behavior §10.1).
        if isRouter, arp.senderHardwareAddress.isMulticast {
            network.record("\(name) ARP: ignored \(arp.operation == .reply ? "reply" : "request") from \(sender) with multicast MAC \(arp.senderHardwareAddress)")
            return
        }
        // RFC 826: "If the pair <protocol type, sender protocol address> is already in my translation
        // table, update the sender hardware address field of the entry with the new information".
        var merged = false
        if var entry = arpCache[sender], entry.state != .staticEntry {
            learn(&entry, mac: arp.senderHardwareAddress, interface: index, network: network)
            arpCache[sender] = entry
            merged = true
        }
        let clusterTarget = interfaces[index].nlb.map { $0.clusterAddress == arp.targetProtocolAddress } ?? false
        let targetIsMine = clusterTarget || interfaces[index].addresses.contains { $0.address == arp.targetProtocolAddress }
        guard targetIsMine else { return }
        // RFC 826: "If Merge_flag is false, add the triplet ... to the translation table."
        if !merged && onSubnet && sender != .any && arpCache[sender]?.state != .staticEntry {
            network.debug(id, .arp, "IP ARP: creating entry for IP address: \(sender), hw: \(arp.senderHardwareAddress)")
            var entry = ARPEntry(address: sender, mac: nil, interface: index, state: .incomplete, updated: network.now)
            learn(&entry, mac: arp.senderHardwareAddress, interface: index, network: network)
            arpCache[sender] = entry
        }
        if arp.operation == .request {
            // Every NLB member answers for the cluster IP with the mode's cluster MAC (ios-behavior §10.2).
            let answer = clusterTarget ? NLB.clusterMAC(arp.targetProtocolAddress, mode: interfaces[index].nlb!.mode) : interfaces[index].mac
            let reply = ARPPacket(operation: .reply, senderHardwareAddress: answer,
                                  senderProtocolAddress: arp.targetProtocolAddress,
                                  targetHardwareAddress: arp.senderHardwareAddress, targetProtocolAddress: sender)
            sendARP(reply, to: arp.senderHardwareAddress, on: index, network: network)
        }
    }

    /// Completes or refreshes an entry and releases the frames that waited for it.
    func learn(_ entry: inout ARPEntry, mac: MACAddress, interface index: Int, network: Network) {
        entry.mac = mac
        entry.interface = index
        entry.state = .dynamic
        entry.updated = network.now
        entry.attempts = 0
        if let t = entry.timer { cancelTimer(t); entry.timer = nil }
        if isRouter { entry.timer = armTimer(.arpRefresh(entry.address), at: network.now + interfaces[index].arpTimeout, network: network) }
        let waiting = entry.pending
        entry.pending.removeAll()
        for frame in waiting { finishAndTransmit(frame, nextHopMAC: mac, interface: index, network: network) }
    }

    /// The MAC address for `address` on interface `index`, or nil after starting (or continuing)
    /// resolution; `frame`, if given, waits for the answer.
    func resolve(_ address: IPv4Address, on index: Int, holding frame: FrameHandle?, network: Network) -> MACAddress? {
        if address.isLimitedBroadcast || interfaces[index].addresses.contains(where: { $0.prefix.broadcast == address && $0.prefix.length < 31 }) {
            return .broadcast
        }
        if address.isMulticast { return MACAddress.multicast(for: address) }
        if let entry = arpCache[address] {
            switch entry.state {
            case .staticEntry:
                return entry.mac
            case .dynamic where isRouter || network.now - entry.updated < interfaces[entry.interface].arpTimeout:
                // A router's entry lives on past its timeout while the refresh is asked (`arpRefresh`).
                return entry.mac
            case .dynamic:
                arpCache[address] = nil  // aged out: resolve afresh
            case .incomplete:
                if let frame { hold(frame, for: address, network: network) }
                return nil
            }
        }
        arpCache[address] = ARPEntry(address: address, mac: nil, interface: index, state: .incomplete, updated: network.now)
        if let frame { hold(frame, for: address, network: network) }
        arpRetry(address, network: network)
        return nil
    }

    /// A packet whose next hop is still being resolved waits for the answer (a few per entry), as RFC 1122
    /// §2.3.2.2 asks of a host ("SHOULD save (rather than discard) at least one ... packet"). IOS routers drop it
    /// instead (the `.!!!!` of a first ping); that is not modelled yet.
    func hold(_ frame: FrameHandle, for address: IPv4Address, network: Network) {
        if arpCache[address]!.pending.count < IPNode.arpHoldLimit {
            arpCache[address]!.pending.append(frame)
        } else {
            network.drop(frame, .arpUnresolved)
        }
    }

    /// Sends (or repeats) the request for an incomplete entry, or gives up after the last attempt.
    func arpRetry(_ address: IPv4Address, network: Network) {
        guard var entry = arpCache[address], entry.state == .incomplete else { return }
        entry.timer = nil
        if entry.attempts >= IPNode.arpMaxAttempts {
            for f in entry.pending { network.drop(f, .arpUnresolved) }
            arpCache[address] = nil
            return
        }
        entry.attempts += 1
        let i = entry.interface
        let request = arpRequest(for: address, on: i)
        entry.timer = armTimer(.arpRetry(address), at: network.now + IPNode.arpRetryInterval, network: network)
        arpCache[address] = entry
        sendARP(request, to: .broadcast, on: i, network: network)
    }

    /// A router's dynamic entry reached its ARP timeout. IOS does not drop it there: it asks the known MAC again
    /// (a unicast request) and keeps using the entry; an answer refreshes it (RFC 826 merge, `learn`), and after
    /// the last unanswered attempt it is removed, so the next packet starts resolution afresh (recalled IOS
    /// behaviour, not sourced: the retry count and interval are the incomplete entry's).
    func arpRefresh(_ address: IPv4Address, network: Network) {
        guard var entry = arpCache[address], entry.state == .dynamic, let mac = entry.mac else { return }
        entry.timer = nil
        if entry.attempts >= IPNode.arpMaxAttempts {
            arpCache[address] = entry
            removeARPEntry(address, network: network)
            return
        }
        entry.attempts += 1
        entry.timer = armTimer(.arpRefresh(address), at: network.now + IPNode.arpRetryInterval, network: network)
        arpCache[address] = entry
        sendARP(arpRequest(for: address, on: entry.interface), to: mac, on: entry.interface, network: network)
    }

    /// Schedules the gratuitous ARP for an interface whose address came up; it goes out from the event
    /// loop (at the current time), so captures and traces attached before the run see it.
    func announce(_ index: Int, network: Network) {
        _ = armTimer(.gratuitousARP(index), at: network.now, network: network)
    }

    /// RFC 5227-style announcement IOS sends when an address comes up (sender = target = own address).
    func sendGratuitousARP(on index: Int, network: Network) {
        for a in interfaces[index].addresses {
            let announce = ARPPacket(operation: .request, senderHardwareAddress: interfaces[index].mac,
                                     senderProtocolAddress: a.address, targetHardwareAddress: .zero,
                                     targetProtocolAddress: a.address)
            sendARP(announce, to: .broadcast, on: index, network: network)
        }
    }

    func sendARP(_ arp: ARPPacket, to destination: MACAddress, on index: Int, network: Network) {
        guard let port = interfaces[index].port, isUp(index, network: network) else { return }
        network.debug(id, .arp, "IP ARP: sent \(arp.operation == .reply ? "rep" : "req") src \(arp.senderProtocolAddress) \(arp.senderHardwareAddress), dst \(arp.targetProtocolAddress) \(arp.targetHardwareAddress) \(self.interfaces[index].name)")
        let tag = interfaces[index].vlan.map { VLANTag(vlanID: $0) }
        let ethernet = EthernetHeader(destination: destination, source: interfaces[index].sourceMAC, vlanTag: tag, etherType: .arp)
        let length = ethernet.encodedLength + ARPPacket.encodedLength
        let frame = network.frames.allocate(length: FrameBuilder.paddedLength(length))
        network.frames.withMutableBytes(frame) { bytes in
            for k in length..<bytes.count { bytes[k] = 0 }
            ethernet.emit(into: bytes)
            arp.emit(into: UnsafeMutableRawBufferPointer(rebasing: bytes[ethernet.encodedLength...]))
        }
        network.transmit(frame, on: port)
    }

    /// Installs the static `arp` entries.
    func installStaticARP(network: Network) {
        for (address, entry) in arpCache where entry.state == .staticEntry { arpCache[address] = nil; _ = entry }
        for (address, mac) in settings.staticARP.sorted(by: { $0.key < $1.key }) {
            guard let index = interfaces.indices.first(where: { i in interfaces[i].addresses.contains { $0.prefix.contains(address) } })
            else { continue }
            if let old = arpCache[address] { for f in old.pending { finishAndTransmit(f, nextHopMAC: mac, interface: index, network: network) } }
            arpCache[address] = ARPEntry(address: address, mac: mac, interface: index, state: .staticEntry, updated: network.now)
        }
    }
}

extension Network {
    /// IOS `clear arp-cache [interface X]`: "refreshes dynamically created entries" (Cisco command reference,
    /// recalled): each learned entry still within its timeout is asked for again (the answer refreshes it, RFC 826
    /// merge); entries past their timeout and unanswered requests are removed. Static entries stay.
    public func clearARPCache(_ node: NodeID, interface: Int? = nil) {
        guard let n = ipNode(node) else { return }
        for address in n.arpCache.keys.sorted() {
            guard let entry = n.arpCache[address], entry.state != .staticEntry,
                  interface == nil || entry.interface == interface else { continue }
            let fresh = entry.state == .dynamic && now - entry.updated < n.interfaces[entry.interface].arpTimeout
            guard fresh, let mac = entry.mac else {
                n.removeARPEntry(address, network: self)
                continue
            }
            // The refresh is asked of the known MAC, a unicast request (recalled, not sourced).
            n.sendARP(n.arpRequest(for: address, on: entry.interface), to: mac, on: entry.interface, network: self)
        }
    }

    /// IOS `clear ip arp A.B.C.D`: the dynamic entry for one address is removed.
    public func clearARPEntry(_ node: NodeID, _ address: IPv4Address) {
        guard let n = ipNode(node), let entry = n.arpCache[address], entry.state != .staticEntry else { return }
        n.removeARPEntry(address, network: self)
    }
}

extension IPNode {
    /// An RFC 826 request for `address` from interface `index`, sent from the interface's address on that subnet.
    func arpRequest(for address: IPv4Address, on index: Int) -> ARPPacket {
        let source = interfaces[index].addresses.first { $0.prefix.contains(address) }?.address ?? interfaces[index].primary?.address ?? .any
        return ARPPacket(operation: .request, senderHardwareAddress: interfaces[index].mac, senderProtocolAddress: source,
                         targetHardwareAddress: .zero, targetProtocolAddress: address)
    }

    /// Removes an entry, dropping what waited for it and cancelling its retry.
    func removeARPEntry(_ address: IPv4Address, network: Network) {
        guard let entry = arpCache[address] else { return }
        for f in entry.pending { network.drop(f, .arpUnresolved) }
        if let t = entry.timer { cancelTimer(t) }
        arpCache[address] = nil
    }
}
