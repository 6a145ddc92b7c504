import QNetCore
import QNetNetwork
import Testing

@testable import QNetScenario

/// A valid grid scenario with a static route; error cases edit its lines.
let gridLines = [
    "topology: { kind: grid, rows: 2, columns: 3, spacing: 1 km }",  // 1
    "routes:",  // 2
    "  - { from: g0_0, to: g1_2, path: [g0_0, g0_1, g1_1, g1_2] }",  // 3
    "requests:",  // 4
    "  - { from: g0_0, to: g1_2, pairs: 10 }",  // 5
]

/// The grid scenario with some lines replaced (1-based).
func gridEdited(_ edits: [Int: String]) -> String {
    gridLines.enumerated().map { edits[$0.offset + 1] ?? $0.element }.joined(separator: "\n") + "\n"
}

/// A case whose error is found on one written line: the column is where `at` starts on it
/// (the `occurrence`-th time it appears there).
struct LineError: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var line: Int
    var at: String
    var occurrence = 1
    var keyPath: String
    var code: ScenarioError.Code
    var contains: [String]

    var testDescription: String { name }

    /// 1-based column of the `occurrence`-th `at` on line `line` of the YAML.
    var column: Int? {
        let text = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard line - 1 < text.count else { return nil }
        var rest = Substring(text[line - 1])
        var offset = 0
        for n in 1...occurrence {
            guard let range = rest.range(of: at) else { return nil }
            let start = rest.distance(from: rest.startIndex, to: range.lowerBound)
            if n == occurrence { return offset + start + 1 }
            offset += start + at.count
            rest = rest[range.upperBound...]
        }
        return nil
    }
}

