import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetWire

/// The station shell of one link: detectors and Bell-state-measurement outcome sampling, in
/// ``StationRuntime``. It runs as its own process (`qnet station`) or inside the coordinator
/// (`qnet run --stations coordinator`).
public final class StationBehavior: ProcessBehavior {
    public let configuration: StationConfiguration
    var runtime: StationRuntime

    public init(configuration: StationConfiguration, mode: StationAgent.SamplingMode) {
        self.configuration = configuration
        runtime = StationRuntime(configuration: configuration, mode: mode)
    }

    public func start(_ shell: ProcessShell) {}

    /// Batches pair first come, first served per end (each end's messages arrive in order),
    /// whatever the interleaving of the two ends, and every answer is stamped at the photons'
    /// meeting time, no earlier than the batch that completes the pair arrives. (A withdrawal
    /// racing the other end's batch is the one case where arrival order decides.)
    public var answersOnArrival: Bool { true }

    public func deliver(_ envelope: Envelope, _ shell: ProcessShell) {
        // A per-attempt draw over millions of attempts takes seconds: the heartbeat goes on.
        switch respond(to: envelope, at: shell.now, progress: { shell.keepAlive() }) {
        case let .send(messages):
            for m in messages { shell.send(MessageBody(m.message), to: m.destination, at: m.time) }
        case let .ignored(reason):
            shell.warn(reason)
        }
    }

    /// The station's answer to a routed message (the same wherever the station runs).
    public func respond(to envelope: Envelope, at now: VTime, progress: () -> Void = {}) -> StationRuntime.Response {
        guard let message = envelope.body.nodeMessage else {
            return .ignored("ignored \(envelope.body.typeName) from '\(envelope.source)'")
        }
        return runtime.respond(to: message, from: envelope.source, at: now, progress: progress)
    }

    public func backplane(_ envelope: Envelope, _ shell: ProcessShell) {
        shell.warn("ignored backplane \(envelope.body.typeName) from '\(envelope.source)'")
    }
}
