import QNetCore

// Quantum-state backplane bodies (Protos/qnet/v1/backplane.proto).

extension NodeMessage {
    /// The exact state of one group of entangled qubits, as carried on the wire.
    ///
    /// Invariants checked on decode: 1 … ``maxQubits`` qubits, distinct;
    /// one last-touched time per qubit; `real` and `imaginary` each hold the
    /// d × d entries (d = 2ⁿ) row-major, all finite. `qubits[0]` is the most
    /// significant bit of the row and column index. Physical validity
    /// (Hermitian, trace 1, positive semidefinite) is the state engine's job.
    public struct GroupState: Hashable, Sendable {
        /// Largest group carried on the wire (8 qubits: 1 MiB of entries).
        public static let maxQubits = 8

        /// The group.
        public var groupID: GroupID
        /// The group's qubits in the order of the matrix's tensor factors.
        public var qubits: [QubitID]
        /// Per qubit, the time up to which its decoherence has been applied.
        public var lastTouched: [VTime]
        /// Real parts of the entries, row-major.
        public var real: [Double]
        /// Imaginary parts of the entries, row-major.
        public var imaginary: [Double]

        public init(groupID: GroupID, qubits: [QubitID], lastTouched: [VTime], real: [Double], imaginary: [Double]) {
            self.groupID = groupID
            self.qubits = qubits
            self.lastTouched = lastTouched
            self.real = real
            self.imaginary = imaginary
        }
    }

    /// Moves ownership of a group to the destination.
    public struct GroupTransfer: Hashable, Sendable {
        /// Identifier unique per sender; a repeat is applied once.
        public var transferID: UInt64
        /// The group's full state at transfer.
        public var state: GroupState

        public init(transferID: UInt64, state: GroupState) {
            self.transferID = transferID
            self.state = state
        }
    }

    /// The operations a home node may ask an owner to apply.
    public enum OperationKind: String, Hashable, Sendable, CaseIterable {
        /// Pauli X on one qubit.
        case x
        /// Pauli Y on one qubit.
        case y
        /// Pauli Z on one qubit.
        case z
        /// Hadamard on one qubit.
        case hadamard
        /// Controlled-NOT on [control, target].
        case cnot
        /// Controlled-Z on two qubits.
        case cz
        /// Z-basis measurement of one qubit; one outcome.
        case measureZ
        /// X-basis measurement of one qubit; one outcome.
        case measureX
        /// Bell-state measurement of two qubits; two outcomes.
        case measureBell
        /// Trace the qubits out and free them (one or more qubits).
        case discard
        /// Y-basis measurement of one qubit; one outcome.
        case measureY
        /// Move the group holding the qubits to the request's origin (answered by a GroupTransfer).
        case pull

        /// Whether the operation ends the qubit (a measurement or a trace-out): nothing names it after.
        public var isTerminal: Bool {
            switch self {
            case .discard, .measureX, .measureY, .measureZ, .measureBell: true
            default: false
            }
        }

        /// Number of qubits the operation acts on; `nil` for any number ≥ 1.
        public var arity: Int? {
            switch self {
            case .x, .y, .z, .hadamard, .measureZ, .measureX, .measureY: 1
            case .cnot, .cz, .measureBell: 2
            case .discard, .pull: nil
            }
        }
    }

    /// A home node asks the owner of its qubits' group to apply an operation.
    public struct OperationRequest: Hashable, Sendable {
        /// Identifier unique per sender; a repeat is applied once.
        public var operationID: UInt64
        /// Time the operation acts; qubits are decohered up to it first.
        public var time: VTime
        /// What to apply.
        public var kind: OperationKind
        /// The qubits acted on, all homed at the sender; count = ``OperationKind/arity``.
        public var qubits: [QubitID]
        /// Depolarising probability of the operation's noise, in [0, 1].
        public var depolarizingProbability: Double
        /// Probability each measurement outcome is flipped, in [0, 1].
        public var readoutError: Double
        /// The node that asked, when a former owner forwards the request; empty: the sender.
        public var origin: String
        /// Set when the operation is the application's take of a delivered pair.
        public var take: Take?

        public init(
            operationID: UInt64, time: VTime, kind: OperationKind, qubits: [QubitID],
            depolarizingProbability: Double = 0, readoutError: Double = 0, origin: String = "", take: Take? = nil
        ) {
            self.origin = origin
            self.take = take
            self.operationID = operationID
            self.time = time
            self.kind = kind
            self.qubits = qubits
            self.depolarizingProbability = depolarizingProbability
            self.readoutError = readoutError
        }
    }

    /// One elementary link pair: the `sequence`-th pair heralded on `link` (from 1, numbered by
    /// the link's station). A delivered pair is identified end to end by its request and the link
    /// pairs it was swapped from, in path order (in the spirit of the QNP, Kozlowski et al.,
    /// CoNEXT 2020).
    public struct LinkPair: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var link: LinkID
        public var sequence: UInt64
        /// The link's place along the pair's path (0: the link at the path's first node).
        public var hop: Int
        public init(link: LinkID, sequence: UInt64, hop: Int) {
            self.link = link
            self.sequence = sequence
            self.hop = hop
        }
        /// Path order.
        public static func < (a: LinkPair, b: LinkPair) -> Bool { (a.hop, a.link, a.sequence) < (b.hop, b.link, b.sequence) }
        /// `3#17`: link 3's 17th pair.
        public var description: String { "\(link.rawValue)#\(sequence)" }
    }

    /// The application's take of one end of a delivered pair.
    public struct Take: Hashable, Sendable {
        public var requestID: RequestID
        public var pairID: UInt64
        /// When the pair's entanglement was created.
        public var created: VTime
        /// The far end's qubit: the owner waits for both ends' takes.
        public var partner: QubitID
        /// Realtime clock: how late this end took its qubit because of late control messages.
        public var lateness: VDuration
        /// The link pairs this end knows its pair was made from, in path order.
        public var linkPairs: [LinkPair]
        /// When the oldest link pair this end knows of was heralded (``created`` when unknown).
        public var oldest: VTime

        public init(requestID: RequestID, pairID: UInt64, created: VTime, partner: QubitID, lateness: VDuration = .zero,
                    linkPairs: [LinkPair] = [], oldest: VTime? = nil) {
            self.oldest = oldest ?? created
            self.linkPairs = linkPairs
            self.lateness = lateness
            self.requestID = requestID
            self.pairID = pairID
            self.created = created
            self.partner = partner
        }
    }

    /// The owner's answer to an ``OperationRequest``.
    public struct OperationResult: Hashable, Sendable {
        /// The request answered.
        public var operationID: UInt64
        /// Measurement outcomes, each 0 or 1; empty for unitaries.
        public var outcomes: [UInt32]

        public init(operationID: UInt64, outcomes: [UInt32] = []) {
            self.operationID = operationID
            self.outcomes = outcomes
        }
    }
}
