import QNetCore
import QNetPhysics
import QNetQuantum
import QNetScheduling

/// A quantum-network node as an I/O-free state machine (DESIGN §5, STYLE habit 2): events in
/// (heralds, feed-forward, backplane messages, its own timers), directives out (messages to
/// send, timers to set, log lines). The shell turns envelopes into events and carries the
/// directives out; nothing here reads a clock, a socket or the system's randomness.
///
/// **Paths.** A request is served along a path of nodes (a direct link, or a chain). Each link
/// generates pairs with batched heralding; an intermediate node swaps its two stored links when
/// its scheduler says so, then sends feed-forward to the two partners: the right one gets the
/// Pauli correction, the left one only the news of its new partner. A node that already
/// swapped the qubit a feed-forward is about passes it on to the other side's partner (its
/// Pauli frame composes, as Pauli corrections do through Bell measurements). An end node's pair
/// is complete when it has heard of every swap along the path (N − 2 of them); the right end
/// then applies the accumulated correction, and both ends take their qubits. No end takes a
/// pair before its correction is known, whatever the classical delays (the pair's lifecycle:
/// Attempt → Heralded → Corrected → Consumed, or Expired by a cutoff).
///
/// **State ownership (DESIGN §3).** Every group lives at one owner. A herald hands the link
/// pair to the owner the station chose. Operations on a qubit are issued by its home node with
/// their virtual time and applied by the owner — locally, or by a backplane request. A swap
/// pulls both groups to the swapping node first (the swap waits, at its virtual time, until
/// they arrive); a former owner keeps a forwarding pointer and passes later requests on.
/// Requests carry ids and are applied once. When two swapping nodes want one group, the one
/// nearer the path's start keeps it, so no request waits on a cycle. The owner records a
/// delivered pair when both ends' takes are in (App/).
public struct NodeRuntime: Sendable {
    public let configuration: NodeConfiguration
    var scheduler: any Scheduler
    /// The quantum state this node owns.
    public internal(set) var memory: QuantumMemory
    /// This node's memory qubits.
    public internal(set) var slots: SlotTable
    /// Where groups of this node's qubits are.
    public internal(set) var directory: OwnershipDirectory
    var operationCounter: UInt64 = 0

    /// This node's place on the path it serves.
    struct Role: Sendable {
        var path: [NodeID]
        var position: Int
        var leftLink: LinkID?
        var rightLink: LinkID?
        /// Requests served on this path, in start order, with pairs still to take here and whether
        /// their start time has come (a request is never served before it).
        var requests: [(id: RequestID, remaining: Int, start: VTime, started: Bool)]
        /// The links of the path have been started (at the first request's start).
        var started = false
        /// The first request that has started and still needs pairs here.
        var active: Int? { requests.firstIndex { $0.started && $0.remaining > 0 } }
        var isEnd: Bool { position == 0 || position == path.count - 1 }
        var swapsPerPair: Int { path.count - 2 }
    }
    var role: Role?
    /// The last request taken from (an end's count can run ahead of what the owner records).
    var lastRequest: RequestID?

    struct LinkState: Sendable {
        var link: NodeConfiguration.Link
        var end: LinkEnd
        var agent: LinkAgent
    }
    var links: [LinkID: LinkState] = [:]

    /// Qubits this node swapped: where news about each goes on (the other side's partner).
    var swapped: RecentMap<QubitID, (target: QubitID, node: String)>
    /// Feed-forward that overtook its qubit's herald (possible under the realtime clock): kept
    /// until the herald is handled.
    var early: [QubitID: [(NodeMessage.FeedForward, VTime, VDuration)]] = [:]
    /// Qubits discarded here while their pair may still be taken at the other end (a cutoff
    /// racing a swap): a take naming one drops the pair instead of waiting for it forever.
    var discardedHere: RecentMap<QubitID, Bool>
    /// Pairs at their owner, waiting for both ends' takes.
    var takes: [UInt64: PendingTake] = [:]
    /// Swaps waiting at their virtual time for groups to arrive (DESIGN §3: groups migrate to
    /// the acting node), in the order they were decided.
    var waitingSwaps: [(time: VTime, left: QubitID, right: QubitID)] = []
    /// Pairs dropped at this owner because one end was discarded by a cutoff.
    public internal(set) var droppedPairs = 0

