import QNetCore
import QNetProtocols
import QNetWire

/// The node shell: turns envelopes into runtime events and carries out the runtime's
/// directives (STYLE habit 2). Everything the node decides is in ``NodeRuntime``.
public final class NodeBehavior: ProcessBehavior {
    public private(set) var runtime: NodeRuntime
    /// ``NodeRuntime/waitingSince`` after the latest event. The shell asks for it after every
    /// event and report; read through ``runtime`` (a struct held by a class) each ask would copy
    /// the whole runtime, so it is taken once per change, in place, by ``update(_:)``.
    public private(set) var waitingSince: VTime?

    public init(runtime: NodeRuntime) {
        self.runtime = runtime
        waitingSince = runtime.waitingSince
    }

    /// Runs `body` on the runtime in place, then refreshes ``waitingSince``. Every change to the
    /// runtime goes through here.
    func update<Result>(_ body: (inout NodeRuntime) -> Result) -> Result {
        let result = body(&runtime)
        waitingSince = Self.waitingSince(of: &runtime)
        return result
    }

    /// Reads `waitingSince` of a runtime held in place (no copy: the access is exclusive).
    static func waitingSince(of runtime: inout NodeRuntime) -> VTime? { runtime.waitingSince }

    public func start(_ shell: ProcessShell) {
        carryOut(update { $0.start() }, shell)
    }

    public func deliver(_ envelope: Envelope, _ shell: ProcessShell) {
        guard let message = envelope.body.nodeMessage, !message.isBackplane else {
            shell.warn("ignored \(envelope.body.typeName) from '\(envelope.source)'")
            return
        }
        let event = NodeEvent.message(message, source: envelope.source, sent: envelope.sendTime, due: envelope.deliveryTime)
        carryOut(update { $0.handle(event, at: shell.now) }, shell)
    }

    public func backplane(_ envelope: Envelope, _ shell: ProcessShell) {
        guard let message = envelope.body.nodeMessage, message.isBackplane else {
            shell.warn("ignored backplane \(envelope.body.typeName) from '\(envelope.source)'")
            return
        }
        carryOut(update { $0.handle(.backplane(message, source: envelope.source), at: shell.now) }, shell)
    }

    /// Memory occupancy over the run (qubit·ns up to the last event, and the most at once).
    public var metrics: [String: UInt64] {
        ["memory.occupancyQubitNanoseconds": UInt64(runtime.occupancy.integralQubitSeconds * 1e9),
         "memory.occupancyMax": UInt64(runtime.occupancy.max),
         "pairs.refused": UInt64(runtime.refusedPairs), "pairs.dropped": UInt64(runtime.droppedPairs),
         "pairs.impatient": UInt64(runtime.impatientDiscards), "pairs.identityMismatches": UInt64(runtime.identityMismatches),
         "scheduler.controllerDecisions": UInt64(runtime.controllerDecisions), "scheduler.staleDecisions": UInt64(runtime.staleDecisions),
         "swaps.failed": UInt64(runtime.failedSwaps)]
    }

    public func resume(_ shell: ProcessShell, realtime: Bool) {
        for (time, directives) in update({ $0.resume(at: realtime ? shell.now : nil) }) {
            shell.advance(to: time)
            carryOut(directives, shell)
        }
    }

    func carryOut(_ directives: [NodeDirective], _ shell: ProcessShell) {
        for directive in directives {
            switch directive {
            case let .send(message, destination):
                shell.send(MessageBody(message), to: destination)
            case let .schedule(timer, time):
                shell.schedule(at: time) { [weak self, unowned shell] in
                    guard let self else { return }
                    self.carryOut(self.update { $0.handle(.timer(timer), at: shell.now) }, shell)
                }
            case let .warn(line):
                shell.warn(line)
            }
        }
    }
}
