import QNetCore
import QNetScheduling
import SwiftProtobuf

// The scheduling seam (QNetScheduling) on the wire: scheduler.proto. The node ↔ controller leg
// travels in envelopes (ObservationReport, DecisionSet); the coordinator ↔ controller-program
// leg as ControllerFrame, one per ZeroMQ message.

extension StoredLink {
    init(wire: Qnet_V1_StoredLink) {
        self.init(qubit: QubitID(wire.qubit), link: LinkID(wire.link), request: RequestID(wire.request),
                  created: VTime(picoseconds: wire.createdPs), partnerPosition: Int(wire.partnerPosition),
                  oldest: wire.oldestPs == 0 ? nil : VTime(picoseconds: wire.oldestPs))
    }

    var wire: Qnet_V1_StoredLink {
        var wire = Qnet_V1_StoredLink()
        wire.qubit = qubit.rawValue
        wire.link = link.rawValue
        wire.request = request.rawValue
        wire.createdPs = created.picoseconds
        wire.partnerPosition = UInt32(clamping: partnerPosition)
        wire.oldestPs = oldest.picoseconds
        return wire
    }
}

extension Observation {
    init(wire: Qnet_V1_Observation, field: String) throws(WireError) {
        switch wire.kind {
        case .requestArrived(let r)?: self = .requestArrived(RequestID(r))
        case .linkPairStored(let l)?: self = .linkPairStored(StoredLink(wire: l))
        case .pairExtended(let l)?: self = .pairExtended(StoredLink(wire: l))
        case .pairGone(let q)?: self = .pairGone(QubitID(q))
        case .qubitFree?: self = .qubitFree
        case .swapOutcome(let s)?:
            try Check.require(s.left != s.right, field, "swap outcome names qubit \(QubitID(s.left)) twice")
            self = .swapOutcome(left: QubitID(s.left), right: QubitID(s.right), success: s.success)
        case .pairCorrected(let l)?: self = .pairCorrected(StoredLink(wire: l))
        case .requestServed(let r)?: self = .requestServed(RequestID(r))
        case .requestExpired(let r)?: self = .requestExpired(RequestID(r))
        case nil: throw WireError.malformed(field, "observation has no kind")
        }
    }

    var wire: Qnet_V1_Observation {
        var wire = Qnet_V1_Observation()
        switch self {
        case let .requestArrived(r): wire.requestArrived = r.rawValue
        case let .linkPairStored(l): wire.linkPairStored = l.wire
        case let .pairExtended(l): wire.pairExtended = l.wire
        case let .pairGone(q): wire.pairGone = q.rawValue
        case .qubitFree: wire.qubitFree = Qnet_V1_QubitFree()
        case let .swapOutcome(left, right, success):
            var s = Qnet_V1_SwapOutcome()
            s.left = left.rawValue
            s.right = right.rawValue
            s.success = success
            wire.swapOutcome = s
        case let .pairCorrected(l): wire.pairCorrected = l.wire
        case let .requestServed(r): wire.requestServed = r.rawValue
        case let .requestExpired(r): wire.requestExpired = r.rawValue
        }
        return wire
    }
}

extension Decision {
    init(wire: Qnet_V1_Decision, field: String) throws(WireError) {
        switch wire.kind {
        case .attempt(let a)?: self = .attempt(link: LinkID(a.link), label: a.hasLabel ? RequestID(a.label.id) : nil)
        case .swap(let s)?:
            try Check.require(s.left != s.right, field, "swap names qubit \(QubitID(s.left)) twice")
            self = .swap(QubitID(s.left), QubitID(s.right))
        case .discard(let d)?: self = .discard(QubitID(d.qubit), at: VTime(picoseconds: d.atPs))
        case .deliver(let d)?: self = .deliver(QubitID(d.qubit))
        case .installPath(let i)?: self = .installPath(RequestID(i.request))
        case nil: throw WireError.malformed(field, "decision has no kind")
        }
    }

