import Foundation
import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScheduling

/// A repeater chain n0 — n1 — … built by hand for the runtime's unit tests: one double-click
/// link per neighbour pair, every node's runtime and every link's station, and the channel
/// delays, wired into an ``InMemoryNetwork``.
struct ChainFixture {
    var nodes: Int
    var pairs: Int
    var spacingMetres = 2_000.0
    var visibility = 0.9
    var darkCountProbability = 0.0
    var t1Seconds = Double.infinity
    var t2Seconds = Double.infinity
    var cutoff: VDuration?
    /// An end-to-end budget per delivery instead (`cutoff: { budget }`).
    var cutoffBudget: VDuration?
    var seed: UInt64 = 5
    /// Multiplies the classical delay of every channel into the last node (the asymmetric race).
    var lastNodeDelayFactor: UInt64 = 1
    var duration = VDuration.seconds(60)
    /// Two-qubit gate fidelity and readout error of the repeaters (the ends' are perfect).
    var gateFidelity = 1.0
    var readoutError = 0.0
    /// The scheduler of each node (by index); nil: the built-in one of its policies.
    var scheduler: (@Sendable (Int, SchedulingPolicies) -> any Scheduler)?
    /// Per-request deadline (absolute), for the expiry observation.
    var deadline: VTime?
    /// The repeaters' Bell-measurement success probability.
    var bellSuccessProbability = 1.0

    var names: [String] { (0..<nodes).map { "n\($0)" } }
    func station(_ i: Int) -> String { "station-n\(i)-n\(i + 1)" }

    var model: HeraldingModel {
        let eta = 0.5 * pow(10, -0.2 * spacingMetres / 2 / 1000 / 10) * 0.9
        return try! HeraldingModel(scheme: .doubleClick, etaA: eta, etaB: eta, visibility: visibility,
                                   darkCountProbability: darkCountProbability)
    }

    var armDelay: VDuration { FiberChannel(lengthMetres: spacingMetres / 2).delay }

    var timing: LinkTiming {
        LinkTiming(attemptPeriod: .microseconds(1), armDelayA: armDelay, armDelayB: armDelay, rounds: 2, modes: 1)
    }

    /// The link pair as the nodes hold it (corrected to Φ+ on end A), as Bell coefficients.
    var linkCoefficients: [Double] {
        let outcome = model.successfulOutcomes[0]
        var rho = model.heraldedState(outcome)
        rho.apply(outcome.bellState.correctionToPhiPlus, to: 0)
        return rho.bellCoefficients
    }

    func network() -> InMemoryNetwork {
        let memory = t1Seconds.isInfinite && t2Seconds.isInfinite ? MemoryModel.ideal : try! MemoryModel(t1Seconds: t1Seconds, t2Seconds: t2Seconds)
        let memories = Array(repeating: memory, count: nodes)
        let path = (0..<nodes).map { NodeID(UInt32($0)) }
        let request = NodeConfiguration.Request(id: RequestID(0), pairs: pairs, kind: .keep, start: .zero, path: path, deadline: deadline)
        let links = (0..<(nodes - 1)).map { i in
            NodeConfiguration.Link(id: LinkID(UInt32(i)), a: NodeID(UInt32(i)), b: NodeID(UInt32(i + 1)), station: station(i),
                                   cycle: timing.cycle, modes: 1)
        }
        var runtimes: [NodeRuntime] = []
        for i in 0..<nodes {
            var configuration = NodeConfiguration(
                node: NodeID(UInt32(i)), names: names, memories: memories, qubits: 2,
                readoutError: i == 0 || i == nodes - 1 ? 0 : readoutError, gateFidelity: i == 0 || i == nodes - 1 ? 1 : gateFidelity,
                attemptPeriod: .microseconds(1), multiplexing: 1,
                links: links.filter { $0.a.rawValue == UInt32(i) || $0.b.rawValue == UInt32(i) },
                requests: [request], end: .zero + duration, seed: seed, policies: SchedulingPolicies(cutoff: cutoff, cutoffBudget: cutoffBudget), liveQubits: 2 * nodes)
            if i > 0 && i < nodes - 1 { configuration.bellSuccessProbability = bellSuccessProbability }
            runtimes.append(scheduler.map { NodeRuntime(configuration: configuration, scheduler: $0(i, configuration.policies)) }
                ?? NodeRuntime(configuration: configuration))
        }
        var stations: [StationRuntime] = []
        for i in 0..<(nodes - 1) {
            let agent = StationAgent(timing: timing, sampler: HeraldingSampler(model: model), mode: .batched,
                                     rng: SeededRandom(seed: seed).split("station").split(UInt64(i)))
            // The state goes to the end with more links (a repeater), else to end A.
            let owner = i + 1 < nodes - 1 && i == 0 ? 1 : 0
            stations.append(StationRuntime(link: LinkID(UInt32(i)), ends: [names[i], names[i + 1]], owner: owner, agent: agent))
        }
        var delays: [String: [String: VDuration]] = [:]
        let last = names[nodes - 1]
        func factor(_ to: String) -> UInt64 { to == last ? lastNodeDelayFactor : 1 }
        for i in 0..<(nodes - 1) {
            for end in [names[i], names[i + 1]] {
                delays[end, default: [:]][station(i)] = armDelay
                delays[station(i), default: [:]][end] = armDelay * factor(end)
            }
        }
        for i in 0..<nodes {
            for j in 0..<nodes where i != j {
                delays[names[i], default: [:]][names[j]] = armDelay * UInt64(2 * abs(i - j)) * factor(names[j])
            }
        }
        return InMemoryNetwork(nodes: runtimes, stations: stations, delays: delays)
    }

    /// Runs until every pair is recorded (or the duration passes).
    func run(keepingLog: Bool = true) -> InMemoryNetwork {
        var net = network()
        net.keepsRoutedLog = keepingLog
        net.start()
        net.run(until: .zero + duration) { $0.delivered.count >= pairs }
        return net
    }

    /// Swapping Bell-diagonal pairs with Pauli correction composes their Pauli-error
    /// distributions by XOR convolution (index = 2x + z in the order Φ+, Φ−, Ψ+, Ψ−; Dür,
    /// Briegel, Cirac & Zoller, PRA 59, 169, 1999).
    static func compose(_ link: [Double], links n: Int) -> [Double] {
        var out = [1.0, 0, 0, 0]
        for _ in 0..<n {
            var next = [0.0, 0, 0, 0]
            for i in 0..<4 { for j in 0..<4 { next[i ^ j] += out[i] * link[j] } }
            out = next
        }
        return out
    }
}
