import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScenario
import QNetWire

/// The heralding station of one link: detectors and Bell-state-measurement outcome sampling.
/// It receives each end's attempt batch and heralds the first success to both ends, handing the
/// pair's state to end A, its owner (DESIGN §3, §4).
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

    public func deliver(_ envelope: Envelope, _ shell: ProcessShell) {
        guard case let .attemptBatch(batch) = envelope.body else {
            shell.warn("ignored \(envelope.body.typeName) from '\(envelope.source)'")
            return
        }
        guard batch.linkID == linkID, let end = names.firstIndex(of: envelope.source).flatMap(LinkEnd.init(rawValue:)) else {
            shell.warn("ignored an attempt batch for \(batch.linkID) from '\(envelope.source)'")
            return
        }
        let directives = agent.on(
            batch: .init(batchID: batch.batchID, start: batch.startTime, maxAttempts: batch.maxAttempts, qubit: batch.qubit),
            from: end)
        for directive in directives {
            switch directive {
            case let .herald(h):
                // The batched sampler has decided the outcome; nothing can change it before the
                // photons meet, so the heralds leave now, stamped with that time (one lockstep
                // round fewer per pair). The state goes to the end with more links (in a chain,
                // the repeater that will swap it: no transfer needed), else to end A.
                do {
                    let group = GroupID(UInt64(0x8000_0000 | linkID.rawValue) << 32 | h.batchID)
                    let state = MessageBody.GroupState(groupID: group, qubits: h.qubits, lastTouched: h.emissionTimes, state: h.state)
                    for (index, name) in names.enumerated() {
                        let herald = MessageBody.Herald(
                            linkID: linkID, batchID: h.batchID, attemptIndex: h.attemptIndex, successTime: h.time,
                            bellState: .init(h.bellState), groupID: group, qubits: h.qubits, owner: names[owner],
                            state: index == owner ? state : nil)
                        shell.send(.herald(herald), to: name, at: h.time)
                    }
                }
            case let .exhausted(batchID, attempts, time):
                for name in names {
                    shell.send(.attemptsExhausted(.init(linkID: linkID, batchID: batchID, attempts: attempts, endTime: time)), to: name, at: time)
                }
            }
        }
    }

    public func backplane(_ envelope: Envelope, _ shell: ProcessShell) {
        shell.warn("ignored backplane \(envelope.body.typeName) from '\(envelope.source)'")
    }
}
