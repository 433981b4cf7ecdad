import Engine
import Wire

/// The packets one LS Update's processing produces, bundled per destination and sent at the end
/// (RFC 2328 §13.3 floods, §13.5 direct acknowledgements, §13 (8) copies sent back).
struct FloodingOutbox {
    var updates: [(interface: OSPFInterfaceID, destination: IPv4Address, lsas: [LSA])] = []
    var acks: [(interface: OSPFInterfaceID, destination: IPv4Address, headers: [LSAHeader])] = []

    mutating func send(_ lsa: LSA, on interface: OSPFInterfaceID, to destination: IPv4Address) {
        if let i = updates.firstIndex(where: { $0.interface == interface && $0.destination == destination }) {
            updates[i].lsas.append(lsa)
        } else {
            updates.append((interface, destination, [lsa]))
        }
    }

    mutating func acknowledge(_ header: LSAHeader, on interface: OSPFInterfaceID, to destination: IPv4Address) {
        if let i = acks.firstIndex(where: { $0.interface == interface && $0.destination == destination }) {
            acks[i].headers.append(header)
        } else {
            acks.append((interface, destination, [header]))
        }
    }
}

extension OSPFFlooding {
    /// Receiving an LS Update from a neighbor, RFC 2328 §13: each LSA in turn through steps (1)–(8).
    /// `LSA(parsing:)` has already verified every LSA's checksum (step (1)), so a damaged LSA never gets here.
    public mutating func receiveUpdate(_ lsas: [LSA], on interface: OSPFInterfaceID, from neighborID: IPv4Address,
                                       now: SimTime, actions: inout [FloodingAction]) {
        let i = interface.rawValue
        guard interfaces.indices.contains(i),
              let n = interfaces[i].neighbors.firstIndex(where: { $0.neighborID == neighborID }) else { return }
        let state = interfaces[i].neighbors[n].state
        // RFC 2328 §13: "If the receiving neighbor is in a lesser state than Exchange, the packet should be
        // dropped without further processing."
        guard state >= .exchange else {
            debug(interface, "Ignoring LS Update from \(neighborID) in state \(state)", actions: &actions)
            return
        }
        var outbox = FloodingOutbox()
        for lsa in lsas {
            // The sender as it is now: an earlier LSA of the packet may have ended its Loading.
            guard receiveOne(lsa, on: interface, from: interfaces[i].neighbors[n], now: now, outbox: &outbox,
                             actions: &actions) else { break }
        }
        emit(outbox, actions: &actions)
        scheduleAgeing(now: now, actions: &actions)
    }

    /// One LSA of an update, RFC 2328 §13 (2)–(8). Returns false when the rest of the packet is dropped (6).
    mutating func receiveOne(_ lsa: LSA, on interface: OSPFInterfaceID, from sender: OSPFNeighbor, now: SimTime,
                             outbox: inout FloodingOutbox, actions: inout [FloodingAction]) -> Bool {
        let receiving = interfaces[interface.rawValue]
        // (2) An unknown LS type is discarded; (3) AS-external-LSAs not in stub areas or NSSAs, and
        // (RFC 3101 §2.5) type-7 LSAs only in NSSAs.
        switch lsa.type {
        case .router, .network, .summaryNetwork, .summaryASBR:
            break
        case .asExternal where receiving.externalRoutingCapable:
            break
        case .nssaExternal where receiving.isNSSA:
            break
        default:
            debug(interface, "Discarding \(lsa.type) LSA \(lsa.linkStateID) not allowed in this area",
                  actions: &actions)
            return true
        }
        let scope = Self.scope(of: lsa.type, area: receiving.areaID)
        let key = LSAKey(lsa)
        let scoped = ScopedKey(scope: scope, key: key)
        // Shared with every other router that received this instance (LSAInstanceTable).
        let instance = LSAInstanceTable.shared.instance(for: lsa)
        let received = header(of: instance, age: lsa.age)
        let current = database(scope)[key]

        // (4) A MaxAge LSA we do not hold, while no neighbor is exchanging or loading: acknowledge, discard.
        if lsa.age == LSAHeader.maxAge, current == nil, !anyNeighborExchangingOrLoading {
            outbox.acknowledge(received, on: interface, to: sender.address)
            return true
        }

        let order = current.map { LSDB.order(received, $0.header(at: now)) } ?? .newer
        if order == .newer {
            // (5)(a) Our copy came by flooding less than MinLSArrival ago: drop the new one, unacknowledged.
            if current != nil, let at = receivedByFloodingAt[scoped], now - at < OSPFConstants.minLSArrival {
                debug(interface, "Discarding \(key): received within MinLSArrival", actions: &actions)
                return true
            }
            // (5)(c), (d) and then (b): removing the old copy from the retransmission lists and installing the
            // new one before flooding it gives the same lists as the RFC's order, and flooding reads the copy
            // just installed.
            removeFromRetransmissionLists(scoped, now: now, actions: &actions)
            let result = withDatabase(scope) { $0.install(instance, age: lsa.age, now: now) }
            receivedByFloodingAt[scoped] = now
            if lsa.age == LSAHeader.maxAge { maxAgeFlooded.insert(scoped) } else { maxAgeFlooded.remove(scoped) }
            noteInstalled(scoped, result: result, now: now, actions: &actions)
            let floodedBack = flood(scoped, receivedOn: interface, from: sender.neighborID, now: now,
                                    outbox: &outbox, actions: &actions)
            // (5)(e) RFC 2328 §13.5: flooded back out the receiving interface is an implied acknowledgement;
            // otherwise a delayed one, which a Backup sends only for LSAs the DR sent.
            if !floodedBack, receiving.state != .backup || sender.address == receiving.designatedRouter {
                queueDelayedAck(received, on: interface, now: now, actions: &actions)
            }
            // (5)(f) RFC 2328 §13.4: a newer instance of our own LSA; the owner answers it.
            if isSelfOriginated(lsa) { actions.append(.selfOriginatedLSAReceived(lsa, scope: scope)) }
            return true
        }

        // (6) We asked this neighbor for the LSA, yet it is not newer than ours: the exchange went wrong.
        if sender.state == .exchange || sender.state == .loading,
           sender.linkStateRequestList.contains(LSARequest(key)) {
            debug(interface, "BadLSReq from \(sender.neighborID) for \(key)", actions: &actions)
            actions.append(.interface(interface, .neighborEvent(.badLSReq, neighborID: sender.neighborID)))
            return false
        }

        guard let current else { return true }
        if order == .same {
            // (7)(a) On the retransmission list: an implied acknowledgement. (7)(b) RFC 2328 §13.5: a Backup
            // acknowledges (delayed) what the DR sent; otherwise no ack. Not on the list: a direct ack.
            if removeFromRetransmissionList(received, interface: interface, neighborID: sender.neighborID,
                                            now: now, actions: &actions) {
                if receiving.state == .backup, sender.address == receiving.designatedRouter {
                    queueDelayedAck(received, on: interface, now: now, actions: &actions)
                }
                // RFC 2328 §14: that may have been the last list holding a flushed LSA.
                if lsa.age == LSAHeader.maxAge { removeIfFlushed(scoped, now: now, actions: &actions) }
            } else {
                outbox.acknowledge(received, on: interface, to: sender.address)
            }
            return true
        }

        // (8) Our copy is more recent. A MaxAge copy at MaxSequenceNumber is being flushed to wrap the sequence
        // number: discard, no ack. Otherwise send ours back directly, at most once per MinLSArrival.
        if current.isMaxAge(at: now), current.instance.sequenceNumber == LSAHeader.maxSequenceNumber { return true }
        let sentBack = SentBack(neighbor: NeighborRef(interface: interface, neighborID: sender.neighborID), lsa: scoped)
        if let at = sentBackAt[sentBack], now - at < OSPFConstants.minLSArrival { return true }
        sentBackAt[sentBack] = now
        outbox.send(self.lsa(current, sentOn: receiving, now: now), on: interface, to: sender.address)
        return true
    }

