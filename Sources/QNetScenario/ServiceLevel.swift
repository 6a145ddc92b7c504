import Foundation

/// Service levels of a request (summary.json's per-request `slo`): whether each stated target
/// (rate, mean fidelity, deadline) was met over the whole request, and the outage probability,
/// the fraction of fixed windows in which the delivered rate or fidelity missed its target.
///
/// The windows tile the request's span, from its start to its last pair's delivery when every
/// pair came, else to the end of the run: window k is [start + kW, start + (k + 1)W), and only
/// whole windows count (a span shorter than W is one window of its own length). A window
/// misses the rate target when it holds fewer than targetRate · W deliveries, and the fidelity
/// target when the mean fidelity of its deliveries is below the target or it has none. The
/// 95% interval is Wilson's score interval for a binomial proportion (Wilson, JASA 22, 209,
/// 1927); windows are treated as independent trials, which they are for memoryless link
/// generation and only approximately otherwise.
public enum ServiceLevel {
    /// One request's targets and what the run gave.
    public struct Input: Sendable {
        public var start: Double
        /// End of the span (see the type's notes).
        public var end: Double
        public var targetRate: Double?
        public var targetFidelity: Double?
        /// Window length in seconds, > 0.
        public var window: Double
        /// Delivery times (virtual seconds) and, for keep requests, their fidelities, index by
        /// index (NaN where a pair has none; such a pair counts for the rate only).
        public var deliveries: [Double]
        public var fidelities: [Double]
        /// The request's rate estimate and mean fidelity (summary.json's), and whether it was
        /// served within its deadline (nil without a deadline).
        public var rate: Double?
        public var meanFidelity: Double?
        public var servedWithinDeadline: Bool?

        public init(start: Double, end: Double, targetRate: Double?, targetFidelity: Double?, window: Double,
                    deliveries: [Double], fidelities: [Double], rate: Double?, meanFidelity: Double?, servedWithinDeadline: Bool?) {
            self.start = start
            self.end = end
            self.targetRate = targetRate
            self.targetFidelity = targetFidelity
            self.window = window
            self.deliveries = deliveries
            self.fidelities = fidelities
            self.rate = rate
            self.meanFidelity = meanFidelity
            self.servedWithinDeadline = servedWithinDeadline
        }
    }

    /// The most windows one request's span is cut into (as `sloWindow` is limited in a scenario).
    public static let mostWindows = 1_000_000

    /// The window length when the scenario gives none: ten pairs at the target rate, or a tenth
    /// of the span without a rate target.
    public static func defaultWindow(targetRate: Double?, span: Double) -> Double {
        if let rate = targetRate { return 10 / rate }
        return max(span, 1e-12) / 10
    }

    /// The request's `slo`.
    public static func evaluate(_ input: Input) -> Results.ServiceLevel {
        let span = max(input.end - input.start, 0)
        // At most ``mostWindows`` (a window that would cut the span finer is widened to fit).
        let window = max(input.window, span / Double(mostWindows))
        let whole = window > 0 ? Int((span / window).rounded(.down)) : 0
        let count = max(whole, 1)
        let width = whole >= 1 ? window : span
        var pairs = [Int](repeating: 0, count: count)
        var sums = [Double](repeating: 0, count: count)
        var fidelityPairs = [Int](repeating: 0, count: count)
        for (i, t) in input.deliveries.enumerated() {
            // A span of zero length (every pair at the start) is one window.
            var k = width > 0 ? Int(((t - input.start) / width).rounded(.down)) : 0
            // The last window is closed: a delivery exactly at its end (the span's last) is in it.
            if k == count && t <= input.start + Double(count) * width * (1 + 1e-12) { k = count - 1 }
            guard k >= 0 && k < count else { continue }
            pairs[k] += 1
            if i < input.fidelities.count, input.fidelities[i].isFinite {
                fidelityPairs[k] += 1
                sums[k] += input.fidelities[i]
            }
        }
        var missed = 0
        for k in 0..<count {
            var miss = false
            if let rate = input.targetRate, Double(pairs[k]) < rate * width * (1 - 1e-12) { miss = true }
            if let fidelity = input.targetFidelity, fidelityPairs[k] == 0 || sums[k] / Double(fidelityPairs[k]) < fidelity { miss = true }
            if miss { missed += 1 }
        }
        let rateMet = input.targetRate.map { target in (input.rate ?? 0) >= target }
        let fidelityMet = input.targetFidelity.map { target in (input.meanFidelity ?? 0) >= target }
        let met = [rateMet, fidelityMet, input.servedWithinDeadline].compactMap { $0 }.allSatisfy { $0 }
        let windowed = input.targetRate != nil || input.targetFidelity != nil
        return Results.ServiceLevel(
            met: met, rateMet: rateMet, fidelityMet: fidelityMet, deadlineMet: input.servedWithinDeadline,
            targetRatePerSecond: input.targetRate, targetFidelity: input.targetFidelity,
            windowSeconds: windowed ? width : nil, windows: windowed ? count : nil, windowsMissed: windowed ? missed : nil,
            outageProbability: windowed ? wilson(missed, count) : nil)
    }

    /// The proportion `k / n` with Wilson's 95% score interval.
    public static func wilson(_ k: Int, _ n: Int) -> Statistics.Interval {
        let z = Statistics.z95, nn = Double(n), p = Double(k) / nn
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
        return Statistics.Interval(mean: p, ci95: [max(0, centre - half), min(1, centre + half)])
    }
}
