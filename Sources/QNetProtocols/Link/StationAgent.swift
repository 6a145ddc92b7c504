import QNetCore
import QNetPhysics
import QNetQuantum

/// Which end of a link: A is the link's first node, B its second.
public enum LinkEnd: Int, Sendable, CaseIterable {
    case a = 0, b = 1
}

/// The station of one link, as an I/O-free state machine: it collects both nodes' attempt
/// batches, samples the first success with the batched (or per-attempt) sampler, and tells the
/// shell when to herald whom with what state.
///
/// Timing of cycle c of a batch starting at t0 (station-centred, so photons from both arms
/// meet): the photons reach the station at t_s = t0 + c·T + rounds·P + max(d_A, d_B); node X
/// emitted its photon at t_s − d_X and learns the outcome at t_s + d_X.
public struct StationAgent: Sendable {
    public enum SamplingMode: String, Sendable, CaseIterable {
        case batched
        case perAttempt = "per-attempt"
    }

    /// A node's request to start attempting.
    public struct Batch: Sendable, Equatable {
        public var batchID: UInt64
        public var start: VTime
        public var maxAttempts: UInt64
        public var qubit: QubitID
        /// The request a pair from it serves (end A's batches: the link master's label).
        public var label: RequestID?
        public init(batchID: UInt64, start: VTime, maxAttempts: UInt64, qubit: QubitID, label: RequestID? = nil) {
            self.batchID = batchID
            self.start = start
            self.maxAttempts = maxAttempts
            self.qubit = qubit
            self.label = label
        }
    }

    public enum Directive: Sendable {
        /// Herald success at `time` to both ends: the pair [qubitA, qubitB] in `state`,
        /// created at the per-qubit emission times.
        case herald(Herald)
        /// Every attempt of the paired batches failed; tell both ends at `time`.
        case exhausted(batchIDs: [UInt64], attempts: UInt64, time: VTime)
        /// A batch still waiting for its partner was withdrawn: tell its end at `time`.
        case withdrawn(end: LinkEnd, batchID: UInt64, time: VTime)
    }

    public struct Herald: Sendable {
        /// Each end's batch (A, B).
        public var batchIDs: [UInt64]
        /// The pair's number at this station (unique per link).
        public var pairIndex: UInt64
        /// 0-based attempt index (mode-level: cycle × modes + mode).
        public var attemptIndex: UInt64
        /// When the photons met at the station.
        public var time: VTime
        public var bellState: BellState
        public var qubits: [QubitID]
        /// Emission time of each end's photon: where each qubit's decoherence starts.
        public var emissionTimes: [VTime]
        public var state: DensityMatrix
        /// End A's label: the request the pair serves.
        public var label: RequestID?
    }

    public let timing: LinkTiming
    public let sampler: HeraldingSampler
    public let mode: SamplingMode
    /// A satellite link's time-varying physics: its attempts are sampled by thinning
    /// (``ThinningSampler``) and its arm delays follow the slant range; nil for a constant link.
    public let satellite: SatelliteLinkPhysics?
    let thinning: ThinningSampler?
    var rng: SeededRandom
    /// Each end's batches waiting for a partner, oldest first (DESIGN §4: batches pair first
    /// come, first served, whatever their arrival order relative to the other end's).
    var waiting: [[Batch]] = [[], []]
    var pairs: UInt64 = 0
    /// Most batches one end may have waiting (a peer's flood is not a reason to grow).
    public static let waitingLimit = 1_024

    public init(timing: LinkTiming, sampler: HeraldingSampler, mode: SamplingMode, rng: SeededRandom, satellite: SatelliteLinkPhysics? = nil) {
        self.timing = timing
        self.sampler = sampler
        self.mode = mode
        self.rng = rng
        self.satellite = satellite
        // A bound per 1/256 of the pass: tight enough that few candidates are rejected.
        thinning = satellite.map { ThinningSampler(link: $0.heralding, segmentSeconds: $0.satellite.pass.durationSeconds / 256) }
    }

