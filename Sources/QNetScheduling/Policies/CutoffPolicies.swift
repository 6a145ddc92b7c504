import QNetCore

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

/// Discard a stored link `age` after it was created (a fixed memory cutoff; Iñesta, Vardoyan,
/// Scavuzzo & Wehner, "Optimal entanglement distribution policies in homogeneous repeater
/// chains with cutoffs", npj Quantum Information 9, 46, 2023).
public struct FixedCutoff: CutoffPolicy {
    public let age: VDuration
    public init(age: VDuration) { self.age = age }
    public func expiry(of link: StoredLink) -> VTime? { link.created.saturatingAdding(age) }
}
