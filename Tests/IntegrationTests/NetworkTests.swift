import Foundation
import QNetCore
import QNetNode
import QNetPhysics
import QNetQuantum
import QNetScenario
import Testing

/// Networks across processes: concurrent requests whose paths cross and share links and
/// memories, link-level request scheduling, and memory limits.
@Suite("Networks", .serialized)
struct NetworkTests {
    /// A 4×4 grid (16 node processes), six concurrent requests whose paths cross, two memory
    /// qubits per node (one per link at a time). Every request is served, and every pair's
    /// fidelity is the XOR composition of its path's link states (ideal memories; Dür et al.,
    /// PRA 59, 169, 1999), to 1e-9: links are Bell-diagonal, so the composition does not depend
    /// on the Bell-measurement outcomes.
    @Test func crossingRequestsOnAGrid() throws {
        let yaml = try String(contentsOf: Harness.packageRoot.appendingPathComponent("scenarios/grid-4x4.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "pairs: 40", with: "pairs: 25")
        let run = try Harness.runScenario(yaml, label: "grid", extra: ["--stations", "coordinator"])
        #expect(run.summary.status == "completed")
        #expect(run.summary.requests.allSatisfy { $0.pairsDelivered == 25 }, "\(run.summary.requests.map(\.pairsDelivered))")
        let link = try ChainTests.linkCoefficients(run.scenario)
        // Paths cross: some node is on the paths of two requests.
        let paths = run.summary.requests.compactMap(\.path)
        let shared = Set(paths.flatMap { $0 }).filter { node in paths.filter { $0.contains(node) }.count > 1 }
        #expect(!shared.isEmpty)
        for row in run.pairs {
            let hops = row["path"]!.split(separator: ">").count - 1
            let expected = ChainTests.compose(link, links: hops)[0]
            #expect(abs(Double(row["fidelity"]!)! - expected) < 1e-9, "\(row)")
        }
        #expect(run.summary.fairness.map { $0 > 0 && $0 <= 1 } == true)
        #expect(run.summary.memoryOccupancy?.values.allSatisfy { $0.max <= 2 } == true, "no node holds more than its 2 qubits")
    }

    /// Eight requests on a 4×4 grid of two-qubit nodes: so many crossing paths that nodes can
    /// each hold a pair waiting for a link whose other end has no qubit to spare. The run still
    /// completes: a pair that has waited 1,000 cycles in a full memory is discarded, breaking any
    /// such cycle (without that, this run stalled after 6 of its 40 pairs).
    @Test func aCrowdedGridDoesNotDeadlock() throws {
        let requests = [("g0_0", "g3_3"), ("g3_0", "g0_3"), ("g0_2", "g3_2"), ("g2_0", "g2_3"), ("g1_1", "g2_2"),
                        ("g2_1", "g1_2"), ("g0_2", "g3_1"), ("g2_2", "g1_2")]
        let yaml = """
        name: crowded-grid
        seed: 4
        duration: 60 s
        defaults:
          memory:    { qubits: 2, communicationQubits: 1, t1: inf, t2: inf }
          photonics: { emissionEfficiency: 0.5, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
          link:      { attenuation: 0.2 dB/km, scheme: double-click }
        topology: { kind: grid, rows: 4, columns: 4, spacing: 2 km }
        requests:
        \(requests.map { "  - { from: \($0.0), to: \($0.1), pairs: 5 }" }.joined(separator: "\n"))

        """
        let run = try Harness.runScenario(yaml, label: "crowded", extra: ["--stations", "coordinator"])
        #expect(run.summary.status == "completed")
        #expect(run.summary.requests.allSatisfy { $0.pairsDelivered == 5 })
    }

    static func sharedLink(policy: String, weights: (Int, Int), secondStart: String) -> String {
        """
        name: shared-link
        seed: 21
        duration: 20 s
        defaults:
          memory: { qubits: 1 }
          photonics: { emissionEfficiency: 0.5, visibility: 0.9, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 10 ns }
          link: { scheme: double-click }
        nodes: [{ name: a }, { name: b }]
        links: [{ nodes: [a, b], length: 2 km }]
        requests:
          - { from: a, to: b, pairs: 300\(policy == "weighted-fair" ? ", weight: \(weights.0)" : "") }
          - { from: a, to: b, pairs: 300\(policy == "weighted-fair" ? ", weight: \(weights.1)" : ""), start: \(secondStart) }
        policies: { request: \(policy) }

        """
    }

    /// Two requests on one link with weights 3:1 under weighted-fair scheduling (the link's master
    /// labels each pair by virtual finish times; Dahlberg et al., SIGCOMM 2019): while both want
    /// pairs, request 0 gets 3/4 of them, within 4 standard errors (binomial, n pairs).
    @Test func weightedFairSplitsALinkByWeight() throws {
        let run = try Harness.runScenario(Self.sharedLink(policy: "weighted-fair", weights: (3, 1), secondStart: "0 s"), label: "wfq")
        #expect(run.summary.status == "completed")
        let ordered = run.pairs.sorted { Double($0["deliveredSeconds"]!)! < Double($1["deliveredSeconds"]!)! }
        let lastOfFirst = ordered.lastIndex { $0["request"] == "0" }!
        let window = ordered[...lastOfFirst]
        let n = Double(window.count), share = Double(window.filter { $0["request"] == "0" }.count) / n
        let se = (0.75 * 0.25 / n).squareRoot()
        #expect(abs(share - 0.75) <= 4 * se, "request 0 got \(share) of \(Int(n)) pairs")
    }

    /// Under fifo the same link serves the requests in start order: every pair of the earlier
    /// request before any of the later one.
    @Test func fifoServesInStartOrder() throws {
        let run = try Harness.runScenario(Self.sharedLink(policy: "fifo", weights: (1, 1), secondStart: "1 us"), label: "fifo")
        #expect(run.summary.status == "completed")
        let last0 = run.pairs.filter { $0["request"] == "0" }.map { Double($0["deliveredSeconds"]!)! }.max()!
        let first1 = run.pairs.filter { $0["request"] == "1" }.map { Double($0["deliveredSeconds"]!)! }.min()!
        #expect(last0 <= first1)
    }

    /// Two requests on one link: request 1 starts 1 µs after request 0 but is due much earlier
    /// (deadline 20 ms against 10 s; 100 pairs take about 13 ms of this link alone, so only the
    /// request served first meets 20 ms).
    static func deadlines(policy: String) -> String {
        """
        name: deadlines
        seed: 21
        duration: 5 s
        defaults:
          memory: { qubits: 1 }
          photonics: { emissionEfficiency: 0.5, visibility: 0.9, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 10 ns }
          link: { scheme: double-click }
        nodes: [{ name: a }, { name: b }]
        links: [{ nodes: [a, b], length: 2 km }]
        requests:
          - { from: a, to: b, pairs: 100, deadline: 10 s }
          - { from: a, to: b, pairs: 100, start: 1 us, deadline: 20 ms }
        policies: { request: \(policy) }

        """
    }

    /// Earliest deadline first (Liu & Layland 1973) at the link's master: the later-starting
    /// request with the earlier deadline is served first (at most the pair or two labelled before
    /// it arrived go to request 0 first); under fifo, the earlier request is served first.
    @Test func edfServesTheEarlierDeadlineFirst() throws {
        let edf = try Harness.runScenario(Self.deadlines(policy: "edf"), label: "edf")
        #expect(edf.summary.status == "completed")
        func times(_ run: Harness.ScenarioRun, _ r: String) -> [Double] {
            run.pairs.filter { $0["request"] == r }.map { Double($0["deliveredSeconds"]!)! }
        }
        let last1 = times(edf, "1").max()!
        #expect(times(edf, "0").filter { $0 < last1 }.count <= 2, "request 0 pairs before request 1 was served")
        #expect(edf.summary.requests.map(\.servedWithinDeadline) == [true, true])
        #expect(edf.summary.requests.map(\.pairsWithinDeadline) == [100, 100])

        let fifo = try Harness.runScenario(Self.deadlines(policy: "fifo"), label: "edf-fifo")
        #expect(fifo.summary.status == "completed")
        #expect(times(fifo, "0").max()! <= times(fifo, "1").min()!)
        #expect(fifo.summary.requests.map(\.servedWithinDeadline) == [true, false])
        #expect(fifo.summary.requests[1].pairsWithinDeadline.map { $0 < 100 } == true)
    }

    /// Paths of ``sharedGridLink(policy:)``'s requests, in request order: the first two share the
    /// link g0_1–g0_2; the other four cross one another (at g2_1, g2_3, g3_1, g3_3) and the first
    /// (at g0_3).
    static let sharedGridPaths = [
        ["g0_1", "g0_2", "g0_3"], ["g0_1", "g0_2"],
        ["g2_0", "g2_1", "g2_2", "g2_3"], ["g1_1", "g2_1", "g3_1"], ["g3_0", "g3_1", "g3_2", "g3_3"], ["g0_3", "g1_3", "g2_3", "g3_3"],
    ]

    /// The 4×4 grid (16 node processes, two memory qubits each, one per link at a time) with six
    /// concurrent requests whose paths cross, two of which (0 and 1) share the link g0_1–g0_2:
    /// under `weighted-fair` with weights 3 and 1, under `fifo` with request 1 starting 1 µs later.
    ///
    /// Why this shape. A link's pairs are labelled by its master (end A, here g0_1) when it opens
    /// a batch, by the request policy — except that a qubit given to a link because a stored pair
    /// at that node waits for it serves the waiting pair's request (the deadlock rule). If the
    /// master were a repeater of one of the two requests, that request's waiting pairs would take
    /// labels outside the policy (measured: 4:1 instead of 3:1 with request 0 running
    /// g0_0 > g0_1 > g0_2). So g0_1 is an end of both requests. At the other end, g0_2, request 1
    /// ends and request 0 swaps onto g0_2–g0_3, which only request 0 uses: a pair for either can
    /// always be kept (no refusals that would lose one request's labelled pairs). The shared link
    /// is the bottleneck: its two ends emit with efficiency 0.15 (the link's success probability
    /// scales with both, about 0.008 per cycle, against 0.028 for g0_2–g0_3). The other four
    /// requests' nodes attempt every 50 µs (their links' cycle is about 110 µs), so they stay busy
    /// for most of the time the two on the shared link are measured without costing many pairs.
    static func sharedGridLink(policy: String, pairs: Int) -> String {
        let weighted = policy == "weighted-fair"
        let extras = weighted ? [", weight: 3", ", weight: 1"] : ["", ", start: 1 us"]
        let requests = sharedGridPaths.enumerated().map { i, path in
            "  - { from: \(path.first!), to: \(path.last!), pairs: \(i < 2 ? pairs : 80)\(i < 2 ? extras[i] : "") }"
        }
        let routes = sharedGridPaths.map { "  - { from: \($0.first!), to: \($0.last!), path: [\($0.joined(separator: ", "))] }" }
        return """
        name: grid-shared-link
        seed: 17
        duration: 30 s
        defaults:
          memory:    { qubits: 2, communicationQubits: 1, t1: inf, t2: inf }
          photonics: { emissionEfficiency: 0.5, attemptPeriod: 50 us }
          detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
          link:      { attenuation: 0.2 dB/km, scheme: double-click }
        topology: { kind: grid, rows: 4, columns: 4, spacing: 2 km }
        nodes:
          - { name: g0_1, photonics: { emissionEfficiency: 0.15, attemptPeriod: 1 us } }
          - { name: g0_2, photonics: { emissionEfficiency: 0.15, attemptPeriod: 1 us } }
          - { name: g0_3, photonics: { attemptPeriod: 1 us } }
        routes:
        \(routes.joined(separator: "\n"))
        requests:
        \(requests.joined(separator: "\n"))
        policies: { swap: asap, request: \(policy) }

        """
    }

    /// Common checks of a ``sharedGridLink(policy:pairs:)`` run: completed, every request on its
    /// pinned path, the shared link the slowest the two requests use. Returns the pairs of
    /// requests 0 and 1 in delivery order.
    static func sharedGridRun(policy: String, pairs: Int) throws -> (run: Harness.ScenarioRun, shared: [[String: String]]) {
        let run = try Harness.runScenario(sharedGridLink(policy: policy, pairs: pairs), label: "grid-\(policy)", extra: ["--stations", "coordinator"])
        #expect(run.summary.status == "completed")
        #expect(run.summary.requests.map(\.pairsDelivered) == [pairs, pairs, 80, 80, 80, 80])
        #expect(run.summary.requests.map { $0.path ?? [] } == sharedGridPaths)
        let scenario = run.scenario
        func p(_ a: String, _ b: String) throws -> Double {
            let link = try #require(scenario.link(between: scenario.nodeID(named: a)!, and: scenario.nodeID(named: b)!))
            return try LinkPhysics(scenario: scenario, link: link).cycleSuccessProbability
        }
        let sharedP = try p("g0_1", "g0_2"), nextP = try p("g0_2", "g0_3")
        #expect(sharedP < nextP / 3, "the shared link must be the bottleneck: p = \(sharedP) per cycle, g0_2–g0_3 \(nextP)")
        let shared = run.pairs.filter { $0["request"] == "0" || $0["request"] == "1" }
            .sorted { Double($0["deliveredSeconds"]!)! < Double($1["deliveredSeconds"]!)! }
        #expect(shared.allSatisfy { $0["path"]!.hasPrefix("g0_1>g0_2") })
        return (run, shared)
    }

    /// The 3:1 split inside the grid (Dahlberg et al., SIGCOMM 2019; weighted fair queueing after
    /// Demers, Keshav & Shenker, SIGCOMM 1989): while both requests on the shared link want pairs
    /// (up to the first of them to be served), request 0 (weight 3) gets 3/4 of the link's
    /// deliveries, within 4 standard errors (binomial, n pairs, as for the single link). The
    /// other four requests deliver during that window (they run concurrently).
    @Test func weightedFairSplitsASharedGridLinkByWeight() throws {
        let (run, shared) = try Self.sharedGridRun(policy: "weighted-fair", pairs: 200)
        let end = min(shared.lastIndex { $0["request"] == "0" }!, shared.lastIndex { $0["request"] == "1" }!)
        let window = shared[...end]
        let n = Double(window.count), share = Double(window.filter { $0["request"] == "0" }.count) / n
        let se = (0.75 * 0.25 / n).squareRoot()
        #expect(n >= 200)
        #expect(abs(share - 0.75) <= 4 * se, "request 0 got \(share) of \(Int(n)) pairs on the shared link")
        let windowEnd = Double(window.last!["deliveredSeconds"]!)!
        for r in 2..<6 {
            let times = run.pairs.filter { $0["request"] == "\(r)" }.map { Double($0["deliveredSeconds"]!)! }
            #expect(times.min()! < windowEnd / 4 && times.max()! > windowEnd / 2, "request \(r) is not concurrent with the window ending at \(windowEnd) s")
        }
    }

    /// Under fifo the shared grid link serves its requests in start order: every pair of request
    /// 0 (start 0) before any of request 1 (start 1 µs), while the other four requests run.
    @Test func fifoServesASharedGridLinkInStartOrder() throws {
        let (run, shared) = try Self.sharedGridRun(policy: "fifo", pairs: 100)
        let last0 = shared.lastIndex { $0["request"] == "0" }!, first1 = shared.firstIndex { $0["request"] == "1" }!
        #expect(last0 < first1, "a pair of request 1 at \(shared[first1]["deliveredSeconds"]!) s, before request 0's last")
        let served0 = Double(shared[last0]["deliveredSeconds"]!)!
        for r in 2..<6 {
            let times = run.pairs.filter { $0["request"] == "\(r)" }.map { Double($0["deliveredSeconds"]!)! }
            #expect(times.min()! < served0 && times.max()! > served0, "request \(r) is not concurrent with request 0")
        }
    }

    static func star(hubQubits: Int) -> String {
        """
        name: star
        seed: 9
        duration: 30 s
        defaults:
          memory: { qubits: 1 }
          photonics: { emissionEfficiency: 0.5, visibility: 0.9, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 10 ns }
          link: { scheme: double-click }
        topology: { kind: star, leaves: 4, spacing: 2 km }
        nodes: [{ name: hub, memory: { qubits: \(hubQubits) } }]
        requests:
          - { from: hub, to: l0, pairs: 200 }
          - { from: hub, to: l1, pairs: 200 }
          - { from: hub, to: l2, pairs: 200 }
          - { from: hub, to: l3, pairs: 200 }

        """
    }

    /// Memory limits bite: the hub of a 4-leaf star with one memory qubit attempts on its links
    /// in turn (round robin), so each request waits for a pair on its own link and on the three
    /// others: its mean time per pair is 4·T/p_c (T the attempt cycle, p_c its success
    /// probability; standard error 2T√(1 − p_c)/(p_c√n)), and with four qubits it is T/p_c, a
    /// quarter. Both within 4 standard errors.
    @Test(arguments: [1, 4])
    func aHubWithOneQubitServesItsLinksInTurn(hubQubits: Int) throws {
        let run = try Harness.runScenario(Self.star(hubQubits: hubQubits), label: "star")
        #expect(run.summary.status == "completed")
        let physics = try LinkPhysics(scenario: run.scenario, link: run.scenario.links[0])
        let pc = physics.cycleSuccessProbability, cycle = physics.timing.cycle.seconds
        let turns = hubQubits == 1 ? 4.0 : 1.0
        for request in run.summary.requests {
            let n = Double(request.pairsDelivered)
            let mean = 1 / request.ratePerSecond!.mean
            let se = turns.squareRoot() * cycle * (1 - pc).squareRoot() / (pc * n.squareRoot())
            #expect(abs(mean - turns * cycle / pc) <= 4 * se, "\(request.to): \(mean) s per pair, expected \(turns * cycle / pc)")
        }
    }

    /// Greedy link generation across processes: a hub with one memory qubit and two links, two
    /// requests on its link to l0 and one on its link to l1. Under `greedy` the hub's qubit goes to
    /// the link more requests want, l0's, until both its requests are served (then the tie goes to
    /// the lower link id, l0's, until its last request is served), so l1's first pair comes after
    /// the l0 requests' last; under round robin the links take turns and l1's first pair comes
    /// long before that.
    @Test func greedyServesTheMostWantedLinkFirst() throws {
        func run(_ generation: String) throws -> (l0Last: Double, l1First: Double) {
            let yaml = Self.star(hubQubits: 1)
                .replacingOccurrences(of: "leaves: 4", with: "leaves: 2")
                .replacingOccurrences(of: "  - { from: hub, to: l0, pairs: 200 }\n  - { from: hub, to: l1, pairs: 200 }\n  - { from: hub, to: l2, pairs: 200 }\n  - { from: hub, to: l3, pairs: 200 }",
                                      with: "  - { from: hub, to: l0, pairs: 30 }\n  - { from: hub, to: l0, pairs: 30 }\n  - { from: hub, to: l1, pairs: 30 }")
                + "policies: { generation: \(generation) }\n"
            let result = try Harness.runScenario(yaml, label: "greedy")
            #expect(result.pairs.count == 90, "\(generation)")
            func times(_ r: Int) -> [Double] { result.pairs.filter { $0["request"] == "\(r)" }.map { Double($0["deliveredSeconds"]!)! } }
            return ((times(0) + times(1)).max()!, times(2).min()!)
        }
        let greedy = try run("greedy"), roundRobin = try run("round-robin")
        #expect(greedy.l1First > greedy.l0Last, "greedy: l1's first pair at \(greedy.l1First) s, the l0 requests' last at \(greedy.l0Last) s")
        #expect(roundRobin.l1First < roundRobin.l0Last / 4, "round robin: l1's first pair at \(roundRobin.l1First) s, the l0 requests' last at \(roundRobin.l0Last) s")
    }
}
