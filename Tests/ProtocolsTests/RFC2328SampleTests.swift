import Engine
import Testing
import Wire
@testable import Protocols

// The sample AS of RFC 2328: Figure 2 (one area) and Figure 6 (the same routers and costs split into
// areas 1, 2, 3 and the backbone), seen from Router RT6.
//
//             ...........................
//             .   +                     .
//             .   | 3+---+              .      N12      N14
//             . N1|--|RT1|\ 1           .        \ N13 /
//             .   |  +---+ \            .        8\ |8/8
//             .   +         \ ____      .          \|/
//             .              /    \   1+---+8    8+---+6
//             .             *  N3  *---|RT4|------|RT5|--------+
//             .              \____/    +---+      +---+        |
//             .    +         /      \   .           |7         |
//             .    | 3+---+ /        \  .           |          |
//             .  N2|--|RT2|/1        1\ .           |6         |
//             .    |  +---+            +---+8    6+---+        |
//             .    +                   |RT3|------|RT6|        |
//             .                        +---+      +---+        |
//             .                      2/ .         Ia|7         |
//             .                      /  .           |          |
//             .             +---------+ .           |          |
//             .Area 1           N4      .           |          |
//             ...........................           |          |
//          ..........................               |          |
//          .            N11         .               |          |
//          .        +---------+     .               |          |
//          .             |          .               |          |    N12
//          .             |3         .             Ib|5         |6 2/
//          .           +---+        .             +----+     +---+/
//          .           |RT9|        .    .........|RT10|.....|RT7|---N15.
//          .           +---+        .    .        +----+     +---+ 9    .
//          .             |1         .    .    +  /3    1\      |1       .
//          .            _|__        .    .    | /        \   __|_       .
//          .           /    \      1+----+2   |/          \ /    \      .
//          .          *  N9  *------|RT11|----|            *  N6  *     .
//          .           \____/       +----+    |             \____/      .
//          .             |          .    .    |                |        .
//          .             |1         .    .    +                |1       .
//          .  +--+   10+----+       .    .   N8              +---+      .
//          .  |H1|-----|RT12|       .    .                   |RT8|      .
//          .  +--+SLIP +----+       .    .                   +---+      .
//          .             |2         .    .                     |4       .
//          .             |          .    .                     |        .
//          .        +---------+     .    .                 +--------+   .
//          .            N10         .    .                     N7       .
//          .                        .    .Area 2                        .
//          .Area 3                  .    ................................
//          ..........................
//
// Addresses (the RFC leaves most of them open): RTn has router ID 192.168.0.n; Nk is 10.k.0.0/24 and
// RTn's address on a transit network Nk is 10.k.0.n; N3 is 192.1.1.0/24 as in RFC 2328 Figure 15,
// with RT4 its DR. H1 is 10.100.0.1/32. The point-to-point links are numbered 10.ab.0.a/b (RTa to RTb)
// but, like the RFC's unnumbered links, advertise no stub; only the RT6–RT10 link advertises host
// routes, RFC 2328 §12.4.1.1 option 1: Ib (RT10's end, 10.61.0.10) by RT6, Ia (RT6's end, 10.61.0.6)
// by RT10, which is how RFC 2328 Table 2 comes to list Ib as directly connected and Ia via RT10.
enum RFC2328Sample {
    static func rt(_ n: Int) -> String { "192.168.0.\(n)" }
    static func n(_ k: Int) -> String { "10.\(k).0.0" }
    static let mask = "255.255.255.0"
    static let h1 = "10.100.0.1"

    // Links, by area: RFC 2328 Figure 6 and the router-LSAs of §12.4.1 / Figure 15.
    static let n3 = (dr: "192.1.1.4", prefix: "192.1.1.0")
    static let n6DR = "10.6.0.10", n8DR = "10.8.0.11", n9DR = "10.9.0.12"

    static func area1Links(_ router: Int) -> [RouterLSA.Link] {
        switch router {
        case 1: [stub(n(1), mask: mask, metric: 3), transit(dr: n3.dr, data: "192.1.1.1", metric: 1)]
        case 2: [stub(n(2), mask: mask, metric: 3), transit(dr: n3.dr, data: "192.1.1.2", metric: 1)]
        case 3: [transit(dr: n3.dr, data: "192.1.1.3", metric: 1), stub(n(4), mask: mask, metric: 2)]
        case 4: [transit(dr: n3.dr, data: "192.1.1.4", metric: 1)]
        default: []
        }
    }

