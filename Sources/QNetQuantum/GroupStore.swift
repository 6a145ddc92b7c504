import QNetCore

/// The qubits one process owns, kept as groups of entangled qubits, each one density matrix
/// (DESIGN §3). Qubits are named by ``QubitID``; the store merges groups when an operation
/// spans two of them and splits measured qubits off.
///
/// Merging is a tensor product; a merged group never exceeds
/// ``DensityMatrix/maximumQubitCount`` qubits (operations that would are rejected by a throw).
/// Measured or discarded qubits leave their group by partial trace, so groups stay small.
public struct GroupStore: Sendable {
    /// One group: its qubits in matrix order and its state.
    public struct Group: Sendable {
        public var qubits: [QubitID]
        public var state: DensityMatrix
    }

    public private(set) var groups: [GroupID: Group] = [:]
    var location: [QubitID: GroupID] = [:]
    var nextGroup: UInt64

    /// - Parameter groupIDBase: the first group id this store mints (make it unique per
    ///   process, e.g. the node index in the high 32 bits).
    public init(groupIDBase: UInt64 = 0) { nextGroup = groupIDBase }

    /// Number of qubits held.
    public var qubitCount: Int { location.count }

    /// True if the store holds `qubit`.
    public func contains(_ qubit: QubitID) -> Bool { location[qubit] != nil }

    /// The group holding `qubit`.
    public func group(of qubit: QubitID) -> GroupID? { location[qubit] }

    /// Adds a new group holding `qubits` (in matrix order) in `state`.
    /// - Precondition: the qubits are new and `state` has that many qubits.
    @discardableResult
    public mutating func insert(_ qubits: [QubitID], state: DensityMatrix, id: GroupID? = nil) -> GroupID {
        precondition(qubits.count == state.qubitCount, "state has \(state.qubitCount) qubits, \(qubits.count) named")
        precondition(qubits.allSatisfy { location[$0] == nil }, "qubit already held")
        let gid = id ?? mintGroupID()
        groups[gid] = Group(qubits: qubits, state: state)
        for q in qubits { location[q] = gid }
        return gid
    }

    /// Adds a fresh qubit in |0⟩ as its own group.
    @discardableResult
    public mutating func insertZero(_ qubit: QubitID) -> GroupID {
        insert([qubit], state: DensityMatrix(qubitCount: 1))
    }

    /// Removes and returns a whole group (to hand it to another owner).
    public mutating func remove(group gid: GroupID) -> Group? {
        guard let g = groups.removeValue(forKey: gid) else { return nil }
        for q in g.qubits { location[q] = nil }
        return g
    }

    mutating func mintGroupID() -> GroupID {
        defer { nextGroup += 1 }
        return GroupID(nextGroup)
    }

    /// Ensures `qubits` are in one group (merging by tensor product in the order the groups
    /// are first met) and returns it with their positions.
    public mutating func gather(_ qubits: [QubitID]) throws(QuantumError) -> (GroupID, [Int]) {
        guard let first = qubits.first, var gid = location[first] else {
            throw QuantumError(.dimensionMismatch, "unknown qubit \(qubits.first.map(String.init(describing:)) ?? "(none)")")
        }
        for q in qubits.dropFirst() {
            guard let other = location[q] else {
                throw QuantumError(.dimensionMismatch, "unknown qubit \(q)")
            }
            if other != gid { gid = try merge(gid, other) }
        }
        let g = groups[gid]!
        return (gid, qubits.map { g.qubits.firstIndex(of: $0)! })
    }

    /// Merges group `b` into group `a` (tensor product, a's qubits first); returns `a`.
    @discardableResult
    public mutating func merge(_ a: GroupID, _ b: GroupID) throws(QuantumError) -> GroupID {
        guard a != b else { return a }
        guard var ga = groups[a], let gb = groups[b] else {
            throw QuantumError(.dimensionMismatch, "unknown group")
        }
        ga.state = try ga.state.tensor(gb.state)
        ga.qubits += gb.qubits
        groups[a] = ga
        groups[b] = nil
        for q in gb.qubits { location[q] = a }
        return a
    }

    /// The reduced state of `qubits` (in that order), without changing the store.
    public func state(of qubits: [QubitID]) throws(QuantumError) -> DensityMatrix {
        var copy = self
        let (gid, positions) = try copy.gather(qubits)
        return copy.groups[gid]!.state.reduced(to: positions)
    }

    /// Applies a gate to `qubits`, merging their groups first if needed.
    public mutating func apply(_ gate: Gate, to qubits: [QubitID], depolarizing p: Double = 0) throws(QuantumError) {
        let (gid, positions) = try gather(qubits)
        groups[gid]!.state.apply(gate, to: positions, depolarizing: p)
    }

    /// Applies a Pauli to one qubit (a feed-forward correction).
    public mutating func apply(_ pauli: Pauli, to qubit: QubitID) throws(QuantumError) {
        let (gid, positions) = try gather([qubit])
        groups[gid]!.state.apply(pauli, to: positions[0])
    }

    /// Applies a one-qubit channel.
    public mutating func apply(_ channel: QubitChannel, to qubit: QubitID) throws(QuantumError) {
        let (gid, positions) = try gather([qubit])
        groups[gid]!.state.apply(channel, to: positions[0])
    }

    /// Memory decoherence of one qubit over `duration`.
    public mutating func decohere(_ qubit: QubitID, duration: VDuration, t1Seconds: Double, t2Seconds: Double) throws(QuantumError) {
        let (gid, positions) = try gather([qubit])
        try groups[gid]!.state.decohere(positions[0], duration: duration, t1Seconds: t1Seconds, t2Seconds: t2Seconds)
    }

    /// Measures `qubit` destructively; it leaves the store.
    public mutating func measure<R: RandomNumberGenerator>(
        _ qubit: QubitID, basis: MeasurementBasis = .z, readout: ReadoutError = .none, using rng: inout R
    ) throws(QuantumError) -> Int {
        let (gid, positions) = try gather([qubit])
        let outcome = groups[gid]!.state.measureAndRemove(positions[0], basis: basis, readout: readout, using: &rng)
        detach(qubit, from: gid, at: positions[0])
        return outcome
    }

    /// Bell-state measurement on `a` and `b`, which leave the store.
    public mutating func measureBell<R: RandomNumberGenerator>(_ a: QubitID, _ b: QubitID, using rng: inout R) throws(QuantumError) -> BellState {
        let (gid, positions) = try gather([a, b])
        let outcome = groups[gid]!.state.measureBell(positions[0], positions[1], using: &rng)
        var g = groups[gid]!
        g.qubits.removeAll { $0 == a || $0 == b }
        location[a] = nil
        location[b] = nil
        if g.qubits.isEmpty { groups[gid] = nil } else { groups[gid] = g }
        return outcome
    }

    /// Discards `qubit` (partial trace): what a memory reset or loss does to the rest.
    public mutating func discard(_ qubit: QubitID) {
        guard let gid = location[qubit], var g = groups[gid],
              let position = g.qubits.firstIndex(of: qubit) else { return }
        g.state = g.state.tracingOut(position)
        groups[gid] = g
        detach(qubit, from: gid, at: position)
    }

    /// Removes a qubit that has left the group's state (measured or traced out) from its records.
    mutating func detach(_ qubit: QubitID, from gid: GroupID, at position: Int) {
        var g = groups[gid]!
        g.qubits.remove(at: position)
        location[qubit] = nil
        if g.qubits.isEmpty { groups[gid] = nil } else { groups[gid] = g }
    }
}
