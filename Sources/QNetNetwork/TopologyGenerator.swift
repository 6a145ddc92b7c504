import Foundation
import QNetCore

/// A generator parameter outside its allowed range.
public struct TopologyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The parameter's name as the scenario file spells it (`nodes`, `leaves`, `alpha`, ...).
    public var parameter: String
    /// What is wrong.
    public var message: String
    /// What would be accepted, e.g. `allowed: 2 <= nodes <= 10000`.
    public var allowed: String

    public init(parameter: String, message: String, allowed: String) {
        self.parameter = parameter
        self.message = message
        self.allowed = allowed
    }

    public var description: String { "\(parameter): \(message); \(allowed)" }
}

/// Builds the graphs of the scenario's `topology:` generators (issue 8, "Networks").
///
/// Node names, node order and link order are part of the format (scripts rely on them):
/// - chain: `n0 … n(N−1)`, links `n(i)–n(i+1)` in order; N ≥ 2.
/// - ring: the chain plus `n(N−1)–n0` as the last link; N ≥ 3.
/// - star: `hub` then `l0 … l(N−1)`, links `hub–l(i)` in order (end A the hub); N ≥ 1 leaves.
/// - grid: `gR_C` row by row, e.g. `g0_0, g0_1, …, g1_0, …`; for each node in that order its
///   link to the right neighbour, then to the one below (end A the left or upper node).
/// - random: Waxman (see ``waxman(nodes:seed:alpha:beta:areaMetres:)``), nodes `n0 …`.
///
/// Every generator allows at most ``maximumNodes`` nodes (each node is an OS process).
public enum TopologyGenerator {
    /// The most nodes a generator makes.
    public static let maximumNodes = 10_000

    /// The name of the grid node in row `row` and column `column` (0-based): `g2_3`.
    public static func gridName(row: Int, column: Int) -> String { "g\(row)_\(column)" }

    /// `n0 — n1 — … — n(N−1)`, every link `spacingMetres` long; node i at (i·spacing, 0).
    /// - Throws: ``TopologyError`` unless 2 ≤ `nodes` ≤ ``maximumNodes`` and the spacing is > 0.
    public static func chain(nodes count: Int, spacingMetres spacing: Double) throws(TopologyError) -> NetworkGraph {
        try check("nodes", count, in: 2...maximumNodes)
        try checkLength("spacing", spacing)
        var graph = NetworkGraph()
        for i in 0..<count { graph.addNode(named: "n\(i)", position: PlanePoint(x: Double(i) * spacing, y: 0)) }
        for i in 0..<(count - 1) { graph.addLink(NodeID(UInt32(i)), NodeID(UInt32(i + 1)), lengthMetres: spacing) }
        return graph
    }

    /// The chain `n0 … n(N−1)` closed by a last link `n(N−1) — n0`; every link `spacingMetres` long.
    /// - Throws: ``TopologyError`` unless 3 ≤ `nodes` ≤ ``maximumNodes`` and the spacing is > 0.
    public static func ring(nodes count: Int, spacingMetres spacing: Double) throws(TopologyError) -> NetworkGraph {
        try check("nodes", count, in: 3...maximumNodes)
        try checkLength("spacing", spacing)
        var graph = NetworkGraph()
        for i in 0..<count { graph.addNode(named: "n\(i)") }
        for i in 0..<count {
            graph.addLink(NodeID(UInt32(i)), NodeID(UInt32((i + 1) % count)), lengthMetres: spacing)
        }
        return graph
    }

    /// A hub `hub` (node 0) and `leaves` leaves `l0 …` (nodes 1 …), each linked to the hub by a
    /// link `spacingMetres` long.
    /// - Throws: ``TopologyError`` unless 1 ≤ `leaves` < ``maximumNodes`` and the spacing is > 0.
    public static func star(leaves: Int, spacingMetres spacing: Double) throws(TopologyError) -> NetworkGraph {
        try check("leaves", leaves, in: 1...(maximumNodes - 1))
        try checkLength("spacing", spacing)
        var graph = NetworkGraph()
        let hub = graph.addNode(named: "hub")
        for i in 0..<leaves {
            let leaf = graph.addNode(named: "l\(i)")
            graph.addLink(hub, leaf, lengthMetres: spacing)
        }
        return graph
    }

