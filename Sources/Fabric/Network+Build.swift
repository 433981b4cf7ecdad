import Engine
import QoS
import Wire

extension Network {
    /// Deterministic MAC addresses in the style of the images users know: IOL routers `aabb.cc00.NNPP`,
    /// VPCS hosts `0050.7966.68NN`, switches `5254.00NN.NNPP`. Past 256 nodes or ports the
    /// addresses stay unique: a host's node number carries into `7966`, a port's high bits go in
    /// the `00` byte (below that, every address is what it always was).
    static func mac(kind: UInt64, node: NodeID, port: Int) -> MACAddress {
        let n = UInt64(node.rawValue & 0xFFFF), p = UInt64(port & 0xFF), high = UInt64(port >> 8 & 0xFF) << 24
        switch kind {
        case 0: return MACAddress(rawValue: 0xAABB_CC00_0000 | high | n << 8 | p)
        case 1: return MACAddress(rawValue: 0x0050_7966_0000 + (n << 8 | p))
        default: return MACAddress(rawValue: 0x5254_0000_0000 | high | n << 8 | p)
        }
    }

    /// Adds a router (`isRouter`) or a host with the given physical ports (canonical names).
    @discardableResult
    public func addIPNode(_ settings: IPNodeSettings, isRouter: Bool, physicalPorts: [String]) -> NodeID {
        let id = NodeID(devices.count)
        let node = IPNode(id: id, settings: settings, isRouter: isRouter)
        add(isRouter ? .router(node) : .host(node))
        for (i, name) in physicalPorts.enumerated() {
            _ = addPort(node: id, name: name, mac: Self.mac(kind: isRouter ? 0 : 1, node: id, port: i))
        }
        return id
    }

    /// Adds a switch with the given physical ports.
    @discardableResult
    public func addSwitch(_ settings: SwitchSettings, physicalPorts: [String]) -> NodeID {
        let id = NodeID(devices.count)
        let node = L2Switch(id: id, settings: settings)
        add(.l2switch(node))
        for (i, name) in physicalPorts.enumerated() {
            node.portIDs.append(addPort(node: id, name: name, mac: Self.mac(kind: 2, node: id, port: i)))
        }
        return node.id
    }

    /// The ports of a device, in creation order.
    /// - Complexity: O(ports of the device)
    public func ports(of node: NodeID) -> ArraySlice<Port> {
        guard node.index < portRanges.count else { return [] }
        return ports[portRanges[node.index]]
    }

    /// A device's port by canonical name (the first, should two share a name).
    /// - Complexity: O(1) amortized: a scan for a device of a few ports, else a name table built on first use.
    public func port(of node: NodeID, named name: String) -> PortID? {
        guard node.index < portRanges.count else { return nil }
        let range = portRanges[node.index]
        if range.count <= 8 { return ports[range].first { $0.name == name }?.id }
        if let table = portNames[node.index] { return table[name] }
        var table: [String: PortID] = [:]
        for port in ports[range] where table[port.name] == nil { table[port.name] = port.id }
        portNames[node.index] = table
        return table[name]
    }

    /// Brings the lab up: applies every device's settings and raises line protocols. Call once,
    /// after all devices and links are added.
    public func start() {
        for i in devices.indices {
            switch devices[i] {
            case let .router(n), let .host(n): apply(n.settings, to: n, refresh: false)
            case let .l2switch(s): apply(s.settings, to: s, refresh: false)
            }
        }
        refreshLineState()
        for d in devices {
            if case let .router(n) = d { n.refreshRoutes(network: self) }
            if case let .host(n) = d { n.refreshRoutes(network: self) }
        }
    }

    /// Applies new settings to a router or host (at start, or later from a scenario's config event).
    public func reconfigure(_ node: NodeID, with settings: IPNodeSettings) {
        guard let n = ipNode(node) else { return }
        apply(settings, to: n, refresh: true)
    }

    /// Applies new settings to a switch.
    public func reconfigure(_ node: NodeID, with settings: SwitchSettings) {
        guard case let .l2switch(s) = devices[node.index] else { return }
        apply(settings, to: s, refresh: true)
    }

    /// The queueing IOS uses when none is configured: WFQ on serial interfaces at or below E1
    /// (2.048 Mbit/s), FIFO with a 40-packet hold queue elsewhere (ios-behavior §1).
    static func defaultQueueing(for settings: InterfaceSettings?, port: Port) -> QueueingConfiguration {
        let hold = settings?.holdQueueOut
        if let q = settings?.queueing { return q }
        if let s = settings, s.isSerial, !s.fairQueueDisabled, port.bandwidth <= .kbps(2048) {
            return .fair(FairQueueParameters(holdQueue: hold ?? 1000))
        }
        return .fifo(holdQueue: hold ?? FIFOQueue.defaultHoldQueue)
    }

