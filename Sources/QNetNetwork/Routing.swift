import QNetCore

/// How a request's path is chosen when no static route covers its two nodes
/// (`policies.routing`).
public enum RoutingPolicy: String, Equatable, Sendable, CaseIterable {
    /// Fewest links (breadth first; ``NetworkGraph/shortestPathByHops(from:to:)``). Default.
    case hops
    /// Least total fibre length (``NetworkGraph/shortestPathByLength(from:to:)``).
    case length
    /// Least total expected generation time, from a per-link cost the caller derives from the
    /// link model (``NetworkGraph/shortestPath(from:to:linkCost:)``).
    case expectedTime = "expected-time"
    /// Multipath: the ``Router/pathCount`` paths of least expected generation time, in increasing
    /// cost (Yen's algorithm, ``NetworkGraph/kShortestPaths(from:to:count:linkCost:)``, under the
    /// same link cost as `expected-time`); a request's pairs may come over any of them. Its first
    /// path is the `expected-time` path.
    case kShortest = "k-shortest"
}

/// A route that does not fit its graph or table.
public struct RouteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Equatable, Sendable {
        /// Fewer than two nodes.
        case tooShort
        /// A node id that is not in the graph.
        case unknownNode
        /// A node visited twice.
        case repeatedNode
        /// Two consecutive nodes that no link joins.
        case missingLink
        /// A second route between the same two nodes (in either direction).
        case duplicatePair
    }

    public var code: Code
    /// The position in the node list where the problem shows: the unknown node, the second
    /// visit of a repeated node, the node no link reaches from its predecessor; for
    /// ``Code/duplicatePair`` the index of the route already in the table.
    public var index: Int
    /// The nodes involved: the unknown or repeated node; the two unlinked nodes; the pair.
    public var nodes: [NodeID]
    /// What is wrong, in words (node names where the graph knows them).
    public var message: String

    public init(code: Code, index: Int, nodes: [NodeID], message: String) {
        self.code = code
        self.index = index
        self.nodes = nodes
        self.message = message
    }

    public var description: String { message }
}

extension NetworkGraph {
    /// The path that visits `sequence` in order, each step over the lowest-id link joining the
    /// two nodes: the check a static route must pass.
    ///
    /// - Throws: ``RouteError`` for the first problem in path order: fewer than two nodes
    ///   (``RouteError/Code/tooShort``), a node not in the graph, a node visited twice, or two
    ///   consecutive nodes no link joins.
    public func path(through sequence: [NodeID]) throws(RouteError) -> NetworkPath {
        guard sequence.count >= 2 else {
            throw RouteError(code: .tooShort, index: 0, nodes: sequence, message: "a route needs at least its two ends")
        }
        var firstVisit: [NodeID: Int] = [:]
        var pathLinks: [LinkID] = []
        for (i, node) in sequence.enumerated() {
            guard contains(node) else {
                throw RouteError(code: .unknownNode, index: i, nodes: [node], message: "\(node) is not a node of the network")
            }
            if let first = firstVisit[node] {
                throw RouteError(
                    code: .repeatedNode, index: i, nodes: [node],
                    message: "\(self.node(node).name) appears twice (positions \(first) and \(i))"
                )
            }
            firstVisit[node] = i
            if i > 0 {
                let previous = sequence[i - 1]
                guard let link = link(between: previous, and: node) else {
                    throw RouteError(
                        code: .missingLink, index: i, nodes: [previous, node],
                        message: "no link between \(self.node(previous).name) and \(self.node(node).name)"
                    )
                }
                pathLinks.append(link.id)
            }
        }
        return NetworkPath(nodes: sequence, links: pathLinks)
    }
}

/// Static routes: at most one path per pair of nodes, used in both directions
/// (the scenario's `routes:`).
public struct RouteTable: Equatable, Sendable {
    /// The routes in the order they were added.
    public private(set) var routes: [NetworkPath] = []

    public init() {}

