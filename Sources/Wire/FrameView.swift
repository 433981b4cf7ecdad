/// Field reads and in-place edits on raw Ethernet frames for the per-packet path: no parsing into values,
/// no throwing, no allocation. Readers return nil when the frame is too short to hold the field.
public enum FrameView {
    @inlinable
    public static func destination(_ frame: UnsafeRawBufferPointer) -> MACAddress? {
        frame.count >= 6 ? ByteReader(frame).mac(0) : nil
    }

    @inlinable
    public static func source(_ frame: UnsafeRawBufferPointer) -> MACAddress? {
        frame.count >= 12 ? ByteReader(frame).mac(6) : nil
    }

    /// The type after the 802.1Q tag when there is one.
    @inlinable
    public static func etherType(_ frame: UnsafeRawBufferPointer) -> EtherType? {
        guard frame.count >= EthernetHeader.untaggedLength else { return nil }
        let reader = ByteReader(frame)
        let outer = reader.u16(12)
        if outer != EtherType.dot1Q.rawValue { return EtherType(rawValue: outer) }
        return frame.count >= EthernetHeader.taggedLength ? EtherType(rawValue: reader.u16(16)) : nil
    }

    /// The 802.1Q tag, or nil when the frame is untagged or too short.
    @inlinable
    public static func vlanTag(_ frame: UnsafeRawBufferPointer) -> VLANTag? {
        guard frame.count >= EthernetHeader.taggedLength else { return nil }
        let reader = ByteReader(frame)
        guard reader.u16(12) == EtherType.dot1Q.rawValue else { return nil }
        return VLANTag(tagControlInformation: reader.u16(14))
    }

    /// The VLAN ID of the 802.1Q tag, or nil when the frame is untagged or too short.
    @inlinable
    public static func vlanID(_ frame: UnsafeRawBufferPointer) -> UInt16? {
        vlanTag(frame)?.vlanID
    }

    /// Where the Ethernet payload starts: 14, or 18 after a tag; nil when the header is incomplete.
    @inlinable
    public static func payloadOffset(_ frame: UnsafeRawBufferPointer) -> Int? {
        guard frame.count >= EthernetHeader.untaggedLength else { return nil }
        if ByteReader(frame).u16(12) != EtherType.dot1Q.rawValue { return EthernetHeader.untaggedLength }
        return frame.count >= EthernetHeader.taggedLength ? EthernetHeader.taggedLength : nil
    }

    /// The TTL of the IPv4 header at `ipOffset`, or nil when the frame is too short.
    @inlinable
    public static func ttl(_ frame: UnsafeRawBufferPointer, ipOffset: Int) -> UInt8? {
        ipOffset >= 0 && frame.count >= ipOffset + IPv4Header.minimumLength ? ByteReader(frame).u8(ipOffset + 8) : nil
    }

    /// The TOS octet of the IPv4 header at `ipOffset`, or nil when the frame is too short.
    @inlinable
    public static func tos(_ frame: UnsafeRawBufferPointer, ipOffset: Int) -> UInt8? {
        ipOffset >= 0 && frame.count >= ipOffset + IPv4Header.minimumLength ? ByteReader(frame).u8(ipOffset + 1) : nil
    }

    /// Decrements the TTL of the (already parsed) IPv4 header at `ipOffset` and patches its checksum
    /// incrementally (RFC 1624 eqn. 3, RFC 1812 §5.3.1). The TTL must be nonzero: the caller drops a
    /// datagram whose TTL would reach zero before forwarding it.
    @inlinable
    public static func decrementTTL(_ buffer: UnsafeMutableRawBufferPointer, ipOffset: Int) {
        let reader = ByteReader(UnsafeRawBufferPointer(buffer))
        let writer = ByteWriter(buffer, length: ipOffset + IPv4Header.minimumLength)
        // TTL and Protocol share the header's fifth 16-bit word.
        let old = reader.u16(ipOffset + 8)
        precondition(old >> 8 != 0, "decrementTTL on TTL 0")
        let new = old &- 0x100
        writer.u16(ipOffset + 8, new)
        writer.u16(ipOffset + 10, InternetChecksum.updated(reader.u16(ipOffset + 10), replacing: old, with: new))
    }

    /// Rewrites the TOS octet (DSCP and ECN) of the IPv4 header at `ipOffset` and patches its checksum
    /// incrementally (RFC 1624 eqn. 3).
    @inlinable
    public static func setTOS(_ buffer: UnsafeMutableRawBufferPointer, ipOffset: Int, tos: UInt8) {
        let reader = ByteReader(UnsafeRawBufferPointer(buffer))
        let writer = ByteWriter(buffer, length: ipOffset + IPv4Header.minimumLength)
        // Version/IHL and TOS share the header's first 16-bit word.
        let old = reader.u16(ipOffset)
        let new = old & 0xFF00 | UInt16(tos)
        guard new != old else { return }
        writer.u16(ipOffset, new)
        writer.u16(ipOffset + 10, InternetChecksum.updated(reader.u16(ipOffset + 10), replacing: old, with: new))
    }

    /// The fields of the IPv4 header at `ipOffset` an IGMP-snooping switch reads (RFC 4541 §2.1): protocol,
    /// source, destination, header length and total length; nil when the frame is too short or not IPv4.
    @inlinable
    public static func ipv4Summary(_ frame: UnsafeRawBufferPointer, ipOffset: Int)
        -> (protocolNumber: UInt8, source: IPv4Address, destination: IPv4Address, headerLength: Int, totalLength: Int)? {
        guard ipOffset >= 0, frame.count >= ipOffset + IPv4Header.minimumLength else { return nil }
        let reader = ByteReader(frame)
        let first = reader.u8(ipOffset)
        guard first >> 4 == 4 else { return nil }
        let headerLength = Int(first & 0x0F) * 4
        let totalLength = Int(reader.u16(ipOffset + 2))
        guard headerLength >= IPv4Header.minimumLength, totalLength >= headerLength,
              frame.count >= ipOffset + totalLength else { return nil }
        return (reader.u8(ipOffset + 9), IPv4Address(rawValue: reader.u32(ipOffset + 12)),
                IPv4Address(rawValue: reader.u32(ipOffset + 16)), headerLength, totalLength)
    }
}
