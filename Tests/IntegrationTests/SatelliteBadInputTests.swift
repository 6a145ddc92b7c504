import Foundation
import Testing

/// Bad satellite and free-space links through the real CLI: one error line naming file, line,
/// key path and what is allowed, exit 64 (EX_USAGE), for `qnet validate` and `qnet run` alike.
@Suite("Bad satellite links through the CLI", .serialized)
struct SatelliteBadInputTests {
    static let valid = [
        "name: bad-satellite",                                    // 1
        "duration: 60 s",                                         // 2
        "nodes:",                                                 // 3
        "  - name: sat",                                          // 4
        "  - name: ground",                                       // 5
        "links:",                                                 // 6
        "  - nodes: [sat, ground]",                               // 7
        "    medium: satellite",                                  // 8
        "    scheme: double-click",                               // 9
        "    satellite:",                                         // 10
        "      altitude: 500 km",                                 // 11
        "      wavelength: 810 nm",                               // 12
        "      divergence: 5 urad",                               // 13
        "      receiverAperture: 1 m",                            // 14
        "      zenithTransmittance: 0.8",                         // 15
        "      receiverEfficiency: 0.5",                          // 16
        "      minElevation: 20 deg",                             // 17
        "      maxElevation: 60 deg",                             // 18
        "requests:",                                              // 19
        "  - { from: sat, to: ground, pairs: 10, type: keep }",   // 20
    ]

    static func replacing(_ number: Int, with text: String) -> String {
        var lines = valid
        lines[number - 1] = text
        return lines.joined(separator: "\n") + "\n"
    }

    static let cases: [BadInputTests.Case] = [
        .init(label: "elevation below the horizon", yaml: replacing(17, with: "      minElevation: -5 deg"),
              line: 17, column: 21, onLine: "-5 deg",
              expected: "links[0].satellite.minElevation: an elevation below the horizon is no line of sight; allowed: 0 deg <= minElevation <= 90 deg"),
        .init(label: "aperture of zero", yaml: replacing(14, with: "      receiverAperture: 0 m"),
              line: 14, column: 25, onLine: "0 m",
              expected: "links[0].satellite.receiverAperture: '0 m' is out of range; allowed: receiverAperture > 0"),
        .init(label: "pass never above the minimum elevation", yaml: replacing(18, with: "      maxElevation: 15 deg"),
              line: 18, column: 21, onLine: "15 deg",
              expected: "links[0].satellite.maxElevation: the pass culminates at 15 deg and never rises above minElevation (20 deg); allowed: minElevation < maxElevation <= 90 deg"),
        .init(label: "lost messages are not modelled", yaml: replacing(18, with: "      whenDown: lost"),
              line: 18, column: 17, onLine: "lost",
              expected: "links[0].satellite.whenDown: lost classical messages are not modelled"),
        .init(label: "a Fried parameter on a downlink", yaml: replacing(18, with: "      friedParameter: 9 cm"),
              line: 18, column: 23, onLine: "9 cm",
              expected: "links[0].satellite.friedParameter: friedParameter spreads an uplink's beam (turbulence at the transmitter); a downlink's beam is not spread measurably; allowed: remove friedParameter, or set direction: uplink"),
        .init(label: "a Fried parameter of zero", yaml: replacing(18, with: "      direction: uplink\n      friedParameter: 0 cm"),
              line: 19, column: 23, onLine: "0 cm",
              expected: "links[0].satellite.friedParameter: '0 cm' is out of range; allowed: friedParameter > 0"),
        .init(label: "Raman coexistence off fibre", yaml: replacing(9, with: "    coexistence: { launchPower: 0 dBm, channelSeparation: 200 GHz }"),
              line: 9, column: 5, onLine: "coexistence",
              expected: "links[0].coexistence: coexistence (Raman noise from classical channels in the same fibre) applies to fibre links only; allowed: remove coexistence, or set medium: fibre"),
        .init(label: "a satellite link has no length", yaml: replacing(9, with: "    length: 10 km"),
              line: 9, column: 5, onLine: "length",
              expected: "links[0].length: a satellite link has no length: its slant path comes from the pass"),
        .init(label: "free-space aperture of zero",
              yaml: replacing(8, with: "    medium: free-space\n    length: 5 km\n    freeSpace: { wavelength: 810 nm, divergence: 20 urad, receiverAperture: 0 cm, attenuation: 0.1 dB/km, receiverEfficiency: 0.5 }")
                  .replacingOccurrences(of: "    satellite:\n      altitude: 500 km\n      wavelength: 810 nm\n      divergence: 5 urad\n      receiverAperture: 1 m\n      zenithTransmittance: 0.8\n      receiverEfficiency: 0.5\n      minElevation: 20 deg\n      maxElevation: 60 deg\n", with: ""),
              line: 10, column: 77, onLine: "0 cm",
              expected: "links[0].freeSpace.receiverAperture: '0 cm' is out of range; allowed: receiverAperture > 0"),
    ]

    @Test("one error line naming file, line and key path; exit 64", arguments: cases, BadInputTests.Command.allCases)
    func badSatellite(_ c: BadInputTests.Case, _ command: BadInputTests.Command) throws {
        try BadInputTests().badScenario(c, command)
    }

    @Test("the valid file validates")
    func validBaselineValidates() throws {
        let folder = try Harness.temporaryFolder("badsatellite-ok")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.valid.joined(separator: "\n") + "\n", in: folder)
        let result = try Harness.run(["validate", file.path], timeout: 30)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
    }
}
