import Engine
import Wire

/// The databases one process holds, as `show ip ospf database` reads them; tests build one from fabricated
/// entries for LSA types the running process does not originate yet.
struct OSPFDatabaseView {
    var routerID: IPv4Address
    var processID: Int
    /// In area order.
    var areas: [(id: AreaID, lsdb: LSDB)]
    var external: LSDB

    init(routerID: IPv4Address, processID: Int, areas: [(id: AreaID, lsdb: LSDB)], external: LSDB = LSDB()) {
        self.routerID = routerID
        self.processID = processID
        self.areas = areas.sorted { $0.id < $1.id }
        self.external = external
    }

    init(_ p: OSPFProcess) {
        self.init(routerID: p.routerID, processID: p.processID,
                  areas: p.flooding.areaDatabases.keys.sorted().map { ($0, p.flooding.database(.area($0))) },
                  external: p.flooding.asExternalDatabase)
    }
}

extension OSPFShow {
    /// The area-scoped sections of the summary listing, in the order IOS prints them.
    static let areaSections: [LSAType] = [.router, .network, .summaryNetwork, .summaryASBR, .nssaExternal]

    static func sectionTitle(_ type: LSAType) -> String {
        switch type {
        case .router: "Router Link States"
        case .network: "Net Link States"
        case .summaryNetwork: "Summary Net Link States"
        case .summaryASBR: "Summary ASB Link States"
        case .asExternal: "Type-5 AS External Link States"
        case .nssaExternal: "Type-7 AS External Link States"
        default: "Type-\(type.rawValue) Link States"
        }
    }

    static func columns(_ type: LSAType) -> String {
        let base = "Link ID         ADV Router      Age         Seq#       Checksum"
        switch type {
        case .router: return base + " Link count"
        case .asExternal, .nssaExternal: return base + " Tag"
        default: return base
        }
    }

    // MARK: - show ip ospf database [self-originate]

    static func database(_ p: OSPFProcess, now: SimTime) -> String { database(OSPFDatabaseView(p), now: now) }

    /// The summary listing: per area its router, network, summary, ASBR-summary and type-7 LSAs, then the
    /// type-5 LSAs. `selfOriginated` keeps only the LSAs this router advertises.
    static func database(_ v: OSPFDatabaseView, now: SimTime, selfOriginated: Bool = false) -> String {
        var lines = ["", header(v.routerID, v.processID)]
        func section(_ type: LSAType, _ db: LSDB, area: AreaID?) {
            let entries = db.sortedEntries(ofType: type).filter { !selfOriginated || $0.lsa.advertisingRouter == v.routerID }
            guard !entries.isEmpty else { return }
            lines += ["", "                \(sectionTitle(type))" + (area.map { " (Area \($0))" } ?? ""), "", columns(type)]
            lines += entries.map { summaryRow($0, now: now) }
        }
        for (area, db) in v.areas {
            for type in areaSections { section(type, db, area: area) }
        }
        section(.asExternal, v.external, area: nil)
        return lines.joined(separator: "\n")
    }

    /// One row: `1.1.1.1         1.1.1.1         123         0x80000003 0x00D8C6 2`, the last column being the
    /// link count of a router-LSA or the route tag of an external one.
    static func summaryRow(_ e: LSDB.Entry, now: SimTime) -> String {
        var row = pad(e.lsa.linkStateID.description, 16) + pad(e.lsa.advertisingRouter.description, 16)
            + pad(String(e.age(at: now)), 12)
            + "0x" + hex(UInt64(UInt32(bitPattern: e.lsa.sequenceNumber)), digits: 8)
            + " 0x" + hex(UInt64(e.instance.checksum), digits: 6)
        switch e.lsa.body {
        case let .router(body): row += " \(body.links.count)"
        case let .external(body): row += " \(body.routeTag)"
        default: break
        }
        return row
    }

    // MARK: - show ip ospf database router|network|summary|asbr-summary|external|nssa-external [A.B.C.D]

    /// Every LSA of one type (with `linkStateID`, only that one), in full, under its area's title; an unknown
    /// Link State ID leaves only the router-ID header, as IOS prints it.
    static func databaseDetail(_ v: OSPFDatabaseView, type: LSAType, linkStateID: IPv4Address?, now: SimTime) -> String {
        var lines = ["", header(v.routerID, v.processID)]
        func section(_ db: LSDB, area: AreaID?) {
            let entries = db.sortedEntries(ofType: type).filter { linkStateID == nil || $0.lsa.linkStateID == linkStateID }
            guard !entries.isEmpty else { return }
            lines += ["", "                \(sectionTitle(type))" + (area.map { " (Area \($0))" } ?? ""), ""]
            for e in entries { lines += detail(e, now: now) + [""] }
        }
        if type == .asExternal {
            section(v.external, area: nil)
        } else {
            for (area, db) in v.areas { section(db, area: area) }
        }
        return lines.joined(separator: "\n")
    }

