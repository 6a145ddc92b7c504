import QNetCore
import Foundation

/// A completely positive, trace-preserving map on one qubit.
///
/// Phase-covariant channels (depolarising, dephasing, amplitude damping and T1/T2 memory
/// decoherence) are stored by three real numbers and applied without a general superoperator:
/// ρ00' = a ρ00 + b ρ11, ρ11' = (1−a) ρ00 + (1−b) ρ11, ρ01' = c ρ01. Anything else (bit flip,
/// general Kraus sets) is stored as its 4×4 superoperator S = Σ K ⊗ K̄ (Nielsen & Chuang §8.2).
public struct QubitChannel: Equatable, Sendable {
    enum Storage: Equatable, Sendable {
        case phaseCovariant(a: Double, b: Double, c: Double)
        case superoperator(ComplexMatrix)
    }

    let storage: Storage

    /// The depolarising channel ρ → (1−p) ρ + p I/2 (p = 1 replaces the qubit by noise).
    /// Equivalent to Paulis X, Y, Z each with probability p/4.
    public static func depolarizing(_ p: Double) throws(QuantumError) -> QubitChannel {
        try QuantumError.checkProbability(p, "depolarising probability")
        return QubitChannel(storage: .phaseCovariant(a: 1 - p / 2, b: p / 2, c: 1 - p))
    }

    /// Dephasing (phase flip): Z with probability p. Off-diagonals shrink by 1 − 2p.
    public static func dephasing(_ p: Double) throws(QuantumError) -> QubitChannel {
        try QuantumError.checkProbability(p, "dephasing probability")
        return QubitChannel(storage: .phaseCovariant(a: 1, b: 0, c: 1 - 2 * p))
    }

    /// Phase flip: the same map as ``dephasing(_:)``.
    public static func phaseFlip(_ p: Double) throws(QuantumError) -> QubitChannel { try dephasing(p) }

    /// Amplitude damping with decay probability γ: |1⟩ → |0⟩ with probability γ
    /// (Kraus K0 = diag(1, √(1−γ)), K1 = √γ |0⟩⟨1|; Nielsen & Chuang eq. 8.107).
    public static func amplitudeDamping(_ gamma: Double) throws(QuantumError) -> QubitChannel {
        try QuantumError.checkProbability(gamma, "amplitude-damping probability")
        return QubitChannel(storage: .phaseCovariant(a: 1, b: gamma, c: (1 - gamma).squareRoot()))
    }

    /// Bit flip: X with probability p.
    public static func bitFlip(_ p: Double) throws(QuantumError) -> QubitChannel {
        try QuantumError.checkProbability(p, "bit-flip probability")
        let q = (1 - p).squareRoot(), r = p.squareRoot()
        return try kraus([ComplexMatrix(real: [[q, 0], [0, q]]), ComplexMatrix(real: [[0, r], [r, 0]])])
    }

    /// Memory decoherence over `duration` of a qubit with energy relaxation time T1 and
    /// coherence time T2 (seconds; `.infinity` for none): population of |1⟩ decays as e^(−t/T1)
    /// into |0⟩ and coherences decay as e^(−t/T2) (the Bloch equations without drive;
    /// Nielsen & Chuang §8.3.5–8.3.6, the T1 amplitude-damping plus pure-dephasing composition).
    /// - Throws: if T1 or T2 is not positive, or T2 > 2·T1, which no physical channel allows.
    public static func memoryDecoherence(duration: VDuration, t1Seconds t1: Double, t2Seconds t2: Double) throws(QuantumError) -> QubitChannel {
        let (gamma, c) = try decoherenceFactors(t: duration.seconds, t1: t1, t2: t2)
        return QubitChannel(storage: .phaseCovariant(a: 1, b: gamma, c: c))
    }

