import Engine
import Fabric
import Wire

/// Registers (RFC 7761 §4.4): the source's DR encapsulates toward the RP, the RP decapsulates and answers with a
/// Register-Stop once the source's packets arrive natively.
extension PIMRouter {
    /// CouldRegister(S,G) (§4.4.1): we are the DR of the directly connected source, the keepalive runs and an RP
    /// that is not us is known; the machine's actions are applied (registering is written with the entry).
    func updateRegisterState(_ e: inout TreeEntry, rp: IPv4Address?, _ context: ControlPlaneContext) {
        let source = e.key.source
        let isDR = ownsAddress(source, context) || interfaces.contains { $0.isDR && $0.prefix.contains(source) }
        let could = isDR && e.isKeepaliveRunning(now: context.now) && rp.map { !ownsAddress($0, context) } ?? false
        var actions: [RegisterAction] = []
        if let t = e.register.registerStopTimer, t <= context.now {
            e.register.handle(.registerStopTimerExpired, now: context.now, actions: &actions)
        }
        e.register.handle(could ? .couldRegisterTrue : .couldRegisterFalse, now: context.now, actions: &actions)
        for action in actions {
            switch action {
            case .sendNullRegister:
                if let rp { sendNullRegister(e.key, to: rp, context) }
            case .addRegisterTunnel, .removeRegisterTunnel:
                break  // `registering` follows the state when the entry is written
            }
        }
    }

    /// Whether `source` is a directly connected source we are the DR for, arriving on `interface` (§4.4.1
    /// DirectlyConnected(S) and I_am_DR), or one of our own addresses (traffic the router originates).
    func isDirectlyConnectedSource(_ source: IPv4Address, on interface: Int, _ context: ControlPlaneContext) -> Bool {
        if ownsAddress(source, context) { return true }
        guard let k = pimInterface(interface), interfaces[k].isDR else { return false }
        return context.interfaces[interface].addresses.contains { $0.prefix.contains(source) }
    }

    /// The first packet of a directly connected source: (S,G) with F, the keepalive started, registering (§4.4.1).
    /// The data plane dropped the packet that had no entry, so it is registered here — or, when there is nothing to
    /// register to (the DR is the RP, or no RP is known), sent along the new entry's olist (a member router, such
    /// as one with `ip igmp join-group`, takes its copy).
    func createFirstHopEntry(_ event: MulticastDataEvent, _ context: ControlPlaneContext) {
        let key = MulticastRouteKey(source: event.source, group: event.group)
        var e = entries[key] ?? TreeEntry(key: key, created: context.now)
        e.isFirstHop = true
        e.keepaliveExpires = context.now + PIMTimers.keepalivePeriod
        entries[key] = e
        update(context)
        let bytes = context.packetBytes(of: event)
        if entries[key]?.register == .join, let rp = rendezvousPoint(for: event.group, context) {
            sendRegister(bytes, source: event.source, group: event.group, to: rp, context)
        } else if rendezvousPoint(for: event.group, context) == nil || iAmRP(event.group, context) {
            context.forwardMulticast(bytes, along: key)
        }
    }

    func sendRegister(_ packet: [UInt8], source: IPv4Address, group: IPv4Address, to rp: IPv4Address,
                      _ context: ControlPlaneContext) {
        debug(context, "PIM(0): Send v2 Register to \(rp) for \(source), group \(group)")
        send(.register(PIMRegister(packet: packet)), to: rp, on: nil, context)
    }

    /// A Null-Register (§4.4.1 Register_Probe_Time): the IP header of a dummy packet from S to G.
    func sendNullRegister(_ key: MulticastRouteKey, to rp: IPv4Address, _ context: ControlPlaneContext) {
        let header = IPv4Header(ttl: 0, protocolNumber: .pim, source: key.source, destination: key.group, payloadLength: 0)
        var bytes = [UInt8](repeating: 0, count: header.encodedLength)
        bytes.withUnsafeMutableBytes { header.emit(into: $0) }
        debug(context, "PIM(0): Send v2 Null Register to \(rp) for \(key.source), group \(key.group)")
        send(.register(PIMRegister(null: true, packet: bytes)), to: rp, on: nil, context)
    }

    /// At the RP (§4.4.2): (S,G) is created with its keepalive; a Register-Stop answers when the SPT already
    /// delivers or nobody below wants the group (unconfirmed IOS detail, ios-behavior.md §8.1: at once); otherwise
    /// the inner packet goes down the shared tree and the RP joins toward the source.
    func receiveRegister(_ register: PIMRegister, from sender: IPv4Address, to destination: IPv4Address, on interface: Int,
                         _ context: ControlPlaneContext) {
        let inner = register.packet
        guard inner.count >= 20 else { return }
        func address(_ at: Int) -> IPv4Address {
            IPv4Address(rawValue: UInt32(inner[at]) << 24 | UInt32(inner[at + 1]) << 16 | UInt32(inner[at + 2]) << 8 | UInt32(inner[at + 3]))
        }
        let source = address(12), group = address(16)
        debug(context, "PIM(0): Received v2 Register on \(interfaceName(interface, context)) from \(sender)")
        debug(context, "     for \(source), group \(group)")
        guard group.isMulticast else { return }
        guard iAmRP(group, context), ownsAddress(destination, context) else {
            sendRegisterStop(source: source, group: group, to: sender, context)
            return
        }
        let key = MulticastRouteKey(source: source, group: group)
        var e = entries[key] ?? TreeEntry(key: key, created: context.now)
        e.registerSource = sender
        e.keepaliveExpires = context.now + PIMTimers.keepalivePeriod
        entries[key] = e
        update(context)
        guard let now = entries[key] else { return }
        // §4.4.2: Register-Stop once the SPT delivers or nobody wants S; otherwise the decapsulated packet goes
        // down olist(S,G,rpt), the register tunnel being its arrival interface (so no interface is left out).
        let olist = inheritedOlist(now, context, keepIncoming: true)
        if now.sptBit || olist.isEmpty {
            sendRegisterStop(source: source, group: group, to: sender, context)
        } else if !register.null {
            context.forwardMulticast(inner, along: key, outgoing: olist.sorted())
        }
    }

    func sendRegisterStop(source: IPv4Address, group: IPv4Address, to dr: IPv4Address, _ context: ControlPlaneContext) {
        debug(context, "PIM(0): Send v2 Register-Stop to \(dr) for \(source), group \(group)")
        send(.registerStop(PIMRegisterStop(group: group, source: source)), to: dr, on: nil, context)
    }

    /// At the DR (§4.4.1): the Register-Stop suppresses registering for 60 s.
    func receiveRegisterStop(_ stop: PIMRegisterStop, from sender: IPv4Address, on interface: Int, _ context: ControlPlaneContext) {
        debug(context, "PIM(0): Received v2 Register-Stop on \(interfaceName(interface, context)) from \(sender)")
        debug(context, "PIM(0):   for source \(stop.source), group \(stop.group)")
        let key = MulticastRouteKey(source: stop.source, group: stop.group)
        guard var e = entries[key], e.isFirstHop else { return }
        var actions: [RegisterAction] = []
        e.register.handle(.registerStopReceived, now: context.now, actions: &actions)
        if actions.contains(.removeRegisterTunnel) {
            debug(context, "PIM(0): Clear Registering flag to \(sender) for (\(stop.source)/32, \(stop.group))")
        }
        entries[key] = e
    }
}
