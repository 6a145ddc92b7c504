import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScheduling

// Member configuration ↔ wire (Protos/qnet/v1/config.proto). Decoding checks every value, so a
// configuration that reaches a runtime is one it can run: nothing from the wire reaches a
// precondition.

/// Largest time or duration a configuration may carry (2^62 ps, about 53 days): sums of a few of
/// them stay inside the 64-bit clock.
let maxConfigPicoseconds: UInt64 = 1 << 62

extension Check {
    static func picoseconds(_ value: UInt64, _ field: String, positive: Bool = false) throws(WireError) -> VDuration {
        try require(!positive || value > 0, field, "must be positive")
        try require(value <= maxConfigPicoseconds, field, "\(value) ps is beyond 2^62 ps")
        return VDuration(picoseconds: value)
    }

    static func count(_ value: UInt32, _ field: String, atLeast low: UInt32 = 1, atMost high: UInt32 = 1 << 20) throws(WireError) -> Int {
        try require(value >= low && value <= high, field, "\(value) is not in [\(low), \(high)]")
        return Int(value)
    }

    static func node(_ value: UInt32, _ field: String, of count: Int) throws(WireError) -> NodeID {
        try require(Int(value) < count, field, "node \(value) is not one of the \(count) nodes")
        return NodeID(value)
    }

    /// `body` with its QuantumError (an unphysical value) as a malformed `field`.
    static func physical<T>(_ field: String, _ body: () throws(QuantumError) -> T) throws(WireError) -> T {
        do { return try body() } catch { throw WireError.malformed(field, error.description) }
    }
}

// MARK: - Node

extension MemoryModel {
    init(wire: Qnet_V1_MemoryConfig, field: String) throws(WireError) {
        for (value, name) in [(wire.t1Seconds, "t1_seconds"), (wire.t2Seconds, "t2_seconds")] {
            try Check.require(value.isFinite && value >= 0, "\(field).\(name)", "\(value) is not a time in seconds ≥ 0")
        }
        let t1 = wire.t1Seconds == 0 ? Double.infinity : wire.t1Seconds
        let t2 = wire.t2Seconds == 0 ? Double.infinity : wire.t2Seconds
        if t1.isInfinite && t2.isInfinite {
            self = .ideal
        } else {
            self = try Check.physical(field) { () throws(QuantumError) in try MemoryModel(t1Seconds: t1, t2Seconds: t2) }
        }
    }

    var wire: Qnet_V1_MemoryConfig {
        var wire = Qnet_V1_MemoryConfig()
        wire.t1Seconds = t1Seconds.isInfinite ? 0 : t1Seconds
        wire.t2Seconds = t2Seconds.isInfinite ? 0 : t2Seconds
        return wire
    }
}

