import QNetCore
import QNetPhysics
import QNetQuantum
import Testing
@testable import QNetProtocols

@Suite("Link agent")
struct LinkAgentTests {
    @Test func oneBatchAtATimeAndHoldUntilReleased() {
        var agent = LinkAgent(end: VTime.zero + .seconds(1), cycle: .microseconds(50), modes: 2)
        #expect(agent.start(at: .zero) == [.openBatch(batchID: 0, start: .zero, maxAttempts: 20_000 * 2)])
        #expect(agent.start(at: .zero).isEmpty, "a second start while attempting opens nothing")
        let stray = agent.heralded(batchID: 7)
        #expect(!stray, "a herald for another batch is ignored")
        let first = agent.heralded(batchID: 0)
        #expect(first)
        #expect(agent.state == .holding(batchID: 0))
        let t = VTime.zero + .microseconds(100)
        #expect(agent.released(at: t) == [.openBatch(batchID: 1, start: t, maxAttempts: 19_998 * 2)])
        // Exhausted batches are retried while pairs are wanted.
        let u = VTime.zero + .milliseconds(500)
        #expect(agent.exhausted(batchID: 1, at: u) == [.openBatch(batchID: 2, start: u, maxAttempts: 10_000 * 2)])
        agent.stop()
        let last = agent.heralded(batchID: 2)
        #expect(last)
        #expect(agent.released(at: u + .microseconds(50)).isEmpty, "nothing is opened once stopped")
        #expect(agent.state == .idle)
    }

    @Test func nothingAfterTheEnd() {
        var agent = LinkAgent(end: VTime.zero + .milliseconds(1), cycle: .microseconds(50), modes: 1)
        #expect(agent.start(at: VTime.zero + .milliseconds(2)).isEmpty)
        #expect(agent.state == .idle)
    }
}

@Suite("Station agent")
struct StationAgentTests {
    static func agent(_ p: Double = 1) throws -> StationAgent {
        let model = try HeraldingModel(scheme: .doubleClick, etaA: p, etaB: p)
        let timing = LinkTiming(attemptPeriod: .microseconds(1), armDelayA: .microseconds(10), armDelayB: .microseconds(30), rounds: 2, modes: 1)
        return StationAgent(timing: timing, sampler: HeraldingSampler(model: model), mode: .batched, rng: SeededRandom(seed: 1))
    }

    /// Heralds only once both ends' batches are in, at the station-centred time, with each
    /// end's emission time offset by its own arm.
    @Test func heraldTiming() throws {
        var station = try Self.agent()
        let qa = QubitID(home: NodeID(0), index: 0), qb = QubitID(home: NodeID(1), index: 0)
        #expect(station.on(batch: .init(batchID: 0, start: VTime.zero + .microseconds(5), maxAttempts: 100, qubit: qa), from: .a).isEmpty)
        let directives = station.on(batch: .init(batchID: 0, start: VTime.zero + .microseconds(7), maxAttempts: 100, qubit: qb), from: .b)
        guard case let .herald(h)? = directives.first else {
            Issue.record("no herald: \(directives)")
            return
        }
        // Perfect detectors: p = 1/2 per attempt, so the attempt index varies; the timing must
        // be t0 + k·T + 2·P + max arm, with T = 2 P + 2 × 30 µs.
        let cycle = VDuration.microseconds(62)
        #expect(h.time == VTime.zero + .microseconds(7) + cycle * (h.attemptIndex) + .microseconds(2) + .microseconds(30))
        #expect(h.emissionTimes == [h.time - .microseconds(10), h.time - .microseconds(30)])
        #expect(h.qubits == [qa, qb])
        #expect(abs(h.state.fidelity(to: h.bellState) - 1) < 1e-12)
    }

    @Test func exhaustsWhenNothingArrives() throws {
        var station = try Self.agent(0)
        let q = QubitID(1)
        _ = station.on(batch: .init(batchID: 3, start: .zero, maxAttempts: 10, qubit: q), from: .b)
        let directives = station.on(batch: .init(batchID: 3, start: .zero, maxAttempts: 10, qubit: q), from: .a)
        guard case let .exhausted(batchID, attempts, time)? = directives.first else {
            Issue.record("expected exhaustion")
            return
        }
        #expect(batchID == 3 && attempts == 10)
        #expect(time == VTime.zero + .microseconds(62) * 10)
    }
}
