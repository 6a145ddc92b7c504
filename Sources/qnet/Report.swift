import ArgumentParser
import Foundation
import QNetScenario

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained report.html (inline SVG, no network fetches) of run folders and sweep folders; several folders are shown side by side."
    )

    @Argument(help: "Results folders: qnet run folders (summary.json, pairs.csv) or qnet sweep folders (sweep.json).")
    var folders: [String] = []

    @Option(help: "Where to write the report (default: report.html in the first folder).")
    var out: String?

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("give at least one results folder (a qnet run or qnet sweep --out folder)") }
    }

    func run() throws {
        let urls = folders.map { URL(fileURLWithPath: $0) }
        let html: String
        do { html = try Report.html(folders: urls) } catch { throw badInput(error.description) }
        let target = out.map { URL(fileURLWithPath: $0) } ?? urls[0].appendingPathComponent("report.html")
        do { try Data(html.utf8).write(to: target, options: .atomic) } catch {
            throw badInput("cannot write '\(target.path)': \(error.localizedDescription)")
        }
        print("report: \(target.path)")
    }
}
