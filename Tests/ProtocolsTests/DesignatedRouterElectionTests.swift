import Testing
import Wire
@testable import Protocols

// RFC 2328 §9.4 as a table. Router n has router ID n.n.n.n and address 10.0.0.n; a router is written
// `n/priority/DR/BDR` with its declarations (0: none). The first router of each row does the calculation;
// the others are its neighbors in state 2-Way or more.
struct ElectionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var routers: [String]
    var expectedDR: UInt8
    var expectedBDR: UInt8
    var testDescription: String { name }

    static func candidate(_ text: String) -> ElectionCandidate {
        let f = text.split(separator: "/").map { UInt8($0)! }
        let address = { (n: UInt8) in n == 0 ? IPv4Address.any : IPv4Address(10, 0, 0, n) }
        return ElectionCandidate(routerID: IPv4Address(f[0], f[0], f[0], f[0]), priority: f[1], address: address(f[0]),
                                 designatedRouter: address(f[2]), backupDesignatedRouter: address(f[3]))
    }
}

let electionCases: [ElectionCase] = [
    ElectionCase(name: "alone, a router elects itself DR and has no BDR",
                 routers: ["1/1/0/0"], expectedDR: 1, expectedBDR: 0),
    ElectionCase(name: "the highest router ID elects itself DR and the next highest BDR (step 4 re-run)",
                 routers: ["3/1/0/0", "1/1/0/0", "2/1/0/0"], expectedDR: 3, expectedBDR: 2),
    ElectionCase(name: "with nobody declared, a lower router sees the best one as both DR and BDR (step 3)",
                 routers: ["1/1/0/0", "3/1/0/0", "2/1/0/0"], expectedDR: 3, expectedBDR: 3),
    ElectionCase(name: "priority beats router ID",
                 routers: ["2/10/0/0", "3/1/0/0", "1/1/0/0"], expectedDR: 2, expectedBDR: 3),
    ElectionCase(name: "equal priority ties to the highest router ID",
                 routers: ["5/7/0/0", "4/7/0/0", "9/1/0/0"], expectedDR: 5, expectedBDR: 4),
    ElectionCase(name: "priority 0 is never elected, even with the highest router ID",
                 routers: ["9/0/0/0", "2/1/0/0", "3/1/0/0"], expectedDR: 3, expectedBDR: 3),
    ElectionCase(name: "priority 0 on the calculating router leaves the others to share the roles",
                 routers: ["9/0/3/2", "2/1/3/2", "3/1/3/2"], expectedDR: 3, expectedBDR: 2),
    ElectionCase(name: "nobody eligible: no DR, no BDR",
                 routers: ["1/0/0/0", "2/0/0/0"], expectedDR: 0, expectedBDR: 0),
    ElectionCase(name: "an existing DR and BDR are not pre-empted by a higher-priority newcomer",
                 routers: ["9/255/0/0", "2/1/2/3", "3/1/2/3"], expectedDR: 2, expectedBDR: 3),
    ElectionCase(name: "an existing DR seen by the BDR stays DR",
                 routers: ["3/1/2/3", "2/1/2/3", "9/255/0/0"], expectedDR: 2, expectedBDR: 3),
    ElectionCase(name: "a newcomer takes the empty BDR role but leaves the DR alone",
                 routers: ["9/1/0/0", "2/1/2/0"], expectedDR: 2, expectedBDR: 9),
    ElectionCase(name: "the BDR is promoted when the DR dies and picks a new BDR",
                 routers: ["3/1/5/3", "2/1/5/3", "1/1/5/3"], expectedDR: 3, expectedBDR: 2),
    ElectionCase(name: "a DROther follows the promoted BDR once it declares itself DR",
                 routers: ["1/1/5/3", "3/1/3/2", "2/1/3/2"], expectedDR: 3, expectedBDR: 2),
    ElectionCase(name: "two routers declaring DR (networks merged): the higher priority keeps it",
                 routers: ["1/1/1/0", "2/5/2/0"], expectedDR: 2, expectedBDR: 1),
    ElectionCase(name: "a DR whose priority fell to 0 gives up the role and the BDR takes it",
                 routers: ["1/0/1/2", "2/1/1/2"], expectedDR: 2, expectedBDR: 2),
    ElectionCase(name: "a router never declares itself both DR and BDR",
                 routers: ["4/1/0/4", "1/1/0/0"], expectedDR: 4, expectedBDR: 1),
]

@Test(arguments: electionCases)
func designatedRouterElection(_ c: ElectionCase) {
    let routers = c.routers.map(ElectionCase.candidate)
    let result = DesignatedRouterElection.elect(calculatingRouter: routers[0], neighbors: Array(routers.dropFirst()))
    let address = { (n: UInt8) in n == 0 ? IPv4Address.any : IPv4Address(10, 0, 0, n) }
    #expect(result.designatedRouter == address(c.expectedDR))
    #expect(result.backupDesignatedRouter == address(c.expectedBDR))
}
