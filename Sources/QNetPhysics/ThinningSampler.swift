import Foundation
import QNetCore
import QNetQuantum

/// A heralded link whose click model changes in time (a satellite pass): the model at each
/// attempt's meeting time at the station, and an upper bound on the success probability over
/// an interval, for thinning.
public protocol TimeVaryingHeralding: Sendable {
    /// The click model for photons meeting at the station at `t` seconds; nil while the link is
    /// down (no attempt can succeed).
    func model(atSeconds t: Double) -> HeraldingModel?
    /// A number ≥ the success probability at every t in [t1, t2] (0 if the link is down
    /// throughout).
    func successBound(fromSeconds t1: Double, toSeconds t2: Double) -> Double
}

extension HeraldingModel {
    /// P(every emission round has at least one click): an upper bound on the success
    /// probability (success is exactly one click in every round) that grows with both arm
    /// efficiencies. Only the diagonal of ρ matters (a Schur multiplier's diagonal acts on the
    /// populations alone), and each population's chance of a click, 1 − (1 − p_dark)²·∏(1 − η)
    /// over its bright spins, grows with η_A and η_B; so the bound at the highest efficiencies of
    /// an interval bounds the success probability throughout it.
    public var clickEveryRoundProbability: Double {
        let rho = initialState.re
        var populations = [rho[0], rho[5], rho[10], rho[15]]
        let none = multiplier(.none)
        for round in 0..<rounds {
            if round > 0 { populations.reverse() }  // X⊗X maps |s⟩ to |3 − s⟩
            for s in 0..<4 { populations[s] *= 1 - none[s * 4 + s] }
        }
        return populations.reduce(0, +)
    }
}

/// Samples the first success of a batch on a time-varying link.
///
/// Attempt k (mode-level: cycle k / M, M modes per cycle) meets at the station at
/// t_k = t₀ + ⌊k / M⌋·T and succeeds with probability p(t_k), independently of the others: a
/// non-homogeneous Bernoulli process. The batched sampler thins it (Lewis & Shedler, Naval Res.
/// Logist. Q. 26, 403, 1979, there for Poisson processes; Devroye, "Non-Uniform Random Variate
/// Generation", 1986, ch. VI): the batch is cut into segments of at most ``segmentSeconds``, in
/// each the candidates are a homogeneous Bernoulli process with the segment's bound p̄ ≥ p(t),
/// drawn by geometric inversion, and a candidate at t_k is accepted with probability p(t_k)/p̄.
/// Each attempt is then a success with probability p̄ · p(t_k)/p̄ = p(t_k), independently, and
/// the first accepted candidate is the first success. The cost is O(segments + Σ p̄/p) per
/// draw, not O(attempts). The outcome is drawn from the model at t_k given success.
///
/// The per-attempt sampler plays every attempt through the full outcome distribution of the
/// model at its time; it exists to show, in a test, that both give the same distributions.
public struct ThinningSampler: Sendable {
    public let link: any TimeVaryingHeralding
    /// Longest time one bound covers, seconds (shorter segments: tighter bounds, more steps).
    public let segmentSeconds: Double

    public init(link: any TimeVaryingHeralding, segmentSeconds: Double) {
        precondition(segmentSeconds > 0, "segments must be longer than zero")
        self.link = link
        self.segmentSeconds = segmentSeconds
    }

    /// The first success of a batch whose first cycle meets at `firstMeetSeconds`, one cycle of
    /// `modes` attempts every `cycleSeconds`: its attempt index, outcome and the model at its
    /// time; nil when all `maxAttempts` fail.
    public func sampleBatched(
        firstMeetSeconds t0: Double, cycleSeconds: Double, modes: Int, maxAttempts: UInt64, using rng: inout SeededRandom
    ) -> (attempt: UInt64, outcome: HeraldOutcome, model: HeraldingModel)? {
        let m = UInt64(max(modes, 1))
        let cyclesPerSegment = UInt64(max(1, (segmentSeconds / cycleSeconds).rounded(.down)))
        var k: UInt64 = 0
        while k < maxAttempts {
            // This segment: whole cycles from k's cycle, at most cyclesPerSegment of them.
            let cycle = k / m
            let segmentEnd = min(maxAttempts, (cycle + cyclesPerSegment) * m)
            let lastCycle = (segmentEnd - 1) / m
            let bound = min(1, link.successBound(fromSeconds: t0 + Double(cycle) * cycleSeconds, toSeconds: t0 + Double(lastCycle) * cycleSeconds))
            guard bound > 0 else { k = segmentEnd; continue }
            while k < segmentEnd {
                let failures = HeraldingSampler.failuresBeforeSuccess(probability: bound, uniform: rng.nextOpenUnit())
                guard failures < Double(segmentEnd - k) else { k = segmentEnd; break }
                k += UInt64(failures)
                let t = t0 + Double(k / m) * cycleSeconds
                if let model = link.model(atSeconds: t) {
                    let p = model.successProbability
                    precondition(p <= bound * (1 + 1e-12), "thinning bound \(bound) below p = \(p) at \(t) s")
                    if rng.nextUnit() * bound < p {
                        return (k, Self.outcomeGivenSuccess(model, p, using: &rng), model)
                    }
                }
                k += 1
            }
        }
        return nil
    }

