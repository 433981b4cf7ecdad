import Engine
import IOSConfig
import Wire

/// One port's storm-control filter for one traffic type, as Catalyst IOS runs it: traffic is measured
/// in 1-second intervals; over the rising level the type is blocked, and stays blocked until an
/// interval's rate is below the falling level.
struct StormFilter {
    /// Bytes (percent and bps levels) or packets (pps levels) per interval; over `rising` blocks.
    var rising: UInt64 = .max
    var falling: UInt64 = .max
    var countsPackets = false
    var configured = false
    /// Counted in the current interval, blocked frames included (the rate of what arrives).
    var count: UInt64 = 0
    var blocking = false
    /// What the last complete interval measured (`show storm-control`'s Current).
    var lastMeasured: UInt64 = 0

    /// Closes an interval: IOS forwards again once an interval's rate is below the falling level.
    mutating func closeInterval(measured: UInt64) {
        if blocking && measured < falling { blocking = false }
        lastMeasured = measured
        count = 0
    }
}

/// The filter state `show storm-control` prints.
public enum StormFilterState: String, Sendable {
    case forwarding = "Forwarding"
    case blocking = "Blocking"
    case linkDown = "Link Down"
    case inactive = "Inactive"
}

/// What `show storm-control` shows for one port and traffic type.
public struct StormControlStatus: Sendable {
    public var port: String
    public var state: StormFilterState
    public var level: StormControlLevel?
    /// The last complete interval, in the level's unit (percent, bit/s or packets/s).
    public var current: Double
}

extension StormTrafficType {
    /// The type of a frame by its destination address.
    @inline(__always)
    static func of(_ destination: MACAddress) -> StormTrafficType {
        destination.isMulticast ? (destination.isBroadcast ? .broadcast : .multicast) : .unicast
    }
}

extension L2Switch {
    static let stormInterval = SimDuration.seconds(1)

    /// The end of the 1-second interval (aligned to whole seconds of virtual time) holding `time`.
    static func intervalEnd(after time: SimTime) -> SimTime {
        let second = Self.stormInterval.nanoseconds
        return SimTime.zero + SimDuration(nanoseconds: (time.nanoseconds / second + 1) * second)
    }

