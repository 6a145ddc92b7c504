import QNetCore

/// Decides when an intermediate node swaps the two links it holds for one request.
public protocol SwapPolicy: Sendable {
    /// Which two idle stored pairs to swap now, if any.
    func swapNow(_ view: NodeView) -> (QubitID, QubitID)?
}

/// Sequential swapping: entanglement is extended hop by hop from the path's start (the
/// "sequential scheme" of Pouryousef, Shapourian & Towsley, "Analysis of asynchronous protocols
/// for entanglement distribution in quantum networks", arXiv:2405.02406, 2024). A node swaps
/// only when its idle pair toward the start already reaches the first node (partner position 0)
/// and it holds a pair toward the end; the first repeater's left pair always does.
public struct SwapSequential: SwapPolicy {
    public init() {}

    public func swapNow(_ view: NodeView) -> (QubitID, QubitID)? {
        for (request, sides) in view.sides.sorted(by: { $0.key < $1.key }) {
            guard let left = sides.left, let right = sides.right,
                  let l = view.idle.first(where: { $0.request == request && $0.link == left && $0.partnerPosition == 0 }),
                  let r = view.idle.first(where: { $0.request == request && $0.link == right }) else { continue }
            return (l.qubit, r.qubit)
        }
        return nil
    }
}

/// Nested (doubling) swapping (Briegel, Dür, Cirac & Zoller, PRL 81, 5932, 1998; the "nested
/// repeater protocol" whose waiting time Brand, Coopmans & Elkouss compute, IEEE JSAC 38, 619,
/// 2020): on a path of 2^n links, the node at position i swaps at level ℓ = the number of
/// trailing zero bits of i, joining a segment of 2^ℓ links on each side (partners at positions
/// i − 2^ℓ and i + 2^ℓ), so only segments of equal level are swapped. A failed swap destroys
/// both segments, and their links start again (both halves restart). Paths whose length is not
/// a power of two are refused when the run is planned.
public struct SwapNested: SwapPolicy {
    public init() {}

    public func swapNow(_ view: NodeView) -> (QubitID, QubitID)? {
        for (request, sides) in view.sides.sorted(by: { $0.key < $1.key }) {
            guard let left = sides.left, let right = sides.right, let place = view.positions[request], place.position > 0 else { continue }
            let span = 1 << place.position.trailingZeroBitCount
            guard let l = view.idle.first(where: { $0.request == request && $0.link == left && $0.partnerPosition == place.position - span }),
                  let r = view.idle.first(where: { $0.request == request && $0.link == right && $0.partnerPosition == place.position + span })
            else { continue }
            return (l.qubit, r.qubit)
        }
        return nil
    }
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
