import Foundation
import QNetCore
import QNetNode
import QNetPhysics
import QNetScenario
import QNetWire
import QNetZMQ
import Testing

/// Real process trees under faults: separate OS processes, members that die, signals to the
/// coordinator, a coordinator that dies, and garbage on the coordinator's socket (DESIGN §1:
/// "no orphans on success, failure or Ctrl-C"; §7: bad input on the wire is counted, logged
/// and dropped).
///
/// Each test marks its run's processes with ``Harness/tagVariable`` so that "nothing left
/// behind" means this run's processes, whatever other suites run meanwhile.
@Suite("Faults across processes", .serialized)
struct FaultTests {
    /// Long enough at 10 km (about 1400 pairs per virtual second, a few wall seconds in a debug
    /// build) to look at the cluster while it runs.
    static let busyScenario = Harness.twoNodeScenario(name: "faults-busy", length: "10 km", pairs: 3000, duration: "10 s")
    /// At 50 km pairs come slowly (about 120 per virtual second); the run would take minutes,
    /// so every test that uses it ends it early.
    static let slowScenario = Harness.twoNodeScenario(name: "faults-slow", length: "50 km", pairs: 100_000, duration: "1000 s")

    /// A `qnet run` whose members have all registered.
    struct Started {
        var run: Harness.Running
        var folder: URL
        var out: URL
        var tag: String
        /// The first summary.json that lists every process with its pid.
        var summary: Results.Summary
        /// A summary.json with status "running" listed a process without a pid (seen before the
        /// registered one; the design has the first summary written once all members registered).
        var sawRunningWithoutPIDs: Bool
    }

    /// Starts `qnet run` on `yaml` and waits (polling summary.json) until every member registered.
    static func startRun(_ yaml: String, label: String, extra: [String] = []) throws -> Started {
        let folder = try Harness.temporaryFolder(label)
        let file = try Harness.scenario(yaml, in: folder)
        let out = folder.appendingPathComponent("results")
        let tag = Harness.newTag()
        let run = try Harness.start(["run", file.path, "--out", out.path, "--quiet"] + extra, tag: tag)
        var registered: Results.Summary?
        var sawRunningWithoutPIDs = false
        Harness.waitUntil(timeout: 20) {
            if let s = try? Harness.summary(in: out), s.status == "running" {
                if s.processes.allSatisfy({ $0.pid > 1 }) {
                    registered = s
                    return true
                }
                sawRunningWithoutPIDs = true
            }
            return !run.process.isRunning
        }
        guard let registered else {
            if run.process.isRunning { kill(run.pid, SIGKILL) }
            let result = run.wait(timeout: 10)
            throw StartFailure(message: "no summary.json listing every process while running (qnet exited with \(result.status)): \(result.stderr)")
        }
        return Started(run: run, folder: folder, out: out, tag: tag, summary: registered, sawRunningWithoutPIDs: sawRunningWithoutPIDs)
    }

    /// Expects every requested pair delivered and written to pairs.csv; returns the request, the
    /// rows and the link's heralded fidelity from the click model.
    static func everyPairRecorded(_ summary: Results.Summary, in out: URL, yaml: String) throws
        -> (request: Results.Request, rows: [[String: String]], model: Double) {
        let request = try #require(summary.requests.first)
        #expect(request.pairsDelivered == request.pairsRequested)
        let rows = try Harness.pairs(in: out)
        #expect(rows.count == request.pairsRequested)
        // One herald to each end per pair made: the delivered ones and the surplus (pairs the
        // ends' second qubits made while the news that the request was served travelled).
        // The run ends when the last pair is recorded: a pair made by the second qubit may have
        // been heralded and not yet taken then (at most one, with two qubits per end).
        let made = UInt64(request.pairsDelivered + (request.pairsSurplus ?? 0))
        #expect(summary.messages.heralds >= 2 * made && summary.messages.heralds <= 2 * (made + 1), "\(summary.messages.heralds) heralds")
        let scenario = try Scenario.parse(yaml: yaml, file: "scenario.yaml")
        return (request, rows, try LinkPhysics(scenario: scenario, link: scenario.links[0]).model.heraldedFidelity)
    }

