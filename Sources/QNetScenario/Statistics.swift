import Foundation

/// Estimates with 95% confidence intervals, for results files.
public enum Statistics {
    /// z for a two-sided 95% normal interval.
    public static let z95 = 1.959963984540054

    /// A mean with its 95% confidence interval [low, high] (normal approximation, 1.96·s/√n).
    public struct Interval: Codable, Equatable, Sendable {
        public var mean: Double
        public var ci95: [Double]
    }

    public static func mean(_ xs: [Double]) -> Interval? {
        guard !xs.isEmpty else { return nil }
        let n = Double(xs.count)
        let m = xs.reduce(0, +) / n
        let s = xs.count > 1 ? (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() : 0
        let h = z95 * s / n.squareRoot()
        return Interval(mean: m, ci95: [m - h, m + h])
    }

    /// A rate from i.i.d. waiting times τ_i: n / Σ τ_i, with the interval mapped from the mean
    /// waiting time's (delta method: rate = 1/τ̄, monotone).
    /// Nil with fewer than two waiting times (no spread to estimate from).
    public static func rate(fromIntervals taus: [Double]) -> Interval? {
        guard taus.count >= 2, let t = mean(taus), t.mean > 0 else { return nil }
        let low = t.ci95[1] > 0 ? 1 / t.ci95[1] : 0
        let high = t.ci95[0] > 0 ? 1 / t.ci95[0] : .infinity
        return Interval(mean: 1 / t.mean, ci95: [low, high.isFinite ? high : Double.greatestFiniteMagnitude])
    }

    /// Nearest-rank percentile (q in (0, 1]) of unsorted data.
    public static func percentile(_ xs: [Double], _ q: Double) -> Double? {
        guard !xs.isEmpty else { return nil }
        let sorted = xs.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
