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

        init(_ arguments: [String]) throws {
            process.executableURL = Harness.binary
            process.arguments = arguments
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

    /// True while `pid` exists (signal 0).
    static func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }
}