extension NodeConfiguration {
    init(wire: Qnet_V1_NodeConfig) throws(WireError) {
        let f = "welcome.node"
        try Check.require(!wire.names.isEmpty && wire.names.count <= 1 << 20, "\(f).names", "\(wire.names.count) names, expected 1 to 2^20")
        var names: [String] = []
        for name in wire.names { names.append(try Check.processName(name, "\(f).names")) }
        try Check.require(Set(names).count == names.count, "\(f).names", "two nodes have the same name")
        let count = names.count
        let node = try Check.node(wire.node, "\(f).node", of: count)
        try Check.require(wire.memories.count == count, "\(f).memories", "\(wire.memories.count) memories for \(count) nodes")
        var memories: [MemoryModel] = []
        for (i, m) in wire.memories.enumerated() { memories.append(try MemoryModel(wire: m, field: "\(f).memories[\(i)]")) }
        let qubits = try Check.count(wire.qubits, "\(f).qubits")
        let communication = wire.communicationQubits == 0 ? nil : try Check.count(wire.communicationQubits, "\(f).communication_qubits")
        var links: [Link] = []
        for (i, l) in wire.links.enumerated() {
            let lf = "\(f).links[\(i)]"
            let a = try Check.node(l.a, "\(lf).a", of: count), b = try Check.node(l.b, "\(lf).b", of: count)
            try Check.require(a != b && (a == node || b == node), lf, "ends \(a) and \(b) are not this node and another")
            links.append(Link(id: LinkID(l.id), a: a, b: b, station: try Check.processName(l.station, "\(lf).station"),
                              cycle: try Check.picoseconds(l.cyclePs, "\(lf).cycle_ps", positive: true),
                              modes: try Check.count(l.modes, "\(lf).modes")))
        }
        try Check.require(Set(links.map(\.id)).count == links.count, "\(f).links", "a link id appears twice")
        var requests: [Request] = []
        for (i, r) in wire.requests.enumerated() {
            let rf = "\(f).requests[\(i)]"
            var path: [NodeID] = []
            for n in r.path { path.append(try Check.node(n, "\(rf).path", of: count)) }
            try Check.require(path.count >= 2 && path.count <= count && Set(path).count == path.count, "\(rf).path",
                              "a path needs 2 or more distinct nodes")
            try Check.require(path.contains(node), "\(rf).path", "the path does not pass through this node")
            var bases: [QNetQuantum.MeasurementBasis] = []
            for basis in r.measureBases {
                switch basis {
                case .x: bases.append(.x)
                case .y: bases.append(.y)
                case .z: bases.append(.z)
                case .unspecified: throw Check.unspecified("\(rf).measure_bases")
                case let .UNRECOGNIZED(v): throw Check.unrecognized("\(rf).measure_bases", v)
                }
            }
            try Check.require(r.weight.isFinite && r.weight > 0, "\(rf).weight", "\(r.weight) is not a positive weight")
            let start = VTime.zero + (try Check.picoseconds(r.startPs, "\(rf).start_ps"))
            let deadline = r.deadlinePs == 0 ? nil : start + (try Check.picoseconds(r.deadlinePs, "\(rf).deadline_ps"))
            try Check.require(r.pathIndex < UInt32(Request.maximumPaths), "\(rf).path_index",
                              "\(r.pathIndex) is not below \(Request.maximumPaths), the most paths a request has")
            requests.append(Request(
                id: RequestID(r.id), pairs: try Check.count(r.pairs, "\(rf).pairs", atMost: UInt32.max),
                kind: bases.isEmpty ? .keep : .measure(bases: bases),
                start: start, path: path, weight: r.weight, priority: Int(r.priority), deadline: deadline,
                parent: r.hasParent ? RequestID(r.parent) : nil, pathIndex: Int(r.pathIndex)))
        }
        try Check.require(Set(requests.map(\.id)).count == requests.count, "\(f).requests", "a request id appears twice")
        // The paths of one request: each index once, and one request's values on every path (its
        // ends count its pairs over all of them).
        var firstPath: [RequestID: Request] = [:]
        var pathIndices = Set<[Int]>()
        for (i, request) in requests.enumerated() {
            try Check.require(pathIndices.insert([Int(request.parent.rawValue), request.pathIndex]).inserted, "\(f).requests[\(i)].path_index",
                              "request \(request.parent.rawValue) has path \(request.pathIndex) twice")
            guard let first = firstPath[request.parent] else {
                firstPath[request.parent] = request
                continue
            }
            try Check.require(
                first.pairs == request.pairs && first.kind == request.kind && first.start == request.start && first.weight == request.weight
                    && first.priority == request.priority && first.deadline == request.deadline,
                "\(f).requests[\(i)]", "its pairs, type, start, weight, priority or deadline differ from another path of request \(request.parent.rawValue)")
        }
        let request: RequestScheduling = switch wire.scheduling.request {
        case .fifo: .fifo
        case .priority: .priority
        case .weightedFair: .weightedFair
        case .edf: .edf
        case .unspecified: throw Check.unspecified("\(f).scheduling.request")
        case let .UNRECOGNIZED(v): throw Check.unrecognized("\(f).scheduling.request", v)
        }
        let generation: GenerationScheduling = switch wire.scheduling.generation {
        case .roundRobin: .roundRobin
        case .greedy: .greedy
        case .unspecified: throw Check.unspecified("\(f).scheduling.generation")
        case let .UNRECOGNIZED(v): throw Check.unrecognized("\(f).scheduling.generation", v)
        }
        let cutoff = wire.scheduling.cutoffPs == 0 ? nil : try Check.picoseconds(wire.scheduling.cutoffPs, "\(f).scheduling.cutoff_ps")
        let budget = wire.scheduling.cutoffBudgetPs == 0 ? nil : try Check.picoseconds(wire.scheduling.cutoffBudgetPs, "\(f).scheduling.cutoff_budget_ps")
        try Check.require(cutoff == nil || budget == nil, "\(f).scheduling.cutoff_budget_ps", "is set together with cutoff_ps (one cutoff policy at a time)")
        self.init(
            node: node, names: names, memories: memories, qubits: qubits, communicationQubits: communication,
            readoutError: try Check.probability(wire.readoutError, "\(f).readout_error"),
            gateFidelity: try Check.probability(wire.gateFidelity, "\(f).gate_fidelity"),
            attemptPeriod: try Check.picoseconds(wire.attemptPeriodPs, "\(f).attempt_period_ps", positive: true),
            multiplexing: try Check.count(wire.multiplexing, "\(f).multiplexing"), links: links, requests: requests,
            end: .zero + (try Check.picoseconds(wire.endPs, "\(f).end_ps")), seed: wire.seed,
            policies: SchedulingPolicies(cutoff: cutoff, request: request, generation: generation,
                                         controller: wire.scheduling.controller.isEmpty ? nil : try Check.processName(wire.scheduling.controller, "\(f).scheduling.controller"),
                                         swap: try Self.swap(wire.scheduling.swap, "\(f).scheduling.swap"), cutoffBudget: budget,
                                         generationByController: wire.scheduling.generationByController,
                                         routingByController: wire.scheduling.routingByController),
            liveQubits: try Check.count(wire.liveQubits, "\(f).live_qubits", atLeast: UInt32(qubits), atMost: UInt32.max))
        let failure = wire.bellFailureProbability
        try Check.require(failure.isFinite && failure >= 0 && failure < 1, "\(f).bell_failure_probability", "\(failure) is not in [0, 1)")
        bellSuccessProbability = 1 - failure
    }

