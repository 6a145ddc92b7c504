import QNetCore
import QNetPhysics
import QNetProtocols
import Testing

@testable import QNetWire

@Suite("Envelope encoding and decoding")
struct WireCodecTests {
    @Test("the samples cover every body type")
    func samplesCoverEveryType() {
        #expect(Set(Samples.bodies.map(\.typeName)) == Samples.allTypeNames)
        #expect(Samples.allTypeNames.count == 23)
    }

    @Test("every body type survives a round trip", arguments: Samples.bodies)
    func roundTrip(body: MessageBody) throws {
        let envelope = Samples.envelope(body, sequence: 7)
        let bytes = try WireCodec.encode(envelope)
        #expect(!bytes.isEmpty)
        let decoded = try WireCodec.decode(bytes)
        #expect(decoded == envelope)
        #expect(decoded.body.typeName == body.typeName)
        // Encoding is deterministic, so the bytes are stable too.
        #expect(try WireCodec.encode(decoded) == bytes)
    }

    @Test("the envelope header round trips, including extreme values")
    func headerExtremes() throws {
        let envelope = Envelope(
            source: String(repeating: "n", count: 255), destination: "", sendTime: .never,
            deliveryTime: VTime(picoseconds: .max - 1), sequence: .max, body: .ready(.init(index: .max)))
        #expect(try WireCodec.decode(WireCodec.encode(envelope)) == envelope)
    }

    @Test("a stamped frame decodes to the envelope with the new delivery time, whatever it had",
          arguments: [VTime.zero, VTime(picoseconds: 127), VTime(picoseconds: 128), VTime(picoseconds: 4_903_392), VTime(picoseconds: .max)])
    func stampedFrames(deliveryTime: VTime) throws {
        for body in Samples.bodies {
            for before in [VTime.zero, VTime(picoseconds: 9_999_999)] {
                var envelope = Samples.envelope(body, sequence: 3)
                envelope.deliveryTime = before
                let stamped = try WireCodec.stamped(WireCodec.encode(envelope), deliveryTime: deliveryTime)
                envelope.deliveryTime = deliveryTime
                #expect(try WireCodec.decode(stamped) == envelope, "\(body.typeName)")
            }
        }
    }

    @Test("backplane bodies are flagged as backplane traffic")
    func backplaneFlag() {
        let flagged = Samples.bodies.filter(\.isBackplane).map(\.typeName)
        #expect(Set(flagged) == ["group_transfer", "operation_request", "operation_result"])
    }

    @Test("every strict prefix of a frame is rejected, never trapped on")
    func truncatedFrames() throws {
        let bytes = try WireCodec.encode(Samples.envelope(Samples.bodies.first { $0.typeName == "herald" }!))
        var codes: [WireError.Code: Int] = [:]
        for length in 0..<bytes.count {
            let error = try #require(throws: WireError.self) { try WireCodec.decode(Array(bytes.prefix(length))) }
            codes[error.code, default: 0] += 1
        }
        #expect(codes[.truncated, default: 0] > bytes.count / 2)
        #expect(Set(codes.keys).isSubset(of: [.truncated, .malformed, .unknownType, .wrongVersion]))
    }

    @Test("a wrong protocol version is rejected", arguments: [0, 2, UInt32.max])
    func wrongVersion(version: UInt32) throws {
        var wire = Samples.envelope(.ready(.init(index: 1))).wire
        wire.version = version
        let bytes: [UInt8] = try wire.serializedBytes()
        let error = try #require(throws: WireError.self) { try WireCodec.decode(bytes) }
        #expect(error.code == .wrongVersion)
        #expect(error.message.contains("\(version)"))
    }

