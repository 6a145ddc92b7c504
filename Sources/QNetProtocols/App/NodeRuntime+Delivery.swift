import QNetCore
import QNetQuantum

// The application that takes delivered pairs (DESIGN §5, §10): an end node's pair is complete
// when it has heard of every swap along the path; the path's last node applies the accumulated
// Pauli correction; both ends take their qubits (keep: the fidelity is recorded; measure: each
// end measures in its basis). The pair's owner records it once both takes are in.

/// A pair at its owner, waiting for both ends' takes.
struct PendingTake: Sendable {
    struct End: Sendable {
        var time: VTime
        var kind: NodeMessage.OperationKind
        var readout: Double
        var lateness: VDuration
        /// The link pairs this end knew its pair was made from.
        var linkPairs: [NodeMessage.LinkPair]
        /// When the oldest link pair this end knew of was heralded.
        var oldest: VTime
    }
    var take: NodeMessage.Take
    var qubits: [QubitID: End] = [:]
}

extension NodeRuntime {
    /// An end node takes every stored pair that is complete: entangled with the path's other end
    /// and corrected by every swap along the way.
    mutating func progressEnds() {
        for (q, _) in slots.idle {
            // Read afresh: an earlier decision in this loop can have freed or reserved q.
            guard let e = slots.entangled(q), !e.reserved, !e.corrected, let role = roles[e.request], role.isEnd else { continue }
            let far = role.position == 0 ? role.path.count - 1 : 0
            guard e.swapsHeard >= role.swapsPerPair && e.partnerPosition == far else { continue }
            // Observed once; the scheduler delivers it now or later (``Decision/deliver(_:)``).
            slots.update(q) { $0.corrected = true }
            consult(.pairCorrected(storedLink(q, e)))
        }
    }

    /// An end node's pair is complete: correct (the path's last node), then take. The pair serves
    /// the request it is labelled with (one path of it); past the request's count over all its
    /// paths (pairs already on their way when it was served) the take is surplus, which the
    /// coordinator counts apart.
    mutating func complete(_ q: QubitID) {
        guard let e = slots.entangled(q), let role = roles[e.request] else { return }
        let request = e.request
        let left = role.position == 0
        if !left && e.correction != .i {
            operate(q, kind: e.correction.operationKind)
        }
        let kind = takeKind(for: request, pair: left ? q : e.partner)
        let take = NodeMessage.Take(requestID: request, pairID: (left ? q : e.partner).rawValue, created: e.created,
                                    partner: e.partner, lateness: e.lateness, linkPairs: e.linkPairs, oldest: e.oldest)
        operate(q, kind: kind, take: take)
        slots.free(q)
        recentlyTaken[q] = request
        let parent = role.parent
        let toTake = (remaining[parent] ?? 0) - 1
        remaining[parent] = toTake
        if toTake == 0 && paths(of: parent).contains(where: { !$0.served }) { announce(parent, resumed: false) }
        allocate()
    }

    /// This node's roles on the paths of the scenario's request `parent`, in id order.
    func paths(of parent: RequestID) -> [Role] {
        (pathsOf[parent] ?? []).compactMap { roles[$0] }
    }

    /// This end took every pair of the scenario's request `parent` over all its paths (or,
    /// `resumed`, lost one it had counted): every other node on each of its paths is told, per
    /// path, as a routed message with the channel's delay.
    mutating func announce(_ parent: RequestID, resumed: Bool) {
        for role in paths(of: parent) {
            let id = role.request.id
            roles[id]!.served = !resumed
            if !resumed && !role.served { consult(.requestServed(id)) }
            for node in role.path where node != configuration.node {
                out.append(.send(.requestServed(.init(requestID: id, resumed: resumed)), to: configuration.name(of: node)))
            }
        }
        requestsChanged()
    }

