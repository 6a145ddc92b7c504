import QNetCore
import QNetScenario
import Testing
@testable import QNetCoordinator

/// Accepted means modelled: what only a swap reads (`memory.gateFidelity` and
/// `bellMeasurement.successProbability` below 1) is refused where no request's path swaps.
@Suite("Cluster plan: settings only a swap reads")
struct SwapOnlySettingsTests {
    /// A 3-node chain n0 — n1 — n2 whose request is `request`, with `extra` lines in `defaults`
    /// and `nodes` (the chain's nodes by name).
    static func chain(request: String, defaults: String = "", nodes: String = "") -> String {
        """
        defaults:
          memory: { qubits: 2 }
          link: { scheme: double-click }
        \(defaults)
        topology: { kind: chain, nodes: 3, spacing: 2 km }
        \(nodes)
        requests:
          - \(request)
        """
    }

    static func planError(_ yaml: String) throws -> String? {
        let scenario = try Scenario.parse(yaml: yaml, file: "s.yaml")
        do {
            _ = try ClusterPlan(scenario: scenario)
            return nil
        } catch { return error.description }
    }

    @Test func aSettingWhereNoPathSwapsIsRefusedAtItsLine() throws {
        let endToEnd = "{ from: n0, to: n2, pairs: 1 }", direct = "{ from: n0, to: n1, pairs: 1 }"
        // n1 swaps on n0 → n2: its own gate fidelity and Bell measurement are read.
        #expect(try Self.planError(Self.chain(request: endToEnd, nodes: "nodes: [{ name: n1, memory: { gateFidelity: 0.9 }, bellMeasurement: { successProbability: 0.5 } }]")) == nil)
        // n0 is an end of every path: its gate fidelity would change nothing.
        let atEnd = try #require(try Self.planError(Self.chain(request: endToEnd, nodes: "nodes: [{ name: n0, memory: { gateFidelity: 0.9 } }]")))
        #expect(atEnd.contains("s.yaml:6:") && atEnd.contains("nodes[0].memory.gateFidelity"), "\(atEnd)")
        #expect(atEnd.contains("n0 swaps on no request's path"), "\(atEnd)")
        #expect(atEnd.split(separator: "\n").count == 1)
        // In defaults it is refused only when no node swaps at all.
        #expect(try Self.planError(Self.chain(request: endToEnd, defaults: "  bellMeasurement: { successProbability: 0.5 }")) == nil)
        let nowhere = try #require(try Self.planError(Self.chain(request: direct, defaults: "  bellMeasurement: { successProbability: 0.5 }")))
        #expect(nowhere.contains("defaults.bellMeasurement.successProbability") && nowhere.contains("no request's path swaps at any node"), "\(nowhere)")
        // The values that change nothing anywhere (1, the defaults) stay accepted.
        #expect(try Self.planError(Self.chain(request: direct, defaults: "  bellMeasurement: { successProbability: 1 }",
                                              nodes: "nodes: [{ name: n0, memory: { gateFidelity: 1.0 } }]")) == nil)
    }
}

/// Controller placement needs a classical channel from every node on a request's path to the
/// controller's site: without one the node would never hear its decisions.
@Suite("Cluster plan: the controller reaches every path")
struct ControllerReachTests {
    static let twoIslands = """
        defaults: { memory: { qubits: 2 }, link: { scheme: double-click } }
        nodes: [{ name: a }, { name: b }, { name: c }, { name: d }]
        links: [{ nodes: [a, b], length: 1 km }, { nodes: [c, d], length: 1 km }]
        requests: [{ from: c, to: d, pairs: 1 }]
        """

    @Test func aPathTheControllerCannotReachIsRefused() throws {
        let beside = try #require(try SwapOnlySettingsTests.planError(Self.twoIslands + "\npolicies: { placement: controller, controllerAt: a }"))
        #expect(beside.contains("requests[0] (c to d): its node c has no classical channel to policies.controllerAt a"), "\(beside)")
        #expect(try SwapOnlySettingsTests.planError(Self.twoIslands + "\npolicies: { placement: controller, controllerAt: d }") == nil)
        #expect(try SwapOnlySettingsTests.planError(Self.twoIslands) == nil)
    }
}