    func applyPortSettings(_ settings: InterfaceSettings?, to port: Port, defaultShutdown: Bool,
                           accessLists: AccessListTable = AccessListTable()) {
        port.adminUp = !(settings?.shutdown ?? defaultShutdown)
        // IOS: `shutdown` (then `no shutdown`) is how an err-disabled port recovers.
        let shutdowns = settings?.shutdownCount ?? 0
        if !port.adminUp || shutdowns != port.appliedShutdownCount { port.errDisabled = false }
        port.appliedShutdownCount = shutdowns
        port.configuredBandwidth = settings?.bandwidth
        port.description = settings?.description
        port.setTxRingLimit(settings?.txRingLimit ?? 1)
        let wanted = Self.defaultQueueing(for: settings, port: port)
        if port.queueConfiguration != wanted || port.queue.bandwidth != port.bandwidth || port.queueNeedsRebuild {
            port.queueNeedsRebuild = false
            let random = RandomStream(seed: seed, label: "qos:\(devices[port.node.index].name):\(port.name)")
            let fromFIFO = port.bypassQueueWhenIdle
            let leftovers = port.setQueueing(wanted, defaultFor: port.bandwidth, accessLists: accessLists, random: random)
            for var p in leftovers {
                if fromFIFO {
                    // FIFO packets carry only their input interface; classify them now (FIFO never
                    // rewrites a frame, so the bytes are what `transmit` would have classified).
                    let input = p.key.inputInterface
                    p.key = packetKey(FrameHandle(p.handle), inputPort: input == PacketKey.locallyOriginated ? nil : PortID(input))
                }
                if case .dropped = port.queue.enqueue(&p, now: now) { drop(FrameHandle(p.handle), .queueFull) }
            }
        }
    }

