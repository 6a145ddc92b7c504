import Foundation
import Testing

@testable import QNetScenario

/// A report reads pairs.csv a block at a time and holds at most ``Report/mostPairs`` rows: a
/// longer file is thinned to every k-th row (k a power of two), and the page says so.
@Suite("Report: reading pairs.csv")
struct ReportPairsTests {
    static func csv(rows: Int) -> String {
        var text = "request,from,to,createdSeconds,deliveredSeconds,fidelity,outcomeA,outcomeB,path,linkPairs,oldestLinkSeconds,pathIndex\n"
        for i in 0..<rows { text += "0,a,b,\(Double(i)),\(Double(i) + 0.5),0.9,,,a>b,0#\(i),\(Double(i)),0\n" }
        return text
    }

    @Test func aLongFileIsEveryKthRowWithKAPowerOfTwo() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qnet-pairs-\(UUID().uuidString.prefix(8)).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        // 50 000 rows cross many 64 KiB blocks; the last line has no newline.
        var text = Self.csv(rows: 50_000)
        text.removeLast()
        try text.write(to: file, atomically: true, encoding: .utf8)
        let all = Report.pairs(file: file, limit: .max)
        #expect(all.rows.count == 50_000 && all.stride == 1 && all.total == 50_000)
        #expect(all.rows == Report.pairs(csv: text))
        #expect(all.rows.last?.createdSeconds == 49_999)
        // At most 100 rows: every 512th (50 000 / 256 > 100 ≥ 50 000 / 512).
        let thinned = Report.pairs(file: file, limit: 100)
        #expect(thinned.stride == 512 && thinned.total == 50_000)
        #expect(thinned.rows.count == 98)
        #expect(thinned.rows.map(\.createdSeconds) == stride(from: 0, to: 50_000, by: 512).map(Double.init))
        #expect(Report.pairs(file: file.appendingPathExtension("missing")).total == 0)
    }

    @Test func aThinnedRunSaysSoOnItsPage() throws {
        let summary = Results.Summary(
            scenario: "s", scenarioFile: "s.yaml", seed: 1, version: "t", clockMode: "lockstep", status: "completed",
            virtualSeconds: 1, wallSeconds: 1, processes: [], requests: [], links: [],
            messages: .init(routed: 0, backplane: 0, heralds: 0, feedForward: 0, perDeliveredPair: nil, clock: 0, dropped: 0, byType: [:]))
        let rows = Report.pairs(csv: Self.csv(rows: 10))
        let html = Report.section(run: summary, pairs: rows, title: "t", stride: 4, total: 40)
        #expect(html.contains("data-stride=\"4\""))
        #expect(html.contains("10 of 40 pairs"))
        #expect(!Report.section(run: summary, pairs: rows, title: "t").contains("data-stride"))
    }
}