    var wire: Qnet_V1_Decision {
        var wire = Qnet_V1_Decision()
        switch self {
        case let .attempt(link, label):
            var a = Qnet_V1_Attempt()
            a.link = link.rawValue
            if let label { a.label.id = label.rawValue }
            wire.attempt = a
        case let .swap(l, r):
            var s = Qnet_V1_Swap()
            s.left = l.rawValue
            s.right = r.rawValue
            wire.swap = s
        case let .discard(q, time):
            var d = Qnet_V1_Discard()
            d.qubit = q.rawValue
            d.atPs = time.picoseconds
            wire.discard = d
        case let .deliver(q):
            var d = Qnet_V1_Deliver()
            d.qubit = q.rawValue
            wire.deliver = d
        case let .installPath(request):
            var i = Qnet_V1_InstallPath()
            i.request = request.rawValue
            wire.installPath = i
        }
        return wire
    }
}

extension NodeView {
    init(wire: Qnet_V1_NodeView, field: String) throws(WireError) {
        var positions: [RequestID: (length: Int, position: Int)] = [:]
        var sides: [RequestID: (left: LinkID?, right: LinkID?)] = [:]
        for place in wire.places {
            let r = RequestID(place.request)
            try Check.require(positions[r] == nil, "\(field).places", "request \(place.request) appears twice")
            try Check.require(place.position < place.pathLength, "\(field).places", "position \(place.position) is not on a path of \(place.pathLength) nodes")
            positions[r] = (Int(place.pathLength), Int(place.position))
            sides[r] = (place.hasLeftLink ? LinkID(place.leftLink.id) : nil, place.hasRightLink ? LinkID(place.rightLink.id) : nil)
        }
        var links: [LinkID: LinkDemand] = [:]
        for demand in wire.links {
            let id = LinkID(demand.link)
            try Check.require(links[id] == nil, "\(field).links", "link \(demand.link) appears twice")
            links[id] = LinkDemand(
                requests: demand.requests.map {
                    RequestCandidate(id: RequestID($0.request), start: VTime(picoseconds: $0.startPs), weight: $0.weight, priority: Int($0.priority),
                                     deadline: $0.deadlinePs == 0 ? nil : VTime(picoseconds: $0.deadlinePs),
                                     group: $0.hasGroup ? RequestID($0.group.id) : nil)
                },
                attempting: Int(demand.attempting), stored: Int(demand.stored), limit: Int(demand.limit),
                isMaster: demand.isMaster, needed: demand.needed.map { RequestID($0) })
        }
        self.init(positions: positions, sides: sides, idle: wire.idle.map(StoredLink.init(wire:)), links: links,
                  freeQubits: Int(wire.freeQubits), now: VTime(picoseconds: wire.nowPs))
    }

    var wire: Qnet_V1_NodeView {
        var wire = Qnet_V1_NodeView()
        wire.places = positions.keys.sorted().map { r in
            var place = Qnet_V1_RequestPlace()
            place.request = r.rawValue
            place.pathLength = UInt32(clamping: positions[r]!.length)
            place.position = UInt32(clamping: positions[r]!.position)
            if let left = sides[r]?.left { place.leftLink.id = left.rawValue }
            if let right = sides[r]?.right { place.rightLink.id = right.rawValue }
            return place
        }
        wire.idle = idle.map(\.wire)
        wire.links = links.keys.sorted().map { id in
            let d = links[id]!
            var demand = Qnet_V1_LinkDemand()
            demand.link = id.rawValue
            demand.requests = d.requests.map {
                var c = Qnet_V1_RequestCandidate()
                c.request = $0.id.rawValue
                c.startPs = $0.start.picoseconds
                c.weight = $0.weight
                c.priority = Int32(clamping: $0.priority)
                c.deadlinePs = $0.deadline?.picoseconds ?? 0
                if $0.group != $0.id { c.group.id = $0.group.rawValue }
                return c
            }
            demand.attempting = UInt32(clamping: d.attempting)
            demand.stored = UInt32(clamping: d.stored)
            demand.limit = UInt32(clamping: d.limit)
            demand.isMaster = d.isMaster
            demand.needed = d.needed.map(\.rawValue)
            return demand
        }
        wire.freeQubits = UInt32(clamping: freeQubits)
        wire.nowPs = now.picoseconds
        return wire
    }
}

