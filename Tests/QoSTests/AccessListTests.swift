import Engine
@testable import QoS
import Testing
import Wire

@Test func standardListMatchesSourceWithWildcardsFirstMatchWins() {
    let acl = AccessList(name: "1", entries: [
        .standard(.deny, .host(IPv4Address(10, 1, 1, 5))),
        .standard(.permit, .wildcard(IPv4Address(10, 1, 1, 0), bits: IPv4Address(0, 0, 0, 255))),
    ])
    #expect(acl.kind == .standard)
    #expect(!acl.matches(udpKey(5).with(source: IPv4Address(10, 1, 1, 5))))
    #expect(acl.matches(udpKey().with(source: IPv4Address(10, 1, 1, 77))))
    #expect(!acl.matches(udpKey().with(source: IPv4Address(10, 1, 2, 1))))   // implicit deny
    #expect(acl.hits == [1, 1])
    #expect(acl.showLines() == [
        "Standard IP access list 1",
        "    10 deny   10.1.1.5 (1 match)",
        "    20 permit 10.1.1.0, wildcard bits 0.0.0.255 (1 match)",
    ])
}

@Test func extendedListMatchesProtocolPortsAndDSCP() {
    let acl = AccessList(name: "101", entries: [
        AccessListEntry(.permit, .udp, destinationPort: .eq(5001)),
        AccessListEntry(.permit, .tcp, source: .host(IPv4Address(10, 0, 0, 1)),
                        destination: .wildcard(IPv4Address(10, 9, 0, 0), bits: IPv4Address(0, 0, 255, 255)),
                        destinationPort: .range(5000, 5010)),
        AccessListEntry(.deny, .icmp),
        AccessListEntry(.permit, .ip, dscp: DSCP.ef.rawValue),
        AccessListEntry(.permit, .udp, sourcePort: .gt(2000), destinationPort: .neq(53)),
    ])
    var tcp = udpKey(1, port: 5005)
    tcp.ipProtocol = 6
    var icmp = udpKey(1, tos: DSCP.ef.rawValue << 2)
    icmp.ipProtocol = 1
    var ef = udpKey(1, port: 9, tos: DSCP.ef.rawValue << 2)
    ef.ipProtocol = 47
    #expect(acl.matches(udpKey(1, port: 5001)))
    #expect(acl.matches(tcp))
    #expect(!acl.matches(icmp))                                    // deny before the dscp entry
    #expect(acl.matches(ef))
    #expect(!acl.matches(udpKey(1, port: 80)))                      // source port 1001 not gt 2000
    #expect(!acl.matches(PacketKey(isIPv4: false)))
    #expect(acl.hits == [1, 1, 1, 1, 0])
    #expect(acl.showLines() == [
        "Extended IP access list 101",
        "    10 permit udp any any eq 5001 (1 match)",
        "    20 permit tcp host 10.0.0.1 10.9.0.0 0.0.255.255 range 5000 5010 (1 match)",
        "    30 deny icmp any any (1 match)",
        "    40 permit ip any any dscp ef (1 match)",
        "    50 permit udp any gt 2000 any neq domain",
    ])
}

@Test func tableRedefinesListsInPlaceAndPlaceholdersMatchNothing() {
    let table = AccessListTable()
    let early = table.list(named: "VOICE")
    #expect(!early.matches(udpKey()) && table["VOICE"] == nil)
    table.define("VOICE", kind: .extended, [AccessListEntry(.permit, .udp)])
    #expect(early.matches(udpKey()))
    #expect(table.showLines().first == "Extended IP access list VOICE")
    #expect(AccessList.kind(ofNumber: "1300") == .standard && AccessList.kind(ofNumber: "2000") == .extended)
}

extension PacketKey {
    func with(source: IPv4Address) -> PacketKey {
        var k = self
        k.source = source
        return k
    }
}
