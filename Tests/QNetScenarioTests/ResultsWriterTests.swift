import Foundation
import Testing

@testable import QNetScenario

@Suite("Results writer")
struct ResultsWriterTests {
    static func folder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qnet-writer-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let pair = Results.Pair(request: 0, from: "alice", to: "bob", createdSeconds: 1, deliveredSeconds: 2,
                                   fidelity: 0.9, outcomeA: nil, outcomeB: nil)

    @Test("a write that fails (a full disk: /dev/full) is kept as the writer's failure, naming the file", .enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full")))
    func fullDisk() throws {
        let folder = try Self.folder("full")
        defer { try? FileManager.default.removeItem(at: folder) }
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let fine = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
        let writer = ResultsWriter(directory: folder, pairs: full, events: fine)
        writer.append(Self.pair)
        #expect(writer.failure == nil, "nothing is written before a flush")
        writer.flush()
        let failure = try #require(writer.failure)
        #expect(failure.code == .writeFailed)
        #expect(failure.message == "cannot write '\(folder.path)/pairs.csv': No space left on device")
    }

    @Test("a folder holds one run: a non-empty one is refused, a locked one too; replacing removes the earlier files")
    func oneRunPerFolder() throws {
        let folder = try Self.folder("one")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("results")
        let first = try ResultsWriter(directory: out)
        first.append(Self.pair)
        // While the first writer holds it, even `replacing` may not take the folder.
        #expect(throws: ResultsError.self) { try ResultsWriter(directory: out, replacing: true) }
        do {
            _ = try ResultsWriter(directory: out, replacing: true)
        } catch {
            #expect(error.code == .inUse, "\(error)")
        }
        first.close()
        do {
            _ = try ResultsWriter(directory: out)
            Issue.record("a folder holding a run was taken")
        } catch {
            #expect(error.code == .notEmpty, "\(error)")
            #expect(error.message.contains("allowed: a new or empty folder, or --force"), "\(error)")
        }
        // Replacing keeps what is not a run's file (a launch tool's logs/).
        try FileManager.default.createDirectory(at: out.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let second = try ResultsWriter(directory: out, replacing: true)
        second.close()
        let text = try String(contentsOf: out.appendingPathComponent("pairs.csv"), encoding: .utf8)
        #expect(text == ResultsWriter.pairsHeader, "the earlier run's pairs were kept: \(text)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)) == ["pairs.csv", "events.jsonl", "logs"])
    }

    @Test("default folders are unique: base, base-2, base-3")
    func uniqueFolders() throws {
        let folder = try Self.folder("unique")
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = folder.appendingPathComponent("results/run-1")
        let names = try (0..<3).map { _ in try ResultsWriter.uniqueDirectory(base).lastPathComponent }
        #expect(names == ["run-1", "run-1-2", "run-1-3"])
    }
}
