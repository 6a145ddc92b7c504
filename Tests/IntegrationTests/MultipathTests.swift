import Foundation
import QNetScenario
import Testing

/// `policies.routing: k-shortest` across processes: a request served over several paths at once,
/// recorded per path in pairs.csv and summary.json.
@Suite("Multipath", .serialized)
struct MultipathTests {
    /// A square a – c – b – d – a of identical 2 km double-click links: a → b has two
    /// node-disjoint paths of two links (a swap at c or at d). `extra` adds nodes, links and
    /// requests elsewhere.
    static func square(paths: Int, pairs: Int, duration: String, extraNodes: String = "", extraLinks: String = "", extraRequests: String = "") -> String {
        """
        name: square
        seed: 3
        duration: \(duration)
        defaults:
          memory:    { qubits: 2, t1: inf, t2: inf }
          photonics: { emissionEfficiency: 0.5, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 1 ns }
          link:      { attenuation: 0.2 dB/km, scheme: double-click, length: 2 km }
        nodes: [{ name: a }, { name: b }, { name: c }, { name: d }\(extraNodes)]
        links:
          - { nodes: [a, c] }
          - { nodes: [c, b] }
          - { nodes: [a, d] }
          - { nodes: [d, b] }
        \(extraLinks)
        requests:
          - { from: a, to: b, pairs: \(pairs) }
        \(extraRequests)
        policies: { routing: k-shortest, paths: \(paths) }

        """
    }

    static let paths = ["a>c>b", "a>d>b"]

    /// Over a fixed 100 ms of virtual time, two paths deliver twice the pairs of one: the counts,
    /// taken as Poisson (conservative: waiting times between deliveries vary less than
    /// exponential ones), give n₂ − 2n₁ a standard error √(n₂ + 4n₁); the test allows 4. Every
    /// pair names one of the two paths, by index and nodes, and summary.json splits the count.
    @Test func twoPathsDeliverTwiceTheRateOfOne() throws {
        let one = try Harness.runScenario(Self.square(paths: 1, pairs: 1_000_000, duration: "100 ms"), label: "multipath-1",
                                          extra: ["--stations", "coordinator"])
        let two = try Harness.runScenario(Self.square(paths: 2, pairs: 1_000_000, duration: "100 ms"), label: "multipath-2",
                                          extra: ["--stations", "coordinator"])
        let n1 = one.pairs.count, n2 = two.pairs.count
        #expect(n1 > 200, "\(n1) pairs over one path")
        let se = Double(n2 + 4 * n1).squareRoot()
        #expect(abs(Double(n2 - 2 * n1)) <= 4 * se, "one path \(n1) pairs, two paths \(n2), se \(se)")
        #expect(one.pairs.allSatisfy { $0["path"] == Self.paths[0] && $0["pathIndex"] == "0" })
        for row in two.pairs {
            let index = try #require(row["pathIndex"].flatMap { Int($0) })
            #expect(index == 0 || index == 1, "\(row)")
            #expect(row["path"] == Self.paths[min(max(index, 0), 1)], "\(row)")
        }
        let request = try #require(two.summary.requests.first)
        let split = try #require(request.paths)
        #expect(split.map(\.index) == [0, 1])
        #expect(split.map { $0.nodes.joined(separator: ">") } == Self.paths)
        #expect(split.map(\.pairsDelivered) == Self.paths.indices.map { k in two.pairs.filter { $0["pathIndex"] == "\(k)" }.count })
        #expect(split.allSatisfy { $0.pairsDelivered > n2 / 4 && $0.ratePerSecond != nil }, "both paths carry pairs: \(split.map(\.pairsDelivered))")
        #expect(request.path == ["a", "c", "b"], "path stays the first path")
    }

