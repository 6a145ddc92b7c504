import Foundation
import QNetCore
import QNetQuantum

/// The state-engine micro-benchmarks behind `qnet bench quantum`. Each workload is timed in
/// rounds of about `roundSeconds`; the reported rate is the median over rounds.
struct QuantumBenchmark {
    struct Result: Codable {
        var swapsPerSecond: Double
        var decoherencePerSecond: Double
        var bsmPerSecond: Double
        var gates10QubitPerSecond: Double
    }

    var roundSeconds = 0.3
    var rounds = 5

    /// Runs `body` in batches until a round lasts `roundSeconds`; returns the median rate (ops/s).
    func rate(batch: Int, _ body: (Int) -> Void) -> Double {
        var rates: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            var operations = 0
            let start = clock.now
            var elapsed = 0.0
            repeat {
                body(batch)
                operations += batch
                let d = clock.now - start
                elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            } while elapsed < roundSeconds
            rates.append(Double(operations) / elapsed)
        }
        return rates.sorted()[rates.count / 2]
    }

    func run() throws -> Result {
        var rng = SeededRandom(seed: 1)
        var sink = 0.0

        // Swap: merge two 2-qubit groups, Bell-state measurement on the middle qubits,
        // Pauli correction on the far qubit; a 2-qubit group is left.
        let a = try DensityMatrix.werner(fidelity: 0.95), b = try DensityMatrix.werner(fidelity: 0.9)
        let swaps = rate(batch: 1_000) { n in
            for _ in 0..<n {
                var merged = try! a.tensor(b)
                let outcome = merged.measureBell(1, 2, using: &rng)
                merged.apply(outcome.correctionToPhiPlus, to: 1)
                sink += merged.re[0]
            }
        }

        // Decoherence: T1/T2 decay of both qubits of a 2-qubit group over an elapsed interval,
        // what a node does when it touches a stored pair.
        var pair = DensityMatrix.bell(.phiPlus)
        let decoherence = rate(batch: 10_000) { n in
            for i in 0..<n {
                let dt = VDuration.microseconds(UInt64(1 + i & 7))
                try! pair.decohere(0, duration: dt, t1Seconds: 10, t2Seconds: 1)
                try! pair.decohere(1, duration: dt, t1Seconds: 10, t2Seconds: 1)
            }
            sink += pair.re[0]
        }

        // BSM: sampled Bell-state measurement of qubits 1, 2 of a 4-qubit group (on a copy).
        let four = try a.tensor(b)
        let bsm = rate(batch: 1_000) { n in
            for _ in 0..<n {
                var s = four
                sink += Double(s.measureBell(1, 2, using: &rng).rawValue)
            }
        }

        // One-qubit gates on a 10-qubit group, cycling H over the qubits.
        var ten = DensityMatrix(qubitCount: 10)
        var q = 0
        let gates = rate(batch: 4) { n in
            for _ in 0..<n {
                ten.apply(.h, to: [q])
                q = (q + 1) % 10
            }
            sink += ten.re[0]
        }
        if sink.isNaN { print("unreachable") }
        return Result(swapsPerSecond: swaps, decoherencePerSecond: decoherence, bsmPerSecond: bsm, gates10QubitPerSecond: gates)
    }
}
