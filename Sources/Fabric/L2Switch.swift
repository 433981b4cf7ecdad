import Engine
import Wire

/// A MAC address table entry.
public struct MACTableEntry: Sendable {
    public var vlan: UInt16
    public var mac: MACAddress
    /// The learned port (dynamic entries).
    public var port: PortID
    /// The ports of a static entry (`mac address-table static ... interface A B C`).
    public var staticPorts: [PortID]
    public var isStatic: Bool
    public var lastSeen: SimTime
    /// When the address last moved to another port (MAC flap detection).
    public var lastMoved: SimTime?

    /// Where frames for this address go.
    public var ports: [PortID] { isStatic ? staticPorts : [port] }

    init(vlan: UInt16, mac: MACAddress, ports: [PortID], isStatic: Bool, lastSeen: SimTime) {
        self.vlan = vlan
        self.mac = mac
        self.port = ports.first ?? PortID(UInt32.max)
        self.staticPorts = isStatic ? ports : []
        self.isStatic = isStatic
        self.lastSeen = lastSeen
    }
}

/// A Layer 2 switch: VLANs on access ports and 802.1Q trunks, MAC learning with aging, flooding.
public final class L2Switch {
    public let id: NodeID
    public internal(set) var settings: SwitchSettings
    public var name: String { settings.hostname }
    /// The switch's ports, in interface order, with their switchport settings.
    public internal(set) var portIDs: [PortID] = []
    var portSettings: [PortID: SwitchportSettings] = [:]
    /// Learned and static entries keyed by VLAN << 48 | MAC.
    public internal(set) var macTable: [UInt64: MACTableEntry] = [:]
    /// Ports carrying each VLAN, rebuilt on configuration and line changes.
    var vlanPorts: [UInt16: [PortID]] = [:]
    public internal(set) var floodedFrames: UInt64 = 0
    public internal(set) var forwardedFrames: UInt64 = 0
    public internal(set) var filteredFrames: UInt64 = 0
    var timers = TimerTable()

    // Storm control: filters by local port × type, the end of each port's current interval, actions by port.
    var stormFilters: [StormFilter] = []
    var stormIntervalEnds: [SimTime] = []
    /// `storm-control action shutdown`, by local port.
    var stormShutdown: [Bool] = []
    /// True when any port has storm control (one check per frame otherwise).
    var stormControlOn = false

    // Storm detection: flooded frames by VLAN × type and bytes by local port × type in the current
    // 1-second window; the VLAN × type slots counted in it; storms found.
    var stormVLANFrames = [UInt32](repeating: 0, count: 4096 * 3)
    var stormPortBytes: [UInt64] = []
    var stormTouched: [Int32] = { var a = [Int32](); a.reserveCapacity(4096 * 3); return a }()
    var stormWindowEnd = SimTime.zero
    var activeStorms: [Int: Int] = [:]
    var storms: [StormEpisode] = []
    public internal(set) var macFlaps: UInt64 = 0
    // IGMP snooping (RFC 4541): the table, each VLAN's querier, its timers, and per-group egress counters.
    public internal(set) var snoopingTable = IGMPSnoopingTable()
    public internal(set) var querierStates: [UInt16: SnoopingQuerierState] = [:]
    var querierTimers: [UInt16: TimerID] = [:]
    /// The VLAN of each timer, by `TimerID` (the switch's only timers are its queriers').
    var timerVLANs: [UInt16] = []
    public internal(set) var groupTraffic: [GroupTraffic] = []
    var groupTrafficIndex: [UInt64: Int] = [:]
    var lastMacFlapLog: SimTime?

    init(id: NodeID, settings: SwitchSettings) {
        self.id = id
        self.settings = settings
    }

    static func key(vlan: UInt16, mac: MACAddress) -> UInt64 { UInt64(vlan) << 48 | mac.rawValue }

    func switchport(_ port: PortID) -> SwitchportSettings { portSettings[port] ?? SwitchportSettings() }

    /// Per port (by position in `portIDs`): the access VLAN, or for a trunk its native VLAN.
    /// Rebuilt on configuration, like the rest of the membership table.
    var memberVLAN: [UInt16] = []
    /// Per port: -1 for an access port, else the offset in `trunkVLANBits` of the trunk's 4,096-bit
    /// map of the VLANs it carries (allowed and defined). Trunks with the same map share it.
    var trunkBitsOffset: [Int32] = []
    var trunkVLANBits: [UInt64] = []
    /// VLANs that exist (`vlan N`), by VLAN ID.
    var knownVLANs = [Bool](repeating: false, count: 4096)

    /// True when the port carries `vlan`, and whether frames of that VLAN leave it tagged.
    /// - Complexity: O(1), from the membership table (a few bytes per access port, 512 per distinct trunk).
    func carries(_ port: PortID, vlan: UInt16) -> (carries: Bool, tagged: Bool) {
        let local = Int(port.rawValue &- (portIDs.first?.rawValue ?? 0))
        guard local >= 0, local < memberVLAN.count, Int(vlan) < 4096 else { return computeCarries(port, vlan: vlan) }
        let offset = trunkBitsOffset[local]
        if offset < 0 { return (memberVLAN[local] == vlan, false) }
        let word = trunkVLANBits[Int(offset) + Int(vlan >> 6)]
        return (word >> UInt64(vlan & 63) & 1 != 0, vlan != memberVLAN[local])
    }

