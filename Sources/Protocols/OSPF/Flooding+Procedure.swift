import Engine
import Wire

extension OSPFFlooding {
    // MARK: - RFC 2328 §13.3, next step in the flooding procedure

    /// Whether an interface floods LSAs of `scope` (RFC 2328 §13.3): the area's interfaces for area scope; for
    /// AS-external-LSAs every interface except virtual links and those in stub areas and NSSAs.
    func floods(_ interface: OSPFInterface, _ scope: FloodingScope) -> Bool {
        guard interface.state != .down, interface.state != .loopback else { return false }
        switch scope {
        case let .area(area): return interface.areaID == area
        case .autonomousSystem: return interface.externalRoutingCapable && interface.type != .virtualLink
        }
    }

    /// Floods the database copy of an LSA out every eligible interface, RFC 2328 §13.3 (1)–(5), putting it on
    /// the retransmission lists of the neighbors it is sent to. `receivedOn`/`sender` name where it came from
    /// (nil for our own LSAs and MaxAge flushes). Returns whether it went back out the receiving interface,
    /// which §13.5 counts as an implied acknowledgement.
    @discardableResult
    mutating func flood(_ scoped: ScopedKey, receivedOn: OSPFInterfaceID?, from sender: IPv4Address?, now: SimTime,
                        outbox: inout FloodingOutbox, actions: inout [FloodingAction]) -> Bool {
        guard let entry = database(scoped.scope)[scoped.key] else { return false }
        let header = entry.header(at: now)
        var floodedBack = false
        for i in interfaces.indices where floods(interfaces[i], scoped.scope) {
            let id = OSPFInterfaceID(i)
            var added: [IPv4Address] = []
            for n in interfaces[i].neighbors.indices {
                // The neighbor's fields are read in place: a copy of the neighbor retains all its lists.
                let state = interfaces[i].neighbors[n].state
                // (1)(a) Neighbors below Exchange take no part in flooding.
                guard state >= .exchange else { continue }
                // (1)(b) The neighbor still owes us this LSA. The request list keeps no instance, so the new
                // LSA is taken as at least as recent: the request is satisfied (which may end Loading), and if
                // the neighbor's copy was in fact newer, §13 (8) brings it back to us.
                if state != .full, interfaces[i].neighbors[n].linkStateRequestList.contains(LSARequest(scoped.key)) {
                    var interfaceActions: [InterfaceAction] = []
                    interfaces[i].updateNeighbor(at: n, now: now, actions: &interfaceActions) { n, link, out in
                        n.requestSatisfied(by: header, link: link, now: now, actions: &out)
                    }
                    actions.append(contentsOf: interfaceActions.map { .interface(id, $0) })
                }
                // (1)(c) Not back to the neighbor it came from.
                if id == receivedOn, interfaces[i].neighbors[n].neighborID == sender { continue }
                // (1)(d) Onto the neighbor's retransmission list, replacing an older instance.
                addToRetransmissionList(header, interface: id, neighbor: n, now: now, actions: &actions)
                added.append(interfaces[i].neighbors[n].address)
            }
            // (2) No neighbor needs it here.
            guard !added.isEmpty else { continue }
            if id == receivedOn {
                // (3) The DR or BDR sent it, so every neighbor here has it already (or gets it from the DR).
                let from = interfaces[i].neighbors.first { $0.neighborID == sender }?.address
                if let from, from == interfaces[i].designatedRouter || from == interfaces[i].backupDesignatedRouter {
                    continue
                }
                // (4) A Backup leaves the flooding back onto the network to the DR.
                if interfaces[i].state == .backup { continue }
                floodedBack = true
            }
            // (5) Multicast on broadcast and point-to-point networks, unicast to each neighbor elsewhere.
            let lsa = self.lsa(entry, sentOn: interfaces[i], now: now)
            // IOS `debug ip ospf flood`: "Send Type 1, LSID 8.8.8.8, Adv rtr 8.8.8.8, age 2, seq 0x80000001"
            // (the Cisco Press "OSPF Network Design Solutions" capture).
            debug(id, "Send Type \(scoped.key.type.rawValue), LSID \(scoped.key.linkStateID), "
                  + "Adv rtr \(scoped.key.advertisingRouter), age \(lsa.age), "
                  + "seq 0x\(String(UInt32(bitPattern: header.sequenceNumber), radix: 16))", actions: &actions)
            for destination in floodDestinations(interfaces[i], neighbors: added) {
                outbox.send(lsa, on: id, to: destination)
            }
        }
        return floodedBack
    }

