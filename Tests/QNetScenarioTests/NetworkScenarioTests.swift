import Foundation
import QNetCore
import QNetNetwork
import Testing

@testable import QNetScenario

/// Node names of a path of ids.
func names(_ s: Scenario, _ path: [NodeID]?) -> [String]? {
    path.map { $0.map { s.node($0).name } }
}

@Suite("Scenario networks: topologies, routes, memory")
struct NetworkScenarioTests {
    @Test("ring: n0 … n(N-1) and the closing link n(N-1)–n0, every link from the defaults")
    func ring() throws {
        let yaml = """
            defaults:
              link: { attenuation: 0.25 dB/km, scheme: double-click }
              detectors: { efficiency: 0.7 }
            topology: { kind: ring, nodes: 5, spacing: 3 km }
            requests: [{ from: n0, to: n3, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        #expect(s.topology == .ring(nodes: 5, spacing: .kilometres(3)))
        #expect(s.nodes.map(\.name) == ["n0", "n1", "n2", "n3", "n4"])
        #expect(s.links.map { [s.node($0.a).name, s.node($0.b).name] } == [
            ["n0", "n1"], ["n1", "n2"], ["n2", "n3"], ["n3", "n4"], ["n4", "n0"],
        ])
        for link in s.links {
            #expect(link.length == .kilometres(3) && link.parameters.length == .kilometres(3))
            #expect(link.scheme == .doubleClick && link.attenuation == Attenuation(decibelsPerKilometre: 0.25))
            #expect(link.detectors.efficiency == 0.7)
        }
        // n0 → n3: two links the short way round (n0 n4 n3) against three.
        #expect(names(s, s.path(from: NodeID(0), to: NodeID(3))) == ["n0", "n4", "n3"])
    }

    @Test("star: hub and leaves l0 …, leaves talk through the hub")
    func star() throws {
        let yaml = """
            topology: { kind: star, leaves: 4, spacing: 5 km }
            nodes:
              - { name: hub, memory: { qubits: 1 } }
            requests: [{ from: l0, to: l3, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        #expect(s.nodes.map(\.name) == ["hub", "l0", "l1", "l2", "l3"])
        #expect(s.nodes.map(\.memory.qubits) == [1, 2, 2, 2, 2])
        #expect(s.links.allSatisfy { $0.a == NodeID(0) })
        #expect(names(s, s.path(from: NodeID(1), to: NodeID(4))) == ["l0", "hub", "l3"])
        #expect(s.topology?.nodeCount == 5)
    }

    @Test("grid: gR_C row by row, 24 links for 4×4, spacing from defaults.link.length")
    func grid() throws {
        let yaml = """
            defaults: { link: { length: 2 km } }
            topology: { kind: grid, rows: 4, columns: 4 }
            nodes: [{ name: g3_3, memory: { qubits: 6, communicationQubits: 2 } }]
            requests: [{ from: g0_0, to: g3_3, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        #expect(s.nodes.count == 16 && s.links.count == 24)
        #expect(s.nodes[5].name == "g1_1" && s.nodes[15].name == "g3_3")
        #expect(s.links.allSatisfy { $0.length == .kilometres(2) })
        #expect(s.nodes[15].memory.qubits == 6 && s.nodes[15].memory.communicationQubitCount == 2)
        #expect(s.nodes[0].memory.communicationQubits == nil && s.nodes[0].memory.communicationQubitCount == 2)
        // Six links either way; BFS takes the right links first (each node's right link has the lower id).
        let path = try #require(s.path(from: NodeID(0), to: NodeID(15)))
        #expect(path.count == 7)
        #expect(names(s, path) == ["g0_0", "g0_1", "g0_2", "g0_3", "g1_3", "g2_3", "g3_3"])
    }

    @Test("random: Waxman from its own seed, links as long as their ends are apart")
    func random() throws {
        let yaml = """
            seed: 99
            topology: { kind: random, nodes: 12, seed: 4, alpha: 0.6, beta: 0.9, area: 40 km }
            requests: [{ from: n0, to: n1, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        let graph = try TopologyGenerator.waxman(nodes: 12, seed: 4, alpha: 0.6, beta: 0.9, areaMetres: 40_000)
        #expect(s.topology == .random(nodes: 12, seed: 4, alpha: 0.6, beta: 0.9, area: .kilometres(40)))
        #expect(s.topology?.spacing == nil)
        #expect(s.nodes.map(\.name) == graph.nodes.map(\.name))
        #expect(s.links.count == graph.links.count)
        for (spec, link) in zip(s.links, graph.links) {
            #expect(spec.a == link.a && spec.b == link.b)
            // Millimetre rounding of the Euclidean distance.
            #expect(abs(spec.length.metres - link.lengthMetres) <= 0.0005)
        }
        // The run's seed does not move the nodes.
        let other = try #require(parsed(yaml.replacingOccurrences(of: "seed: 99", with: "seed: 100")))
        #expect(other.links == s.links)
    }

    @Test("links carry their own detectors: built-in ← defaults.detectors ← links[i].detectors")
    func linkDetectors() throws {
        let yaml = """
            defaults: { detectors: { darkCountRate: 50 Hz } }
            nodes: [{ name: a }, { name: b }, { name: c }]
            links:
              - { nodes: [a, b], length: 1 km, detectors: { efficiency: 0.5, window: 3 ns } }
              - { nodes: [b, c], length: 1 km }
            requests: [{ from: a, to: c, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        #expect(s.links[0].detectors == DetectorParameters(efficiency: 0.5, darkCountRate: Frequency(hertz: 50), window: .nanoseconds(3)))
        #expect(s.links[1].detectors == DetectorParameters(efficiency: 0.9, darkCountRate: Frequency(hertz: 50), window: .nanoseconds(1)))
    }

    @Test("policies: routing and the request policies")
    func policies() throws {
        for (written, routing, request) in [
            ("{ routing: length, request: weighted-fair }", RoutingPolicy.length, RequestPolicy.weightedFair),
            ("{ routing: expected-time, request: priority }", .expectedTime, .priority),
            ("{ routing: hops, request: fifo }", .hops, .fifo),
        ] {
            let s = try #require(parsed("policies: \(written)\n" + edited([:])))
            #expect(s.policies.routing == routing && s.policies.request == request, "\(written)")
        }
    }
}

@Suite("Scenario routing")
struct ScenarioRoutingTests {
    /// A square a–b–d / a–c–d where the b arm has fewer metres and the c arm is direct in id
    /// order, plus a long direct link a–d.
    ///
    /// links: 0 a–d 30 km, 1 a–c 10 km, 2 c–d 10 km, 3 a–b 2 km, 4 b–e 2 km, 5 e–d 2 km
    static func square(policies: String = "", routes: String = "") -> String {
        """
        \(policies)
        nodes: [{ name: a }, { name: b }, { name: c }, { name: d }, { name: e }]
        links:
          - { nodes: [a, d], length: 30 km }
          - { nodes: [a, c], length: 10 km }
          - { nodes: [c, d], length: 10 km }
          - { nodes: [a, b], length: 2 km }
          - { nodes: [b, e], length: 2 km }
          - { nodes: [e, d], length: 2 km }
        \(routes)
        requests:
          - { from: a, to: d, pairs: 1 }
          - { from: d, to: a, pairs: 1, start: 1 s }
          - { from: c, to: e, pairs: 1 }
        """
    }

    @Test("hops, length and expected-time choose different paths")
    func policies() throws {
        let hops = try #require(parsed(Self.square()))
        let length = try #require(parsed(Self.square(policies: "policies: { routing: length }")))
        let timed = try #require(parsed(Self.square(policies: "policies: { routing: expected-time }")))
        let (a, d) = (NodeID(0), NodeID(3))
        #expect(names(hops, hops.path(from: a, to: d)) == ["a", "d"])
        #expect(names(length, length.path(from: a, to: d)) == ["a", "b", "e", "d"])  // 6 km
        // Expected time: make the a–d link (id 0) and the b arm slow; the c arm wins.
        let cost: (LinkSpec) -> Double = { [LinkID(0), LinkID(3)].contains($0.id) ? 100 : 1 }
        #expect(names(timed, timed.route(for: timed.requests[0], linkCost: cost)) == ["a", "c", "d"])
        #expect(names(timed, timed.route(for: timed.requests[1], linkCost: cost)) == ["d", "c", "a"])
        // Without a cost, expected-time falls back to the fewest links.
        #expect(names(timed, timed.path(from: a, to: d)) == ["a", "d"])
        // hops and length ignore the cost.
        #expect(names(hops, hops.route(for: hops.requests[0], linkCost: cost)) == ["a", "d"])
        #expect(names(length, length.route(for: length.requests[0], linkCost: cost)) == ["a", "b", "e", "d"])
        // Every request at once.
        #expect(timed.routes(linkCost: cost).map { names(timed, $0) } == [["a", "c", "d"], ["d", "c", "a"], ["c", "d", "e"]])
        // A cost that makes every link unusable leaves no route.
        #expect(timed.route(for: timed.requests[0]) { _ in .infinity } == nil)
    }

    @Test("a static route overrides every routing policy, in both directions")
    func staticRoute() throws {
        let routes = "routes:\n  - { from: d, to: a, path: [d, c, a] }"
        for policy in RoutingPolicy.allCases {
            let s = try #require(parsed(Self.square(policies: "policies: { routing: \(policy.rawValue) }", routes: routes)))
            #expect(s.routes == [RouteSpec(from: NodeID(3), to: NodeID(0), path: [NodeID(3), NodeID(2), NodeID(0)])])
            #expect(names(s, s.path(from: NodeID(0), to: NodeID(3))) == ["a", "c", "d"])
            #expect(names(s, s.path(from: NodeID(3), to: NodeID(0))) == ["d", "c", "a"])
            #expect(names(s, s.route(for: s.requests[0]) { _ in 1 }) == ["a", "c", "d"])
            #expect(s.staticRoute(from: NodeID(0), to: NodeID(3)) == [NodeID(0), NodeID(2), NodeID(3)])
            // Other pairs follow the policy.
            #expect(s.staticRoute(from: NodeID(2), to: NodeID(4)) == nil)
            #expect(s.router.table.routes.count == 1 && s.router.policy == policy)
        }
    }

    @Test("the network graph mirrors nodes and links, ids and lengths")
    func network() throws {
        let s = try #require(parsed(Self.square()))
        let g = s.network
        #expect(g.nodes.map(\.name) == s.nodes.map(\.name))
        #expect(g.links.map(\.id) == s.links.map(\.id))
        #expect(g.links.map(\.lengthMetres) == s.links.map(\.length.metres))
        #expect(g.links.map(\.a) == s.links.map(\.a) && g.links.map(\.b) == s.links.map(\.b))
    }

    @Test("a static route may serve a request whose nodes are otherwise only reached through it")
    func routeServesRequest() throws {
        let yaml = """
            topology: { kind: grid, rows: 3, columns: 3, spacing: 1 km }
            routes:
              - { from: g0_0, to: g2_2, path: [g0_0, g1_0, g1_1, g1_2, g2_2] }
            requests:
              - { from: g2_2, to: g0_0, pairs: 5, weight: 3 }
              - { from: g0_2, to: g2_0, pairs: 5, weight: 1 }
            policies: { request: weighted-fair }
            """
        let s = try #require(parsed(yaml))
        #expect(names(s, s.path(from: s.requests[0].from, to: s.requests[0].to)) == ["g2_2", "g1_2", "g1_1", "g1_0", "g0_0"])
        #expect(s.requests.map(\.weight) == [3, 1] && s.requests.map(\.priority) == [0, 0])
    }
}

@Suite("Documented examples")
struct DocumentedExampleTests {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("the README's annotated scenario parses, with the values it shows")
    func readmeExample() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Scenario files"))
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```yaml\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        let s = try #require(parsed(String(rest[open.upperBound..<close.lowerBound]), file: "README.md"))
        #expect(s.links[0].detectors.efficiency == 0.8)
        #expect(s.routes.count == 1)
        #expect(s.policies == Policies(swap: .asap, request: .fifo, cutoff: nil, routing: .hops))
    }

    @Test("every example in scenarios/ parses")
    func examples() throws {
        let dir = Self.root.appendingPathComponent("scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 8)
        for file in files {
            do {
                let s = try Scenario.load(path: dir.appendingPathComponent(file).path)
                #expect(!s.requests.isEmpty)
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("the grid, star, ring and random examples have the shapes their comments promise")
    func exampleShapes() throws {
        func load(_ name: String) throws -> Scenario {
            try Scenario.load(path: Self.root.appendingPathComponent("scenarios/\(name).yaml").path)
        }
        let grid = try load("grid-4x4")
        #expect(grid.nodes.count == 16 && grid.requests.count == 6 && grid.policies.request == .weightedFair)
        #expect(grid.nodes.allSatisfy { $0.memory.qubits == 2 })
        // The requests' paths cross: some node lies on more than one of them.
        let paths = grid.routes(linkCost: { _ in 1 }).compactMap { $0 }
        #expect(paths.count == 6)
        var seen: [NodeID: Int] = [:]
        for path in paths { for node in path { seen[node, default: 0] += 1 } }
        #expect(seen.values.contains { $0 > 1 })
        let star = try load("star-4")
        #expect(star.node(NodeID(0)).name == "hub" && star.node(NodeID(0)).memory.qubits == 1)
        let ring = try load("ring-6")
        #expect(ring.path(from: NodeID(0), to: NodeID(3)) == [0, 5, 4, 3].map { NodeID($0) })
        let random = try load("random-waxman")
        #expect(random.topology?.kind == .random)
        #expect(random.routes(linkCost: { _ in 1 }).allSatisfy { $0 != nil })
    }
}
