import Foundation
import QNetCore
import QNetQuantum

/// Earth's mean radius R⊕ in metres (IUGG mean radius R₁ = 6371.0088 km, Moritz, "Geodetic
/// Reference System 1980", J. Geodesy 74, 128, 2000).
public let earthRadiusMetres = 6_371_008.8

/// Earth's gravitational parameter GM⊕ in m³/s² (IERS Conventions 2010, Table 1.1).
public let earthGravitationalParameter = 3.986_004_418e14

/// One pass of a satellite in a circular orbit over one ground station, from the geometry.
///
/// The model (Bourgoin et al., New J. Phys. 15, 023006, 2013): a circular orbit of radius
/// r = R⊕ + h, angular rate ω = √(GM⊕ / r³) (Kepler), over a spherical, non-rotating Earth.
/// The ground station sits at central angle β₀ from the orbital plane; at culmination the
/// satellite is at elevation ε_max. With φ(t) = ω·(t − t_c) the satellite's angle along the
/// orbit from culmination, the central angle between station and satellite is
/// cos γ = cos β₀ · cos φ (spherical right triangle), and
///
/// - slant range d = √(R⊕² + r² − 2·R⊕·r·cos γ) (law of cosines),
/// - elevation ε = atan2(r·cos γ − R⊕, r·sin γ) (the angle above the local horizontal plane),
/// - the central angle at elevation ε: γ(ε) = arccos(R⊕·cos ε / r) − ε.
///
/// The pass is the interval in which ε ≥ ε_min: it starts at ``startSeconds`` (the rise through
/// the minimum elevation) and lasts 2·φ_h/ω with cos φ_h = cos γ(ε_min) / cos β₀. Earth's
/// rotation is neglected (Earth turns 0.25° a minute under the orbit, which changes a LEO
/// pass's duration and culmination by a few per cent); the link is down outside the pass.
public struct SatellitePass: Hashable, Sendable {
    /// Orbit altitude h above the mean Earth radius, metres.
    public let altitudeMetres: Double
    /// Elevation at culmination, radians.
    public let maxElevation: Double
    /// Elevation below which the link is down, radians.
    public let minElevation: Double
    /// Virtual time (seconds) at which the satellite rises through ``minElevation``.
    public let startSeconds: Double

    /// - Throws: ``QuantumError`` unless h > 0, 0 ≤ ε_min < ε_max ≤ π/2: an elevation below the
    ///   horizon, or a pass that never rises above the minimum elevation, is no pass.
    public init(altitudeMetres: Double, maxElevation: Double, minElevation: Double, startSeconds: Double = 0) throws(QuantumError) {
        guard altitudeMetres.isFinite, altitudeMetres > 0 else {
            throw QuantumError(.parameterOutOfRange, "orbit altitude must be > 0, got \(altitudeMetres) m")
        }
        guard minElevation.isFinite, minElevation >= 0, maxElevation.isFinite, maxElevation <= .pi / 2 else {
            throw QuantumError(.parameterOutOfRange, "elevations must be between the horizon (0°) and the zenith (90°)")
        }
        guard maxElevation > minElevation else {
            throw QuantumError(.parameterOutOfRange, "the pass culminates at \(maxElevation * 180 / .pi)°, never above the minimum elevation \(minElevation * 180 / .pi)°")
        }
        guard startSeconds.isFinite, startSeconds >= 0 else {
            throw QuantumError(.parameterOutOfRange, "the pass must start at a time ≥ 0, got \(startSeconds) s")
        }
        self.altitudeMetres = altitudeMetres
        self.maxElevation = maxElevation
        self.minElevation = minElevation
        self.startSeconds = startSeconds
    }

    /// Orbit radius r = R⊕ + h, metres.
    public var orbitRadiusMetres: Double { earthRadiusMetres + altitudeMetres }

    /// Orbital angular rate ω = √(GM⊕ / r³), radians per second.
    public var angularRate: Double { (earthGravitationalParameter / pow(orbitRadiusMetres, 3)).squareRoot() }

    /// Orbital period 2π/ω, seconds.
    public var periodSeconds: Double { 2 * .pi / angularRate }

