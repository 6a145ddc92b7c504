import QNetCore
import QNetPhysics
import QNetProtocols
import QNetScheduling

@testable import QNetWire

/// One example of every body type, with non-default values in every field.
enum Samples {
    static let bellPairState = MessageBody.GroupState(
        groupID: GroupID(42),
        qubits: [QubitID(home: NodeID(0), index: 1), QubitID(home: NodeID(1), index: 0)],
        lastTouched: [VTime(picoseconds: 1_000), VTime(picoseconds: 2_000)],
        real: [0.5, 0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0, 0, 0.5],
        imaginary: [0, 0, 0, 0.125, 0, 0, 0, 0, 0, 0, 0, 0, -0.125, 0, 0, 0])

    /// A repeater's configuration with every field set.
    static let nodeConfiguration = NodeConfiguration(
        node: NodeID(1), names: ["a", "b", "c"],
        memories: [.ideal, try! MemoryModel(t1Seconds: 2, t2Seconds: 1.5), try! MemoryModel(t1Seconds: 1, t2Seconds: 2)],
        qubits: 4, communicationQubits: 2, readoutError: 0.01, gateFidelity: 0.98, attemptPeriod: .microseconds(1), multiplexing: 3,
        links: [.init(id: LinkID(0), a: NodeID(0), b: NodeID(1), station: "station-a-b", cycle: .microseconds(21), modes: 3),
                .init(id: LinkID(1), a: NodeID(1), b: NodeID(2), station: "station-b-c", cycle: .microseconds(12), modes: 1)],
        requests: [.init(id: RequestID(0), pairs: 10, kind: .keep, start: .zero, path: [NodeID(0), NodeID(1), NodeID(2)]),
                   .init(id: RequestID(2), pairs: 5, kind: .measure(bases: [.z, .x, .y]), start: VTime(picoseconds: 500),
                         path: [NodeID(1), NodeID(2)], weight: 3, priority: -2, deadline: VTime(picoseconds: 9_000)),
                   // Request 2's second path (routing: k-shortest).
                   .init(id: RequestID(3), pairs: 5, kind: .measure(bases: [.z, .x, .y]), start: VTime(picoseconds: 500),
                         path: [NodeID(1), NodeID(0), NodeID(2)], weight: 3, priority: -2, deadline: VTime(picoseconds: 9_000),
                         parent: RequestID(2), pathIndex: 1)],
        end: VTime(picoseconds: 1 << 40), seed: 7, policies: SchedulingPolicies(cutoff: .milliseconds(3), request: .weightedFair, generation: .greedy, controller: "controller",
                                                                           generationByController: true, routingByController: true),
        liveQubits: 12)

    /// A Barrett–Kok station's configuration with every field set.
    static let stationConfiguration = StationConfiguration(
        link: LinkID(1), ends: ["b", "c"], owner: 1,
        model: try! HeraldingModel(scheme: .singleClick(brightStatePopulation: 0.1), etaA: 0.3, etaB: 0.2, visibility: 0.9,
                                   darkCountProbability: 1e-6),
        timing: LinkTiming(attemptPeriod: .microseconds(1), armDelayA: .microseconds(4), armDelayB: .microseconds(6), rounds: 1, modes: 2),
        seed: 11)

