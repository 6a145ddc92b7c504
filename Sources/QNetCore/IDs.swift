/// Typed identifiers: a node id is never mistaken for a qubit id.

/// A quantum-network node (one process), by its index in the scenario.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "node#\(rawValue)" }
}

/// A qubit: unique across a run. The high 32 bits are the home node, the low 32 bits a per-node
/// counter, so any node can mint ids without coordination.
public struct QubitID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    @inlinable public init(home: NodeID, index: UInt32) {
        self.rawValue = UInt64(home.rawValue) << 32 | UInt64(index)
    }
    /// The node whose memory holds this qubit.
    @inlinable public var home: NodeID { NodeID(UInt32(truncatingIfNeeded: rawValue >> 32)) }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "q\(rawValue >> 32).\(rawValue & 0xffff_ffff)" }
}

/// A group of entangled qubits held as one density matrix. Unique across a run (same layout as ``QubitID``).
public struct GroupID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "g\(rawValue)" }
}

/// An application request for entanglement, by its index in the scenario.
public struct RequestID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "request#\(rawValue)" }
}

/// A heralded link (two nodes and the station between them), by its index in the scenario.
public struct LinkID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "link#\(rawValue)" }
}