    /// `rows × columns` nodes `gR_C`, row by row, each linked to its right and lower neighbours
    /// by links `spacingMetres` long; node `gR_C` at (C·spacing, R·spacing).
    /// - Throws: ``TopologyError`` unless rows, columns ≥ 1, 2 ≤ rows·columns ≤ ``maximumNodes``
    ///   and the spacing is > 0.
    public static func grid(rows: Int, columns: Int, spacingMetres spacing: Double) throws(TopologyError) -> NetworkGraph {
        try check("rows", rows, in: 1...maximumNodes)
        try check("columns", columns, in: 1...maximumNodes)
        let total = rows * columns
        guard total >= 2, total <= maximumNodes else {
            throw TopologyError(
                parameter: total < 2 ? "columns" : "rows",
                message: "a \(rows)×\(columns) grid has \(total) node\(total == 1 ? "" : "s")",
                allowed: "allowed: 2 <= rows*columns <= \(maximumNodes)"
            )
        }
        try checkLength("spacing", spacing)
        var graph = NetworkGraph()
        for r in 0..<rows {
            for c in 0..<columns {
                graph.addNode(
                    named: gridName(row: r, column: c),
                    position: PlanePoint(x: Double(c) * spacing, y: Double(r) * spacing)
                )
            }
        }
        func id(_ r: Int, _ c: Int) -> NodeID { NodeID(UInt32(r * columns + c)) }
        for r in 0..<rows {
            for c in 0..<columns {
                if c + 1 < columns { graph.addLink(id(r, c), id(r, c + 1), lengthMetres: spacing) }
                if r + 1 < rows { graph.addLink(id(r, c), id(r + 1, c), lengthMetres: spacing) }
            }
        }
        return graph
    }

    /// Shortest link a random topology makes, metres: two nodes closer than this are joined by
    /// a link of this length.
    public static let minimumRandomLinkMetres = 1.0

    /// A Waxman random graph (B. M. Waxman, "Routing of multipoint connections", IEEE J. Sel.
    /// Areas Commun. 6(9):1617–1622, 1988, eq. 1).
    ///
    /// Nodes `n0 … n(N−1)` are placed uniformly in an `areaMetres` × `areaMetres` square, node i
    /// at (x, y) from the i-th pair of draws of the stream `SeededRandom(seed:).split("waxman")`
    /// (independent of the run's seed). Then for every pair u < v, in order (u, then v), one
    /// more draw links them with probability `β·exp(−d(u,v) / (α·L))`, where d is the Euclidean
    /// distance and L the largest distance between two nodes; the link's end A is u and its
    /// length is d (at least ``minimumRandomLinkMetres``). Larger β gives more links; larger α
    /// more long ones relative to short ones.
    ///
    /// The graph may be disconnected: nothing is added to connect it (the scenario rejects a
    /// request whose two nodes end up in different components).
    ///
    /// - Throws: ``TopologyError`` unless 2 ≤ `nodes` ≤ ``maximumNodes``, 0 < α ≤ 1, 0 < β ≤ 1
    ///   (Waxman's ranges) and the area's side is > 0.
    /// - Complexity: O(nodes²) time and draws.
    public static func waxman(
        nodes count: Int, seed: UInt64, alpha: Double, beta: Double, areaMetres side: Double
    ) throws(TopologyError) -> NetworkGraph {
        try check("nodes", count, in: 2...maximumNodes)
        try checkUnitInterval("alpha", alpha)
        try checkUnitInterval("beta", beta)
        try checkLength("area", side)
        var random = SeededRandom(seed: seed).split("waxman")
        var points: [PlanePoint] = []
        points.reserveCapacity(count)
        for _ in 0..<count {
            let x = random.nextUnit() * side
            let y = random.nextUnit() * side
            points.append(PlanePoint(x: x, y: y))
        }
        var largest = 0.0
        for u in 0..<count {
            for v in (u + 1)..<count { largest = max(largest, points[u].distance(to: points[v])) }
        }
        var graph = NetworkGraph()
        for (i, point) in points.enumerated() { graph.addNode(named: "n\(i)", position: point) }
        for u in 0..<count {
            for v in (u + 1)..<count {
                let d = points[u].distance(to: points[v])
                // All nodes at one point (L = 0) only happens for a degenerate stream: every
                // distance is then 0 and the exponential factor 1.
                let p = beta * (largest > 0 ? exp(-d / (alpha * largest)) : 1)
                if random.nextUnit() < p {
                    graph.addLink(
                        NodeID(UInt32(u)), NodeID(UInt32(v)), lengthMetres: max(d, minimumRandomLinkMetres)
                    )
                }
            }
        }
        return graph
    }

    // MARK: Checks

    static func check(_ name: String, _ value: Int, in range: ClosedRange<Int>) throws(TopologyError) {
        guard range.contains(value) else {
            throw TopologyError(
                parameter: name, message: "\(value) is out of range",
                allowed: "allowed: \(range.lowerBound) <= \(name) <= \(range.upperBound)"
            )
        }
    }

    static func checkUnitInterval(_ name: String, _ value: Double) throws(TopologyError) {
        guard value > 0, value <= 1 else {
            throw TopologyError(parameter: name, message: "\(value) is out of range", allowed: "allowed: 0 < \(name) <= 1")
        }
    }

    static func checkLength(_ name: String, _ metres: Double) throws(TopologyError) {
        guard metres.isFinite, metres > 0 else {
            throw TopologyError(parameter: name, message: "\(metres) m is not a positive length", allowed: "allowed: a length > 0")
        }
    }
}
