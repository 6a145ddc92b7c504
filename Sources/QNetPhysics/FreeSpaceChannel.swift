import Foundation
import QNetCore
import QNetQuantum

/// Group refractive index of air near sea level in the near infrared (Ciddor, Appl. Opt. 35,
/// 1566, 1996: n − 1 ≈ 2.7 × 10⁻⁴ at 800–1550 nm, 15 °C, 101.325 kPa).
public let airRefractiveIndex = 1.000_27

/// Whether a free-space receiver works by day or by night: the sky's background light differs
/// by orders of magnitude (Miao et al., New J. Phys. 7, 215, 2005; Bourgoin et al., New J.
/// Phys. 15, 023006, 2013).
public enum Sky: String, Hashable, Sendable, CaseIterable {
    case day
    case night
}

/// A horizontal free-space optical path between two ground sites: a Gaussian beam (collection
/// convention of ``OpticalBeam``) through air with extinction α (dB/km, aerosols and molecules:
/// Kim, McArthur & Korevaar, Proc. SPIE 4214, 26, 2001), collected by the receiver with
/// efficiency η_rx: η = η_geo(L) · 10^(−α·L/10) · η_rx; delay L·n_air/c. Background light adds
/// `backgroundRateHertz[sky]` counts per second to each of the station's detectors, which act as
/// dark counts: p_noise = 1 − exp(−(dark + background)·window).
public struct FreeSpaceChannel: Hashable, Sendable {
    /// Path length, metres.
    public var lengthMetres: Double
    public var beam: OpticalBeam
    /// Atmospheric extinction along the path, dB/km.
    public var attenuationDecibelsPerKilometre: Double
    /// Receiver optical efficiency η_rx, (0, 1].
    public var receiverEfficiency: Double

    public init(lengthMetres: Double, beam: OpticalBeam, attenuationDecibelsPerKilometre: Double, receiverEfficiency: Double) {
        self.lengthMetres = lengthMetres
        self.beam = beam
        self.attenuationDecibelsPerKilometre = attenuationDecibelsPerKilometre
        self.receiverEfficiency = receiverEfficiency
    }

    /// Probability that a photon sent into the beam reaches the detector's input.
    public var transmittance: Double {
        beam.collectedFraction(atDistance: lengthMetres) * pow(10, -attenuationDecibelsPerKilometre * lengthMetres / 1000 / 10) * receiverEfficiency
    }

    /// One-way delay L·n_air/c, rounded to the picosecond.
    public var delay: VDuration {
        VDuration(seconds: lengthMetres * airRefractiveIndex / speedOfLightMetresPerSecond)
    }
}

extension DetectorModel {
    /// The same detector with `hertz` more noise counts per second (background light).
    public func addingNoise(hertz: Double) -> DetectorModel {
        DetectorModel(efficiency: efficiency, darkCountRateHertz: darkCountRateHertz + hertz, window: window)
    }
}

extension LinkPhysics {
    /// A link whose arms are given by their transmittance and delay (any medium): arm efficiency
    /// η_X = emission × conversion × arm transmittance × detector efficiency, as for fibre.
    public init(
        scheme: HeraldingScheme, ends: (a: PhotonicInterface, b: PhotonicInterface),
        armTransmittance: (a: Double, b: Double), armDelay: (a: VDuration, b: VDuration),
        detector: DetectorModel, memories: (a: MemoryModel, b: MemoryModel)
    ) throws(QuantumError) {
        func eta(_ end: PhotonicInterface, _ transmittance: Double) -> Double {
            end.emissionEfficiency * end.conversionEfficiency * transmittance * detector.efficiency
        }
        let model = try HeraldingModel(
            scheme: scheme, etaA: eta(ends.a, armTransmittance.a), etaB: eta(ends.b, armTransmittance.b),
            visibility: min(ends.a.visibility, ends.b.visibility), darkCountProbability: detector.darkCountProbability)
        let timing = LinkTiming(
            attemptPeriod: max(ends.a.attemptPeriod, ends.b.attemptPeriod), armDelayA: armDelay.a, armDelayB: armDelay.b,
            rounds: model.rounds, modes: min(ends.a.multiplexing, ends.b.multiplexing))
        self.init(model: model, timing: timing, memories: [memories.a, memories.b])
    }
}
