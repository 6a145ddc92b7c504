import QNetCore

/// A stored link-level pair as the scheduler sees it: one of this node's qubits, entangled with a
/// partner elsewhere along the path of the request it serves.
public struct StoredLink: Sendable, Hashable {
    public var qubit: QubitID
    /// The link the pair was heralded on.
    public var link: LinkID
    /// The request the pair serves.
    public var request: RequestID
    /// When the link's entanglement was heralded at the station.
    public var created: VTime
    /// Path position of the partner (0 = the request's first node).
    public var partnerPosition: Int
    /// When the oldest link-level pair this pair is made of (as far as this node knows) was
    /// heralded: ``created`` until a swap extends it.
    public var oldest: VTime

    public init(qubit: QubitID, link: LinkID, request: RequestID, created: VTime, partnerPosition: Int, oldest: VTime? = nil) {
        self.oldest = oldest ?? created
        self.qubit = qubit
        self.link = link
        self.request = request
        self.created = created
        self.partnerPosition = partnerPosition
    }
}

/// What the runtime tells its scheduler (DESIGN §6: observations in).
public enum Observation: Sendable, Hashable {
    /// A request became active at this node (its start time has come): a planned path of it
    /// passes through this node, to be installed (``Decision/installPath(_:)``). The view does
    /// not show the path until it is.
    case requestArrived(RequestID)
    /// This node stores a new link-level pair (after its herald).
    case linkPairStored(StoredLink)
    /// A stored pair's partner changed after a swap elsewhere (entanglement grew along the path).
    case pairExtended(StoredLink)
    /// A stored pair is gone (discarded here or at its partner, or consumed by a swap).
    case pairGone(QubitID)
    /// This node has a free memory qubit: which link should it attempt on, for which request?
    case qubitFree
    /// This node's Bell measurement on two stored pairs succeeded, or failed and destroyed both
    /// (`bellMeasurement.successProbability`).
    case swapOutcome(left: QubitID, right: QubitID, success: Bool)
    /// An end of a request holds an end-to-end pair with every swap heard of and (at the
    /// path's last node) its correction known: hand it to the application (``Decision/deliver(_:)``)?
    case pairCorrected(StoredLink)
    /// A request is served: this end took its last pair, or an end said so.
    case requestServed(RequestID)
    /// A request's deadline passed before it was served here (it is still served afterwards).
    case requestExpired(RequestID)

    /// Whether a controller (controller placement) takes the decision on this observation.
    /// Delivery (`pairCorrected`) stays at the node, as the application's, and so does link
    /// generation (`qubitFree`) unless `policies.generationPlacement: controller`, where the
    /// runtime's allocation sends it itself; every other observation travels.
    public var isForController: Bool {
        switch self {
        case .qubitFree, .pairCorrected: false
        default: true
        }
    }
}

/// What the scheduler tells the runtime to do (DESIGN §6: decisions out).
public enum Decision: Sendable, Hashable {
    /// Give a free memory qubit to `link`: open an attempt batch there. `label` is the request a
    /// pair from it serves (used when this node is the link's master, end A).
    case attempt(link: LinkID, label: RequestID?)
    /// Bell-state measurement on two stored pairs of this node (entanglement swapping).
    case swap(QubitID, QubitID)
    /// Discard a stored pair at `time` if it is still stored and unused then (memory cutoff).
    case discard(QubitID, at: VTime)
    /// Hand a corrected end-to-end pair (``Observation/pairCorrected(_:)``) to the application
    /// now; until then it stays in memory (and decoheres, and may be cut off).
    case deliver(QubitID)
    /// Install a path at this node (on ``Observation/requestArrived(_:)``): the node takes its
    /// place on the path of the request (or of one candidate path of it, under `routing:
    /// k-shortest`) and starts generating and swapping for it; until then the planned path is
    /// idle here. Meant for every node on the path, or none.
    case installPath(RequestID)
}

