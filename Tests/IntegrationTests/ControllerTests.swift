import Foundation
import QNetCore
import QNetScenario
import QNetWire
import QNetZMQ
import Testing

/// Controller placement (DESIGN §6): the swap and cutoff decisions taken by a controller
/// process whose observations and decisions are routed messages paying the classical delay
/// between the controller's site and each node; external controller programs in Python and C
/// speaking scheduler.proto; bad input.
@Suite("Controller placement", .serialized)
struct ControllerTests {
    typealias Run = Harness.ScenarioRun

    static func chain3(pairs: Int, controllerAt: String?) -> String {
        ChainTests.yaml(nodes: 3, pairs: pairs, memory: "{ qubits: 2, t1: inf, t2: 200 us }")
            + (controllerAt.map { "\npolicies: { placement: controller, controllerAt: \($0) }" } ?? "")
    }

    /// Per pair at the repeater n1 (as ChainTests.heldPairsDephaseAsTheirWaitingTimesPredict): the
    /// herald arrivals of the two link pairs it swapped, the swap time, and the total time the
    /// pair's four qubits were held.
    static func timeline(_ run: Run) -> [(arrivals: Double, swap: Double, held: Double)] {
        let arm = run.scenario.links[0].armA.delay.seconds
        let left = run.sendTimes("herald", from: "station-n0-n1", to: "n1"), right = run.sendTimes("herald", from: "station-n1-n2", to: "n1")
        let swaps = run.sendTimes("feed_forward", from: "n1", to: "n2")
        return zip(run.pairs, swaps).map { row, swap in
            let delivered = Double(row["deliveredSeconds"]!)!
            let eL = left.filter { $0 + arm <= swap + 1e-15 }.max()! - arm
            let eR = right.filter { $0 + arm <= swap + 1e-15 }.max()! - arm
            // Heralds are sent when the photons met and reach n1 one arm later.
            let arrivals = max(eL, eR) + 2 * arm
            return (arrivals, swap, (swap - eL) + (delivered - eL) + (swap - eR) + (delivered - eR))
        }
    }

