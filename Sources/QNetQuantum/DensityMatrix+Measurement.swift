import Foundation

/// A measurement basis for one qubit. Outcome 0 is the first basis state.
public enum MeasurementBasis: Hashable, Sendable {
    /// Computational basis {|0⟩, |1⟩}.
    case z
    /// {|+⟩, |−⟩}.
    case x
    /// {|+i⟩, |−i⟩}.
    case y
    /// The basis whose outcome-0 state has Bloch angles (θ, φ) in radians:
    /// cos(θ/2)|0⟩ + e^{iφ} sin(θ/2)|1⟩; outcome 1 is the antipodal state.
    case bloch(theta: Double, phi: Double)

    /// Bloch angles of the outcome-0 state.
    public var angles: (theta: Double, phi: Double) {
        switch self {
        case .z: (0, 0)
        case .x: (Double.pi / 2, 0)
        case .y: (Double.pi / 2, Double.pi / 2)
        case let .bloch(theta, phi): (theta, phi)
        }
    }

    /// The unitary W with W|b0⟩ = |0⟩, W|b1⟩ = |1⟩ (rows ⟨b0|, ⟨b1|), or nil for Z.
    var rotation: ComplexMatrix? {
        if case .z = self { return nil }
        let (theta, phi) = angles
        let c = cos(theta / 2), s = sin(theta / 2)
        let cp = cos(phi), sp = sin(phi)
        var w = ComplexMatrix(rows: 2, columns: 2)
        // ⟨b0| = [c, e^{-iφ} s], ⟨b1| = [s, −e^{-iφ} c]
        w.re = [c, s * cp, s, -c * cp]
        w.im = [0, -s * sp, 0, c * sp]
        return w
    }
}

/// Classical readout error of a detector: the reported bit flips with p(1|0) or p(0|1).
public struct ReadoutError: Equatable, Sendable {
    /// Probability of reporting 1 when the qubit was projected onto outcome 0.
    public var probabilityOneGivenZero: Double
    /// Probability of reporting 0 when the qubit was projected onto outcome 1.
    public var probabilityZeroGivenOne: Double

    public static let none = ReadoutError(unchecked: 0, 0)

    /// - Throws: unless both probabilities are in [0, 1].
    public init(probabilityOneGivenZero p10: Double, probabilityZeroGivenOne p01: Double) throws(QuantumError) {
        try QuantumError.checkProbability(p10, "readout error p(1|0)")
        try QuantumError.checkProbability(p01, "readout error p(0|1)")
        self.init(unchecked: p10, p01)
    }

    init(unchecked p10: Double, _ p01: Double) {
        probabilityOneGivenZero = p10
        probabilityZeroGivenOne = p01
    }

    /// The reported outcome for a true outcome, sampled with `rng`.
    public func report<R: RandomNumberGenerator>(_ outcome: Int, using rng: inout R) -> Int {
        let flip = outcome == 0 ? probabilityOneGivenZero : probabilityZeroGivenOne
        if flip > 0, Double.random(in: 0..<1, using: &rng) < flip { return 1 - outcome }
        return outcome
    }
}

/// The four Bell states. The raw value is the two classical bits (x, z) of a Bell-state
/// measurement: x = 1 for the Ψ states, z = 1 for the minus states.
public enum BellState: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// (|00⟩ + |11⟩)/√2
    case phiPlus = 0
    /// (|00⟩ − |11⟩)/√2
    case phiMinus = 1
    /// (|01⟩ + |10⟩)/√2
    case psiPlus = 2
    /// (|01⟩ − |10⟩)/√2
    case psiMinus = 3

    /// The two basis states (as 2-bit indices, first qubit high) and the relative sign.
    var components: (first: Int, second: Int, sign: Double) {
        switch self {
        case .phiPlus: (0b00, 0b11, 1)
        case .phiMinus: (0b00, 0b11, -1)
        case .psiPlus: (0b01, 0b10, 1)
        case .psiMinus: (0b01, 0b10, -1)
        }
    }

    /// The Pauli that, applied to the second qubit, turns this Bell state into Φ+ (up to phase).
    public var correctionToPhiPlus: Pauli {
        switch self {
        case .phiPlus: .i
        case .phiMinus: .z
        case .psiPlus: .x
        case .psiMinus: .y
        }
    }

    public var description: String {
        switch self {
        case .phiPlus: "Φ+"
        case .phiMinus: "Φ−"
        case .psiPlus: "Ψ+"
        case .psiMinus: "Ψ−"
        }
    }
}

