import Foundation
import QNetScenario
import Testing

/// Sweeps through the real `qnet` binary whose reports answer a question: deadlines under edf
/// against fifo, and fidelity and rate against memory T2 per swap policy.
@Suite("Sweep reports: deadlines and memory T2", .serialized)
struct SweepPlotTests {
    /// Runs `qnet sweep arguments… --out DIR` and `qnet report DIR`: the sweep's table and the
    /// report's markers.
    static func sweepAndReport(_ arguments: [String], label: String) throws -> (table: Sweep.Table, markers: [[String: String]]) {
        let folder = try Harness.temporaryFolder(label)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("sweep")
        let sweep = try Harness.run(["sweep"] + arguments + ["--jobs", "2", "--run-arguments", "--stations coordinator", "--out", out.path, "--quiet"],
                                    timeout: 300)
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let table = try JSONDecoder().decode(Sweep.Table.self, from: Data(contentsOf: out.appendingPathComponent("sweep.json")))
        let report = try Harness.run(["report", out.path])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        return (table, Report.points(in: html))
    }

    /// Every row's `metric` is one marker of its plot, at the row's value of the first swept key,
    /// in the series of its other keys, with sweep.json's mean and interval; nothing else is.
    static func expectPlotCarriesEveryPoint(_ metric: String, of table: Sweep.Table, in markers: [[String: String]]) throws {
        let plotted = markers.filter { $0["data-plot"] == metric }
        let rows = table.rows.filter { $0.metrics[metric] != nil }
        #expect(!rows.isEmpty, "\(metric): the sweep has the metric")
        #expect(plotted.count == rows.count, "\(metric): one marker per point")
        let axis = try #require(table.axes.first)
        for row in rows {
            let m = row.metrics[metric]!
            let series = table.axes.dropFirst().map { "\($0.key)=\(row.values[$0.key] ?? "")" }.joined(separator: ", ")
            let match = plotted.filter { $0["data-x"] == row.values[axis.key] && $0["data-series"] == series }
            #expect(match.count == 1, "\(metric) at point \(row.point)")
            #expect(match.first?["data-y"].flatMap(Double.init) == m.mean, "\(metric) at point \(row.point)")
            #expect(match.first?["data-low"].flatMap(Double.init) == m.ci95[0], "\(metric) at point \(row.point)")
            #expect(match.first?["data-high"].flatMap(Double.init) == m.ci95[1], "\(metric) at point \(row.point)")
        }
    }

    /// The standard error of a sweep metric's mean, from its 95% interval over seeds.
    static func standardError(_ m: Sweep.Metric) -> Double { (m.ci95[1] - m.ci95[0]) / 2 / Statistics.z95 }

    /// Must-show 4 of the deadline issue: scenarios/grid-deadlines.yaml swept over
    /// `policies.request=edf,fifo` with 20 seeds. The report's deadline plots carry exactly the
    /// sweep's points, and edf serves more of the requests within their deadlines than fifo (the
    /// three tight 8 ms requests start while fifo still serves the two early ones), by more than
    /// 4 combined standard errors over the seeds.
    ///
    /// Shortened: one grid row (`topology.rows=1`). Every request runs along row 0, whose paths
    /// are the unique shortest (hops) routes in the full 4×4 grid too, and in the full grid no
    /// other link ever attempts; the three other rows only add idle processes.
    @Test func edfServesMoreRequestsWithinTheirDeadlinesThanFIFO() throws {
        let file = Harness.packageRoot.appendingPathComponent("scenarios/grid-deadlines.yaml")
        let (table, markers) = try Self.sweepAndReport(
            [file.path, "--set", "policies.request=edf,fifo", "--set", "topology.rows=1", "--seeds", "20"], label: "deadline-sweep")
        #expect(table.rows.count == 2)
        #expect(table.rows.allSatisfy { $0.runs.count == 20 })
        let requests = try Scenario.load(path: file.path).requests.count
        try Self.expectPlotCarriesEveryPoint("fractionServedWithinDeadline", of: table, in: markers)
        for i in 0..<requests { try Self.expectPlotCarriesEveryPoint("request\(i).servedWithinDeadline", of: table, in: markers) }
        let edf = try #require(table.rows.first { $0.values["policies.request"] == "edf" }?.metrics["fractionServedWithinDeadline"])
        let fifo = try #require(table.rows.first { $0.values["policies.request"] == "fifo" }?.metrics["fractionServedWithinDeadline"])
        #expect(edf.runs == 20 && fifo.runs == 20)
        let se = (Self.standardError(edf) * Self.standardError(edf) + Self.standardError(fifo) * Self.standardError(fifo)).squareRoot()
        #expect(edf.mean - fifo.mean > 4 * se, "edf \(edf.mean) ± \(Self.standardError(edf)), fifo \(fifo.mean) ± \(Self.standardError(fifo))")
    }

    /// Must-show 5 (a small bench/t2-sweep.sh): scenarios/chain-5.yaml (5 nodes, 10 km links, 5 ms
    /// cutoff) with 20 pairs per run, swept over memory T2 × swap asap, nested, sequential with
    /// 3 seeds. The report's rate and fidelity plots carry every point of sweep.json, and for each
    /// policy the fidelity at T2 = 1 s exceeds that at T2 = 1 ms by more than 4 combined standard
    /// errors over the seeds: stored pairs dephase less with a longer T2.
    @Test func fidelityRisesWithMemoryT2ForEverySwapPolicy() throws {
        let file = Harness.packageRoot.appendingPathComponent("scenarios/chain-5.yaml")
        let (table, markers) = try Self.sweepAndReport(
            [file.path, "--set", "defaults.memory.t2=1 ms,10 ms,1 s", "--set", "policies.swap=asap,nested,sequential",
             "--set", "requests.0.pairs=20", "--seeds", "3"], label: "t2-sweep")
        #expect(table.rows.count == 9)
        for metric in ["request0.ratePerSecond", "request0.fidelity"] { try Self.expectPlotCarriesEveryPoint(metric, of: table, in: markers) }
        for policy in ["asap", "nested", "sequential"] {
            func fidelity(_ t2: String) throws -> Sweep.Metric {
                try #require(table.rows.first { $0.values["policies.swap"] == policy && $0.values["defaults.memory.t2"] == t2 }?.metrics["request0.fidelity"])
            }
            let short = try fidelity("1 ms"), long = try fidelity("1 s")
            #expect(short.runs == 3 && long.runs == 3, "\(policy): every seed delivered")
            let se = (Self.standardError(short) * Self.standardError(short) + Self.standardError(long) * Self.standardError(long)).squareRoot()
            #expect(long.mean - short.mean > 4 * se, "\(policy): F(1 s) \(long.mean) ± \(Self.standardError(long)), F(1 ms) \(short.mean) ± \(Self.standardError(short))")
        }
    }
}
