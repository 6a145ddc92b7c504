import ArgumentParser
import Foundation
import QNetCoordinator
import QNetScenario

/// Options shared by the commands that lay a run out as separate hosts.
struct LayoutOptions: ParsableArguments {
    @OptionGroup var scenarioOptions: ScenarioOptions

    @Option(help: "The IPv4 subnet the hosts' addresses come from (the coordinator is .2, members from .10).")
    var subnet: String = "10.213.0.0/24"

    @Option(help: "Where the stations run: process (each its own host) or coordinator.")
    var stations: ClusterPlan.StationPlacement = .process

    @Argument(parsing: .postTerminator, help: "More `qnet run` options for the coordinator, after `--`.")
    var runArguments: [String] = []

    func layout() throws -> (ClusterLayout, String) {
        let (scenario, text) = try scenarioOptions.load()
        do {
            let plan = try ClusterPlan(scenario: scenario, stations: stations)
            return (try ClusterLayout(plan: plan, subnet: IPv4Subnet(subnet)), text)
        } catch {
            throw badInput(error.description)
        }
    }
}

/// `qnet members`: the hosts of a run, one line each, for launch scripts (scripts/cluster.sh),
/// so that no script reads the scenario file itself.
struct Members: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the hosts of a run: role, name, host name, address, then the host's `qnet` arguments, tab-separated.",
        discussion: """
            The first line is the coordinator; its arguments use --scenario-path and --out. Members reach \
            the coordinator and each other by address (--subnet). Example: qnet members chain.yaml --out results/x
            """
    )

    @OptionGroup var layoutOptions: LayoutOptions

    @Option(help: "Results folder for the coordinator's arguments.")
    var out: String = "results"

    @Option(help: "The scenario path in the coordinator's arguments (default: the SCENARIO given, or none for the embedded default).")
    var scenarioPath: String?

    func run() throws {
        let (layout, _) = try layoutOptions.layout()
        let scenarioPath = scenarioPath ?? layoutOptions.scenarioOptions.scenario
        for host in layout.hosts {
            let arguments = host.role == "coordinator"
                ? layout.coordinatorArguments(scenarioPath: scenarioPath, out: out, addressing: .address, extra: layoutOptions.runArguments)
                : layout.memberArguments(host, addressing: .address)
            let fields = [host.role, host.name, host.hostName, host.address] + arguments
            if let bad = fields.first(where: { $0.contains("\t") || $0.contains("\n") }) {
                throw badInput("\(bad.debugDescription) contains a tab or a newline; this listing cannot carry it")
            }
            print(fields.joined(separator: "\t"))
        }
    }
}

/// `qnet compose`: a compose file and Kubernetes manifests for a scenario.
struct Compose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a compose file and Kubernetes manifests that run a scenario with one container per process.",
        discussion: """
            Writes DIR/scenario.yaml (a copy), DIR/docker-compose.yml and DIR/k8s/{scenario,coordinator,members}.yaml. \
            The compose network has --subnet; services reach each other by name. In Kubernetes the \
            coordinator is a Job behind the Service `coordinator`, and nodes are pods reached as <name>.qnet.
            """
    )

    @OptionGroup var layoutOptions: LayoutOptions

    @Option(help: "The folder to write.")
    var out: String

    @Option(help: "The image every container runs (its entry point is qnet).")
    var image: String = "localhost/qnetlab/qnet:latest"

    @Option(help: "The host folder the compose file mounts as the coordinator's results (relative to DIR, or absolute).")
    var results: String = "./results"

    @Flag(help: "In the compose file, hosts reach each other by address, not by service name (no name lookups during the run); whoever starts it must give the network --subnet and each container its address, as scripts/cluster.sh does.")
    var byAddress = false

    func run() throws {
        let (layout, text) = try layoutOptions.layout()
        var command = ["qnet", "compose"]
        if let scenario = layoutOptions.scenarioOptions.scenario { command.append(scenario) }
        command += ["--out", out]
        if layoutOptions.subnet != "10.213.0.0/24" { command += ["--subnet", layoutOptions.subnet] }
        if layoutOptions.stations != .process { command += ["--stations", layoutOptions.stations.rawValue] }
        if image != "localhost/qnetlab/qnet:latest" { command += ["--image", image] }
        if results != "./results" { command += ["--results", results] }
        if byAddress { command += ["--by-address"] }
        if !layoutOptions.runArguments.isEmpty { command += ["--"] + layoutOptions.runArguments }
        let manifests = ClusterManifests(layout: layout, scenarioText: text.isEmpty ? Scenario.embeddedDefaultYAML : text,
                                         image: image, command: command.joined(separator: " "),
                                         resultsFolder: results, extraRunArguments: layoutOptions.runArguments,
                                         composeByAddress: byAddress)
        let folder = URL(fileURLWithPath: out)
        do {
            for file in manifests.files {
                let url = folder.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, atomically: true, encoding: .utf8)
            }
        } catch {
            throw badInput("cannot write \(out): \(error.localizedDescription)")
        }
        print("wrote \(manifests.files.map { "\(out)/\($0.path)" }.joined(separator: ", ")) (\(layout.hosts.count) hosts)")
    }
}
