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
///
/// Processes are indexed 0..<P; the coordinator calls this every round, so it allocates only
/// its result and runs Dijkstra's O(P² + C) array scan.
public struct LockstepHorizons: Sendable {
    public let names: [String]
    let index: [String: Int]
    /// Channels out of each process: (destination index, delay in ps).
    let outgoing: [[(Int, UInt64)]]
    /// Channels into each process: (source index, delay in ps).
    let incoming: [[(Int, UInt64)]]

    /// A channel with no delay counts as 1 ps (the clock's resolution), so the clock always progresses.
    public init(channels: [(from: String, to: String, delay: VDuration)]) {
        var names: [String] = []
        var index: [String: Int] = [:]
        func id(_ name: String) -> Int {
            if let i = index[name] { return i }
            index[name] = names.count
            names.append(name)
            return names.count - 1
        }
        for c in channels { _ = id(c.from); _ = id(c.to) }
        var outgoing = [[(Int, UInt64)]](repeating: [], count: names.count)
        var incoming = outgoing
        for c in channels {
            let delay = max(c.delay.picoseconds, 1)
            outgoing[index[c.from]!].append((index[c.to]!, delay))
            incoming[index[c.to]!].append((index[c.from]!, delay))
        }
        self.names = names
        self.index = index
        self.outgoing = outgoing
        self.incoming = incoming
    }

    /// T(s) for every process (UInt64.max: nothing can reach it), from E by index.
    func earliestReach(_ earliest: [UInt64]) -> [UInt64] {
        var reach = earliest
        var done = [Bool](repeating: false, count: reach.count)
        while true {
            var u = -1
            var best = UInt64.max
            for i in reach.indices where !done[i] && reach[i] < best { best = reach[i]; u = i }
            if u < 0 { break }
            done[u] = true
            for (v, d) in outgoing[u] where !done[v] {
                let (t, overflow) = best.addingReportingOverflow(d)
                if !overflow && t < reach[v] { reach[v] = t }
            }
        }
        return reach
    }

    /// T(s) by name, for processes that can act or be reached.
    public func earliestReach(_ earliest: [String: VTime]) -> [String: VTime] {
        var e = [UInt64](repeating: .max, count: names.count)
        for (name, t) in earliest { if let i = index[name] { e[i] = t.picoseconds } }
        var result: [String: VTime] = earliest
        for (i, t) in earliestReach(e).enumerated() where t != .max { result[names[i]] = VTime(picoseconds: t) }
        return result
    }

    /// The index of process `name` (nil: it has no channels).
    public func index(of name: String) -> Int? { index[name] }

    /// H(p) in ps for every process, by index, from E by index (UInt64.max: cannot act), capped
    /// at `end`.
    public func horizons(earliest: [UInt64], end: UInt64) -> [UInt64] {
        let reach = earliestReach(earliest)
        return incoming.map { channels in
            var h = end
            for (s, d) in channels where reach[s] != .max {
                let (t, overflow) = reach[s].addingReportingOverflow(d)
                if !overflow { h = min(h, t) }
            }
            return h
        }
    }

    /// H(p) for every process in `processes`, by name (a process with no channels: `end`).
    public func horizons(earliest: [String: VTime], processes: [String], end: VTime) -> [String: VTime] {
        var e = [UInt64](repeating: .max, count: names.count)
        for (name, t) in earliest { if let i = index[name] { e[i] = t.picoseconds } }
        let h = horizons(earliest: e, end: end.picoseconds)
        return Dictionary(processes.map { ($0, index[$0].map { VTime(picoseconds: h[$0]) } ?? end) }, uniquingKeysWith: { first, _ in first })
    }
}
