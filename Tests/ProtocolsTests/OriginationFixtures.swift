import Engine
import Wire
@testable import Protocols

// Builders for the origination tests: a router's interfaces and areas as RFC 2328 §12.4 reads them.

let originationArea1 = AreaID(rawValue: 1)

func fullNeighbor(_ routerID: String, at address: String) -> FullNeighbor {
    FullNeighbor(routerID: ip(routerID), address: ip(address))
}

func originating(_ id: Int, _ type: OSPFNetworkType = .broadcast, state: InterfaceState, cost: UInt16 = 1,
                 _ address: String, _ mask: String, dr: String = "0.0.0.0",
                 full: [FullNeighbor] = []) -> OriginatingInterface {
    OriginatingInterface(id: OSPFInterfaceID(id), type: type, state: state, cost: cost, address: ip(address),
                         mask: ip(mask), designatedRouter: ip(dr), fullNeighbors: full)
}

func loopback(_ id: Int, _ address: String) -> OriginatingInterface {
    originating(id, .pointToPoint, state: .loopback, address, "255.255.255.255")
}

extension LSA {
    var routerBody: RouterLSA? { if case let .router(r) = body { r } else { nil } }
    var networkBody: NetworkLSA? { if case let .network(n) = body { n } else { nil } }
    var summaryBody: SummaryLSA? { if case let .summary(s) = body { s } else { nil } }
    var externalBody: ExternalLSA? { if case let .external(e) = body { e } else { nil } }
}
