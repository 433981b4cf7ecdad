import Engine
import IOSConfig
import QoS
import Wire

/// What `show interfaces` needs to know about one interface, for routers and switches alike.
struct InterfaceView {
    enum Kind { case ethernet, serial, loopback, subinterface }
    var name: String
    var kind: Kind
    var port: Port?
    var adminDown: Bool
    var lineUp: Bool
    var addresses: [InterfaceAddress] = []
    var description: String?
    var vlan: UInt16?
    var mtu: Int
    var arpTimeout = "04:00:00"


    /// `up`, `down` or `administratively down`, as the first line and `show ip interface brief` say.
    var status: String { adminDown ? "administratively down" : (lineUp ? "up" : "down") }
    var lineProtocol: String { !adminDown && lineUp ? "up" : "down" }
    var errDisabled = false
}

extension Network {
    /// The interfaces of a router, host or switch in IOS order.
    func interfaceViews(of node: NodeID) -> [InterfaceView] {
        var views: [InterfaceView] = []
        switch devices[node.index] {
        case let .router(n), let .host(n):
            for (index, i) in n.interfaces.enumerated() {
                let settings = n.settings.interface(named: i.name)
                let port = i.port.map { ports[$0.index] }
                var view: InterfaceView
                if i.port == nil {
                    view = InterfaceView(name: i.name, kind: .loopback, port: nil, adminDown: i.adminDown,
                                         lineUp: !i.adminDown, mtu: settings?.mtu ?? 1514)
                } else if i.name.contains(".") {
                    // A subinterface is administratively down with its parent as well.
                    view = InterfaceView(name: i.name, kind: .subinterface, port: port,
                                         adminDown: i.adminDown || port?.adminUp == false,
                                         lineUp: n.isUp(index, network: self), vlan: i.vlan ?? settings?.dot1QVLAN,
                                         mtu: settings?.mtu ?? 1500)
                } else {
                    view = InterfaceView(name: i.name, kind: i.name.hasPrefix("Serial") ? .serial : .ethernet, port: port,
                                         adminDown: i.adminDown, lineUp: port?.lineProtocolUp ?? false,
                                         mtu: settings?.mtu ?? 1500)
                }
                view.addresses = i.addresses
                view.description = i.description
                view.arpTimeout = Self.hoursMinutesSeconds(i.arpTimeout.nanoseconds / 1_000_000_000)
                views.append(view)
            }
        case let .l2switch(s):
            for id in s.portIDs {
                let port = ports[id.index]
                let settings = s.settings.interfaces.first { $0.name == port.name }
                var view = InterfaceView(name: port.name, kind: port.name.hasPrefix("Serial") ? .serial : .ethernet,
                                         port: port, adminDown: !port.adminUp, lineUp: port.lineProtocolUp,
                                         mtu: settings?.mtu ?? 1500)
                view.description = port.description
                view.errDisabled = port.errDisabled
                views.append(view)
            }
        }
        return views.sorted { InterfaceName.less($0.name, $1.name) }
    }

    static func hoursMinutesSeconds(_ seconds: Int64) -> String {
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }

    /// Whether the node has an interface of that name (full or short form), as `show interfaces NAME` looks it up.
    public func hasInterface(_ node: NodeID, named name: String) -> Bool {
        interfaceViews(of: node).contains { InterfaceName.matches(name, $0.name) }
    }

    /// IOS `show interfaces [NAME]` (the name in full or short form). Unknown names give IOS's error.
    public func showInterfaces(_ node: NodeID, name: String? = nil) -> String {
        var views = interfaceViews(of: node)
        if let name {
            views = views.filter { InterfaceName.matches(name, $0.name) }
            if views.isEmpty { return "% Invalid input detected at '^' marker." }
        }
        let isSwitch: Bool
        if case .l2switch = devices[node.index] { isSwitch = true } else { isSwitch = false }
        return renderShowLines(views.flatMap { interfaceLines($0, onSwitch: isSwitch) })
    }

