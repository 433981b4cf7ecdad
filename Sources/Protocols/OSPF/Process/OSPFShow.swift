import Engine
import Fabric
import IOSConfig
import Wire

/// IOS 15 layouts of the OSPF `show` commands. Every figure printed comes from the process's state;
/// the only fixed lines are IOS's capability lines and timers the emulator has no counterpart for.
enum OSPFShow {
    // MARK: - Formatting helpers

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    static func padLeft(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `00:00:35`: hours, minutes and seconds.
    static func clock(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
    }

    static func seconds(_ d: SimDuration) -> Int64 { max(0, d.nanoseconds / 1_000_000_000) }

    /// IOS uptimes: `00:01:02` below a day, then `3d16h`, then `1w0d`.
    static func uptime(_ d: SimDuration) -> String {
        let s = seconds(d)
        if s < 86_400 { return clock(s) }
        let days = s / 86_400
        if days < 7 { return "\(days)d\(two(s / 3600 % 24))h" }
        return "\(days / 7)w\(days % 7)d"
    }

    /// `00:00:12.345` below a day (SPF "last executed ... ago"), then as `uptime`.
    static func preciseUptime(_ d: SimDuration) -> String {
        let ms = max(0, d.nanoseconds / 1_000_000)
        guard ms < 86_400_000 else { return uptime(d) }
        let fraction = ms % 1000
        return clock(ms / 1000) + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + "\(fraction)"
    }

    static func maskLength(_ mask: IPv4Address) -> Int { mask.rawValue.nonzeroBitCount }

    static func header(_ routerID: IPv4Address, _ processID: Int) -> String {
        "            OSPF Router with ID (\(routerID)) (Process ID \(processID))"
    }

    /// IOS names the backbone `BACKBONE(0)` in `show ip ospf`.
    static func areaTitle(_ area: AreaID) -> String { area == .backbone ? "BACKBONE(\(area))" : "\(area)" }

    // MARK: - Process-wide facts

    /// The flags of our own router-LSAs: B (area border router) and E (AS boundary router), RFC 2328 A.4.2.
    static func ownRouterFlags(_ p: OSPFProcess) -> RouterLSA.Flags {
        var flags: RouterLSA.Flags = []
        for area in p.flooding.areaDatabases.keys.sorted() {
            let db = p.flooding.database(.area(area))
            if let e = db.entry(type: .router, linkStateID: p.routerID, advertisingRouter: p.routerID),
               case let .router(body) = e.lsa.body {
                flags.formUnion(body.flags)
            }
        }
        return flags
    }

    /// `It is an area border router` and the like, or nil for an internal router.
    static func borderRole(_ flags: RouterLSA.Flags) -> String? {
        switch (flags.contains(.b), flags.contains(.e)) {
        case (true, true): "It is an area border and autonomous system boundary router"
        case (true, false): "It is an area border router"
        case (false, true): "It is an autonomous system boundary router"
        case (false, false): nil
        }
    }

    /// The areas the process is attached to, in area order.
    static func attachedAreas(_ p: OSPFProcess) -> [AreaID] {
        Set(p.flooding.interfaces.map(\.areaID)).sorted()
    }

    /// `Number of areas in this router is 2. 1 normal 1 stub 0 nssa`.
    static func areaCounts(_ p: OSPFProcess) -> String {
        let areas = attachedAreas(p)
        var normal = 0, stub = 0, nssa = 0
        for area in areas {
            switch p.settings.area(area).kind {
            case .normal: normal += 1
            case .stub: stub += 1
            case .nssa: nssa += 1
            }
        }
        return "Number of areas in this router is \(areas.count). \(normal) normal \(stub) stub \(nssa) nssa"
    }

    static func redistributionLines(_ p: OSPFProcess) -> [String] {
        guard !p.settings.redistributions.isEmpty else { return [] }
        var lines = [" Redistributing External Routes from,"]
        for r in p.settings.redistributions {
            let source: String
            switch r.source {
            case .connected: source = "connected"
            case .static: source = "static"
            case let .ospf(id): source = "ospf \(id)"
            }
            lines.append("    \(source)" + (r.subnets ? ", includes subnets in redistribution" : ""))
        }
        return lines
    }

    static func checksumSum(_ entries: [LSDB.Entry]) -> String {
        "0x" + hex(entries.reduce(UInt64(0)) { $0 + UInt64($1.instance.checksum) }, digits: 6)
    }

    /// RFC 5250 opaque LSA types 9, 10 and 11.
    static func isOpaque(_ type: LSAType) -> Bool { (9...11).contains(type.rawValue) }

    /// The indices of the process's interfaces, or of the one named `wanted` (full or short name).
    static func interfaceIndices(_ p: OSPFProcess, named wanted: String? = nil) -> [Int] {
        p.flooding.interfaces.indices.filter { i in
            wanted.map { InterfaceName.matches($0, p.interfaceNames[i]) } ?? true
        }
    }

    static func isLoopback(_ p: OSPFProcess, _ i: Int) -> Bool { p.interfaceNames[i].hasPrefix("Loopback") }

    static func isPassive(_ p: OSPFProcess, _ i: Int) -> Bool { p.settings.isPassive(p.interfaceNames[i]) }

    // MARK: - show ip ospf

    static func process(_ p: OSPFProcess, now: SimTime) -> String {
        let spf = p.settings.spfThrottle ?? .spfDefault
        var lines = [" Routing Process \"ospf \(p.processID)\" with ID \(p.routerID)",
                     " Supports only single TOS(TOS0) routes",
                     " Supports opaque LSA",
                     " Supports Link-local Signaling (LLS)",
                     " Supports area transit capability",
                     " Supports NSSA (compatible with RFC 3101)"]
        if let role = borderRole(ownRouterFlags(p)) { lines.append(" " + role) }
        lines += redistributionLines(p)
        lines += [" Router is not originating router-LSAs with maximum metric",
                  " Initial SPF schedule delay \(spf.start) msecs",
                  " Minimum hold time between two consecutive SPFs \(spf.hold) msecs",
                  " Maximum wait time between two consecutive SPFs \(spf.maximum) msecs",
                  " Incremental-SPF disabled"]
        if let lsa = p.settings.lsaThrottle {
            lines += [" Initial LSA throttle delay \(lsa.start) msecs",
                      " Minimum hold time for LSA throttle \(lsa.hold) msecs",
                      " Maximum wait time for LSA throttle \(lsa.maximum) msecs"]
        } else {
            lines.append(" Minimum LSA interval \(seconds(OSPFConstants.minLSInterval)) secs")
        }
        let external = p.flooding.asExternalDatabase.sortedEntries
        let externalLSAs = external.filter { !isOpaque($0.lsa.type) }, opaqueAS = external.filter { isOpaque($0.lsa.type) }
        lines += [" Minimum LSA arrival \(OSPFConstants.minLSArrival.nanoseconds / 1_000_000) msecs",
                  " LSA group pacing timer 240 secs",
                  " Interface flood pacing timer 33 msecs",
                  " Retransmission pacing timer 66 msecs",
                  " Number of external LSA \(externalLSAs.count). Checksum Sum \(checksumSum(externalLSAs))",
                  " Number of opaque AS LSA \(opaqueAS.count). Checksum Sum \(checksumSum(opaqueAS))",
                  " Number of DCbitless external and opaque AS LSA \(external.filter { !$0.lsa.options.contains(.dc) }.count)",
                  " Number of DoNotAge external and opaque AS LSA \(external.filter { $0.installedAge & 0x8000 != 0 }.count)",
                  " " + areaCounts(p),
                  " IETF NSF helper support enabled",
                  " Cisco NSF helper support enabled",
                  " Reference bandwidth unit is \(p.settings.referenceBandwidthMbps ?? 100) mbps"]
        for area in attachedAreas(p) {
            lines += areaLines(p, area, now: now)
        }
        return lines.joined(separator: "\n")
    }

    static func areaLines(_ p: OSPFProcess, _ area: AreaID, now: SimTime) -> [String] {
        let indices = p.flooding.interfaces.indices.filter { p.flooding.interfaces[$0].areaID == area }
        let loopbacks = indices.filter { isLoopback(p, $0) }.count
        var lines = ["    Area \(areaTitle(area))",
                     "        Number of interfaces in this area is \(indices.count)" + (loopbacks > 0 ? " (\(loopbacks) loopback)" : "")]
        let settings = p.settings.area(area)
        let isABR = ownRouterFlags(p).contains(.b)
        switch settings.kind {
        case .normal:
            break
        case let .stub(noSummary):
            lines.append("        It is a stub area" + (noSummary ? ", no summary LSA in this area" : ""))
            if isABR { lines.append("        Generates stub default route with cost \(settings.defaultCost ?? 1)") }
        case let .nssa(options):
            lines.append("        It is a NSSA area" + (options.noSummary ? ", no summary LSA in this area" : ""))
        }
        lines.append(OSPFProcess.areaAuthenticationLine(settings.authentication))
        if let last = p.lastSPFAt { lines.append("        SPF algorithm last executed \(preciseUptime(now - last)) ago") }
        lines += ["        SPF algorithm executed \(p.spfRuns) times",
                  "        Area ranges are"]
        for range in settings.ranges {
            let components = p.routingTable.routes.filter {
                $0.pathType == .intraArea && $0.area == area && $0.destination.length >= range.prefix.length
                    && IPv4Prefix($0.destination.network, length: range.prefix.length) == range.prefix
            }
            let advertise = range.advertise ? "Advertise" : "DoNotAdvertise"
            if let cost = range.cost, !components.isEmpty {
                lines.append("         \(range.prefix) Active(\(cost) - configured) \(advertise)")
            } else if let cost = components.map(\.cost).max() {
                lines.append("         \(range.prefix) Active(\(cost)) \(advertise)")
            } else {
                lines.append("         \(range.prefix) Passive \(advertise)")
            }
        }
        let entries = p.flooding.database(.area(area)).sortedEntries
        let opaqueLink = entries.filter { $0.lsa.type.rawValue == 9 }, rest = entries.filter { $0.lsa.type.rawValue != 9 }
        lines += ["        Number of LSA \(rest.count). Checksum Sum \(checksumSum(rest))",
                  "        Number of opaque link LSA \(opaqueLink.count). Checksum Sum \(checksumSum(opaqueLink))",
                  "        Number of DCbitless LSA \(entries.filter { !$0.lsa.options.contains(.dc) }.count)",
                  "        Number of DoNotAge LSA \(entries.filter { $0.installedAge & 0x8000 != 0 }.count)"]
        return lines
    }

    // MARK: - show ip ospf neighbor [detail]

    static func neighbors(_ p: OSPFProcess, now: SimTime) -> String {
        var lines = ["", "Neighbor ID     Pri   State           Dead Time   Address         Interface"]
        for (i, interface) in p.flooding.interfaces.enumerated() {
            for n in interface.neighbors where n.state > .down {
                let dead = n.inactivityDeadline.map { clock(seconds($0 - now)) } ?? "-"
                lines.append(pad(n.neighborID.description, 16) + padLeft(String(n.priority), 3) + "   "
                    + pad("\(n.state)/\(role(n, on: interface))", 16) + pad(dead, 12) + pad(n.address.description, 16)
                    + p.interfaceNames[i])
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The neighbor's role on the segment as the brief listing shows it: DR, BDR, DROTHER, or `  -` off broadcast.
    static func role(_ n: OSPFNeighbor, on interface: OSPFInterface) -> String {
        if interface.type == .pointToPoint || interface.type == .pointToMultipoint || interface.type == .virtualLink {
            return "  -"
        }
        if n.address == interface.designatedRouter { return "DR" }
        if n.address == interface.backupDesignatedRouter { return "BDR" }
        return "DROTHER"
    }

    /// `Options is 0x12 in Hello (E-bit, L-bit)`: the options byte, then its bits from the lowest, as IOS names
    /// them (0x10, RFC 2328's EA bit, is the LLS bit of RFC 5613).
    static func optionsLine(_ options: OSPFOptions, in packet: String) -> String {
        let names: [(OSPFOptions, String)] = [(.mt, "MT-bit"), (.e, "E-bit"), (.mc, "MC-bit"), (.np, "N-bit"),
                                              (.ea, "L-bit"), (.dc, "DC-bit"), (.o, "O-bit"), (.dn, "DN-bit")]
        let set = names.filter { options.contains($0.0) }.map(\.1)
        return "    Options is 0x" + String(options.rawValue, radix: 16, uppercase: true) + " in \(packet)"
            + (set.isEmpty ? "" : " (\(set.joined(separator: ", ")))")
    }

    static func neighborDetail(_ p: OSPFProcess, now: SimTime) -> String {
        var lines: [String] = []
        var processIndex = 0
        var areaIndex: [AreaID: Int] = [:]
        for (i, interface) in p.flooding.interfaces.enumerated() {
            var interfaceIndex = 0
            for n in interface.neighbors where n.state > .down {
                interfaceIndex += 1
                processIndex += 1
                areaIndex[interface.areaID, default: 0] += 1
                lines += [" Neighbor \(n.neighborID), interface address \(n.address)",
                          "    In the area \(interface.areaID) via interface \(p.interfaceNames[i])",
                          "    Neighbor priority is \(n.priority), State is \(n.state), \(n.stateChanges) state changes",
                          "    DR is \(n.designatedRouter) BDR is \(n.backupDesignatedRouter)",
                          optionsLine(n.options, in: "Hello")]
                if let dd = n.lastReceivedDD { lines.append(optionsLine(dd.options, in: "DBD")) }
                if let deadline = n.inactivityDeadline { lines.append("    Dead timer due in \(clock(seconds(deadline - now)))") }
                if let since = n.bidirectionalSince { lines.append("    Neighbor is up for \(uptime(now - since))") }
                lines.append("    Index \(interfaceIndex)/\(areaIndex[interface.areaID]!)/\(processIndex), "
                    + "retransmission queue length \(n.linkStateRetransmissionList.count), "
                    + "number of retransmission \(n.retransmissions)")
            }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - show ip ospf interface [INTERFACE] / brief

    static func networkTypeName(_ p: OSPFProcess, _ i: Int) -> String {
        if isLoopback(p, i) { return "LOOPBACK" }
        switch p.flooding.interfaces[i].type {
        case .broadcast: return "BROADCAST"
        case .pointToPoint: return "POINT_TO_POINT"
        case .nbma: return "NON_BROADCAST"
        case .pointToMultipoint: return "POINT_TO_MULTIPOINT"
        case .virtualLink: return "VIRTUAL_LINK"
        }
    }

    static func stateName(_ state: InterfaceState) -> String {
        switch state {
        case .down: "DOWN"
        case .loopback: "LOOPBACK"
        case .waiting: "WAITING"
        case .pointToPoint: "POINT_TO_POINT"
        case .drOther: "DROTHER"
        case .backup: "BDR"
        case .dr: "DR"
        }
    }

    static func briefStateName(_ state: InterfaceState) -> String {
        switch state {
        case .down: "DOWN"
        case .loopback: "LOOP"
        case .waiting: "WAIT"
        case .pointToPoint: "P2P"
        case .drOther: "DROTH"
        case .backup: "BDR"
        case .dr: "DR"
        }
    }

    /// The router ID of the router whose interface address is `address` on interface `i` (ourselves included).
    static func routerID(at address: IPv4Address, _ p: OSPFProcess, _ i: Int) -> IPv4Address? {
        let interface = p.flooding.interfaces[i]
        if address == interface.address { return p.routerID }
        return interface.neighbors.first { $0.address == address }?.neighborID
    }

    static func interfaceDetail(_ p: OSPFProcess, _ i: Int, node: IPNode?, network: Network, now: SimTime) -> [String] {
        let interface = p.flooding.interfaces[i], name = p.interfaceNames[i]
        let nodeIndex = p.nodeInterfaces[i]
        let status: String
        if let node, node.interfaces.indices.contains(nodeIndex) {
            if node.interfaces[nodeIndex].adminDown { status = "is administratively down, line protocol is down" }
            else if node.isUp(nodeIndex, network: network) { status = "is up, line protocol is up" }
            else { status = "is down, line protocol is down" }
        } else {
            status = interface.state == .down ? "is down, line protocol is down" : "is up, line protocol is up"
        }
        let explicit = p.interfaceSettings[name]?.area?.process == p.processID
        var lines = ["\(name) \(status)",
                     "  Internet Address \(interface.address)/\(maskLength(interface.mask)), Area \(interface.areaID), "
                        + "Attached via \(explicit ? "Interface Enable" : "Network Statement")",
                     "  Process ID \(p.processID), Router ID \(p.routerID), Network Type \(networkTypeName(p, i)), "
                        + "Cost: \(interface.cost)",
                     "  Topology-MTID    Cost    Disabled    Shutdown      Topology Name",
                     "        0           \(pad(String(interface.cost), 10))no          no            Base"]
        if explicit { lines.append("  Enabled by interface config, including secondary ip addresses") }
        if isLoopback(p, i) {
            lines.append("  Loopback interface is treated as a stub Host")
            return lines
        }
        let delay = seconds(interface.infTransDelay)
        let broadcastLike = interface.type == .broadcast || interface.type == .nbma
        lines.append("  Transmit Delay is \(delay) sec, State \(stateName(interface.state))"
            + (broadcastLike ? ", Priority \(interface.priority)" : ""))
        if broadcastLike {
            if interface.designatedRouter != .any, let id = routerID(at: interface.designatedRouter, p, i) {
                lines.append("  Designated Router (ID) \(id), Interface address \(interface.designatedRouter)")
            } else {
                lines.append("  No designated router on this network")
            }
            if interface.backupDesignatedRouter != .any, let id = routerID(at: interface.backupDesignatedRouter, p, i) {
                lines.append("  Backup Designated router (ID) \(id), Interface address \(interface.backupDesignatedRouter)")
            } else {
                lines.append("  No backup designated router on this network")
            }
        }
        let hello = seconds(interface.helloInterval), dead = seconds(interface.routerDeadInterval)
        lines.append("  Timer intervals configured, Hello \(hello), Dead \(dead), Wait \(dead), "
            + "Retransmit \(seconds(interface.rxmtInterval))")
        guard interface.state != .down else { return lines }
        if isPassive(p, i) {
            lines.append("    No Hellos (Passive interface)")
        } else if let started = interface.helloTimerStartedAt, interface.helloInterval > .zero {
            // The Hello Timer fires every HelloInterval from its start (RFC 2328 §9.5).
            let interval = interface.helloInterval.nanoseconds, elapsed = max(0, (now - started).nanoseconds)
            let next = (elapsed / interval + 1) * interval
            lines.append("    Hello due in \(clock((next - elapsed) / 1_000_000_000))")
        }
        let inArea = p.flooding.interfaces.indices.filter { p.flooding.interfaces[$0].areaID == interface.areaID }
        // The emulator floods at once and never suppresses hellos, so both figures are zero by construction.
        lines.append("  Index \((inArea.firstIndex(of: i) ?? 0) + 1)/\(i + 1), flood queue length 0")
        let heard = interface.neighbors.filter { $0.state > .down }
        let adjacent = heard.filter { $0.state == .full }
        lines.append("  Neighbor Count is \(heard.count), Adjacent neighbor count is \(adjacent.count)")
        for n in adjacent {
            let suffix = n.address == interface.designatedRouter ? "  (Designated Router)"
                : n.address == interface.backupDesignatedRouter ? "  (Backup Designated Router)" : ""
            lines.append("    Adjacent with neighbor \(n.neighborID)\(suffix)")
        }
        lines.append("  Suppress hello for 0 neighbor(s)")
        lines += p.authenticationLines(i)
        return lines
    }

    static func interfaces(_ p: OSPFProcess, named wanted: String?, context: ExecContext) -> [String] {
        interfaceIndices(p, named: wanted).flatMap {
            interfaceDetail(p, $0, node: context.ipNode, network: context.network, now: context.network.now)
        }
    }

    static let briefHeader = "Interface    PID   Area            IP Address/Mask    Cost  State Nbrs F/C"

    static func interfaceBriefRows(_ p: OSPFProcess) -> [String] {
        p.flooding.interfaces.enumerated().map { i, interface in
            let heard = interface.neighbors.filter { $0.state > .down }
            let full = heard.filter { $0.state == .full }
            return pad(InterfaceName.short(p.interfaceNames[i]), 13) + pad(String(p.processID), 6)
                + pad(interface.areaID.description, 16) + pad("\(interface.address)/\(maskLength(interface.mask))", 19)
                + pad(String(interface.cost), 6) + pad(briefStateName(interface.state), 6) + "\(full.count)/\(heard.count)"
        }
    }

    // MARK: - show ip ospf border-routers

    static func borderRouters(_ p: OSPFProcess) -> String {
        borderRouters(routerID: p.routerID, processID: p.processID, p.routingTable.borderRouters,
                      interfaceNames: p.interfaceNames, spfRuns: p.spfRuns) { i, id in
            p.flooding.interfaces[i].neighbors.first { $0.neighborID == id }?.address
        }
    }

    /// `i 2.2.2.2 [10] via 10.0.12.2, GigabitEthernet0/0, ABR, Area 0, SPF 3`, one row per area and next hop.
    /// Every entry comes from the last calculation, so each carries its number. A next hop without an address
    /// (a neighbor reached over a point-to-point link) is named by the neighbor's interface address.
    static func borderRouters(routerID: IPv4Address, processID: Int, _ entries: [OSPFBorderRouter],
                              interfaceNames: [String], spfRuns: Int,
                              neighborAddress: (Int, IPv4Address) -> IPv4Address?) -> String {
        var lines = ["", header(routerID, processID), "", "", "                Base Topology (MTID 0)", "",
                     "Internal Router Routing Table",
                     "Codes: i - Intra-area route, I - Inter-area route", ""]
        for b in entries {
            let code = b.pathType == .intraArea ? "i" : "I"
            let role = [b.isABR ? "ABR" : nil, b.isASBR ? "ASBR" : nil].compactMap { $0 }.joined(separator: "/")
            for hop in b.nextHops {
                let i = hop.interface.rawValue
                guard interfaceNames.indices.contains(i) else { continue }
                let via = hop.address ?? neighborAddress(i, b.routerID) ?? .any
                lines.append("\(code) \(b.routerID) [\(b.cost)] via \(via), \(interfaceNames[i]), \(role), "
                    + "Area \(b.area), SPF \(spfRuns)")
            }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - show ip protocols

    static func protocolsSection(_ p: OSPFProcess, context: ExecContext) -> String {
        let now = context.network.now
        var lines = ["Routing Protocol is \"ospf \(p.processID)\"",
                     "  Outgoing update filter list for all interfaces is not set",
                     "  Incoming update filter list for all interfaces is not set",
                     "  Router ID \(p.routerID)"]
        if let role = borderRole(ownRouterFlags(p)) { lines.append("  " + role) }
        lines += redistributionLines(p)
        lines += ["  " + areaCounts(p),
                  "  Maximum path: \(p.settings.maximumPaths ?? OSPFConstants.maximumPaths)",
                  "  Routing for Networks:"]
        lines += p.settings.networks.map { "    \($0.address) \($0.wildcard) area \($0.area)" }
        let explicit = p.interfaceNames.enumerated().compactMap { i, name -> (AreaID, String)? in
            guard let a = p.interfaceSettings[name]?.area, a.process == p.processID else { return nil }
            return (p.flooding.interfaces[i].areaID, name)
        }
        for area in Set(explicit.map(\.0)).sorted() {
            lines.append("  Routing on Interfaces Configured Explicitly (Area \(area)):")
            lines += explicit.filter { $0.0 == area }.map { "    \($0.1)" }
        }
        lines.append(" Reference bandwidth unit is \(p.settings.referenceBandwidthMbps ?? 100) mbps")
        let names = context.ipNode?.interfaces.map(\.name) ?? p.interfaceNames
        let passive = names.filter { p.settings.isPassive($0) }
        if !passive.isEmpty {
            lines.append("  Passive Interface(s):")
            lines += passive.map { "    \($0)" }
        }
        lines += ["  Routing Information Sources:",
                  "    Gateway         Distance      Last Update"]
        for (router, updated) in informationSources(p) {
            lines.append("    " + pad(router.description, 16) + padLeft(String(OSPFConstants.administrativeDistance), 8)
                + "      " + uptime(now - updated))
        }
        lines.append("  Distance: (default is \(OSPFConstants.administrativeDistance))")
        return lines.joined(separator: "\n")
    }

    /// Every other router whose router-LSA we hold, with the last time one of its LSAs was installed.
    /// IOS lists the routers that gave routes, in its own order; the emulator sorts by router ID.
    static func informationSources(_ p: OSPFProcess) -> [(IPv4Address, SimTime)] {
        var latest: [IPv4Address: SimTime] = [:]
        var routers: Set<IPv4Address> = []
        let databases = p.flooding.areaDatabases.keys.sorted().map { p.flooding.database(.area($0)) }
            + [p.flooding.asExternalDatabase]
        for db in databases {
            for e in db.sortedEntries where e.lsa.advertisingRouter != p.routerID {
                if e.lsa.type == .router { routers.insert(e.lsa.advertisingRouter) }
                latest[e.lsa.advertisingRouter] = max(latest[e.lsa.advertisingRouter] ?? e.installedAt, e.installedAt)
            }
        }
        return routers.sorted().map { ($0, latest[$0]!) }
    }
}
