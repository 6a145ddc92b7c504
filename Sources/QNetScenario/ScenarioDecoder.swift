import QNetCore
import QNetNetwork
import QNetPhysics
import Yams

/// Builds a ``Scenario`` from a composed YAML tree, stopping at the first problem.
struct ScenarioDecoder {
    let reader: YAMLReader
    let file: String

    init(file: String) {
        self.file = file
        self.reader = YAMLReader(file: file)
    }

    // MARK: Keys

    static let topKeys = [
        "name", "seed", "duration", "clock", "defaults", "nodes", "links", "topology", "routes", "requests", "policies",
        "cost",
    ]
    static let clockKeys = ["mode", "dilation"]
    static let defaultsKeys = ["memory", "photonics", "detectors", "link", "preset", "bellMeasurement"]
    static let memoryKeys = ["qubits", "communicationQubits", "t1", "t2", "gateFidelity", "readoutError"]
    static let photonicsKeys = ["emissionEfficiency", "visibility", "attemptPeriod", "multiplexing", "conversionEfficiency"]
    static let detectorKeys = ["efficiency", "darkCountRate", "window", "jitter", "clockOffset"]
    static let linkDefaultKeys = [
        "attenuation", "stationAt", "scheme", "brightStatePopulation", "length", "multiplexing", "coexistence",
    ]
    static let nodeKeys = ["name", "memory", "photonics", "preset", "bellMeasurement"]
    static let bellMeasurementKeys = ["successProbability"]
    static let cutoffKeys = ["budget"]
    /// The most outage windows one request's `sloWindow` may cut the run into.
    static let mostSLOWindows: UInt64 = 1_000_000
    static let linkKeys = [
        "nodes", "length", "attenuation", "stationAt", "scheme", "brightStatePopulation", "detectors", "multiplexing",
        "coexistence", "preset", "medium", "freeSpace", "satellite",
    ]
    static let routeKeys = ["from", "to", "path"]
    static let requestKeys = ["from", "to", "pairs", "type", "start", "weight", "priority", "deadline", "bases",
                              "targetRate", "targetFidelity", "sloWindow"]
    static let policyKeys = ["swap", "request", "generation", "cutoff", "routing", "paths", "placement", "controllerAt", "generationPlacement", "routingPlacement"]

    /// The keys of each topology kind, in the order the docs list them.
    static let topologyKeysByKind: [(kind: Topology.Kind, keys: [String])] = [
        (.chain, ["kind", "nodes", "spacing"]),
        (.ring, ["kind", "nodes", "spacing"]),
        (.star, ["kind", "leaves", "spacing"]),
        (.grid, ["kind", "rows", "columns", "spacing"]),
        (.random, ["kind", "nodes", "seed", "alpha", "beta", "area"]),
    ]
    static func topologyKeys(_ kind: Topology.Kind) -> [String] {
        topologyKeysByKind.first { $0.kind == kind }!.keys
    }

    /// Where a detector key belongs, said at node level (a node has no detectors).
    static let detectorsAtNode = "detectors belong to a link's station: set defaults.detectors or links[i].detectors"

    /// Hints for keys written outside their block, per place: `t2` directly in a node belongs in
    /// `memory`; `efficiency` in a link belongs in its `detectors`.
    static func homes(_ blocks: [(keys: [String], hint: String)]) -> [String: String] {
        var homes: [String: String] = [:]
        for block in blocks { for key in block.keys { homes[key] = block.hint } }
        return homes
    }
    static let defaultsHomes = homes([
        (memoryKeys, "it belongs in 'memory'"), (photonicsKeys, "it belongs in 'photonics'"),
        (detectorKeys, "it belongs in 'detectors'"), (linkDefaultKeys, "it belongs in 'link'"),
    ])
    static let nodeHomes = homes([
        (memoryKeys, "it belongs in 'memory'"), (photonicsKeys, "it belongs in 'photonics'"), (detectorKeys, detectorsAtNode),
    ])
    static let linkHomes = homes([(detectorKeys, "it belongs in the link's 'detectors'")])
    static let linkDefaultHomes = homes([(["detectors"], "the detectors of every link are defaults.detectors")])

    /// Keys that were accepted and ignored before; now rejected with one clear line each.
    static let memoryRejected = [
        "initFidelity": Rejection(
            code: .notModelled,
            message: "initialisation fidelity is not modelled (qubits are initialised perfectly); remove the key"
        ),
    ]
    static let detectorRejected = [
        "deadTime": Rejection(
            code: .notModelled,
            message: "detector dead time is not modelled (a detector is ready again at once); remove the key"
        ),
    ]
    static let nodeRejected = [
        "detectors": Rejection(code: .unknownKey, message: "a node has no detectors; " + detectorsAtNode),
    ]
    static let requestRejected = [
        "minFidelity": Rejection(
            code: .notModelled,
            message: "minFidelity comes with service requests and is not modelled yet; remove the key"
        ),
        "maxWait": Rejection(
            code: .notModelled, message: "maxWait comes with service requests and is not modelled yet; remove the key"
        ),
    ]

    /// Words meaning "no decoherence" for `t1` / `t2`.
    static let infiniteWords = ["inf", "infinite", "none", ".inf"]

    /// Opens a mapping with the keys it may have.
    func mapping(
        _ node: Node, _ path: DocumentPath, _ allowed: [String], _ what: String,
        homes: [String: String] = [:], rejected: [String: Rejection] = [:]
    ) throws(ScenarioError) -> Fields {
        try Fields(node, path, allowed: allowed, reader: reader, what: what, elsewhere: homes, rejected: rejected)
    }

    /// Wraps a value read from `node` with its place in the file.
    func located<Value>(_ value: Value, _ node: Node, _ path: DocumentPath) -> Located<Value> {
        Located(value: value, location: YAMLReader.location(of: node), path: path)
    }

    /// Example request for hints.
    static let requestExample = "required: at least one request, e.g. { from: alice, to: bob, pairs: 100 }"

    // MARK: Document

