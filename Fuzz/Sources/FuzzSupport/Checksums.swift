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
}
