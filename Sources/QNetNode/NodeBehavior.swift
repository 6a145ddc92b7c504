import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScenario
import QNetScheduling
import QNetWire

/// A quantum-network node: its memory (qubits that decohere lazily in virtual time), its link
/// agents, entanglement swapping, and the minimal application that takes each delivered pair.
///
/// **Paths.** A request is served along a path of nodes (a direct link, or a chain). Each link
/// generates pairs with batched heralding; an intermediate node swaps its two stored links
/// when its swap policy says so (swap-ASAP), then sends feed-forward to the two partners: the
/// right one gets the Pauli correction, the left one only the news of its new partner. A node
/// that already swapped the qubit a feed-forward is about passes it on to the other side's
/// partner (its Pauli frame composes, as Pauli corrections do through Bell measurements). An end
/// node's pair is complete when it has heard of every swap along the path (N − 2 of them);
/// the right end then applies the accumulated correction, and both ends take their qubits.
///
/// **State ownership (DESIGN §3).** Every group lives at one owner. A herald hands the link
/// pair to the link's first node. Operations on a qubit are issued by its home node with their
/// virtual time and applied by the owner — locally, or by a backplane request. A swap pulls
/// both groups to the swapping node first (the swap waits, at its virtual time, until they
/// arrive); a former owner keeps a forwarding pointer and passes later requests on. Requests
/// carry ids and are applied once. When two swapping nodes want one group, the one nearer the
/// path's start keeps it, so no request waits on a cycle. The owner records a delivered pair
/// when both ends' takes are in: for `keep`, the fidelity to Φ+ at the delivery time (the
/// later take) with each qubit decohered to it by its home memory; for `measure`, the fidelity
/// of the state that is measured (each qubit decohered to its own take), then the outcomes.
public final class NodeBehavior: ProcessBehavior {
    let scenario: Scenario
    let id: NodeID
    let name: String
    let seed: UInt64
    var store: GroupStore
    var lastTouched: [QubitID: VTime] = [:]
    /// Qubit indices start at 1: qubit id 0 means "none" on the wire.
    var qubitCounter: UInt32 = 1
    var operationCounter: UInt64 = 0
    /// Every node's memory, by node index (a qubit decoheres with its home's).
    let memories: [MemoryModel]
    let swapPolicy: any QNetScheduling.SwapPolicy
    let cutoffPolicy: any CutoffPolicy

    /// This node's place on the path it serves.
    struct Role {
        var path: [NodeID]
        var position: Int
        var leftLink: LinkID?
        var rightLink: LinkID?
        /// Requests served on this path, in start order, with pairs still to deliver.
        var requests: [(id: RequestID, remaining: Int)]
        var isEnd: Bool { position == 0 || position == path.count - 1 }
        var swapsPerPair: Int { path.count - 2 }
    }
    var role: Role?
    var lastRequest: RequestID?
    /// Qubits discarded here while their pair may still be taken at the other end (a cutoff
    /// racing a swap): a take naming one drops the pair instead of waiting for it forever.
    var discardedHere: Set<QubitID> = []

    struct LinkState {
        var link: LinkSpec
        var end: LinkEnd
        var agent: LinkAgent
        var stationName: String
        var batchQubit: QubitID?
    }
    var links: [LinkID: LinkState] = [:]

    /// A stored qubit of this node: its link pair and what this node knows of its partner.
    struct Held {
        var linkID: LinkID
        var partner: QubitID
        var partnerNode: String
        var partnerPosition: Int
        /// Accumulated correction (XOR of Pauli frames), applied by the right end.
        var correction: Pauli = .i
        var swapsHeard = 0
        var created: VTime
        var busy = false
        /// Realtime clock: how late the messages this qubit waited on arrived (the largest).
        var lateness: VDuration = .zero
    }
    var held: [QubitID: Held] = [:]
    /// Qubits this node swapped: where news about each goes on (the other side's partner).
    var swapped: [QubitID: (target: QubitID, node: String)] = [:]

