import Foundation
import QNetCore
import Testing

@testable import QNetScenario

/// The streaming accumulators the coordinator keeps per request instead of per-pair arrays give
/// the array functions' estimates: the same means, rates and ratio intervals up to rounding,
/// and percentiles within the stated relative resolution.
@Suite("Statistics: streaming accumulators")
struct StreamingStatisticsTests {
    /// Exponential waiting times and fidelities in [0.8, 1), a fixed seed.
    static func samples(_ n: Int) -> (waits: [Double], fidelities: [Double]) {
        var rng = SeededRandom(seed: 42)
        let waits = (0..<n).map { _ in -log(rng.nextOpenUnit()) * 1e-3 }
        let fidelities = (0..<n).map { _ in 0.8 + 0.2 * rng.nextUnit() }
        return (waits, fidelities)
    }

    static func close(_ a: Statistics.Interval?, _ b: Statistics.Interval?, _ tolerance: Double = 1e-9) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a.mean - b.mean) <= tolerance * abs(b.mean)
            && zip(a.ci95, b.ci95).allSatisfy { abs($0 - $1) <= tolerance * max(abs($1), 1e-300) }
    }

    @Test(arguments: [0, 1, 2, 10, 10_000])
    func momentsGiveTheArrayEstimates(n: Int) {
        let (waits, fidelities) = Self.samples(n)
        var w = Statistics.Moments(), f = Statistics.Moments()
        waits.forEach { w.add($0) }
        fidelities.forEach { f.add($0) }
        #expect(w.count == n)
        #expect(Self.close(f.interval, Statistics.mean(fidelities)))
        #expect(Self.close(w.rate, Statistics.rate(fromIntervals: waits)))
    }

    /// Nearest-rank percentiles of 10⁴ waits (and of a stream with zeros) within the resolution.
    @Test func quantilesAreWithinTheirRelativeError() throws {
        var (waits, _) = Self.samples(10_000)
        waits += Array(repeating: 0, count: 700)
        var q = Statistics.Quantiles()
        waits.forEach { q.add($0) }
        for p in [0.01, 0.05, 0.066, 0.5, 0.9, 0.99, 1.0] {
            let exact = try #require(Statistics.percentile(waits, p)), streamed = try #require(q.percentile(p))
            if exact == 0 {
                #expect(streamed == 0, "p = \(p)")
            } else {
                #expect(abs(streamed / exact - 1) <= Statistics.Quantiles.relativeError * (1 + 1e-9), "p = \(p): \(streamed) against \(exact)")
            }
        }
        #expect(Statistics.Quantiles().percentile(0.5) == nil)
        // Its size follows the values' range, not their number: at most one bin per step of
        // the resolution between the smallest and the largest value, however many there are.
        let more = Self.samples(10_000).waits
        more.forEach { q.add($0) }
        let positive = (waits + more).filter { $0 > 0 }
        let bound = Int(log(positive.max()! / positive.min()!) / Statistics.Quantiles.logBase) + 2
        #expect(q.bins.count <= bound)
        #expect(q.count == 20_700)
    }
}
