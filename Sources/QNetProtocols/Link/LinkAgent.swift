import QNetCore

/// One node's side of entanglement generation on one link, as an I/O-free state machine:
/// while pairs are wanted and its communication qubit is free, it keeps one attempt batch open
/// at the station (DESIGN §4: O(1) messages per pair, however many attempts it takes). After a
/// herald the qubit is held until the node releases it (taken by the application, swapped, or
/// discarded).
public struct LinkAgent: Sendable {
    public enum State: Equatable, Sendable {
        case idle
        case attempting(batchID: UInt64)
        case holding(batchID: UInt64)
    }

    public enum Directive: Equatable, Sendable {
        /// Open batch `batchID` at the station, starting now.
        case openBatch(batchID: UInt64, start: VTime, maxAttempts: UInt64)
    }

    public private(set) var state: State = .idle
    /// Whether the node wants more pairs on this link.
    public private(set) var wanted = false
    let end: VTime
    let cycle: VDuration
    let modes: UInt64
    var nextBatch: UInt64 = 0

    /// - Parameters: the run's virtual `end`, the link's attempt `cycle` and `modes` per cycle.
    public init(end: VTime, cycle: VDuration, modes: Int) {
        self.end = end
        self.cycle = cycle
        self.modes = UInt64(max(modes, 1))
    }

    /// Attempts that fit between `start` and the end of the run.
    func maxAttempts(from start: VTime) -> UInt64 {
        let cycles = start < end ? (end - start).picoseconds / max(cycle.picoseconds, 1) : 0
        return max(cycles, 1) * modes
    }

    /// Pairs are wanted from `now` on.
    public mutating func start(at now: VTime) -> [Directive] {
        wanted = true
        return state == .idle ? open(at: now) : []
    }

    /// No more pairs are wanted (an open batch runs out; no new one is opened).
    public mutating func stop() { wanted = false }

    mutating func open(at now: VTime) -> [Directive] {
        guard wanted, now < end else { return [] }
        let id = nextBatch
        nextBatch += 1
        state = .attempting(batchID: id)
        return [.openBatch(batchID: id, start: now, maxAttempts: maxAttempts(from: now))]
    }

    /// The station heralded batch `batchID`: the qubit now holds a link pair.
    /// - Returns: false for a herald of a batch that is not the open one (ignore it).
    public mutating func heralded(batchID: UInt64) -> Bool {
        guard state == .attempting(batchID: batchID) else { return false }
        state = .holding(batchID: batchID)
        return true
    }

    /// The held qubit is free again.
    public mutating func released(at now: VTime) -> [Directive] {
        guard case .holding = state else { return [] }
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
