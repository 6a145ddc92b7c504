import Foundation
import QNetCore
import QNetPhysics
import QNetQuantum
import QNetScheduling
import Testing

@testable import QNetProtocols

/// A square a – c – b – d – a of identical double-click links, built by hand for the runtime: one
/// request from a to b served over its two node-disjoint paths, a>c>b (the request's own id, 0)
/// and a>d>b (path 1, id 1), as `routing: k-shortest` with `paths: 2` configures it; or over the
/// first alone.
struct SquareFixture {
    var pairs: Int
    var paths = 2
    var seed: UInt64 = 11
    var spacingMetres = 2_000.0

    static let names = ["a", "c", "b", "d"]
    /// Links 0 a–c, 1 c–b, 2 a–d, 3 d–b, by node index.
    static let ends = [(0, 1), (1, 2), (0, 3), (3, 2)]
    static func station(_ link: Int) -> String { "station-\(names[ends[link].0])-\(names[ends[link].1])" }

    var chain: ChainFixture { ChainFixture(nodes: 3, pairs: pairs, spacingMetres: spacingMetres, seed: seed) }
    var timing: LinkTiming { chain.timing }

    /// The request's paths, as node configurations carry them.
    var requests: [NodeConfiguration.Request] {
        let all = [
            NodeConfiguration.Request(id: RequestID(0), pairs: pairs, kind: .keep, start: .zero, path: [0, 1, 2].map { NodeID($0) }),
            NodeConfiguration.Request(id: RequestID(1), pairs: pairs, kind: .keep, start: .zero, path: [0, 3, 2].map { NodeID($0) },
                                      parent: RequestID(0), pathIndex: 1),
        ]
        return Array(all.prefix(paths))
    }

    func network() -> InMemoryNetwork {
        let links = Self.ends.enumerated().map { i, e in
            NodeConfiguration.Link(id: LinkID(UInt32(i)), a: NodeID(UInt32(e.0)), b: NodeID(UInt32(e.1)), station: Self.station(i),
                                   cycle: timing.cycle, modes: 1)
        }
        let runtimes = (0..<4).map { i in
            let node = NodeID(UInt32(i))
            return NodeRuntime(configuration: NodeConfiguration(
                node: node, names: Self.names, memories: Array(repeating: .ideal, count: 4), qubits: 2, readoutError: 0,
                attemptPeriod: .microseconds(1), multiplexing: 1, links: links.filter { $0.a == node || $0.b == node },
                requests: requests.filter { $0.path.contains(node) }, end: .zero + .seconds(60), seed: seed, liveQubits: 8))
        }
        let stations = Self.ends.enumerated().map { i, e in
            let agent = StationAgent(timing: timing, sampler: HeraldingSampler(model: chain.model), mode: .batched,
                                     rng: SeededRandom(seed: seed).split("station").split(UInt64(i)))
            // The state goes to the swapping node (c or d).
            return StationRuntime(link: LinkID(UInt32(i)), ends: [Self.names[e.0], Self.names[e.1]], owner: e.0 == 0 ? 1 : 0, agent: agent)
        }
        let arm = chain.armDelay
        var delays: [String: [String: VDuration]] = [:]
        for i in 0..<4 {
            for j in 0..<4 where i != j {
                let hops: UInt64 = (i + j) % 2 == 1 ? 1 : 2  // a, b opposite; c, d opposite
                delays[Self.names[i], default: [:]][Self.names[j]] = arm * (2 * hops)
            }
        }
        for link in 0..<4 {
            for end in [Self.names[Self.ends[link].0], Self.names[Self.ends[link].1]] {
                delays[end, default: [:]][Self.station(link)] = arm
                delays[Self.station(link), default: [:]][end] = arm
            }
        }
        return InMemoryNetwork(nodes: runtimes, stations: stations, delays: delays)
    }
}

