import Engine
@testable import Fabric
import Testing
import Wire

// Small builders so each topology test reads like the IOS configuration it stands for.

func ip(_ text: String) -> IPv4Address { IPv4Address(text)! }

func mac(_ text: String) -> MACAddress { MACAddress(text)! }

func prefix(_ text: String) -> IPv4Prefix { IPv4Prefix(text)! }

/// Virtual time `seconds` after the start of the run.
func at(_ seconds: Int64) -> SimTime { .zero + .seconds(seconds) }

/// `interface NAME` / `ip address A/L` / `no shutdown` (router interfaces start shut in IOS).
func interface(_ name: String, _ address: String? = nil, shutdown: Bool = false) -> InterfaceSettings {
    var s = InterfaceSettings(name: name)
    s.shutdown = shutdown
    if let address {
        let parts = address.split(separator: "/")
        let a = ip(String(parts[0]))
        s.addresses = [InterfaceAddress(address: a, prefix: IPv4Prefix(a, length: Int(parts[1])!))]
    }
    return s
}

/// `ip route PREFIX NEXT-HOP [DISTANCE]`.
func route(_ p: String, via nextHop: String, distance: UInt8 = 1) -> StaticRoute {
    StaticRoute(prefix: prefix(p), nextHop: ip(nextHop), interface: nil, distance: distance)
}

/// An access port (`switchport mode access`, `switchport access vlan N`).
func accessPort(_ name: String, vlan: UInt16) -> InterfaceSettings {
    var s = InterfaceSettings(name: name)
    var sp = SwitchportSettings()
    sp.accessVLAN = vlan
    s.switchport = sp
    return s
}

/// A trunk port (`switchport mode trunk`).
func trunkPort(_ name: String) -> InterfaceSettings {
    var s = InterfaceSettings(name: name)
    var sp = SwitchportSettings()
    sp.mode = .trunk
    s.switchport = sp
    return s
}

extension Network {
    /// Adds a router with the given interfaces (physical ports are those without a dot or `Loopback`).
    @discardableResult
    func addRouter(_ name: String, _ interfaces: [InterfaceSettings], routes: [StaticRoute] = [],
                   staticARP: [IPv4Address: MACAddress] = [:]) -> NodeID {
        var s = IPNodeSettings(hostname: name)
        s.interfaces = interfaces
        s.staticRoutes = routes
        s.staticARP = staticARP
        let physical = interfaces.map(\.name).filter { !$0.contains(".") && !$0.hasPrefix("Loopback") }
        return addIPNode(s, isRouter: true, physicalPorts: physical)
    }

    /// Adds a host (`isRouter: false`, no IP routing) with one Ethernet port.
    @discardableResult
    func addHost(_ name: String, _ address: String, gateway: String? = nil,
                 staticARP: [IPv4Address: MACAddress] = [:]) -> NodeID {
        var s = IPNodeSettings(hostname: name)
        s.interfaces = [interface("Ethernet0", address)]
        s.ipRouting = false
        s.defaultGateway = gateway.map(ip)
        s.staticARP = staticARP
        return addIPNode(s, isRouter: false, physicalPorts: ["Ethernet0"])
    }

    /// Cables two named ports: Gigabit Ethernet with a 1 ms propagation delay unless told otherwise.
    @discardableResult
    func cable(_ a: NodeID, _ portA: String, _ b: NodeID, _ portB: String,
               bandwidth: Bandwidth = .gbps(1), delay: SimDuration = .milliseconds(1), mtu: Int = 1500) -> LinkID {
        connect(port(of: a, named: portA)!, port(of: b, named: portB)!, bandwidth: bandwidth, delay: delay, mtu: mtu)
    }

    /// Runs a ping to completion and returns its IOS output.
    func pingOutput(from node: NodeID, to target: String, count: Int = 5, size: Int = 100) -> String {
        let probe = ping(from: node, to: ip(target), count: count, size: size)!
        run(until: now + .seconds(Int64(count) * 2 + 5))
        let (text, finished) = output(of: probe)
        #expect(finished)
        return text
    }

    func host(_ node: NodeID) -> IPNode { ipNode(node)! }
}

/// Compares `show` output with its golden text, printing the actual text whole when they differ
/// so a changed layout can be reviewed (and pasted) as a readable block.
func expectShow(_ actual: String, _ golden: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if actual != golden {
        print("---- actual \(sourceLocation.fileName):\(sourceLocation.line) ----\n\(actual)\n---- end ----")
    }
    #expect(actual == golden, sourceLocation: sourceLocation)
}
