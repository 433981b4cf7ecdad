import Engine
import Wire
@testable import Protocols

// Builders for the LSAs of the LSDB and SPF tests, so a topology reads like RFC 2328 §12.4's listings.

func ip(_ text: String) -> IPv4Address { IPv4Address(text)! }
func prefix(_ text: String) -> IPv4Prefix { IPv4Prefix(text)! }

/// RFC 2328 A.4.2 link types, as §12.4.1 lists them.
func pointToPoint(_ neighbor: String, data: String, metric: UInt16) -> RouterLSA.Link {
    RouterLSA.Link(linkID: ip(neighbor), linkData: ip(data), type: .pointToPoint, metric: metric)
}
func transit(dr: String, data: String, metric: UInt16) -> RouterLSA.Link {
    RouterLSA.Link(linkID: ip(dr), linkData: ip(data), type: .transit, metric: metric)
}
func stub(_ network: String, mask: String, metric: UInt16) -> RouterLSA.Link {
    RouterLSA.Link(linkID: ip(network), linkData: ip(mask), type: .stub, metric: metric)
}
func virtualLink(_ neighbor: String, data: String, metric: UInt16) -> RouterLSA.Link {
    RouterLSA.Link(linkID: ip(neighbor), linkData: ip(data), type: .virtual, metric: metric)
}

func routerLSA(_ id: String, flags: RouterLSA.Flags = [], sequence: Int32 = LSAHeader.initialSequenceNumber,
               _ links: [RouterLSA.Link]) -> LSA {
    LSA(options: .e, type: .router, linkStateID: ip(id), advertisingRouter: ip(id), sequenceNumber: sequence,
        body: .router(RouterLSA(flags: flags, links: links)))
}

func networkLSA(dr: String, by router: String, mask: String, attached: [String]) -> LSA {
    LSA(options: .e, type: .network, linkStateID: ip(dr), advertisingRouter: ip(router),
        sequenceNumber: LSAHeader.initialSequenceNumber,
        body: .network(NetworkLSA(networkMask: ip(mask), attachedRouters: attached.map(ip))))
}

func summaryLSA(_ network: String, mask: String, by router: String, metric: UInt32) -> LSA {
    LSA(options: .e, type: .summaryNetwork, linkStateID: ip(network), advertisingRouter: ip(router),
        sequenceNumber: LSAHeader.initialSequenceNumber,
        body: .summary(SummaryLSA(networkMask: ip(mask), metric: metric)))
}

func asbrSummaryLSA(_ asbr: String, by router: String, metric: UInt32) -> LSA {
    LSA(options: .e, type: .summaryASBR, linkStateID: ip(asbr), advertisingRouter: ip(router),
        sequenceNumber: LSAHeader.initialSequenceNumber,
        body: .summary(SummaryLSA(networkMask: .any, metric: metric)))
}

func externalLSA(_ network: String, mask: String, by router: String, type2: Bool, metric: UInt32,
                 forwardingAddress: String = "0.0.0.0") -> LSA {
    LSA(options: .e, type: .asExternal, linkStateID: ip(network), advertisingRouter: ip(router),
        sequenceNumber: LSAHeader.initialSequenceNumber,
        body: .external(ExternalLSA(networkMask: ip(mask), isType2: type2, metric: metric,
                                    forwardingAddress: ip(forwardingAddress))))
}

/// A type-7 LSA (RFC 3101 §2.3); `propagate` is the P bit.
func nssaExternalLSA(_ network: String, mask: String, by router: String, type2: Bool, metric: UInt32,
                     forwardingAddress: String, propagate: Bool = true) -> LSA {
    LSA(options: propagate ? .np : [], type: .nssaExternal, linkStateID: ip(network), advertisingRouter: ip(router),
        sequenceNumber: LSAHeader.initialSequenceNumber,
        body: .external(ExternalLSA(networkMask: ip(mask), isType2: type2, metric: metric,
                                    forwardingAddress: ip(forwardingAddress))))
}

func lsdb(_ lsas: [LSA], now: SimTime = .zero) -> LSDB {
    var db = LSDB()
    for lsa in lsas { db.replace(LSAInstance(lsa), now: now) }
    return db
}

func interface(_ id: Int, _ address: String, _ mask: String, area: AreaID = .backbone) -> SPFInterface {
    SPFInterface(id: OSPFInterfaceID(id), area: area, address: ip(address), mask: ip(mask))
}

func hop(_ id: Int, _ address: String?) -> OSPFNextHop {
    OSPFNextHop(interface: OSPFInterfaceID(id), address: address.map(ip))
}

extension SimTime {
    /// `n` seconds after time zero.
    static func seconds(_ n: Int64) -> SimTime { .zero + .seconds(n) }
}