extension MessageBody.ObservationReport {
    init(wire: Qnet_V1_ObservationReport) throws(WireError) {
        self.init(observation: try Observation(wire: wire.observation, field: "observation_report.observation"),
                  view: try NodeView(wire: wire.view, field: "observation_report.view"))
    }

    var wire: Qnet_V1_ObservationReport {
        var wire = Qnet_V1_ObservationReport()
        wire.observation = observation.wire
        wire.view = view.wire
        return wire
    }
}

extension MessageBody.DecisionSet {
    init(wire: Qnet_V1_DecisionSet) throws(WireError) {
        var decisions: [Decision] = []
        for (i, d) in wire.decisions.enumerated() { decisions.append(try Decision(wire: d, field: "decision_set.decisions[\(i)]")) }
        self.init(decisions: decisions, answersQubitFree: wire.answersQubitFree)
    }

    var wire: Qnet_V1_DecisionSet {
        var wire = Qnet_V1_DecisionSet()
        wire.decisions = decisions.map(\.wire)
        wire.answersQubitFree = answersQubitFree
        return wire
    }
}

// MARK: - Coordinator ↔ controller program

/// One frame between the coordinator and a controller program (`scheduler.proto`
/// ControllerFrame): the program speaks only this, never the clock's grant protocol.
public enum ControllerFrame: Sendable, Equatable {
    /// Program → coordinator, first.
    case hello(version: UInt32, name: String)
    /// Coordinator → program: the run (node names by index, the scenario's swap policy and cutoff).
    case start(ControllerStart)
    /// Coordinator → program: an observation as it reaches the controller at `time`.
    case observation(id: UInt64, node: String, time: VTime, observation: Observation, view: NodeView)
    /// Program → coordinator: the decisions on observation `id`.
    case reply(id: UInt64, decisions: [Decision], declined: Bool)
    /// Coordinator → program: the run is over.
    case stop(reason: String)

    public struct ControllerStart: Sendable, Equatable {
        public var runID: String
        public var seed: UInt64
        public var nodes: [String]
        public var swap: String
        public var cutoff: VDuration?
        /// The end-to-end budget of `cutoff: { budget }`; nil: none.
        public var cutoffBudget: VDuration?
        public var controllerAt: String
        /// `policies.generationPlacement: controller`: the program decides link generation too
        /// (``Observation/qubitFree`` comes, answered with attempt decisions).
        public var decidesGeneration: Bool
        /// `policies.generation` and `policies.request` by name (e.g. "round-robin", "fifo").
        public var generation: String
        public var request: String
        /// `policies.routingPlacement: controller`: the program installs the paths
        /// (``Decision/installPath(_:)`` on ``Observation/requestArrived(_:)``).
        public var decidesRouting: Bool
        public init(runID: String, seed: UInt64, nodes: [String], swap: String, cutoff: VDuration?, cutoffBudget: VDuration? = nil,
                    controllerAt: String, decidesGeneration: Bool = false, generation: String = "round-robin", request: String = "fifo",
                    decidesRouting: Bool = false) {
            self.decidesRouting = decidesRouting
            self.decidesGeneration = decidesGeneration
            self.generation = generation
            self.request = request
            self.cutoffBudget = cutoffBudget
            self.runID = runID
            self.seed = seed
            self.nodes = nodes
            self.swap = swap
            self.cutoff = cutoff
            self.controllerAt = controllerAt
        }
    }

    /// The protocol version this code speaks.
    /// Version 2 adds link generation and path installation at the controller
    /// (`decides_generation`, `decides_routing`, `answers_qubit_free`, `install_path`); a
    /// version-1 program may still take the swap and cutoff decisions.
    public static let protocolVersion: UInt32 = 2

