import Foundation
import QNetCore
import QNetNode
import QNetPhysics
import QNetQuantum
import QNetScenario
import Testing

/// The realtime clock (DESIGN §2): real latency becomes extra virtual latency and costs
/// fidelity, measured and explained, never hidden.
@Suite("Realtime clock", .serialized)
struct RealtimeTests {
    static func yaml(clock: String) -> String {
        """
        name: realtime-\(clock.contains("lockstep") ? "lockstep" : "realtime")
        seed: 3
        duration: 30 s
        clock: \(clock)
        defaults:
          memory:    { qubits: 2, t1: inf, t2: 1 ms }
          photonics: { emissionEfficiency: 0.5, visibility: 1.0, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
          link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: single-click, brightStatePopulation: 0.1 }
        nodes:
          - name: alice
          - name: bob
        links:
          - { nodes: [alice, bob], length: 10 km }
        requests:
          - { from: alice, to: bob, pairs: 200, type: keep }
        """
    }

    typealias Run = Harness.ScenarioRun

    static func run(clock: String) throws -> Run {
        try Harness.runScenario(Self.yaml(clock: clock), label: "realtime")
    }

    /// With T1 = ∞ a kept pair's fidelity is P + C·e^(−(t_A + t_B)/T2), t_X = delivered −
    /// (created − d_X) (see PhysicsTests): the prediction from the recorded times.
    static func predicted(_ run: Run, delivered: Double, created: Double) throws -> Double {
        let link = run.scenario.links[0]
        let rho = try LinkPhysics(scenario: run.scenario, link: link).deliveredState
        let held = 2 * delivered - 2 * created + link.armA.delay.seconds + link.armB.delay.seconds
        return 0.5 * (rho[0, 0].real + rho[3, 3].real) + rho[0, 3].real * exp(-held / 1e-3)
    }

    /// At dilation 1 the real latency of processes and sockets (tens to hundreds of µs) is
    /// comparable to T2 = 1 ms: the realtime run loses fidelity relative to lockstep; every pair
    /// still matches the closed form for its own recorded (late) delivery; the reported loss per
    /// pair equals lockstep minus realtime; the actual delays in events.jsonl exceed the modeled
    /// ones. At dilation 20 (virtual time 20× slower than the wall clock) the same real latency
    /// is 20× less virtual time and the loss shrinks toward zero.
    @Test func realLatencyCostsFidelityAndDilationShrinksIt() throws {
        let lockstep = try Self.run(clock: "{ mode: lockstep }")
        let fast = try Self.run(clock: "{ mode: realtime, dilation: 1 }")
        let slow = try Self.run(clock: "{ mode: realtime, dilation: 20 }")
        #expect(fast.summary.clockMode == "realtime")
        let fLock = lockstep.summary.requests[0].fidelity!.mean
        // Lockstep: every pair is held exactly the modeled time, so every pair has the same fidelity.
        #expect(lockstep.summary.requests[0].fidelity!.ci95[1] - lockstep.summary.requests[0].fidelity!.ci95[0] < 1e-9)

        for run in [fast, slow] {
            let r = run.summary.requests[0]
            #expect(r.pairsDelivered == 200)
            for row in run.pairs {
                let predicted = try Self.predicted(run, delivered: Double(row["deliveredSeconds"]!)!, created: Double(row["createdSeconds"]!)!)
                #expect(abs(Double(row["fidelity"]!)! - predicted) < 1e-9)
            }
            // The reported loss is exactly what separates this run from lockstep, pair by pair on average.
            let lost = r.fidelityLostToLatency!.mean
            #expect(abs((fLock - r.fidelity!.mean) - lost) < 1e-9)
            // Every routed message has its actual delay, never below the modeled one — except those
            // still in flight when the run ended, which have none. A memory qubit has at most one
            // attempt batch, one withdrawal and one herald outstanding at a time, so at most 3 per
            // qubit of the two ends (2 each) are in flight; which of them are depends on how late
            // the processes run (under a loaded full test run 6 were, alone usually 0 or 1).
            let delays = run.events.compactMap { e -> (Double, Double)? in
                guard let a = e["actualDelaySeconds"] as? Double, let m = e["modeledDelaySeconds"] as? Double else { return nil }
                return (a, m)
            }
            let qubits = run.scenario.nodes.reduce(0) { $0 + $1.memory.qubits }
            #expect(run.events.count - delays.count <= 3 * qubits)
            #expect(delays.count >= 4 * 200)
            #expect(delays.allSatisfy { $0.0 >= $0.1 - 1e-12 })
            #expect(run.summary.processes.dropFirst().allSatisfy { $0.clockResidualSeconds != nil })
        }
        let lostFast = fast.summary.requests[0].fidelityLostToLatency!, lostSlow = slow.summary.requests[0].fidelityLostToLatency!
        // Loss at dilation 1 is real (its 95% interval excludes zero) and larger than at dilation 20.
        #expect(lostFast.ci95[0] > 0)
        #expect(lostSlow.mean < lostFast.mean / 4, "dilation 20: \(lostSlow.mean), dilation 1: \(lostFast.mean)")
        #expect(fast.summary.requests[0].fidelity!.mean < fLock - 4 * (fast.summary.requests[0].fidelity!.ci95[1] - fast.summary.requests[0].fidelity!.mean) / 1.96)
    }
}
