import Foundation
import QNetCore
import QNetNode
import QNetPhysics
import QNetQuantum
import QNetScenario
import Testing

/// Repeater chains across processes (one node process per node, one station per link):
/// end-to-end fidelity against the closed-form composition of the link states, and memory
/// decoherence against each pair's own recorded waiting times.
@Suite("Repeater chains", .serialized)
struct ChainTests {
    static func yaml(nodes: Int, pairs: Int, darkCountRate: String = "0 Hz", memory: String = "{ qubits: 2, t1: inf, t2: inf }") -> String {
        """
        name: chain-\(nodes)
        seed: 5
        duration: 60 s
        defaults:
          memory:    \(memory)
          photonics: { emissionEfficiency: 0.5, visibility: 0.9, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: \(darkCountRate), window: 10 ns }
          link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: double-click }
        topology: { kind: chain, nodes: \(nodes), spacing: 2 km }
        requests:
          - { from: n0, to: n\(nodes - 1), pairs: \(pairs), type: keep }
        """
    }

    typealias Run = Harness.ScenarioRun

    static func run(_ yaml: String, extra: [String] = []) throws -> Run {
        try Harness.runScenario(yaml, label: "chain", extra: extra)
    }

    /// Bell-diagonal coefficients (Φ+, Φ−, Ψ+, Ψ−) of a link's delivered state.
    static func linkCoefficients(_ scenario: Scenario) throws -> [Double] {
        try LinkPhysics(scenario: scenario, link: scenario.links[0]).deliveredState.bellCoefficients
    }

    /// Swapping Bell-diagonal pairs with Pauli correction composes their Pauli-error
    /// distributions by XOR convolution (index = 2x + z in the order Φ+, Φ−, Ψ+, Ψ−;
    /// Dür, Briegel, Cirac & Zoller, PRA 59, 169, 1999). For phase errors only this is
    /// F_n = (1 + (2F − 1)^n)/2; for Werner links, F_n = 1/4 + 3/4·w^n.
    static func compose(_ link: [Double], links n: Int) -> [Double] {
        var out = [1.0, 0, 0, 0]
        for _ in 0..<n {
            var next = [0.0, 0, 0, 0]
            for i in 0..<4 { for j in 0..<4 { next[i ^ j] += out[i] * link[j] } }
            out = next
        }
        return out
    }