    func interfaceLines(_ v: InterfaceView, onSwitch: Bool) -> [String] {
        // IOS: "GigabitEthernet0/1 is down, line protocol is down (err-disabled)".
        var lines = ["\(v.name) is \(v.status), line protocol is \(v.lineProtocol)" + (v.errDisabled ? " (err-disabled)" : "")]
        let bandwidth: Bandwidth
        let delayMicroseconds: Int
        switch v.kind {
        case .loopback:
            lines.append("  Hardware is Loopback")
            bandwidth = .gbps(8)
            delayMicroseconds = 5000
        case .serial:
            lines.append("  Hardware is M4T")
            // An unconnected serial line runs at the IOS default of T1.
            bandwidth = v.port.map { $0.link == nil ? ($0.configuredBandwidth ?? .kbps(1544)) : $0.bandwidth } ?? .kbps(1544)
            delayMicroseconds = 20000
        case .ethernet, .subinterface:
            let mac = v.port?.mac.ciscoNotation ?? "0000.0000.0000"
            lines.append("  Hardware is \(Self.hardwareName(v.name, onSwitch: onSwitch)), address is \(mac) (bia \(mac))")
            bandwidth = v.port?.bandwidth ?? .gbps(1)
            delayMicroseconds = Self.delayMicroseconds(v.name)
        }
        if let d = v.description { lines.append("  Description: \(d)") }
        if let a = v.addresses.first { lines.append("  Internet address is \(a.address)/\(a.prefix.length)") }
        for a in v.addresses.dropFirst() { lines.append("  Secondary address \(a.address)/\(a.prefix.length)") }
        lines.append("  MTU \(v.mtu) bytes, BW \(bandwidth.kilobitsPerSecond) Kbit/sec, DLY \(delayMicroseconds) usec,")
        let port = v.kind == .loopback ? nil : v.port
        let tx = Self.load(port?.outputBitsPerSecond ?? 0, of: bandwidth)
        let rx = Self.load(port?.inputBitsPerSecond ?? 0, of: bandwidth)
        lines.append("     reliability 255/255, txload \(tx)/255, rxload \(rx)/255")
        switch v.kind {
        case .loopback:
            lines.append("  Encapsulation LOOPBACK, loopback not set")
        case .serial:
            lines.append("  Encapsulation HDLC, crc 16, loopback not set")
        case .ethernet:
            lines.append("  Encapsulation ARPA, loopback not set")
        case .subinterface:
            // IOS prints two blanks before the VLAN ID and a full stop after it.
            lines.append("  Encapsulation 802.1Q Virtual LAN, Vlan ID  \(v.vlan.map { "\($0)" } ?? "1").")
            lines.append("  ARP type: ARPA, ARP Timeout \(v.arpTimeout)")
            lines.append("  Keepalive set (10 sec)")
            lines.append("  Last clearing of \"show interface\" counters never")
            return lines
        }
        lines.append("  Keepalive set (10 sec)")
        if v.kind == .ethernet {
            lines.append("  ARP type: ARPA, ARP Timeout \(v.arpTimeout)")
        }
        lines.append("  Last clearing of \"show interface\" counters never")
        let inputDrops = port?.inputDrops ?? 0
        lines.append("  Input queue: 0/75/\(inputDrops)/0 (size/max/drops/flushes); Total output drops: \(port?.outputDrops ?? 0)")
        if let port {
            lines += port.queue.showInterfaceLines()
        } else {
            lines += ["  Queueing strategy: fifo", "  Output queue: 0/0 (size/max)"]
        }
        func rate(_ value: Double) -> Int { Int(value.rounded()) }
        lines.append("  5 minute input rate \(rate(port?.inputBitsPerSecond ?? 0)) bits/sec, "
                     + "\(rate(port?.inputPacketsPerSecond ?? 0)) packets/sec")
        lines.append("  5 minute output rate \(rate(port?.outputBitsPerSecond ?? 0)) bits/sec, "
                     + "\(rate(port?.outputPacketsPerSecond ?? 0)) packets/sec")
        let p = port
        lines.append("     \(p?.inputPackets ?? 0) packets input, \(p?.inputBytes ?? 0) bytes, 0 no buffer")
        // Catalyst counts multicasts among the broadcasts and names them plainly; routers say "IP multicasts".
        let broadcasts = (p?.inputBroadcasts ?? 0) + (p?.inputMulticasts ?? 0)
        lines.append("     Received \(broadcasts) broadcasts (\(p?.inputMulticasts ?? 0) \(onSwitch ? "" : "IP ")multicasts)")
        lines.append("     0 runts, 0 giants, 0 throttles")
        lines.append("     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored" + (v.kind == .ethernet ? "" : ", 0 abort"))
        if v.kind == .ethernet { lines.append("     0 watchdog, \(p?.inputMulticasts ?? 0) multicast, 0 pause input") }
        lines.append("     \(p?.outputPackets ?? 0) packets output, \(p?.outputBytes ?? 0) bytes, 0 underruns")
        lines.append("     0 output errors, 0 collisions, 0 interface resets")
        lines.append("     0 unknown protocol drops")
        if v.kind == .ethernet {
            lines.append("     0 babbles, 0 late collision, 0 deferred")
            lines.append("     0 lost carrier, 0 no carrier, 0 pause output")
        }
        lines.append("     0 output buffer failures, 0 output buffers swapped out")
        if v.kind == .serial {
            lines.append("     0 carrier transitions")
            let up = v.lineUp ? "up" : "down"
            lines.append("     DCD=\(up)  DSR=\(up)  DTR=\(up)  RTS=\(up)  CTS=\(up)")
        }
        return lines
    }

