import Foundation
import QNetCore
import Testing
@testable import QNetPhysics

/// Multiplexing, detector timing and Raman noise against their closed forms (issue 13).
@Suite("Physical layer: multiplexing, timing, coexistence")
struct PhysicalLayerTests {
    // MARK: Multiplexing

    @Test(arguments: [(0.01, 1), (0.01, 10), (0.2, 3), (1e-9, 1_000), (0.5, 64)])
    func cycleSuccessIsOneMinusFailureToTheM(p: Double, m: Int) {
        // The direct form loses about 1e-16/p of its relative precision to cancellation.
        let closedForm = 1 - pow(1 - p, Double(m))
        let value = MultiplexingModes.cycleSuccessProbability(perAttempt: p, modes: m)
        #expect(abs(value - closedForm) <= 1e-14 / p * closedForm)
        #expect(MultiplexingModes(temporal: 2, spectral: 3, spatial: 5).count == 30)
    }

    /// The independent-mode form against M Bernoulli trials per cycle, drawn mode by mode.
    @Test func cycleSuccessMatchesModeByModeSampling() {
        var rng = SeededRandom(seed: 5)
        let p = 0.03, cycles = 100_000
        for m in [1, 4, 16] {
            var successes = 0
            for _ in 0..<cycles {
                var heralded = false
                for _ in 0..<m where rng.nextUnit() < p { heralded = true }
                if heralded { successes += 1 }
            }
            let pc = MultiplexingModes.cycleSuccessProbability(perAttempt: p, modes: m)
            let se = (pc * (1 - pc) / Double(cycles)).squareRoot()
            #expect(abs(Double(successes) / Double(cycles) - pc) < 4 * se, "M = \(m)")
        }
    }

    // MARK: Timing

    /// One standard normal deviate (Box–Muller).
    static func normal(_ rng: inout SeededRandom) -> Double {
        (-2 * log(rng.nextOpenUnit())).squareRoot() * cos(2 * Double.pi * rng.nextUnit())
    }

