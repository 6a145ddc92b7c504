import QNetCore
import QNetQuantum
import QNetScheduling

// Entanglement swapping with feed-forward (Briegel, Dür, Cirac & Zoller, PRL 81, 5932, 1998):
// a Bell-state measurement on a node's two stored qubits joins its two partners; the Pauli
// correction travels to the far end as a routed classical message with the channel's delay.

extension NodeRuntime {
    /// Bell-state measurement on this node's two stored qubits, once both groups are here.
    /// `decided`: when the swap was decided (its pulls carry it; default now).
    /// - Returns: false while waiting for a group (retried at the same virtual time by ``resume()``).
    mutating func attemptSwap(_ ql: QubitID, _ qr: QubitID, decided: VTime? = nil) -> Bool {
        guard let l = slots.entangled(ql), let r = slots.entangled(qr) else {
            // One side was discarded meanwhile: the other is free to pair again.
            abandonSwap(ql, qr)
            return true
        }
        let missing = [ql, qr].filter { !memory.contains($0) }
        if !missing.isEmpty {
            for q in missing where !directory.pulling.contains(q) { pull(q, decided: decided ?? now) }
            return false
        }
        memory.decohere(ql, to: now)
        memory.decohere(qr, to: now)
        // A probabilistic Bell measurement (linear optics: Calsamiglia & Lütkenhaus 2001) fails
        // with probability 1 − p and destroys both pairs; their partners are told, as after a cutoff.
        let p = configuration.bellSuccessProbability
        if p < 1 {
            var draw = SeededRandom(seed: configuration.seed).split("swap-success").split(ql.rawValue)
            if draw.nextUnit() >= p {
                failedSwaps += 1
                consult(.swapOutcome(left: ql, right: qr, success: false))
                discard(ql, notify: true)
                discard(qr, notify: true)
                abandonSwap(ql, qr)
                return true
            }
        }
        var rng = SeededRandom(seed: configuration.seed).split("swap").split(ql.rawValue)
        guard let outcome = try? bellMeasurement(ql, qr, using: &rng) else {
            out.append(.warn("swap of \(ql) and \(qr) failed; both links are dropped"))
            discard(ql, notify: true)
            discard(qr, notify: true)
            abandonSwap(ql, qr)
            return true
        }
        memory.lastTouched[ql] = nil
        memory.lastTouched[qr] = nil
        slots.free(ql)
        slots.free(qr)
        directory.forgetQubit(ql)
        directory.forgetQubit(qr)
        // News about either measured qubit goes on to the other side's partner.
        swapped[ql] = (r.partner, r.partnerNode)
        swapped[qr] = (l.partner, l.partnerNode)
        // Left partner: its new partner is the right one, and the swaps this node had heard of
        // on its right side. Right partner: the new left partner, the swaps heard of on the
        // left, and the correction: this BSM's, composed with the Paulis still pending on the
        // measured qubits (a Pauli on a qubit before a Bell measurement carries over to the far
        // end, as in teleportation).
        let correction = outcome.correctionToPhiPlus.composed(with: l.correction).composed(with: r.correction)
        // The new pair is made of both sides' link pairs: its oldest is the older of the two.
        let oldest = min(l.oldest, r.oldest)
        out.append(.send(.feedForward(.init(requestID: l.request, pairID: 0, qubit: l.partner, correction: .identity,
                                            partner: r.partner, partnerNode: r.partnerNode, swaps: UInt32(1 + r.swapsHeard),
                                            linkPairs: r.linkPairs, oldest: oldest)),
                         to: l.partnerNode))
        out.append(.send(.feedForward(.init(requestID: r.request, pairID: 0, qubit: r.partner, correction: .init(correction),
                                            partner: l.partner, partnerNode: l.partnerNode, swaps: UInt32(1 + l.swapsHeard),
                                            linkPairs: l.linkPairs, oldest: oldest)),
                         to: r.partnerNode))
        consult(.swapOutcome(left: ql, right: qr, success: true))
        // Both qubits are free again: the link generation gives them out.
        allocate()
        // Pulls held back while this node waited to swap can be served now (they name the
        // partners' qubits, which are in the swapped group here).
        serveAllParked()
        return true
    }

