import Engine
import Wire

/// What one logical interface of a router or host listens to (RFC 1112 §7.2: the host group
/// memberships of the interface, plus the groups of the protocols running on it), in the two forms the
/// receive path checks: RFC 1112 §6.4 MACs for the Ethernet filter, group addresses for local delivery.
struct MulticastFilter {
    /// Every multicast frame passes the MAC filter (a querier hears reports for any group).
    var promiscuous = false
    /// Every multicast frame passes the MAC filter for forwarding (`ip multicast-routing`: IOS programs the
    /// filter so); unlike `promiscuous` it delivers nothing more above IP.
    var routing = false
    var macs: [UInt64] = []
    var groups: [UInt32] = []
}

extension IPNode {
    // MARK: - Host group membership (RFC 1112 §7.2 JoinHostGroup / LeaveHostGroup)

    /// The groups joined on the interface named `interface`, in ascending order.
    public func joinedGroups(on interface: String) -> [IPv4Address] { memberships[interface] ?? [] }

    /// Whether the node is a member of `group` on logical interface `index`.
    public func isMember(of group: IPv4Address, on index: Int) -> Bool {
        index < interfaces.count && memberships[interfaces[index].name]?.contains(group) == true
    }

    /// JoinHostGroup (RFC 1112 §7.2) on logical interface `index`; false when already a member or `group`
    /// is not a multicast address. 224.0.0.1 is joined always and cannot be joined again (RFC 1112 §4).
    /// With `network`, the node's protocols hear of it (a host's IGMP reports the new group, RFC 2236 §3).
    @discardableResult
    public func join(_ group: IPv4Address, on index: Int, network: Network? = nil) -> Bool {
        guard index < interfaces.count, group.isMulticast, group != IGMPMessage.allSystems else { return false }
        let name = interfaces[index].name
        var groups = memberships[name] ?? []
        guard !groups.contains(group) else { return false }
        groups.append(group)
        groups.sort()
        memberships[name] = groups
        refreshMulticastFilter()
        if let network { notifyMembership(group, on: index, joined: true, network: network) }
        return true
    }

    /// LeaveHostGroup (RFC 1112 §7.2); false when the node was not a member.
    @discardableResult
    public func leave(_ group: IPv4Address, on index: Int, network: Network? = nil) -> Bool {
        guard index < interfaces.count, var groups = memberships[interfaces[index].name],
              let at = groups.firstIndex(of: group) else { return false }
        groups.remove(at: at)
        memberships[interfaces[index].name] = groups.isEmpty ? nil : groups
        refreshMulticastFilter()
        if let network { notifyMembership(group, on: index, joined: false, network: network) }
        return true
    }

    func notifyMembership(_ group: IPv4Address, on index: Int, joined: Bool, network: Network) {
        for p in protocols.indices { protocols[p].membershipChanged(group, interface: index, joined: joined, context(p, network)) }
    }

    /// Rebuilds every interface's filter from its memberships and the running protocols' groups.
    /// Control plane only (allocates); the receive path reads the result.
    public func refreshMulticastFilter() {
        var filters: [MulticastFilter] = []
        filters.reserveCapacity(interfaces.count)
        for (index, interface) in interfaces.enumerated() {
            var groups: [IPv4Address] = [IGMPMessage.allSystems] + (memberships[interface.name] ?? [])
            var filter = MulticastFilter()
            filter.routing = isRouter && multicastRouting && interface.port != nil
            for proto in protocols {
                groups += proto.multicastGroups(on: index)
                if proto.receivesAllMulticast(on: index) { filter.promiscuous = true }
            }
            filter.groups = Array(Set(groups.map(\.rawValue))).sorted()
            filter.macs = Array(Set(groups.map { MACAddress.multicast(for: $0).rawValue })).sorted()
            filters.append(filter)
        }
        multicastFilters = filters
        localGroups = Array(Set(memberships.values.joined().map(\.rawValue))).sorted()
    }

    /// The Ethernet multicast filter of interface `index` (broadcast is not asked here).
    /// - Complexity: O(groups on the interface); no allocation.
    @inline(__always)
    func acceptsMulticastMAC(_ mac: MACAddress, on index: Int) -> Bool {
        guard index < multicastFilters.count else { return false }
        if multicastFilters[index].promiscuous || multicastFilters[index].routing { return true }
        return multicastFilters[index].macs.contains(mac.rawValue)
    }

    /// Local delivery of a datagram to multicast `group` on interface `index`: a group listened to there,
    /// or any IGMP message where a protocol asked for all multicast (reports go to their group, RFC 2236 §3).
    /// - Complexity: O(groups on the interface); no allocation.
    @inline(__always)
    func acceptsGroup(_ group: IPv4Address, protocolNumber: UInt8, on index: Int) -> Bool {
        guard index < multicastFilters.count else { return false }
        if multicastFilters[index].groups.contains(group.rawValue) { return true }
        return multicastFilters[index].promiscuous && protocolNumber == IPProtocol.igmp.rawValue
    }

    /// The interfaces a datagram to a group leaves by when none is named: every interface that is up and
    /// has an address, loopbacks aside (IOS `ping 239.1.1.1` answers "Interface [All]" by default).
    func multicastEgressInterfaces(network: Network) -> [Int] {
        interfaces.indices.filter { isMulticastEgress($0, network: network) }
    }

    /// The first of `multicastEgressInterfaces`, found without allocating (a flow's per-packet path).
    func firstMulticastEgressInterface(network: Network) -> Int? {
        interfaces.indices.first { isMulticastEgress($0, network: network) }
    }

    @inline(__always)
    func isMulticastEgress(_ index: Int, network: Network) -> Bool {
        interfaces[index].port != nil && !interfaces[index].addresses.isEmpty && isUp(index, network: network)
    }
}
