import Foundation
import QNetCore
import Yams

/// An editable price list (`cost/prices.yaml` ships with the project): parts with a unit price
/// and what each is counted per (DESIGN §4, "Cost").
public struct PriceList: Equatable, Sendable {
    /// What a part is counted per in a scenario.
    public enum Unit: String, Equatable, Sendable, CaseIterable {
        /// Every node.
        case node
        /// Every memory qubit (`memory.qubits` over the nodes).
        case qubit
        /// Every link's heralding station.
        case station
        /// Two per station (the two outputs of its beam splitter).
        case detector
        /// Every node with frequency conversion (`photonics.conversionEfficiency` < 1).
        case converter
        /// Every kilometre of link fibre.
        case km
        /// Every trusted relay; a scenario of repeaters has none.
        case trustedNode = "trusted-node"
    }

    public struct Part: Equatable, Sendable {
        public var name: String
        /// Price of one unit, in ``PriceList/currency``, ≥ 0.
        public var price: Double
        public var per: Unit
    }

    /// The currency of every price (a label: `EUR`, `USD`).
    public var currency: String
    /// The parts in file order.
    public var parts: [Part]
}

/// `cost: { prices: FILE, lifetime: DURATION }`: the price list (read when the scenario is
/// loaded) and the lifetime over which the network's CapEx is spread.
public struct CostSettings: Equatable, Sendable {
    public var prices: PriceList
    /// The price list's path as resolved (relative to the scenario file's folder).
    public var pricesFile: String
    /// Lifetime of the hardware, s (> 0).
    public var lifetimeSeconds: Double
    /// `trustedRelay: [A, R1, …, B]`: the network is priced as a trusted-node relay along this
    /// route instead of a repeater network. nil: no relay; the requests' own pairs make the key.
    public var trustedRelay: TrustedRelay?

    /// Each hop (consecutive names) is served by its own request, each hop's pairs make that
    /// hop's key (BBM92), and the key travels A → B by one-time pad through the trusted nodes
    /// R1 … (the route's inner nodes), so the end-to-end key rate is the slowest hop's.
    public struct TrustedRelay: Equatable, Sendable {
        public var route: [NodeID]
        /// For each hop, route[i] – route[i + 1], the request that serves it.
        public var hopRequests: [RequestID]
        /// The route's inner nodes, priced as `trusted-node`.
        public var trustedNodes: ArraySlice<NodeID> { route.dropFirst().dropLast() }
    }
}

extension Scenario {
    /// How many units of `unit` the scenario's network has.
    public func count(of unit: PriceList.Unit) -> Double {
        switch unit {
        case .node: Double(nodes.count)
        case .qubit: Double(nodes.reduce(0) { $0 + $1.memory.qubits })
        case .station: Double(links.count)
        case .detector: Double(2 * links.count)
        case .converter: Double(nodes.filter { $0.photonics.conversionEfficiency < 1 }.count)
        case .km: links.reduce(0) { $0 + $1.length.kilometres }
        case .trustedNode: Double(cost?.trustedRelay?.trustedNodes.count ?? 0)
        }
    }

    /// CapEx of each part of `prices` (price × count), by part name.
    public func capexByPart(_ prices: PriceList) -> [String: Double] {
        var byPart: [String: Double] = [:]
        for part in prices.parts { byPart[part.name, default: 0] += part.price * count(of: part.per) }
        return byPart
    }
}

/// What a run's network costs: CapEx, and CapEx spread over the lifetime per delivered pair and
/// per secret-key bit at the run's rates.
public enum CostModel {
    /// Binary entropy h(e) = −e log₂ e − (1 − e) log₂(1 − e).
    static func binaryEntropy(_ e: Double) -> Double {
        guard e > 0, e < 1 else { return 0 }
        return -e * log2(e) - (1 - e) * log2(1 - e)
    }

    /// Asymptotic secret-key bits per pair for entanglement-based QKD (BBM92, Bennett, Brassard &
    /// Mermin, PRL 68, 557, 1992) with the Shor–Preskill rate 1 − 2h(e) (PRL 85, 441, 2000), e the
    /// bit error rate of a depolarised pair of fidelity F, e = 2(1 − F)/3; 0 when negative. A block
    /// of pairs is keyed at its mean fidelity (its error rate is estimated over the block, and e is
    /// linear in F), not pair by pair: h is concave, so summing 1 − 2h(eᵢ) would overstate the key.
    public static func keyBitsPerPair(fidelity f: Double) -> Double {
        max(0, 1 - 2 * binaryEntropy(2 * (1 - f) / 3))
    }