    /// A discard notice for a qubit this end already took: its pair will be dropped by the
    /// owner, so the request needs one pair more (on any of its paths).
    mutating func takenPairLost(_ q: QubitID) {
        guard let request = recentlyTaken[q], let role = roles[request] else { return }
        recentlyTaken[q] = nil
        let parent = role.parent
        let toTake = (remaining[parent] ?? 0) + 1
        remaining[parent] = toTake
        if toTake > 0 && paths(of: parent).contains(where: \.served) { announce(parent, resumed: true) }
    }

    /// What the application does with its end of a pair: trace it out after the fidelity is
    /// recorded (keep), or measure it in a basis drawn per pair from the request's bases.
    func takeKind(for request: RequestID, pair: QubitID) -> NodeMessage.OperationKind {
        guard let r = configuration.requests.first(where: { $0.id == request }), case let .measure(bases) = r.kind else {
            return .discard
        }
        let choices = bases.isEmpty ? [.z] : bases
        var rng = SeededRandom(seed: configuration.seed).split("basis").split(pair.rawValue ^ UInt64(configuration.node.rawValue) << 56)
        switch choices[Int(rng.next() % UInt64(choices.count))] {
        case .x: return .measureX
        case .y: return .measureY
        default: return .measureZ
        }
    }

    // MARK: - Recording a delivered pair (at its owner)

    mutating func record(take: NodeMessage.Take, qubit: QubitID, time: VTime, kind: NodeMessage.OperationKind, readout: Double) {
        let partnerOf = qubit.rawValue == take.pairID ? take.partner : QubitID(take.pairID)
        let end = PendingTake.End(time: time, kind: kind, readout: readout, lateness: take.lateness, linkPairs: take.linkPairs,
                                  oldest: take.oldest)
        if discardedHere[partnerOf] != nil || discardedHere[take.partner] != nil {
            discardedHere[partnerOf] = nil
            discardedHere[take.partner] = nil
            // The other end's qubit was discarded (cutoff) before this end took the pair.
            dropPair(take.pairID, PendingTake(take: take, qubits: [qubit: end]))
            return
        }
        var pending = takes[take.pairID] ?? PendingTake(take: take)
        if qubit.rawValue == take.pairID { pending.take = take }  // the left end's view names the pair
        pending.qubits[qubit] = end
        takes[take.pairID] = pending
        finishIfComplete(take.pairID)
    }

    mutating func finishIfComplete(_ pairID: UInt64) {
        guard let pending = takes[pairID], pending.qubits.count == 2 else { return }
        let qubits = pending.qubits.keys.sorted { $0.rawValue == pairID ? true : ($1.rawValue == pairID ? false : $0 < $1) }
        guard qubits.allSatisfy(memory.contains), memory.store.group(of: qubits[0]) == memory.store.group(of: qubits[1]) else {
            // The other end's qubit is in a group elsewhere: bring it here.
            for q in qubits where !memory.contains(q) && !directory.pulling.contains(q) { pull(q) }
            return
        }
        takes[pairID] = nil
        let ends = qubits.map { pending.qubits[$0]! }
        let times = ends.map(\.time)
        let delivered = times.max()!
        let measured = ends.contains { $0.kind != .discard }
        let observed = measured ? times.min()! : delivered
        for q in qubits { memory.decohere(q, to: observed) }
        let fidelity = (try? memory.store.state(of: qubits).fidelity(to: .phiPlus)) ?? .nan
        let lost = fidelityLostToLatency(qubits, ends, observed: observed, fidelity: fidelity)
        var outcomes: [UInt32?] = [nil, nil]
        if measured {
            var rng = SeededRandom(seed: configuration.seed).split("measure").split(pairID)
            for (index, end) in ends.enumerated().sorted(by: { $0.element.time < $1.element.time }) {
                let q = qubits[index]
                memory.decohere(q, to: end.time)
                let error = (try? ReadoutError(probabilityOneGivenZero: end.readout, probabilityZeroGivenOne: end.readout)) ?? .none
                let basis: MeasurementBasis = end.kind == .measureX ? .x : end.kind == .measureY ? .y : .z
                if let outcome = try? memory.store.measure(q, basis: basis, readout: error, using: &rng) { outcomes[index] = UInt32(outcome) }
            }
        }
        for q in qubits {
            memory.forget(q)
            directory.forgetQubit(q)
        }
        // Both ends must name the same link pairs, one per link of the path, in path order: the
        // pair's identity end to end. A disagreement is a protocol fault, said and counted.
        let links = (configuration.requests.first { $0.id == pending.take.requestID }?.path.count ?? 0) - 1
        let linkPairs = ends[0].linkPairs
        if ends[1].linkPairs != linkPairs || linkPairs.count != links || linkPairs.map(\.hop) != Array(0..<max(links, 0)) {
            identityMismatches += 1
            out.append(.warn("pair \(pairID) of \(pending.take.requestID): the ends name different link pairs ("
                + "\(linkPairs.map(\.description).joined(separator: ">")) and \(ends[1].linkPairs.map(\.description).joined(separator: ">")), "
                + "\(links) links)"))
        }
        out.append(.send(.pairDelivered(.init(
            requestID: pending.take.requestID, pairID: pairID,
            nodeA: configuration.name(of: qubits[0].home), nodeB: configuration.name(of: qubits[1].home),
            created: pending.take.created, delivered: delivered, fidelity: fidelity,
            outcomeA: outcomes[0], outcomeB: outcomes[1], fidelityLostToLatency: lost, linkPairs: linkPairs,
            oldestLink: min(ends[0].oldest, ends[1].oldest))), to: ""))
    }