    var wire: Qnet_V1_NodeConfig {
        var wire = Qnet_V1_NodeConfig()
        wire.node = node.rawValue
        wire.names = names
        wire.memories = memories.map(\.wire)
        wire.qubits = UInt32(clamping: qubits)
        wire.communicationQubits = UInt32(clamping: communicationQubits ?? 0)
        wire.readoutError = readoutError
        wire.gateFidelity = gateFidelity
        wire.attemptPeriodPs = attemptPeriod.picoseconds
        wire.multiplexing = UInt32(clamping: multiplexing)
        wire.links = links.map { link in
            var l = Qnet_V1_LinkConfig()
            l.id = link.id.rawValue
            l.a = link.a.rawValue
            l.b = link.b.rawValue
            l.station = link.station
            l.cyclePs = link.cycle.picoseconds
            l.modes = UInt32(clamping: link.modes)
            return l
        }
        wire.requests = requests.map { request in
            var r = Qnet_V1_RequestConfig()
            r.id = request.id.rawValue
            r.pairs = UInt32(clamping: request.pairs)
            if case let .measure(bases) = request.kind {
                // The scenario's bases are X, Y and Z; any other basis has no wire form (decoding
                // rejects the unspecified value).
                r.measureBases = bases.map { basis in
                    switch basis {
                    case .x: .x
                    case .y: .y
                    case .z: .z
                    case .bloch: .unspecified
                    }
                }
            }
            r.startPs = request.start.picoseconds
            r.path = request.path.map(\.rawValue)
            r.weight = request.weight
            r.priority = Int32(clamping: request.priority)
            r.deadlinePs = request.deadline.map { ($0 - request.start).picoseconds } ?? 0
            if request.parent != request.id { r.parent = request.parent.rawValue }
            r.pathIndex = UInt32(clamping: request.pathIndex)
            return r
        }
        wire.endPs = end.picoseconds
        wire.seed = seed
        var scheduling = Qnet_V1_SchedulingConfig()
        scheduling.cutoffPs = policies.cutoff?.picoseconds ?? 0
        scheduling.cutoffBudgetPs = policies.cutoffBudget?.picoseconds ?? 0
        scheduling.request = switch policies.request {
        case .fifo: .fifo
        case .priority: .priority
        case .weightedFair: .weightedFair
        case .edf: .edf
        }
        scheduling.generation = switch policies.generation {
        case .roundRobin: .roundRobin
        case .greedy: .greedy
        }
        scheduling.controller = policies.controller ?? ""
        scheduling.generationByController = policies.generationByController
        scheduling.routingByController = policies.routingByController
        scheduling.swap = switch policies.swap {
        case .asap: .asap
        case .sequential: .sequential
        case .nested: .nested
        }
        wire.scheduling = scheduling
        wire.liveQubits = UInt32(clamping: liveQubits)
        wire.bellFailureProbability = 1 - bellSuccessProbability
        return wire
    }
}