    /// The frame's bytes.
    public func encoded() throws(WireError) -> [UInt8] {
        var wire = Qnet_V1_ControllerFrame()
        switch self {
        case let .hello(version, name):
            var h = Qnet_V1_ControllerHello()
            h.version = version
            h.name = name
            wire.hello = h
        case let .start(s):
            var w = Qnet_V1_ControllerStart()
            w.runID = s.runID
            w.seed = s.seed
            w.nodes = s.nodes
            w.swap = s.swap
            w.cutoffPs = s.cutoff?.picoseconds ?? 0
            w.cutoffBudgetPs = s.cutoffBudget?.picoseconds ?? 0
            w.controllerAt = s.controllerAt
            w.decidesGeneration = s.decidesGeneration
            w.generation = s.generation
            w.request = s.request
            w.decidesRouting = s.decidesRouting
            wire.start = w
        case let .observation(id, node, time, observation, view):
            var o = Qnet_V1_ObservationEvent()
            o.id = id
            o.node = node
            o.timePs = time.picoseconds
            o.observation = observation.wire
            o.view = view.wire
            wire.observation = o
        case let .reply(id, decisions, declined):
            var r = Qnet_V1_DecisionReply()
            r.id = id
            r.decisions = decisions.map(\.wire)
            r.declined = declined
            wire.reply = r
        case let .stop(reason):
            var s = Qnet_V1_ControllerStop()
            s.reason = reason
            wire.stop = s
        }
        let bytes: [UInt8]
        do { bytes = try wire.serializedBytes() } catch {
            throw WireError(.malformed, "controller frame could not be serialised: \(error)")
        }
        guard bytes.count <= WireCodec.maxFrameBytes else {
            throw WireError(.oversize, "controller frame of \(bytes.count) bytes exceeds the limit of \(WireCodec.maxFrameBytes) bytes")
        }
        return bytes
    }

    /// Decodes one frame, checking every field a peer could get wrong.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        guard bytes.count <= WireCodec.maxFrameBytes else {
            throw WireError(.oversize, "controller frame of \(bytes.count) bytes exceeds the limit of \(WireCodec.maxFrameBytes) bytes")
        }
        let wire: Qnet_V1_ControllerFrame
        do { wire = try Qnet_V1_ControllerFrame(serializedBytes: bytes) } catch BinaryDecodingError.truncated {
            throw WireError(.truncated, "controller frame of \(bytes.count) bytes ends inside a field")
        } catch {
            throw WireError(.malformed, "\(bytes.count) bytes are not a controller frame (\(error))")
        }
        switch wire.body {
        case .hello(let h)?:
            try Check.require(h.name.utf8.count <= 255, "hello.name", "is longer than 255 bytes")
            self = .hello(version: h.version, name: h.name)
        case .start(let s)?:
            self = .start(ControllerStart(runID: s.runID, seed: s.seed, nodes: s.nodes, swap: s.swap,
                                          cutoff: s.cutoffPs == 0 ? nil : VDuration(picoseconds: s.cutoffPs),
                                          cutoffBudget: s.cutoffBudgetPs == 0 ? nil : VDuration(picoseconds: s.cutoffBudgetPs),
                                          controllerAt: s.controllerAt, decidesGeneration: s.decidesGeneration,
                                          generation: s.generation, request: s.request, decidesRouting: s.decidesRouting))
        case .observation(let o)?:
            self = .observation(id: o.id, node: try Check.processName(o.node, "observation.node"), time: VTime(picoseconds: o.timePs),
                                observation: try Observation(wire: o.observation, field: "observation.observation"),
                                view: try NodeView(wire: o.view, field: "observation.view"))
        case .reply(let r)?:
            var decisions: [Decision] = []
            for (i, d) in r.decisions.enumerated() { decisions.append(try Decision(wire: d, field: "reply.decisions[\(i)]")) }
            self = .reply(id: r.id, decisions: decisions, declined: r.declined)
        case .stop(let s)?:
            self = .stop(reason: s.reason)
        case nil:
            throw WireError(.unknownType, "controller frame has no body (or one this version does not know)")
        }
    }
}
