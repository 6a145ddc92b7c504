import Foundation
import QNetCore
import Testing

@testable import QNetScenario

@Suite("Scenario overrides (--set)")
struct ScenarioOverrideTests {
    func parse(_ sets: [String], yaml: String = designExample) throws -> Scenario {
        try Scenario.parse(yaml: yaml, file: "s.yaml", overrides: sets.map { try ScenarioOverride(parsing: $0) })
    }

    @Test func overridesReachMappingsListElementsByNameAndIndexSeedAndDuration() throws {
        let base = try Scenario.parse(yaml: designExample, file: "s.yaml")
        let s = try parse(["policies.swap=none", "nodes.bob.memory.t2=20 ms", "nodes.0.memory.qubits=4",
                           "links.0.length=20 km", "seed=99", "duration=1 s"])
        #expect(base.policies.swap != s.policies.swap)
        #expect(s.policies.swap.rawValue == "none")
        #expect(s.nodes[1].memory.t2 == VDuration.milliseconds(20))
        #expect(s.nodes[0].memory.qubits == 4)
        #expect(base.links[0].length.metres == 10_000)
        #expect(s.links[0].length.metres == 20_000)
        #expect(s.seed == 99)
        #expect(s.duration == VDuration.seconds(1))
    }

    @Test(arguments: [
        ("nodes.carol.memory.t2=1 ms", "no element named 'carol'"),
        ("links.3.length=1 km", "no element links.3"),
        ("seed.x=1", "seed.x does not exist"),
    ])
    func pathsThatDoNotExistAreErrorsNamingTheKey(set: String, message: String) throws {
        #expect(throws: ScenarioError.self) { try parse([set]) }
        do { _ = try parse([set]) } catch let error as ScenarioError {
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.contains(String(set.prefix { $0 != "=" })), "\(error)")
        }
    }

    @Test func aMisspelledKeyGetsTheDecodersDidYouMean() throws {
        do { _ = try parse(["defaults.memory.tt2=1 ms"]); Issue.record("accepted") } catch let error as ScenarioError {
            #expect(error.code == .unknownKey)
            #expect(error.description.contains("did you mean 't2'"), "\(error)")
        }
    }

    @Test func aBadValueNamesTheOverride() throws {
        do { _ = try parse(["policies.swap=bogus"]); Issue.record("accepted") } catch let error as ScenarioError {
            #expect(error.description.contains("--set policies.swap=bogus"), "\(error)")
            #expect(error.line == nil, "an overridden value has no line in the file")
        }
    }

    @Test func malformedOverridesAreRefused() {
        #expect(throws: ScenarioOverrideError.self) { try ScenarioOverride(parsing: "policies.swap") }
        #expect(throws: ScenarioOverrideError.self) { try ScenarioOverride(parsing: "policies..swap=asap") }
        #expect(throws: ScenarioOverrideError.self) { try ScenarioOverride.values("a,,b", key: "k") }
    }
}

@Suite("Sweep grid and table")
struct SweepTableTests {
    @Test func valueListsKeepFlowCollectionsWhole() throws {
        let axis = try Sweep.Axis(parsing: "policies.cutoff={ budget: 1 ms },none,[a, b]")
        #expect(axis.key == "policies.cutoff")
        #expect(axis.values == ["{ budget: 1 ms }", "none", "[a, b]"])
    }

    @Test func theGridIsTheCartesianProductLastAxisFastest() throws {
        let points = Sweep.points([Sweep.Axis(key: "policies.swap", values: ["asap", "nested", "sequential"]),
                                   Sweep.Axis(key: "defaults.memory.t2", values: ["1 ms", "10 ms"])])
        #expect(points.count == 6)
        #expect(points[0].map(\.description) == ["policies.swap=asap", "defaults.memory.t2=1 ms"])
        #expect(points[1].map(\.description) == ["policies.swap=asap", "defaults.memory.t2=10 ms"])
        #expect(points[5].map(\.description) == ["policies.swap=sequential", "defaults.memory.t2=10 ms"])
    }

    static func summary(rate: Double, fidelity: Double, seed: UInt64) -> Results.Summary {
        let request = Results.Request(from: "a", to: "b", type: "keep", pairsRequested: 10, pairsDelivered: 10,
                                      ratePerSecond: .init(mean: rate, ci95: [rate - 1, rate + 1]),
                                      fidelity: .init(mean: fidelity, ci95: [fidelity - 0.01, fidelity + 0.01]),
                                      latencySeconds: nil)
        return Results.Summary(scenario: "s", scenarioFile: "s.yaml", seed: seed, version: "t", clockMode: "lockstep",
                               status: "completed", virtualSeconds: 1, wallSeconds: 1, processes: [], requests: [request], links: [],
                               messages: .init(routed: 0, backplane: 0, heralds: 0, feedForward: 0, perDeliveredPair: nil, clock: 0, dropped: 0, byType: [:]))
    }

