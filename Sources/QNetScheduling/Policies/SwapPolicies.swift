import QNetCore

/// Decides when an intermediate node swaps the two links it holds for one request.
public protocol SwapPolicy: Sendable {
    /// Which two idle stored pairs to swap now, if any.
    func swapNow(_ view: NodeView) -> (QubitID, QubitID)?
}

/// Swap as soon as both links of a request are stored (swap-ASAP; e.g. Coopmans et al.,
/// "Improved analytical bounds on delivery times of long-distance entanglement", PRA 105,
/// 012608, 2022, §II): the oldest idle pair toward the path's start with the oldest toward its end.
public struct SwapASAP: SwapPolicy {
    public init() {}

    public func swapNow(_ view: NodeView) -> (QubitID, QubitID)? {
        for (request, sides) in view.sides.sorted(by: { $0.key < $1.key }) {
            guard let left = sides.left, let right = sides.right,
                  let l = view.idle.first(where: { $0.request == request && $0.link == left }),
                  let r = view.idle.first(where: { $0.request == request && $0.link == right }) else { continue }
            return (l.qubit, r.qubit)
        }
        return nil
    }
}
