import QNetCore
import QNetNetwork

// Routing on a scenario: the topology as a QNetNetwork graph, static routes, and the path of
// each request under `policies.routing`. Every function here is a pure function of the
// scenario, so every process that reads the same scenario chooses the same paths.

extension Scenario {
    /// The topology as a graph: node i is ``nodes``[i] and link j is ``links``[j] (same ids),
    /// lengths in metres.
    ///
    /// - Complexity: O(nodes + links), built on each call: keep it when routing many requests.
    public var network: NetworkGraph {
        var graph = NetworkGraph()
        for node in nodes { graph.addNode(named: node.name) }
        for link in links { graph.addLink(link.a, link.b, lengthMetres: max(link.length.metres, 0.001)) }
        return graph
    }

    /// The static routes as a table over ``network``. Routes that do not fit it (none in a
    /// parsed scenario, whose routes are checked) are left out.
    public func routeTable(in graph: NetworkGraph) -> RouteTable {
        var table = RouteTable()
        for route in routes {
            guard let path = try? graph.path(through: route.path) else { continue }
            try? table.add(path)
        }
        return table
    }

    /// The router of this scenario: its graph, its static routes, `policies.routing` and
    /// (under `k-shortest`) `policies.paths`.
    public var router: Router {
        let graph = network
        return Router(graph: graph, table: routeTable(in: graph), policy: policies.routing,
                      pathCount: policies.routing == .kShortest ? policies.paths : 1)
    }

    /// The static route from `from` to `to` (a route written the other way is reversed), or
    /// nil when `routes` has none for the pair.
    public func staticRoute(from: NodeID, to: NodeID) -> [NodeID]? {
        for route in routes {
            if route.from == from && route.to == to { return route.path }
            if route.from == to && route.to == from { return route.path.reversed() }
        }
        return nil
    }

    /// The path between two nodes without a link cost: the static route when there is one,
    /// otherwise the fewest links (breadth first, ties by link order), or under
    /// `policies.routing: length` the least fibre length; nil when they are not connected.
    ///
    /// Under `policies.routing: expected-time` or `k-shortest` this cannot know the link model and
    /// gives the fewest-links path; use ``route(for:linkCost:)`` there. The path from `b` to `a` need not
    /// be the reverse of the one from `a` to `b` when there are ties; a request's path is always
    /// computed from its `from`.
    public func path(from: NodeID, to: NodeID) -> [NodeID]? {
        if let route = staticRoute(from: from, to: to) { return route }
        let graph = network
        let path = policies.routing == .length
            ? graph.shortestPathByLength(from: from, to: to)
            : graph.shortestPathByHops(from: from, to: to)
        return path?.nodes
    }

    /// The path from `from` to `to` under `policies.routing`, with `linkCost` the expected
    /// generation time of each link (seconds, ≥ 0; read only under `expected-time`): the static
    /// route when there is one, else the policy's shortest path; nil when no path of usable
    /// links exists (a link whose cost is not finite and ≥ 0 is not used).
    public func route(from: NodeID, to: NodeID, linkCost: (LinkSpec) -> Double) -> [NodeID]? {
        let router = self.router
        return router.route(from: from, to: to) { linkCost(links[Int($0.id.rawValue)]) }?.nodes
    }

    /// The path of `request`, from its `from` to its `to`: ``route(from:to:linkCost:)``.
    public func route(for request: RequestSpec, linkCost: (LinkSpec) -> Double) -> [NodeID]? {
        route(from: request.from, to: request.to, linkCost: linkCost)
    }

    /// Every request's path, `result[i]` for `requests[i]` (nil where no path of usable links
    /// exists), with the graph built once; under `k-shortest`, each request's first path. (Not to
    /// be confused with ``routes``, the file's static routes, which these paths follow where they
    /// apply.)
    public func routes(linkCost: (LinkSpec) -> Double) -> [[NodeID]?] {
        let router = self.router
        return requests.map { request in
            router.route(from: request.from, to: request.to) { linkCost(links[Int($0.id.rawValue)]) }?.nodes
        }
    }

    /// Every path of every request, `result[i]` for `requests[i]`, first path first (empty where
    /// no path of usable links exists): the static route alone when there is one, else under
    /// `routing: k-shortest` up to `policies.paths` paths of least total `linkCost` in increasing
    /// cost (``Router/paths(from:to:linkCost:)``), else the policy's one path.
    ///
    /// - Complexity: under `k-shortest`, requests × that of
    ///   ``NetworkGraph/kShortestPaths(from:to:count:linkCost:)``.
    public func multipathRoutes(linkCost: (LinkSpec) -> Double) -> [[[NodeID]]] {
        let router = self.router
        return requests.map { request in
            router.paths(from: request.from, to: request.to) { linkCost(links[Int($0.id.rawValue)]) }.map(\.nodes)
        }
    }
}