    /// RFC 2328 §13.3 (5): AllSPFRouters as DR or Backup (and on point-to-point links), AllDRouters otherwise
    /// on a broadcast network; on NBMA, point-to-multipoint and virtual links each neighbor separately.
    func floodDestinations(_ interface: OSPFInterface, neighbors: [IPv4Address]) -> [IPv4Address] {
        switch interface.type {
        case .broadcast:
            [interface.state == .dr || interface.state == .backup ? OSPFPacket.allSPFRouters : OSPFPacket.allDRouters]
        case .pointToPoint:
            [OSPFPacket.allSPFRouters]
        case .nbma, .pointToMultipoint, .virtualLink:
            neighbors
        }
    }

    // MARK: - Retransmission lists, RFC 2328 §13.6

    mutating func addToRetransmissionList(_ header: LSAHeader, interface: OSPFInterfaceID, neighbor n: Int,
                                          now: SimTime, actions: inout [FloodingAction]) {
        let key = header.lsaKey
        let wasEmpty = interfaces[interface.rawValue].neighbors[n].linkStateRetransmissionList.isEmpty
        interfaces[interface.rawValue].neighbors[n].linkStateRetransmissionList.removeAll { $0.lsaKey == key }
        interfaces[interface.rawValue].neighbors[n].linkStateRetransmissionList.append(header)
        let ref = NeighborRef(interface: interface, neighborID: interfaces[interface.rawValue].neighbors[n].neighborID)
        // Armed whenever the list stops being empty: the neighbor machine may have cleared it (§10.3) while
        // the old timer was dropped by its owner.
        if retransmitting.insert(ref).inserted || wasEmpty {
            actions.append(.startRetransmitTimer(interface: interface, neighborID: ref.neighborID,
                                                 at: now + interfaces[interface.rawValue].rxmtInterval))
        }
    }

    /// RFC 2328 §13 (5)(c): the old instance leaves every retransmission list of the scope.
    mutating func removeFromRetransmissionLists(_ scoped: ScopedKey, now: SimTime, actions: inout [FloodingAction]) {
        for i in interfaces.indices where interfaces[i].areaID == scoped.scope.area || scoped.scope.area == nil {
            for n in interfaces[i].neighbors.indices {
                // Read before writing: most lists lack the LSA, and a write would copy the neighbors if shared.
                guard interfaces[i].neighbors[n].linkStateRetransmissionList.contains(where: { $0.lsaKey == scoped.key })
                else { continue }
                interfaces[i].neighbors[n].linkStateRetransmissionList.removeAll { $0.lsaKey == scoped.key }
                stopRetransmittingIfEmpty(OSPFInterfaceID(i), neighbor: n, actions: &actions)
            }
        }
    }

    /// Removes this instance from one neighbor's retransmission list (§13 (7)(a), §13.7); whether it was there.
    @discardableResult
    mutating func removeFromRetransmissionList(_ header: LSAHeader, interface: OSPFInterfaceID,
                                               neighborID: IPv4Address, now: SimTime,
                                               actions: inout [FloodingAction]) -> Bool {
        let i = interface.rawValue
        guard let n = interfaces[i].neighbors.firstIndex(where: { $0.neighborID == neighborID }),
              let index = interfaces[i].neighbors[n].linkStateRetransmissionList.firstIndex(where: {
                  $0.lsaKey == header.lsaKey && isSameInstance($0, header)
              }) else { return false }
        interfaces[i].neighbors[n].linkStateRetransmissionList.remove(at: index)
        stopRetransmittingIfEmpty(interface, neighbor: n, actions: &actions)
        return true
    }

    mutating func stopRetransmittingIfEmpty(_ interface: OSPFInterfaceID, neighbor n: Int,
                                            actions: inout [FloodingAction]) {
        let neighbor = interfaces[interface.rawValue].neighbors[n]
        guard neighbor.linkStateRetransmissionList.isEmpty,
              retransmitting.remove(NeighborRef(interface: interface, neighborID: neighbor.neighborID)) != nil
        else { return }
        actions.append(.stopRetransmitTimer(interface: interface, neighborID: neighbor.neighborID))
    }