    /// Gaussian-window closed form, written out: P_in = Φ((w/2 − δ)/σ) − Φ((−w/2 − δ)/σ), with
    /// Φ(x) = ½ erfc(−x/√2); against click times drawn as δ + σ·N(0, 1).
    @Test(arguments: [
        (50.0, 0.0, 1_000.0), (300.0, 0.0, 1_000.0), (300.0, 200.0, 1_000.0), (500.0, 600.0, 1_000.0),
        (1_000.0, 0.0, 500.0), (100.0, 450.0, 1_000.0),
    ])
    func coincidenceProbabilityMatchesGaussianWindow(jitterPs: Double, offsetPs: Double, windowPs: Double) {
        let timing = DetectionTiming(
            jitter: VDuration(picoseconds: UInt64(jitterPs)), clockOffset: VDuration(picoseconds: UInt64(offsetPs)),
            window: VDuration(picoseconds: UInt64(windowPs)))
        func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
        let closedForm = phi((windowPs / 2 - offsetPs) / jitterPs) - phi((-windowPs / 2 - offsetPs) / jitterPs)
        #expect(abs(timing.coincidenceProbability - closedForm) < 1e-12)

        var rng = SeededRandom(seed: 17)
        let n = 200_000
        var inside = 0
        for _ in 0..<n {
            let t = offsetPs + jitterPs * Self.normal(&rng)
            if abs(t) < windowPs / 2 { inside += 1 }
        }
        let se = (closedForm * (1 - closedForm) / Double(n)).squareRoot()
        #expect(abs(Double(inside) / Double(n) - closedForm) <= 4 * se,
                "σ = \(jitterPs) ps, δ = \(offsetPs) ps, w = \(windowPs) ps: \(Double(inside) / Double(n)) vs \(closedForm)")
    }

    @Test func timingLimits() {
        let w = VDuration.nanoseconds(1)
        #expect(DetectionTiming(window: w).coincidenceProbability == 1)
        #expect(DetectionTiming(clockOffset: .picoseconds(600), window: w).coincidenceProbability == 0)
        // Symmetric in the offset's sign, and a window of ±1σ holds erf(1/√2) ≈ 0.6827.
        let oneSigma = DetectionTiming(jitter: .picoseconds(500), window: w).coincidenceProbability
        #expect(abs(oneSigma - 0.682_689_492_137_086) < 1e-12)
        #expect(abs(DetectionTiming.coincidenceProbability(jitterSeconds: 1e-10, offsetSeconds: -3e-10, windowSeconds: 1e-9)
            - DetectionTiming.coincidenceProbability(jitterSeconds: 1e-10, offsetSeconds: 3e-10, windowSeconds: 1e-9)) < 1e-15)
        // Noise in a window: Poisson, 1 − e^(−R·w).
        #expect(abs(DetectionTiming(window: .nanoseconds(10)).noiseProbability(noiseRateHertz: 1e5) - -expm1(-1e-3)) < 1e-18)
    }

    // MARK: Raman

    /// ρ(Δν) written out: g_peak(1550 nm) = 1e-13·(1 µm / 1550 nm) m/W, linear in Δν below
    /// 13.2 THz, over A_eff = 80 µm², times (n_th + 1)·hν at T = 300 K.
    static func ramanCoefficient(separationHertz dnu: Double) -> Double {
        let h = 6.626_070_15e-34, k = 1.380_649e-23, c = 299_792_458.0
        let g = 1e-13 * (1e-6 / 1550e-9) * min(dnu / 13.2e12, 1)
        let nth = 1 / (exp(h * dnu / (k * 300)) - 1)
        return g / 80e-12 * (nth + 1) * h * c / 1550e-9
    }

    /// Eraerds et al. (NJP 12, 063027, 2010) eqs. 1–2, written out, at two launch powers and both
    /// directions; ρ in 1/(km·nm) is of the measured order (1e-9 to 1e-8) at 200 GHz.
    @Test(arguments: [1e-3, 10e-3], PropagationDirection.allCases)
    func ramanNoiseMatchesEraerdsClosedForm(launchWatts: Double, direction: PropagationDirection) {
        let fibre = FiberChannel(lengthMetres: 25_000, attenuationDecibelsPerKilometre: 0.2)
        let raman = RamanNoise(
            launchPowerWatts: launchWatts, channelSeparationHertz: 200e9, direction: direction, filterBandwidthHertz: 50e9)
        let rho = Self.ramanCoefficient(separationHertz: 200e9)
        #expect(abs(raman.coefficientPerMetrePerHertz / rho - 1) < 1e-12)
        let perKmNm = raman.coefficientPerKilometrePerNanometre
        #expect(perKmNm > 1e-9 && perKmNm < 1e-8, "ρ = \(perKmNm) /(km·nm)")
        let alpha = 0.2 / 1_000 / (10 / log(10.0))  // dB/km → 1/m
        let expected = switch direction {
        case .co: launchWatts * exp(-alpha * 25_000) * rho * 25_000 * 50e9
        case .counter: launchWatts * rho * 50e9 * exp(-alpha * 25_000) * sinh(alpha * 25_000) / alpha
        }
        #expect(abs(raman.noisePowerWatts(over: fibre) / expected - 1) < 1e-12)
        let photons = expected / (6.626_070_15e-34 * 299_792_458.0 / 1550e-9)
        #expect(abs(raman.photonRateHertz(over: fibre) / photons - 1) < 1e-12)
    }

    @Test func ramanNoiseScalesLinearlyWithPowerAndFallsWithSeparationOnlyThroughGainAndOccupation() {
        let fibre = FiberChannel(lengthMetres: 10_000)
        let low = RamanNoise(launchPowerWatts: 1e-3, channelSeparationHertz: 400e9)
        let high = RamanNoise(launchPowerWatts: 4e-3, channelSeparationHertz: 400e9)
        #expect(abs(high.noisePowerWatts(over: fibre) / low.noisePowerWatts(over: fibre) - 4) < 1e-12)
        // Near the pump g·(n_th + 1) → g_peak·k_B·T/(h·13.2 THz): nearly flat in Δν.
        let near = RamanNoise(launchPowerWatts: 1e-3, channelSeparationHertz: 100e9).coefficientPerMetrePerHertz
        let far = RamanNoise(launchPowerWatts: 1e-3, channelSeparationHertz: 1e12).coefficientPerMetrePerHertz
        #expect(far / near > 1 && far / near < 1.2)
    }
}
