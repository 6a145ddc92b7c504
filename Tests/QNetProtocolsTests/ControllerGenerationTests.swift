import Foundation
import QNetCore
@testable import QNetProtocols
import QNetScheduling
import Testing

/// Link generation and path installation at the controller (`policies.generationPlacement` and
/// `routingPlacement: controller`), one node runtime driven by hand: free qubits are asked
/// about, not attempted, and paths wait for their installation; the controller's decisions are
/// checked against what the node holds when they arrive.
@Suite("Link generation and paths at the controller")
struct ControllerGenerationTests {
    /// End n0 of one link n0–n1 with `qubits` memory qubits and a request for 5 pairs; link
    /// generation at the controller unless not `generation`, and paths installed by it if `routing`.
    /// `at`: n1 instead; `starts`: the requests' start times (one request per entry).
    static func node(qubits: Int, generation: Bool = true, routing: Bool = false, at node: UInt32 = 0,
                     starts: [VTime] = [.zero]) -> NodeRuntime {
        let link = NodeConfiguration.Link(id: LinkID(0), a: NodeID(0), b: NodeID(1), station: "station-n0-n1",
                                          cycle: .microseconds(11), modes: 1)
        let requests = starts.enumerated().map { i, start in
            NodeConfiguration.Request(id: RequestID(UInt32(i)), pairs: 5, kind: .keep, start: start, path: [NodeID(0), NodeID(1)])
        }
        let configuration = NodeConfiguration(
            node: NodeID(node), names: ["n0", "n1"], memories: [.ideal, .ideal], qubits: qubits, readoutError: 0, gateFidelity: 1,
            attemptPeriod: .microseconds(1), multiplexing: 1, links: [link], requests: requests, end: .zero + .seconds(1), seed: 5,
            policies: SchedulingPolicies(controller: "controller", generationByController: generation, routingByController: routing), liveQubits: 2 * qubits)
        return NodeRuntime(configuration: configuration)
    }

    /// Runs the timers among `directives` that are due by `time`, with what they lead to.
    static func runTimers(_ directives: [NodeDirective], _ node: inout NodeRuntime, until time: VTime) -> [NodeDirective] {
        var out = directives, next = 0
        while next < out.count {
            if case let .schedule(timer, at) = out[next], at <= time { out += node.handle(.timer(timer), at: at) }
            next += 1
        }
        return out
    }

    static func batches(_ directives: [NodeDirective]) -> [NodeMessage.AttemptBatch] {
        directives.compactMap { if case let .send(.attemptBatch(b), to: "station-n0-n1") = $0 { b } else { nil } }
    }

    static func asks(_ directives: [NodeDirective]) -> [NodeView] {
        directives.compactMap {
            if case let .send(.observationReport(r), to: "controller") = $0, r.observation == .qubitFree { r.view } else { nil }
        }
    }

    static func decisions(_ decisions: [Decision], answering: Bool = true) -> NodeEvent {
        .message(.decisionSet(.init(decisions: decisions, answersQubitFree: answering)), source: "controller", sent: .zero, due: .zero)
    }

    @Test func freeQubitsWaitForTheControllersAttempts() {
        var node = Self.node(qubits: 2)
        var out = node.start()
        for case let .schedule(timer, time) in out { out += node.handle(.timer(timer), at: time) }
        // The request started: one question with both free qubits in view, and no attempt yet.
        #expect(Self.batches(out).isEmpty)
        let asked = Self.asks(out)
        #expect(asked.count == 1)
        #expect(asked.first?.freeQubits == 2 && asked.first?.links[LinkID(0)]?.requests.map(\.id) == [RequestID(0)])
        // A link the node does not have, and a label no request on the link has: stale, nothing opens.
        out = node.handle(Self.decisions([.attempt(link: LinkID(7), label: nil), .attempt(link: LinkID(0), label: RequestID(3))],
                                         answering: false), at: .zero)
        #expect(Self.batches(out).isEmpty)
        #expect(node.staleDecisions == 2)
        // Two good attempts open two batches; a third has no free qubit left: stale.
        out = node.handle(Self.decisions(Array(repeating: .attempt(link: LinkID(0), label: RequestID(0)), count: 3)), at: .zero)
        #expect(Self.batches(out).count == 2)
        #expect(Self.batches(out).allSatisfy { $0.label == RequestID(0) })
        #expect(node.staleDecisions == 3)
        #expect(node.controllerDecisions == 5)
        // Nothing free now: no new question after the answer.
        #expect(Self.asks(out).isEmpty)
    }