    /// Ideal memories, no dark counts: double-click links have phase errors only
    /// (F = (1 + V)/2), so the chain gives F_n = (1 + (2F − 1)^n)/2 with n = N − 1 links.
    /// The delivered state is the same for every Bell-measurement outcome, so each pair's
    /// fidelity is that value (1e-9; four standard errors of a zero-spread sample).
    @Test(arguments: [3, 5, 9])
    func phaseErrorLinks(nodes: Int) throws {
        let run = try Self.run(Self.yaml(nodes: nodes, pairs: 150))
        let link = try Self.linkCoefficients(run.scenario)
        #expect(abs(link[2]) < 1e-12 && abs(link[3]) < 1e-12, "no bit-flip errors without dark counts")
        let f = link[0]
        let expected = (1 + pow(2 * f - 1, Double(nodes - 1))) / 2
        #expect(abs(expected - Self.compose(link, links: nodes - 1)[0]) < 1e-12)
        let request = run.summary.requests[0]
        #expect(request.pairsDelivered == 150)
        for row in run.pairs { #expect(abs(Double(row["fidelity"]!)! - expected) < 1e-9) }
        let s = run.summary.messages
        #expect(s.feedForward >= UInt64(2 * (nodes - 2) * 150), "every swap sends two feed-forward messages")
        // Each pair's identity: one link pair per link of the path in path order (link i joins n_i
        // and n_i+1), each `link#n` serving one delivery only, and both ends agreed on it.
        var used = Set<String>()
        for row in run.pairs {
            let linkPairs = (row["linkPairs"] ?? "").split(separator: ">").map(String.init)
            #expect(linkPairs.map { $0.split(separator: "#").first.map(String.init) ?? "" } == (0..<(nodes - 1)).map(String.init),
                    "\(row["linkPairs"] ?? "none")")
            for linkPair in linkPairs { #expect(used.insert(linkPair).inserted, "\(linkPair) serves two deliveries") }
        }
        #expect(used.count == 150 * (nodes - 1))
        #expect(run.summary.pairIdentityMismatches == 0)
    }

    /// Dark counts add bit-flip errors: the link state is a general Bell-diagonal state and
    /// the chain's fidelity is the XOR convolution's Φ+ coefficient.
    @Test func bellDiagonalLinks() throws {
        let run = try Self.run(Self.yaml(nodes: 5, pairs: 150, darkCountRate: "20 kHz"))
        let link = try Self.linkCoefficients(run.scenario)
        #expect(link[2] + link[3] > 1e-6, "dark counts give bit-flip components")
        let expected = Self.compose(link, links: 4)[0]
        for row in run.pairs { #expect(abs(Double(row["fidelity"]!)! - expected) < 1e-9) }
    }

    /// Finite T2 (T1 = ∞) on a 3-node chain. Dephasing a qubit of a Bell-diagonal pair for t is
    /// a Z flip with probability (1 − e^(−t/T2))/2, and Z flips anywhere along the chain compose,
    /// so F = λΦ+·(1 + c)/2 + λΦ−·(1 − c)/2 with λ the composed link state and
    /// c = e^(−Σt/T2), Σt the total time the pair's four qubits were held. The test takes each
    /// pair's times from the results: each link's herald (events.jsonl: station → n1, sent when
    /// the photons met, minus the arm delay = emission), the swap at n1 (its feed-forward's send
    /// time), and the delivery (pairs.csv).
    @Test func heldPairsDephaseAsTheirWaitingTimesPredict() throws {
        let t2 = 200e-6
        let run = try Self.run(Self.yaml(nodes: 3, pairs: 200, memory: "{ qubits: 2, t1: inf, t2: 200 us }"))
        let lambda = Self.compose(try Self.linkCoefficients(run.scenario), links: 2)
        let arm = run.scenario.links[0].armA.delay.seconds
        let left = run.sendTimes("herald", from: "station-n0-n1", to: "n1"), right = run.sendTimes("herald", from: "station-n1-n2", to: "n1")
        let swaps = run.sendTimes("feed_forward", from: "n1", to: "n2")
        #expect(swaps.count == run.pairs.count)
        var lost = 0.0
        for (k, row) in run.pairs.enumerated() {
            let swap = swaps[k], delivered = Double(row["deliveredSeconds"]!)!
            // The link pairs the swap used: the latest herald on each link that reached n1 by then.
            let eL = left.filter { $0 + arm <= swap + 1e-15 }.max()! - arm
            let eR = right.filter { $0 + arm <= swap + 1e-15 }.max()! - arm
            let held = (swap - eL) + (delivered - eL) + (swap - eR) + (delivered - eR)
            let c = exp(-held / t2)
            let predicted = lambda[0] * (1 + c) / 2 + lambda[1] * (1 - c) / 2
            #expect(abs(Double(row["fidelity"]!)! - predicted) < 1e-9, "pair \(k)")
            lost += lambda[0] - predicted
        }
        #expect(lost / Double(run.pairs.count) > 0.01, "memories must visibly cost fidelity here")
    }

    /// Imperfect local operations at the repeater (Briegel, Dür, Cirac & Zoller, PRL 81, 5932,
    /// 1998): `gateFidelity` g depolarises the swap's CNOT with strength 1 − g, `readoutError` e
    /// misreads each Bell-measurement outcome. Every pair's fidelity is g·λ_k + (1 − g)/4 (λ the
    /// composed links, k the Pauli error the misreads cause: none, Z, X, Y with probabilities
    /// (1 − e)², e(1 − e), e(1 − e), e²), and the mean agrees with the closed form within 4
    /// standard errors (the derivation is in NodeRuntimeTests.gateAndReadoutNoiseAtTheRepeater).
    @Test func gateAndReadoutNoiseAtTheRepeater() throws {
        let (g, e) = (0.97, 0.05)
        let yaml = Self.yaml(nodes: 3, pairs: 400, darkCountRate: "20 kHz")
            .replacingOccurrences(of: "topology:", with: "nodes:\n  - { name: n1, memory: { gateFidelity: \(g), readoutError: \(e) } }\ntopology:")
        let run = try Self.run(yaml)
        #expect(run.pairs.count == 400)
        let lambda = Self.compose(try Self.linkCoefficients(run.scenario), links: 2)
        let values = lambda.map { g * $0 + (1 - g) / 4 }
        let probabilities = [(1 - e) * (1 - e), e * (1 - e), e * (1 - e), e * e]
        let fidelities = run.pairs.map { Double($0["fidelity"]!)! }
        for f in fidelities { #expect(values.contains { abs($0 - f) < 1e-9 }, "fidelity \(f) is none of \(values)") }
        let n = Double(fidelities.count)
        let mean = fidelities.reduce(0, +) / n
        let sd = (fidelities.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let expected = zip(values, probabilities).map(*).reduce(0, +)
        #expect(abs(mean - expected) <= 4 * sd / n.squareRoot(), "mean \(mean), closed form \(expected)")
    }

    /// Waiting time across processes, from the results (Coopmans et al., PRA 105, 012608, 2022;
    /// Shchukin, Schmidt & van Loock, PRA 100, 032322, 2019): on a chain of N identical links
    /// that all start attempting together, with ideal memories, deterministic swaps, swap-ASAP and
    /// enough memory, the number of attempt cycles until every link of a delivery exists is the
    /// largest of N geometric variables, E[T_N] = Σ_{k=1..N} (−1)^{k+1} C(N,k) / (1 − (1 − p)^k),
    /// p the per-cycle success probability (`LinkPhysics.cycleSuccessProbability`).
    ///
    /// Design: one scenario, `samples` requests of one pair each between the chain's ends,
    /// request k starting at k·S (S = 10 ms, about 850 cycles). Links attempt only for a request
    /// that wants pairs, so each request finds a fresh network; the test checks that rather than
    /// assuming it: every link's two ends open their batches exactly at the request's start, each
    /// request is delivered in the first half of its slot, and no message at all is sent in the
    /// second half of any slot (every batch, herald, discard and served notice of a request has
    /// settled before the next one starts). A failed check makes the sample invalid and fails.
    ///
    /// T from pairs.csv: a batch opened at t0 has the photons of its cycle c meet at
    /// t0 + c·τ + rounds·P + d (StationAgent; τ the cycle, P the attempt period, d the arm delay),
    /// and the herald reaches the repeater d later, at t0 + (c + 1)·τ since τ = rounds·P + 2d. The
    /// repeater swaps at once, and `createdSeconds` is the time of the last swap the ends heard of
    /// (news a repeater passes on for a qubit it has swapped keeps the swap's own time): the last
    /// link's arrival, t0 + T·τ. So created − start = T·τ exactly (integer picoseconds); the test
    /// requires that of every delivery (T ≥ 1, within 2 ps), then compares the mean of T with
    /// E[T_N] within 4 standard errors (sample standard deviation / √n).
    @Test(arguments: [3, 5])
    func cyclesUntilEveryLinkExistsFromPairsCSV(nodes: Int) throws {
        let links = nodes - 1, samples = 300
        let slot = 0.01
        let requests = (0..<samples).map { "  - { from: n0, to: n\(nodes - 1), pairs: 1, start: \($0 * 10_000) us }" }
        let yaml = """
        name: waiting-time-\(nodes)
        seed: 11
        duration: \(Double(samples) * slot + 1) s
        defaults:
          memory:    { qubits: 2, t1: inf, t2: inf }
          photonics: { emissionEfficiency: 0.5, visibility: 0.9, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 10 ns }
          link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: double-click }
        topology: { kind: chain, nodes: \(nodes), spacing: 2 km }
        requests:
        \(requests.joined(separator: "\n"))
        policies: { swap: asap }

        """
        let run = try Harness.runScenario(yaml, label: "waiting", extra: ["--stations", "coordinator"])
        let scenario = run.scenario
        #expect(run.summary.status == "completed")
        try #require(run.pairs.count == samples && run.summary.requests.allSatisfy { $0.pairsDelivered == 1 },
                     "every request must be served exactly once: \(run.pairs.count) pairs for \(samples) requests")
        // Identical links: one cycle, one success probability.
        let physics = try LinkPhysics(scenario: scenario, link: scenario.links[0])
        for link in scenario.links {
            let other = try LinkPhysics(scenario: scenario, link: link)
            #expect(other.timing == physics.timing && other.cycleSuccessProbability == physics.cycleSuccessProbability)
        }
        let cycle = Int64(physics.timing.cycle.picoseconds)
        let p = physics.cycleSuccessProbability

        // Fresh starts: no message in the second half of a slot; every link's ends open batches at the start.
        for event in run.events {
            let t = event["sendSeconds"] as! Double
            let inSlot = t - (t / slot + 1e-9).rounded(.down) * slot
            try #require(inSlot < slot / 2, "\(event["type"]!) \(event["source"]!)→\(event["destination"]!) at \(t) s: the network is not quiet before the next request, so the sample is invalid")
        }
        var openedAtStart: Set<String> = []
        for event in run.events where event["type"] as? String == "attempt_batch" {
            let t = event["sendSeconds"] as! Double
            let k = (t / slot).rounded()
            if abs(t - k * slot) < 1e-12 { openedAtStart.insert("\(Int(k)) \(event["source"]!) \(event["destination"]!)") }
        }
        for k in 0..<samples {
            for link in scenario.links {
                for end in [link.a, link.b] {
                    #expect(openedAtStart.contains("\(k) \(scenario.node(end).name) \(scenario.stationName(of: link))"),
                            "request \(k): \(scenario.node(end).name) did not start on \(scenario.stationName(of: link)) at the request's start")
                }
            }
        }

        var cycles: [Double] = []
        for row in run.pairs {
            let k = Int(row["request"]!)!
            let start = scenario.requests[k].start.seconds
            let created = Double(row["createdSeconds"]!)!, delivered = Double(row["deliveredSeconds"]!)!
            try #require(delivered - start < slot / 2, "request \(k) delivered \(delivered - start) s after its start: the sample is invalid")
            let exact = (created - start) * 1e12
            let ps = Int64(exact.rounded())
            #expect(abs(exact - Double(ps)) < 0.01, "request \(k): created \(created) s is not a whole picosecond after the start")
            let t = Int64((Double(ps) / Double(cycle)).rounded())
            try #require(t >= 1 && abs(ps - t * cycle) <= 2, "request \(k): created − start = \(ps) ps is not a whole number T ≥ 1 of \(cycle) ps cycles")
            cycles.append(Double(t))
        }
        var expected = 0.0
        for k in 1...links {
            let binomial = (1...k).reduce(1.0) { $0 * Double(links - k + $1) / Double($1) }
            expected += (k % 2 == 1 ? 1 : -1) * binomial / (1 - pow(1 - p, Double(k)))
        }
        let n = Double(cycles.count)
        let mean = cycles.reduce(0, +) / n
        let sd = (cycles.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        #expect(abs(mean - expected) <= 4 * sd / n.squareRoot(),
                "mean \(mean) cycles (standard error \(sd / n.squareRoot()), n = \(Int(n))), E[T_\(links)] = \(expected)")
    }

    /// A memory cutoff discards stored links older than it (and tells their partners): the run
    /// still serves every pair, each delivered pair has the ideal composed fidelity (memories are
    /// ideal; the cutoff only throws links away), and the links had to make more pairs than were
    /// delivered (discarded ones were regenerated).
    @Test func cutoffDiscardsOldLinks() throws {
        var yaml = Self.yaml(nodes: 5, pairs: 60).replacingOccurrences(of: "spacing: 2 km", with: "spacing: 10 km")
        yaml += "\npolicies: { swap: asap, cutoff: 1 ms }\n"
        let run = try Self.run(yaml)
        #expect(run.summary.status == "completed")
        #expect(run.summary.requests[0].pairsDelivered == 60)
        let expected = Self.compose(try Self.linkCoefficients(run.scenario), links: 4)[0]
        for row in run.pairs { #expect(abs(Double(row["fidelity"]!)! - expected) < 1e-9) }
        // The same chain without a cutoff needs fewer link pairs.
        let plain = try Self.run(Self.yaml(nodes: 5, pairs: 60).replacingOccurrences(of: "spacing: 2 km", with: "spacing: 10 km"))
        let with = run.summary.links.reduce(0) { $0 + $1.successes }, without = plain.summary.links.reduce(0) { $0 + $1.successes }
        #expect(with > without + 100, "cutoff discards must force regeneration: \(with) link pairs with, \(without) without")
    }

    /// The commutation argument of DESIGN §3, demonstrated: with random wall-clock delays of up
    /// to 3 ms on every backplane message (state transfers, pulls, remote operations, takes) —
    /// messages from different senders overtaking each other, each sender → receiver pipe still
    /// first-in first-out as ZeroMQ keeps it — the results are the same, pair for pair, to
    /// rounding. (Without per-pipe order a home's correction could overtake its own take; the
    /// design assumes each qubit's operations arrive in the order its home issued them.)
    /// DESIGN §3: backplane timing cannot change results. Random wall-clock delays up to 3 ms on
    /// every backplane message (held by the coordinator, or by the sending node when they go node
    /// to node; each sender → receiver pipe stays in order) leave every pair as it was.
    @Test(arguments: ["coordinator", "direct"])
    func backplaneDelaysDoNotChangeResults(route: String) throws {
        let yaml = Self.yaml(nodes: 5, pairs: 60, darkCountRate: "20 kHz", memory: "{ qubits: 2, t1: 1 s, t2: 300 us }")
        let plain = try Self.run(yaml, extra: ["--backplane", route])
        let jittered = try Self.run(yaml, extra: ["--backplane", route, "--backplane-jitter-ms", "3"])
        #expect(plain.pairs.count == 60 && jittered.pairs.count == 60)
        // Pair for pair by identity (the link pairs it was made of): the rows are in the order the
        // coordinator heard of the pairs, from their owners, which backplane timing may change.
        let byIdentity = { (run: Run) in run.pairs.sorted { $0["linkPairs"]! < $1["linkPairs"]! } }
        #expect(Set(plain.pairs.map { $0["linkPairs"]! }).count == 60)
        for (a, b) in zip(byIdentity(plain), byIdentity(jittered)) {
            #expect(a["linkPairs"] == b["linkPairs"])
            #expect(abs(Double(a["fidelity"]!)! - Double(b["fidelity"]!)!) < 1e-12)
            #expect(a["deliveredSeconds"] == b["deliveredSeconds"])
        }
        #expect(jittered.summary.messages.backplane > 0)
        // The route taken: node to node, or every backplane message through the coordinator.
        let direct = jittered.summary.messages.backplaneDirect ?? 0
        #expect(route == "direct" ? direct == jittered.summary.messages.backplane : direct == 0)
        #expect(jittered.summary.processes.filter { $0.backplaneEndpoint != nil }.count == (route == "direct" ? 5 : 0))
    }

    /// Backplane messages node to node or through the coordinator: the same run.
    @Test func backplaneRoutesGiveTheSameRun() throws {
        let yaml = Self.yaml(nodes: 5, pairs: 60, darkCountRate: "20 kHz", memory: "{ qubits: 2, t1: 1 s, t2: 300 us }")
        let viaCoordinator = try Self.run(yaml, extra: ["--backplane", "coordinator"])
        let direct = try Self.run(yaml, extra: ["--backplane", "direct", "--transport", "tcp"])
        #expect(viaCoordinator.pairs.count == 60 && direct.pairs.count == 60)
        for (a, b) in zip(viaCoordinator.pairs, direct.pairs) {
            #expect(abs(Double(a["fidelity"]!)! - Double(b["fidelity"]!)!) < 1e-12)
            #expect(a["deliveredSeconds"] == b["deliveredSeconds"])
        }
        #expect(direct.summary.processes.compactMap(\.backplaneEndpoint).allSatisfy { $0.hasPrefix("tcp://127.0.0.1:") })
    }

    /// Lockstep results are a function of the scenario: a 9-node chain whose nodes hold 4 pairs per
    /// link (pairs pipeline, and several messages reach one node at the same virtual time) makes
    /// the same pairs — the same link pairs, creation and delivery times — in two runs and with
    /// stations and backplane in the coordinator (same-time deliveries once came in the order they
    /// reached the coordinator, and about a third of the pairs moved). With ideal memories the
    /// fidelities agree too (to 1e-9: groups may merge in another order). With decoherent memories
    /// they do not yet agree exactly (up to about 5e-5 here): the order in which a qubit's
    /// operations and its decoherence are applied still depends on backplane timing.
    @Test func pipelinedChainsRunTheSameEveryTime() throws {
        func rows(_ run: Run) -> [[String]] {
            run.pairs.map { [$0["createdSeconds"]!, $0["deliveredSeconds"]!, $0["linkPairs"]!, $0["fidelity"]!] }
                .sorted { ($0[1], $0[2]) < ($1[1], $1[2]) }
        }
        for ideal in [false, true] {
            let memory = ideal ? "{ qubits: 8, communicationQubits: 4, t1: inf, t2: inf }" : "{ qubits: 8, communicationQubits: 4, t1: 1 s, t2: 300 us }"
            let yaml = Self.yaml(nodes: 9, pairs: 150, memory: memory).replacingOccurrences(of: "seed: 5", with: "seed: 3")
            let first = rows(try Self.run(yaml))
            #expect(first.count == 150)
            for extra in [[], ["--stations", "coordinator", "--backplane", "coordinator"]] {
                let other = rows(try Self.run(yaml, extra: extra))
                #expect(other.count == first.count)
                let same = {
                    for (p, q) in zip(first, other) {
                        #expect(p[0...2] == q[0...2], "\(extra): \(p) vs \(q)")
                        if ideal { #expect(abs(Double(p[3])! - Double(q[3])!) <= 1e-9, "\(extra): \(p) vs \(q)") }
                    }
                }
                if ideal {
                    same()
                } else {
                    // Known, intermittent: with decoherent memories, a loaded machine (the whole
                    // suite at once) has shown two runs of the same placement with pairs shifted
                    // in time and made from other link pairs (1 full suite in 3); alone, the runs
                    // agree. Some timing-dependent order still leaks into the schedule here.
                    withKnownIssue("decoherent pipelined chains: pairs may differ between runs under load", isIntermittent: true) { same() }
                }
            }
        }
    }

    /// DESIGN §1: a station may run inside the coordinator. Same seed, same physics: every pair and
    /// every routed message up to the last delivery are the same as with station processes
    /// (fidelities to 1e-12: groups may merge in another order, which moves the last bits), and
    /// no station process is started.
    @Test func stationsInsideTheCoordinatorGiveTheSameRun() throws {
        let yaml = Self.yaml(nodes: 5, pairs: 60, darkCountRate: "20 kHz", memory: "{ qubits: 2, t1: 1 s, t2: 300 us }")
        let processes = try Self.run(yaml, extra: ["--stations", "process"])
        let hosted = try Self.run(yaml, extra: ["--stations", "coordinator"])
        #expect(processes.pairs.count == 60 && hosted.pairs.count == 60)
        for (a, b) in zip(processes.pairs, hosted.pairs) {
            #expect(abs(Double(a["fidelity"]!)! - Double(b["fidelity"]!)!) < 1e-12)
            #expect(a["createdSeconds"] == b["createdSeconds"])
            #expect(a["deliveredSeconds"] == b["deliveredSeconds"])
        }
        // Link counters may differ in the last herald: the run ends when the last pair is recorded,
        // whether or not a station has answered the batches then in flight.
        for (a, b) in zip(processes.summary.links, hosted.summary.links) {
            #expect(abs(Int(a.successes) - Int(b.successes)) <= 1)
        }
        // Routed messages up to the last delivery (after it, a hosted station has already answered
        // batches that a station process had not been granted the time to read when the run ended),
        // and before the first end announced the request served: what follows that news (links
        // withdrawing their batches) is routed only if the run has not ended yet.
        let served = (processes.events + hosted.events).filter { $0["type"] as? String == "request_served" }
            .map { $0["sendSeconds"] as! Double }.min() ?? .infinity
        let last = min(Double(processes.pairs.last!["deliveredSeconds"]!)!, served)
        func routed(_ run: Run) -> [String] {
            run.events.filter { ($0["sendSeconds"] as! Double) < last }
                .map { "\($0["type"]!) \($0["source"]!)→\($0["destination"]!) \($0["sendSeconds"]!)" }.sorted()
        }
        #expect(routed(processes).count > 500)
        #expect(routed(processes) == routed(hosted))
        #expect(processes.summary.stations == "process" && hosted.summary.stations == "coordinator")
        #expect(processes.summary.processes.filter { $0.role == "station" }.count == 4)
        #expect(hosted.summary.processes.map(\.role).sorted() == ["coordinator"] + Array(repeating: "node", count: 5))
    }

    /// Members started by hand (`--no-spawn`, as in containers), some nodes with a direct
    /// backplane socket and some without: messages between two socket holders go node to node,
    /// any other through the coordinator, and the run is whole.
    @Test func handStartedNodesMixBackplaneRoutes() throws {
        let yaml = Self.yaml(nodes: 5, pairs: 40, darkCountRate: "20 kHz", memory: "{ qubits: 2, t1: 1 s, t2: 300 us }")
        let folder = try Harness.temporaryFolder("mixed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(yaml, in: folder)
        let out = folder.appendingPathComponent("results")
        let scenario = try Scenario.parse(yaml: yaml, file: file.path)
        let endpoint = "tcp://127.0.0.1:\(UInt16.random(in: 20_000...60_000))"
        let tag = Harness.newTag()
        let run = try Harness.start(["run", file.path, "--out", out.path, "--quiet", "--no-spawn", "--bind", endpoint], tag: tag)
        var members: [Harness.Running] = []
        defer { for m in members where m.process.isRunning { kill(m.pid, SIGKILL) } }
        for node in scenario.nodes {
            let direct = node.id.rawValue < 3 ? ["--backplane", "tcp://127.0.0.1:*"] : []
            members.append(try Harness.start(["node", "--connect", endpoint, "--name", node.name] + direct, tag: tag))
        }
        for link in scenario.links {
            members.append(try Harness.start(["station", "--connect", endpoint, "--name", scenario.stationName(of: link),
                                              "--link", "\(link.id.rawValue)"], tag: tag))
        }
        let result = run.wait(timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "completed")
        #expect(try Harness.pairs(in: out).count == 40)
        #expect(summary.processes.filter { $0.backplaneEndpoint != nil }.map(\.name).sorted() == ["n0", "n1", "n2"])
        let direct = summary.messages.backplaneDirect ?? 0
        #expect(direct > 0 && direct < summary.messages.backplane, "\(direct) of \(summary.messages.backplane) direct")
        for m in members { #expect(m.wait(timeout: 10).status == 0) }
    }
}
