import Foundation
import QNetCore
import QNetQuantum
import Testing
@testable import QNetPhysics

/// The click model against closed forms written out term by term, and its small-loss limits.
@Suite("Heralding model")
struct HeraldingModelTests {
    /// Single-click, detector c, spelled out (see ``HeraldingModel``): diagonal weights
    /// a0 (no bright spin), a1X (X bright), a2 (both), coherence k.
    static func singleClickClosedForm(alpha: Double, etaA: Double, etaB: Double, v: Double, pd: Double) -> (p: Double, f: Double) {
        let a0 = pd * (1 - pd)
        let a1A = etaA / 2 * (1 - pd) + (1 - etaA) * a0
        let a1B = etaB / 2 * (1 - pd) + (1 - etaB) * a0
        let a2 = etaA * etaB * (1 + v) / 4 * (1 - pd) + (etaA + etaB - 2 * etaA * etaB) / 2 * (1 - pd) + (1 - etaA) * (1 - etaB) * a0
        let k = (etaA * etaB * v).squareRoot() / 2 * (1 - pd)
        let pc = (1 - alpha) * (1 - alpha) * a0 + alpha * (1 - alpha) * (a1A + a1B) + alpha * alpha * a2
        let f = (alpha * (1 - alpha) * ((a1A + a1B) / 2 + k)) / pc
        return (2 * pc, f)
    }

    /// Barrett–Kok spelled out: spins start in |++⟩ (all entries ¼); the π pulse maps
    /// |00⟩↔|11⟩ and |01⟩↔|10⟩ between rounds, so p = 2(a0·a2 + a1A·a1B) over the four
    /// successful patterns and F = (a1A·a1B + k²) / (2(a0·a2 + a1A·a1B)).
    static func doubleClickClosedForm(etaA: Double, etaB: Double, v: Double, pd: Double) -> (p: Double, f: Double) {
        let a0 = pd * (1 - pd)
        let a1A = etaA / 2 * (1 - pd) + (1 - etaA) * a0
        let a1B = etaB / 2 * (1 - pd) + (1 - etaB) * a0
        let a2 = etaA * etaB * (1 + v) / 4 * (1 - pd) + (etaA + etaB - 2 * etaA * etaB) / 2 * (1 - pd) + (1 - etaA) * (1 - etaB) * a0
        let k = (etaA * etaB * v).squareRoot() / 2 * (1 - pd)
        let p = 2 * (a0 * a2 + a1A * a1B)
        return (p, (a1A * a1B + k * k) / p)
    }

    @Test(arguments: [
        (0.1, 0.5, 0.5, 1.0, 0.0), (0.1, 0.9, 0.9, 1.0, 0.0), (0.3, 0.8, 0.2, 0.9, 1e-3),
        (0.05, 0.01, 0.02, 0.95, 1e-5), (0.5, 1.0, 1.0, 1.0, 0.0), (0.2, 0.3, 0.3, 0.8, 0.05),
    ])
    func singleClickMatchesClosedForm(alpha: Double, etaA: Double, etaB: Double, v: Double, pd: Double) throws {
        let model = try HeraldingModel(scheme: .singleClick(brightStatePopulation: alpha), etaA: etaA, etaB: etaB, visibility: v, darkCountProbability: pd)
        let expected = Self.singleClickClosedForm(alpha: alpha, etaA: etaA, etaB: etaB, v: v, pd: pd)
        #expect(abs(model.successProbability - expected.p) < 1e-14)
        #expect(abs(model.heraldedFidelity - expected.f) < 1e-12)
        // Completeness: the click patterns of a round are a partition.
        let total = model.allOutcomes.reduce(0) { $0 + model.probability(of: $1) }
        #expect(abs(total - 1) < 1e-14)
    }

