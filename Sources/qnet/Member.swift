import ArgumentParser
import Foundation
import QNetCoordinator
import QNetCore
import QNetNode
import QNetPhysics
import QNetProtocols
import QNetScenario
import QNetWire
import QNetZMQ

/// Options shared by the member subcommands.
struct MemberOptions: ParsableArguments {
    @Option(help: "The coordinator's endpoint, e.g. ipc:///tmp/qnet-1/coordinator or tcp://10.0.0.1:5555.")
    var connect: String

    @Option(help: "This process's name in the scenario (its ZeroMQ identity).")
    var name: String

    @Option(name: [.long, .customLong("bind")], help: "Exchange backplane messages with peers directly, receiving them on a ZeroMQ socket bound here (e.g. tcp://0.0.0.0:6000, ipc:///tmp/qnet-1/bp-n0); without it, this node's backplane messages (both ways) go through the coordinator.")
    var backplane: String?

    @Option(name: [.long, .customLong("advertise")], help: "The endpoint peers connect to for --backplane, when it differs from the bound one (e.g. tcp://n0:6000 for a bind on 0.0.0.0).")
    var backplaneAdvertise: String?

    @Option(help: ArgumentHelp("Hold each direct backplane message up to this many wall-clock milliseconds (testing).", visibility: .hidden))
    var backplaneJitterMs: Double = 0

    func validate() throws {
        guard !name.isEmpty, name.utf8.count <= 255 else {
            throw ValidationError("--name must be 1 to 255 bytes")
        }
        for (flag, value) in [("--backplane (--bind)", backplane), ("--backplane-advertise (--advertise)", backplaneAdvertise)] {
            if let value, !(value.hasPrefix("tcp://") || value.hasPrefix("ipc://")) {
                throw ValidationError("\(flag) must be a tcp:// or ipc:// endpoint, got \(value.debugDescription)")
            }
        }
        if backplaneAdvertise != nil && backplane == nil {
            throw ValidationError("--backplane-advertise (--advertise) needs --backplane (--bind)")
        }
        guard backplaneJitterMs >= 0, backplaneJitterMs <= 10_000 else {
            throw ValidationError("--backplane-jitter-ms must be in [0, 10000], got \(backplaneJitterMs)")
        }
    }

    /// Connects, registers and runs `makeBehavior`'s behaviour until the coordinator ends the run.
    func run(role: MessageBody.Role, makeBehavior: @escaping (MessageBody.Welcome) throws -> ProcessBehavior) throws {
        Signals.ignoreInterrupt()
        let prefix = "qnet \(role.rawValue) \(name.printable): "
        // Lines carry peers' names and bytes: escaped, so a peer cannot write to the terminal.
        let log: (String) -> Void = { FileHandle.standardError.write(Data((prefix + $0.printable + "\n").utf8)) }
        do {
            let transport = try ZMQDealerTransport(endpoint: connect, identity: name, maxMessageBytes: Int64(WireFrame.maxBytes))
            defer { transport.close() }
            let shell = ProcessShell(name: name, role: role, transport: transport, log: log)
            shell.backplaneBind = backplane
            shell.backplaneAdvertise = backplaneAdvertise
            shell.backplaneJitterSeconds = backplaneJitterMs / 1000
            try shell.run(makeBehavior: makeBehavior)
        } catch {
            log("\(error)")
            throw ExitCode(1)
        }
    }
}

struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node", abstract: "Run one quantum-network node (started by `qnet run`, or by hand in a container).")
    @OptionGroup var member: MemberOptions

    func run() throws {
        try member.run(role: .node) { welcome in
            guard case let .node(configuration)? = welcome.configuration else {
                throw ShellError("the coordinator's welcome has no node configuration")
            }
            return NodeBehavior(runtime: NodeRuntime(configuration: configuration))
        }
    }
}

