import Foundation
import QNetScenario
import Testing

/// `cost:` through a real run: summary.json carries CapEx by part, and CapEx over the lifetime
/// per delivered pair and per key bit at the run's rates (issue 13, point 6).
@Suite("Cost in summary.json", .serialized)
struct CostRunTests {
    @Test func summaryCarriesCapexAndCostPerPairAndPerKeyBit() throws {
        let folder = try Harness.temporaryFolder("cost")
        defer { try? FileManager.default.removeItem(at: folder) }
        let prices = folder.appendingPathComponent("prices.yaml")
        try """
            currency: EUR
            parts:
              detector: { price: 1000, per: detector }
              memory:   { price: 30, per: qubit }
              fibre:    { price: 7, per: km }
            """.write(to: prices, atomically: true, encoding: .utf8)
        let yaml = """
            name: cost-run
            seed: 3
            duration: 10 s
            nodes: [{ name: alice }, { name: bob }]
            links: [{ nodes: [alice, bob], length: 2 km }]
            requests: [{ from: alice, to: bob, pairs: 50 }]
            cost: { prices: \(prices.path), lifetime: 10 y }
            """
        let run = try Harness.runScenario(yaml, label: "cost")
        let cost = try #require(run.summary.cost)
        let capex = 2 * 1000.0 + 4 * 30 + 2 * 7
        #expect(cost.capexByPart == ["detector": 2000, "memory": 120, "fibre": 14])
        #expect(cost.capex == capex && cost.currency == "EUR")
        let lifetime = 10 * 365.25 * 86_400
        let pairsPerSecond = Double(run.summary.requests[0].pairsDelivered) / run.summary.virtualSeconds
        #expect(abs(cost.perDeliveredPair! / (capex / (lifetime * pairsPerSecond)) - 1) < 1e-9)
        let bits = run.pairs.map { CostModel.keyBitsPerPair(fidelity: Double($0["fidelity"]!)!) }.reduce(0, +)
        #expect(abs(cost.perKeyBit! / (capex / (lifetime * bits / run.summary.virtualSeconds)) - 1) < 1e-6)
        print("cost-run: capex \(cost.capex) EUR, per pair \(cost.perDeliveredPair!) EUR, per key bit \(cost.perKeyBit!) EUR")
    }
}
