import QNetCore
import Testing

@testable import QNetNetwork

/// A shortest-path case on a small graph whose answer can be checked by hand.
struct PathCase: Sendable, CustomTestStringConvertible {
    var name: String
    var names: [String]
    var links: [(String, String, Double)]
    var from: String
    var to: String
    var byHops: [String]?
    var byLength: [String]?

    var testDescription: String { name }
}

let pathCases: [PathCase] = [
    // Equal hops both ways round the diamond: the link scanned first decides.
    PathCase(name: "hop tie goes to the lower link id (via b)", names: ["a", "b", "c", "d"],
             links: [("a", "b", 1), ("b", "d", 1), ("a", "c", 1), ("c", "d", 1)],
             from: "a", to: "d", byHops: ["a", "b", "d"], byLength: ["a", "b", "d"]),
    PathCase(name: "hop tie goes to the lower link id (via c)", names: ["a", "b", "c", "d"],
             links: [("a", "c", 1), ("c", "d", 1), ("a", "b", 1), ("b", "d", 1)],
             from: "a", to: "d", byHops: ["a", "c", "d"], byLength: ["a", "b", "d"]),
    // Length ties are settled in node-id order: b (id 1) before c (id 2), whatever the links.
    // Fewer hops, more fibre: 1 hop of 100 m against 3 hops of 10 m.
    PathCase(name: "hops and length disagree", names: ["a", "b", "c", "d"],
             links: [("a", "d", 100), ("a", "b", 10), ("b", "c", 10), ("c", "d", 10)],
             from: "a", to: "d", byHops: ["a", "d"], byLength: ["a", "b", "c", "d"]),
    PathCase(name: "length picks the shorter arm of the diamond", names: ["a", "b", "c", "d"],
             links: [("a", "b", 10), ("b", "d", 10), ("a", "c", 5), ("c", "d", 20)],
             from: "a", to: "d", byHops: ["a", "b", "d"], byLength: ["a", "b", "d"]),
    PathCase(name: "length: 5 + 14 beats 10 + 10", names: ["a", "b", "c", "d"],
             links: [("a", "b", 10), ("b", "d", 10), ("a", "c", 5), ("c", "d", 14)],
             from: "a", to: "d", byHops: ["a", "b", "d"], byLength: ["a", "c", "d"]),
    // Reverse direction of the first case: from d, link b–d (id 1) comes before c–d (id 3).
    PathCase(name: "reverse direction, tie by link order", names: ["a", "b", "c", "d"],
             links: [("a", "b", 1), ("b", "d", 1), ("a", "c", 1), ("c", "d", 1)],
             from: "d", to: "a", byHops: ["d", "b", "a"], byLength: ["d", "b", "a"]),
    PathCase(name: "disconnected: no path", names: ["a", "b", "c", "d"],
             links: [("a", "b", 1), ("c", "d", 1)], from: "a", to: "d", byHops: nil, byLength: nil),
    PathCase(name: "a node to itself", names: ["a", "b"], links: [("a", "b", 1)],
             from: "b", to: "b", byHops: ["b"], byLength: ["b"]),
    PathCase(name: "isolated node", names: ["a", "b", "c"], links: [("a", "b", 1)],
             from: "c", to: "a", byHops: nil, byLength: nil),
]

@Suite("Shortest paths")
struct ShortestPathTests {
    @Test("by hops and by length on hand-checked graphs", arguments: pathCases)
    func hopsAndLength(_ c: PathCase) {
        let g = graph(c.names, c.links)
        let hops = g.shortestPathByHops(from: g.id(c.from), to: g.id(c.to))
        let length = g.shortestPathByLength(from: g.id(c.from), to: g.id(c.to))
        #expect(g.names(hops) == c.byHops)
        #expect(g.names(length) == c.byLength)
        for path in [hops, length].compactMap({ $0 }) {
            // Links join consecutive nodes.
            #expect(path.nodes.count == path.links.count + 1)
            for (i, l) in path.links.enumerated() {
                #expect(g.link(l).joins(path.nodes[i], path.nodes[i + 1]))
            }
        }
    }