@Suite("Node runtime: one request over several paths")
struct MultipathRuntimeTests {
    /// Both ends serve both paths, and count their pairs over both: the request is served after
    /// `pairs` pairs in total, every node on both paths is told, and nothing generates afterwards
    /// (the in-memory network runs dry long before its 60 s).
    @Test func theEndsShareOneBudgetAndEveryPathStops() {
        let fixture = SquareFixture(pairs: 60)
        var net = fixture.network()
        net.start()
        net.run(until: .zero + .seconds(60))
        let byPath = Dictionary(grouping: net.delivered, by: \.requestID)
        #expect(Set(byPath.keys) == [RequestID(0), RequestID(1)])
        #expect(byPath.values.allSatisfy { $0.count >= 15 }, "both paths deliver: \(byPath.mapValues(\.count))")
        // Each pair was made along its own path's links, one link pair per link.
        for pair in net.delivered {
            let links = pair.requestID == RequestID(0) ? [LinkID(0), LinkID(1)] : [LinkID(2), LinkID(3)]
            #expect(pair.linkPairs.map(\.link) == links, "\(pair.requestID): \(pair.linkPairs)")
        }
        // At least the pairs asked for; beyond them only those already on their way when the ends
        // took the last one (at most one per qubit of the two ends).
        #expect(net.delivered.count >= 60 && net.delivered.count <= 60 + 4, "\(net.delivered.count)")
        for (name, node) in net.nodes {
            let served = node.roles.values.allSatisfy { $0.served }
            #expect(served, "\(name) knows both paths are served")
        }
        #expect(net.nodes["a"]!.remaining[RequestID(0)]! <= 0 && net.nodes["b"]!.remaining[RequestID(0)]! <= 0)
        #expect(net.nodes["c"]!.remaining.isEmpty && net.nodes["d"]!.remaining.isEmpty, "only ends count pairs")
        // No attempt batch after the last node heard the request was served.
        let served = net.routed.filter { if case .requestServed = $0.message { return true } else { return false } }
        #expect(Set(served.map(\.destination)) == ["a", "b", "c", "d"])
        let heard = served.map(\.due).max()!
        let lastBatch = net.routed.filter { if case .attemptBatch = $0.message { return true } else { return false } }.map(\.sent).max()!
        #expect(lastBatch <= heard, "last batch at \(lastBatch), served known everywhere at \(heard)")
        #expect(net.warnings.isEmpty, "\(net.warnings.prefix(3))")
    }

    /// Two node-disjoint paths of identical links deliver twice the pairs of one in the same
    /// virtual time. Counts over a fixed time, treated as Poisson (the waiting times between
    /// deliveries vary less than exponential ones, so this is conservative): n₂ − 2n₁ has
    /// standard error √(n₂ + 4n₁), and the test allows 4 of them.
    @Test func twoPathsDeliverTwiceTheRate() {
        let window = VTime.zero + .milliseconds(60)
        func delivered(paths: Int) -> Int {
            var net = SquareFixture(pairs: 1_000_000, paths: paths).network()
            net.keepsRoutedLog = false
            net.start()
            net.run(until: window)
            return net.delivered.filter { $0.delivered < window }.count
        }
        let one = delivered(paths: 1), two = delivered(paths: 2)
        let se = Double(two + 4 * one).squareRoot()
        #expect(one > 100, "\(one) pairs over one path")
        #expect(abs(Double(two - 2 * one)) <= 4 * se, "one path \(one), two paths \(two), se \(se)")
    }

    /// The paths of one request at a node share its weight on a link they share (weighted-fair
    /// shares stay per request), and carry the request as their group.
    @Test func pathsOnASharedLinkShareTheWeight() {
        // Node a with both paths leaving over the same link a–c (a made-up second path a>c>d>b).
        let link = NodeConfiguration.Link(id: LinkID(0), a: NodeID(0), b: NodeID(1), station: "station-a-c", cycle: .microseconds(10), modes: 1)
        let requests = [
            NodeConfiguration.Request(id: RequestID(0), pairs: 5, kind: .keep, start: .zero, path: [0, 1, 2].map { NodeID($0) }, weight: 3),
            NodeConfiguration.Request(id: RequestID(1), pairs: 5, kind: .keep, start: .zero, path: [0, 1, 3, 2].map { NodeID($0) }, weight: 3,
                                      parent: RequestID(0), pathIndex: 1),
        ]
        var runtime = NodeRuntime(configuration: NodeConfiguration(
            node: NodeID(0), names: SquareFixture.names, memories: Array(repeating: .ideal, count: 4), qubits: 2, readoutError: 0,
            attemptPeriod: .microseconds(1), multiplexing: 1, links: [link], requests: requests, end: .zero + .seconds(1), seed: 1,
            policies: SchedulingPolicies(request: .weightedFair), liveQubits: 8))
        for directive in runtime.start() {
            if case let .schedule(timer, at) = directive { _ = runtime.handle(.timer(timer), at: at) }
        }
        let candidates = runtime.view.links[LinkID(0)]?.requests ?? []
        #expect(candidates.map(\.id) == [RequestID(0), RequestID(1)])
        #expect(candidates.map(\.weight) == [1.5, 1.5])
        #expect(candidates.allSatisfy { $0.group == RequestID(0) })
        #expect(runtime.remaining == [RequestID(0): 5], "one count for the request, not one per path")
    }

