import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScenario
import QNetWire

/// A quantum-network node: its memory (qubits that decohere lazily in virtual time), its link
/// agents, and the minimal application that takes each delivered pair at once (DESIGN §10).
///
/// State ownership (DESIGN §3): a heralded pair's state is owned by the link's end A. Each end
/// takes its own qubit when its herald arrives (after its Pauli correction): A directly, B by a
/// backplane request to A. When both takes are in, A records the pair — for `keep`, the
/// fidelity to Φ+ at the delivery time (the later take) with each qubit decohered to it by its
/// home memory; for `measure`, the fidelity at the first take, then each end's measurement at
/// its own take time — and reports it to the coordinator.
public final class NodeBehavior: ProcessBehavior {
    let scenario: Scenario
    let id: NodeID
    let name: String
    var rng: SeededRandom
    var store: GroupStore
    var lastTouched: [QubitID: VTime] = [:]
    var qubitCounter: UInt32 = 0
    var operationCounter: UInt64 = 0

    struct LinkState {
        var link: LinkSpec
        var end: LinkEnd
        var agent: LinkAgent
        /// FIFO of (request, pairs still to assign) served on this link.
        var requests: [(RequestID, Int)]
        var batchQubit: QubitID?
        var stationName: String
    }
    var links: [LinkID: LinkState] = [:]

    /// A pair held at the owner until both ends have taken it.
    struct Take {
        var request: RequestID
        var pairID: UInt64
        var created: VTime
        var qubits: [QubitID]
        var takes: [QubitID: (time: VTime, kind: MessageBody.OperationKind)] = [:]
    }
    var pendingTakes: [GroupID: Take] = [:]
    /// Backplane requests for qubits whose herald has not arrived here yet.
    var waiting: [QubitID: MessageBody.OperationRequest] = [:]
    var seenOperations: Set<String> = []

    public init(scenario: Scenario, node: NodeID, seed: UInt64) throws(QuantumError) {
        self.scenario = scenario
        id = node
        name = scenario.node(node).name
        rng = SeededRandom(seed: seed).split("node").split(UInt64(node.rawValue))
        store = GroupStore(groupIDBase: UInt64(node.rawValue) << 32)
        let end = VTime.zero + scenario.duration
        for link in scenario.links(of: node) {
            let requests = scenario.requests.filter { r in
                (r.from == link.a && r.to == link.b) || (r.from == link.b && r.to == link.a)
            }
            guard !requests.isEmpty else { continue }
            let physics = try LinkPhysics(scenario: scenario, link: link)
            links[link.id] = LinkState(
                link: link, end: link.a == node ? .a : .b,
                agent: LinkAgent(pairs: requests.reduce(0) { $0 + $1.pairs }, end: end, cycle: physics.timing.cycle, modes: physics.timing.modes),
                requests: requests.map { ($0.id, $0.pairs) },
                stationName: StationBehavior.name(of: link, in: scenario))
        }
    }

    public func start(_ shell: ProcessShell) {
        for (linkID, state) in links {
            let start = VTime.zero + scenario.request(state.requests[0].0).start
            shell.schedule(at: start) { [weak self] in self?.startLink(linkID, shell) }
        }
    }

    func startLink(_ linkID: LinkID, _ shell: ProcessShell) {
        guard let directives = links[linkID]?.agent.start(at: shell.now) else { return }
        carryOut(directives, linkID, shell)
    }

    func carryOut(_ directives: [LinkAgent.Directive], _ linkID: LinkID, _ shell: ProcessShell) {
        for case let .openBatch(batchID, start, maxAttempts) in directives {
            let qubit = QubitID(home: id, index: qubitCounter)
            qubitCounter += 1
            links[linkID]!.batchQubit = qubit
            let batch = MessageBody.AttemptBatch(
                linkID: linkID, batchID: batchID, startTime: start,
                attemptPeriod: scenario.node(id).photonics.attemptPeriod,
                modes: UInt32(scenario.node(id).photonics.multiplexing), maxAttempts: maxAttempts, qubit: qubit)
            shell.send(.attemptBatch(batch), to: links[linkID]!.stationName)
        }
    }

    public func deliver(_ envelope: Envelope, _ shell: ProcessShell) {
        switch envelope.body {
        case let .herald(herald): heralded(herald, shell)
        case let .attemptsExhausted(e):
            guard links[e.linkID] != nil else { return }
            carryOut(links[e.linkID]!.agent.exhausted(batchID: e.batchID, at: shell.now), e.linkID, shell)
        default:
            shell.warn("ignored \(envelope.body.typeName) from '\(envelope.source)'")
        }
    }

