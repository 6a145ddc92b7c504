import Foundation
import Numerics
import QNetCore
@testable import QNetQuantum

/// Seeded random states and helpers shared by the suites.
enum Random {
    static func gaussian(_ rng: inout SeededRandom) -> Double {
        // Box–Muller
        let u = rng.nextOpenUnit(), v = rng.nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A Haar-random pure state vector on n qubits (normalised complex Gaussian vector).
    static func pureVector(qubits n: Int, _ rng: inout SeededRandom) -> ComplexMatrix {
        let d = 1 << n
        var v = ComplexMatrix(rows: d, columns: 1)
        var norm = 0.0
        for i in 0..<d {
            v.re[i] = gaussian(&rng)
            v.im[i] = gaussian(&rng)
            norm += v.re[i] * v.re[i] + v.im[i] * v.im[i]
        }
        let s = 1 / norm.squareRoot()
        for i in 0..<d { v.re[i] *= s; v.im[i] *= s }
        return v
    }

    /// A random mixed state G G† / Tr(G G†) with G a complex Ginibre matrix (Życzkowski & Sommers 2001).
    static func mixedState(qubits n: Int, _ rng: inout SeededRandom) -> DensityMatrix {
        let d = 1 << n
        var g = ComplexMatrix(rows: d, columns: d)
        for i in 0..<(d * d) {
            g.re[i] = gaussian(&rng)
            g.im[i] = gaussian(&rng)
        }
        var m = g * g.adjoint
        var t = 0.0
        for i in 0..<d { t += m.re[i * d + i] }
        for i in m.re.indices { m.re[i] /= t; m.im[i] /= t }
        return try! DensityMatrix(matrix: m)
    }

    static func unitary(_ rng: inout SeededRandom) -> ComplexMatrix {
        // Rz Ry Rz with random angles: covers SU(2)
        let a = rng.nextUnit() * 2 * .pi, b = rng.nextUnit() * .pi, c = rng.nextUnit() * 2 * .pi
        return Gate.rz(a).matrix * Gate.ry(b).matrix * Gate.rz(c).matrix
    }
}

extension DensityMatrix {
    /// Smallest eigenvalue (for positivity checks in tests).
    var minimumEigenvalue: Double { eigenvalues().first ?? .nan }
}

/// Four standard errors of a Bernoulli frequency over `n` trials with probability `p`.
func fourSigma(_ p: Double, _ n: Int) -> Double {
    4 * (p * (1 - p) / Double(n)).squareRoot()
}
