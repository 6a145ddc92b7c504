import QNetCore
import QNetProtocols
import QNetWire

/// The node shell: turns envelopes into runtime events and carries out the runtime's
/// directives (STYLE habit 2). Everything the node decides is in ``NodeRuntime``.
public final class NodeBehavior: ProcessBehavior {
    public private(set) var runtime: NodeRuntime

    public init(runtime: NodeRuntime) {
        self.runtime = runtime
    }

    public func start(_ shell: ProcessShell) {
        carryOut(runtime.start(), shell)
    }

    public func deliver(_ envelope: Envelope, _ shell: ProcessShell) {
        guard let message = envelope.body.nodeMessage, !message.isBackplane else {
            shell.warn("ignored \(envelope.body.typeName) from '\(envelope.source)'")
            return
        }
        let event = NodeEvent.message(message, source: envelope.source, sent: envelope.sendTime, due: envelope.deliveryTime)
        carryOut(runtime.handle(event, at: shell.now), shell)
    }

    public func backplane(_ envelope: Envelope, _ shell: ProcessShell) {
        guard let message = envelope.body.nodeMessage, message.isBackplane else {
            shell.warn("ignored backplane \(envelope.body.typeName) from '\(envelope.source)'")
            return
        }
        carryOut(runtime.handle(.backplane(message, source: envelope.source), at: shell.now), shell)
    }

    public var waitingSince: VTime? { runtime.waitingSince }

    /// Memory occupancy over the run (qubit·ns up to the last event, and the most at once).
    public var metrics: [String: UInt64] {
        ["memory.occupancyQubitNanoseconds": UInt64(runtime.occupancy.integralQubitSeconds * 1e9),
         "memory.occupancyMax": UInt64(runtime.occupancy.max),
         "pairs.refused": UInt64(runtime.refusedPairs), "pairs.dropped": UInt64(runtime.droppedPairs),
         "pairs.impatient": UInt64(runtime.impatientDiscards), "pairs.identityMismatches": UInt64(runtime.identityMismatches)]
    }

    public func resume(_ shell: ProcessShell, realtime: Bool) {
        for (time, directives) in runtime.resume(at: realtime ? shell.now : nil) {
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
                    self.carryOut(self.runtime.handle(.timer(timer), at: shell.now), shell)
                }
            case let .warn(line):
                shell.warn(line)
            }
        }
    }
}
