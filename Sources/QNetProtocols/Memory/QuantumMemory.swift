import QNetCore
import QNetPhysics
import QNetQuantum

/// The quantum state this node owns (DESIGN §3): its groups, and when each qubit was last
/// brought up to date. Decoherence is applied lazily per qubit, from its last-touched time to the
/// time of the operation that touches it next, with its home memory's T1 and T2.
public struct QuantumMemory: Sendable {
    public internal(set) var store: GroupStore
    var lastTouched: [QubitID: VTime] = [:]
    /// Every node's memory, by node index.
    let memories: [MemoryModel]

    public init(owner: NodeID, memories: [MemoryModel]) {
        store = GroupStore(groupIDBase: UInt64(owner.rawValue) << 32)
        self.memories = memories
    }

    public func contains(_ qubit: QubitID) -> Bool { store.contains(qubit) }

    /// The memory `qubit` decoheres with (its home's; ideal for a home outside the run).
    func memory(of qubit: QubitID) -> MemoryModel {
        let home = Int(qubit.home.rawValue)
        return home < memories.count ? memories[home] : .ideal
    }

    /// Lazy decoherence: from the qubit's last-touched time to `time`, with its home memory's
    /// T1 and T2 (amplitude damping and dephasing; Nielsen & Chuang §8.3.5–8.3.6).
    mutating func decohere(_ qubit: QubitID, to time: VTime) {
        guard let last = lastTouched[qubit], time > last else { return }
        let memory = memory(of: qubit)
        if !memory.isIdeal {
            try? store.decohere(qubit, duration: time - last, t1Seconds: memory.t1Seconds, t2Seconds: memory.t2Seconds)
        }
        lastTouched[qubit] = time
    }

    /// Takes ownership of a group (from a herald or a transfer); false when it is not valid here.
    mutating func insert(_ state: NodeMessage.GroupState) -> Bool {
        guard let rho = try? state.densityMatrix(), state.qubits.allSatisfy({ !store.contains($0) }),
              store.groups[state.groupID] == nil else { return false }
        store.insert(state.qubits, state: rho, id: state.groupID)
        for (q, t) in zip(state.qubits, state.lastTouched) { lastTouched[q] = t }
        return true
    }

    /// Gives up the group of `qubit`: its full state, for a transfer.
    mutating func remove(groupOf qubit: QubitID) -> NodeMessage.GroupState? {
        guard let gid = store.group(of: qubit), let group = store.remove(group: gid) else { return nil }
        let times = group.qubits.map { lastTouched.removeValue(forKey: $0) ?? .zero }
        return NodeMessage.GroupState(groupID: gid, qubits: group.qubits, lastTouched: times, state: group.state)
    }

    /// Traces `qubit` out at `time` (decohered to it first).
    mutating func discard(_ qubit: QubitID, at time: VTime) {
        decohere(qubit, to: time)
        store.discard(qubit)
        lastTouched[qubit] = nil
    }

    /// Traces `qubit` out without bringing it up to date (its group is being recorded).
    mutating func forget(_ qubit: QubitID) {
        if store.contains(qubit) { store.discard(qubit) }
        lastTouched[qubit] = nil
    }

    /// A Pauli on `qubit` at `time`.
    mutating func apply(_ pauli: Pauli, to qubit: QubitID, at time: VTime) {
        decohere(qubit, to: time)
        try? store.apply(pauli, to: qubit)
    }

    /// Number of qubits whose state is held here (bounded by the groups this node owns).
    public var qubitCount: Int { lastTouched.count }
}
