import Foundation
import QNetCore
import Testing

@testable import QNetNetwork

/// `(a, b)` names of every link, in link order.
func ends(_ g: NetworkGraph) -> [[String]] {
    g.links.map { [g.node($0.a).name, g.node($0.b).name] }
}

@Suite("Topology generators")
struct TopologyGeneratorTests {
    @Test("chain: n0 … n(N-1), consecutive links")
    func chain() throws {
        let g = try TopologyGenerator.chain(nodes: 4, spacingMetres: 2_000)
        #expect(g.nodes.map(\.name) == ["n0", "n1", "n2", "n3"])
        #expect(ends(g) == [["n0", "n1"], ["n1", "n2"], ["n2", "n3"]])
        #expect(g.links.allSatisfy { $0.lengthMetres == 2_000 })
        #expect(g.node(NodeID(3)).position == PlanePoint(x: 6_000, y: 0))
    }

    @Test("ring: the chain closed by n(N-1)–n0 as the last link")
    func ring() throws {
        let g = try TopologyGenerator.ring(nodes: 4, spacingMetres: 5)
        #expect(ends(g) == [["n0", "n1"], ["n1", "n2"], ["n2", "n3"], ["n3", "n0"]])
        // n0 to n2: two 2-link paths; link n0–n1 (id 0) comes before n3–n0 (id 3).
        #expect(g.names(g.shortestPathByHops(from: NodeID(0), to: NodeID(2))) == ["n0", "n1", "n2"])
        #expect(g.names(g.shortestPathByHops(from: NodeID(0), to: NodeID(3))) == ["n0", "n3"])
    }

    @Test("star: hub, then leaves l0 …, links hub–l(i)")
    func star() throws {
        let g = try TopologyGenerator.star(leaves: 3, spacingMetres: 10)
        #expect(g.nodes.map(\.name) == ["hub", "l0", "l1", "l2"])
        #expect(ends(g) == [["hub", "l0"], ["hub", "l1"], ["hub", "l2"]])
        #expect(g.names(g.shortestPathByHops(from: g.id("l0"), to: g.id("l2"))) == ["l0", "hub", "l2"])
        let one = try TopologyGenerator.star(leaves: 1, spacingMetres: 10)
        #expect(ends(one) == [["hub", "l0"]])
    }