    /// The Bell-state measurement of a swap: CNOT (left → right), Hadamard on the left, both
    /// measured in Z. With imperfect local operations (Briegel, Dür, Cirac & Zoller, PRL 81, 5932,
    /// 1998; Dür et al., PRA 59, 169, 1999, §IV): the CNOT is followed by two-qubit depolarising
    /// noise of strength 1 − gateFidelity, and each outcome is misread with probability
    /// readoutError. Outcomes (left, right): 00 → Φ+, 10 → Φ−, 01 → Ψ+, 11 → Ψ−. Perfect
    /// operations take the exact Bell-projection path.
    mutating func bellMeasurement(_ ql: QubitID, _ qr: QubitID, using rng: inout SeededRandom) throws(QuantumError) -> BellState {
        let g = configuration.gateFidelity, e = configuration.readoutError
        guard g < 1 || e > 0 else { return try memory.store.measureBell(ql, qr, using: &rng) }
        try memory.store.apply(.cnot, to: [ql, qr], depolarizing: 1 - g)
        try memory.store.apply(.h, to: [ql])
        let readout = try ReadoutError(probabilityOneGivenZero: e, probabilityZeroGivenOne: e)
        let a = try memory.store.measure(ql, basis: .z, readout: readout, using: &rng)
        let b = try memory.store.measure(qr, basis: .z, readout: readout, using: &rng)
        switch (a, b) {
        case (0, 0): return .phiPlus
        case (1, 0): return .phiMinus
        case (0, _): return .psiPlus
        default: return .psiMinus
        }
    }

    mutating func abandonSwap(_ ql: QubitID, _ qr: QubitID) {
        for q in [ql, qr] { slots.update(q) { $0.reserved = false } }
        serveAllParked()
        consult(.pairGone(slots.entangled(ql) == nil ? ql : qr))
    }

    mutating func feedForward(_ ff: NodeMessage.FeedForward, sentAt: VTime, lateness: VDuration) {
        if let next = swapped[ff.qubit] {
            var passed = ff
            passed.qubit = next.target
            // The pair came into being at the swap, not when the news is passed on.
            passed.swapTime = ff.swapTime ?? sentAt
            out.append(.send(.feedForward(passed), to: next.node))
            return
        }
        guard var e = slots.entangled(ff.qubit) else {
            // Not held: taken already (a discard notice then means the pair is lost), discarded
            // already (nothing to do), or its herald is still to come.
            if ff.discarded && recentlyTaken[ff.qubit] != nil {
                takenPairLost(ff.qubit)
            } else if slots.isRecent(ff.qubit), early.count < 64 {
                early[ff.qubit, default: []].append((ff, sentAt, lateness))
            }
            return
        }
        if ff.discarded {
            discard(ff.qubit, notify: false)
            return
        }
        if let partner = ff.partner, let role = roles[e.request], let node = configuration.node(named: ff.partnerNode),
           let position = role.path.firstIndex(of: node) {
            // Entanglement only grows: the partner farthest along the path is the newest news.
            let leftSide = position < role.position
            if leftSide ? position < e.partnerPosition : position > e.partnerPosition {
                e.partner = partner
                e.partnerNode = ff.partnerNode
                e.partnerPosition = position
            }
        }
        e.correction = e.correction.composed(with: ff.correction.pauli)
        e.swapsHeard += Int(ff.swaps)
        e.learn(ff.linkPairs)
        if let oldest = ff.oldest { e.oldest = min(e.oldest, oldest) }
        e.created = max(e.created, ff.swapTime ?? sentAt)
        e.lateness = max(e.lateness, lateness)
        slots.store(ff.qubit, e)
        consult(.pairExtended(storedLink(ff.qubit, e)))
        progressEnds()
    }
}
