import Engine
import IOSConfig
import Wire

/// One broadcast, multicast or unknown-unicast storm a switch saw in one VLAN (a Wirelab report,
/// not an IOS feature: without spanning tree a loop floods silently otherwise).
public struct StormEpisode: Sendable, Equatable {
    public var device: String
    public var vlan: UInt16
    public var type: StormTrafficType
    /// The start of the first 1-second window over the criterion.
    public var start: SimTime
    /// The start of the first window back under it; nil while the storm lasts.
    public var end: SimTime?
    /// The highest rate of one window: flooded frames per second in the VLAN.
    public var peakPacketsPerSecond: UInt64
    /// The highest share of one ingress port's bandwidth the type took in one window, and that port.
    public var peakPercent: Double
    public var peakPort: String
    /// MAC addresses seen moving back and forth between ports while the switch ran (all VLANs).
    public var macFlaps: UInt64

    /// "Broadcast", "Multicast", "Unknown unicast".
    public var typeName: String {
        switch type {
        case .broadcast: "Broadcast"
        case .multicast: "Multicast"
        case .unicast: "Unknown unicast"
        }
    }
}

extension L2Switch {
    /// The criterion, per switch, VLAN and type, in each 1-second window of virtual time: at least
    /// `stormMinimumPPS` flooded frames, and on one ingress port carrying the VLAN at least
    /// `stormMinimumPercent` of its bandwidth. A loop saturates its links (close to 100%) within
    /// milliseconds; a loop-free lab floods a few ARP and IGMP frames per second.
    static let stormMinimumPPS: UInt64 = 1_000
    static let stormMinimumPercent = 10.0
    /// IOS rate-limits %SW_MATM-4-MACFLAP_NOTIF; Wirelab logs at most one per switch per second.
    static let macFlapLogInterval = SimDuration.seconds(1)
    /// A move counts as a flap when the address had already moved less than this before.
    static let macFlapWindow = SimDuration.seconds(1)

    /// Counts a flooded frame in the current window (arrays indexed by VLAN and type, and by port
    /// and type; no allocation: `stormTouched` has its capacity reserved).
    @inline(__always)
    func countFlooded(_ type: StormTrafficType, vlan: UInt16, bytes: Int, local: Int, network: Network) {
        if network.now >= stormWindowEnd { closeStormWindow(network: network) }
        let k = Int(vlan) &* 3 &+ type.rawValue
        if stormVLANFrames[k] == 0 { stormTouched.append(Int32(k)) }
        stormVLANFrames[k] &+= 1
        stormPortBytes[local &* 3 &+ type.rawValue] &+= UInt64(bytes)
    }

    /// Evaluates the windows that ended by now: storms start and end at window boundaries, logged
    /// with the boundary's time. Idempotent, so reading state early (a `show`) changes nothing.
    @inline(never)
    func closeStormWindow(network: Network) {
        let now = network.now
        guard now >= stormWindowEnd else { return }
        let boundary = stormWindowEnd
        var over: [Int: (pps: UInt64, percent: Double, port: String)] = [:]
        for k in stormTouched {
            let k = Int(k)
            let frames = UInt64(stormVLANFrames[k])
            stormVLANFrames[k] = 0
            guard frames >= Self.stormMinimumPPS else { continue }
            let vlan = UInt16(k / 3), type = k % 3
            var best = (percent: 0.0, port: "")
            for p in vlanPorts[vlan] ?? [] {
                let local = Int(p.rawValue &- portIDs[0].rawValue)
                let rate = Double(network.ports[p.index].lineRate.bitsPerSecond)
                let percent = rate > 0 ? Double(stormPortBytes[local * 3 + type]) * 8 * 100 / rate : 0
                if percent > best.percent { best = (percent, network.ports[p.index].name) }
            }
            if best.percent >= Self.stormMinimumPercent { over[k] = (frames, best.percent, best.port) }
        }
        stormTouched.removeAll(keepingCapacity: true)
        for i in stormPortBytes.indices { stormPortBytes[i] = 0 }
        let windowStart = boundary - Self.stormInterval
        for (k, rate) in over.sorted(by: { $0.key < $1.key }) {
            let vlan = UInt16(k / 3), type = StormTrafficType(rawValue: k % 3)!
            let short = InterfaceName.short(rate.port)
            if let i = activeStorms[k] {
                if rate.pps > storms[i].peakPacketsPerSecond { storms[i].peakPacketsPerSecond = rate.pps }
                if rate.percent > storms[i].peakPercent { (storms[i].peakPercent, storms[i].peakPort) = (rate.percent, rate.port) }
                continue
            }
            activeStorms[k] = storms.count
            storms.append(StormEpisode(device: name, vlan: vlan, type: type, start: windowStart, end: nil,
                                       peakPacketsPerSecond: rate.pps, peakPercent: rate.percent, peakPort: rate.port,
                                       macFlaps: macFlaps))
            network.log(id, "%SW-4-STORM: \(storms[storms.count - 1].typeName) storm detected in vlan \(vlan): "
                        + "\(rate.pps) pps, \(Self.percent(rate.percent)) of the bandwidth of \(short)", at: boundary)
        }
        for (k, i) in activeStorms.sorted(by: { $0.key < $1.key }) where over[k] == nil {
            endStorm(i, at: windowStart, loggedAt: boundary, network: network)
            activeStorms[k] = nil
        }
        // Windows with no flooding at all in between: whatever still stormed has ended.
        if now >= boundary + Self.stormInterval {
            for (k, i) in activeStorms.sorted(by: { $0.key < $1.key }) {
                endStorm(i, at: boundary, loggedAt: boundary + Self.stormInterval, network: network)
                activeStorms[k] = nil
            }
        }
        stormWindowEnd = Self.intervalEnd(after: now)
    }

