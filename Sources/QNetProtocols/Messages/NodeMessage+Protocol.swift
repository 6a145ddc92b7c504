import QNetCore

// Protocol-layer bodies (Protos/qnet/v1/protocol.proto).

extension NodeMessage {
    /// A single-qubit Pauli correction.
    public enum PauliCorrection: String, Hashable, Sendable, CaseIterable {
        /// No correction.
        case identity
        /// Pauli X.
        case x
        /// Pauli Y.
        case y
        /// Pauli Z.
        case z
    }

    /// Classical feed-forward after a swap or teleportation.
    public struct FeedForward: Hashable, Sendable {
        /// The request the pair serves.
        public var requestID: RequestID
        /// The end-to-end pair being built.
        public var pairID: UInt64
        /// The receiver's qubit the correction applies to.
        public var qubit: QubitID
        /// The correction.
        public var correction: PauliCorrection
        /// After a swap: the receiver's qubit is now entangled with this qubit.
        public var partner: QubitID?
        /// The node holding ``partner``.
        public var partnerNode: String
        /// Swaps this message accounts for.
        public var swaps: UInt32
        /// The entanglement was discarded (memory cutoff).
        public var discarded: Bool
        /// After a swap: the link pairs the swapping node knew the far side of the receiver's
        /// new pair was made from.
        public var linkPairs: [LinkPair]
        /// When the announced swap was made, once the message has been passed on (nil: its send time).
        public var swapTime: VTime?
        /// After a swap: when the oldest link pair the swapping node knew the new pair to be made
        /// from was heralded (nil: not said).
        public var oldest: VTime?

        public init(
            requestID: RequestID, pairID: UInt64, qubit: QubitID, correction: PauliCorrection,
            partner: QubitID? = nil, partnerNode: String = "", swaps: UInt32 = 0, discarded: Bool = false,
            linkPairs: [LinkPair] = [], swapTime: VTime? = nil, oldest: VTime? = nil
        ) {
            self.oldest = oldest
            self.swapTime = swapTime
            self.linkPairs = linkPairs
            self.discarded = discarded
            self.requestID = requestID
            self.pairID = pairID
            self.qubit = qubit
            self.correction = correction
            self.partner = partner
            self.partnerNode = partnerNode
            self.swaps = swaps
        }
    }

    /// One delivered pair (a row of `pairs.csv`).
    public struct PairDelivered: Hashable, Sendable {
        /// The request the pair serves.
        public var requestID: RequestID
        /// The delivered pair.
        public var pairID: UInt64
        /// Requesting node's name.
        public var nodeA: String
        /// Remote node's name.
        public var nodeB: String
        /// When the end-to-end pair came into being: its link's herald on a one-link path, else the
        /// latest swap along the path that the taking end heard of.
        public var created: VTime
        /// When both ends held the pair with all corrections applied.
        public var delivered: VTime
        /// Fidelity to the promised Bell state at delivery; finite.
        public var fidelity: Double
        /// Outcome (0 or 1) at node A for measure requests.
        public var outcomeA: UInt32?
        /// Outcome (0 or 1) at node B for measure requests.
        public var outcomeB: UInt32?
        /// Realtime clock: fidelity lost to control-plane messages later than their modeled delay.
        public var fidelityLostToLatency: Double
        /// The link pairs the pair was made from, in path order.
        public var linkPairs: [LinkPair]
        /// When the oldest of them was heralded (``created`` when not known).
        public var oldestLink: VTime

        public init(
            requestID: RequestID, pairID: UInt64, nodeA: String, nodeB: String, created: VTime,
            delivered: VTime, fidelity: Double, outcomeA: UInt32? = nil, outcomeB: UInt32? = nil,
            fidelityLostToLatency: Double = 0, linkPairs: [LinkPair] = [], oldestLink: VTime? = nil
        ) {
            self.oldestLink = oldestLink ?? created
            self.linkPairs = linkPairs
            self.fidelityLostToLatency = fidelityLostToLatency
            self.requestID = requestID
            self.pairID = pairID
            self.nodeA = nodeA
            self.nodeB = nodeB
            self.created = created
            self.delivered = delivered
            self.fidelity = fidelity
            self.outcomeA = outcomeA
            self.outcomeB = outcomeB
        }
    }

    /// An end of a request has taken every pair it asked for: nodes on its path stop
    /// generating entanglement for it.
    public struct RequestServed: Hashable, Sendable {
        public var requestID: RequestID
        /// More pairs are needed after all (a counted pair was lost to a cutoff).
        public var resumed: Bool
        public init(requestID: RequestID, resumed: Bool = false) {
            self.requestID = requestID
            self.resumed = resumed
        }
    }
}
