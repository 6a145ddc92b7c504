import Foundation
import QNetCore
@testable import QNetProtocols
import QNetScheduling
import Testing

/// Link generation at the controller (`policies.generationPlacement: controller`), one node
/// runtime driven by hand: free qubits are asked about, not attempted; the controller's attempt
/// decisions are checked against what the node holds when they arrive.
@Suite("Link generation at the controller")
struct ControllerGenerationTests {
    /// End n0 of one link n0–n1 with `qubits` memory qubits and a request for 5 pairs.
    static func node(qubits: Int) -> NodeRuntime {
        let link = NodeConfiguration.Link(id: LinkID(0), a: NodeID(0), b: NodeID(1), station: "station-n0-n1",
                                          cycle: .microseconds(11), modes: 1)
        let request = NodeConfiguration.Request(id: RequestID(0), pairs: 5, kind: .keep, start: .zero, path: [NodeID(0), NodeID(1)])
        let configuration = NodeConfiguration(
            node: NodeID(0), names: ["n0", "n1"], memories: [.ideal, .ideal], qubits: qubits, readoutError: 0, gateFidelity: 1,
            attemptPeriod: .microseconds(1), multiplexing: 1, links: [link], requests: [request], end: .zero + .seconds(1), seed: 5,
            policies: SchedulingPolicies(controller: "controller", generationByController: true), liveQubits: 2 * qubits)
        return NodeRuntime(configuration: configuration)
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
    /// answer comes; an answer that leaves a qubit free without a change asks nothing more.
    @Test func oneQuestionAtATime() {
        var node = Self.node(qubits: 2)
        var out = node.start()
        for case let .schedule(timer, time) in out { out += node.handle(.timer(timer), at: time) }
        #expect(Self.asks(out).count == 1)
        // The answer gives one qubit an attempt and keeps the other free: no new question.
        out = node.handle(Self.decisions([.attempt(link: LinkID(0), label: RequestID(0))]), at: .zero + .microseconds(10))
        #expect(Self.batches(out).count == 1)
        #expect(Self.asks(out).isEmpty)
        // The batch runs out: the node asks again, once, with one qubit attempting in view.
        let batch = Self.batches(out)[0]
        out = node.handle(.message(.attemptsExhausted(.init(linkID: LinkID(0), batchID: batch.batchID, attempts: 1, endTime: .zero + .microseconds(20))), source: "station-n0-n1",
                                   sent: .zero + .microseconds(20), due: .zero + .microseconds(20)), at: .zero + .microseconds(20))
        let asked = Self.asks(out)
        #expect(asked.count == 1)
        #expect(asked.first?.freeQubits == 2 && asked.first?.links[LinkID(0)]?.attempting == 0)
        // A decision set answering another observation (a swap decision) does not end the question.
        out = node.handle(Self.decisions([], answering: false), at: .zero + .microseconds(25))
        #expect(Self.asks(out).isEmpty)
    }
}
