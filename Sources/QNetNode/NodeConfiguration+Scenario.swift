import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScenario
import QNetScheduling

extension NodeConfiguration {
    /// The configuration of `node` in `scenario`: the values its runtime needs, resolved once
    /// (paths, link timing from the link physics, every node's memory).
    public init(scenario: Scenario, node: NodeID, seed: UInt64) throws(QuantumError) {
        let spec = scenario.node(node)
        var memories: [MemoryModel] = []
        for n in scenario.nodes { memories.append(try MemoryModel(n.memory)) }
        var links: [Link] = []
        for link in scenario.links(of: node) {
            let timing = try LinkPhysics(scenario: scenario, link: link).timing
            links.append(Link(id: link.id, a: link.a, b: link.b, station: scenario.stationName(of: link),
                              cycle: timing.cycle, modes: timing.modes))
        }
        var requests: [Request] = []
        for request in scenario.requests.sorted(by: { ($0.start, $0.id) < ($1.start, $1.id) }) {
            guard let path = scenario.path(from: request.from, to: request.to), path.contains(node) else { continue }
            let kind: Request.Kind = switch request.type {
            case .keep: .keep
            case .measure: .measure(bases: request.bases.map { basis in
                switch basis {
                case .x: QNetQuantum.MeasurementBasis.x
                case .y: .y
                case .z: .z
                }
            })
            }
            requests.append(Request(id: request.id, pairs: request.pairs, kind: kind, start: VTime.zero + request.start, path: path))
        }
        self.init(
            node: node, names: scenario.nodes.map(\.name), memories: memories, qubits: spec.memory.qubits,
            readoutError: spec.memory.readoutError, gateFidelity: spec.memory.gateFidelity, attemptPeriod: spec.photonics.attemptPeriod,
            multiplexing: spec.photonics.multiplexing, links: links, requests: requests,
            end: VTime.zero + scenario.duration, seed: seed)
    }
}

extension Scenario {
    /// How many qubits can be alive in the network at once: every node's memory.
    public var liveQubitBound: Int { nodes.reduce(0) { $0 + $1.memory.qubits } }

    /// The built-in scheduler of the scenario's policies.
    public var scheduler: NodeScheduler {
        NodeScheduler(swap: SwapASAP(), cutoff: policies.cutoff.map { FixedCutoff(age: $0) as any CutoffPolicy } ?? NoCutoff())
    }
}
