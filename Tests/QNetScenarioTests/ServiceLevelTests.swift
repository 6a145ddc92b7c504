import Foundation
import QNetCore
import QNetScenario
import Testing

/// Service levels (`targetRate`, `targetFidelity`, `deadline`; summary.json's `slo`).
@Suite("Service levels")
struct ServiceLevelTests {
    static func input(_ deliveries: [Double], fidelities: [Double] = [], rate: Double? = nil, fidelity: Double? = nil,
                      window: Double, end: Double, measuredRate: Double? = nil) -> ServiceLevel.Input {
        ServiceLevel.Input(start: 0, end: end, targetRate: rate, targetFidelity: fidelity, window: window,
                           deliveries: deliveries, fidelities: fidelities, rate: measuredRate,
                           meanFidelity: fidelities.isEmpty ? nil : fidelities.reduce(0, +) / Double(fidelities.count),
                           servedWithinDeadline: nil)
    }

    /// Windows [0, 1), [1, 2), [2, 3) of a 3.5 s span (the half window is left out): 3, 1 and 2
    /// deliveries against a target of 2 per second miss the second window; mean fidelities of
    /// 0.733, 0.7 and 0.85 against 0.8 miss the first and the second: two windows missed.
    @Test func windowsAreCountedAsDocumented() {
        let times = [0.1, 0.5, 0.9, 1.5, 2.2, 2.8, 3.2]
        let fidelities = [0.9, 0.5, 0.8, 0.7, 0.8, 0.9, 0.1]
        let rate = ServiceLevel.evaluate(Self.input(times, rate: 2, window: 1, end: 3.5, measuredRate: 2))
        #expect(rate.windows == 3 && rate.windowsMissed == 1 && rate.windowSeconds == 1)
        #expect(abs(rate.outageProbability!.mean - 1.0 / 3) < 1e-12)
        #expect(rate.rateMet == true && rate.met && rate.fidelityMet == nil)
        let both = ServiceLevel.evaluate(Self.input(times, fidelities: fidelities, rate: 2, fidelity: 0.8, window: 1, end: 3.5, measuredRate: 1.9))
        #expect(both.windowsMissed == 2)
        #expect(both.rateMet == false && !both.met)
        // An empty window misses a fidelity target; a span shorter than the window is one window.
        let empty = ServiceLevel.evaluate(Self.input([0.1, 2.5], fidelities: [0.9, 0.9], fidelity: 0.8, window: 1, end: 3))
        #expect(empty.windows == 3 && empty.windowsMissed == 1)
        let short = ServiceLevel.evaluate(Self.input([0.1, 0.2], rate: 5, window: 1, end: 0.4))
        #expect(short.windows == 1 && short.windowSeconds == 0.4 && short.windowsMissed == 0)
    }

    /// As the coordinator calls it, a served request's span ends at its last delivery: that
    /// delivery is in the last window (closed at the end), when the span is shorter than the
    /// window and when it is an exact multiple of it. A pair without a fidelity (NaN) counts for
    /// the rate and is left out of its window's mean, without moving later pairs to other windows.
    @Test func theLastDeliveryOfAServedRequestCounts() {
        let one = ServiceLevel.evaluate(Self.input([0.4], fidelities: [0.95], fidelity: 0.9, window: 1, end: 0.4))
        #expect(one.windows == 1 && one.windowsMissed == 0, "\(one)")
        let exact = ServiceLevel.evaluate(Self.input([0.5, 1.2, 2.0], rate: 1, window: 1, end: 2.0, measuredRate: 1.5))
        #expect(exact.windows == 2 && exact.windowsMissed == 0, "\(exact)")
        let gap = ServiceLevel.evaluate(Self.input([0.2, 0.5, 1.5], fidelities: [.nan, 0.5, 0.95], fidelity: 0.9, window: 1, end: 2))
        #expect(gap.windows == 2 && gap.windowsMissed == 1, "window 0 holds 0.5 (the NaN left out), window 1 holds 0.95: \(gap)")
        // A window finer than a millionth of the span is widened: no table beyond that.
        let fine = ServiceLevel.evaluate(Self.input([0.5], rate: 1e30, window: 1e-30, end: 1))
        #expect(fine.windows == ServiceLevel.mostWindows)
    }