    /// `(No TOS-capability, DC)`: the T (MT) bit, for type-7 LSAs the P bit, and the DC bit.
    static func lsaOptions(_ lsa: LSA) -> String {
        var parts = [lsa.options.contains(.mt) ? "TOS-capability" : "No TOS-capability"]
        if lsa.type == .nssaExternal {
            parts.append(lsa.options.contains(.np) ? "Type 7/5 translation" : "No Type 7/5 translation")
        }
        parts.append(lsa.options.contains(.dc) ? "DC" : "No DC")
        return "(" + parts.joined(separator: ", ") + ")"
    }

    static func typeName(_ type: LSAType) -> String {
        switch type {
        case .router: "Router Links"
        case .network: "Network Links"
        case .summaryNetwork: "Summary Links(Network)"
        case .summaryASBR: "Summary Links(AS Boundary Router)"
        case .asExternal, .nssaExternal: "AS External Link"
        default: "Type \(type.rawValue)"
        }
    }

    static func linkStateIDSuffix(_ type: LSAType) -> String {
        switch type {
        case .network: " (address of Designated Router)"
        case .summaryNetwork: " (summary Network Number)"
        case .summaryASBR: " (AS Boundary Router address)"
        // IOS prints the blank before the parenthesis.
        case .asExternal, .nssaExternal: " (External Network Number )"
        default: ""
        }
    }

    /// One LSA in full: the header fields, then the body as IOS lays out each type.
    static func detail(_ e: LSDB.Entry, now: SimTime) -> [String] {
        let lsa = e.lsa
        let age = e.age(at: now)
        var lines = ["  LS age: " + (age >= LSAHeader.maxAge ? "MAXAGE(\(age))" : "\(age)"),
                     "  Options: \(lsaOptions(lsa))",
                     "  LS Type: \(typeName(lsa.type))",
                     "  Link State ID: \(lsa.linkStateID)\(linkStateIDSuffix(lsa.type))",
                     "  Advertising Router: \(lsa.advertisingRouter)",
                     "  LS Seq Number: \(hex(UInt64(UInt32(bitPattern: lsa.sequenceNumber)), digits: 8))",
                     "  Checksum: 0x\(hex(UInt64(e.instance.checksum), digits: 1))",
                     "  Length: \(e.instance.length)"]
        switch lsa.body {
        case let .router(body):
            if body.flags.contains(.b) { lines.append("  Area Border Router") }
            if body.flags.contains(.e) { lines.append("  AS Boundary Router") }
            lines += ["  Number of Links: \(body.links.count)", ""]
            for link in body.links { lines += routerLinkLines(link) + [""] }
        case let .network(body):
            lines.append("  Network Mask: /\(maskLength(body.networkMask))")
            lines += body.attachedRouters.map { "        Attached Router: \($0)" }
        case let .summary(body):
            lines += ["  Network Mask: /\(maskLength(body.networkMask))",
                      "        MTID: 0         Metric: \(body.metric)"]
        case let .external(body):
            lines += ["  Network Mask: /\(maskLength(body.networkMask))",
                      "        Metric Type: " + (body.isType2 ? "2 (Larger than any link state path)"
                                                             : "1 (Comparable directly to link state metric)"),
                      "        MTID: 0",
                      "        Metric: \(body.metric)",
                      "        Forward Address: \(body.forwardingAddress)",
                      "        External Route Tag: \(body.routeTag)"]
        case .other:
            break
        }
        return lines
    }

    static func routerLinkLines(_ link: RouterLSA.Link) -> [String] {
        let kind: String, id: String, data: String
        switch link.type {
        case .pointToPoint:
            (kind, id, data) = ("another Router (point-to-point)", "Neighboring Router ID", "Router Interface address")
        case .transit:
            (kind, id, data) = ("a Transit Network", "Designated Router address", "Router Interface address")
        case .stub:
            (kind, id, data) = ("a Stub Network", "Network/subnet number", "Network Mask")
        case .virtual:
            (kind, id, data) = ("a Virtual Link", "Neighboring Router ID", "Router Interface address")
        default:
            (kind, id, data) = ("a link of type \(link.type.rawValue)", "Link ID", "Link Data")
        }
        return ["    Link connected to: \(kind)",
                "     (Link ID) \(id): \(link.linkID)",
                "     (Link Data) \(data): \(link.linkData)",
                "      Number of MTID metrics: \(link.tosMetrics.count)",
                "       TOS 0 Metrics: \(link.metric)"]
    }
}
