import QNetCore

/// Decides when a stored link is too old to keep (DESIGN §6: memory cutoff).
public protocol CutoffPolicy: Sendable {
    /// The time at which `link` is discarded if it has not been used, or nil for never.
    func expiry(of link: StoredLink) -> VTime?
    /// The time at which `link`, just extended by a swap elsewhere, is discarded if it has not
    /// been used, or nil for no new deadline (an earlier one still holds).
    func expiry(ofExtended link: StoredLink) -> VTime?
}

extension CutoffPolicy {
    /// By default an extension sets no new deadline.
    public func expiry(ofExtended link: StoredLink) -> VTime? { nil }
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

/// An end-to-end time budget per delivery: discard a stored pair once the oldest link-level pair
/// it is made of is `budget` old, so that no delivered pair holds a link older than that (the
/// end-to-end cutoff against the per-link one in Iñesta, Vardoyan, Scavuzzo & Wehner, npj
/// Quantum Information 9, 46, 2023; Kamin, Shchukin, Schmidt & van Loock, PRR 5, 023086,
/// 2023, for cutoffs on the whole chain). A swap elsewhere can join the pair to an older
/// segment, so the deadline is set again, earlier, when the pair is extended.
public struct BudgetCutoff: CutoffPolicy {
    public let budget: VDuration
    public init(budget: VDuration) { self.budget = budget }
    public func expiry(of link: StoredLink) -> VTime? { link.oldest.saturatingAdding(budget) }
    public func expiry(ofExtended link: StoredLink) -> VTime? { expiry(of: link) }
}
