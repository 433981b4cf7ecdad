import Fabric
import Wire
// Placeholder until the command handlers land (deleted on merge).
public enum DeviceCommands {
    public static func registry() -> CommandRegistry<DeviceConfiguration> {
        let r = CommandRegistry<DeviceConfiguration>()
        r.register(.global, "hostname <WORD>") { c, t in t.hostname = c.text("WORD") ?? t.hostname }
        r.register(.global, "interface <INTERFACE>", enters: .interface) { c, t in t.withInterface(c.interface()!.description) { _ in } }
        r.register(.interface, "ip address <A.B.C.D:address> <A.B.C.D:mask>") { c, t in
            let name = c.enclosing(.interface)!.interface()!.description
            t.withInterface(name) { $0.addresses = [InterfaceAddress(address: c.address("address")!, prefix: IPv4Prefix(c.address("address")!, mask: c.address("mask")!)!)] }
        }
        r.register(.interface, "shutdown", negation: .storedAsNo) { c, t in
            let name = c.enclosing(.interface)!.interface()!.description
            t.withInterface(name) { $0.shutdown = !c.isNegated }
        }
        return r
    }
}