extension DensityMatrix {
    // MARK: - Single-qubit measurement

    /// Born probability of outcome 0 when measuring qubit `q` in `basis`.
    public func probabilityOfZero(_ q: Int, basis: MeasurementBasis = .z) -> Double {
        var rho = self
        if let w = basis.rotation { rho.applyOneQubit(w, to: q) }
        let m = rho.mask(q), d = rho.dimension
        var p = 0.0
        for i in 0..<d where i & m == 0 { p += rho.re[i * d + i] }
        return min(max(p, 0), 1)
    }

    /// Projects qubit `q` onto `outcome` of `basis` and renormalises: the exact branch of a
    /// measurement (for exact tests and post-selection). The qubit stays in the group, in the
    /// basis state of the outcome.
    /// - Returns: the probability of that outcome; if it is zero the state is left unchanged.
    @discardableResult
    public mutating func project(_ q: Int, basis: MeasurementBasis = .z, outcome: Int) -> Double {
        precondition(outcome == 0 || outcome == 1, "outcome must be 0 or 1")
        let w = basis.rotation
        var rho = self
        if let w { rho.applyOneQubit(w, to: q) }
        let p = rho.collapse(q, outcome: outcome)
        guard p > 0 else { return 0 }
        if let w { rho.applyOneQubit(w.adjoint, to: q) }
        self = rho
        debugCheckInvariants("projection")
        return p
    }

    /// Collapses qubit `q` onto Z outcome `outcome`, renormalising; returns its probability.
    mutating func collapse(_ q: Int, outcome: Int) -> Double {
        let m = mask(q), d = dimension, want = outcome == 0 ? 0 : m
        var p = 0.0
        for i in 0..<d where i & m == want { p += re[i * d + i] }
        guard p > 0 else { return 0 }
        let scale = 1 / p
        for i in 0..<d {
            let keepRow = (i & m) == want
            for j in 0..<d {
                if keepRow && (j & m) == want {
                    re[i * d + j] *= scale
                    im[i * d + j] *= scale
                } else {
                    re[i * d + j] = 0
                    im[i * d + j] = 0
                }
            }
        }
        return p
    }

    /// Measures qubit `q` in `basis`: samples the outcome from the Born rule with `rng`,
    /// collapses the state (the qubit stays in the group, in the outcome's basis state), and
    /// returns the outcome as reported through `readout` error.
    public mutating func measure<R: RandomNumberGenerator>(
        _ q: Int, basis: MeasurementBasis = .z, readout: ReadoutError = .none, using rng: inout R
    ) -> Int {
        let p0 = probabilityOfZero(q, basis: basis)
        let outcome = Double.random(in: 0..<1, using: &rng) < p0 ? 0 : 1
        project(q, basis: basis, outcome: outcome)
        return readout.report(outcome, using: &rng)
    }

    /// Measures qubit `q` and removes it from the group (a destructive measurement).
    public mutating func measureAndRemove<R: RandomNumberGenerator>(
        _ q: Int, basis: MeasurementBasis = .z, readout: ReadoutError = .none, using rng: inout R
    ) -> Int {
        if let w = basis.rotation { applyOneQubit(w, to: q) }
        let m = mask(q), d = dimension
        var p0 = 0.0
        for i in 0..<d where i & m == 0 { p0 += re[i * d + i] }
        let outcome = Double.random(in: 0..<1, using: &rng) < p0 ? 0 : 1
        _ = collapse(q, outcome: outcome)
        self = tracingOut(q)
        debugCheckInvariants("measurement")
        return readout.report(outcome, using: &rng)
    }

    // MARK: - Bell-state measurement

