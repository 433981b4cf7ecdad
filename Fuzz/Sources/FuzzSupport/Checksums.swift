import Wire

extension FuzzSupport {
    /// A copy of an Ethernet frame with its IPv4 header checksum, and its ICMP or UDP checksum, made
    /// right, so the fuzzer gets past the checksum checks into the code behind them.
    public static func withFixedChecksums(_ frame: [UInt8]) -> [UInt8] {
        var bytes = frame
        guard bytes.count >= 14 else { return bytes }
        var ip = 14
        if bytes[12] == 0x81 && bytes[13] == 0x00 { ip = 18 }
        guard bytes.count >= ip + 20, bytes[ip - 2] == 0x08, bytes[ip - 1] == 0x00 else { return bytes }
        let headerLength = Int(bytes[ip] & 0x0F) * 4
        guard headerLength >= 20, bytes.count >= ip + headerLength else { return bytes }
        func put(_ offset: Int, _ value: UInt16) {
            bytes[offset] = UInt8(value >> 8)
            bytes[offset + 1] = UInt8(truncatingIfNeeded: value)
        }
        put(ip + 10, 0)
        put(ip + 10, bytes[ip..<ip + headerLength].withUnsafeBytes { InternetChecksum.checksum($0) })
        let totalLength = Int(bytes[ip + 2]) << 8 | Int(bytes[ip + 3])
        let end = min(bytes.count, ip + max(totalLength, headerLength))
        let payload = ip + headerLength
        switch bytes[ip + 9] {
        case 1 where end >= payload + 4:
            put(payload + 2, 0)
            put(payload + 2, bytes[payload..<end].withUnsafeBytes { InternetChecksum.checksum($0) })
        case 2 where end >= payload + 8:
            bytes.replaceSubrange(payload..<end, with: withFixedIGMPChecksum(Array(bytes[payload..<end])))
        case 103 where end >= payload + 4:
            bytes.replaceSubrange(payload..<end, with: withFixedPIMChecksum(Array(bytes[payload..<end])))
        case 89 where end >= payload + 24:
            bytes.replaceSubrange(payload..<end, with: withFixedOSPFChecksums(Array(bytes[payload..<end])))
        case 17 where end >= payload + 8:
            let length = Int(bytes[payload + 4]) << 8 | Int(bytes[payload + 5])
            guard length >= 8, payload + length <= end else { break }
            func address(_ at: Int) -> IPv4Address { IPv4Address(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]) }
            let pseudo = InternetChecksum.pseudoHeaderSum(source: address(ip + 12), destination: address(ip + 16),
                                                          protocol: .udp, length: length)
            put(payload + 6, 0)
            let sum = bytes[payload..<payload + length].withUnsafeBytes { InternetChecksum.checksum($0, initial: pseudo) }
            put(payload + 6, sum == 0 ? 0xFFFF : sum)
        default:
            break
        }
        return bytes
    }

    /// A copy of a PIM message with its checksum made right: over the first 8 bytes of a Register (RFC 7761
    /// §4.9.3), over the whole message otherwise.
    public static func withFixedPIMChecksum(_ message: [UInt8]) -> [UInt8] {
        var bytes = message
        guard bytes.count >= 4 else { return bytes }
        bytes[2] = 0
        bytes[3] = 0
        let covered = bytes[0] & 0x0F == PIMMessage.MessageType.register ? min(8, bytes.count) : bytes.count
        let checksum = bytes[0..<covered].withUnsafeBytes { InternetChecksum.checksum($0) }
        bytes[2] = UInt8(checksum >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: checksum)
        return bytes
    }

    /// A copy of an IGMP message (RFC 2236 §2) with its checksum, over the whole message, made right.
    public static func withFixedIGMPChecksum(_ message: [UInt8]) -> [UInt8] {
        var bytes = message
        guard bytes.count >= 8 else { return bytes }
        bytes[2] = 0
        bytes[3] = 0
        let checksum = InternetChecksum.checksum(bytes)
        bytes[2] = UInt8(checksum >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: checksum)
        return bytes
    }

    /// A copy of an OSPF packet (RFC 2328 A.3.1) with the Fletcher checksum of each LSA of a Link State
    /// Update and then the packet checksum (over all but the authentication field, D.4.3) made right.
    public static func withFixedOSPFChecksums(_ packet: [UInt8]) -> [UInt8] {
        var bytes = packet
        guard bytes.count >= 24 else { return bytes }
        let length = min(bytes.count, Int(bytes[2]) << 8 | Int(bytes[3]))
        guard length >= 24 else { return bytes }
        if bytes[1] == 4 {
            var offset = 28
            while offset + 20 <= length {
                let lsaLength = Int(bytes[offset + 18]) << 8 | Int(bytes[offset + 19])
                guard lsaLength >= 20, offset + lsaLength <= length else { break }
                bytes.replaceSubrange(offset..<offset + lsaLength, with: withFixedLSAChecksum(Array(bytes[offset..<offset + lsaLength])))
                offset += lsaLength
            }
        }
        bytes[12] = 0
        bytes[13] = 0
        let sum = bytes[0..<16].withUnsafeBytes { head in
            bytes[24..<length].withUnsafeBytes { InternetChecksum.sum(head, initial: InternetChecksum.sum($0)) }
        }
        let checksum = ~InternetChecksum.fold(sum)
        bytes[12] = UInt8(checksum >> 8)
        bytes[13] = UInt8(truncatingIfNeeded: checksum)
        return bytes
    }

    /// A copy of an LSA with its Fletcher checksum (RFC 2328 §12.1.7) made right over the length it gives.
    public static func withFixedLSAChecksum(_ lsa: [UInt8]) -> [UInt8] {
        var bytes = lsa
        guard bytes.count >= 20 else { return bytes }
        let length = min(bytes.count, max(20, Int(bytes[18]) << 8 | Int(bytes[19])))
        let checksum = bytes[0..<length].withUnsafeBytes { Fletcher.lsaChecksum($0) }
        bytes[Fletcher.checksumOffset] = UInt8(checksum >> 8)
        bytes[Fletcher.checksumOffset + 1] = UInt8(truncatingIfNeeded: checksum)
        return bytes
    }
}
