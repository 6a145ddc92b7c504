import QNetCore

/// One node's side of entanglement generation on one link, as an I/O-free state machine:
/// while pairs are wanted and its communication qubit is free, it keeps one attempt batch open
/// at the station (DESIGN §4: O(1) messages per pair, however many attempts it takes).
public struct LinkAgent: Sendable {
    public enum State: Equatable, Sendable {
        case idle
        case attempting(batchID: UInt64)
        case done
    }

    public enum Directive: Equatable, Sendable {
        /// Open batch `batchID` at the station, starting now.
        case openBatch(batchID: UInt64, start: VTime, maxAttempts: UInt64)
    }

    public private(set) var state: State = .idle
    /// Pairs still wanted on this link.
    public private(set) var remaining: Int
    /// Attempts per batch, bounded by the run's end (see ``maxAttempts(from:)``).
    let end: VTime
    let cycle: VDuration
    let modes: UInt64
    var nextBatch: UInt64 = 0

    /// - Parameters: `pairs` wanted, the run's virtual `end`, the link's attempt `cycle` and `modes`.
    public init(pairs: Int, end: VTime, cycle: VDuration, modes: Int) {
        remaining = pairs
        self.end = end
        self.cycle = cycle
        self.modes = UInt64(max(modes, 1))
    }

    /// Attempts that fit between `start` and the end of the run.
    func maxAttempts(from start: VTime) -> UInt64 {
        let cycles = start < end ? (end - start).picoseconds / max(cycle.picoseconds, 1) : 0
        return max(cycles, 1) * modes
    }

    /// The request became active (or more pairs are wanted) at `now`.
    public mutating func start(at now: VTime) -> [Directive] {
        guard state == .idle else { return [] }
        return open(at: now)
    }

    mutating func open(at now: VTime) -> [Directive] {
        guard remaining > 0, now < end else {
            state = remaining > 0 ? .idle : .done
            return []
        }
        let id = nextBatch
        nextBatch += 1
        state = .attempting(batchID: id)
        return [.openBatch(batchID: id, start: now, maxAttempts: maxAttempts(from: now))]
    }

    /// The station heralded batch `batchID`; the pair is taken at once and the qubit is free.
    public mutating func heralded(batchID: UInt64, at now: VTime) -> [Directive] {
        guard state == .attempting(batchID: batchID) else { return [] }
        remaining -= 1
        state = .idle
        return open(at: now)
    }

    /// Every attempt of batch `batchID` failed.
    public mutating func exhausted(batchID: UInt64, at now: VTime) -> [Directive] {
        guard state == .attempting(batchID: batchID) else { return [] }
        state = .idle
        return open(at: now)
    }
}
