import Wire

/// The LSAs a router originates (RFC 2328 §12.4, RFC 3101 §2.2–§3.2), as pure functions of an
/// `OriginationInput`. Each function returns LSAs at InitialSequenceNumber and age 0; the owner gives
/// each its real sequence number with `LSAOrigination.nextInstance(of:previous:)` (§12.1.6), floods
/// it, and re-originates every LSRefreshTime.
public enum LSAOrigination {}

// MARK: - RFC 2328 §12.4.1, router-LSAs

extension LSAOrigination {
    /// The router-LSA for one attached area (RFC 2328 §12.4.1), nil when the router is not in `areaID`.
    public static func routerLSA(area areaID: AreaID, _ input: OriginationInput) -> LSA? {
        guard let area = input.area(areaID) else { return nil }
        var flags: RouterLSA.Flags = []
        // §12.4.1: B for an area border router, E for an AS boundary router, in every area but a stub
        // area (RFC 2328 §3.6); a type-7 translator is one too (RFC 3101 §3.2). RFC 3101 §2.2: in an NSSA,
        // E when we originate type-7 LSAs into it.
        if input.isAreaBorderRouter { flags.insert(.b) }
        switch area.kind {
        case .normal: if input.isASBoundaryRouter || input.isTranslatingType7 { flags.insert(.e) }
        case .stub: break
        case .nssa: if !nssaExternalLSAs(area: areaID, input).isEmpty { flags.insert(.e) }
        }
        // RFC 3101 §3.1: an NSSA border router configured to translate always sets Nt.
        if case .nssa = area.kind, input.isAreaBorderRouter, input.translatorRole == .always { flags.insert(.nt) }
        // V stays clear: virtual links are not originated here.

        let links = area.interfaces.flatMap { routerLinks($0) }
        return LSA(options: area.kind.options, type: .router, linkStateID: input.routerID,
                   advertisingRouter: input.routerID, sequenceNumber: LSAHeader.initialSequenceNumber,
                   body: .router(RouterLSA(flags: flags, links: links)))
    }

    /// The links one interface contributes, by its state (RFC 2328 §12.4.1.1–§12.4.1.4).
    public static func routerLinks(_ interface: OriginatingInterface) -> [RouterLSA.Link] {
        let hostMask = IPv4Address(rawValue: .max)
        let subnetStub = interface.prefix.map {
            RouterLSA.Link(linkID: $0.network, linkData: $0.mask, type: .stub, metric: interface.cost)
        }
        switch interface.state {
        case .down:
            // §12.4.1: "If the attached network's interface state is Down, no links are added."
            return []
        case .loopback:
            // §12.4.1: a looped-back interface is a host route to the interface address. RFC 2328 gives it
            // cost 0; IOS behaviour: the /32 stub carries the loopback's cost, 1 by default.
            return [RouterLSA.Link(linkID: interface.address, linkData: hostMask, type: .stub, metric: interface.cost)]
        case .pointToPoint:
            switch interface.type {
            case .pointToMultipoint:
                // §12.4.1.4: a host stub for our own address (cost 0), a type-1 link per Full neighbor.
                return [RouterLSA.Link(linkID: interface.address, linkData: hostMask, type: .stub, metric: 0)]
                    + pointToPointLinks(interface)
            case .virtualLink:
                // §12.4.1.3 virtual links are not modelled.
                return []
            case .pointToPoint, .broadcast, .nbma:
                // §12.4.1.1: a type-1 link per Full neighbor (Link Data = our numbered address), and,
                // regardless of the neighbor's state, the subnet as a type-3 stub (option 1, as IOS does).
                return pointToPointLinks(interface) + (subnetStub.map { [$0] } ?? [])
            }
        case .waiting:
            // §12.4.1.2: while Waiting the network is a stub network.
            return subnetStub.map { [$0] } ?? []
        case .dr, .backup, .drOther:
            // §12.4.1.2: a transit link when we are the DR and Full with at least one other router, or Full
            // with the DR; otherwise still a stub network.
            let isTransit = interface.isDesignatedRouter
                ? !interface.fullNeighbors.isEmpty
                : interface.designatedRouter != .any && interface.fullNeighbors.contains { $0.address == interface.designatedRouter }
            if isTransit {
                return [RouterLSA.Link(linkID: interface.designatedRouter, linkData: interface.address, type: .transit,
                                       metric: interface.cost)]
            }
            return subnetStub.map { [$0] } ?? []
        }
    }

    static func pointToPointLinks(_ interface: OriginatingInterface) -> [RouterLSA.Link] {
        interface.fullNeighbors.sorted { $0.routerID < $1.routerID }.map {
            RouterLSA.Link(linkID: $0.routerID, linkData: interface.address, type: .pointToPoint, metric: interface.cost)
        }
    }
}

// MARK: - RFC 2328 §12.4.2, network-LSAs

extension LSAOrigination {
    /// The network-LSAs this router originates into one area: one per transit network it is DR of, while
    /// it is Full with at least one other router there (RFC 2328 §12.4.2).
    public static func networkLSAs(area areaID: AreaID, _ input: OriginationInput) -> [LSA] {
        guard let area = input.area(areaID) else { return [] }
        return area.interfaces.compactMap { interface in
            guard interface.isDesignatedRouter, !interface.fullNeighbors.isEmpty,
                  interface.type == .broadcast || interface.type == .nbma else { return nil }
            // §12.4.2: the attached routers are the DR itself and every router Full with it, each listed once.
            let neighbors = Set(interface.fullNeighbors.map(\.routerID)).subtracting([input.routerID]).sorted()
            return LSA(options: area.kind.options, type: .network, linkStateID: interface.address,
                       advertisingRouter: input.routerID, sequenceNumber: LSAHeader.initialSequenceNumber,
                       body: .network(NetworkLSA(networkMask: interface.mask,
                                                 attachedRouters: [input.routerID] + neighbors)))
        }
    }
}