    @Test("an envelope without a known body is an unknown type")
    func unknownBody() throws {
        var wire = Samples.envelope(.ready(.init(index: 1))).wire
        wire.body = nil
        let empty: [UInt8] = try wire.serializedBytes()
        #expect(throws: WireError(.unknownType, "envelope from 'alice' has no known body")) {
            try WireCodec.decode(empty)
        }
        // A body field from a future version (field 99, length-delimited, 2 bytes).
        let future = empty + [0x9A, 0x06, 0x02, 0x08, 0x01]
        let error = try #require(throws: WireError.self) { try WireCodec.decode(future) }
        #expect(error.code == .unknownType)
    }

    @Test("oversize frames are rejected on decode and on encode")
    func oversize() throws {
        let tooBig = [UInt8](repeating: 0, count: WireCodec.maxFrameBytes + 1)
        let error = try #require(throws: WireError.self) { try WireCodec.decode(tooBig) }
        #expect(error.code == .oversize)

        let huge = Envelope(
            source: "alice", sequence: 1,
            body: .metrics(.init(virtualTime: .zero, counters: [String(repeating: "x", count: WireCodec.maxFrameBytes): 1])))
        let encodeError = try #require(throws: WireError.self) { try WireCodec.encode(huge) }
        #expect(encodeError.code == .oversize)
    }

    @Test(
        "field constraints are enforced on decode and encode",
        arguments: [
            ("missing source", Envelope(source: "", sequence: 1, body: .ready(.init(index: 0)))),
            ("herald with 3 qubits",
             Samples.envelope(
                .herald(.init(
                    linkID: LinkID(1), batchID: 1, attemptIndex: 0, successTime: .zero, bellState: .phiPlus,
                    groupID: GroupID(1), qubits: [QubitID(1), QubitID(2), QubitID(3)], owner: "a")))),
            ("state with missing entries",
             Samples.envelope(
                .groupTransfer(.init(
                    transferID: 1,
                    state: .init(
                        groupID: GroupID(1), qubits: [QubitID(1)], lastTouched: [.zero], real: [1, 0, 0],
                        imaginary: [0, 0, 0, 0]))))),
            ("state with NaN",
             Samples.envelope(
                .groupTransfer(.init(
                    transferID: 1,
                    state: .init(
                        groupID: GroupID(1), qubits: [QubitID(1)], lastTouched: [.zero], real: [1, 0, 0, .nan],
                        imaginary: [0, 0, 0, 0]))))),
            ("zero attempt period",
             Samples.envelope(
                .attemptBatch(.init(
                    linkID: LinkID(1), batchID: 1, startTime: .zero, attemptPeriod: .zero, maxAttempts: 1,
                    qubit: QubitID(1))))),
            ("negative dilation", Samples.envelope(.epochAnnounce(.init(epochUnixNanoseconds: 0, dilation: -1)))),
            ("cnot on one qubit",
             Samples.envelope(.operationRequest(.init(operationID: 1, time: .zero, kind: .cnot, qubits: [QubitID(1)])))),
            ("probability above one",
             Samples.envelope(
                .operationRequest(.init(
                    operationID: 1, time: .zero, kind: .x, qubits: [QubitID(1)], depolarizingProbability: 1.5)))),
            ("outcome 2", Samples.envelope(.operationResult(.init(operationID: 1, outcomes: [2])))),
            ("oldest link after the delivery",
             Samples.envelope(.pairDelivered(.init(requestID: RequestID(1), pairID: 1, nodeA: "a", nodeB: "b", created: VTime(picoseconds: 10),
                                                   delivered: VTime(picoseconds: 20), fidelity: 1, oldestLink: VTime(picoseconds: 21))))),
            ("node index beyond the names", welcome(node: { $0.node = NodeID(3) })),
            ("fewer memories than nodes", welcome(node: { $0.memories.removeLast() })),
            ("link not at this node", welcome(node: { $0.links[0].a = NodeID(2); $0.links[0].b = NodeID(0) })),
            ("zero-length cycle", welcome(node: { $0.links[0].cycle = .zero })),
            ("path through a missing node", welcome(node: { $0.requests[0].path = [NodeID(1), NodeID(9)] })),
            ("zero weight", welcome(node: { $0.requests[1].weight = 0 })),
            ("readout error above one", welcome(node: { $0.readoutError = 1.5 })),
            ("fewer live qubits than this node's", welcome(node: { $0.liveQubits = 3 })),
            ("a fixed cutoff and a budget at once", welcome(node: { $0.policies.cutoffBudget = .milliseconds(1) })),
            ("start beyond 2^62 ps", welcome(node: { $0.requests[0].start = VTime(picoseconds: 1 << 63) })),
            ("path index 8", welcome(node: { $0.requests[2].pathIndex = 8 })),
            ("one path of a request twice", welcome(node: { $0.requests[2].pathIndex = 0 })),
            ("paths of one request asking different pair counts", welcome(node: { $0.requests[2].pairs = 6 })),
            ("station owner 2", welcome(station: { $0.owner = 2 })),
            ("station with one end twice", welcome(station: { $0.ends = ["b", "b"] })),
            ("arm efficiency above one", welcome(station: { $0.model.etaA = 1.2 })),
            ("arm delay beyond one cycle's range", welcome(station: { $0.timing.armDelay[1] = VDuration(picoseconds: 1 << 61) })),
        ])
    func fieldConstraints(name: String, envelope: Envelope) throws {
        let encodeError = try #require(throws: WireError.self) { try WireCodec.encode(envelope) }
        #expect(encodeError.code == .malformed, "\(name)")
        // A peer that skips the sender-side check is rejected by the receiver.
        let bytes: [UInt8] = try envelope.wire.serializedBytes()
        let decodeError = try #require(throws: WireError.self) { try WireCodec.decode(bytes) }
        #expect(decodeError.code == .malformed, "\(name)")
    }

    /// A welcome carrying the sample node configuration changed by `change`.
    static func welcome(node change: (inout NodeConfiguration) -> Void) -> Envelope {
        var configuration = Samples.nodeConfiguration
        change(&configuration)
        return Samples.envelope(.welcome(.init(index: 1, runID: "r", seed: 1, clockMode: .lockstep, configuration: .node(configuration))))
    }

    /// A welcome carrying the sample station configuration changed by `change`.
    static func welcome(station change: (inout StationConfiguration) -> Void) -> Envelope {
        var configuration = Samples.stationConfiguration
        change(&configuration)
        return Samples.envelope(.welcome(.init(index: 1, runID: "r", seed: 1, clockMode: .lockstep, configuration: .station(configuration))))
    }

    @Test("memory times on the wire: 0 means infinite, and an ideal memory stays ideal")
    func memoryTimes() throws {
        #expect(try MemoryModel(wire: MemoryModel.ideal.wire, field: "m") == .ideal)
        let relaxing = try MemoryModel(t1Seconds: 1, t2Seconds: 2)
        #expect(try MemoryModel(wire: relaxing.wire, field: "m") == relaxing)
        var wire = Qnet_V1_MemoryConfig()
        wire.t1Seconds = 0
        wire.t2Seconds = 0.5
        let dephasingOnly = try MemoryModel(wire: wire, field: "m")
        #expect(dephasingOnly.t1Seconds.isInfinite && dephasingOnly.t2Seconds == 0.5)
        wire.t1Seconds = -1
        #expect(throws: WireError.self) { try MemoryModel(wire: wire, field: "m") }
    }

    @Test("unspecified and unknown enum values are malformed", arguments: [0, 9])
    func badEnums(rawValue: Int) throws {
        var wire = Samples.envelope(.shutdown(.init(reason: .completed))).wire
        var shutdown = Qnet_V1_Shutdown()
        shutdown.reason = Qnet_V1_ShutdownReason(rawValue: rawValue)!
        wire.shutdown = shutdown
        let bytes: [UInt8] = try wire.serializedBytes()
        let error = try #require(throws: WireError.self) { try WireCodec.decode(bytes) }
        #expect(error.code == .malformed)
        #expect(error.message.contains("shutdown.reason"))
    }

    @Test("seeded random garbage is decoded or rejected, never trapped on")
    func randomGarbage() {
        var generator = SplitMix64(seed: 0x51E7_0001)
        var decoded = 0
        var rejected: [WireError.Code: Int] = [:]
        for _ in 0..<10_000 {
            let count = Int.random(in: 0...256, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            do {
                let envelope = try WireCodec.decode(bytes)
                decoded += 1
                // Anything accepted must be re-encodable and stable.
                #expect((try? WireCodec.decode(WireCodec.encode(envelope))) == envelope)
            } catch {
                rejected[error.code, default: 0] += 1
            }
        }
        #expect(decoded + rejected.values.reduce(0, +) == 10_000)
        #expect(rejected[.malformed, default: 0] + rejected[.truncated, default: 0] > 5_000)
    }

    @Test("seeded mutations of valid frames are decoded or rejected, never trapped on")
    func mutatedFrames() throws {
        var generator = SplitMix64(seed: 0x51E7_0002)
        let frames = try Samples.bodies.map { body throws(WireError) in try WireCodec.encode(Samples.envelope(body)) }
        var decoded = 0
        var rejected = 0
        for _ in 0..<10_000 {
            var bytes = frames.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
                case 1: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                default: bytes.remove(at: index)
                }
                if bytes.isEmpty { break }
            }
            do {
                let envelope = try WireCodec.decode(bytes)
                decoded += 1
                #expect((try? WireCodec.decode(WireCodec.encode(envelope))) == envelope)
            } catch {
                rejected += 1
            }
        }
        #expect(decoded > 0)
        #expect(rejected > 0)
    }
}
