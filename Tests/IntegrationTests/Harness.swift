import Foundation
import QNetScenario
import Testing

/// Runs the real `qnet` executable in a child process for the integration suites.
///
/// The binary is `$QNET_BINARY` if set, else `.build/debug/qnet` in this package (build it first:
/// `swift build`, as scripts/test.sh does).
enum Harness {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["QNET_BINARY"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/qnet")
    }

    /// A fresh temporary folder.
    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qnet-test-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `yaml` to a scenario file in `folder`.
    static func scenario(_ yaml: String, in folder: URL, name: String = "scenario.yaml") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    struct Result {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String
        var wallSeconds: Double
    }

    /// A started `qnet` process whose output is collected.
    final class Running: @unchecked Sendable {
        let process = Process()
        let out = Pipe(), err = Pipe()
        var outData = Data(), errData = Data()
        let lock = NSLock()
        let started = Date()

        convenience init(_ arguments: [String]) throws {
            try self.init(arguments, environment: [:])
        }

        /// Starts `qnet arguments…` with `environment` added to this process's environment (the
        /// members it starts inherit it; see ``Harness/processes(tagged:)``), in `directory` (by
        /// default this process's working directory), with `input` on its standard input (then
        /// closed; nil: standard input is inherited).
        init(_ arguments: [String], environment: [String: String], directory: URL? = nil, input: String? = nil) throws {
            process.executableURL = Harness.binary
            process.arguments = arguments
            if let directory { process.currentDirectoryURL = directory }
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            }
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
            let stdin = input.map { _ in Pipe() }
            if let stdin { process.standardInput = stdin }
            try process.run()
            if let stdin, let input {
                stdin.fileHandleForWriting.write(Data(input.utf8))
                try stdin.fileHandleForWriting.close()
            }
        }

        var pid: Int32 { process.processIdentifier }

        /// Waits for exit (at most `timeout` seconds, then SIGKILL and a recorded issue).
        func wait(timeout: Double = 120) -> Result {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning {
                Issue.record("qnet did not exit within \(timeout) s; killing it")
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            let wall = Date().timeIntervalSince(started)
            usleep(50_000)
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
            let rest = out.fileHandleForReading.readDataToEndOfFile(), restErr = err.fileHandleForReading.readDataToEndOfFile()
            return lock.withLock {
                Result(status: process.terminationStatus, reason: process.terminationReason,
                       stdout: String(decoding: outData + rest, as: UTF8.self),
                       stderr: String(decoding: errData + restErr, as: UTF8.self), wallSeconds: wall)
            }
        }
    }

    /// Runs `qnet arguments…` to completion.
    static func run(_ arguments: [String], timeout: Double = 180) throws -> Result {
        try Running(arguments).wait(timeout: timeout)
    }

    /// Runs `qnet arguments…` to completion with `input` on its standard input.
    static func run(_ arguments: [String], input: String, timeout: Double = 180) throws -> Result {
        try Running(arguments, environment: [:], input: input).wait(timeout: timeout)
    }

    /// A finished `qnet run` of a scenario: its results, read back, and the parsed scenario.
    struct ScenarioRun {
        var summary: Results.Summary
        var pairs: [[String: String]]
        var events: [[String: Any]]
        var scenario: Scenario
    }

    /// Runs `yaml` with `qnet run … --quiet` plus `extra` arguments, expecting exit 0.
    static func runScenario(_ yaml: String, label: String, extra: [String] = []) throws -> ScenarioRun {
        let folder = try temporaryFolder(label)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try scenario(yaml, in: folder)
        let out = folder.appendingPathComponent("results")
        let result = try run(["run", file.path, "--out", out.path, "--quiet"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let events = try String(contentsOf: out.appendingPathComponent("events.jsonl"), encoding: .utf8)
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return ScenarioRun(summary: try summary(in: out), pairs: try pairs(in: out), events: events,
                           scenario: try Scenario.parse(yaml: yaml, file: file.path))
    }

    static func summary(in folder: URL) throws -> Results.Summary {
        let data = try Data(contentsOf: folder.appendingPathComponent("summary.json"))
        return try JSONDecoder().decode(Results.Summary.self, from: data)
    }

    /// Rows of pairs.csv as dictionaries keyed by the header.
    static func pairs(in folder: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: folder.appendingPathComponent("pairs.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst()
        return lines.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// Pids of running processes whose command line starts with this test's qnet binary.
    static func qnetProcesses() -> [Int32] {
        let binaryPath = binary.resolvingSymlinksInPath().path
        var pids: [Int32] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != getpid(),
                  let cmd = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(entry)/cmdline")) else { continue }
            let argv0 = String(decoding: cmd.split(separator: 0).first ?? Data(), as: UTF8.self)
            if !argv0.isEmpty, URL(fileURLWithPath: argv0).resolvingSymlinksInPath().path == binaryPath {
                // Skip zombies (exited, not yet reaped).
                if let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8), stat.contains(") Z ") { continue }
                pids.append(pid)
            }
        }
        return pids
    }

    /// Runs `/bin/sh -c command` (output discarded) and returns its exit status.
    static func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// True while `pid` exists (signal 0).
    static func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }
}

// MARK: - Process trees and live results (fault and bad-input suites)

extension Harness {
    /// The environment variable that marks every process of one test's run: `qnet run` gets it
    /// and its members inherit it, so a test finds its own processes even while other suites
    /// run clusters of their own in parallel.
    static let tagVariable = "QNET_TEST_TAG"

