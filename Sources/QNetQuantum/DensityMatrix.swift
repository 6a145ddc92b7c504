import Numerics

/// The state of a group of qubits as a complex double-precision density matrix ρ.
///
/// Storage is row-major with separate real and imaginary parts; qubit 0 is the most
/// significant bit of a basis index (|q0 q1 … q(n−1)⟩). Invariants — Hermitian, unit trace,
/// positive semidefinite within ``tolerance`` — hold after every public operation and are
/// checked in debug builds (positivity for groups of up to 6 qubits, by Cholesky factorisation).
///
/// Exact: no operation truncates, samples or approximates the state except a measurement,
/// which samples its outcome from the Born rule with the RNG it is given.
public struct DensityMatrix: Equatable, Sendable {
    /// The largest group the engine holds (2^10 × 2^10 entries, 16 MiB).
    public static let maximumQubitCount = 10
    /// Tolerance of the invariant checks.
    public static let tolerance = 1e-9

    /// Number of qubits in the group.
    public private(set) var qubitCount: Int
    /// Real parts, row-major, `dimension × dimension`.
    public internal(set) var re: [Double]
    /// Imaginary parts, row-major, `dimension × dimension`.
    public internal(set) var im: [Double]

    /// `2^qubitCount`.
    @inlinable public var dimension: Int { 1 << qubitCount }

    /// |0…0⟩⟨0…0| on `qubitCount` qubits (0 qubits: the scalar 1).
    public init(qubitCount: Int) {
        precondition(qubitCount >= 0 && qubitCount <= Self.maximumQubitCount, "qubitCount out of range")
        self.qubitCount = qubitCount
        let d = 1 << qubitCount
        re = Array(repeating: 0, count: d * d)
        im = Array(repeating: 0, count: d * d)
        re[0] = 1
    }

    init(qubitCount: Int, re: [Double], im: [Double]) {
        self.qubitCount = qubitCount
        self.re = re
        self.im = im
    }

    /// A density matrix from a matrix, validated.
    /// - Throws: ``QuantumError`` if the matrix is not square of size 2^n (n ≤ 10), not
    ///   Hermitian, not of unit trace, or not positive semidefinite, within ``tolerance``.
    public init(matrix m: ComplexMatrix) throws(QuantumError) {
        let n = m.rows.trailingZeroBitCount
        guard m.rows == m.columns, m.rows > 0, 1 << n == m.rows else {
            throw QuantumError(.dimensionMismatch, "a density matrix must be 2^n × 2^n, got \(m.rows) × \(m.columns)")
        }
        guard n <= Self.maximumQubitCount else {
            throw QuantumError(.tooManyQubits, "at most \(Self.maximumQubitCount) qubits per group, got \(n)")
        }
        self.init(qubitCount: n, re: m.re, im: m.im)
        if let problem = invariantViolation(checkPositivity: true) {
            throw QuantumError(.parameterOutOfRange, "not a density matrix: \(problem)")
        }
    }

