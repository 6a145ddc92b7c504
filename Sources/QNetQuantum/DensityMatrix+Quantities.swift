import Foundation

/// Figures of merit. Fidelity follows the squared convention throughout:
/// F(ρ, |ψ⟩) = ⟨ψ|ρ|ψ⟩ and F(ρ, σ) = (Tr √(√ρ σ √ρ))² (Uhlmann; Jozsa 1994).
extension DensityMatrix {
    /// ⟨ψ|ρ|ψ⟩ for a normalised state vector ψ (a 2^n × 1 matrix).
    public func fidelity(toPure psi: ComplexMatrix) -> Double {
        let d = dimension
        precondition(psi.rows == d && psi.columns == 1, "state vector size does not match the group")
        var sum = 0.0
        for i in 0..<d {
            // conj(ψ_i) Σ_j ρ_ij ψ_j, real part
            var tr = 0.0, ti = 0.0
            for j in 0..<d {
                tr += re[i * d + j] * psi.re[j] - im[i * d + j] * psi.im[j]
                ti += re[i * d + j] * psi.im[j] + im[i * d + j] * psi.re[j]
            }
            sum += psi.re[i] * tr + psi.im[i] * ti
        }
        return sum
    }

    /// Fidelity of the reduced state of qubits (`a`, `b`) to a Bell state: ⟨B|ρ_ab|B⟩.
    public func fidelity(to bell: BellState, qubits a: Int = 0, _ b: Int = 1) -> Double {
        let rho = (qubitCount == 2 && a == 0 && b == 1) ? self : reduced(to: [a, b])
        let (x0, x1, s) = bell.components
        return 0.5 * (rho.re[x0 * 4 + x0] + rho.re[x1 * 4 + x1] + 2 * s * rho.re[x0 * 4 + x1])
    }

    /// The Bell-diagonal coefficients (fidelities to Φ+, Φ−, Ψ+, Ψ−) of a two-qubit state.
    public var bellCoefficients: [Double] {
        BellState.allCases.map { fidelity(to: $0) }
    }

    /// Uhlmann fidelity (Tr √(√ρ σ √ρ))², in [0, 1], symmetric in its arguments.
    public func fidelity(to sigma: DensityMatrix) -> Double {
        precondition(sigma.qubitCount == qubitCount, "groups of different sizes")
        // Eigenvalues at the rounding floor (about 1e-16 for Jacobi) are zeroed before the
        // square root, which would otherwise turn them into 1e-8 errors for rank-deficient states.
        let floor = 1e-14
        let sqrtRho = HermitianEigen.decompose(matrix).apply { $0 > floor ? $0.squareRoot() : 0 }
        let inner = sqrtRho * sigma.matrix * sqrtRho
        let values = HermitianEigen.decompose(inner).values
        let t = values.reduce(0) { $0 + ($1 > floor ? $1.squareRoot() : 0) }
        return min(t * t, 1)
    }

    /// Trace distance ½ Tr|ρ − σ|, in [0, 1].
    public func traceDistance(to sigma: DensityMatrix) -> Double {
        precondition(sigma.qubitCount == qubitCount, "groups of different sizes")
        var difference = matrix
        for i in difference.re.indices {
            difference.re[i] -= sigma.re[i]
            difference.im[i] -= sigma.im[i]
        }
        return 0.5 * HermitianEigen.decompose(difference).values.reduce(0) { $0 + abs($1) }
    }

    /// Purity Tr ρ² = Σ |ρ_ij|² (1 for pure states, 2^−n for the maximally mixed state).
    public var purity: Double {
        var p = 0.0
        for i in re.indices { p += re[i] * re[i] + im[i] * im[i] }
        return p
    }

    /// Eigenvalues of ρ, ascending.
    public func eigenvalues() -> [Double] {
        HermitianEigen.decompose(matrix).values
    }

    /// Wootters concurrence of a two-qubit state: max(0, λ1 − λ2 − λ3 − λ4), λ the decreasing
    /// square roots of the eigenvalues of ρ ρ̃ with ρ̃ = (Y⊗Y) ρ* (Y⊗Y) (Wootters, PRL 80, 2245,
    /// 1998). They are computed as eigenvalues of the Hermitian √ρ ρ̃ √ρ, which has the same spectrum.
    public var concurrence: Double {
        precondition(qubitCount == 2, "concurrence is defined here for two qubits")
        let yy = Gate.y.matrix.kronecker(Gate.y.matrix)
        var conjugate = matrix
        conjugate.im = conjugate.im.map { -$0 }
        let tilde = yy * conjugate * yy
        let sqrtRho = HermitianEigen.decompose(matrix).apply { $0 > 0 ? $0.squareRoot() : 0 }
        let lambdas = HermitianEigen.decompose(sqrtRho * tilde * sqrtRho).values
            .map { $0 > 0 ? $0.squareRoot() : 0 }
            .sorted(by: >)
        return max(0, lambdas[0] - lambdas[1] - lambdas[2] - lambdas[3])
    }

