import Foundation
import QNetCore
import QNetPhysics
import Testing

@testable import QNetScenario

/// The physical-layer keys of issue 13 (`multiplexing`, `coexistence`, detector `jitter` and
/// `clockOffset`) as the scenario reads them and the link physics sees them.
@Suite("Scenario: multiplexing, coexistence, timing")
struct PhysicalLayerScenarioTests {
    static func scenario(link: String, photonics: String = "", detectors: String = "") throws -> Scenario {
        try Scenario.parse(yaml: yaml(link: link, photonics: photonics, detectors: detectors), file: "physical.yaml")
    }

    static func yaml(link: String, photonics: String = "", detectors: String = "") -> String {
        """
            name: physical
            defaults:
              photonics: { emissionEfficiency: 0.5\(photonics) }
              detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns\(detectors) }
            nodes:
              - name: alice
              - name: bob
            links:
              - { nodes: [alice, bob], length: 50 km\(link) }
            requests:
              - { from: alice, to: bob, pairs: 10 }
            """
    }

    // MARK: Multiplexing

    @Test func linkModesMultiplyAndFitTheMemories() throws {
        let s = try Self.scenario(link: ", multiplexing: { temporal: 5, spectral: 2, spatial: 3 }", photonics: ", multiplexing: 30")
        let link = s.links[0]
        #expect(link.parameters.multiplexing == MultiplexingModes(temporal: 5, spectral: 2, spatial: 3))
        let physics = try LinkPhysics(scenario: s, link: link)
        #expect(physics.timing.modes == 30)
        let p = physics.successProbability
        #expect(abs(physics.cycleSuccessProbability - (1 - pow(1 - p, 30))) < 1e-12)
    }

    @Test func withoutALinkBlockTheMemoriesModesAreTemporal() throws {
        let s = try Self.scenario(link: "", photonics: ", multiplexing: 4")
        #expect(s.links[0].modes(in: s) == MultiplexingModes(temporal: 4))
        #expect(try LinkPhysics(scenario: s, link: s.links[0]).timing.modes == 4)
    }

    @Test func moreModesThanTheMemoryStoresIsAConflict() throws {
        if let error = parseError(Self.yaml(link: ", multiplexing: { temporal: 4, spectral: 2 }", photonics: ", multiplexing: 4")) {
            #expect(error.code == .conflict)
            #expect(error.keyPath == "links[0].multiplexing")
            #expect(error.line == 9)
            #expect(error.description.contains("= 8 modes per cycle, but node alice can emit and store 4"))
            #expect(error.description.contains("allowed: temporal*spectral*spatial <= photonics.multiplexing"))
        }
    }

