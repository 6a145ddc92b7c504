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
/// **Several paths.** A request routed over several paths (`routing: k-shortest`) is served
/// along all of them at once: each path is a request of its own here (its own id, role,
/// labels and messages; ``NodeConfiguration/Request``), but the ends count the pairs they take
/// over all of them (``remaining``), and once they have taken the request's pairs every path of
/// it is told it is served. A node on several of its paths has a role on each.
///
/// **State ownership (DESIGN §3).** Every group lives at one owner. A herald hands the link
/// pair to the owner the station chose. Operations on a qubit are issued by its home node with
/// their virtual time and applied by the owner — locally, or by a backplane request. A swap
/// pulls both groups to the swapping node first (the swap waits, at its virtual time, until
/// they arrive); a former owner keeps a forwarding pointer and passes later requests on.
/// Requests carry ids and are applied once. When two swapping nodes want one group, the one
/// whose swap was decided earlier in virtual time keeps it (on a tie, the one nearer the path's
/// start), so no request waits on a cycle, nor on the clock. The owner records a
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

    /// This node's place on one path of one request.
    struct Role: Sendable {
        var request: NodeConfiguration.Request
        var position: Int
        var leftLink: LinkID?
        var rightLink: LinkID?
        /// The path is installed here (``Decision/installPath(_:)``): not before the request's
        /// start time, and a request is never served before it.
        var started = false
        /// Known to be served (this end took every pair, or an end said so): no more pairs for it.
        var served = false
        var path: [NodeID] { request.path }
        /// The scenario's request this path serves.
        var parent: RequestID { request.parent }
        var isEnd: Bool { position == 0 || position == path.count - 1 }
        var swapsPerPair: Int { path.count - 2 }
        /// Pairs for it are wanted on its links.
        var wanted: Bool { started && !served }
        func side(toward link: LinkID) -> LinkID? { link == leftLink ? rightLink : link == rightLink ? leftLink : nil }
    }
    var roles: [RequestID: Role] = [:] {
        didSet { roleView = RoleView(roles) }
    }
    /// Pairs still to take here, by the scenario's request (ends only): one count for all the
    /// paths of a request.
    var remaining: [RequestID: Int] = [:]
    /// The paths of each request that this node has a role on, by the scenario's request, in id
    /// order.
    var pathsOf: [RequestID: [RequestID]] = [:]
    /// What the scheduler's view takes from the roles, kept with them (roles change when a
    /// request starts or is served; the view is built for every decision).
    var roleView = RoleView([:])

    struct RoleView: Sendable {
        var positions: [RequestID: (length: Int, position: Int)] = [:]
        var sides: [RequestID: (left: LinkID?, right: LinkID?)] = [:]
        /// Per link, the requests that want pairs on it, in start order.
        var wanting: [LinkID: [RequestCandidate]] = [:]

        init(_ roles: [RequestID: Role]) {
            for (id, role) in roles where role.started {
                positions[id] = (role.path.count, role.position)
                sides[id] = (role.leftLink, role.rightLink)
            }
            for role in roles.values.sorted(by: { ($0.request.start, $0.request.id) < ($1.request.start, $1.request.id) }) where role.wanted {
                let candidate = RequestCandidate(id: role.request.id, start: role.request.start, weight: role.request.weight,
                                                 priority: role.request.priority, deadline: role.request.deadline, group: role.parent)
                for link in Set([role.leftLink, role.rightLink].compactMap { $0 }) { wanting[link, default: []].append(candidate) }
            }
            // Paths of one request that share a link share its weight there, so weighted-fair
            // shares stay per request however many of its paths use the link.
            for (link, candidates) in wanting {
                var paths: [RequestID: Int] = [:]
                for c in candidates { paths[c.group, default: 0] += 1 }
                guard paths.values.contains(where: { $0 > 1 }) else { continue }
                wanting[link] = candidates.map { c in
                    var shared = c
                    shared.weight = c.weight / Double(paths[c.group] ?? 1)
                    return shared
                }
            }
        }
    }

    /// Entanglement generation on each of this node's links that some request's path uses.
    var links: [LinkID: LinkGeneration] = [:]
    /// Most qubits one link may hold at once (`communicationQubits`).
    let linkLimit: Int

    /// Qubits this node swapped: where news about each goes on (the other side's partner).
    var swapped: RecentMap<QubitID, (target: QubitID, node: String)>
    /// Feed-forward that overtook its qubit's herald (possible under the realtime clock): kept
    /// until the herald is handled.
    var early: [QubitID: [(NodeMessage.FeedForward, VTime, VDuration)]] = [:]
    /// Qubits discarded here while their pair may still be taken at the other end (a cutoff
    /// racing a swap): a take naming one drops the pair instead of waiting for it forever.
    var discardedHere: RecentMap<QubitID, Bool>
    /// Qubits this end took recently, with their request: a discard notice naming one means the
    /// owner will drop the pair, so the end counts it again.
    var recentlyTaken: RecentMap<QubitID, RequestID>
    /// Pairs at their owner, waiting for both ends' takes.
    var takes: [UInt64: PendingTake] = [:]
    /// Swaps waiting at their virtual time for groups to arrive (DESIGN §3: groups migrate to
    /// the acting node), in the order they were decided.
    var waitingSwaps: [(time: VTime, left: QubitID, right: QubitID)] = []
    /// Pairs dropped at this owner because one end was discarded by a cutoff.
    public internal(set) var droppedPairs = 0
    /// Stored pairs discarded after waiting ``patienceCycles`` for their swap partner.
    public internal(set) var impatientDiscards = 0
    /// Heralded pairs discarded at once because this node could not use them (a request already
    /// served, or no memory left to complete them without risking a deadlock).
    public internal(set) var refusedPairs = 0
    /// Decisions received from the controller, and those that no longer applied when they came
    /// (a pair gone or already in use meanwhile).
    public internal(set) var controllerDecisions = 0
    /// Swaps whose Bell measurement failed (``NodeConfiguration/bellSuccessProbability``).
    public internal(set) var failedSwaps = 0
    public internal(set) var staleDecisions = 0
    /// The controller sent a decision that is not its to take (said once).
    var warnedOfNodeDecisions = false
    /// `policies.generationPlacement: controller`: a ``Observation/qubitFree`` is out at the
    /// controller and not answered yet (one at a time), and whether the node's free qubits or
    /// demand changed since it was sent (then it asks again when the answer comes).
    var generationAsked = false
    var generationChanged = false
    /// Delivered pairs whose two ends named different link pairs (a protocol fault; 0 expected).
    public internal(set) var identityMismatches = 0

    /// Memory qubits in use over virtual time.
    public struct Occupancy: Sendable {
        public var integralQubitSeconds = 0.0
        public var max = 0
        var last: VTime = .zero
        var current = 0
        /// The occupancy was `current` from `last` until `time`; it is `occupied` from now on.
        mutating func record(_ occupied: Int, at time: VTime) {
            if time > last {
                integralQubitSeconds += Double(current) * time.duration(since: last).seconds
                last = time
            }
            current = occupied
            max = Swift.max(max, occupied)
        }
    }
    public internal(set) var occupancy = Occupancy()

    /// Directives of the event being handled.
    var out: [NodeDirective] = []
    /// Time of the event being handled.
    var now: VTime = .zero

    /// The runtime of `configuration` with the built-in scheduler of its policies.
    public init(configuration: NodeConfiguration) {
        self.init(configuration: configuration, scheduler: NodeScheduler(policies: configuration.policies))
    }

    /// The runtime of `configuration` deciding through `scheduler`. The forwarding tables are
    /// bounded by ``NodeConfiguration/liveQubits`` (``OwnershipDirectory/init(liveQubits:)``).
    public init(configuration: NodeConfiguration, scheduler: any Scheduler) {
        self.configuration = configuration
        self.scheduler = scheduler
        let node = configuration.node
        let liveQubits = configuration.liveQubits
        memory = QuantumMemory(owner: node, memories: configuration.memories)
        slots = SlotTable(home: node, capacity: configuration.qubits)
        directory = OwnershipDirectory(liveQubits: liveQubits)
        swapped = RecentMap(limit: max(OwnershipDirectory.recentLimit, 16 * liveQubits))
        discardedHere = RecentMap(limit: 4_096)
        recentlyTaken = RecentMap(limit: 4_096)
        linkLimit = max(1, min(configuration.communicationQubits ?? configuration.qubits, configuration.qubits))
        for request in configuration.requests {
            guard let position = request.path.firstIndex(of: node) else { continue }
            func link(to other: NodeID) -> LinkID? {
                configuration.links.first { $0.otherEnd(of: node) == other }?.id
            }
            let role = Role(
                request: request, position: position,
                leftLink: position > 0 ? link(to: request.path[position - 1]) : nil,
                rightLink: position < request.path.count - 1 ? link(to: request.path[position + 1]) : nil)
            roles[request.id] = role
            // The first path's count stands for all (a parsed configuration's paths agree).
            if role.isEnd && remaining[request.parent] == nil { remaining[request.parent] = request.pairs }
            for linkID in [role.leftLink, role.rightLink].compactMap({ $0 }) where links[linkID] == nil {
                guard let l = configuration.links.first(where: { $0.id == linkID }), let end = l.end(of: node) else { continue }
                links[linkID] = LinkGeneration(link: l, end: end, runEnd: configuration.end)
            }
        }
        for (id, role) in roles { pathsOf[role.parent, default: []].append(id) }
        for parent in pathsOf.keys { pathsOf[parent]!.sort() }
        roleView = RoleView(roles)  // observers do not run in an initialiser
    }

    /// Entries in every table this node keeps (directory, owned state, slots, pending takes,
    /// early feed-forward, swap forwarding, discards): bounded by the scenario, not the run.
    public var tableSizes: Int {
        directory.size + memory.qubitCount + slots.occupied + takes.count + early.count + swapped.count
            + discardedHere.count + recentlyTaken.count + waitingSwaps.count
    }

    /// Whether a swap is waiting for state to arrive; the shell does not advance past `since`.
    public var waitingSince: VTime? { waitingSwaps.map(\.time).min() }

    // MARK: - Events

    /// The run starts at virtual time zero: every request's start is scheduled.
    public mutating func start() -> [NodeDirective] {
        roles.values.sorted { ($0.request.start, $0.request.id) < ($1.request.start, $1.request.id) }
            .flatMap { role -> [NodeDirective] in
                [.schedule(.requestStart(role.request.id), at: role.request.start)]
                    + (role.request.deadline.map { [.schedule(.deadline(role.request.id), at: $0)] } ?? [])
            }
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
        occupancy.record(slots.occupied, at: time)
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
            if !attemptSwap(swap.left, swap.right, decided: swap.time) { waitingSwaps.append(swap) }
            if !out.isEmpty { results.append((now, out)) }
        }
        out = []
        return results
    }

    mutating func fire(_ timer: NodeTimer) {
        switch timer {
        case let .requestStart(request):
            // The scheduler installs the path (at once, or the controller one round trip later).
            guard roles[request] != nil else { return }
            consult(.requestArrived(request))
        case let .cutoff(q):
            guard let e = slots.entangled(q), !e.reserved else { return }
            discard(q, notify: true)
        case let .deadline(request):
            guard let role = roles[request], !role.served else { return }
            consult(.requestExpired(request))
        case let .swap(l, r):
            if !attemptSwap(l, r) { waitingSwaps.append((now, l, r)) }
        case let .patience(q):
            guard let e = slots.entangled(q), !e.reserved, let complement = unmatchedComplement(q, e) else { return }
            // Only a full memory can be part of such a cycle; otherwise the pair waits on.
            guard !slots.hasFree else {
                if let cycle = links[complement]?.link.cycle {
                    out.append(.schedule(.patience(q), at: now.saturatingAdding(cycle * Self.patienceCycles)))
                }
                return
            }
            impatientDiscards += 1
            discard(q, notify: true)
        }
    }

    /// How long a stored pair in the middle of a path waits for its swap partner before it is
    /// discarded, when its node's memory is full: `patienceCycles` attempt cycles of the link it
    /// waits on. Nodes that each hold a
    /// pair waiting for a link whose other end has no qubit to spare could otherwise wait on one
    /// another forever; after this long one of them gives up and the cycle breaks.
    public static let patienceCycles: UInt64 = 1_000

    mutating func deliver(_ message: NodeMessage, from source: String, sent: VTime, due: VTime) {
        switch message {
        case let .herald(herald):
            // A herald is due one arm's delay after the photons met (its success time), however
            // late the station's timer or the attempt batch that led to it ran.
            let arrival = herald.successTime.saturatingAdding(due.duration(since: sent))
            heralded(herald, from: source, lateness: now.duration(since: arrival))
        case let .attemptsExhausted(e):
            guard let state = links[e.linkID], source == state.link.station, let batch = links[e.linkID]!.answered(e.batchID) else { return }
            slots.free(batch.qubit)
            allocate()
        case let .feedForward(ff):
            feedForward(ff, sentAt: sent, lateness: now.duration(since: due))
        case let .decisionSet(set) where source == configuration.policies.controller:
            controllerDecided(set.decisions)
            if set.answersQubitFree, generationAsked {
                generationAsked = false
                if generationChanged { allocate() }
            }
        case let .requestServed(news):
            guard let role = roles[news.requestID] else { return }
            roles[news.requestID]!.served = !news.resumed
            if !news.resumed && !role.served { consult(.requestServed(news.requestID)) }
            requestsChanged()
        default:
            out.append(.warn("ignored \(message.typeName) from '\(source)'"))
        }
    }

    // MARK: - Link generation

    /// The links' demand as the scheduler sees it.
    var linkDemands: [LinkID: LinkDemand] {
        var stored: [LinkID: Int] = [:]
        var needed: [LinkID: [RequestID]] = [:]
        for (q, s) in slots.slots {
            guard case let .entangled(e) = s else { continue }
            stored[e.link, default: 0] += 1
            if !e.reserved, let complement = unmatchedComplement(q, e) { needed[complement, default: []].append(e.request) }
        }
        var result: [LinkID: LinkDemand] = [:]
        for (id, generation) in links {
            result[id] = LinkDemand(requests: roleView.wanting[id] ?? [], attempting: generation.attempting, stored: stored[id] ?? 0,
                                    limit: linkLimit, isMaster: generation.isMaster, needed: needed[id] ?? [])
        }
        return result
    }

    /// The link a stored pair at an intermediate node waits on (its request's other side), when
    /// no stored pair there can be swapped with it yet.
    func unmatchedComplement(_ q: QubitID, _ e: SlotTable.Entangled) -> LinkID? {
        guard let role = roles[e.request], !role.isEnd, let other = role.side(toward: e.link) else { return nil }
        let matched = slots.slots.contains { key, slot in
            if key != q, case let .entangled(f) = slot, f.request == e.request, f.link == other { return true }
            return false
        }
        return matched ? nil : other
    }

    /// Gives free qubits to links, as the scheduler decides (one decision per free qubit). Under
    /// `policies.generationPlacement: controller` the controller decides: the node tells it of
    /// its free qubits (one ``Observation/qubitFree`` at a time, and only while a link of its is
    /// wanted and has room) and they stay idle until its attempt decisions come back, 2d later.
    mutating func allocate() {
        if configuration.policies.generationByController, let controller = configuration.policies.controller {
            guard slots.hasFree, now < configuration.end,
                  linkDemands.values.contains(where: { !$0.requests.isEmpty && $0.attempting + $0.stored < $0.limit })
            else { return }
            guard !generationAsked else {
                generationChanged = true
                return
            }
            generationAsked = true
            generationChanged = false
            out.append(.send(.observationReport(.init(observation: .qubitFree, view: view)), to: controller))
            return
        }
        var guardCount = 0
        while slots.hasFree, guardCount < slots.capacity {
            guardCount += 1
            let decisions = scheduler.on(.qubitFree, view: view)
            guard case let .attempt(linkID, label)? = decisions.first, links[linkID] != nil, openBatch(on: linkID, label: label)
            else { return }
        }
    }

    /// Opens an attempt batch on `link` with a free qubit; false if none is free or the run's end
    /// has come.
    mutating func openBatch(on link: LinkID, label: RequestID?) -> Bool {
        guard let qubit = slots.beginAttempt(on: link, batch: links[link]!.nextBatch) else { return false }
        guard let batch = links[link]!.openBatch(qubit: qubit, label: label, at: now, attemptPeriod: configuration.attemptPeriod,
                                                 modes: links[link]!.link.modes) else {
            slots.free(qubit)
            return false
        }
        out.append(.send(.attemptBatch(batch), to: links[link]!.link.station))
        return true
    }

    /// Requests were served or resumed: links nobody wants any more withdraw their batches, and
    /// stored pairs of served requests that can no longer be delivered here are discarded.
    mutating func requestsChanged() {
        let demands = linkDemands
        for (id, demand) in demands.sorted(by: { $0.key < $1.key }) where demand.requests.isEmpty {
            for withdraw in links[id]!.withdrawAll() {
                out.append(.send(.attemptWithdraw(withdraw), to: links[id]!.link.station))
            }
        }
        for (q, e) in slots.idle {
            if let role = roles[e.request], role.served, !role.isEnd { discard(q, notify: true) }
        }
        allocate()
    }

    mutating func heralded(_ herald: NodeMessage.Herald, from source: String, lateness: VDuration) {
        // Validate before any side effect: from this link's station, for an open batch, naming
        // this node's batch qubit and a qubit homed at the link's other end.
        let me = configuration.node
        guard let generation = links[herald.linkID], source == generation.link.station, herald.qubits.count == 2,
              let open = generation.open[herald.batchID], herald.qubits[generation.end.rawValue] == open.qubit,
              let other = generation.link.otherEnd(of: me), herald.qubits[1 - generation.end.rawValue].home == other,
              !memory.contains(open.qubit)
        else {
            out.append(.warn("ignored a herald for \(herald.linkID) batch \(herald.batchID) from '\(source)' that does not match an open batch"))
            return
        }
        let mine = open.qubit
        _ = links[herald.linkID]!.answered(herald.batchID)
        let partner = herald.qubits[1 - generation.end.rawValue]
        if herald.owner == configuration.name {
            guard let groupState = herald.state, groupState.qubits == herald.qubits, !memory.contains(partner),
                  memory.insert(groupState) else {
                out.append(.warn("herald for \(herald.linkID) batch \(herald.batchID) carries no valid state; pair dropped"))
                slots.free(mine)
                allocate()
                return
            }
            // The Pauli correction on this end's qubit turns the heralded Bell state into Φ+.
            memory.apply(herald.bellState.quantum.correctionToPhiPlus, to: mine, at: now)
            serveParked(groupState.qubits)
        } else {
            directory.ownerHint[mine] = herald.owner
        }
        // The pair serves the master's label (or, without one, the earliest request using the link).
        let candidates = roles.values.filter { $0.leftLink == herald.linkID || $0.rightLink == herald.linkID }
            .sorted { ($0.request.start, $0.request.id) < ($1.request.start, $1.request.id) }
        let request = herald.label.flatMap { l in roles[l] != nil ? l : nil }
            ?? (candidates.first { $0.wanted } ?? candidates.first { $0.started })?.request.id
        // A path not installed here yet (policies.routingPlacement: controller, its install still
        // on the way while the master has it) takes no pair: refused, as a pair nobody here wants.
        guard let request, let role = roles[request], role.started, let position = role.path.firstIndex(of: other) else {
            refuse(mine, partner: partner, link: herald.linkID, request: herald.label ?? RequestID(0))
            return
        }
        // The link's place along the path: between this node and the partner's.
        let hop = min(position, role.position)
        slots.store(mine, .init(
            link: herald.linkID, request: request, partner: partner, partnerNode: configuration.name(of: partner.home),
            partnerPosition: position, created: herald.successTime, oldest: herald.successTime, lateness: lateness,
            linkPairs: [.init(link: herald.linkID, sequence: herald.sequence, hop: hop)]))
        // An intermediate node keeps a pair it cannot swap yet only while a qubit is free or
        // attempting on the link it waits for, not promised to another waiting pair: otherwise
        // its memory could fill with pairs that all wait for one another. A pair of a served
        // request is of no use in the middle of its path.
        if !role.isEnd {
            let e = slots.entangled(mine)!
            if role.served || !canWait(mine, e) {
                slots.free(mine)
                refuse(mine, partner: partner, link: herald.linkID, request: request)
                return
            }
        }
        for (ff, sentAt, late) in early.removeValue(forKey: mine) ?? [] { feedForward(ff, sentAt: sentAt, lateness: late) }
        guard let stored = slots.entangled(mine) else {
            // Discarded while its early feed-forward was replayed: nothing more will read those.
            early[mine] = nil
            allocate()
            return
        }
        consult(.linkPairStored(storedLink(mine, stored)))
        if let complement = unmatchedComplement(mine, stored), let cycle = links[complement]?.link.cycle {
            out.append(.schedule(.patience(mine), at: now.saturatingAdding(cycle * Self.patienceCycles)))
        }
        progressEnds()
        allocate()
    }

    /// Whether a stored pair that waits for its swap partner has a qubit to wait with.
    func canWait(_ q: QubitID, _ e: SlotTable.Entangled) -> Bool {
        guard let complement = unmatchedComplement(q, e) else { return true }
        let demand = linkDemands[complement]
        let waiting = demand?.needed.count ?? 1
        return slots.hasFree || (demand?.attempting ?? 0) >= waiting
    }

    /// Discards a pair this node cannot use, right after its herald: its state is traced out and
    /// the partner is told.
    mutating func refuse(_ q: QubitID, partner: QubitID, link: LinkID, request: RequestID) {
        refusedPairs += 1
        slots.free(q)
        out.append(.send(.feedForward(.init(requestID: request, pairID: 0, qubit: partner, correction: .identity, discarded: true)),
                         to: configuration.name(of: partner.home)))
        operate(q, kind: .discard)
        allocate()
    }

    // MARK: - Scheduling seam

    func storedLink(_ q: QubitID, _ e: SlotTable.Entangled) -> StoredLink {
        StoredLink(qubit: q, link: e.link, request: e.request, created: e.created, partnerPosition: e.partnerPosition,
                   oldest: e.oldest)
    }

    /// What the scheduler may read: this node's place on each request's path, the idle stored
    /// pairs, and the demand on its links.
    var view: NodeView {
        NodeView(positions: roleView.positions, sides: roleView.sides, idle: slots.idle.map { storedLink($0.0, $0.1) },
                        links: linkDemands, freeQubits: slots.capacity - slots.occupied, now: now)
    }

    /// Tells the scheduler what happened and carries out its decisions. With controller placement
    /// (DESIGN §6) the observation goes to the controller as a routed message, with the view it
    /// was made from; its decisions come back later (``controllerDecided(_:)``). Link generation
    /// is ``allocate()``'s: at the node, or asked of the controller there.
    mutating func consult(_ observation: Observation) {
        if let controller = configuration.policies.controller, observation.isForController {
            out.append(.send(.observationReport(.init(observation: observation, view: view)), to: controller))
            // A request's arrival is also the node's own to act on (it installs its planned path)
            // unless policies.routingPlacement: controller.
            guard case .requestArrived = observation, !configuration.policies.routingByController else { return }
        }
        switch scheduler.viewNeeded(for: observation) {
        case .none: return
        case .time: decide(scheduler.on(observation, view: NodeView(positions: [:], sides: [:], idle: [], now: now)))
        case .full: decide(scheduler.on(observation, view: view))
        }
    }

    /// The controller's decisions, checked against what this node holds now (they were taken on
    /// a view one classical delay old): a swap of two idle stored pairs of one request, one from
    /// each side of this node on its path; a discard of a stored pair (at once if its time has
    /// passed); under `policies.generationPlacement: controller` an attempt on a link that is
    /// wanted and has room; under `policies.routingPlacement: controller` installing a path of
    /// this node's not installed yet. Anything else is ignored with a warning; a deliver
    /// decision is not the controller's to take (delivery stays at the ends).
    mutating func controllerDecided(_ decisions: [Decision]) {
        controllerDecisions += decisions.count
        for decision in decisions {
            switch decision {
            case let .swap(l, r):
                guard let a = slots.entangled(l), let b = slots.entangled(r), !a.reserved, !b.reserved, a.request == b.request,
                      let role = roles[a.request], !role.isEnd, Set([a.link, b.link]) == Set([role.leftLink, role.rightLink].compactMap { $0 })
                else {
                    staleDecisions += 1
                    continue
                }
                // Left side first, as the runtime's swap expects (the right partner gets the correction).
                decide([a.link == role.leftLink ? .swap(l, r) : .swap(r, l)])
            case let .discard(q, time):
                guard slots.entangled(q) != nil else {
                    staleDecisions += 1
                    continue
                }
                decide([.discard(q, at: max(time, now))])
            case let .attempt(link, label) where configuration.policies.generationByController:
                // Checked against the node's links now: one it has, wanted and with room under its
                // qubit limit, a label (if any, read only at the link's master) among the requests
                // that want it, a free qubit.
                guard let demand = linkDemands[link], !demand.requests.isEmpty, demand.attempting + demand.stored < demand.limit,
                      !demand.isMaster || label.map({ l in demand.requests.contains { $0.id == l } }) ?? true,
                      openBatch(on: link, label: label)
                else {
                    staleDecisions += 1
                    continue
                }
            case let .installPath(request) where configuration.policies.routingByController:
                // A path of this node's, not installed yet, whose request has started.
                guard let role = roles[request], !role.started, now >= role.request.start else {
                    staleDecisions += 1
                    continue
                }
                decide([.installPath(request)])
            case .attempt, .deliver, .installPath:
                // Not the controller's (delivery stays at the ends, link generation at the links'
                // nodes unless policies.generationPlacement: controller, paths installed at their
                // nodes unless policies.routingPlacement: controller): dropped, counted as stale,
                // and said once per run rather than per decision.
                staleDecisions += 1
                if !warnedOfNodeDecisions {
                    warnedOfNodeDecisions = true
                    out.append(.warn("ignored an attempt, deliver or install_path decision from the controller: delivery is decided at the ends, link generation and path installation at the nodes unless policies.generationPlacement or policies.routingPlacement is controller (counted as stale from now on)"))
                }
            }
        }
    }

    /// Carries out the scheduler's decisions.
    mutating func decide(_ decisions: [Decision]) {
        for decision in decisions {
            switch decision {
            case .attempt:
                allocate()
            case let .installPath(request):
                guard let role = roles[request], !role.started else { continue }
                roles[request]!.started = true
                allocate()
            case let .deliver(q):
                guard let e = slots.entangled(q), !e.reserved, e.corrected, let role = roles[e.request], role.isEnd else { continue }
                slots.update(q) { $0.reserved = true }
                complete(q)
            case let .swap(l, r):
                guard let a = slots.entangled(l), let b = slots.entangled(r), !a.reserved, !b.reserved else { continue }
                slots.update(l) { $0.reserved = true }
                slots.update(r) { $0.reserved = true }
                out.append(.schedule(.swap(l, r), at: now))
            case let .discard(q, time) where time <= now:
                // Due already (an end-to-end budget that a swap's news shortened): before this
                // event goes on, so a complete pair past its budget is not taken.
                fire(.cutoff(q))
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
        consult(.pairGone(q))
        allocate()
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
        case .attemptWithdraw: "attempt_withdraw"
        case .feedForward: "feed_forward"
        case .requestServed: "request_served"
        case .pairDelivered: "pair_delivered"
        case .groupTransfer: "group_transfer"
        case .operationRequest: "operation_request"
        case .operationResult: "operation_result"
        case .observationReport: "observation_report"
        case .decisionSet: "decision_set"
        }
    }
}
