import QNetCore
import QNetScheduling
import Testing

@testable import QNetWire

/// The frames between the coordinator and a controller program (scheduler.proto).
@Suite("Controller frames")
struct ControllerFrameTests {
    static let frames: [ControllerFrame] = [
        .hello(version: 1, name: "controller-python swap-asap"),
        .start(.init(runID: "chain-5-20261202", seed: 11, nodes: ["n0", "n1", "n2"], swap: "asap", cutoff: .nanoseconds(5_000_000), controllerAt: "n1")),
        .start(.init(runID: "r", seed: 0, nodes: [], swap: "none", cutoff: nil, controllerAt: "")),
        .start(.init(runID: "r", seed: 1, nodes: ["a", "b"], swap: "nested", cutoff: nil, cutoffBudget: .microseconds(150), controllerAt: "a")),
        .start(.init(runID: "r", seed: 2, nodes: ["a", "b"], swap: "asap", cutoff: nil, controllerAt: "b", decidesGeneration: true,
                     generation: "greedy", request: "edf", decidesRouting: true)),
        .observation(id: 7, node: "n1", time: VTime(picoseconds: 123), observation: .linkPairStored(Samples.sampleLink), view: Samples.sampleView),
        .observation(id: 8, node: "n2", time: .zero, observation: .pairGone(QubitID(5)), view: NodeView(positions: [:], sides: [:], idle: [], now: .zero)),
        .observation(id: 9, node: "n2", time: .zero, observation: .requestArrived(RequestID(3)), view: Samples.sampleView),
        .observation(id: 10, node: "n2", time: .zero, observation: .pairExtended(Samples.sampleLink), view: Samples.sampleView),
        .reply(id: 7, decisions: [.swap(QubitID(1), QubitID(2)), .discard(QubitID(3), at: VTime(picoseconds: 9))], declined: false),
        .reply(id: 8, decisions: [], declined: true),
        .reply(id: 10, decisions: [.installPath(RequestID(5))], declined: false),
        .reply(id: 9, decisions: [.deliver(QubitID(4)), .attempt(link: LinkID(2), label: RequestID(1)), .attempt(link: LinkID(0), label: nil)], declined: false),
        .observation(id: 11, node: "n1", time: .zero, observation: .swapOutcome(left: QubitID(1), right: QubitID(2), success: false), view: Samples.sampleView),
        .observation(id: 12, node: "n0", time: .zero, observation: .pairCorrected(Samples.sampleLink), view: Samples.sampleView),
        .observation(id: 13, node: "n0", time: .zero, observation: .requestServed(RequestID(2)), view: Samples.sampleView),
        .observation(id: 14, node: "n0", time: .zero, observation: .requestExpired(RequestID(3)), view: Samples.sampleView),
        .stop(reason: "completed"),
    ]

    @Test("every frame survives a round trip", arguments: frames)
    func roundTrip(_ frame: ControllerFrame) throws {
        #expect(try ControllerFrame(decoding: frame.encoded()) == frame)
    }

    @Test("bad frames from a program are errors, never traps")
    func badFrames() throws {
        // Not protobuf, a frame with no body, a swap naming one qubit twice, a view with a position off its path.
        #expect(throws: WireError.self) { try ControllerFrame(decoding: [0xff, 0xff, 0xff]) }
        #expect(throws: WireError.self) { try ControllerFrame(decoding: []) }
        var reply = Qnet_V1_ControllerFrame()
        var swap = Qnet_V1_Decision()
        swap.swap.left = 4
        swap.swap.right = 4
        reply.reply.decisions = [swap]
        #expect(throws: WireError.self) { try ControllerFrame(decoding: reply.serializedBytes() as [UInt8]) }
        var observation = Qnet_V1_ControllerFrame()
        observation.observation.node = "n1"
        observation.observation.observation.pairGone = 3
        var place = Qnet_V1_RequestPlace()
        place.pathLength = 2
        place.position = 2
        observation.observation.view.places = [place]
        #expect(throws: WireError.self) { try ControllerFrame(decoding: observation.serializedBytes() as [UInt8]) }
        // Every strict prefix of a valid frame is rejected or decodes; it never traps.
        let bytes = try Self.frames[3].encoded()
        for n in 0..<bytes.count { _ = try? ControllerFrame(decoding: Array(bytes.prefix(n))) }
    }
}