    @Test func metricsAreMeansOverSeedsWithAnIntervalOverSeeds() throws {
        let m = Sweep.aggregate([Self.summary(rate: 10, fidelity: 0.9, seed: 1), Self.summary(rate: 14, fidelity: 0.8, seed: 2)])
        let rate = try #require(m["request0.ratePerSecond"])
        #expect(rate.runs == 2)
        #expect(abs(rate.mean - 12) < 1e-12)
        // s = √8 over two seeds: half-width 1.96·√8/√2 = 3.92.
        #expect(abs(rate.ci95[1] - rate.mean - Statistics.z95 * 2) < 1e-9)
        // One seed: the run's own interval.
        let one = Sweep.aggregate([Self.summary(rate: 10, fidelity: 0.9, seed: 1)])
        #expect(one["request0.ratePerSecond"]?.ci95 == [9, 11])
    }

    static func table() -> Sweep.Table {
        let axes = [Sweep.Axis(key: "defaults.memory.t2", values: ["1 ms", "10 ms", "100 ms"]),
                    Sweep.Axis(key: "policies.swap", values: ["asap", "none"])]
        var rows: [Sweep.Row] = []
        for (p, point) in Sweep.points(axes).enumerated() {
            let values = Dictionary(uniqueKeysWithValues: point.map { ($0.key, $0.value) })
            let summaries = (1...3).map { seed in
                summary(rate: Double(100 * (p + 1) + Int(seed)), fidelity: 0.5 + Double(p) / 20 + Double(seed) / 1000, seed: seed)
            }
            rows.append(Sweep.Row(point: p, values: values, runs: [], metrics: Sweep.aggregate(summaries)))
        }
        return Sweep.Table(scenario: "s", axes: axes, seeds: 3, rows: rows)
    }

    @Test func theReportsPlotsCarryTheSweepsPointsAsInSweepCSV() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Sweep.write(Self.table(), to: folder)
        let html = try Report.html(folders: [folder])
        let csv = try String(contentsOf: folder.appendingPathComponent("sweep.csv"), encoding: .utf8)
        var lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        #expect(lines.count == 6)
        let circles = Report.points(in: html)
        for metric in ["request0.ratePerSecond", "request0.fidelity"] {
            let plotted = circles.filter { $0["data-metric"] == metric }
            #expect(plotted.count == lines.count, "\(metric): one marker per point")
            let column = try #require(header.firstIndex(of: metric))
            let t2 = try #require(header.firstIndex(of: "defaults.memory.t2"))
            let swap = try #require(header.firstIndex(of: "policies.swap"))
            for row in lines {
                let match = plotted.filter { $0["data-x"] == row[t2] && $0["data-series"] == "policies.swap=\(row[swap])" }
                #expect(match.count == 1, "\(metric) at \(row[t2]), \(row[swap])")
                let y = try #require(match.first.flatMap { $0["data-y"] }.flatMap(Double.init))
                let low = try #require(match.first.flatMap { $0["data-low"] }.flatMap(Double.init))
                let high = try #require(match.first.flatMap { $0["data-high"] }.flatMap(Double.init))
                #expect(y == Double(row[column]))
                #expect(low == Double(row[column + 1]))
                #expect(high == Double(row[column + 2]))
            }
        }
        let withoutNamespace = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"), "no network fetches")
        #expect(!html.contains("<script"))
    }

    @Test func aFolderWithoutResultsIsAnErrorNamingIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do { _ = try Report.html(folders: [folder]); Issue.record("accepted") } catch {
            #expect(error.message.contains(folder.path))
        }
    }
}

