import Fabric
import IOSConfig
import Wire

/// The OSPF configuration commands: `router ospf N` and what goes under it, and the `ip ospf ...`
/// interface commands. Each writes `OSPFSettings`; a refused line throws IOS's message.
extension OSPFModule {
    /// An area as IOS accepts it: a number or a dotted quad.
    static let areaSyntax = "{<0-4294967295:number> | <A.B.C.D:dotted>}"

    static func requireRouter<Target: ProtocolSettingsContainer>(_ target: Target, _ command: String) throws {
        guard target.isRouter else { throw ConfigError.rejected("% Invalid input detected: \(command) is for routers") }
    }

    static func process(_ c: ParsedCommand) -> Int? { c.enclosing(.router)?.number(at: 0) }

    /// The area a line names (`area 1 ...`, `area 0.0.0.1 ...`).
    static func area(_ c: ParsedCommand) -> AreaID? {
        c.number("number").map { AreaID(rawValue: UInt32(clamping: $0)) } ?? c.address("dotted").map { AreaID($0) }
    }

    /// The running-config key of an `area X ...` line: the area as a number, so `area 1` and `area 0.0.0.1` are one.
    static func areaKey(_ c: ParsedCommand, _ what: String) -> String { "area \(area(c)?.rawValue ?? 0) \(what)" }

    /// A contiguous mask (RFC 4632 §3.1 prefixes); IOS refuses the others.
    static func prefix(_ address: IPv4Address, mask: IPv4Address) throws -> IPv4Prefix {
        guard let prefix = IPv4Prefix(address, mask: mask) else {
            throw ConfigError.rejected("% OSPF: Invalid mask \(mask): not contiguous")
        }
        return prefix
    }

    static func updateProcess<Target: ProtocolSettingsContainer>(_ c: ParsedCommand, _ target: inout Target,
                                                                 _ body: (inout OSPFProcessSettings) throws -> Void) rethrows {
        guard let id = process(c), var settings = target.protocolSettings[OSPFSettings.self].processes[id] else { return }
        try body(&settings)
        target.protocolSettings[OSPFSettings.self].processes[id] = settings
    }

    static func updateArea<Target: ProtocolSettingsContainer>(_ c: ParsedCommand, _ target: inout Target,
                                                              _ body: (inout OSPFAreaSettings) throws -> Void) rethrows {
        guard let id = area(c) else { return }
        try updateProcess(c, &target) { p in
            var a = p.area(id)
            try body(&a)
            p.areas[id] = a == OSPFAreaSettings() ? nil : a
        }
    }

    static func updateInterface<Target: ProtocolSettingsContainer>(_ name: String, _ target: inout Target,
                                                                   _ body: (inout OSPFInterfaceSettings) -> Void) {
        var s = target.protocolSettings[OSPFSettings.self].interfaces[name] ?? OSPFInterfaceSettings()
        body(&s)
        target.protocolSettings[OSPFSettings.self].interfaces[name] = s == OSPFInterfaceSettings() ? nil : s
    }

    /// `metric-type 1|2` as stored: type 2 unless 1 was given.
    static func isType2(_ c: ParsedCommand) -> Bool { c.number("metric-type") != 1 }

