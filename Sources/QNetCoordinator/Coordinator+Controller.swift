import Foundation
import QNetCore
import QNetScenario
import QNetScheduling
import QNetTransport
import QNetWire

/// The coordinator's end of a controller program's connection (controller placement, DESIGN §6):
/// a ROUTER socket the program connects a DEALER to. The program speaks only `scheduler.proto`
/// ControllerFrames; it never sees the clock's grant protocol, because the coordinator asks it
/// about each observation at that observation's delivery time and waits for the answer before
/// the clock goes on.
public final class ControllerChannel {
    let transport: RouterTransport
    /// The program's routing identity, known from its hello.
    var peer: [UInt8]?
    var nextID: UInt64 = 0
    /// Observations asked, and round trips' wall time (for the summary).
    var asked: UInt64 = 0
    var decisions: UInt64 = 0
    /// Wall-clock round trips in seconds, the first ``roundTripSamples`` (a bounded table).
    var roundTrips: [Double] = []
    static let roundTripSamples = 100_000
    var program = ""

    /// What summary.json says of the controller; `stale` from the nodes' counters.
    func stats(stale: UInt64?) -> Results.ControllerStats {
        let micro = roundTrips.map { $0 * 1e6 }
        let percentiles = micro.isEmpty ? nil : Results.Percentiles(
            p50: Statistics.percentile(micro, 0.5)!, p90: Statistics.percentile(micro, 0.9)!, p99: Statistics.percentile(micro, 0.99)!)
        return Results.ControllerStats(program: program, observations: asked, decisions: decisions, staleDecisions: stale,
                                       roundTripMicroseconds: percentiles)
    }

    public init(transport: RouterTransport) { self.transport = transport }

    /// A frame from the program, or nil on timeout; a frame that does not decode is reported.
    func receive(timeoutMilliseconds: Int) throws -> Result<ControllerFrame, WireError>? {
        guard let (identity, frames) = try transport.receiveFrames(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        if let peer, identity != peer { return .failure(WireError(.malformed, "a frame from a second controller program; only one may connect")) }
        guard frames.count == 1 else { return .failure(WireError(.malformed, "a message of \(frames.count) frames; one ControllerFrame expected")) }
        do { return .success(try ControllerFrame(decoding: frames[0])) } catch {
            return .failure(error)
        }
    }

    func send(_ frame: ControllerFrame) throws {
        guard let peer else { return }
        try transport.send(to: peer, try frame.encoded())
    }
}

extension Coordinator {
    /// Waits for the controller program's hello (until `deadline`) and sends it the run.
    func connectController(deadline: Date) -> Outcome? {
        guard let channel = controllerChannel else {
            return .failed("policies.placement is controller, but no controller channel was opened (this is a bug)")
        }
        while channel.peer == nil {
            if let stop = checkStop() { return stop }
            if Date() > deadline {
                return .failed("no controller program connected within \(Int(options.registrationTimeoutSeconds)) s (placement: controller)")
            }
            do {
                guard let identity = try channel.transport.receiveFrames(timeoutMilliseconds: 50) else { continue }
                guard identity.frames.count == 1, case let .hello(version, name) = try ControllerFrame(decoding: identity.frames[0]) else {
                    log("controller: ignored a frame before hello")
                    continue
                }
                channel.peer = identity.identity
                // Version 1 has no link generation and no path installation at the controller: a
                // program that speaks it would leave free qubits and paths waiting forever. A
                // refused program is told why (a stop frame) rather than left waiting for a start.
                let scenario = plan.scenario
                var refusal: String?
                if !(1...ControllerFrame.protocolVersion).contains(version) {
                    refusal = "the controller program speaks scheduler protocol version \(version); this coordinator speaks 1 to \(ControllerFrame.protocolVersion)"
                } else if version < 2, scenario.policies.generationPlacement == .controller || scenario.policies.routingPlacement == .controller {
                    refusal = "the controller program speaks scheduler protocol version 1, which has no link generation or path installation; policies.generationPlacement or routingPlacement: controller needs version 2"
                }
                if let refusal {
                    try? channel.send(.stop(reason: refusal))
                    return .failed(refusal)
                }
                channel.program = name.printable
            } catch {
                log("controller: ignored a frame before hello: \(error)")
            }
        }
        let scenario = plan.scenario
        do {
            try channel.send(.start(.init(
                runID: options.runID, seed: scenario.seed, nodes: scenario.nodes.map(\.name), swap: scenario.policies.swap.rawValue,
                cutoff: scenario.policies.cutoff, cutoffBudget: scenario.policies.cutoffBudget, controllerAt: scenario.policies.controllerAt.map { scenario.node($0).name } ?? "",
                decidesGeneration: scenario.policies.generationPlacement == .controller,
                generation: scenario.policies.generation.rawValue, request: scenario.policies.request.rawValue,
                decidesRouting: scenario.policies.routingPlacement == .controller)))
        } catch {
            return .failed("cannot send the run to the controller program: \(error)")
        }
        log("controller: \(channel.program.isEmpty ? "a program" : channel.program) connected")
        return nil
    }

