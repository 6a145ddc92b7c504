import ArgumentParser
import Foundation
import QNetCore
import QNetScheduling
import QNetWire
import QNetZMQ

/// `qnet controller`: the built-in policies as a controller program (controller placement,
/// DESIGN §6). It speaks only scheduler.proto, as any external controller does
/// (docs/controller-protocol.md): hello, then one reply per observation, until stop.
struct ControllerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Run the built-in policies as a controller program (started by `qnet run` under placement: controller): swap and cutoff, and link generation and path installation when the scenario gives them to the controller.")

    @Option(help: "The coordinator's controller endpoint, e.g. tcp://127.0.0.1:5599 (qnet run --controller-endpoint).")
    var connect: String

    @Option(help: "Exit after this many seconds without a frame from the coordinator (it heartbeats nothing: a run with no observations for this long is over).")
    var idleTimeout: Double = 3600

    func validate() throws {
        guard connect.hasPrefix("tcp://") || connect.hasPrefix("ipc://") else {
            throw ValidationError("--connect must be a tcp:// or ipc:// endpoint, got \(connect.debugDescription)")
        }
        guard idleTimeout > 0, idleTimeout.isFinite else { throw ValidationError("--idle-timeout must be a positive number of seconds") }
    }

    func run() throws {
        Signals.ignoreInterrupt()
        let log: (String) -> Void = { FileHandle.standardError.write(Data(("qnet controller: " + $0.printable + "\n").utf8)) }
        let transport: ZMQDealerTransport
        do {
            transport = try ZMQDealerTransport(endpoint: connect, identity: "controller-\(getpid())", maxMessageBytes: Int64(WireFrame.maxBytes))
        } catch {
            log("cannot connect to \(connect): \(error)")
            throw ExitCode(1)
        }
        defer { transport.close() }
        let parent = getppid()
        try transport.send(ControllerFrame.hello(version: ControllerFrame.protocolVersion, name: "qnet controller (built-in policies)").encoded())
        var controller: BuiltInController?
        var lastFrame = Date()
        while true {
            // Started by `qnet run`: a parent that is gone will send nothing more.
            if parent != 1 && getppid() != parent { return }
            guard let bytes = try transport.receive(timeoutMilliseconds: 200) else {
                if Date().timeIntervalSince(lastFrame) > idleTimeout {
                    log("no frame from the coordinator for \(Int(idleTimeout)) s; exiting")
                    throw ExitCode(1)
                }
                continue
            }
            lastFrame = Date()
            let frame: ControllerFrame
            do { frame = try ControllerFrame(decoding: bytes) } catch {
                log("dropped a frame: \(error)")
                continue
            }
            switch frame {
            case let .start(start):
                do { controller = try BuiltInController(swap: start.swap, cutoff: start.cutoff, budget: start.cutoffBudget,
                                                       generation: start.generation, request: start.request,
                                                       installsPaths: start.decidesRouting) } catch {
                    log("\(error)")
                    throw ExitCode(1)
                }
            case let .observation(id, node, _, observation, view):
                guard controller != nil else {
                    log("dropped observation \(id): no start frame yet")
                    continue
                }
                let decisions = controller!.decide(node: node, observation: observation, view: view)
                try transport.send(ControllerFrame.reply(id: id, decisions: decisions, declined: decisions.isEmpty).encoded())
            case .stop:
                return
            case .hello, .reply:
                log("dropped a frame the coordinator does not send")
            }
        }
    }
}