let networkErrors: [LineError] = [
    // Routes.
    LineError(name: "route naming a missing link", yaml: gridEdited([3: "  - { from: g0_0, to: g1_2, path: [g0_0, g1_1, g1_2] }"]),
              line: 3, at: "g1_1", keyPath: "routes[0].path[1]", code: .unknownReference,
              contains: ["no link between g0_0 and g1_1 (path[0] and path[1])", "g0_0 links to: g0_1, g1_0"]),
    LineError(name: "route starting at the wrong node", yaml: gridEdited([3: "  - { from: g0_0, to: g1_2, path: [g0_1, g1_1, g1_2] }"]),
              line: 3, at: "g0_1", keyPath: "routes[0].path[0]", code: .conflict,
              contains: ["the path starts at g0_1, but the route is from g0_0", "allowed: a path from g0_0 to g1_2"]),
    LineError(name: "route ending at the wrong node", yaml: gridEdited([3: "  - { from: g0_0, to: g1_2, path: [g0_0, g0_1, g1_1] }"]),
              line: 3, at: "g1_1", keyPath: "routes[0].path[2]", code: .conflict,
              contains: ["the path ends at g1_1, but the route is to g1_2"]),
    LineError(name: "route visiting a node twice",
              yaml: gridEdited([3: "  - { from: g0_0, to: g1_2, path: [g0_0, g0_1, g1_1, g0_1, g0_2, g1_2] }"]),
              line: 3, at: "g0_1", occurrence: 2, keyPath: "routes[0].path[3]", code: .duplicate,
              contains: ["node g0_1 appears twice in the path (path[1] and path[3])", "a route visits each node at most once"]),
    LineError(name: "route through an unknown node", yaml: gridEdited([3: "  - { from: g0_0, to: g1_2, path: [g0_0, g0_7, g1_2] }"]),
              line: 3, at: "g0_7", keyPath: "routes[0].path[1]", code: .unknownReference,
              contains: ["unknown node 'g0_7'"]),
    LineError(name: "two routes for one pair (the other way round)",
              yaml: gridEdited([3: "  - { from: g0_0, to: g1_2, path: [g0_0, g0_1, g1_1, g1_2] }\n  - { from: g1_2, to: g0_0, path: [g1_2, g1_1, g1_0, g0_0] }"]),
              line: 4, at: "g1_2", keyPath: "routes[1].from", code: .duplicate,
              contains: ["a route between g1_2 and g0_0 is already given by routes[0] (line 3)", "one route per pair of nodes"]),
    LineError(name: "route of one node", yaml: gridEdited([3: "  - { from: g0_0, to: g1_2, path: [g0_0] }"]),
              line: 3, at: "[g0_0]", keyPath: "routes[0].path", code: .outOfRange,
              contains: ["a path needs at least its two ends, found 1 node"]),
    LineError(name: "route from a node to itself", yaml: gridEdited([3: "  - { from: g0_0, to: g0_0, path: [g0_0, g0_1] }"]),
              line: 3, at: "g0_0", occurrence: 2, keyPath: "routes[0].to", code: .conflict,
              contains: ["a route joins two different nodes"]),
    LineError(name: "multi-link route with swapping off",
              yaml: "policies: { swap: none }\n" + gridEdited([3: "  - { from: g0_0, to: g0_1, path: [g0_0, g1_0, g1_1, g0_1] }", 5: "  - { from: g0_0, to: g0_1, pairs: 10 }"]),
              line: 6, at: "g0_1", keyPath: "requests[0].to", code: .conflict,
              contains: ["policies.swap is none, but routes[0] (line 4) takes g0_0 to g0_1 over 3 links"]),

    // Topology keys and sizes.
    LineError(name: "a key of another topology kind", yaml: gridEdited([1: "topology: { kind: chain, nodes: 4, leaves: 3, spacing: 1 km }"]),
              line: 1, at: "leaves", keyPath: "topology.leaves", code: .unknownKey,
              contains: ["'leaves' is not a key of a chain topology (it belongs to kind star)", "allowed keys for kind chain: kind, nodes, spacing"]),
    LineError(name: "unknown topology key", yaml: gridEdited([1: "topology: { kind: grid, rows: 2, columns: 3, spacing: 1 km, colour: red }"]),
              line: 1, at: "colour", keyPath: "topology.colour", code: .unknownKey,
              contains: ["unknown key 'colour'", "allowed keys for kind grid: kind, rows, columns, spacing"]),
    LineError(name: "misspelt topology key", yaml: gridEdited([1: "topology: { kind: grid, rows: 2, colums: 3, spacing: 1 km }"]),
              line: 1, at: "colums", keyPath: "topology.colums", code: .unknownKey,
              contains: ["did you mean 'columns'?"]),
    LineError(name: "grid with zero rows", yaml: gridEdited([1: "topology: { kind: grid, rows: 0, columns: 3, spacing: 1 km }"]),
              line: 1, at: "0", keyPath: "topology.rows", code: .outOfRange, contains: ["allowed: 1 <= rows <= 1000"]),
    LineError(name: "grid with zero columns", yaml: gridEdited([1: "topology: { kind: grid, rows: 2, columns: 0, spacing: 1 km }"]),
              line: 1, at: "0", keyPath: "topology.columns", code: .outOfRange, contains: ["allowed: 1 <= columns <= 1000"]),
    LineError(name: "1×1 grid", yaml: gridEdited([1: "topology: { kind: grid, rows: 1, columns: 1, spacing: 1 km }"]),
              line: 1, at: "1", occurrence: 2, keyPath: "topology.columns", code: .outOfRange,
              contains: ["a 1×1 grid has 1 node", "allowed: 2 <= rows*columns <= 1000"]),
    LineError(name: "grid without columns", yaml: gridEdited([1: "topology: { kind: grid, rows: 2, spacing: 1 km }"]),
              line: 1, at: "{", keyPath: "topology.columns", code: .missingKey, contains: ["missing required key 'columns'"]),
    LineError(name: "star with no leaves", yaml: "topology: { kind: star, leaves: 0, spacing: 1 km }\nrequests: [{ from: hub, to: l0, pairs: 1 }]\n",
              line: 1, at: "0", keyPath: "topology.leaves", code: .outOfRange, contains: ["allowed: 1 <= leaves <= 999"]),
    LineError(name: "ring of two", yaml: "topology: { kind: ring, nodes: 2, spacing: 1 km }\nrequests: [{ from: n0, to: n1, pairs: 1 }]\n",
              line: 1, at: "2", keyPath: "topology.nodes", code: .outOfRange, contains: ["allowed: 3 <= nodes <= 1000"]),
    LineError(name: "a node the star does not have", yaml: "topology: { kind: star, leaves: 3, spacing: 1 km }\nnodes: [{ name: l3 }]\nrequests: [{ from: hub, to: l0, pairs: 1 }]\n",
              line: 2, at: "l3", keyPath: "nodes[0].name", code: .unknownReference,
              contains: ["node 'l3' is not part of the star topology; allowed names: hub, l0 ... l2"]),
    LineError(name: "a node the grid does not have", yaml: gridEdited([1: "topology: { kind: grid, rows: 2, columns: 3, spacing: 1 km }\nnodes: [{ name: g2_0 }]"]),
              line: 2, at: "g2_0", keyPath: "nodes[0].name", code: .unknownReference,
              contains: ["allowed names: g0_0 ... g1_2"]),

    // Waxman parameters.
    LineError(name: "Waxman alpha zero", yaml: "topology: { kind: random, nodes: 5, seed: 1, alpha: 0, beta: 0.5, area: 10 km }\nrequests: [{ from: n0, to: n1, pairs: 1 }]\n",
              line: 1, at: "0,", keyPath: "topology.alpha", code: .outOfRange, contains: ["allowed: 0 < alpha <= 1"]),
    LineError(name: "Waxman beta above one", yaml: "topology: { kind: random, nodes: 5, seed: 1, alpha: 0.5, beta: 1.5, area: 10 km }\nrequests: [{ from: n0, to: n1, pairs: 1 }]\n",
              line: 1, at: "1.5", keyPath: "topology.beta", code: .outOfRange, contains: ["allowed: 0 < beta <= 1"]),
    LineError(name: "Waxman without a seed", yaml: "topology: { kind: random, nodes: 5, alpha: 0.5, beta: 0.5, area: 10 km }\nrequests: [{ from: n0, to: n1, pairs: 1 }]\n",
              line: 1, at: "{", keyPath: "topology.seed", code: .missingKey, contains: ["the topology's own seed"]),
    LineError(name: "Waxman with a spacing", yaml: "topology: { kind: random, nodes: 5, seed: 1, alpha: 0.5, beta: 0.5, area: 10 km, spacing: 1 km }\nrequests: [{ from: n0, to: n1, pairs: 1 }]\n",
              line: 1, at: "spacing", keyPath: "topology.spacing", code: .unknownKey,
              contains: ["'spacing' is not a key of a random topology", "allowed keys for kind random: kind, nodes, seed, alpha, beta, area"]),
    LineError(name: "Waxman of zero area", yaml: "topology: { kind: random, nodes: 5, seed: 1, alpha: 0.5, beta: 0.5, area: 0 km }\nrequests: [{ from: n0, to: n1, pairs: 1 }]\n",
              line: 1, at: "0 km", keyPath: "topology.area", code: .outOfRange, contains: ["allowed: a length > 0"]),

    // Requests.
    LineError(name: "weight zero", yaml: gridEdited([5: "  - { from: g0_0, to: g1_2, pairs: 10, weight: 0 }"]),
              line: 5, at: "0 }", keyPath: "requests[0].weight", code: .outOfRange, contains: ["allowed: 0 < weight"]),
    LineError(name: "negative weight", yaml: gridEdited([5: "  - { from: g0_0, to: g1_2, pairs: 10, weight: -2 }"]),
              line: 5, at: "-2", keyPath: "requests[0].weight", code: .outOfRange, contains: ["allowed: 0 < weight"]),
    LineError(name: "weight without weighted-fair", yaml: gridEdited([5: "  - { from: g0_0, to: g1_2, pairs: 10, weight: 3 }"]),
              line: 5, at: "3 }", keyPath: "requests[0].weight", code: .conflict,
              contains: ["weight is read only by policies.request: weighted-fair (this scenario uses fifo)", "set policies.request: weighted-fair"]),
    LineError(name: "priority without the priority policy", yaml: gridEdited([5: "  - { from: g0_0, to: g1_2, pairs: 10, priority: 2 }"]),
              line: 5, at: "2 }", keyPath: "requests[0].priority", code: .conflict,
              contains: ["priority is read only by policies.request: priority (this scenario uses fifo)", "set policies.request: priority"]),
    LineError(name: "fractional priority", yaml: gridEdited([5: "  - { from: g0_0, to: g1_2, pairs: 10, priority: 1.5 }"]),
              line: 5, at: "1.5", keyPath: "requests[0].priority", code: .wrongType,
              contains: ["expected a whole number for priority, found '1.5'", "higher is served first"]),
    LineError(name: "minFidelity is not modelled", yaml: gridEdited([5: "  - { from: g0_0, to: g1_2, pairs: 10, minFidelity: 0.9 }"]),
              line: 5, at: "minFidelity", keyPath: "requests[0].minFidelity", code: .notModelled,
              contains: ["minFidelity comes with service requests and is not modelled yet", "allowed keys: from, to, pairs, type, start, weight, priority, deadline, bases"]),
    LineError(name: "maxWait is not modelled", yaml: gridEdited([5: "  - { from: g0_0, to: g1_2, pairs: 10, maxWait: 1 s }"]),
              line: 5, at: "maxWait", keyPath: "requests[0].maxWait", code: .notModelled,
              contains: ["maxWait comes with service requests and is not modelled yet"]),
    LineError(name: "unknown routing policy", yaml: "policies: { routing: fastest }\n" + gridEdited([:]),
              line: 1, at: "fastest", keyPath: "policies.routing", code: .unknownValue,
              contains: ["allowed values: hops, length, expected-time"]),
    LineError(name: "unknown request policy", yaml: "policies: { request: lifo }\n" + gridEdited([:]),
              line: 1, at: "lifo", keyPath: "policies.request", code: .unknownValue,
              contains: ["did you mean 'fifo'?", "allowed values: fifo, priority, weighted-fair, edf"]),

    // Memory and detectors.
    LineError(name: "communicationQubits above qubits", yaml: "defaults: { memory: { qubits: 2, communicationQubits: 3 } }\n" + gridEdited([:]),
              line: 1, at: "3", keyPath: "defaults.memory.communicationQubits", code: .conflict,
              contains: ["communicationQubits = 3 exceeds qubits = 2 (defaults.memory.qubits at line 1)", "allowed: 1 <= communicationQubits <= qubits"]),
    LineError(name: "communicationQubits above the built-in qubits", yaml: gridEdited([1: "topology: { kind: grid, rows: 2, columns: 3, spacing: 1 km }\nnodes: [{ name: g0_1, memory: { communicationQubits: 4 } }]"]),
              line: 2, at: "4", keyPath: "nodes[0].memory.communicationQubits", code: .conflict,
              contains: ["communicationQubits = 4 exceeds qubits = 2 (the built-in default)"]),
    LineError(name: "a node's qubits below the default communicationQubits",
              yaml: "defaults: { memory: { qubits: 4, communicationQubits: 3 } }\n" + gridEdited([1: "topology: { kind: grid, rows: 2, columns: 3, spacing: 1 km }\nnodes: [{ name: g0_1, memory: { qubits: 2 } }]"]),
              line: 3, at: "2", occurrence: 1, keyPath: "nodes[0].memory.qubits", code: .conflict,
              contains: ["qubits = 2 is fewer than communicationQubits = 3 (defaults.memory.communicationQubits at line 1)"]),
    LineError(name: "zero communicationQubits", yaml: "defaults: { memory: { communicationQubits: 0 } }\n" + gridEdited([:]),
              line: 1, at: "0", keyPath: "defaults.memory.communicationQubits", code: .outOfRange,
              contains: ["allowed: a whole number >= 1"]),
    LineError(name: "initFidelity is not modelled", yaml: "defaults: { memory: { qubits: 2, initFidelity: 0.99 } }\n" + gridEdited([:]),
              line: 1, at: "initFidelity", keyPath: "defaults.memory.initFidelity", code: .notModelled,
              contains: ["initialisation fidelity is not modelled", "allowed keys: qubits, communicationQubits, t1, t2, gateFidelity, readoutError"]),
    LineError(name: "deadTime is not modelled", yaml: "defaults: { detectors: { efficiency: 0.9, deadTime: 50 ns } }\n" + gridEdited([:]),
              line: 1, at: "deadTime", keyPath: "defaults.detectors.deadTime", code: .notModelled,
              contains: ["detector dead time is not modelled", "allowed keys: efficiency, darkCountRate, window"]),
    LineError(name: "a node's detectors block", yaml: edited([4: "  - name: bob\n    detectors: { efficiency: 0.8 }"]),
              line: 5, at: "detectors", keyPath: "nodes[1].detectors", code: .unknownKey,
              contains: ["a node has no detectors; detectors belong to a link's station: set defaults.detectors or links[i].detectors",
                         "allowed keys: name, memory, photonics"]),
    LineError(name: "a detector key directly in a node", yaml: edited([4: "  - name: bob\n    efficiency: 0.8"]),
              line: 5, at: "efficiency", keyPath: "nodes[1].efficiency", code: .unknownKey,
              contains: ["detectors belong to a link's station"]),
    LineError(name: "a detector key directly in a link", yaml: edited([7: "    length: 10 km\n    window: 2 ns"]),
              line: 8, at: "window", keyPath: "links[0].window", code: .unknownKey,
              contains: ["it belongs in the link's 'detectors'"]),
    LineError(name: "deadTime in a link's detectors", yaml: edited([7: "    length: 10 km\n    detectors: { deadTime: 1 ns }"]),
              line: 8, at: "deadTime", keyPath: "links[0].detectors.deadTime", code: .notModelled,
              contains: ["detector dead time is not modelled"]),
]

