import Foundation
import Numerics
import QNetCore
import Testing
@testable import QNetQuantum

/// The engine against closed-form physics. Each test names its source.
@Suite("Closed forms")
struct ClosedFormTests {
    /// Entanglement swapping of two Werner pairs: F = F1·F2 + (1−F1)(1−F2)/3 for every
    /// Bell-measurement outcome after the Pauli correction (Briegel, Dür, Cirac & Zoller,
    /// PRL 81, 5932, 1998; the Werner-parameter product w = w1·w2 with w = (4F−1)/3).
    @Test(arguments: [(1.0, 1.0), (0.9, 0.95), (0.8, 0.7), (0.6, 0.99), (0.25, 0.9)])
    func swappingWernerPairs(f1: Double, f2: Double) throws {
        let expected = f1 * f2 + (1 - f1) * (1 - f2) / 3
        let pairs = try DensityMatrix.werner(fidelity: f1).tensor(DensityMatrix.werner(fidelity: f2))
        var total = 0.0
        for outcome in BellState.allCases {
            var rho = pairs
            let p = rho.projectBell(1, 2, onto: outcome)
            total += p
            #expect(abs(p - 0.25) < 1e-12, "outcome \(outcome) has probability \(p)")
            rho.apply(outcome.correctionToPhiPlus, to: 1)
            #expect(abs(rho.fidelity(to: .phiPlus) - expected) < 1e-12, "outcome \(outcome)")
            // The result is again Werner: every other Bell coefficient is (1 − F)/3.
            for other in [BellState.phiMinus, .psiPlus, .psiMinus] {
                #expect(abs(rho.fidelity(to: other) - (1 - expected) / 3) < 1e-12)
            }
        }
        #expect(abs(total - 1) < 1e-12)
    }

    /// Perfect Bell pairs of any kind swap to the Bell state predicted by the Pauli frame, and the
    /// correction table of ``BellState/correctionToPhiPlus`` turns each into Φ+.
    @Test func swappingPerfectPairsOfEveryKind() throws {
        for a in BellState.allCases {
            for b in BellState.allCases {
                var pairs = try DensityMatrix.bell(a).tensor(.bell(b))
                pairs.apply(a.correctionToPhiPlus, to: 1)
                pairs.apply(b.correctionToPhiPlus, to: 3)
                for outcome in BellState.allCases {
                    var rho = pairs
                    rho.projectBell(1, 2, onto: outcome)
                    rho.apply(outcome.correctionToPhiPlus, to: 1)
                    #expect(abs(rho.fidelity(to: .phiPlus) - 1) < 1e-12)
                }
            }
        }
    }

    /// One BBPSSW round (bilateral CNOT, both targets measured in Z, kept when equal) on two
    /// Werner pairs of fidelity F: F' = (F² + ((1−F)/3)²)/p, p = F² + 2F(1−F)/3 + 5((1−F)/3)²
    /// (Bennett, Brassard, Popescu, Schumacher, Smolin & Wootters, PRL 76, 722, 1996).
    @Test(arguments: [0.55, 0.6, 0.7, 0.8, 0.9, 0.99])
    func bbpsswRound(f: Double) throws {
        let q = (1 - f) / 3
        let expectedP = f * f + 2 * f * (1 - f) / 3 + 5 * q * q
        let expectedF = (f * f + q * q) / expectedP
        let (p, rho) = try purify(.werner(fidelity: f), .werner(fidelity: f), rotate: false)
        #expect(abs(p - expectedP) < 1e-12)
        #expect(abs(rho.fidelity(to: .phiPlus) - expectedF) < 1e-12)
        if f == 0.8 {
            // The worked example: F = 0.8 → F' = 0.83815, p = 0.76889 (5 decimals).
            #expect(abs(rho.fidelity(to: .phiPlus) - 0.83815) < 5e-6)
            #expect(abs(p - 0.76889) < 5e-6)
        }
    }