    /// The header of an instance at a given age (RFC 2328 §12.1: only the age differs from the stored one).
    func header(of instance: LSAInstance, age: UInt16) -> LSAHeader {
        let lsa = instance.lsa
        return LSAHeader(age: age, options: lsa.options, type: lsa.type, linkStateID: lsa.linkStateID,
                         advertisingRouter: lsa.advertisingRouter, sequenceNumber: lsa.sequenceNumber,
                         checksum: instance.checksum, length: instance.length)
    }

    mutating func noteInstalled(_ scoped: ScopedKey, result: LSDB.InstallResult, now: SimTime,
                                actions: inout [FloodingAction]) {
        guard case let .installed(changed) = result else { return }
        actions.append(.installed(scoped.key, scope: scoped.scope, contentsChanged: changed))
        // Arm the ageing timer earlier if this LSA reaches MaxAge before the next sweep.
        guard let entry = database(scoped.scope)[scoped.key] else { return }
        let reachesMaxAge = entry.isMaxAge(at: now)
            ? now + .seconds(1) : now + .seconds(Int64(LSAHeader.maxAge - entry.age(at: now)))
        if ageingDeadline.map({ reachesMaxAge < $0 }) ?? true {
            ageingDeadline = reachesMaxAge
            actions.append(.startAgeingTimer(at: reachesMaxAge))
        }
    }

    /// Sends what an update's processing produced: updates and acknowledgements split to fit the MTU.
    func emit(_ outbox: FloodingOutbox, actions: inout [FloodingAction]) {
        for (interface, destination, lsas) in outbox.updates {
            for packet in Self.packets(lsas, mtu: interfaces[interface.rawValue].mtu) {
                actions.append(.sendUpdate(packet, interface: interface, destination: destination))
            }
        }
        for (interface, destination, headers) in outbox.acks {
            let perPacket = OSPFPacketBudget.headersPerAcknowledgment(mtu: interfaces[interface.rawValue].mtu)
            for start in stride(from: 0, to: headers.count, by: perPacket) {
                let packet = Array(headers[start..<min(start + perPacket, headers.count)])
                actions.append(.sendAcknowledgment(packet, interface: interface, destination: destination))
            }
        }
    }

    /// LSAs grouped into LS Updates that fit the MTU, in order; one LSA too large for any goes alone.
    static func packets(_ lsas: [LSA], mtu: UInt16) -> [[LSA]] {
        let budget = OSPFPacketBudget.lsaBytesPerUpdate(mtu: mtu)
        var packets: [[LSA]] = []
        var current: [LSA] = []
        var bytes = 0
        for lsa in lsas {
            let length = lsa.encodedLength
            if !current.isEmpty, bytes + length > budget {
                packets.append(current)
                current = []
                bytes = 0
            }
            current.append(lsa)
            bytes += length
        }
        if !current.isEmpty { packets.append(current) }
        return packets
    }
}
