import QNetCore

/// The built-in policies as a controller (controller placement, DESIGN §6): one scheduler per
/// node, fed each node's observations with the view it reported, in the order they reach the
/// controller. The same decisions a node would take itself, taken one classical delay away.
public struct BuiltInController: Sendable {
    let policies: SchedulingPolicies
    var schedulers: [String: NodeScheduler] = [:]

    /// `swap`: the scenario's `policies.swap` name; `cutoff`: its fixed cutoff, nil for none;
    /// `budget`: its end-to-end budget (`cutoff: { budget }`), nil for none.
    public init(swap: String, cutoff: VDuration?, budget: VDuration? = nil) throws(ControllerPolicyError) {
        let kind = swap == "none" ? SwapScheduling.asap : SwapScheduling(rawValue: swap)
        guard let kind else {
            throw ControllerPolicyError(message: "the built-in controller runs swap policies \((SwapScheduling.allCases.map(\.rawValue) + ["none"]).joined(separator: ", ")), not \(swap.debugDescription)")
        }
        // With `none` no request has a path with swaps: no swap is ever possible.
        policies = SchedulingPolicies(cutoff: cutoff, swap: kind, cutoffBudget: budget)
    }

    /// The decisions on one node's observation.
    public mutating func decide(node: String, observation: Observation, view: NodeView) -> [Decision] {
        var scheduler = schedulers[node] ?? NodeScheduler(policies: policies)
        defer { schedulers[node] = scheduler }
        return scheduler.on(observation, view: view)
    }

    /// Schedulers kept: one per node that has reported (bounded by the scenario's nodes).
    public var nodesSeen: Int { schedulers.count }
}

public struct ControllerPolicyError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
