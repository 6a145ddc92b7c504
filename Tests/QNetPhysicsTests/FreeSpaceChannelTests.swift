import Foundation
import QNetCore
import QNetPhysics
import QNetQuantum
import Testing

/// A ground-to-ground free-space path: transmittance and delay against the closed forms, and
/// background light as extra noise at the station's detectors.
@Suite("Free-space channel")
struct FreeSpaceChannelTests {
    @Test func transmittanceAndDelay() throws {
        let beam = try OpticalBeam(wavelengthMetres: 1550e-9, divergenceRadians: 20e-6, receiverApertureMetres: 0.1, pointingJitterRadians: 5e-6)
        let channel = FreeSpaceChannel(lengthMetres: 10_000, beam: beam, attenuationDecibelsPerKilometre: 0.2, receiverEfficiency: 0.7)
        // w² = w₀² + (θL)², w₀ = λ/(πθ); jitter adds 4(σL)²; aperture radius 5 cm.
        let w0 = 1550e-9 / (.pi * 20e-6)
        let w2 = w0 * w0 + pow(20e-6 * 10_000, 2) + 4 * pow(5e-6 * 10_000, 2)
        let expected = (1 - exp(-2 * 0.05 * 0.05 / w2)) * pow(10, -0.2 * 10 / 10) * 0.7
        #expect(abs(channel.transmittance - expected) < 1e-15)
        // 10 km of air at n = 1.00027: 33.365 µs.
        #expect(channel.delay == VDuration(seconds: 10_000 * 1.000_27 / 299_792_458))
    }

    @Test func backgroundLightAddsNoiseCounts() throws {
        let end = PhotonicInterface(emissionEfficiency: 0.5, attemptPeriod: .microseconds(1))
        let detector = DetectorModel(efficiency: 0.8, darkCountRateHertz: 100, window: .nanoseconds(1))
        func physics(_ background: Double) throws -> LinkPhysics {
            try LinkPhysics(scheme: .doubleClick, ends: (end, end), armTransmittance: (a: 0.1, b: 0.2), armDelay: (a: .microseconds(5), b: .microseconds(5)),
                            detector: detector.addingNoise(hertz: background), memories: (a: .ideal, b: .ideal))
        }
        let night = try physics(200), day = try physics(2e6)
        #expect(abs(night.model.darkCountProbability - -expm1(-300 * 1e-9)) < 1e-18)
        #expect(abs(day.model.darkCountProbability - -expm1(-(2e6 + 100) * 1e-9)) < 1e-15)
        #expect(abs(night.model.etaA - 0.5 * 0.1 * 0.8) < 1e-15 && abs(night.model.etaB - 0.5 * 0.2 * 0.8) < 1e-15)
        // More noise, lower heralded fidelity.
        #expect(day.model.heraldedFidelity < night.model.heraldedFidelity)
    }
}
