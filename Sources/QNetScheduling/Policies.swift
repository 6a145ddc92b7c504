import QNetCore

/// A stored link-level pair as the policies see it: one of this node's qubits, entangled with a
/// partner elsewhere along the request's path.
public struct StoredLink: Sendable, Equatable {
    public var qubit: QubitID
    /// When the link's entanglement was heralded at the station.
    public var created: VTime
    /// Path position of the partner (0 = the request's first node).
    public var partnerPosition: Int

    public init(qubit: QubitID, created: VTime, partnerPosition: Int) {
        self.qubit = qubit
        self.created = created
        self.partnerPosition = partnerPosition
    }
}

/// Decides when an intermediate node swaps the two links it holds (DESIGN §6).
/// Implementations are pure; the node runtime asks and carries out the answer.
public protocol SwapPolicy: Sendable {
    /// Whether to swap `left` and `right` now.
    func shouldSwap(left: StoredLink, right: StoredLink, at now: VTime) -> Bool
}

/// Swap as soon as both links are there (swap-ASAP).
public struct SwapASAP: SwapPolicy {
    public init() {}
    public func shouldSwap(left: StoredLink, right: StoredLink, at now: VTime) -> Bool { true }
}

/// Decides when a stored link is too old to keep (DESIGN §6: memory cutoff).
public protocol CutoffPolicy: Sendable {
    /// The time at which `link` is discarded if it has not been used, or nil for never.
    func expiry(of link: StoredLink) -> VTime?
}

/// Keep stored links until they are used.
public struct NoCutoff: CutoffPolicy {
    public init() {}
    public func expiry(of link: StoredLink) -> VTime? { nil }
}

/// Discard a stored link `age` after it was created.
public struct FixedCutoff: CutoffPolicy {
    public let age: VDuration
    public init(age: VDuration) { self.age = age }
    public func expiry(of link: StoredLink) -> VTime? { link.created.saturatingAdding(age) }
}
