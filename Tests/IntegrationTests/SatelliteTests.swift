import Foundation
import QNetCore
import QNetPhysics
import QNetScenario
import Testing

/// A satellite pass in real multi-process runs (fixed seed): the pairs made over the pass, and
/// in each sixth of it, against the integral of the time-varying rate within 4 standard errors;
/// the batched (thinning) and per-attempt samplers against each other; heralds and messages
/// delayed by the slant range of their send time; the pass in the results.
@Suite("Satellite pass across processes", .serialized)
struct SatelliteTests {
    static let yaml = """
        name: satellite-check
        seed: 5
        duration: 480 s
        defaults:
          memory:    { qubits: 2, communicationQubits: 1 }   # one attempt stream: the integral below is for it
          photonics: { emissionEfficiency: 0.8, visibility: 0.98, attemptPeriod: 1 us, multiplexing: 10 }
          detectors: { efficiency: 0.9, darkCountRate: 50 Hz, window: 5 ns }
        nodes:
          - name: sat
          - name: ground
        links:
          - nodes: [sat, ground]
            medium: satellite
            scheme: double-click
            satellite:
              altitude: 500 km
              wavelength: 810 nm
              divergence: 5 urad
              receiverAperture: 1.2 m
              pointingJitter: 1 urad
              zenithTransmittance: 0.8
              receiverEfficiency: 0.5
              minElevation: 20 deg
              maxElevation: 75 deg
              passStart: 10 s
        requests:
          - { from: sat, to: ground, pairs: 1000000, type: keep }
        """

    typealias Run = Harness.ScenarioRun

    static func run(sampling: String) throws -> Run {
        try Harness.runScenario(yaml, label: "satellite-\(sampling)", extra: ["--sampling", sampling])
    }

    /// Expected pairs and their variance in [t1, t2): Σ over the attempt grid of the cycle's
    /// success probability P_c = 1 − (1 − p(t_c))^M (each cycle a Bernoulli trial). In the run,
    /// the batch after a pair first meets d(t) + d_max + rounds·P after it (the herald's way up
    /// and the new batch's way down), off the fixed grid by less than a cycle; that moves the
    /// expectation by less than the mean P_c (about 3 % here) of itself, well inside 4 standard
    /// errors (about 10 %).
    static func integral(_ physics: SatelliteLinkPhysics, from t1: Double, to t2: Double) -> (mean: Double, variance: Double) {
        let period = physics.timing.cycle.seconds, modes = Double(physics.timing.modes)
        var mean = 0.0, variance = 0.0
        var t = t1
        while t < t2 {
            if let p = physics.heralding.model(atSeconds: t)?.successProbability {
                let cycle = -expm1(modes * log1p(-p))
                mean += cycle
                variance += cycle * (1 - cycle)
            }
            t += period
        }
        return (mean, variance)
    }

    @Test func pairsFollowTheIntegralOfTheRate() throws {
        let batched = try Self.run(sampling: "batched")
        let scenario = batched.scenario
        let physics = try #require(try SatelliteLinkPhysics(scenario: scenario, link: scenario.links[0]))
        let pass = physics.satellite.pass
        let created = batched.pairs.compactMap { Double($0["createdSeconds"] ?? "") }
        #expect(created.count == batched.pairs.count)
        #expect(created.allSatisfy { pass.isUp(atSeconds: $0) }, "a pair made while the satellite was below 20°")
        let whole = Self.integral(physics, from: pass.startSeconds, to: pass.endSeconds)
        print("satellite pass: \(created.count) pairs, integral of the rate \(whole.mean) ± \(whole.variance.squareRoot())")
        #expect(abs(Double(created.count) - whole.mean) < 4 * whole.variance.squareRoot())
        // The rate's shape: each sixth of the pass.
        let sixth = pass.durationSeconds / 6
        for i in 0..<6 {
            let t1 = pass.startSeconds + Double(i) * sixth, t2 = t1 + sixth
            let expected = Self.integral(physics, from: t1, to: t2)
            let n = Double(created.filter { $0 >= t1 && $0 < t2 }.count)
            #expect(abs(n - expected.mean) < 4 * expected.variance.squareRoot(), "sixth \(i): \(n) pairs, expected \(expected.mean)")
        }
        // Heralds to the satellite take the slant delay at their send time (to the picosecond).
        let heralds = batched.events.filter { $0["type"] as? String == "herald" && $0["destination"] as? String == "sat" }
        #expect(heralds.count >= created.count)
        for event in heralds {
            let sent = try #require(event["sendSeconds"] as? Double), delay = try #require(event["modeledDelaySeconds"] as? Double)
            #expect(abs(delay - pass.delay(atSeconds: sent).seconds) < 2e-12, "herald sent at \(sent) s")
        }
        // Sent before the satellite rose, the on-board end's first batch waited for the rise
        // (whenDown: wait) and then took the slant delay of that time.
        let first = try #require(batched.events.first { $0["type"] as? String == "attempt_batch" && $0["source"] as? String == "sat" })
        let firstDelay = try #require(first["modeledDelaySeconds"] as? Double), firstSent = try #require(first["sendSeconds"] as? Double)
        #expect(firstSent < pass.startSeconds)
        #expect(abs(firstDelay - (pass.startSeconds - firstSent + pass.delay(atSeconds: pass.startSeconds).seconds)) < 2e-12)
        // The pass in summary.json: samples from rise to set against the budget.
        let link = batched.summary.links[0]
        #expect(link.medium == "satellite")
        let samples = try #require(link.lossDecibelsOverTime)
        #expect(samples.count == 21)
        for s in samples {
            #expect(abs(s.lossDecibels - physics.satellite.lossDecibels(atSeconds: s.seconds)) < 1e-9)
            #expect(abs(s.elevationDegrees - pass.elevation(atSeconds: s.seconds) * 180 / .pi) < 1e-9)
        }
        #expect(abs(samples[0].elevationDegrees - 20) < 1e-9 && abs(samples[10].elevationDegrees - 75) < 1e-9)
        #expect(link.modelSuccessProbability == physics.peakSuccessProbability)
    }

    /// The same pass with the stations' exact per-attempt sampler: pairs in each sixth of the pass
    /// agree with the batched run's (two-sample, 4 standard errors of the difference).
    @Test func batchedAndPerAttemptRunsAgree() throws {
        let runs = [try Self.run(sampling: "batched"), try Self.run(sampling: "per-attempt")]
        let pass = try #require(try SatelliteLinkPhysics(scenario: runs[0].scenario, link: runs[0].scenario.links[0])).satellite.pass
        let created = runs.map { $0.pairs.compactMap { Double($0["createdSeconds"] ?? "") } }
        let sixth = pass.durationSeconds / 6
        for i in 0..<6 {
            let t1 = pass.startSeconds + Double(i) * sixth, t2 = t1 + sixth
            let n = created.map { Double($0.filter { $0 >= t1 && $0 < t2 }.count) }
            #expect(abs(n[0] - n[1]) < 4 * (n[0] + n[1]).squareRoot(), "sixth \(i): \(n[0]) batched, \(n[1]) per attempt")
        }
        let n = created.map { Double($0.count) }
        print("satellite pass: \(n[0]) pairs batched, \(n[1]) per attempt")
        #expect(abs(n[0] - n[1]) < 4 * (n[0] + n[1]).squareRoot())
    }
}
