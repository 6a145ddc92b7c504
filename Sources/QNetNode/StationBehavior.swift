import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScenario
import QNetWire

/// The heralding station of one link: detectors and Bell-state-measurement outcome sampling.
/// It receives each end's attempt batch and heralds the first success to both ends, handing the
/// pair's state to its owner: the end with more links, else end A (DESIGN §3, §4). It runs as
/// its own process (`qnet station`) or inside the coordinator (`qnet run --stations coordinator`).
public final class StationBehavior: ProcessBehavior {
    public let physics: LinkPhysics
    let names: [String]
    var agent: StationAgent
    let linkID: LinkID
    /// Which end receives the pair's state (0: A, 1: B).
    let owner: Int

    public init(scenario: Scenario, link: LinkSpec, mode: StationAgent.SamplingMode, seed: UInt64) throws(QuantumError) {
        physics = try LinkPhysics(scenario: scenario, link: link)
        linkID = link.id
        names = [scenario.node(link.a).name, scenario.node(link.b).name]
        owner = scenario.links(of: link.b).count > scenario.links(of: link.a).count ? 1 : 0
        agent = StationAgent(
            timing: physics.timing, sampler: HeraldingSampler(model: physics.model), mode: mode,
            rng: SeededRandom(seed: seed).split("station").split(UInt64(link.id.rawValue)))
    }

    public func start(_ shell: ProcessShell) {}

    /// Batches pair up by id, whatever their arrival order, and every answer is stamped at the
    /// photons' meeting time, no earlier than the batch that completes the pair arrives.
    public var answersOnArrival: Bool { true }

    public func deliver(_ envelope: Envelope, _ shell: ProcessShell) {
        switch respond(to: envelope) {
        case let .send(messages):
            for m in messages { shell.send(m.body, to: m.destination, at: m.time) }
        case let .ignored(reason):
            shell.warn(reason)
        }
    }

    /// A message the station sends: `body` to `destination`, stamped `time`.
    public struct Outgoing {
        public var body: MessageBody
        public var destination: String
        public var time: VTime
    }

    public enum Response {
        case send([Outgoing])
        /// Not an attempt batch of this link from one of its ends: one line saying so.
        case ignored(String)
    }

    /// The station's answer to a routed message: the same wherever the station runs (its own
    /// process, or inside the coordinator; DESIGN §1).
    public func respond(to envelope: Envelope) -> Response {
        guard case let .attemptBatch(batch) = envelope.body else {
            return .ignored("ignored \(envelope.body.typeName) from '\(envelope.source)'")
        }
        guard batch.linkID == linkID, let end = names.firstIndex(of: envelope.source).flatMap(LinkEnd.init(rawValue:)) else {
            return .ignored("ignored an attempt batch for \(batch.linkID) from '\(envelope.source)'")
        }
        let directives = agent.on(
            batch: .init(batchID: batch.batchID, start: batch.startTime, maxAttempts: batch.maxAttempts, qubit: batch.qubit),
            from: end)
        var out: [Outgoing] = []
        for directive in directives {
            switch directive {
            case let .herald(h):
                // The batched sampler has decided the outcome; nothing can change it before the
                // photons meet, so the heralds leave now, stamped with that time (one lockstep
                // round fewer per pair). The state goes to the end with more links (in a chain,
                // the repeater that will swap it: no transfer needed), else to end A.
                let group = GroupID(UInt64(0x8000_0000 | linkID.rawValue) << 32 | h.batchID)
                let state = MessageBody.GroupState(groupID: group, qubits: h.qubits, lastTouched: h.emissionTimes, state: h.state)
                for (index, name) in names.enumerated() {
                    let herald = MessageBody.Herald(
                        linkID: linkID, batchID: h.batchID, attemptIndex: h.attemptIndex, successTime: h.time,
                        bellState: .init(h.bellState), groupID: group, qubits: h.qubits, owner: names[owner],
                        state: index == owner ? state : nil)
                    out.append(Outgoing(body: .herald(herald), destination: name, time: h.time))
                }
            case let .exhausted(batchID, attempts, time):
                for name in names {
                    out.append(Outgoing(body: .attemptsExhausted(.init(linkID: linkID, batchID: batchID, attempts: attempts, endTime: time)),
                                        destination: name, time: time))
                }
            }
        }
        return .send(out)
    }

    public func backplane(_ envelope: Envelope, _ shell: ProcessShell) {
        shell.warn("ignored backplane \(envelope.body.typeName) from '\(envelope.source)'")
    }
}