    @Test(arguments: [
        (", multiplexing: { temporal: 0 }", "links[0].multiplexing.temporal", "allowed: 1 <= temporal <= 1000000"),
        (", multiplexing: { temporl: 2 }", "links[0].multiplexing.temporl", "did you mean 'temporal'?"),
        (", multiplexing: 4", "links[0].multiplexing", "expected a multiplexing mapping"),
        (", coexistence: { channelSeparation: 200 GHz }", "links[0].coexistence.launchPower", "missing required key 'launchPower'"),
        (", coexistence: { launchPower: 1 mW }", "links[0].coexistence.channelSeparation", "missing required key 'channelSeparation'"),
        (", coexistence: { launchPower: 1 dB, channelSeparation: 200 GHz }", "links[0].coexistence.launchPower", "unknown unit 'dB'"),
        (", coexistence: { launchPower: 50 W, channelSeparation: 200 GHz }", "links[0].coexistence.launchPower", "allowed: 0 <= launchPower <= 10 W"),
        (", coexistence: { launchPower: 1 mW, channelSeparation: 0 }", "links[0].coexistence.channelSeparation", "allowed: channelSeparation > 0"),
        (", coexistence: { launchPower: 1 mW, channelSeparation: 200 GHz, direction: backwards }", "links[0].coexistence.direction",
         "allowed values: co-propagating, counter-propagating"),
        (", coexistence: { launchPower: 1 mW, channelSeparation: 200 GHz, wavelength: 1550 nm }", "links[0].coexistence.wavelength",
         "allowed keys: launchPower, channelSeparation, direction, filterBandwidth"),
    ])
    func badPhysicalLayerKeysAreOneClearError(link: String, keyPath: String, contains: String) throws {
        if let error = parseError(Self.yaml(link: link, photonics: ", multiplexing: 4")) {
            #expect(error.keyPath == keyPath, "\(error.description)")
            #expect(error.line == 9)
            #expect(error.description.contains(contains), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func powersParseInLinearUnitsAndDBm() throws {
        #expect(Power.parse("0 dBm").power == Power(watts: 1e-3))
        #expect(abs(Power.parse("-10 dBm").power!.watts - 1e-4) < 1e-18)
        #expect(Power.parse("250 uW").power == Power(watts: 250e-6))
        #expect(Power.parse("2 mW").power == Power(watts: 2e-3))
        #expect(Power.parse("-2 mW").power == nil)
        #expect(Power.parse("3").power == nil)
    }

    // MARK: Timing

    /// Jitter and clock offset make the detector efficiency η_d·P_in, P_in the Gaussian-window
    /// closed form written out here; the per-attempt success falls accordingly.
    @Test(arguments: [("300 ps", "0", 0.9044), ("300 ps", "400 ps", 0.6292), ("0", "600 ps", 0.0)])
    func jitterAndOffsetScaleTheDetectorEfficiency(jitter: String, offset: String, roughly: Double) throws {
        let s = try Self.scenario(link: "", detectors: ", jitter: \(jitter), clockOffset: \(offset)")
        let d = s.links[0].detectors
        let sigma = d.jitter.seconds, delta = d.clockOffset.seconds, half = d.window.seconds / 2
        let pIn = sigma > 0
            ? 0.5 * (erf((half - delta) / (sigma * 2.0.squareRoot())) + erf((half + delta) / (sigma * 2.0.squareRoot())))
            : (abs(delta) < half ? 1 : 0)
        #expect(abs(pIn - roughly) < 1e-3)
        #expect(abs(s.links[0].effectiveDetector.efficiency - 0.9 * pIn) < 1e-12)
        guard pIn > 0 else { return }
        let plain = try Self.scenario(link: "")
        let ideal = try LinkPhysics(scenario: plain, link: plain.links[0]).model
        let timed = try LinkPhysics(scenario: s, link: s.links[0]).model
        #expect(abs(timed.etaA / ideal.etaA - pIn) < 1e-12)
    }

    // MARK: Coexistence

    /// Raman noise at two launch powers (issue 13, must-show 4): the noise counts per window
    /// and the heralded fidelity they cause, against the closed forms written out here —
    /// Eraerds et al. (NJP 12, 063027, 2010) for the noise power in each 25 km arm, Poisson
    /// counts in the window, and the single-click click model term by term for the fidelity.
    @Test(arguments: ["-30 dBm", "-20 dBm"])
    func ramanNoiseCountsAndFidelityMatchClosedForm(power: String) throws {
        let s = try Self.scenario(link: ", coexistence: { launchPower: \(power), channelSeparation: 200 GHz, filterBandwidth: 50 GHz }")
        let link = s.links[0]
        let watts = power == "-20 dBm" ? 1e-5 : 1e-6
        let h = 6.626_070_15e-34, c = 299_792_458.0, k = 1.380_649e-23
        let rho = 1e-13 * (1e-6 / 1550e-9) * (200e9 / 13.2e12) / 80e-12 * (1 / (exp(h * 200e9 / (k * 300)) - 1) + 1) * h * c / 1550e-9
        let alpha = 0.2 * log(10.0) / 10 / 1_000, arm = 25_000.0
        let armPhotons = watts * exp(-alpha * arm) * rho * arm * 50e9 / (h * c / 1550e-9)
        // Both arms' photons split by the beam splitter, then detected: per detector.
        let noiseRate = 10 + 0.9 * (2 * armPhotons) / 2
        #expect(abs(link.effectiveDetector.darkCountRateHertz / noiseRate - 1) < 1e-12)
        let pNoise = 1 - exp(-noiseRate * 1e-9)
        let model = try LinkPhysics(scenario: s, link: link).model
        #expect(abs(model.darkCountProbability / pNoise - 1) < 1e-9)

        // Single-click, detector c: weights of |00⟩, |01⟩/|10⟩, |11⟩ and the coherence k.
        let eta = model.etaA, a = 0.1, v = 1.0
        let a0 = pNoise * (1 - pNoise)
        let a1 = eta / 2 * (1 - pNoise) + (1 - eta) * a0
        let a2 = eta * eta * (1 + v) / 4 * (1 - pNoise) + eta * (1 - eta) * (1 - pNoise) + (1 - eta) * (1 - eta) * a0
        let coherence = eta * v.squareRoot() / 2 * (1 - pNoise)
        let pc = (1 - a) * (1 - a) * a0 + 2 * a * (1 - a) * a1 + a * a * a2
        let fidelity = a * (1 - a) * (a1 + coherence) / pc
        #expect(abs(model.successProbability - 2 * pc) < 1e-12)
        #expect(abs(model.heraldedFidelity - fidelity) < 1e-9)

        let plain = try Self.scenario(link: "")
        let quiet = try LinkPhysics(scenario: plain, link: plain.links[0]).model
        print("coexistence \(power): Raman \(2 * armPhotons * 0.9 / 2) counts/s per detector,"
              + " noise per window \(pNoise), fidelity \(model.heraldedFidelity) (without: \(quiet.heraldedFidelity))")
        #expect(model.heraldedFidelity < quiet.heraldedFidelity)
    }
}
