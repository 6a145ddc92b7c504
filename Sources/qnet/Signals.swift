import Dispatch
import Foundation
import Synchronization

/// SIGINT/SIGTERM/SIGHUP handling for the coordinator: the signal only sets a flag; the event
/// loop polls it (at least every 50 ms) and shuts the cluster down in order. (SIGHUP comes when
/// the terminal or the ssh session the run was started from goes away.)
enum Signals {
    static let received = Atomic<Int32>(0)
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []

    /// The signals that end a run in order.
    static let handled = [SIGINT, SIGTERM, SIGHUP]

    /// `SIGINT`, `SIGTERM`, `SIGHUP`.
    static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "SIGINT"
        }
    }

    /// The environment variable a parent that cannot pass a signal on when it dies (qnet sweep,
    /// killed with SIGKILL) sets to its pid: the child then watches it and ends as on SIGTERM
    /// once it is gone.
    static let parentVariable = "QNET_PARENT_PID"
    nonisolated(unsafe) static var parentWatch: DispatchSourceTimer?

    /// Routes SIGINT, SIGTERM and SIGHUP to ``received`` instead of terminating the process;
    /// with ``parentVariable`` naming this process's parent, its death counts as SIGTERM.
    static func install() {
        if let text = ProcessInfo.processInfo.environment[parentVariable], let parent = pid_t(text), parent > 1, getppid() == parent {
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + .milliseconds(200), repeating: .milliseconds(200))
            timer.setEventHandler {
                guard getppid() != parent, received.load(ordering: .relaxed) == 0 else { return }
                FileHandle.standardError.write(Data("qnet: the parent process \(parent) is gone; stopping the run as on SIGTERM\n".utf8))
                received.store(SIGTERM, ordering: .relaxed)
            }
            timer.resume()
            parentWatch = timer
        }
        for sig in handled {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { received.store(sig, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    /// Members ignore SIGINT and SIGHUP: a Ctrl-C on the terminal, or the terminal hanging up,
    /// reaches the whole process group, and the coordinator, not each member, decides how the run
    /// ends (a member whose coordinator falls silent exits). SIGTERM still ends a member.
    /// (Ignored dispositions survive exec, and the coordinator that started this member ignores
    /// SIGTERM, so SIGTERM is set back to its default here.)
    static func ignoreInterrupt() {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_DFL)
        signal(SIGHUP, SIG_IGN)
    }
}