    /// Directives of the event being handled.
    var out: [NodeDirective] = []
    /// Time of the event being handled.
    var now: VTime = .zero

    /// - Parameter liveQubits: how many qubits can be alive in the network at once (bounds the
    ///   forwarding tables; ``OwnershipDirectory/init(liveQubits:)``).
    public init(configuration: NodeConfiguration, scheduler: any Scheduler, liveQubits: Int) {
        self.configuration = configuration
        self.scheduler = scheduler
        let node = configuration.node
        memory = QuantumMemory(owner: node, memories: configuration.memories)
        slots = SlotTable(home: node, capacity: configuration.qubits)
        directory = OwnershipDirectory(liveQubits: liveQubits)
        swapped = RecentMap(limit: max(OwnershipDirectory.recentLimit, 16 * liveQubits))
        discardedHere = RecentMap(limit: 4_096)
        for request in configuration.requests {
            guard let position = request.path.firstIndex(of: node) else { continue }
            func link(to other: NodeID) -> LinkID? {
                configuration.links.first { $0.otherEnd(of: node) == other }?.id
            }
            if role == nil {
                role = Role(
                    path: request.path, position: position,
                    leftLink: position > 0 ? link(to: request.path[position - 1]) : nil,
                    rightLink: position < request.path.count - 1 ? link(to: request.path[position + 1]) : nil,
                    requests: [])
            }
            if role!.path == request.path { role!.requests.append((request.id, request.pairs, request.start, false)) }
        }
        for linkID in [role?.leftLink, role?.rightLink].compactMap({ $0 }) {
            guard let link = configuration.links.first(where: { $0.id == linkID }), let end = link.end(of: node) else { continue }
            links[linkID] = LinkState(link: link, end: end, agent: LinkAgent(end: configuration.end, cycle: link.cycle, modes: link.modes))
        }
    }

    /// Entries in every table this node keeps (directory, owned state, slots, pending takes,
    /// early feed-forward, swap forwarding, discards): bounded by the scenario, not the run.
    public var tableSizes: Int {
        directory.size + memory.qubitCount + slots.occupied + takes.count + early.count + swapped.count
            + discardedHere.count + waitingSwaps.count
    }

    /// Whether a swap is waiting for state to arrive; the shell does not advance past `since`.
    public var waitingSince: VTime? { waitingSwaps.map(\.time).min() }

    // MARK: - Events

    /// The run starts at virtual time zero: every request's start is scheduled.
    public mutating func start() -> [NodeDirective] {
        guard let role else { return [] }
        return role.requests.map { .schedule(.requestStart($0.id), at: $0.start) }
    }

    /// Handles one event at `time` (its delivery time, or the timer's).
    public mutating func handle(_ event: NodeEvent, at time: VTime) -> [NodeDirective] {
        now = time
        out = []
        switch event {
        case let .message(message, source, sent, due):
            deliver(message, from: source, sent: sent, due: due)
        case let .backplane(message, source):
            backplane(message, from: source)
        case let .timer(timer):
            fire(timer)
        }
        defer { out = [] }
        return out
    }

    /// Goes on with the swaps waiting for state (after a group arrived): each at its own virtual
    /// time (`time` nil, the lockstep clock), or all at `time` (the realtime clock: they happen
    /// when the state is there). Returns each one's directives with the time they are stamped with.
    public mutating func resume(at time: VTime? = nil) -> [(time: VTime, directives: [NodeDirective])] {
        guard !waitingSwaps.isEmpty else { return [] }
        var results: [(VTime, [NodeDirective])] = []
        let waiting = waitingSwaps
        waitingSwaps = []
        for swap in waiting {
            now = time ?? swap.time
            out = []
            if !attemptSwap(swap.left, swap.right) { waitingSwaps.append(swap) }
            if !out.isEmpty { results.append((now, out)) }
        }
        out = []
        return results
    }

