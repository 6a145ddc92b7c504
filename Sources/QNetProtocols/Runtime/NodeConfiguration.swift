import QNetCore
import QNetPhysics
import QNetQuantum
import QNetScheduling

/// Everything a node runtime needs to know about the run, as plain values (no scenario file, no
/// formulas): resolved once by the coordinator from the scenario and sent to the node in its
/// Welcome (`NodeConfig` in `Protos/qnet/v1/config.proto`).
public struct NodeConfiguration: Hashable, Sendable {
    /// One heralded link of this node.
    public struct Link: Hashable, Sendable {
        public var id: LinkID
        /// The link's first node (its station's end A) and second node.
        public var a: NodeID
        public var b: NodeID
        /// The process name of the link's station.
        public var station: String
        /// One attempt cycle (emission rounds plus the round trip over the longer arm).
        public var cycle: VDuration
        /// Attempts (modes) per cycle.
        public var modes: Int

        public init(id: LinkID, a: NodeID, b: NodeID, station: String, cycle: VDuration, modes: Int) {
            self.id = id
            self.a = a
            self.b = b
            self.station = station
            self.cycle = cycle
            self.modes = modes
        }

        /// The end of this link at `node`.
        public func end(of node: NodeID) -> LinkEnd? { node == a ? .a : node == b ? .b : nil }
        /// The other end of the link, or nil if `node` is not an end of it.
        public func otherEnd(of node: NodeID) -> NodeID? { node == a ? b : node == b ? a : nil }
    }

    /// One path of a request, when that path runs through this node.
    ///
    /// A request served over several paths (`routing: k-shortest`) is one `Request` per path,
    /// each with its own ``id`` (the runtime, the scheduler and every protocol message name the
    /// path by it), the same ``parent`` and its ``pathIndex``; ``pathIDs(pathCounts:)`` assigns
    /// the ids. The pair count is the parent's, shared by its paths: the ends stop every path of
    /// it once they have taken ``pairs`` pairs over all of them.
    public struct Request: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            /// Keep: the fidelity to Φ+ is recorded from the exact state at delivery.
            case keep
            /// Measure both ends, each in a basis drawn uniformly from `bases`.
            case measure(bases: [MeasurementBasis])
        }
        /// This path's id: the request's own (its scenario index) for its first path; see
        /// ``pathIDs(pathCounts:)``.
        public var id: RequestID
        /// The scenario's request this is a path of (``id`` for a request's first path).
        public var parent: RequestID
        /// This path's place among its request's paths, 0 for the first (least expected
        /// generation time); below ``maximumPaths``.
        public var pathIndex: Int
        /// The pairs the request asks for, over all its paths.
        public var pairs: Int
        public var kind: Kind
        /// When the request is issued.
        public var start: VTime
        /// The nodes the request is served along, from its first to its last node.
        public var path: [NodeID]
        /// Share of a link under weighted-fair scheduling (> 0), and priority (higher first).
        public var weight: Double
        public var priority: Int
        /// When all its pairs are due (absolute virtual time), read by earliest-deadline-first
        /// scheduling; nil: no deadline.
        public var deadline: VTime?

        public init(id: RequestID, pairs: Int, kind: Kind, start: VTime, path: [NodeID], weight: Double = 1, priority: Int = 0,
                    deadline: VTime? = nil, parent: RequestID? = nil, pathIndex: Int = 0) {
            self.parent = parent ?? id
            self.pathIndex = pathIndex
            self.deadline = deadline
            self.weight = weight
            self.priority = priority
            self.id = id
            self.pairs = pairs
            self.kind = kind
            self.start = start
            self.path = path
        }

        /// The most paths one request has (`policies.paths` ≤ 8, QNetNetwork's `Router.maximumPathCount`).
        public static let maximumPaths = 8

        /// The id of every path of every request, `ids[r][k]` for path `k` of request `r`, given
        /// how many paths each request has: a request's first path keeps the request's id, so a
        /// run with one path per request names paths as it names requests; the further paths
        /// are numbered on from the number of requests, in request order, then path order.
        /// Every process that knows the paths derives the same ids.
        ///
        /// A count below 1 gives the request no path ids.
        public static func pathIDs(pathCounts: [Int]) -> [[RequestID]] {
            var next = UInt32(clamping: pathCounts.count)
            return pathCounts.enumerated().map { r, count in
                guard count > 0 else { return [] }
                var ids = [RequestID(UInt32(clamping: r))]
                for _ in 1..<count {
                    ids.append(RequestID(next))
                    next &+= 1
                }
                return ids
            }
        }
    }

    /// This node.
    public var node: NodeID
    /// Every node's process name, by node index.
    public var names: [String]
    /// Every node's memory (a qubit decoheres with its home's), by node index.
    public var memories: [MemoryModel]
    /// This node's memory qubits (all of them; shared by its links and requests).
    public var qubits: Int
    /// Most qubits one link may use at once; nil: all of them.
    public var communicationQubits: Int?
    /// This node's readout error: probability that a measurement reports the wrong outcome.
    public var readoutError: Double
    /// This node's two-qubit gate fidelity: the probability that the gate acts perfectly; otherwise
    /// its two qubits are depolarised (Briegel, Dür, Cirac & Zoller, PRL 81, 5932, 1998).
    public var gateFidelity: Double
    /// This node's attempt period (one emission round) and modes per attempt.
    public var attemptPeriod: VDuration
    public var multiplexing: Int
    /// This node's links, in scenario order.
    public var links: [Link]
    /// The requests whose path includes this node, one entry per path through it, in start order
    /// (then id order).
    public var requests: [Request]
    /// End of the run (virtual).
    public var end: VTime
    /// Seed of every random stream of this node.
    public var seed: UInt64
    /// The built-in scheduler's policies.
    public var policies: SchedulingPolicies
    /// How many qubits can be alive in the whole network at once (bounds the tables that
    /// remember qubits that have moved on).
    public var liveQubits: Int
    /// Probability that this node's Bell measurement (a swap) succeeds, in (0, 1]; a failed one
    /// destroys both pairs (linear-optics Bell measurement succeeds with at most 1/2:
    /// Calsamiglia & Lütkenhaus, Appl. Phys. B 72, 67, 2001). Default 1.
    public var bellSuccessProbability: Double = 1

    public init(
        node: NodeID, names: [String], memories: [MemoryModel], qubits: Int, communicationQubits: Int? = nil, readoutError: Double, gateFidelity: Double = 1, attemptPeriod: VDuration,
        multiplexing: Int, links: [Link], requests: [Request], end: VTime, seed: UInt64, policies: SchedulingPolicies = SchedulingPolicies(),
        liveQubits: Int
    ) {
        self.policies = policies
        self.liveQubits = liveQubits
        self.node = node
        self.names = names
        self.memories = memories
        self.qubits = qubits
        self.communicationQubits = communicationQubits
        self.readoutError = readoutError
        self.gateFidelity = gateFidelity
        self.attemptPeriod = attemptPeriod
        self.multiplexing = multiplexing
        self.links = links
        self.requests = requests
        self.end = end
        self.seed = seed
    }

    public var name: String { names[Int(node.rawValue)] }

    /// The process name of `node`, or a placeholder for an id outside the run (a peer's mistake).
    public func name(of node: NodeID) -> String {
        Int(node.rawValue) < names.count ? names[Int(node.rawValue)] : "node#\(node.rawValue)"
    }

    /// The index of the node called `name`.
    public func node(named name: String) -> NodeID? {
        names.firstIndex(of: name).map { NodeID(UInt32($0)) }
    }
}
