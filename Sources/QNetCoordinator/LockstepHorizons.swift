import QNetCore

/// The conservative horizons of the lockstep clock (DESIGN §2), as a pure function.
///
/// With E(q) the earliest time process q can act, T(s) = min over q of E(q) + dist(q → s) is
/// the earliest time s can act at all — directly, or because of a chain of messages started by
/// anyone, including the process being granted (its own messages can come back to it through
/// others). The horizon of p is H(p) = min over channels s → p of T(s) + delay(s → p), capped at
/// `end`: no message can reach p earlier, so p may run every event before H(p). Every delay is
/// positive, so the process with the smallest E has H > E and the clock always progresses
/// (Chandy & Misra's lookahead, computed from global knowledge as in YAWNS; Nicol 1993).
public struct LockstepHorizons: Sendable {
    /// Channels out of each process: (destination, delay).
    public let outgoing: [String: [(String, VDuration)]]
    /// Channels into each process: (source, delay).
    public let incoming: [String: [(String, VDuration)]]

    /// - Precondition: every delay is positive.
    public init(channels: [(from: String, to: String, delay: VDuration)]) {
        var outgoing: [String: [(String, VDuration)]] = [:], incoming: [String: [(String, VDuration)]] = [:]
        for c in channels {
            precondition(c.delay > .zero, "channel \(c.from) → \(c.to) has no delay")
            outgoing[c.from, default: []].append((c.to, c.delay))
            incoming[c.to, default: []].append((c.from, c.delay))
        }
        self.outgoing = outgoing
        self.incoming = incoming
    }

    /// T(s) for every process reachable from one with an earliest time (multi-source Dijkstra).
    /// Complexity: O(P² + C) for P processes and C channels.
    public func earliestReach(_ earliest: [String: VTime]) -> [String: VTime] {
        var reach = earliest
        var done: Set<String> = []
        while let (u, tu) = reach.filter({ !done.contains($0.key) }).min(by: { $0.value < $1.value }) {
            done.insert(u)
            for (v, d) in outgoing[u] ?? [] where !done.contains(v) {
                let t = tu.saturatingAdding(d)
                if reach[v].map({ t < $0 }) ?? true { reach[v] = t }
            }
        }
        return reach
    }

    /// H(p) for every process in `processes`.
    public func horizons(earliest: [String: VTime], processes: [String], end: VTime) -> [String: VTime] {
        let reach = earliestReach(earliest)
        var result: [String: VTime] = [:]
        for p in processes {
            var h = end
            for (s, d) in incoming[p] ?? [] {
                if let t = reach[s] { h = min(h, t.saturatingAdding(d)) }
            }
            result[p] = h
        }
        return result
    }
}
