import QNetCore
import QNetScheduling
import Testing

/// Link generation over shared qubits: which link a free qubit attempts on.
@Suite("Link generation over shared qubits")
struct LinkGenerationTests {
    static func candidates(_ ids: [UInt32]) -> [RequestCandidate] {
        ids.map { RequestCandidate(id: RequestID($0), start: .zero, weight: 1, priority: 0) }
    }

    static func demand(_ requests: [UInt32], inUse: Int = 0, limit: Int = 4, needed: [UInt32] = []) -> LinkDemand {
        LinkDemand(requests: candidates(requests), attempting: inUse, stored: 0, limit: limit, isMaster: true,
                   needed: needed.map { RequestID($0) })
    }

    static func view(_ links: [UInt32: LinkDemand]) -> NodeView {
        NodeView(positions: [:], sides: [:], idle: [], links: Dictionary(uniqueKeysWithValues: links.map { (LinkID($0.key), $0.value) }),
                 freeQubits: 1, now: .zero)
    }

    @Test("greedy gives the qubit to the link with the most requests wanting pairs")
    func greedyPicksTheMostDemandedLink() {
        var greedy = GreedyLinks()
        #expect(greedy.next(Self.view([0: Self.demand([0]), 1: Self.demand([1, 2, 3]), 2: Self.demand([4, 5])])) == LinkID(1))
        // The same link again while it has room: greedy does not rotate.
        #expect(greedy.next(Self.view([0: Self.demand([0]), 1: Self.demand([1, 2, 3], inUse: 1)])) == LinkID(1))
        // A full link is skipped.
        #expect(greedy.next(Self.view([0: Self.demand([0]), 1: Self.demand([1, 2, 3], inUse: 4)])) == LinkID(0))
        #expect(greedy.next(Self.view([0: Self.demand([]), 1: Self.demand([1], inUse: 4)])) == nil)
    }

    @Test("greedy ties: the fewest qubits in use, then the lowest link id")
    func greedyTies() {
        var greedy = GreedyLinks()
        #expect(greedy.next(Self.view([0: Self.demand([0, 1], inUse: 2), 1: Self.demand([2, 3], inUse: 1)])) == LinkID(1))
        #expect(greedy.next(Self.view([3: Self.demand([0, 1]), 2: Self.demand([2, 3])])) == LinkID(2))
    }

    @Test("under greedy a link where a stored pair waits for its swap partner goes first")
    func greedyServesWaitingPairsFirst() {
        var greedy = GreedyLinks()
        let links: [UInt32: LinkDemand] = [0: Self.demand([0]), 1: Self.demand([1, 2, 3])]
        #expect(greedy.next(Self.view(links)) == LinkID(1))
        var waiting = links
        waiting[0] = Self.demand([0], needed: [0])
        #expect(greedy.next(Self.view(waiting)) == LinkID(0))
    }
}
