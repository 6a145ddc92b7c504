import Foundation
import QNetCore
import QNetPhysics
import Testing

@testable import QNetScenario

/// `medium:` with its `freeSpace:` and `satellite:` blocks: values in SI units, handed to
/// QNetPhysics, and blocks no link reads rejected.
@Suite("Link media")
struct LinkMediumTests {
    static func scenario(_ link: String) -> String {
        """
        name: media
        nodes: [{ name: a }, { name: b }]
        links:
          - nodes: [a, b]
        \(link)
        requests:
          - { from: a, to: b, pairs: 1 }
        """
    }

    @Test func satelliteValuesReachThePass() throws {
        let s = try Scenario.parse(yaml: Self.scenario("""
                medium: satellite
                scheme: double-click
                satellite: { direction: uplink, altitude: 600 km, wavelength: 1550 nm, divergence: 8 µrad, receiverAperture: 30 cm,
                             pointingJitter: 0.5 urad, zenithTransmittance: 0.7, receiverEfficiency: 0.4, minElevation: 15 deg,
                             maxElevation: 1.2 rad, passStart: 120 s }
            """), file: "media.yaml")
        guard case let .satellite(p) = s.links[0].medium else { Issue.record("not a satellite link"); return }
        let link = p.link
        #expect(link.direction == .uplink && link.pass.altitudeMetres == 600_000)
        #expect(abs(link.beam.wavelengthMetres - 1.55e-6) < 1e-18 && abs(link.beam.divergenceRadians - 8e-6) < 1e-18)
        #expect(abs(link.beam.receiverApertureMetres - 0.3) < 1e-15 && abs(link.beam.pointingJitterRadians - 0.5e-6) < 1e-18)
        #expect(link.zenithTransmittance == 0.7 && link.receiverEfficiency == 0.4)
        #expect(abs(link.pass.minElevation - 15 * .pi / 180) < 1e-15 && link.pass.maxElevation == 1.2 && link.pass.startSeconds == 120)
        // Uplink: the station is on board, the ground end's (b's) arm crosses the slant path.
        #expect(s.links[0].armA.satellite == nil && s.links[0].armB.satellite == link)
        let physics = try #require(try SatelliteLinkPhysics(scenario: s, link: s.links[0]))
        #expect(physics.timing.armDelay[1] == VDuration(seconds: link.pass.longestSlantRangeMetres / speedOfLightMetresPerSecond))
    }

    @Test func freeSpaceArmsAndBackground() throws {
        let s = try Scenario.parse(yaml: Self.scenario("""
                medium: free-space
                length: 8 km
                stationAt: 0.25
                freeSpace: { wavelength: 810 nm, divergence: 15 urad, receiverAperture: 20 cm, attenuation: 0.3 dB/km,
                             receiverEfficiency: 0.6, sky: day, backgroundRate: { day: 200 kHz, night: 300 Hz } }
            """), file: "media.yaml")
        guard case let .freeSpace(optics) = s.links[0].medium else { Issue.record("not free space"); return }
        #expect(optics.backgroundHertz == 200_000)
        let armA = s.links[0].armA
        #expect(armA.freeSpace?.lengthMetres == 2_000)
        #expect(armA.transmittance == optics.channel(lengthMetres: 2_000).transmittance)
        let physics = try LinkPhysics(scenario: s, link: s.links[0])
        let detectors = s.links[0].detectors
        #expect(abs(physics.model.darkCountProbability - -expm1(-(detectors.darkCountRate.hertz + 200_000) * detectors.window.seconds)) < 1e-15)
        #expect(physics.timing.armDelay[0] == FreeSpaceChannel(lengthMetres: 2_000, beam: optics.beam, attenuationDecibelsPerKilometre: 0.3, receiverEfficiency: 0.6).delay)
    }

    @Test func blocksNoLinkReadsAreErrors() throws {
        let onFibre = parseError(Self.scenario("""
                length: 10 km
                satellite: { altitude: 500 km }
            """))
        #expect(onFibre?.code == .conflict)
        #expect(onFibre?.message.contains("satellite is read only by medium: satellite") == true)
        let skyAlone = parseError(Self.scenario("""
                medium: free-space
                length: 1 km
                freeSpace: { wavelength: 810 nm, divergence: 15 urad, receiverAperture: 20 cm, attenuation: 0.3 dB/km, receiverEfficiency: 0.6, sky: day }
            """))
        #expect(skyAlone?.code == .conflict && skyAlone?.keyPath == "links[0].freeSpace.sky")
        let unknown = parseError(Self.scenario("""
                medium: satellite
                satellite: { altitude: 500 km, inclination: 97 deg }
            """))
        #expect(unknown?.code == .unknownKey)
    }
}