    // Ownership directory.
    /// Where this node believes the group of a qubit is (for its own qubits).
    var ownerHint: [QubitID: String] = [:]
    /// Forwarding pointers left when this node gave a group away.
    var forward: [QubitID: String] = [:]
    /// Backplane requests waiting for a group to arrive here.
    var parked: [QubitID: [(source: String, request: MessageBody.OperationRequest)]] = [:]
    /// Pulls this node has sent and not yet seen answered.
    var pulling: Set<QubitID> = []
    /// Per source, operation ids already applied (requests are idempotent).
    var applied: [String: Set<UInt64>] = [:]

    /// A pair at its owner, waiting for both ends' takes.
    struct PendingTake {
        var take: MessageBody.Take
        var qubits: [QubitID: (time: VTime, kind: MessageBody.OperationKind, readout: Double, lateness: VDuration)] = [:]
    }
    var takes: [UInt64: PendingTake] = [:]

    public init(scenario: Scenario, node: NodeID, seed: UInt64) throws(QuantumError) {
        self.scenario = scenario
        id = node
        name = scenario.node(node).name
        self.seed = seed
        store = GroupStore(groupIDBase: UInt64(node.rawValue) << 32)
        var memories: [MemoryModel] = []
        for spec in scenario.nodes { memories.append(try MemoryModel(spec.memory)) }
        self.memories = memories
        swapPolicy = SwapASAP()
        cutoffPolicy = scenario.policies.cutoff.map { FixedCutoff(age: $0) } ?? NoCutoff()
        let end = VTime.zero + scenario.duration
        for request in scenario.requests.sorted(by: { $0.start < $1.start }) {
            guard let path = scenario.path(from: request.from, to: request.to),
                  let position = path.firstIndex(of: node) else { continue }
            if role == nil {
                role = Role(
                    path: path, position: position,
                    leftLink: position > 0 ? scenario.link(between: path[position - 1], and: node)?.id : nil,
                    rightLink: position < path.count - 1 ? scenario.link(between: node, and: path[position + 1])?.id : nil,
                    requests: [])
            }
            if role!.path == path { role!.requests.append((request.id, request.pairs)) }
        }
        for linkID in [role?.leftLink, role?.rightLink].compactMap({ $0 }) {
            let link = scenario.link(linkID)
            let physics = try LinkPhysics(scenario: scenario, link: link)
            links[linkID] = LinkState(
                link: link, end: link.a == node ? .a : .b,
                agent: LinkAgent(end: end, cycle: physics.timing.cycle, modes: physics.timing.modes),
                stationName: scenario.stationName(of: link))
        }
    }

    // MARK: - Start and link generation

    public func start(_ shell: ProcessShell) {
        guard let role else { return }
        let first = VTime.zero + scenario.request(role.requests[0].id).start
        shell.schedule(at: first) { [weak self] in self?.startLinks(shell) }
    }