    /// A batch from one end, handled at `now`; directives once it pairs with the other end's
    /// oldest waiting batch. `progress` is called now and then while the per-attempt sampler
    /// plays a long batch.
    public mutating func on(batch: Batch, from end: LinkEnd, at now: VTime = .zero, progress: () -> Void = {}) -> [Directive] {
        // Bounded: a start near the end of representable time, no attempts, more attempts than
        // time can hold, or a flood of batches, is a peer's mistake, not a reason to grow or overflow.
        let span = timing.cycle.picoseconds.multipliedReportingOverflow(by: batch.maxAttempts / UInt64(max(timing.modes, 1)) + 1)
        guard batch.start.picoseconds < UInt64.max / 4, batch.maxAttempts > 0, !span.overflow, span.partialValue < UInt64.max / 4,
              waiting[end.rawValue].count < Self.waitingLimit,
              !waiting[end.rawValue].contains(where: { $0.batchID == batch.batchID }) else { return [] }
        let other = 1 - end.rawValue
        guard !waiting[other].isEmpty else {
            waiting[end.rawValue].append(batch)
            return []
        }
        let partner = waiting[other].removeFirst()
        let (a, b) = end == .a ? (batch, partner) : (partner, batch)
        let t0 = max(a.start, b.start)
        let maxAttempts = min(a.maxAttempts, b.maxAttempts)
        if satellite != nil { return herald(varying: a, b, t0: t0, maxAttempts: maxAttempts, now: now) }
        let draw = mode == .batched
            ? sampler.sampleBatched(maxAttempts: maxAttempts, using: &rng)
            : sampler.samplePerAttempt(maxAttempts: maxAttempts, using: &rng, progress: progress)
        let modes = UInt64(timing.modes)
        guard let (attempt, outcome) = draw else {
            let cycles = (maxAttempts + modes - 1) / modes
            return [.exhausted(batchIDs: [a.batchID, b.batchID], attempts: maxAttempts, time: t0 + timing.cycle * cycles)]
        }
        let cycle = attempt / modes
        let meet = t0 + timing.cycle * cycle + timing.attemptPeriod * UInt64(timing.rounds) + timing.maxArmDelay
        pairs += 1
        let herald = Herald(
            batchIDs: [a.batchID, b.batchID], pairIndex: pairs, attemptIndex: attempt, time: meet, bellState: outcome.bellState,
            qubits: [a.qubit, b.qubit],
            emissionTimes: [meet - timing.armDelay[0], meet - timing.armDelay[1]],
            state: sampler.model.heraldedState(outcome), label: a.label)
        return [.herald(herald)]
    }

    /// The first success of a pair of batches on a satellite link. Cycle c's photons meet at
    /// t₀ + c·T + rounds·P + d_max (the fixed grid of ``SatelliteLinkPhysics``); cycles that meet
    /// before `now` (a batch held while the link was down reaches the station late) are not
    /// tried. Emission times and the state follow the pass at the meeting time.
    mutating func herald(varying a: Batch, _ b: Batch, t0: VTime, maxAttempts: UInt64, now: VTime) -> [Directive] {
        let satellite = satellite!, thinning = thinning!
        let modes = UInt64(max(timing.modes, 1))
        let firstMeet = t0 + timing.attemptPeriod * UInt64(timing.rounds) + timing.maxArmDelay
        let cycle = max(timing.cycle.picoseconds, 1)
        let skipped = now > firstMeet ? ((now - firstMeet).picoseconds + cycle - 1) / cycle : 0
        let cycles = (maxAttempts + modes - 1) / modes
        guard skipped < cycles else {
            return [.exhausted(batchIDs: [a.batchID, b.batchID], attempts: maxAttempts, time: max(now, t0 + timing.cycle * cycles))]
        }
        let start = firstMeet + timing.cycle * skipped
        let left = maxAttempts - skipped * modes
        let draw = mode == .batched
            ? thinning.sampleBatched(firstMeetSeconds: start.seconds, cycleSeconds: timing.cycle.seconds, modes: timing.modes, maxAttempts: left, using: &rng)
            : thinning.samplePerAttempt(firstMeetSeconds: start.seconds, cycleSeconds: timing.cycle.seconds, modes: timing.modes, maxAttempts: left, using: &rng)
        guard let (attempt, outcome, model) = draw else {
            return [.exhausted(batchIDs: [a.batchID, b.batchID], attempts: maxAttempts, time: max(now, t0 + timing.cycle * cycles))]
        }
        let meet = start + timing.cycle * (attempt / modes)
        let delays = satellite.armDelays(atSeconds: meet.seconds)
        pairs += 1
        let herald = Herald(
            batchIDs: [a.batchID, b.batchID], pairIndex: pairs, attemptIndex: skipped * modes + attempt, time: meet,
            bellState: outcome.bellState, qubits: [a.qubit, b.qubit],
            emissionTimes: [meet - delays[0], meet - delays[1]],
            state: model.heraldedState(outcome), label: a.label)
        return [.herald(herald)]
    }

    /// An end withdraws a batch: answered when it was still waiting; nothing when it already
    /// paired (its herald or exhaustion is on its way).
    public mutating func withdraw(batchID: UInt64, from end: LinkEnd, at time: VTime) -> [Directive] {
        guard let index = waiting[end.rawValue].firstIndex(where: { $0.batchID == batchID }) else { return [] }
        waiting[end.rawValue].remove(at: index)
        return [.withdrawn(end: end, batchID: batchID, time: time)]
    }
}
