import Foundation

/// Streaming forms of ``Statistics``: accumulators of fixed size that give the same estimates
/// as the array functions without keeping the samples, so a long run's results tables stay
/// bounded by its scenario, not by how many pairs it delivers.
extension Statistics {
    /// Count, mean and sum of squared deviations of a stream (Welford, Technometrics 4, 419,
    /// 1962): the mean's interval as ``Statistics/mean(_:)``, the rate's as
    /// ``Statistics/rate(fromIntervals:)``.
    public struct Moments: Sendable, Equatable {
        public private(set) var count = 0
        public private(set) var mean = 0.0
        /// Σ(x − mean)².
        public private(set) var squaredDeviations = 0.0

        public init() {}

        public mutating func add(_ x: Double) {
            count += 1
            let delta = x - mean
            mean += delta / Double(count)
            squaredDeviations += delta * (x - mean)
        }

        /// The mean with its 95% interval, as ``Statistics/mean(_:)`` of the samples (up to
        /// rounding); nil when empty.
        public var interval: Interval? {
            Statistics.interval(count: count, mean: mean, squaredDeviations: squaredDeviations)
        }

        /// The rate 1/τ̄ of waiting times τ with its interval, as
        /// ``Statistics/rate(fromIntervals:)``; nil with fewer than two.
        public var rate: Interval? {
            count >= 2 ? Statistics.rate(fromMeanWait: interval) : nil
        }
    }

    /// Nearest-rank percentiles of non-negative values to a stated relative resolution: counts
    /// in logarithmic bins of ratio 1 + 2·``relativeError`` (held sparsely: only the bins that
    /// occur), each reported at its geometric centre, so a percentile is within
    /// ``relativeError`` of the exact nearest-rank value (zero is its own bin, exact). Its size
    /// is bounded by the range of the values (about 2 300 bins per decade at most), never by how
    /// many there are.
    public struct Quantiles: Sendable, Equatable {
        /// Largest relative difference between a reported percentile and the exact one.
        public static let relativeError = 5e-4
        static let logBase = log1p(2 * relativeError)

        public private(set) var count = 0
        var zeros = 0
        var bins: [Int32: Int] = [:]

        public init() {}

        public mutating func add(_ x: Double) {
            count += 1
            guard x > 0, x.isFinite else { zeros += 1; return }
            bins[Int32(clamping: Int((log(x) / Self.logBase).rounded(.down))), default: 0] += 1
        }

        /// The nearest-rank q-percentile (q in (0, 1]) to within ``relativeError``; nil when empty.
        public func percentile(_ q: Double) -> Double? {
            guard count > 0 else { return nil }
            let rank = min(max(Int((q * Double(count)).rounded(.up)), 1), count)
            if rank <= zeros { return 0 }
            var seen = zeros
            for bin in bins.keys.sorted() {
                seen += bins[bin]!
                if seen >= rank { return exp((Double(bin) + 0.5) * Self.logBase) }
            }
            return nil
        }
    }
}