/// A request as a link's scheduler sees it: one path of a request, when the request is served
/// over several (`routing: k-shortest`).
public struct RequestCandidate: Sendable, Hashable {
    /// The path's request id (the request's own for its first path).
    public var id: RequestID
    public var start: VTime
    /// Its share of the link under weighted-fair scheduling: the request's weight, divided among
    /// its paths that want pairs on the link.
    public var weight: Double
    public var priority: Int
    /// When all the request's pairs are due (absolute virtual time); nil: no deadline.
    public var deadline: VTime?
    /// The scenario's request whose path this is: candidates of one group are paths of one
    /// request, which take their turns on a link they share. ``id`` for a single-path request.
    public var group: RequestID
    public init(id: RequestID, start: VTime, weight: Double, priority: Int, deadline: VTime? = nil, group: RequestID? = nil) {
        self.id = id
        self.start = start
        self.weight = weight
        self.priority = priority
        self.deadline = deadline
        self.group = group ?? id
    }
}

/// One of this node's links, as the scheduler sees it.
public struct LinkDemand: Sendable, Hashable {
    /// Requests that want pairs on the link now (started, not known to be served), start order.
    public var requests: [RequestCandidate]
    /// Qubits attempting on it, and stored pairs from it.
    public var attempting: Int
    public var stored: Int
    /// Most qubits it may use at once (`communicationQubits`).
    public var limit: Int
    /// This node is the link's master (end A): it labels the pairs.
    public var isMaster: Bool
    /// Stored pairs here that wait for a pair on this link to be swapped with, by request
    /// (they each need a qubit attempting here).
    public var needed: [RequestID]

    public init(requests: [RequestCandidate], attempting: Int, stored: Int, limit: Int, isMaster: Bool, needed: [RequestID]) {
        self.requests = requests
        self.attempting = attempting
        self.stored = stored
        self.limit = limit
        self.isMaster = isMaster
        self.needed = needed
    }
}

/// What a node holds, as the scheduler may read it when deciding.
public struct NodeView: Sendable {
    /// This node's place on each request's path: request → (path length, position).
    public var positions: [RequestID: (length: Int, position: Int)]
    /// The link toward the path's start and toward its end, per request (nil at an end).
    public var sides: [RequestID: (left: LinkID?, right: LinkID?)]
    /// Stored pairs that no protocol is using yet, oldest first.
    public var idle: [StoredLink]
    /// This node's links with demand, by id.
    public var links: [LinkID: LinkDemand]
    /// Free memory qubits.
    public var freeQubits: Int
    /// Current virtual time.
    public var now: VTime

    public init(positions: [RequestID: (length: Int, position: Int)], sides: [RequestID: (left: LinkID?, right: LinkID?)],
                idle: [StoredLink], links: [LinkID: LinkDemand] = [:], freeQubits: Int = 0, now: VTime) {
        self.positions = positions
        self.sides = sides
        self.idle = idle
        self.links = links
        self.freeQubits = freeQubits
        self.now = now
    }
}

/// The one scheduling seam (DESIGN §6): every decision the node runtime takes goes through it,
/// observations in and decisions out. Built-in policies implement it in-process; the same
/// vocabulary is meant to travel as `scheduler.proto` to a controller process.
public protocol Scheduler: Sendable {
    mutating func on(_ observation: Observation, view: NodeView) -> [Decision]
    /// How much of the node's view the scheduler reads on `observation` (building the full view
    /// costs a pass over the node's tables): ``ViewNeed/full`` by default.
    func viewNeeded(for observation: Observation) -> ViewNeed
}

/// What a scheduler reads on an observation.
public enum ViewNeed: Sendable {
    /// Nothing: the observation is not even passed on.
    case none
    /// Only ``NodeView/now``.
    case time
    /// The whole view.
    case full
}

extension Scheduler {
    public func viewNeeded(for observation: Observation) -> ViewNeed { .full }
}
