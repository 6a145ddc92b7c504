import QNetCore

/// Link generation over shared memory qubits (DESIGN §6): which link a free qubit attempts on.
public protocol LinkGenerationPolicy: Sendable {
    /// The link to give one free qubit to, or nil to keep it free.
    mutating func next(_ view: NodeView) -> LinkID?
}

extension LinkGenerationPolicy {
    /// The links that some request wants pairs on and that have room under their qubit limit.
    static func wanted(_ view: NodeView) -> [LinkID: LinkDemand] {
        view.links.filter { !$0.value.requests.isEmpty && $0.value.attempting + $0.value.stored < $0.value.limit }
    }

    /// The first (by id) of `wanted` where a stored pair waits for its swap partner with no qubit
    /// attempting for it yet: it goes first under every policy (no local deadlock).
    static func awaited(_ wanted: [LinkID: LinkDemand]) -> LinkID? {
        wanted.sorted(by: { $0.key < $1.key }).first(where: { $0.value.needed.count > $0.value.attempting })?.key
    }
}

/// Round robin over the links that want pairs and have room under their qubit limit, the links
/// with the fewest qubits in use first; a link
/// where a stored pair waits for its swap partner goes first, so a node never fills its memory
/// with pairs that all wait for one another (no local deadlock).
public struct RoundRobinLinks: LinkGenerationPolicy {
    var last: LinkID?
    public init() {}

    public mutating func next(_ view: NodeView) -> LinkID? {
        let wanted = Self.wanted(view)
        if let link = Self.awaited(wanted) {
            last = link
            return link
        }
        // The links with the fewest qubits in use, in turn after the last one served.
        guard let fewest = wanted.values.map({ $0.attempting + $0.stored }).min() else { return nil }
        let order = wanted.filter { $0.value.attempting + $0.value.stored == fewest }.keys.sorted()
        let pick = order.first { link in last.map { link > $0 } ?? true } ?? order[0]
        last = pick
        return pick
    }
}

/// Greedy link generation: the free qubit goes to the most-demanded link, the one with the most
/// requests wanting pairs on it (ties: the fewest qubits in use, then the lowest link id), among
/// the links with room under their qubit limit. As in ``RoundRobinLinks``, a link where a stored
/// pair waits for its swap partner goes first (no local deadlock).
public struct GreedyLinks: LinkGenerationPolicy {
    public init() {}

    public mutating func next(_ view: NodeView) -> LinkID? {
        let wanted = Self.wanted(view)
        if let link = Self.awaited(wanted) { return link }
        return wanted.min { a, b in
            (-a.value.requests.count, a.value.attempting + a.value.stored, a.key)
                < (-b.value.requests.count, b.value.attempting + b.value.stored, b.key)
        }?.key
    }
}

/// The built-in link generation policies, as values (they travel in a node's configuration).
public enum GenerationScheduling: String, Sendable, CaseIterable {
    /// ``RoundRobinLinks`` (default).
    case roundRobin = "round-robin"
    /// ``GreedyLinks``.
    case greedy

    /// A fresh policy of this kind.
    public func makePolicy() -> any LinkGenerationPolicy {
        switch self {
        case .roundRobin: RoundRobinLinks()
        case .greedy: GreedyLinks()
        }
    }
}