    /// `txload`/`rxload`: the 5-minute rate as a fraction of the bandwidth in 255ths, at least 1.
    static func load(_ bitsPerSecond: Double, of bandwidth: Bandwidth) -> Int {
        guard bandwidth.bitsPerSecond > 0 else { return 1 }
        let load = Int((bitsPerSecond * 255 / Double(bandwidth.bitsPerSecond)).rounded())
        return min(255, max(1, load))
    }

    /// IOS default delay by interface type (the `DLY` that EIGRP reads).
    static func delayMicroseconds(_ name: String) -> Int {
        if name.hasPrefix("TenGigabitEthernet") || name.hasPrefix("GigabitEthernet") { return 10 }
        if name.hasPrefix("FastEthernet") { return 100 }
        return 1000
    }

    /// The `Hardware is` text of the images Wirelab imitates: IOSv routers, IOL, Catalyst switches.
    static func hardwareName(_ name: String, onSwitch: Bool) -> String {
        if name.hasPrefix("TenGigabitEthernet") { return "Ten Gigabit Ethernet" }
        if name.hasPrefix("GigabitEthernet") { return onSwitch ? "Gigabit Ethernet" : "iGbE" }
        if name.hasPrefix("FastEthernet") { return onSwitch ? "Fast Ethernet" : "Gt96k FE" }
        return "AmdP2"
    }

    /// IOS `show ip interface brief`.
    public func showIPInterfaceBrief(_ node: NodeID) -> String {
        var lines = ["Interface                  IP-Address      OK? Method Status                Protocol"]
        for v in interfaceViews(of: node) {
            let address = v.addresses.first.map { "\($0.address)" } ?? "unassigned"
            let method = v.addresses.isEmpty ? "unset" : "manual"
            lines.append(v.name.padded(to: 27) + address.padded(to: 16) + "YES " + method.padded(to: 7)
                         + v.status.padded(to: 22) + v.lineProtocol)
        }
        return renderShowLines(lines)
    }
}