    public static func registerCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
        registerProcessCommands(into: registry)
        registerAreaCommands(into: registry)
        registerExternalCommands(into: registry)
        registerAuthenticationCommands(into: registry)
        registerInterfaceCommands(into: registry)
    }

    // MARK: - router ospf

    static func registerProcessCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
        registry.register(.global, "router ospf <1-65535>", enters: .router, section: .router) { c, target in
            try requireRouter(target, "router ospf")
            guard let id = c.number(at: 0) else { return }
            if c.isNegated { target.protocolSettings[OSPFSettings.self].processes[id] = nil }
            else if target.protocolSettings[OSPFSettings.self].processes[id] == nil {
                target.protocolSettings[OSPFSettings.self].processes[id] = OSPFProcessSettings()
            }
        }
        registry.register(.router, "router-id <A.B.C.D>") { c, target in
            updateProcess(c, &target) { $0.routerID = c.isNegated ? nil : c.address(at: 0) }
        }
        registry.register(.router, "network <A.B.C.D:address> <A.B.C.D:wildcard> area \(areaSyntax)",
                          key: .custom { c in
                              "network \(c.address("address")?.description ?? "") \(c.address("wildcard")?.description ?? "")"
                          }) { c, target in
            guard let address = c.address("address"), let wildcard = c.address("wildcard") else { return }
            let areaID = area(c)
            updateProcess(c, &target) { p in
                p.networks.removeAll { $0.address == address && $0.wildcard == wildcard }
                if !c.isNegated, let areaID {
                    p.networks.append(OSPFNetworkStatement(address: address, wildcard: wildcard, area: areaID))
                }
            }
        }
        // `passive-interface default` beats `passive-interface <INTERFACE>` (more keywords). Under it, IOS
        // prints the exceptions as `no passive-interface X`, so the `no` form is stored in that mode.
        registry.register(.router, "passive-interface default") { c, target in
            updateProcess(c, &target) { p in
                p.passiveByDefault = !c.isNegated
                p.nonPassiveInterfaces = []
            }
        }
        registry.register(.router, "passive-interface <INTERFACE>", negation: .storedAsNo, key: .custom { c in
            "passive-interface \(c.interface()?.description ?? "")"
        }) { c, target in
            guard let name = c.interface()?.description else { return }
            updateProcess(c, &target) { p in
                if c.isNegated {
                    p.passiveInterfaces.remove(name)
                    if p.passiveByDefault { p.nonPassiveInterfaces.insert(name) }
                } else {
                    p.passiveInterfaces.insert(name)
                    p.nonPassiveInterfaces.remove(name)
                }
            }
        }
        registry.register(.router, "auto-cost reference-bandwidth <1-4294967>") { c, target in
            updateProcess(c, &target) { $0.referenceBandwidthMbps = c.isNegated ? nil : c.number(at: 0) }
        }
        registry.register(.router, "maximum-paths <1-32>") { c, target in
            updateProcess(c, &target) { $0.maximumPaths = c.isNegated ? nil : c.number(at: 0) }
        }
        registry.register(.router, "timers throttle spf <1-600000:start> <1-600000:hold> <1-600000:max>") { c, target in
            let throttle = try throttle(c, "spf")
            updateProcess(c, &target) { $0.spfThrottle = c.isNegated ? nil : throttle }
        }
        registry.register(.router, "timers throttle lsa all <0-600000:start> <1-600000:hold> <1-600000:max>") { c, target in
            let throttle = try throttle(c, "lsa")
            updateProcess(c, &target) { $0.lsaThrottle = c.isNegated ? nil : throttle }
        }
        // IOS logs adjacency changes by default; `no log-adjacency-changes` is what the running config shows.
        registry.register(.router, "log-adjacency-changes [detail]", negation: .storedAsNo) { c, target in
            updateProcess(c, &target) { p in
                p.logAdjacencyChanges = !c.isNegated
                p.logAdjacencyDetail = !c.isNegated && c.has("detail")
            }
        }
    }

    /// `timers throttle ... START HOLD MAX`: IOS refuses a hold or maximum below the start.
    static func throttle(_ c: ParsedCommand, _ what: String) throws -> OSPFThrottle? {
        guard !c.isNegated else { return nil }
        guard let start = c.number("start"), let hold = c.number("hold"), let maximum = c.number("max") else { return nil }
        guard hold >= start, maximum >= hold else {
            throw ConfigError.rejected("% OSPF: Throttle \(what) max wait must not be less than hold time")
        }
        return OSPFThrottle(start: start, hold: hold, maximum: maximum)
    }

    // MARK: - area X ...

    static func registerAreaCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
        // `area X stub` and `area X nssa` share one running-config line: an area has one type.
        let typeKey = RunningConfigKey.custom { areaKey($0, "type") }
        registry.register(.router, "area \(areaSyntax) stub [no-summary]", key: typeKey) { c, target in
            // RFC 2328 §3.6: the backbone cannot be a stub area.
            if area(c)?.isBackbone == true { throw ConfigError.rejected("% OSPF: Backbone can not be configured as stub area") }
            updateArea(c, &target) { $0.kind = c.isNegated ? .normal : .stub(noSummary: c.has("no-summary")) }
        }
        registry.register(.router, """
            area \(areaSyntax) nssa [no-summary] [default-information-originate [metric <0-16777214:metric>] \
            [metric-type <1-2:metric-type>]] [no-redistribution]
            """, key: typeKey) { c, target in
            // RFC 3101 §1.3: the backbone cannot be an NSSA.
            if area(c)?.isBackbone == true { throw ConfigError.rejected("% OSPF: Backbone can not be configured as NSSA area") }
            updateArea(c, &target) { a in
                guard !c.isNegated else { a.kind = .normal; return }
                var options = NSSAOptions()
                if case let .nssa(old) = a.kind { options.translateAlways = old.translateAlways }
                options.noSummary = c.has("no-summary")
                options.defaultInformationOriginate = c.has("default-information-originate")
                options.defaultMetric = c.number("metric").map { UInt32($0) } ?? 1
                options.defaultMetricType2 = isType2(c)
                options.noRedistribution = c.has("no-redistribution")
                a.kind = .nssa(options)
            }
        }
        registry.register(.router, "area \(areaSyntax) nssa translate type7 always",
                          key: .custom { areaKey($0, "translate") }) { c, target in
            if area(c)?.isBackbone == true { throw ConfigError.rejected("% OSPF: Backbone can not be configured as NSSA area") }
            try updateArea(c, &target) { a in
                guard case var .nssa(options) = a.kind else {
                    if !c.isNegated { throw ConfigError.rejected("% OSPF: Area \(area(c)?.description ?? "") is not an NSSA") }
                    return
                }
                options.translateAlways = !c.isNegated
                a.kind = .nssa(options)
            }
        }
        registry.register(.router, "area \(areaSyntax) default-cost <0-16777215>",
                          key: .custom { areaKey($0, "default-cost") }) { c, target in
            updateArea(c, &target) { $0.defaultCost = c.isNegated ? nil : c.number("default-cost").map { UInt32($0) } }
        }
        registry.register(.router, """
            area \(areaSyntax) range <A.B.C.D:address> <A.B.C.D:mask> [advertise | not-advertise] [cost <0-16777215:cost>]
            """, key: .custom { c in
                areaKey(c, "range \(c.address("address")?.description ?? "") \(c.address("mask")?.description ?? "")")
            }, render: { c in
                // IOS leaves the default `advertise` out of the running config.
                c.canonicalWords.filter { $0 != "advertise" }.joined(separator: " ")
            }) { c, target in
            guard let address = c.address("address"), let mask = c.address("mask") else { return }
            let prefix = try prefix(address, mask: mask)
            updateArea(c, &target) { a in
                a.ranges.removeAll { $0.prefix == prefix }
                if !c.isNegated {
                    a.ranges.append(AreaRange(prefix: prefix, advertise: !c.has("not-advertise"),
                                              cost: c.number("cost").map { UInt32($0) }))
                }
            }
        }
    }

    // MARK: - Redistribution, default information, summary addresses

    static func registerAuthenticationCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
        // IOS: `no discard-route internal|external` (both on by default) under `router ospf`.
        registry.register(.router, "discard-route {internal | external}", negation: .storedAsNo, key: .custom { c in
            "discard-route \(c.has("internal") ? "internal" : "external")"
        }) { c, target in
            updateProcess(c, &target) { p in
                if c.has("internal") { p.discardRouteInternal = !c.isNegated } else { p.discardRouteExternal = !c.isNegated }
            }
        }
        registry.register(.router, "area \(areaSyntax) authentication [message-digest]",
                          key: .custom { areaKey($0, "authentication") }) { c, target in
            updateArea(c, &target) { a in
                a.authentication = c.isNegated ? nil : c.has("message-digest") ? .messageDigest : .simplePassword
            }
        }
    }

    static func registerExternalCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
        // IOS takes the options in any order and prints them as `metric M metric-type 1 subnets tag T`
        // (metric-type 2, the default, left out); the second form takes the common `subnets` first.
        let redistributeKey = RunningConfigKey.custom { "redistribute \($0.has("connected") ? "connected" : "static")" }
        let redistribute: (ParsedCommand, inout Target) throws -> Void = { c, target in
            let source: OSPFRedistributionSource = c.has("connected") ? .connected : .static
            updateProcess(c, &target) { p in
                p.redistributions.removeAll { $0.source == source }
                guard !c.isNegated else { return }
                var r = OSPFRedistribution(source: source)
                r.metric = c.number("metric").map { UInt32($0) }
                r.metricType2 = isType2(c)
                r.subnets = c.has("subnets")
                r.tag = c.number("tag").map { UInt32($0) } ?? 0
                p.redistributions.append(r)
                p.redistributions.sort { $0.source < $1.source }
            }
        }
        let renderRedistribute: (ParsedCommand) -> String = { c in
            var words = ["redistribute", c.has("connected") ? "connected" : "static"]
            if let m = c.number("metric") { words += ["metric", String(m)] }
            if !isType2(c) { words += ["metric-type", "1"] }
            if c.has("subnets") { words.append("subnets") }
            if let t = c.number("tag") { words += ["tag", String(t)] }
            return words.joined(separator: " ")
        }
        registry.register(.router, """
            redistribute {connected | static} [metric <0-16777214:metric>] [metric-type <1-2:metric-type>] [subnets] \
            [tag <0-4294967295:tag>]
            """, key: redistributeKey, render: renderRedistribute, apply: redistribute)
        registry.register(.router, """
            redistribute {connected | static} subnets [metric <0-16777214:metric>] [metric-type <1-2:metric-type>] \
            [tag <0-4294967295:tag>]
            """, key: redistributeKey, render: renderRedistribute, apply: redistribute)
        registry.register(.router, """
            default-information originate [always] [metric <0-16777214:metric>] [metric-type <1-2:metric-type>]
            """) { c, target in
            updateProcess(c, &target) { p in
                guard !c.isNegated else { p.defaultInformation = nil; return }
                var d = OSPFDefaultInformation()
                d.always = c.has("always")
                d.metric = c.number("metric").map { UInt32($0) } ?? 1
                d.metricType2 = isType2(c)
                p.defaultInformation = d
            }
        }
        registry.register(.router, "summary-address <A.B.C.D:address> <A.B.C.D:mask> [not-advertise] [tag <0-4294967295:tag>]",
                          key: .custom { c in
                              "summary-address \(c.address("address")?.description ?? "") \(c.address("mask")?.description ?? "")"
                          }) { c, target in
            guard let address = c.address("address"), let mask = c.address("mask") else { return }
            let prefix = try prefix(address, mask: mask)
            updateProcess(c, &target) { p in
                p.summaryAddresses.removeAll { $0.prefix == prefix }
                guard !c.isNegated else { return }
                var s = OSPFSummaryAddress(prefix: prefix)
                s.advertise = !c.has("not-advertise")
                s.tag = c.number("tag").map { UInt32($0) } ?? 0
                p.summaryAddresses.append(s)
                p.summaryAddresses.sort { $0.prefix < $1.prefix }
            }
        }
    }

    // MARK: - ip ospf ...

    static func registerInterfaceCommands<Target: ProtocolSettingsContainer>(into registry: CommandRegistry<Target>) {
        func interfaceCommand(_ syntax: String, key: RunningConfigKey? = nil,
                              _ body: @escaping (ParsedCommand, inout OSPFInterfaceSettings) -> Void) {
            let words = syntax.split(separator: " ").prefix { !$0.hasPrefix("<") && !$0.hasPrefix("{") }
            registry.register(.interface, syntax, key: key) { c, target in
                try requireRouter(target, words.joined(separator: " "))
                guard let name = c.enclosing(.interface)?.interface()?.description else { return }
                updateInterface(name, &target) { body(c, &$0) }
            }
        }
        interfaceCommand("ip ospf cost <1-65535>") { c, s in s.cost = c.isNegated ? nil : c.number(at: 0).map { UInt16(clamping: $0) } }
        interfaceCommand("ip ospf hello-interval <1-65535>") { c, s in s.helloInterval = c.isNegated ? nil : c.number(at: 0) }
        interfaceCommand("ip ospf dead-interval <1-65535>") { c, s in s.deadInterval = c.isNegated ? nil : c.number(at: 0) }
        interfaceCommand("ip ospf priority <0-255>") { c, s in
            s.priority = c.isNegated ? nil : c.number(at: 0).map { UInt8(clamping: $0) }
        }
        interfaceCommand("ip ospf network {point-to-point | broadcast}") { c, s in
            s.networkType = c.isNegated ? nil : c.has("point-to-point") ? .pointToPoint : .broadcast
        }
        interfaceCommand("ip ospf mtu-ignore") { c, s in s.mtuIgnore = !c.isNegated }
        interfaceCommand("ip ospf retransmit-interval <1-65535>") { c, s in
            s.retransmitInterval = c.isNegated ? nil : c.number(at: 0)
        }
        interfaceCommand("ip ospf transmit-delay <1-65535>") { c, s in s.transmitDelay = c.isNegated ? nil : c.number(at: 0) }
        // RFC 2328 D; the interface's type overrides the area's (`area X authentication`), as on IOS.
        interfaceCommand("ip ospf authentication [message-digest | null]") { c, s in
            s.authentication = c.isNegated ? nil : c.has("message-digest") ? .messageDigest : c.has("null") ? .null : .simplePassword
        }
        interfaceCommand("ip ospf authentication-key <WORD>") { c, s in s.authenticationKey = c.isNegated ? nil : c.text("WORD") }
        interfaceCommand("ip ospf message-digest-key <1-255:key> md5 <WORD>", key: .custom { c in
            "ip ospf message-digest-key \(c.number("key") ?? 0)"
        }) { c, s in
            guard let id = c.number("key").map({ UInt8(clamping: $0) }) else { return }
            s.messageDigestKeys[id] = c.isNegated ? nil : c.text("WORD")
        }
        // `ip ospf PID area X`: IOS creates the process when it does not exist yet.
        registry.register(.interface, "ip ospf <1-65535:process> area \(areaSyntax)",
                          key: .custom { _ in "ip ospf area" }) { c, target in
            try requireRouter(target, "ip ospf area")
            guard let name = c.enclosing(.interface)?.interface()?.description, let pid = c.number("process") else { return }
            let id = area(c)
            if !c.isNegated, target.protocolSettings[OSPFSettings.self].processes[pid] == nil {
                target.protocolSettings[OSPFSettings.self].processes[pid] = OSPFProcessSettings()
            }
            updateInterface(name, &target) { s in
                s.area = c.isNegated ? nil : id.map { OSPFInterfaceArea(process: pid, area: $0) }
            }
        }
    }
}