    @Test(arguments: [(0.5, 0.5, 1.0, 0.0), (0.9, 0.9, 1.0, 0.0), (0.8, 0.2, 0.9, 1e-3), (0.01, 0.02, 0.95, 1e-5), (1.0, 1.0, 1.0, 0.0)])
    func doubleClickMatchesClosedForm(etaA: Double, etaB: Double, v: Double, pd: Double) throws {
        let model = try HeraldingModel(scheme: .doubleClick, etaA: etaA, etaB: etaB, visibility: v, darkCountProbability: pd)
        let expected = Self.doubleClickClosedForm(etaA: etaA, etaB: etaB, v: v, pd: pd)
        #expect(abs(model.successProbability - expected.p) < 1e-14)
        #expect(abs(model.heraldedFidelity - expected.f) < 1e-12)
        let total = model.allOutcomes.reduce(0) { $0 + model.probability(of: $1) }
        #expect(abs(total - 1) < 1e-14)
    }

    /// Small-loss limits (DESIGN §4). With ideal detectors (p_dark = 0), V = 1 and
    /// η_A = η_B = η the click model reduces, by hand, to p = 2αη − α²η² and
    /// F = (1 − α)/(1 − αη/2) for single-click, and p = η²/2, F = 1 for double-click; so
    /// p → 2αη and F → 1 − α with relative corrections αη/2.
    @Test(arguments: [1e-3, 1e-4, 0.05])
    func smallLossLimits(eta: Double) throws {
        let alpha = 0.05
        let single = try HeraldingModel(scheme: .singleClick(brightStatePopulation: alpha), etaA: eta, etaB: eta)
        #expect(abs(single.successProbability - (2 * alpha * eta - alpha * alpha * eta * eta)) < 1e-15)
        #expect(abs(single.heraldedFidelity - (1 - alpha) / (1 - alpha * eta / 2)) < 1e-12)
        #expect(abs(single.successProbability / (2 * alpha * eta) - 1) <= alpha * eta / 2 + 1e-12)
        let double = try HeraldingModel(scheme: .doubleClick, etaA: eta, etaB: eta)
        #expect(abs(double.successProbability - eta * eta / 2) < 1e-15)
        #expect(abs(double.heraldedFidelity - 1) < 1e-12)
    }

    /// Heralded states are proper density matrices and the c/d patterns herald Ψ+/Ψ−.
    @Test func heraldedStatesAreBellLike() throws {
        let model = try HeraldingModel(scheme: .doubleClick, etaA: 0.3, etaB: 0.4, visibility: 0.9, darkCountProbability: 1e-4)
        for outcome in model.successfulOutcomes {
            let rho = model.heraldedState(outcome)
            #expect(rho.invariantViolation(checkPositivity: true) == nil)
            #expect(rho.fidelity(to: outcome.bellState) > 0.9)
        }
        #expect(HeraldOutcome([.c, .d]).bellState == .psiMinus)
        #expect(HeraldOutcome([.d, .d]).bellState == .psiPlus)
    }

    @Test func rejectsBadParameters() {
        #expect(throws: QuantumError.self) { try HeraldingModel(scheme: .doubleClick, etaA: 1.2, etaB: 0.5) }
        #expect(throws: QuantumError.self) { try HeraldingModel(scheme: .singleClick(brightStatePopulation: 0), etaA: 0.5, etaB: 0.5) }
        #expect(throws: QuantumError.self) { try MemoryModel(t1Seconds: 1, t2Seconds: 3) }
    }

    @Test func fibreAndDetector() {
        let fibre = FiberChannel(lengthMetres: 50_000, attenuationDecibelsPerKilometre: 0.2)
        #expect(abs(fibre.transmittance - 0.1) < 1e-15)
        // 1 km at n = 1.47: 4.903 µs
        #expect(FiberChannel(lengthMetres: 1000).delay.picoseconds == 4_903_392)
        let detector = DetectorModel(efficiency: 0.9, darkCountRateHertz: 1000, window: .nanoseconds(10))
        #expect(abs(detector.darkCountProbability - 1e-5) < 1e-10)
    }
}

