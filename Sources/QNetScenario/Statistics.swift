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
        let m = xs.reduce(0, +) / Double(xs.count)
        return interval(count: xs.count, mean: m, squaredDeviations: xs.reduce(0) { $0 + ($1 - m) * ($1 - m) })
    }

    /// The mean's 95% interval from n, the mean and Σ(x − mean)²: 1.96·s/√n, s the sample
    /// standard deviation (0 for one value); nil when n = 0.
    static func interval(count: Int, mean m: Double, squaredDeviations: Double) -> Interval? {
        guard count > 0 else { return nil }
        let n = Double(count)
        let s = count > 1 ? (max(0, squaredDeviations) / (n - 1)).squareRoot() : 0
        let h = z95 * s / n.squareRoot()
        return Interval(mean: m, ci95: [m - h, m + h])
    }

    /// A rate from i.i.d. waiting times τ_i: n / Σ τ_i, with the interval mapped from the mean
    /// waiting time's (delta method: rate = 1/τ̄, monotone).
    /// Nil with fewer than two waiting times (no spread to estimate from).
    public static func rate(fromIntervals taus: [Double]) -> Interval? {
        guard taus.count >= 2 else { return nil }
        return rate(fromMeanWait: mean(taus))
    }

    /// 1/τ̄ with the interval mapped from the mean waiting time's (an unbounded upper end is
    /// 1.8e308); nil without a positive mean.
    static func rate(fromMeanWait wait: Interval?) -> Interval? {
        guard let t = wait, t.mean > 0 else { return nil }
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