    static func backboneLinks(_ router: Int, virtualLinks: Bool) -> [RouterLSA.Link] {
        switch router {
        case 3: [pointToPoint(rt(6), data: "10.36.0.3", metric: 8)]
        case 4: [pointToPoint(rt(5), data: "10.45.0.4", metric: 8)]
        case 5: [pointToPoint(rt(4), data: "10.45.0.5", metric: 8), pointToPoint(rt(6), data: "10.56.0.5", metric: 7),
                 pointToPoint(rt(7), data: "10.57.0.5", metric: 6)]
        case 6: [pointToPoint(rt(3), data: "10.36.0.6", metric: 6), pointToPoint(rt(5), data: "10.56.0.6", metric: 6),
                 pointToPoint(rt(10), data: "10.61.0.6", metric: 7),
                 stub("10.61.0.10", mask: "255.255.255.255", metric: 7)]
        case 7: [pointToPoint(rt(5), data: "10.57.0.7", metric: 6)]
        // RFC 2328 §15: the virtual link RT10–RT11 through area 2, cost the intra-area distance (3 and 2).
        case 10: [pointToPoint(rt(6), data: "10.61.0.10", metric: 5),
                  stub("10.61.0.6", mask: "255.255.255.255", metric: 5)]
            + (virtualLinks ? [virtualLink(rt(11), data: "10.8.0.10", metric: 3)] : [])
        case 11: virtualLinks ? [virtualLink(rt(10), data: "10.8.0.11", metric: 2)] : []
        default: []
        }
    }

    static func area2Links(_ router: Int) -> [RouterLSA.Link] {
        switch router {
        case 7: [transit(dr: n6DR, data: "10.6.0.7", metric: 1)]
        case 8: [transit(dr: n6DR, data: "10.6.0.8", metric: 1), stub(n(7), mask: mask, metric: 4)]
        case 10: [transit(dr: n6DR, data: "10.6.0.10", metric: 1), transit(dr: n8DR, data: "10.8.0.10", metric: 3)]
        case 11: [transit(dr: n8DR, data: "10.8.0.11", metric: 2)]
        default: []
        }
    }

    static func area3Links(_ router: Int) -> [RouterLSA.Link] {
        switch router {
        case 9: [transit(dr: n9DR, data: "10.9.0.9", metric: 1), stub(n(11), mask: mask, metric: 3)]
        case 11: [transit(dr: n9DR, data: "10.9.0.11", metric: 1)]
        case 12: [transit(dr: n9DR, data: "10.9.0.12", metric: 1), stub(n(10), mask: mask, metric: 2),
                  stub(h1, mask: "255.255.255.255", metric: 10)]
        default: []
        }
    }

    static let networkLSAs = (
        n3: networkLSA(dr: n3.dr, by: rt(4), mask: mask, attached: [rt(4), rt(1), rt(2), rt(3)]),
        n6: networkLSA(dr: n6DR, by: rt(10), mask: mask, attached: [rt(10), rt(7), rt(8)]),
        n8: networkLSA(dr: n8DR, by: rt(11), mask: mask, attached: [rt(11), rt(10)]),
        n9: networkLSA(dr: n9DR, by: rt(12), mask: mask, attached: [rt(12), rt(9), rt(11)])
    )

    static let asbrs: Set<Int> = [5, 7]

    /// RFC 2328 §2.3 and Table 4: RT5 announces N12–N14 at 8, RT7 N12 at 2 and N15 at 9.
    static func externals(type2: Bool) -> [LSA] {
        [(12, 5, 8), (13, 5, 8), (14, 5, 8), (12, 7, 2), (15, 7, 9)].map { network, router, metric in
            externalLSA(n(network), mask: mask, by: rt(router), type2: type2, metric: UInt32(metric))
        }
    }

    /// RT6's interfaces: to RT3, RT5 and RT10.
    static let rt6Interfaces = [
        interface(1, "10.36.0.6", mask), interface(2, "10.56.0.6", mask), interface(3, "10.61.0.6", mask),
    ]
    static let viaRT3 = hop(1, "10.36.0.3"), viaRT5 = hop(2, "10.56.0.5"), viaRT10 = hop(3, "10.61.0.10")

    /// Figure 2: the whole AS as one area, no virtual link needed.
    static func singleAreaDatabase() -> LSDB {
        let routers = (1...12).map { r in
            routerLSA(rt(r), flags: asbrs.contains(r) ? .e : [],
                      area1Links(r) + backboneLinks(r, virtualLinks: false) + area2Links(r) + area3Links(r))
        }
        return lsdb(routers + [networkLSAs.n3, networkLSAs.n6, networkLSAs.n8, networkLSAs.n9])
    }