    @Test("grid: gR_C row by row; each node's right link, then its down link")
    func grid() throws {
        let g = try TopologyGenerator.grid(rows: 2, columns: 3, spacingMetres: 1_000)
        #expect(g.nodes.map(\.name) == ["g0_0", "g0_1", "g0_2", "g1_0", "g1_1", "g1_2"])
        #expect(ends(g) == [
            ["g0_0", "g0_1"], ["g0_0", "g1_0"], ["g0_1", "g0_2"], ["g0_1", "g1_1"], ["g0_2", "g1_2"],
            ["g1_0", "g1_1"], ["g1_1", "g1_2"],
        ])
        #expect(g.node(g.id("g1_2")).position == PlanePoint(x: 2_000, y: 1_000))
        // 4×4: R(C−1) + C(R−1) = 24 links, every interior node of degree 4.
        let big = try TopologyGenerator.grid(rows: 4, columns: 4, spacingMetres: 1)
        #expect(big.nodes.count == 16 && big.links.count == 24)
        #expect(big.links(of: big.id("g1_2")).count == 4)
        #expect(big.links(of: big.id("g0_0")).count == 2)
        // A single row is a chain.
        let row = try TopologyGenerator.grid(rows: 1, columns: 3, spacingMetres: 1)
        #expect(ends(row) == [["g0_0", "g0_1"], ["g0_1", "g0_2"]])
    }

    /// A parameter out of range.
    struct BadParameters: Sendable, CustomTestStringConvertible {
        var name: String
        var parameter: String
        var allowed: String
        var make: @Sendable () throws -> NetworkGraph
        var testDescription: String { name }
    }

    static let badParameters: [BadParameters] = [
        BadParameters(name: "chain of one", parameter: "nodes", allowed: "allowed: 2 <= nodes <= 10000") {
            try TopologyGenerator.chain(nodes: 1, spacingMetres: 1)
        },
        BadParameters(name: "ring of two", parameter: "nodes", allowed: "allowed: 3 <= nodes <= 10000") {
            try TopologyGenerator.ring(nodes: 2, spacingMetres: 1)
        },
        BadParameters(name: "star without leaves", parameter: "leaves", allowed: "allowed: 1 <= leaves <= 9999") {
            try TopologyGenerator.star(leaves: 0, spacingMetres: 1)
        },
        BadParameters(name: "grid with no rows", parameter: "rows", allowed: "allowed: 1 <= rows <= 10000") {
            try TopologyGenerator.grid(rows: 0, columns: 3, spacingMetres: 1)
        },
        BadParameters(name: "1×1 grid", parameter: "columns", allowed: "allowed: 2 <= rows*columns <= 10000") {
            try TopologyGenerator.grid(rows: 1, columns: 1, spacingMetres: 1)
        },
        BadParameters(name: "grid too large", parameter: "rows", allowed: "allowed: 2 <= rows*columns <= 10000") {
            try TopologyGenerator.grid(rows: 101, columns: 100, spacingMetres: 1)
        },
        BadParameters(name: "zero spacing", parameter: "spacing", allowed: "allowed: a length > 0") {
            try TopologyGenerator.chain(nodes: 3, spacingMetres: 0)
        },
        BadParameters(name: "Waxman alpha 0", parameter: "alpha", allowed: "allowed: 0 < alpha <= 1") {
            try TopologyGenerator.waxman(nodes: 5, seed: 1, alpha: 0, beta: 0.5, areaMetres: 1)
        },
        BadParameters(name: "Waxman beta above 1", parameter: "beta", allowed: "allowed: 0 < beta <= 1") {
            try TopologyGenerator.waxman(nodes: 5, seed: 1, alpha: 0.5, beta: 1.5, areaMetres: 1)
        },
        BadParameters(name: "Waxman of one node", parameter: "nodes", allowed: "allowed: 2 <= nodes <= 10000") {
            try TopologyGenerator.waxman(nodes: 1, seed: 1, alpha: 0.5, beta: 0.5, areaMetres: 1)
        },
    ]

    @Test("parameters out of range are typed errors naming the parameter and the range", arguments: badParameters)
    func badParameter(_ c: BadParameters) {
        do {
            _ = try c.make()
            Issue.record("expected an error")
        } catch let error as TopologyError {
            #expect(error.parameter == c.parameter)
            #expect(error.allowed == c.allowed)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

@Suite("Waxman random topology")
struct WaxmanTests {
    @Test("the same seed gives the same graph; another seed another one")
    func seeded() throws {
        let a = try TopologyGenerator.waxman(nodes: 30, seed: 5, alpha: 0.4, beta: 0.6, areaMetres: 100_000)
        let b = try TopologyGenerator.waxman(nodes: 30, seed: 5, alpha: 0.4, beta: 0.6, areaMetres: 100_000)
        let c = try TopologyGenerator.waxman(nodes: 30, seed: 6, alpha: 0.4, beta: 0.6, areaMetres: 100_000)
        #expect(a == b)
        #expect(a != c)
        #expect(a.nodes.map(\.name) == (0..<30).map { "n\($0)" })
    }

    @Test("nodes in the square; each link joins u < v and is as long as their distance")
    func geometry() throws {
        let side = 50_000.0
        let g = try TopologyGenerator.waxman(nodes: 40, seed: 3, alpha: 0.5, beta: 0.8, areaMetres: side)
        for node in g.nodes {
            let p = try #require(node.position)
            #expect((0..<side).contains(p.x) && (0..<side).contains(p.y))
        }
        #expect(!g.links.isEmpty)
        var previous: (UInt32, UInt32) = (0, 0)
        for link in g.links {
            #expect(link.a < link.b)
            #expect((link.a.rawValue, link.b.rawValue) > previous || link.id == LinkID(0))
            previous = (link.a.rawValue, link.b.rawValue)
            let d = g.node(link.a).position!.distance(to: g.node(link.b).position!)
            #expect(link.lengthMetres == max(d, 1))
        }
    }

    @Test("links shorter than 1 m are 1 m long")
    func minimumLength() throws {
        // A 0.5 m square: every distance is below 1 m; beta 1 and alpha 1 link most pairs.
        let g = try TopologyGenerator.waxman(nodes: 10, seed: 2, alpha: 1, beta: 1, areaMetres: 0.5)
        #expect(!g.links.isEmpty)
        #expect(g.links.allSatisfy { $0.lengthMetres == 1 })
    }

    /// The number of links is a sum of independent Bernoulli draws with the Waxman
    /// probabilities: it must lie within 4 standard deviations of their sum.
    @Test("link count agrees with β·exp(−d/(αL)) summed over pairs", arguments: [
        (0.2, 0.5), (0.6, 0.3), (1.0, 1.0),
    ])
    func linkProbability(alpha: Double, beta: Double) throws {
        let n = 80
        let g = try TopologyGenerator.waxman(nodes: n, seed: 11, alpha: alpha, beta: beta, areaMetres: 10_000)
        let points = g.nodes.map { $0.position! }
        var largest = 0.0
        for u in 0..<n { for v in (u + 1)..<n { largest = max(largest, points[u].distance(to: points[v])) } }
        var mean = 0.0, variance = 0.0
        for u in 0..<n {
            for v in (u + 1)..<n {
                let p = beta * exp(-points[u].distance(to: points[v]) / (alpha * largest))
                mean += p
                variance += p * (1 - p)
            }
        }
        let count = Double(g.links.count)
        #expect(abs(count - mean) <= 4 * variance.squareRoot() + 1e-9, "links \(count), expected \(mean) ± \(variance.squareRoot())")
        // Short links are more likely than long ones: the mean linked distance is below the
        // mean distance over all pairs (unless every pair is linked).
        if count < Double(n * (n - 1) / 2) {
            let linked = g.links.map(\.lengthMetres).reduce(0, +) / count
            var all = 0.0
            for u in 0..<n { for v in (u + 1)..<n { all += points[u].distance(to: points[v]) } }
            #expect(linked < all / Double(n * (n - 1) / 2))
        }
    }
}