    /// One DEJMPS round on Bell-diagonal pairs with coefficients (A, B, C, D) on
    /// (Φ+, Ψ−, Ψ+, Φ−): A' = (A²+B²)/N, B' = 2CD/N, C' = (C²+D²)/N, D' = 2AB/N,
    /// N = (A+B)² + (C+D)² (Deutsch, Ekert, Jozsa, Macchiavello, Popescu & Sanpera,
    /// PRL 77, 2818, 1996, eq. 4). Alice rotates by Rx(π/2), Bob by Rx(−π/2), then BBPSSW.
    @Test(arguments: [[0.7, 0.1, 0.12, 0.08], [0.6, 0.3, 0.05, 0.05], [0.5, 0.2, 0.2, 0.1], [0.9, 0.0, 0.1, 0.0]])
    func dejmpsRound(abcd: [Double]) throws {
        let (a, b, c, d) = (abcd[0], abcd[1], abcd[2], abcd[3])
        // Engine order is Φ+, Φ−, Ψ+, Ψ−.
        let input = try DensityMatrix.bellDiagonal([a, d, c, b])
        let n = (a + b) * (a + b) + (c + d) * (c + d)
        let (p, rho) = try purify(input, input, rotate: true)
        #expect(abs(p - n) < 1e-12)
        let out = rho.bellCoefficients
        #expect(abs(out[BellState.phiPlus.rawValue] - (a * a + b * b) / n) < 1e-12)
        #expect(abs(out[BellState.psiMinus.rawValue] - 2 * c * d / n) < 1e-12)
        #expect(abs(out[BellState.psiPlus.rawValue] - (c * c + d * d) / n) < 1e-12)
        #expect(abs(out[BellState.phiMinus.rawValue] - 2 * a * b / n) < 1e-12)
    }

    /// Exact recurrence-purification round on pairs (A0,B0) and (A1,B1), qubit order
    /// [A0, B0, A1, B1]: success probability and the kept pair's state.
    func purify(_ first: DensityMatrix, _ second: DensityMatrix, rotate: Bool) throws -> (Double, DensityMatrix) {
        var rho = try first.tensor(second)
        if rotate {
            for q in [0, 2] { rho.apply(.rx(Double.pi / 2), to: [q]) }
            for q in [1, 3] { rho.apply(.rx(-Double.pi / 2), to: [q]) }
        }
        rho.apply(.cnot, to: [0, 2])
        rho.apply(.cnot, to: [1, 3])
        var kept = ComplexMatrix(rows: 4, columns: 4)
        var success = 0.0
        for outcome in 0...1 {
            var branch = rho
            let p2 = branch.project(2, outcome: outcome)
            let p3 = branch.project(3, outcome: outcome)
            let p = p2 * p3
            guard p > 0 else { continue }
            success += p
            let pair = branch.reduced(to: [0, 1]).matrix
            for i in kept.re.indices {
                kept.re[i] += p * pair.re[i]
                kept.im[i] += p * pair.im[i]
            }
        }
        for i in kept.re.indices { kept.re[i] /= success; kept.im[i] /= success }
        return (success, try DensityMatrix(matrix: kept))
    }

    /// Pure dephasing of one half of Φ+ for time t: F = (1 + e^(−t/T2))/2
    /// (the coherence ρ_{00,11} decays as e^(−t/T2); Nielsen & Chuang §8.3.6).
    @Test(arguments: [0.0, 0.01, 0.1, 0.5, 1.0, 3.0])
    func dephasingOfBellPair(tSeconds: Double) throws {
        let t2 = 0.5
        var rho = DensityMatrix.bell(.phiPlus)
        try rho.decohere(0, duration: VDuration(seconds: tSeconds), t1Seconds: .infinity, t2Seconds: t2)
        let expected = (1 + exp(-VDuration(seconds: tSeconds).seconds / t2)) / 2
        #expect(abs(rho.fidelity(to: .phiPlus) - expected) < 1e-12)
    }

    /// Amplitude damping leaves excited population e^(−t/T1) (Nielsen & Chuang eq. 8.107 with
    /// γ = 1 − e^(−t/T1)), whatever T2 ≤ 2·T1 is.
    @Test(arguments: [(0.1, 2.0), (1.0, 2.0), (2.0, 0.3), (5.0, 1.0)])
    func amplitudeDamping(tSeconds: Double, t2Seconds: Double) throws {
        let t1 = 1.0
        var rho = DensityMatrix.basisState(1, qubitCount: 1)
        try rho.decohere(0, duration: VDuration(seconds: tSeconds), t1Seconds: t1, t2Seconds: t2Seconds)
        #expect(abs(rho[1, 1].real - exp(-tSeconds / t1)) < 1e-12)
        // and a superposition's coherence decays as e^(−t/T2)
        var plus = DensityMatrix(pure: ComplexMatrix(real: [[1 / 2.0.squareRoot()], [1 / 2.0.squareRoot()]]))
        try plus.decohere(0, duration: VDuration(seconds: tSeconds), t1Seconds: t1, t2Seconds: t2Seconds)
        #expect(abs(plus[0, 1].real - 0.5 * exp(-tSeconds / t2Seconds)) < 1e-12)
    }

    /// Two decoherence steps compose to one of the summed duration (the semigroup property that
    /// lazy, per-qubit decoherence relies on).
    @Test func decoherenceComposes() throws {
        var rng = SeededRandom(seed: 5)
        let start = Random.mixedState(qubits: 2, &rng)
        var once = start, twice = start
        try once.decohere(1, duration: .milliseconds(30), t1Seconds: 0.1, t2Seconds: 0.05)
        try twice.decohere(1, duration: .milliseconds(10), t1Seconds: 0.1, t2Seconds: 0.05)
        try twice.decohere(1, duration: .milliseconds(20), t1Seconds: 0.1, t2Seconds: 0.05)
        #expect(once.maxDistance(to: twice) < 1e-14)
    }