    /// Tr(O ρ_q) for an observable O on `qubits` (a 2^k × 2^k Hermitian matrix).
    public func expectation(_ observable: ComplexMatrix, on qubits: [Int]) -> Double {
        let rho = reduced(to: qubits)
        let d = rho.dimension
        precondition(observable.rows == d && observable.columns == d, "observable size does not match")
        var t = 0.0
        for i in 0..<d {
            for j in 0..<d {
                // Tr(Oρ) = Σ_ij O_ij ρ_ji
                t += observable.re[i * d + j] * rho.re[j * d + i] - observable.im[i * d + j] * rho.im[j * d + i]
            }
        }
        return t
    }
}

extension DensityMatrix {
    // MARK: - Standard states

    /// The pure Bell state |B⟩⟨B| on two qubits.
    public static func bell(_ state: BellState) -> DensityMatrix {
        var coefficients = [0.0, 0, 0, 0]
        coefficients[state.rawValue] = 1
        return bellDiagonalUnchecked(coefficients)
    }

    /// The Werner state of fidelity F to `target`:
    /// F |B⟩⟨B| + (1−F)/3 (I − |B⟩⟨B|) (Werner, PRA 40, 4277, 1989; Bennett et al., PRA 54, 3824, 1996).
    /// - Throws: unless 0 ≤ F ≤ 1.
    public static func werner(fidelity f: Double, target: BellState = .phiPlus) throws(QuantumError) -> DensityMatrix {
        try QuantumError.checkProbability(f, "Werner fidelity")
        var coefficients = Array(repeating: (1 - f) / 3, count: 4)
        coefficients[target.rawValue] = f
        return bellDiagonalUnchecked(coefficients)
    }

    /// The Bell-diagonal state Σ λ_k |B_k⟩⟨B_k| with coefficients for Φ+, Φ−, Ψ+, Ψ−.
    /// - Throws: unless the four coefficients are non-negative and sum to 1 (within 1e-9).
    public static func bellDiagonal(_ coefficients: [Double]) throws(QuantumError) -> DensityMatrix {
        guard coefficients.count == 4, coefficients.allSatisfy({ $0 >= 0 && $0.isFinite }),
              abs(coefficients.reduce(0, +) - 1) <= 1e-9
        else {
            throw QuantumError(.parameterOutOfRange, "Bell-diagonal coefficients must be 4 non-negative numbers summing to 1, got \(coefficients)")
        }
        return bellDiagonalUnchecked(coefficients)
    }

    static func bellDiagonalUnchecked(_ l: [Double]) -> DensityMatrix {
        var rho = DensityMatrix(qubitCount: 2)
        rho.re[0] = 0
        // Φ± span |00⟩,|11⟩; Ψ± span |01⟩,|10⟩.
        rho.re[0 * 4 + 0] = (l[0] + l[1]) / 2
        rho.re[3 * 4 + 3] = (l[0] + l[1]) / 2
        rho.re[0 * 4 + 3] = (l[0] - l[1]) / 2
        rho.re[3 * 4 + 0] = (l[0] - l[1]) / 2
        rho.re[1 * 4 + 1] = (l[2] + l[3]) / 2
        rho.re[2 * 4 + 2] = (l[2] + l[3]) / 2
        rho.re[1 * 4 + 2] = (l[2] - l[3]) / 2
        rho.re[2 * 4 + 1] = (l[2] - l[3]) / 2
        return rho
    }

    /// The computational basis state |bits⟩ on `qubitCount` qubits (first qubit most significant).
    public static func basisState(_ index: Int, qubitCount n: Int) -> DensityMatrix {
        var rho = DensityMatrix(qubitCount: n)
        let d = rho.dimension
        precondition(index >= 0 && index < d, "basis index out of range")
        rho.re[0] = 0
        rho.re[index * d + index] = 1
        return rho
    }
}
