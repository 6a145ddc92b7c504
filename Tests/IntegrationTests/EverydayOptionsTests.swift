import Foundation
import QNetScenario
import Testing

/// `qnet run --events`, and a scenario from standard input.
@Suite("Events and standard input", .serialized)
struct EverydayOptionsTests {
    /// `--events none` writes an empty events.jsonl; `sample` keeps the first
    /// ResultsWriter.sampleHead lines and then every sampleEvery-th; `all` keeps one line per
    /// routed message. The pairs are the same whatever is logged.
    @Test func eventsAllSampleNone() throws {
        let folder = try Harness.temporaryFolder("events")
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = try String(contentsOf: Harness.packageRoot.appendingPathComponent("scenarios/two-node.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "pairs: 1000", with: "pairs: 4000").replacingOccurrences(of: "duration: 2 s", with: "duration: 20 s")
        let file = try Harness.scenario(yaml, in: folder)
        var lines: [String: Int] = [:]
        var pairs: [String: [[String: String]]] = [:]
        for mode in ["all", "sample", "none"] {
            let out = folder.appendingPathComponent(mode)
            let result = try Harness.run(["run", file.path, "--events", mode, "--out", out.path, "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
            lines[mode] = try String(contentsOf: out.appendingPathComponent("events.jsonl"), encoding: .utf8).split(separator: "\n").count
            pairs[mode] = try Harness.pairs(in: out)
            // summary.json says what events.jsonl holds.
            let summary = try JSONDecoder().decode(Results.Summary.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
            #expect(summary.events?.mode == mode && summary.events?.lines == UInt64(lines[mode]!), "\(String(describing: summary.events))")
            #expect(summary.events.map { $0.messages >= $0.lines } == true)
        }
        let all = try #require(lines["all"])
        let head = Int(ResultsWriter.sampleHead), every = Int(ResultsWriter.sampleEvery)
        #expect(all > head, "the run must route more messages than the sample's head")
        let expected = head + (all - head) / every
        #expect(abs((lines["sample"] ?? 0) - expected) <= 1, "sample kept \(lines["sample"] ?? 0) of \(all), expected \(expected)")
        #expect(lines["none"] == 0)
        #expect(pairs["all"]!.count == 4000 && pairs["sample"]!.count == 4000 && pairs["none"]!.count == 4000)
        let bad = try Harness.run(["run", file.path, "--events", "some", "--out", folder.appendingPathComponent("bad").path, "--quiet"])
        #expect(bad.status == 64, "\(bad.stderr)")
    }

    /// `qnet validate -` and `qnet run -` read the scenario from standard input; errors name `<stdin>`.
    @Test func scenarioFromStandardInput() throws {
        let yaml = try String(contentsOf: Harness.packageRoot.appendingPathComponent("scenarios/two-node.yaml"), encoding: .utf8)
        let ok = try Harness.run(["validate", "-"], input: yaml)
        #expect(ok.status == 0, "\(ok.stderr)")
        let bad = try Harness.run(["validate", "-"], input: yaml.replacingOccurrences(of: "pairs: 1000", with: "pairs: -3"))
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("<stdin>"), "\(bad.stderr)")
        let folder = try Harness.temporaryFolder("stdin")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("r")
        let ran = try Harness.run(["run", "-", "--out", out.path, "--quiet"], input: yaml.replacingOccurrences(of: "pairs: 1000", with: "pairs: 20"))
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(try Harness.pairs(in: out).count == 20)
    }

    /// `qnet validate` warns of a request the link model cannot serve: within the duration (a
    /// slow link), or ever (a clock offset beyond half the coincidence window: no true
    /// coincidence counts, p = 0, and no dark counts to herald by). Warnings, exit 0: a sweep may
    /// cross such settings on purpose.
    @Test func validateWarnsOfRequestsTheLinksCannotServe() throws {
        let folder = try Harness.temporaryFolder("warnings")
        defer { try? FileManager.default.removeItem(at: folder) }
        func validate(_ detectors: String, pairs: Int) throws -> Harness.Result {
            let file = try Harness.scenario("""
                name: warnings
                duration: 1 s
                defaults:
                  detectors: \(detectors)
                nodes: [{ name: a }, { name: b }]
                links: [{ nodes: [a, b], length: 1 km }]
                requests: [{ from: a, to: b, pairs: \(pairs) }]
                """, in: folder)
            return try Harness.run(["validate", file.path])
        }
        let never = try validate("{ efficiency: 0.9, darkCountRate: 0 Hz, window: 1 ns, clockOffset: 2 ns }", pairs: 10)
        #expect(never.status == 0)
        #expect(never.stderr.contains("requests[0] (a → b, 10 pairs) can never be served: link a–b can never herald"), "\(never.stderr)")
        let slow = try validate("{ efficiency: 0.9, darkCountRate: 0 Hz, window: 1 ns }", pairs: 100_000_000)
        #expect(slow.status == 0)
        #expect(slow.stderr.contains("cannot be served within the duration (1 s)"), "\(slow.stderr)")
        let fine = try validate("{ efficiency: 0.9, darkCountRate: 0 Hz, window: 1 ns }", pairs: 10)
        #expect(fine.status == 0 && !fine.stderr.contains("warning"), "\(fine.stderr)")
    }
}
