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
        let cost = try #require(Results.Cost(scenario: s, fidelities: [1, 1, 0.9, 0.9], virtualSeconds: 2))
        #expect(cost.capex == capex)
        #expect(abs(cost.perDeliveredPair! - capex / (settings.lifetimeSeconds * 2)) < 1e-9 * cost.perDeliveredPair!)
        // Key bits: 1 per perfect pair; 1 − 2h(0.2/3) ≈ 0.291 per pair at F = 0.9.
        let e = 0.2 / 3, h = -e * log2(e) - (1 - e) * log2(1 - e)
        let bits = 2 + 2 * (1 - 2 * h)
        #expect(abs(cost.perKeyBit! - capex / (settings.lifetimeSeconds * bits / 2)) < 1e-9 * cost.perKeyBit!)
        #expect(Results.Cost(scenario: s, fidelities: [0.7], virtualSeconds: 1)?.perKeyBit == nil)
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
