/// Windows Network Load Balancing (NLB): the cluster MAC formats and the filtering hash.
/// ios-behavior §10.2: for cluster IP W.X.Y.Z the unicast cluster MAC is 02-BF-WW-XX-YY-ZZ, a
/// unicast member's frames leave with 02-<host priority>-WW-XX-YY-ZZ (MaskSourceMAC), multicast
/// mode adds 03-BF-WW-XX-YY-ZZ and IGMP multicast mode uses the RFC 1112 §6.4 MAC of 239.255.Y.Z.
public enum NLBMode: String, Sendable, CaseIterable {
    case unicast
    case multicast
    case igmpMulticast = "igmp-multicast"
}

/// Which part of the client picks the member: `single` the client's IP, `none` its IP and port.
public enum NLBAffinity: String, Sendable, CaseIterable {
    case single
    case none
}

public enum NLB {
    /// The number of load buckets a cluster's traffic is hashed into.
    public static let bucketCount = 60
    /// NLB heartbeats' EtherType (not yet sent by the emulator).
    public static let heartbeatEtherType: UInt16 = 0x886F

    /// Unicast mode's cluster MAC 02-BF-WW-XX-YY-ZZ.
    public static func unicastMAC(_ cluster: IPv4Address) -> MACAddress {
        MACAddress(rawValue: 0x02BF_0000_0000 | UInt64(cluster.rawValue))
    }

    /// The masked source MAC 02-hh-WW-XX-YY-ZZ a unicast member sends with (hh = host priority).
    public static func maskedSourceMAC(_ cluster: IPv4Address, priority: Int) -> MACAddress {
        MACAddress(rawValue: 0x0200_0000_0000 | UInt64(UInt8(truncatingIfNeeded: priority)) << 32 | UInt64(cluster.rawValue))
    }

    /// Multicast mode's cluster MAC 03-BF-WW-XX-YY-ZZ.
    public static func multicastMAC(_ cluster: IPv4Address) -> MACAddress {
        MACAddress(rawValue: 0x03BF_0000_0000 | UInt64(cluster.rawValue))
    }

    /// IGMP multicast mode's group 239.255.Y.Z.
    public static func igmpGroup(_ cluster: IPv4Address) -> IPv4Address {
        IPv4Address(rawValue: 0xEFFF_0000 | cluster.rawValue & 0xFFFF)
    }

    /// IGMP multicast mode's cluster MAC 01-00-5E-7F-YY-ZZ (the group's RFC 1112 §6.4 MAC).
    public static func igmpMAC(_ cluster: IPv4Address) -> MACAddress {
        MACAddress.multicast(for: igmpGroup(cluster))
    }

    /// The MAC the cluster IP resolves to (ARP replies for it carry this).
    public static func clusterMAC(_ cluster: IPv4Address, mode: NLBMode) -> MACAddress {
        switch mode {
        case .unicast: return unicastMAC(cluster)
        case .multicast: return multicastMAC(cluster)
        case .igmpMulticast: return igmpMAC(cluster)
        }
    }

    /// The load bucket (0..<60) of a client: a deterministic mix of its address (and, without
    /// affinity, its port), the same on every member so exactly one of them takes the packet.
    @inlinable
    public static func bucket(client: IPv4Address, port: UInt16, affinity: NLBAffinity) -> Int {
        var x = UInt64(client.rawValue)
        if affinity == .none { x = x << 16 | UInt64(port) }
        // SplitMix64's finaliser: every input bit reaches every output bit.
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return Int(x % UInt64(bucketCount))
    }

    /// The priority of the member owning `bucket`: buckets go round-robin to the live members
    /// sorted by priority (`priorities` ascending, not empty).
    @inlinable
    public static func owner(of bucket: Int, priorities: [Int]) -> Int {
        priorities[bucket % priorities.count]
    }
}