    /// One question at a time: while one is out, changes only mark it to be asked again when the
    /// answer comes (an answer to another observation does not end it); an answer that leaves
    /// nothing changed asks nothing more.
    @Test func oneQuestionAtATime() {
        var node = Self.node(qubits: 2)
        var out = node.start()
        for case let .schedule(timer, time) in out { out += node.handle(.timer(timer), at: time) }
        #expect(Self.asks(out).count == 1)
        // Both qubits attempt: nothing free, no question.
        out = node.handle(Self.decisions(Array(repeating: .attempt(link: LinkID(0), label: RequestID(0)), count: 2)), at: .zero + .microseconds(10))
        let batches = Self.batches(out)
        #expect(batches.count == 2)
        #expect(Self.asks(out).isEmpty)
        func exhausted(_ batch: NodeMessage.AttemptBatch, at us: UInt64) -> [NodeDirective] {
            node.handle(.message(.attemptsExhausted(.init(linkID: LinkID(0), batchID: batch.batchID, attempts: 1, endTime: .zero + .microseconds(us))),
                                 source: "station-n0-n1", sent: .zero + .microseconds(us), due: .zero + .microseconds(us)), at: .zero + .microseconds(us))
        }
        // The first batch runs out: a question, with one qubit free and one attempting in view.
        out = exhausted(batches[0], at: 20)
        #expect(Self.asks(out).count == 1)
        #expect(Self.asks(out).first?.freeQubits == 1 && Self.asks(out).first?.links[LinkID(0)]?.attempting == 1)
        // The second runs out while it is out: no second question yet.
        out = exhausted(batches[1], at: 21)
        #expect(Self.asks(out).isEmpty)
        // A decision set answering another observation does not end the question.
        out = node.handle(Self.decisions([], answering: false), at: .zero + .microseconds(25))
        #expect(Self.asks(out).isEmpty)
        // Its answer (nothing to attempt) comes: something changed meanwhile, so it asks again,
        // with both qubits free in view.
        out = node.handle(Self.decisions([]), at: .zero + .microseconds(30))
        #expect(Self.asks(out).count == 1)
        #expect(Self.asks(out).first?.freeQubits == 2 && Self.asks(out).first?.links[LinkID(0)]?.attempting == 0)
        // Answered with nothing again, nothing changed: no more questions.
        out = node.handle(Self.decisions([]), at: .zero + .microseconds(40))
        #expect(Self.asks(out).isEmpty)
        #expect(node.staleDecisions == 0)
    }

    /// Paths installed by the controller (`routingPlacement: controller`): the request's start
    /// asks the controller and opens nothing; a path the node does not have, or one installed
    /// already, is stale; the install opens the node's attempts.
    @Test func aPathWaitsForItsInstallation() {
        var node = Self.node(qubits: 2, generation: false, routing: true)
        var out = node.start()
        for case let .schedule(timer, time) in out { out += node.handle(.timer(timer), at: time) }
        let arrived = out.compactMap { if case let .send(.observationReport(r), to: "controller") = $0 { r.observation } else { nil } }
        #expect(arrived == [.requestArrived(RequestID(0))])
        #expect(Self.batches(out).isEmpty)
        out = node.handle(Self.decisions([.installPath(RequestID(4))], answering: false), at: .zero)
        #expect(Self.batches(out).isEmpty)
        #expect(node.staleDecisions == 1)
        out = node.handle(Self.decisions([.installPath(RequestID(0))], answering: false), at: .zero + .microseconds(5))
        #expect(Self.batches(out).count == 2)
        out = node.handle(Self.decisions([.installPath(RequestID(0))], answering: false), at: .zero + .microseconds(6))
        #expect(node.staleDecisions == 2)
    }

