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
        let paths = try scenario.requestPaths()
        for request in scenario.requests.sorted(by: { ($0.start, $0.id) < ($1.start, $1.id) }) {
            guard let path = paths[Int(request.id.rawValue)], path.contains(node) else { continue }
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
            requests.append(Request(id: request.id, pairs: request.pairs, kind: kind, start: VTime.zero + request.start, path: path,
                                    weight: request.weight, priority: request.priority))
        }
        self.init(
            node: node, names: scenario.nodes.map(\.name), memories: memories, qubits: spec.memory.qubits,
            communicationQubits: spec.memory.communicationQubits,
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
        let requests: RequestScheduling = switch policies.request {
        case .fifo: .fifo
        case .priority: .priority
        case .weightedFair: .weightedFair
        }
        return NodeScheduler(swap: SwapASAP(), cutoff: policies.cutoff.map { FixedCutoff(age: $0) as any CutoffPolicy } ?? NoCutoff(),
                             requests: requests)
    }

    /// Every request's path (by index), as the routing policy chooses: `expected-time` weighs
    /// each link by its expected time per pair from the link physics (one cycle over the cycle's
    /// success probability).
    public func requestPaths() throws(QuantumError) -> [[NodeID]?] {
        var cost: [LinkID: Double] = [:]
        for link in links {
            let physics = try LinkPhysics(scenario: self, link: link)
            cost[link.id] = 1 / max(physics.expectedRatePerSecond, 1e-300)
        }
        return routes { cost[$0.id] ?? .infinity }
    }
}