    /// The same, attempt by attempt: every attempt's outcome drawn from the full distribution of
    /// the model at its time. O(attempts).
    public func samplePerAttempt(
        firstMeetSeconds t0: Double, cycleSeconds: Double, modes: Int, maxAttempts: UInt64, using rng: inout SeededRandom
    ) -> (attempt: UInt64, outcome: HeraldOutcome, model: HeraldingModel)? {
        let m = UInt64(max(modes, 1))
        var cycleModel: (cycle: UInt64, model: HeraldingModel?, outcomes: [(HeraldOutcome, Double)])?
        for k in 0..<maxAttempts {
            let cycle = k / m
            if cycleModel?.cycle != cycle {
                let model = link.model(atSeconds: t0 + Double(cycle) * cycleSeconds)
                cycleModel = (cycle, model, model.map { m in m.allOutcomes.map { ($0, m.probability(of: $0)) } } ?? [])
            }
            guard let model = cycleModel?.model else { continue }
            var u = rng.nextUnit()
            var drawn = cycleModel!.outcomes.last!.0
            for (outcome, p) in cycleModel!.outcomes {
                if u < p { drawn = outcome; break }
                u -= p
            }
            if drawn.isSuccess { return (k, drawn, model) }
        }
        return nil
    }

    /// An outcome from P(outcome | success) of `model` (success probability `p`).
    static func outcomeGivenSuccess(_ model: HeraldingModel, _ p: Double, using rng: inout SeededRandom) -> HeraldOutcome {
        let successful = model.successfulOutcomes
        var u = rng.nextUnit() * p
        for outcome in successful {
            let q = model.probability(of: outcome)
            if u < q { return outcome }
            u -= q
        }
        return successful.last!
    }
}

/// The click model of a satellite link over its pass: one arm crosses the slant path (its
/// efficiency is the fixed part times the pass's transmittance), the other stays at the station
/// (fixed efficiency). Down outside the pass.
public struct SatelliteHeralding: TimeVaryingHeralding, Hashable {
    public let scheme: HeraldingScheme
    /// The fixed parts of arm A's and arm B's efficiency (emission, conversion, detector, and
    /// for the station's own end nothing else).
    public let fixedEfficiency: [Double]
    /// Which arm crosses the slant path.
    public let slantArm: Int
    public let visibility: Double
    public let darkCountProbability: Double
    public let satellite: SatelliteLink

    /// - Throws: ``QuantumError`` when the values do not make a click model.
    public init(scheme: HeraldingScheme, fixedEfficiencyA: Double, fixedEfficiencyB: Double, slantArm: Int, visibility: Double,
                darkCountProbability: Double, satellite: SatelliteLink) throws(QuantumError) {
        precondition(slantArm == 0 || slantArm == 1, "arm 0 (A) or 1 (B)")
        _ = try HeraldingModel(scheme: scheme, etaA: fixedEfficiencyA, etaB: fixedEfficiencyB, visibility: visibility,
                               darkCountProbability: darkCountProbability)
        self.scheme = scheme
        fixedEfficiency = [fixedEfficiencyA, fixedEfficiencyB]
        self.slantArm = slantArm
        self.visibility = visibility
        self.darkCountProbability = darkCountProbability
        self.satellite = satellite
    }

    /// The model with the slant arm at transmittance `transmittance`.
    public func model(transmittance: Double) -> HeraldingModel {
        var eta = fixedEfficiency
        eta[slantArm] *= transmittance
        return try! HeraldingModel(scheme: scheme, etaA: eta[0], etaB: eta[1], visibility: visibility, darkCountProbability: darkCountProbability)
    }

    public func model(atSeconds t: Double) -> HeraldingModel? {
        guard satellite.pass.isUp(atSeconds: t) else { return nil }
        return model(transmittance: satellite.transmittance(atSeconds: t))
    }

    public func successBound(fromSeconds t1: Double, toSeconds t2: Double) -> Double {
        let peak = satellite.peakTransmittance(fromSeconds: t1, toSeconds: t2)
        guard peak > 0 else { return 0 }
        return model(transmittance: peak).clickEveryRoundProbability
    }
}
