import QNetCore

/// The built-in distributed scheduler of one node: link generation for every active request's
/// links, a swap policy, and a cutoff policy, decided from what this node knows.
public struct NodeScheduler: Scheduler {
    public var swap: any SwapPolicy
    public var cutoff: any CutoffPolicy

    public init(swap: any SwapPolicy = SwapASAP(), cutoff: any CutoffPolicy = NoCutoff()) {
        self.swap = swap
        self.cutoff = cutoff
    }

    public mutating func on(_ observation: Observation, view: NodeView) -> [Decision] {
        switch observation {
        case let .requestArrived(request):
            guard let sides = view.sides[request] else { return [] }
            return [sides.left, sides.right].compactMap { $0 }.map { .attempt(link: $0) }
        case let .linkPairStored(link):
            var decisions: [Decision] = []
            if let expiry = cutoff.expiry(of: link) { decisions.append(.discard(link.qubit, at: expiry)) }
            if let (l, r) = swap.swapNow(view) { decisions.append(.swap(l, r)) }
            return decisions
        case .pairExtended, .pairGone:
            if let (l, r) = swap.swapNow(view) { return [.swap(l, r)] }
            return []
        }
    }
}
