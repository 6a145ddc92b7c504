import ArgumentParser
import Foundation
import QNetCoordinator
import QNetCore
import QNetNode
import QNetProtocols
import QNetScenario
import QNetZMQ

/// Options shared by the commands that read a scenario.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "Scenario file (YAML). Without one, the embedded two-node default runs.")
    var scenario: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value: KEY=VALUE, KEY a dotted path into the file (policies.swap=asap, defaults.memory.t2=1ms, nodes.alice.memory.qubits=4, links.0.length=20km, seed=3, duration=1s); repeatable.", valueName: "KEY=VALUE"))
    var overrides: [String] = []

    /// The `--set` overrides, parsed.
    func parsedOverrides() throws -> [ScenarioOverride] {
        do {
            return try overrides.map { text throws(ScenarioOverrideError) in try ScenarioOverride(parsing: text) }
        } catch {
            throw badInput(error.description)
        }
    }

    func load() throws -> (Scenario, String) {
        let overrides = try parsedOverrides()
        guard let path = scenario else {
            do {
                return (try Scenario.parse(yaml: Scenario.embeddedDefaultYAML, file: Scenario.embeddedDefaultFile, overrides: overrides), Scenario.embeddedDefaultYAML)
            } catch {
                throw badInput(error.description)
            }
        }
        do {
            if path == "-" {
                let text = try scenarioFromStandardInput()
                return (try Scenario.parse(yaml: text, file: "<stdin>", overrides: overrides), text)
            }
            if overrides.isEmpty {
                let scenario = try Scenario.load(path: path)
                let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                return (scenario, text)
            }
            // An unreadable file is reported by load's checks.
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                _ = try Scenario.load(path: path)
                throw badInput("\(path): cannot read the scenario file")
            }
            return (try Scenario.parse(yaml: text, file: path, overrides: overrides), text)
        } catch let error as ScenarioError {
            throw badInput(error.description)
        }
    }
}

/// Reports bad input (a scenario file, a results folder) as one line on standard error and
/// returns exit status 64 (EX_USAGE, what ArgumentParser gives a `ValidationError`) to throw.
/// A `ValidationError` thrown from `run()` would also print the root command's usage, which is
/// about the command line, not about the file.
/// The scenario on standard input (`-`), read up to one byte past the size limit (the parser
/// refuses a larger one); exit 64 when it is not UTF-8 text.
func scenarioFromStandardInput() throws(ExitCode) -> String {
    let data = FileHandle.standardInput.readData(ofLength: Scenario.largestFileBytes + 1)
    guard let text = String(data: data, encoding: .utf8) else {
        throw badInput("<stdin>: the scenario on standard input is not UTF-8 text")
    }
    return text
}

