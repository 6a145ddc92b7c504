import Foundation
import QNetScenario
import Testing

/// scripts/cluster.sh and `qnet compose` for real (DESIGN §12): one scenario run as local
/// processes, as one network namespace per host on a bridge, and as one container per host under
/// podman-compose, with the same pairs; nothing left behind after success, Ctrl-C or a killed
/// member; generated compose files and Kubernetes manifests that tools accept and that run.
///
/// Network rule: the namespaces' bridge has no address on this host, and the container networks
/// are the ones the script creates, with the subnet written in the generated compose file; no
/// test sends traffic anywhere else. Serialized: each test lists the script's namespaces, links
/// and containers before and after, so no two runs of this suite may overlap.
@Suite("Clusters: local, network namespaces, containers", .serialized)
struct ClusterTests {
    static let script = Harness.packageRoot.appendingPathComponent("scripts/cluster.sh")

    /// Why the netns mode cannot run here, or nil: it needs root and iproute2.
    static let netnsUnavailable: String? = {
        if getuid() != 0 { return "network namespaces need root (CI runs as root)" }
        if ClusterTests.which("ip") == nil { return "no ip (iproute2); scripts/install-deps.sh installs it" }
        return nil
    }()

    /// Why the containers mode cannot run here, or nil: it needs root, podman and podman-compose.
    static let containersUnavailable: String? = {
        if getuid() != 0 { return "containers need root here (CI runs as root)" }
        for tool in ["podman", "podman-compose", "debootstrap"] where ClusterTests.which(tool) == nil {
            return "no \(tool); scripts/install-deps.sh installs it"
        }
        return nil
    }()