    /// Without `routingPlacement: controller` the node installs its path itself as the request
    /// starts; an install decision from the controller is not its to take (stale, said once).
    @Test func withoutControllerRoutingTheNodeInstalls() {
        var node = Self.node(qubits: 2, generation: false)
        var out = node.start()
        for case let .schedule(timer, time) in out { out += node.handle(.timer(timer), at: time) }
        #expect(Self.batches(out).count == 2)
        out = node.handle(Self.decisions([.installPath(RequestID(0)), .installPath(RequestID(0))], answering: false), at: .zero)
        #expect(node.staleDecisions == 2)
        #expect(out.filter { if case .warn = $0 { true } else { false } }.count == 1)
    }

    /// An install is stale before the request's start: a controller cannot start a request early.
    @Test func noPathIsInstalledBeforeItsRequestStarts() {
        var node = Self.node(qubits: 2, generation: false, routing: true, starts: [.zero + .microseconds(100)])
        _ = node.start()
        var out = node.handle(Self.decisions([.installPath(RequestID(0))], answering: false), at: .zero + .microseconds(50))
        #expect(Self.batches(out).isEmpty)
        #expect(node.staleDecisions == 1)
        out = node.handle(.timer(.requestStart(RequestID(0))), at: .zero + .microseconds(100))
        out = node.handle(Self.decisions([.installPath(RequestID(0))], answering: false), at: .zero + .microseconds(110))
        #expect(Self.batches(out).count == 2)
        #expect(node.staleDecisions == 1)
    }

    /// A herald whose master labelled it with a path this end has not installed yet (its
    /// install still on the way) is refused, with a discard notice to the partner, not stored:
    /// n1 attempts for request 1 (installed), the master n0 labels the pair for request 0.
    @Test func aPairForAPathNotInstalledHereIsRefused() throws {
        var node = Self.node(qubits: 2, generation: false, routing: true, at: 1, starts: [.zero, .zero])
        var out = Self.runTimers(node.start(), &node, until: .zero)
        out = node.handle(Self.decisions([.installPath(RequestID(1))], answering: false), at: .zero + .microseconds(5))
        // The station heralds `batch` at `us` µs with n0's qubit `index`, labelled `label`; the
        // herald reaches n1 one arm (5 µs) later.
        func herald(_ batch: NodeMessage.AttemptBatch, at us: UInt64, partner index: UInt32, label: RequestID) -> [NodeDirective] {
            let herald = NodeMessage.Herald(
                linkID: LinkID(0), batchID: batch.batchID, attemptIndex: 0, successTime: .zero + .microseconds(us), bellState: .phiPlus,
                groupID: GroupID(UInt64(index) + 1), qubits: [QubitID(home: NodeID(0), index: index), batch.qubit], owner: "n0",
                label: label, sequence: UInt64(index) + 1)
            return node.handle(.message(.herald(herald), source: "station-n0-n1", sent: .zero + .microseconds(us), due: .zero + .microseconds(us + 5)),
                               at: .zero + .microseconds(us + 5))
        }
        out = herald(try #require(Self.batches(out).first), at: 8, partner: 0, label: RequestID(0))
        #expect(node.refusedPairs == 1)
        let notices = out.compactMap { if case let .send(.feedForward(ff), to: "n0") = $0 { ff } else { nil } }
        #expect(notices.count == 1 && notices.first?.discarded == true)
        // The refused qubit attempts again; a pair labelled for the installed request is kept.
        let again = try #require(Self.batches(out).first)
        let kept = herald(again, at: 20, partner: 1, label: RequestID(1))
        #expect(node.refusedPairs == 1)
        // Stored for request 1 (and, this being a one-link path, taken at once).
        let stored = kept.compactMap { d -> StoredLink? in
            if case let .send(.observationReport(r), _) = d, case let .linkPairStored(l) = r.observation { l } else { nil }
        }
        #expect(stored.map(\.request) == [RequestID(1)] && stored.first?.qubit == again.qubit)
    }
}