    /// Central angle between the station and the sub-satellite point when the satellite is seen
    /// at elevation `elevation`: arccos(R⊕·cos ε / r) − ε.
    public func centralAngle(atElevation elevation: Double) -> Double {
        acos(earthRadiusMetres * cos(elevation) / orbitRadiusMetres) - elevation
    }

    /// The station's central angle from the orbital plane, β₀ = γ(ε_max).
    public var crossTrackAngle: Double { centralAngle(atElevation: maxElevation) }

    /// Orbital angle from culmination to the pass's end, φ_h.
    public var halfPassAngle: Double {
        acos(min(1, cos(centralAngle(atElevation: minElevation)) / cos(crossTrackAngle)))
    }

    /// Time above the minimum elevation, 2·φ_h/ω, seconds.
    public var durationSeconds: Double { 2 * halfPassAngle / angularRate }

    /// Virtual time of culmination, seconds.
    public var culminationSeconds: Double { startSeconds + durationSeconds / 2 }

    /// Virtual time at which the satellite sets through the minimum elevation, seconds.
    public var endSeconds: Double { startSeconds + durationSeconds }

    /// Whether the link is up (elevation ≥ ε_min) at `t` seconds.
    public func isUp(atSeconds t: Double) -> Bool { t >= startSeconds && t <= endSeconds }

    /// Central angle γ(t) between station and satellite.
    public func centralAngle(atSeconds t: Double) -> Double {
        let phi = angularRate * (t - culminationSeconds)
        return acos(max(-1, min(1, cos(crossTrackAngle) * cos(phi))))
    }

    /// Slant range d(t), metres.
    public func slantRangeMetres(atSeconds t: Double) -> Double {
        let r = orbitRadiusMetres, g = centralAngle(atSeconds: t)
        return (earthRadiusMetres * earthRadiusMetres + r * r - 2 * earthRadiusMetres * r * cos(g)).squareRoot()
    }

    /// Elevation ε(t), radians (negative below the horizon).
    public func elevation(atSeconds t: Double) -> Double {
        let r = orbitRadiusMetres, g = centralAngle(atSeconds: t)
        return atan2(r * cos(g) - earthRadiusMetres, r * sin(g))
    }

    /// The shortest slant range of the pass (at culmination), metres.
    public var shortestSlantRangeMetres: Double { slantRangeMetres(atSeconds: culminationSeconds) }

    /// The longest slant range while the link is up (at the minimum elevation), metres.
    public var longestSlantRangeMetres: Double { slantRangeMetres(atSeconds: startSeconds) }

    /// One-way light time over the slant range at `t` (vacuum, refractive index 1).
    public func delay(atSeconds t: Double) -> VDuration {
        VDuration(seconds: slantRangeMetres(atSeconds: t) / speedOfLightMetresPerSecond)
    }
}

/// Which way the photons of a satellite link travel.
public enum SatelliteDirection: String, Hashable, Sendable, CaseIterable {
    /// Satellite to ground: the station (detectors) is on the ground, the beam leaves the
    /// satellite and crosses the atmosphere at the end of its path.
    case downlink
    /// Ground to satellite: the station is on board, the beam crosses the atmosphere first.
    case uplink
}

/// The transmittance of a free-space optical path: a Gaussian beam from the transmitter,
/// collected by a circular receiver aperture, with pointing jitter, atmospheric extinction and
/// the receiver's own efficiency.
///
/// Geometric-collection convention (stated once, used everywhere): the beam is a TEM₀₀ Gaussian
/// whose 1/e² intensity radius at distance L is w(L) = √(w₀² + (θ·L)²), with θ the far-field
/// half-angle divergence at 1/e² intensity and w₀ = λ/(π·θ) its waist (Siegman, "Lasers", 1986,
/// ch. 17). Random pointing with an rms error σ_p per axis moves the beam centre by a 2-D normal
/// offset of standard deviation σ_p·L; averaged over it, the intensity is again Gaussian with
/// w_eff² = w² + 4·σ_p²·L², and a centred aperture of diameter D collects the mean fraction
/// η_geo = 1 − exp(−D² / (2·w_eff²)) (exact for the mean). In the far field with D ≪ w this is
/// D²/(2θ²L²): the top-hat ratio (D/(θ_f·L))² of Bourgoin et al., New J. Phys. 15, 023006, 2013,
/// for a full-angle divergence θ_f = √2·θ.
/// Fades (the distribution of the instantaneous transmittance about this mean) are not modelled.
public struct OpticalBeam: Hashable, Sendable {
    /// Wavelength λ, metres.
    public var wavelengthMetres: Double
    /// Far-field 1/e² half-angle divergence θ, radians.
    public var divergenceRadians: Double
    /// Receiver aperture diameter D, metres.
    public var receiverApertureMetres: Double
    /// rms pointing error per axis σ_p, radians.
    public var pointingJitterRadians: Double