    /// Builds the per-port filters from the interface settings (thresholds in bytes or packets per interval).
    func configureStormControl(network: Network) {
        let count = portIDs.count
        var filters = [StormFilter](repeating: StormFilter(), count: count * 3)
        var actions = [Bool](repeating: false, count: count)
        let byName = Dictionary(settings.interfaces.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var any = false
        for (local, id) in portIDs.enumerated() {
            let port = network.ports[id.index]
            guard let s = byName[port.name]?.stormControl, s.isActive else { continue }
            actions[local] = s.shutdown
            for type in StormTrafficType.allCases {
                guard let level = s[type], level.unit != .percent || level.rising < 100 else { continue }
                var f = StormFilter()
                f.configured = true
                let bytesPerSecond = Double(port.lineRate.bitsPerSecond) / 8
                switch level.unit {
                case .percent:
                    f.rising = UInt64(bytesPerSecond * level.rising / 100)
                    f.falling = UInt64((bytesPerSecond * level.falling / 100).rounded(.up))
                case .bitsPerSecond:
                    f.rising = UInt64(level.rising / 8)
                    f.falling = UInt64((level.falling / 8).rounded(.up))
                case .packetsPerSecond:
                    f.countsPackets = true
                    f.rising = UInt64(level.rising)
                    f.falling = UInt64(level.falling.rounded(.up))
                }
                // A filter that was already running keeps its interval and its blocking state.
                let i = local * 3 + type.rawValue
                if i < stormFilters.count, stormFilters[i].configured {
                    f.count = stormFilters[i].count
                    f.blocking = stormFilters[i].blocking
                    f.lastMeasured = stormFilters[i].lastMeasured
                }
                filters[local * 3 + type.rawValue] = f
                any = true
            }
        }
        stormFilters = filters
        stormShutdown = actions
        if stormIntervalEnds.count != count {
            stormIntervalEnds = [SimTime](repeating: Self.intervalEnd(after: network.now), count: count)
        }
        stormControlOn = any
    }

    /// Storm control on ingress: counts the frame and says whether its type may pass.
    @inline(__always)
    func stormControlAdmits(_ type: StormTrafficType, bytes: Int, local: Int, network: Network) -> Bool {
        if network.now >= stormIntervalEnds[local] { closeStormIntervals(local: local, now: network.now) }
        let i = local &* 3 &+ type.rawValue
        guard stormFilters[i].configured else { return true }
        stormFilters[i].count &+= stormFilters[i].countsPackets ? 1 : UInt64(bytes)
        if stormFilters[i].blocking { return false }
        if stormFilters[i].count > stormFilters[i].rising {
            stormLevelExceeded(local: local, network: network)
            stormFilters[i].blocking = true
            return false
        }
        return true
    }

    /// Closes the intervals of a port that ended by `now` (an idle interval measures zero).
    @inline(never)
    func closeStormIntervals(local: Int, now: SimTime) {
        let end = stormIntervalEnds[local]
        guard now >= end else { return }
        let idle = now >= end + Self.stormInterval
        for t in 0..<3 where stormFilters[local * 3 + t].configured {
            stormFilters[local * 3 + t].closeInterval(measured: stormFilters[local * 3 + t].count)
            if idle { stormFilters[local * 3 + t].closeInterval(measured: 0) }
        }
        stormIntervalEnds[local] = Self.intervalEnd(after: now)
    }

    /// The rising level was crossed: the filter applies, or the port is err-disabled (`action shutdown`).
    @inline(never)
    func stormLevelExceeded(local: Int, network: Network) {
        let port = network.ports[portIDs[local].index]
        let short = InterfaceName.short(port.name)
        if !stormShutdown[local] {
            // Catalyst IOS: %STORM_CONTROL-3-FILTERED, once as the filter starts.
            if !(0..<3).contains(where: { stormFilters[local * 3 + $0].blocking }) {
                network.log(id, "%STORM_CONTROL-3-FILTERED: A packet storm was detected on \(short). "
                            + "A packet filter action has been applied on the interface.")
            }
        } else {
            // Catalyst IOS: %STORM_CONTROL-3-SHUTDOWN, then the port manager err-disables the port.
            network.log(id, "%STORM_CONTROL-3-SHUTDOWN: A packet storm was detected on \(short). "
                        + "The interface has been disabled.")
            network.log(id, "%PM-4-ERR_DISABLE: storm-control error detected on \(short), putting \(short) in err-disable state")
            port.errDisabled = true
            network.refreshLineState()
        }
    }

    /// `show storm-control` for one port and type; nil when the port has no storm control.
    func stormControlStatus(_ portID: PortID, type: StormTrafficType, network: Network) -> StormControlStatus? {
        guard let local = portIDs.firstIndex(of: portID) else { return nil }
        let port = network.ports[portID.index]
        guard let s = settings.interfaces.first(where: { $0.name == port.name })?.stormControl, s.isActive else { return nil }
        if local < stormIntervalEnds.count { closeStormIntervals(local: local, now: network.now) }
        let f = local * 3 + type.rawValue < stormFilters.count ? stormFilters[local * 3 + type.rawValue] : StormFilter()
        let level = s[type]
        let state: StormFilterState
        if !port.lineProtocolUp { state = .linkDown }
        else if !f.configured { state = .inactive }
        else { state = f.blocking ? .blocking : .forwarding }
        var current = 0.0
        switch level?.unit ?? .percent {
        case .percent:
            let bits = Double(f.countsPackets ? 0 : f.lastMeasured) * 8
            current = port.lineRate.bitsPerSecond > 0 ? bits * 100 / Double(port.lineRate.bitsPerSecond) : 0
        case .bitsPerSecond: current = Double(f.lastMeasured) * 8
        case .packetsPerSecond: current = Double(f.lastMeasured)
        }
        return StormControlStatus(port: port.name, state: state, level: level, current: current)
    }
}