    func endStorm(_ i: Int, at time: SimTime, loggedAt: SimTime, network: Network) {
        storms[i].end = time
        storms[i].macFlaps = macFlaps &- storms[i].macFlaps
        let e = storms[i]
        let seconds = (time - e.start).nanoseconds / 1_000_000_000
        network.log(id, "%SW-5-STORM_END: \(e.typeName) storm in vlan \(e.vlan) has ended after \(seconds) s "
                    + "(peak \(e.peakPacketsPerSecond) pps, \(Self.percent(e.peakPercent)) of the bandwidth of "
                    + "\(InterfaceName.short(e.peakPort)))", at: loggedAt)
    }

    /// The storms so far, with the windows that ended by now evaluated; ongoing ones count the MAC
    /// flaps up to now.
    public func stormEpisodes(network: Network) -> [StormEpisode] {
        closeStormWindow(network: network)
        return storms.map { e in
            var e = e
            if e.end == nil { e.macFlaps = macFlaps &- e.macFlaps }
            return e
        }
    }

    /// A dynamic entry moved from `old` to `port`: a flap when it had moved within the last second.
    @inline(never)
    func macMoved(_ mac: MACAddress, vlan: UInt16, from old: PortID, to port: PortID, lastMoved: SimTime?, network: Network) {
        guard let last = lastMoved, network.now - last < Self.macFlapWindow else { return }
        macFlaps &+= 1
        if let logged = lastMacFlapLog, network.now - logged < Self.macFlapLogInterval { return }
        lastMacFlapLog = network.now
        // Catalyst IOS: the port it was on first, then the port it moved to.
        network.log(id, "%SW_MATM-4-MACFLAP_NOTIF: Host \(mac.ciscoNotation) in vlan \(vlan) is flapping between port "
                    + "\(InterfaceName.short(network.ports[old.index].name)) and port "
                    + "\(InterfaceName.short(network.ports[port.index].name))")
    }

    public static func percent(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
    }
}

extension Network {
    /// Every switch's storms so far, in device order then start time (windows ended by now evaluated).
    public func stormEpisodes() -> [StormEpisode] {
        devices.flatMap { device -> [StormEpisode] in
            guard case let .l2switch(s) = device else { return [] }
            return s.stormEpisodes(network: self)
        }
    }

    /// `show storm-control [INTF] [broadcast | multicast | unicast]` on a Catalyst: the ports with storm
    /// control (or the one named), levels as configured, the last 1-second interval's rate.
    public func showStormControl(_ node: NodeID, interface: String? = nil, type: StormTrafficType = .broadcast) -> String {
        guard let s = l2switch(node) else { return "% Invalid input detected at '^' marker." }
        s.closeStormWindow(network: self)
        var lines = ["Interface  Filter State   Upper        Lower        Current",
                     "---------  -------------  -----------  -----------  ----------"]
        let ids = s.portIDs.sorted { InterfaceName.less(ports[$0.index].name, ports[$1.index].name) }
        for id in ids {
            if let interface, !InterfaceName.matches(interface, ports[id.index].name) { continue }
            guard let status = s.stormControlStatus(id, type: type, network: self) else { continue }
            let unit = status.level?.unit ?? .percent
            let upper = status.level.map { Self.stormValue($0.rising, unit) } ?? "100.00%"
            let lower = status.level.map { Self.stormValue($0.falling, unit) } ?? "100.00%"
            lines.append(InterfaceName.short(status.port).padded(to: 11) + status.state.rawValue.padded(to: 15)
                         + upper.leftPadded(to: 11) + "  " + lower.leftPadded(to: 11) + "  "
                         + Self.stormValue(status.current, unit).leftPadded(to: 11))
        }
        return renderShowLines(lines)
    }

    /// A level as `show storm-control` prints it: `1.00%`, `10m bps`, `2.08m bps`, `500 pps`.
    static func stormValue(_ value: Double, _ unit: StormControlLevel.Unit) -> String {
        switch unit {
        case .percent: return L2Switch.percent(value)
        case .bitsPerSecond: return metric(value) + " bps"
        case .packetsPerSecond: return metric(value) + " pps"
        }
    }

    /// 1500000 → `1.5m`, 500000 → `500k`, 20 → `20` (at most two decimals, as IOS abbreviates rates).
    public static func metric(_ value: Double) -> String {
        let (scale, suffix): (Double, String) = value >= 1e9 ? (1e9, "g") : value >= 1e6 ? (1e6, "m") : value >= 1e3 ? (1e3, "k") : (1, "")
        let hundredths = Int((value / scale * 100).rounded())
        var text = "\(hundredths / 100)"
        let fraction = hundredths % 100
        if fraction != 0 {
            text += fraction % 10 == 0 ? ".\(fraction / 10)" : ".\(fraction < 10 ? "0" : "")\(fraction)"
        }
        return text + suffix
    }
}