    /// Wilson's interval at known points (Newcombe, Stat. Med. 17, 857, 1998, Table I: 0/10 gives
    /// [0, 0.2775]; 81/263 gives [0.2553, 0.3662]).
    @Test func wilsonInterval() {
        let none = ServiceLevel.wilson(0, 10)
        #expect(none.ci95[0] == 0 && abs(none.ci95[1] - 0.2775) < 5e-5)
        let some = ServiceLevel.wilson(81, 263)
        #expect(abs(some.ci95[0] - 0.2553) < 5e-5 && abs(some.ci95[1] - 0.3662) < 5e-5)
    }

    /// Poisson deliveries at λ = 20/s against a target of 18/s in windows of 1 s: a window
    /// misses when it holds fewer than 18, with probability P(N < 18), N ~ Poisson(20). Over
    /// 4 000 windows (fixed seed) the outage probability agrees with it within 4 standard errors.
    @Test func outageOfPoissonDeliveriesAgreesWithThePoissonTail() {
        var rng = SeededRandom(seed: 9)
        let lambda = 20.0, target = 18.0, windows = 4_000
        var times: [Double] = []
        var t = 0.0
        while true {
            t += -log(1 - rng.nextUnit()) / lambda
            if t >= Double(windows) { break }
            times.append(t)
        }
        let slo = ServiceLevel.evaluate(Self.input(times, rate: target, window: 1, end: Double(windows), measuredRate: lambda))
        var term = exp(-lambda), tail = 0.0
        for k in 0..<Int(target) {
            tail += term
            term *= lambda / Double(k + 1)
        }
        let se = (tail * (1 - tail) / Double(windows)).squareRoot()
        #expect(slo.windows == windows)
        #expect(abs(slo.outageProbability!.mean - tail) <= 4 * se, "outage \(slo.outageProbability!.mean), P(N < 18) = \(tail) ± \(se)")
        #expect(slo.outageProbability!.ci95[0] <= tail && tail <= slo.outageProbability!.ci95[1] + 2 * se)
    }

    /// The scenario keys: targets on a request, refused where they cannot be modelled.
    @Test func keys() throws {
        func parse(_ request: String) throws(ScenarioError) -> Scenario {
            try Scenario.parse(yaml: """
                nodes: [{ name: a }, { name: b }]
                links: [{ nodes: [a, b], length: 1 km }]
                requests:
                  - \(request)
                """, file: "s.yaml")
        }
        let s = try parse("{ from: a, to: b, pairs: 10, targetRate: 50 Hz, targetFidelity: 0.9, sloWindow: 100 ms }")
        #expect(s.requests[0].targetRate == 50 && s.requests[0].targetFidelity == 0.9)
        #expect(s.requests[0].sloWindow == .milliseconds(100))
        for (request, message) in [
            ("{ from: a, to: b, pairs: 10, targetRate: 0 Hz }", "a target rate of 0 is always met"),
            ("{ from: a, to: b, pairs: 10, type: measure, targetFidelity: 0.9 }", "only type: keep records"),
            ("{ from: a, to: b, pairs: 10, targetFidelity: 1.2 }", "targetFidelity"),
            ("{ from: a, to: b, pairs: 10, sloWindow: 1 s }", "sloWindow is read only with targetRate or targetFidelity"),
            ("{ from: a, to: b, pairs: 10, deadline: 2 s, sloWindow: 1 s }", "a deadline has none"),
            ("{ from: a, to: b, pairs: 10, targetRate: 5 Hz, sloWindow: 1 ns }", "more than 1000000 windows"),
            ("{ from: a, to: b, pairs: 10, targetRate: 1e30 Hz }", "makes the default sloWindow"),
        ] {
            do {
                _ = try parse(request)
                Issue.record("\(request) was accepted")
            } catch { #expect(error.description.contains(message), "\(error)") }
        }
    }
}
