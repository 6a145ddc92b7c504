import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScenario
import QNetWire

/// The station shell of one link: detectors and Bell-state-measurement outcome sampling, in
/// ``StationRuntime``. It runs as its own process (`qnet station`) or inside the coordinator
/// (`qnet run --stations coordinator`).
public final class StationBehavior: ProcessBehavior {
    public let physics: LinkPhysics
    var runtime: StationRuntime

    public init(scenario: Scenario, link: LinkSpec, mode: StationAgent.SamplingMode, seed: UInt64) throws(QuantumError) {
        physics = try LinkPhysics(scenario: scenario, link: link)
        // The state goes to the end with more links (in a chain, the repeater that will swap
        // it), else to end A.
        let owner = scenario.links(of: link.b).count > scenario.links(of: link.a).count ? 1 : 0
        let agent = StationAgent(
            timing: physics.timing, sampler: HeraldingSampler(model: physics.model), mode: mode,
            rng: SeededRandom(seed: seed).split("station").split(UInt64(link.id.rawValue)))
        runtime = StationRuntime(link: link.id, ends: [scenario.node(link.a).name, scenario.node(link.b).name], owner: owner, agent: agent)
    }

    public func start(_ shell: ProcessShell) {}

    /// Batches pair first come, first served per end (each end's messages arrive in order),
    /// whatever the interleaving of the two ends, and every answer is stamped at the photons'
    /// meeting time, no earlier than the batch that completes the pair arrives. (A withdrawal
    /// racing the other end's batch is the one case where arrival order decides.)
    public var answersOnArrival: Bool { true }

    public func deliver(_ envelope: Envelope, _ shell: ProcessShell) {
        switch respond(to: envelope, at: shell.now) {
        case let .send(messages):
            for m in messages { shell.send(MessageBody(m.message), to: m.destination, at: m.time) }
        case let .ignored(reason):
            shell.warn(reason)
        }
    }

    /// The station's answer to a routed message (the same wherever the station runs).
    public func respond(to envelope: Envelope, at now: VTime) -> StationRuntime.Response {
        guard let message = envelope.body.nodeMessage else {
            return .ignored("ignored \(envelope.body.typeName) from '\(envelope.source)'")
        }
        return runtime.respond(to: message, from: envelope.source, at: now)
    }

    public func backplane(_ envelope: Envelope, _ shell: ProcessShell) {
        shell.warn("ignored backplane \(envelope.body.typeName) from '\(envelope.source)'")
    }
}