    /// Seconds from now until `run` exits (polled every 20 ms, at most 10 s).
    static func secondsUntilExit(_ run: Harness.Running) -> Double {
        let start = Date()
        Harness.waitUntil(timeout: 10) { !run.process.isRunning }
        return Date().timeIntervalSince(start)
    }

    /// SIGKILLs whatever is left of the run tagged `tag` (after a test has recorded it), so that
    /// a failing test does not leave processes, nor hold the output pipes open.
    static func killLeftovers(_ tag: String) {
        for pid in Harness.processes(tagged: tag) { kill(pid, SIGKILL) }
    }

    struct StartFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Expects that no process of the run tagged `tag` is left within `seconds`.
    static func expectNoProcessesLeft(_ tag: String, within seconds: Double = 1, sourceLocation: SourceLocation = #_sourceLocation) {
        Harness.waitUntil(timeout: seconds) { Harness.processes(tagged: tag).isEmpty }
        let left = Harness.processes(tagged: tag)
        #expect(left.isEmpty, "qnet processes left behind: \(left)", sourceLocation: sourceLocation)
    }

    // MARK: - 1. Distinct processes

    @Test("coordinator, two nodes and a station are four live OS processes; every herald crosses the coordinator")
    func distinctProcesses() throws {
        let started = try Self.startRun(Self.busyScenario, label: "procs")
        let (run, folder, out, tag, running) = (started.run, started.folder, started.out, started.tag, started.summary)
        defer { Self.killLeftovers(tag); try? FileManager.default.removeItem(at: folder) }

        #expect(!started.sawRunningWithoutPIDs,
                "summary.json said \"running\" before every member had registered (processes without pids)")
        let processes = running.processes
        #expect(processes.count == 4)
        #expect(Set(processes.map(\.pid)).count == processes.count, "pids not distinct: \(processes)")
        #expect(!processes.contains { $0.pid <= 0 || $0.pid == getpid() })
        for p in processes {
            #expect(Harness.running(p.pid), "\(p.role) '\(p.name)' (pid \(p.pid)) is not running")
        }
        let roles = Dictionary(uniqueKeysWithValues: processes.map { ($0.name, $0.role) })
        #expect(roles == ["coordinator": "coordinator", "alice": "node", "bob": "node", "station-alice-bob": "station"])
        #expect(processes.first { $0.role == "coordinator" }?.pid == run.pid)
        // The same four, as the operating system sees them (and proof that the tag finds them).
        #expect(Set(Harness.processes(tagged: tag)) == Set(processes.map(\.pid)))