    /// Cost per key bit: CapEx / (lifetime × key bits per second); nil without key.
    public static func perKeyBit(capex: Double, lifetimeSeconds: Double, keyBitsPerSecond: Double) -> Double? {
        guard keyBitsPerSecond > 0 else { return nil }
        return capex / (lifetimeSeconds * keyBitsPerSecond)
    }
}

// MARK: - Reading

extension ScenarioDecoder {
    static let costKeys = ["prices", "lifetime", "trustedRelay"]
    static let partKeys = ["price", "per"]

    /// `cost: { prices: FILE, lifetime: DURATION, trustedRelay: [A, …, B] }`; the file is read and
    /// checked now, its errors named by its own path and line.
    func decodeCost(_ node: Node, _ path: DocumentPath, nodes: [NodeSpec], requests: [RequestSpec]) throws(ScenarioError) -> CostSettings {
        let f = try mapping(node, path, Self.costKeys, "a cost mapping such as { prices: cost/prices.yaml, lifetime: 5 y }")
        let (pricesNode, pricesPath) = try f.required("prices", hint: "required: a price list file, e.g. prices: ../cost/prices.yaml")
        let written = try reader.text(pricesNode, pricesPath, expected: "a file path").trimmingSpaces
        let folder = (file as NSString).deletingLastPathComponent
        let resolved = written.hasPrefix("/") || folder.isEmpty ? written : folder + "/" + written
        guard let data = FileManager.default.contents(atPath: resolved), let text = String(data: data, encoding: .utf8) else {
            throw reader.error(
                .fileUnreadable, at: pricesNode, pricesPath, "cannot read the price list '\(resolved)'",
                allowed: "a readable YAML file, relative to the scenario's folder (the project ships cost/prices.yaml)")
        }
        let (lifetimeNode, lifetimePath) = try f.required("lifetime", hint: "required: how long the hardware serves, e.g. lifetime: 5 y")
        let lifetime = try lifetimeSeconds(lifetimeNode, lifetimePath)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScenarioError(yaml: error, file: resolved, text: text)
        } catch {
            throw ScenarioError(file: resolved, line: nil, column: nil, keyPath: "", code: .malformedYAML, message: "malformed YAML: \(error)")
        }
        let prices = try ScenarioDecoder(file: resolved).decodePrices(root)
        var settings = CostSettings(prices: prices, pricesFile: resolved, lifetimeSeconds: lifetime)
        if case let (n, p)? = f["trustedRelay"] {
            settings.trustedRelay = try decodeTrustedRelay(n, p, nodes: nodes, requests: requests)
        }
        return settings
    }

    /// `trustedRelay: [A, R1, …, B]`: at least three distinct nodes, exactly one `type: keep`
    /// request between each two consecutive ones (either way round), and no request off the
    /// route's hops.
    func decodeTrustedRelay(_ node: Node, _ path: DocumentPath, nodes: [NodeSpec], requests: [RequestSpec])
        throws(ScenarioError) -> CostSettings.TrustedRelay
    {
        let items = try reader.list(node, path, expected: "a route of nodes such as [alice, r1, bob]")
        guard items.count >= 3 else {
            throw reader.error(
                .outOfRange, at: node, path, "a trusted relay needs at least one trusted node between its ends; \(items.count) nodes given",
                allowed: "a route of at least 3 nodes, e.g. [alice, r1, bob]")
        }
        var route: [NodeID] = []
        for (i, item) in items.enumerated() {
            let id = try reference(item, path.appending(index: i), nodes: nodes)
            guard !route.contains(id) else {
                throw reader.error(.duplicate, at: item, path.appending(index: i), "node '\(nodes[Int(id.rawValue)].name)' is on the route twice",
                                   allowed: "each node at most once")
            }
            route.append(id)
        }
        var hops: [RequestID] = []
        for i in 1..<route.count {
            let (a, b) = (route[i - 1], route[i])
            let (x, y) = (nodes[Int(a.rawValue)].name, nodes[Int(b.rawValue)].name)
            let serving = requests.filter { ($0.from == a && $0.to == b) || ($0.from == b && $0.to == a) }
            guard let request = serving.first else {
                throw reader.error(
                    .unknownReference, at: items[i], path.appending(index: i), "no request serves the hop \(x)–\(y) of the trusted relay",
                    allowed: "a request { from: \(x), to: \(y) } for every two consecutive nodes of the route")
            }
            // Each hop is keyed from one request's pairs, by their fidelity: a second request on
            // the hop, or measured pairs (no fidelity), would be run but not keyed.
            guard serving.count == 1 else {
                throw reader.error(
                    .duplicate, at: items[i], path.appending(index: i),
                    "requests[\(request.id.rawValue)] and requests[\(serving[1].id.rawValue)] both serve the hop \(x)–\(y) of the trusted relay",
                    allowed: "one request per hop")
            }
            guard request.type == .keep else {
                throw reader.error(
                    .conflict, at: items[i], path.appending(index: i),
                    "requests[\(request.id.rawValue)] serves the hop \(x)–\(y) with type: \(request.type.rawValue); a hop's key comes from the fidelity of its pairs, which only type: keep records",
                    allowed: "type: keep on every hop's request")
            }
            hops.append(request.id)
        }
        // A request on no hop would be run but priced into no key.
        if let stray = requests.first(where: { !hops.contains($0.id) }) {
            throw reader.error(
                .conflict, at: node, path,
                "requests[\(stray.id.rawValue)] (\(nodes[Int(stray.from.rawValue)].name) → \(nodes[Int(stray.to.rawValue)].name)) serves no hop of the trusted relay",
                allowed: "only requests between consecutive nodes of the route, one per hop")
        }
        return CostSettings.TrustedRelay(route: route, hopRequests: hops)
    }

    /// A price list: `currency: EUR` and `parts: { NAME: { price: P, per: UNIT }, ... }`.
    func decodePrices(_ root: Node?) throws(ScenarioError) -> PriceList {
        guard let root, !YAMLReader.isNull(root) else {
            throw reader.error(.missingKey, at: SourceLocation(line: 1, column: 1), .root, "the price list is empty",
                               allowed: "required: currency and parts")
        }
        let top = try mapping(root, .root, ["currency", "parts"], "a price list mapping such as { currency: EUR, parts: { ... } }")
        let (currencyNode, currencyPath) = try top.required("currency", hint: "required: e.g. currency: EUR")
        let currency = try reader.text(currencyNode, currencyPath, expected: "a currency such as EUR").trimmingSpaces
        let (partsNode, partsPath) = try top.required("parts", hint: "required: a mapping of parts, e.g. detector: { price: 40000, per: detector }")
        let parts = try Fields(partsNode, partsPath, allowed: nil, reader: reader, what: "a mapping of parts")
        var list: [PriceList.Part] = []
        for name in parts.writtenKeys {
            guard case let (n, p)? = parts[name] else { continue }
            let f = try mapping(n, p, Self.partKeys, "a part such as { price: 40000, per: detector }")
            let (priceNode, pricePath) = try f.required("price", hint: "required: the unit price, >= 0")
            let (perNode, perPath) = try f.required("per", hint: "required: what the part is counted per")
            list.append(PriceList.Part(
                name: name, price: try reader.double(priceNode, pricePath, range: .atLeast(0)),
                per: try reader.choice(perNode, perPath, as: PriceList.Unit.self)))
        }
        return PriceList(currency: currency, parts: list)
    }

    /// A lifetime such as `5 y`, in seconds: units s, min, h, d and y (365.25 d); > 0.
    func lifetimeSeconds(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> Double {
        let s = try reader.text(node, path, expected: "a duration such as '5 y'").trimmingSpaces
        let units: [(String, Double)] = [("s", 1), ("min", 60), ("h", 3_600), ("d", 86_400), ("y", 365.25 * 86_400)]
        let allowed = "allowed units: s, min, h, d, y"
        guard let split = s.firstIndex(where: { $0.isLetter }) else {
            throw reader.error(.badUnit, at: node, path, "missing unit in '\(s)'", allowed: allowed)
        }
        let unit = String(s[split...])
        guard let number = Double(String(s[..<split]).trimmingSpaces), number.isFinite else {
            throw reader.error(.wrongType, at: node, path, "expected a duration such as '5 y', found '\(s)'", allowed: allowed)
        }
        guard let scale = units.first(where: { $0.0 == unit })?.1 else {
            var message = "unknown unit '\(unit)' in '\(s)'"
            if let hint = Suggestions.didYouMean(unit, in: units.map(\.0)) { message += "; " + hint }
            throw reader.error(.badUnit, at: node, path, message, allowed: allowed)
        }
        guard number > 0 else {
            throw reader.error(.outOfRange, at: node, path, "a lifetime must be longer than zero", allowed: "allowed: lifetime > 0")
        }
        return number * scale
    }
}