    /// Figure 6: the backbone's database as RT6 holds it. The area border routers' summaries follow
    /// RFC 2328 §12.4.3 from each area's intra-area distances (RFC 2328 §3.3's tables of the distances
    /// RT3/RT4 and RT10/RT7 advertise): RT3 N1 4, N2 4, N3 1, N4 2; RT4 N1 4, N2 4, N3 1, N4 3;
    /// RT10 N6 1, N7 5, N8 3; RT7 N6 1, N7 5, N8 4; RT11 (reached only over the virtual link) N9 1,
    /// N10 3, N11 4, H1 11. RT10 also announces the ASBR RT7, at 1 through area 2 (type 4).
    static func backboneDatabase() -> LSDB {
        let abrs: Set<Int> = [3, 4, 7, 10, 11]
        let routers = [3, 4, 5, 6, 7, 10, 11].map { r in
            routerLSA(rt(r), flags: (abrs.contains(r) ? RouterLSA.Flags.b : []).union(asbrs.contains(r) ? .e : []),
                      backboneLinks(r, virtualLinks: true))
        }
        let summaries: [(Int, String, String, UInt32)] = [
            (3, n(1), mask, 4), (3, n(2), mask, 4), (3, n3.prefix, mask, 1), (3, n(4), mask, 2),
            (4, n(1), mask, 4), (4, n(2), mask, 4), (4, n3.prefix, mask, 1), (4, n(4), mask, 3),
            (10, n(6), mask, 1), (10, n(7), mask, 5), (10, n(8), mask, 3),
            (7, n(6), mask, 1), (7, n(7), mask, 5), (7, n(8), mask, 4),
            (11, n(9), mask, 1), (11, n(10), mask, 3), (11, n(11), mask, 4), (11, h1, "255.255.255.255", 11),
        ]
        return lsdb(routers + summaries.map { summaryLSA($1, mask: $2, by: rt($0), metric: $3) }
                    + [asbrSummaryLSA(rt(7), by: rt(10), metric: 1)])
    }
}

private typealias Sample = RFC2328Sample

/// RT6's table in the one-area AS of Figure 2.
private let rt6SingleArea = SPF.calculate(SPFInput(
    routerID: ip(Sample.rt(6)), areas: [SPFArea(id: .backbone, lsdb: Sample.singleAreaDatabase())],
    externals: lsdb(Sample.externals(type2: false)), interfaces: Sample.rt6Interfaces))

// RFC 2328 Table 2: "The portion of Router RT6's routing table listing local destinations".
@Test(arguments: [
    ("N1", Sample.n(1) + "/24", Sample.viaRT3, UInt32(10)), ("N2", Sample.n(2) + "/24", Sample.viaRT3, 10),
    ("N3", "192.1.1.0/24", Sample.viaRT3, 7), ("N4", Sample.n(4) + "/24", Sample.viaRT3, 8),
    ("Ib", "10.61.0.10/32", hop(3, nil), 7), ("Ia", "10.61.0.6/32", Sample.viaRT10, 12),
    ("N6", Sample.n(6) + "/24", Sample.viaRT10, 8), ("N7", Sample.n(7) + "/24", Sample.viaRT10, 12),
    ("N8", Sample.n(8) + "/24", Sample.viaRT10, 10), ("N9", Sample.n(9) + "/24", Sample.viaRT10, 11),
    ("N10", Sample.n(10) + "/24", Sample.viaRT10, 13), ("N11", Sample.n(11) + "/24", Sample.viaRT10, 14),
    ("H1", "10.100.0.1/32", Sample.viaRT10, 21),
])
func rt6sLocalDestinationsAreThoseOfRFC2328Table2(name: String, destination: String, nextHop: OSPFNextHop,
                                                  distance: UInt32) {
    let route = rt6SingleArea[prefix(destination)]
    #expect(route?.pathType == .intraArea, "\(name)")
    #expect(route?.cost == distance, "\(name)")
    #expect(route?.nextHops == [nextHop], "\(name)")
}

// RFC 2328 Table 2, its last two rows: the AS boundary routers RT5 (via RT5, 6) and RT7 (via RT10, 8).
@Test func rt6sASBoundaryRoutersAreThoseOfRFC2328Table2() {
    #expect(rt6SingleArea.borderRouters.map { [$0.routerID.description, "\($0.cost)"] }
            == [[Sample.rt(5), "6"], [Sample.rt(7), "8"]])
    #expect(rt6SingleArea.borderRouters.map(\.nextHops) == [[Sample.viaRT5], [Sample.viaRT10]])
    #expect(rt6SingleArea.borderRouters.allSatisfy { $0.isASBR && !$0.isABR })
}