    /// An observation reaches the controller: the program is asked at its delivery time, the
    /// clock waits for the answer, and the decisions go back to the node as a routed message sent
    /// at that time (so they pay the delay back). Recorded in events.jsonl like any routed message.
    func answerController(_ envelope: Envelope, modeledDelay: VDuration) {
        let handledAt = arrivedHere(envelope, modeledDelay: modeledDelay)
        guard case let .observationReport(report) = envelope.body, let channel = controllerChannel, channel.peer != nil else {
            drop(envelope.source, "\(envelope.body.typeName) to the controller, which takes observation reports only")
            return
        }
        // The run is failing already (the first reason stands): nothing more goes to the program.
        guard controllerFailure == nil else { return }
        channel.nextID += 1
        let id = channel.nextID
        let asked = Date()
        do {
            try channel.send(.observation(id: id, node: envelope.source, time: handledAt, observation: report.observation, view: report.view))
        } catch {
            // A program that declined the run (a stop frame) and left: say its reason.
            if case let .success(.stop(reason))?? = try? channel.receive(timeoutMilliseconds: 100) {
                controllerFailure = "the controller program stopped the run: \(String(reason.prefix(300)).printable)"
            } else {
                controllerFailure = "cannot send observation \(id) to the controller program: \(error)"
            }
            return
        }
        var decisions: [Decision]?
        var lastBeat = Date()
        while decisions == nil {
            if interrupted() { return }
            if Date().timeIntervalSince(asked) > silenceLimitSeconds {
                controllerFailure = "the controller program has not answered observation \(id) in \(Int(silenceLimitSeconds)) s"
                return
            }
            if Date().timeIntervalSince(lastBeat) > 1 {
                lastBeat = Date()
                keepAlive()
            }
            let received: Result<ControllerFrame, WireError>?
            do { received = try channel.receive(timeoutMilliseconds: 20) } catch {
                controllerFailure = "receiving from the controller program failed: \(error)"
                return
            }
            switch received {
            case nil:
                continue
            case let .failure(error)?:
                drop(Scenario.controllerName, "\(error)")
            case let .success(.reply(replyID, list, _))?:
                guard replyID == id else {
                    drop(Scenario.controllerName, "a reply to observation \(replyID) while observation \(id) is asked")
                    continue
                }
                decisions = list
            case let .success(.stop(reason))?:
                // The program declines the run (e.g. a policy it does not implement).
                controllerFailure = "the controller program stopped the run: \(String(reason.prefix(300)).printable)"
                return
            case let .success(frame)?:
                drop(Scenario.controllerName, "a \(frame.kindName) frame while observation \(id) is asked")
            }
        }
        channel.asked += 1
        channel.decisions += UInt64(decisions?.count ?? 0)
        if channel.roundTrips.count < ControllerChannel.roundTripSamples { channel.roundTrips.append(Date().timeIntervalSince(asked)) }
        byType["decision_set", default: 0] += 1
        sequence += 1
        route(Envelope(source: Scenario.controllerName, destination: envelope.source, sendTime: handledAt, deliveryTime: handledAt,
                       sequence: sequence, body: .decisionSet(.init(decisions: decisions ?? [], answersQubitFree: report.observation == .qubitFree))))
    }

    /// Tells the program the run is over.
    func stopController(_ reason: String) {
        guard let channel = controllerChannel, channel.peer != nil else { return }
        try? channel.send(.stop(reason: reason))
    }
}

extension ControllerFrame {
    /// The frame's kind, for logs.
    var kindName: String {
        switch self {
        case .hello: "hello"
        case .start: "start"
        case .observation: "observation"
        case .reply: "reply"
        case .stop: "stop"
        }
    }
}
