import Testing
import Wire

/// Windows NLB MAC formats (ios-behavior §10.2) and the filtering hash.
@Suite struct NLBTests {
    let cluster = IPv4Address(10, 1, 1, 100)

    @Test func unicastModeUsesTwoBFAndTheMaskedSourceCarriesThePriority() {
        #expect(NLB.unicastMAC(cluster) == MACAddress("02-BF-0A-01-01-64"))
        #expect(NLB.maskedSourceMAC(cluster, priority: 1) == MACAddress("02-01-0A-01-01-64"))
        #expect(NLB.maskedSourceMAC(cluster, priority: 32) == MACAddress("02-20-0A-01-01-64"))
        #expect(NLB.unicastMAC(cluster).isUnicast)
    }

    @Test func multicastModeUsesThreeBF() {
        // tech-wiki's worked example: 199.99.20.70 → 03-bf-c7-63-14-46.
        #expect(NLB.multicastMAC(IPv4Address(199, 99, 20, 70)) == MACAddress("03-bf-c7-63-14-46"))
        #expect(NLB.multicastMAC(cluster).isMulticast)
    }

    @Test func igmpModeUsesGroup239_255_YZAndItsRFC1112MAC() {
        #expect(NLB.igmpGroup(cluster) == IPv4Address(239, 255, 1, 100))
        #expect(NLB.igmpMAC(cluster) == MACAddress("01-00-5E-7F-01-64"))
        #expect(NLB.clusterMAC(cluster, mode: .igmpMulticast) == NLB.igmpMAC(cluster))
        #expect(NLB.clusterMAC(cluster, mode: .unicast) == NLB.unicastMAC(cluster))
    }

    @Test func theSameClientAlwaysLandsInTheSameBucket() {
        let client = IPv4Address(10, 1, 1, 21)
        let b = NLB.bucket(client: client, port: 1000, affinity: .single)
        #expect((0..<NLB.bucketCount).contains(b))
        #expect(NLB.bucket(client: client, port: 2000, affinity: .single) == b)  // single affinity ignores the port
    }

    @Test func clientsSpreadOverTheMembers() {
        let members = [1, 2, 3]
        var counts = [Int: Int]()
        for host in 1...200 {
            let b = NLB.bucket(client: IPv4Address(10, 2, UInt8(host / 250), UInt8(host % 250)), port: 0, affinity: .single)
            counts[NLB.owner(of: b, priorities: members), default: 0] += 1
        }
        for m in members { #expect((counts[m] ?? 0) > 40, "member \(m) got \(counts[m] ?? 0) of 200 clients") }
    }

    @Test func withoutAffinityOneClientsPortsSpreadOverTheMembers() {
        let client = IPv4Address(10, 1, 1, 21)
        let owners = Set((1000..<1100).map { NLB.owner(of: NLB.bucket(client: client, port: UInt16($0), affinity: .none), priorities: [1, 2]) })
        #expect(owners == [1, 2])
    }
}
