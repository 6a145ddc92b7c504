import QNetCore
import QNetNetwork
import Testing

@testable import QNetScenario

/// `policies.routing: k-shortest` with `policies.paths: K`: each request's K paths of least
/// expected generation time (Yen 1971 under the link model's cost), and the keys' checks.
@Suite("Scenario routing: k-shortest multipath")
struct MultipathRoutingTests {
    /// A topology with identical links and one request, under `policies`.
    static func scenario(_ topology: String, from: String, to: String, policies: String, routes: String = "") -> String {
        """
        defaults:
          link: { scheme: double-click }
        topology: \(topology)
        \(routes)
        requests: [{ from: \(from), to: \(to), pairs: 10 }]
        policies: \(policies)
        """
    }

    func paths(_ s: Scenario) throws -> [[[String]]] {
        try s.requestPaths().map { $0.map { $0.map { s.node($0).name } } }
    }

    @Test("a ring of 4: the two ways round, the lower link ids first among equal costs; K beyond the simple paths gives all of them")
    func ring() throws {
        // n0 – n1 – n2 – n3 – n0: n0 → n2 has exactly two simple paths, each of two equal links.
        for k in [2, 3, 8] {
            let s = try #require(parsed(Self.scenario("{ kind: ring, nodes: 4, spacing: 2 km }", from: "n0", to: "n2",
                                                      policies: "{ routing: k-shortest, paths: \(k) }")))
            #expect(s.policies.routing == .kShortest && s.policies.paths == k)
            #expect(try paths(s) == [[["n0", "n1", "n2"], ["n0", "n3", "n2"]]], "K = \(k)")
        }
        let one = try #require(parsed(Self.scenario("{ kind: ring, nodes: 4, spacing: 2 km }", from: "n0", to: "n2",
                                                    policies: "{ routing: k-shortest, paths: 1 }")))
        #expect(try paths(one) == [[["n0", "n1", "n2"]]])
    }

    @Test("a 2×2 grid, paths omitted: K = 2, the two node-disjoint paths between opposite corners")
    func grid() throws {
        let s = try #require(parsed(Self.scenario("{ kind: grid, rows: 2, columns: 2, spacing: 2 km }", from: "g0_0", to: "g1_1",
                                                  policies: "{ routing: k-shortest }")))
        #expect(s.policies.paths == 2)
        // Links: 0 g0_0–g0_1, 1 g0_0–g1_0, 2 g0_1–g1_1, 3 g1_0–g1_1; equal costs, [0, 2] before [1, 3].
        #expect(try paths(s) == [[["g0_0", "g0_1", "g1_1"], ["g0_0", "g1_0", "g1_1"]]])
        // The first path is the expected-time path.
        let timed = try #require(parsed(Self.scenario("{ kind: grid, rows: 2, columns: 2, spacing: 2 km }", from: "g0_0", to: "g1_1",
                                                      policies: "{ routing: expected-time }")))
        #expect(try paths(timed) == [[["g0_0", "g0_1", "g1_1"]]])
    }

    @Test("paths come in increasing expected time: on a ring of 5 the two-link way before the three-link one")
    func increasingCost() throws {
        let s = try #require(parsed(Self.scenario("{ kind: ring, nodes: 5, spacing: 2 km }", from: "n0", to: "n2",
                                                  policies: "{ routing: k-shortest, paths: 2 }")))
        #expect(try paths(s) == [[["n0", "n1", "n2"], ["n0", "n4", "n3", "n2"]]])
        // The same order as the graph's own k-shortest paths under the link model's cost.
        let graph = s.network
        let ids = try s.requestPaths()[0]
        #expect(ids.count == 2)
        #expect(graph.cost(of: try graph.path(through: ids[0])) { _ in 1 } < graph.cost(of: try graph.path(through: ids[1])) { _ in 1 })
    }

    @Test("a static route still wins: the request has that one path")
    func staticRouteWins() throws {
        let s = try #require(parsed(Self.scenario(
            "{ kind: grid, rows: 2, columns: 2, spacing: 2 km }", from: "g0_0", to: "g1_1", policies: "{ routing: k-shortest, paths: 2 }",
            routes: "routes: [{ from: g1_1, to: g0_0, path: [g1_1, g1_0, g0_0] }]")))
        #expect(try paths(s) == [[["g0_0", "g1_0", "g1_1"]]])
    }

    @Test("policies.paths outside 1…8, or not a whole number, is refused naming the key and the range",
          arguments: ["0", "9", "-1", "two", "2.5"])
    func badCount(_ value: String) throws {
        let yaml = Self.scenario("{ kind: ring, nodes: 4, spacing: 2 km }", from: "n0", to: "n2",
                                 policies: "{ routing: k-shortest, paths: \(value) }")
        let error = try #require(parseError(yaml, file: "multipath.yaml"))
        #expect(error.keyPath == "policies.paths", "\(error)")
        #expect(error.description.contains("allowed: 1 <= paths <= 8"), "\(error)")
        #expect(error.description.hasPrefix("multipath.yaml:6:"), "\(error)")
    }

    @Test("policies.paths without routing: k-shortest is refused naming the key and the policy",
          arguments: ["{ paths: 2 }", "{ routing: hops, paths: 2 }", "{ routing: expected-time, paths: 3 }", "{ routing: length, paths: 1 }"])
    func countWithoutKShortest(_ policies: String) throws {
        let yaml = Self.scenario("{ kind: ring, nodes: 4, spacing: 2 km }", from: "n0", to: "n2", policies: policies)
        let error = try #require(parseError(yaml, file: "multipath.yaml"))
        #expect(error.keyPath == "policies.paths", "\(error)")
        #expect(error.code == .conflict, "\(error)")
        #expect(error.description.contains("paths is read only by policies.routing: k-shortest"), "\(error)")
        #expect(error.description.hasSuffix("; remove paths, or set policies.routing: k-shortest"), "\(error)")
    }

    @Test("without k-shortest every request has exactly one path")
    func onePathOtherwise() throws {
        for routing in ["hops", "length", "expected-time"] {
            let s = try #require(parsed(Self.scenario("{ kind: ring, nodes: 4, spacing: 2 km }", from: "n0", to: "n2",
                                                      policies: "{ routing: \(routing) }")))
            #expect(try s.requestPaths().map(\.count) == [1], "\(routing)")
        }
    }
}
