// Array conveniences for tests, traces and the control plane. They allocate; the per-packet path uses
// `init(parsing:)` and `emit(into:)` on buffers it owns.

@usableFromInline
func parseArray<T>(_ bytes: [UInt8], _ parse: (UnsafeRawBufferPointer) throws(WireError) -> T) throws(WireError) -> T {
    // Array.withUnsafeBytes only rethrows untyped errors, so carry the typed result out by hand.
    let result: Result<T, WireError> = bytes.withUnsafeBytes { raw in
        do throws(WireError) { return .success(try parse(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}

@usableFromInline
func emitArray(count: Int, junk: UInt8, _ emit: (UnsafeMutableRawBufferPointer) -> Void) -> [UInt8] {
    var bytes = [UInt8](repeating: junk, count: count)
    bytes.withUnsafeMutableBytes { emit($0) }
    return bytes
}

extension EthernetHeader {
    public init(bytes: [UInt8]) throws(WireError) { self = try parseArray(bytes) { raw throws(WireError) in try Self(parsing: raw) } }

    /// The emitted header, written over a buffer first filled with `junk`.
    public func bytes(prefilledWith junk: UInt8 = 0) -> [UInt8] {
        emitArray(count: encodedLength, junk: junk) { emit(into: $0) }
    }
}

extension ARPPacket {
    public init(bytes: [UInt8]) throws(WireError) { self = try parseArray(bytes) { raw throws(WireError) in try Self(parsing: raw) } }

    public func bytes(prefilledWith junk: UInt8 = 0) -> [UInt8] {
        emitArray(count: Self.encodedLength, junk: junk) { emit(into: $0) }
    }
}

extension IPv4Header {
    /// Parses a whole datagram's bytes (the header needs its payload present to check Total Length).
    public init(bytes: [UInt8]) throws(WireError) { self = try parseArray(bytes) { raw throws(WireError) in try Self(parsing: raw) } }

    /// The emitted header alone (`headerLength` bytes).
    public func bytes(prefilledWith junk: UInt8 = 0) -> [UInt8] {
        emitArray(count: encodedLength, junk: junk) { emit(into: $0) }
    }

    /// The header followed by `payload`, whose count sets `payloadLength`.
    public func datagram(payload: [UInt8], prefilledWith junk: UInt8 = 0) -> [UInt8] {
        var header = self
        header.payloadLength = payload.count
        return header.bytes(prefilledWith: junk) + payload
    }
}

extension ICMPMessage {
    public init(bytes: [UInt8]) throws(WireError) { self = try parseArray(bytes) { raw throws(WireError) in try Self(parsing: raw) } }

    public func bytes(prefilledWith junk: UInt8 = 0) -> [UInt8] {
        emitArray(count: encodedLength, junk: junk) { emit(into: $0) }
    }
}

extension UDPHeader {
    /// Parses a whole UDP datagram (header + payload).
    public init(bytes: [UInt8], source: IPv4Address, destination: IPv4Address) throws(WireError) {
        self = try parseArray(bytes) { raw throws(WireError) in try Self(parsing: raw, source: source, destination: destination) }
    }

    /// The whole datagram: the header emitted over `junk`, then `payload` (its count must be `payloadLength`).
    public func bytes(
        source: IPv4Address, destination: IPv4Address, payload: [UInt8] = [], prefilledWith junk: UInt8 = 0
    ) -> [UInt8] {
        precondition(payload.count == payloadLength, "payload of \(payload.count) bytes, header says \(payloadLength)")
        var bytes = [UInt8](repeating: junk, count: Self.encodedLength) + payload
        bytes.withUnsafeMutableBytes { emit(into: $0, source: source, destination: destination) }
        return bytes
    }
}

extension LSA {
    public init(bytes: [UInt8]) throws(WireError) { self = try parseArray(bytes) { raw throws(WireError) in try Self(parsing: raw) } }

    public func bytes(prefilledWith junk: UInt8 = 0) -> [UInt8] {
        emitArray(count: encodedLength, junk: junk) { emit(into: $0) }
    }
}

extension OSPFPacket {
    public init(bytes: [UInt8]) throws(WireError) { self = try parseArray(bytes) { raw throws(WireError) in try Self(parsing: raw) } }

    /// With `md5Key`, a type 2 packet carries the digest that key gives (RFC 2328 D.4.3).
    public func bytes(prefilledWith junk: UInt8 = 0, md5Key: [UInt8]? = nil) -> [UInt8] {
        emitArray(count: encodedLength, junk: junk) { emit(into: $0, md5Key: md5Key) }
    }
}

extension IGMPMessage {
    public init(bytes: [UInt8]) throws(WireError) { self = try parseArray(bytes) { raw throws(WireError) in try Self(parsing: raw) } }

    public func bytes(prefilledWith junk: UInt8 = 0) -> [UInt8] {
        emitArray(count: encodedLength, junk: junk) { emit(into: $0) }
    }

    /// A whole Ethernet frame carrying `message` as a host or router sends it: to the RFC 1112 MAC of its
    /// destination, under `ipv4Header(source:)`, zero-padded to 60 bytes.
    public static func frame(_ message: IGMPMessage, source: IPv4Address, sourceMAC: MACAddress) -> [UInt8] {
        let ip = message.ipv4Header(source: source)
        let ethernet = EthernetHeader(destination: .multicast(for: ip.destination), source: sourceMAC, etherType: .ipv4)
        let bytes = ethernet.bytes() + ip.bytes() + message.bytes()
        return bytes + [UInt8](repeating: 0, count: FrameBuilder.minimumFramePadding(bytes.count))
    }
}
