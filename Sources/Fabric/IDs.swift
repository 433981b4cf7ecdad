/// Index of a device (router, switch or host) in its network.
public struct NodeID: Hashable, Comparable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public init(_ index: Int) { rawValue = UInt32(index) }
    @inlinable public var index: Int { Int(rawValue) }
    @inlinable public static func < (a: NodeID, b: NodeID) -> Bool { a.rawValue < b.rawValue }
}

/// Index of a physical port (an interface that can attach to a link) in its network.
public struct PortID: Hashable, Comparable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public init(_ index: Int) { rawValue = UInt32(index) }
    @inlinable public var index: Int { Int(rawValue) }
    @inlinable public static func < (a: PortID, b: PortID) -> Bool { a.rawValue < b.rawValue }
}

/// Index of a point-to-point link between two ports.
public struct LinkID: Hashable, Comparable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public init(_ index: Int) { rawValue = UInt32(index) }
    @inlinable public var index: Int { Int(rawValue) }
    @inlinable public static func < (a: LinkID, b: LinkID) -> Bool { a.rawValue < b.rawValue }
}

/// Names a frame buffer in the network's `FramePool`.
public struct FrameHandle: Hashable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public var index: Int { Int(rawValue) }
}

/// Index of a traffic flow of the scenario.
public struct FlowID: Hashable, Comparable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public var index: Int { Int(rawValue) }
    @inlinable public static func < (a: FlowID, b: FlowID) -> Bool { a.rawValue < b.rawValue }
}