    /// - Throws: unless λ, θ, D > 0 and σ_p ≥ 0.
    public init(wavelengthMetres: Double, divergenceRadians: Double, receiverApertureMetres: Double, pointingJitterRadians: Double = 0) throws(QuantumError) {
        for (value, name) in [(wavelengthMetres, "wavelength"), (divergenceRadians, "divergence"), (receiverApertureMetres, "receiver aperture")] {
            guard value.isFinite, value > 0 else { throw QuantumError(.parameterOutOfRange, "\(name) must be > 0, got \(value)") }
        }
        guard pointingJitterRadians.isFinite, pointingJitterRadians >= 0 else {
            throw QuantumError(.parameterOutOfRange, "pointing jitter must be ≥ 0, got \(pointingJitterRadians)")
        }
        self.wavelengthMetres = wavelengthMetres
        self.divergenceRadians = divergenceRadians
        self.receiverApertureMetres = receiverApertureMetres
        self.pointingJitterRadians = pointingJitterRadians
    }

    /// Beam waist w₀ = λ/(π·θ), metres.
    public var waistMetres: Double { wavelengthMetres / (.pi * divergenceRadians) }

    /// 1/e² intensity radius w(L) = √(w₀² + θ²L²), metres.
    public func beamRadiusMetres(atDistance l: Double) -> Double {
        (waistMetres * waistMetres + divergenceRadians * divergenceRadians * l * l).squareRoot()
    }

    /// Mean fraction of the beam the aperture collects at distance `l` metres, pointing jitter
    /// included: 1 − exp(−D² / (2·(w² + w_t² + 4σ_p²L²))), with `turbulenceSpreadSquared` the
    /// square of the turbulence-induced spreading w_t added to the beam's radius (0: none).
    public func collectedFraction(atDistance l: Double, turbulenceSpreadSquared: Double = 0) -> Double {
        let w = beamRadiusMetres(atDistance: l), jitter = pointingJitterRadians * l
        let effective = w * w + turbulenceSpreadSquared + 4 * jitter * jitter
        return -expm1(-receiverApertureMetres * receiverApertureMetres / (2 * effective))
    }
}

/// The link budget of a satellite pass (Bourgoin et al., New J. Phys. 15, 023006, 2013):
/// η(t) = η_geo(d(t)) · T_z^(1/sin ε(t)) · η_rx, with η_geo the Gaussian-beam collection of
/// ``OpticalBeam`` over the slant range d, T_z the zenith transmittance of the atmosphere scaled
/// by the plane-parallel air mass 1/sin ε (Bourgoin et al.; within 2 % of the Kasten–Young
/// air mass, Appl. Opt. 28, 4735, 1989, above 15° elevation), and η_rx the receiver's optical efficiency.
///
/// Uplink: the beam starts inside the atmosphere, so turbulence near the transmitter spreads it
/// over the whole slant range (a downlink's beam meets the turbulence only in its last ~20 km,
/// already metres wide, and is not spread measurably: Bourgoin et al. §3). With a zenith Fried
/// parameter r₀ the long-term (short-term spreading plus beam wander) radius is
/// W_LT² = w(L)² + 2·(2λL/(π·r₀(ε)))² (Dios, Rubio, Rodríguez & Comerón, Appl. Opt. 43, 3866,
/// 2004, Eq. 2, with 4L/(k·r₀) = 2λL/(π·r₀)), and r₀ shrinks away from the zenith as
/// r₀(ε) = r₀·(sin ε)^(3/5) (the path integral of C_n² grows with the air mass, r₀ ∝
/// (∫C_n²)^(−3/5): Andrews & Phillips, Laser Beam Propagation through Random Media, 2nd ed.,
/// §12.2). Without r₀ an uplink has no turbulence spreading (an optimistic bound).
/// Scintillation (the spread of η about its mean) is not modelled: η is the mean.
public struct SatelliteLink: Hashable, Sendable {
    public let pass: SatellitePass
    public let beam: OpticalBeam
    /// Transmittance of the whole atmosphere at the zenith, (0, 1].
    public let zenithTransmittance: Double
    /// Receiver optical efficiency η_rx (telescope, optics, coupling), (0, 1].
    public let receiverEfficiency: Double
    public let direction: SatelliteDirection
    /// An uplink's Fried parameter r₀ at the zenith and the beam's wavelength, metres; nil: no
    /// turbulence spreading.
    public let friedParameterMetres: Double?

