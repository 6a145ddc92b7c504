import Foundation
import QNetCore
import QNetPhysics
import QNetProtocols
import QNetZMQ
import Testing

@testable import QNetWire

/// Members never read the scenario: each gets its resolved configuration (protobuf `NodeConfig`
/// or `StationConfig`) in its Welcome. These tests play the coordinator over a real ZeroMQ socket
/// and start real `qnet node` / `qnet station` processes with nothing but that.
@Suite("Member configuration over the wire", .serialized)
struct MemberConfigurationTests {
    /// A fake coordinator: a ROUTER on a fresh ipc endpoint.
    final class FakeCoordinator {
        let folder: URL
        let router: ZMQRouterTransport
        var endpoint: String { "ipc://\(folder.path)/c" }

        init() throws {
            folder = try Harness.temporaryFolder("member-config")
            router = try ZMQRouterTransport(bind: "ipc://\(folder.path)/c", maxMessageBytes: 1 << 26)
        }

        deinit { router.close() }

        /// The next envelope from a member, within `seconds`.
        func receive(seconds: Double = 20) throws -> (identity: [UInt8], envelope: Envelope)? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                guard let (identity, frame, _) = try router.receive(timeoutMilliseconds: 100) else { continue }
                return (identity, try WireCodec.decode(frame))
            }
            return nil
        }

        /// Sends `body` to `identity`; `checked: false` skips the sender-side checks (a faulty
        /// coordinator).
        func send(_ body: MessageBody, to identity: [UInt8], checked: Bool = true) throws {
            let envelope = Envelope(source: "coordinator", destination: String(decoding: identity, as: UTF8.self), sendTime: .zero,
                                    deliveryTime: .zero, sequence: 1, body: body)
            try router.send(to: identity, checked ? try WireCodec.encode(envelope) : try envelope.wire.serializedBytes())
        }
    }

    /// Node `b` of a two-node link a–b, with one request from a to b.
    static let configuration = NodeConfiguration(
        node: NodeID(1), names: ["a", "b"], memories: [.ideal, try! MemoryModel(t1Seconds: 1, t2Seconds: 0.5)], qubits: 1,
        readoutError: 0, attemptPeriod: .microseconds(1), multiplexing: 1,
        links: [.init(id: LinkID(0), a: NodeID(0), b: NodeID(1), station: "station-a-b", cycle: .microseconds(12), modes: 1)],
        requests: [.init(id: RequestID(0), pairs: 3, kind: .keep, start: .zero, path: [NodeID(0), NodeID(1)])],
        end: .zero + .seconds(1), seed: 5, liveQubits: 2)

    /// Registers `member`, answers its Hello with `welcome`, and returns the member's next envelope.
    func handshake(_ arguments: [String], welcome: MessageBody.Welcome, checked: Bool = true, answerSeconds: Double = 10)
        throws -> (process: Harness.Running, coordinator: FakeCoordinator, identity: [UInt8], answer: Envelope?)
    {
        let coordinator = try FakeCoordinator()
        let process = try Harness.Running(arguments + ["--connect", coordinator.endpoint])
        let hello = try #require(try coordinator.receive(), "no hello within 20 s")
        guard case .hello = hello.envelope.body else {
            Issue.record("first message was \(hello.envelope.body.typeName), not a hello")
            return (process, coordinator, hello.identity, nil)
        }
        try coordinator.send(.welcome(welcome), to: hello.identity, checked: checked)
        var answer = try coordinator.receive(seconds: answerSeconds)
        // Heartbeats may come between the Welcome and the member's answer.
        while case .heartbeat? = answer?.envelope.body { answer = try coordinator.receive(seconds: answerSeconds) }
        return (process, coordinator, hello.identity, answer?.envelope)
    }

    @Test("a node sets itself up from its Welcome's configuration alone, with no scenario anywhere")
    func nodeRunsFromItsConfiguration() throws {
        let welcome = MessageBody.Welcome(index: 1, runID: "r", seed: 5, clockMode: .lockstep, configuration: .node(Self.configuration))
        let (process, coordinator, identity, answer) = try handshake(["node", "--name", "b"], welcome: welcome)
        guard case let .ready(ready)? = answer?.body else {
            Issue.record("expected Ready, got \(answer?.body.typeName ?? "nothing"): \(process.wait(timeout: 5).stderr)")
            return
        }
        #expect(ready.index == 1)
        try coordinator.send(.shutdown(.init(reason: .completed, detail: "")), to: identity)
        let result = process.wait(timeout: 20)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("a station sets itself up from its configuration, and a --link that contradicts it is one clear error")
    func stationRunsFromItsConfiguration() throws {
        let station = StationConfiguration(
            link: LinkID(0), ends: ["a", "b"], owner: 0,
            model: try HeraldingModel(scheme: .doubleClick, etaA: 0.5, etaB: 0.4),
            timing: LinkTiming(attemptPeriod: .microseconds(1), armDelayA: .microseconds(5), armDelayB: .microseconds(5), rounds: 2, modes: 1),
            seed: 3)
        let welcome = MessageBody.Welcome(index: 0, runID: "r", seed: 3, clockMode: .lockstep, configuration: .station(station))
        do {
            let (process, coordinator, identity, answer) = try handshake(["station", "--name", "station-a-b", "--link", "0"], welcome: welcome)
            guard case .ready? = answer?.body else {
                Issue.record("expected Ready, got \(answer?.body.typeName ?? "nothing"): \(process.wait(timeout: 5).stderr)")
                return
            }
            try coordinator.send(.shutdown(.init(reason: .completed, detail: "")), to: identity)
            #expect(process.wait(timeout: 20).status == 0)
        }
        let (process, _, _, _) = try handshake(["station", "--name", "station-a-b", "--link", "4"], welcome: welcome, answerSeconds: 0.5)
        let result = process.wait(timeout: 20)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("--link 4 does not match") && lines[0].contains("link 0"), "\(result.stderr)")
    }

    /// A configuration that fails the receiver's checks (here: a memory for only one of two nodes)
    /// ends the member at once with one line naming the field, not after a 20 s wait.
    @Test("a malformed configuration ends the member at once with one line naming the field",
          arguments: ["welcome.node.memories", "welcome.node.requests[0].path", "welcome.node.links[0].cycle_ps"])
    func malformedConfiguration(field: String) throws {
        var configuration = Self.configuration
        switch field {
        case "welcome.node.memories": configuration.memories.removeLast()
        case "welcome.node.requests[0].path": configuration.requests[0].path = [NodeID(0), NodeID(7)]
        default: configuration.links[0].cycle = .zero
        }
        let welcome = MessageBody.Welcome(index: 1, runID: "r", seed: 5, clockMode: .lockstep, configuration: .node(configuration))
        let (process, _, _, answer) = try handshake(["node", "--name", "b"], welcome: welcome, checked: false, answerSeconds: 0.5)
        #expect(answer == nil, "the member answered a malformed welcome with \(answer?.body.typeName ?? "")")
        let result = process.wait(timeout: 20)
        #expect(result.status == 1)
        // The wall time counts from the start, a Welcome that is never answered is waited for 20 s.
        #expect(result.wallSeconds < 10, "took \(result.wallSeconds) s")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("welcome is malformed") && lines[0].contains(field), "\(result.stderr)")
    }
}
