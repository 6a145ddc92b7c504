import QNetCore
import QNetNode
import QNetProtocols
import QNetScenario
import Testing
@testable import QNetCoordinator

/// The cluster plan of `routing: k-shortest`: every path of a request checked against the swap
/// policy and the memories, ids for the paths, and one node configuration per path through a node.
@Suite("Cluster plan: multipath requests")
struct MultipathPlanTests {
    /// A 3×3 grid; request 0 from g1_0 to g1_2, request 1 from g0_0 to g0_1, under `policies`.
    static func grid(policies: String, memory: String = "{ qubits: 4 }") -> String {
        """
        defaults:
          memory: \(memory)
          link: { scheme: double-click }
        topology: { kind: grid, rows: 3, columns: 3, spacing: 2 km }
        requests:
          - { from: g1_0, to: g1_2, pairs: 10 }
          - { from: g0_0, to: g0_1, pairs: 5 }
        policies: \(policies)
        """
    }

    @Test("paths get ids: the request's own for its first, then numbered on from the number of requests")
    func pathIDs() throws {
        let scenario = try Scenario.parse(yaml: Self.grid(policies: "{ routing: k-shortest, paths: 3 }"), file: "grid.yaml")
        let plan = try ClusterPlan(scenario: scenario)
        #expect(plan.paths.map(\.count) == [3, 3])
        #expect(plan.pathIDs == [[RequestID(0), RequestID(2), RequestID(3)], [RequestID(1), RequestID(4), RequestID(5)]])
        #expect(plan.pathsByID.count == 6)
        #expect(plan.pathsByID[RequestID(3)].map { [$0.request, $0.path] } == [0, 2])
        #expect(plan.pathsByID[RequestID(1)].map { [$0.request, $0.path] } == [1, 0])
        // The middle row's first path is the straight one.
        #expect(plan.paths[0][0].map { scenario.node($0).name } == ["g1_0", "g1_1", "g1_2"])
        // g1_0, an end of request 0, has one configuration per path of it, sharing its pairs.
        let node = try #require(scenario.nodeID(named: "g1_0"))
        let configuration = try NodeConfiguration(scenario: scenario, node: node, paths: plan.paths, seed: 1)
        let mine = configuration.requests.filter { $0.parent == RequestID(0) }
        #expect(mine.map(\.id) == [RequestID(0), RequestID(2), RequestID(3)])
        #expect(mine.map(\.pathIndex) == [0, 1, 2])
        #expect(mine.allSatisfy { $0.pairs == 10 && $0.path.first == node })
        #expect(mine.map(\.path) == plan.paths[0])
    }

    @Test("one path per request without k-shortest: ids are the requests' own")
    func singlePath() throws {
        let scenario = try Scenario.parse(yaml: Self.grid(policies: "{ routing: expected-time }"), file: "grid.yaml")
        let plan = try ClusterPlan(scenario: scenario)
        #expect(plan.paths.map(\.count) == [1, 1])
        #expect(plan.pathIDs == [[RequestID(0)], [RequestID(1)]])
    }

