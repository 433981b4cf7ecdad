import Engine
import Wire

/// A MAC address table entry.
public struct MACTableEntry: Sendable {
    public var vlan: UInt16
    public var mac: MACAddress
    /// Learned port, or the ports of a static entry.
    public var ports: [PortID]
    public var isStatic: Bool
    public var lastSeen: SimTime
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

    init(id: NodeID, settings: SwitchSettings) {
        self.id = id
        self.settings = settings
    }

    static func key(vlan: UInt16, mac: MACAddress) -> UInt64 { UInt64(vlan) << 48 | mac.rawValue }

    func switchport(_ port: PortID) -> SwitchportSettings { portSettings[port] ?? SwitchportSettings() }

    /// True when the port carries `vlan`, and whether frames of that VLAN leave it tagged.
    func carries(_ port: PortID, vlan: UInt16) -> (carries: Bool, tagged: Bool) {
        let s = switchport(port)
        switch s.mode {
        case .access: return (s.accessVLAN == vlan, false)
        case .trunk:
            let allowed = s.allowedVLANs?.contains(vlan) ?? true
            return (allowed && settings.vlans[vlan] != nil, vlan != s.nativeVLAN)
        }
    }

    func rebuildVLANPorts(network: Network) {
        vlanPorts = [:]
        for vlan in settings.vlans.keys.sorted() {
            vlanPorts[vlan] = portIDs.filter { carries($0, vlan: vlan).carries }
        }
    }

    /// Installs the static MAC entries (`mac address-table static`).
    func installStaticMACs(network: Network) {
        macTable = macTable.filter { !$0.value.isStatic }
        for entry in settings.staticMACs {
            let ports = entry.interfaces.compactMap { name in portIDs.first { network.ports[$0.index].name == name } }
            macTable[Self.key(vlan: entry.vlan, mac: entry.mac)] =
                MACTableEntry(vlan: entry.vlan, mac: entry.mac, ports: ports, isStatic: true, lastSeen: network.now)
        }
    }

    func timerFired(_ timer: TimerID, generation: UInt32, network: Network) {}

    func portStateChanged(_ port: PortID, up: Bool, network: Network) {
        if !up {
            // IOS flushes the addresses learned on a port that goes down.
            macTable = macTable.filter { $0.value.isStatic || $0.value.ports != [port] }
        }
    }

    /// IEEE 802.1Q forwarding: classify to a VLAN, learn the source, forward or flood.
    func receive(_ frame: FrameHandle, on port: PortID, network: Network) {
        let s = switchport(port)
        let header = network.frames.withBytes(frame) { bytes -> (MACAddress, MACAddress, UInt16?)? in
            guard let d = FrameView.destination(bytes), let src = FrameView.source(bytes) else { return nil }
            return (d, src, FrameView.vlanID(bytes))
        }
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
        guard settings.vlans[vlan] != nil else { network.drop(frame, .vlanMismatch); return }
        // Learning (802.1Q §8.7): remember where the source lives, unless a static entry owns it.
        if source.isUnicast {
            let k = Self.key(vlan: vlan, mac: source)
            if macTable[k]?.isStatic != true {
                macTable[k] = MACTableEntry(vlan: vlan, mac: source, ports: [port], isStatic: false, lastSeen: network.now)
            }
        }
        // Forwarding: a known, fresh entry sends the frame to its port(s); anything else floods the VLAN.
        if let entry = macTable[Self.key(vlan: vlan, mac: destination)] {
            if entry.isStatic || network.now - entry.lastSeen < settings.macAgingTime {
                let out = entry.ports.filter { $0 != port }
                if out.isEmpty { filteredFrames &+= 1; network.drop(frame, .notForUs); return }
                forwardedFrames &+= 1
                send(frame, to: out, vlan: vlan, tag: tag, flooded: false, network: network)
                return
            }
            macTable[Self.key(vlan: vlan, mac: destination)] = nil  // aged out (300 s by default)
        }
        floodedFrames &+= 1
        let out = (vlanPorts[vlan] ?? []).filter { $0 != port && network.ports[$0.index].lineProtocolUp }
        if out.isEmpty { network.drop(frame, .noListener); return }
        send(frame, to: out, vlan: vlan, tag: tag, flooded: true, network: network)
    }

    /// Sends a frame out of several ports: copies for all but the last, each tagged as its port needs.
    func send(_ frame: FrameHandle, to ports: [PortID], vlan: UInt16, tag: UInt16?, flooded: Bool, network: Network) {
        for (i, p) in ports.enumerated() {
            let f = i == ports.count - 1 ? frame : network.frames.copy(frame)
            let (carried, tagged) = carries(p, vlan: vlan)
            guard carried || !flooded else { network.drop(f, .vlanMismatch); continue }
            if tagged && tag == nil { network.frames.insertTag(f, vlanID: vlan) }
            else if !tagged && tag != nil { network.frames.removeTag(f) }
            else if tagged, let t = tag, t != vlan {
                network.frames.removeTag(f)
                network.frames.insertTag(f, vlanID: vlan)
            }
            let port = network.ports[p.index]
            if flooded { port.outputFlooded &+= 1 } else { port.outputForwarded &+= 1 }
            network.transmit(f, on: p)
        }
    }

    /// Entries still valid at `now`, sorted as `show mac address-table` lists them (VLAN, then MAC).
    public func currentEntries(now: SimTime) -> [MACTableEntry] {
        macTable.values.filter { $0.isStatic || now - $0.lastSeen < settings.macAgingTime }
            .sorted { ($0.vlan, $0.mac) < ($1.vlan, $1.mac) }
    }
}
