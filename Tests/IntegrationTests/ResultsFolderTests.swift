import Foundation
import QNetScenario
import Testing

/// A results folder holds one run (README "Results"): a second run does not write into it, a run
/// that cannot start changes nothing in it, default names never collide, and results that cannot
/// be written fail the run instead of ending it "completed".
@Suite("Results folders through the CLI", .serialized)
struct ResultsFolderTests {
    /// A short run: 20 pairs at 1 km, well under a second of wall time.
    static let quick = Harness.twoNodeScenario(name: "folders", length: "1 km", pairs: 20, duration: "1 s")

    /// The bytes of every file in `folder`, by name.
    static func contents(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    @Test("a second run into a folder that holds a run is refused (exit 64) and changes nothing; --force replaces the run")
    func secondRunRefused() throws {
        let folder = try Harness.temporaryFolder("folders-twice")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.quick, in: folder)
        let out = folder.appendingPathComponent("results")
        let first = try Harness.run(["run", file.path, "--out", out.path, "--quiet"], timeout: 60)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Self.contents(out)
        #expect(Set(before.keys) == ["pairs.csv", "events.jsonl", "summary.json", "report.html"])

        let second = try Harness.run(["run", file.path, "--out", out.path, "--quiet"], timeout: 60)
        #expect(second.status == 64, "\(second.stderr)")
        #expect(second.stdout.isEmpty)
        #expect(second.stderr == "Error: results folder '\(out.path)' is not empty (events.jsonl, pairs.csv, report.html, ...); allowed: a new or empty folder, or --force to replace the results in it\n")
        #expect(try Self.contents(out) == before, "the refused run changed the folder")

        let replaced = try Harness.run(["run", file.path, "--out", out.path, "--quiet", "--force"], timeout: 60)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "completed")
        #expect(try Harness.pairs(in: out).count == summary.requests[0].pairsDelivered, "pairs.csv is not the summary's run")
        #expect(Set(try Self.contents(out).keys) == ["pairs.csv", "events.jsonl", "summary.json", "report.html"], "the lock or a temporary file was left")
    }

    @Test("a run that cannot bind exits 64 and leaves the earlier results as they were", arguments: [
        ("tcp://garbage:5555", "Error: cannot bind the coordinator to \"tcp://garbage:5555\": "),
        ("tcp://127.0.0.1:99999", "Error: --bind \"tcp://127.0.0.1:99999\": port '99999' is out of range; allowed: 1...65535 or * (any free port)"),
        ("garbage", "Error: --bind \"garbage\": allowed: a tcp:// or ipc:// endpoint"),
    ])
    func badBind(_ endpoint: String, _ expected: String) throws {
        let folder = try Harness.temporaryFolder("folders-bind")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.quick, in: folder)
        let out = folder.appendingPathComponent("results")
        let first = try Harness.run(["run", file.path, "--out", out.path, "--quiet"], timeout: 60)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Self.contents(out)

        let tag = Harness.newTag()
        let result = try Harness.start(["run", file.path, "--out", out.path, "--quiet", "--force", "--bind", endpoint], tag: tag).wait(timeout: 30)
        #expect(result.reason == .exit && result.status == 64, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.hasPrefix(expected), "\(result.stderr)")
        #expect(try Self.contents(out) == before, "the run that could not start changed the earlier results")
        #expect(Harness.processes(tagged: tag).isEmpty)
    }

    @Test("--out \"\" is an error, not the working directory")
    func emptyOut() throws {
        let folder = try Harness.temporaryFolder("folders-empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.quick, in: folder)
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let result = try Harness.Running(["run", file.path, "--out", "", "--quiet"], environment: [:], directory: work).wait(timeout: 30)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: --out is empty; allowed: a folder path"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty, "something was written to the working directory")
    }

    @Test("two default-named runs started together get a folder each")
    func defaultNamesDiffer() throws {
        let folder = try Harness.temporaryFolder("folders-default")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.quick, in: folder)
        let runs = try (0..<2).map { _ in try Harness.Running(["run", file.path, "--quiet"], environment: [:], directory: folder) }
        for result in runs.map({ $0.wait(timeout: 60) }) { #expect(result.status == 0, "\(result.stderr)") }
        let results = folder.appendingPathComponent("results")
        let folders = try FileManager.default.contentsOfDirectory(atPath: results.path).sorted()
        #expect(folders.count == 2, "\(folders)")
        for name in folders {
            #expect(name.hasPrefix("folders-"))
            let out = results.appendingPathComponent(name)
            let summary = try Harness.summary(in: out)
            #expect(summary.status == "completed")
            #expect(try Harness.pairs(in: out).count == summary.requests[0].pairsDelivered, "\(name) mixes runs")
            #expect(try Harness.lineCount("events.jsonl", in: out) == Int(summary.messages.routed), "\(name) mixes runs")
        }
    }

    /// A 64 KiB tmpfs (needs root; skipped elsewhere).
    static func smallDisk() throws -> URL? {
        guard getuid() == 0 else { return nil }
        let mount = try Harness.temporaryFolder("folders-full")
        let status = try Harness.shell("mount -t tmpfs -o size=64k tmpfs '\(mount.path)'")
        if status != 0 {
            try? FileManager.default.removeItem(at: mount)
            return nil
        }
        return mount
    }

    @Test("a full disk fails the run: not completed, exit 1, one line naming the file", .enabled(if: getuid() == 0))
    func fullDisk() throws {
        let folder = try Harness.temporaryFolder("folders-disk")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let disk = try Self.smallDisk() else {
            Issue.record("cannot mount a tmpfs here")
            return
        }
        defer {
            _ = try? Harness.shell("umount '\(disk.path)'")
            try? FileManager.default.removeItem(at: disk)
        }
        // 2000 pairs write about 1 MB of events: far beyond 64 KiB.
        let file = try Harness.scenario(Harness.twoNodeScenario(name: "full", length: "1 km", pairs: 2000, duration: "2 s"), in: folder)
        let out = disk.appendingPathComponent("results")
        let tag = Harness.newTag()
        let result = try Harness.start(["run", file.path, "--out", out.path, "--quiet"], tag: tag).wait(timeout: 120)
        #expect(result.reason == .exit && result.status == 1, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("run failed: cannot write '\(out.path)/"), "\(result.stderr)")
        #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
        // The summary never claims an end the run did not record.
        if let summary = try? Harness.summary(in: out) {
            #expect(summary.status == "failed" || summary.status == "running", "summary.json says \(summary.status)")
        }
        Harness.waitUntil(timeout: 2) { Harness.processes(tagged: tag).isEmpty }
        #expect(Harness.processes(tagged: tag).isEmpty)
    }
}
