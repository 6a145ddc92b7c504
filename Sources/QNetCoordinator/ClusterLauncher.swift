import Foundation

/// Starts the member processes of a local cluster (`qnet node …`, `qnet station …`),
/// watches them, and stops them: nothing is left behind on success, failure or interrupt.
public final class ClusterLauncher {
    let executable: URL
    let endpoint: String
    let plan: ClusterPlan
    let extraStationArguments: [String]
    /// Extra arguments for each node, by name (its direct backplane socket).
    let nodeArguments: (String) -> [String]
    public private(set) var running: [(name: String, role: String, process: Process)] = []
    var stopping = false

    public init(executable: URL, endpoint: String, plan: ClusterPlan, extraStationArguments: [String] = [],
                nodeArguments: @escaping (String) -> [String] = { _ in [] }) {
        self.nodeArguments = nodeArguments
        self.executable = executable
        self.endpoint = endpoint
        self.plan = plan
        self.extraStationArguments = extraStationArguments
    }

    /// Spawns every member.
    /// - Throws: when a process cannot be started (the ones already started are stopped).
    public func launch() throws {
        for member in plan.members {
            let process = Process()
            process.executableURL = executable
            var arguments = [member.role.rawValue, "--connect", endpoint, "--name", member.name] + member.arguments
            if member.role == .station { arguments += extraStationArguments }
            if member.role == .node { arguments += nodeArguments(member.name) }
            process.arguments = arguments
            do {
                try process.run()
            } catch {
                stop(graceSeconds: 0)
                throw LaunchError(message: "cannot start '\(executable.path) \(arguments.joined(separator: " "))': \(error.localizedDescription)")
            }
            running.append((member.name, member.role.rawValue, process))
        }
    }

    /// A one-line description of the first member that exited while it should be running.
    public func deadMember() -> String? {
        guard !stopping else { return nil }
        for (name, role, process) in running where !process.isRunning {
            let how = process.terminationReason == .uncaughtSignal
                ? "was killed by signal \(process.terminationStatus)"
                : "exited with status \(process.terminationStatus)"
            return "\(role) '\(name)' (pid \(process.processIdentifier)) \(how)"
        }
        return nil
    }

    /// Waits up to `graceSeconds` for members to exit on their own (after a Shutdown), then
    /// sends SIGTERM, then SIGKILL after another second.
    public func stop(graceSeconds: Double) {
        stopping = true
        func waitAll(_ seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if running.allSatisfy({ !$0.process.isRunning }) { return true }
                usleep(10_000)
            }
            return running.allSatisfy { !$0.process.isRunning }
        }
        if waitAll(graceSeconds) { return }
        for (_, _, p) in running where p.isRunning { kill(p.processIdentifier, SIGTERM) }
        if waitAll(1) { return }
        for (_, _, p) in running where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        _ = waitAll(1)
    }
}

public struct LaunchError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