    func decode(_ root: Node?) throws(ScenarioError) -> Scenario {
        guard let root, !YAMLReader.isNull(root) else {
            throw reader.error(
                .missingKey, at: SourceLocation(line: 1, column: 1), .root, "the scenario is empty",
                allowed: "required: requests, and links with nodes or topology"
            )
        }
        let top = try Fields(root, .root, allowed: Self.topKeys, reader: reader, what: "a scenario mapping")

        let name = try top["name"].map { entry throws(ScenarioError) in
            let text = try reader.text(entry.node, entry.path, expected: "a name").trimmingSpaces
            if text.isEmpty { throw reader.error(.outOfRange, at: entry.node, entry.path, "the name is empty") }
            // It names the default results folder (results/<name>-<time>) and appears in reports.
            let allowed = "allowed: 1 to \(Scenario.longestName) letters, digits, '-', '_' and '.', not starting with '.'"
            guard Self.isPlainName(text), !text.hasPrefix(".") else {
                throw reader.error(.outOfRange, at: entry.node, entry.path, "invalid scenario name '\(text.printable)'", allowed: allowed)
            }
            guard text.count <= Scenario.longestName else {
                throw reader.error(.outOfRange, at: entry.node, entry.path, "the name is \(text.count) characters long", allowed: allowed)
            }
            return text
        } ?? Self.baseName(of: file)
        let seed = try top["seed"].map { e throws(ScenarioError) in try reader.uint64(e.node, e.path) } ?? 1
        let duration = try top["duration"].map { e throws(ScenarioError) in
            try reader.duration(e.node, e.path, positive: true)
        } ?? .seconds(10)
        let clock = try top["clock"].map { e throws(ScenarioError) in try decodeClock(e.node, e.path) } ?? ClockSettings()

        // Defaults: built-in values overridden field by field by the file's `defaults`.
        var defaultOverrides = HardwareOverrides()
        var linkDefaults = LinkOverrides()
        if case let (node, path)? = top["defaults"] {
            let fields = try mapping(node, path, Self.defaultsKeys, "a mapping of default blocks", homes: Self.defaultsHomes)
            let preset = try decodePreset(fields)
            defaultOverrides = try decodeHardware(fields)
            if case let (n, p)? = fields["detectors"] { defaultOverrides.detectors = try decodeDetectors(n, p) }
            if case let (n, p)? = fields["link"] {
                linkDefaults = try decodeLink(n, p, allowed: Self.linkDefaultKeys, homes: Self.linkDefaultHomes)
            }
            if let preset {
                defaultOverrides = defaultOverrides.overriding(preset.hardware)
                linkDefaults = linkDefaults.overriding(preset.link)
                defaultOverrides.detectors = defaultOverrides.detectors.overriding(preset.detectors)
            }
        }
        let defaults = ScenarioDefaults(
            memory: try resolveMemory(defaultOverrides.memory),
            photonics: resolvePhotonics(defaultOverrides.photonics),
            detectors: resolveDetectors(defaultOverrides.detectors),
            link: resolveLink(linkDefaults)
        )

        var policies = try top["policies"].map { e throws(ScenarioError) in try decodePolicies(e.node, e.path) } ?? Policies()

        // Nodes and links: an explicit list, or a generator.
        if top.contains("links"), top.contains("topology") {
            throw reader.error(
                .conflict, at: top.keyLocation("topology"), DocumentPath.root.appending("topology"),
                "'topology' and 'links' cannot be used together (links at line \(top.keyLocation("links")?.line ?? 0))",
                allowed: "give either links (with nodes) or topology"
            )
        }
        let declared = try top["nodes"].map { e throws(ScenarioError) in try decodeNodes(e.node, e.path) } ?? []

        var nodes: [NodeSpec] = []
        var qubitsPlaces: [SourcePlace?] = []
        // Swap-only settings, by node (nil: defaults), checked after routing (ClusterPlan).
        var swapOnlyPlaces = defaultOverrides.swapOnly.map { SwapOnlySetting(node: nil, place: $0) }
        var links: [LinkSpec] = []
        var topology: Topology?
        if case let (node, path)? = top["topology"] {
            let (generator, graph) = try decodeTopology(node, path, defaults: defaults.link)
            topology = generator
            var declaredByName: [String: DeclaredNode] = [:]
            for entry in declared { declaredByName[entry.name.value] = entry }
            let generated = Set(graph.nodes.map(\.name))
            for entry in declared where !generated.contains(entry.name.value) {
                throw reader.error(
                    .unknownReference, at: entry.name.location, entry.name.path,
                    "node '\(entry.name.value)' is not part of the \(generator.kind.rawValue) topology",
                    allowed: "allowed names: " + Self.generatedNames(generator)
                )
            }
            for node in graph.nodes {
                let overrides = declaredByName[node.name]?.hardware ?? HardwareOverrides()
                nodes.append(try resolveNode(node.id, node.name, overrides, defaultOverrides))
                qubitsPlaces.append(Self.qubitsPlace(overrides, defaultOverrides))
                swapOnlyPlaces += overrides.swapOnly.map { SwapOnlySetting(node: node.id, place: $0) }
            }
            for link in graph.links {
                try checkModes(linkDefaults.multiplexing, a: nodes[Int(link.a.rawValue)], b: nodes[Int(link.b.rawValue)])
                let length = Self.length(metres: link.lengthMetres)
                var parameters = defaults.link
                parameters.length = length
                links.append(LinkSpec(
                    id: link.id, a: link.a, b: link.b, length: length, parameters: parameters, detectors: defaults.detectors
                ))
            }
        } else {
            guard top["nodes"] != nil else {
                throw reader.error(
                    .missingKey, at: top.location, DocumentPath.root.appending("nodes"), "missing required key 'nodes'",
                    allowed: "required: nodes and links, or topology"
                )
            }
            for (i, entry) in declared.enumerated() {
                nodes.append(try resolveNode(NodeID(UInt32(i)), entry.name.value, entry.hardware, defaultOverrides))
                qubitsPlaces.append(Self.qubitsPlace(entry.hardware, defaultOverrides))
                swapOnlyPlaces += entry.hardware.swapOnly.map { SwapOnlySetting(node: NodeID(UInt32(i)), place: $0) }
            }
            let (linksNode, linksPath) = try top.required("links", hint: "required: links (with nodes), or topology")
            links = try decodeLinks(
                linksNode, linksPath, nodes: nodes, defaults: linkDefaults, detectorDefaults: defaultOverrides.detectors
            )
        }

        // Accepted means modelled: a default α that no link reads (every link double-click).
        if let error = linkDefaults.unusedBrightStatePopulation, links.allSatisfy({ $0.scheme == .doubleClick }) { throw error }

        if case let (policiesNode, policiesPath)? = top["policies"] {
            policies.controllerAt = try controllerSite(policiesNode, policiesPath, placement: policies.placement, nodes: nodes)
        }

        var graph = NetworkGraph()
        for node in nodes { graph.addNode(named: node.name) }
        for link in links { graph.addLink(link.a, link.b, lengthMetres: link.length.metres) }
        let routes = try top["routes"].map { e throws(ScenarioError) in
            try decodeRoutes(e.node, e.path, nodes: nodes, graph: graph)
        } ?? []

        let (requestsNode, requestsPath) = try top.required("requests", hint: Self.requestExample)
        let requests = try decodeRequests(
            requestsNode, requestsPath, nodes: nodes, graph: graph, routes: routes, topology: topology,
            duration: duration, policies: policies
        )

        var scenario = Scenario(
            name: name, seed: seed, duration: duration, clock: clock, defaults: defaults, nodes: nodes,
            links: links, topology: topology, requests: requests, policies: policies, file: file,
            routes: routes.map(\.spec)
        )
        // Places for the checks that run after routing (ClusterPlan): each request's mapping.
        scenario.requestPlaces = try reader.list(requestsNode, requestsPath, expected: "a list of requests").enumerated().map {
            SourcePlace(YAMLReader.location(of: $0.element), requestsPath.appending(index: $0.offset))
        }
        scenario.qubitsPlaces = qubitsPlaces
        scenario.swapOnlyPlaces = swapOnlyPlaces
        scenario.cost = try top["cost"].map { e throws(ScenarioError) in try decodeCost(e.node, e.path, nodes: nodes, requests: requests) }
        return scenario
    }

    /// `scenarios/demo.yaml` → `demo`; characters outside a plain name (letters, digits, '-',
    /// '_', '.') become '-', leading dots are dropped, and at most ``Scenario/longestName``
    /// characters are kept, so the default name is one a `name:` key could give.
    static func baseName(of file: String) -> String {
        var last = file.split(separator: "/").last.map(String.init) ?? file
        if let dot = last.lastIndex(of: "."), dot != last.startIndex { last = String(last[..<dot]) }
        let plain = String(last.map { Self.isPlainName(String($0)) ? $0 : "-" }.drop { $0 == "." }.prefix(Scenario.longestName))
        return plain.isEmpty ? "scenario" : plain
    }

    /// Letters, digits, '-', '_' and '.' (ASCII), at least one: node and scenario names.
    static func isPlainName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { c in c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") }
    }

    // MARK: Clock and policies

