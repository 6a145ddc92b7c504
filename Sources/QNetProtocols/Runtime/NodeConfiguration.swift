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

    /// A request whose path runs through this node.
    public struct Request: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            /// Keep: the fidelity to Φ+ is recorded from the exact state at delivery.
            case keep
            /// Measure both ends, each in a basis drawn uniformly from `bases`.
            case measure(bases: [MeasurementBasis])
        }
        public var id: RequestID
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
                    deadline: VTime? = nil) {
            self.deadline = deadline
            self.weight = weight
            self.priority = priority
            self.id = id
            self.pairs = pairs
            self.kind = kind
            self.start = start
            self.path = path
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
    /// The requests whose path includes this node, in start order.
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
