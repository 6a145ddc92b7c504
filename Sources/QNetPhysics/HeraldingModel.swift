import Foundation
import QNetCore
import QNetQuantum

/// How a link's station heralds entanglement.
public enum HeraldingScheme: Hashable, Sendable {
    /// One emission round; each spin is prepared in √(1−α)|0⟩ + √α|1⟩ (|1⟩ bright, it emits a
    /// photon) and one click at the station heralds Ψ± (Cabrillo et al., PRA 59, 1025, 1999;
    /// Humphreys et al., Nature 558, 268, 2018). α is the bright-state population.
    case singleClick(brightStatePopulation: Double)
    /// Barrett–Kok: spins in (|0⟩+|1⟩)/√2, two emission rounds with a π pulse (X) on both spins
    /// between them, one click in each round (Barrett & Kok, PRA 71, 060310(R), 2005).
    case doubleClick
}

/// Which detectors clicked in one emission round behind the station's 50:50 beam splitter.
public enum ClickPattern: Int, CaseIterable, Sendable {
    case none = 0
    /// Only detector c (the symmetric output port) clicked.
    case c = 1
    /// Only detector d (the antisymmetric output port) clicked.
    case d = 2
    case both = 3

    /// Exactly one click: the round heralds.
    public var isSingleClick: Bool { self == .c || self == .d }
}

/// The outcome of one heralding attempt: one click pattern per emission round.
public struct HeraldOutcome: Equatable, Hashable, Sendable {
    public var rounds: [ClickPattern]

    public init(_ rounds: [ClickPattern]) { self.rounds = rounds }

    /// True when every round had exactly one click.
    public var isSuccess: Bool { rounds.allSatisfy(\.isSingleClick) }

    /// The Bell state heralded on success: Ψ+ when an even number of rounds clicked detector d,
    /// Ψ− otherwise (each d click flips the sign of the |01⟩–|10⟩ coherence).
    public var bellState: BellState {
        rounds.filter { $0 == .d }.count % 2 == 0 ? .psiPlus : .psiMinus
    }
}

/// The exact click model of a heralded link between nodes A and B (DESIGN §4).
///
/// An emission round does not change the spins; it entangles them with light, and detection
/// then acts on the two-spin density matrix as a Schur (entrywise) multiplier: for a click
/// pattern o, ρ → A_o ⊙ ρ, where A_o(s, s') = Tr[Π_o |φ_s⟩⟨φ_s'|] over the photonic states φ_s
/// that spin configuration s emits (a bright spin emits one photon, which reaches the beam
/// splitter with its arm's total efficiency η and is otherwise lost). Σ_o A_o(s, s) = 1.
///
/// - Configurations with different photon numbers have no coherence after detection
///   (threshold detectors are diagonal in photon number), so A_o is diagonal except for the
///   (|10⟩, |01⟩) pair, whose coherence is ±½·√(η_A η_B)·√V·(1 − p_dark): + for c, − for d.
/// - Two arriving photons bunch with probability (1+V)/2 (Hong, Ou & Mandel, PRL 59, 2044,
///   1987), V the two-photon interference visibility (|⟨ψ_A|ψ_B⟩|²; single-photon
///   interference keeps √V of the coherence).
/// - Each detector adds a dark count with probability p_dark per window.
///
/// Nothing here assumes small loss: short, low-loss links are right too.
public struct HeraldingModel: Hashable, Sendable {
    public var scheme: HeraldingScheme
    /// Total efficiency of arm A: emission × collection × conversion × fibre × detector.
    public var etaA: Double
    /// Total efficiency of arm B.
    public var etaB: Double
    /// Two-photon interference visibility V in [0, 1].
    public var visibility: Double
    /// Dark-count probability per detector per window.
    public var darkCountProbability: Double

    /// - Throws: if any probability is outside [0, 1] or α is outside (0, 1).
    public init(scheme: HeraldingScheme, etaA: Double, etaB: Double, visibility: Double = 1, darkCountProbability: Double = 0) throws(QuantumError) {
        for (value, name) in [(etaA, "arm A efficiency"), (etaB, "arm B efficiency"), (visibility, "visibility"), (darkCountProbability, "dark-count probability")] {
            guard value.isFinite, value >= 0, value <= 1 else {
                throw QuantumError(.parameterOutOfRange, "\(name) must be in [0, 1], got \(value)")
            }
        }
        if case let .singleClick(alpha) = scheme, !(alpha > 0 && alpha < 1) {
            throw QuantumError(.parameterOutOfRange, "bright-state population must be in (0, 1), got \(alpha)")
        }
        self.scheme = scheme
        self.etaA = etaA
        self.etaB = etaB
        self.visibility = visibility
        self.darkCountProbability = darkCountProbability
    }

