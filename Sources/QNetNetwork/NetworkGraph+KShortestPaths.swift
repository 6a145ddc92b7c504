import QNetCore

extension NetworkGraph {
    /// Up to `count` simple paths (no repeated node) from `source` to `target`, in increasing
    /// total cost: Yen's algorithm (J. Y. Yen, "Finding the K shortest loopless paths in a
    /// network", Management Science 17(11):712–716, 1971), for multipath routing.
    ///
    /// The first path is ``shortestPath(from:to:linkCost:)``. Each next one is the cheapest
    /// candidate made of a root (a prefix of the previous path) and a spur (a least-cost path from
    /// the root's last node that avoids the root's other nodes and the links that paths already
    /// found leave the same root by). Of the candidates found so far, the cheapest is taken next;
    /// among equal costs the one with fewer links, then the one whose link ids come first in
    /// path order. The list is therefore the same in every process, but equal-cost paths come
    /// in the order Yen's search meets them, not sorted among themselves. Link
    /// costs follow ``shortestPath(from:to:linkCost:)``: a link whose cost is not finite and
    /// ≥ 0 is not used. Fewer than `count` paths come back when fewer exist; none when
    /// `count` < 1 or the nodes are not connected.
    ///
    /// - Complexity: O(count · nodes · (nodes + links) log nodes).
    public func kShortestPaths(
        from source: NodeID, to target: NodeID, count: Int, linkCost: (Link) -> Double
    ) -> [NetworkPath] {
        guard count > 0, let first = shortestPath(from: source, to: target, linkCost: linkCost) else { return [] }
        var accepted: [(path: NetworkPath, cost: Double)] = [(first, cost(of: first, linkCost: linkCost))]
        var candidates: [(path: NetworkPath, cost: Double)] = []
        var known: Set<NetworkPath> = [first]
        while accepted.count < count {
            let previous = accepted[accepted.count - 1].path
            for i in 0..<previous.links.count {
                let spurNode = previous.nodes[i]
                let rootLinks = Array(previous.links[0..<i])
                var excludedLinks = [Bool](repeating: false, count: links.count)
                for (path, _) in accepted where path.links.count > i && Array(path.links[0..<i]) == rootLinks {
                    excludedLinks[Int(path.links[i].rawValue)] = true
                }
                var excludedNodes = [Bool](repeating: false, count: nodes.count)
                for node in previous.nodes[0..<i] { excludedNodes[Int(node.rawValue)] = true }
                guard let spur = leastCostPath(
                    from: spurNode, to: target, linkCost: linkCost,
                    excludedNodes: excludedNodes, excludedLinks: excludedLinks
                ) else { continue }
                let path = NetworkPath(
                    nodes: Array(previous.nodes[0..<i]) + spur.nodes, links: rootLinks + spur.links
                )
                if known.insert(path).inserted {
                    candidates.append((path, cost(of: path, linkCost: linkCost)))
                }
            }
            guard let best = candidates.indices.min(by: { Self.precedes(candidates[$0], candidates[$1]) }) else { break }
            accepted.append(candidates.remove(at: best))
        }
        return accepted.map(\.path)
    }

    /// Candidate order: cost, then fewer links, then link ids in path order.
    static func precedes(_ x: (path: NetworkPath, cost: Double), _ y: (path: NetworkPath, cost: Double)) -> Bool {
        if x.cost != y.cost { return x.cost < y.cost }
        if x.path.hops != y.path.hops { return x.path.hops < y.path.hops }
        return x.path.links.lexicographicallyPrecedes(y.path.links)
    }
}
