import QNetCore

/// Link generation over shared memory qubits (DESIGN §6): which link a free qubit attempts on.
public protocol LinkGenerationPolicy: Sendable {
    /// The link to give one free qubit to, or nil to keep it free.
    mutating func next(_ view: NodeView) -> LinkID?
}

/// Round robin over the links that want pairs and have room under their qubit limit, the links
/// with the fewest qubits in use first; a link
/// where a stored pair waits for its swap partner goes first, so a node never fills its memory
/// with pairs that all wait for one another (no local deadlock).
public struct RoundRobinLinks: LinkGenerationPolicy {
    var last: LinkID?
    public init() {}

    public mutating func next(_ view: NodeView) -> LinkID? {
        let wanted = view.links.filter { !$0.value.requests.isEmpty && $0.value.attempting + $0.value.stored < $0.value.limit }
        if let (link, _) = wanted.sorted(by: { $0.key < $1.key }).first(where: { $0.value.needed.count > $0.value.attempting }) {
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
