import Foundation
import QNetCore
import QNetPhysics
import Testing

@testable import QNetScenario

/// `preset:` on nodes, links and `defaults`, overridable field by field (issue 13, point 5).
@Suite("Scenario: hardware presets")
struct PresetTests {
    static func yaml(defaults: String = "", alice: String = "", link: String = "") -> String {
        """
        name: presets
        defaults: { detectors: { darkCountRate: 5 Hz }\(defaults) }
        nodes:
          - { name: alice\(alice) }
          - { name: bob, preset: nv-lab }
        links:
          - { nodes: [alice, bob]\(link) }
        requests:
          - { from: alice, to: bob, pairs: 10 }
        """
    }

    @Test func aNodePresetSetsItsFieldsAndTheNodeOverridesThem() throws {
        let s = try Scenario.parse(yaml: Self.yaml(alice: ", preset: nv-lab, memory: { t2: 1 ms }", link: ", preset: nv-lab"), file: "p.yaml")
        let alice = s.nodes[0], bob = s.nodes[1]
        #expect(bob.photonics.emissionEfficiency == 0.000_35 / 0.8)
        #expect(bob.photonics.visibility == 0.9)
        #expect(bob.photonics.attemptPeriod == .nanoseconds(5_500))
        #expect(bob.memory.t1 == nil && bob.memory.t2 == .microseconds(3_500))
        #expect(bob.memory.readoutError == 0.0275 && bob.memory.gateFidelity == 0.95)
        #expect(alice.memory.t2 == .milliseconds(1))
        #expect(alice.photonics.emissionEfficiency == bob.photonics.emissionEfficiency)
        let link = s.links[0]
        #expect(link.length == .metres(2))
        #expect(link.attenuation == Attenuation(decibelsPerKilometre: 5))
        #expect(link.detectors.efficiency == 0.8 && link.detectors.window == .nanoseconds(25))
        #expect(link.detectors.darkCountRate == Frequency(hertz: 20))
    }

    @Test func aLinksOwnKeysWinOverItsPresetAndThePresetOverDefaults() throws {
        let s = try Scenario.parse(
            yaml: Self.yaml(link: ", preset: nv-ql2020, length: 30 km, detectors: { window: 10 ns }"), file: "p.yaml")
        let link = s.links[0]
        #expect(link.length == .kilometres(30))
        #expect(link.stationAt == 0.4)
        #expect(link.attenuation == Attenuation(decibelsPerKilometre: 0.5))
        #expect(link.detectors.window == .nanoseconds(10))
        #expect(link.detectors.darkCountRate == Frequency(hertz: 20))
        // No preset on the link: defaults.detectors and the built-in link values.
        let plain = try Scenario.parse(yaml: Self.yaml(link: ", length: 1 km"), file: "p.yaml").links[0]
        #expect(plain.detectors.darkCountRate == Frequency(hertz: 5))
        #expect(plain.attenuation == Attenuation(decibelsPerKilometre: 0.2))
    }

    @Test func aDefaultsPresetReachesEveryNodeAndLink() throws {
        let s = try Scenario.parse(yaml: Self.yaml(defaults: ", preset: nv-ql2020"), file: "p.yaml")
        #expect(s.nodes[0].photonics.conversionEfficiency == 0.3)
        #expect(s.nodes[1].photonics.conversionEfficiency == 1)  // bob's own preset: nv-lab
        #expect(s.links[0].length == .kilometres(25))
        #expect(s.links[0].detectors.darkCountRate == Frequency(hertz: 5))  // defaults.detectors over its preset
    }

    @Test(arguments: HardwarePreset.allCases)
    func everyPresetParsesOnNodesAndLinks(preset: HardwarePreset) throws {
        let s = try Scenario.parse(
            yaml: Self.yaml(alice: ", preset: \(preset.rawValue)", link: ", preset: \(preset.rawValue), length: 5 km"), file: "p.yaml")
        _ = try LinkPhysics(scenario: s, link: s.links[0])
    }

    @Test func anUnknownPresetIsOneLineWithDidYouMean() throws {
        guard let error = parseError(Self.yaml(alice: ", preset: nv-lba"), file: "p.yaml") else { return }
        #expect(error.code == .unknownValue)
        #expect(error.keyPath == "nodes[0].preset")
        #expect(error.line == 4)
        #expect(error.description.contains("unknown value 'nv-lba'; did you mean 'nv-lab'?"))
        #expect(error.description.contains("allowed values: nv-ql2020, nv-lab, trapped-ion, siv-cavity, atomic-ensemble"))
        #expect(!error.description.contains("\n"))
    }
}