// MARK: - clear ip ospf process

extension OSPFModule {
    /// The exec commands that act on running processes (`clear ip ospf process`).
    static func registerProcessExecCommands(into registry: ExecCommandRegistry) {
        // IOS asks "Reset ALL OSPF processes? [no]:"; the emulator takes the answer as yes.
        registry.add("clear ip ospf [<1-65535:process>] process") { c, context throws(ExecError) in
            guard let node = context.ipNode else { throw ExecError("% OSPF is not enabled") }
            let processes = context.instances(of: OSPFProcess.self).filter { p in c.number("process").map { $0 == p.processID } ?? true }
            guard !processes.isEmpty else { throw ExecError("% OSPF is not enabled") }
            for p in processes { restart(p, on: node, network: context.network) }
            return ""
        }
    }

    /// Starts a process afresh with the same configuration: its adjacencies drop (logged as IOS does when
    /// the process goes), its routes leave the RIB, and the new process forms everything again.
    static func restart(_ p: OSPFProcess, on node: IPNode, network: Network) {
        for (i, interface) in p.flooding.interfaces.enumerated() {
            for n in interface.neighbors where n.state == .full && p.settings.logAdjacencyChanges {
                network.log(node.id, "%OSPF-5-ADJCHG: Process \(p.processID), Nbr \(n.neighborID) on \(p.interfaceNames[i]) "
                    + "from FULL to DOWN, Neighbor Down: Interface down or detached")
            }
        }
        _ = node.withContext(of: p, network: network) { $0.offerRoutes([], as: p.routeSource) }
        node.detach(p)
        node.attach(OSPFProcess(processID: p.processID, settings: p.settings, interfaces: p.interfaceSettings), network: network)
    }
}