    func decodeClock(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> ClockSettings {
        let fields = try mapping(node, path, Self.clockKeys, "a mapping such as { mode: lockstep }")
        var clock = ClockSettings()
        if case let (n, p)? = fields["mode"] { clock.mode = try reader.choice(n, p, as: ClockMode.self) }
        if case let (n, p)? = fields["dilation"] {
            guard clock.mode == .realtime else {
                throw reader.error(
                    .conflict, at: n, p, "dilation applies only to mode: realtime",
                    allowed: "remove dilation, or set mode: realtime"
                )
            }
            clock.dilation = try reader.double(n, p, range: .above(0))
        }
        return clock
    }

    func decodePolicies(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> Policies {
        let fields = try mapping(node, path, Self.policyKeys, "a mapping of policies")
        var policies = Policies()
        if case let (n, p)? = fields["swap"] { policies.swap = try reader.choice(n, p, as: SwapPolicy.self) }
        if case let (n, p)? = fields["request"] { policies.request = try reader.choice(n, p, as: RequestPolicy.self) }
        if case let (n, p)? = fields["generation"] { policies.generation = try reader.choice(n, p, as: GenerationPolicy.self) }
        if case let (n, p)? = fields["cutoff"] {
            if case .mapping = n {
                let f = try mapping(n, p, Self.cutoffKeys, "a cutoff such as '5 ms', none, or { budget: 10 ms }")
                let (bn, bp) = try f.required("budget", hint: "required: budget, e.g. { budget: 10 ms }")
                policies.cutoffBudget = try reader.duration(bn, bp, positive: true)
            } else {
                policies.cutoff = try reader.optionalDuration(n, p, noneWords: ["none"], positive: true)
            }
        }
        if case let (n, p)? = fields["routing"] { policies.routing = try reader.choice(n, p, as: RoutingPolicy.self) }
        if case let (n, p)? = fields["paths"] {
            guard policies.routing == .kShortest else {
                throw reader.error(
                    .conflict, at: n, p, "paths is read only by policies.routing: k-shortest (this scenario routes by \(policies.routing.rawValue))",
                    allowed: "remove paths, or set policies.routing: k-shortest"
                )
            }
            policies.paths = try reader.int(n, p, in: 1...Router.maximumPathCount)
        }
        if case let (n, p)? = fields["placement"] { policies.placement = try reader.choice(n, p, as: Placement.self) }
        // Only a controller that exists can take link generation or install paths.
        for (key, what) in [("generationPlacement", "decide link generation"), ("routingPlacement", "install paths")] {
            guard case let (n, p)? = fields[key] else { continue }
            let placement = try reader.choice(n, p, as: Placement.self)
            if placement == .controller, policies.placement != .controller {
                throw reader.error(.conflict, at: n, p, "\(key): controller needs placement: controller (there is no controller to \(what))",
                                   allowed: "set placement: controller with controllerAt: NODE, or \(key): nodes")
            }
            if key == "generationPlacement" { policies.generationPlacement = placement } else { policies.routingPlacement = placement }
        }
        return policies
    }

    /// `policies.controllerAt`: the node whose site the controller shares (its classical delay to
    /// every node is that node's), required with `placement: controller` and refused without it.
    func controllerSite(_ node: Node, _ path: DocumentPath, placement: Placement, nodes: [NodeSpec]) throws(ScenarioError) -> NodeID? {
        let fields = try mapping(node, path, Self.policyKeys, "a mapping of policies")
        switch (placement, fields["controllerAt"]) {
        case let (.controller, (n, p)?):
            return try reference(n, p, nodes: nodes)
        case (.controller, nil):
            throw reader.error(.missingKey, at: node, path.appending("controllerAt"),
                               "missing key 'controllerAt': placement: controller needs the node the controller runs beside",
                               allowed: "a node name, e.g. controllerAt: \(nodes.first?.name ?? "n0")")
        case let (.nodes, (n, p)?):
            throw reader.error(.conflict, at: n, p, "controllerAt applies only to placement: controller",
                               allowed: "remove controllerAt, or set placement: controller")
        case (.nodes, nil):
            return nil
        }
    }

    // MARK: Hardware blocks

    /// The `memory` and `photonics` blocks of `defaults` or of one node (detectors are read
    /// only in `defaults` and in links).
    func decodeHardware(_ fields: Fields) throws(ScenarioError) -> HardwareOverrides {
        var result = HardwareOverrides()
        if case let (n, p)? = fields["memory"] { result.memory = try decodeMemory(n, p, swapOnly: &result.swapOnly) }
        if case let (n, p)? = fields["photonics"] { result.photonics = try decodePhotonics(n, p) }
        if case let (n, p)? = fields["bellMeasurement"] {
            let f = try mapping(n, p, Self.bellMeasurementKeys, "a mapping such as { successProbability: 0.5 }")
            if case let (vn, vp)? = f["successProbability"] {
                let probability = try reader.double(vn, vp, range: .openClosed(0, 1))
                result.bellSuccessProbability = probability
                if probability < 1 { result.swapOnly.append(SourcePlace(YAMLReader.location(of: vn), vp)) }
            }
        }
        return result
    }

    /// `swapOnly` gains the place of a `gateFidelity` below 1 (read only by swaps).
    func decodeMemory(_ node: Node, _ path: DocumentPath, swapOnly: inout [SourcePlace]) throws(ScenarioError) -> MemoryOverrides {
        let f = try mapping(
            node, path, Self.memoryKeys, "a memory mapping such as { qubits: 2, t2: 1 s }", rejected: Self.memoryRejected
        )
        var m = MemoryOverrides()
        if case let (n, p)? = f["qubits"] { m.qubits = located(try reader.int(n, p, atLeast: 1), n, p) }
        if case let (n, p)? = f["communicationQubits"] {
            m.communicationQubits = located(try reader.int(n, p, atLeast: 1), n, p)
        }
        if case let (n, p)? = f["t1"] {
            m.t1 = located(try decoherenceTime(n, p), n, p)
        }
        if case let (n, p)? = f["t2"] {
            m.t2 = located(try decoherenceTime(n, p), n, p)
        }
        if case let (n, p)? = f["gateFidelity"] {
            let fidelity = try reader.double(n, p, range: .unit)
            m.gateFidelity = fidelity
            if fidelity < 1 { swapOnly.append(SourcePlace(YAMLReader.location(of: n), p)) }
        }
        if case let (n, p)? = f["readoutError"] { m.readoutError = try reader.double(n, p, range: .closed(0, 0.5)) }
        return m
    }

    /// `t1` / `t2`: a positive duration, or nil for `inf` (no decoherence).
    func decoherenceTime(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> VDuration? {
        try reader.optionalDuration(node, path, noneWords: Self.infiniteWords, positive: true)
    }

    func decodePhotonics(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> PhotonicsOverrides {
        let f = try mapping(node, path, Self.photonicsKeys, "a photonics mapping such as { emissionEfficiency: 0.5 }")
        var o = PhotonicsOverrides()
        if case let (n, p)? = f["emissionEfficiency"] { o.emissionEfficiency = try reader.double(n, p, range: .unit) }
        if case let (n, p)? = f["visibility"] { o.visibility = try reader.double(n, p, range: .unit) }
        if case let (n, p)? = f["attemptPeriod"] { o.attemptPeriod = try reader.duration(n, p, positive: true, longest: Scenario.longestAttemptPeriod) }
        if case let (n, p)? = f["multiplexing"] { o.multiplexing = try reader.int(n, p, atLeast: 1) }
        if case let (n, p)? = f["conversionEfficiency"] { o.conversionEfficiency = try reader.double(n, p, range: .unit) }
        return o
    }

    func decodeDetectors(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> DetectorOverrides {
        let f = try mapping(
            node, path, Self.detectorKeys, "a detectors mapping such as { efficiency: 0.9 }", rejected: Self.detectorRejected
        )
        var o = DetectorOverrides()
        if case let (n, p)? = f["efficiency"] { o.efficiency = try reader.double(n, p, range: .unit) }
        if case let (n, p)? = f["darkCountRate"] { o.darkCountRate = try reader.frequency(n, p) }
        if case let (n, p)? = f["window"] { o.window = try reader.duration(n, p, positive: true) }
        if case let (n, p)? = f["jitter"] { o.jitter = try reader.duration(n, p, positive: false) }
        if case let (n, p)? = f["clockOffset"] { o.clockOffset = try reader.duration(n, p, positive: false) }
        return o
    }

    /// `defaults.link` or one `links` entry's parameters (not `nodes`).
    func decodeLink(
        _ node: Node, _ path: DocumentPath, allowed: [String], homes: [String: String]
    ) throws(ScenarioError) -> LinkOverrides {
        let f = try mapping(node, path, allowed, "a link mapping such as { length: 10 km }", homes: homes)
        return try decodeLinkParameters(f)
    }

    func decodeLinkParameters(_ f: Fields) throws(ScenarioError) -> LinkOverrides {
        var o = LinkOverrides()
        if case let (n, p)? = f["attenuation"] { o.attenuation = try reader.attenuation(n, p) }
        if case let (n, p)? = f["stationAt"] { o.stationAt = try reader.double(n, p, range: .open(0, 1)) }
        if case let (n, p)? = f["scheme"] { o.scheme = try reader.choice(n, p, as: HeraldingScheme.self) }
        if case let (n, p)? = f["brightStatePopulation"] {
            o.brightStatePopulation = try reader.double(n, p, range: .openClosed(0, 0.5))
            o.unusedBrightStatePopulation = reader.error(
                .conflict, at: n, p, "brightStatePopulation is read only by scheme: single-click (this link heralds double-click)",
                allowed: "remove brightStatePopulation, or set scheme: single-click")
        }
        if case let (n, p)? = f["length"] { o.length = try reader.length(n, p, positive: true) }
        if case let (n, p)? = f["multiplexing"] { o.multiplexing = located(try decodeMultiplexing(n, p), n, p) }
        if case let (n, p)? = f["coexistence"] { o.coexistence = try decodeCoexistence(n, p) }
        return o
    }

    // MARK: Resolution (built-in ← defaults ← node)

    func resolveMemory(_ o: MemoryOverrides) throws(ScenarioError) -> MemoryParameters {
        var m = MemoryParameters.builtIn
        if let v = o.qubits { m.qubits = v.value }
        if let v = o.gateFidelity { m.gateFidelity = v }
        if let v = o.readoutError { m.readoutError = v }
        if let cq = o.communicationQubits {
            if cq.value > m.qubits {
                // Blame the more specific of the two: a node's own key over a `defaults` one.
                if let q = o.qubits, q.path.isNodeLevel, !cq.path.isNodeLevel {
                    throw reader.error(
                        .conflict, at: q.location, q.path,
                        "qubits = \(q.value) is fewer than communicationQubits = \(cq.value)"
                            + " (\(cq.path) at line \(cq.location?.line ?? 0))",
                        allowed: "allowed: communicationQubits <= qubits (set this node's communicationQubits too)"
                    )
                }
                let origin = o.qubits.map { " (\($0.path) at line \($0.location?.line ?? 0))" } ?? " (the built-in default)"
                throw reader.error(
                    .conflict, at: cq.location, cq.path,
                    "communicationQubits = \(cq.value) exceeds qubits = \(m.qubits)\(origin)",
                    allowed: "allowed: 1 <= communicationQubits <= qubits (all memory qubits of the node)"
                )
            }
            m.communicationQubits = cq.value
        }
        m.t1 = o.t1?.value ?? nil
        let twoT1: VDuration? = m.t1.flatMap { t1 in
            let (ps, overflow) = t1.picoseconds.multipliedReportingOverflow(by: 2)
            return overflow ? nil : VDuration(picoseconds: ps)
        }
        guard let t2 = o.t2 else {
            m.t2 = twoT1  // the T1 limit: no pure dephasing
            return m
        }
        if let t1 = m.t1, let limit = twoT1, t2.value.map({ $0 > limit }) ?? true {
            let t2Text = t2.value?.description ?? "inf"
            // Blame the more specific of the two: a node's own key over a `defaults` one.
            if let t1Located = o.t1, t1Located.path.isNodeLevel, !t2.path.isNodeLevel {
                throw reader.error(
                    .conflict, at: t1Located.location, t1Located.path,
                    "t1 = \(t1) allows at most t2 = \(limit), but t2 = \(t2Text) (\(t2.path) at line \(t2.location?.line ?? 0))",
                    allowed: "allowed: t2 <= 2*t1"
                )
            }
            let origin = o.t1.map { " (\($0.path) at line \($0.location?.line ?? 0))" } ?? ""
            throw reader.error(
                .conflict, at: t2.location, t2.path,
                "t2 = \(t2Text) exceeds 2*t1 = \(limit); t1 = \(t1)\(origin)",
                allowed: "allowed: t2 <= 2*t1 (omit t2 for the T1 limit)"
            )
        }
        m.t2 = t2.value
        return m
    }

    func resolvePhotonics(_ o: PhotonicsOverrides) -> PhotonicsParameters {
        var p = PhotonicsParameters.builtIn
        if let v = o.emissionEfficiency { p.emissionEfficiency = v }
        if let v = o.visibility { p.visibility = v }
        if let v = o.attemptPeriod { p.attemptPeriod = v }
        if let v = o.multiplexing { p.multiplexing = v }
        if let v = o.conversionEfficiency { p.conversionEfficiency = v }
        return p
    }

    func resolveDetectors(_ o: DetectorOverrides) -> DetectorParameters {
        var d = DetectorParameters.builtIn
        if let v = o.efficiency { d.efficiency = v }
        if let v = o.darkCountRate { d.darkCountRate = v }
        if let v = o.window { d.window = v }
        if let v = o.jitter { d.jitter = v }
        if let v = o.clockOffset { d.clockOffset = v }
        return d
    }

    func resolveLink(_ o: LinkOverrides) -> LinkParameters {
        var l = LinkParameters.builtIn
        if let v = o.attenuation { l.attenuation = v }
        if let v = o.stationAt { l.stationAt = v }
        if let v = o.scheme { l.scheme = v }
        if let v = o.brightStatePopulation { l.brightStatePopulation = v }
        if let v = o.length { l.length = v }
        if let v = o.multiplexing { l.multiplexing = v.value }
        if let v = o.coexistence { l.coexistence = v }
        return l
    }

    /// Where a node's `memory.qubits` was written: its own block, else `defaults`; nil for the
    /// built-in default.
    static func qubitsPlace(_ own: HardwareOverrides, _ defaults: HardwareOverrides) -> SourcePlace? {
        own.overriding(defaults).memory.qubits.map { SourcePlace($0.location, $0.path) }
    }

    func resolveNode(
        _ id: NodeID, _ name: String, _ own: HardwareOverrides, _ defaults: HardwareOverrides
    ) throws(ScenarioError) -> NodeSpec {
        let merged = own.overriding(defaults)
        var spec = NodeSpec(
            id: id, name: name,
            memory: try resolveMemory(merged.memory),
            photonics: resolvePhotonics(merged.photonics)
        )
        if let p = merged.bellSuccessProbability { spec.bellSuccessProbability = p }
        return spec
    }

    // MARK: Nodes, links, topology

    struct DeclaredNode {
        var name: Located<String>
        var hardware: HardwareOverrides
    }

    func decodeNodes(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> [DeclaredNode] {
        let items = try reader.list(node, path, expected: "a list of nodes such as [{ name: alice }]")
        let most = Scenario.maximumNodes
        guard items.count <= most else {
            throw reader.error(
                .outOfRange, at: node, path, "\(items.count) nodes are too many", allowed: "allowed: at most \(most) nodes (each is a process)"
            )
        }
        var result: [DeclaredNode] = []
        var byName: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let itemPath = path.appending(index: i)
            let f = try mapping(
                item, itemPath, Self.nodeKeys, "a node mapping such as { name: alice }",
                homes: Self.nodeHomes, rejected: Self.nodeRejected
            )
            let (nameNode, namePath) = try f.required("name", hint: "required: a unique name such as alice")
            let name = try reader.text(nameNode, namePath, expected: "a node name").trimmingSpaces
            let valid = Self.isPlainName(name)
            let allowedNames = "allowed: 1 to \(Scenario.longestName) letters, digits, '-', '_' and '.'"
            guard valid else {
                throw reader.error(
                    .outOfRange, at: nameNode, namePath, "invalid node name '\(name.printable)'", allowed: allowedNames
                )
            }
            guard name.count <= Scenario.longestName else {
                throw reader.error(
                    .outOfRange, at: nameNode, namePath, "the node name is \(name.count) characters long", allowed: allowedNames
                )
            }
            if name.hasPrefix(Scenario.stationPrefix) || Scenario.reservedNames.contains(name) {
                let what = name.hasPrefix(Scenario.stationPrefix)
                    ? "names starting with '\(Scenario.stationPrefix)' are the stations' (station-<first node>-<second node>)"
                    : name == Scenario.controllerName ? "'\(name)' is the controller's name (policies.placement: controller)" : "'\(name)' is the coordinator's name"
                throw reader.error(
                    .conflict, at: nameNode, namePath, "node name '\(name)' is reserved: \(what)",
                    allowed: "allowed: any other name, e.g. '\(name.dropFirst(name.hasPrefix(Scenario.stationPrefix) ? Scenario.stationPrefix.count : 0))-node'"
                )
            }
            if let earlier = byName[name] {
                throw reader.error(
                    .duplicate, at: nameNode, namePath,
                    "duplicate node name '\(name)' (first declared at line \(result[earlier].name.location?.line ?? 0))",
                    allowed: "node names must be unique"
                )
            }
            var hardware = try decodeHardware(f)
            if let preset = try decodePreset(f) { hardware = hardware.overriding(preset.hardware) }
            byName[name] = result.count
            result.append(DeclaredNode(
                name: Located(value: name, location: YAMLReader.location(of: nameNode), path: namePath),
                hardware: hardware
            ))
        }
        return result
    }

    /// The id of a node referenced by name, with a suggestion for a near miss.
    func reference(_ node: Node, _ path: DocumentPath, nodes: [NodeSpec]) throws(ScenarioError) -> NodeID {
        let name = try reader.text(node, path, expected: "a node name").trimmingSpaces
        if let index = nodes.firstIndex(where: { $0.name == name }) { return NodeID(UInt32(index)) }
        let names = nodes.map(\.name)
        var message = "unknown node '\(name)'"
        if let hint = Suggestions.didYouMean(name, in: names) { message += "; " + hint }
        throw reader.error(.unknownReference, at: node, path, message, allowed: "declared nodes: " + Suggestions.list(names))
    }

    func decodeLinks(
        _ node: Node, _ path: DocumentPath, nodes: [NodeSpec], defaults: LinkOverrides,
        detectorDefaults: DetectorOverrides
    ) throws(ScenarioError) -> [LinkSpec] {
        let items = try reader.list(node, path, expected: "a list of links such as [{ nodes: [alice, bob], length: 10 km }]")
        var links: [LinkSpec] = []
        var firstLines: [Int?] = []
        var linkByEnds: [Set<NodeID>: Int] = [:]
        var linkByStation: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let itemPath = path.appending(index: i)
            let f = try mapping(item, itemPath, Self.linkKeys,
                "a link mapping such as { nodes: [alice, bob], length: 10 km }", homes: Self.linkHomes)
            let (endsNode, endsPath) = try f.required("nodes", hint: "required: the two nodes it joins, e.g. nodes: [alice, bob]")
            let ends = try reader.list(endsNode, endsPath, expected: "a list of two node names such as [alice, bob]")
            guard ends.count == 2 else {
                throw reader.error(
                    .outOfRange, at: endsNode, endsPath, "a link joins exactly two nodes, found \(ends.count)",
                    allowed: "allowed: a list of two node names such as [alice, bob]"
                )
            }
            let a = try reference(ends[0], endsPath.appending(index: 0), nodes: nodes)
            let b = try reference(ends[1], endsPath.appending(index: 1), nodes: nodes)
            if a == b {
                throw reader.error(
                    .duplicate, at: ends[1], endsPath.appending(index: 1),
                    "node '\(nodes[Int(a.rawValue)].name)' appears twice; a link joins two different nodes"
                )
            }
            if let j = linkByEnds[[a, b]] {
                throw reader.error(
                    .duplicate, at: endsNode, endsPath,
                    "\(nodes[Int(a.rawValue)].name) and \(nodes[Int(b.rawValue)].name) are already linked"
                        + " by links[\(j)] (line \(firstLines[j] ?? 0))",
                    allowed: "at most one link per pair of nodes"
                )
            }
            let station = Scenario.stationName(nodes[Int(a.rawValue)].name, nodes[Int(b.rawValue)].name)
            if let j = linkByStation[station] {
                let other = links[j]
                throw reader.error(
                    .conflict, at: endsNode, endsPath,
                    "the station of this link would be named '\(station)', as is the station of links[\(j)]"
                        + " [\(nodes[Int(other.a.rawValue)].name), \(nodes[Int(other.b.rawValue)].name)] (line \(firstLines[j] ?? 0))",
                    allowed: "allowed: node names that give every link's station (station-<first node>-<second node>) its own name,"
                        + " e.g. without '-' in one of them"
                )
            }
            linkByEnds[[a, b]] = i
            linkByStation[station] = i
            let preset = try decodePreset(f)
            var own = try decodeLinkParameters(f)
            if let preset { own = own.overriding(preset.link) }
            let merged = own.overriding(defaults)
            let medium = try decodeMedium(f, itemPath)
            if medium != .fibre, merged.coexistence != nil {
                // Raman noise comes from classical channels in the same fibre: over free space it
                // would be computed for a fibre that is not there.
                let here = f.contains("coexistence")
                throw reader.error(
                    .conflict, at: f.keyLocation(here ? "coexistence" : "medium"), itemPath.appending(here ? "coexistence" : "medium"),
                    "coexistence (Raman noise from classical channels in the same fibre) applies to fibre links only"
                        + (here ? "" : "; this link takes it from defaults.link or its preset"),
                    allowed: "allowed: remove coexistence\(here ? "" : " from defaults.link"), or set medium: fibre")
            }
            guard let length = medium.satelliteLength ?? merged.length else {
                throw reader.error(
                    .missingKey, at: f.location, itemPath.appending("length"), "missing required key 'length'",
                    allowed: "required here or in defaults.link, e.g. length: 10 km"
                )
            }
            var parameters = resolveLink(merged)
            parameters.length = length
            try checkModes(merged.multiplexing, a: nodes[Int(a.rawValue)], b: nodes[Int(b.rawValue)])
            if own.brightStatePopulation != nil, parameters.scheme == .doubleClick, let error = own.unusedBrightStatePopulation { throw error }
            var detectors = detectorDefaults
            if let preset { detectors = preset.detectors.overriding(detectors) }
            if case let (n, p)? = f["detectors"] { detectors = try decodeDetectors(n, p).overriding(detectors) }
            links.append(LinkSpec(
                id: LinkID(UInt32(i)), a: a, b: b, length: length, parameters: parameters,
                detectors: resolveDetectors(detectors), medium: medium
            ))
            firstLines.append(f.location?.line)
        }
        return links
    }

    /// `topology:`: the generator and the graph it makes. Each kind has its own keys; a key of
    /// another kind, or of none, is an error that lists the kind's keys.
    func decodeTopology(
        _ node: Node, _ path: DocumentPath, defaults: LinkParameters
    ) throws(ScenarioError) -> (Topology, NetworkGraph) {
        let kinds = Topology.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        let f = try Fields(
            node, path, allowed: nil, reader: reader, what: "a topology mapping such as { kind: chain, nodes: 5, spacing: 20 km }"
        )
        let (kindNode, kindPath) = try f.required("kind", hint: "allowed values: " + kinds)
        let kind = try reader.choice(kindNode, kindPath, as: Topology.Kind.self)
        let keys = Self.topologyKeys(kind)
        let allowedKeys = "allowed keys for kind \(kind.rawValue): " + keys.joined(separator: ", ")
        for key in f.writtenKeys where !keys.contains(key) {
            var message = "'\(key)' is not a key of a \(kind.rawValue) topology"
            let owners = Self.topologyKeysByKind.filter { $0.keys.contains(key) }.map(\.kind.rawValue)
            if !owners.isEmpty {
                message += " (it belongs to kind \(owners.joined(separator: ", ")))"
            } else if let hint = Suggestions.didYouMean(key, in: keys) {
                message = "unknown key '\(key)'; " + hint
            } else {
                message = "unknown key '\(key)'"
            }
            throw reader.error(.unknownKey, at: f.keyLocation(key), path.appending(key), message, allowed: allowedKeys)
        }

        let most = Scenario.maximumNodes
        func count(_ key: String, _ range: ClosedRange<Int>, _ hint: String) throws(ScenarioError) -> (Int, Node) {
            let (n, p) = try f.required(key, hint: hint)
            return (try reader.int(n, p, in: range), n)
        }
        func spacing() throws(ScenarioError) -> Length {
            if case let (n, p)? = f["spacing"] { return try reader.length(n, p, positive: true) }
            if let length = defaults.length { return length }
            throw reader.error(
                .missingKey, at: f.location, path.appending("spacing"), "missing required key 'spacing'",
                allowed: "required: spacing here or length in defaults.link, e.g. spacing: 20 km"
            )
        }

        let topology: Topology
        switch kind {
        case .chain:
            let (n, _) = try count("nodes", 2...most, "required: the number of nodes, e.g. nodes: 5")
            topology = .chain(nodes: n, spacing: try spacing())
        case .ring:
            let (n, _) = try count("nodes", 3...most, "required: the number of nodes (at least 3), e.g. nodes: 6")
            topology = .ring(nodes: n, spacing: try spacing())
        case .star:
            let (n, _) = try count("leaves", 1...(most - 1), "required: the number of leaves around the hub, e.g. leaves: 4")
            topology = .star(leaves: n, spacing: try spacing())
        case .grid:
            let (rows, _) = try count("rows", 1...most, "required: the number of rows, e.g. rows: 4")
            let (columns, columnsNode) = try count("columns", 1...most, "required: the number of columns, e.g. columns: 4")
            let total = rows * columns
            guard (2...most).contains(total) else {
                throw reader.error(
                    .outOfRange, at: columnsNode, path.appending("columns"),
                    "a \(rows)×\(columns) grid has \(total) node\(total == 1 ? "" : "s")",
                    allowed: "allowed: 2 <= rows*columns <= \(most)"
                )
            }
            topology = .grid(rows: rows, columns: columns, spacing: try spacing())
        case .random:
            let (n, _) = try count("nodes", 2...most, "required: the number of nodes, e.g. nodes: 20")
            let (seedNode, seedPath) = try f.required(
                "seed", hint: "required: the topology's own seed (independent of the run's seed), e.g. seed: 1"
            )
            let seed = try reader.uint64(seedNode, seedPath)
            let waxman = "Waxman's link probability beta*exp(-d/(alpha*L))"
            let (alphaNode, alphaPath) = try f.required("alpha", hint: "required: 0 < alpha <= 1 in \(waxman), e.g. alpha: 0.4")
            let alpha = try reader.double(alphaNode, alphaPath, range: .openClosed(0, 1))
            let (betaNode, betaPath) = try f.required("beta", hint: "required: 0 < beta <= 1 in \(waxman), e.g. beta: 0.6")
            let beta = try reader.double(betaNode, betaPath, range: .openClosed(0, 1))
            let (areaNode, areaPath) = try f.required("area", hint: "required: the side of the square the nodes lie in, e.g. area: 100 km")
            let area = try reader.length(areaNode, areaPath, positive: true)
            topology = .random(nodes: n, seed: seed, alpha: alpha, beta: beta, area: area)
        }
        do {
            return (topology, try topology.graph())
        } catch {
            // Unreachable after the checks above; reported, never trapped.
            throw reader.error(.outOfRange, at: f.location, path.appending(error.parameter), error.message, allowed: error.allowed)
        }
    }

    /// `n0 ... n4`, `hub, l0 ... l3`, `g0_0 ... g3_3`: the names a generator makes.
    static func generatedNames(_ topology: Topology) -> String {
        switch topology {
        case .chain(let n, _), .ring(let n, _), .random(let n, _, _, _, _): "n0 ... n\(n - 1)"
        case .star(let leaves, _): leaves == 1 ? "hub, l0" : "hub, l0 ... l\(leaves - 1)"
        case .grid(let rows, let columns, _):
            "g0_0 ... " + TopologyGenerator.gridName(row: rows - 1, column: columns - 1) + " (gROW_COLUMN)"
        }
    }

    /// A generated length in metres as an exact ``Length``, to the nearest millimetre.
    static func length(metres: Double) -> Length {
        Length(millimetres: UInt64(max(1, (metres * 1_000).rounded())))
    }

    // MARK: Routes

    /// A decoded static route with where it was written.
    struct DeclaredRoute {
        var spec: RouteSpec
        var line: Int?
    }

    /// `routes: [{ from, to, path: [...] }]`: each path from `from` to `to` over existing links,
    /// no node twice, one route per pair of nodes.
    func decodeRoutes(
        _ node: Node, _ path: DocumentPath, nodes: [NodeSpec], graph: NetworkGraph
    ) throws(ScenarioError) -> [DeclaredRoute] {
        let example = "{ from: n0, to: n3, path: [n0, n1, n3] }"
        let items = try reader.list(node, path, expected: "a list of routes such as [\(example)]")
        var routes: [DeclaredRoute] = []
        for (i, item) in items.enumerated() {
            let itemPath = path.appending(index: i)
            let f = try mapping(item, itemPath, Self.routeKeys, "a route mapping such as \(example)")
            let (fromNode, fromPath) = try f.required("from", hint: "required: a declared node name")
            let (toNode, toPath) = try f.required("to", hint: "required: a declared node name")
            let from = try reference(fromNode, fromPath, nodes: nodes)
            let to = try reference(toNode, toPath, nodes: nodes)
            let fromName = nodes[Int(from.rawValue)].name, toName = nodes[Int(to.rawValue)].name
            if from == to {
                throw reader.error(
                    .conflict, at: toNode, toPath, "a route joins two different nodes; from and to are both '\(toName)'"
                )
            }
            if let j = routes.firstIndex(where: { ($0.spec.from == from && $0.spec.to == to) || ($0.spec.from == to && $0.spec.to == from) }) {
                throw reader.error(
                    .duplicate, at: fromNode, fromPath,
                    "a route between \(fromName) and \(toName) is already given by routes[\(j)] (line \(routes[j].line ?? 0))",
                    allowed: "one route per pair of nodes (it serves both directions)"
                )
            }
            let (pathNode, pathPath) = try f.required(
                "path", hint: "required: the nodes from \(fromName) to \(toName), e.g. path: [\(fromName), ..., \(toName)]"
            )
            let elements = try reader.list(pathNode, pathPath, expected: "a list of node names such as [n0, n1, n3]")
            guard elements.count >= 2 else {
                throw reader.error(
                    .outOfRange, at: pathNode, pathPath,
                    "a path needs at least its two ends, found \(elements.count) node\(elements.count == 1 ? "" : "s")",
                    allowed: "allowed: [\(fromName), ..., \(toName)]"
                )
            }
            var ids: [NodeID] = []
            for (k, element) in elements.enumerated() {
                ids.append(try reference(element, pathPath.appending(index: k), nodes: nodes))
            }
            let ends = "allowed: a path from \(fromName) to \(toName), e.g. [\(fromName), ..., \(toName)]"
            if ids[0] != from {
                throw reader.error(
                    .conflict, at: elements[0], pathPath.appending(index: 0),
                    "the path starts at \(nodes[Int(ids[0].rawValue)].name), but the route is from \(fromName)", allowed: ends
                )
            }
            if ids[ids.count - 1] != to {
                let last = ids.count - 1
                throw reader.error(
                    .conflict, at: elements[last], pathPath.appending(index: last),
                    "the path ends at \(nodes[Int(ids[last].rawValue)].name), but the route is to \(toName)", allowed: ends
                )
            }
            do {
                _ = try graph.path(through: ids)
            } catch {
                let k = min(max(error.index, 0), elements.count - 1)
                let at = elements[k], atPath = pathPath.appending(index: k)
                switch error.code {
                case .repeatedNode:
                    let name = nodes[Int(ids[k].rawValue)].name
                    let first = ids.firstIndex(of: ids[k]) ?? 0
                    throw reader.error(
                        .duplicate, at: at, atPath, "node \(name) appears twice in the path (path[\(first)] and path[\(k)])",
                        allowed: "a route visits each node at most once"
                    )
                case .missingLink:
                    let u = ids[k - 1], v = ids[k]
                    let neighbours = graph.neighbours(of: u).map { nodes[Int($0.rawValue)].name }
                    throw reader.error(
                        .unknownReference, at: at, atPath,
                        "no link between \(nodes[Int(u.rawValue)].name) and \(nodes[Int(v.rawValue)].name)"
                            + " (path[\(k - 1)] and path[\(k)])",
                        allowed: "consecutive nodes of a path must share a link; \(nodes[Int(u.rawValue)].name) links to: "
                            + (neighbours.isEmpty ? "no node" : Suggestions.list(neighbours))
                    )
                case .tooShort, .unknownNode, .duplicatePair:
                    throw reader.error(.outOfRange, at: at, atPath, error.message)
                }
            }
            routes.append(DeclaredRoute(spec: RouteSpec(from: from, to: to, path: ids), line: f.location?.line))
        }
        return routes
    }

    // MARK: Requests

    func decodeRequests(
        _ node: Node, _ path: DocumentPath, nodes: [NodeSpec], graph: NetworkGraph, routes: [DeclaredRoute],
        topology: Topology?, duration: VDuration, policies: Policies
    ) throws(ScenarioError) -> [RequestSpec] {
        let items = try reader.list(node, path, expected: "a list of requests such as [{ from: alice, to: bob, pairs: 100 }]")
        guard !items.isEmpty else {
            throw reader.error(.outOfRange, at: node, path, "no requests", allowed: Self.requestExample)
        }
        // Component of each node, for the no-path check (one pass over the graph).
        let components = graph.components()
        var component = [Int](repeating: 0, count: nodes.count)
        for (c, members) in components.enumerated() { for m in members { component[Int(m.rawValue)] = c } }
        var requests: [RequestSpec] = []
        for (i, item) in items.enumerated() {
            let itemPath = path.appending(index: i)
            let f = try mapping(item, itemPath, Self.requestKeys,
                "a request mapping such as { from: alice, to: bob, pairs: 100 }", rejected: Self.requestRejected)
            let (fromNode, fromPath) = try f.required("from", hint: "required: a declared node name")
            let (toNode, toPath) = try f.required("to", hint: "required: a declared node name")
            let from = try reference(fromNode, fromPath, nodes: nodes)
            let to = try reference(toNode, toPath, nodes: nodes)
            if from == to {
                throw reader.error(
                    .conflict, at: toNode, toPath,
                    "a request needs two different nodes; from and to are both '\(nodes[Int(to.rawValue)].name)'"
                )
            }
            let (pairsNode, pairsPath) = try f.required("pairs", hint: "allowed: a whole number >= 1")
            var request = RequestSpec(
                id: RequestID(UInt32(i)), from: from, to: to, pairs: try reader.int(pairsNode, pairsPath, atLeast: 1)
            )
            if case let (n, p)? = f["type"] { request.type = try reader.choice(n, p, as: RequestType.self) }
            if case let (n, p)? = f["start"] {
                request.start = try reader.duration(n, p, positive: false)
                if request.start >= duration {
                    throw reader.error(
                        .outOfRange, at: n, p, "start \(request.start) is not before the end of the run (duration \(duration))",
                        allowed: "allowed: start < duration"
                    )
                }
            }
            // A weight or a priority means something only to the policy that reads it.
            if case let (n, p)? = f["weight"] {
                request.weight = try reader.double(n, p, range: .above(0))
                guard policies.request == .weightedFair else {
                    throw reader.error(.conflict, at: n, p, "weight is read only by policies.request: weighted-fair (this scenario uses \(policies.request.rawValue))",
                                       allowed: "remove weight, or set policies.request: weighted-fair")
                }
            }
            if case let (n, p)? = f["priority"] {
                request.priority = try reader.integer(n, p, meaning: "higher is served first; default 0")
                guard policies.request == .priority else {
                    throw reader.error(.conflict, at: n, p, "priority is read only by policies.request: priority (this scenario uses \(policies.request.rawValue))",
                                       allowed: "remove priority, or set policies.request: priority")
                }
            }
            if case let (n, p)? = f["deadline"] {
                let text = (try? reader.text(n, p, expected: "a duration such as '2 s'")) ?? ""
                if text.drop(while: { $0 == " " }).hasPrefix("-") {
                    throw reader.error(.outOfRange, at: n, p, "'\(text)' is negative", allowed: "allowed: a duration > 0 after the request's start")
                }
                request.deadline = try reader.duration(n, p, positive: true)
            }
            if case let (n, p)? = f["targetRate"] {
                let rate = try reader.frequency(n, p).hertz
                guard rate > 0 else {
                    throw reader.error(.outOfRange, at: n, p, "a target rate of 0 is always met", allowed: "allowed: pairs per second > 0, e.g. '50 Hz'")
                }
                request.targetRate = rate
            }
            if case let (n, p)? = f["targetFidelity"] {
                request.targetFidelity = try reader.double(n, p, range: .openClosed(0, 1))
                guard request.type == .keep else {
                    throw reader.error(.conflict, at: n, p, "targetFidelity needs the fidelity of each pair, which only type: keep records",
                                       allowed: "remove targetFidelity, or set type: keep")
                }
            }
            if case let (n, p)? = f["sloWindow"] {
                let window = try reader.duration(n, p, positive: true)
                // Only the windowed targets read it (a deadline is met or missed once, over the request).
                guard request.targetRate != nil || request.targetFidelity != nil else {
                    throw reader.error(.conflict, at: n, p, "sloWindow is read only with targetRate or targetFidelity (the outage windows; a deadline has none)",
                                       allowed: "add targetRate or targetFidelity, or remove sloWindow")
                }
                guard duration.picoseconds / max(window.picoseconds, 1) <= Self.mostSLOWindows else {
                    throw reader.error(.outOfRange, at: n, p, "sloWindow \(window) cuts the run (\(duration)) into more than \(Self.mostSLOWindows) windows",
                                       allowed: "allowed: sloWindow ≥ duration / \(Self.mostSLOWindows)")
                }
                request.sloWindow = window
            }
            if request.sloWindow == nil, let rate = request.targetRate, duration.seconds * rate / 10 > Double(Self.mostSLOWindows),
               case let (n, p)? = f["targetRate"] {
                throw reader.error(.outOfRange, at: n, p, "targetRate \(rate) Hz makes the default sloWindow (10/targetRate) cut the run (\(duration)) into more than \(Self.mostSLOWindows) windows",
                                   allowed: "allowed: targetRate ≤ \(Double(Self.mostSLOWindows) * 10 / duration.seconds) Hz, or set sloWindow")
            }
            if case let (n, p)? = f["bases"] {
                guard request.type == .measure else {
                    throw reader.error(
                        .conflict, at: n, p, "bases apply only to type: measure", allowed: "remove bases, or set type: measure"
                    )
                }
                let items = try reader.list(n, p, expected: "a list of bases such as [Z, X]")
                guard !items.isEmpty else {
                    throw reader.error(.outOfRange, at: n, p, "the list of bases is empty", allowed: "allowed values: X, Y, Z")
                }
                var bases: [MeasurementBasis] = []
                for (j, b) in items.enumerated() {
                    bases.append(try reader.choice(b, p.appending(index: j), as: MeasurementBasis.self))
                }
                request.bases = bases
            } else if request.type == .measure {
                request.bases = [.z]
            }
            try checkServable(
                request, toNode, toPath, nodes: nodes, graph: graph, component: component,
                componentCount: components.count, routes: routes, topology: topology, policies: policies
            )
            requests.append(request)
        }
        return requests
    }

    /// A request must have a path: its static route, or some path of links; with swapping off,
    /// a single link.
    func checkServable(
        _ request: RequestSpec, _ node: Node, _ path: DocumentPath, nodes: [NodeSpec], graph: NetworkGraph,
        component: [Int], componentCount: Int, routes: [DeclaredRoute], topology: Topology?, policies: Policies
    ) throws(ScenarioError) {
        let fromName = nodes[Int(request.from.rawValue)].name
        let toName = nodes[Int(request.to.rawValue)].name
        let r = routes.firstIndex {
            ($0.spec.from == request.from && $0.spec.to == request.to) || ($0.spec.from == request.to && $0.spec.to == request.from)
        }
        if policies.swap == .none {
            if let r, routes[r].spec.path.count > 2 {
                throw reader.error(
                    .conflict, at: node, path,
                    "policies.swap is none, but routes[\(r)] (line \(routes[r].line ?? 0)) takes \(fromName) to \(toName)"
                        + " over \(routes[r].spec.path.count - 1) links",
                    allowed: "a one-link route, or policies.swap: asap"
                )
            }
            if graph.link(between: request.from, and: request.to) == nil {
                throw reader.error(
                    .conflict, at: node, path, "\(fromName) and \(toName) share no link and policies.swap is none",
                    allowed: "request adjacent nodes, or set policies.swap: asap"
                )
            }
        }
        if r != nil { return }
        guard component[Int(request.from.rawValue)] == component[Int(request.to.rawValue)] else {
            if case .random(_, let seed, _, _, _)? = topology {
                throw reader.error(
                    .conflict, at: node, path,
                    "no path of links from \(fromName) to \(toName): the random topology (seed \(seed)) falls apart"
                        + " into \(componentCount) unconnected parts",
                    allowed: "request nodes of one part, or choose another topology seed or a larger alpha or beta"
                )
            }
            throw reader.error(
                .conflict, at: node, path, "no path of links from \(fromName) to \(toName)",
                allowed: "add links that connect them"
            )
        }
    }
}

// MARK: - Partial blocks (one level of the override chain)

struct MemoryOverrides {
    var qubits: Located<Int>?
    var communicationQubits: Located<Int>?
    var t1: Located<VDuration?>?
    var t2: Located<VDuration?>?
    var gateFidelity: Double?
    var readoutError: Double?

    /// Fields set here win over `base`.
    func overriding(_ base: MemoryOverrides) -> MemoryOverrides {
        MemoryOverrides(
            qubits: qubits ?? base.qubits, communicationQubits: communicationQubits ?? base.communicationQubits,
            t1: t1 ?? base.t1, t2: t2 ?? base.t2,
            gateFidelity: gateFidelity ?? base.gateFidelity, readoutError: readoutError ?? base.readoutError
        )
    }
}

struct PhotonicsOverrides {
    var emissionEfficiency: Double?
    var visibility: Double?
    var attemptPeriod: VDuration?
    var multiplexing: Int?
    var conversionEfficiency: Double?

    func overriding(_ base: PhotonicsOverrides) -> PhotonicsOverrides {
        PhotonicsOverrides(
            emissionEfficiency: emissionEfficiency ?? base.emissionEfficiency, visibility: visibility ?? base.visibility,
            attemptPeriod: attemptPeriod ?? base.attemptPeriod, multiplexing: multiplexing ?? base.multiplexing,
            conversionEfficiency: conversionEfficiency ?? base.conversionEfficiency
        )
    }
}

struct DetectorOverrides {
    var efficiency: Double?
    var darkCountRate: Frequency?
    var window: VDuration?
    var jitter: VDuration?
    var clockOffset: VDuration?

    func overriding(_ base: DetectorOverrides) -> DetectorOverrides {
        DetectorOverrides(
            efficiency: efficiency ?? base.efficiency, darkCountRate: darkCountRate ?? base.darkCountRate,
            window: window ?? base.window, jitter: jitter ?? base.jitter, clockOffset: clockOffset ?? base.clockOffset
        )
    }
}

struct LinkOverrides {
    var attenuation: Attenuation?
    var stationAt: Double?
    var scheme: HeraldingScheme?
    var brightStatePopulation: Double?
    var length: Length?
    var multiplexing: Located<MultiplexingModes>?
    var coexistence: CoexistenceParameters?
    /// The error for this block's `brightStatePopulation` should no link read it (double-click).
    var unusedBrightStatePopulation: ScenarioError?

    func overriding(_ base: LinkOverrides) -> LinkOverrides {
        LinkOverrides(
            attenuation: attenuation ?? base.attenuation, stationAt: stationAt ?? base.stationAt,
            scheme: scheme ?? base.scheme, brightStatePopulation: brightStatePopulation ?? base.brightStatePopulation,
            length: length ?? base.length, multiplexing: multiplexing ?? base.multiplexing,
            coexistence: coexistence ?? base.coexistence,
            unusedBrightStatePopulation: brightStatePopulation != nil ? unusedBrightStatePopulation : base.unusedBrightStatePopulation
        )
    }
}

/// A node's or the defaults' hardware overrides; `detectors` is set only in `defaults`
/// (links take it as their base).
struct HardwareOverrides {
    var memory = MemoryOverrides()
    var photonics = PhotonicsOverrides()
    var detectors = DetectorOverrides()
    var bellSuccessProbability: Double?
    /// Where this block (not a preset or `defaults` under it) sets what only a swap reads: a
    /// `memory.gateFidelity` or `bellMeasurement.successProbability` below 1.
    var swapOnly: [SourcePlace] = []

    /// Fields set here win over `base`; the swap-only places are this block's own.
    func overriding(_ base: HardwareOverrides) -> HardwareOverrides {
        HardwareOverrides(
            memory: memory.overriding(base.memory), photonics: photonics.overriding(base.photonics),
            detectors: detectors.overriding(base.detectors), bellSuccessProbability: bellSuccessProbability ?? base.bellSuccessProbability,
            swapOnly: swapOnly
        )
    }
}

extension DocumentPath {
    /// Whether the path is inside a `nodes` entry (more specific than `defaults`).
    var isNodeLevel: Bool { components.first == .key("nodes") }
}