    @Test("a chain of 9 nodes: the only path, in both directions")
    func chain() throws {
        let g = try TopologyGenerator.chain(nodes: 9, spacingMetres: 1_000)
        let path = try #require(g.shortestPathByHops(from: NodeID(0), to: NodeID(8)))
        #expect(path.nodes == (0...8).map { NodeID(UInt32($0)) })
        #expect(path.links == (0..<8).map { LinkID(UInt32($0)) })
        #expect(g.shortestPathByHops(from: NodeID(8), to: NodeID(0)) == path.reversed())
        #expect(path.description == "0>1>2>3>4>5>6>7>8")
    }

    @Test("caller-supplied cost: the cheapest path, and unusable links are skipped")
    func linkCost() throws {
        // a–d direct (link 0) against a–b–d (links 1, 2).
        let g = graph(["a", "b", "d"], [("a", "d", 1), ("a", "b", 1), ("b", "d", 1)])
        let (a, d) = (g.id("a"), g.id("d"))
        let costs: [(Double, [String]?)] = [
            (3, ["a", "b", "d"]),  // direct costs 3 > 1 + 1
            (1.5, ["a", "d"]),
            (.infinity, ["a", "b", "d"]),  // an infinite expected time: never used
            (.nan, ["a", "b", "d"]),
            (-1, ["a", "b", "d"]),
        ]
        for (direct, expected) in costs {
            let path = g.shortestPath(from: a, to: d) { $0.id == LinkID(0) ? direct : 1 }
            #expect(g.names(path) == expected, "direct cost \(direct)")
        }
        // Every link unusable: no path, even though the graph is connected.
        #expect(g.shortestPath(from: a, to: d) { _ in .infinity } == nil)
        #expect(g.isConnected(a, d))
        let path = try #require(g.shortestPath(from: a, to: d) { $0.id == LinkID(0) ? 3 : 1 })
        #expect(g.cost(of: path) { $0.id == LinkID(0) ? 3 : 1 } == 2)
    }

    @Test("length ties are settled in node-id order")
    func lengthTie() {
        // b (id 1) and c (id 2) both at 10 m; d reached from b first, and c does not beat it.
        let viaB = diamond(order: [("a", "c", 10), ("c", "d", 10), ("a", "b", 10), ("b", "d", 10)])
        #expect(viaB.names(viaB.shortestPathByLength(from: viaB.id("a"), to: viaB.id("d"))) == ["a", "b", "d"])
        // The same diamond with b and c renamed: now the c arm has the lower node id.
        let viaC = graph(["a", "c", "b", "d"], [("a", "b", 10), ("b", "d", 10), ("a", "c", 10), ("c", "d", 10)])
        #expect(viaC.names(viaC.shortestPathByLength(from: viaC.id("a"), to: viaC.id("d"))) == ["a", "c", "d"])
    }

    @Test("components and connectivity")
    func components() {
        let g = graph(["a", "b", "c", "d", "e"], [("d", "b", 1), ("c", "e", 1)])
        #expect(g.components() == [[NodeID(0)], [NodeID(1), NodeID(3)], [NodeID(2), NodeID(4)]])
        #expect(g.isConnected(g.id("b"), g.id("d")))
        #expect(!g.isConnected(g.id("b"), g.id("c")))
        #expect(!g.isConnected(g.id("a"), NodeID(99)))
        #expect(g.shortestPathByHops(from: NodeID(99), to: NodeID(0)) == nil)
        #expect(g.neighbours(of: g.id("d")) == [g.id("b")])
    }
}

@Suite("Static routes")
struct StaticRouteTests {
    /// A ring of 6: n0 … n5.
    let ring = try! TopologyGenerator.ring(nodes: 6, spacingMetres: 1_000)

