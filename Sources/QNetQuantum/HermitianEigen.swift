/// Eigen-decomposition of Hermitian matrices, by the cyclic Jacobi method on the real
/// symmetric embedding H = A + iB ↦ [[A, −B], [B, A]] (Golub & Van Loan, "Matrix
/// Computations", 4th ed., §8.5). The embedding is a *-homomorphism, so a matrix function
/// f(H) is read off the top-left (real) and bottom-left (imaginary) blocks of f(embedding),
/// and every eigenvalue of H appears twice.
///
/// Complexity: O(n³) per sweep on the 2n × 2n embedding; a handful of sweeps converge.
/// Meant for fidelities, distances and invariant checks, not hot paths.
enum HermitianEigen {
    /// Eigenvalues (each once, ascending) and the real orthogonal eigenvectors of the embedding.
    struct Decomposition {
        var n: Int
        /// 2n eigenvalues of the embedding, ascending (pairs of equal values).
        var embeddedValues: [Double]
        /// Columns are eigenvectors of the embedding, in the order of `embeddedValues`.
        var vectors: [Double]

        /// The n eigenvalues of H, ascending.
        var values: [Double] {
            stride(from: 0, to: 2 * n, by: 2).map { (embeddedValues[$0] + embeddedValues[$0 + 1]) / 2 }
        }

        /// f(H) for a real function f of the eigenvalues.
        func apply(_ f: (Double) -> Double) -> ComplexMatrix {
            let m = 2 * n
            var out = ComplexMatrix(rows: n, columns: n)
            let fv = embeddedValues.map(f)
            for i in 0..<n {
                for j in 0..<n {
                    var a = 0.0, b = 0.0
                    for k in 0..<m {
                        a += vectors[i * m + k] * fv[k] * vectors[j * m + k]
                        b += vectors[(i + n) * m + k] * fv[k] * vectors[j * m + k]
                    }
                    out.re[i * n + j] = a
                    out.im[i * n + j] = b
                }
            }
            return out
        }
    }

    static func decompose(_ h: ComplexMatrix) -> Decomposition {
        let n = h.rows, m = 2 * n
        var a = [Double](repeating: 0, count: m * m)
        for i in 0..<n {
            for j in 0..<n {
                // Symmetrise to remove rounding asymmetry.
                let re = (h.re[i * n + j] + h.re[j * n + i]) / 2
                let im = (h.im[i * n + j] - h.im[j * n + i]) / 2
                a[i * m + j] = re
                a[(i + n) * m + (j + n)] = re
                a[(i + n) * m + j] = im
                a[i * m + (j + n)] = -im
            }
        }
        var v = [Double](repeating: 0, count: m * m)
        for i in 0..<m { v[i * m + i] = 1 }
        var scale = 0.0
        for x in a { scale = max(scale, abs(x)) }
        let threshold = max(scale, 1e-300) * 1e-15
        for _ in 0..<60 {
            var off = 0.0
            for p in 0..<m { for q in (p + 1)..<max(p + 1, m) { off = max(off, abs(a[p * m + q])) } }
            if off <= threshold { break }
            for p in 0..<(m - 1) {
                for q in (p + 1)..<m {
                    let apq = a[p * m + q]
                    if abs(apq) <= threshold * 1e-3 { continue }
                    let theta = (a[q * m + q] - a[p * m + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<m {
                        let akp = a[k * m + p], akq = a[k * m + q]
                        a[k * m + p] = c * akp - s * akq
                        a[k * m + q] = s * akp + c * akq
                    }
                    for k in 0..<m {
                        let apk = a[p * m + k], aqk = a[q * m + k]
                        a[p * m + k] = c * apk - s * aqk
                        a[q * m + k] = s * apk + c * aqk
                    }
                    for k in 0..<m {
                        let vkp = v[k * m + p], vkq = v[k * m + q]
                        v[k * m + p] = c * vkp - s * vkq
                        v[k * m + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<m).sorted { a[$0 * m + $0] < a[$1 * m + $1] }
        var sortedVectors = [Double](repeating: 0, count: m * m)
        for (newColumn, old) in order.enumerated() {
            for k in 0..<m { sortedVectors[k * m + newColumn] = v[k * m + old] }
        }
        return Decomposition(n: n, embeddedValues: order.map { a[$0 * m + $0] }, vectors: sortedVectors)
    }
}
