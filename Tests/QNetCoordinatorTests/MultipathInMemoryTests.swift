import QNetCore
import QNetNode
import QNetProtocols
import QNetScenario
import Testing
@testable import QNetCoordinator

/// A scenario's nodes and stations, configured as the coordinator configures them, in one
/// ``InMemoryNetwork`` with the plan's channel delays: the lockstep run without processes.
func inMemory(_ scenario: Scenario) throws -> (InMemoryNetwork, ClusterPlan) {
    let plan = try ClusterPlan(scenario: scenario, stations: .coordinator)
    let nodes = try scenario.nodes.indices.map { i in
        NodeRuntime(configuration: try NodeConfiguration(scenario: scenario, node: NodeID(UInt32(i)), paths: plan.paths, seed: scenario.seed))
    }
    let stations = try scenario.links.map { link in
        StationRuntime(configuration: try StationConfiguration(scenario: scenario, link: link, seed: scenario.seed), mode: .batched)
    }
    return (InMemoryNetwork(nodes: nodes, stations: stations, delays: plan.delays), plan)
}

@Suite("Multipath in memory: paths that share links and nodes")
struct MultipathInMemoryTests {
    /// The middle row of a 3×3 grid, g1_0 → g1_2, over its three shortest paths: the straight
    /// one and two of four links (Yen's order), which share the links g1_0–g0_0 and g0_0–g0_1
    /// between them and the node g1_1 and link g1_1–g1_2 with the straight one.
    static func grid(paths: Int, qubits: Int, communicationQubits: Int? = nil) -> String {
        let limit = communicationQubits.map { ", communicationQubits: \($0)" } ?? ""
        return """
            seed: 5
            duration: 1 s
            defaults:
              memory:    { qubits: \(qubits)\(limit) }
              photonics: { emissionEfficiency: 0.5, attemptPeriod: 1 us }
              detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 1 ns }
              link:      { attenuation: 0.2 dB/km, scheme: double-click }
            topology: { kind: grid, rows: 3, columns: 3, spacing: 2 km }
            requests:
              - { from: g1_0, to: g1_2, pairs: 1000000 }
            policies: { routing: k-shortest, paths: \(paths) }
            """
    }

    @Test func sharedLinksAndNodesKeepDelivering() throws {
        let scenario = try Scenario.parse(yaml: Self.grid(paths: 3, qubits: 6), file: "grid.yaml")
        var (net, plan) = try inMemory(scenario)
        #expect(plan.paths[0].map { $0.map { scenario.node($0).name }.joined(separator: ">") } == [
            "g1_0>g1_1>g1_2", "g1_0>g0_0>g0_1>g0_2>g1_2", "g1_0>g0_0>g0_1>g1_1>g1_2",
        ])
        net.keepsRoutedLog = false
        net.start()
        let window = VTime.zero + .milliseconds(100)
        net.run(until: window)
        let waiting = net.nodes.filter { $0.value.waitingSince != nil }.map(\.key).sorted()
        #expect(waiting.isEmpty, "nodes waiting for state: \(waiting)")
        let perPath = (0..<3).map { k in net.delivered.filter { $0.requestID == plan.pathIDs[0][k] }.count }
        #expect(perPath.allSatisfy { $0 > 100 }, "\(perPath)")
        #expect(net.warnings.isEmpty, "\(net.warnings.prefix(3))")
    }
}
