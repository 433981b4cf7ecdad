import Engine
import Wire

/// Why a received hello is dropped (RFC 2328 §10.5; IOS adds the duplicate router ID check).
public enum HelloDrop: Hashable, Sendable, CustomStringConvertible {
    case networkMaskMismatch(received: IPv4Address, configured: IPv4Address)
    case helloIntervalMismatch(received: UInt16, configured: UInt16)
    case deadIntervalMismatch(received: UInt32, configured: UInt32)
    /// The E-bit disagrees with the area's ExternalRoutingCapability: one side is a stub area.
    case externalRoutingMismatch
    /// RFC 3101 §2.3: the N-bit disagrees with whether the area is an NSSA.
    case nssaMismatch
    /// IOS behaviour: a hello carrying our own router ID is dropped (`%OSPF-4-DUP_RTRID_NBR`).
    case duplicateRouterID(IPv4Address)

    /// Close to IOS's `debug ip ospf hello` wording ("R" received, "C" configured).
    public var description: String {
        switch self {
        case let .networkMaskMismatch(r, c): "Mismatched hello parameters: Mask R \(r) C \(c)"
        case let .helloIntervalMismatch(r, c): "Mismatched hello parameters: Hello R \(r) C \(c)"
        case let .deadIntervalMismatch(r, c): "Mismatched hello parameters: Dead R \(r) C \(c)"
        case .externalRoutingMismatch: "Hello with mismatched Stub/Transit area option bit"
        case .nssaMismatch: "Hello with mismatched NSSA option bit"
        case let .duplicateRouterID(id): "OSPF detected duplicate router-id \(id)"
        }
    }
}

extension OSPFInterface {
    /// Why a hello was dropped, as classic IOS prints it under `debug ip ospf hello`, `adj` and `events`:
    /// "Mismatched hello parameters from 10.0.12.2", then "Dead R 40 C 120, Hello R 10 C 30  Mask R ... C ..."
    /// (R: received, C: configured). Source: the `debug ip ospf events` capture "OSPF: Mismatched hello
    /// parameters from 10.0.0.2 / OSPF: Dead R 40 C 40, Hello R 10 C 20" (questionai.com, Houston/Dallas
    /// exercise); the mask part follows Cisco's "Troubleshooting OSPF neighbor problems" example. The stub line
    /// is IOS's ("Hello from ... with mismatched Stub/Transit area option bit"); the NSSA one is built the same
    /// way (unconfirmed). A duplicate router ID is a syslog line the owner prints (`%OSPF-4-DUP_RTRID_NBR`).
    func debugMismatch(_ drop: HelloDrop, _ hello: OSPFHello, source: IPv4Address, actions: inout [InterfaceAction]) {
        let category: OSPFDebugFlags = [.hello, .adj, .events]
        guard !debugging.isDisjoint(with: category) else { return }
        switch drop {
        case .networkMaskMismatch, .helloIntervalMismatch, .deadIntervalMismatch:
            let ours = self.hello
            debug(category, "Mismatched hello parameters from \(source)", actions: &actions)
            debug(category, "Dead R \(hello.routerDeadInterval) C \(ours.routerDeadInterval), "
                + "Hello R \(hello.helloInterval) C \(ours.helloInterval)  "
                + "Mask R \(hello.networkMask) C \(ours.networkMask)", actions: &actions)
        case .externalRoutingMismatch:
            debug(category, "Hello from \(source) with mismatched Stub/Transit area option bit", actions: &actions)
        case .nssaMismatch:
            debug(category, "Hello from \(source) with mismatched NSSA option bit", actions: &actions)
        case .duplicateRouterID:
            break
        }
    }

    /// RFC 2328 §10.5: the checks a hello must pass before it touches any neighbor.
    public func check(_ hello: OSPFHello, routerID sender: IPv4Address) -> HelloDrop? {
        let ours = self.hello
        // The mask is not checked on point-to-point networks and virtual links.
        if type != .pointToPoint, type != .virtualLink, hello.networkMask != mask {
            return .networkMaskMismatch(received: hello.networkMask, configured: mask)
        }
        if hello.helloInterval != ours.helloInterval {
            return .helloIntervalMismatch(received: hello.helloInterval, configured: ours.helloInterval)
        }
        if hello.routerDeadInterval != ours.routerDeadInterval {
            return .deadIntervalMismatch(received: hello.routerDeadInterval, configured: ours.routerDeadInterval)
        }
        if hello.options.contains(.e) != externalRoutingCapable { return .externalRoutingMismatch }
        if hello.options.contains(.np) != isNSSA { return .nssaMismatch }
        if sender == routerID { return .duplicateRouterID(sender) }
        return nil
    }

    /// Receiving a hello, RFC 2328 §10.5: the checks, then the neighbor's HelloReceived, 2-WayReceived or
    /// 1-WayReceived, then BackupSeen or NeighborChange on the interface from what the neighbor declares.
    @discardableResult
    public mutating func receiveHello(_ hello: OSPFHello, routerID sender: IPv4Address, source: IPv4Address,
                                      now: SimTime, actions: inout [InterfaceAction]) -> HelloDrop? {
        if let drop = check(hello, routerID: sender) {
            debugMismatch(drop, hello, source: source, actions: &actions)
            return drop
        }
        debug(.events, "End of hello processing", actions: &actions)
        // Broadcast, NBMA and point-to-multipoint neighbors are known by address, the others by router ID.
        let byAddress = type == .broadcast || type == .nbma || type == .pointToMultipoint
        let index: Int
        if let found = neighbors.firstIndex(where: { byAddress ? $0.address == source : $0.neighborID == sender }) {
            index = found
        } else {
            // A new neighbor starts with no declarations, so a DR or BDR it declares counts as a change.
            neighbors.append(OSPFNeighbor(neighborID: sender, address: source, priority: hello.routerPriority))
            index = neighbors.count - 1
        }
        let before = neighbors[index]
        neighbors[index].neighborID = sender
        neighbors[index].address = source
        neighbors[index].priority = hello.routerPriority
        neighbors[index].designatedRouter = hello.designatedRouter
        neighbors[index].backupDesignatedRouter = hello.backupDesignatedRouter
        runNeighbor(at: index, .helloReceived, now: now, actions: &actions)
        // RFC 2328 §9.5.1: an ineligible router on NBMA answers an eligible neighbor other than DR and BDR at
        // once, so that a potential DR learns of it.
        if type == .nbma, priority == 0, hello.routerPriority > 0, source != designatedRouter,
           source != backupDesignatedRouter {
            actions.append(.sendHello(self.hello, destination: source))
        }

        guard hello.neighbors.contains(routerID) else {
            runNeighbor(at: index, .oneWay, now: now, actions: &actions)
            return nil
        }
        runNeighbor(at: index, .twoWayReceived, now: now, actions: &actions)

        let after = neighbors[index]
        var neighborChange = before.priority != after.priority
        if after.declaresItselfDR, after.backupDesignatedRouter == .any, state == .waiting {
            handle(.backupSeen, now: now, actions: &actions)
        } else if before.declaresItselfDR != after.declaresItselfDR {
            neighborChange = true
        }
        if after.declaresItselfBDR, state == .waiting {
            handle(.backupSeen, now: now, actions: &actions)
        } else if before.declaresItselfBDR != after.declaresItselfBDR {
            neighborChange = true
        }
        if neighborChange { handle(.neighborChange, now: now, actions: &actions) }
        return nil
    }
}
