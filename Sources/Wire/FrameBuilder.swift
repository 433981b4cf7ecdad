/// Writes whole frames into caller-owned buffers for the per-packet path (traffic generators): no allocation.
public enum FrameBuilder {
    /// The shortest Ethernet frame without FCS (IEEE 802.3 §3.2.7: 64 bytes with it).
    public static let minimumFrameLength = 60

    /// `length` raised to the 60-byte minimum a frame is zero-padded to on the wire.
    @inlinable public static func paddedLength(_ length: Int) -> Int { max(length, minimumFrameLength) }

    /// How many zero bytes pad a frame of `length` bytes up to the minimum.
    @inlinable public static func minimumFramePadding(_ length: Int) -> Int { max(0, minimumFrameLength - length) }

    /// Writes an Ethernet + IPv4 + UDP frame whose `payloadLength` payload bytes all equal `fill`, zero-padded
    /// to 60 bytes, and returns its length. Both checksums are computed. `ethernet.etherType` is replaced by
    /// IPv4, `ip.protocolNumber` by UDP and `ip.payloadLength` by the UDP length. `buffer` must hold at least
    /// `paddedLength(ethernet.encodedLength + ip.headerLength + 8 + payloadLength)` bytes.
    @inlinable
    public static func udpFrame(
        into buffer: UnsafeMutableRawBufferPointer, ethernet: EthernetHeader, ip: IPv4Header,
        sourcePort: UInt16, destinationPort: UInt16, payloadLength: Int, fill: UInt8
    ) -> Int {
        var ethernet = ethernet
        ethernet.etherType = .ipv4
        var ip = ip
        ip.protocolNumber = .udp
        ip.payloadLength = UDPHeader.encodedLength + payloadLength
        let udp = UDPHeader(sourcePort: sourcePort, destinationPort: destinationPort, payloadLength: payloadLength)

        let ipOffset = ethernet.encodedLength
        let udpOffset = ipOffset + ip.headerLength
        let payloadOffset = udpOffset + UDPHeader.encodedLength
        let end = payloadOffset + payloadLength
        let frameLength = paddedLength(end)
        let writer = ByteWriter(buffer, length: frameLength)

        ethernet.emit(into: buffer)
        writer.fill(payloadOffset..<end, with: fill)
        // UDP first: its checksum reads the payload; IPv4's covers only its own header.
        udp.emit(into: UnsafeMutableRawBufferPointer(rebasing: buffer[udpOffset...]),
                 source: ip.source, destination: ip.destination)
        ip.emit(into: UnsafeMutableRawBufferPointer(rebasing: buffer[ipOffset...]))
        writer.fill(end..<frameLength, with: 0)
        return frameLength
    }
}
