import Foundation
import QNetCore
import QNetPhysics
import QNetScenario
import Testing

/// Built-in swap policies across processes: sequential swapping, probabilistic Bell measurements.
@Suite("Sequential swapping", .serialized)
struct SequentialSwapTests {
    /// Under `swap: sequential` on a 5-node chain, entanglement grows hop by hop from n0: every
    /// repeater swaps only once its left pair reaches n0, so every swap's left partner is n0 (each
    /// repeater's left feed-forward goes to n0, never to n1 or n2), and the ends get the ideal
    /// chain's fidelity. Under `asap` on the same chain some repeaters swap first, and their
    /// left feed-forward goes to a neighbour: the check can fail.
    @Test func entanglementGrowsFromTheStart() throws {
        func leftFeedForward(_ run: Harness.ScenarioRun) -> (toStart: Int, elsewhere: Int) {
            var toStart = 0, elsewhere = 0
            for (k, repeater) in ["n2", "n3"].enumerated() {
                toStart += run.sendTimes("feed_forward", from: repeater, to: "n0").count
                for left in ["n1", "n2"].prefix(k + 1) { elsewhere += run.sendTimes("feed_forward", from: repeater, to: left).count }
            }
            return (toStart, elsewhere)
        }
        let base = ChainTests.yaml(nodes: 5, pairs: 100)
        let sequential = try ChainTests.run(base + "\npolicies: { swap: sequential }")
        #expect(sequential.pairs.count == 100)
        let expected = ChainTests.compose(try ChainTests.linkCoefficients(sequential.scenario), links: 4)[0]
        for row in sequential.pairs { #expect(abs(Double(row["fidelity"]!)! - expected) < 1e-9) }
        let s = leftFeedForward(sequential)
        #expect(s.elsewhere == 0, "sequential: \(s.elsewhere) left feed-forward messages not to n0")
        #expect(s.toStart >= 2 * 100, "n2 and n3 each swap once per pair with n0 on their left")
        let asap = leftFeedForward(try ChainTests.run(base))
        #expect(asap.elsewhere > 0, "asap: some repeater swaps before its left pair reaches n0")
    }
}

/// Probabilistic Bell measurements (`bellMeasurement.successProbability`): a failed swap
/// destroys both pairs, and the chain makes new ones.
@Suite("Probabilistic swaps", .serialized)
struct ProbabilisticSwapTests {
    /// A 3-node chain whose repeater's Bell measurement succeeds with p = 0.5 (a linear-optics
    /// BSM; Calsamiglia & Lütkenhaus 2001): every swap is a Bernoulli trial, so the failed
    /// fraction of the swaps (failed + delivered, one swap per delivered pair) is 1 − p within 4
    /// standard errors √(p(1 − p)/n); every delivered pair still has the ideal chain's fidelity
    /// (a failure leaves nothing behind), and no pair is lost to a protocol fault.
    @Test func failedSwapsAreBernoulliTrials() throws {
        let p = 0.5
        let yaml = ChainTests.yaml(nodes: 3, pairs: 300)
            .replacingOccurrences(of: "topology:", with: "nodes:\n  - { name: n1, bellMeasurement: { successProbability: \(p) } }\ntopology:")
        let run = try ChainTests.run(yaml)
        #expect(run.pairs.count == 300)
        let failed = Double(run.summary.failedSwaps ?? 0), n = failed + 300
        let se = (p * (1 - p) / n).squareRoot()
        #expect(abs(failed / n - (1 - p)) <= 4 * se, "failed \(failed) of \(n) swaps")
        let link = try ChainTests.linkCoefficients(run.scenario)
        let expected = ChainTests.compose(link, links: 2)[0]
        for row in run.pairs { #expect(abs(Double(row["fidelity"]!)! - expected) < 1e-9) }
        #expect(run.summary.pairIdentityMismatches == 0)
        // Without the key nothing fails, and the count is not reported.
        let plain = try ChainTests.run(ChainTests.yaml(nodes: 3, pairs: 20))
        #expect(plain.summary.failedSwaps == nil)
    }

    @Test(arguments: ["0", "1.5", "-0.1", "half"])
    func successProbabilityOutOfRange(_ value: String) throws {
        let folder = try Harness.temporaryFolder("bsm-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = ChainTests.yaml(nodes: 3, pairs: 1)
            .replacingOccurrences(of: "defaults:\n", with: "defaults:\n  bellMeasurement: { successProbability: \(value) }\n")
        let result = try Harness.run(["validate", try Harness.scenario(yaml, in: folder).path])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("successProbability"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}

/// Must-show 1 of the scheduling issue: nested swapping against the exact recursion.
@Suite("Nested swapping", .serialized)
struct NestedSwapTests {
    /// A chain of `nodes` nodes 1 m apart (classical delays of nanoseconds against an attempt
    /// cycle of microseconds), ideal memories, end nodes with one qubit and repeaters with two (so
    /// no link runs ahead of the protocol: after a delivery, or a failed swap, the links start
    /// again together), every Bell measurement succeeding with `ps`.
    static func yaml(nodes: Int, pairs: Int, swap: String, ps: Double) -> String {
        """
        name: nested-\(nodes)
        seed: 21
        duration: 600 s
        defaults:
          memory:    { qubits: 2, t1: inf, t2: inf }
          photonics: { emissionEfficiency: 0.5, visibility: 0.9, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 10 ns }
          link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: double-click }
          bellMeasurement: { successProbability: \(ps) }
        topology: { kind: chain, nodes: \(nodes), spacing: 1 m }
        nodes:
          - { name: n0, memory: { qubits: 1 } }
          - { name: n\(nodes - 1), memory: { qubits: 1 } }
        requests:
          - { from: n0, to: n\(nodes - 1), pairs: \(pairs), type: keep }
        policies: { swap: \(swap) }
        """
    }

    /// The exact mean waiting time, in attempts, of nested swapping over 2^levels links without
    /// cutoffs (Brand, Coopmans & Elkouss, IEEE JSAC 38, 619, 2020, §III): a link's waiting time
    /// T_0 is geometric with success probability p; a segment of level n+1 waits for both halves,
    /// M_n = max(T_n, T_n') (P(M_n ≤ t) = P(T_n ≤ t)²), and swaps with success probability ps,
    /// restarting both halves on failure: T_{n+1} = Σ_{k=1}^{K} M_n^(k) with K geometric(ps), so
    /// its distribution solves f(t) = ps·f_M(t) + (1 − ps)·Σ_s f_M(s) f(t − s). Distributions are
    /// computed exactly on 1…`horizon` attempts (the tail beyond is below 1e-12 here, checked).
    static func nestedMeanWaitingTime(p: Double, ps: Double, levels: Int, horizon: Int = 4_000) -> Double {
        var pmf = [Double](repeating: 0, count: horizon + 1)
        for t in 1...horizon { pmf[t] = p * pow(1 - p, Double(t - 1)) }
        var meanMax = 0.0
        for level in 0..<levels {
            var cdf = [Double](repeating: 0, count: horizon + 1)
            for t in 1...horizon { cdf[t] = cdf[t - 1] + pmf[t] }
            var maxPMF = [Double](repeating: 0, count: horizon + 1)
            for t in 1...horizon { maxPMF[t] = cdf[t] * cdf[t] - cdf[t - 1] * cdf[t - 1] }
            meanMax = (1...horizon).reduce(0) { $0 + Double($1) * maxPMF[$1] }
            if level == levels - 1 { break }
            var next = [Double](repeating: 0, count: horizon + 1)
            for t in 1...horizon {
                var convolution = 0.0
                for s in 1..<t where maxPMF[s] > 0 { convolution += maxPMF[s] * next[t - s] }
                next[t] = ps * maxPMF[t] + (1 - ps) * convolution
            }
            // A horizon too short for the tail shows as missing mass: the result is then NaN and fails.
            guard abs(1 - next.reduce(0, +)) < 1e-12 else { return .nan }
            pmf = next
        }
        return meanMax / ps
    }

    /// Per pair, the waiting time in attempt cycles: from the previous delivery (the run's start
    /// for the first) to this one.
    static func waitingCycles(_ run: Harness.ScenarioRun) throws -> [Double] {
        let cycle = try #require(try LinkPhysics(scenario: run.scenario, link: run.scenario.links[0]).timing).cycle.seconds
        var last = 0.0
        return run.pairs.map { row in
            let delivered = Double(row["deliveredSeconds"]!)!
            defer { last = delivered }
            return (delivered - last) / cycle
        }
    }

    static func meanAndError(_ xs: [Double]) -> (mean: Double, se: Double) {
        let n = Double(xs.count), mean = xs.reduce(0, +) / n
        return (mean, (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1) / n).squareRoot())
    }

    /// 3- and 5-node chains, ps = 0.5: the mean waiting time of nested swapping in attempt
    /// cycles agrees with the exact recursion within 4 standard errors; swap-ASAP and
    /// sequential on the same chains are printed beside it.
    @Test(arguments: [(3, 400), (5, 250)])
    func nestedSwappingMatchesTheExactRecursion(_ nodes: Int, _ pairs: Int) throws {
        let ps = 0.5
        let run = try ChainTests.run(Self.yaml(nodes: nodes, pairs: pairs, swap: "nested", ps: ps))
        #expect(run.pairs.count == pairs)
        let p = try LinkPhysics(scenario: run.scenario, link: run.scenario.links[0]).successProbability
        let levels = nodes == 3 ? 1 : 2
        let exact = Self.nestedMeanWaitingTime(p: p, ps: ps, levels: levels)
        let measured = Self.meanAndError(try Self.waitingCycles(run))
        var line = String(format: "%d nodes, p = %.5f, ps = %.1f: nested exact %.2f cycles, measured %.2f ± %.2f", nodes, p, ps, exact, measured.mean, measured.se)
        // With one repeater the three policies are the same policy: shown only on longer chains.
        for other in nodes > 3 ? ["asap", "sequential"] : [] {
            let o = Self.meanAndError(try Self.waitingCycles(try ChainTests.run(Self.yaml(nodes: nodes, pairs: pairs, swap: other, ps: ps))))
            line += String(format: "; %@ %.2f ± %.2f", other, o.mean, o.se)
        }
        print(line)
        #expect(exact.isFinite && abs(measured.mean - exact) <= 4 * measured.se, "\(line)")
        #expect((run.summary.failedSwaps ?? 0) > 0)
    }

    @Test func nestedNeedsAPowerOfTwoLinks() throws {
        let folder = try Harness.temporaryFolder("nested-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Harness.run(["validate", try Harness.scenario(Self.yaml(nodes: 4, pairs: 1, swap: "nested", ps: 1), in: folder).path])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("has 3 links, but policies.swap nested doubles segments"), "\(result.stderr)")
    }
}

/// The end-to-end budget per delivery (`policies.cutoff: { budget: D }`) across processes.
@Suite("Cutoff budget", .serialized)
struct CutoffBudgetTests {
    /// On a 5-node chain, pairs.csv's `oldestLinkSeconds` is never more than the budget before
    /// the pair's delivery; without a cutoff some pairs are older (the check can fail), and a
    /// budget costs pairs to cutoffs (discards), so the same 60 pairs take longer.
    @Test func noDeliveredPairIsOlderThanTheBudget() throws {
        let budget = 150e-6
        let base = ChainTests.yaml(nodes: 5, pairs: 60)
        let budgeted = try ChainTests.run(base + "\npolicies: { cutoff: { budget: 150 us } }")
        let free = try ChainTests.run(base)
        func ages(_ run: Harness.ScenarioRun) -> [Double] {
            run.pairs.map { Double($0["deliveredSeconds"]!)! - Double($0["oldestLinkSeconds"]!)! }
        }
        #expect(budgeted.pairs.count == 60 && free.pairs.count == 60)
        #expect(ages(free).contains { $0 > budget }, "without a cutoff some pair must be older than the budget")
        #expect(ages(budgeted).allSatisfy { $0 >= 0 && $0 <= budget + 1e-12 }, "oldest \(ages(budgeted).max() ?? 0) s")
        for row in free.pairs { #expect(Double(row["oldestLinkSeconds"]!)! <= Double(row["createdSeconds"]!)!) }
        print("budget: 60 pairs in \(budgeted.summary.virtualSeconds) s virtual, without \(free.summary.virtualSeconds) s; oldest \(ages(budgeted).max()!) s vs \(ages(free).max()!) s")
        #expect(budgeted.summary.virtualSeconds > free.summary.virtualSeconds)
    }

    /// Under controller placement (the built-in `qnet controller` beside n2) the budget still
    /// holds for every delivered pair: the controller's discards come a round trip late, so the
    /// ends check the budget themselves before they deliver.
    @Test func theBudgetHoldsUnderAController() throws {
        let budget = 150e-6
        let run = try ChainTests.run(ChainTests.yaml(nodes: 5, pairs: 30)
            + "\npolicies: { cutoff: { budget: 150 us }, placement: controller, controllerAt: n2 }")
        #expect(run.pairs.count == 30)
        let ages = run.pairs.map { Double($0["deliveredSeconds"]!)! - Double($0["oldestLinkSeconds"]!)! }
        #expect(ages.allSatisfy { $0 <= budget + 1e-12 }, "oldest \(ages.max() ?? 0) s")
        #expect((run.summary.controller?.decisions ?? 0) > 0)
    }

    /// The example controllers implement swap-ASAP with a fixed cutoff only: given a budget, link
    /// generation or paths to decide, each declines the run with a stop frame, and the run fails
    /// naming its reason, instead of running a policy the scenario did not ask for.
    @Test(arguments: [("cutoff: 5 ms", "cutoff: { budget: 5 ms }", "policies.cutoff { budget }"),
                      ("controllerAt: n2", "controllerAt: n2, generationPlacement: controller", "policies.generationPlacement: controller"),
                      ("controllerAt: n2", "controllerAt: n2, routingPlacement: controller", "policies.routingPlacement: controller")],
          [("examples/controller-python/run.sh", "controller.py implements"), ("examples/controller-c/run.sh", "controller (C) implements")])
    func theExampleControllersDeclineWhatTheyDoNotImplement(_ change: (String, String, String), _ example: (String, String)) throws {
        let (setting, replacement, reason) = change
        let folder = try Harness.temporaryFolder("budget-decline")
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = try String(contentsOf: Harness.packageRoot.appendingPathComponent("scenarios/chain-5-controller.yaml"), encoding: .utf8)
            .replacingOccurrences(of: setting, with: replacement)
        #expect(yaml.contains(replacement))
        let scenario = try Harness.scenario(yaml, in: folder)
        let process = Process()
        process.executableURL = Harness.packageRoot.appendingPathComponent(example.0)
        process.arguments = [scenario.path, "--out", folder.appendingPathComponent("out").path, "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(["QNET": Harness.binary.path]) { _, new in new }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0, "\(stderr)")
        #expect(stderr.contains("the controller program stopped the run: \(example.1) swap asap with a fixed cutoff, not \(reason)"), "\(stderr)")
    }
}