    /// The no-cycle rule of the ownership directory: node n1 (position 1 of n0 > n1 > n2 > n3)
    /// holds the group of its right pair, whose far end n3 already reached by a swap at n2, and
    /// waits to swap it (decided at 50 µs) for its left pair's state. n3 pulls the group for a swap
    /// of its own. Decided earlier (40 µs), n3 gets it, although it is further along the path: the
    /// lockstep clock waits for the earliest waiting swap, so that one may not wait on a later one.
    /// (With position alone n1 kept it, and on a second path whose far node is a near neighbour of
    /// its start, as in a 3×3 grid, the clock's wait closed a cycle.) Decided later (60 µs), n3
    /// waits: its pull is parked until n1 has swapped.
    @Test(arguments: [(UInt64(40), true), (UInt64(60), false), (UInt64(50), false)])
    func theEarlierSwapGetsTheGroup(pulledAtMicroseconds: UInt64, transferred: Bool) throws {
        let names = ["n0", "n1", "n2", "n3"]
        let path = (0..<4).map { NodeID(UInt32($0)) }
        let links = [
            NodeConfiguration.Link(id: LinkID(0), a: NodeID(0), b: NodeID(1), station: "station-n0-n1", cycle: .microseconds(10), modes: 1),
            NodeConfiguration.Link(id: LinkID(1), a: NodeID(1), b: NodeID(2), station: "station-n1-n2", cycle: .microseconds(10), modes: 1),
        ]
        var runtime = NodeRuntime(configuration: NodeConfiguration(
            node: NodeID(1), names: names, memories: Array(repeating: .ideal, count: 4), qubits: 2, readoutError: 0,
            attemptPeriod: .microseconds(1), multiplexing: 1, links: links,
            requests: [.init(id: RequestID(1), pairs: 5, kind: .keep, start: .zero, path: path, parent: RequestID(0), pathIndex: 1)],
            end: .zero + .seconds(1), seed: 1, liveQubits: 8))
        let left = QubitID(home: NodeID(1), index: 1), right = QubitID(home: NodeID(1), index: 2)
        let far = QubitID(home: NodeID(3), index: 7)
        // The right pair (n1, n3) in Φ+, held here; the left pair's state is elsewhere.
        var real = [Double](repeating: 0, count: 16)
        for (r, c) in [(0, 0), (0, 3), (3, 0), (3, 3)] { real[4 * r + c] = 0.5 }
        let inserted = runtime.memory.insert(.init(groupID: GroupID(9), qubits: [right, far], lastTouched: [.zero, .zero], real: real,
                                                   imaginary: [Double](repeating: 0, count: 16)))
        #expect(inserted)
        runtime.slots.store(left, .init(link: LinkID(0), request: RequestID(1), partner: QubitID(home: NodeID(0), index: 3), partnerNode: "n0",
                                        partnerPosition: 0, created: .zero, oldest: .zero, reserved: true))
        runtime.slots.store(right, .init(link: LinkID(1), request: RequestID(1), partner: far, partnerNode: "n3",
                                         partnerPosition: 3, created: .zero, oldest: .zero, reserved: true))
        runtime.waitingSwaps = [(.zero + .microseconds(50), left, right)]
        let pull = NodeMessage.OperationRequest(operationID: 1, time: .zero + .microseconds(pulledAtMicroseconds), kind: .pull,
                                                qubits: [far], origin: "n3")
        let out = runtime.handle(.backplane(.operationRequest(pull), source: "n3"), at: .zero + .microseconds(55))
        let sent = out.contains { directive in
            if case let .send(.groupTransfer(transfer), to) = directive { return to == "n3" && transfer.state.qubits.contains(far) }
            return false
        }
        #expect(sent == transferred, "\(out)")
        #expect(runtime.memory.contains(far) == !transferred)
        #expect((runtime.directory.parked[far] != nil) == !transferred)
    }
}