    /// Spin basis indices (A most significant): |00⟩ = 0, |01⟩ = 1, |10⟩ = 2, |11⟩ = 3.
    /// The Schur multiplier A_o of one emission round as a 4×4 real matrix (row-major).
    public func multiplier(_ o: ClickPattern) -> [Double] {
        let pd = darkCountProbability, v = visibility
        // P(o | k photons arrive at the beam splitter), k = 0, 1, 2.
        func given(_ k: Int) -> Double {
            switch (k, o) {
            case (0, .none): (1 - pd) * (1 - pd)
            case (0, .c), (0, .d): pd * (1 - pd)
            case (0, .both): pd * pd
            case (1, .none): 0
            case (1, .c), (1, .d): 0.5 * (1 - pd)
            case (1, .both): pd
            case (2, .none): 0
            case (2, .c), (2, .d): (1 + v) / 4 * (1 - pd)
            case (2, .both): (1 - v) / 2 + (1 + v) / 2 * pd
            default: 0
            }
        }
        let (ea, eb) = (etaA, etaB)
        var m = [Double](repeating: 0, count: 16)
        m[0] = given(0)
        m[1 * 4 + 1] = eb * given(1) + (1 - eb) * given(0)  // |01⟩: B bright
        m[2 * 4 + 2] = ea * given(1) + (1 - ea) * given(0)  // |10⟩: A bright
        m[3 * 4 + 3] = ea * eb * given(2) + (ea * (1 - eb) + eb * (1 - ea)) * given(1) + (1 - ea) * (1 - eb) * given(0)
        let coherence: Double = switch o {
        case .c: 0.5 * (ea * eb * v).squareRoot() * (1 - pd)
        case .d: -0.5 * (ea * eb * v).squareRoot() * (1 - pd)
        default: 0
        }
        m[1 * 4 + 2] = coherence
        m[2 * 4 + 1] = coherence
        return m
    }

    /// The two-spin state before the first emission round.
    public var initialState: DensityMatrix {
        let alpha: Double = switch scheme {
        case let .singleClick(a): a
        case .doubleClick: 0.5
        }
        let one = ComplexMatrix(real: [[(1 - alpha).squareRoot()], [alpha.squareRoot()]])
        return DensityMatrix(pure: one.kronecker(one))
    }

    /// Emission rounds per attempt.
    public var rounds: Int {
        if case .doubleClick = scheme { return 2 }
        return 1
    }

    /// The unnormalised state after the rounds of `outcome` (its trace is the outcome's
    /// probability). Between rounds of a double-click attempt both spins are flipped (X⊗X).
    public func unnormalisedState(_ outcome: HeraldOutcome) -> (probability: Double, state: [Double]) {
        precondition(outcome.rounds.count == rounds, "expected \(rounds) round(s)")
        // ρ is real in this model (phase-stabilised links): work on its real part.
        var rho = initialState.re
        for (index, round) in outcome.rounds.enumerated() {
            if index > 0 { rho = Self.flipBoth(rho) }
            let a = multiplier(round)
            for k in 0..<16 { rho[k] *= a[k] }
        }
        let p = rho[0] + rho[5] + rho[10] + rho[15]
        return (p, rho)
    }

    /// Probability of `outcome`.
    public func probability(of outcome: HeraldOutcome) -> Double {
        unnormalisedState(outcome).probability
    }

    /// The heralded two-spin state for a successful outcome (qubit 0 is A's, qubit 1 is B's).
    public func heraldedState(_ outcome: HeraldOutcome) -> DensityMatrix {
        let (p, rho) = unnormalisedState(outcome)
        precondition(p > 0, "outcome \(outcome.rounds) has probability 0")
        var m = ComplexMatrix(rows: 4, columns: 4)
        m.re = rho.map { $0 / p }
        return try! DensityMatrix(matrix: m)
    }

    /// Every outcome of one attempt (4 for single-click, 16 for double-click).
    public var allOutcomes: [HeraldOutcome] {
        var outcomes: [[ClickPattern]] = [[]]
        for _ in 0..<rounds {
            outcomes = outcomes.flatMap { prefix in ClickPattern.allCases.map { prefix + [$0] } }
        }
        return outcomes.map(HeraldOutcome.init)
    }

    /// The successful outcomes of one attempt.
    public var successfulOutcomes: [HeraldOutcome] { allOutcomes.filter(\.isSuccess) }

    /// Per-attempt success probability, from the click model itself.
    public var successProbability: Double {
        successfulOutcomes.reduce(0) { $0 + probability(of: $1) }
    }

    /// Mean fidelity of the heralded state, after the Pauli correction that maps each heralded
    /// Bell state to Φ+, to Φ+ (averaged over successful outcomes with their probabilities).
    public var heraldedFidelity: Double {
        var total = 0.0, weight = 0.0
        for outcome in successfulOutcomes {
            let p = probability(of: outcome)
            guard p > 0 else { continue }
            total += p * heraldedState(outcome).fidelity(to: outcome.bellState)
            weight += p
        }
        return weight > 0 ? total / weight : 0
    }

    static func flipBoth(_ rho: [Double]) -> [Double] {
        // (X⊗X) ρ (X⊗X): index s ↦ 3 − s on rows and columns.
        var out = rho
        for i in 0..<4 { for j in 0..<4 { out[i * 4 + j] = rho[(3 - i) * 4 + (3 - j)] } }
        return out
    }
}
