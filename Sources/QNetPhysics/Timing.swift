import Foundation
import QNetCore

/// Detector timing against the station's coincidence window (DESIGN §4).
///
/// A photon that reaches the station at its expected time is registered at that time plus the
/// clock offset δ between the emitting nodes' clocks and the station's gate, plus Gaussian
/// timing jitter of standard deviation σ (the detector's, combined in quadrature with any
/// other Gaussian spread). The window of width w is centred on the expected time, so a true
/// click falls inside it with probability
///
///   P_in = Φ((w/2 − δ)/σ) − Φ((−w/2 − δ)/σ) = ½ [erf((w/2 − δ)/(σ√2)) + erf((w/2 + δ)/(σ√2))],
///
/// Φ the standard normal distribution function; σ = 0 gives 1 when |δ| < w/2, ½ at the edge
/// and 0 outside. A click outside the window is not a herald, so P_in multiplies the detector
/// efficiency. Noise (dark counts, Raman photons) arrives uniformly in time, so a window of
/// width w sees a Poisson number of noise clicks with mean R·w and at least one with
/// probability 1 − e^(−R·w): a wider window that catches more jittered photons also lets in
/// more noise.
public struct DetectionTiming: Hashable, Sendable {
    /// Standard deviation σ of the registered click time (rms jitter).
    public var jitter: VDuration
    /// Offset δ of the click from the window's centre (clock offset between nodes and station).
    public var clockOffset: VDuration
    /// Width w of the coincidence window.
    public var window: VDuration

    public init(jitter: VDuration = .zero, clockOffset: VDuration = .zero, window: VDuration) {
        self.jitter = jitter
        self.clockOffset = clockOffset
        self.window = window
    }

    /// Probability that a true click falls inside the window (P_in above).
    public var coincidenceProbability: Double {
        Self.coincidenceProbability(
            jitterSeconds: jitter.seconds, offsetSeconds: clockOffset.seconds, windowSeconds: window.seconds)
    }

    /// P_in for a Gaussian click time of standard deviation `jitterSeconds`, offset
    /// `offsetSeconds` from the centre of a window `windowSeconds` wide.
    public static func coincidenceProbability(jitterSeconds sigma: Double, offsetSeconds delta: Double, windowSeconds w: Double) -> Double {
        let half = w / 2
        guard sigma > 0 else {
            let d = abs(delta)
            return d < half ? 1 : d == half ? 0.5 : 0
        }
        let s = sigma * 2.0.squareRoot()
        return 0.5 * (erf((half - delta) / s) + erf((half + delta) / s))
    }

    /// Probability of at least one noise click in the window at `noiseRateHertz` (Poisson):
    /// 1 − e^(−R·w).
    public func noiseProbability(noiseRateHertz: Double) -> Double {
        -expm1(-noiseRateHertz * window.seconds)
    }
}