    static let bodies: [MessageBody] = [
        .hello(.init(role: .station, name: "station-ab", pid: 4242, softwareVersion: "0.1.0")),
        .welcome(.init(index: 3, runID: "run-7", seed: 99, clockMode: .realtime, configuration: .node(nodeConfiguration))),
        .welcome(.init(index: 1, runID: "run-7", seed: 99, clockMode: .lockstep, configuration: .station(stationConfiguration))),
        .ready(.init(index: 3)),
        .start(.init(duration: .seconds(2))),
        .start(.init(duration: nil)),
        .shutdown(.init(reason: .peerLost, detail: "bob stopped answering")),
        .heartbeat(.init(wallTimeNanoseconds: 1_700_000_000_000_000_000, virtualTime: VTime(picoseconds: 77))),
        .grant(.init(round: 9, windowEnd: VTime(picoseconds: 48_900_000))),
        .windowDone(.init(round: 9, nextEventTime: VTime(picoseconds: 50_000_000), messagesSent: 4)),
        .windowDone(.init(round: 10, nextEventTime: nil, messagesSent: 0)),
        .windowDone(.init(round: 11, nextEventTime: .zero, messagesSent: 0)),
        .clockPing(.init(pingID: 5, t1Nanoseconds: 100)),
        .clockPong(.init(pingID: 5, t1Nanoseconds: 100, t2Nanoseconds: 150, t3Nanoseconds: 160)),
        .epochAnnounce(.init(epochUnixNanoseconds: 1_700_000_000_000_000_000, dilation: 1_000)),
        .attemptBatch(
            .init(
                linkID: LinkID(2), batchID: 17, startTime: VTime(picoseconds: 1_000_000),
                attemptPeriod: .microseconds(1), modes: 4, maxAttempts: 10_000,
                qubit: QubitID(home: NodeID(1), index: 0))),
        .attemptBatch(
            .init(
                linkID: LinkID(2), batchID: 18, startTime: .zero, attemptPeriod: .nanoseconds(500),
                maxAttempts: 1, qubit: QubitID(7),
                emission: .init(emissionEfficiency: 0.5, brightStatePopulation: 0.1, visibility: 0.95))),
        .herald(
            .init(
                linkID: LinkID(2), batchID: 17, attemptIndex: 12_345, successTime: VTime(picoseconds: 13_346_000_000),
                bellState: .psiMinus, groupID: GroupID(42), qubits: bellPairState.qubits, owner: "alice",
                state: bellPairState, label: RequestID(4), sequence: 77)),
        .herald(
            .init(
                linkID: LinkID(2), batchID: 3, attemptIndex: 0, successTime: VTime(picoseconds: 5),
                bellState: .phiPlus, groupID: GroupID(43), qubits: [QubitID(1), QubitID(2)], owner: "bob")),
        .attemptsExhausted(.init(linkID: LinkID(2), batchID: 18, attempts: 1, endTime: VTime(picoseconds: 600))),
        .feedForward(.init(requestID: RequestID(1), pairID: 8, qubit: QubitID(home: NodeID(2), index: 1), correction: .y)),
        .feedForward(.init(requestID: RequestID(1), pairID: 8, qubit: QubitID(home: NodeID(2), index: 1), correction: .x,
                           partner: QubitID(home: NodeID(4), index: 2), partnerNode: "dave", swaps: 2,
                           linkPairs: [.init(link: LinkID(2), sequence: 5, hop: 2), .init(link: LinkID(3), sequence: 9, hop: 3)],
                           swapTime: VTime(picoseconds: 1_234), oldest: VTime(picoseconds: 1_000))),
        .pairDelivered(
            .init(
                requestID: RequestID(1), pairID: 8, nodeA: "alice", nodeB: "bob", created: VTime(picoseconds: 10),
                delivered: VTime(picoseconds: 20), fidelity: 0.93)),
        .pairDelivered(
            .init(
                requestID: RequestID(2), pairID: 9, nodeA: "alice", nodeB: "carol", created: VTime(picoseconds: 10),
                delivered: VTime(picoseconds: 10), fidelity: 1, outcomeA: 0, outcomeB: 1,
                linkPairs: [.init(link: LinkID(0), sequence: 1, hop: 0), .init(link: LinkID(1), sequence: 3, hop: 1)],
                oldestLink: VTime(picoseconds: 4))),
        .metrics(.init(virtualTime: VTime(picoseconds: 1), counters: ["attempts": 12_346, "wire.dropped": 0])),
        .deliveryReceipts(.init(receipts: [.init(source: "alice", sequence: 9, delivered: VTime(picoseconds: 77))])),
        .groupTransfer(.init(transferID: 3, state: bellPairState)),
        .operationRequest(
            .init(
                operationID: 11, time: VTime(picoseconds: 99), kind: .cnot,
                qubits: [QubitID(home: NodeID(1), index: 0), QubitID(home: NodeID(1), index: 1)],
                depolarizingProbability: 0.01, readoutError: 0.02)),
        .operationRequest(
            .init(
                operationID: 12, time: VTime(picoseconds: 100), kind: .measureX, qubits: [QubitID(home: NodeID(1), index: 3)],
                readoutError: 0.01, origin: "carol",
                take: .init(requestID: RequestID(2), pairID: 5, created: VTime(picoseconds: 40), partner: QubitID(home: NodeID(3), index: 1),
                            lateness: .nanoseconds(2), linkPairs: [.init(link: LinkID(1), sequence: 4, hop: 0)],
                            oldest: VTime(picoseconds: 30)))),
        .operationRequest(
            .init(operationID: 12, time: VTime(picoseconds: 100), kind: .discard, qubits: [QubitID(1), QubitID(2), QubitID(3)])),
        .operationResult(.init(operationID: 11, outcomes: [1, 0])),
        .operationResult(.init(operationID: 12)),
        .observationReport(.init(observation: .linkPairStored(sampleLink), view: sampleView)),
        .observationReport(.init(observation: .qubitFree, view: NodeView(positions: [:], sides: [:], idle: [], now: .zero))),
        .decisionSet(.init(decisions: [.swap(QubitID(home: NodeID(1), index: 0), QubitID(home: NodeID(1), index: 1)),
                                       .discard(QubitID(home: NodeID(1), index: 2), at: VTime(picoseconds: UInt64.max)),
                                       .attempt(link: LinkID(3), label: RequestID(2)), .attempt(link: LinkID(4), label: nil)])),
        .decisionSet(.init(decisions: [])),
        .decisionSet(.init(decisions: [.attempt(link: LinkID(2), label: RequestID(1))], answersQubitFree: true)),
        .decisionSet(.init(decisions: [.installPath(RequestID(3)), .deliver(QubitID(home: NodeID(2), index: 1))])),
    ]