    func startLinks(_ shell: ProcessShell) {
        for linkID in links.keys.sorted() {
            carryOut(links[linkID]!.agent.start(at: shell.now), linkID, shell)
        }
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
        case let .herald(herald):
            // A herald is due one arm's delay after the photons met (its success time), however
            // late the station's timer or the attempt batch that led to it ran.
            let due = herald.successTime.saturatingAdding(envelope.deliveryTime.duration(since: envelope.sendTime))
            heralded(herald, from: envelope.source, lateness: shell.now.duration(since: due), shell)
        case let .attemptsExhausted(e):
            guard let link = links[e.linkID], envelope.source == link.stationName else { return }
            carryOut(links[e.linkID]!.agent.exhausted(batchID: e.batchID, at: shell.now), e.linkID, shell)
        case let .feedForward(ff): feedForward(ff, sentAt: envelope.sendTime, lateness: shell.lateness(of: envelope), shell)
        default:
            shell.warn("ignored \(envelope.body.typeName) from '\(envelope.source)'")
        }
    }

    func heralded(_ herald: MessageBody.Herald, from source: String, lateness: VDuration, _ shell: ProcessShell) {
        // Validate before any side effect: from this link's station, for the open batch, naming
        // this node's batch qubit and a qubit homed at the link's other end.
        guard let state = links[herald.linkID], source == state.stationName, herald.qubits.count == 2,
              let mine = state.batchQubit, herald.qubits[state.end.rawValue] == mine,
              let role, let position = role.path.firstIndex(of: state.link.otherEnd(of: id)!),
              herald.qubits[1 - state.end.rawValue].home == state.link.otherEnd(of: id)!,
              !store.contains(mine), links[herald.linkID]!.agent.heralded(batchID: herald.batchID)
        else {
            shell.warn("ignored a herald for \(herald.linkID) batch \(herald.batchID) from '\(source)' that does not match this node's open batch")
            return
        }
        let partner = herald.qubits[1 - state.end.rawValue]
        if herald.owner == name {
            guard let groupState = herald.state, let rho = try? groupState.densityMatrix(),
                  groupState.qubits == herald.qubits, !store.contains(partner), store.groups[groupState.groupID] == nil else {
                shell.warn("herald for \(herald.linkID) batch \(herald.batchID) carries no valid state; pair dropped")
                release(herald.linkID, shell)
                return
            }
            store.insert(groupState.qubits, state: rho, id: groupState.groupID)
            for (q, t) in zip(groupState.qubits, groupState.lastTouched) { lastTouched[q] = t }
            // The Pauli correction on this end's qubit turns the heralded Bell state into Φ+.
            decohere(mine, to: shell.now)
            try? store.apply(herald.bellState.quantum.correctionToPhiPlus, to: mine)
            serveParked(groupState.qubits, shell)
        } else {
            ownerHint[mine] = herald.owner
        }
        held[mine] = Held(linkID: herald.linkID, partner: partner, partnerNode: scenario.node(partner.home).name,
                          partnerPosition: position, created: herald.successTime, lateness: lateness)
        for (ff, sentAt, late) in early.removeValue(forKey: mine) ?? [] { feedForward(ff, sentAt: sentAt, lateness: late, shell) }
        if held[mine] == nil { return }
        if let expiry = cutoffPolicy.expiry(of: StoredLink(qubit: mine, created: herald.successTime, partnerPosition: position)) {
            shell.schedule(at: expiry) { [weak self] in self?.cutoff(mine, shell) }
        }
        progress(shell)
    }

    /// Acts on what is held: an end node completes its pair, an intermediate node swaps.
    func progress(_ shell: ProcessShell) {
        guard let role else { return }
        if role.isEnd {
            for (q, h) in held where !h.busy && h.swapsHeard >= role.swapsPerPair && isFinalPartner(h, role) {
                held[q]!.busy = true
                complete(q, shell)
            }
        } else if let left = role.leftLink, let right = role.rightLink,
                  let ql = held.first(where: { $0.value.linkID == left && !$0.value.busy })?.key,
                  let qr = held.first(where: { $0.value.linkID == right && !$0.value.busy })?.key {
            let l = held[ql]!, r = held[qr]!
            guard swapPolicy.shouldSwap(left: StoredLink(qubit: ql, created: l.created, partnerPosition: l.partnerPosition),
                                        right: StoredLink(qubit: qr, created: r.created, partnerPosition: r.partnerPosition),
                                        at: shell.now) else { return }
            held[ql]!.busy = true
            held[qr]!.busy = true
            shell.scheduleRetrying(at: shell.now) { [weak self] in self?.swap(ql, qr, shell) ?? true }
        }
    }

    func isFinalPartner(_ h: Held, _ role: Role) -> Bool {
        h.partnerPosition == (role.position == 0 ? role.path.count - 1 : 0)
    }

    // MARK: - Swapping

    /// Bell-state measurement on this node's two stored qubits, once both groups are here.
    /// - Returns: false while waiting for a group (retried at the same virtual time).
    func swap(_ ql: QubitID, _ qr: QubitID, _ shell: ProcessShell) -> Bool {
        guard held[ql] != nil, held[qr] != nil else {
            // One side was discarded meanwhile: the other is free to pair again.
            abandonSwap(ql, qr, shell)
            return true
        }
        let missing = [ql, qr].filter { !store.contains($0) }
        if !missing.isEmpty {
            for q in missing where !pulling.contains(q) { pull(q, shell) }
            return false
        }
        decohere(ql, to: shell.now)
        decohere(qr, to: shell.now)
        var rng = SeededRandom(seed: seed).split("swap").split(ql.rawValue)
        guard let outcome = try? store.measureBell(ql, qr, using: &rng) else {
            shell.warn("swap of \(ql) and \(qr) failed; both links are dropped")
            discard(ql, notify: true, shell)
            discard(qr, notify: true, shell)
            abandonSwap(ql, qr, shell)
            return true
        }
        lastTouched[ql] = nil
        lastTouched[qr] = nil
        let l = held.removeValue(forKey: ql)!, r = held.removeValue(forKey: qr)!
        // News about either measured qubit goes on to the other side's partner.
        swapped[ql] = (r.partner, r.partnerNode)
        swapped[qr] = (l.partner, l.partnerNode)
        let request = role!.requests.first?.id ?? RequestID(0)
        // Left partner: its new partner is the right one, and the swaps this node had heard of
        // on its right side. Right partner: the new left partner, the swaps heard of on the
        // left, and the correction: this BSM's, composed with the Paulis still pending on the
        // measured qubits (a Pauli on a qubit before a Bell measurement carries over to the far
        // end, as in teleportation).
        let correction = outcome.correctionToPhiPlus.composed(with: l.correction).composed(with: r.correction)
        shell.send(.feedForward(.init(requestID: request, pairID: 0, qubit: l.partner, correction: .identity,
                                      partner: r.partner, partnerNode: r.partnerNode, swaps: UInt32(1 + r.swapsHeard))), to: l.partnerNode)
        shell.send(.feedForward(.init(requestID: request, pairID: 0, qubit: r.partner, correction: .init(correction),
                                      partner: l.partner, partnerNode: l.partnerNode, swaps: UInt32(1 + l.swapsHeard))), to: r.partnerNode)
        release(l.linkID, shell)
        release(r.linkID, shell)
        // Pulls held back while this node waited to swap can be served now (they name the
        // partners' qubits, which are in the swapped group here).
        serveParked(Array(parked.keys), shell)
        return true
    }

    func abandonSwap(_ ql: QubitID, _ qr: QubitID, _ shell: ProcessShell) {
        for q in [ql, qr] where held[q] != nil { held[q]!.busy = false }
        serveParked(Array(parked.keys), shell)
        progress(shell)
    }

    /// Feed-forward that overtook its qubit's herald (possible under the realtime clock): kept
    /// until the herald is handled.
    var early: [QubitID: [(MessageBody.FeedForward, VTime, VDuration)]] = [:]

    func feedForward(_ ff: MessageBody.FeedForward, sentAt: VTime, lateness: VDuration, _ shell: ProcessShell) {
        if let next = swapped[ff.qubit] {
            var passed = ff
            passed.qubit = next.target
            shell.send(.feedForward(passed), to: next.node)
            return
        }
        guard var h = held[ff.qubit] else {
            // Not held: discarded already (nothing to do), or its herald is still to come.
            if ff.qubit.home == id, (ff.qubit.rawValue & 0xffff_ffff) + 4 >= UInt64(qubitCounter), early.count < 64 {
                early[ff.qubit, default: []].append((ff, sentAt, lateness))
            }
            return
        }
        if ff.discarded {
            discard(ff.qubit, notify: false, shell)
            return
        }
        if let partner = ff.partner, let node = scenario.nodeID(named: ff.partnerNode),
           let position = role?.path.firstIndex(of: node) {
            // Entanglement only grows: the partner farthest along the path is the newest news.
            let leftSide = position < (role?.position ?? 0)
            if leftSide ? position < h.partnerPosition : position > h.partnerPosition {
                h.partner = partner
                h.partnerNode = ff.partnerNode
                h.partnerPosition = position
            }
        }
        h.correction = h.correction.composed(with: ff.correction.pauli)
        h.swapsHeard += Int(ff.swaps)
        h.created = max(h.created, sentAt)
        h.lateness = max(h.lateness, lateness)
        held[ff.qubit] = h
        progress(shell)
    }

    // MARK: - Delivery

    /// An end node's pair is complete: correct (right end), then take.
    func complete(_ q: QubitID, _ shell: ProcessShell) {
        // Past the last request (an end's count can run ahead of what the owner records when a
        // cutoff drops a pair elsewhere), pairs are still taken, under the last request.
        guard var role, let h = held[q], let request = role.requests.first ?? lastRequest.map({ ($0, 0) }) else { return }
        lastRequest = request.id
        let left = role.position == 0
        if !left && h.correction != .i {
            operate(q, kind: h.correction.operationKind, shell)
        }
        let kind = takeKind(for: request.id, pair: left ? q : h.partner)
        let take = MessageBody.Take(requestID: request.id, pairID: (left ? q : h.partner).rawValue, created: h.created,
                                    partner: h.partner, lateness: h.lateness)
        operate(q, kind: kind, take: take, shell)
        held[q] = nil
        if !role.requests.isEmpty {
            role.requests[0].remaining -= 1
            if role.requests[0].remaining == 0 { role.requests.removeFirst() }
        }
        self.role = role
        // On a direct link nothing can undo a delivered pair, so the ends stop generating when
        // their requests are served. Along a chain they keep going: an end's own count can be
        // ahead of what the owner records (a cutoff elsewhere may still drop the pair), and the
        // coordinator ends the run once every pair is recorded.
        if role.requests.isEmpty && role.path.count == 2 {
            for linkID in links.keys { links[linkID]!.agent.stop() }
        }
        release(h.linkID, shell)
    }

    func takeKind(for request: RequestID, pair: QubitID) -> MessageBody.OperationKind {
        let r = scenario.request(request)
        guard r.type == .measure else { return .discard }
        let bases = r.bases.isEmpty ? [.z] : r.bases
        var rng = SeededRandom(seed: seed).split("basis").split(pair.rawValue ^ UInt64(id.rawValue) << 56)
        switch bases[Int(rng.next() % UInt64(bases.count))] {
        case .x: return .measureX
        case .y: return .measureY
        case .z: return .measureZ
        }
    }

    /// Issues an operation on this node's qubit `q` at the current time: applied here if the
    /// group is here, else sent to the believed owner.
    func operate(_ q: QubitID, kind: MessageBody.OperationKind, take: MessageBody.Take? = nil, _ shell: ProcessShell) {
        operationCounter += 1
        let request = MessageBody.OperationRequest(
            operationID: operationCounter, time: shell.now, kind: kind, qubits: [q],
            readoutError: scenario.node(id).memory.readoutError, take: take)
        if store.contains(q) {
            apply(request, origin: name, shell)
        } else {
            shell.send(.operationRequest(request), to: ownerHint[q] ?? forward[q] ?? scenario.node(q.home).name)
        }
    }

    func release(_ linkID: LinkID, _ shell: ProcessShell) {
        guard links[linkID] != nil else { return }
        carryOut(links[linkID]!.agent.released(at: shell.now), linkID, shell)
    }

    // MARK: - Cutoff

    func cutoff(_ q: QubitID, _ shell: ProcessShell) {
        guard let h = held[q], !h.busy else { return }
        discard(q, notify: true, shell)
    }

    /// Drops a stored qubit (trace it out at its owner) and frees its link; with `notify`, tells
    /// the partner that the entanglement is gone.
    func discard(_ q: QubitID, notify: Bool, _ shell: ProcessShell) {
        guard let h = held.removeValue(forKey: q) else { return }
        if notify {
            shell.send(.feedForward(.init(requestID: role?.requests.first?.id ?? RequestID(0), pairID: 0, qubit: h.partner,
                                          correction: .identity, discarded: true)), to: h.partnerNode)
        }
        operate(q, kind: .discard, shell)
        release(h.linkID, shell)
    }

    // MARK: - Backplane: ownership, operations, takes

    public func backplane(_ envelope: Envelope, _ shell: ProcessShell) {
        switch envelope.body {
        case let .operationRequest(op):
            let origin = op.origin.isEmpty ? envelope.source : op.origin
            guard applied[origin, default: []].insert(op.operationID).inserted else { return }
            route(op, origin: origin, shell)
        case let .groupTransfer(transfer):
            received(transfer.state, shell)
        default:
            shell.warn("ignored backplane \(envelope.body.typeName) from '\(envelope.source)'")
        }
    }

    /// A request about qubits whose group may be here, elsewhere (forward), or not yet here (park).
    func route(_ op: MessageBody.OperationRequest, origin: String, _ shell: ProcessShell) {
        guard let q = op.qubits.first else { return }
        if store.contains(q) {
            apply(op, origin: origin, shell)
        } else if let next = forward[q] {
            var passed = op
            passed.origin = origin
            shell.send(.operationRequest(passed), to: next)
        } else {
            parked[q, default: []].append((origin, op))
        }
    }

    func serveParked(_ qubits: [QubitID], _ shell: ProcessShell) {
        for q in qubits {
            guard let waiting = parked.removeValue(forKey: q) else { continue }
            for (origin, op) in waiting { route(op, origin: origin, shell) }
        }
    }

    /// Applies a request to a group held here.
    func apply(_ op: MessageBody.OperationRequest, origin: String, _ shell: ProcessShell) {
        let q = op.qubits[0]
        switch op.kind {
        case .pull:
            if origin == name { return }
            // A node that is itself waiting to swap keeps a group it needs from a node further
            // along the path (lower position wins): no two swaps wait on each other.
            if let role, let gid = store.group(of: q), isWaitingToSwap(with: gid),
               let theirs = scenario.nodeID(named: origin).flatMap({ role.path.firstIndex(of: $0) }), theirs > role.position {
                parked[q, default: []].append((origin, op))
                return
            }
            transfer(groupOf: q, to: origin, shell)
        case .x, .y, .z:
            decohere(q, to: op.time)
            let pauli: Pauli = op.kind == .x ? .x : op.kind == .y ? .y : .z
            try? store.apply(pauli, to: q)
        case .discard, .measureX, .measureY, .measureZ:
            if let take = op.take {
                record(take: take, qubit: q, time: op.time, kind: op.kind, readout: op.readoutError, shell)
            } else {
                decohere(q, to: op.time)
                store.discard(q)
                lastTouched[q] = nil
                // A take already waiting for this qubit's partner can never complete.
                if let (pairID, pending) = takes.first(where: { $0.value.take.partner == q || $0.value.take.pairID == q.rawValue || $0.value.qubits[q] != nil }) {
                    dropPair(pairID, pending, shell)
                } else if discardedHere.count < 4_096 {
                    discardedHere.insert(q)
                }
                lastTouched[q] = nil
            }
        default:
            shell.warn("ignored backplane \(op.kind) from '\(origin)'")
        }
    }

    func isWaitingToSwap(with gid: GroupID) -> Bool {
        guard let group = store.groups[gid] else { return false }
        return group.qubits.contains { held[$0]?.busy == true && $0.home == id }
    }

    func pull(_ q: QubitID, _ shell: ProcessShell) {
        pulling.insert(q)
        operationCounter += 1
        let target = forward[q] ?? ownerHint[q] ?? scenario.node(q.home).name
        shell.send(.operationRequest(.init(operationID: operationCounter, time: shell.now, kind: .pull, qubits: [q], origin: name)), to: target)
    }

    func transfer(groupOf q: QubitID, to destination: String, _ shell: ProcessShell) {
        guard let gid = store.group(of: q), let group = store.remove(group: gid) else { return }
        let times = group.qubits.map { lastTouched.removeValue(forKey: $0) ?? .zero }
        for member in group.qubits { forward[member] = destination }
        operationCounter += 1
        shell.send(.groupTransfer(.init(transferID: operationCounter, state: .init(groupID: gid, qubits: group.qubits, lastTouched: times, state: group.state))), to: destination)
    }

    func received(_ state: MessageBody.GroupState, _ shell: ProcessShell) {
        guard let rho = try? state.densityMatrix(), state.qubits.allSatisfy({ !store.contains($0) }),
              store.groups[state.groupID] == nil else {
            shell.warn("ignored an invalid group transfer for \(state.groupID)")
            return
        }
        store.insert(state.qubits, state: rho, id: state.groupID)
        for (q, t) in zip(state.qubits, state.lastTouched) {
            lastTouched[q] = t
            forward[q] = nil
            pulling.remove(q)
            if q.home == id { ownerHint[q] = name }
        }
        serveParked(state.qubits, shell)
        // Takes for a pair whose other end was already recorded can now complete.
        for (pairID, pending) in takes where pending.qubits.keys.allSatisfy(store.contains) { finishIfComplete(pairID, shell) }
    }

    // MARK: - Recording a delivered pair

    func record(take: MessageBody.Take, qubit: QubitID, time: VTime, kind: MessageBody.OperationKind, readout: Double, _ shell: ProcessShell) {
        let partnerOf = qubit.rawValue == take.pairID ? take.partner : QubitID(take.pairID)
        if discardedHere.remove(partnerOf) != nil || discardedHere.remove(take.partner) != nil {
            // The other end's qubit was discarded (cutoff) before this end took the pair.
            dropPair(take.pairID, PendingTake(take: take, qubits: [qubit: (time, kind, readout, take.lateness)]), shell)
            return
        }
        var pending = takes[take.pairID] ?? PendingTake(take: take)
        if qubit.rawValue == take.pairID { pending.take = take }  // the left end's view names the pair
        pending.qubits[qubit] = (time, kind, readout, take.lateness)
        takes[take.pairID] = pending
        finishIfComplete(take.pairID, shell)
    }

    func finishIfComplete(_ pairID: UInt64, _ shell: ProcessShell) {
        guard let pending = takes[pairID], pending.qubits.count == 2 else { return }
        let qubits = pending.qubits.keys.sorted { $0.rawValue == pairID ? true : ($1.rawValue == pairID ? false : $0 < $1) }
        guard qubits.allSatisfy(store.contains), store.group(of: qubits[0]) == store.group(of: qubits[1]) else {
            // The other end's qubit is in a group elsewhere: bring it here.
            for q in qubits where !store.contains(q) && !pulling.contains(q) { pull(q, shell) }
            return
        }
        takes[pairID] = nil
        let times = qubits.map { pending.qubits[$0]!.time }
        let delivered = times.max()!
        let measured = pending.qubits.values.contains { $0.kind != .discard }
        let observed = measured ? times.min()! : delivered
        for q in qubits { decohere(q, to: observed) }
        let fidelity = (try? store.state(of: qubits).fidelity(to: .phiPlus)) ?? .nan
        let lost = fidelityLostToLatency(qubits, pending, observed: observed, fidelity: fidelity)
        var outcomes: [UInt32?] = [nil, nil]
        if measured {
            var rng = SeededRandom(seed: seed).split("measure").split(pairID)
            for (index, q) in qubits.enumerated().sorted(by: { times[$0.offset] < times[$1.offset] }) {
                let (t, k, p, _) = pending.qubits[q]!
                decohere(q, to: t)
                let error = (try? ReadoutError(probabilityOneGivenZero: p, probabilityZeroGivenOne: p)) ?? .none
                let basis: QNetQuantum.MeasurementBasis = k == .measureX ? .x : k == .measureY ? .y : .z
                if let outcome = try? store.measure(q, basis: basis, readout: error, using: &rng) { outcomes[index] = UInt32(outcome) }
            }
        }
        for q in qubits where store.contains(q) { store.discard(q) }
        for q in qubits { lastTouched[q] = nil }
        let nodes = qubits.map { scenario.node($0.home).name }
        shell.send(.pairDelivered(.init(
            requestID: pending.take.requestID, pairID: pairID, nodeA: nodes[0], nodeB: nodes[1],
            created: pending.take.created, delivered: delivered, fidelity: fidelity,
            outcomeA: outcomes[0], outcomeB: outcomes[1], fidelityLostToLatency: lost)), to: "")
    }

    /// Realtime clock: how much fidelity the pair lost because its ends took their qubits late
    /// (control-plane messages later than their modeled delay). Had every message been on time,
    /// the pair would have been observed `lateness` earlier, i.e. with that much less memory
    /// decoherence on the end qubits; the extra decoherence is undone on a copy by the inverse
    /// of the T1/T2 channel (exact when T1 = ∞, where dephasing commutes with the Pauli
    /// corrections applied meanwhile; to first order otherwise).
    func fidelityLostToLatency(_ qubits: [QubitID], _ pending: PendingTake, observed: VTime, fidelity: Double) -> Double {
        let lateness = qubits.map { pending.qubits[$0]!.lateness }
        guard lateness.contains(where: { $0 > .zero }), var rho = try? store.state(of: qubits) else { return 0 }
        let times = qubits.map { pending.qubits[$0]!.time }
        let onTime = zip(times, lateness).map { $0.duration(since: VTime.zero + $1) }.max() ?? .zero
        let ideal = VTime.zero + onTime
        let extra = observed.duration(since: ideal)
        for (index, q) in qubits.enumerated() {
            let memory = memories[Int(q.home.rawValue)]
            guard !memory.isIdeal, extra > .zero else { continue }
            rho.undecohere(index, duration: extra, t1Seconds: memory.t1Seconds, t2Seconds: memory.t2Seconds)
        }
        return rho.fidelity(to: .phiPlus) - fidelity
    }

    /// A pair that cannot be delivered (one end discarded by a cutoff): its remaining qubits
    /// are traced out and nothing is recorded.
    func dropPair(_ pairID: UInt64, _ pending: PendingTake, _ shell: ProcessShell) {
        takes[pairID] = nil
        for q in pending.qubits.keys where store.contains(q) {
            store.discard(q)
            lastTouched[q] = nil
        }
        droppedPairs += 1
        if droppedPairs == 1 { shell.warn("a pair was dropped: one end's qubit was discarded by the cutoff while the other end took it") }
    }
    var droppedPairs = 0

    /// Lazy decoherence (DESIGN §3): from the qubit's last-touched time to `time`, with its
    /// home memory's T1 and T2.
    func decohere(_ qubit: QubitID, to time: VTime) {
        guard let last = lastTouched[qubit], time > last else { return }
        let memory = memories[Int(qubit.home.rawValue)]
        if !memory.isIdeal {
            try? store.decohere(qubit, duration: time - last, t1Seconds: memory.t1Seconds, t2Seconds: memory.t2Seconds)
        }
        lastTouched[qubit] = time
    }
}

extension Pauli {
    var operationKind: MessageBody.OperationKind {
        switch self {
        case .x: .x
        case .y: .y
        case .z: .z
        case .i: .x  // never sent: callers skip the identity
        }
    }
}

extension MessageBody.PauliCorrection {
    init(_ pauli: Pauli) {
        switch pauli {
        case .i: self = .identity
        case .x: self = .x
        case .y: self = .y
        case .z: self = .z
        }
    }

    var pauli: Pauli {
        switch self {
        case .identity: .i
        case .x: .x
        case .y: .y
        case .z: .z
        }
    }
}
