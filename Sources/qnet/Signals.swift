import Dispatch
import Foundation
import Synchronization

/// SIGINT/SIGTERM handling for the coordinator: the signal only sets a flag; the event loop
/// polls it (at least every 50 ms) and shuts the cluster down in order.
enum Signals {
    static let received = Atomic<Int32>(0)
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []

    /// Routes SIGINT and SIGTERM to ``received`` instead of terminating the process.
    static func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { received.store(sig, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    /// Members ignore SIGINT: a Ctrl-C on the terminal reaches the whole process group, and the
    /// coordinator, not each member, decides how the run ends. SIGTERM still ends a member.
    /// (Ignored dispositions survive exec, and the coordinator that started this member ignores
    /// SIGTERM, so SIGTERM is set back to its default here.)
    static func ignoreInterrupt() {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_DFL)
    }
}