    /// The pure state |ψ⟩⟨ψ| of a normalised state vector given as a column matrix.
    public init(pure psi: ComplexMatrix) {
        let d = psi.rows
        let n = d.trailingZeroBitCount
        precondition(psi.columns == 1 && 1 << n == d && n <= Self.maximumQubitCount, "state vector must be 2^n × 1")
        var re = [Double](repeating: 0, count: d * d)
        var im = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                // ψ_i · conj(ψ_j)
                re[i * d + j] = psi.re[i] * psi.re[j] + psi.im[i] * psi.im[j]
                im[i * d + j] = psi.im[i] * psi.re[j] - psi.re[i] * psi.im[j]
            }
        }
        self.init(qubitCount: n, re: re, im: im)
    }

    /// The maximally mixed state I/2^n.
    public static func maximallyMixed(qubitCount n: Int) -> DensityMatrix {
        var rho = DensityMatrix(qubitCount: n)
        let d = rho.dimension
        rho.re[0] = 0
        for i in 0..<d { rho.re[i * d + i] = 1 / Double(d) }
        return rho
    }

    /// Entry ρ[row, column].
    public subscript(row: Int, column: Int) -> Complex<Double> {
        Complex(re[row * dimension + column], im[row * dimension + column])
    }

    /// The state as a plain matrix.
    public var matrix: ComplexMatrix {
        var m = ComplexMatrix(rows: dimension, columns: dimension)
        m.re = re
        m.im = im
        return m
    }

    /// Tr ρ (real part; the imaginary part of a Hermitian trace is zero).
    public var trace: Double {
        var t = 0.0
        let d = dimension
        for i in 0..<d { t += re[i * d + i] }
        return t
    }

    /// The largest entrywise modulus of `self − other`.
    public func maxDistance(to other: DensityMatrix) -> Double {
        matrix.maxDistance(to: other.matrix)
    }

    /// Bit mask of qubit `q` in a basis index.
    @inlinable func mask(_ q: Int) -> Int {
        precondition(q >= 0 && q < qubitCount, "qubit \(q) outside a group of \(qubitCount)")
        return 1 << (qubitCount - 1 - q)
    }

    // MARK: - Invariants

    /// A description of the first invariant that fails, or nil.
    public func invariantViolation(checkPositivity: Bool) -> String? {
        let d = dimension
        var worst = 0.0
        for i in 0..<d {
            for j in i..<d {
                worst = max(worst, abs(re[i * d + j] - re[j * d + i]), abs(im[i * d + j] + im[j * d + i]))
            }
        }
        if worst > Self.tolerance { return "not Hermitian (asymmetry \(worst))" }
        if abs(trace - 1) > Self.tolerance { return "trace \(trace) ≠ 1" }
        if checkPositivity && !isPositiveSemidefinite(tolerance: Self.tolerance) {
            return "not positive semidefinite (min eigenvalue \(eigenvalues().first ?? .nan))"
        }
        return nil
    }

    /// True when ρ + tolerance·I has a Cholesky factorisation, i.e. every eigenvalue ≥ −tolerance.
    ///
    /// Complexity: O(d³/6) for d = 2^n.
    public func isPositiveSemidefinite(tolerance: Double = DensityMatrix.tolerance) -> Bool {
        let d = dimension
        var lr = re, li = im
        for i in 0..<d { lr[i * d + i] += tolerance }
        // In-place lower Cholesky of a Hermitian matrix: A = L L†.
        for j in 0..<d {
            var diag = lr[j * d + j]
            for k in 0..<j { diag -= lr[j * d + k] * lr[j * d + k] + li[j * d + k] * li[j * d + k] }
            guard diag > 0 else { return false }
            let ljj = diag.squareRoot()
            lr[j * d + j] = ljj
            li[j * d + j] = 0
            for i in (j + 1)..<max(j + 1, d) {
                var sr = lr[i * d + j], si = li[i * d + j]
                for k in 0..<j {
                    // s −= L[i,k] · conj(L[j,k])
                    let ar = lr[i * d + k], ai = li[i * d + k], br = lr[j * d + k], bi = -li[j * d + k]
                    sr -= ar * br - ai * bi
                    si -= ar * bi + ai * br
                }
                lr[i * d + j] = sr / ljj
                li[i * d + j] = si / ljj
            }
        }
        return true
    }

    /// Checks the invariants in debug builds; compiled out of release builds.
    @inline(__always) func debugCheckInvariants(_ operation: @autoclosure () -> String) {
        #if DEBUG
        if let problem = invariantViolation(checkPositivity: qubitCount <= 6) {
            assertionFailure("\(operation()) broke a density-matrix invariant: \(problem)")
        }
        #endif
    }

    // MARK: - Structure: tensor product, partial trace, permutation

    /// The tensor product `self ⊗ other`: the qubits of `other` follow those of `self`.
    /// - Throws: ``QuantumError/Code/tooManyQubits`` above ``maximumQubitCount``.
    public func tensor(_ other: DensityMatrix) throws(QuantumError) -> DensityMatrix {
        let n = qubitCount + other.qubitCount
        guard n <= Self.maximumQubitCount else {
            throw QuantumError(.tooManyQubits, "merging would make a group of \(n) qubits; at most \(Self.maximumQubitCount)")
        }
        let da = dimension, db = other.dimension, d = da * db
        var r = [Double](repeating: 0, count: d * d)
        var i2 = [Double](repeating: 0, count: d * d)
        for ia in 0..<da {
            for ja in 0..<da {
                let ar = re[ia * da + ja], ai = im[ia * da + ja]
                if ar == 0 && ai == 0 { continue }
                for ib in 0..<db {
                    let row = (ia * db + ib) * d + ja * db
                    let brow = ib * db
                    for jb in 0..<db {
                        let br = other.re[brow + jb], bi = other.im[brow + jb]
                        r[row + jb] = ar * br - ai * bi
                        i2[row + jb] = ar * bi + ai * br
                    }
                }
            }
        }
        return DensityMatrix(qubitCount: n, re: r, im: i2)
    }

    /// The reduced state with qubit `q` traced out (partial trace); the others keep their order.
    public func tracingOut(_ q: Int) -> DensityMatrix {
        let m = mask(q)
        let low = m - 1
        let d = dimension, dr = d >> 1
        var r = [Double](repeating: 0, count: dr * dr)
        var i2 = [Double](repeating: 0, count: dr * dr)
        for i in 0..<dr {
            let fi = ((i & ~low) << 1) | (i & low)
            for j in 0..<dr {
                let fj = ((j & ~low) << 1) | (j & low)
                r[i * dr + j] = re[fi * d + fj] + re[(fi | m) * d + (fj | m)]
                i2[i * dr + j] = im[fi * d + fj] + im[(fi | m) * d + (fj | m)]
            }
        }
        return DensityMatrix(qubitCount: qubitCount - 1, re: r, im: i2)
    }

    /// The reduced state of `qubits`, in the given order.
    public func reduced(to qubits: [Int]) -> DensityMatrix {
        precondition(Set(qubits).count == qubits.count, "repeated qubit")
        var rho = self
        var order = Array(0..<qubitCount)
        for q in (0..<qubitCount).reversed() where !qubits.contains(q) {
            rho = rho.tracingOut(q)
            order.remove(at: q)
        }
        return rho.permuted(to: qubits.map { order.firstIndex(of: $0)! })
    }

    /// The same state with its qubits reordered: qubit `k` of the result is qubit `order[k]` of self.
    public func permuted(to order: [Int]) -> DensityMatrix {
        precondition(order.count == qubitCount && Set(order) == Set(0..<qubitCount), "not a permutation")
        if order == Array(0..<qubitCount) { return self }
        let d = dimension, n = qubitCount
        // map[newIndex] = oldIndex
        var map = [Int](repeating: 0, count: d)
        for newIndex in 0..<d {
            var old = 0
            for k in 0..<n where newIndex & (1 << (n - 1 - k)) != 0 {
                old |= 1 << (n - 1 - order[k])
            }
            map[newIndex] = old
        }
        var r = [Double](repeating: 0, count: d * d)
        var i2 = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                r[i * d + j] = re[map[i] * d + map[j]]
                i2[i * d + j] = im[map[i] * d + map[j]]
            }
        }
        return DensityMatrix(qubitCount: n, re: r, im: i2)
    }
}
