import Foundation
import QNetCore
import QNetPhysics
import QNetScenario
import Testing

/// A free-space link in a real multi-process run (fixed seed), by night and by day: measured
/// per-attempt success probability and fidelity against the click model with the beam budget and
/// the sky's background counts (4 standard errors from the number of pairs), and the herald delay
/// of the free-space arm.
@Suite("Free-space link across processes", .serialized)
struct FreeSpaceTests {
    static let pairs = 800

    static func yaml(sky: String) -> String {
        """
        name: free-space-\(sky)
        seed: 3
        duration: 20 s
        defaults:
          memory:    { qubits: 2, communicationQubits: 1 }
          photonics: { emissionEfficiency: 0.6, visibility: 0.97, attemptPeriod: 1 us }
          detectors: { efficiency: 0.8, darkCountRate: 20 Hz, window: 2 ns }
        nodes:
          - name: a
          - name: b
        links:
          - nodes: [a, b]
            medium: free-space
            length: 6 km
            stationAt: 0.4
            scheme: single-click
            freeSpace: { wavelength: 810 nm, divergence: 20 urad, receiverAperture: 15 cm, pointingJitter: 2 urad,
                         attenuation: 0.15 dB/km, receiverEfficiency: 0.6, sky: \(sky), backgroundRate: { day: 2 MHz, night: 200 Hz } }
        requests:
          - { from: a, to: b, pairs: \(pairs), type: keep }
        """
    }

    @Test(arguments: ["night", "day"])
    func runMatchesTheBudget(sky: String) throws {
        let run = try Harness.runScenario(Self.yaml(sky: sky), label: "free-space-\(sky)")
        let s = run.summary, link = run.scenario.links[0]
        #expect(s.status == "completed" && s.links[0].medium == "free-space")
        let physics = try LinkPhysics(scenario: run.scenario, link: link)
        let n = Double(s.requests[0].pairsDelivered)
        let p = physics.successProbability, measured = try #require(s.links[0].successProbability)
        #expect(abs(measured - p) < 4 * p * (1 - p).squareRoot() / n.squareRoot(), "\(sky): p = \(measured), model \(p)")
        #expect(abs(s.requests[0].fidelity!.mean - physics.model.heraldedFidelity) < 1e-9)
        // The budget, rebuilt: η_X = emission × η_geo × extinction × receiver × detector.
        let beam = try OpticalBeam(wavelengthMetres: 810e-9, divergenceRadians: 20e-6, receiverApertureMetres: 0.15, pointingJitterRadians: 2e-6)
        let eta = 0.6 * beam.collectedFraction(atDistance: 2_400) * pow(10, -0.15 * 2.4 / 10) * 0.6 * 0.8
        #expect(abs(physics.model.etaA - eta) < 1e-15)
        let background = sky == "day" ? 2e6 : 200.0
        #expect(abs(physics.model.darkCountProbability - -expm1(-(20 + background) * 2e-9)) < 1e-15)
        // Heralds reach end A over its 2.4 km of air.
        let toA = run.events.filter { $0["type"] as? String == "herald" && $0["destination"] as? String == "a" }
        #expect(!toA.isEmpty && toA.allSatisfy { ($0["modeledDelaySeconds"] as? Double) == VDuration(seconds: 2_400 * airRefractiveIndex / speedOfLightMetresPerSecond).seconds })
        print("free space by \(sky): p = \(measured) (model \(p)), fidelity \(s.requests[0].fidelity!.mean)")
    }
}
