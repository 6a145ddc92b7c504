import Foundation
import QNetCore
import Testing
@testable import QNetQuantum

/// Measurement frequencies over ≥ 10^5 shots against Born probabilities, within 4 standard
/// errors √(p(1−p)/n), with fixed seeds.
@Suite("Sampling")
struct SamplingTests {
    static let shots = 100_000

    @Test(arguments: [MeasurementBasis.z, .x, .y, .bloch(theta: 1.1, phi: 2.3)])
    func singleQubitBornRule(basis: MeasurementBasis) {
        var rng = SeededRandom(seed: 77)
        let rho = Random.mixedState(qubits: 2, &rng)
        let p0 = rho.probabilityOfZero(1, basis: basis)
        var zeros = 0
        for _ in 0..<Self.shots {
            var s = rho
            if s.measure(1, basis: basis, using: &rng) == 0 { zeros += 1 }
        }
        #expect(abs(Double(zeros) / Double(Self.shots) - p0) < fourSigma(p0, Self.shots))
    }

    @Test func measureAndRemoveMatchesBornRuleAndLeavesConditionalState() {
        var rng = SeededRandom(seed: 78)
        let rho = Random.mixedState(qubits: 2, &rng)
        let p0 = rho.probabilityOfZero(0, basis: .x)
        var conditional = [rho, rho]
        conditional[0].project(0, basis: .x, outcome: 0)
        conditional[1].project(0, basis: .x, outcome: 1)
        var zeros = 0
        for _ in 0..<Self.shots {
            var s = rho
            let outcome = s.measureAndRemove(0, basis: .x, using: &rng)
            if outcome == 0 { zeros += 1 }
            #expect(s.qubitCount == 1)
            if s.maxDistance(to: conditional[outcome].tracingOut(0)) > 1e-12 {
                Issue.record("post-measurement state differs for outcome \(outcome)")
                break
            }
        }
        #expect(abs(Double(zeros) / Double(Self.shots) - p0) < fourSigma(p0, Self.shots))
    }

    @Test func bellMeasurementFrequencies() {
        var rng = SeededRandom(seed: 79)
        let rho = Random.mixedState(qubits: 3, &rng)
        let probabilities = rho.bellProbabilities(2, 0)
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
        var counts = [0, 0, 0, 0]
        for _ in 0..<Self.shots {
            var s = rho
            counts[s.measureBell(2, 0, using: &rng).rawValue] += 1
        }
        for k in 0..<4 {
            #expect(abs(Double(counts[k]) / Double(Self.shots) - probabilities[k]) < fourSigma(probabilities[k], Self.shots))
        }
    }

    /// Reported outcomes with readout error: p(report 0) = p0 (1 − p(1|0)) + (1 − p0) p(0|1).
    @Test func readoutError() throws {
        var rng = SeededRandom(seed: 80)
        let rho = Random.mixedState(qubits: 1, &rng)
        let readout = try ReadoutError(probabilityOneGivenZero: 0.03, probabilityZeroGivenOne: 0.08)
        let p0 = rho.probabilityOfZero(0)
        let expected = p0 * 0.97 + (1 - p0) * 0.08
        var zeros = 0
        for _ in 0..<Self.shots {
            var s = rho
            if s.measure(0, readout: readout, using: &rng) == 0 { zeros += 1 }
        }
        #expect(abs(Double(zeros) / Double(Self.shots) - expected) < fourSigma(expected, Self.shots))
    }
}
