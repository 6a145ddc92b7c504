import QNetCore

/// The built-in distributed scheduler of one node: link generation over its shared qubits, the
/// request scheduling of the links it is master of, a swap policy and a cutoff policy, decided
/// from what this node knows.
public struct NodeScheduler: Scheduler {
    public var swap: any SwapPolicy
    public var cutoff: any CutoffPolicy
    public var generation: any LinkGenerationPolicy
    public let requestPolicy: RequestScheduling
    var requests: [LinkID: LinkRequestScheduler] = [:]

    public init(
        swap: any SwapPolicy = SwapASAP(), cutoff: any CutoffPolicy = NoCutoff(),
        generation: any LinkGenerationPolicy = RoundRobinLinks(), requests: RequestScheduling = .fifo
    ) {
        self.swap = swap
        self.cutoff = cutoff
        self.generation = generation
        requestPolicy = requests
    }

    /// The informational observations decide nothing here; delivery and installing a path read
    /// only the time.
    public func viewNeeded(for observation: Observation) -> ViewNeed {
        switch observation {
        case .swapOutcome, .requestServed, .requestExpired: .none
        case .pairCorrected, .requestArrived: .time
        default: .full
        }
    }

    public mutating func on(_ observation: Observation, view: NodeView) -> [Decision] {
        switch observation {
        case let .requestArrived(request):
            // The routing was done at planning (policies.routing): the node installs its planned
            // path as soon as the request starts.
            return [.installPath(request)]
        case .qubitFree:
            guard let link = generation.next(view), let demand = view.links[link] else { return [] }
            // A qubit given to a waiting pair's link serves that pair's request (charged to it by the
            // link's request scheduler, so weighted-fair shares hold); otherwise the link's request
            // scheduler decides (the label matters only at the link's master).
            let waiting = demand.needed.count > demand.attempting ? demand.needed.first : nil
            guard demand.isMaster else { return [.attempt(link: link, label: waiting ?? demand.requests.first?.id)] }
            var scheduler = requests[link] ?? LinkRequestScheduler(policy: requestPolicy)
            let label = scheduler.choose(among: demand.requests, forced: waiting)
            requests[link] = scheduler
            return [.attempt(link: link, label: label)]
        case let .linkPairStored(link):
            var decisions: [Decision] = []
            if let expiry = cutoff.expiry(of: link) { decisions.append(.discard(link.qubit, at: expiry)) }
            if let (l, r) = swap.swapNow(view) { decisions.append(.swap(l, r)) }
            return decisions
        case let .pairExtended(link):
            var decisions: [Decision] = []
            if let expiry = cutoff.expiry(ofExtended: link) { decisions.append(.discard(link.qubit, at: expiry)) }
            if let (l, r) = swap.swapNow(view) { decisions.append(.swap(l, r)) }
            return decisions
        case .pairGone:
            if let (l, r) = swap.swapNow(view) { return [.swap(l, r)] }
            return []
        case let .pairCorrected(pair):
            // The built-in application takes every pair as soon as it is complete, unless an
            // end-to-end budget has run out (under controller placement the controller's discard
            // may still be on its way: the budget is kept here too).
            if let expiry = cutoff.expiry(ofExtended: pair), expiry <= view.now { return [.discard(pair.qubit, at: view.now)] }
            return [.deliver(pair.qubit)]
        case .swapOutcome, .requestServed, .requestExpired:
            // A failed swap frees its qubits (pairGone follows); served and expired requests
            // change the demand the link generation reads. Nothing more to decide here.
            return []
        }
    }
}

/// The built-in policies a node's scheduler runs, as values (they travel in the node's
/// configuration): swap-ASAP, a fixed cutoff or none, a request policy and a link generation
/// policy.
public struct SchedulingPolicies: Hashable, Sendable {
    /// Discard a stored pair this long after its creation; nil: never.
    public var cutoff: VDuration?
    /// Discard a stored pair this long after the oldest link pair it is made of was heralded
    /// (an end-to-end budget per delivery); nil: none. Exclusive with ``cutoff``.
    public var cutoffBudget: VDuration?
    public var request: RequestScheduling
    /// Which link a free qubit attempts on.
    public var generation: GenerationScheduling
    /// Controller placement (DESIGN §6): the process that takes the node's swap and cutoff
    /// decisions; nil: the node decides itself.
    public var controller: String?
    /// With a ``controller``: link generation (``Observation/qubitFree``) is the controller's too
    /// (`policies.generationPlacement: controller`); false: the node's.
    public var generationByController: Bool
    /// With a ``controller``: the controller installs the node's paths
    /// (`policies.routingPlacement: controller`); false: the node installs each as it starts.
    public var routingByController: Bool
    public var swap: SwapScheduling

    public init(cutoff: VDuration? = nil, request: RequestScheduling = .fifo, generation: GenerationScheduling = .roundRobin,
                controller: String? = nil, swap: SwapScheduling = .asap, cutoffBudget: VDuration? = nil,
                generationByController: Bool = false, routingByController: Bool = false) {
        self.generationByController = controller != nil && generationByController
        self.routingByController = controller != nil && routingByController
        self.cutoffBudget = cutoffBudget
        self.generation = generation
        self.cutoff = cutoff
        self.request = request
        self.controller = controller
        self.swap = swap
    }
}

/// The built-in swap policies, as values.
public enum SwapScheduling: String, Hashable, Sendable, CaseIterable {
    case asap
    case sequential
    case nested

    var policy: any SwapPolicy {
        switch self {
        case .asap: SwapASAP()
        case .sequential: SwapSequential()
        case .nested: SwapNested()
        }
    }
}

extension NodeScheduler {
    /// The built-in scheduler of `policies`.
    public init(policies: SchedulingPolicies) {
        self.init(swap: policies.swap.policy, cutoff: policies.cutoffPolicy,
                  generation: policies.generation.makePolicy(), requests: policies.request)
    }
}

extension SchedulingPolicies {
    /// The cutoff policy these values name: a budget, a fixed age, or none.
    public var cutoffPolicy: any CutoffPolicy {
        if let budget = cutoffBudget { return BudgetCutoff(budget: budget) }
        if let age = cutoff { return FixedCutoff(age: age) }
        return NoCutoff()
    }
}