    @Test("a node on several paths of a request needs a qubit per path it ends and two per path it swaps on")
    func memoryForEveryPath() throws {
        // A 2×2 grid, g0_0 → g1_1 over its two node-disjoint paths: each end is on both.
        func square(_ endQubits: Int) -> String {
            """
            defaults:
              memory: { qubits: 2 }
              link: { scheme: double-click }
            topology: { kind: grid, rows: 2, columns: 2, spacing: 2 km }
            nodes:
              - { name: g0_0, memory: { qubits: \(endQubits) } }
            requests: [{ from: g0_0, to: g1_1, pairs: 10 }]
            policies: { routing: k-shortest, paths: 2 }
            """
        }
        #expect {
            try ClusterPlan(scenario: try Scenario.parse(yaml: square(1), file: "square.yaml"))
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("square.yaml:7:") && text.contains("requests[0]: g0_0 ends all 2 of its paths under policies.routing: k-shortest")
                && text.contains("has 1 memory qubit (nodes[0].memory.qubits at line 6)")
                && text.contains("one qubit per path it ends and two per path it swaps on, 2 here (set memory.qubits ≥ 2 there, or fewer policies.paths)")
        }
        // Two qubits at each end, two at each swap node (one path each): enough.
        #expect(try ClusterPlan(scenario: try Scenario.parse(yaml: square(2), file: "square.yaml")).paths.map(\.count) == [2])
        // The same memory with one path is the single-path rule: an end needs one qubit.
        let one = square(1).replacingOccurrences(of: "paths: 2", with: "paths: 1")
        #expect(try ClusterPlan(scenario: try Scenario.parse(yaml: one, file: "square.yaml")).paths.map(\.count) == [1])
    }

    @Test("a node that swaps on two paths of one request needs 4 qubits")
    func swapOnTwoPaths() throws {
        // A 2×3 grid, g0_0 → g1_2: Yen's second path leaves the first at g0_1 (a spur), so
        // g0_1 swaps on both.
        let yaml = """
            defaults:
              memory: { qubits: 3 }
              link: { scheme: double-click }
            topology: { kind: grid, rows: 2, columns: 3, spacing: 2 km }
            requests: [{ from: g0_0, to: g1_2, pairs: 10 }]
            policies: { routing: k-shortest, paths: 2 }
            """
        let scenario = try Scenario.parse(yaml: yaml, file: "spur.yaml")
        let names = try scenario.requestPaths()[0].map { $0.map { scenario.node($0).name } }
        #expect(names == [["g0_0", "g0_1", "g0_2", "g1_2"], ["g0_0", "g0_1", "g1_1", "g1_2"]])
        #expect {
            try ClusterPlan(scenario: scenario)
        } throws: { error in
            let text = "\(error)"
            return text.contains("g0_1 swaps on its paths 0, 1 (of 2)") && text.contains("has 3 memory qubits")
                && text.contains("set memory.qubits ≥ 4 there")
        }
        let enough = try Scenario.parse(yaml: yaml.replacingOccurrences(of: "qubits: 3", with: "qubits: 4"), file: "spur.yaml")
        #expect(try ClusterPlan(scenario: enough).paths[0].count == 2)
    }

    @Test("every path is checked against the swap policy, named by its index")
    func swapPolicyPerPath() throws {
        // Nested swapping needs 2, 4, 8 … links: on a ring of 6, n0 → n2 goes 2 links one way and
        // 4 the other (accepted); on a ring of 5, 2 and 3 (refused, naming path 1).
        func ring(_ nodes: Int, swap: String) -> String {
            """
            defaults:
              memory: { qubits: 4 }
              link: { scheme: double-click }
            topology: { kind: ring, nodes: \(nodes), spacing: 2 km }
            requests: [{ from: n0, to: \(swap == "none" ? "n1" : "n2"), pairs: 10 }]
            policies: { routing: k-shortest, paths: 2, swap: \(swap) }
            """
        }
        #expect(try ClusterPlan(scenario: try Scenario.parse(yaml: ring(6, swap: "nested"), file: "ring.yaml")).paths[0].map(\.count) == [3, 5])
        #expect {
            try ClusterPlan(scenario: try Scenario.parse(yaml: ring(5, swap: "nested"), file: "ring.yaml"))
        } throws: { error in
            "\(error)".contains("requests[0]: its path 1 (n0>n4>n3>n2, of 2 by policies.routing: k-shortest) has 3 links, but policies.swap nested")
        }
        // swap: none serves only one-link paths: a neighbour pair's second path has swaps.
        #expect {
            try ClusterPlan(scenario: try Scenario.parse(yaml: ring(4, swap: "none"), file: "ring.yaml"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("requests[0]: n0 → n1 needs entanglement swapping (its path 1 (n0>n3>n2>n1, of 2 by policies.routing: k-shortest))")
                && text.contains("policies.swap is none")
        }
    }
}
