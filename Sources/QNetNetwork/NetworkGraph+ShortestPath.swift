import QNetCore

// Shortest paths: fewest links (breadth first), shortest fibre (Dijkstra), least total cost of
// a caller-supplied link cost (Dijkstra). All are deterministic functions of the graph.

extension NetworkGraph {
    /// The path with the fewest links from `source` to `target`, or nil when they are not
    /// connected (or either is not a node of the graph).
    ///
    /// Breadth first from `source`; the nodes of each level are expanded in the order they were
    /// discovered, each node's links in increasing id, and a node keeps the link that reached it
    /// first. Ties between equally short paths are therefore broken by link order: of two
    /// shortest paths, the one whose links the search meets first wins, the same in every process.
    ///
    /// - Complexity: O(nodes + links).
    public func shortestPathByHops(from source: NodeID, to target: NodeID) -> NetworkPath? {
        guard contains(source), contains(target) else { return nil }
        if source == target { return NetworkPath(nodes: [source], links: []) }
        var via = [Int](repeating: -1, count: nodes.count)  // link index that reached the node
        var seen = [Bool](repeating: false, count: nodes.count)
        seen[Int(source.rawValue)] = true
        var frontier = [source]
        while !frontier.isEmpty, !seen[Int(target.rawValue)] {
            var next: [NodeID] = []
            for u in frontier {
                for l in adjacentLinkIndices(u) {
                    let v = links[l].otherEnd(of: u)!
                    let vi = Int(v.rawValue)
                    if !seen[vi] {
                        seen[vi] = true
                        via[vi] = l
                        next.append(v)
                    }
                }
            }
            frontier = next
        }
        guard seen[Int(target.rawValue)] else { return nil }
        return trace(via: via, from: source, to: target)
    }

    /// The path of least total fibre length (sum of ``Link/lengthMetres``), or nil when the two
    /// nodes are not connected. Ties as in ``shortestPath(from:to:linkCost:)``.
    public func shortestPathByLength(from source: NodeID, to target: NodeID) -> NetworkPath? {
        shortestPath(from: source, to: target) { $0.lengthMetres }
    }

    /// The path of least total cost, the sum of `linkCost` over its links (Dijkstra 1959), or nil
    /// when no path of usable links joins the two nodes.
    ///
    /// `linkCost` is the caller's, e.g. the expected generation time of a link in seconds from a
    /// physics model (this target computes no physics). It must be a pure function of the link.
    /// A link whose cost is not a finite number ≥ 0 (∞, NaN, negative) is not used: an
    /// infinite expected time means the link never delivers.
    ///
    /// Ties: nodes are settled in increasing (cost, node id), each node's links relaxed in
    /// increasing link id, and a node's predecessor changes only for a strictly lower cost; so of
    /// equally cheap paths the one reached first in that order wins, the same in every process.
    ///
    /// - Complexity: O((nodes + links) log nodes).
    public func shortestPath(
        from source: NodeID, to target: NodeID, linkCost: (Link) -> Double
    ) -> NetworkPath? {
        leastCostPath(from: source, to: target, linkCost: linkCost, excludedNodes: nil, excludedLinks: nil)
    }

    /// The total cost of `path`: `linkCost` summed over its links in path order (0 for a path of
    /// one node).
    public func cost(of path: NetworkPath, linkCost: (Link) -> Double) -> Double {
        path.links.reduce(0) { $0 + linkCost(link($1)) }
    }

    /// Dijkstra with optional exclusions (Yen's spur searches use them).
    func leastCostPath(
        from source: NodeID, to target: NodeID, linkCost: (Link) -> Double,
        excludedNodes: [Bool]?, excludedLinks: [Bool]?
    ) -> NetworkPath? {
        guard contains(source), contains(target) else { return nil }
        if excludedNodes?[Int(source.rawValue)] == true || excludedNodes?[Int(target.rawValue)] == true { return nil }
        if source == target { return NetworkPath(nodes: [source], links: []) }
        var best = [Double](repeating: .infinity, count: nodes.count)
        var via = [Int](repeating: -1, count: nodes.count)
        var settled = [Bool](repeating: false, count: nodes.count)
        var queue = MinQueue()
        best[Int(source.rawValue)] = 0
        queue.push(cost: 0, node: source.rawValue)
        while let (cost, rawNode) = queue.pop() {
            let ui = Int(rawNode)
            if settled[ui] || cost > best[ui] { continue }
            settled[ui] = true
            if ui == Int(target.rawValue) { break }
            let u = NodeID(rawNode)
            for l in adjacentLinkIndices(u) {
                if excludedLinks?[l] == true { continue }
                let link = links[l]
                let v = link.otherEnd(of: u)!
                let vi = Int(v.rawValue)
                if settled[vi] || excludedNodes?[vi] == true { continue }
                let c = linkCost(link)
                guard c.isFinite, c >= 0 else { continue }
                let candidate = cost + c
                if candidate < best[vi] {
                    best[vi] = candidate
                    via[vi] = l
                    queue.push(cost: candidate, node: v.rawValue)
                }
            }
        }
        guard settled[Int(target.rawValue)] else { return nil }
        return trace(via: via, from: source, to: target)
    }

    /// Walks the predecessor links back from `target` to `source`.
    func trace(via: [Int], from source: NodeID, to target: NodeID) -> NetworkPath {
        var nodes = [target]
        var pathLinks: [LinkID] = []
        var current = target
        while current != source {
            let link = links[via[Int(current.rawValue)]]
            pathLinks.append(link.id)
            current = link.otherEnd(of: current)!
            nodes.append(current)
        }
        return NetworkPath(nodes: nodes.reversed(), links: pathLinks.reversed())
    }
}

/// A binary min-heap of (cost, node), ordered by cost and then node id, for Dijkstra.
/// Stale entries stay in the heap; the search skips them.
struct MinQueue {
    private var items: [(cost: Double, node: UInt32)] = []

    private static func less(_ x: (cost: Double, node: UInt32), _ y: (cost: Double, node: UInt32)) -> Bool {
        x.cost != y.cost ? x.cost < y.cost : x.node < y.node
    }

    mutating func push(cost: Double, node: UInt32) {
        items.append((cost, node))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Double, UInt32)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let left = 2 * i + 1, right = left + 1
                var smallest = i
                if left < items.count, Self.less(items[left], items[smallest]) { smallest = left }
                if right < items.count, Self.less(items[right], items[smallest]) { smallest = right }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
        return (top.cost, top.node)
    }
}