    mutating func fire(_ timer: NodeTimer) {
        switch timer {
        case let .requestStart(request):
            guard let index = role?.requests.firstIndex(where: { $0.id == request }) else { return }
            role!.requests[index].started = true
            if role!.started {
                // Ends paused between requests generate again.
                decide(scheduler.on(.requestArrived(request), view: view))
            } else {
                startLinks()
            }
        case let .cutoff(q):
            guard let e = slots.entangled(q), !e.reserved else { return }
            discard(q, notify: true)
        case let .swap(l, r):
            if !attemptSwap(l, r) { waitingSwaps.append((now, l, r)) }
        }
    }

    mutating func deliver(_ message: NodeMessage, from source: String, sent: VTime, due: VTime) {
        switch message {
        case let .herald(herald):
            // A herald is due one arm's delay after the photons met (its success time), however
            // late the station's timer or the attempt batch that led to it ran.
            let arrival = herald.successTime.saturatingAdding(due.duration(since: sent))
            heralded(herald, from: source, lateness: now.duration(since: arrival))
        case let .attemptsExhausted(e):
            guard let state = links[e.linkID], source == state.link.station else { return }
            if let q = slots.attempting(on: e.linkID, batch: e.batchID) { slots.free(q) }
            carryOut(links[e.linkID]!.agent.exhausted(batchID: e.batchID, at: now), e.linkID)
        case let .feedForward(ff):
            feedForward(ff, sentAt: sent, lateness: now.duration(since: due))
        default:
            out.append(.warn("ignored \(message.typeName) from '\(source)'"))
        }
    }

    // MARK: - Link generation

    mutating func startLinks() {
        guard var role, !role.started else { return }
        role.started = true
        self.role = role
        let decisions = scheduler.on(.requestArrived(role.requests[role.active ?? 0].id), view: view)
        decide(decisions)
    }

    mutating func carryOut(_ directives: [LinkAgent.Directive], _ linkID: LinkID) {
        for case let .openBatch(batchID, start, maxAttempts) in directives {
            guard let state = links[linkID] else { continue }
            guard let qubit = slots.beginAttempt(on: linkID, batch: batchID) else {
                out.append(.warn("no free memory qubit for an attempt on \(linkID); the link waits"))
                continue
            }
            let batch = NodeMessage.AttemptBatch(
                linkID: linkID, batchID: batchID, startTime: start, attemptPeriod: configuration.attemptPeriod,
                modes: UInt32(configuration.multiplexing), maxAttempts: maxAttempts, qubit: qubit)
            out.append(.send(.attemptBatch(batch), to: state.link.station))
        }
    }

    func linkState(_ linkID: LinkID) -> LinkState? { links[linkID] }

    mutating func heralded(_ herald: NodeMessage.Herald, from source: String, lateness: VDuration) {
        // Validate before any side effect: from this link's station, for the open batch, naming
        // this node's batch qubit and a qubit homed at the link's other end.
        let me = configuration.node
        guard let state = links[herald.linkID], source == state.link.station, herald.qubits.count == 2,
              let mine = slots.attempting(on: herald.linkID, batch: herald.batchID), herald.qubits[state.end.rawValue] == mine,
              let role, let other = state.link.otherEnd(of: me), let position = role.path.firstIndex(of: other),
              herald.qubits[1 - state.end.rawValue].home == other,
              !memory.contains(mine), links[herald.linkID]!.agent.heralded(batchID: herald.batchID)
        else {
            out.append(.warn("ignored a herald for \(herald.linkID) batch \(herald.batchID) from '\(source)' that does not match this node's open batch"))
            return
        }
        let partner = herald.qubits[1 - state.end.rawValue]
        if herald.owner == configuration.name {
            guard let groupState = herald.state, groupState.qubits == herald.qubits, !memory.contains(partner),
                  memory.insert(groupState) else {
                out.append(.warn("herald for \(herald.linkID) batch \(herald.batchID) carries no valid state; pair dropped"))
                slots.free(mine)
                release(herald.linkID)
                return
            }
            // The Pauli correction on this end's qubit turns the heralded Bell state into Φ+.
            memory.apply(herald.bellState.quantum.correctionToPhiPlus, to: mine, at: now)
            serveParked(groupState.qubits)
        } else {
            directory.ownerHint[mine] = herald.owner
        }
        let request = role.requests[role.active ?? 0].id
        slots.store(mine, .init(
            link: herald.linkID, request: request, partner: partner, partnerNode: configuration.name(of: partner.home),
            partnerPosition: position, created: herald.successTime, lateness: lateness))
        for (ff, sentAt, late) in early.removeValue(forKey: mine) ?? [] { feedForward(ff, sentAt: sentAt, lateness: late) }
        guard let stored = slots.entangled(mine) else { return }
        let decisions = scheduler.on(.linkPairStored(storedLink(mine, stored)), view: view)
        decide(decisions)
        progressEnds()
    }

