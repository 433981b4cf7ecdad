import IOSConfig
import Wire

extension OSPFShow {
    /// The `show ip ospf ...` exec commands; several processes print in process order.
    static func registerExecCommands(into registry: ExecCommandRegistry) {
        /// Runs `body` for every process in process order and joins the sections, as IOS prints several processes.
        func each(_ context: ExecContext, _ body: (OSPFProcess) -> String) throws(ExecError) -> String {
            let processes = context.instances(of: OSPFProcess.self).sorted { $0.processID < $1.processID }
            guard !processes.isEmpty else { throw ExecError("% OSPF is not enabled") }
            return processes.map(body).joined(separator: "\n")
        }
        registry.add("show ip ospf") { _, context throws(ExecError) in
            try each(context) { OSPFShow.process($0, now: context.network.now) }
        }
        registry.add("show ip ospf neighbor [detail]") { c, context throws(ExecError) in
            try each(context) {
                c.has("detail") ? OSPFShow.neighborDetail($0, now: context.network.now)
                    : OSPFShow.neighbors($0, now: context.network.now)
            }
        }
        registry.add("show ip ospf interface brief") { _, context throws(ExecError) in
            let rows = try each(context) { OSPFShow.interfaceBriefRows($0).joined(separator: "\n") }
            return OSPFShow.briefHeader + (rows.isEmpty ? "" : "\n" + rows)
        }
        registry.add("show ip ospf interface [<INTERFACE>]") { c, context throws(ExecError) in
            // An interface another process runs on, or none does, adds nothing.
            let lines = try each(context) {
                OSPFShow.interfaces($0, named: c.interface()?.description, context: context).joined(separator: "\n")
            }
            return lines.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "\n")
        }
        registry.add("show ip ospf border-routers") { _, context throws(ExecError) in
            try each(context) { OSPFShow.borderRouters($0) }
        }
        registry.add("show ip ospf database") { _, context throws(ExecError) in
            try each(context) { OSPFShow.database($0, now: context.network.now) }
        }
        registry.add("show ip ospf database self-originate") { _, context throws(ExecError) in
            try each(context) { OSPFShow.database(OSPFDatabaseView($0), now: context.network.now, selfOriginated: true) }
        }
        let detailed: [(String, LSAType)] = [("router", .router), ("network", .network), ("summary", .summaryNetwork),
                                             ("asbr-summary", .summaryASBR), ("external", .asExternal),
                                             ("nssa-external", .nssaExternal)]
        for (keyword, type) in detailed {
            registry.add("show ip ospf database \(keyword) [<A.B.C.D>]") { c, context throws(ExecError) in
                try each(context) {
                    OSPFShow.databaseDetail(OSPFDatabaseView($0), type: type, linkStateID: c.address(at: 0),
                                            now: context.network.now)
                }
            }
        }
    }
}