// RFC 2328 Table 4: "The AS-external portion of Router RT6's routing table" (type 1 metrics): N12 is
// cheaper through RT7 (8 + 2) than through RT5 (6 + 8).
@Test(arguments: [(12, Sample.viaRT10, UInt32(10)), (13, Sample.viaRT5, 14), (14, Sample.viaRT5, 14),
                  (15, Sample.viaRT10, 17)])
func rt6sExternalRoutesAreThoseOfRFC2328Table4(network: Int, nextHop: OSPFNextHop, distance: UInt32) {
    let route = rt6SingleArea[prefix(Sample.n(network) + "/24")]
    #expect(route?.code == "E1")
    #expect(route?.cost == distance)
    #expect(route?.nextHops == [nextHop])
}

@Test func rt6sOneAreaTableHoldsNothingElse() {
    #expect(rt6SingleArea.routes.count == 13 + 4)
}

// MARK: - Figure 6, with areas

/// RT6 is an internal backbone router: its table is the backbone's tree plus the summaries.
private let rt6WithAreas = SPF.calculate(SPFInput(
    routerID: ip(Sample.rt(6)), areas: [SPFArea(id: .backbone, lsdb: Sample.backboneDatabase())],
    externals: lsdb(Sample.externals(type2: true)), interfaces: Sample.rt6Interfaces))

// The backbone's own destinations stay intra-area; everything in areas 1 and 2 arrives by summary at
// the distances of Table 2 (the summaries carry the distances inside the areas), through the nearest ABR.
@Test(arguments: [
    ("Ib", "10.61.0.10/32", OSPFPathType.intraArea, hop(3, nil), UInt32(7), Sample.rt(6)),
    ("Ia", "10.61.0.6/32", .intraArea, Sample.viaRT10, 12, Sample.rt(10)),
    ("N1", Sample.n(1) + "/24", .interArea, Sample.viaRT3, 10, Sample.rt(3)),
    ("N2", Sample.n(2) + "/24", .interArea, Sample.viaRT3, 10, Sample.rt(3)),
    ("N3", "192.1.1.0/24", .interArea, Sample.viaRT3, 7, Sample.rt(3)),
    ("N4", Sample.n(4) + "/24", .interArea, Sample.viaRT3, 8, Sample.rt(3)),
    ("N6", Sample.n(6) + "/24", .interArea, Sample.viaRT10, 8, Sample.rt(10)),
    ("N7", Sample.n(7) + "/24", .interArea, Sample.viaRT10, 12, Sample.rt(10)),
    ("N8", Sample.n(8) + "/24", .interArea, Sample.viaRT10, 10, Sample.rt(10)),
])
func rt6sRoutesInTheAreaConfiguration(name: String, destination: String, type: OSPFPathType, nextHop: OSPFNextHop,
                                      distance: UInt32, advertisingRouter: String) {
    let route = rt6WithAreas[prefix(destination)]
    #expect(route?.pathType == type, "\(name)")
    #expect(route?.cost == distance, "\(name)")
    #expect(route?.nextHops == [nextHop], "\(name)")
    #expect(route?.advertisingRouter == ip(advertisingRouter), "\(name)")
    #expect(route?.area == .backbone, "\(name)")
}

// Area 3 hangs off the backbone through the RT10–RT11 virtual link, a backbone link of cost 3
// (RFC 2328 §15): RT11 is at 7 + 3 and its summaries give N9–N11 and H1 at the distances of Table 2.
@Test(arguments: [(9, "/24", UInt32(11)), (10, "/24", 13), (11, "/24", 14), (100, "/32", 21)])
func area3IsReachedOverTheVirtualLink(network: Int, length: String, distance: UInt32) {
    let route = rt6WithAreas[prefix((network == 100 ? Sample.h1 : Sample.n(network)) + length)]
    #expect(route?.pathType == .interArea)
    #expect(route?.cost == distance)
    #expect(route?.nextHops == [Sample.viaRT10])
    #expect(route?.advertisingRouter == ip(Sample.rt(11)))
}