        let result = run.wait(timeout: 120)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "completed")
        let delivered = try #require(summary.requests.first).pairsDelivered
        #expect(delivered == 3000)
        // One herald to each end per pair made, all routed by the coordinator: the delivered ones,
        // and those the ends' second qubits made while the news that the request was served
        // travelled (surplus: taken, counted apart, not recorded; at most one still untaken when
        // the run ends, with two qubits per end).
        let made = UInt64(delivered + (summary.requests.first?.pairsSurplus ?? 0))
        #expect(summary.messages.heralds >= 2 * made && summary.messages.heralds <= 2 * (made + 1), "\(summary.messages.heralds) heralds")
        #expect(summary.messages.byType["herald"] == summary.messages.heralds)
        #expect((summary.messages.byType["attempt_batch"] ?? 0) >= 2 * UInt64(delivered))
        #expect(summary.messages.routed == UInt64(try Harness.lineCount("events.jsonl", in: out)))
        let events = try String(contentsOf: out.appendingPathComponent("events.jsonl"), encoding: .utf8)
        let heraldEvents = events.split(separator: "\n").filter { $0.contains("\"type\":\"herald\"") }
        #expect(UInt64(heraldEvents.count) == summary.messages.heralds, "heralds in events.jsonl")
        #expect(try Harness.pairs(in: out).count == delivered)
        for p in processes where p.role != "coordinator" {
            #expect(!Harness.running(p.pid), "\(p.role) '\(p.name)' (pid \(p.pid)) outlived the run")
        }
        Self.expectNoProcessesLeft(tag)
    }

    // MARK: - 2. A node dies

    @Test("SIGKILL to a node fails the run at once, names the dead process and keeps the rows written")
    func killedNodeFailsTheRun() throws {
        let started = try Self.startRun(Self.slowScenario, label: "killnode")
        let (run, folder, out, tag, running) = (started.run, started.folder, started.out, started.tag, started.summary)
        defer { Self.killLeftovers(tag); try? FileManager.default.removeItem(at: folder) }
        let bob = try #require(running.processes.first { $0.name == "bob" })

        // Rows reach pairs.csv at least with every summary (about once per wall second).
        var rowsBefore = 0
        Harness.waitUntil(timeout: 8) {
            rowsBefore = (try? Harness.pairs(in: out).count) ?? 0
            return rowsBefore > 0
        }
        try #require(rowsBefore > 0, "no pair was delivered before the kill")
        try #require(run.process.isRunning)

        try #require(bob.pid > 1)
        #expect(kill(bob.pid, SIGKILL) == 0)
        let exitSeconds = Self.secondsUntilExit(run)
        let result = run.wait(timeout: 10)

        #expect(result.status != 0)
        #expect(exitSeconds <= 2, "qnet run took \(exitSeconds) s to exit after the kill")
        #expect(result.stderr.contains("node 'bob' (pid \(bob.pid)) was killed by signal 9"), "stderr: \(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "failed")
        #expect(summary.error?.contains("'bob'") == true && summary.error?.contains("killed by signal 9") == true,
                "error: \(summary.error ?? "nil")")
        let rows = try Harness.pairs(in: out)
        #expect(rows.count >= rowsBefore)
        #expect(rows.count == summary.requests.first?.pairsDelivered, "pairs.csv and summary.json disagree")
        #expect(rows.allSatisfy { $0["from"] == "alice" && $0["to"] == "bob" && Double($0["fidelity"] ?? "") != nil })
        Self.expectNoProcessesLeft(tag)
    }

    // MARK: - 3, 4. Signals to the coordinator

    /// How a test delivers the signal: to the `qnet run` process, or to its process group as a
    /// terminal's Ctrl-C does (Foundation starts every child, `qnet run` and its members alike,
    /// as the leader of a group of its own, so the group is `qnet run` alone).
    enum Target: String, CaseIterable, Sendable { case process, group }

    /// Interrupts a run with `signal` and checks it ends cleanly: exit status 128 + the signal
    /// (as a shell reports a process the signal ended; Run.swift documents it), summary status
    /// "interrupted", the files kept, no process left.
    func interrupt(with signal: Int32, _ target: Target, label: String) throws {
        let started = try Self.startRun(Self.slowScenario, label: label)
        let (run, folder, out, tag, running) = (started.run, started.folder, started.out, started.tag, started.summary)
        defer { Self.killLeftovers(tag); try? FileManager.default.removeItem(at: folder) }
        Harness.waitUntil(timeout: 5) { ((try? Harness.pairs(in: out).count) ?? 0) > 0 }
        let rowsBefore = try Harness.pairs(in: out).count

        switch target {
        case .process:
            #expect(kill(run.pid, signal) == 0)
        case .group:
            try #require(getpgid(run.pid) == run.pid, "qnet run does not lead its own process group")
            #expect(killpg(run.pid, signal) == 0)
        }
        let exitSeconds = Self.secondsUntilExit(run)
        let result = run.wait(timeout: 10)

        #expect(result.reason == .exit, "qnet run was ended by the signal instead of handling it")
        #expect(result.status == 128 + signal)
        #expect(exitSeconds <= 3, "qnet run took \(exitSeconds) s to exit after the signal")
        #expect(result.stderr.contains("interrupted"), "stderr: \(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "interrupted")
        #expect(summary.error == nil)
        let rows = try Harness.pairs(in: out)
        #expect(rows.count >= rowsBefore)
        #expect(rows.count == summary.requests.first?.pairsDelivered)
        #expect(summary.messages.routed == UInt64(try Harness.lineCount("events.jsonl", in: out)))
        for p in running.processes where p.role != "coordinator" {
            #expect(!Harness.running(p.pid), "\(p.role) '\(p.name)' (pid \(p.pid)) outlived the run")
        }
        Self.expectNoProcessesLeft(tag)
        // The private folder of the ipc sockets (qnet-<pid>-<random>) is gone too.
        let temporary = FileManager.default.temporaryDirectory.path
        let sockets = ((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []).filter { $0.hasPrefix("qnet-\(run.pid)-") }
        #expect(sockets.isEmpty, "socket folder left behind in \(temporary): \(sockets)")
    }

    @Test("SIGINT (Ctrl-C) ends the run cleanly with status 130", arguments: Target.allCases)
    func interruptWithSIGINT(_ target: Target) throws {
        try interrupt(with: SIGINT, target, label: "sigint-\(target)")
    }

    @Test("SIGTERM ends the run cleanly with status 143")
    func terminateWithSIGTERM() throws {
        try interrupt(with: SIGTERM, .process, label: "sigterm")
    }

    @Test("SIGHUP (the terminal hung up) ends the run cleanly with status 129", arguments: Target.allCases)
    func hangUpWithSIGHUP(_ target: Target) throws {
        try interrupt(with: SIGHUP, target, label: "sighup-\(target)")
    }

    // MARK: - Long per-attempt draws

    @Test("a station playing a long per-attempt batch keeps its heartbeat: no false 'silent' failure",
          arguments: ["process", "coordinator"])
    func perAttemptKeepsHeartbeat(_ stations: String) throws {
        // p ≈ 1e-10 per attempt: the station plays every attempt of a 5 s batch (about 850 000,
        // seconds of wall time in a debug build), longer than the 2 s silence limit.
        let yaml = """
            name: per-attempt-slow
            seed: 3
            duration: 5 s
            defaults:
              memory: { qubits: 1 }
              photonics: { emissionEfficiency: 0.000000001 }
              detectors: { darkCountRate: 0 Hz }
            nodes:
              - name: alice
              - name: bob
            links:
              - nodes: [alice, bob]
                length: 1 km
            requests:
              - { from: alice, to: bob, pairs: 1 }

            """
        let folder = try Harness.temporaryFolder("per-attempt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(yaml, in: folder)
        let out = folder.appendingPathComponent("results")
        let tag = Harness.newTag()
        defer { Self.killLeftovers(tag) }
        let result = try Harness.start(["run", file.path, "--out", out.path, "--quiet", "--sampling", "per-attempt",
                                        "--member-silence-limit", "2", "--stations", stations], tag: tag).wait(timeout: 300)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("silent"), "stderr: \(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "durationReached")
        #expect(summary.links[0].attempts > 100_000, "the batch was not played out: \(summary.links[0].attempts) attempts")
        Self.expectNoProcessesLeft(tag)
    }

    // MARK: - 5. The coordinator dies

    @Test("members of a coordinator killed with SIGKILL exit on their own")
    func killedCoordinatorLeavesNoOrphans() throws {
        let started = try Self.startRun(Self.slowScenario, label: "killcoord")
        let (run, folder, tag, running) = (started.run, started.folder, started.tag, started.summary)
        defer { Self.killLeftovers(tag); try? FileManager.default.removeItem(at: folder) }
        let members = running.processes.filter { $0.role != "coordinator" }
        #expect(members.count == 3)
        #expect(members.allSatisfy { Harness.running($0.pid) })

        try #require(run.pid > 1 && members.allSatisfy { $0.pid > 1 })
        #expect(kill(run.pid, SIGKILL) == 0)
        let gone = Harness.waitUntil(timeout: 2) { members.allSatisfy { !Harness.running($0.pid) } }
        #expect(gone, "still running 2 s after the coordinator died: \(members.filter { Harness.running($0.pid) }.map(\.name))")
        Self.expectNoProcessesLeft(tag, within: 0.5)
        // The members share the run's standard error; reading it to the end needs them gone.
        Self.killLeftovers(tag)
        let result = run.wait(timeout: 5)
        #expect(result.reason == .uncaughtSignal && result.status == SIGKILL)
        // Each member says why it left.
        for member in members {
            #expect(result.stderr.contains("qnet \(member.role) \(member.name): the coordinator process is gone"), "stderr: \(result.stderr)")
        }
    }

    // MARK: - 7. Garbage on the wire

    @Test("a peer's name reaches the log escaped: no terminal control characters from the wire")
    func peerNamesEscaped() throws {
        let started = try Self.startRun(Self.busyScenario, label: "escapes", extra: ["--transport", "tcp"])
        let (run, folder, tag, running) = (started.run, started.folder, started.tag, started.summary)
        defer { Self.killLeftovers(tag); try? FileManager.default.removeItem(at: folder) }
        defer { if run.process.isRunning { kill(run.pid, SIGKILL) } }
        let endpoint = try #require(running.endpoint)
        let context = try ZMQContext()
        defer { context.close() }
        let intruder = try ZMQSocket(context: context, type: .dealer)
        defer { intruder.close() }
        // Sets the terminal's title and clears the screen, if printed raw.
        let name = "evil\u{1B}]0;pwned\u{07}\u{1B}[2J"
        try intruder.setRoutingID(name)
        try intruder.setLinger(milliseconds: 0)
        try intruder.connect(endpoint)
        try intruder.send(Array("garbage".utf8))
        let result = run.wait(timeout: 120)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("dropped from 'evil\\u{1B}]0;pwned\\u{7}\\u{1B}[2J'"), "stderr: \(result.stderr)")
        #expect(!result.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "a control character reached the log")
    }

    @Test("garbage, spoofed and unknown peers on the coordinator's socket are dropped and counted; the run is unharmed")
    func garbageOnTheWire() throws {
        let yaml = Self.busyScenario
        let started = try Self.startRun(yaml, label: "garbage", extra: ["--transport", "tcp"])
        let (run, folder, out, tag, running) = (started.run, started.folder, started.out, started.tag, started.summary)
        defer { Self.killLeftovers(tag); try? FileManager.default.removeItem(at: folder) }
        defer { if run.process.isRunning { kill(run.pid, SIGKILL) } }

        // The coordinator's endpoint from summary.json must be where it really listens. Without
        // it, find the listening socket in /proc so the rest of the test still runs.
        let listening = Harness.listeningLoopbackEndpoints(of: run.pid)
        #expect(running.endpoint != nil, "summary.json has no `endpoint` while running")
        if let endpoint = running.endpoint { #expect(listening.contains(endpoint), "\(endpoint) is not among \(listening)") }
        let endpoint = try #require(running.endpoint ?? listening.first, "no endpoint in summary.json or /proc")
        try #require(endpoint.hasPrefix("tcp://127.0.0.1:"), "not a loopback endpoint: \(endpoint)")

        let context = try ZMQContext()
        defer { context.close() }
        let intruder = try ZMQSocket(context: context, type: .dealer)
        defer { intruder.close() }
        try intruder.setRoutingID("intruder")
        try intruder.setLinger(milliseconds: 0)
        try intruder.connect(endpoint)
        var sent = 0

        // Random frames, 0 to 2000 bytes.
        var rng = SeededRandom(seed: 0x9A7BA6E)
        for _ in 0..<300 {
            let count = Int(rng.next() % 2001)
            try intruder.send((0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            sent += 1
        }
        // Prefixes of a valid frame.
        let fake = MessageBody.pairDelivered(.init(
            requestID: RequestID(0), pairID: 1, nodeA: "alice", nodeB: "bob",
            created: .zero, delivered: VTime(picoseconds: 1), fidelity: 0))
        let valid = try WireCodec.encode(Envelope(source: "intruder", sequence: 1, body: fake))
        for length in stride(from: 1, to: valid.count, by: max(1, valid.count / 20)) {
            try intruder.send(Array(valid.prefix(length)))
            sent += 1
        }
        // Three frames where one envelope belongs.
        try intruder.send([valid, valid, valid])
        sent += 1
        // A valid envelope claiming to come from alice: a pair that, if believed, would add a
        // zero-fidelity row.
        try intruder.send(try WireCodec.encode(Envelope(source: "alice", sequence: 2, body: fake)))
        sent += 1
        // A well-formed hello from a process the run does not have, under its own identity.
        let stranger = try ZMQSocket(context: context, type: .dealer)
        defer { stranger.close() }
        try stranger.setRoutingID("mallory")
        try stranger.setLinger(milliseconds: 0)
        try stranger.connect(endpoint)
        try stranger.send(try WireCodec.encode(Envelope(
            source: "mallory", sequence: 1, body: .hello(.init(role: .node, name: "mallory", pid: 1)))))
        sent += 1

        // Keep the sockets open until the coordinator has counted everything (or the run ended).
        Harness.waitUntil(timeout: 20) {
            guard let s = try? Harness.summary(in: out) else { return false }
            return s.status != "running" || s.messages.dropped >= UInt64(sent)
        }
        let result = run.wait(timeout: 120)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "completed")
        #expect(summary.messages.dropped >= UInt64(sent), "\(summary.messages.dropped) dropped of \(sent) bad messages sent")
        #expect(result.stderr.contains("dropped from 'intruder'"), "stderr: \(result.stderr)")

        let (request, rows, model) = try Self.everyPairRecorded(summary, in: out, yaml: yaml)
        let mean = try #require(request.fidelity?.mean)
        #expect(abs(mean - model) < 1e-3, "fidelity mean \(mean), model \(model)")
        // The spoofed pair (fidelity 0) must not be among them.
        #expect(rows.allSatisfy { (Double($0["fidelity"] ?? "") ?? 0) > 0.5 })
        #expect(summary.processes.count == 4 && !summary.processes.contains { $0.name == "mallory" })
        Self.expectNoProcessesLeft(tag)
    }

    @Test("garbage, strangers and spoofed senders on a node's backplane socket are dropped and logged; the run is unharmed")
    func garbageOnTheBackplane() throws {
        let yaml = Self.busyScenario
        let started = try Self.startRun(yaml, label: "bp-garbage", extra: ["--transport", "tcp", "--backplane", "direct"])
        let (run, folder, out, tag, running) = (started.run, started.folder, started.out, started.tag, started.summary)
        defer { Self.killLeftovers(tag); try? FileManager.default.removeItem(at: folder) }
        defer { if run.process.isRunning { kill(run.pid, SIGKILL) } }
        let alice = try #require(running.processes.first { $0.name == "alice" })
        let endpoint = try #require(alice.backplaneEndpoint, "summary.json lists no backplane endpoint for alice")
        try #require(endpoint.hasPrefix("tcp://127.0.0.1:"), "not a loopback endpoint: \(endpoint)")

        let context = try ZMQContext()
        defer { context.close() }
        func dealer(_ identity: String) throws -> ZMQSocket {
            let socket = try ZMQSocket(context: context, type: .dealer)
            try socket.setRoutingID(identity)
            try socket.setLinger(milliseconds: 0)
            try socket.connect(endpoint)
            return socket
        }
        let intruder = try dealer("intruder")
        defer { intruder.close() }
        var rng = SeededRandom(seed: 0xBAC4)
        for _ in 0..<100 {
            let count = Int(rng.next() % 2001)
            try intruder.send((0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        // Well-formed requests that, if obeyed, would discard alice's qubits 1…200: from a stranger
        // under its own name, and from the stranger claiming to be bob.
        for index in UInt32(1)...200 {
            let discard = MessageBody.operationRequest(.init(operationID: UInt64(index), time: .zero, kind: .discard,
                                                             qubits: [QubitID(home: NodeID(0), index: index)]))
            try intruder.send(try WireCodec.encode(Envelope(source: "intruder", destination: "alice", sequence: UInt64(index), body: discard)))
            try intruder.send(try WireCodec.encode(Envelope(source: "bob", destination: "alice", sequence: UInt64(index), body: discard)))
        }
        Harness.waitUntil(timeout: 5) { !run.process.isRunning }
        let result = run.wait(timeout: 120)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("dropped from peer 'intruder'"), "stderr: \(result.stderr)")
        let summary = try Harness.summary(in: out)
        #expect(summary.status == "completed")
        let (_, rows, model) = try Self.everyPairRecorded(summary, in: out, yaml: yaml)
        // Every pair as the physics says: no discarded qubit, no failed take.
        #expect(rows.allSatisfy { abs((Double($0["fidelity"] ?? "") ?? 0) - model) < 1e-9 })
        #expect((summary.messages.backplaneDirect ?? 0) > 0)
        Self.expectNoProcessesLeft(tag)
    }
}
