import QNetCore
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

    static let topKeys = ["name", "seed", "duration", "clock", "defaults", "nodes", "links", "topology", "requests", "policies"]
    static let clockKeys = ["mode", "dilation"]
    static let defaultsKeys = ["memory", "photonics", "detectors", "link"]
    static let memoryKeys = ["qubits", "t1", "t2", "gateFidelity", "readoutError", "initFidelity"]
    static let photonicsKeys = ["emissionEfficiency", "visibility", "attemptPeriod", "multiplexing", "conversionEfficiency"]
    static let detectorKeys = ["efficiency", "darkCountRate", "window", "deadTime"]
    static let linkDefaultKeys = ["attenuation", "stationAt", "scheme", "brightStatePopulation", "length"]
    static let nodeKeys = ["name", "memory", "photonics", "detectors"]
    static let linkKeys = ["nodes", "length", "attenuation", "stationAt", "scheme", "brightStatePopulation"]
    static let topologyKeys = ["kind", "nodes", "spacing"]
    static let requestKeys = ["from", "to", "pairs", "type", "minFidelity", "start", "maxWait", "bases"]
    static let policyKeys = ["swap", "request", "cutoff"]

    /// Keys of the hardware blocks, for "it belongs in 'memory'" hints.
    static let hardwareHomes: [String: String] = {
        var homes: [String: String] = [:]
        for key in memoryKeys { homes[key] = "memory" }
        for key in photonicsKeys { homes[key] = "photonics" }
        for key in detectorKeys { homes[key] = "detectors" }
        return homes
    }()

    /// Words meaning "no decoherence" for `t1` / `t2`.
    static let infiniteWords = ["inf", "infinite", "none", ".inf"]

    /// Opens a mapping with the keys it may have; `homes` adds "it belongs in 'memory'" hints.
    func mapping(
        _ node: Node, _ path: DocumentPath, _ allowed: [String], _ what: String, homes: Bool = false
    ) throws(ScenarioError) -> Fields {
        try Fields(node, path, allowed: allowed, reader: reader, what: what, elsewhere: homes ? Self.hardwareHomes : [:])
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
            let fields = try mapping(node, path, Self.defaultsKeys, "a mapping of default blocks", homes: true)
            defaultOverrides = try decodeHardware(fields)
            if case let (n, p)? = fields["link"] {
                linkDefaults = try decodeLink(n, p, allowed: Self.linkDefaultKeys)
            }
        }
        let defaults = ScenarioDefaults(
            memory: try resolveMemory(defaultOverrides.memory),
            photonics: resolvePhotonics(defaultOverrides.photonics),
            detectors: resolveDetectors(defaultOverrides.detectors),
            link: resolveLink(linkDefaults)
        )

        let policies = try top["policies"].map { e throws(ScenarioError) in try decodePolicies(e.node, e.path) } ?? Policies()

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
        var links: [LinkSpec] = []
        var topology: Topology?
        if case let (node, path)? = top["topology"] {
            let chain = try decodeTopology(node, path, defaults: defaults.link)
            topology = chain
            let names = (0..<chain.nodeCount).map { "n\($0)" }
            for entry in declared where !names.contains(entry.name.value) {
                throw reader.error(
                    .unknownReference, at: entry.name.location, entry.name.path,
                    "node '\(entry.name.value)' is not part of the chain topology",
                    allowed: "allowed names: n0 ... n\(chain.nodeCount - 1)"
                )
            }
            for (i, name) in names.enumerated() {
                let overrides = declared.first { $0.name.value == name }?.hardware ?? HardwareOverrides()
                nodes.append(try resolveNode(NodeID(UInt32(i)), name, overrides, defaultOverrides))
            }
            var parameters = defaults.link
            parameters.length = chain.spacing
            for i in 0..<(chain.nodeCount - 1) {
                links.append(LinkSpec(
                    id: LinkID(UInt32(i)), a: NodeID(UInt32(i)), b: NodeID(UInt32(i + 1)),
                    length: chain.spacing, parameters: parameters
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
            }
            let (linksNode, linksPath) = try top.required("links", hint: "required: links (with nodes), or topology")
            links = try decodeLinks(linksNode, linksPath, nodes: nodes, defaults: linkDefaults)
        }

        let (requestsNode, requestsPath) = try top.required("requests", hint: Self.requestExample)
        let requests = try decodeRequests(
            requestsNode, requestsPath, nodes: nodes, links: links, duration: duration, policies: policies
        )

        return Scenario(
            name: name, seed: seed, duration: duration, clock: clock, defaults: defaults, nodes: nodes,
            links: links, topology: topology, requests: requests, policies: policies, file: file
        )
    }

    /// `scenarios/demo.yaml` → `demo`.
    static func baseName(of file: String) -> String {
        let last = file.split(separator: "/").last.map(String.init) ?? file
        if let dot = last.lastIndex(of: "."), dot != last.startIndex { return String(last[..<dot]) }
        return last.isEmpty ? "scenario" : last
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
        if case let (n, p)? = fields["cutoff"] {
            policies.cutoff = try reader.optionalDuration(n, p, noneWords: ["none"], positive: true)
        }
        return policies
    }

    // MARK: Hardware blocks

    /// The `memory`, `photonics` and `detectors` blocks of `defaults` or of one node.
    func decodeHardware(_ fields: Fields) throws(ScenarioError) -> HardwareOverrides {
        var result = HardwareOverrides()
        if case let (n, p)? = fields["memory"] { result.memory = try decodeMemory(n, p) }
        if case let (n, p)? = fields["photonics"] { result.photonics = try decodePhotonics(n, p) }
        if case let (n, p)? = fields["detectors"] { result.detectors = try decodeDetectors(n, p) }
        return result
    }

    func decodeMemory(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> MemoryOverrides {
        let f = try mapping(node, path, Self.memoryKeys, "a memory mapping such as { qubits: 2, t2: 1 s }")
        var m = MemoryOverrides()
        if case let (n, p)? = f["qubits"] { m.qubits = located(try reader.int(n, p, atLeast: 1), n, p) }
        if case let (n, p)? = f["t1"] {
            m.t1 = located(try decoherenceTime(n, p), n, p)
        }
        if case let (n, p)? = f["t2"] {
            m.t2 = located(try decoherenceTime(n, p), n, p)
        }
        if case let (n, p)? = f["gateFidelity"] { m.gateFidelity = try reader.double(n, p, range: .unit) }
        if case let (n, p)? = f["readoutError"] { m.readoutError = try reader.double(n, p, range: .closed(0, 0.5)) }
        if case let (n, p)? = f["initFidelity"] { m.initFidelity = try reader.double(n, p, range: .unit) }
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
        if case let (n, p)? = f["attemptPeriod"] { o.attemptPeriod = try reader.duration(n, p, positive: true) }
        if case let (n, p)? = f["multiplexing"] { o.multiplexing = try reader.int(n, p, atLeast: 1) }
        if case let (n, p)? = f["conversionEfficiency"] { o.conversionEfficiency = try reader.double(n, p, range: .unit) }
        return o
    }

    func decodeDetectors(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> DetectorOverrides {
        let f = try mapping(node, path, Self.detectorKeys, "a detectors mapping such as { efficiency: 0.9 }")
        var o = DetectorOverrides()
        if case let (n, p)? = f["efficiency"] { o.efficiency = try reader.double(n, p, range: .unit) }
        if case let (n, p)? = f["darkCountRate"] { o.darkCountRate = try reader.frequency(n, p) }
        if case let (n, p)? = f["window"] { o.window = try reader.duration(n, p, positive: true) }
        if case let (n, p)? = f["deadTime"] { o.deadTime = try reader.duration(n, p, positive: false) }
        return o
    }

    /// `defaults.link` or one `links` entry's parameters (not `nodes`).
    func decodeLink(_ node: Node, _ path: DocumentPath, allowed: [String]) throws(ScenarioError) -> LinkOverrides {
        let f = try mapping(node, path, allowed, "a link mapping such as { length: 10 km }")
        return try decodeLinkParameters(f)
    }

    func decodeLinkParameters(_ f: Fields) throws(ScenarioError) -> LinkOverrides {
        var o = LinkOverrides()
        if case let (n, p)? = f["attenuation"] { o.attenuation = try reader.attenuation(n, p) }
        if case let (n, p)? = f["stationAt"] { o.stationAt = try reader.double(n, p, range: .open(0, 1)) }
        if case let (n, p)? = f["scheme"] { o.scheme = try reader.choice(n, p, as: HeraldingScheme.self) }
        if case let (n, p)? = f["brightStatePopulation"] {
            o.brightStatePopulation = try reader.double(n, p, range: .openClosed(0, 0.5))
        }
        if case let (n, p)? = f["length"] { o.length = try reader.length(n, p, positive: true) }
        return o
    }

    // MARK: Resolution (built-in ← defaults ← node)

    func resolveMemory(_ o: MemoryOverrides) throws(ScenarioError) -> MemoryParameters {
        var m = MemoryParameters.builtIn
        if let v = o.qubits { m.qubits = v.value }
        if let v = o.gateFidelity { m.gateFidelity = v }
        if let v = o.readoutError { m.readoutError = v }
        if let v = o.initFidelity { m.initFidelity = v }
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
        if let v = o.deadTime { d.deadTime = v }
        return d
    }

    func resolveLink(_ o: LinkOverrides) -> LinkParameters {
        var l = LinkParameters.builtIn
        if let v = o.attenuation { l.attenuation = v }
        if let v = o.stationAt { l.stationAt = v }
        if let v = o.scheme { l.scheme = v }
        if let v = o.brightStatePopulation { l.brightStatePopulation = v }
        if let v = o.length { l.length = v }
        return l
    }

    func resolveNode(
        _ id: NodeID, _ name: String, _ own: HardwareOverrides, _ defaults: HardwareOverrides
    ) throws(ScenarioError) -> NodeSpec {
        let merged = own.overriding(defaults)
        return NodeSpec(
            id: id, name: name,
            memory: try resolveMemory(merged.memory),
            photonics: resolvePhotonics(merged.photonics),
            detectors: resolveDetectors(merged.detectors)
        )
    }

    // MARK: Nodes, links, topology

    struct DeclaredNode {
        var name: Located<String>
        var hardware: HardwareOverrides
    }

    func decodeNodes(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> [DeclaredNode] {
        let items = try reader.list(node, path, expected: "a list of nodes such as [{ name: alice }]")
        var result: [DeclaredNode] = []
        for (i, item) in items.enumerated() {
            let itemPath = path.appending(index: i)
            let f = try mapping(item, itemPath, Self.nodeKeys, "a node mapping such as { name: alice }", homes: true)
            let (nameNode, namePath) = try f.required("name", hint: "required: a unique name such as alice")
            let name = try reader.text(nameNode, namePath, expected: "a node name").trimmingSpaces
            let valid = !name.isEmpty && name.allSatisfy { c in
                c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".")
            }
            guard valid else {
                throw reader.error(
                    .outOfRange, at: nameNode, namePath, "invalid node name '\(name)'",
                    allowed: "allowed: letters, digits, '-', '_' and '.'"
                )
            }
            if let earlier = result.first(where: { $0.name.value == name }) {
                throw reader.error(
                    .duplicate, at: nameNode, namePath,
                    "duplicate node name '\(name)' (first declared at line \(earlier.name.location?.line ?? 0))",
                    allowed: "node names must be unique"
                )
            }
            result.append(DeclaredNode(
                name: Located(value: name, location: YAMLReader.location(of: nameNode), path: namePath),
                hardware: try decodeHardware(f)
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
        _ node: Node, _ path: DocumentPath, nodes: [NodeSpec], defaults: LinkOverrides
    ) throws(ScenarioError) -> [LinkSpec] {
        let items = try reader.list(node, path, expected: "a list of links such as [{ nodes: [alice, bob], length: 10 km }]")
        var links: [LinkSpec] = []
        var firstLines: [Int?] = []
        for (i, item) in items.enumerated() {
            let itemPath = path.appending(index: i)
            let f = try mapping(item, itemPath, Self.linkKeys,
                "a link mapping such as { nodes: [alice, bob], length: 10 km }")
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
            if let j = links.firstIndex(where: { ($0.a == a && $0.b == b) || ($0.a == b && $0.b == a) }) {
                throw reader.error(
                    .duplicate, at: endsNode, endsPath,
                    "\(nodes[Int(a.rawValue)].name) and \(nodes[Int(b.rawValue)].name) are already linked"
                        + " by links[\(j)] (line \(firstLines[j] ?? 0))",
                    allowed: "at most one link per pair of nodes"
                )
            }
            let own = try decodeLinkParameters(f)
            let merged = own.overriding(defaults)
            guard let length = merged.length else {
                throw reader.error(
                    .missingKey, at: f.location, itemPath.appending("length"), "missing required key 'length'",
                    allowed: "required here or in defaults.link, e.g. length: 10 km"
                )
            }
            var parameters = resolveLink(merged)
            parameters.length = length
            links.append(LinkSpec(id: LinkID(UInt32(i)), a: a, b: b, length: length, parameters: parameters))
            firstLines.append(f.location?.line)
        }
        return links
    }

    func decodeTopology(_ node: Node, _ path: DocumentPath, defaults: LinkParameters) throws(ScenarioError) -> Topology {
        let f = try mapping(node, path, Self.topologyKeys,
            "a topology mapping such as { kind: chain, nodes: 5, spacing: 20 km }")
        let (kindNode, kindPath) = try f.required("kind", hint: "allowed values: chain")
        let kind = try reader.choice(kindNode, kindPath, as: Topology.Kind.self)
        let (countNode, countPath) = try f.required("nodes", hint: "allowed: a whole number >= 2, e.g. nodes: 5")
        let count = try reader.int(countNode, countPath, atLeast: 2)
        let spacing: Length
        if case let (n, p)? = f["spacing"] {
            spacing = try reader.length(n, p, positive: true)
        } else if let length = defaults.length {
            spacing = length
        } else {
            throw reader.error(
                .missingKey, at: f.location, path.appending("spacing"), "missing required key 'spacing'",
                allowed: "required: spacing here or length in defaults.link, e.g. spacing: 20 km"
            )
        }
        return Topology(kind: kind, nodeCount: count, spacing: spacing)
    }

    // MARK: Requests

    func decodeRequests(
        _ node: Node, _ path: DocumentPath, nodes: [NodeSpec], links: [LinkSpec], duration: VDuration, policies: Policies
    ) throws(ScenarioError) -> [RequestSpec] {
        let items = try reader.list(node, path, expected: "a list of requests such as [{ from: alice, to: bob, pairs: 100 }]")
        guard !items.isEmpty else {
            throw reader.error(.outOfRange, at: node, path, "no requests", allowed: Self.requestExample)
        }
        var requests: [RequestSpec] = []
        for (i, item) in items.enumerated() {
            let itemPath = path.appending(index: i)
            let f = try mapping(item, itemPath, Self.requestKeys,
                "a request mapping such as { from: alice, to: bob, pairs: 100 }")
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
            if case let (n, p)? = f["minFidelity"] { request.minFidelity = try reader.double(n, p, range: .unit) }
            if case let (n, p)? = f["start"] {
                request.start = try reader.duration(n, p, positive: false)
                if request.start >= duration {
                    throw reader.error(
                        .outOfRange, at: n, p, "start \(request.start) is not before the end of the run (duration \(duration))",
                        allowed: "allowed: start < duration"
                    )
                }
            }
            if case let (n, p)? = f["maxWait"] { request.maxWait = try reader.duration(n, p, positive: true) }
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
            try checkServable(request, toNode, toPath, nodes: nodes, links: links, policies: policies)
            requests.append(request)
        }
        return requests
    }

    /// A request must have a path through the links, and with swapping off, a direct link.
    func checkServable(
        _ request: RequestSpec, _ node: Node, _ path: DocumentPath, nodes: [NodeSpec], links: [LinkSpec], policies: Policies
    ) throws(ScenarioError) {
        let fromName = nodes[Int(request.from.rawValue)].name
        let toName = nodes[Int(request.to.rawValue)].name
        let direct = links.contains { $0.otherEnd(of: request.from) == request.to }
        if policies.swap == .none, !direct {
            throw reader.error(
                .conflict, at: node, path, "\(fromName) and \(toName) share no link and policies.swap is none",
                allowed: "request adjacent nodes, or set policies.swap: asap"
            )
        }
        var seen: Set<NodeID> = [request.from]
        var frontier = [request.from]
        while let current = frontier.popLast() {
            for link in links {
                let next: NodeID
                if link.a == current { next = link.b } else if link.b == current { next = link.a } else { continue }
                if seen.insert(next).inserted { frontier.append(next) }
            }
        }
        guard seen.contains(request.to) else {
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
    var t1: Located<VDuration?>?
    var t2: Located<VDuration?>?
    var gateFidelity: Double?
    var readoutError: Double?
    var initFidelity: Double?

    /// Fields set here win over `base`.
    func overriding(_ base: MemoryOverrides) -> MemoryOverrides {
        MemoryOverrides(
            qubits: qubits ?? base.qubits, t1: t1 ?? base.t1, t2: t2 ?? base.t2,
            gateFidelity: gateFidelity ?? base.gateFidelity, readoutError: readoutError ?? base.readoutError,
            initFidelity: initFidelity ?? base.initFidelity
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
    var deadTime: VDuration?

    func overriding(_ base: DetectorOverrides) -> DetectorOverrides {
        DetectorOverrides(
            efficiency: efficiency ?? base.efficiency, darkCountRate: darkCountRate ?? base.darkCountRate,
            window: window ?? base.window, deadTime: deadTime ?? base.deadTime
        )
    }
}

struct LinkOverrides {
    var attenuation: Attenuation?
    var stationAt: Double?
    var scheme: HeraldingScheme?
    var brightStatePopulation: Double?
    var length: Length?

    func overriding(_ base: LinkOverrides) -> LinkOverrides {
        LinkOverrides(
            attenuation: attenuation ?? base.attenuation, stationAt: stationAt ?? base.stationAt,
            scheme: scheme ?? base.scheme, brightStatePopulation: brightStatePopulation ?? base.brightStatePopulation,
            length: length ?? base.length
        )
    }
}

struct HardwareOverrides {
    var memory = MemoryOverrides()
    var photonics = PhotonicsOverrides()
    var detectors = DetectorOverrides()

    func overriding(_ base: HardwareOverrides) -> HardwareOverrides {
        HardwareOverrides(
            memory: memory.overriding(base.memory), photonics: photonics.overriding(base.photonics),
            detectors: detectors.overriding(base.detectors)
        )
    }
}

extension DocumentPath {
    /// Whether the path is inside a `nodes` entry (more specific than `defaults`).
    var isNodeLevel: Bool { components.first == .key("nodes") }
}