@Suite("Scenario errors: networks, routes, requests, memory")
struct NetworkErrorTests {
    @Test("one line naming file, line, column and key path", arguments: networkErrors)
    func errorLine(_ c: LineError) throws {
        let error = try #require(parseError(c.yaml, file: "net.yaml"))
        let text = error.description
        #expect(error.line == c.line, "\(text)")
        #expect(c.column != nil, "'\(c.at)' is not on line \(c.line)")
        #expect(error.column == c.column, "\(text)")
        #expect(error.keyPath == c.keyPath, "\(text)")
        #expect(error.code == c.code, "\(text)")
        #expect(!text.contains("\n"))
        #expect(text.hasPrefix("net.yaml:\(c.line):\(error.column ?? 0): \(c.keyPath): "), "\(text)")
        for fragment in c.contains { #expect(text.contains(fragment), "\(text)") }
    }

    @Test("the grid base scenario itself is valid")
    func baseIsValid() throws {
        let s = try #require(parsed(gridEdited([:])))
        #expect(s.nodes.count == 6 && s.routes.count == 1)
    }

    @Test("a request across the parts of a disconnected random topology names both nodes and the parts")
    func disconnectedRandom() throws {
        // Sparse on purpose (alpha and beta small): with this seed n0 and n1 are not connected,
        // which the test checks on the generator itself first.
        let topology = "topology: { kind: random, nodes: 12, seed: 3, alpha: 0.1, beta: 0.2, area: 50 km }"
        let graph = try QNetNetwork.TopologyGenerator.waxman(nodes: 12, seed: 3, alpha: 0.1, beta: 0.2, areaMetres: 50_000)
        let parts = graph.components().count
        try #require(!graph.isConnected(.init(0), .init(1)))
        let error = try #require(parseError(topology + "\nrequests:\n  - { from: n0, to: n1, pairs: 1 }\n", file: "net.yaml"))
        #expect(error.line == 3 && error.keyPath == "requests[0].to" && error.code == .conflict, "\(error)")
        #expect(error.description.contains(
            "no path of links from n0 to n1: the random topology (seed 3) falls apart into \(parts) unconnected parts"
        ), "\(error)")
        #expect(error.description.contains("choose another topology seed or a larger alpha or beta"))
    }
}