    /// With a pair target the request stops at exactly its pairs over both paths, and every node
    /// of both paths stops generating for it once told: a second request on a link elsewhere
    /// keeps the run going, and no attempt batch goes to a station of the square after the last
    /// `request_served` reached its sender.
    @Test func aPairTargetStopsEveryPath() throws {
        let run = try Harness.runScenario(
            Self.square(paths: 2, pairs: 150, duration: "60 ms", extraNodes: ", { name: e }, { name: f }", extraLinks: "  - { nodes: [e, f] }",
                        extraRequests: "  - { from: e, to: f, pairs: 1000000 }"),
            label: "multipath-target", extra: ["--stations", "coordinator"])
        #expect(run.summary.status == "durationReached")
        let request = try #require(run.summary.requests.first)
        #expect(request.pairsDelivered == 150)
        let rows = run.pairs.filter { $0["request"] == "0" }
        #expect(rows.count == 150)
        #expect(rows.allSatisfy { Self.paths.contains($0["path"] ?? "") })
        #expect(Set(rows.compactMap { $0["pathIndex"] }) == ["0", "1"], "both paths delivered")
        #expect(request.paths?.reduce(0) { $0 + $1.pairsDelivered } == 150)
        // The ends count over both paths: beyond 150 only the few pairs already swapped when the
        // news left (a budget of 150 per path would make about 150 more).
        #expect((request.pairsSurplus ?? 0) <= 4, "surplus \(request.pairsSurplus ?? 0)")
        #expect(run.summary.requests[1].paths?.map(\.nodes) == [["e", "f"]])
        // When each node of the square first heard (or, at an end, said) that the request is served.
        var told: [String: Double] = [:]
        for event in run.events where event["type"] as? String == "request_served" {
            guard let source = event["source"] as? String, let destination = event["destination"] as? String,
                  let sent = event["sendSeconds"] as? Double, let delay = event["modeledDelaySeconds"] as? Double else { continue }
            told[destination] = min(told[destination] ?? .infinity, sent + delay)
            told[source] = min(told[source] ?? .infinity, sent)
        }
        #expect(Set(told.keys) == ["a", "b", "c", "d"], "\(told)")
        let square = ["station-a-c", "station-c-b", "station-a-d", "station-d-b"]
        let batches = run.events.filter { $0["type"] as? String == "attempt_batch" && square.contains($0["destination"] as? String ?? "") }
        #expect(!batches.isEmpty)
        for batch in batches {
            let source = batch["source"] as? String ?? "", sent = batch["sendSeconds"] as? Double ?? .infinity
            #expect(sent <= (told[source] ?? 0) + 1e-12, "\(source) sent an attempt batch at \(sent) s, told at \(told[source] ?? 0) s")
        }
        // The other request went on to the end.
        #expect(run.summary.requests[1].pairsDelivered > 150)
    }

    /// A kite: the square w – x – z – y – w with a tail y – t. w → t goes w>y>t, and its second
    /// path w>x>z>y>t swaps at y, three links along the path from w but one link away from it,
    /// so y's swaps can be the ones the lockstep clock waits for while a node nearer the start waits
    /// for state from w. With the directory's old rule (the node nearer the path's start keeps a
    /// group both want) this stalled the clock within tens of milliseconds on most runs (the
    /// deterministic check of the rule is MultipathRuntimeTests.theEarlierSwapGetsTheGroup);
    /// here it runs to the end with both paths delivering.
    @Test func aSecondPathThatDoublesBackRunsToTheEnd() throws {
        let yaml = """
            name: kite
            seed: 5
            duration: 60 ms
            defaults:
              memory:    { qubits: 6, t1: inf, t2: inf }
              photonics: { emissionEfficiency: 0.5, attemptPeriod: 1 us }
              detectors: { efficiency: 0.9, darkCountRate: 0 Hz, window: 1 ns }
              link:      { attenuation: 0.2 dB/km, scheme: double-click, length: 2 km }
            nodes: [{ name: w }, { name: x }, { name: z }, { name: y }, { name: t }]
            links:
              - { nodes: [w, x] }
              - { nodes: [x, z] }
              - { nodes: [z, y] }
              - { nodes: [y, w] }
              - { nodes: [y, t] }
            requests:
              - { from: w, to: t, pairs: 1000000 }
            policies: { routing: k-shortest, paths: 2 }

            """
        let run = try Harness.runScenario(yaml, label: "multipath-kite", extra: ["--stations", "coordinator"])
        #expect(run.summary.status == "durationReached", "\(run.summary.error ?? "")")
        let paths = try #require(run.summary.requests.first?.paths)
        #expect(paths.map { $0.nodes.joined(separator: ">") } == ["w>y>t", "w>x>z>y>t"])
        #expect(paths.allSatisfy { $0.pairsDelivered > 50 }, "\(paths.map(\.pairsDelivered))")
    }
}
