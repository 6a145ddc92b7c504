import Foundation
import QNetScenario
import Testing

@Suite("qnet sweep and qnet report")
struct SweepTests {
    @Test func aSweepRunsEveryPointAndSeedAndWritesTheCombinedTable() throws {
        let folder = try Harness.temporaryFolder("sweep")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Harness.twoNodeScenario(name: "sweep", length: "10 km", pairs: 20, duration: "1 s"), in: folder)
        let out = folder.appendingPathComponent("grid")
        let result = try Harness.run(["sweep", file.path, "--set", "links.0.length=5 km,20 km", "--set", "policies.swap=asap,none",
                                      "--seeds", "2", "--jobs", "2", "--out", out.path, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try JSONDecoder().decode(Sweep.Table.self, from: Data(contentsOf: out.appendingPathComponent("sweep.json")))
        #expect(table.rows.count == 4)
        for row in table.rows {
            #expect(row.runs.map(\.seed) == [1, 2])
            for run in row.runs {
                let summary = try Harness.summary(in: out.appendingPathComponent(run.folder))
                #expect(summary.seed == run.seed, "the sweep sets each run's seed")
                #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(run.folder).appendingPathComponent("report.html").path))
            }
        }
        // Longer links: lower rate (the swept value reached the runs).
        let short = try #require(table.rows.first { $0.values["links.0.length"] == "5 km" }?.metrics["request0.ratePerSecond"])
        let long = try #require(table.rows.first { $0.values["links.0.length"] == "20 km" }?.metrics["request0.ratePerSecond"])
        #expect(short.mean > long.mean)
        let csv = try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 5)
        #expect(csv.hasPrefix("point,links.0.length,policies.swap,runs,completed,"))

        let report = try Harness.run(["report", out.path])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "data-metric=\"request0.ratePerSecond\"").count - 1 == 4)
    }

    @Test(arguments: [
        (["--set", "nodes.carol.memory.t2=1 ms,2 ms"], "nodes.carol"),
        (["--set", "policies.swap=asap,bogus"], "policies.swap"),
        (["--set", "seed=1,2"], "--seeds"),
        (["--set", "policies.swap=asap", "--jobs", "0"], "--jobs"),
    ])
    func badSweepInputIsExit64NamingTheKey(arguments: [String], named: String) throws {
        let folder = try Harness.temporaryFolder("sweep-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Harness.twoNodeScenario(name: "bad", length: "10 km", pairs: 5, duration: "1 s"), in: folder)
        let out = folder.appendingPathComponent("grid")
        let result = try Harness.run(["sweep", file.path, "--out", out.path] + arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(named), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("point-000").path), "nothing runs")
    }

    /// Starts `qnet sweep` (one run at a time, tagged) of a two-node realtime scenario over
    /// `lengths`: a 400 km point (about 1e-5 per attempt) runs on for its full 100 s unless stopped.
    static func startRealtimeSweep(in folder: URL, lengths: String) throws -> (sweep: Harness.Running, out: URL, tag: String) {
        let yaml = Harness.twoNodeScenario(name: "long", length: "10 km", pairs: 5, duration: "100 s") + "clock: { mode: realtime, dilation: 1.0 }\n"
        let file = try Harness.scenario(yaml, in: folder)
        let out = folder.appendingPathComponent("grid")
        let tag = Harness.newTag()
        let sweep = try Harness.start(["sweep", file.path, "--set", "links.0.length=\(lengths)", "--jobs", "1", "--out", out.path, "--quiet"], tag: tag)
        return (sweep, out, tag)
    }

    @Test func sigtermEndsEveryRunKeepsFinishedPointsAndLeavesNoProcess() throws {
        let folder = try Harness.temporaryFolder("sweep-term")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (sweep, out, tag) = try Self.startRealtimeSweep(in: folder, lengths: "10 km,400 km")
        // The first point (10 km) finishes; the second (400 km) is running when SIGTERM comes.
        let second = out.appendingPathComponent("point-001/seed-1.log")
        #expect(Harness.waitUntil(timeout: 60) { FileManager.default.fileExists(atPath: second.path) })
        usleep(1_500_000)
        kill(sweep.pid, SIGTERM)
        let result = sweep.wait(timeout: 60)
        #expect(result.status == 128 + SIGTERM, "\(result.stderr)")
        #expect(Harness.waitUntil(timeout: 10) { Harness.processes(tagged: tag).isEmpty }, "no orphan")
        let table = try JSONDecoder().decode(Sweep.Table.self, from: Data(contentsOf: out.appendingPathComponent("sweep.json")))
        #expect(table.rows[0].runs.first?.status == "completed")
        #expect(table.rows[0].metrics["request0.pairsDelivered"]?.mean == 5)
    }

    /// A sweep killed with SIGKILL cannot pass a signal on: its running `qnet run` notices that
    /// its parent is gone, stops as on SIGTERM (its summary says interrupted, its results are
    /// kept), and no process of the sweep is left.
    @Test func sigkillOfTheSweepLeavesNoOrphan() throws {
        let folder = try Harness.temporaryFolder("sweep-kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (sweep, out, tag) = try Self.startRealtimeSweep(in: folder, lengths: "400 km")
        let summary = out.appendingPathComponent("point-000/seed-1/summary.json")
        #expect(Harness.waitUntil(timeout: 60) { FileManager.default.fileExists(atPath: summary.path) })
        usleep(1_500_000)
        kill(sweep.pid, SIGKILL)
        _ = sweep.wait(timeout: 10)
        #expect(Harness.waitUntil(timeout: 20) { Harness.processes(tagged: tag).isEmpty }, "orphans: \(Harness.processes(tagged: tag))")
        let written = try JSONDecoder().decode(Results.Summary.self, from: Data(contentsOf: summary))
        #expect(written.status == "interrupted", "\(written.status)")
    }

    /// `qnet sweep -` reads the scenario from standard input once and keeps it in the sweep
    /// folder as scenario.yaml, which every run reads.
    @Test func aScenarioFromStandardInput() throws {
        let folder = try Harness.temporaryFolder("sweep-stdin")
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = Harness.twoNodeScenario(name: "stdin", length: "10 km", pairs: 5, duration: "1 s")
        let out = folder.appendingPathComponent("grid")
        let result = try Harness.run(["sweep", "-", "--set", "links.0.length=5 km,10 km", "--out", out.path, "--quiet"], input: yaml)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOf: out.appendingPathComponent("scenario.yaml"), encoding: .utf8) == yaml)
        let table = try JSONDecoder().decode(Sweep.Table.self, from: Data(contentsOf: out.appendingPathComponent("sweep.json")))
        #expect(table.rows.count == 2 && table.rows.allSatisfy { $0.metrics["request0.pairsDelivered"]?.mean == 5 })
    }
}
