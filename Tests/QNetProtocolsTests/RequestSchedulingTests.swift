import QNetCore
import QNetScheduling
import Testing

/// Link-level request scheduling (self-clocked fair queueing, Golestani, INFOCOM 1994): the split
/// is deterministic, so its lag from the weights is bounded by a constant (a pair or two per
/// request), whatever the number of pairs.
@Suite("Request scheduling on one link")
struct RequestSchedulingTests {
    static let candidates = [
        RequestCandidate(id: RequestID(0), start: .zero, weight: 3, priority: 0),
        RequestCandidate(id: RequestID(1), start: .zero, weight: 1, priority: 0),
    ]

    @Test("weighted-fair splits a link 3:1")
    func weightsSplitTheLink() {
        var scheduler = LinkRequestScheduler(policy: .weightedFair)
        var served = [0, 0]
        for _ in 0..<4_000 { served[Int(scheduler.choose(among: Self.candidates)!.rawValue)] += 1 }
        #expect(abs(served[0] - 3_000) <= 2, "\(served)")
    }

    /// A pair bound to a request (a stored pair of it waits at this node for the link) counts
    /// toward that request's share: when every second pair is bound to request 0, weighted-fair
    /// gives the free ones to request 1 until the split is 3:1 again (uncharged, it would be
    /// 2000 + 1500 = 3500 of 4000).
    @Test("pairs bound to a waiting request are charged to its weighted-fair share")
    func boundPairsAreCharged() {
        var scheduler = LinkRequestScheduler(policy: .weightedFair)
        var served = [0, 0]
        for i in 0..<4_000 {
            let forced: RequestID? = i % 2 == 0 ? RequestID(0) : nil
            let chosen = scheduler.choose(among: Self.candidates, forced: forced)!
            if let forced { #expect(chosen == forced) }
            served[Int(chosen.rawValue)] += 1
        }
        #expect(abs(served[0] - 3_000) <= 2, "\(served)")
    }

    @Test("under fifo and priority a bound pair serves its request and changes nothing else")
    func boundPairsUnderFifo() {
        var fifo = LinkRequestScheduler(policy: .fifo)
        #expect(fifo.choose(among: Self.candidates, forced: RequestID(1)) == RequestID(1))
        #expect(fifo.choose(among: Self.candidates) == RequestID(0))
        var priority = LinkRequestScheduler(policy: .priority)
        let ranked = [Self.candidates[0], RequestCandidate(id: RequestID(1), start: .zero, weight: 1, priority: 5)]
        #expect(priority.choose(among: ranked) == RequestID(1))
        #expect(priority.choose(among: ranked, forced: RequestID(0)) == RequestID(0))
    }

    /// Earliest deadline first (Liu & Layland 1973): the earliest deadline wins whatever the start
    /// order; requests without a deadline come after, first come first served among themselves.
    @Test("edf picks the earliest deadline, then requests without one in start order")
    func earliestDeadlineFirst() {
        func at(_ ps: UInt64) -> VTime { VTime(picoseconds: ps) }
        let none0 = RequestCandidate(id: RequestID(0), start: at(0), weight: 1, priority: 0)
        let late = RequestCandidate(id: RequestID(1), start: at(1), weight: 1, priority: 0, deadline: at(10))
        let early = RequestCandidate(id: RequestID(2), start: at(2), weight: 1, priority: 0, deadline: at(5))
        let none3 = RequestCandidate(id: RequestID(3), start: at(3), weight: 1, priority: 0)
        var edf = LinkRequestScheduler(policy: .edf)
        #expect(edf.choose(among: [none0, late, early, none3]) == RequestID(2))
        #expect(edf.choose(among: [none0, late, none3]) == RequestID(1))
        #expect(edf.choose(among: [none3, none0]) == RequestID(0))
        #expect(edf.choose(among: [none0, late, early], forced: RequestID(0)) == RequestID(0))
        var fifo = LinkRequestScheduler(policy: .fifo)
        #expect(fifo.choose(among: [none0, late, early]) == RequestID(0))
    }

    /// The paths of a multipath request that share a link (candidates of one group: ids 0 and 2
    /// are paths of request 0) take it in turn under fifo, priority and edf, while a request
    /// ahead of them keeps its place (request 1 starts later: it waits under fifo).
    @Test("paths of one request take a shared link in turn", arguments: [RequestScheduling.fifo, .priority, .edf])
    func pathsTakeTurns(_ policy: RequestScheduling) {
        let candidates = [
            RequestCandidate(id: RequestID(0), start: .zero, weight: 1, priority: 0, group: RequestID(0)),
            RequestCandidate(id: RequestID(1), start: .zero + .seconds(1), weight: 1, priority: 0),
            RequestCandidate(id: RequestID(2), start: .zero, weight: 1, priority: 0, group: RequestID(0)),
        ]
        var scheduler = LinkRequestScheduler(policy: policy)
        let chosen = (0..<6).map { _ in scheduler.choose(among: candidates)!.rawValue }
        #expect(chosen == [0, 2, 0, 2, 0, 2], "\(policy)")
        // A single-path request is its own group: no turns.
        var single = LinkRequestScheduler(policy: policy)
        #expect((0..<3).map { _ in single.choose(among: Array(candidates.prefix(2)))!.rawValue } == [0, 0, 0])
    }

    /// Under weighted-fair the paths share their request's weight (the runtime divides it among
    /// the paths that want the link): request 0's two paths of weight 1.5 each and request 1 of
    /// weight 1 split the link 3:1 by request, evenly between the paths.
    @Test("under weighted-fair the paths of a request share its weight")
    func pathsShareTheWeight() {
        let candidates = [
            RequestCandidate(id: RequestID(0), start: .zero, weight: 1.5, priority: 0, group: RequestID(0)),
            RequestCandidate(id: RequestID(1), start: .zero, weight: 1, priority: 0),
            RequestCandidate(id: RequestID(2), start: .zero, weight: 1.5, priority: 0, group: RequestID(0)),
        ]
        var scheduler = LinkRequestScheduler(policy: .weightedFair)
        var served = [0, 0, 0]
        for _ in 0..<4_000 { served[Int(scheduler.choose(among: candidates)!.rawValue)] += 1 }
        #expect(abs(served[0] + served[2] - 3_000) <= 2 && abs(served[0] - served[2]) <= 2, "\(served)")
    }
}
