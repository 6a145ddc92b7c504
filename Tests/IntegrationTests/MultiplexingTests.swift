import Foundation
import QNetPhysics
import QNetScenario
import Testing

/// Multiplexing in a real multi-process run (issue 13, must-show 3): the pair rate of a link
/// against its modes per cycle M follows the independent-mode closed form 1 − (1 − p)^M, with a
/// fixed seed and a tolerance of 4 standard errors from the number of pairs.
///
/// Four 50 km links (p ≈ 0.03 per attempt) run at once: M = 1, 4 temporal, 4 spectral × 2
/// spatial, and 4 × 2 × 2 = 16; each end's multimode memory stores 16 modes.
@Suite("Multiplexing across processes", .serialized)
struct MultiplexingTests {
    static let pairs = 400
    static let modes = [1, 4, 8, 16]
    static let yaml = """
        name: multiplexing-check
        seed: 23
        duration: 60 s
        defaults:
          memory:    { qubits: 1, communicationQubits: 1 }
          photonics: { emissionEfficiency: 0.5, visibility: 1.0, attemptPeriod: 1 us, multiplexing: 16 }
          detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
          link:      { attenuation: 0.2 dB/km, length: 50 km, scheme: single-click, brightStatePopulation: 0.1 }
        nodes:
          - { name: a1 }
          - { name: b1 }
          - { name: a2 }
          - { name: b2 }
          - { name: a3 }
          - { name: b3 }
          - { name: a4 }
          - { name: b4 }
        links:
          - { nodes: [a1, b1], multiplexing: { temporal: 1 } }
          - { nodes: [a2, b2], multiplexing: { temporal: 4 } }
          - { nodes: [a3, b3], multiplexing: { spectral: 4, spatial: 2 } }
          - { nodes: [a4, b4], multiplexing: { temporal: 4, spectral: 2, spatial: 2 } }
        requests:
          - { from: a1, to: b1, pairs: \(pairs) }
          - { from: a2, to: b2, pairs: \(pairs) }
          - { from: a3, to: b3, pairs: \(pairs) }
          - { from: a4, to: b4, pairs: \(pairs) }
        """

    @Test func rateAgainstModesFollowsIndependentClosedForm() throws {
        let run = try Harness.runScenario(Self.yaml, label: "multiplexing")
        let s = run.summary
        #expect(s.status == "completed")
        // One per-attempt p for every link: they differ only in their modes.
        let p = try LinkPhysics(scenario: run.scenario, link: run.scenario.links[0]).successProbability
        var rates: [Double] = []
        for (link, m) in Self.modes.enumerated() {
            let physics = try LinkPhysics(scenario: run.scenario, link: run.scenario.links[link])
            #expect(physics.timing.modes == m)
            #expect(abs(physics.successProbability - p) < 1e-15)
            let request = s.requests[link]
            #expect(request.pairsDelivered == Self.pairs)
            let n = Double(request.pairsDelivered)
            // Closed form, written out here: at least one of M independent modes heralds.
            let pc = 1 - pow(1 - p, Double(m))
            let cycle = physics.timing.cycle.seconds
            // Mean time per pair: a geometric number of cycles, mean T/p_c, sd T√(1−p_c)/p_c.
            let meanTau = 1 / request.ratePerSecond!.mean
            let se = cycle * (1 - pc).squareRoot() / (pc * n.squareRoot())
            #expect(abs(meanTau - cycle / pc) < 4 * se, "M = \(m): \(1 / meanTau) pairs/s, closed form \(pc / cycle)")
            // Per-mode success probability is unchanged by multiplexing (geometric MLE over modes).
            let measuredP = s.links[link].successProbability!
            #expect(abs(measuredP - p) < 4 * p * (1 - p).squareRoot() / n.squareRoot(), "M = \(m): p = \(measuredP), model \(p)")
            rates.append(request.ratePerSecond!.mean)
        }
        // The gain is real and below M (modes compete for one memory qubit per cycle).
        #expect(rates[3] > 5 * rates[0] && rates[3] < 16 * rates[0])
        print("multiplexing: p = \(p); pairs/s by M \(Self.modes): \(rates)")
    }
}
