import IOSConfig
import Testing

@Test(arguments: [
    ("gi0/1", "GigabitEthernet0/1", "Gi0/1"),
    ("Gig0/1", "GigabitEthernet0/1", "Gi0/1"),
    ("g0/1", "GigabitEthernet0/1", "Gi0/1"),
    ("GigabitEthernet0/1", "GigabitEthernet0/1", "Gi0/1"),
    ("GIGABITETHERNET 0/1", "GigabitEthernet0/1", "Gi0/1"),
    ("e0/0", "Ethernet0/0", "Et0/0"),
    ("Eth0/0", "Ethernet0/0", "Et0/0"),
    ("Ethernet0/0", "Ethernet0/0", "Et0/0"),
    ("fa0/1", "FastEthernet0/1", "Fa0/1"),
    ("f0/1", "FastEthernet0/1", "Fa0/1"),
    ("te1/0/1", "TenGigabitEthernet1/0/1", "Te1/0/1"),
    ("s0/0", "Serial0/0", "Se0/0"),
    ("se0/0/0", "Serial0/0/0", "Se0/0/0"),
    ("lo0", "Loopback0", "Lo0"),
    ("Loopback 100", "Loopback100", "Lo100"),
    ("vlan10", "Vlan10", "Vl10"),
    ("Vlan 10", "Vlan10", "Vl10"),
    ("tu0", "Tunnel0", "Tu0"),
    ("po1", "Port-channel1", "Po1"),
    ("port-channel1.20", "Port-channel1.20", "Po1.20"),
    ("Gi0/0.10", "GigabitEthernet0/0.10", "Gi0/0.10"),
    ("null0", "Null0", "Nu0"),
])
func interfaceSpellingsNormalize(typed: String, canonical: String, short: String) throws {
    let name = try InterfaceName(typed)
    #expect(name.description == canonical)
    #expect(name.shortName == short)
    #expect(try InterfaceName(canonical) == name)
    #expect(try InterfaceName(short) == name)
}

@Test func ambiguousInterfaceTypeNamesTheCandidates() {
    #expect(throws: InterfaceNameError("% Ambiguous interface type \"t\" (Tunnel, TenGigabitEthernet)")) {
        try InterfaceName("t0")
    }
}

@Test(arguments: ["xyz0/1", "0/1", "", "gi", "gi0/", "gi0//1", "gi0/1.2.3", "lo0/1", "vlan0", "vlan4095",
                  "Vlan10.1", "gi0/1/2/3/4", "gi99999999999", "Gi0/-1"])
func malformedInterfaceNamesAreRejected(text: String) {
    #expect(throws: InterfaceNameError.self) { try InterfaceName(text) }
}

@Test func unknownInterfaceTypeSaysSo() {
    #expect(throws: InterfaceNameError("% Invalid interface type \"xyz\"")) { try InterfaceName("xyz0/1") }
}

@Test func interfacesSortByTypeThenNumerically() throws {
    let typed = ["Vlan10", "Gi0/10", "Gi0/2", "Gi0/1.20", "Gi0/1", "Gi0/1.3", "Lo1", "Lo0", "Fa0/1", "Gi1/0",
                 "Vlan2", "Se0/0/0", "Et0/0"]
    let sorted = try typed.map { try InterfaceName($0) }.sorted().map(\.shortName)
    #expect(sorted == ["Lo0", "Lo1", "Et0/0", "Fa0/1", "Gi0/1", "Gi0/1.3", "Gi0/1.20", "Gi0/2", "Gi0/10", "Gi1/0",
                       "Se0/0/0", "Vl2", "Vl10"])
}

@Test func subinterfaceKnowsItsParent() throws {
    let sub = try InterfaceName("Gi0/0.10")
    #expect(sub.isSubinterface)
    #expect(sub.parent == (try InterfaceName("Gi0/0")))
    #expect(try InterfaceName("Gi0/0").parent == nil)
}