    static let sampleLink = StoredLink(qubit: QubitID(home: NodeID(1), index: 1), link: LinkID(1), request: RequestID(2),
                                       created: VTime(picoseconds: 4_000_000), partnerPosition: 2, oldest: VTime(picoseconds: 3_000_000))

    /// A view with every table filled: a middle node of request 2 and an end of request 3.
    static let sampleView = NodeView(
        positions: [RequestID(2): (length: 3, position: 1), RequestID(3): (length: 2, position: 0)],
        sides: [RequestID(2): (left: LinkID(0), right: LinkID(1)), RequestID(3): (left: nil, right: LinkID(1))],
        idle: [sampleLink],
        links: [LinkID(1): LinkDemand(requests: [.init(id: RequestID(2), start: VTime(picoseconds: 7), weight: 2.5, priority: -3),
                                                 .init(id: RequestID(4), start: VTime(picoseconds: 7), weight: 2.5, priority: -3, group: RequestID(2))],
                                      attempting: 1, stored: 1, limit: 2, isMaster: true, needed: [RequestID(2)])],
        freeQubits: 1, now: VTime(picoseconds: 5_000_000))

    static func envelope(_ body: MessageBody, sequence: UInt64 = 1) -> Envelope {
        Envelope(
            source: "alice", destination: "station-ab", sendTime: VTime(picoseconds: 1_234_567),
            deliveryTime: VTime(picoseconds: 5_234_567), sequence: sequence, body: body)
    }

    /// Every `typeName` the body enum can produce.
    static let allTypeNames: Set<String> = [
        "hello", "welcome", "ready", "start", "shutdown", "heartbeat", "grant", "window_done", "clock_ping",
        "clock_pong", "epoch_announce", "attempt_batch", "herald", "attempts_exhausted", "feed_forward",
        "pair_delivered", "metrics", "delivery_receipts", "group_transfer", "operation_request", "operation_result",
        "observation_report", "decision_set",
    ]
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator so the
/// fuzz tests see the same inputs on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