/// The batched sampler against the per-attempt mode: same distribution of success attempt
/// index and of heralded outcome (fixed seeds, 4 standard errors).
@Suite("Batched heralding")
struct HeraldingSamplerTests {
    @Test(arguments: [HeraldingScheme.singleClick(brightStatePopulation: 0.2), .doubleClick])
    func batchedMatchesPerAttempt(scheme: HeraldingScheme) throws {
        let model = try HeraldingModel(scheme: scheme, etaA: 0.25, etaB: 0.15, visibility: 0.9, darkCountProbability: 2e-3)
        let sampler = HeraldingSampler(model: model)
        let p = sampler.successProbability
        let n = 40_000
        let maxAttempts: UInt64 = 200
        var batched = SeededRandom(seed: 1).split("batched"), perAttempt = SeededRandom(seed: 1).split("per-attempt")
        struct Tally { var sum = 0.0, sumSquares = 0.0, exhausted = 0, outcomes: [HeraldOutcome: Int] = [:] }
        var stats = [Tally(), Tally()]
        for _ in 0..<n {
            for (index, result) in [sampler.sampleBatched(maxAttempts: maxAttempts, using: &batched),
                                    sampler.samplePerAttempt(maxAttempts: maxAttempts, using: &perAttempt)].enumerated() {
                guard let (attempt, outcome) = result else { stats[index].exhausted += 1; continue }
                stats[index].sum += Double(attempt)
                stats[index].sumSquares += Double(attempt * attempt)
                stats[index].outcomes[outcome, default: 0] += 1
            }
        }
        // Truncated geometric: P(exhausted) = q^m; given success, E[K] = q/p − m·q^m/(1 − q^m).
        let q = 1 - p, m = Double(maxAttempts)
        let pExhausted = pow(q, m)
        let truncatedMean = q / p - m * pExhausted / (1 - pExhausted)
        for s in stats {
            #expect(abs(Double(s.exhausted) / Double(n) - pExhausted) <= fourSigma(pExhausted, n) + 1 / Double(n))
        }
        let means = stats.map { $0.sum / Double(n - $0.exhausted) }
        let variances = stats.enumerated().map { i, s in s.sumSquares / Double(n - s.exhausted) - means[i] * means[i] }
        // Each against the exact truncated mean, and against each other, within 4 standard errors
        // of their own sample variances.
        for (mean, variance) in zip(means, variances) {
            #expect(abs(mean - truncatedMean) < 4 * (variance / Double(n)).squareRoot(), "mean \(mean), expected \(truncatedMean)")
        }
        #expect(abs(means[0] - means[1]) < 4 * ((variances[0] + variances[1]) / Double(n)).squareRoot())
        // Outcome frequencies against P(outcome | success) and against each other.
        for outcome in model.successfulOutcomes {
            let expected = model.probability(of: outcome) / p
            for s in stats {
                let k = Double(s.outcomes[outcome, default: 0]) / Double(n - s.exhausted)
                #expect(abs(k - expected) < fourSigma(expected, n), "\(outcome.rounds)")
            }
        }
    }

    /// The inversion K = ⌊ln U / ln(1 − p)⌋: certain success is attempt 0; a known quantile;
    /// probability 0 never succeeds.
    @Test func inversionExtremes() throws {
        #expect(HeraldingSampler.failuresBeforeSuccess(probability: 1, uniform: 0.3) == 0)
        #expect(HeraldingSampler.failuresBeforeSuccess(probability: 0.5, uniform: 0.25) == 2)  // ln 0.25 / ln 0.5 = 2
        #expect(HeraldingSampler.failuresBeforeSuccess(probability: 0.5, uniform: 0.2499) == 2)
        #expect(HeraldingSampler.failuresBeforeSuccess(probability: 0.5, uniform: 0.26) == 1)
        var rng = SeededRandom(seed: 3)
        let never = HeraldingSampler(model: try HeraldingModel(scheme: .doubleClick, etaA: 0, etaB: 0))
        #expect(never.sampleBatched(maxAttempts: 1_000_000, using: &rng) == nil)
        #expect(never.samplePerAttempt(maxAttempts: 1_000, using: &rng) == nil)
    }
}

func fourSigma(_ p: Double, _ n: Int) -> Double { 4 * (p * (1 - p) / Double(n)).squareRoot() }