    /// Realtime clock: how much fidelity the pair lost because its ends took their qubits late
    /// (control-plane messages later than their modeled delay). Had every message been on time,
    /// the pair would have been observed `lateness` earlier, i.e. with that much less memory
    /// decoherence on the end qubits; the extra decoherence is undone on a copy by the inverse
    /// of the T1/T2 channel (exact when T1 = ∞, where dephasing commutes with the Pauli
    /// corrections applied meanwhile; to first order otherwise).
    func fidelityLostToLatency(_ qubits: [QubitID], _ ends: [PendingTake.End], observed: VTime, fidelity: Double) -> Double {
        guard ends.contains(where: { $0.lateness > .zero }), var rho = try? memory.store.state(of: qubits) else { return 0 }
        let onTime = ends.map { $0.time.duration(since: VTime.zero + $0.lateness) }.max() ?? .zero
        let extra = observed.duration(since: VTime.zero + onTime)
        for (index, q) in qubits.enumerated() {
            let model = memory.memory(of: q)
            guard !model.isIdeal, extra > .zero else { continue }
            rho.undecohere(index, duration: extra, t1Seconds: model.t1Seconds, t2Seconds: model.t2Seconds)
        }
        return rho.fidelity(to: .phiPlus) - fidelity
    }

    /// A pair that cannot be delivered (one end discarded by a cutoff): its remaining qubits
    /// are traced out and nothing is recorded.
    mutating func dropPair(_ pairID: UInt64, _ pending: PendingTake) {
        takes[pairID] = nil
        for q in pending.qubits.keys {
            memory.forget(q)
            directory.forgetQubit(q)
        }
        droppedPairs += 1
        if droppedPairs == 1 { out.append(.warn("a pair was dropped: one end's qubit was discarded by the cutoff while the other end took it")) }
    }
}

extension Pauli {
    /// The backplane operation that applies this Pauli.
    var operationKind: NodeMessage.OperationKind {
        switch self {
        case .x: .x
        case .y: .y
        case .z: .z
        case .i: .x  // never sent: callers skip the identity
        }
    }
}

extension NodeMessage.PauliCorrection {
    public init(_ pauli: Pauli) {
        switch pauli {
        case .i: self = .identity
        case .x: self = .x
        case .y: self = .y
        case .z: self = .z
        }
    }

    public var pauli: Pauli {
        switch self {
        case .identity: .i
        case .x: .x
        case .y: .y
        case .z: .z
        }
    }
}