    /// γ = 1 − e^(−t/T1) and c = e^(−t/T2), after checking T1, T2 > 0 and T2 ≤ 2·T1.
    static func decoherenceFactors(t: Double, t1: Double, t2: Double) throws(QuantumError) -> (gamma: Double, coherence: Double) {
        guard t1 > 0, t2 > 0, !t1.isNaN, !t2.isNaN else {
            throw QuantumError(.parameterOutOfRange, "T1 and T2 must be positive (use infinity for none), got T1 = \(t1) s, T2 = \(t2) s")
        }
        guard t2 <= 2 * t1 else {
            throw QuantumError(.unphysicalDecoherence, "T2 (\(t2) s) must not exceed 2·T1 (\(2 * t1) s)")
        }
        let gamma = t1.isInfinite ? 0 : -expm1(-t / t1)
        let c = t2.isInfinite ? 1 : exp(-t / t2)
        return (gamma, c)
    }

    /// The channel ρ → Σ K ρ K† of a set of 2×2 Kraus operators.
    /// - Throws: ``QuantumError/Code/notTracePreserving`` unless Σ K†K = I within 1e-9.
    public static func kraus(_ operators: [ComplexMatrix]) throws(QuantumError) -> QubitChannel {
        guard !operators.isEmpty, operators.allSatisfy({ $0.rows == 2 && $0.columns == 2 }) else {
            throw QuantumError(.dimensionMismatch, "one-qubit Kraus operators must be 2×2")
        }
        try KrausSet.checkTracePreserving(operators, dimension: 2)
        var s = ComplexMatrix(rows: 4, columns: 4)
        for k in operators {
            // S[(r,c),(m,n)] += K[r,m] · conj(K[c,n])
            for r in 0..<2 { for c in 0..<2 { for m in 0..<2 { for n in 0..<2 {
                let kr = k[r, m], kc = k[c, n]
                s[r * 2 + c, m * 2 + n] = s[r * 2 + c, m * 2 + n] + kr * kc.conjugate
            } } } }
        }
        return QubitChannel(storage: .superoperator(s))
    }
}

/// Helpers for general Kraus sets.
public enum KrausSet {
    /// Throws unless Σ K†K = I (dimension × dimension) within 1e-9.
    public static func checkTracePreserving(_ operators: [ComplexMatrix], dimension: Int) throws(QuantumError) {
        var sum = ComplexMatrix(rows: dimension, columns: dimension)
        for k in operators {
            guard k.rows == dimension, k.columns == dimension else {
                throw QuantumError(.dimensionMismatch, "Kraus operators must all be \(dimension)×\(dimension)")
            }
            sum = sum + k.adjoint * k
        }
        let deviation = sum.maxDistance(to: .identity(dimension))
        guard deviation <= 1e-9 else {
            throw QuantumError(.notTracePreserving, "Kraus operators are not trace preserving: Σ K†K deviates from I by \(deviation)")
        }
    }
}

extension DensityMatrix {
    /// Applies a one-qubit channel to qubit `q`. Complexity: O(d²).
    public mutating func apply(_ channel: QubitChannel, to q: Int) {
        switch channel.storage {
        case let .phaseCovariant(a, b, c): applyPhaseCovariant(q, a: a, b: b, c: c)
        case let .superoperator(s): applySuperoperator(s, to: q)
        }
        debugCheckInvariants("channel on qubit \(q)")
    }

    /// Memory decoherence of qubit `q` over `duration` with T1, T2 in seconds (see
    /// ``QubitChannel/memoryDecoherence(duration:t1Seconds:t2Seconds:)``).
    public mutating func decohere(_ q: Int, duration: VDuration, t1Seconds: Double, t2Seconds: Double) throws(QuantumError) {
        if duration == .zero { return }
        let (gamma, c) = try QubitChannel.decoherenceFactors(t: duration.seconds, t1: t1Seconds, t2: t2Seconds)
        applyPhaseCovariant(q, a: 1, b: gamma, c: c)
        debugCheckInvariants("decoherence on qubit \(q)")
    }

    /// The inverse of ``decohere(_:duration:t1Seconds:t2Seconds:)`` as a linear map (not a
    /// physical channel): what the qubit's state was `duration` earlier, had only memory
    /// decoherence acted meanwhile. For counterfactual estimates (fidelity lost to waiting);
    /// the result is a density matrix only if the input came from such a decay.
    public mutating func undecohere(_ q: Int, duration: VDuration, t1Seconds: Double, t2Seconds: Double) {
        guard duration > .zero, let (gamma, c) = try? QubitChannel.decoherenceFactors(t: duration.seconds, t1: t1Seconds, t2: t2Seconds),
              gamma < 1, c > 0 else { return }
        // Forward: ρ00' = ρ00 + γ ρ11, ρ11' = (1 − γ) ρ11, ρ01' = c ρ01.
        // Inverse: ρ11 = ρ11'/(1 − γ), ρ00 = ρ00' − γ/(1 − γ)·ρ11', ρ01 = ρ01'/c.
        applyPhaseCovariant(q, a: 1, b: -gamma / (1 - gamma), c: 1 / c)
    }

