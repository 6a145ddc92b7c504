import QNetCore
import QNetQuantum

/// This node's memory qubits and what each is doing (DESIGN §5): attempting on a link (its
/// batch is open at the station), or holding link entanglement with what this node knows of its
/// partner, its Pauli frame and the request it serves, or reserved by a protocol (a swap or a
/// take in progress). A qubit that is measured, swapped or discarded leaves the table.
///
/// Bounded by the node's memory: at most ``capacity`` qubits are in the table at once.
public struct SlotTable: Sendable {
    /// A stored qubit: its link pair and what this node knows of its partner.
    public struct Entangled: Sendable, Equatable {
        public var link: LinkID
        public var request: RequestID
        public var partner: QubitID
        public var partnerNode: String
        public var partnerPosition: Int
        /// Accumulated correction (the Pauli frame), applied by the path's last node.
        public var correction: Pauli = .i
        /// Swaps along the path this node has heard of for this pair.
        public var swapsHeard = 0
        /// When the entanglement was heralded (or extended by the latest swap heard of).
        public var created: VTime
        /// When the oldest of the link pairs this node knows its pair was made from was heralded
        /// (its own link's herald, or earlier as feed-forward tells; never after ``created``,
        /// which only grows): the end-to-end budget's clock.
        public var oldest: VTime
        /// Reserved by a swap or a take in progress.
        public var reserved = false
        /// Realtime clock: how late the messages this qubit waited on arrived (the largest).
        public var lateness: VDuration = .zero
        /// The link pairs this node knows its pair was made from, in path order (its own link's,
        /// and those feed-forward has told of): the pair's identity end to end.
        public var linkPairs: [NodeMessage.LinkPair] = []
        /// An end has told its scheduler that this pair is complete (``Observation/pairCorrected``).
        public var corrected = false

        /// Adds what a feed-forward told of, keeping path order.
        mutating func learn(_ pairs: [NodeMessage.LinkPair]) {
            for p in pairs where !linkPairs.contains(p) { linkPairs.append(p) }
            linkPairs.sort()
        }
    }

    public enum Slot: Sendable, Equatable {
        case attempting(link: LinkID, batch: UInt64)
        case entangled(Entangled)
    }

    public private(set) var slots: [QubitID: Slot] = [:]
    /// Most qubits in the table at once (the node's memory qubits).
    public let capacity: Int
    /// Next qubit index to mint (indices start at 1: qubit id 0 means "none" on the wire).
    var nextIndex: UInt32 = 1
    let home: NodeID

    public init(home: NodeID, capacity: Int) {
        self.home = home
        self.capacity = max(capacity, 1)
    }

    public var occupied: Int { slots.count }
    public var hasFree: Bool { slots.count < capacity }

    /// A fresh qubit for an attempt batch on `link`, or nil when every memory qubit is in use.
    mutating func beginAttempt(on link: LinkID, batch: UInt64) -> QubitID? {
        guard hasFree else { return nil }
        let qubit = QubitID(home: home, index: nextIndex)
        nextIndex &+= 1
        slots[qubit] = .attempting(link: link, batch: batch)
        return qubit
    }

    func entangled(_ qubit: QubitID) -> Entangled? {
        if case let .entangled(e)? = slots[qubit] { return e }
        return nil
    }

    mutating func store(_ qubit: QubitID, _ entangled: Entangled) { slots[qubit] = .entangled(entangled) }

    mutating func update(_ qubit: QubitID, _ change: (inout Entangled) -> Void) {
        guard case var .entangled(e)? = slots[qubit] else { return }
        change(&e)
        slots[qubit] = .entangled(e)
    }

    /// The qubit leaves the table (taken, swapped, discarded, or its attempts ran out).
    @discardableResult
    mutating func free(_ qubit: QubitID) -> Slot? { slots.removeValue(forKey: qubit) }

    /// Whether `qubit` was minted here recently enough that a message about it may precede its
    /// herald (within the last few batches).
    func isRecent(_ qubit: QubitID) -> Bool {
        qubit.home == home && (qubit.rawValue & 0xffff_ffff) + 4 >= UInt64(nextIndex)
    }

    /// Stored pairs not reserved by a protocol, oldest first (ties by qubit id).
    var idle: [(QubitID, Entangled)] {
        slots.compactMap { q, s in
            if case let .entangled(e) = s, !e.reserved { return (q, e) }
            return nil
        }.sorted { ($0.1.created, $0.0) < ($1.1.created, $1.0) }
    }
}
