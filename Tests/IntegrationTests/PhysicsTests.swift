import Foundation
import QNetCore
import QNetNode
import QNetPhysics
import QNetQuantum
import QNetScenario
import Testing

/// Physics of real multi-process runs against the click model's closed forms, with fixed seeds
/// and tolerances of 4 standard errors derived from the number of pairs.
///
/// One run serves four independent links at once (each its own station process): single-click
/// at 2 km and at 50 km, double-click (Barrett–Kok) at 2 km, and a link whose memories have a
/// 100 µs T2, for the decoherence check. The same scenario is then run with the stations'
/// exact per-attempt sampler, and the two runs are compared.
@Suite("Physics across processes", .serialized)
struct PhysicsTests {
    static let pairs = 600
    static let yaml = """
        name: physics-check
        seed: 11
        duration: 60 s
        defaults:
          memory:    { qubits: 2, communicationQubits: 1 }   # one attempt stream per link: the closed forms below are for it
          photonics: { emissionEfficiency: 0.5, visibility: 0.95, attemptPeriod: 1 us, multiplexing: 1 }
          detectors: { efficiency: 0.9, darkCountRate: 100 Hz, window: 10 ns }
          link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: single-click, brightStatePopulation: 0.1 }
        nodes:
          - name: a1
          - name: b1
          - name: a2
          - name: b2
          - name: a3
          - name: b3
          - name: a4
            memory: { t1: inf, t2: 100 us }
          - name: b4
            memory: { t1: inf, t2: 100 us }
        links:
          - { nodes: [a1, b1], length: 2 km }
          - { nodes: [a2, b2], length: 50 km }
          - { nodes: [a3, b3], length: 2 km, scheme: double-click }
          - { nodes: [a4, b4], length: 10 km, stationAt: 0.3 }
        requests:
          - { from: a1, to: b1, pairs: \(pairs), type: keep }
          - { from: a2, to: b2, pairs: \(pairs), type: keep }
          - { from: a3, to: b3, pairs: \(pairs), type: keep }
          - { from: a4, to: b4, pairs: \(pairs), type: keep }
        """

    typealias Run = Harness.ScenarioRun

    static func run(sampling: String) throws -> Run {
        try Harness.runScenario(yaml, label: "physics-\(sampling)", extra: ["--sampling", sampling])
    }

    /// Link i's pairs, in delivery order.
    static func rows(_ run: Run, request: Int) -> [[String: String]] {
        run.pairs.filter { $0["request"] == "\(request)" }
    }

    @Test func batchedRunMatchesClosedForms() throws {
        let run = try Self.run(sampling: "batched")
        try Self.checkAgainstModel(run)
    }

    @Test func perAttemptRunMatchesClosedFormsAndBatched() throws {
        let batched = try Self.run(sampling: "batched")
        let exact = try Self.run(sampling: "per-attempt")
        try Self.checkAgainstModel(exact)
        // Same distribution of the waiting time per pair (two-sample, 4 standard errors), link by link.
        for link in 0..<3 {
            let x = batched.summary.requests[link], y = exact.summary.requests[link]
            let tx = 1 / x.ratePerSecond!.mean, ty = 1 / y.ratePerSecond!.mean
            let physics = try LinkPhysics(scenario: batched.scenario, link: batched.scenario.links[link])
            let pc = physics.cycleSuccessProbability, cycle = physics.timing.cycle.seconds
            let sdTau = cycle * (1 - pc).squareRoot() / pc
            #expect(abs(tx - ty) < 4 * sdTau * (2 / Double(Self.pairs)).squareRoot(), "link \(link)")
            let fx = x.fidelity!.mean, fy = y.fidelity!.mean
            #expect(abs(fx - fy) < 1e-9, "link \(link): heralded states differ")
        }
    }

    /// Per link: per-attempt success probability (geometric MLE, SE = p√(1−p)/√n), mean time per
    /// pair (T/p_c, SE = T√(1−p_c)/(p_c√n)), and fidelity (deterministic per outcome here: the
    /// heralded state is the click model's conditional state, so 1e-9).
    static func checkAgainstModel(_ run: Run) throws {
        let s = run.summary
        #expect(s.status == "completed")
        for link in 0..<3 {
            let physics = try LinkPhysics(scenario: run.scenario, link: run.scenario.links[link])
            let request = s.requests[link]
            #expect(request.pairsDelivered == Self.pairs)
            let n = Double(request.pairsDelivered)
            let p = physics.successProbability
            let measuredP = s.links[link].successProbability!
            #expect(abs(measuredP - p) < 4 * p * (1 - p).squareRoot() / n.squareRoot(), "link \(link): p = \(measuredP), model \(p)")
            let pc = physics.cycleSuccessProbability, cycle = physics.timing.cycle.seconds
            let meanTau = 1 / request.ratePerSecond!.mean
            #expect(abs(meanTau - cycle / pc) < 4 * cycle * (1 - pc).squareRoot() / (pc * n.squareRoot()),
                    "link \(link): \(1 / meanTau) pairs/s, expected \(pc / cycle)")
            #expect(abs(request.fidelity!.mean - physics.model.heraldedFidelity) < 1e-9, "link \(link)")
        }
        // Small-loss sanity of the model itself at these parameters (DESIGN §4): single-click
        // p ≈ 2αη, double-click p ≈ η²/2, within the O(η) corrections.
        let short = try LinkPhysics(scenario: run.scenario, link: run.scenario.links[0]).model
        #expect(abs(short.successProbability / (2 * 0.1 * short.etaA) - 1) < 0.15)
        let bk = try LinkPhysics(scenario: run.scenario, link: run.scenario.links[2]).model
        #expect(abs(bk.successProbability / (bk.etaA * bk.etaA / 2) - 1) < bk.etaA + 0.05)
    }

    /// Memory decoherence: each pair's fidelity follows from its own storage times. With T1 = ∞
    /// and dephasing time T2, the corrected heralded state ρ keeps its populations and its
    /// coherence ρ_{00,11} decays by e^(−(t_A + t_B)/T2) (Nielsen & Chuang §8.3.6), so
    /// F = ½(ρ_{00,00} + ρ_{11,11}) + Re ρ_{00,11}·e^(−(t_A+t_B)/T2), where t_X = delivered −
    /// (created − d_X) is how long end X's qubit was held (d_X its arm's delay).
    @Test func heldPairsLoseFidelityAsT2Predicts() throws {
        let run = try Self.run(sampling: "batched")
        let link = run.scenario.links[3]
        let physics = try LinkPhysics(scenario: run.scenario, link: link)
        let rho = physics.deliveredState
        let populations = 0.5 * (rho[0, 0].real + rho[3, 3].real), coherence = rho[0, 3].real
        let t2 = 100e-6
        let rows = Self.rows(run, request: 3)
        #expect(rows.count == Self.pairs)
        var losses = 0.0
        for row in rows {
            let created = Double(row["createdSeconds"]!)!, delivered = Double(row["deliveredSeconds"]!)!
            let held = 2 * delivered - 2 * created + link.armA.delay.seconds + link.armB.delay.seconds
            let predicted = populations + coherence * exp(-held / t2)
            #expect(abs(Double(row["fidelity"]!)! - predicted) < 1e-9)
            losses += physics.model.heraldedFidelity - predicted
        }
        // The loss is real: about (1 − e^(−held/T2))·coherence with held ≈ 2 × the longer arm's delay.
        #expect(losses / Double(rows.count) > 0.05)
    }
}
