import QNetCore
import Testing

@testable import QNetNetwork

@Suite("k shortest simple paths (Yen 1971)")
struct KShortestPathsTests {
    @Test("a 2×3 grid by hops: three 3-link paths, then the one 5-link path")
    func smallGrid() throws {
        // g0_0 g0_1 g0_2
        // g1_0 g1_1 g1_2
        let g = try TopologyGenerator.grid(rows: 2, columns: 3, spacingMetres: 1)
        let paths = g.kShortestPaths(from: g.id("g0_0"), to: g.id("g1_2"), count: 10) { _ in 1 }
        // By hand: right-right-down, right-down-right, down-right-right; the grid is bipartite,
        // so every path has an odd number of links, and the only longer simple path snakes
        // through all six nodes (the other snake, g0_0 g0_1 g1_1 g1_0, is stuck at g1_0).
        #expect(paths.map(\.hops) == [3, 3, 3, 5])
        #expect(Set(paths.prefix(3).map { g.names($0)! }) == [
            ["g0_0", "g0_1", "g0_2", "g1_2"], ["g0_0", "g0_1", "g1_1", "g1_2"], ["g0_0", "g1_0", "g1_1", "g1_2"],
        ])
        #expect(g.names(paths.last) == ["g0_0", "g1_0", "g1_1", "g0_1", "g0_2", "g1_2"])
        #expect(paths.count == g.allSimplePaths(from: g.id("g0_0"), to: g.id("g1_2")).count)
    }

    @Test("agrees with brute force on weighted graphs: costs in order, simple, distinct, valid")
    func bruteForce() throws {
        // The undirected version of the textbook example (Yen's C…H), plus a 3×3 grid with
        // distinct lengths.
        let textbook = graph(
            ["C", "D", "E", "F", "G", "H"],
            [("C", "D", 3), ("C", "E", 2), ("D", "F", 4), ("E", "D", 1), ("E", "F", 2), ("E", "G", 3),
             ("F", "G", 2), ("F", "H", 1), ("G", "H", 2)]
        )
        var grid = try TopologyGenerator.grid(rows: 3, columns: 3, spacingMetres: 1)
        var weighted = NetworkGraph()
        for node in grid.nodes { weighted.addNode(named: node.name) }
        for (i, link) in grid.links.enumerated() {
            weighted.addLink(link.a, link.b, lengthMetres: Double((i * 7) % 11 + 1))
        }
        grid = weighted
        for (g, from, to) in [(textbook, "C", "H"), (grid, "g0_0", "g2_2"), (grid, "g1_0", "g0_2")] {
            let all = g.allSimplePaths(from: g.id(from), to: g.id(to))
            let cost: (NetworkGraph.Link) -> Double = { $0.lengthMetres }
            let sortedCosts = all.map { g.cost(of: $0, linkCost: cost) }.sorted()
            let k = min(12, all.count)
            let paths = g.kShortestPaths(from: g.id(from), to: g.id(to), count: k, linkCost: cost)
            #expect(paths.count == k)
            #expect(paths.map { g.cost(of: $0, linkCost: cost) } == Array(sortedCosts.prefix(k)), "\(from)→\(to)")
            #expect(Set(paths).count == paths.count)
            for path in paths {
                #expect(Set(path.nodes).count == path.nodes.count)
                #expect(path.source == g.id(from) && path.destination == g.id(to))
                for (i, l) in path.links.enumerated() { #expect(g.link(l).joins(path.nodes[i], path.nodes[i + 1])) }
            }
            // Asking for more than exist gives all of them.
            #expect(g.kShortestPaths(from: g.id(from), to: g.id(to), count: all.count + 5, linkCost: cost).count == all.count)
        }
        // The textbook graph's shortest: C–E–F–H, cost 5.
        let first = textbook.kShortestPaths(from: textbook.id("C"), to: textbook.id("H"), count: 1) { $0.lengthMetres }
        #expect(first.map { textbook.names($0)! } == [["C", "E", "F", "H"]])
    }

    @Test("no paths: count below 1, disconnected, or every link unusable")
    func none() {
        let g = graph(["a", "b", "c"], [("a", "b", 1)])
        #expect(g.kShortestPaths(from: g.id("a"), to: g.id("b"), count: 0) { _ in 1 }.isEmpty)
        #expect(g.kShortestPaths(from: g.id("a"), to: g.id("c"), count: 3) { _ in 1 }.isEmpty)
        #expect(g.kShortestPaths(from: g.id("a"), to: g.id("b"), count: 3) { _ in .infinity }.isEmpty)
        #expect(g.kShortestPaths(from: g.id("a"), to: g.id("b"), count: 3) { _ in 1 }.count == 1)
    }

    @Test("equal-cost paths come in a fixed order, derived by hand")
    func tieOrder() {
        // Three a→d routes of cost 2: direct (link 2, 2 m), via c (links 0, 1) and via b
        // (links 3, 4), 1 m each.
        let g = graph(["a", "b", "c", "d"], [("a", "c", 1), ("c", "d", 1), ("a", "d", 2), ("a", "b", 1), ("b", "d", 1)])
        let paths = g.kShortestPaths(from: g.id("a"), to: g.id("d"), count: 3) { $0.lengthMetres }
        // 1. Dijkstra: from a, d gets cost 2 over link 2 before b (node 1) is settled and offers
        //    2 again, which does not replace it: the direct link.
        // 2. Spur at a without link 2: b (node 1) is settled before c (node 2) and reaches d
        //    first: a b d, the only candidate.
        // 3. Spur at a without links 2 and 3: a c d.
        #expect(paths.map { g.names($0)! } == [["a", "d"], ["a", "b", "d"], ["a", "c", "d"]])
        #expect(paths.first == g.shortestPathByLength(from: g.id("a"), to: g.id("d")))
        // And again: the same list.
        #expect(g.kShortestPaths(from: g.id("a"), to: g.id("d"), count: 3) { $0.lengthMetres } == paths)
    }
}