    /// The neighbor's retransmission timer fired, RFC 2328 §13.6: the LSAs still unacknowledged go again,
    /// directly to the neighbor, as many as fit one LS Update, and the timer is armed for RxmtInterval.
    public mutating func retransmitTimerFired(interface: OSPFInterfaceID, neighborID: IPv4Address, now: SimTime,
                                              actions: inout [FloodingAction]) {
        let i = interface.rawValue
        let ref = NeighborRef(interface: interface, neighborID: neighborID)
        guard interfaces.indices.contains(i),
              let n = interfaces[i].neighbors.firstIndex(where: { $0.neighborID == neighborID }),
              interfaces[i].neighbors[n].state >= .exchange else {
            retransmitting.remove(ref)
            return
        }
        // Instances no longer in the database (replaced or removed) are dropped from the list.
        var lsas: [LSA] = []
        let iface = interfaces[i]
        var list = iface.neighbors[n].linkStateRetransmissionList
        list.removeAll { listed in
            let scope = Self.scope(of: listed.type, area: iface.areaID)
            guard let entry = database(scope)[listed.lsaKey], isSameInstance(entry.header(at: now), listed) else {
                return true
            }
            lsas.append(lsa(entry, sentOn: iface, now: now))
            return false
        }
        interfaces[i].neighbors[n].linkStateRetransmissionList = list
        guard let first = Self.packets(lsas, mtu: interfaces[i].mtu).first else {
            if retransmitting.remove(ref) != nil {
                actions.append(.stopRetransmitTimer(interface: interface, neighborID: neighborID))
            }
            return
        }
        debug(interface, "Retransmitting \(first.count) LSA(s) to \(neighborID)", actions: &actions)
        actions.append(.sendUpdate(first, interface: interface, destination: interfaces[i].neighbors[n].address))
        interfaces[i].neighbors[n].retransmissions += first.count
        retransmitting.insert(ref)
        actions.append(.startRetransmitTimer(interface: interface, neighborID: neighborID,
                                             at: now + interfaces[i].rxmtInterval))
    }

    // MARK: - RFC 2328 §13.7, receiving link state acknowledgments

    /// Receiving an LS Acknowledgment, RFC 2328 §13.7: each header that names the instance on the neighbor's
    /// retransmission list takes it off; any other is questionable and ignored. A flushed LSA no list holds
    /// any more then leaves the database (§14).
    public mutating func receiveAcknowledgment(_ headers: [LSAHeader], on interface: OSPFInterfaceID,
                                               from neighborID: IPv4Address, now: SimTime,
                                               actions: inout [FloodingAction]) {
        let i = interface.rawValue
        guard interfaces.indices.contains(i),
              let neighbor = interfaces[i].neighbors.first(where: { $0.neighborID == neighborID }),
              neighbor.state >= .exchange else { return }
        for header in headers {
            if !removeFromRetransmissionList(header, interface: interface, neighborID: neighborID, now: now,
                                             actions: &actions) {
                debug(interface, "Questionable ack from \(neighborID) for \(header.lsaKey)", actions: &actions)
                continue
            }
            if header.age == LSAHeader.maxAge {
                removeIfFlushed(ScopedKey(scope: Self.scope(of: header.type, area: interfaces[i].areaID),
                                          key: header.lsaKey), now: now, actions: &actions)
            }
        }
    }

    // MARK: - RFC 2328 §13.5, sending link state acknowledgments

    mutating func queueDelayedAck(_ header: LSAHeader, on interface: OSPFInterfaceID, now: SimTime,
                                  actions: inout [FloodingAction]) {
        if pendingDelayedAcks[interface, default: []].isEmpty {
            actions.append(.startDelayedAckTimer(interface: interface, at: now + delayedAckInterval))
        }
        pendingDelayedAcks[interface, default: []].append(header)
    }

    /// The interface's delayed-ack timer fired, RFC 2328 §13.5: the queued acknowledgements go out together,
    /// to AllSPFRouters as DR or Backup (and on point-to-point links), to AllDRouters otherwise on a broadcast
    /// network, and separately to each adjacent neighbor on the other network types.
    public mutating func delayedAckTimerFired(interface: OSPFInterfaceID, now: SimTime,
                                              actions: inout [FloodingAction]) {
        guard let headers = pendingDelayedAcks.removeValue(forKey: interface), !headers.isEmpty,
              interfaces.indices.contains(interface.rawValue) else { return }
        let iface = interfaces[interface.rawValue]
        let adjacent = iface.neighbors.filter { $0.state >= .exchange }.map(\.address)
        var outbox = FloodingOutbox()
        for destination in floodDestinations(iface, neighbors: adjacent) {
            for header in headers { outbox.acknowledge(header, on: interface, to: destination) }
        }
        emit(outbox, actions: &actions)
    }
}

extension FloodingScope {
    var area: AreaID? {
        if case let .area(area) = self { return area }
        return nil
    }
}