    /// Depolarising noise of strength `p` on one qubit (see ``QubitChannel/depolarizing(_:)``).
    /// - Precondition: 0 ≤ p ≤ 1.
    public mutating func depolarize(_ q: Int, probability p: Double) {
        precondition(p >= 0 && p <= 1, "depolarising probability out of range")
        applyPhaseCovariant(q, a: 1 - p / 2, b: p / 2, c: 1 - p)
    }

    /// Two-qubit depolarising noise: ρ → (1−p) ρ + p · (I/4 ⊗ Tr_ab ρ), the standard noise
    /// model of a two-qubit gate.
    /// - Precondition: 0 ≤ p ≤ 1.
    public mutating func depolarize(_ a: Int, _ b: Int, probability p: Double) {
        precondition(p >= 0 && p <= 1, "depolarising probability out of range")
        var mixed = self
        mixed.applyPhaseCovariant(a, a: 0.5, b: 0.5, c: 0)
        mixed.applyPhaseCovariant(b, a: 0.5, b: 0.5, c: 0)
        for i in re.indices {
            re[i] = (1 - p) * re[i] + p * mixed.re[i]
            im[i] = (1 - p) * im[i] + p * mixed.im[i]
        }
    }

    mutating func applyPhaseCovariant(_ q: Int, a: Double, b: Double, c: Double) {
        let m = mask(q), d = dimension
        for i in 0..<d where i & m == 0 {
            let i1 = i | m
            for j in 0..<d where j & m == 0 {
                let j1 = j | m
                let p00 = i * d + j, p11 = i1 * d + j1, p01 = i * d + j1, p10 = i1 * d + j
                let r00 = re[p00], r11 = re[p11], m00 = im[p00], m11 = im[p11]
                re[p00] = a * r00 + b * r11
                im[p00] = a * m00 + b * m11
                re[p11] = (1 - a) * r00 + (1 - b) * r11
                im[p11] = (1 - a) * m00 + (1 - b) * m11
                re[p01] *= c
                im[p01] *= c
                re[p10] *= c
                im[p10] *= c
            }
        }
    }

    mutating func applySuperoperator(_ s: ComplexMatrix, to q: Int) {
        let m = mask(q), d = dimension
        for i in 0..<d where i & m == 0 {
            for j in 0..<d where j & m == 0 {
                let p = [i * d + j, i * d + (j | m), (i | m) * d + j, (i | m) * d + (j | m)]
                let vr = p.map { re[$0] }, vi = p.map { im[$0] }
                for x in 0..<4 {
                    var sr = 0.0, si = 0.0
                    for y in 0..<4 {
                        let ar = s.re[x * 4 + y], ai = s.im[x * 4 + y]
                        sr += ar * vr[y] - ai * vi[y]
                        si += ar * vi[y] + ai * vr[y]
                    }
                    re[p[x]] = sr
                    im[p[x]] = si
                }
            }
        }
    }

    /// Applies a general Kraus set ρ → Σ K ρ K† on `qubits` (2^k × 2^k operators).
    /// - Throws: if the set is not trace preserving or the sizes do not match.
    public mutating func apply(kraus operators: [ComplexMatrix], to qubits: [Int]) throws(QuantumError) {
        try KrausSet.checkTracePreserving(operators, dimension: 1 << qubits.count)
        var sumR = [Double](repeating: 0, count: re.count), sumI = sumR
        for k in operators {
            let (r, i) = Self.sandwich(re, im, qubitCount: qubitCount, k, qubits)
            for x in r.indices {
                sumR[x] += r[x]
                sumI[x] += i[x]
            }
        }
        re = sumR
        im = sumI
        debugCheckInvariants("Kraus channel")
    }
}
