import Foundation
import QNetCore
import QNetPhysics
import QNetQuantum
import Testing

/// A satellite pass against geometry computed independently (3-D vectors, bisection), the link
/// budget against the beam integrated numerically, and Micius-like figures against the published
/// ones.
@Suite("Satellite pass")
struct SatellitePassTests {
    static let degree = Double.pi / 180

    /// Independent geometry: Earth's centre at the origin, the orbit in the x–y plane, the
    /// station at central angle β from that plane; elevation is the angle between the line of
    /// sight and the station's local horizontal plane.
    struct VectorGeometry {
        let r: Double, beta: Double
        func satellite(_ phi: Double) -> SIMD3<Double> { SIMD3(r * cos(phi), r * sin(phi), 0) }
        var station: SIMD3<Double> { SIMD3(earthRadiusMetres * cos(beta), 0, earthRadiusMetres * sin(beta)) }
        func range(_ phi: Double) -> Double {
            let d = satellite(phi) - station
            return (d * d).sum().squareRoot()
        }
        func elevation(_ phi: Double) -> Double {
            let d = satellite(phi) - station, up = station / earthRadiusMetres
            return asin((d * up).sum() / range(phi))
        }
    }

    /// The root of a decreasing function on [lo, hi], by bisection.
    static func bisect(_ lo: Double, _ hi: Double, _ f: (Double) -> Double) -> Double {
        var (lo, hi) = (lo, hi)
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if f(mid) > 0 { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    static func pass(maxElevationDegrees: Double) throws -> SatellitePass {
        try SatellitePass(altitudeMetres: 500_000, maxElevation: maxElevationDegrees * degree, minElevation: 10 * degree, startSeconds: 100)
    }

    @Test(arguments: [90.0, 62.0, 35.0])
    func geometryAgreesWithVectors(maxElevationDegrees: Double) throws {
        let pass = try Self.pass(maxElevationDegrees: maxElevationDegrees)
        let r = earthRadiusMetres + 500_000
        let omega = (earthGravitationalParameter / (r * r * r)).squareRoot()
        // β such that the elevation at culmination (φ = 0) is the maximum elevation.
        let beta = maxElevationDegrees == 90 ? 0 : Self.bisect(0, 0.5) { VectorGeometry(r: r, beta: $0).elevation(0) - maxElevationDegrees * Self.degree }
        let g = VectorGeometry(r: r, beta: beta)
        // The half pass: φ at which the elevation falls to 10°.
        let halfAngle = Self.bisect(0, 0.6) { g.elevation($0) - 10 * Self.degree }
        #expect(abs(pass.durationSeconds - 2 * halfAngle / omega) < 1e-6)
        #expect(abs(pass.periodSeconds - 5668.16) < 0.01)  // 500 km: 94.47 minutes (Kepler's third law)
        for fraction in [0.0, 0.1, 0.3, 0.5, 0.8, 1.0] {
            let t = pass.startSeconds + fraction * pass.durationSeconds
            let phi = omega * (t - pass.culminationSeconds)
            #expect(abs(pass.slantRangeMetres(atSeconds: t) - g.range(phi)) < 1e-6 * g.range(phi), "t = \(t)")
            #expect(abs(pass.elevation(atSeconds: t) - g.elevation(phi)) < 1e-9, "t = \(t)")
        }
        #expect(abs(pass.elevation(atSeconds: pass.startSeconds) - 10 * Self.degree) < 1e-9)
        #expect(abs(pass.elevation(atSeconds: pass.culminationSeconds) - maxElevationDegrees * Self.degree) < 1e-9)
        #expect(!pass.isUp(atSeconds: pass.startSeconds - 1) && pass.isUp(atSeconds: pass.culminationSeconds) && !pass.isUp(atSeconds: pass.endSeconds + 1))
        // Overhead at 500 km the slant range is the altitude.
        if maxElevationDegrees == 90 { #expect(abs(pass.shortestSlantRangeMetres - 500_000) < 1e-6) }
    }

    /// The mean collected fraction against Monte Carlo: random pointing offsets (σ_p·L per axis),
    /// each offset's collected fraction of the Gaussian beam integrated over the aperture by a
    /// polar midpoint rule; within 4 standard errors of the Monte Carlo mean plus the rule's error.
    @Test func collectionAgreesWithIntegratedBeam() throws {
        let beam = try OpticalBeam(wavelengthMetres: 810e-9, divergenceRadians: 8e-6, receiverApertureMetres: 1.2, pointingJitterRadians: 2e-6)
        let l = 600_000.0
        let w = beam.beamRadiusMetres(atDistance: l), a = 0.6, sigma = 2e-6 * l
        #expect(abs(w - (pow(810e-9 / (.pi * 8e-6), 2) + pow(8e-6 * l, 2)).squareRoot()) < 1e-9)
        func collected(x0: Double, y0: Double) -> Double {
            let rings = 60, spokes = 90
            var sum = 0.0
            for i in 0..<rings {
                let rho = (Double(i) + 0.5) * a / Double(rings)
                for j in 0..<spokes {
                    let phi = (Double(j) + 0.5) * 2 * .pi / Double(spokes)
                    let dx = rho * cos(phi) - x0, dy = rho * sin(phi) - y0
                    sum += rho * exp(-2 * (dx * dx + dy * dy) / (w * w))
                }
            }
            return sum * (a / Double(rings)) * (2 * .pi / Double(spokes)) * 2 / (.pi * w * w)
        }
        var rng = SeededRandom(seed: 5)
        let n = 2_000
        var sum = 0.0, squares = 0.0
        for _ in 0..<n {
            // Box–Muller: two independent standard normals.
            let radius = (-2 * log(rng.nextOpenUnit())).squareRoot(), angle = 2 * Double.pi * rng.nextUnit()
            let (x, y) = (radius * cos(angle), radius * sin(angle))
            let c = collected(x0: sigma * x, y0: sigma * y)
            sum += c
            squares += c * c
        }
        let mean = sum / Double(n), se = ((squares / Double(n) - mean * mean) / Double(n)).squareRoot()
        // Without jitter the rule against the closed form bounds the quadrature error.
        let quadrature = abs(collected(x0: 0, y0: 0) + expm1(-2 * a * a / (w * w)))
        #expect(quadrature < 1e-4)
        #expect(abs(beam.collectedFraction(atDistance: l) - mean) < 4 * se + quadrature, "closed form \(beam.collectedFraction(atDistance: l)), Monte Carlo \(mean) ± \(se)")
        print("collection at 600 km: closed form \(beam.collectedFraction(atDistance: l)), Monte Carlo \(mean) ± \(se)")
    }

    /// Loss along the pass against the budget rebuilt from the vector geometry.
    @Test func lossAlongPassAgreesWithBudget() throws {
        let pass = try Self.pass(maxElevationDegrees: 70)
        let beam = try OpticalBeam(wavelengthMetres: 810e-9, divergenceRadians: 5e-6, receiverApertureMetres: 1.0, pointingJitterRadians: 1e-6)
        let link = try SatelliteLink(pass: pass, beam: beam, zenithTransmittance: 0.8, receiverEfficiency: 0.4)
        let r = earthRadiusMetres + 500_000
        let omega = (earthGravitationalParameter / (r * r * r)).squareRoot()
        let g = VectorGeometry(r: r, beta: Self.bisect(0, 0.5) { VectorGeometry(r: r, beta: $0).elevation(0) - 70 * Self.degree })
        for fraction in [0.0, 0.25, 0.5, 0.9] {
            let t = pass.startSeconds + fraction * pass.durationSeconds
            let phi = omega * (t - pass.culminationSeconds)
            let d = g.range(phi), e = g.elevation(phi)
            let w2 = pow(810e-9 / (.pi * 5e-6), 2) + pow(5e-6 * d, 2) + 4 * pow(1e-6 * d, 2)
            let eta = (1 - exp(-1.0 / (2 * w2))) * pow(0.8, 1 / sin(e)) * 0.4
            #expect(abs(link.lossDecibels(atSeconds: t) - -10 * log10(eta)) < 1e-6, "t = \(t)")
        }
        #expect(link.transmittance(atSeconds: pass.startSeconds - 1) == 0)
        // The peak over an interval is at culmination when inside it, else at the nearer end.
        let tc = pass.culminationSeconds
        #expect(link.peakTransmittance(fromSeconds: tc - 10, toSeconds: tc + 50) == link.transmittance(atSeconds: tc))
        #expect(link.peakTransmittance(fromSeconds: tc + 20, toSeconds: tc + 50) == link.transmittance(atSeconds: tc + 20))
        #expect(link.peakTransmittance(fromSeconds: 0, toSeconds: pass.startSeconds - 1) == 0)
    }

    /// Uplink turbulence along a pass against the budget rebuilt from the vector geometry, with
    /// the long-term radius in the k-notation of Dios et al. 2004 (Eq. 2), W_LT² = W² + 2·(4L/(k·r₀(ε)))²,
    /// k = 2π/λ, and r₀(ε) = r₀·(cos ζ)^(3/5) with ζ the zenith angle; a huge r₀ is the
    /// turbulence-free budget, and r₀ on a downlink is an error.
    ///
    /// Beside it, an uplink like Micius's ground-to-satellite teleportation (Ren et al., Nature 549,
    /// 70, 2017: 41–52 dB measured over 500–1400 km). The optics here are this test's assumptions,
    /// not published values: 810 nm, θ = 10 µrad, a 0.3 m receiver on board, r₀ = 9 cm at the
    /// zenith (5 cm at 500 nm scaled by λ^(6/5)), 1 µrad rms pointing, zenith transmittance 0.8,
    /// receiver efficiency 0.3. Printed, not asserted against the paper.
    @Test func uplinkTurbulenceSpreadsTheBeamAsTheLongTermRadius() throws {
        let pass = try Self.pass(maxElevationDegrees: 70)
        let beam = try OpticalBeam(wavelengthMetres: 810e-9, divergenceRadians: 10e-6, receiverApertureMetres: 0.3, pointingJitterRadians: 1e-6)
        let r0 = 0.09
        let up = try SatelliteLink(pass: pass, beam: beam, zenithTransmittance: 0.8, receiverEfficiency: 0.3, direction: .uplink, friedParameterMetres: r0)
        let calm = try SatelliteLink(pass: pass, beam: beam, zenithTransmittance: 0.8, receiverEfficiency: 0.3, direction: .uplink)
        let still = try SatelliteLink(pass: pass, beam: beam, zenithTransmittance: 0.8, receiverEfficiency: 0.3, direction: .uplink, friedParameterMetres: 1e6)
        let r = earthRadiusMetres + 500_000
        let omega = (earthGravitationalParameter / (r * r * r)).squareRoot()
        let g = VectorGeometry(r: r, beta: Self.bisect(0, 0.5) { VectorGeometry(r: r, beta: $0).elevation(0) - 70 * Self.degree })
        let k = 2 * Double.pi / 810e-9
        for fraction in [0.0, 0.25, 0.5, 0.9] {
            let t = pass.startSeconds + fraction * pass.durationSeconds
            let phi = omega * (t - pass.culminationSeconds)
            let d = g.range(phi), e = g.elevation(phi)
            let zenithAngle = Double.pi / 2 - e
            let rz = r0 * pow(cos(zenithAngle), 3.0 / 5.0)
            let w2 = pow(810e-9 / (.pi * 10e-6), 2) + pow(10e-6 * d, 2)
            let longTerm = w2 + 2 * pow(4 * d / (k * rz), 2)
            let eta = (1 - exp(-0.09 / (2 * (longTerm + 4 * pow(1e-6 * d, 2))))) * pow(0.8, 1 / sin(e)) * 0.3
            #expect(abs(up.lossDecibels(atSeconds: t) - -10 * log10(eta)) < 1e-6, "t = \(t)")
            #expect(abs(still.transmittance(atSeconds: t) / calm.transmittance(atSeconds: t) - 1) < 1e-9)
            #expect(up.transmittance(atSeconds: t) < calm.transmittance(atSeconds: t))
        }
        #expect(throws: QuantumError.self) {
            try SatelliteLink(pass: pass, beam: beam, zenithTransmittance: 0.8, receiverEfficiency: 0.3, direction: .downlink, friedParameterMetres: r0)
        }
        #expect(throws: QuantumError.self) {
            try SatelliteLink(pass: pass, beam: beam, zenithTransmittance: 0.8, receiverEfficiency: 0.3, direction: .uplink, friedParameterMetres: 0)
        }
        // Ren-like figures: loss at slant ranges over the published span.
        let overhead = try SatellitePass(altitudeMetres: 500_000, maxElevation: 89.9 * Self.degree, minElevation: 10 * Self.degree)
        let ren = try SatelliteLink(pass: overhead, beam: beam, zenithTransmittance: 0.8, receiverEfficiency: 0.3, direction: .uplink, friedParameterMetres: r0)
        let calmRen = try SatelliteLink(pass: overhead, beam: beam, zenithTransmittance: 0.8, receiverEfficiency: 0.3, direction: .uplink)
        for range in [500_000.0, 800_000, 1_000_000, 1_400_000] {
            let rE = earthRadiusMetres
            let e = asin(min(1, (r * r - rE * rE - range * range) / (2 * rE * range)))
            let loss = -10 * log10(ren.transmittance(range: range, elevation: e))
            let without = -10 * log10(calmRen.transmittance(range: range, elevation: e))
            print("Ren-like uplink at \(range / 1000) km (elevation \(e / Self.degree)°): \(loss) dB with turbulence, \(without) dB without (published 41–52 dB over 500–1400 km)")
        }
    }

    /// Micius-like downlink: the budget's loss beside the published figures, and a dual-downlink
    /// pair rate beside the published one. Parameters: a ~500 km orbit and an 850 nm decoy-state
    /// downlink with a ~10 µrad (full-angle, so θ = 5 µrad) beam received by the 1 m Xinglong
    /// telescope (Liao et al., Nature 549, 43, 2017); for the entangled pairs, a 5.9 × 10⁶ pairs/s
    /// 810 nm source on board sending one photon of each pair down to each of two 1.2 m
    /// telescopes (Yin et al., Science 356, 1140, 2017). Zenith transmittance 0.8, receiver
    /// efficiency 0.3 and 1 µrad rms pointing are this test's assumptions, not published values.
    /// Published: downlink loss from about 22 dB at 645 km to 32 dB at 1200 km (Liao et al.);
    /// two-downlink loss 64–82 dB and about 1 pair per second (Yin et al.).
    ///
    /// The single downlink is near (within 5 dB at both ranges). The dual downlink is not: the
    /// budget has no turbulence, no polarisation-analysis or fibre-coupling losses and no
    /// satellite-side optics, so it is an optimistic bound there; the test checks that it is a
    /// bound (loss below, rate above the published) and prints the gap.
    @Test func miciusLikeFiguresBesideThePublishedOnes() throws {
        let pass = try SatellitePass(altitudeMetres: 500_000, maxElevation: 85 * Self.degree, minElevation: 10 * Self.degree)
        let qkd = try SatelliteLink(
            pass: pass,
            beam: try OpticalBeam(wavelengthMetres: 850e-9, divergenceRadians: 5e-6, receiverApertureMetres: 1.0, pointingJitterRadians: 1e-6),
            zenithTransmittance: 0.8, receiverEfficiency: 0.3)
        func lossAt(range: Double, _ link: SatelliteLink) -> Double {
            // Elevation at this slant range (law of cosines in the Earth-centre triangle).
            let r = earthRadiusMetres + 500_000, rE = earthRadiusMetres
            let e = asin((r * r - rE * rE - range * range) / (2 * rE * range))
            return -10 * log10(link.transmittance(range: range, elevation: e))
        }
        let near = lossAt(range: 645_000, qkd), far = lossAt(range: 1_200_000, qkd)
        print("Micius-like downlink loss: \(near) dB at 645 km (published ≈ 22 dB), \(far) dB at 1200 km (published ≈ 32 dB)")
        #expect(abs(near - 22) < 5)
        #expect(abs(far - 32) < 5)
        let pairs = try SatelliteLink(
            pass: pass,
            beam: try OpticalBeam(wavelengthMetres: 810e-9, divergenceRadians: 5e-6, receiverApertureMetres: 1.2, pointingJitterRadians: 1e-6),
            zenithTransmittance: 0.8, receiverEfficiency: 0.3)
        // Summed slant range 1600–2400 km: both stations 800 km away, and both 1200 km away.
        for (range, published) in [(800_000.0, 64.0), (1_200_000.0, 82.0)] {
            let twoDownlinks = 2 * lossAt(range: range, pairs)
            let rate = 5.9e6 * pow(10, -twoDownlinks / 10), publishedRate = 5.9e6 * pow(10, -published / 10)
            print("Micius-like dual downlink at 2 × \(range / 1000) km: \(twoDownlinks) dB (published \(published) dB), \(rate) pairs/s (published loss gives \(publishedRate) pairs/s)")
            #expect(twoDownlinks < published)
            #expect(rate > publishedRate)
        }
    }

    /// Bad passes are errors, not passes.
    @Test func rejectsPassesThatAreNotPasses() {
        #expect(throws: QuantumError.self) { try SatellitePass(altitudeMetres: 500_000, maxElevation: 60 * Self.degree, minElevation: -5 * Self.degree) }
        #expect(throws: QuantumError.self) { try SatellitePass(altitudeMetres: 500_000, maxElevation: 20 * Self.degree, minElevation: 20 * Self.degree) }
        #expect(throws: QuantumError.self) { try OpticalBeam(wavelengthMetres: 810e-9, divergenceRadians: 5e-6, receiverApertureMetres: 0) }
    }
}
