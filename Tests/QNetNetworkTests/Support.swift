import QNetCore
import QNetNetwork

/// A graph from node names and `(a, b, metres)` triples, links in the order given.
func graph(_ names: [String], _ links: [(String, String, Double)]) -> NetworkGraph {
    var g = NetworkGraph()
    for name in names { g.addNode(named: name) }
    for (a, b, metres) in links {
        g.addLink(g.nodeID(named: a)!, g.nodeID(named: b)!, lengthMetres: metres)
    }
    return g
}

extension NetworkGraph {
    /// The id of a node that must exist.
    func id(_ name: String) -> NodeID { nodeID(named: name)! }

    /// Node names along a path.
    func names(_ path: NetworkPath?) -> [String]? {
        path.map { $0.nodes.map { node($0).name } }
    }

    /// Every simple path from `source` to `target`, by depth-first enumeration (for checking
    /// Yen's algorithm against brute force on small graphs).
    func allSimplePaths(from source: NodeID, to target: NodeID) -> [NetworkPath] {
        var result: [NetworkPath] = []
        var nodesOnPath = [source]
        var linksOnPath: [LinkID] = []
        func extend(_ u: NodeID) {
            if u == target {
                result.append(NetworkPath(nodes: nodesOnPath, links: linksOnPath))
                return
            }
            for link in links(of: u) {
                let v = link.otherEnd(of: u)!
                if nodesOnPath.contains(v) { continue }
                nodesOnPath.append(v)
                linksOnPath.append(link.id)
                extend(v)
                nodesOnPath.removeLast()
                linksOnPath.removeLast()
            }
        }
        extend(source)
        return result
    }
}

/// The diamond `a–b–d`, `a–c–d` with the given link order and lengths.
///
/// ```
///      b
///    /   \
///   a     d
///    \   /
///      c
/// ```
func diamond(order: [(String, String, Double)]) -> NetworkGraph {
    graph(["a", "b", "c", "d"], order)
}
