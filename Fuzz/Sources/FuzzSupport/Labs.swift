/// The small labs the config and receive targets work on.
public enum FuzzLabs {
    /// A router and a switch for configuration lines (the fuzz text replaces both configs, and is
    /// also applied to the running lab as a scenario's config event would).
    public static let configTopology = """
        name: fuzz-config
        nodes:
          R1:
            kind: router
            config: |
              interface GigabitEthernet0/0
               ip address 10.1.1.1 255.255.255.0
               no shutdown
              interface Serial0/0
               ip address 10.0.12.1 255.255.255.252
               no shutdown
          R2:
            kind: router
            config: |
              interface Serial0/0
               ip address 10.0.12.2 255.255.255.252
               no shutdown
              ip route 0.0.0.0 0.0.0.0 10.0.12.1
          SW1:
            kind: switch
            config: |
              vlan 10
              interface Gi0/1
               switchport mode trunk
          PC:
            kind: host
            address: 10.1.1.10/24
            gateway: 10.1.1.1
        links:
          - endpoints: [R1:Gi0/0, SW1:Gi0/1]
          - endpoints: [SW1:Gi0/2, PC:Ethernet0]
          - endpoints: [R1:Serial0/0, R2:Serial0/0]
            bandwidth: 256k
        """

    /// Feeder hosts (FEED*) put the fuzzed frame on the wire towards a router's routed port, its
    /// dot1Q trunk, a switch access port and a switch trunk; the switch trunks on to the router.
    ///
    ///     FEED1 ---- Gi0/0 R1 Serial0/0 ==== 256k (LLQ) ==== Serial0/0 R2
    ///     FEED2 ---- Gi0/1 R1 (Gi0/1.10, Gi0/1.20)
    ///     FEED3 ---- Gi0/1 SW1 Gi0/23 ==== trunk ==== Gi0/2 R1 (Gi0/2.10, Gi0/2.20)
    ///     FEED4 ---- Gi0/24 SW1 (trunk)   PC ---- Gi0/2 SW1 (vlan 20)
    public static let receiveTopology = """
        name: fuzz-receive
        nodes:
          FEED1: {kind: host, address: 10.1.1.10/24, gateway: 10.1.1.1}
          FEED2: {kind: host, address: 10.9.9.10/24, gateway: 10.9.9.1}
          FEED3: {kind: host, address: 10.10.10.10/24, gateway: 10.10.10.1}
          FEED4: {kind: host, address: 10.20.20.11/24, gateway: 10.20.20.1}
          PC: {kind: host, address: 10.20.20.10/24, gateway: 10.20.20.1}
          R1:
            kind: router
            config: |
              access-list 101 permit udp any any range 5000 6000
              access-list 102 permit icmp any any
              class-map match-any VOICE
               match dscp ef
              class-map match-all DATA
               match access-group 101
              policy-map LLQ
               class VOICE
                priority 64
                police 64000
               class DATA
                bandwidth 64
                random-detect
               class class-default
                fair-queue
                set dscp af11
              interface GigabitEthernet0/0
               ip address 10.1.1.1 255.255.255.0
               no shutdown
              interface GigabitEthernet0/1
               no shutdown
              interface GigabitEthernet0/1.10
               encapsulation dot1Q 10
               ip address 10.9.9.1 255.255.255.0
              interface GigabitEthernet0/1.20
               encapsulation dot1Q 20 native
               ip address 10.9.20.1 255.255.255.0
              interface GigabitEthernet0/2
               no shutdown
              interface GigabitEthernet0/2.10
               encapsulation dot1Q 10
               ip address 10.10.10.1 255.255.255.0
              interface GigabitEthernet0/2.20
               encapsulation dot1Q 20
               ip address 10.20.20.1 255.255.255.0
              interface Serial0/0
               ip address 10.0.12.1 255.255.255.252
               service-policy output LLQ
               no shutdown
              ip route 10.2.2.0 255.255.255.0 10.0.12.2
          R2:
            kind: router
            config: |
              interface Serial0/0
               ip address 10.0.12.2 255.255.255.252
               no shutdown
              ip route 0.0.0.0 0.0.0.0 10.0.12.1
          SW1:
            kind: switch
            config: |
              vlan 10
              vlan 20
              interface Gi0/1
               switchport mode access
               switchport access vlan 10
              interface Gi0/2
               switchport mode access
               switchport access vlan 20
              interface Gi0/23
               switchport mode trunk
               switchport trunk allowed vlan 10,20
              interface Gi0/24
               switchport mode trunk
        links:
          - endpoints: [FEED1:Ethernet0, R1:Gi0/0]
          - endpoints: [FEED2:Ethernet0, R1:Gi0/1]
          - endpoints: [FEED3:Ethernet0, SW1:Gi0/1]
          - endpoints: [FEED4:Ethernet0, SW1:Gi0/24]
          - endpoints: [PC:Ethernet0, SW1:Gi0/2]
          - endpoints: [SW1:Gi0/23, R1:Gi0/2]
          - endpoints: [R1:Serial0/0, R2:Serial0/0]
            bandwidth: 256k
        """
}