// MARK: - Station

extension StationConfiguration {
    init(wire: Qnet_V1_StationConfig) throws(WireError) {
        let f = "welcome.station"
        let scheme: HeraldingScheme = switch wire.scheme {
        case .singleClick: .singleClick(brightStatePopulation: wire.brightStatePopulation)
        case .doubleClick: .doubleClick
        case .unspecified: throw Check.unspecified("\(f).scheme")
        case let .UNRECOGNIZED(v): throw Check.unrecognized("\(f).scheme", v)
        }
        try Check.require(wire.owner <= 1, "\(f).owner", "\(wire.owner) is not 0 (end A) or 1 (end B)")
        let ends = [try Check.processName(wire.endA, "\(f).end_a"), try Check.processName(wire.endB, "\(f).end_b")]
        try Check.require(ends[0] != ends[1], f, "both ends are '\(ends[0])'")
        let model = try Check.physical(f) { () throws(QuantumError) in
            try HeraldingModel(scheme: scheme, etaA: wire.etaA, etaB: wire.etaB, visibility: wire.visibility,
                               darkCountProbability: wire.darkCountProbability)
        }
        // Bounded so that the cycle (rounds × period + twice the longer arm) fits the clock.
        let period = try Check.picoseconds(wire.attemptPeriodPs, "\(f).attempt_period_ps", positive: true)
        let armA = try Check.picoseconds(wire.armDelayAPs, "\(f).arm_delay_a_ps")
        let armB = try Check.picoseconds(wire.armDelayBPs, "\(f).arm_delay_b_ps")
        try Check.require(period.picoseconds <= 1 << 58 && max(armA, armB).picoseconds <= 1 << 59, f,
                          "attempt period or arm delay too long for one cycle")
        let timing = LinkTiming(attemptPeriod: period, armDelayA: armA, armDelayB: armB, rounds: model.rounds,
                                modes: try Check.count(wire.modes, "\(f).modes"))
        self.init(link: LinkID(wire.link), ends: ends, owner: Int(wire.owner), model: model, timing: timing, seed: wire.seed)
    }

    var wire: Qnet_V1_StationConfig {
        var wire = Qnet_V1_StationConfig()
        wire.link = link.rawValue
        wire.endA = ends[0]
        wire.endB = ends.count > 1 ? ends[1] : ""
        wire.owner = UInt32(clamping: owner)
        switch model.scheme {
        case let .singleClick(alpha):
            wire.scheme = .singleClick
            wire.brightStatePopulation = alpha
        case .doubleClick:
            wire.scheme = .doubleClick
        }
        wire.etaA = model.etaA
        wire.etaB = model.etaB
        wire.visibility = model.visibility
        wire.darkCountProbability = model.darkCountProbability
        wire.attemptPeriodPs = timing.attemptPeriod.picoseconds
        wire.armDelayAPs = timing.armDelay[0].picoseconds
        wire.armDelayBPs = timing.armDelay[1].picoseconds
        wire.modes = UInt32(clamping: timing.modes)
        wire.seed = seed
        return wire
    }
}

extension NodeConfiguration {
    static func swap(_ wire: Qnet_V1_SwapPolicy, _ field: String) throws(WireError) -> SwapScheduling {
        switch wire {
        case .asap: .asap
        case .sequential: .sequential
        case .nested: .nested
        case .unspecified: throw Check.unspecified(field)
        case let .UNRECOGNIZED(v): throw Check.unrecognized(field, v)
        }
    }
}