    /// The linear inverse used for counterfactual estimates undoes decoherence exactly.
    @Test func undecohereInvertsDecohere() throws {
        var rng = SeededRandom(seed: 6)
        let start = Random.mixedState(qubits: 2, &rng)
        var rho = start
        try rho.decohere(0, duration: .milliseconds(3), t1Seconds: 0.05, t2Seconds: 0.02)
        #expect(rho.maxDistance(to: start) > 1e-3)
        rho.undecohere(0, duration: .milliseconds(3), t1Seconds: 0.05, t2Seconds: 0.02)
        #expect(rho.maxDistance(to: start) < 1e-12)
    }

    /// Teleportation of pure states through a Werner resource of fidelity F has average fidelity
    /// (2F+1)/3 (Horodecki, Horodecki & Horodecki, PRA 60, 1888, 1999: f = (dF+1)/(d+1), d = 2).
    /// For a Werner resource the channel is depolarising, so every input state gets that value.
    @Test(arguments: [1.0, 0.9, 0.75, 0.5])
    func teleportationThroughWerner(f: Double) throws {
        var rng = SeededRandom(seed: 42)
        let expected = (2 * f + 1) / 3
        var sum = 0.0
        let states = 50
        for _ in 0..<states {
            let psi = Random.pureVector(qubits: 1, &rng)
            let input = DensityMatrix(pure: psi)
            let full = try input.tensor(.werner(fidelity: f))  // [ψ, A, B]
            var fidelity = 0.0
            for outcome in BellState.allCases {
                var rho = full
                let p = rho.projectBell(0, 1, onto: outcome)
                rho.apply(outcome.correctionToPhiPlus, to: 0)
                fidelity += p * rho.fidelity(toPure: psi)
            }
            #expect(abs(fidelity - expected) < 1e-12)
            sum += fidelity
        }
        #expect(abs(sum / Double(states) - expected) < 1e-12)
    }

    /// CHSH value of a Werner state with the optimal settings A ∈ {Z, X},
    /// B ∈ {(Z+X)/√2, (Z−X)/√2}: S = 2√2·(4F−1)/3 (Clauser, Horne, Shimony & Holt, PRL 23, 880,
    /// 1969; Werner 1989). Exact expectation values, then sampled measurements within 4 standard
    /// errors.
    @Test(arguments: [1.0, 0.9, 0.78, 0.5])
    func chshOfWerner(f: Double) throws {
        let expected = 2 * 2.0.squareRoot() * (4 * f - 1) / 3
        let rho = try DensityMatrix.werner(fidelity: f)
        let z = Gate.z.matrix, x = Gate.x.matrix
        let s2 = Complex<Double>(1 / 2.0.squareRoot(), 0)
        let b0 = s2 * (z + x), b1 = s2 * (z + Complex(-1, 0) * x)
        func e(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Double { rho.expectation(a.kronecker(b), on: [0, 1]) }
        let s = e(z, b0) + e(z, b1) + e(x, b0) - e(x, b1)
        #expect(abs(s - expected) < 1e-12)

        // Sampled: each correlator from n shots; Var(product of ±1) ≤ 1, so SE(S) ≤ 2/√n.
        var rng = SeededRandom(seed: 2024)
        let n = 40_000
        let settings: [(MeasurementBasis, MeasurementBasis, Double)] = [
            (.z, .bloch(theta: .pi / 4, phi: 0), 1), (.z, .bloch(theta: -.pi / 4, phi: 0), 1),
            (.x, .bloch(theta: .pi / 4, phi: 0), 1), (.x, .bloch(theta: -.pi / 4, phi: 0), -1),
        ]
        var sampled = 0.0
        for (ba, bb, sign) in settings {
            var sum = 0
            for _ in 0..<n {
                var state = rho
                let a = state.measure(0, basis: ba, using: &rng)
                let b = state.measure(1, basis: bb, using: &rng)
                sum += a == b ? 1 : -1
            }
            sampled += sign * Double(sum) / Double(n)
        }
        #expect(abs(sampled - expected) < 4 * 2 / Double(n).squareRoot())
    }

    /// Werner concurrence is max(0, 2F − 1) (Wootters 1998 applied to Werner states).
    @Test(arguments: [1.0, 0.9, 0.6, 0.5, 0.3])
    func wernerConcurrence(f: Double) throws {
        let rho = try DensityMatrix.werner(fidelity: f)
        #expect(abs(rho.concurrence - max(0, 2 * f - 1)) < 1e-9)
    }
}