    /// Must-show 2. A 3-node chain with T2 = 200 µs, the swap decided by a controller at n0,
    /// whose classical delay to the repeater n1 is d (2 km of fibre). Every swap comes exactly 2d
    /// after the second link pair reached n1 (the observation's way there and the decision's
    /// way back; in-node: at once); every pair's fidelity is the prediction from its own
    /// recorded times; and the mean fidelity falls against in-node decisions by what the extra
    /// storage predicts: each of the four qubits waits 2d longer (the repeater's two for the
    /// decision, the ends' two for the feed-forward that follows it), so Σt grows by 8d. The
    /// fall is compared, within 4 standard errors of the two means, with the mean over the
    /// controller's pairs of F(Σt − 8d) − F(Σt).
    @Test func controllerDelayCostsWhatTheExtraStoragePredicts() throws {
        let t2 = 200e-6
        let nodes = try ChainTests.run(Self.chain3(pairs: 400, controllerAt: nil))
        let controlled = try ChainTests.run(Self.chain3(pairs: 400, controllerAt: "n0"))
        let scenario = controlled.scenario
        let d = (scenario.links[0].armA.delay + scenario.links[0].armB.delay).seconds
        #expect(d > 5e-6, "the controller must be far enough for the test to see it")
        let lambda = ChainTests.compose(try ChainTests.linkCoefficients(scenario), links: 2)
        func predicted(_ held: Double) -> Double {
            let c = exp(-held / t2)
            return lambda[0] * (1 + c) / 2 + lambda[1] * (1 - c) / 2
        }
        for (run, wait) in [(nodes, 0.0), (controlled, 2 * d)] {
            #expect(run.pairs.count == 400)
            for (k, (row, t)) in zip(run.pairs, Self.timeline(run)).enumerated() {
                #expect(abs(t.swap - t.arrivals - wait) < 1e-11, "pair \(k): swap \(t.swap), second herald at n1 \(t.arrivals), decision wait \(wait)")
                #expect(abs(Double(row["fidelity"]!)! - predicted(t.held)) < 1e-9, "pair \(k)")
            }
        }
        #expect(controlled.summary.messages.byType["observation_report"] ?? 0 > 0)
        #expect(controlled.summary.messages.byType["decision_set"] == controlled.summary.messages.byType["observation_report"])
        func stats(_ xs: [Double]) -> (mean: Double, se: Double) {
            let n = Double(xs.count), mean = xs.reduce(0, +) / n
            return (mean, (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1) / n).squareRoot())
        }
        let fNodes = stats(nodes.pairs.map { Double($0["fidelity"]!)! })
        let fControlled = stats(controlled.pairs.map { Double($0["fidelity"]!)! })
        let expectedFall = stats(Self.timeline(controlled).map { predicted($0.held - 8 * d) - predicted($0.held) })
        let fall = fNodes.mean - fControlled.mean
        let se = (fNodes.se * fNodes.se + fControlled.se * fControlled.se).squareRoot()
        print("controller at d = \(d * 1e6) µs: mean F in-node \(fNodes.mean) ± \(fNodes.se), controller \(fControlled.mean) ± \(fControlled.se); fall \(fall), predicted \(expectedFall.mean)")
        #expect(expectedFall.mean > 4 * se, "the predicted fall must stand out of the noise")
        #expect(abs(fall - expectedFall.mean) <= 4 * se, "fall \(fall), predicted \(expectedFall.mean) ± \(se)")
    }

    /// Link generation at the controller (`generationPlacement: controller`) on one link n0–n1
    /// with one memory qubit per end and the controller at n0: n1's free qubit waits for the
    /// controller's attempt decision, its classical delay d away and back, before it attempts
    /// again, so every link pair is heralded exactly 2d later than the one before it would be
    /// with in-node generation (the same seed gives the same attempts: the station draws the
    /// same numbers). The k-th pair is created 2dk later; nothing else changes.
    @Test func generationAtTheControllerCostsEachFreeQubitARoundTrip() throws {
        let yaml = ChainTests.yaml(nodes: 2, pairs: 200, memory: "{ qubits: 1, t1: inf, t2: inf }")
        let nodes = try ChainTests.run(yaml)
        let swapOnly = try ChainTests.run(yaml + "\npolicies: { placement: controller, controllerAt: n0 }")
        let generating = try ChainTests.run(yaml + "\npolicies: { placement: controller, controllerAt: n0, generationPlacement: controller }")
        let link = generating.scenario.links[0]
        let d = (link.armA.delay + link.armB.delay).seconds
        #expect(d > 5e-6)
        let created = [nodes, swapOnly, generating].map { run in run.pairs.map { Double($0["createdSeconds"]!)! } }
        #expect(created.allSatisfy { $0.count == 200 })
        // No swap to decide on a link: controller placement alone changes nothing.
        #expect(created[1] == created[0])
        for (k, (a, b)) in zip(created[0], created[2]).enumerated() {
            #expect(abs(b - a - 2 * d * Double(k + 1)) < 1e-11, "pair \(k): created \(b) s, in-node \(a) s, 2d = \(2 * d) s")
        }
        #expect(zip(nodes.pairs, generating.pairs).allSatisfy { $0["fidelity"] == $1["fidelity"] })
        let controller = try #require(generating.summary.controller)
        #expect(controller.staleDecisions == 0)
        // Each end asks once per pair (and once at the start) and gets one attempt per ask.
        #expect(controller.decisions == 2 * 200, "\(controller.decisions) decisions")
        #expect((swapOnly.summary.controller?.decisions ?? 0) == 0)
    }

    /// Link generation and swaps both at the controller on a 3-node chain with T2 = 200 µs (as in
    /// must-show 2): every swap still comes 2d after its second link pair reached n1, every
    /// pair's fidelity is still the prediction from its own recorded times, and the run takes
    /// longer than with generation at the nodes (free qubits wait for their decisions).
    @Test func generationAndSwapsAtTheControllerKeepThePhysics() throws {
        let t2 = 200e-6
        let swapOnly = try ChainTests.run(Self.chain3(pairs: 200, controllerAt: "n0"))
        let both = try ChainTests.run(Self.chain3(pairs: 200, controllerAt: "n0").replacingOccurrences(of: "controllerAt: n0", with: "controllerAt: n0, generationPlacement: controller"))
        #expect(both.scenario.policies.generationPlacement == .controller)
        let d = (both.scenario.links[0].armA.delay + both.scenario.links[0].armB.delay).seconds
        let lambda = ChainTests.compose(try ChainTests.linkCoefficients(both.scenario), links: 2)
        func predicted(_ held: Double) -> Double {
            let c = exp(-held / t2)
            return lambda[0] * (1 + c) / 2 + lambda[1] * (1 - c) / 2
        }
        #expect(both.pairs.count == 200)
        for (k, (row, t)) in zip(both.pairs, Self.timeline(both)).enumerated() {
            #expect(abs(t.swap - t.arrivals - 2 * d) < 1e-11, "pair \(k): swap \(t.swap), second herald at n1 \(t.arrivals)")
            #expect(abs(Double(row["fidelity"]!)! - predicted(t.held)) < 1e-9, "pair \(k)")
        }
        let end = { (run: Run) in run.pairs.map { Double($0["deliveredSeconds"]!)! }.max()! }
        #expect(end(both) > end(swapOnly), "generation at the controller: last pair at \(end(both)) s, at the nodes \(end(swapOnly)) s")
        #expect(both.summary.controller?.staleDecisions == 0)
        #expect((both.summary.controller?.observations ?? 0) > (swapOnly.summary.controller?.observations ?? 0))
    }

    /// Path installation at the controller (`routingPlacement: controller`) on one link n0–n1
    /// with the controller at n0: each node starts on the request's path when the controller's
    /// install_path decision reaches it, n0 at once and n1 one round trip 2d later, so the link's
    /// first attempts, and with the same seed every pair, come exactly 2d later than with paths
    /// installed at the nodes; each node is told once (two decisions).
    @Test func pathsInstalledByTheControllerStartOneRoundTripLater() throws {
        let yaml = ChainTests.yaml(nodes: 2, pairs: 100, memory: "{ qubits: 1, t1: inf, t2: inf }")
        let nodes = try ChainTests.run(yaml + "\npolicies: { placement: controller, controllerAt: n0 }")
        let installed = try ChainTests.run(yaml + "\npolicies: { placement: controller, controllerAt: n0, routingPlacement: controller }")
        let link = installed.scenario.links[0]
        let d = (link.armA.delay + link.armB.delay).seconds
        let created = [nodes, installed].map { run in run.pairs.map { Double($0["createdSeconds"]!)! } }
        #expect(created.allSatisfy { $0.count == 100 })
        for (k, (a, b)) in zip(created[0], created[1]).enumerated() {
            #expect(abs(b - a - 2 * d) < 1e-11, "pair \(k): created \(b) s, installed at the nodes \(a) s, 2d = \(2 * d) s")
        }
        #expect(installed.summary.controller?.decisions == 2)
        #expect(installed.summary.controller?.staleDecisions == 0)
        #expect((nodes.summary.controller?.decisions ?? 0) == 0)
    }

    /// Multipath with paths installed by the controller (routing k-shortest on a square, two
    /// paths): every path's nodes are told to install it, the request is served over both paths,
    /// and nothing is stale.
    @Test func theControllerInstallsEveryCandidatePath() throws {
        let yaml = """
            name: square
            seed: 3
            duration: 10 s
            defaults:
              memory:    { qubits: 2, t1: inf, t2: inf }
              photonics: { emissionEfficiency: 0.5, visibility: 0.9, attemptPeriod: 1 us }
              detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 10 ns }
              link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: double-click }
            nodes: [{ name: a }, { name: b }, { name: c }, { name: d }]
            links: [{ nodes: [a, b], length: 2 km }, { nodes: [b, d], length: 2 km }, { nodes: [a, c], length: 2 km }, { nodes: [c, d], length: 2 km }]
            requests: [{ from: a, to: d, pairs: 60, type: keep }]
            policies: { routing: k-shortest, paths: 2, placement: controller, controllerAt: a, routingPlacement: controller }
            """
        let run = try ChainTests.run(yaml)
        #expect(run.pairs.count == 60)
        let byPath = Dictionary(grouping: run.pairs, by: { $0["pathIndex"]! }).mapValues(\.count)
        #expect(byPath.count == 2 && byPath.values.allSatisfy { $0 > 0 }, "\(byPath)")
        // Three nodes on each path, each told once to install it; every other decision is a swap
        // at b or c: at least one per delivered pair, at most one per feed-forward from b or c to
        // d (a swap sends one; so does a discard notice).
        let decisions = Int(run.summary.controller?.decisions ?? 0)
        let feedForward = run.sendTimes("feed_forward", from: "b", to: "d").count + run.sendTimes("feed_forward", from: "c", to: "d").count
        #expect(decisions >= 6 + run.pairs.count && decisions <= 6 + feedForward, "\(decisions) decisions, \(feedForward) feed-forwards to d")
        #expect(run.summary.controller?.staleDecisions == 0)
    }

    /// A program that speaks version 1 of the protocol (no link generation, no path
    /// installation) is refused when the scenario needs either, with one line saying so, rather
    /// than leaving free qubits waiting forever.
    @Test(arguments: ["generationPlacement", "routingPlacement"])
    func aVersionOneProgramIsRefusedWhatItCannotDecide(_ key: String) throws {
        let folder = try Harness.temporaryFolder("controller-v1")
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = Self.chain3(pairs: 1, controllerAt: "n0").replacingOccurrences(of: "controllerAt: n0", with: "controllerAt: n0, \(key): controller")
        let file = try Harness.scenario(yaml, in: folder)
        let endpoint = "ipc://\(folder.path)/controller"
        let running = try Harness.start(["run", file.path, "--external-controller", "--controller-endpoint", endpoint, "--registration-timeout", "20",
                                         "--out", folder.appendingPathComponent("out").path, "--quiet"], tag: Harness.newTag())
        let program = try ZMQDealerTransport(endpoint: endpoint, identity: "v1", maxMessageBytes: 1 << 20)
        defer { program.close() }
        try program.send(try ControllerFrame.hello(version: 1, name: "version one").encoded())
        let result = running.wait(timeout: 60)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("speaks scheduler protocol version 1, which has no link generation or path installation"), "\(result.stderr)")
    }

    /// Runs `script` (an example's run.sh) against the 5-node controller scenario.
    static func runExample(_ script: String, out: URL) throws -> Harness.Result {
        let process = Process()
        process.executableURL = Harness.packageRoot.appendingPathComponent(script)
        process.arguments = [Harness.packageRoot.appendingPathComponent("scenarios/chain-5-controller.yaml").path, "--out", out.path, "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(["QNET": Harness.binary.path]) { _, new in new }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Harness.Result(status: process.terminationStatus, reason: process.terminationReason, stdout: "",
                              stderr: String(decoding: data, as: UTF8.self), wallSeconds: 0)
    }

    /// Must-show 3. The Python (pyzmq, protoc --python_out) and C (libzmq, protoc-c) examples,
    /// built and run here, each drive a 5-node chain as its controller and give the same pairs
    /// (same creation and delivery times, to the picosecond) as the built-in policy they mirror,
    /// `qnet controller` (swap-ASAP, fixed cutoff), with the same seed.
    @Test func externalControllersGiveTheBuiltInPairs() throws {
        let folder = try Harness.temporaryFolder("controllers")
        defer { try? FileManager.default.removeItem(at: folder) }
        let builtIn = folder.appendingPathComponent("builtin")
        let result = try Harness.run(["run", Harness.packageRoot.appendingPathComponent("scenarios/chain-5-controller.yaml").path,
                                      "--out", builtIn.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let reference = try Harness.pairs(in: builtIn)
        #expect(reference.count == 100)
        for (name, script) in [("python", "examples/controller-python/run.sh"), ("c", "examples/controller-c/run.sh")] {
            let out = folder.appendingPathComponent(name)
            let run = try Self.runExample(script, out: out)
            #expect(run.status == 0, "\(name): \(run.stderr)")
            #expect(run.stderr.contains("after"), "\(name): the controller reports its stop: \(run.stderr)")
            let pairs = try Harness.pairs(in: out)
            #expect(pairs.count == reference.count, "\(name)")
            for (a, b) in zip(pairs, reference) {
                #expect(a["createdSeconds"] == b["createdSeconds"] && a["deliveredSeconds"] == b["deliveredSeconds"]
                        && a["linkPairs"] == b["linkPairs"], "\(name): \(a) vs \(b)")
                // Same state, up to the last bit of floating-point summation order.
                #expect(abs(Double(a["fidelity"]!)! - Double(b["fidelity"]!)!) < 1e-12, "\(name)")
            }
            let summary = try Harness.summary(in: out)
            #expect(summary.messages.byType["decision_set"] ?? 0 > 0)
        }
    }

    /// Bad input: one line naming the key, exit 64, for each mistake.
    @Test(arguments: [
        ("policies: { placement: controller }", "controllerAt"),
        ("policies: { controllerAt: n1 }", "controllerAt applies only to placement: controller"),
        ("policies: { placement: controller, controllerAt: n7 }", "unknown node 'n7'"),
        ("policies: { placement: central, controllerAt: n1 }", "unknown value 'central'"),
        ("policies: { generationPlacement: controller }", "generationPlacement: controller needs placement: controller"),
        ("policies: { routingPlacement: controller }", "routingPlacement: controller needs placement: controller"),
        ("policies: { placement: controller, controllerAt: n1, generationPlacement: central }", "unknown value 'central'"),
    ])
    func badPolicies(_ policies: String, _ expected: String) throws {
        let folder = try Harness.temporaryFolder("controller-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(ChainTests.yaml(nodes: 3, pairs: 1) + "\n" + policies, in: folder)
        let result = try Harness.run(["validate", file.path])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }

    /// `controller` is the controller's process name: no node may take it.
    @Test func aNodeNamedControllerIsRefused() throws {
        let folder = try Harness.temporaryFolder("controller-name")
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = """
            name: x
            nodes: [{ name: controller }, { name: b }]
            links: [{ nodes: [controller, b], length: 1 km }]
            requests: [{ from: controller, to: b, pairs: 1 }]
            """
        let result = try Harness.run(["validate", try Harness.scenario(yaml, in: folder).path])
        #expect(result.status == 64)
        #expect(result.stderr.contains("reserved: 'controller' is the controller's name"), "\(result.stderr)")
    }

    /// The controller flags without controller placement, and an external controller that never
    /// connects: one clear line each; the second fails the run after the registration timeout.
    @Test func controllerFlagsAndAnAbsentProgram() throws {
        let folder = try Harness.temporaryFolder("controller-flags")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = try Harness.scenario(ChainTests.yaml(nodes: 3, pairs: 1), in: folder, name: "plain.yaml")
        let flags = try Harness.run(["run", plain.path, "--external-controller", "--controller-endpoint", "tcp://127.0.0.1:*",
                                     "--out", folder.appendingPathComponent("r1").path, "--quiet"])
        #expect(flags.status == 64, "\(flags.stderr)")
        #expect(flags.stderr.contains("apply only to policies.placement: controller"), "\(flags.stderr)")
        let controlled = try Harness.scenario(Self.chain3(pairs: 1, controllerAt: "n1"), in: folder, name: "controlled.yaml")
        let absent = try Harness.run(["run", controlled.path, "--external-controller", "--controller-endpoint", "tcp://127.0.0.1:*",
                                      "--registration-timeout", "2", "--out", folder.appendingPathComponent("r2").path, "--quiet"])
        #expect(absent.status == 1, "\(absent.stderr)")
        #expect(absent.stderr.contains("no controller program connected within 2 s"), "\(absent.stderr)")
        let summary = try Harness.summary(in: folder.appendingPathComponent("r2"))
        #expect(summary.status == "failed")
    }
}