    /// Adds `path` as the route between its two ends.
    ///
    /// - Throws: ``RouteError`` with ``RouteError/Code/duplicatePair`` (and the index of the
    ///   route already there) when the table has a route between the same two nodes, or
    ///   ``RouteError/Code/tooShort`` for a path of one node.
    public mutating func add(_ path: NetworkPath) throws(RouteError) {
        guard path.nodes.count >= 2 else {
            throw RouteError(code: .tooShort, index: 0, nodes: path.nodes, message: "a route needs at least its two ends")
        }
        if let existing = index(between: path.source, and: path.destination) {
            throw RouteError(
                code: .duplicatePair, index: existing, nodes: [path.source, path.destination],
                message: "a route between \(path.source) and \(path.destination) is already given (route \(existing))"
            )
        }
        routes.append(path)
    }

    /// The index of the route between `u` and `v`, in either direction.
    public func index(between u: NodeID, and v: NodeID) -> Int? {
        routes.firstIndex { ($0.source == u && $0.destination == v) || ($0.source == v && $0.destination == u) }
    }

    /// The route from `source` to `target`: as written, or reversed when it was written the
    /// other way; nil when the table has none for the pair.
    public func route(from source: NodeID, to target: NodeID) -> NetworkPath? {
        guard let i = index(between: source, and: target) else { return nil }
        let path = routes[i]
        return path.source == source ? path : path.reversed()
    }
}

/// Chooses paths: the static route for a pair when the table has one, otherwise the policy's
/// shortest path, or under ``RoutingPolicy/kShortest`` its ``pathCount`` shortest paths (DESIGN §6,
/// routing as a policy).
public struct Router: Equatable, Sendable {
    public var graph: NetworkGraph
    public var table: RouteTable
    public var policy: RoutingPolicy
    /// How many paths ``paths(from:to:linkCost:)`` gives a pair under ``RoutingPolicy/kShortest``
    /// (at most ``maximumPathCount``); every other policy gives one.
    public var pathCount: Int

    /// The most paths ``RoutingPolicy/kShortest`` gives one pair (`policies.paths` ≤ 8): every
    /// path of a request is served at once, and its ends hold a qubit for each.
    public static let maximumPathCount = 8

    public init(graph: NetworkGraph, table: RouteTable = RouteTable(), policy: RoutingPolicy = .hops, pathCount: Int = 1) {
        self.graph = graph
        self.table = table
        self.policy = policy
        self.pathCount = pathCount
    }

    /// The path from `source` to `target`, or nil when none exists.
    ///
    /// `linkCost` is read only under ``RoutingPolicy/expectedTime`` and ``RoutingPolicy/kShortest``
    /// (the expected generation time of each link, ≥ 0; see
    /// ``NetworkGraph/shortestPath(from:to:linkCost:)``); under `hops` and `length` it is ignored.
    /// Under `kShortest` this is the first of ``paths(from:to:linkCost:)``. A static route wins
    /// over every policy.
    public func route(
        from source: NodeID, to target: NodeID, linkCost: (NetworkGraph.Link) -> Double
    ) -> NetworkPath? {
        if let path = table.route(from: source, to: target) { return path }
        switch policy {
        case .hops: return graph.shortestPathByHops(from: source, to: target)
        case .length: return graph.shortestPathByLength(from: source, to: target)
        case .expectedTime, .kShortest: return graph.shortestPath(from: source, to: target, linkCost: linkCost)
        }
    }

    /// Every path from `source` to `target` a request between them is served along, first path
    /// first; empty when none exists.
    ///
    /// A static route wins over every policy and is the only path. Under
    /// ``RoutingPolicy/kShortest`` these are the (up to) `pathCount`, at most
    /// ``maximumPathCount``, simple paths of least total `linkCost`, in increasing cost (fewer
    /// when fewer exist); under every other policy, ``route(from:to:linkCost:)`` alone.
    ///
    /// - Complexity: under `kShortest`, that of ``NetworkGraph/kShortestPaths(from:to:count:linkCost:)``.
    public func paths(
        from source: NodeID, to target: NodeID, linkCost: (NetworkGraph.Link) -> Double
    ) -> [NetworkPath] {
        if let path = table.route(from: source, to: target) { return [path] }
        guard policy == .kShortest else { return route(from: source, to: target, linkCost: linkCost).map { [$0] } ?? [] }
        let count = min(max(pathCount, 1), Self.maximumPathCount)
        return graph.kShortestPaths(from: source, to: target, count: count, linkCost: linkCost)
    }
}