    /// The held qubit's link is free again: the agent opens the next batch.
    mutating func release(_ linkID: LinkID) {
        guard links[linkID] != nil else { return }
        carryOut(links[linkID]!.agent.released(at: now), linkID)
    }

    // MARK: - Scheduling seam

    func storedLink(_ q: QubitID, _ e: SlotTable.Entangled) -> StoredLink {
        StoredLink(qubit: q, link: e.link, request: e.request, created: e.created, partnerPosition: e.partnerPosition)
    }

    /// What the scheduler may read: this node's place on the active request's path and the idle
    /// stored pairs.
    var view: NodeView {
        var positions: [RequestID: (length: Int, position: Int)] = [:]
        var sides: [RequestID: (left: LinkID?, right: LinkID?)] = [:]
        if let role, role.started {
            for r in role.requests.map(\.id) + (lastRequest.map { [$0] } ?? []) {
                positions[r] = (role.path.count, role.position)
                sides[r] = (role.leftLink, role.rightLink)
            }
        }
        return NodeView(positions: positions, sides: sides, idle: slots.idle.map { storedLink($0.0, $0.1) }, now: now)
    }

    /// Carries out the scheduler's decisions.
    mutating func decide(_ decisions: [Decision]) {
        for decision in decisions {
            switch decision {
            case let .attempt(link):
                guard links[link] != nil else { continue }
                carryOut(links[link]!.agent.start(at: now), link)
            case let .swap(l, r):
                guard let a = slots.entangled(l), let b = slots.entangled(r), !a.reserved, !b.reserved else { continue }
                slots.update(l) { $0.reserved = true }
                slots.update(r) { $0.reserved = true }
                out.append(.schedule(.swap(l, r), at: now))
            case let .discard(q, time):
                out.append(.schedule(.cutoff(q), at: time))
            }
        }
    }

    // MARK: - Cutoff and discards

    /// Drops a stored qubit (trace it out at its owner) and frees its link; with `notify`, tells
    /// the partner that the entanglement is gone.
    mutating func discard(_ q: QubitID, notify: Bool) {
        guard let e = slots.entangled(q) else { return }
        slots.free(q)
        if notify {
            out.append(.send(.feedForward(.init(requestID: e.request, pairID: 0, qubit: e.partner,
                                                correction: .identity, discarded: true)), to: e.partnerNode))
        }
        operate(q, kind: .discard)
        release(e.link)
        decide(scheduler.on(.pairGone(q), view: view))
    }

    // MARK: - Operations

    /// Issues an operation on this node's qubit `q` at the current time: applied here if the
    /// group is here, else sent to the believed owner.
    mutating func operate(_ q: QubitID, kind: NodeMessage.OperationKind, take: NodeMessage.Take? = nil) {
        operationCounter += 1
        let request = NodeMessage.OperationRequest(
            operationID: operationCounter, time: now, kind: kind, qubits: [q],
            readoutError: configuration.readoutError, take: take)
        if memory.contains(q) {
            apply(request, origin: configuration.name)
        } else {
            out.append(.send(.operationRequest(request), to: directory.destination(of: q, home: configuration.name(of: q.home))))
        }
        if kind.isTerminal && q.home == configuration.node { directory.forgetQubit(q) }
    }
}

extension NodeMessage {
    /// The body's schema name, e.g. `"herald"`.
    public var typeName: String {
        switch self {
        case .attemptBatch: "attempt_batch"
        case .herald: "herald"
        case .attemptsExhausted: "attempts_exhausted"
        case .feedForward: "feed_forward"
        case .pairDelivered: "pair_delivered"
        case .groupTransfer: "group_transfer"
        case .operationRequest: "operation_request"
        case .operationResult: "operation_result"
        }
    }
}