    /// A fresh tag for ``tagVariable``.
    static func newTag() -> String { "t-\(UUID().uuidString)" }

    /// Starts `qnet arguments…` with its process tree marked by `tag`.
    static func start(_ arguments: [String], tag: String) throws -> Running {
        try Running(arguments, environment: [tagVariable: tag])
    }

    /// Live (not zombie) `qnet` processes whose environment carries `tag`.
    static func processes(tagged tag: String) -> [Int32] {
        let marker = Data("\(tagVariable)=\(tag)".utf8)
        return qnetProcesses().filter { pid in
            guard let environ = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ")) else { return false }
            return environ.split(separator: 0).contains { Data($0) == marker }
        }
    }

    /// True while `pid` exists and has not exited: unlike ``alive(_:)``, an exited process not yet
    /// reaped (a zombie) counts as gone.
    static func running(_ pid: Int32) -> Bool {
        guard alive(pid) else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !stat.contains(") Z ")
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` seconds pass; returns whether it held.
    @discardableResult
    static func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }

    /// The `tcp://127.0.0.1:PORT` endpoints `pid` listens on, from /proc (Linux): its socket
    /// inodes (/proc/PID/fd) matched against the listening sockets in /proc/PID/net/tcp.
    static func listeningLoopbackEndpoints(of pid: Int32) -> [String] {
        let fdFolder = "/proc/\(pid)/fd"
        var inodes: Set<Substring> = []
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: fdFolder)) ?? [] {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdFolder)/\(fd)"),
                  target.hasPrefix("socket:[") else { continue }
            inodes.insert(Substring(target.dropFirst("socket:[".count).dropLast()))
        }
        guard let table = try? String(contentsOfFile: "/proc/\(pid)/net/tcp", encoding: .utf8) else { return [] }
        var endpoints: [String] = []
        // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
        for row in table.split(separator: "\n").dropFirst() {
            let columns = row.split(separator: " ")
            guard columns.count > 9, columns[3] == "0A", inodes.contains(columns[9]) else { continue }
            let local = columns[1].split(separator: ":")
            guard local.count == 2, local[0] == "0100007F", let port = Int(local[1], radix: 16) else { continue }
            endpoints.append("tcp://127.0.0.1:\(port)")
        }
        return endpoints
    }

    /// Lines in a text file of the results folder (events.jsonl, pairs.csv with its header).
    static func lineCount(_ file: String, in folder: URL) throws -> Int {
        let data = try Data(contentsOf: folder.appendingPathComponent(file))
        return data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).count
    }

    /// A two-node scenario (alice, bob, one single-click link, one `keep` request) on the
    /// embedded default's hardware.
    static func twoNodeScenario(name: String, length: String, pairs: Int, duration: String, seed: Int = 7) -> String {
        """
        name: \(name)
        seed: \(seed)
        duration: \(duration)
        nodes:
          - name: alice
          - name: bob
        links:
          - nodes: [alice, bob]
            length: \(length)
        requests:
          - { from: alice, to: bob, pairs: \(pairs), type: keep }

        """
    }
}

extension Harness.ScenarioRun {
    /// The send times (events.jsonl `sendSeconds`) of the routed messages of `type` from `source`
    /// to `destination`, in the order they were recorded.
    func sendTimes(_ type: String, from source: String, to destination: String) -> [Double] {
        events.filter { $0["type"] as? String == type && $0["source"] as? String == source && $0["destination"] as? String == destination }
            .map { $0["sendSeconds"] as! Double }
    }
}
