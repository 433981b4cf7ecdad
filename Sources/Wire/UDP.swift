/// A UDP header (RFC 768). Length and checksum are computed on emit and checked on parse.
public struct UDPHeader: Hashable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// UDP length − 8.
    public var payloadLength: Int

    public static let encodedLength = 8

    @inlinable
    public init(sourcePort: UInt16, destinationPort: UInt16, payloadLength: Int) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.payloadLength = payloadLength
    }

    /// Header plus payload: the Length field.
    @inlinable public var length: Int { Self.encodedLength + payloadLength }

    /// Parses the header at the start of `bytes` (header + payload, exactly the UDP length); verifies the
    /// checksum (RFC 768 pseudo-header) when it is nonzero.
    ///
    /// Bytes beyond the Length field are ignored, as Linux trims them; a Length beyond `bytes` is truncation.
    @inlinable
    public init(parsing bytes: UnsafeRawBufferPointer, source: IPv4Address, destination: IPv4Address)
        throws(WireError)
    {
        let reader = ByteReader(bytes)
        try reader.require(Self.encodedLength)
        let length = Int(reader.u16(4))
        guard length >= Self.encodedLength else { throw Self.badLength(length) }
        try reader.require(length)
        // RFC 768: an all-zero checksum means the sender computed none.
        if reader.u16(6) != 0 {
            let pseudo = InternetChecksum.pseudoHeaderSum(
                source: source, destination: destination, protocol: .udp, length: length)
            guard InternetChecksum.checksum(reader.slice(0..<length), initial: pseudo) == 0 else { throw .badChecksum }
        }
        sourcePort = reader.u16(0)
        destinationPort = reader.u16(2)
        payloadLength = length - Self.encodedLength
    }

    @usableFromInline static func badLength(_ length: Int) -> WireError { .malformed("UDP length \(length) below 8") }

    /// Writes the header into buffer[0..<8]; the payload must already be in buffer[8..<8+payloadLength];
    /// computes the checksum (a computed 0 is sent as 0xFFFF, RFC 768).
    @inlinable
    public func emit(into buffer: UnsafeMutableRawBufferPointer, source: IPv4Address, destination: IPv4Address) {
        let length = self.length
        precondition(payloadLength >= 0 && length <= 0xFFFF, "UDP length \(length) out of range")
        let writer = ByteWriter(buffer, length: length)
        writer.u16(0, sourcePort)
        writer.u16(2, destinationPort)
        writer.u16(4, UInt16(length))
        writer.u16(6, 0)
        let pseudo = InternetChecksum.pseudoHeaderSum(
            source: source, destination: destination, protocol: .udp, length: length)
        let checksum = InternetChecksum.checksum(writer.slice(0..<length), initial: pseudo)
        writer.u16(6, checksum == 0 ? 0xFFFF : checksum)
    }
}
