import Engine
import Wire

/// Where a multicast frame goes inside its VLAN.
enum MulticastScope {
    /// Every port of the VLAN (224.0.0.x, queries, unregistered groups by default, snooping off).
    case all
    /// Mrouter ports only (reports and leaves, RFC 4541 §2.1.1 (1); unregistered groups with OMF).
    case mrouters
    /// Members of the group at this entry index, and mrouter ports (RFC 4541 §2.1.2 (1)).
    case group(Int)
    /// Members of any group whose MAC has these low 23 bits, and mrouter ports (`layer-2 multicast lookup mac`).
    case mac(UInt32)
}

extension L2Switch {
    // MARK: - Data path (RFC 4541 §2.1)

    /// Forwards a frame to an IPv4 multicast MAC (01-00-5E): snooped IGMP and PIM, then group traffic to
    /// member and mrouter ports. Called where the frame would otherwise flood. No allocation per data frame.
    func receiveIPv4Multicast(_ frame: FrameHandle, bytes: UnsafeRawBufferPointer, on port: PortID, vlan: UInt16,
                              tag: UInt16?, local: Int, type: StormTrafficType, network: Network) {
        guard let offset = FrameView.payloadOffset(bytes), FrameView.etherType(bytes) == .ipv4,
              let ip = FrameView.ipv4Summary(bytes, ipOffset: offset) else {
            floodAll(frame, bytes: bytes, from: port, vlan: vlan, tag: tag, local: local, type: type, network: network)
            return
        }
        let group = ip.destination
        let now = network.now
        let linkLocal = group.rawValue & 0xFFFF_FF00 == 0xE000_0000
        guard settings.igmpSnooping.isOn(vlan: vlan) else {
            if !linkLocal { countGroup(vlan: vlan, group: group, scope: .all, from: port, bytes: bytes.count, network: network) }
            floodAll(frame, bytes: bytes, from: port, vlan: vlan, tag: tag, local: local, type: type, network: network)
            return
        }
        if ip.protocolNumber == IPProtocol.igmp.rawValue {
            let start = offset + ip.headerLength, end = offset + ip.totalLength
            let message = try? IGMPMessage(parsing: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            snoop(message, source: ip.source, frame: frame, bytes: bytes, on: port, vlan: vlan, tag: tag, local: local,
                  type: type, network: network)
            return
        }
        // RFC 4541 §2.1.1 (1): a PIM hello (to ALL-PIM-ROUTERS, RFC 7761 §4.3.1) marks an mrouter port.
        if ip.protocolNumber == IPProtocol.pim.rawValue, group == IPv4Address(224, 0, 0, 13) {
            snoopingTable.learnMrouter(vlan: vlan, port: port, until: now + SnoopingTimers.mrouterAging)
        }
        // RFC 4541 §2.1.2 (2): 224.0.0.x is flooded whatever the table says.
        if linkLocal {
            floodAll(frame, bytes: bytes, from: port, vlan: vlan, tag: tag, local: local, type: type, network: network)
            return
        }
        if settings.igmpSnooping.lookupByMAC {
            // Forward by the destination MAC's group bits (RFC 1112 §6.4), whatever the IP destination says.
            let low = UInt32(bytes[3] & 0x7F) << 16 | UInt32(bytes[4]) << 8 | UInt32(bytes[5])
            // RFC 4541 §2.1.2 (2): the MACs of 224.0.0.x (and the 31 ranges that share them) are flooded.
            if low & 0x7F_FF00 == 0 {
                floodAll(frame, bytes: bytes, from: port, vlan: vlan, tag: tag, local: local, type: type, network: network)
                return
            }
            if snoopingTable.registered(vlan: vlan, macLow23: low, now: now) {
                countGroup(vlan: vlan, group: group, scope: .mac(low), from: port, bytes: bytes.count, network: network)
                forwardMulticast(frame, scope: .mac(low), from: port, vlan: vlan, tag: tag, network: network)
                return
            }
        } else if let entry = snoopingTable.registered(vlan: vlan, group: group, now: now) {
            countGroup(vlan: vlan, group: group, scope: .group(entry), from: port, bytes: bytes.count, network: network)
            forwardMulticast(frame, scope: .group(entry), from: port, vlan: vlan, tag: tag, network: network)
            return
        }
        if settings.igmpSnooping.optimiseMulticastFlood {
            // RFC 4541 §2.1.2 (1): unregistered traffic to mrouter ports only (NX-OS OMF); dropped with none.
            countGroup(vlan: vlan, group: group, scope: .mrouters, from: port, bytes: bytes.count, network: network)
            forwardMulticast(frame, scope: .mrouters, from: port, vlan: vlan, tag: tag, network: network)
        } else {
            // Catalyst default: unregistered multicast floods the VLAN (RFC 4541 §2.1.2 (1) allows it).
            countGroup(vlan: vlan, group: group, scope: .all, from: port, bytes: bytes.count, network: network)
            floodAll(frame, bytes: bytes, from: port, vlan: vlan, tag: tag, local: local, type: type, network: network)
        }
    }

    func floodAll(_ frame: FrameHandle, bytes: UnsafeRawBufferPointer, from port: PortID, vlan: UInt16, tag: UInt16?,
                  local: Int, type: StormTrafficType, network: Network) {
        floodedFrames &+= 1
        countFlooded(type, vlan: vlan, bytes: bytes.count, local: local, network: network)
        flood(frame, from: port, vlan: vlan, tag: tag, network: network)
    }

    /// Whether a port of the VLAN receives a frame of `scope` at `now`.
    @inline(__always)
    func inScope(_ p: PortID, _ scope: MulticastScope, vlan: UInt16, now: SimTime) -> Bool {
        switch scope {
        case .all: return true
        case .mrouters: return snoopingTable.isMrouter(p, vlan: vlan, now: now)
        case .group(let i):
            return snoopingTable.entries[i].isMember(p, now: now) || snoopingTable.isMrouter(p, vlan: vlan, now: now)
        case .mac(let low):
            return snoopingTable.isMember(p, vlan: vlan, macLow23: low, now: now) || snoopingTable.isMrouter(p, vlan: vlan, now: now)
        }
    }

    /// Sends a frame to the ports of `scope` but the one it came in on: a copy per port but the last, which
    /// takes the original; dropped (no listener) when there is none. No port list is built.
    func forwardMulticast(_ frame: FrameHandle, scope: MulticastScope, from port: PortID?, vlan: UInt16, tag: UInt16?,
                          network: Network) {
        guard let members = vlanPorts[vlan] else { network.drop(frame, .noListener); return }
        let now = network.now
        var last: PortID?
        for p in members where p != port && network.ports[p.index].lineProtocolUp && inScope(p, scope, vlan: vlan, now: now) {
            if let previous = last {
                sendOne(network.frames.copy(frame), to: previous, vlan: vlan, tag: tag, flooded: false, network: network)
            }
            last = p
        }
        guard let last else { network.drop(frame, .noListener); return }
        forwardedFrames &+= 1
        sendOne(frame, to: last, vlan: vlan, tag: tag, flooded: false, network: network)
    }

    /// Counts a group's frames and bytes per egress port (`show interfaces counters flooding`). A group's
    /// row is made the first time it is seen (control-plane cost, once per group).
    func countGroup(vlan: UInt16, group: IPv4Address, scope: MulticastScope, from port: PortID, bytes: Int, network: Network) {
        let k = IGMPSnoopingTable.key(vlan: vlan, group: group)
        let row: Int
        if let r = groupTrafficIndex[k] { row = r } else {
            row = groupTraffic.count
            groupTraffic.append(GroupTraffic(vlan: vlan, group: group, frames: [UInt64](repeating: 0, count: portIDs.count),
                                             bytes: [UInt64](repeating: 0, count: portIDs.count)))
            groupTrafficIndex[k] = row
        }
        guard let members = vlanPorts[vlan] else { return }
        let now = network.now, base = portIDs[0].rawValue
        for p in members where p != port && network.ports[p.index].lineProtocolUp && inScope(p, scope, vlan: vlan, now: now) {
            let l = Int(p.rawValue &- base)
            groupTraffic[row].frames[l] &+= 1
            groupTraffic[row].bytes[l] &+= UInt64(bytes)
        }
    }

    // MARK: - Snooping IGMP (RFC 4541 §2.1.1)

    /// The group membership interval for entries learned in `vlan`: robustness × QI + MRT (RFC 2236 §8.4),
    /// with the switch's own query interval when it is the querier, else the RFC default 125 s
    /// (IGMPv2 queries do not carry the querier's interval), and the last query's Max Response Time.
    func groupMembershipInterval(vlan: UInt16) -> SimDuration {
        let state = querierStates[vlan] ?? SnoopingQuerierState()
        let qi = state.active ? settings.igmpSnooping.querier(vlan: vlan)?.queryInterval ?? SnoopingTimers.defaultQueryInterval
            : SnoopingTimers.defaultQueryInterval
        return qi * SnoopingTimers.robustness + state.maxResponseTime
    }

    func snoop(_ message: IGMPMessage?, source: IPv4Address, frame: FrameHandle, bytes: UnsafeRawBufferPointer,
               on port: PortID, vlan: UInt16, tag: UInt16?, local: Int, type: StormTrafficType, network: Network) {
        let now = network.now
        switch message {
        case .membershipQuery?, .v3MembershipQuery?:
            if message?.queryGroup == .any {
                // RFC 4541 §2.1.1 (1): the port a general query came in on leads to a multicast router.
                snoopingTable.learnMrouter(vlan: vlan, port: port, until: now + SnoopingTimers.mrouterAging)
                heardQuery(from: source, version: message?.version ?? 2, maxResponseTime: message?.maxResponseTime,
                           port: port, vlan: vlan, network: network)
            }
            floodAll(frame, bytes: bytes, from: port, vlan: vlan, tag: tag, local: local, type: type, network: network)
            return
        case let .v1MembershipReport(group)?, let .v2MembershipReport(group)?:
            if group.isMulticast, group.rawValue & 0xFFFF_FF00 != 0xE000_0000 {
                snoopingTable.learn(vlan: vlan, group: group, port: port, until: now + groupMembershipInterval(vlan: vlan),
                                    version: message?.version ?? 2)
            }
        case let .v3MembershipReport(records)?:
            for r in records where r.group.isMulticast && r.group.rawValue & 0xFFFF_FF00 != 0xE000_0000 {
                // RFC 3376 §4.2.12: INCLUDE with no sources is a leave; anything else keeps (or makes) a member.
                let leaves = (r.recordType.rawValue == 3 || r.recordType.rawValue == 1) && r.sources.isEmpty
                if leaves { leave(r.group, port: port, vlan: vlan, network: network) } else {
                    snoopingTable.learn(vlan: vlan, group: r.group, port: port,
                                        until: now + groupMembershipInterval(vlan: vlan), version: 3)
                }
            }
        case let .leaveGroup(group)?:
            leave(group, port: port, vlan: vlan, network: network)
        case .other?, nil:
            floodAll(frame, bytes: bytes, from: port, vlan: vlan, tag: tag, local: local, type: type, network: network)
            return
        }
        // RFC 4541 §2.1.1 (1): reports and leaves go to mrouter ports only, never to other hosts — so hosts
        // behind a snooping switch do not suppress their reports.
        if snoopingTable.mrouterPorts(vlan: vlan, now: now).contains(where: { $0.port != port }) {
            forwardMulticast(frame, scope: .mrouters, from: port, vlan: vlan, tag: tag, network: network)
        } else {
            network.frames.release(frame)  // consumed by the switch: nobody to tell
        }
    }

    /// A leave for `group` on `port`. Immediate-leave removes the port at once; otherwise, when the switch
    /// is the querier, it sends a group-specific query out of that port and the port goes after the last
    /// member query time (2 × 1 s) unless a report comes; when a router queries, the router sends the
    /// group-specific query (the leave was forwarded to it) and the port goes after the same time (Catalyst).
    func leave(_ group: IPv4Address, port: PortID, vlan: UInt16, network: Network) {
        let now = network.now
        guard snoopingTable.isMember(port, vlan: vlan, group: group, now: now) else { return }
        if settings.igmpSnooping.immediateLeaveVLANs.contains(vlan) {
            snoopingTable.shorten(vlan: vlan, group: group, port: port, to: now)
            return
        }
        let lastMemberQueryTime = SnoopingTimers.lastMemberQueryInterval * SnoopingTimers.lastMemberQueryCount
        snoopingTable.shorten(vlan: vlan, group: group, port: port, to: now + lastMemberQueryTime)
        if querierStates[vlan]?.active == true, let address = settings.igmpSnooping.querier(vlan: vlan)?.address {
            sendQuery(group: group, from: address, vlan: vlan, only: port, network: network)
        }
    }

    // MARK: - Snooping querier (RFC 2236 §3 election, RFC 4541 §2.1.1 (3))

    /// RFC 2236 §8.5 Other Querier Present Interval for the VLAN's querier: robustness × QI + MRT / 2.
    func otherQuerierPresentInterval(vlan: UInt16) -> SimDuration {
        let qi = settings.igmpSnooping.querier(vlan: vlan)?.queryInterval ?? SnoopingTimers.defaultQueryInterval
        return qi * SnoopingTimers.robustness + SimDuration(nanoseconds: SimDuration.seconds(10).nanoseconds / 2)
    }

    /// A general query from `source`: recorded for `show ip igmp snooping querier`; one from a lower address
    /// than the switch's own querier silences it (RFC 2236 §3: the lowest address is the querier).
    func heardQuery(from source: IPv4Address, version: Int, maxResponseTime: SimDuration?, port: PortID, vlan: UInt16,
                    network: Network) {
        var state = querierStates[vlan] ?? SnoopingQuerierState()
        state.lastQuerier = source
        state.lastQuerierVersion = version
        state.lastQuerierPort = port
        state.lastQueryTime = network.now
        if let maxResponseTime { state.maxResponseTime = maxResponseTime }
        if let own = settings.igmpSnooping.querier(vlan: vlan)?.address, source < own {
            state.lowerQuerierHeard = network.now
            if state.active {
                state.active = false
                network.log(id, "%IGMP_QUERIER-6-NON_QUERIER: The IGMP querier in vlan \(vlan) is now non-querier: "
                    + "a query from \(source) on \(network.ports[port.index].name) has a lower address")
            }
            querierStates[vlan] = state
            armQuerierTimer(vlan: vlan, at: network.now + otherQuerierPresentInterval(vlan: vlan), network: network)
            return
        }
        querierStates[vlan] = state
    }

    /// Starts, keeps or stops each VLAN's querier after a configuration change. A querier that heard no
    /// lower-addressed query within its Other Querier Present Interval starts at once; one that did waits for
    /// that interval to pass since the query.
    func configureSnooping(network: Network) {
        var statics: [UInt16: [PortID]] = [:]
        for vlan in settings.igmpSnooping.staticMrouters.keys.sorted() {
            statics[vlan] = (settings.igmpSnooping.staticMrouters[vlan] ?? []).compactMap { network.port(of: id, named: $0) }
        }
        snoopingTable.setStaticMrouters(statics)
        for vlan in settings.vlans.keys.sorted() where !settings.igmpSnooping.isOn(vlan: vlan) {
            snoopingTable.flush(vlan: vlan)
        }
        for vlan in settings.vlans.keys.sorted() {
            let wanted = settings.igmpSnooping.querier(vlan: vlan)?.address != nil
            var state = querierStates[vlan] ?? SnoopingQuerierState()
            if !wanted {
                if state.active { state.active = false }
                if let t = querierTimers[vlan] { timers.cancel(t) }
                if querierStates[vlan] != nil { querierStates[vlan] = state }
                continue
            }
            if state.active || querierTimers[vlan].map({ timers.isArmed($0) }) == true { continue }
            querierStates[vlan] = state
            if let heard = state.lowerQuerierHeard, network.now < heard + otherQuerierPresentInterval(vlan: vlan) {
                armQuerierTimer(vlan: vlan, at: heard + otherQuerierPresentInterval(vlan: vlan), network: network)
            } else {
                state.startupLeft = 2
                querierStates[vlan] = state
                armQuerierTimer(vlan: vlan, at: network.now, network: network)
            }
        }
    }

    func armQuerierTimer(vlan: UInt16, at time: SimTime, network: Network) {
        let timer: TimerID
        if let t = querierTimers[vlan] { timer = t } else {
            timer = timers.makeTimer()
            querierTimers[vlan] = timer
            timerVLANs.append(vlan)
        }
        let generation = timers.arm(timer, at: time)
        network.schedule(timer: timer, generation: generation, of: id, at: time)
    }

    /// The VLAN's querier timer: become the querier if no lower address was heard for the Other Querier Present
    /// Interval, and send the next general query (startup queries at QI / 4, then every QI).
    func querierTimerFired(vlan: UInt16, network: Network) {
        guard let querier = settings.igmpSnooping.querier(vlan: vlan), let address = querier.address else { return }
        var state = querierStates[vlan] ?? SnoopingQuerierState()
        let now = network.now
        if let heard = state.lowerQuerierHeard, now < heard + otherQuerierPresentInterval(vlan: vlan) {
            armQuerierTimer(vlan: vlan, at: heard + otherQuerierPresentInterval(vlan: vlan), network: network)
            return
        }
        if !state.active {
            state.active = true
            if state.startupLeft == 0 { state.startupLeft = 2 }
            network.log(id, "%IGMP_QUERIER-6-QUERIER: The IGMP querier in vlan \(vlan) is now the querier (\(address))")
        }
        state.queriesSent &+= 1
        state.maxResponseTime = .seconds(10)
        let next: SimDuration
        if state.startupLeft > 0 {
            state.startupLeft -= 1
            next = SimDuration(nanoseconds: querier.queryInterval.nanoseconds / 4)
        } else {
            next = querier.queryInterval
        }
        querierStates[vlan] = state
        sendQuery(group: .any, from: address, vlan: vlan, only: nil, network: network)
        armQuerierTimer(vlan: vlan, at: now + next, network: network)
    }

    /// Sends an IGMPv2 query from the switch's querier address (TTL 1, Router Alert, RFC 2236 §2): a general
    /// query to 224.0.0.1 out of every port of the VLAN, or a group-specific one to the group out of `only`.
    func sendQuery(group: IPv4Address, from address: IPv4Address, vlan: UInt16, only: PortID?, network: Network) {
        guard !portIDs.isEmpty else { return }
        let message = IGMPMessage.membershipQuery(group: group, maxResponseDeciseconds: group == .any ? 100 : 10)
        let destination = group == .any ? IGMPMessage.allSystems : group
        let ip = IPv4Header(tos: 0xC0, identification: 0, ttl: 1, protocolNumber: .igmp, source: address,
                            destination: destination, options: [.routerAlert(value: 0)], payloadLength: message.encodedLength)
        let ethernet = EthernetHeader(destination: MACAddress.multicast(for: destination),
                                      source: network.ports[portIDs[0].index].mac, etherType: .ipv4)
        let length = ethernet.encodedLength + ip.encodedLength + message.encodedLength
        let frame = network.frames.allocate(length: FrameBuilder.paddedLength(length))
        network.frames.withMutableBytes(frame) { bytes in
            for k in 0..<bytes.count { bytes[k] = 0 }
            ethernet.emit(into: bytes)
            ip.emit(into: UnsafeMutableRawBufferPointer(rebasing: bytes[ethernet.encodedLength...]))
            message.emit(into: UnsafeMutableRawBufferPointer(rebasing: bytes[(ethernet.encodedLength + ip.encodedLength)...]))
        }
        if let only {
            guard network.ports[only.index].lineProtocolUp else { network.drop(frame, .interfaceDown); return }
            sendOne(frame, to: only, vlan: vlan, tag: nil, flooded: false, network: network)
        } else {
            forwardMulticast(frame, scope: .all, from: nil, vlan: vlan, tag: nil, network: network)
        }
    }
}

extension IGMPMessage {
    /// The Group Address of a query (0.0.0.0 in a general query), nil for other messages.
    var queryGroup: IPv4Address? {
        switch self {
        case .membershipQuery(let group, _): group
        case .v3MembershipQuery(let query): query.group
        default: nil
        }
    }
}
