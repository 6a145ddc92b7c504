import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScenario
import QNetScheduling

// The coordinator resolves each member's configuration from the scenario once; members receive
// it in their Welcome and never read the scenario file.

extension NodeConfiguration {
    /// The configuration of `node` in `scenario`: the values its runtime needs (its requests'
    /// `paths`, by request index, first path first, as the cluster plan routed them — one
    /// ``Request`` for each path through `node`, with the ids of
    /// ``Request/pathIDs(pathCounts:)``; link timing from the link physics; every node's memory).
    public init(scenario: Scenario, node: NodeID, paths: [[[NodeID]]], seed: UInt64) throws(QuantumError) {
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
        let ids = Request.pathIDs(pathCounts: paths.map(\.count))
        for request in scenario.requests.sorted(by: { ($0.start, $0.id) < ($1.start, $1.id) }) {
            let r = Int(request.id.rawValue)
            guard r < paths.count else { continue }
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
            for (k, path) in paths[r].enumerated() where path.contains(node) {
                requests.append(Request(id: ids[r][k], pairs: request.pairs, kind: kind, start: VTime.zero + request.start, path: path,
                                        weight: request.weight, priority: request.priority,
                                        deadline: request.deadline.map { VTime.zero + request.start + $0 },
                                        parent: request.id, pathIndex: k))
            }
        }
        self.init(
            node: node, names: scenario.nodes.map(\.name), memories: memories, qubits: spec.memory.qubits,
            communicationQubits: spec.memory.communicationQubits,
            readoutError: spec.memory.readoutError, gateFidelity: spec.memory.gateFidelity, attemptPeriod: spec.photonics.attemptPeriod,
            multiplexing: spec.photonics.multiplexing, links: links, requests: requests,
            end: VTime.zero + scenario.duration, seed: seed, policies: scenario.schedulingPolicies,
            liveQubits: scenario.liveQubitBound)
        bellSuccessProbability = spec.bellSuccessProbability
    }
}

extension StationConfiguration {
    /// The configuration of `link`'s station in `scenario`. The pair's state goes to the end
    /// with more links (in a chain, the repeater that will swap it), else to end A.
    public init(scenario: Scenario, link: LinkSpec, seed: UInt64) throws(QuantumError) {
        let physics = try LinkPhysics(scenario: scenario, link: link)
        let owner = scenario.links(of: link.b).count > scenario.links(of: link.a).count ? 1 : 0
        self.init(link: link.id, ends: [scenario.node(link.a).name, scenario.node(link.b).name], owner: owner,
                  model: physics.model, timing: physics.timing, seed: seed,
                  satellite: try SatelliteLinkPhysics(scenario: scenario, link: link))
    }
}

extension Scenario {
    /// How many qubits can be alive in the network at once: every node's memory.
    public var liveQubitBound: Int { nodes.reduce(0) { $0 + $1.memory.qubits } }

    /// The built-in scheduler's policies, from `policies:`.
    public var schedulingPolicies: SchedulingPolicies {
        let request: RequestScheduling = switch policies.request {
        case .fifo: .fifo
        case .priority: .priority
        case .weightedFair: .weightedFair
        case .edf: .edf
        }
        let generation: GenerationScheduling = switch policies.generation {
        case .roundRobin: .roundRobin
        case .greedy: .greedy
        }
        return SchedulingPolicies(cutoff: policies.cutoff, request: request, generation: generation,
                                  controller: policies.placement == .controller ? Scenario.controllerName : nil,
                                  swap: SwapScheduling(rawValue: policies.swap.rawValue) ?? .asap, cutoffBudget: policies.cutoffBudget,
                                  generationByController: policies.generationPlacement == .controller,
                                  routingByController: policies.routingPlacement == .controller)
    }
}