@Suite("Report plots: waits, pairs awaiting delivery, deadlines")
struct ReportPlotTests {
    /// A run folder with two requests whose pairs overlap in time (two changes at t = 0.3 s
    /// coincide), written as `qnet run` writes it.
    static func runFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-report-\(UUID().uuidString)")
        let writer = try ResultsWriter(directory: folder)
        let rows: [(Int, Double, Double, Double)] = [
            (0, 0.1, 0.25, 0.91), (0, 0.2, 0.3, 0.88), (1, 0.3, 0.45, 0.83), (0, 0.35, 0.36, 0.95), (1, 0.4, 0.7, 0.71),
        ]
        for (request, created, delivered, fidelity) in rows {
            writer.append(Results.Pair(request: request, from: "a", to: "b", createdSeconds: created, deliveredSeconds: delivered,
                                       fidelity: fidelity, outcomeA: nil, outcomeB: nil, oldestLinkSeconds: created - 0.05 * Double(request + 1)))
        }
        var summary = SweepTableTests.summary(rate: 10, fidelity: 0.9, seed: 1)
        summary.requests.append(summary.requests[0])
        summary.memoryOccupancy = ["a": .init(mean: 1.25, max: 2), "b": .init(mean: 0.5, max: 1)]
        try writer.write(summary)
        writer.close()
        return folder
    }

    @Test func eachPairsFidelityIsPlottedAgainstItsWaitFromPairsCSV() throws {
        let folder = try Self.runFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let html = try Report.html(folders: [folder])
        let pairs = Report.pairs(csv: try String(contentsOf: folder.appendingPathComponent("pairs.csv"), encoding: .utf8))
        #expect(pairs.count == 5)
        let circles = Report.points(in: html)
        for request in 0...1 {
            let plotted = circles.filter { $0["data-plot"] == "request\(request).fidelityAgainstWait" }
            let mine = pairs.filter { $0.request == request }
            #expect(plotted.count == mine.count, "request \(request): one marker per pair")
            for (marker, pair) in zip(plotted, mine) {
                #expect(marker["data-x"].flatMap(Double.init) == pair.deliveredSeconds - pair.createdSeconds)
                #expect(marker["data-y"].flatMap(Double.init) == pair.fidelity)
            }
            // And against the age of the oldest link pair at delivery (pairs.csv's oldestLinkSeconds).
            let aged = circles.filter { $0["data-plot"] == "request\(request).fidelityAgainstAge" }
            #expect(aged.count == mine.count)
            for (marker, pair) in zip(aged, mine) {
                let age = try #require(marker["data-x"].flatMap(Double.init))
                #expect(abs(age - (pair.deliveredSeconds - pair.oldestLinkSeconds!)) < 1e-12)
                #expect(abs(age - (pair.deliveredSeconds - pair.createdSeconds) - 0.05 * Double(request + 1)) < 1e-9)
            }
        }
        #expect(html.contains("<td>a</td><td>1.250</td><td>2</td>"), "summary.json's memory occupancy per node")
    }

    @Test func pairsAwaitingDeliveryAreAStepAtEveryChangeCountedFromPairsCSV() throws {
        let folder = try Self.runFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let html = try Report.html(folders: [folder])
        let pairs = Report.pairs(csv: try String(contentsOf: folder.appendingPathComponent("pairs.csv"), encoding: .utf8))
        let circles = Report.points(in: html).filter { $0["data-plot"] == "storedPairs" }
        for request in 0...1 {
            let mine = pairs.filter { $0.request == request }
            let plotted = circles.filter { $0["data-series"] == "request \(request)" }
            let xs = plotted.compactMap { $0["data-x"].flatMap(Double.init) }
            // One marker per distinct creation or delivery time, in time order.
            #expect(xs == Set(mine.flatMap { [$0.createdSeconds, $0.deliveredSeconds] }).sorted(), "request \(request)")
            for marker in plotted {
                let t = try #require(marker["data-x"].flatMap(Double.init))
                let held = mine.filter { $0.createdSeconds <= t && t < $0.deliveredSeconds }.count
                #expect(marker["data-y"].flatMap(Double.init) == Double(held), "request \(request) at \(t) s")
            }
        }
        // Request 0 holds two pairs at once on [0.2, 0.25).
        #expect(circles.contains { $0["data-series"] == "request 0" && $0["data-x"] == "0.2" && $0["data-y"] == "2.0" })
    }

    /// A sweep whose runs have deadlines: `fractionServedWithinDeadline` and each request's
    /// `servedWithinDeadline` against the first key, one series per value of the second.
    @Test func theDeadlinePlotsCarryTheSweepsPoints() throws {
        let axes = [Sweep.Axis(key: "requests.0.pairs", values: ["10", "20"]), Sweep.Axis(key: "policies.request", values: ["edf", "fifo"])]
        var rows: [Sweep.Row] = []
        for (p, point) in Sweep.points(axes).enumerated() {
            let summaries = (1...4).map { seed -> Results.Summary in
                var s = SweepTableTests.summary(rate: 10, fidelity: 0.9, seed: UInt64(seed))
                s.requests.append(s.requests[0])
                s.requests[0].servedWithinDeadline = (seed + p) % 2 == 0
                s.requests[1].servedWithinDeadline = seed <= p
                return s
            }
            rows.append(Sweep.Row(point: p, values: Dictionary(uniqueKeysWithValues: point.map { ($0.key, $0.value) }), runs: [],
                                  metrics: Sweep.aggregate(summaries)))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deadline-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Sweep.write(Sweep.Table(scenario: "s", axes: axes, seeds: 4, rows: rows), to: folder)
        let table = try JSONDecoder().decode(Sweep.Table.self, from: Data(contentsOf: folder.appendingPathComponent("sweep.json")))
        let circles = Report.points(in: try Report.html(folders: [folder]))
        for metric in ["fractionServedWithinDeadline", "request0.servedWithinDeadline", "request1.servedWithinDeadline"] {
            let plotted = circles.filter { $0["data-plot"] == metric }
            #expect(plotted.count == table.rows.count, "\(metric)")
            for row in table.rows {
                let m = try #require(row.metrics[metric])
                let match = plotted.filter {
                    $0["data-x"] == row.values["requests.0.pairs"] && $0["data-series"] == "policies.request=\(row.values["policies.request"]!)"
                }
                #expect(match.count == 1, "\(metric) at point \(row.point)")
                #expect(match.first?["data-y"].flatMap(Double.init) == m.mean)
                #expect(match.first?["data-low"].flatMap(Double.init) == m.ci95[0])
                #expect(match.first?["data-high"].flatMap(Double.init) == m.ci95[1])
            }
        }
    }
}