    func heralded(_ herald: MessageBody.Herald, _ shell: ProcessShell) {
        guard var state = links[herald.linkID], herald.qubits.count == 2,
              let mine = herald.qubits.first(where: { $0.home == id }) else {
            shell.warn("ignored a herald for \(herald.linkID) that names none of this node's qubits")
            return
        }
        // Which request this pair serves: both ends assign pairs in the same FIFO order.
        let request = state.requests[0].0
        state.requests[0].1 -= 1
        if state.requests[0].1 == 0, state.requests.count > 1 { state.requests.removeFirst() }
        links[herald.linkID] = state
        let kind = takeKind(for: request)
        let pairID = UInt64(herald.linkID.rawValue) << 40 | herald.batchID

        if herald.owner == name {
            guard let groupState = herald.state, let rho = try? groupState.densityMatrix() else {
                shell.warn("herald for \(herald.linkID) batch \(herald.batchID) carries no valid state; pair dropped")
                return
            }
            store.insert(groupState.qubits, state: rho, id: groupState.groupID)
            for (q, t) in zip(groupState.qubits, groupState.lastTouched) { lastTouched[q] = t }
            // Pauli correction on this end's qubit turns the heralded Bell state into Φ+.
            decohere(mine, to: shell.now)
            try? store.apply(herald.bellState.quantum.correctionToPhiPlus, to: mine)
            pendingTakes[groupState.groupID] = Take(request: request, pairID: pairID, created: herald.successTime, qubits: groupState.qubits)
            take(mine, at: shell.now, kind: kind, shell)
            for q in groupState.qubits {
                if let op = waiting.removeValue(forKey: q) { take(q, at: op.time, kind: op.kind, shell) }
            }
        } else {
            operationCounter += 1
            shell.send(.operationRequest(.init(operationID: operationCounter, time: shell.now, kind: kind, qubits: [mine],
                                               readoutError: scenario.node(id).memory.readoutError)), to: herald.owner)
        }
        carryOut(links[herald.linkID]!.agent.heralded(batchID: herald.batchID, at: shell.now), herald.linkID, shell)
    }

    func takeKind(for request: RequestID) -> MessageBody.OperationKind {
        let r = scenario.request(request)
        guard r.type == .measure else { return .discard }
        let bases = r.bases.isEmpty ? [.z] : r.bases
        let basis = bases[Int(rng.next() % UInt64(bases.count))]
        return basis == .x ? .measureX : .measureZ
    }

    public func backplane(_ envelope: Envelope, _ shell: ProcessShell) {
        guard case let .operationRequest(op) = envelope.body, op.qubits.count == 1 else {
            shell.warn("ignored backplane \(envelope.body.typeName) from '\(envelope.source)'")
            return
        }
        // Requests are idempotent: a repeat (same sender and id) is applied once.
        guard seenOperations.insert("\(envelope.source)#\(op.operationID)").inserted else { return }
        let qubit = op.qubits[0]
        if store.contains(qubit) {
            take(qubit, at: op.time, kind: op.kind, shell)
        } else {
            waiting[qubit] = op
        }
    }

    /// Records that `qubit`'s home took it at `time`; completes the pair when both are in.
    func take(_ qubit: QubitID, at time: VTime, kind: MessageBody.OperationKind, _ shell: ProcessShell) {
        guard let gid = store.group(of: qubit), var pair = pendingTakes[gid] else { return }
        pair.takes[qubit] = (time, kind)
        pendingTakes[gid] = pair
        guard pair.takes.count == pair.qubits.count else { return }
        pendingTakes[gid] = nil
        let times = pair.qubits.map { pair.takes[$0]!.time }
        let delivered = times.max()!
        let measured = pair.takes.values.contains { $0.kind != .discard }
        let observed = measured ? times.min()! : delivered
        for q in pair.qubits { decohere(q, to: observed) }
        let fidelity = (try? store.state(of: pair.qubits).fidelity(to: .phiPlus)) ?? .nan
        var outcomes: [UInt32?] = [nil, nil]
        if measured {
            for (index, q) in pair.qubits.enumerated().sorted(by: { times[$0.offset] < times[$1.offset] }) {
                let (t, k) = pair.takes[q]!
                decohere(q, to: t)
                let readout = scenario.node(q.home).memory.readoutError
                let error = (try? ReadoutError(probabilityOneGivenZero: readout, probabilityZeroGivenOne: readout)) ?? .none
                if let outcome = try? store.measure(q, basis: k == .measureX ? .x : .z, readout: error, using: &rng) {
                    outcomes[index] = UInt32(outcome)
                }
            }
        }
        for q in pair.qubits where store.contains(q) { store.discard(q) }
        for q in pair.qubits { lastTouched[q] = nil }
        let nodes = pair.qubits.map { scenario.node($0.home).name }
        shell.send(.pairDelivered(.init(
            requestID: pair.request, pairID: pair.pairID, nodeA: nodes[0], nodeB: nodes[1],
            created: pair.created, delivered: delivered, fidelity: fidelity,
            outcomeA: outcomes[0], outcomeB: outcomes[1])), to: "")
    }

    /// Lazy decoherence (DESIGN §3): from the qubit's last-touched time to `time`, with its
    /// home memory's T1 and T2.
    func decohere(_ qubit: QubitID, to time: VTime) {
        guard let last = lastTouched[qubit], time > last else { return }
        let memory = scenario.node(qubit.home).memory
        let t1 = memory.t1?.seconds ?? .infinity
        let t2 = memory.t2?.seconds ?? (t1.isInfinite ? .infinity : 2 * t1)
        if !(t1.isInfinite && t2.isInfinite) {
            try? store.decohere(qubit, duration: time - last, t1Seconds: t1, t2Seconds: t2)
        }
        lastTouched[qubit] = time
    }
}
