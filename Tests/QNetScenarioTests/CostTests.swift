import Foundation
import QNetCore
import Testing

@testable import QNetScenario

/// The cost model (issue 13, point 6): CapEx from an editable price list, per part.
@Suite("Scenario: cost")
struct CostTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func chain(prices: String, lifetime: String = "5 y") -> String {
        """
        name: cost-chain
        defaults:
          memory: { qubits: 3 }
        topology: { kind: chain, nodes: 4, spacing: 20 km }
        nodes:
          - { name: n1, photonics: { conversionEfficiency: 0.3 } }
        requests:
          - { from: n0, to: n3, pairs: 10 }
        cost: { prices: \(prices), lifetime: \(lifetime) }
        """
    }

    static let testPrices = """
        currency: EUR
        parts:
          detector: { price: 1000, per: detector }
          source:   { price: 200, per: node }
          memory:   { price: 30, per: qubit }
          converter: { price: 4000, per: converter }
          station:  { price: 500, per: station }
          fibre:    { price: 7, per: km }
          relay:    { price: 100000, per: trusted-node }
        """

    static func withPriceFile<T>(_ text: String, _ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qnet-cost-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("prices.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try body(folder)
    }

    /// A 4-node chain (3 links of 20 km, 3 qubits a node, one node with a converter), summed by
    /// hand: 6 detectors × 1000 + 4 sources × 200 + 12 qubits × 30 + 1 converter × 4000 +
    /// 3 stations × 500 + 60 km × 7 + no trusted relay.
    @Test func capexOfAFourNodeChainIsThePriceListSummedByHand() throws {
        try Self.withPriceFile(Self.testPrices) { folder in
            let s = try Scenario.parse(yaml: Self.chain(prices: "prices.yaml"), file: folder.appendingPathComponent("chain.yaml").path)
            let settings = try #require(s.cost)
            let byPart = s.capexByPart(settings.prices)
            let byHand: [String: Double] = [
                "detector": 6_000, "source": 800, "memory": 360, "converter": 4_000, "station": 1_500, "fibre": 420, "relay": 0,
            ]
            #expect(byPart == byHand)
            let total: Double = 6_000 + 800 + 360 + 4_000 + 1_500 + 420
            #expect(byPart.values.reduce(0, +) == total)
            #expect(settings.lifetimeSeconds == 5 * 365.25 * 86_400)
            #expect(settings.prices.currency == "EUR")
        }
    }

    /// The shipped list reads, and a pair and a key bit cost CapEx / (lifetime × rate).
    @Test func shippedPriceListAndPerPairCosts() throws {
        let file = Self.packageRoot.appendingPathComponent("scenarios/cost-chain.yaml").path
        let s = try Scenario.parse(yaml: Self.chain(prices: "../cost/prices.yaml"), file: file)
        let settings = try #require(s.cost)
        #expect(settings.prices.parts.map(\.name) == [
            "detector", "source", "memory", "cryostat", "frequencyConverter", "timeDistribution", "stationOptics", "fibre",
            "trustedNodeHardening",
        ])
        let capex = s.capexByPart(settings.prices).values.reduce(0, +)
        let byHand = settings.prices.parts.reduce(0.0) { total, part in
            let count: Double = switch part.per {
            case .detector: 6
            case .node: 4
            case .qubit: 12
            case .converter: 1
            case .station: 3
            case .km: 60
            case .trustedNode: 0
            }
            return total + part.price * count
        }
        #expect(capex == byHand)
        let cost = try #require(Results.Cost(scenario: s, delivered: [Self.delivered([1, 1, 0.9, 0.9], over: 2)]))
        #expect(cost.capex == capex)
        #expect(abs(cost.perDeliveredPair! - capex / (settings.lifetimeSeconds * 2)) < 1e-9 * cost.perDeliveredPair!)
        // Key bits: the four pairs as one block at F̄ = 0.95, 1 − 2h(0.1/3) ≈ 0.58 bits each.
        let e = 0.1 / 3, h = -e * log2(e) - (1 - e) * log2(1 - e)
        let bits = 4 * (1 - 2 * h)
        #expect(abs(cost.perKeyBit! - capex / (settings.lifetimeSeconds * bits / 2)) < 1e-9 * cost.perKeyBit!)
        #expect(Results.Cost(scenario: s, delivered: [Self.delivered([0.7], over: 1)])?.perKeyBit == nil)
    }

    /// `fidelities` delivered evenly over `span` seconds.
    static func delivered(_ fidelities: [Double], over span: Double) -> Results.Cost.Delivered {
        .init(fidelities: fidelities, intervals: fidelities.map { _ in span / Double(fidelities.count) }, spanSeconds: span)
    }

    static func relay(_ route: String, requests: String = """
          - { from: n0, to: n1, pairs: 10 }
          - { from: n2, to: n1, pairs: 10 }
          - { from: n2, to: n3, pairs: 10 }
        """) -> String {
        """
        name: cost-relay
        defaults:
          memory: { qubits: 3 }
        topology: { kind: chain, nodes: 4, spacing: 20 km }
        requests:
        \(requests)
        cost: { prices: prices.yaml, lifetime: 5 y, trustedRelay: \(route) }
        """
    }

    /// The same 4-node chain priced as a trusted relay n0 → n3: two trusted nodes (n1, n2) at the
    /// relay price, each hop's key from its own request (the hop n1–n2 served by the request
    /// written n2 → n1), and the end-to-end key rate and cost per bit the slowest hop's.
    @Test func aTrustedRelayIsPricedPerTrustedNodeAndKeyedAtItsSlowestHop() throws {
        try Self.withPriceFile(Self.testPrices) { folder in
            let s = try Scenario.parse(yaml: Self.relay("[n0, n1, n2, n3]"), file: folder.appendingPathComponent("relay.yaml").path)
            let settings = try #require(s.cost)
            let byPart = s.capexByPart(settings.prices)
            #expect(byPart["relay"] == 200_000)
            let capex: Double = 6_000 + 800 + 360 + 1_500 + 420 + 200_000
            #expect(byPart.values.reduce(0, +) == capex)
            // Hop key rates, each over its own span: 2 perfect pairs in 2 s = 1 bit/s; 4 at F = 0.9
            // in 2 s; 1 perfect pair in 2 s = 0.5 bit/s.
            let e = 0.2 / 3, h = -e * log2(e) - (1 - e) * log2(1 - e)
            let cost = try #require(Results.Cost(scenario: s, delivered: [
                Self.delivered([1, 1], over: 2), Self.delivered([0.9, 0.9, 0.9, 0.9], over: 2), Self.delivered([1], over: 2),
            ]))
            let relay = try #require(cost.trustedRelay)
            #expect(relay.route == ["n0", "n1", "n2", "n3"] && relay.trustedNodes == ["n1", "n2"])
            #expect(relay.hops.map(\.request) == [0, 1, 2])
            #expect(relay.hops.map(\.from) == ["n0", "n1", "n2"] && relay.hops.map(\.to) == ["n1", "n2", "n3"])
            #expect(abs(relay.hops[1].keyBitsPerSecond!.mean - 2 * (1 - 2 * h)) < 1e-12)
            #expect(relay.slowestHop == 2)
            #expect(cost.keyBitsPerSecond?.mean == 0.5)
            #expect(abs(cost.perKeyBit! - capex / (settings.lifetimeSeconds * 0.5)) < 1e-9 * cost.perKeyBit!)
            // A relay delivers key, not end-to-end pairs.
            #expect(cost.perDeliveredPair == nil)
            // Without the relay the same pairs are summed, and no trusted node is priced.
            let repeater = try Scenario.parse(yaml: Self.chain(prices: "prices.yaml"), file: folder.appendingPathComponent("chain.yaml").path)
            let summed = try #require(Results.Cost(scenario: repeater, delivered: [Self.delivered([1, 1, 0.9, 0.9, 0.9, 0.9, 1], over: 4)]))
            #expect(summed.trustedRelay == nil)
            let mean = (3 + 4 * 0.9) / 7, eMean = 2 * (1 - mean) / 3
            let hMean = -eMean * log2(eMean) - (1 - eMean) * log2(1 - eMean)
            #expect(abs(summed.keyBitsPerSecond!.mean - 7 * (1 - 2 * hMean) / 4) < 1e-12)
            #expect(summed.capex == 13_080)
            #expect(abs(summed.perDeliveredPair! - 13_080 / (settings.lifetimeSeconds * 7 / 4)) < 1e-9 * summed.perDeliveredPair!)
        }
    }

    /// A request's key: its pairs with a fidelity keyed as one block at their mean fidelity,
    /// n_F · (1 − 2h(2(1 − F̄)/3)) over its span; the interval the pair rate's bounds (from the
    /// waiting times) times the key fraction at F̄'s bounds, recomputed here from the array
    /// statistics. A pair without a fidelity (a measured pair) carries no key; fewer than two
    /// pairs leave the rate unbounded; no span or no fidelity, no rate.
    @Test func aRequestIsKeyedAsABlockAtItsMeanFidelity() throws {
        let fidelities = [0.95, 0.9, .nan, 0.97, 0.92, 0.99], waits = [0.2, 0.1, 0.3, 0.25, 0.15, 0.2]
        let delivered = Results.Cost.Delivered(fidelities: fidelities, intervals: waits, spanSeconds: 2)
        let rate = try #require(delivered.keyBitsPerSecond)
        let finite = fidelities.filter(\.isFinite)
        let f = try #require(Statistics.mean(finite)), r = try #require(Statistics.rate(fromIntervals: waits))
        func k(_ x: Double) -> Double {
            let e = 2 * (1 - x) / 3
            return max(0, 1 - 2 * (-e * log2(e) - (1 - e) * log2(1 - e)))
        }
        let pairRate = 5.0 / 2
        #expect(abs(rate.mean - pairRate * k(f.mean)) < 1e-12)
        #expect(abs(rate.ci95[0] - pairRate * r.ci95[0] / r.mean * k(f.ci95[0])) < 1e-12)
        #expect(abs(rate.ci95[1] - pairRate * r.ci95[1] / r.mean * k(min(f.ci95[1], 1))) < 1e-12)
        // Keyed as a block, not pair by pair: the per-pair sum overstates it (h is concave).
        #expect(rate.mean < finite.map(k).reduce(0, +) / 2)
        let one = try #require(Results.Cost.Delivered(fidelities: [0.99], intervals: [0.1], spanSeconds: 1).keyBitsPerSecond)
        #expect(one.ci95 == [0, .greatestFiniteMagnitude])
        #expect(Results.Cost.Delivered(fidelities: [.nan, .nan], intervals: [0.1, 0.1], spanSeconds: 1).keyBitsPerSecond == nil)
        #expect(Results.Cost.Delivered(fidelities: [0.99, 0.99], intervals: [0, 0], spanSeconds: 0).keyBitsPerSecond == nil)
    }

    /// Two requests, one with a single pair: the summed key rate's upper end stays 1.8e308
    /// (unbounded) instead of overflowing to infinity, and the summary encodes.
    @Test func anUnboundedRequestKeepsTheSumUnboundedAndEncodable() throws {
        try Self.withPriceFile(Self.testPrices) { folder in
            let s = try Scenario.parse(yaml: Self.chain(prices: "prices.yaml"), file: folder.appendingPathComponent("chain.yaml").path)
            let cost = try #require(Results.Cost(scenario: s, delivered: [
                Self.delivered([0.99, 0.98, 0.99], over: 3), Self.delivered([0.99], over: 1),
            ]))
            let rate = try #require(cost.keyBitsPerSecond)
            #expect(rate.ci95[1] == .greatestFiniteMagnitude)
            #expect(rate.ci95[0] >= 0 && rate.ci95[0] <= rate.mean)
            #expect(throws: Never.self) { try JSONEncoder().encode(cost) }
        }
    }

    @Test(arguments: [
        ("[n0, n3]", "", "cost.trustedRelay", "at least one trusted node"),
        ("[n0, n1, nx, n3]", "", "cost.trustedRelay[2]", "unknown node 'nx'"),
        ("[n0, n1, n0, n3]", "", "cost.trustedRelay[2]", "is on the route twice"),
        ("[n0, n1, n2, n3]", "  - { from: n0, to: n1, pairs: 10 }\n  - { from: n2, to: n3, pairs: 10 }", "cost.trustedRelay[2]",
         "no request serves the hop n1–n2"),
        ("n1", "", "cost.trustedRelay", "expected a route of nodes"),
        ("[n0, n1, n2, n3]", "  - { from: n0, to: n1, pairs: 10 }\n  - { from: n1, to: n2, pairs: 10 }\n  - { from: n2, to: n1, pairs: 5 }\n  - { from: n2, to: n3, pairs: 10 }",
         "cost.trustedRelay[2]", "requests[1] and requests[2] both serve the hop n1–n2"),
        ("[n0, n1, n2, n3]", "  - { from: n0, to: n1, pairs: 10 }\n  - { from: n1, to: n2, pairs: 10, type: measure }\n  - { from: n2, to: n3, pairs: 10 }",
         "cost.trustedRelay[2]", "requests[1] serves the hop n1–n2 with type: measure"),
        ("[n0, n1, n2]", "", "cost.trustedRelay", "requests[2] (n2 → n3) serves no hop of the trusted relay"),
    ])
    func badTrustedRelaysAreOneLine(route: String, requests: String, keyPath: String, contains: String) throws {
        try Self.withPriceFile(Self.testPrices) { folder in
            let yaml = requests.isEmpty ? Self.relay(route) : Self.relay(route, requests: requests)
            guard let error = parseError(yaml, file: folder.appendingPathComponent("relay.yaml").path) else { return }
            #expect(error.keyPath == keyPath, "\(error.description)")
            #expect(error.description.contains(contains), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(arguments: [
        ("prices: nowhere.yaml, lifetime: 5 y", "cost.prices", "cannot read the price list"),
        ("prices: prices.yaml", "cost.lifetime", "missing required key 'lifetime'"),
        ("prices: prices.yaml, lifetime: 5 years", "cost.lifetime", "unknown unit 'years'"),
        ("prices: prices.yaml, lifetime: 0 y", "cost.lifetime", "allowed: lifetime > 0"),
        ("prices: prices.yaml, lifetime: 5 y, discount: 0.1", "cost.discount", "allowed keys: prices, lifetime"),
    ])
    func badCostSettingsAreOneLine(settings: String, keyPath: String, contains: String) throws {
        try Self.withPriceFile(Self.testPrices) { folder in
            let yaml = Self.chain(prices: "x").replacingOccurrences(of: "{ prices: x, lifetime: 5 y }", with: "{ \(settings) }")
            guard let error = parseError(yaml, file: folder.appendingPathComponent("chain.yaml").path) else { return }
            #expect(error.keyPath == keyPath, "\(error.description)")
            #expect(error.line == 9)
            #expect(error.description.contains(contains), "\(error.description)")
        }
    }

    @Test func aBadPriceListNamesItsOwnFileAndLine() throws {
        let broken = Self.testPrices.replacingOccurrences(of: "per: qubit", with: "per: qbit")
        try Self.withPriceFile(broken) { folder in
            guard let error = parseError(Self.chain(prices: "prices.yaml"), file: folder.appendingPathComponent("chain.yaml").path) else { return }
            #expect(error.file.hasSuffix("prices.yaml"))
            #expect(error.line == 5)
            #expect(error.keyPath == "parts.memory.per")
            #expect(error.description.contains("unknown value 'qbit'; did you mean 'qubit'?"), "\(error.description)")
        }
    }
}