// `show ip ospf border-routers` on RT6: the ABRs RT3, RT4, RT7, RT10, RT11 and the ASBRs RT5, RT7, all
// reached inside the backbone (RT11 over the virtual link); RT4 and RT7 only over RT5, since N3 and N6
// are not backbone networks. RT10's type 4 summary of RT7 (7 + 1 = 8) loses to the intra-area path
// (§16.2 (6)).
@Test func rt6sBorderRoutersInTheAreaConfiguration() {
    let expected: [(Int, Bool, Bool, UInt32, OSPFNextHop)] = [
        (3, true, false, 6, Sample.viaRT3), (4, true, false, 14, Sample.viaRT5), (5, false, true, 6, Sample.viaRT5),
        (7, true, true, 12, Sample.viaRT5), (10, true, false, 7, Sample.viaRT10), (11, true, false, 10, Sample.viaRT10),
    ]
    #expect(rt6WithAreas.borderRouters == expected.map { router, abr, asbr, cost, nextHop in
        OSPFBorderRouter(routerID: ip(Sample.rt(router)), area: .backbone, pathType: .intraArea, isABR: abr,
                         isASBR: asbr, cost: cost, nextHops: [nextHop])
    })
}

// RFC 2328 §12.4.4: RT7 announces N12 with a type 2 metric of 2 (here every external is type 2), so
// N12 is reached through RT7 although RT5 is nearer; N13–N15 cost their type 2 metric, and the
// forwarding cost is that to the ASBR.
@Test(arguments: [(12, 7, UInt32(2), UInt32(12)), (13, 5, 8, 6), (14, 5, 8, 6), (15, 7, 9, 12)])
func rt6sType2ExternalRoutesInTheAreaConfiguration(network: Int, asbr: Int, metric: UInt32, forwardingCost: UInt32) {
    let route = rt6WithAreas[prefix(Sample.n(network) + "/24")]
    #expect(route?.code == "E2")
    #expect(route?.type2Cost == metric)
    #expect(route?.cost == forwardingCost)
    #expect(route?.advertisingRouter == ip(Sample.rt(asbr)))
    #expect(route?.nextHops == [Sample.viaRT5])
}

// MARK: - RT10, an endpoint of the virtual link

/// Area 2's database: RT7, RT8, RT10, RT11 and the network-LSAs of N6 and N8.
private func area2Database() -> LSDB {
    let abrs: Set<Int> = [7, 10, 11]
    let routers = [7, 8, 10, 11].map { r in
        routerLSA(Sample.rt(r),
                  flags: (abrs.contains(r) ? RouterLSA.Flags.b : []).union(Sample.asbrs.contains(r) ? .e : []),
                  Sample.area2Links(r))
    }
    return lsdb(routers + [Sample.networkLSAs.n6, Sample.networkLSAs.n8])
}

private let rt10 = SPF.calculate(SPFInput(
    routerID: ip(Sample.rt(10)),
    areas: [SPFArea(id: .backbone, lsdb: Sample.backboneDatabase()),
            SPFArea(id: AreaID(rawValue: 2), lsdb: area2Database())],
    interfaces: [interface(1, "10.61.0.10", Sample.mask),
                 interface(2, "10.6.0.10", Sample.mask, area: AreaID(rawValue: 2)),
                 interface(3, "10.8.0.10", Sample.mask, area: AreaID(rawValue: 2))]))

// RFC 2328 §16.1.1: over a virtual link the next hop is the transit area's path to the other end — RT11's
// address on N8 — and RT11's summaries of area 3 (backbone summaries, as RT10 is an ABR) use it.
@Test func theVirtualLinksNextHopComesFromTheTransitArea() {
    let area2 = AreaID(rawValue: 2)
    #expect(rt10.borderRouter(ip(Sample.rt(11))).map(\.area) == [.backbone, area2])
    #expect(rt10.borderRouter(ip(Sample.rt(11))).map(\.cost) == [3, 3])
    #expect(rt10.borderRouter(ip(Sample.rt(11))).map(\.nextHops) == [[hop(3, "10.8.0.11")], [hop(3, "10.8.0.11")]])
    #expect(rt10[prefix(Sample.n(9) + "/24")]?.pathType == .interArea)
    #expect(rt10[prefix(Sample.n(9) + "/24")]?.cost == 4)
    #expect(rt10[prefix(Sample.n(9) + "/24")]?.nextHops == [hop(3, "10.8.0.11")])
    // Area 2's own networks are intra-area, directly attached or through RT8.
    #expect(rt10[prefix(Sample.n(6) + "/24")]?.nextHops == [hop(2, nil)])
    #expect(rt10[prefix(Sample.n(7) + "/24")]?.nextHops == [hop(2, "10.6.0.8")])
    #expect(rt10[prefix(Sample.n(7) + "/24")]?.cost == 5)
    // Area 1 through the backbone: RT6 (5), RT3 (6), then RT3's summary (4).
    #expect(rt10[prefix(Sample.n(1) + "/24")]?.cost == 15)
    #expect(rt10[prefix(Sample.n(1) + "/24")]?.nextHops == [hop(1, "10.61.0.6")])
}
