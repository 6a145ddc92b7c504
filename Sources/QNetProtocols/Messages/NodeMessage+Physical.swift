import QNetCore

// Physical-layer bodies (Protos/qnet/v1/physical.proto): batched heralding.
// Attempt k of a batch emits at startTime + k × attemptPeriod.

extension NodeMessage {
    /// The four Bell states.
    public enum BellState: String, Hashable, Sendable, CaseIterable {
        /// (|00⟩ + |11⟩)/√2
        case phiPlus
        /// (|00⟩ − |11⟩)/√2
        case phiMinus
        /// (|01⟩ + |10⟩)/√2
        case psiPlus
        /// (|01⟩ − |10⟩)/√2
        case psiMinus
    }

    /// A node's emission parameters for one batch, overriding the scenario's.
    public struct EmissionParameters: Hashable, Sendable {
        /// Emission × collection × frequency-conversion efficiency, in [0, 1].
        public var emissionEfficiency: Double
        /// Single-click bright-state population α, in [0, 1].
        public var brightStatePopulation: Double
        /// Two-photon interference visibility, in [0, 1].
        public var visibility: Double

        public init(emissionEfficiency: Double, brightStatePopulation: Double, visibility: Double) {
            self.emissionEfficiency = emissionEfficiency
            self.brightStatePopulation = brightStatePopulation
            self.visibility = visibility
        }
    }

    /// A node's link agent announces a run of attempts to the link's station.
    public struct AttemptBatch: Hashable, Sendable {
        /// The link.
        public var linkID: LinkID
        /// Batch number, unique per link and node.
        public var batchID: UInt64
        /// Emission time of the first attempt.
        public var startTime: VTime
        /// Time between consecutive attempts; positive.
        public var attemptPeriod: VDuration
        /// Multiplexed modes per attempt; at least 1.
        public var modes: UInt32
        /// Maximum number of attempts; at least 1.
        public var maxAttempts: UInt64
        /// The communication qubit holding the node's half of the pair.
        public var qubit: QubitID
        /// Overrides of the scenario's emission parameters, if any.
        public var emission: EmissionParameters?
        /// The request a pair from this batch serves (set by the link's master, end A).
        public var label: RequestID?

        public init(
            linkID: LinkID, batchID: UInt64, startTime: VTime, attemptPeriod: VDuration,
            modes: UInt32 = 1, maxAttempts: UInt64, qubit: QubitID, emission: EmissionParameters? = nil,
            label: RequestID? = nil
        ) {
            self.label = label
            self.linkID = linkID
            self.batchID = batchID
            self.startTime = startTime
            self.attemptPeriod = attemptPeriod
            self.modes = modes
            self.maxAttempts = maxAttempts
            self.qubit = qubit
            self.emission = emission
        }
    }

    /// A station heralds a successful attempt to both ends of a link.
    public struct Herald: Hashable, Sendable {
        /// The link.
        public var linkID: LinkID
        /// The receiving node's batch the attempt belongs to.
        public var batchID: UInt64
        /// 0-based index of the successful attempt (attempts spent = index + 1).
        public var attemptIndex: UInt64
        /// Time of the heralding detection.
        public var successTime: VTime
        /// The Bell state the pair was projected onto.
        public var bellState: BellState
        /// The new pair's group.
        public var groupID: GroupID
        /// The pair's two qubits, one at each end.
        public var qubits: [QubitID]
        /// Name of the node that owns the pair's state from now on.
        public var owner: String
        /// The pair's state; only in the herald sent to the owner.
        public var state: GroupState?
        /// The request the pair serves (the link master's label).
        public var label: RequestID?
        /// This link's pair number: the n-th pair heralded on the link (from 1).
        public var sequence: UInt64

        public init(
            linkID: LinkID, batchID: UInt64, attemptIndex: UInt64, successTime: VTime,
            bellState: BellState, groupID: GroupID, qubits: [QubitID], owner: String,
            state: GroupState? = nil, label: RequestID? = nil, sequence: UInt64 = 0
        ) {
            self.label = label
            self.sequence = sequence
            self.linkID = linkID
            self.batchID = batchID
            self.attemptIndex = attemptIndex
            self.successTime = successTime
            self.bellState = bellState
            self.groupID = groupID
            self.qubits = qubits
            self.owner = owner
            self.state = state
        }
    }

    /// No attempt in a batch succeeded.
    public struct AttemptsExhausted: Hashable, Sendable {
        /// The link.
        public var linkID: LinkID
        /// The batch that ended without success.
        public var batchID: UInt64
        /// Number of attempts made.
        public var attempts: UInt64
        /// Time the last attempt's outcome was known.
        public var endTime: VTime

        public init(linkID: LinkID, batchID: UInt64, attempts: UInt64, endTime: VTime) {
            self.linkID = linkID
            self.batchID = batchID
            self.attempts = attempts
            self.endTime = endTime
        }
    }

    /// A node withdraws a batch that has not succeeded (its link is no longer wanted).
    public struct AttemptWithdraw: Hashable, Sendable {
        public var linkID: LinkID
        public var batchID: UInt64
        public init(linkID: LinkID, batchID: UInt64) {
            self.linkID = linkID
            self.batchID = batchID
        }
    }
}
