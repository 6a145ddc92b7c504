import Foundation
import QNetCore
import QNetQuantum

/// Samples when a heralding attempt first succeeds, and how.
///
/// Batched heralding (DESIGN §4): instead of one event per attempt, the station draws the index
/// of the first success from the geometric distribution P(K = k) = (1−p)^k p, by inversion
/// K = ⌊ln U / ln(1−p)⌋ with U uniform in (0, 1] (Devroye, "Non-Uniform Random Variate
/// Generation", 1986, §X.2), then the outcome from the distribution conditioned on success.
/// The per-attempt mode plays every attempt through the full outcome distribution, round by
/// round; it exists to show (in a test) that both give the same distributions.
public struct HeraldingSampler: Sendable {
    public let model: HeraldingModel
    /// Per-attempt success probability.
    public let successProbability: Double
    let successful: [(outcome: HeraldOutcome, cumulative: Double)]
    /// P(first rounds = prefix), for every prefix of up to `model.rounds` patterns (key: the
    /// patterns' raw values in base 4, offset by the prefix length).
    let prefixProbability: [Int: Double]

    public init(model: HeraldingModel) {
        self.model = model
        var cumulative = 0.0
        var table: [(HeraldOutcome, Double)] = []
        for outcome in model.successfulOutcomes {
            cumulative += model.probability(of: outcome)
            table.append((outcome, cumulative))
        }
        successProbability = cumulative
        successful = table
        var prefixes: [[ClickPattern]] = [[]]
        var probabilities: [Int: Double] = [:]
        for _ in 0..<model.rounds {
            prefixes = prefixes.flatMap { prefix in ClickPattern.allCases.map { prefix + [$0] } }
            for prefix in prefixes { probabilities[Self.key(prefix)] = Self.roundProbability(model, prefix) }
        }
        prefixProbability = probabilities
    }

    static func key(_ prefix: [ClickPattern]) -> Int {
        prefix.reduce(prefix.count << 16) { $0 * 4 + $1.rawValue }
    }

    /// Geometric inversion: the number of failures before the first success, ⌊ln u / ln(1 − p)⌋
    /// for u uniform in (0, 1] (0 when p = 1).
    public static func failuresBeforeSuccess(probability p: Double, uniform u: Double) -> Double {
        p >= 1 ? 0 : (log(u) / log1p(-p)).rounded(.down)
    }

    /// A first success within `maxAttempts` attempts: its 0-based attempt index and outcome,
    /// or nil when every attempt fails. O(1) whatever the number of attempts.
    public func sampleBatched(maxAttempts: UInt64, using rng: inout SeededRandom) -> (attempt: UInt64, outcome: HeraldOutcome)? {
        let p = successProbability
        guard p > 0, maxAttempts > 0 else { return nil }
        let failures = Self.failuresBeforeSuccess(probability: p, uniform: rng.nextOpenUnit())
        guard failures < Double(maxAttempts) else { return nil }
        let u = rng.nextUnit() * p
        let outcome = successful.first { u < $0.cumulative }?.outcome ?? successful.last!.outcome
        return (UInt64(failures), outcome)
    }

    /// Attempts between two calls of `samplePerAttempt`'s `progress`.
    public static let progressInterval: UInt64 = 1 << 10

    /// The same, attempt by attempt: each emission round's click pattern is drawn from its
    /// probability given the spins' state after the previous rounds. O(attempts), so
    /// `progress` is called every ``progressInterval`` attempts (a shell keeps its heartbeat
    /// going through a batch of millions); it does not change the draw.
    public func samplePerAttempt(
        maxAttempts: UInt64, using rng: inout SeededRandom, progress: () -> Void = {}
    ) -> (attempt: UInt64, outcome: HeraldOutcome)? {
        var attempt: UInt64 = 0
        while attempt < maxAttempts {
            if attempt % Self.progressInterval == Self.progressInterval - 1 { progress() }
            var rounds: [ClickPattern] = []
            var previous = 1.0
            for _ in 0..<model.rounds {
                // P(pattern | earlier rounds) = P(earlier + pattern) / P(earlier)
                let completions = ClickPattern.allCases.map { prefixProbability[Self.key(rounds + [$0])]! }
                var u = rng.nextUnit() * previous
                var chosen = ClickPattern.both
                for (pattern, p) in zip(ClickPattern.allCases, completions) {
                    if u < p { chosen = pattern; break }
                    u -= p
                }
                rounds.append(chosen)
                previous = prefixProbability[Self.key(rounds)]!
                if !chosen.isSingleClick { break }
            }
            if rounds.count == model.rounds, HeraldOutcome(rounds).isSuccess {
                return (attempt, HeraldOutcome(rounds))
            }
            attempt += 1
        }
        return nil
    }

    /// Probability of the first rounds of an attempt having these patterns (later rounds summed out).
    static func roundProbability(_ model: HeraldingModel, _ prefix: [ClickPattern]) -> Double {
        var rho = model.initialState.re
        for (index, round) in prefix.enumerated() {
            if index > 0 { rho = HeraldingModel.flipBoth(rho) }
            let a = model.multiplier(round)
            for k in 0..<16 { rho[k] *= a[k] }
        }
        return rho[0] + rho[5] + rho[10] + rho[15]
    }
}
