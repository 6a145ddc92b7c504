import Foundation

/// Planck's constant, J·s (exact, SI).
public let planckConstant = 6.626_070_15e-34
/// Boltzmann's constant, J/K (exact, SI).
public let boltzmannConstant = 1.380_649e-23

/// Which way the classical channel travels relative to the quantum photons in the same fibre.
public enum PropagationDirection: String, Hashable, Sendable, CaseIterable {
    /// Launched at the node, towards the station, with the photons.
    case co = "co-propagating"
    /// Launched at the station, towards the node, against the photons.
    case counter = "counter-propagating"
}

/// Spontaneous Raman scattering from a classical DWDM channel into a quantum channel of the
/// same fibre (DESIGN §4: it adds to the detectors' noise counts).
///
/// Noise power in the quantum channel's filter bandwidth B at the detector end of a fibre of
/// length L and loss α (natural units, both wavelengths taken to have the same loss), for a
/// launch power P (Eraerds et al., New J. Phys. 12, 063027, 2010, eqs. 1–2; Patel et al.,
/// Phys. Rev. X 2, 041010, 2012, eqs. 1–2):
///
///   co-propagating:       P_f = P e^(−αL) · ρ · L · B
///   counter-propagating:  P_b = P · ρ · B · (1 − e^(−2αL)) / (2α)  ( = P e^(−αL) ρ B sinh(αL)/α )
///
/// ρ(Δν) is the spontaneous Raman coefficient per unit length and bandwidth at a frequency
/// separation Δν, for the quantum channel on the Stokes (lower-frequency) side of the classical
/// one, the stronger side:
///
///   ρ(Δν) = (g_R(Δν) / A_eff) · (n_th(Δν) + 1) · h ν_q,   n_th = 1 / (e^(hΔν / k_B T) − 1),
///
/// the spontaneous-emission limit of Raman gain (Agrawal, "Nonlinear Fiber Optics", §8.1), with
/// the silica gain rising linearly from zero to its peak g_peak at 13.2 THz (the triangular
/// approximation of Stolen & Ippen, Appl. Phys. Lett. 22, 276, 1973), g_peak ≈ 1e-13 m/W at a
/// 1 µm pump scaled as 1/λ. At 200 GHz in the C band this gives ρ ≈ 6e-9 /(km·nm), the order
/// of the coefficients measured for standard fibre.
public struct RamanNoise: Hashable, Sendable {
    /// Launch power of the classical channel, W.
    public var launchPowerWatts: Double
    /// Frequency separation of the classical and quantum channels, Hz (> 0).
    public var channelSeparationHertz: Double
    public var direction: PropagationDirection
    /// Pass band of the quantum channel's filter, Hz.
    public var filterBandwidthHertz: Double
    /// Wavelength of the quantum channel, m. Default 1550 nm.
    public var wavelengthMetres: Double
    /// Effective mode area of the fibre, m². Default 80 µm² (standard single-mode fibre).
    public var effectiveAreaSquareMetres: Double
    /// Fibre temperature, K. Default 300 K.
    public var temperatureKelvin: Double

    /// Peak Raman gain of silica at a 1 µm pump, m/W (Agrawal §8.1).
    public static let peakGainAtOneMicronMetresPerWatt = 1e-13
    /// Frequency shift of the silica Raman gain peak, Hz.
    public static let peakShiftHertz = 13.2e12

    public init(
        launchPowerWatts: Double, channelSeparationHertz: Double, direction: PropagationDirection = .co,
        filterBandwidthHertz: Double = 100e9, wavelengthMetres: Double = 1550e-9,
        effectiveAreaSquareMetres: Double = 80e-12, temperatureKelvin: Double = 300
    ) {
        self.launchPowerWatts = launchPowerWatts
        self.channelSeparationHertz = channelSeparationHertz
        self.direction = direction
        self.filterBandwidthHertz = filterBandwidthHertz
        self.wavelengthMetres = wavelengthMetres
        self.effectiveAreaSquareMetres = effectiveAreaSquareMetres
        self.temperatureKelvin = temperatureKelvin
    }

    /// Frequency ν_q of the quantum channel, Hz.
    public var quantumFrequencyHertz: Double { speedOfLightMetresPerSecond / wavelengthMetres }

    /// Silica Raman gain at the separation, m/W: linear up to the peak, the peak beyond it.
    public var gainMetresPerWatt: Double {
        let peak = Self.peakGainAtOneMicronMetresPerWatt * 1e-6 / wavelengthMetres
        return peak * min(channelSeparationHertz / Self.peakShiftHertz, 1)
    }

    /// Thermal phonon occupation n_th at the separation.
    public var thermalOccupation: Double {
        1 / expm1(planckConstant * channelSeparationHertz / (boltzmannConstant * temperatureKelvin))
    }

    /// ρ(Δν): scattered power per metre of fibre, per hertz of bandwidth, per watt launched.
    public var coefficientPerMetrePerHertz: Double {
        gainMetresPerWatt / effectiveAreaSquareMetres * (thermalOccupation + 1) * planckConstant * quantumFrequencyHertz
    }

    /// ρ in the usual units of 1/(km·nm) at the quantum channel's wavelength.
    public var coefficientPerKilometrePerNanometre: Double {
        let hertzPerNanometre = speedOfLightMetresPerSecond / (wavelengthMetres * wavelengthMetres) * 1e-9
        return coefficientPerMetrePerHertz * 1_000 * hertzPerNanometre
    }

    /// Raman noise power reaching the station end of `fibre`, W (the closed forms above).
    public func noisePowerWatts(over fibre: FiberChannel) -> Double {
        let length = fibre.lengthMetres
        let alpha = fibre.attenuationDecibelsPerKilometre * log(10) / 10 / 1_000
        let scale = launchPowerWatts * coefficientPerMetrePerHertz * filterBandwidthHertz
        switch direction {
        case .co:
            return scale * exp(-alpha * length) * length
        case .counter:
            return alpha > 0 ? scale * -expm1(-2 * alpha * length) / (2 * alpha) : scale * length
        }
    }

    /// Raman photons per second reaching the station end of `fibre` (before the detector).
    public func photonRateHertz(over fibre: FiberChannel) -> Double {
        noisePowerWatts(over: fibre) / (planckConstant * quantumFrequencyHertz)
    }
}
