import QNetCore

/// The built-in policies as a controller (controller placement, DESIGN §6): one scheduler per
/// node, fed each node's observations with the view it reported, in the order they reach the
/// controller. The same decisions a node would take itself, taken one classical delay away.
public struct BuiltInController: Sendable {
    let policies: SchedulingPolicies
    /// It installs the paths (`policies.routingPlacement: controller`); otherwise the nodes do.
    let installsPaths: Bool
    var schedulers: [String: NodeScheduler] = [:]

    /// `swap`: the scenario's `policies.swap` name; `cutoff`: its fixed cutoff, nil for none;
    /// `budget`: its end-to-end budget (`cutoff: { budget }`), nil for none; `generation` and
    /// `request`: its `policies.generation` and `policies.request` names, read when link
    /// generation is the controller's (`policies.generationPlacement: controller`);
    /// `installsPaths`: the paths are the controller's to install (`policies.routingPlacement:
    /// controller`), each as its request arrives at the node, as a node does itself.
    public init(swap: String, cutoff: VDuration?, budget: VDuration? = nil,
                generation: String = GenerationScheduling.roundRobin.rawValue,
                request: String = RequestScheduling.fifo.rawValue, installsPaths: Bool = false) throws(ControllerPolicyError) {
        self.installsPaths = installsPaths
        let kind = swap == "none" ? SwapScheduling.asap : SwapScheduling(rawValue: swap)
        guard let kind else {
            throw ControllerPolicyError(message: "the built-in controller runs swap policies \((SwapScheduling.allCases.map(\.rawValue) + ["none"]).joined(separator: ", ")), not \(swap.debugDescription)")
        }
        // An empty name (a start frame without them) means the default.
        guard let generationKind = generation.isEmpty ? .roundRobin : GenerationScheduling(rawValue: generation) else {
            throw ControllerPolicyError(message: "the built-in controller runs generation policies \(GenerationScheduling.allCases.map(\.rawValue).joined(separator: ", ")), not \(generation.debugDescription)")
        }
        guard let requestKind = request.isEmpty ? .fifo : RequestScheduling(rawValue: request) else {
            throw ControllerPolicyError(message: "the built-in controller runs request policies \(RequestScheduling.allCases.map(\.rawValue).joined(separator: ", ")), not \(request.debugDescription)")
        }
        // With `none` no request has a path with swaps: no swap is ever possible.
        policies = SchedulingPolicies(cutoff: cutoff, request: requestKind, generation: generationKind, swap: kind, cutoffBudget: budget)
    }

    /// The decisions on one node's observation. On ``Observation/qubitFree`` (link generation at
    /// the controller) one attempt per free qubit, each decided on the view as the node would see
    /// it after the attempts before it (as the node's own allocation loop does).
    public mutating func decide(node: String, observation: Observation, view: NodeView) -> [Decision] {
        var scheduler = schedulers[node] ?? NodeScheduler(policies: policies)
        defer { schedulers[node] = scheduler }
        if case .requestArrived = observation, !installsPaths { return [] }
        guard observation == .qubitFree else { return scheduler.on(observation, view: view) }
        var view = view, decisions: [Decision] = []
        while view.freeQubits > 0, case let .attempt(link, label)? = scheduler.on(.qubitFree, view: view).first,
              view.links[link] != nil {
            decisions.append(.attempt(link: link, label: label))
            view.links[link]!.attempting += 1
            view.freeQubits -= 1
        }
        return decisions
    }

    /// Schedulers kept: one per node that has reported (bounded by the scenario's nodes).
    public var nodesSeen: Int { schedulers.count }
}

public struct ControllerPolicyError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
