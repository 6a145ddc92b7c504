import Foundation
import QNetCore

/// Speed of light in vacuum, m/s (exact, SI).
public let speedOfLightMetresPerSecond = 299_792_458.0

/// An optical fibre: loss 10^(−αL/10) and delay L·n/c (DESIGN §4; about 4.9 µs/km for n = 1.47).
public struct FiberChannel: Equatable, Sendable {
    /// Length in metres.
    public var lengthMetres: Double
    /// Attenuation α in dB/km (0.2 dB/km is telecom C-band fibre).
    public var attenuationDecibelsPerKilometre: Double
    /// Group refractive index n of the fibre core.
    public var refractiveIndex: Double

    public init(lengthMetres: Double, attenuationDecibelsPerKilometre: Double = 0.2, refractiveIndex: Double = 1.47) {
        self.lengthMetres = lengthMetres
        self.attenuationDecibelsPerKilometre = attenuationDecibelsPerKilometre
        self.refractiveIndex = refractiveIndex
    }

    /// Probability that a photon survives the fibre: 10^(−α·L/10), L in km.
    public var transmittance: Double {
        pow(10, -attenuationDecibelsPerKilometre * lengthMetres / 1000 / 10)
    }

    /// One-way propagation delay L·n/c, rounded to the picosecond.
    public var delay: VDuration {
        VDuration(seconds: lengthMetres * refractiveIndex / speedOfLightMetresPerSecond)
    }
}

/// A threshold (non-photon-number-resolving) single-photon detector.
public struct DetectorModel: Equatable, Sendable {
    /// Probability that an arriving photon clicks the detector.
    public var efficiency: Double
    /// Dark-count rate in counts per second.
    public var darkCountRateHertz: Double
    /// Coincidence (detection) window.
    public var window: VDuration

    public init(efficiency: Double = 0.9, darkCountRateHertz: Double = 10, window: VDuration = .nanoseconds(1)) {
        self.efficiency = efficiency
        self.darkCountRateHertz = darkCountRateHertz
        self.window = window
    }

    /// Probability of at least one dark count in one window: 1 − e^(−rate·window) (Poisson).
    public var darkCountProbability: Double {
        -expm1(-darkCountRateHertz * window.seconds)
    }
}

/// T1/T2 memory of a node (seconds; `.infinity` for an ideal memory).
public struct MemoryModel: Hashable, Sendable {
    public var t1Seconds: Double
    public var t2Seconds: Double

    public static let ideal = MemoryModel(unchecked: .infinity, .infinity)

    /// - Throws: unless T1, T2 > 0 and T2 ≤ 2·T1.
    public init(t1Seconds: Double, t2Seconds: Double) throws(QuantumError) {
        guard t1Seconds > 0, t2Seconds > 0, t2Seconds <= 2 * t1Seconds else {
            throw QuantumError(.unphysicalDecoherence, "memory needs T1, T2 > 0 and T2 ≤ 2·T1, got T1 = \(t1Seconds) s, T2 = \(t2Seconds) s")
        }
        self.init(unchecked: t1Seconds, t2Seconds)
    }

    init(unchecked t1: Double, _ t2: Double) {
        t1Seconds = t1
        t2Seconds = t2
    }

    public var isIdeal: Bool { t1Seconds.isInfinite && t2Seconds.isInfinite }
}

import QNetQuantum