    func computeCarries(_ port: PortID, vlan: UInt16) -> (carries: Bool, tagged: Bool) {
        let s = switchport(port)
        switch s.mode {
        case .access: return (s.accessVLAN == vlan, false)
        case .trunk:
            let allowed = s.allowedVLANs?.contains(vlan) ?? true
            return (allowed && settings.vlans[vlan] != nil, vlan != s.nativeVLAN)
        }
    }

    func rebuildVLANPorts(network: Network) {
        memberVLAN = []
        trunkBitsOffset = []
        trunkVLANBits = []
        memberVLAN.reserveCapacity(portIDs.count)
        trunkBitsOffset.reserveCapacity(portIDs.count)
        var trunkMaps: [[UInt64]: Int32] = [:]
        for p in portIDs {
            let s = switchport(p)
            switch s.mode {
            case .access:
                memberVLAN.append(s.accessVLAN)
                trunkBitsOffset.append(-1)
            case .trunk:
                var bits = [UInt64](repeating: 0, count: 64)
                for v in 0..<4096 where computeCarries(p, vlan: UInt16(v)).carries { bits[v >> 6] |= 1 << UInt64(v & 63) }
                let offset: Int32
                if let shared = trunkMaps[bits] { offset = shared } else {
                    offset = Int32(trunkVLANBits.count)
                    trunkVLANBits += bits
                    trunkMaps[bits] = offset
                }
                memberVLAN.append(s.nativeVLAN)
                trunkBitsOffset.append(offset)
            }
        }
        knownVLANs = (0..<4096).map { settings.vlans[UInt16($0)] != nil }
        if stormPortBytes.count != portIDs.count * 3 { stormPortBytes = [UInt64](repeating: 0, count: portIDs.count * 3) }
        vlanPorts = [:]
        for vlan in settings.vlans.keys.sorted() {
            vlanPorts[vlan] = portIDs.filter { carries($0, vlan: vlan).carries }
        }
    }

    /// Installs the static MAC entries (`mac address-table static`).
    func installStaticMACs(network: Network) {
        macTable = macTable.filter { !$0.value.isStatic }
        for entry in settings.staticMACs {
            let ports = entry.interfaces.compactMap { name in network.port(of: id, named: name) }
            macTable[Self.key(vlan: entry.vlan, mac: entry.mac)] =
                MACTableEntry(vlan: entry.vlan, mac: entry.mac, ports: ports, isStatic: true, lastSeen: network.now)
        }
    }

    func timerFired(_ timer: TimerID, generation: UInt32, network: Network) {
        guard timers.expire(timer, generation: generation), Int(timer.rawValue) < timerVLANs.count else { return }
        querierTimerFired(vlan: timerVLANs[Int(timer.rawValue)], network: network)
    }

    func portStateChanged(_ port: PortID, up: Bool, network: Network) {
        if !up {
            // IOS flushes the addresses learned on a port that goes down.
            macTable = macTable.filter { $0.value.isStatic || $0.value.port != port }
            snoopingTable.flush(port: port)
        }
    }

