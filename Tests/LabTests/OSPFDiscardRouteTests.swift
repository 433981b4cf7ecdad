import Foundation
@testable import Lab
import Testing

/// IOS's discard routes on the area lab of `OSPFAreaLabTests`: R2, an ABR, with `area 1 range 10.0.0.0
/// 255.255.0.0`, and R1, an ASBR, with `summary-address 172.16.0.0 255.255.0.0` over its redistributed Loopback1.
extension OSPFAreaLabTests {
    static func withSummaries(_ extra: String = "") -> String {
        topology(area2: "area 2 stub\n       area 1 range 10.0.0.0 255.255.0.0\(extra)")
            .replacingOccurrences(of: "   redistribute connected subnets\n",
                                  with: "   redistribute connected subnets\n       summary-address 172.16.0.0 255.255.0.0\(extra)\n")
    }

    @Test func anAreaRangeAndASummaryAddressInstallTheirNull0Routes() throws {
        let lab = try lab(Self.withSummaries())
        let r2 = try routes(lab, "R2")
        #expect(r2.contains("O        10.0.0.0/16 is a summary, "), "\(r2)")
        #expect(r2.split(separator: "\n").contains { $0.hasPrefix("O        10.0.0.0/16 is a summary, ") && $0.hasSuffix(", Null0") })
        let r1 = try routes(lab, "R1")
        #expect(r1.split(separator: "\n").contains { $0.hasPrefix("O        172.16.0.0/16 is a summary, ") && $0.hasSuffix(", Null0") },
                "\(r1)")
        // Elsewhere the summaries are ordinary routes towards their originators.
        #expect(try routes(lab, "R3").contains("O IA     10.0.0.0/16 [110/128] via 10.0.23.1"))
        #expect(try !routes(lab, "R3").contains("Null0"))
    }

    @Test func noDiscardRouteTurnsThemOff() throws {
        let lab = try lab(Self.withSummaries("\n       no discard-route internal\n       no discard-route external"))
        #expect(try !routes(lab, "R2").contains("10.0.0.0/16 is a summary"))
        #expect(try !routes(lab, "R1").contains("172.16.0.0/16 is a summary"))
        #expect(try lab.show(device: "R2", command: "show running-config").contains(" no discard-route internal\n"))
    }
}
