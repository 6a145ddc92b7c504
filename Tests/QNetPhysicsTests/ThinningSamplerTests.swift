import Foundation
import QNetCore
import QNetPhysics
import QNetQuantum
import Testing

/// The thinning sampler against the per-attempt sampler on a satellite pass, whose success
/// probability rises from 0 (below the minimum elevation) to its peak at culmination and falls
/// again: the same waiting-time distribution (two-sample tests, 4 standard errors, fixed seeds),
/// and both against the exact distribution P(K = k) = p_k·∏_{j<k}(1 − p_j).
@Suite("Thinning on a time-varying link")
struct ThinningSamplerTests {
    static let degree = Double.pi / 180

    static func link(_ scheme: HeraldingScheme) throws -> SatelliteHeralding {
        let pass = try SatellitePass(altitudeMetres: 500_000, maxElevation: 80 * degree, minElevation: 10 * degree, startSeconds: 20)
        let beam = try OpticalBeam(wavelengthMetres: 810e-9, divergenceRadians: 2e-6, receiverApertureMetres: 1.5, pointingJitterRadians: 0.5e-6)
        let satellite = try SatelliteLink(pass: pass, beam: beam, zenithTransmittance: 0.9, receiverEfficiency: 0.8)
        return try SatelliteHeralding(scheme: scheme, fixedEfficiencyA: 0.5, fixedEfficiencyB: 0.8, slantArm: 0, visibility: 0.95,
                                      darkCountProbability: 1e-4, satellite: satellite)
    }

    /// Batches from before the rise (the whole pass ahead), and from 40 s before the set (the
    /// success probability falling to 0 within the batch: some batches exhaust).
    @Test(arguments: [HeraldingScheme.doubleClick, .singleClick(brightStatePopulation: 0.05)], [false, true])
    func batchedMatchesPerAttempt(scheme: HeraldingScheme, late: Bool) throws {
        let link = try Self.link(scheme)
        let pass = link.satellite.pass
        let cycle = 1.0, modes = 4
        let t0 = late ? (pass.endSeconds - 40).rounded(.down) : 0
        let maxAttempts = UInt64(modes) * UInt64((pass.endSeconds + 30 - t0).rounded(.up))  // past the set
        let sampler = ThinningSampler(link: link, segmentSeconds: pass.durationSeconds / 64)
        // The exact distribution over the batch's attempts.
        var survival = 1.0, exactMean = 0.0, pSuccess = 0.0
        var cdf: [Double] = []
        for k in 0..<Int(maxAttempts) {
            let p = link.model(atSeconds: t0 + Double(k / modes) * cycle)?.successProbability ?? 0
            pSuccess += survival * p
            exactMean += Double(k) * survival * p
            survival *= 1 - p
            cdf.append(pSuccess)
        }
        exactMean /= pSuccess
        let n = 2_000
        var batched = SeededRandom(seed: 21).split("batched"), perAttempt = SeededRandom(seed: 21).split("per-attempt")
        var waits: [[Double]] = [[], []]
        var exhausted = [0, 0]
        for _ in 0..<n {
            let draws = [
                sampler.sampleBatched(firstMeetSeconds: t0, cycleSeconds: cycle, modes: modes, maxAttempts: maxAttempts, using: &batched),
                sampler.samplePerAttempt(firstMeetSeconds: t0, cycleSeconds: cycle, modes: modes, maxAttempts: maxAttempts, using: &perAttempt),
            ]
            for (i, draw) in draws.enumerated() {
                guard let draw else { exhausted[i] += 1; continue }
                #expect(draw.outcome.isSuccess)
                #expect(pass.isUp(atSeconds: t0 + Double(draw.attempt / UInt64(modes)) * cycle), "a success while the link is down")
                waits[i].append(Double(draw.attempt))
            }
        }
        // Exhaustion: binomial, against 1 − P(success) and against each other.
        for e in exhausted {
            #expect(abs(Double(e) / Double(n) - (1 - pSuccess)) < 4 * (pSuccess * (1 - pSuccess) / Double(n)).squareRoot() + 1 / Double(n))
        }
        // Mean waiting time given success: each against the exact mean, and the two against each
        // other (Welch's z), within 4 standard errors of their sample variances.
        let stats = waits.map { w -> (mean: Double, variance: Double, count: Double) in
            let mean = w.reduce(0, +) / Double(w.count)
            return (mean, w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count - 1), Double(w.count))
        }
        for s in stats {
            #expect(abs(s.mean - exactMean) < 4 * (s.variance / s.count).squareRoot(), "mean \(s.mean), exact \(exactMean)")
        }
        #expect(abs(stats[0].mean - stats[1].mean) < 4 * (stats[0].variance / stats[0].count + stats[1].variance / stats[1].count).squareRoot())
        print("thinning \(scheme)\(late ? " late" : ""): P(success) \(pSuccess), mean wait \(stats[0].mean) batched, \(stats[1].mean) per attempt, exact \(exactMean) attempts; exhausted \(exhausted)")
        // The distribution: empirical CDFs at the exact deciles, each pair within 4 standard
        // errors of a two-sample difference of proportions.
        for decile in 1...9 {
            let target = Double(decile) / 10 * pSuccess
            let k = cdf.firstIndex { $0 >= target }!
            let exact = cdf[k] / pSuccess
            let f = waits.map { w in Double(w.filter { $0 <= Double(k) }.count) / Double(w.count) }
            let se = (exact * (1 - exact) * (1 / stats[0].count + 1 / stats[1].count)).squareRoot()
            #expect(abs(f[0] - f[1]) < 4 * se, "decile \(decile) at attempt \(k): \(f[0]) vs \(f[1])")
            for (fi, s) in zip(f, stats) { #expect(abs(fi - exact) < 4 * (exact * (1 - exact) / s.count).squareRoot()) }
        }
    }

    /// The bound used for thinning holds: at every time of a segment the success probability is
    /// at most the bound of the segment.
    @Test(arguments: [HeraldingScheme.doubleClick, .singleClick(brightStatePopulation: 0.3)])
    func boundCoversSuccessProbability(scheme: HeraldingScheme) throws {
        let link = try Self.link(scheme)
        let pass = link.satellite.pass
        let step = pass.durationSeconds / 40
        var t = pass.startSeconds - step
        while t < pass.endSeconds + step {
            let bound = link.successBound(fromSeconds: t, toSeconds: t + step)
            for i in 0...20 {
                let p = link.model(atSeconds: t + step * Double(i) / 20)?.successProbability ?? 0
                #expect(p <= bound, "p = \(p) above the bound \(bound) at \(t) s")
            }
            t += step
        }
        #expect(link.successBound(fromSeconds: 0, toSeconds: pass.startSeconds - 1) == 0)
    }
}
