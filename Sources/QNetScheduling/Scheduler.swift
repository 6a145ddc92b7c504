import QNetCore

/// A stored link-level pair as the scheduler sees it: one of this node's qubits, entangled with a
/// partner elsewhere along the path of the request it serves.
public struct StoredLink: Sendable, Equatable {
    public var qubit: QubitID
    /// The link the pair was heralded on.
    public var link: LinkID
    /// The request the pair serves.
    public var request: RequestID
    /// When the link's entanglement was heralded at the station.
    public var created: VTime
    /// Path position of the partner (0 = the request's first node).
    public var partnerPosition: Int

    public init(qubit: QubitID, link: LinkID, request: RequestID, created: VTime, partnerPosition: Int) {
        self.qubit = qubit
        self.link = link
        self.request = request
        self.created = created
        self.partnerPosition = partnerPosition
    }
}

/// What the runtime tells its scheduler (DESIGN §6: observations in).
public enum Observation: Sendable, Equatable {
    /// A request became active at this node (its start time has come).
    case requestArrived(RequestID)
    /// This node stores a new link-level pair (after its herald).
    case linkPairStored(StoredLink)
    /// A stored pair's partner changed after a swap elsewhere (entanglement grew along the path).
    case pairExtended(StoredLink)
    /// A stored pair is gone (discarded here or at its partner, or consumed by a swap).
    case pairGone(QubitID)
}

/// What the scheduler tells the runtime to do (DESIGN §6: decisions out).
public enum Decision: Sendable, Equatable {
    /// Generate entanglement on `link` (keep an attempt batch open while the link is wanted).
    case attempt(link: LinkID)
    /// Bell-state measurement on two stored pairs of this node (entanglement swapping).
    case swap(QubitID, QubitID)
    /// Discard a stored pair at `time` if it is still stored and unused then (memory cutoff).
    case discard(QubitID, at: VTime)
}

/// What a node holds, as the scheduler may read it when deciding.
public struct NodeView: Sendable {
    /// This node's place on each active request's path: request → (path length, position).
    public var positions: [RequestID: (length: Int, position: Int)]
    /// The link toward the path's start and toward its end, per request (nil at an end).
    public var sides: [RequestID: (left: LinkID?, right: LinkID?)]
    /// Stored pairs that no protocol is using yet, oldest first.
    public var idle: [StoredLink]
    /// Current virtual time.
    public var now: VTime

    public init(positions: [RequestID: (length: Int, position: Int)], sides: [RequestID: (left: LinkID?, right: LinkID?)], idle: [StoredLink], now: VTime) {
        self.positions = positions
        self.sides = sides
        self.idle = idle
        self.now = now
    }
}

/// The one scheduling seam (DESIGN §6): every decision the node runtime takes goes through it,
/// observations in and decisions out. Built-in policies implement it in-process; the same
/// vocabulary is meant to travel as `scheduler.proto` to a controller process.
public protocol Scheduler: Sendable {
    mutating func on(_ observation: Observation, view: NodeView) -> [Decision]
}
