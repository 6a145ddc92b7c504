import ArgumentParser
import Foundation
import QNetCoordinator
import QNetScenario

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a grid of --set values and seeds, each run a full `qnet run` cluster, and write sweep.csv and sweep.json."
    )

    @Argument(help: "Scenario file (YAML), or - for standard input (kept as scenario.yaml in the sweep folder).")
    var scenario: String

    @Option(name: .customLong("set"), help: ArgumentHelp("A swept key and its values: KEY=V1,V2,… (KEY as in `qnet run --set`; commas inside {} or [] belong to one value); repeatable: the grid is the cartesian product.", valueName: "KEY=V1,V2,…"))
    var axes: [String] = []

    @Option(help: "Seeds per point: each point runs with seed=1 … seed=N (1…1000).")
    var seeds: Int = 1

    @Option(help: "At most this many runs at a time (1…64).")
    var jobs: Int = 1

    @Option(help: "Sweep folder: a new or empty folder; each point's runs go to point-NNN/seed-S.")
    var out: String

    @Flag(help: "Print no progress line.")
    var quiet = false

    // `.unconditional`: the value itself starts with `--` (`--run-arguments "--stations coordinator"`).
    @Option(parsing: .unconditional, help: ArgumentHelp("Extra arguments for every `qnet run`, space-separated (e.g. \"--stations coordinator\").", valueName: "ARGS"))
    var runArguments: String = ""

    func validate() throws {
        guard (1...1000).contains(seeds) else { throw ValidationError("--seeds must be in 1...1000, got \(seeds)") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be in 1...64, got \(jobs)") }
        guard !out.isEmpty else { throw ValidationError("--out is empty; allowed: a folder path") }
    }

    /// One run still to start or running.
    struct Job {
        var point: Int
        var seed: UInt64
        var folder: URL
        var arguments: [String]
    }

    func run() throws {
        // Every point is checked before anything runs: a bad key or value is one error naming it.
        let parsedAxes: [Sweep.Axis]
        do {
            parsedAxes = try axes.map { text throws(ScenarioOverrideError) in try Sweep.Axis(parsing: text) }
        } catch {
            throw badInput(error.description)
        }
        let keys = parsedAxes.map(\.key)
        if let duplicate = keys.first(where: { k in keys.filter { $0 == k }.count > 1 }) {
            throw badInput("--set \(duplicate) is given twice; allowed: each key once, with all its values (KEY=V1,V2,…)")
        }
        if keys.contains("seed") {
            throw badInput("--set seed: a sweep sets the seed itself (seed=1 … --seeds N); allowed: --seeds N")
        }
        let points = Sweep.points(parsedAxes)
        let text: String
        var scenarioName = ""
        // A scenario from standard input is read once and kept in the sweep folder, where every
        // run reads it.
        let fromStandardInput = scenario == "-"
        do {
            if fromStandardInput {
                text = try scenarioFromStandardInput()
                scenarioName = try Scenario.parse(yaml: text, file: "<stdin>").name
            } else {
                let first = try Scenario.load(path: scenario)
                scenarioName = first.name
                text = (try? String(contentsOfFile: scenario, encoding: .utf8)) ?? ""
            }
            for point in points {
                let s = try Scenario.parse(yaml: text, file: fromStandardInput ? "<stdin>" : scenario, overrides: point)
                _ = try ClusterPlan(scenario: s)
            }
        } catch let error as ScenarioError {
            throw badInput(error.description)
        } catch let error as ExitCode {
            throw error
        } catch {
            throw badInput("\(scenario): \(error)")
        }
        let outURL = URL(fileURLWithPath: out)
        do { try ResultsWriter.check(directory: outURL, replacing: false) } catch { throw badInput(error.description) }
        do { try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true) } catch {
            throw badInput("cannot create the sweep folder '\(out)': \(error.localizedDescription)")
        }
        var scenarioPath = scenario
        if fromStandardInput {
            scenarioPath = outURL.appendingPathComponent("scenario.yaml").path
            guard FileManager.default.createFile(atPath: scenarioPath, contents: Data(text.utf8)) else {
                throw badInput("cannot write the scenario to '\(scenarioPath)'")
            }
        }

        let extra = runArguments.split(separator: " ").map(String.init)
        var queue: [Job] = []
        for (p, point) in points.enumerated() {
            let pointFolder = outURL.appendingPathComponent(String(format: "point-%03d", p))
            for seed in 1...UInt64(seeds) {
                let folder = pointFolder.appendingPathComponent("seed-\(seed)")
                let sets = point.flatMap { ["--set", $0.description] } + ["--set", "seed=\(seed)"]
                queue.append(Job(point: p, seed: seed, folder: folder, arguments: ["run", scenarioPath] + sets + ["--out", folder.path, "--quiet"] + extra))
            }
        }
        var rows = points.enumerated().map { p, point in
            Sweep.Row(point: p, values: Dictionary(uniqueKeysWithValues: point.map { ($0.key, $0.value) }), runs: [], metrics: [:])
        }
        var summaries: [[Results.Summary]] = Array(repeating: [], count: points.count)
        let total = queue.count
        var table = Sweep.Table(scenario: scenarioName, axes: parsedAxes, seeds: seeds, rows: rows)
        try? Sweep.write(table, to: outURL)

        Signals.install()
        let progress = !quiet && isatty(STDERR_FILENO) == 1
        let started = Date()
        var running: [(job: Job, process: Process)] = []
        var finished = 0
        var failures: [String] = []
        var interrupted: Int32 = 0
        var interruptedAt = Date.distantFuture
        func report() {
            guard progress else { return }
            let elapsed = Date().timeIntervalSince(started)
            let pointsDone = rows.filter { $0.runs.count == seeds }.count
            var line = "sweep: \(pointsDone)/\(points.count) points, \(finished)/\(total) runs, \(running.count) running, \(Self.rounded(elapsed)) elapsed"
            if finished > 0 {
                // Runs left, at the pace so far (jobs run side by side, so the wall pace already counts them).
                line += ", about \(Self.rounded(elapsed / Double(finished) * Double(total - finished))) left"
            }
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        }
        while !queue.isEmpty || !running.isEmpty {
            let signal = Signals.received.load(ordering: .relaxed)
            if signal != 0 && interrupted == 0 {
                interrupted = signal
                interruptedAt = Date()
                queue.removeAll()
                // A Ctrl-C on the terminal reaches every run's process group already; a signal
                // sent to the sweep alone is passed on. Each run then shuts its cluster down.
                for r in running where r.process.isRunning { kill(r.process.processIdentifier, signal == SIGINT ? SIGINT : SIGTERM) }
            }
            if interrupted != 0 && Date().timeIntervalSince(interruptedAt) > 30 {
                // A run that has not shut down in 30 s is ended (its members exit when their
                // coordinator falls silent).
                for r in running where r.process.isRunning { kill(r.process.processIdentifier, SIGKILL) }
            }
            while interrupted == 0 && running.count < jobs && !queue.isEmpty {
                let job = queue.removeFirst()
                let process = Process()
                process.executableURL = Run.executableURL()
                process.arguments = job.arguments
                let logURL = job.folder.deletingLastPathComponent().appendingPathComponent("seed-\(job.seed).log")
                try? FileManager.default.createDirectory(at: job.folder.deletingLastPathComponent(), withIntermediateDirectories: true)
                FileManager.default.createFile(atPath: logURL.path, contents: nil)
                let log = FileHandle(forWritingAtPath: logURL.path)
                process.standardOutput = log ?? FileHandle.nullDevice
                process.standardError = log ?? FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                // The run stops (as on SIGTERM, keeping its results) if the sweep dies, even by SIGKILL.
                process.environment = ProcessInfo.processInfo.environment.merging([Signals.parentVariable: "\(getpid())"]) { _, new in new }
                do { try process.run() } catch {
                    failures.append("point \(job.point) seed \(job.seed): cannot start qnet run: \(error.localizedDescription)")
                    finished += 1
                    continue
                }
                try? log?.close()
                running.append((job, process))
            }
            usleep(50_000)
            var stillRunning: [(job: Job, process: Process)] = []
            for r in running {
                if r.process.isRunning {
                    stillRunning.append(r)
                    continue
                }
                finished += 1
                let job = r.job
                let relative = String(format: "point-%03d/seed-%d", job.point, job.seed)
                let summaryURL = job.folder.appendingPathComponent("summary.json")
                var status = "failed"
                if let data = FileManager.default.contents(atPath: summaryURL.path),
                   let summary = try? JSONDecoder().decode(Results.Summary.self, from: data) {
                    status = summary.status
                    summaries[job.point].append(summary)
                }
                if r.process.terminationStatus != 0 && interrupted == 0 {
                    failures.append("\(relative): qnet run exited with status \(r.process.terminationStatus) (see \(relative).log)")
                }
                rows[job.point].runs.append(Sweep.RunRecord(seed: job.seed, folder: relative, status: status))
                rows[job.point].runs.sort { $0.seed < $1.seed }
                rows[job.point].metrics = Sweep.aggregate(summaries[job.point])
                table.rows = rows
                do { try Sweep.write(table, to: outURL) } catch {
                    failures.append("\(error)")
                }
            }
            running = stillRunning
            report()
        }
        if progress { FileHandle.standardError.write(Data("\n".utf8)) }
        let wall = Date().timeIntervalSince(started)
        print("sweep: \(points.count) points × \(seeds) seed\(seeds == 1 ? "" : "s"), \(finished) runs in \(String(format: "%.1f", wall)) s wall (--jobs \(jobs)); \(outURL.appendingPathComponent("sweep.csv").path)")
        for f in failures { FileHandle.standardError.write(Data("qnet sweep: \(f.printable)\n".utf8)) }
        if interrupted != 0 {
            FileHandle.standardError.write(Data("qnet sweep: interrupted by \(Signals.name(interrupted)); the finished runs are in sweep.csv and sweep.json\n".utf8))
            throw ExitCode(128 + interrupted)
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    /// A duration for the progress line, rounded: `45 s`, `3 min 20 s`, `1 h 05 min`.
    static func rounded(_ seconds: Double) -> String {
        let s = Int(max(0, seconds).rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(String(format: "%02d", s % 60)) s" }
        return "\(s / 3600) h \(String(format: "%02d", (s % 3600) / 60)) min"
    }
}