    static func which(_ tool: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":") {
            let path = "\(folder)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A three-node chain (n0 – n1 – n2, 10 km links, swap-ASAP): two stations, five members.
    static func chain(pairs: Int, duration: String, clock: String = "{ mode: lockstep }") -> String {
        """
        name: cluster-chain-3
        seed: 5
        duration: \(duration)
        clock: \(clock)
        defaults:
          memory:    { qubits: 2, t1: 10 s, t2: 50 ms }
          photonics: { emissionEfficiency: 0.5, visibility: 0.95, attemptPeriod: 1 us }
          detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
          link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: single-click }
        topology: { kind: chain, nodes: 3, spacing: 10 km }
        requests:
          - { from: n0, to: n2, pairs: \(pairs), type: keep }
        policies: { swap: asap, cutoff: 5 ms }

        """
    }

    static let memberNames = ["n0", "n1", "n2", "station-n0-n1", "station-n1-n2"]

    // MARK: Running the script

    /// A started scripts/cluster.sh, its output collected.
    final class Script: @unchecked Sendable {
        let process = Process()
        let out = Pipe(), err = Pipe()
        var outData = Data(), errData = Data()
        let lock = NSLock()

        init(_ arguments: [String], tag: String) throws {
            process.executableURL = ClusterTests.script
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(
                [Harness.tagVariable: tag, "QNET_BINARY": Harness.binary.path]) { _, new in new }
            process.standardOutput = out
            process.standardError = err
            out.fileHandleForReading.readabilityHandler = { [weak self] h in
                let d = h.availableData
                self?.lock.withLock { self?.outData.append(d) }
            }
            err.fileHandleForReading.readabilityHandler = { [weak self] h in
                let d = h.availableData
                self?.lock.withLock { self?.errData.append(d) }
            }
            try process.run()
        }

        /// Waits for exit (at most `timeout` seconds, then SIGKILL and a recorded issue).
        func wait(timeout: Double) -> (status: Int32, stdout: String, stderr: String) {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning {
                Issue.record("cluster.sh did not exit within \(timeout) s; killing it")
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            usleep(50_000)
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
            let rest = out.fileHandleForReading.readDataToEndOfFile(), restErr = err.fileHandleForReading.readDataToEndOfFile()
            return lock.withLock {
                (process.terminationStatus, String(decoding: outData + rest, as: UTF8.self), String(decoding: errData + restErr, as: UTF8.self))
            }
        }
    }

    /// Runs the script to completion.
    static func cluster(_ arguments: [String], timeout: Double = 300) throws -> (status: Int32, stdout: String, stderr: String) {
        try Script(arguments, tag: Harness.newTag()).wait(timeout: timeout)
    }

    /// Runs a command (a tool, not qnet) and returns its exit status and output (both streams).
    ///
    /// posix_spawn and waitpid, not Foundation's Process: podman's container monitors (conmon)
    /// outlive the command and inherit what it inherited, and Process learns of an exit through
    /// a descriptor the child holds, so it would wait for the container instead. The output goes
    /// to a file for the same reason.
    @discardableResult
    static func shell(_ command: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let path = which(command) ?? command
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("qnet-test-shell-\(UUID().uuidString)").path
        defer { unlink(log) }
        var environment = ProcessInfo.processInfo.environment
        environment["CONTAINERS_CONF"] = Harness.packageRoot.appendingPathComponent("compose/containers.conf").path
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { return (-1, "cannot start \(path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS by hand (the macros are not imported).
        return ((status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F), output)
    }

    // MARK: What a run leaves on the machine

    /// The script's network namespaces (qn-*), its links (bridge qnb-*, veth ends qnh*/qnp*),
    /// and this run's qnet processes.
    struct Footprint: Equatable, CustomStringConvertible {
        var namespaces: [String]
        var links: [String]
        var processes: [Int32]
        var description: String { "namespaces \(namespaces), links \(links), processes \(processes)" }
    }

    static func footprint(tag: String) -> Footprint {
        let namespaces = shell("ip", ["netns", "list"]).output.split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0.hasPrefix("qn-") }.sorted()
        let links = shell("ip", ["-o", "link", "show"]).output.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: ":", maxSplits: 2)
            guard fields.count >= 2 else { return nil }
            let name = String(fields[1].trimmingCharacters(in: .whitespaces).split(separator: "@").first ?? "")
            return ["qnb-", "qnh", "qnp"].contains { name.hasPrefix($0) } ? name : nil
        }.sorted()
        return Footprint(namespaces: namespaces, links: links, processes: Harness.processes(tagged: tag).sorted())
    }

    /// This suite's containers (podman-compose projects qnet-*) and container networks.
    struct ContainerFootprint: Equatable, CustomStringConvertible {
        var containers: [String]
        var networks: [String]
        var pods: [String]
        var description: String { "containers \(containers), networks \(networks), pods \(pods)" }
    }

    static func containerFootprint() -> ContainerFootprint {
        let lines = { (s: String) in s.split(separator: "\n").map(String.init).filter { !$0.isEmpty }.sorted() }
        return ContainerFootprint(
            containers: lines(shell("podman", ["ps", "-a", "--filter", "label=qnetlab.role", "--format", "{{.Names}}"]).output),
            networks: lines(shell("podman", ["network", "ls", "--format", "{{.Name}}"]).output).filter { $0.hasPrefix("qnet-") || $0 == "qnkube-test" },
            pods: lines(shell("podman", ["pod", "ps", "--format", "{{.Name}}"]).output))
    }

    /// Starts the script on a long scenario and waits until every member has registered.
    static func startLong(mode: String, tag: String, folder: URL) throws -> (Script, URL) {
        let file = try Harness.scenario(chain(pairs: 1_000_000, duration: "1000 s"), in: folder)
        let out = folder.appendingPathComponent("results")
        let script = try Script([file.path, "--mode", mode, "--out", out.path, "--", "--member-silence-limit", "5"], tag: tag)
        let registered = Harness.waitUntil(timeout: mode == "containers" ? 240 : 60) {
            if let s = try? Harness.summary(in: out), s.status == "running", s.processes.count == memberNames.count + 1,
               s.processes.allSatisfy({ $0.pid > 0 }) { return true }
            return !script.process.isRunning
        }
        guard registered, script.process.isRunning else {
            if script.process.isRunning { kill(script.process.processIdentifier, SIGKILL) }
            let result = script.wait(timeout: 30)
            throw Failure(message: "the \(mode) cluster did not start (status \(result.status)): \(result.stderr)")
        }
        return (script, out)
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    // MARK: Same pairs three ways

    @Test("A 3-node chain gives the same pairs as local processes, in network namespaces and in containers",
          .enabled(if: netnsUnavailable == nil && containersUnavailable == nil,
                   "\(netnsUnavailable ?? containersUnavailable ?? "")"))
    func sameRunThreeWays() throws {
        let folder = try Harness.temporaryFolder("cluster-three")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.chain(pairs: 20, duration: "10 s"), in: folder)
        var pairs: [String: [[String: String]]] = [:]
        var summaries: [String: Results.Summary] = [:]
        for mode in ["local", "netns", "containers"] {
            let out = folder.appendingPathComponent(mode)
            let result = try Self.cluster([file.path, "--mode", mode, "--out", out.path])
            try #require(result.status == 0, "\(mode): \(result.stderr)\n\(result.stdout)")
            summaries[mode] = try Harness.summary(in: out)
            pairs[mode] = try Harness.pairs(in: out)
            #expect(summaries[mode]?.status == "completed", "\(mode)")
        }
        // Each mode ran the way it says: netns members on their own addresses in the subnet,
        // containers on fixed addresses in the network's subnet (the first free 10.215.N.0/24;
        // no names), local on this machine's own sockets.
        #expect(summaries["netns"]?.endpoint == "tcp://10.214.0.2:5555")
        #expect(summaries["netns"]?.processes.first { $0.name == "n1" }?.backplaneEndpoint == "tcp://10.214.0.11:6000")
        let containerEndpoint = try #require(summaries["containers"]?.endpoint)
        let network = try #require(containerEndpoint.wholeMatch(of: /tcp:\/\/(10\.215\.\d+)\.2:5555/)?.1, "\(containerEndpoint)")
        #expect(summaries["containers"]?.processes.first { $0.name == "n1" }?.backplaneEndpoint == "tcp://\(network).11:6000")
        #expect(Set(summaries["containers"]?.processes.map(\.name) ?? []) == Set(["coordinator"] + Self.memberNames))
        #expect(summaries["local"]?.endpoint?.hasPrefix("ipc://") == true)

        let local = try #require(pairs["local"])
        #expect(local.count == 20)
        for mode in ["netns", "containers"] {
            let other = try #require(pairs[mode])
            try #require(other.count == local.count, "\(mode): \(other.count) pairs, local \(local.count)")
            for (a, b) in zip(local, other) {
                for key in ["request", "from", "to", "createdSeconds", "deliveredSeconds", "outcomeA", "outcomeB"] {
                    #expect(a[key] == b[key], "\(mode): \(key) \(a[key] ?? "-") vs \(b[key] ?? "-")")
                }
                let fa = try #require(Double(a["fidelity"] ?? "")), fb = try #require(Double(b["fidelity"] ?? ""))
                #expect(abs(fa - fb) <= 1e-9, "\(mode): fidelity \(fa) vs \(fb)")
            }
        }
        #expect(Self.containerFootprint().containers.isEmpty)
    }

    // MARK: Network namespaces leave nothing behind

    @Test("netns: nothing left behind after success", .enabled(if: netnsUnavailable == nil, "\(netnsUnavailable ?? "")"))
    func netnsCleanAfterSuccess() throws {
        let tag = Harness.newTag()
        let before = Self.footprint(tag: tag)
        let folder = try Harness.temporaryFolder("cluster-ok")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.chain(pairs: 300, duration: "10 s"), in: folder)
        let out = folder.appendingPathComponent("results")
        let script = try Script([file.path, "--mode", "netns", "--out", out.path], tag: tag)
        // While it runs, the listing sees the run: so an empty listing afterwards means something.
        var during: Footprint?
        Harness.waitUntil(timeout: 30) {
            let now = Self.footprint(tag: tag)
            if now.namespaces.count == 6 && now.processes.count == 6 { during = now }
            return during != nil || !script.process.isRunning
        }
        let result = script.wait(timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let seen = try #require(during, "the run's namespaces and processes were never seen while it ran")
        #expect(seen.links.filter { $0.hasPrefix("qnb-") }.count == 1)
        #expect(seen.links.filter { $0.hasPrefix("qnh") }.count == 6)
        #expect(Self.footprint(tag: tag) == before)
        #expect(try Harness.summary(in: out).status == "completed")
        for name in Self.memberNames {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("logs/\(name).log").path), "logs/\(name).log")
        }
    }

    @Test("netns: nothing left behind after SIGINT (exit 130, results kept)", .enabled(if: netnsUnavailable == nil, "\(netnsUnavailable ?? "")"))
    func netnsCleanAfterInterrupt() throws {
        let tag = Harness.newTag()
        let before = Self.footprint(tag: tag)
        let folder = try Harness.temporaryFolder("cluster-int")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (script, out) = try Self.startLong(mode: "netns", tag: tag, folder: folder)
        #expect(Self.footprint(tag: tag).namespaces.count == 6)
        kill(script.process.processIdentifier, SIGINT)
        let result = script.wait(timeout: 60)
        #expect(result.status == 130, "\(result.stderr)")
        #expect(Self.footprint(tag: tag) == before)
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "interrupted")
        #expect((summary.requests.first?.pairsDelivered ?? 0) > 0)
    }

    @Test("netns: a killed member is named, and nothing is left behind", .enabled(if: netnsUnavailable == nil, "\(netnsUnavailable ?? "")"))
    func netnsCleanAfterKilledMember() throws {
        let tag = Harness.newTag()
        let before = Self.footprint(tag: tag)
        let folder = try Harness.temporaryFolder("cluster-kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (script, out) = try Self.startLong(mode: "netns", tag: tag, folder: folder)
        let victim = try #require(Harness.processes(tagged: tag).first { pid in
            let cmd = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            return cmd.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.split(separator: "--name").dropFirst().first?.first == "n1"
        })
        kill(victim, SIGKILL)
        let result = script.wait(timeout: 60)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("node 'n1' (pid \(victim)"), "\(result.stderr)")
        #expect(result.stderr.contains("was killed by signal 9"), "\(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "failed")
        #expect(summary.error?.contains("node 'n1'") == true, "\(summary.error ?? "no error")")
        #expect(Self.footprint(tag: tag) == before)
    }

    // MARK: Containers

    @Test("containers: a killed container member is named in the failure, and containers are removed",
          .enabled(if: containersUnavailable == nil, "\(containersUnavailable ?? "")"))
    func containerKilledMember() throws {
        let before = Self.containerFootprint()
        let folder = try Harness.temporaryFolder("cluster-ctr-kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (script, out) = try Self.startLong(mode: "containers", tag: Harness.newTag(), folder: folder)
        // This run's containers only (other runs may share the machine): the project whose
        // coordinator mounts this run's results folder.
        let coordinators = Self.shell("podman", ["ps", "--filter", "label=qnetlab.role=coordinator", "--format", "{{.Names}}"]).output
            .split(separator: "\n").map(String.init)
        let coordinator = try #require(coordinators.first { name in
            Self.shell("podman", ["inspect", "--format", "{{range .Mounts}}{{.Source}} {{end}}", name]).output
                .split(separator: " ").contains { $0 == out.path || $0 == out.resolvingSymlinksInPath().path }
        }, "no coordinator container mounts \(out.path): \(coordinators)")
        let project = String(coordinator.dropLast("_coordinator_1".count))
        let running = Self.containerFootprint().containers.filter { $0.hasPrefix(project + "_") }
        #expect(running.count == Self.memberNames.count + 1, "\(running)")
        let victim = try #require(running.first { $0 == project + "_n1_1" })
        #expect(Self.shell("podman", ["kill", victim]).status == 0)
        let result = script.wait(timeout: 90)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("node 'n1' (container \(victim)) was killed by signal 9"), "\(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "failed")
        // The coordinator names the killed member too, not a peer that fell silent after it.
        #expect(result.stdout.contains("node 'n1' has been silent") || result.stderr.contains("node 'n1' has been silent"),
                "\(result.stdout)\n\(result.stderr)")
        #expect(summary.error?.contains("node 'n1'") == true, "\(summary.error ?? "no error")")
        #expect(Self.containerFootprint() == before)
    }

    // MARK: Generated files

    @Test("qnet compose writes a compose file docker-compose accepts and manifests that validate against the Kubernetes schemas",
          .enabled(if: which("docker-compose") != nil && which("kubernetes-validate") != nil,
                   "no docker-compose or kubernetes-validate; scripts/install-deps.sh installs them"))
    func generatedFilesValidate() throws {
        let folder = try Harness.temporaryFolder("cluster-compose")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.chain(pairs: 20, duration: "10 s"), in: folder)
        let out = folder.appendingPathComponent("gen")
        let generated = try Harness.run(["compose", file.path, "--out", out.path, "--subnet", "10.217.3.0/24"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let compose = out.appendingPathComponent("docker-compose.yml")
        let text = try String(contentsOf: compose, encoding: .utf8)
        #expect(text.contains("- subnet: 10.217.3.0/24"))
        for name in Self.memberNames { #expect(text.contains("\"--name\", \"\(name)\""), "\(name)") }
        #expect(text.contains("\"station\", \"--connect\", \"tcp://coordinator:5555\", \"--name\", \"station-n1-n2\", \"--link\", \"1\""))
        #expect(text.contains("\"--advertise\", \"tcp://n1:6000\""))
        // --by-address (what cluster.sh runs): addresses from the subnet, coordinator .2, members
        // from .10 in the plan's order, and no service name in any endpoint.
        let byAddressFolder = folder.appendingPathComponent("gen-address")
        let byAddress = try Harness.run(["compose", file.path, "--out", byAddressFolder.path, "--subnet", "10.217.3.0/24", "--by-address"])
        try #require(byAddress.status == 0, "\(byAddress.stderr)")
        let addressText = try String(contentsOf: byAddressFolder.appendingPathComponent("docker-compose.yml"), encoding: .utf8)
        #expect(addressText.contains("\"station\", \"--connect\", \"tcp://10.217.3.2:5555\", \"--name\", \"station-n1-n2\", \"--link\", \"1\""))
        #expect(addressText.contains("\"--advertise\", \"tcp://10.217.3.11:6000\""))
        #expect(!addressText.contains("tcp://coordinator:") && !addressText.contains("tcp://n1:"))
        #expect(Self.shell("docker-compose", ["-f", byAddressFolder.appendingPathComponent("docker-compose.yml").path, "config", "-q"]).status == 0)
        let config = Self.shell("docker-compose", ["-f", compose.path, "config", "-q"])
        #expect(config.status == 0, "\(config.output)")
        let manifests = ["scenario", "coordinator", "members"].map { out.appendingPathComponent("k8s/\($0).yaml").path }
        let validation = Self.shell("kubernetes-validate", ["--strict", "--quiet"] + manifests)
        #expect(validation.status == 0, "\(validation.output)")
        // Both checks can fail: a wrong type in the compose file, an unknown field in a pod.
        let badCompose = folder.appendingPathComponent("bad-compose.yml")
        try text.replacingOccurrences(of: "restart: \"no\"", with: "restart: [no]").write(to: badCompose, atomically: true, encoding: .utf8)
        #expect(Self.shell("docker-compose", ["-f", badCompose.path, "config", "-q"]).status != 0)
        let badPods = folder.appendingPathComponent("bad-members.yaml")
        try String(contentsOfFile: manifests[2], encoding: .utf8).replacingOccurrences(of: "subdomain: qnet", with: "subdomian: qnet")
            .write(to: badPods, atomically: true, encoding: .utf8)
        #expect(Self.shell("kubernetes-validate", ["--strict", "--quiet", badPods.path]).status != 0)
    }

    @Test("The member pods run under podman kube play and register with a coordinator reached by its Service name",
          .enabled(if: containersUnavailable == nil, "\(containersUnavailable ?? "")"))
    func podsRunUnderKubePlay() throws {
        let before = Self.containerFootprint()
        let folder = try Harness.temporaryFolder("cluster-kube")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.chain(pairs: 20, duration: "10 s"), in: folder)
        let gen = folder.appendingPathComponent("gen")
        // The per-binary tag cluster.sh uses, so that runs from other builds keep their images.
        let hash = try #require(Self.shell("sha256sum", [Harness.binary.path]).output.split(separator: " ").first.map { $0.prefix(12) })
        let image = Self.shell(Harness.packageRoot.appendingPathComponent("scripts/build-image.sh").path,
                               ["--binary", Harness.binary.path, "--tag", "localhost/qnetlab/qnet:sha-\(hash)"])
        try #require(image.status == 0, "\(image.output)")
        let imageName = try #require(image.output.split(separator: "\n").last.map(String.init))
        try #require(try Harness.run(["compose", file.path, "--out", gen.path, "--image", imageName]).status == 0)
        let results = folder.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let network = "qnkube-test"
        #expect(Self.shell("podman", ["network", "create", "--subnet", "10.218.0.0/24", network]).status == 0)
        defer {
            Self.shell("podman", ["kube", "down", gen.appendingPathComponent("k8s/members.yaml").path])
            Self.shell("podman", ["rm", "-f", "-t", "1", "coordinator-kube-test"])
            Self.shell("podman", ["network", "rm", "-f", network])
        }
        // The coordinator as the Job's container would run it (podman 4.3 plays no Job), reachable
        // as `coordinator` on the pods' network, as the Service makes it in Kubernetes.
        let coordinator = Self.shell("podman", ["run", "-d", "--name", "coordinator-kube-test", "--network", network, "--network-alias", "coordinator",
                                                "--label", "qnetlab.role=coordinator",
                                                "-v", "\(gen.path)/scenario.yaml:/scenario/scenario.yaml:ro", "-v", "\(results.path):/results",
                                                imageName, "run", "/scenario/scenario.yaml", "--bind", "tcp://0.0.0.0:5555",
                                                "--advertise", "tcp://coordinator:5555", "--no-spawn", "--registration-timeout", "120",
                                                "--out", "/results", "--force", "--quiet"])
        try #require(coordinator.status == 0, "\(coordinator.output)")
        let play = Self.shell("podman", ["kube", "play", "--network", network, gen.appendingPathComponent("k8s/members.yaml").path])
        #expect(play.status == 0, "\(play.output)")
        let registered = Harness.waitUntil(timeout: 60) {
            guard let s = try? Harness.summary(in: results) else { return false }
            return s.processes.count == Self.memberNames.count + 1 && s.processes.allSatisfy { $0.pid > 0 }
        }
        #expect(registered, """
            the pods' members did not all register with the coordinator: \((try? Harness.summary(in: results)).map { "\($0.status) \($0.processes.map { "\($0.name):\($0.pid)" })" } ?? "no summary")
            \(Self.shell("podman", ["logs", "coordinator-kube-test"]).output)
            \(Self.shell("podman", ["ps", "-a", "--format", "{{.Names}} {{.Status}}"]).output)
            """)
        let pods = Self.containerFootprint().pods
        #expect(Set(pods) == Set(Self.memberNames), "\(pods)")
        Self.shell("podman", ["kube", "down", gen.appendingPathComponent("k8s/members.yaml").path])
        Self.shell("podman", ["rm", "-f", "-t", "1", "coordinator-kube-test"])
        Self.shell("podman", ["network", "rm", "-f", network])
        #expect(Self.containerFootprint() == before)
    }

    // MARK: Realtime and bad input

    @Test("netns under the realtime clock: every member's clock offset and residual are in summary.json",
          .enabled(if: netnsUnavailable == nil, "\(netnsUnavailable ?? "")"))
    func realtimeOffsetsInNamespaces() throws {
        let folder = try Harness.temporaryFolder("cluster-rt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.chain(pairs: 20, duration: "5 s", clock: "{ mode: realtime, dilation: 20 }"), in: folder)
        let out = folder.appendingPathComponent("results")
        let result = try Self.cluster([file.path, "--mode", "netns", "--out", out.path], timeout: 180)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.clockMode == "realtime")
        let members = summary.processes.filter { $0.role != "coordinator" }
        #expect(members.count == Self.memberNames.count)
        let reported = members.filter { $0.clockOffsetSeconds != nil }
        #expect(!reported.isEmpty, "no member's clock offset in summary.json")
        for p in reported {
            let offset = try #require(p.clockOffsetSeconds), residual = try #require(p.clockResidualSeconds, "\(p.name): no clockResidualSeconds")
            // One machine, one clock: the offset is within a round trip of zero.
            #expect(abs(offset) < 0.05 && residual >= 0 && residual < 0.05, "\(p.name): offset \(offset), residual \(residual)")
        }
        // Every member's: each sends its estimate right after clock sync, before the run starts.
        #expect(reported.count == members.count, "no clock offset for \(members.filter { $0.clockOffsetSeconds == nil }.map(\.name))")
    }

    @Test("Bad input to cluster.sh and qnet compose: one line, exit 64, nothing created",
          arguments: [
              (["--mode", "netns"], "no scenario given"),
              (["SCENARIO", "--mode", "vm"], "--mode 'vm' is not one of local, netns, containers"),
              (["SCENARIO"], "no --mode given"),
              (["SCENARIO", "--mode", "local", "--bogus"], "unknown option '--bogus'"),
              (["BAD", "--mode", "netns"], "topology.spacing: missing unit"),
          ])
    func badInput(arguments: [String], message: String) throws {
        let folder = try Harness.temporaryFolder("cluster-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try Harness.scenario(Self.chain(pairs: 1, duration: "1 s"), in: folder)
        let bad = try Harness.scenario(Self.chain(pairs: 1, duration: "1 s").replacingOccurrences(of: "spacing: 10 km", with: "spacing: 10"),
                                       in: folder, name: "bad.yaml")
        let tag = Harness.newTag()
        let before = Self.netnsUnavailable == nil ? Self.footprint(tag: tag) : nil
        let resolved = arguments.map { $0 == "SCENARIO" ? good.path : $0 == "BAD" ? bad.path : $0 }
        let result = try Script(resolved, tag: tag).wait(timeout: 30)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").first?.contains(message) == true, "\(result.stderr)")
        if let before { #expect(Self.footprint(tag: tag) == before) }
    }

    @Test("qnet compose and qnet members reject a bad subnet, and --advertise needs --bind")
    func badLayoutOptions() throws {
        let folder = try Harness.temporaryFolder("cluster-badsubnet")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.chain(pairs: 1, duration: "1 s"), in: folder)
        for (subnet, message) in [("10.1.2.3/24", "has host bits set; did you mean 10.1.2.0/24?"),
                                  ("10.1.2.0/30", "the prefix length must be in 8...28"),
                                  ("10.1.2/24", "is not of the form a.b.c.d/prefix"),
                                  ("10.1.2.0/28", "has 4 addresses for members; the scenario has 5 members")] {
            let result = try Harness.run(["members", file.path, "--subnet", subnet])
            #expect(result.status == 64, "\(subnet): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(subnet): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let advertise = try Harness.run(["run", file.path, "--advertise", "tcp://10.0.0.1:5555"])
        #expect(advertise.status == 64)
        #expect(advertise.stderr.contains("--advertise needs --bind"), "\(advertise.stderr)")
        let member = try Harness.run(["node", "--connect", "tcp://127.0.0.1:1", "--name", "n0", "--advertise", "tcp://n0:6000"])
        #expect(member.status == 64)
        #expect(member.stderr.contains("needs --backplane (--bind)"), "\(member.stderr)")
    }
}
