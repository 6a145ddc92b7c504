import QNetCore
import QNetPhysics
import QNetQuantum

/// The heralding station of one link as an I/O-free machine: it receives each end's attempt
/// batch and heralds the first success to both ends, handing the pair's state to its owner
/// (DESIGN §3, §4). The same wherever it runs: its own process, or inside the coordinator.
public struct StationRuntime: Sendable {
    /// A message the station sends: `message` to `destination`, stamped `time`.
    public struct Outgoing: Sendable {
        public var message: NodeMessage
        public var destination: String
        public var time: VTime
    }

    public enum Response: Sendable {
        case send([Outgoing])
        /// Not an attempt batch of this link from one of its ends: one line saying so.
        case ignored(String)
    }

    public let link: LinkID
    /// The two ends' process names (A, B).
    public let ends: [String]
    /// Which end receives the pair's state (0: A, 1: B).
    public let owner: Int
    var agent: StationAgent

    public init(link: LinkID, ends: [String], owner: Int, agent: StationAgent) {
        self.link = link
        self.ends = ends
        self.owner = owner
        self.agent = agent
    }

    /// The station's answer to a routed message from `source`, handled at `now`. Batches pair
    /// first come, first served per end, and every herald is stamped at the photons' meeting time.
    /// `progress` is called now and then during a long per-attempt draw.
    public mutating func respond(
        to message: NodeMessage, from source: String, at now: VTime, progress: () -> Void = {}
    ) -> Response {
        let directives: [StationAgent.Directive]
        switch message {
        case let .attemptBatch(batch):
            guard batch.linkID == link, let end = ends.firstIndex(of: source).flatMap(LinkEnd.init(rawValue:)) else {
                return .ignored("ignored an attempt batch for \(batch.linkID) from '\(source)'")
            }
            // Only the link's master (end A) labels its batches.
            directives = agent.on(
                batch: .init(batchID: batch.batchID, start: batch.startTime, maxAttempts: batch.maxAttempts, qubit: batch.qubit,
                             label: end == .a ? batch.label : nil),
                from: end, at: now, progress: progress)
        case let .attemptWithdraw(withdraw):
            guard withdraw.linkID == link, let end = ends.firstIndex(of: source).flatMap(LinkEnd.init(rawValue:)) else {
                return .ignored("ignored a withdrawal for \(withdraw.linkID) from '\(source)'")
            }
            directives = agent.withdraw(batchID: withdraw.batchID, from: end, at: now)
        default:
            return .ignored("ignored \(message.typeName) from '\(source)'")
        }
        var out: [Outgoing] = []
        for directive in directives {
            switch directive {
            case let .herald(h):
                // The batched sampler has decided the outcome; nothing can change it before the
                // photons meet, so the heralds leave now, stamped with that time (one lockstep
                // round fewer per pair). The state goes to the owner (in a chain, the repeater
                // that will swap it: no transfer needed).
                let group = GroupID(UInt64(0x8000_0000 | link.rawValue) << 32 | h.pairIndex)
                let state = NodeMessage.GroupState(groupID: group, qubits: h.qubits, lastTouched: h.emissionTimes, state: h.state)
                for (index, name) in ends.enumerated() {
                    let herald = NodeMessage.Herald(
                        linkID: link, batchID: h.batchIDs[index], attemptIndex: h.attemptIndex, successTime: h.time,
                        bellState: .init(h.bellState), groupID: group, qubits: h.qubits, owner: ends[owner],
                        state: index == owner ? state : nil, label: h.label, sequence: h.pairIndex)
                    out.append(Outgoing(message: .herald(herald), destination: name, time: h.time))
                }
            case let .exhausted(batchIDs, attempts, time):
                for (index, name) in ends.enumerated() {
                    out.append(Outgoing(message: .attemptsExhausted(.init(linkID: link, batchID: batchIDs[index], attempts: attempts, endTime: time)),
                                        destination: name, time: time))
                }
            case let .withdrawn(end, batchID, time):
                out.append(Outgoing(message: .attemptsExhausted(.init(linkID: link, batchID: batchID, attempts: 0, endTime: time)),
                                    destination: ends[end.rawValue], time: time))
            }
        }
        return .send(out)
    }
}