    func apply(_ settings: IPNodeSettings, to node: IPNode, refresh: Bool) {
        let oldMACs = Set(node.settings.interfaces.filter { $0.macAddress != nil }.map(\.name))
        node.settings = settings
        for list in settings.accessLists { node.accessLists.define(list.name, kind: list.kind, list.entries) }
        let physical = ports(of: node.id)
        var interfaces: [IPInterface] = []
        let byName = Dictionary(settings.interfaces.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for port in physical {
            let s = byName[port.name]
            applyPortSettings(s, to: port, defaultShutdown: node.isRouter, accessLists: node.accessLists)
            // `mac-address` (or a host's `mac:`) replaces the burned-in address the port was built with.
            // `no mac-address` goes back to the burned-in address; a port never configured keeps its own.
            let burnedIn = Self.mac(kind: node.isRouter ? 0 : 1, node: node.id, port: (physical.firstIndex { $0.id == port.id } ?? physical.startIndex) - physical.startIndex)
            let mac = s?.macAddress ?? (oldMACs.contains(port.name) ? burnedIn : port.mac)
            ports[port.id.index].mac = mac
            var interface = IPInterface(name: port.name, port: port.id, vlan: nil, addresses: s?.addresses ?? [],
                                        adminDown: !port.adminUp, mac: mac,
                                        arpTimeout: s?.arpTimeout ?? IPNode.arpTimeout, description: s?.description)
            interface.sourceMAC = mac
            if let nlb = s?.nlb {
                interface.nlb = nlb
                switch nlb.mode {
                case .unicast:
                    // ios-behavior §10.2-10.3: the NIC takes the cluster MAC and sends with the masked one.
                    interface.mac = NLB.unicastMAC(nlb.clusterAddress)
                    interface.sourceMAC = NLB.maskedSourceMAC(nlb.clusterAddress, priority: nlb.priority)
                case .multicast:
                    interface.acceptedMACs = [NLB.multicastMAC(nlb.clusterAddress)]
                case .igmpMulticast:
                    break  // The group 239.255.Y.Z is joined like any host group; its MAC is taken with it.
                }
            }
            interfaces.append(interface)
        }
        for s in settings.interfaces where !physical.contains(where: { $0.name == s.name }) {
            let parent = physical.first { $0.name == s.physicalName }
            if s.isSubinterface && parent == nil { continue }
            var sub = IPInterface(name: s.name, port: s.isSubinterface ? parent?.id : nil,
                                  vlan: s.dot1QNative ? nil : s.dot1QVLAN, addresses: s.addresses,
                                  adminDown: s.shutdown, mac: parent.map { ports[$0.id.index].mac } ?? .zero,
                                  arpTimeout: s.arpTimeout ?? IPNode.arpTimeout, description: s.description)
            sub.sourceMAC = sub.mac
            interfaces.append(sub)
        }
        // Dynamic ARP entries whose interface changed its addresses are flushed.
        let old = node.interfaces
        node.interfaces = interfaces
        for (address, entry) in node.arpCache where entry.state != .staticEntry {
            let oldName = entry.interface < old.count ? old[entry.interface].name : ""
            if let i = interfaces.firstIndex(where: { $0.name == oldName }), interfaces[i].addresses == old[entry.interface].addresses {
                node.arpCache[address]!.interface = i
            } else {
                for f in entry.pending { drop(f, .interfaceDown) }
                node.arpCache[address] = nil
            }
        }
        // An input policy whose policy map is unchanged keeps its runtime, so its counters survive
        // unrelated changes as on IOS (a redefined access list recompiles it through the list revision).
        let oldPolicies = Dictionary(zip(old.map(\.name), node.inputPolicies), uniquingKeysWith: { a, _ in a })
        node.inputPolicies = interfaces.map { i in
            guard let wanted = byName[i.name]?.inputPolicy else { return nil }
            if let kept = oldPolicies[i.name] ?? nil, kept.policy == wanted { return kept }
            return InputPolicy(wanted, accessLists: node.accessLists)
        }
        node.interfaceByPortVLAN = [:]
        for (i, interface) in interfaces.enumerated() {
            guard let port = interface.port else { continue }
            let key = UInt64(port.rawValue) << 16 | UInt64(interface.vlan ?? 0)
            // A physical interface only takes untagged frames when no native-VLAN subinterface does.
            if interface.vlan == nil && node.interfaceByPortVLAN[key] != nil && !interface.name.contains(".") { continue }
            node.interfaceByPortVLAN[key] = i
        }
        node.installStaticARP(network: self)
        // Groups the settings join (a host's `groups:`) are joined; joins made at run time stay.
        for (i, interface) in interfaces.enumerated() {
            for group in byName[interface.name]?.joinedGroups ?? [] { node.join(group, on: i) }
        }
        if refresh {
            refreshLineState()
            let before = Set(old.enumerated().filter { node.isUp($0.offset, network: self) && !$0.element.addresses.isEmpty }.map(\.element.name))
            node.refreshRoutes(network: self)
            // IOS announces an address that comes up with a gratuitous ARP.
            for (i, interface) in interfaces.enumerated() where node.isUp(i, network: self) && !interface.addresses.isEmpty
                && (!before.contains(interface.name) || old.first(where: { $0.name == interface.name })?.addresses != interface.addresses) {
                node.announce(i, network: self)
            }
        }
    }

    func apply(_ settings: SwitchSettings, to node: L2Switch, refresh: Bool) {
        node.settings = settings
        let byName = Dictionary(settings.interfaces.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for id in node.portIDs {
            let port = ports[id.index]
            let s = byName[port.name]
            applyPortSettings(s, to: port, defaultShutdown: false)
            node.portSettings[id] = s?.switchport ?? SwitchportSettings()
        }
        node.configureStormControl(network: self)
        node.rebuildVLANPorts(network: self)
        node.installStaticMACs(network: self)
        node.configureSnooping(network: self)
        if refresh { refreshLineState() }
    }
}

// MARK: - Power

extension Network {
    /// Switches a device off (a scenario's `stop`, the first half of a `reload`): its lines go down, what
    /// it learned goes (ARP and MAC entries, routes through its interfaces) and its protocols stop. Its
    /// configuration is the lab's and stays.
    public func powerOff(_ node: NodeID) {
        for port in ports(of: node) { port.poweredOff = true }
        refreshLineState()
        if let n = ipNode(node) {
            for proto in n.protocols { n.detach(proto) }
            // Groups joined at run time go with the state; those of the settings are joined again on power-on.
            n.memberships = [:]
            n.refreshMulticastFilter()
            for (address, entry) in n.arpCache where entry.state != .staticEntry {
                for f in entry.pending { drop(f, .interfaceDown) }
                n.arpCache[address] = nil
            }
        }
    }

    /// Switches a device on again; the caller re-applies its configuration (`reconfigure`) and starts
    /// its protocols over. IOS logs the restart first.
    public func powerOn(_ node: NodeID) {
        log(node, "%SYS-5-RESTARTED: System restarted")
        // A reload clears the field fault of an interface that stopped believing ARP replies.
        for port in ports(of: node) { port.poweredOff = false; port.ignoresARPReplies = false }
        refreshLineState()
    }

    public func isPoweredOff(_ node: NodeID) -> Bool { ports(of: node).first?.poweredOff ?? false }
}
