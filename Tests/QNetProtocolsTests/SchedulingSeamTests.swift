import Foundation
import QNetCore
@testable import QNetProtocols
import QNetScheduling
import Testing

/// The built-in scheduler with every observation it is told kept, to read back.
struct RecordingScheduler: Scheduler {
    var inner: NodeScheduler
    /// Deliver corrected pairs (the built-in application) or hold them.
    var delivers = true
    var observations: [Observation] = []

    mutating func on(_ observation: Observation, view: NodeView) -> [Decision] {
        observations.append(observation)
        let decisions = inner.on(observation, view: view)
        return delivers ? decisions : decisions.filter { if case .deliver = $0 { false } else { true } }
    }
}

/// The scheduling seam's observations and the deliver decision, in memory (the wire form is in
/// ControllerFrameTests).
@Suite("Scheduling seam")
struct SchedulingSeamTests {
    static func recorded(_ net: InMemoryNetwork, _ node: String) -> [Observation] {
        (net.nodes[node]!.scheduler as! RecordingScheduler).observations
    }

    /// On a 4-node chain with a Bell measurement that fails half the time at n1 and n2, every
    /// swap attempt is observed once at its node with its outcome (successes one per delivered
    /// pair and node, failures the runtime's count); each end observes one corrected pair per
    /// delivered pair and then delivers it; every node hears the request served once; and a
    /// deadline before the run could serve it is observed as expired at every node, once.
    @Test func everyObservationIsMadeWhereAndAsOftenAsItHappens() {
        var fixture = ChainFixture(nodes: 4, pairs: 40)
        fixture.deadline = .zero + .microseconds(200)
        fixture.scheduler = { _, policies in RecordingScheduler(inner: NodeScheduler(policies: policies)) }
        fixture.bellSuccessProbability = 0.5
        // Run on after the last delivery, until the news that the request is served has arrived.
        var net = fixture.network()
        net.keepsRoutedLog = false
        net.start()
        net.run(until: .zero + fixture.duration) { _ in false }
        #expect(net.delivered.count == 40)
        for repeater in ["n1", "n2"] {
            let outcomes = Self.recorded(net, repeater).compactMap { if case let .swapOutcome(_, _, success) = $0 { success } else { nil } }
            #expect(outcomes.filter { $0 }.count >= 40, "\(repeater): a successful swap per delivered pair at least")
            #expect(outcomes.filter { !$0 }.count == net.nodes[repeater]!.failedSwaps, "\(repeater)")
            #expect(net.nodes[repeater]!.failedSwaps > 0)
        }
        for end in ["n0", "n3"] {
            let corrected = Self.recorded(net, end).filter { if case .pairCorrected = $0 { true } else { false } }.count
            #expect(corrected >= 40, "\(end): \(corrected) corrected pairs observed")
        }
        for node in ["n0", "n1", "n2", "n3"] {
            let observed = Self.recorded(net, node)
            #expect(observed.filter { $0 == .requestServed(RequestID(0)) }.count == 1, "\(node)")
            #expect(observed.filter { $0 == .requestExpired(RequestID(0)) }.count == 1, "\(node)")
        }
    }

    /// A scheduler that never answers `pairCorrected` with `deliver` gets no pair delivered:
    /// delivery is the scheduler's decision, not the runtime's.
    @Test func withoutDeliverDecisionsNoPairIsDelivered() {
        var fixture = ChainFixture(nodes: 3, pairs: 5)
        fixture.duration = .milliseconds(20)
        fixture.scheduler = { _, policies in RecordingScheduler(inner: NodeScheduler(policies: policies), delivers: false) }
        let net = fixture.run()
        #expect(net.delivered.isEmpty)
        let corrected = Self.recorded(net, "n0").filter { if case .pairCorrected = $0 { true } else { false } }.count
        #expect(corrected >= 1, "the end must have held a complete pair for this to mean anything")
    }
}