func badInput(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("Error: \(message.printable)\n".utf8))
    return .validationFailure
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario on a local cluster: a coordinator here, every node (and, by default, every station) as its own process."
    )

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Option(name: .long, help: "Results folder: a new or empty folder (default: results/<scenario>-<time>, made unique with -2, -3, ...).")
    var out: String?

    @Flag(help: "Replace the results of an earlier run in the --out folder (its pairs.csv, events.jsonl and summary.json), instead of refusing a folder that is not empty.")
    var force = false

    @Option(help: "Transport: ipc (a socket file in a private temporary folder) or tcp (loopback).")
    var transport: TransportKind = .ipc

    @Option(help: "Heralding sampler at the stations: batched (geometric, O(1) per pair) or per-attempt (validation).")
    var sampling: StationAgent.SamplingMode = .batched

    @Option(help: "Where the stations run: process (each its own `qnet station`) or coordinator (inside the coordinator: no station processes, no lockstep round between a batch and its herald).")
    var stations: ClusterPlan.StationPlacement = .process

    @Option(help: "How backplane messages (quantum-state bookkeeping between nodes) travel: direct (node to node, each node binding its own ZeroMQ socket) or coordinator (through the coordinator's socket).")
    var backplane: BackplaneRoute = .direct

    enum BackplaneRoute: String, ExpressibleByArgument, CaseIterable { case direct, coordinator }

    @Flag(help: "Print no progress line.")
    var quiet = false

    @Option(help: "Which control-plane messages events.jsonl records: all (about 690 bytes per pair), sample (the first 10000, then every 100th, at most 100000 lines) or none.")
    var events: ResultsWriter.EventsMode = .all

    @Option(help: "Bind the coordinator here instead (e.g. tcp://0.0.0.0:5555); overrides --transport.")
    var bind: String?

    @Option(help: "The endpoint members connect to, when it differs from --bind (e.g. tcp://10.0.0.1:5555 or tcp://coordinator:5555 for a bind on 0.0.0.0); recorded in summary.json.")
    var advertise: String?

    @Option(help: "Fail the run when a member has been silent this many seconds (members send a heartbeat every second).")
    var memberSilenceLimit: Double = 15

    @Flag(help: "Start no members: wait for `qnet node`/`qnet station` processes started elsewhere (containers) to connect.")
    var noSpawn = false

    @Option(help: ArgumentHelp("Hold each backplane message up to this many wall-clock milliseconds (testing).", visibility: .hidden))
    var backplaneJitterMs: Double = 0

    @Option(help: "Seconds to wait for every member to register.")
    var registrationTimeout: Double = 30

    @Option(help: "Under policies.placement: controller, bind the controller endpoint here (default: a private ipc socket, or tcp://127.0.0.1:* with --transport tcp).")
    var controllerEndpoint: String?

    @Flag(help: "Under policies.placement: controller, start no `qnet controller`: wait for a controller program (any language, scheduler.proto; see docs/controller-protocol.md) to connect to --controller-endpoint.")
    var externalController = false

    func validate() throws {
        guard registrationTimeout > 0, registrationTimeout <= 3600 else {
            throw ValidationError("--registration-timeout must be in (0, 3600] seconds, got \(registrationTimeout)")
        }
        guard memberSilenceLimit >= 2, memberSilenceLimit <= 3600 else {
            throw ValidationError("--member-silence-limit must be in [2, 3600] seconds, got \(memberSilenceLimit)")
        }
        for (flag, value) in [("--bind", bind), ("--advertise", advertise)] {
            if let value, let problem = Self.endpointProblem(value, binding: flag == "--bind") {
                throw ValidationError("\(flag) \(value.printable.debugDescription): \(problem)")
            }
        }
        if advertise != nil && bind == nil {
            throw ValidationError("--advertise needs --bind")
        }
        if let controllerEndpoint, let problem = Self.endpointProblem(controllerEndpoint, binding: true) {
            throw ValidationError("--controller-endpoint \(controllerEndpoint.printable.debugDescription): \(problem)")
        }
        if externalController && controllerEndpoint == nil {
            throw ValidationError("--external-controller needs --controller-endpoint (the endpoint the controller program connects to)")
        }
        if let out, out.isEmpty {
            throw ValidationError("--out is empty; allowed: a folder path (omit --out for results/<scenario>-<time>)")
        }
        if force && out == nil {
            throw ValidationError("--force needs --out (a default results folder is always new)")
        }
    }

    /// What is wrong with a ZeroMQ endpoint given on the command line, or nil: `ipc://PATH`, or
    /// `tcp://HOST:PORT` with a port in 1...65535 (`*` for any free port, when binding).
    static func endpointProblem(_ endpoint: String, binding: Bool) -> String? {
        if endpoint.hasPrefix("ipc://") {
            return endpoint.count > "ipc://".count ? nil : "allowed: ipc://PATH with a path"
        }
        guard endpoint.hasPrefix("tcp://") else { return "allowed: a tcp:// or ipc:// endpoint" }
        let address = endpoint.dropFirst("tcp://".count)
        guard let colon = address.lastIndex(of: ":"), colon != address.startIndex else {
            return "allowed: tcp://HOST:PORT"
        }
        let port = address[address.index(after: colon)...]
        let any = binding ? " or * (any free port)" : ""
        if binding && port == "*" { return nil }
        guard let number = Int(port), (1...65_535).contains(number) else {
            return "port '\(port)' is out of range; allowed: 1...65535\(any)"
        }
        return nil
    }

    enum TransportKind: String, ExpressibleByArgument, CaseIterable { case ipc, tcp }

    func run() throws {
        let (scenario, text) = try scenarioOptions.load()
        let plan: ClusterPlan
        do { plan = try ClusterPlan(scenario: scenario, stations: stations) } catch { throw badInput(error.description) }
        let runID = "\(scenario.name)-\(Self.timestamp())"
        // Nothing is written before the run can start: the folder is checked now, and taken (or,
        // with --force, emptied) only once the coordinator's socket is bound.
        if let out {
            do { try ResultsWriter.check(directory: URL(fileURLWithPath: out), replacing: force) } catch { throw badInput(error.description) }
        }

        Signals.install()
        var socketFolder: URL?
        let bindEndpoint: String
        switch transport {
        case _ where bind != nil:
            bindEndpoint = bind!
        case .ipc:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qnet-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            socketFolder = folder
            bindEndpoint = "ipc://\(folder.path)/coordinator"
        case .tcp:
            bindEndpoint = "tcp://127.0.0.1:*"
        }
        defer { if let socketFolder { try? FileManager.default.removeItem(at: socketFolder) } }

        let router: ZMQRouterTransport
        do {
            router = try ZMQRouterTransport(bind: bindEndpoint, maxMessageBytes: Int64(WireFrame.maxBytes))
        } catch {
            throw badInput("cannot bind the coordinator to \(bindEndpoint.debugDescription): \(error)")
        }
        defer { router.close() }
        let outURL: URL
        let writer: ResultsWriter
        do throws(ResultsError) {
            if let out {
                outURL = URL(fileURLWithPath: out)
            } else {
                outURL = try ResultsWriter.uniqueDirectory(URL(fileURLWithPath: "results/\(runID)"))
            }
            writer = try ResultsWriter(directory: outURL, replacing: force)
        } catch {
            throw badInput(error.description)
        }
        writer.eventsMode = events
        // Lines carry peers' names and bytes: escaped, so a peer cannot write to the terminal.
        let log: (String) -> Void = { line in FileHandle.standardError.write(Data("\rqnet coordinator: \(line.printable)\n".utf8)) }
        var options = Coordinator.Options(runID: runID)
        options.progress = !quiet && isatty(STDERR_FILENO) == 1
        // What members connect to: the advertised endpoint, else the bound one.
        let memberEndpoint = advertise ?? router.endpoint
        options.endpoint = memberEndpoint
        options.registrationTimeoutSeconds = registrationTimeout
        options.backplaneJitterSeconds = max(0, backplaneJitterMs) / 1000
        options.sampling = sampling
        let coordinator = Coordinator(plan: plan, transport: router, options: options, writer: writer, log: log)
        // Controller placement: the controller program's socket, and the built-in program unless
        // an external one is to connect.
        var controllerRouter: ZMQRouterTransport?
        var controllerProcess: Process?
        if scenario.policies.placement == .controller {
            let endpoint = controllerEndpoint ?? socketFolder.map { "ipc://\($0.path)/controller" } ?? "tcp://127.0.0.1:*"
            do {
                controllerRouter = try ZMQRouterTransport(bind: endpoint, maxMessageBytes: Int64(WireFrame.maxBytes))
            } catch {
                throw badInput("cannot bind the controller endpoint \(endpoint.debugDescription): \(error)")
            }
            coordinator.controllerChannel = ControllerChannel(transport: controllerRouter!)
            if externalController {
                FileHandle.standardError.write(Data("qnet: waiting for a controller program at \(controllerRouter!.endpoint)\n".utf8))
            } else {
                let process = Process()
                process.executableURL = Self.executableURL()
                process.arguments = ["controller", "--connect", controllerRouter!.endpoint]
                do { try process.run() } catch {
                    throw badInput("cannot start `qnet controller`: \(error.localizedDescription)")
                }
                controllerProcess = process
            }
        } else if externalController || controllerEndpoint != nil {
            throw badInput("\(scenario.file): --external-controller and --controller-endpoint apply only to policies.placement: controller")
        }
        defer {
            if let process = controllerProcess, process.isRunning {
                // It exits on the stop frame; otherwise it is ended here (no orphan).
                let deadline = Date().addingTimeInterval(2)
                while process.isRunning && Date() < deadline { usleep(20_000) }
                if process.isRunning { process.terminate(); process.waitUntilExit() }
            }
            controllerRouter?.close()
        }
        coordinator.silenceLimitSeconds = memberSilenceLimit
        let jitterArguments = backplaneJitterMs > 0 ? ["--backplane-jitter-ms", "\(backplaneJitterMs)"] : []
        let launcher = ClusterLauncher(
            executable: Self.executableURL(), endpoint: memberEndpoint, plan: plan,
            extraStationArguments: ["--sampling", sampling.rawValue],
            nodeArguments: { [backplane] name in
                guard backplane == .direct else { return [] }
                // ipc: a socket file beside the coordinator's, named by the node's index; tcp: loopback, any port.
                let index = scenario.nodeID(named: name).map { "\($0.rawValue)" } ?? "x"
                let endpoint = socketFolder.map { "ipc://\($0.path)/backplane-\(index)" } ?? "tcp://127.0.0.1:*"
                return ["--backplane", endpoint] + jitterArguments
            })
        if noSpawn {
            FileHandle.standardError.write(Data("qnet: coordinator at \(router.endpoint)\(advertise.map { " (members connect to \($0))" } ?? ""); waiting for \(plan.members.map(\.name).joined(separator: ", "))\n".utf8))
        }
        coordinator.supervise = { [controllerProcess] in
            if let process = controllerProcess, !process.isRunning {
                return "the controller program (qnet controller) exited with status \(process.terminationStatus)"
            }
            return launcher.deadMember()
        }
        coordinator.interrupted = { Signals.received.load(ordering: .relaxed) != 0 }

        if !noSpawn {
            do { try launcher.launch() } catch {
                launcher.stop(graceSeconds: 0.5)
                let message = "cannot start the members: \(error)"
                try? writer.write(coordinator.summary(.failed(message)))
                writer.close()
                FileHandle.standardError.write(Data("qnet: run failed: \(message)\n".utf8))
                throw ExitCode(1)
            }
        }
        let outcome = coordinator.run()
        launcher.stop(graceSeconds: outcome == .completed || outcome == .durationReached ? 3 : 0.5)
        if options.progress { FileHandle.standardError.write(Data("\n".utf8)) }

        let summary = coordinator.summary(outcome)
        // The run's own report, beside its results (after summary.json and pairs.csv are final).
        if let html = try? Report.html(folders: [outURL]) {
            try? Data(html.utf8).write(to: outURL.appendingPathComponent("report.html"), options: .atomic)
        }
        printSummary(summary, folder: outURL.path)
        switch outcome {
        case .completed, .durationReached: return
        case .interrupted:
            // 128 + the signal, as a shell reports a process the signal ended: 130 for SIGINT, 143
            // for SIGTERM, 129 for SIGHUP.
            let signal = Signals.received.load(ordering: .relaxed)
            let name = Signals.name(signal)
            FileHandle.standardError.write(Data("qnet: interrupted by \(name); results so far are in \(outURL.path)\n".utf8))
            throw ExitCode(128 + (signal > 0 ? signal : SIGINT))
        case let .failed(message):
            FileHandle.standardError.write(Data("qnet: run failed: \(message); results so far are in \(outURL.path)\n".utf8))
            throw ExitCode(1)
        }
    }

    func printSummary(_ s: Results.Summary, folder: String) {
        var lines = ["\(s.scenario): \(s.status) after \(String(format: "%.6g", s.virtualSeconds)) s virtual, \(String(format: "%.2f", s.wallSeconds)) s wall, \(s.processes.count) processes"]
        for r in s.requests {
            var line = "  \(r.from) → \(r.to) (\(r.type)): \(r.pairsDelivered)/\(r.pairsRequested) pairs"
            if let rate = r.ratePerSecond { line += String(format: ", rate %.4g pairs/s [%.4g, %.4g]", rate.mean, rate.ci95[0], rate.ci95[1]) }
            if let f = r.fidelity { line += String(format: ", fidelity %.4f [%.4f, %.4f]", f.mean, f.ci95[0], f.ci95[1]) }
            if let l = r.latencySeconds { line += String(format: ", latency p50 %.3g s p99 %.3g s", l.p50, l.p99) }
            lines.append(line)
        }
        for l in s.links {
            var line = "  link \(l.nodes.joined(separator: "–")) (\(l.scheme)): \(l.successes) successes in \(l.attempts) attempts"
            if let p = l.successProbability { line += String(format: ", p = %.4g (model %.4g)", p, l.modelSuccessProbability) }
            lines.append(line)
        }
        let perPair = s.messages.perDeliveredPair.map { String(format: "%.2f", $0) } ?? "-"
        lines.append("  messages: \(s.messages.routed) routed, \(s.messages.backplane) backplane, \(s.messages.heralds) heralds, \(perPair) per delivered pair, \(s.messages.dropped) dropped")
        lines.append("  results: \(folder)")
        print(lines.joined(separator: "\n"))
    }

    /// Local time as yyyyMMdd-HHmmss (without DateFormatter, which loads ICU data).
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return String(format: "%04d%02d%02d-%02d%02d%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// This executable, to start members with.
    static func executableURL() -> URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }
}

extension StationAgent.SamplingMode: ExpressibleByArgument {}
extension ResultsWriter.EventsMode: ExpressibleByArgument {}
extension ClusterPlan.StationPlacement: ExpressibleByArgument {}

/// Frame size limit shared by every socket.
enum WireFrame {
    static let maxBytes = 4 * 1024 * 1024 + 1024
}