    /// - Throws: unless the transmittances are in (0, 1], and r₀ (uplink only) is > 0.
    public init(pass: SatellitePass, beam: OpticalBeam, zenithTransmittance: Double, receiverEfficiency: Double,
                direction: SatelliteDirection = .downlink, friedParameterMetres: Double? = nil) throws(QuantumError) {
        for (value, name) in [(zenithTransmittance, "zenith transmittance"), (receiverEfficiency, "receiver efficiency")] {
            guard value.isFinite, value > 0, value <= 1 else { throw QuantumError(.parameterOutOfRange, "\(name) must be in (0, 1], got \(value)") }
        }
        if let r0 = friedParameterMetres {
            guard direction == .uplink else {
                throw QuantumError(.parameterOutOfRange, "a Fried parameter spreads an uplink's beam; a downlink is not spread measurably")
            }
            guard r0.isFinite, r0 > 0 else { throw QuantumError(.parameterOutOfRange, "the Fried parameter must be > 0, got \(r0)") }
        }
        self.friedParameterMetres = friedParameterMetres
        self.pass = pass
        self.beam = beam
        self.zenithTransmittance = zenithTransmittance
        self.receiverEfficiency = receiverEfficiency
        self.direction = direction
    }

    /// Atmospheric transmittance at elevation ε: T_z^(1/sin ε) (0 at or below the horizon).
    public func atmosphericTransmittance(atElevation elevation: Double) -> Double {
        elevation > 0 ? pow(zenithTransmittance, 1 / sin(elevation)) : 0
    }

    /// An uplink's turbulence spreading squared at slant range `range` and elevation `elevation`:
    /// 2·(2λL/(π·r₀(ε)))², r₀(ε) = r₀·(sin ε)^(3/5); 0 without r₀ or at or below the horizon.
    public func turbulenceSpreadSquared(range: Double, elevation: Double) -> Double {
        guard let r0 = friedParameterMetres, elevation > 0 else { return 0 }
        let r = r0 * pow(sin(elevation), 0.6)
        let spread = 2 * beam.wavelengthMetres * range / (.pi * r)
        return 2 * spread * spread
    }

    /// Transmittance at slant range `range` metres and elevation `elevation` radians.
    public func transmittance(range: Double, elevation: Double) -> Double {
        beam.collectedFraction(atDistance: range, turbulenceSpreadSquared: turbulenceSpreadSquared(range: range, elevation: elevation))
            * atmosphericTransmittance(atElevation: elevation) * receiverEfficiency
    }

    /// Transmittance at `t` seconds: the budget while the link is up, 0 while it is down.
    public func transmittance(atSeconds t: Double) -> Double {
        guard pass.isUp(atSeconds: t) else { return 0 }
        return transmittance(range: pass.slantRangeMetres(atSeconds: t), elevation: pass.elevation(atSeconds: t))
    }

    /// Loss −10·log10 η at `t` seconds (infinite while the link is down).
    public func lossDecibels(atSeconds t: Double) -> Double {
        -10 * log10(transmittance(atSeconds: t))
    }

    /// The highest transmittance over [t1, t2] (seconds). The slant range grows and the
    /// elevation falls monotonically with |t − t_c|, so η is largest at culmination when it lies
    /// in the interval, and otherwise at the end nearer to it (clipped to the pass).
    public func peakTransmittance(fromSeconds t1: Double, toSeconds t2: Double) -> Double {
        let lo = max(t1, pass.startSeconds), hi = min(t2, pass.endSeconds)
        guard lo <= hi else { return 0 }
        let tc = pass.culminationSeconds
        let nearest = tc < lo ? lo : tc > hi ? hi : tc
        return transmittance(atSeconds: nearest)
    }
}