    @Test("a static route overrides every policy, in both directions")
    func override() throws {
        var table = RouteTable()
        // n0 → n2 the long way round: n0 n5 n4 n3 n2 (4 links instead of 2).
        let long = try ring.path(through: [0, 5, 4, 3, 2].map { NodeID($0) })
        try table.add(long)
        for policy in RoutingPolicy.allCases {
            let router = Router(graph: ring, table: table, policy: policy)
            #expect(router.route(from: NodeID(0), to: NodeID(2)) { _ in 1 } == long)
            #expect(router.route(from: NodeID(2), to: NodeID(0)) { _ in 1 } == long.reversed())
            // Pairs without a static route follow the policy.
            #expect(router.route(from: NodeID(0), to: NodeID(1)) { _ in 1 }?.nodes == [NodeID(0), NodeID(1)])
        }
        let plain = Router(graph: ring, policy: .hops)
        #expect(plain.route(from: NodeID(0), to: NodeID(2)) { _ in 1 }?.nodes == [0, 1, 2].map { NodeID($0) })
    }

    @Test("expected-time routing follows the caller's cost; hops and length ignore it")
    func expectedTime() {
        // Make link n0–n1 (id 0) very slow: expected-time goes the other way round.
        let cost: (NetworkGraph.Link) -> Double = { $0.id == LinkID(0) ? 100 : 1 }
        let timed = Router(graph: ring, policy: .expectedTime).route(from: NodeID(0), to: NodeID(1), linkCost: cost)
        #expect(timed?.nodes == [0, 5, 4, 3, 2, 1].map { NodeID($0) })
        #expect(Router(graph: ring, policy: .hops).route(from: NodeID(0), to: NodeID(1), linkCost: cost)?.hops == 1)
        #expect(Router(graph: ring, policy: .length).route(from: NodeID(0), to: NodeID(1), linkCost: cost)?.hops == 1)
    }

    /// A route that does not fit the ring.
    struct BadRoute: Sendable, CustomTestStringConvertible {
        var name: String
        var nodes: [UInt32]
        var code: RouteError.Code
        var index: Int
        var involved: [UInt32]
        var message: String
        var testDescription: String { name }
    }

    static let badRoutes: [BadRoute] = [
        BadRoute(name: "missing link", nodes: [0, 1, 3], code: .missingLink, index: 2, involved: [1, 3],
                 message: "no link between n1 and n3"),
        BadRoute(name: "repeated node", nodes: [0, 1, 2, 1], code: .repeatedNode, index: 3, involved: [1],
                 message: "n1 appears twice (positions 1 and 3)"),
        BadRoute(name: "one node", nodes: [4], code: .tooShort, index: 0, involved: [4],
                 message: "a route needs at least its two ends"),
        BadRoute(name: "unknown node", nodes: [0, 9], code: .unknownNode, index: 1, involved: [9],
                 message: "node#9 is not a node of the network"),
    ]

    @Test("routes that do not fit the graph are rejected with the place and the nodes", arguments: badRoutes)
    func badRoute(_ c: BadRoute) {
        #expect {
            try ring.path(through: c.nodes.map { NodeID($0) })
        } throws: { error in
            guard let error = error as? RouteError else { return false }
            return error.code == c.code && error.index == c.index && error.nodes == c.involved.map { NodeID($0) }
                && error.message == c.message
        }
    }

    @Test("one route per pair of nodes, in either direction")
    func duplicatePair() throws {
        var table = RouteTable()
        try table.add(ring.path(through: [NodeID(0), NodeID(1), NodeID(2)]))
        try table.add(ring.path(through: [NodeID(3), NodeID(4)]))
        let reverse = try ring.path(through: [NodeID(2), NodeID(3), NodeID(4), NodeID(5), NodeID(0)])
        #expect(throws: RouteError.self) { try table.add(reverse) }
        do {
            try table.add(reverse)
        } catch {
            #expect(error.code == .duplicatePair && error.index == 0)
        }
        #expect(table.routes.count == 2)
        #expect(table.index(between: NodeID(4), and: NodeID(3)) == 1)
        #expect(table.route(from: NodeID(1), to: NodeID(0)) == nil)
    }
}
