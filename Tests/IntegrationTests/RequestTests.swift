import Foundation
import QNetPhysics
import QNetScenario
import Testing

/// Requests across processes: staggered start times, and valid geometry that used to trap.
@Suite("Requests", .serialized)
struct RequestTests {
    /// A second request on a path starts later: none of its pairs is delivered before its start,
    /// its latency counts from its start, and the run lasts until it is served.
    @Test(arguments: [2, 3])
    func aRequestIsNeverServedBeforeItsStart(nodes: Int) throws {
        let topology = nodes == 2
            ? "nodes: [{ name: n0 }, { name: n1 }]\nlinks: [{ nodes: [n0, n1], length: 2 km }]"
            : "topology: { kind: chain, nodes: \(nodes), spacing: 2 km }"
        let yaml = """
        name: staggered
        seed: 3
        duration: 5 s
        defaults:
          photonics: { emissionEfficiency: 0.5, visibility: 0.9, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 10 ns }
          link: { scheme: double-click }
        \(topology)
        requests:
          - { from: n0, to: n\(nodes - 1), pairs: 30, type: keep, start: 0 s }
          - { from: n0, to: n\(nodes - 1), pairs: 30, type: keep, start: 500 ms }

        """
        let run = try Harness.runScenario(yaml, label: "staggered")
        #expect(run.summary.status == "completed")
        #expect(run.summary.requests.map(\.pairsDelivered) == [30, 30])
        let second = run.pairs.filter { $0["request"] == "1" }
        #expect(second.count == 30)
        for row in second { #expect(Double(row["deliveredSeconds"]!)! >= 0.5, "\(row)") }
        // The first pair's latency counts from the start: the link needs at least one attempt cycle.
        let firstDelivery = second.map { Double($0["deliveredSeconds"]!)! }.min()!
        let latency = try #require(run.summary.requests[1].latencySeconds)
        #expect(latency.p50 > 0 && firstDelivery > 0.5)
        #expect(run.summary.virtualSeconds >= firstDelivery)
        #expect(run.summary.requests[1].startSeconds == 0.5)
    }

    /// A 1 m link with its station 0.1 mm from one end: that arm's delay rounds below 1 ps. The
    /// clock counts it as 1 ps (its resolution) and the run completes instead of trapping.
    @Test func anArmShorterThanAPicosecondRuns() throws {
        let yaml = Harness.twoNodeScenario(name: "short-arm", length: "1 m", pairs: 20, duration: "1 s")
            .replacingOccurrences(of: "length: 1 m", with: "length: 1 m\n    stationAt: 0.0001")
        let run = try Harness.runScenario(yaml, label: "short-arm")
        #expect(run.summary.status == "completed")
        #expect(run.pairs.count == 20)
        let validate = try Harness.run(["validate", try Harness.scenario(yaml, in: try Harness.temporaryFolder("short-arm-validate")).path])
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    /// A path through a node without the two memory qubits a swap needs: `validate` and `run`
    /// fail with one line naming the file, the request's line and key, the node, where its
    /// memory size was set, and what is allowed (exit 64), instead of a run that stalls. The check
    /// needs the request's route, so it runs after loading; the line still points into the file.
    @Test func aSwapNodeWithOneQubitIsABadScenario() throws {
        let yaml = """
        name: one-qubit-repeater
        topology: { kind: chain, nodes: 3, spacing: 2 km }
        nodes: [{ name: n1, memory: { qubits: 1 } }]
        requests: [{ from: n0, to: n2, pairs: 10 }]

        """
        let folder = try Harness.temporaryFolder("one-qubit")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(yaml, in: folder)
        for arguments in [["validate", file.path], ["run", file.path, "--out", folder.appendingPathComponent("out").path, "--quiet"]] {
            let result = try Harness.run(arguments)
            #expect(result.status == 64, "\(arguments[0]): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            // The request is on line 4, n1's `memory.qubits: 1` on line 3 (nodes[0] in the file).
            #expect(lines.count == 1 && lines[0].contains("\(file.path):4:") && lines[0].contains(": requests[0]: ")
                    && lines[0].contains("swaps at n1") && lines[0].contains("(nodes[0].memory.qubits at line 3)")
                    && lines[0].contains("qubits ≥ 2"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/summary.json").path))
    }
}

/// Service-level targets end to end: summary.json's `slo` against the run's own pairs.csv.
@Suite("Service levels", .serialized)
struct ServiceLevelRunTests {
    /// A direct link with ideal memories, one request with a rate and a fidelity target. The
    /// test recounts the windows from pairs.csv (whole windows of `sloWindow` from the start to
    /// the last delivery) and must find the summary's count of missed windows. A target of half
    /// the link's expected rate, with a fidelity target below the link's, is met with few
    /// windows missed; four times the expected rate (twice what the two qubits per node can give) is missed in (nearly) every window, and a
    /// fidelity target above the link's fidelity misses every window.
    @Test(arguments: [(0.5, -0.01), (4.0, -0.01), (0.5, 0.01)])
    func outageCountsTheMissedWindows(rateFactor: Double, fidelityOffset: Double) throws {
        let probe = try Scenario.parse(yaml: ChainTests.yaml(nodes: 2, pairs: 1), file: "probe.yaml")
        let physics = try LinkPhysics(scenario: probe, link: probe.links[0])
        let link = try ChainTests.linkCoefficients(probe)[0]
        let target = rateFactor * physics.expectedRatePerSecond, fidelity = link + fidelityOffset
        let yaml = ChainTests.yaml(nodes: 2, pairs: 400).replacingOccurrences(
            of: "type: keep }", with: "type: keep, targetRate: \(target) Hz, targetFidelity: \(min(fidelity, 1)), sloWindow: \(String(format: "%.9f", 10 / target)) s }")
        let run = try ChainTests.run(yaml)
        let slo = try #require(run.summary.requests[0].slo)
        // The window as the run read it (the file's duration is rounded to the picosecond).
        let window = try #require(slo.windowSeconds)
        #expect(abs(window - 10 / target) < 1e-9)
        let times = run.pairs.map { Double($0["deliveredSeconds"]!)! }
        let fidelities = run.pairs.map { Double($0["fidelity"]!)! }
        let whole = Int((times.max()! / window).rounded(.down))
        var missed = 0
        for k in 0..<whole {
            let inside = times.indices.filter { times[$0] >= Double(k) * window && times[$0] < Double(k + 1) * window }
            let mean = inside.map { fidelities[$0] }.reduce(0, +) / Double(max(inside.count, 1))
            if Double(inside.count) < target * window * (1 - 1e-12) || inside.isEmpty || mean < min(fidelity, 1) { missed += 1 }
        }
        #expect(slo.windows == whole && slo.windowsMissed == missed, "\(slo)")
        #expect(slo.outageProbability!.mean == Double(missed) / Double(whole))
        let rate = run.summary.requests[0].ratePerSecond!.mean
        #expect(slo.rateMet == (rate >= target) && slo.fidelityMet == (run.summary.requests[0].fidelity!.mean >= min(fidelity, 1)))
        #expect(slo.met == (slo.rateMet! && slo.fidelityMet!))
        switch (rateFactor, fidelityOffset) {
        case (0.5, -0.01): #expect(slo.met && slo.outageProbability!.mean < 0.2, "\(slo)")
        case (4.0, _): #expect(!slo.met && slo.outageProbability!.mean > 0.9, "\(slo)")
        default: #expect(!slo.met && slo.outageProbability!.mean == 1, "\(slo)")
        }
    }
}
