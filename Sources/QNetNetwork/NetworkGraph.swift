import QNetCore

/// A point in the plane, in metres, where a topology generator placed a node.
public struct PlanePoint: Equatable, Sendable {
    /// Metres along the first axis.
    public var x: Double
    /// Metres along the second axis.
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Euclidean distance to `other`, in metres.
    public func distance(to other: PlanePoint) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}

/// A network topology: nodes, and undirected links that each join two different nodes and
/// carry a fibre length (DESIGN §1; the graph the scenario's `links:` or `topology:` describe).
///
/// Ids are indices: `nodes[i].id == NodeID(i)` and `links[j].id == LinkID(j)`, in the order
/// they were added. Every algorithm on the graph scans a node's links in increasing link id, so
/// it is a pure function of the graph: every process that builds the same graph finds the same
/// paths. Two nodes may be joined by more than one link (the scenario format allows one); a
/// walk through nodes then uses the one with the lowest id.
///
/// Build one with ``addNode(named:position:)`` and ``addLink(_:_:lengthMetres:)``, or with
/// ``TopologyGenerator``.
public struct NetworkGraph: Equatable, Sendable {
    /// A node of the graph.
    public struct Node: Equatable, Sendable {
        /// Index in ``NetworkGraph/nodes``.
        public var id: NodeID
        /// The node's name (unique in a scenario; the graph does not require it).
        public var name: String
        /// Where a generator placed the node, in metres; nil when it placed none.
        public var position: PlanePoint?
    }

    /// An undirected link between two different nodes.
    public struct Link: Equatable, Sendable {
        /// Index in ``NetworkGraph/links``.
        public var id: LinkID
        /// The first end (the scenario's `nodes[0]`; the station position is measured from it).
        public var a: NodeID
        /// The second end.
        public var b: NodeID
        /// Fibre length between the two ends, metres, > 0.
        public var lengthMetres: Double

        /// The other end, or nil when `node` is not an end of this link.
        public func otherEnd(of node: NodeID) -> NodeID? {
            node == a ? b : node == b ? a : nil
        }

        /// Whether the link joins `u` and `v`, in either order.
        public func joins(_ u: NodeID, _ v: NodeID) -> Bool {
            (a == u && b == v) || (a == v && b == u)
        }
    }

    /// Nodes in the order they were added.
    public private(set) var nodes: [Node] = []
    /// Links in the order they were added.
    public private(set) var links: [Link] = []
    /// For each node, the indices of its links, increasing.
    private var adjacency: [[Int]] = []

    /// An empty graph.
    public init() {}

    /// Adds a node and returns its id (the previous node count).
    @discardableResult
    public mutating func addNode(named name: String, position: PlanePoint? = nil) -> NodeID {
        let id = NodeID(UInt32(nodes.count))
        nodes.append(Node(id: id, name: name, position: position))
        adjacency.append([])
        return id
    }

    /// Adds a link between two different existing nodes and returns its id.
    ///
    /// - Precondition: `a` and `b` are nodes of this graph, `a != b`, and `lengthMetres` is
    ///   finite and > 0. Callers validate their input first (the scenario decoder does); this
    ///   guards against programmer error only.
    @discardableResult
    public mutating func addLink(_ a: NodeID, _ b: NodeID, lengthMetres: Double) -> LinkID {
        precondition(contains(a) && contains(b) && a != b, "a link joins two different nodes of the graph")
        precondition(lengthMetres.isFinite && lengthMetres > 0, "a link's length is finite and > 0")
        let id = LinkID(UInt32(links.count))
        links.append(Link(id: id, a: a, b: b, lengthMetres: lengthMetres))
        adjacency[Int(a.rawValue)].append(links.count - 1)
        adjacency[Int(b.rawValue)].append(links.count - 1)
        return id
    }

    /// Whether `node` is a node of this graph.
    public func contains(_ node: NodeID) -> Bool { Int(node.rawValue) < nodes.count }

    /// The node with this id. - Precondition: ``contains(_:)``.
    public func node(_ id: NodeID) -> Node { nodes[Int(id.rawValue)] }

    /// The link with this id. - Precondition: the id comes from this graph.
    public func link(_ id: LinkID) -> Link { links[Int(id.rawValue)] }

    /// The id of the first node called `name`, if any.
    public func nodeID(named name: String) -> NodeID? {
        nodes.first { $0.name == name }?.id
    }

    /// The links that end at `node`, in increasing id; empty for a node not in the graph.
    public func links(of node: NodeID) -> [Link] {
        guard contains(node) else { return [] }
        return adjacency[Int(node.rawValue)].map { links[$0] }
    }

    /// The nodes one link away from `node`, in the order of its links (a neighbour joined by
    /// two links appears once).
    public func neighbours(of node: NodeID) -> [NodeID] {
        var seen: Set<NodeID> = []
        return links(of: node).compactMap { $0.otherEnd(of: node) }.filter { seen.insert($0).inserted }
    }

    /// The link with the lowest id between `u` and `v`, in either order, if there is one.
    public func link(between u: NodeID, and v: NodeID) -> Link? {
        links(of: u).first { $0.joins(u, v) }
    }

    /// Link indices of `node` (internal: the algorithms' inner loop).
    func adjacentLinkIndices(_ node: NodeID) -> [Int] { adjacency[Int(node.rawValue)] }

    /// The connected components: each a list of node ids in increasing order, the components
    /// ordered by their smallest id.
    ///
    /// - Complexity: O(nodes + links).
    public func components() -> [[NodeID]] {
        var component = [Int](repeating: -1, count: nodes.count)
        var result: [[NodeID]] = []
        for start in nodes.indices where component[start] < 0 {
            let index = result.count
            component[start] = index
            var members = [NodeID(UInt32(start))]
            var stack = [start]
            while let u = stack.popLast() {
                for l in adjacency[u] {
                    let link = links[l]
                    let v = Int((link.a.rawValue == UInt32(u) ? link.b : link.a).rawValue)
                    if component[v] < 0 {
                        component[v] = index
                        members.append(NodeID(UInt32(v)))
                        stack.append(v)
                    }
                }
            }
            result.append(members.sorted())
        }
        return result
    }

    /// Whether some path of links joins `u` and `v` (a node is connected to itself).
    public func isConnected(_ u: NodeID, _ v: NodeID) -> Bool {
        guard contains(u), contains(v) else { return false }
        return shortestPathByHops(from: u, to: v) != nil
    }
}

/// A simple path through a ``NetworkGraph``: the nodes it visits in order and the links it uses.
///
/// `links[i]` joins `nodes[i]` and `nodes[i + 1]`, so `nodes.count == links.count + 1`. A path
/// from a node to itself is that node and no links.
public struct NetworkPath: Hashable, Sendable, CustomStringConvertible {
    /// The nodes from the source to the destination.
    public var nodes: [NodeID]
    /// The links, in path order.
    public var links: [LinkID]

    public init(nodes: [NodeID], links: [LinkID]) {
        self.nodes = nodes
        self.links = links
    }

    /// The first node.
    public var source: NodeID { nodes[0] }
    /// The last node.
    public var destination: NodeID { nodes[nodes.count - 1] }
    /// Number of links.
    public var hops: Int { links.count }

    /// The same path walked from the destination to the source.
    public func reversed() -> NetworkPath {
        NetworkPath(nodes: nodes.reversed(), links: links.reversed())
    }

    /// `0>3>4` (node indices joined by `>`, as `pairs.csv` writes a path with names).
    public var description: String {
        nodes.map { "\($0.rawValue)" }.joined(separator: ">")
    }
}
