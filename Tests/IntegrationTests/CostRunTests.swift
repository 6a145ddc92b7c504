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
        // The request was served in full: its span runs from its start (0) to its last pair.
        #expect(run.summary.requests[0].pairsDelivered == 50)
        let span = run.pairs.map { Double($0["deliveredSeconds"]!)! }.max()!
        let pairsPerSecond = 50 / span
        #expect(abs(cost.perDeliveredPair! / (capex / (lifetime * pairsPerSecond)) - 1) < 1e-6)
        // The 50 pairs keyed as one block at their mean fidelity.
        let fidelities = run.pairs.map { Double($0["fidelity"]!)! }
        let bits = 50 * CostModel.keyBitsPerPair(fidelity: fidelities.reduce(0, +) / 50)
        #expect(abs(cost.keyBitsPerSecond!.mean / (bits / span) - 1) < 1e-6)
        #expect(abs(cost.perKeyBit! / (capex / (lifetime * bits / span)) - 1) < 1e-6)
        // The latency percentiles (streamed into logarithmic bins) are the exact nearest-rank
        // values of the waiting times, in the rows' (receipt) order, to within their resolution.
        var last = 0.0
        let waits = run.pairs.map { row -> Double in
            let t = Double(row["deliveredSeconds"]!)!
            defer { last = max(last, t) }
            return max(0, t - last)
        }
        let latency = try #require(run.summary.requests[0].latencySeconds)
        for (q, streamed) in [(0.5, latency.p50), (0.9, latency.p90), (0.99, latency.p99)] {
            let exact = try #require(Statistics.percentile(waits, q))
            #expect(abs(streamed / exact - 1) <= Statistics.Quantiles.relativeError * (1 + 1e-9), "p\(Int(q * 100)): \(streamed) against \(exact)")
        }
        print("cost-run: capex \(cost.capex) EUR, per pair \(cost.perDeliveredPair!) EUR, per key bit \(cost.perKeyBit!) EUR")
    }

    /// Issue 13, must-show 7: the shipped 200 km route (scenarios/route-200km-*.yaml, four 50 km
    /// Barrett–Kok links) as a repeater chain and as a trusted-node relay, each run through qnet,
    /// then both in one report. Each run's key rate is recomputed here from its pairs.csv (key
    /// bits per request over the time it was served), the relay's as its slowest hop's, and the
    /// report's cost-per-key-bit plot carries both runs' figures from their summaries. (Each
    /// request is keyed as one block at its mean fidelity.)
    @Test func trustedRelayAgainstRepeatersFor200KilometresIsInTheReport() throws {
        let folder = try Harness.temporaryFolder("route-200km")
        defer { try? FileManager.default.removeItem(at: folder) }
        var costs: [String: Results.Cost] = [:]
        var keyRates: [String: Double] = [:]
        for kind in ["repeater", "relay"] {
            let file = Harness.packageRoot.appendingPathComponent("scenarios/route-200km-\(kind).yaml")
            let out = folder.appendingPathComponent(kind)
            let result = try Harness.run(["run", file.path, "--out", out.path, "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
            let summary = try Harness.summary(in: out), pairs = try Harness.pairs(in: out)
            let scenario = try Scenario.parse(yaml: String(contentsOf: file, encoding: .utf8), file: file.path)
            // Per request: key bits over its span (all pairs delivered, so start to last pair).
            let rates = scenario.requests.map { spec -> Double in
                let mine = pairs.filter { Int($0["request"]!) == Int(spec.id.rawValue) }
                #expect(mine.count == spec.pairs, "\(kind): request \(spec.id) delivered \(mine.count) of \(spec.pairs)")
                let span = mine.map { Double($0["deliveredSeconds"]!)! }.max()! - spec.start.seconds
                let fidelities = mine.map { Double($0["fidelity"]!)! }
                return Double(mine.count) * CostModel.keyBitsPerPair(fidelity: fidelities.reduce(0, +) / Double(mine.count)) / span
            }
            let cost = try #require(summary.cost)
            let expected = kind == "relay" ? rates.min()! : rates.reduce(0, +)
            #expect(abs(cost.keyBitsPerSecond!.mean / expected - 1) < 1e-6, "\(kind)")
            #expect(abs(cost.perKeyBit! / (cost.capex / (cost.lifetimeSeconds * expected)) - 1) < 1e-6, "\(kind)")
            costs[kind] = cost
            keyRates[kind] = expected
        }
        let repeater = try #require(costs["repeater"]), relay = try #require(costs["relay"])
        // Same hardware, plus three hardened trusted nodes for the relay.
        #expect(repeater.trustedRelay == nil && repeater.capexByPart["trustedNodeHardening"] == 0)
        #expect(relay.trustedRelay?.trustedNodes == ["n1", "n2", "n3"])
        #expect(relay.capexByPart["trustedNodeHardening"] == 750_000.0)
        #expect(relay.capex - repeater.capex == 750_000.0)
        let report = try Harness.run(["report", folder.appendingPathComponent("repeater").path, folder.appendingPathComponent("relay").path])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: folder.appendingPathComponent("repeater/report.html"), encoding: .utf8)
        let points = Report.points(in: html).filter { $0["data-plot"] == "cost.perKeyBit" }
        #expect(points.map { $0["data-x"] } == ["route-200km-repeater", "route-200km-relay"])
        #expect(points.map { Double($0["data-y"]!)! } == [repeater.perKeyBit!, relay.perKeyBit!])
        print("""
            200 km route, cost per key bit: repeaters \(repeater.perKeyBit!) EUR (\(keyRates["repeater"]!) bit/s, CapEx \(repeater.capex)), \
            trusted relay \(relay.perKeyBit!) EUR (\(keyRates["relay"]!) bit/s, CapEx \(relay.capex))
            """)
    }
}
