import QNetCore
import Testing
@testable import QNetCoordinator

@Suite("Lockstep horizons")
struct LockstepHorizonsTests {
    static func t(_ us: UInt64) -> VTime { VTime.zero + .microseconds(us) }

    /// Two nodes and their station (arms of 25 µs): while both nodes are idle, the station's
    /// horizon is not the end of the run — its own herald can bring batches back after a round
    /// trip through a node (the regression that once let the station run past them).
    @Test func ownMessagesComeBack() {
        let d = VDuration.microseconds(25)
        let graph = LockstepHorizons(channels: [("a", "s", d), ("s", "a", d), ("b", "s", d), ("s", "b", d)])
        let h = graph.horizons(earliest: ["s": Self.t(800)], processes: ["a", "b", "s"], end: Self.t(2_000_000))
        #expect(h["s"] == Self.t(850))
        #expect(h["a"] == Self.t(825))
        #expect(h["b"] == Self.t(825))
    }

    @Test func cappedAtTheEnd() {
        let graph = LockstepHorizons(channels: [("a", "b", .microseconds(5))])
        let h = graph.horizons(earliest: [:], processes: ["a", "b"], end: Self.t(10))
        #expect(h == ["a": Self.t(10), "b": Self.t(10)])
    }

    /// Safety and progress on random graphs, against a Floyd–Warshall reference: H(p) is at most
    /// E(q) + dist(q → p) for every q (including chains that return to p), equals the minimum
    /// of those, and the process with the smallest E gets H > E.
    @Test(arguments: 0..<20)
    func randomGraphs(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let n = 2 + Int(rng.next() % 9)
        let names = (0..<n).map { "p\($0)" }
        var channels: [(from: String, to: String, delay: VDuration)] = []
        for i in 0..<n { for j in 0..<n where i != j && rng.next() % 3 == 0 {
            channels.append((names[i], names[j], .picoseconds(1 + rng.next() % 1_000)))
        } }
        var earliest: [String: VTime] = [:]
        for name in names where rng.next() % 4 != 0 { earliest[name] = VTime(picoseconds: rng.next() % 5_000) }
        let end = VTime(picoseconds: 1_000_000)
        let graph = LockstepHorizons(channels: channels)
        let h = graph.horizons(earliest: earliest, processes: names, end: end)
        // The coordinator's form, by index: the same horizons.
        var byIndex = [UInt64](repeating: .max, count: graph.names.count)
        for (name, e) in earliest { if let i = graph.index(of: name) { byIndex[i] = e.picoseconds } }
        let indexed = graph.horizons(earliest: byIndex, end: end.picoseconds)

        // Reference: all-pairs shortest paths (paths of ≥ 1 channel).
        let inf = UInt64.max / 4
        var dist = [[UInt64]](repeating: [UInt64](repeating: inf, count: n), count: n)
        for c in channels {
            let i = names.firstIndex(of: c.from)!, j = names.firstIndex(of: c.to)!
            dist[i][j] = min(dist[i][j], c.delay.picoseconds)
        }
        for k in 0..<n { for i in 0..<n { for j in 0..<n where dist[i][k] + dist[k][j] < dist[i][j] {
            dist[i][j] = dist[i][k] + dist[k][j]
        } } }
        for (j, p) in names.enumerated() {
            var expected = end.picoseconds
            for (i, q) in names.enumerated() {
                if let e = earliest[q], dist[i][j] < inf { expected = min(expected, e.picoseconds + dist[i][j]) }
            }
            #expect(h[p]!.picoseconds == expected, "\(p)")
            #expect((graph.index(of: p).map { indexed[$0] } ?? end.picoseconds) == expected, "\(p) by index")
        }
        if let (first, e) = earliest.min(by: { $0.value < $1.value }) {
            #expect(h[first]! > e, "the earliest process must be able to progress")
        }
    }
}