struct StationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "station", abstract: "Run the heralding station of one link.")
    @OptionGroup var member: MemberOptions

    @Option(help: "Index of the link (0-based, in scenario order); checked against the configuration from the coordinator.")
    var link: UInt32?

    @Option(help: "batched or per-attempt.")
    var sampling: StationAgent.SamplingMode = .batched

    func run() throws {
        try member.run(role: .station) { [link, sampling] welcome in
            guard case let .station(configuration)? = welcome.configuration else {
                throw ShellError("the coordinator's welcome has no station configuration")
            }
            if let link, link != configuration.link.rawValue {
                throw ShellError("--link \(link) does not match the coordinator's configuration (link \(configuration.link.rawValue))")
            }
            return StationBehavior(configuration: configuration, mode: sampling)
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a scenario file without running it.")
    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() throws {
        let (scenario, _) = try scenarioOptions.load()
        let plan: ClusterPlan
        do { plan = try ClusterPlan(scenario: scenario) } catch { throw badInput(error.description) }
        print("\(scenario.file): ok — \(scenario.nodes.count) nodes, \(scenario.links.count) links, \(scenario.requests.count) requests, \(scenario.clock.mode.rawValue) clock, \(scenario.duration) virtual")
        for link in scenario.links {
            guard let physics = try? LinkPhysics(scenario: scenario, link: link) else { continue }
            print(String(format: "  link %@–%@ (%@, %@): p = %.4g per attempt, cycle %@, expected %.4g pairs/s, heralded fidelity %.4f",
                         scenario.node(link.a).name, scenario.node(link.b).name, link.scheme.rawValue, "\(link.length)",
                         physics.successProbability, "\(physics.timing.cycle)", physics.expectedRatePerSecond, physics.model.heraldedFidelity))
            if let satellite = try? SatelliteLinkPhysics(scenario: scenario, link: link) {
                let pass = satellite.satellite.pass
                print(String(format: "    satellite pass (at culmination above): up %.1f–%.1f s, elevation %.1f°–%.1f°, slant range %.0f–%.0f km, loss %.2f–%.2f dB",
                             pass.startSeconds, pass.endSeconds, pass.minElevation * 180 / .pi, pass.maxElevation * 180 / .pi,
                             pass.shortestSlantRangeMetres / 1000, pass.longestSlantRangeMetres / 1000,
                             satellite.satellite.lossDecibels(atSeconds: pass.culminationSeconds), satellite.satellite.lossDecibels(atSeconds: pass.startSeconds)))
            }
        }
        // Requests the duration cannot serve, by the link model's expected time: a pair needs one
        // pair on every link of its path, so pairs × the slowest link's expected generation time
        // (1 / expected rate, what `routing: expected-time` weighs links by) is a lower bound;
        // over several paths at once, pairs / the sum of their slowest links' rates.
        func expectedSeconds(_ link: LinkSpec) -> Double {
            guard let physics = try? LinkPhysics(scenario: scenario, link: link), physics.expectedRatePerSecond > 0 else { return .infinity }
            return 1 / physics.expectedRatePerSecond
        }
        func slowest(_ path: [NodeID]) -> Double {
            zip(path, path.dropFirst()).map { a, b in scenario.link(between: a, and: b).map(expectedSeconds) ?? .infinity }.max() ?? .infinity
        }
        func names(_ path: [NodeID]) -> String { path.map { scenario.node($0).name }.joined(separator: ">") }
        for (i, request) in scenario.requests.enumerated() {
            let paths = plan.paths[i].filter { $0.count >= 2 }
            guard !paths.isEmpty else { continue }
            let name = "\(scenario.node(request.from).name) → \(scenario.node(request.to).name)"
            if scenario.policies.routing == .kShortest {
                print("  requests[\(i)] \(name): \(paths.count) path\(paths.count == 1 ? "" : "s") (policies.routing: k-shortest, paths: \(scenario.policies.paths)\(scenario.staticRoute(from: request.from, to: request.to) != nil ? "; a static route" : ""))")
                for (k, path) in paths.enumerated() {
                    print(String(format: "    path %d: %@ (%d link%@, slowest link expected %.4g pairs/s)", k, names(path), path.count - 1,
                                 path.count == 2 ? "" : "s", 1 / slowest(path)))
                }
            }
            let perPair = 1 / paths.reduce(0) { $0 + 1 / slowest($1) }
            let needed = request.start.seconds + Double(request.pairs) * perPair
            if !perPair.isFinite {
                // No path has a link that can herald (p = 0: e.g. a clock offset beyond the window).
                let dead = Set(paths.flatMap { zip($0, $0.dropFirst()) }.compactMap { a, b in scenario.link(between: a, and: b) }
                    .filter { expectedSeconds($0) == .infinity }
                    .map { "\(scenario.node($0.a).name)–\(scenario.node($0.b).name)" }).sorted()
                FileHandle.standardError.write(Data(
                    "warning: \(scenario.file): requests[\(i)] (\(name), \(request.pairs) pairs) can never be served: link\(dead.count == 1 ? "" : "s") \(dead.joined(separator: ", ")) can never herald by the link model (success probability 0 per attempt: a clock offset beyond the coincidence window, or no light reaching the station)\n".utf8))
            } else if needed > scenario.duration.seconds {
                let why = paths.count == 1 ? "the expected generation time of the slowest link on its path"
                    : "1 / the sum over its \(paths.count) paths of their slowest links' expected rates"
                FileHandle.standardError.write(Data(String(format: "warning: %@: requests[%d] (%@, %d pairs) cannot be served within the duration (%@): by the link model it needs at least %.4g s (start + pairs × %.4g s, %@)\n",
                    scenario.file, i, name, request.pairs, "\(scenario.duration)", needed, perPair, why).utf8))
            }
        }
    }
}