    /// Born probabilities of the four Bell outcomes on qubits `a`, `b` (indexed by ``BellState``).
    public func bellProbabilities(_ a: Int, _ b: Int) -> [Double] {
        precondition(a != b, "Bell measurement on one qubit")
        let ma = mask(a), mb = mask(b), d = dimension
        let map = restIndexMap(excluding: ma | mb)
        var probabilities = [Double](repeating: 0, count: 4)
        for state in BellState.allCases {
            let (x0, x1, s) = state.components
            let o0 = (x0 & 2 != 0 ? ma : 0) | (x0 & 1 != 0 ? mb : 0)
            let o1 = (x1 & 2 != 0 ? ma : 0) | (x1 & 1 != 0 ? mb : 0)
            var p = 0.0
            for i in map {
                let f0 = i | o0, f1 = i | o1
                p += 0.5 * (re[f0 * d + f0] + re[f1 * d + f1] + 2 * s * re[f0 * d + f1])
            }
            probabilities[state.rawValue] = max(p, 0)
        }
        return probabilities
    }

    /// Projects qubits `a`, `b` onto Bell state `outcome` and removes them (a destructive
    /// Bell-state measurement's exact branch). The remaining qubits keep their order.
    /// - Returns: the probability of that outcome; if it is zero the state is left unchanged.
    @discardableResult
    public mutating func projectBell(_ a: Int, _ b: Int, onto outcome: BellState) -> Double {
        precondition(a != b, "Bell measurement on one qubit")
        let ma = mask(a), mb = mask(b), d = dimension
        let map = restIndexMap(excluding: ma | mb)
        let dr = map.count
        let (x0, x1, s) = outcome.components
        let o0 = (x0 & 2 != 0 ? ma : 0) | (x0 & 1 != 0 ? mb : 0)
        let o1 = (x1 & 2 != 0 ? ma : 0) | (x1 & 1 != 0 ? mb : 0)
        var r = [Double](repeating: 0, count: dr * dr), im2 = r
        var p = 0.0
        for (ri, i) in map.enumerated() {
            let i0 = (i | o0) * d, i1 = (i | o1) * d
            for (rj, j) in map.enumerated() {
                let j0 = j | o0, j1 = j | o1
                // ⟨B|ρ|B⟩ = ½ (ρ00,00 + s ρ00,11 + s ρ11,00 + ρ11,11) with s real
                r[ri * dr + rj] = 0.5 * (re[i0 + j0] + s * re[i0 + j1] + s * re[i1 + j0] + re[i1 + j1])
                im2[ri * dr + rj] = 0.5 * (im[i0 + j0] + s * im[i0 + j1] + s * im[i1 + j0] + im[i1 + j1])
            }
            p += r[ri * dr + ri]
        }
        guard p > 0 else { return 0 }
        let scale = 1 / p
        for k in r.indices {
            r[k] *= scale
            im2[k] *= scale
        }
        self = DensityMatrix(qubitCount: qubitCount - 2, re: r, im: im2)
        debugCheckInvariants("Bell-state measurement")
        return p
    }

    /// A destructive Bell-state measurement on qubits `a`, `b`: samples the outcome from the
    /// Born rule, leaves the remaining qubits in the post-measurement state.
    public mutating func measureBell<R: RandomNumberGenerator>(_ a: Int, _ b: Int, using rng: inout R) -> BellState {
        let probabilities = bellProbabilities(a, b)
        let total = probabilities.reduce(0, +)
        var u = Double.random(in: 0..<1, using: &rng) * total
        var outcome = BellState.psiMinus
        for state in BellState.allCases {
            if u < probabilities[state.rawValue] {
                outcome = state
                break
            }
            u -= probabilities[state.rawValue]
        }
        if probabilities[outcome.rawValue] == 0 {
            outcome = BellState.allCases.max { probabilities[$0.rawValue] < probabilities[$1.rawValue] }!
        }
        projectBell(a, b, onto: outcome)
        return outcome
    }

    /// Basis indices with the bits in `excluded` clear, in increasing order: the map from an
    /// index of the remaining qubits to a full index.
    func restIndexMap(excluding excluded: Int) -> [Int] {
        var map = [Int]()
        map.reserveCapacity(dimension >> excluded.nonzeroBitCount)
        for i in 0..<dimension where i & excluded == 0 { map.append(i) }
        return map
    }
}