    /// IEEE 802.1Q forwarding: classify to a VLAN, learn the source, forward or flood.
    func receive(_ frame: FrameHandle, on port: PortID, network: Network) {
        let s = switchport(port)
        let bytes = network.frames.unsafeBytes(frame)
        let header: (MACAddress, MACAddress, UInt16?)? = {
            guard let d = FrameView.destination(bytes), let src = FrameView.source(bytes) else { return nil }
            return (d, src, FrameView.vlanID(bytes))
        }()
        guard let (destination, source, tag) = header else { network.drop(frame, .malformed); return }
        let vlan: UInt16
        switch (s.mode, tag) {
        case (.access, nil): vlan = s.accessVLAN
        case (.access, .some):
            network.ports[port.index].inputDrops &+= 1
            network.drop(frame, .vlanMismatch)
            return
        case (.trunk, nil): vlan = s.nativeVLAN
        case let (.trunk, .some(v)):
            guard carries(port, vlan: v).carries else {
                network.ports[port.index].inputDrops &+= 1
                network.drop(frame, .vlanMismatch)
                return
            }
            vlan = v
        }
        guard Int(vlan) < knownVLANs.count, knownVLANs[Int(vlan)] else { network.drop(frame, .vlanMismatch); return }
        let local = Int(port.rawValue &- portIDs[0].rawValue)
        let type = StormTrafficType.of(destination)
        // Catalyst IOS: storm control measures and filters on ingress, per traffic type.
        if stormControlOn, !stormControlAdmits(type, bytes: bytes.count, local: local, network: network) {
            network.ports[port.index].stormControlDrops &+= 1
            network.drop(frame, .stormControl)
            return
        }
        // Learning (802.1Q §8.7): remember where the source lives, unless a static entry owns it.
        if source.isUnicast {
            let k = Self.key(vlan: vlan, mac: source)
            if let i = macTable.index(forKey: k) {
                if !macTable.values[i].isStatic {
                    if macTable.values[i].port != port {
                        macMoved(source, vlan: vlan, from: macTable.values[i].port, to: port,
                                 lastMoved: macTable.values[i].lastMoved, network: network)
                        macTable.values[i].lastMoved = network.now
                    }
                    macTable.values[i].port = port
                    macTable.values[i].lastSeen = network.now
                }
            } else {
                macTable[k] = MACTableEntry(vlan: vlan, mac: source, ports: [port], isStatic: false, lastSeen: network.now)
            }
        }
        // Forwarding: a known, fresh entry sends the frame to its port(s); anything else floods the VLAN.
        if let entry = macTable[Self.key(vlan: vlan, mac: destination)] {
            if entry.isStatic || network.now - entry.lastSeen < settings.macAgingTime {
                if !entry.isStatic || entry.staticPorts.count == 1 {
                    // The usual case, without building a port list.
                    let to = entry.isStatic ? entry.staticPorts[0] : entry.port
                    guard to != port else { filteredFrames &+= 1; network.drop(frame, .notForUs); return }
                    forwardedFrames &+= 1
                    sendOne(frame, to: to, vlan: vlan, tag: tag, flooded: false, network: network)
                    return
                }
                let out = entry.staticPorts.filter { $0 != port }
                if out.isEmpty { filteredFrames &+= 1; network.drop(frame, .notForUs); return }
                forwardedFrames &+= 1
                send(frame, to: out, vlan: vlan, tag: tag, flooded: false, network: network)
                return
            }
            macTable[Self.key(vlan: vlan, mac: destination)] = nil  // aged out (300 s by default)
        }
        // RFC 1112 §6.4 group MACs (01-00-5E) go by the snooping table; everything else floods.
        if destination.rawValue >> 24 == 0x01_005E, destination.rawValue & 0x80_0000 == 0 {
            receiveIPv4Multicast(frame, bytes: bytes, on: port, vlan: vlan, tag: tag, local: local, type: type, network: network)
            return
        }
        floodedFrames &+= 1
        countFlooded(type, vlan: vlan, bytes: bytes.count, local: local, network: network)
        flood(frame, from: port, vlan: vlan, tag: tag, network: network)
    }

    /// Floods a frame to every other up port of the VLAN without building a port list (the NLB and
    /// no-querier outages flood every frame): a copy per port but the last, which takes the original.
    func flood(_ frame: FrameHandle, from port: PortID, vlan: UInt16, tag: UInt16?, network: Network) {
        guard let members = vlanPorts[vlan] else { network.drop(frame, .noListener); return }
        var last: PortID?
        for p in members where p != port && network.ports[p.index].lineProtocolUp {
            if let previous = last { sendOne(network.frames.copy(frame), to: previous, vlan: vlan, tag: tag, flooded: true, network: network) }
            last = p
        }
        guard let last else { network.drop(frame, .noListener); return }
        sendOne(frame, to: last, vlan: vlan, tag: tag, flooded: true, network: network)
    }

    /// Sends a frame out of several ports: copies for all but the last, each tagged as its port needs.
    func send(_ frame: FrameHandle, to ports: [PortID], vlan: UInt16, tag: UInt16?, flooded: Bool, network: Network) {
        for (i, p) in ports.enumerated() {
            let f = i == ports.count - 1 ? frame : network.frames.copy(frame)
            sendOne(f, to: p, vlan: vlan, tag: tag, flooded: flooded, network: network)
        }
    }

    /// Sends one frame out of one port, tagged or untagged as the port carries the VLAN.
    func sendOne(_ f: FrameHandle, to p: PortID, vlan: UInt16, tag: UInt16?, flooded: Bool, network: Network) {
        let (carried, tagged) = carries(p, vlan: vlan)
        guard carried || !flooded else { network.drop(f, .vlanMismatch); return }
        if tagged && tag == nil { network.frames.insertTag(f, vlanID: vlan) }
        else if !tagged && tag != nil { network.frames.removeTag(f) }
        else if tagged, let t = tag, t != vlan {
            network.frames.removeTag(f)
            network.frames.insertTag(f, vlanID: vlan)
        }
        let port = network.ports[p.index]
        if flooded {
            port.outputFlooded &+= 1
            port.outputFloodedBytes &+= UInt64(network.frames.length(f))
        } else {
            port.outputForwarded &+= 1
        }
        network.transmit(f, on: p)
    }

    /// Entries still valid at `now`, sorted as `show mac address-table` lists them (VLAN, then MAC).
    public func currentEntries(now: SimTime) -> [MACTableEntry] {
        macTable.values.filter { $0.isStatic || now - $0.lastSeen < settings.macAgingTime }
            .sorted { ($0.vlan, $0.mac) < ($1.vlan, $1.mac) }
    }
}
