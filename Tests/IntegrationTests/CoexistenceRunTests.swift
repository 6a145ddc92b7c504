import Foundation
import QNetPhysics
import QNetScenario
import Testing

/// Raman noise in a real run (issue 13, must-show 4): two 50 km single-click links share their
/// fibre with a classical DWDM channel at −30 dBm and −20 dBm; both ends measure their pairs in
/// Z, and in X, and the measured bit error rates agree with the closed forms within 4 standard
/// errors (fixed seed; SE = √(e(1 − e)/n)).
///
/// Closed forms (the single-click click model with symmetric arms, noise probability p per
/// window from Eraerds et al. 2010 and Poisson counts, corrected to Φ+): with a0 = p(1 − p),
/// a1 = η(1 − p)/2 + (1 − η)a0, a2 = η²(1 + V)(1 − p)/4 + η(1 − η)(1 − p) + (1 − η)²a0 and the
/// coherence k = η√V(1 − p)/2, the probability of one detector's herald is
/// P = (1 − α)²a0 + 2α(1 − α)a1 + α²a2; the Z error is the |00⟩ and |11⟩ weight,
/// e_Z = ((1 − α)²a0 + α²a2)/P, and the X error e_X = ½ − α(1 − α)k/P.
@Suite("Coexistence across processes", .serialized)
struct CoexistenceRunTests {
    static let pairs = 1_500
    static let powers = ["-30 dBm", "-20 dBm"]
    static let yaml = """
        name: coexistence-check
        seed: 41
        duration: 60 s
        defaults:
          memory:    { qubits: 1, communicationQubits: 1 }
          photonics: { emissionEfficiency: 0.5, visibility: 1.0, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
          link:      { length: 50 km, scheme: single-click, brightStatePopulation: 0.1 }
        nodes: [{ name: a1 }, { name: b1 }, { name: a2 }, { name: b2 }]
        links:
          - { nodes: [a1, b1], coexistence: { launchPower: \(powers[0]), channelSeparation: 200 GHz, filterBandwidth: 50 GHz } }
          - { nodes: [a2, b2], coexistence: { launchPower: \(powers[1]), channelSeparation: 200 GHz, filterBandwidth: 50 GHz } }
        requests:
          - { from: a1, to: b1, pairs: \(pairs), type: measure, bases: [Z] }
          - { from: a1, to: b1, pairs: \(pairs), type: measure, bases: [X] }
          - { from: a2, to: b2, pairs: \(pairs), type: measure, bases: [Z] }
          - { from: a2, to: b2, pairs: \(pairs), type: measure, bases: [X] }
        """

    @Test func measuredErrorRatesFollowTheRamanClosedForm() throws {
        let run = try Harness.runScenario(Self.yaml, label: "coexistence")
        #expect(run.summary.status == "completed")
        for (link, power) in Self.powers.enumerated() {
            let spec = run.scenario.links[link]
            let model = try LinkPhysics(scenario: run.scenario, link: spec).model
            // Noise per window from the closed form (Eraerds eq. 1 per 25 km arm, both arms
            // halved by the beam splitter, times η_d, plus 10 Hz dark counts).
            let raman = spec.parameters.coexistence!.raman
            let armPhotons = raman.photonRateHertz(over: spec.armA.fibre)
            let alpha = 0.2 * log(10.0) / 10 / 1_000
            let closedPower = raman.launchPowerWatts * exp(-alpha * 25_000) * raman.coefficientPerMetrePerHertz * 25_000 * 50e9
            #expect(abs(armPhotons * planckConstant * raman.quantumFrequencyHertz / closedPower - 1) < 1e-12)
            let p = 1 - exp(-(10 + 0.9 * armPhotons) * 1e-9)
            #expect(abs(model.darkCountProbability / p - 1) < 1e-9)

            let eta = model.etaA, a = 0.1, v = 1.0
            let a0 = p * (1 - p)
            let a1 = eta / 2 * (1 - p) + (1 - eta) * a0
            let a2 = eta * eta * (1 + v) / 4 * (1 - p) + eta * (1 - eta) * (1 - p) + (1 - eta) * (1 - eta) * a0
            let k = eta * v.squareRoot() / 2 * (1 - p)
            let herald = (1 - a) * (1 - a) * a0 + 2 * a * (1 - a) * a1 + a * a * a2
            let expected = [((1 - a) * (1 - a) * a0 + a * a * a2) / herald, 0.5 - a * (1 - a) * k / herald]
            for (basis, e) in zip(["Z", "X"], expected) {
                let request = 2 * link + (basis == "Z" ? 0 : 1)
                let rows = run.pairs.filter { $0["request"] == "\(request)" }
                #expect(rows.count == Self.pairs)
                let errors = rows.filter { $0["outcomeA"] != $0["outcomeB"] }.count
                let measured = Double(errors) / Double(rows.count)
                let se = (e * (1 - e) / Double(rows.count)).squareRoot()
                #expect(abs(measured - e) < 4 * se, "\(power), \(basis): QBER \(measured), closed form \(e)")
                print("coexistence \(power) \(basis): noise per window \(p), QBER \(measured) (closed form \(e))")
            }
        }
    }
}
