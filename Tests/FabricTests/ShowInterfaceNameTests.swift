@testable import Fabric
import IOSConfig
import Testing

@Test(arguments: [
    ("GigabitEthernet0/1", "Gi0/1"), ("FastEthernet0/24", "Fa0/24"), ("Ethernet0/0", "Et0/0"), ("Serial0/0/1", "Se0/0/1"),
    ("Loopback0", "Lo0"), ("Vlan10", "Vl10"), ("TenGigabitEthernet1/1", "Te1/1"), ("Port-channel1", "Po1"),
    ("GigabitEthernet0/0.10", "Gi0/0.10"), ("Tunnel0", "Tu0"), ("Null0", "Nu0"),
])
func interfaceNamesShortenAsIOSPrintsThem(long: String, short: String) {
    #expect(InterfaceName.short(long) == short)
}

@Test func interfacesSortByNumberWithSubinterfacesAfterTheirParentAndVirtualOnesLast() {
    let names = ["Loopback0", "GigabitEthernet0/10", "GigabitEthernet0/0.20", "GigabitEthernet0/2", "Serial0/0",
                 "GigabitEthernet0/0", "GigabitEthernet0/0.10"]
    #expect(names.sorted(by: InterfaceName.less) == [
        "GigabitEthernet0/0", "GigabitEthernet0/0.10", "GigabitEthernet0/0.20", "GigabitEthernet0/2",
        "GigabitEthernet0/10", "Serial0/0", "Loopback0",
    ])
}

@Test func shortAndLongNamesBothMatchAnInterface() {
    #expect(InterfaceName.matches("gi0/1", "GigabitEthernet0/1"))
    #expect(InterfaceName.matches("GigabitEthernet0/1", "GigabitEthernet0/1"))
    #expect(!InterfaceName.matches("Gi0/10", "GigabitEthernet0/1"))
}
