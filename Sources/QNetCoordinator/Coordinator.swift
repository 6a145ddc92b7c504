import Foundation
import QNetCore
import QNetNode
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScenario
import QNetTransport
import QNetWire

/// The coordinator: registry, lockstep virtual clock, message router with modeled channel
/// delays, and metrics sink writing the results folder as the run goes (DESIGN §1, §2, §8).
///
/// Lockstep with per-process horizons (DESIGN §2): with E(s) the earliest time process s can
/// act (its next local event or its next pending delivery), process p may safely run every
/// event before H(p) = min over senders s of E(s) + delay(s → p), capped at the run's end.
/// Only processes with something to do before their horizon are woken, each with all its
/// deliveries before H(p) and one Grant; idle virtual time is skipped. The process with the
/// smallest E always has H > E (every channel delay is positive), so a round always progresses.
public final class Coordinator {
    public struct Options {
        public var runID: String
        public var registrationTimeoutSeconds: Double = 30
        /// Print a progress line to standard error about twice a second.
        public var progress: Bool = false
        /// Recorded in summary.json so tools can find the cluster.
        public var endpoint: String?
        /// Holds each backplane message for a random wall-clock time up to this (testing the
        /// claim that backplane timing cannot change results; DESIGN §3).
        public var backplaneJitterSeconds: Double = 0
        /// The heralding sampler of stations run inside the coordinator.
        public var sampling: StationAgent.SamplingMode = .batched
        public init(runID: String) {
            self.runID = runID
        }
    }

    public enum Outcome: Equatable {
        case completed
        case durationReached
        case interrupted
        case failed(String)

        public var isFailure: Bool {
            if case .failed = self { true } else { false }
        }

        public var status: String {
            switch self {
            case .completed: "completed"
            case .durationReached: "durationReached"
            case .interrupted: "interrupted"
            case .failed: "failed"
            }
        }
    }

    public let plan: ClusterPlan
    let transport: RouterTransport
    let options: Options
    let writer: ResultsWriter
    let log: (String) -> Void
    /// Returns a one-line description when a member process has died.
    public var supervise: () -> String? = { nil }
    /// True once the user asked to stop (SIGINT/SIGTERM).
    public var interrupted: () -> Bool = { false }
    /// Called once every member has registered, with the members' pids.
    public var onRegistered: ([Results.Process]) -> Void = { _ in }

    struct Member {
        var role: MessageBody.Role
        var index: UInt32
        var pid: Int32 = 0
        var registered = false
        var ready = false
        // Until a member reports, assume it may act at time zero.
        var next: VTime? = .zero
        /// Deliveries not yet passed on; equal times in (sender, sequence) order, whatever order
        /// they reached the coordinator in.
        /// Each is kept as the frame to pass on (``WireCodec/stamped(_:deliveryTime:)``).
        var inbox = KeyedEventQueue<SenderOrder, [UInt8]>()
        var grantedUntil: VTime = .zero
        /// The round of its latest grant: a WindowDone for an older round is stale.
        var grantRound: UInt64 = 0
        /// Backplane messages were passed on to it since its latest grant.
        var unsettled = false
        /// Where it receives backplane messages directly (empty: through the coordinator), and
        /// its latest counts of direct backplane messages sent and handled.
        var backplaneEndpoint = ""
        var directSent: UInt64 = 0
        var directHandled: UInt64 = 0
        /// A member that answers on arrival (a station): delivery times of the messages passed on
        /// to it and not answered yet (it counts as able to act at the earliest), and how many it
        /// has answered.
        var holds: [VTime?] = []
        var answered: UInt64 = 0
        /// A station: each end's batches it has been passed that wait for a partner, oldest first.
        var waitingBatches: [String: [(id: UInt64, start: VTime)]] = [:]
        /// A station: the least time from the later batch's start to the photons' meeting (the
        /// emission rounds plus the longer arm), its link's `LinkTiming`.
        var meetAfterStart: VDuration = .zero
        /// Backplane messages for this member held back by the testing jitter until `ready`.
        var backplane: [(envelope: Envelope, ready: Date)] = []
    }
    var members: [String: Member] = [:]
    /// Stations run here (`--stations coordinator`), by name: an attempt batch routed to one is
    /// answered as the coordinator routes it, with no process and no lockstep round in between.
    var hosted: [String: StationBehavior] = [:]
    /// Controller placement: the controller program's connection (set before ``run()``), and
    /// what ended the run on its side.
    public var controllerChannel: ControllerChannel?
    var controllerFailure: String?
    var hostedError: String?
    /// What each member is told in its Welcome.
    var configurations: [String: MessageBody.MemberConfiguration] = [:]
    let clockGraph: LockstepHorizons
    /// The station process of each link, by link index (checked on every herald).
    let stationNames: [String]
    let order: [String]
    /// Each member's place in `order`, and its place in the clock graph (nil: no channels).
    let orderIndex: [String: Int]
    let graphIndex: [Int?]
    var busy: Set<String> = []
    var round: UInt64 = 0
    /// WindowDone reports taken (the lockstep loop re-plans after each), the last one's wall
    /// time, and whether every member was asked to settle since.
    var reports: UInt64 = 0
    var lastReport = Date()
    /// Settling rounds (every member asked, no new horizons): one is running, and the direct
    /// backplane counts after each completed one since the clock last advanced.
    var probing = false
    var probeCounts: [DirectCounts] = []
    var settlingSince = Date()
    var sequence: UInt64 = 0
    let end: VTime
    let started = Date()
    var lastSummary = Date.distantPast
    var registered = false
    var lastSupervision = Date.distantPast
    /// When each member was last heard from, and when the coordinator last sent heartbeats.
    var lastHeard: [String: Date] = [:]
    var lastHeartbeat = Date.distantPast
    /// When the coordinator was last busy with one long computation (a hosted station's
    /// per-attempt draw): members are not heard then, and their silence counts from after it.
    var lastBusy = Date.distantPast

    /// Heartbeats to the members about once a second while the coordinator is busy (sent at
    /// once: no round's deliveries are being collected then), so that they do not take it for gone.
    func keepAlive() {
        let wall = Date()
        lastBusy = wall
        guard registered, wall.timeIntervalSince(lastHeartbeat) > 1 else { return }
        lastHeartbeat = wall
        broadcast(.heartbeat(.init(wallTimeNanoseconds: WallClock.nanoseconds(), virtualTime: virtualNow)))
    }
    /// Fail the run when a registered member has been silent this long (members send a
    /// heartbeat every second); catches members started elsewhere (--no-spawn) that die.
    public var silenceLimitSeconds = 15.0
    var startupSeconds: Double?
    var lastProgress = Date.distantPast
    var virtualNow: VTime = .zero

    // Metrics.
    var byType: [String: UInt64] = [:]
    var routed: UInt64 = 0, backplane: UInt64 = 0, clock: UInt64 = 0, dropped: UInt64 = 0
    /// Messages over each satellite link (by index) sent after it set for the rest of the run:
    /// they wait for ever.
    var heldWhileDownByLink: [Int: UInt64] = [:]
    var drops = DropLog()
    var jitter = SeededRandom(seed: 0x6A17)
    var lastReady: [String: Date] = [:]
    /// What a request, or one of its paths, delivered, as fixed-size accumulators (nothing grows
    /// with the pairs): the waiting times (from the previous delivery, the first from the
    /// request's start) for the rate and the latency percentiles, and the finite fidelities (the
    /// cost model keys a request at their mean). Only a request with
    /// service-level targets keeps each delivery's time and fidelity (its windows are cut from
    /// the span, known at the end), bounded by the pairs it asks for.
    struct DeliveryStats {
        var count = 0
        var lastDelivery: Double
        var intervals = Statistics.Moments()
        var latency = Statistics.Quantiles()
        var fidelity = Statistics.Moments()
        /// Each delivery's (time, fidelity, NaN where none), for the service-level windows; nil
        /// when the request has no targets.
        var deliveries: (times: [Double], fidelities: [Double])?

        init(lastDelivery: Double, keepsDeliveries: Bool) {
            self.lastDelivery = lastDelivery
            if keepsDeliveries { deliveries = ([], []) }
        }

        mutating func record(at time: Double, fidelity f: Double) {
            let interval = max(0, time - lastDelivery)
            count += 1
            intervals.add(interval)
            latency.add(interval)
            lastDelivery = max(lastDelivery, time)
            if f.isFinite { fidelity.add(f) }
            if deliveries != nil {
                deliveries!.times.append(time)
                deliveries!.fidelities.append(f)
            }
        }

        /// When the request stopped being served: its last pair once it got all it asked for
        /// (`pairs`), else `now` (the run's virtual time so far).
        func servedUntil(pairs: Int, now: Double) -> Double {
            count >= pairs ? lastDelivery : now
        }

        var percentiles: Results.Percentiles? {
            guard let p50 = latency.percentile(0.5), let p90 = latency.percentile(0.9), let p99 = latency.percentile(0.99) else { return nil }
            return Results.Percentiles(p50: p50, p90: p90, p99: p99)
        }
    }
    struct RequestStats {
        var all: DeliveryStats
        /// Pairs delivered by the request's start + deadline.
        var withinDeadline = 0
        var lost = Statistics.Moments()
        var surplus = 0
        /// Per path of the request, under `routing: k-shortest` only (empty otherwise: `all` is
        /// its one path).
        var paths: [DeliveryStats]
    }
    var requests: [RequestStats]
    var linkAttempts: [UInt64], linkSuccesses: [UInt64]

    public init(plan: ClusterPlan, transport: RouterTransport, options: Options, writer: ResultsWriter, log: @escaping (String) -> Void) {
        self.plan = plan
        self.transport = transport
        self.options = options
        self.writer = writer
        self.log = log
        end = VTime.zero + plan.scenario.duration
        order = plan.members.map(\.name)
        for (index, m) in plan.members.enumerated() {
            members[m.name] = Member(role: m.role, index: UInt32(index))
        }
        stationNames = plan.scenario.links.map { plan.scenario.stationName(of: $0) }
        // Hosted stations stay in the clock graph (a batch reaches a node again as a herald no
        // earlier than through the station's two arms) but never report an event time of their own:
        // their heralds are in the nodes' inboxes as soon as the batch that decides them.
        let clockGraph = LockstepHorizons(channels: plan.channels)
        self.clockGraph = clockGraph
        orderIndex = Dictionary(plan.members.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        graphIndex = plan.members.map { clockGraph.index(of: $0.name) }
        for link in plan.scenario.links where plan.stationPlacement == .process {
            guard let timing = try? LinkPhysics(scenario: plan.scenario, link: link).timing else { continue }
            members[plan.scenario.stationName(of: link)]?.meetAfterStart = timing.attemptPeriod * UInt64(timing.rounds) + timing.maxArmDelay
        }
        // Every member's configuration, resolved here once: members never read the scenario.
        let scenario = plan.scenario
        for member in plan.members {
            do throws(QuantumError) {
                switch member.role {
                case .node:
                    guard let node = scenario.nodeID(named: member.name) else { continue }
                    configurations[member.name] = .node(try NodeConfiguration(scenario: scenario, node: node, paths: plan.paths, seed: scenario.seed))
                case .station:
                    guard let index = stationNames.firstIndex(of: member.name) else { continue }
                    configurations[member.name] = .station(try StationConfiguration(scenario: scenario, link: scenario.links[index], seed: scenario.seed))
                default:
                    continue
                }
            } catch {
                hostedError = "\(member.name): \(error)"
            }
        }
        for link in scenario.links where plan.hostedStations.contains(scenario.stationName(of: link)) {
            let name = scenario.stationName(of: link)
            do {
                hosted[name] = StationBehavior(configuration: try StationConfiguration(scenario: scenario, link: link, seed: scenario.seed),
                                               mode: options.sampling)
            } catch {
                hostedError = "station \(name): \(error)"
            }
        }
        requests = plan.scenario.requests.map { spec in
            let start = DeliveryStats(lastDelivery: spec.start.seconds, keepsDeliveries: spec.hasServiceLevel)
            let path = DeliveryStats(lastDelivery: spec.start.seconds, keepsDeliveries: false)
            return RequestStats(all: start, paths: plan.scenario.policies.routing == .kShortest ? plan.paths[Int(spec.id.rawValue)].map { _ in path } : [])
        }
        linkAttempts = Array(repeating: 0, count: plan.scenario.links.count)
        linkSuccesses = linkAttempts
    }

    // MARK: - Run

    /// Registers every member, runs the lockstep clock until every request is served or the
    /// duration is reached, and shuts the members down. Results are written throughout.
    public func run() -> Outcome {
        let outcome: Outcome
        if let hostedError {
            outcome = .failed(hostedError)
        } else if let failure = register() {
            outcome = failure
        } else if realtime {
            epochNanoseconds = WallClock.nanoseconds() + 300_000_000  // members start together, 0.3 s from now
            broadcast(.epochAnnounce(.init(epochUnixNanoseconds: epochNanoseconds, dilation: plan.scenario.clock.dilation)))
            broadcast(.start(start))
            outcome = realtimeRun()
        } else {
            broadcast(.start(start))
            outcome = lockstep()
        }
        let reason: MessageBody.ShutdownReason = switch outcome {
        case .completed: .completed
        case .durationReached: .durationReached
        case .interrupted: .interrupted
        case .failed: .error
        }
        stopController(outcome.status)
        peakRSS = processes.map { Results.Process.peakRSS(of: $0.pid) }
        broadcast(.shutdown(.init(reason: reason, detail: "")))
        drainAfterShutdown()
        // The last lines go to disk before the summary says how the run ended.
        writer.flush()
        var final = outcome
        if let failure = writer.failure, !final.isFailure { final = .failed(failure.message) }
        writeSummary(final)
        // A summary that could not be written leaves the last one on disk (status running): the
        // run fails with the write error rather than claim an end it did not record.
        if let failure = writer.failure, !final.isFailure { final = .failed(failure.message) }
        writer.close()
        return final
    }

    /// Start, with every member's direct backplane endpoint (DESIGN §3).
    var start: MessageBody.Start {
        var endpoints: [String: String] = [:]
        for (name, m) in members where !m.backplaneEndpoint.isEmpty { endpoints[name] = m.backplaneEndpoint }
        return .init(duration: plan.scenario.duration, backplaneEndpoints: endpoints)
    }

    func register() -> Outcome? {
        let deadline = Date().addingTimeInterval(options.registrationTimeoutSeconds)
        while members.values.contains(where: { !$0.ready }) {
            if let stop = checkStop() { return stop }
            if Date() > deadline {
                let missing = order.filter { !members[$0]!.ready }
                return .failed("\(missing.count) process(es) did not register within \(Int(options.registrationTimeoutSeconds)) s: \(missing.prefix(5).joined(separator: ", "))")
            }
            pump(timeoutMilliseconds: 50)
        }
        if plan.scenario.policies.placement == .controller, let failure = connectController(deadline: deadline) { return failure }
        registered = true
        startupSeconds = Date().timeIntervalSince(started)
        onRegistered(processes)
        writeSummary(nil)
        return nil
    }

    var peakRSS: [UInt64?] = []

    var processes: [Results.Process] {
        var list = [Results.Process(role: "coordinator", name: "coordinator", pid: getpid())]
            + order.map { Results.Process(role: members[$0]!.role.rawValue, name: $0, pid: members[$0]!.pid) }
        for i in list.indices where i < peakRSS.count { list[i].peakRSSBytes = peakRSS[i] }
        for i in list.indices {
            if let endpoint = members[list[i].name]?.backplaneEndpoint, !endpoint.isEmpty { list[i].backplaneEndpoint = endpoint }
        }
        for i in list.indices {
            guard let m = finalMetrics[list[i].name] else { continue }
            let offset = Double(m["clock.offsetNsAbs"] ?? 0) * 1e-9
            list[i].clockOffsetSeconds = m["clock.offsetNegative"] == 1 ? -offset : offset
            list[i].clockResidualSeconds = m["clock.residualNs"].map { Double($0) * 1e-9 }
            list[i].timers = m["timers.total"]
            list[i].lateTimers = m["timers.late"]
        }
        return list
    }

    func lockstep() -> Outcome {
        while true {
            if let stop = checkStop() { return stop }
            if allServed { return .completed }
            forwardDueBackplane()
            if probing && busy.isEmpty {
                // A settling round is complete: every member has answered.
                probing = false
                probeCounts.append(directCounts)
            }
            // Each member's times by its place in `order` (this runs once per report: arrays, not
            // dictionaries keyed by name).
            var earliest = [VTime?](repeating: nil, count: order.count)
            var acting = [VTime?](repeating: nil, count: order.count)
            var reach = [UInt64](repeating: .max, count: clockGraph.names.count)
            var now = end
            var backplanePending = false
            for (i, name) in order.enumerated() {
                let m = members[name]!
                acting[i] = earlier(m.next, m.inbox.nextTime)
                var e = acting[i]
                for hold in m.holds { e = earlier(e, hold) }
                earliest[i] = e
                if let e {
                    now = min(now, e)
                    if let g = graphIndex[i] { reach[g] = e.picoseconds }
                }
                backplanePending = backplanePending || !m.backplane.isEmpty
            }
            if now < end { virtualNow = max(virtualNow, now) }
            let graphHorizons = clockGraph.horizons(earliest: reach, end: end.picoseconds)
            let horizons = graphIndex.map { g in g.map { VTime(picoseconds: graphHorizons[$0]) } ?? end }
            var woken: [(String, VTime)] = []
            // Busy members (still running an earlier grant) count with the earliest time they had
            // when granted: nothing they send can be stamped earlier. Others are granted as soon
            // as they can advance, without waiting for the whole round (no barrier).
            if now < end {
                for (i, name) in order.enumerated() where !busy.contains(name) {
                    guard let e = acting[i] else { continue }
                    let horizon = horizons[i]
                    if e < horizon && horizon > members[name]!.grantedUntil { woken.append((name, horizon)) }
                }
            }
            if !woken.isEmpty { probeCounts.removeAll() }
            if woken.isEmpty && !busy.isEmpty {
                awaitReports()
                if let stop = checkStop() { return stop }
                continue
            }
            if woken.isEmpty && backplanePending {
                pump(timeoutMilliseconds: 1)  // held backplane messages: wait for the first to be due
                continue
            }
            if woken.isEmpty {
                // Backplane messages need no window, so the clock may stand still while they are
                // handled. A member waiting inside its granted window for state reports when the
                // state arrives. Otherwise: members that were passed backplane messages since their
                // last grant get a grant with no new horizon (ZeroMQ keeps each pipe in order, so
                // their answer comes after handling them); and direct messages (node to node) pass
                // the coordinator by, so every member is asked until two rounds of answers agree and
                // every message sent has been handled (Mattern's four-counter termination
                // detection, 1987). Only then is the cluster quiet.
                let waiting = order.indices.contains { i in acting[i].map { $0 < members[order[i]]!.grantedUntil } ?? false }
                // Answers still to come: held batches (a batch that holds nothing is answered with
                // nothing, and its count comes with the station's next report).
                let answering = members.values.contains { $0.holds.contains { $0 != nil } }
                if (waiting || answering) && Date().timeIntervalSince(lastReport) < 1 {
                    pump(timeoutMilliseconds: 5)
                    continue
                }
                for name in order where members[name]!.unsettled {
                    woken.append((name, members[name]!.grantedUntil))
                }
                if woken.isEmpty {  // nothing to settle: is the cluster quiet?
                    let counts = directCounts
                    let quiet = counts.sent == counts.handled && probeCounts.count >= 2 && probeCounts.suffix(2).allSatisfy { $0 == counts }
                    if !quiet {
                        if probeCounts.isEmpty && !probing { settlingSince = Date() }
                        if Date().timeIntervalSince(settlingSince) > silenceLimitSeconds {
                            return .failed("lockstep clock stalled at \(virtualNow): \(counts.sent - min(counts.sent, counts.handled)) direct backplane message(s) never handled")
                        }
                        if !probeCounts.isEmpty { pump(timeoutMilliseconds: 1) }  // let messages in flight land
                        probing = true
                        for name in order where members[name]!.registered { woken.append((name, members[name]!.grantedUntil)) }
                    } else if answering {
                        // A station still computing its answer (a slow sampler): it is alive while it
                        // keeps to its heartbeats, which checkStop watches.
                        pump(timeoutMilliseconds: 5)
                        continue
                    } else if waiting {
                        // Nothing in flight can bring the state a waiting swap needs.
                        if Date().timeIntervalSince(settlingSince) > silenceLimitSeconds {
                            return .failed("lockstep clock stalled at \(virtualNow): a swap waits for quantum state that no message in flight can bring (a deadlock; this is a bug)")
                        }
                        pump(timeoutMilliseconds: 5)
                        continue
                    } else if now >= end {
                        if !allServed { virtualNow = end }
                        return allServed ? .completed : .durationReached
                    }
                }
            }
            if woken.isEmpty {
                if ProcessInfo.processInfo.environment["QNET_DEBUG_CLOCK"] != nil {
                    for (i, name) in order.enumerated() {
                        let m = members[name]!
                        log("stall: \(name) next=\(m.next.map { "\($0)" } ?? "-") granted=\(m.grantedUntil) inbox=\(m.inbox.nextTime.map { "\($0)" } ?? "-") horizon=\(horizons[i])")
                    }
                }
                return .failed("lockstep clock stalled at \(virtualNow) (no process can advance); this is a bug")
            }
            round += 1
            outboxes = [:]
            for (name, horizon) in woken {
                while let (_, frame) = members[name]!.inbox.popNext(before: horizon) {
                    forward(frame: frame, to: name)
                }
                members[name]!.grantedUntil = max(members[name]!.grantedUntil, horizon)
                members[name]!.grantRound = round
                members[name]!.unsettled = false
                // While busy it counts with the earliest time it could act when granted (its
                // deliveries left the inbox with the grant); its WindowDone replaces this.
                if let e = earliest[orderIndex[name]!] { members[name]!.next = min(members[name]!.next ?? e, e) }
                send(.grant(.init(round: round, windowEnd: horizon)), to: name)
                clock += 1
                busy.insert(name)
            }
            flushOutboxes()
            awaitReports()
            progress()
        }
    }

    /// The earlier of two times, either of which may be absent.
    func earlier(_ a: VTime?, _ b: VTime?) -> VTime? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }

    /// Direct backplane messages the members report sent and handled (latest answers).
    var directCounts: DirectCounts {
        members.values.reduce(into: DirectCounts()) { $0.sent += $1.directSent; $0.handled += $1.directHandled }
    }

    struct DirectCounts: Equatable {
        var sent: UInt64 = 0
        var handled: UInt64 = 0
    }

    /// Pumps messages until a busy member reports (its window done). Returns early to let the
    /// loop pass on held backplane messages (testing jitter) and check for stops.
    func awaitReports() {
        let before = reports
        let holding = members.values.contains { !$0.backplane.isEmpty }
        while reports == before && !busy.isEmpty {
            if interrupted() { return }
            if Date().timeIntervalSince(lastSupervision) > 0.02 { return }  // let checkStop run
            pump(timeoutMilliseconds: holding ? 1 : 20)
            if holding { return }
        }
        // Whatever else has arrived meanwhile is taken too, so the next grants are planned with
        // every report at hand (fewer, wider windows).
        var more = 0
        while more < 64 && pump(timeoutMilliseconds: 0) { more += 1 }
    }

    /// Backplane messages go on as they come (held only when testing with jitter): they carry
    /// their own virtual times and need no window (DESIGN §3).
    func forwardDueBackplane() {
        let wallNow = Date()
        for name in order where members[name]!.backplane.first.map({ $0.ready <= wallNow }) ?? false {
            // Ready times are monotone per pipe, so each pipe stays FIFO while messages from
            // different senders may overtake each other.
            let due = members[name]!.backplane.filter { $0.ready <= wallNow }
            members[name]!.backplane.removeAll { $0.ready <= wallNow }
            for (envelope, _) in due { forward(envelope, to: name) }
            members[name]!.unsettled = true
        }
    }

    // MARK: - Realtime clock

    var realtime: Bool { plan.scenario.clock.mode == .realtime }
    var epochNanoseconds: UInt64 = 0
    /// Routed messages awaiting their delivery receipt: (source, sequence) → event.
    var unreceipted: [String: Results.Event] = [:]
    /// Each member's counters: its clock estimate as soon as it has one (realtime, sent before
    /// Ready), merged with its final counters after Shutdown.
    var finalMetrics: [String: [String: UInt64]] = [:]
    /// Members whose final counters (sent after Ready, when the run ends) are in.
    var finalReported: Set<String> = []

    /// vtime = (wall − epoch) / dilation.
    func realtimeNow() -> VTime {
        RealtimeClock(epochUnixNanoseconds: epochNanoseconds, dilation: plan.scenario.clock.dilation)
            .virtualTime(atWallNanoseconds: WallClock.nanoseconds())
    }

    /// Realtime: no windows; messages are routed as they come, stamped with send time plus the
    /// modeled delay, and the destination handles each at max(arrival, that time).
    func realtimeRun() -> Outcome {
        while true {
            if let stop = checkStop() { return stop }
            if allServed { return .completed }
            let now = realtimeNow()
            virtualNow = max(virtualNow, now)
            if now >= end { return .durationReached }
            pump(timeoutMilliseconds: 10)
            progress()
        }
    }

    /// How long the coordinator waits after Shutdown for members' final counters, in seconds (short: a
    /// failed run waits it out for a dead member, and the clock estimates are in already).
    static let finalMetricsWaitSeconds = 1.5

    /// After Shutdown, members send their last receipts and timer counters (the clock estimates
    /// are in already): waits for every registered member's, at most ``finalMetricsWaitSeconds``.
    func drainAfterShutdown() {
        let deadline = Date().addingTimeInterval(Self.finalMetricsWaitSeconds)
        let expected = Set(members.filter { $0.value.registered }.map(\.key))
        while !expected.isSubset(of: finalReported) && Date() < deadline { pump(timeoutMilliseconds: 20) }
        for (_, event) in unreceipted.sorted(by: { $0.value.sendSeconds < $1.value.sendSeconds }) { writer.append(event) }
        unreceipted.removeAll()
    }

    var allServed: Bool {
        zip(plan.scenario.requests, requests).allSatisfy { $1.all.count >= $0.pairs }
    }

    func checkStop() -> Outcome? {
        if interrupted() { return .interrupted }
        if let controllerFailure { return .failed(controllerFailure) }
        // Results that cannot be written end the run: it must not report what it did not record.
        if let failure = writer.failure { return .failed(failure.message) }
        // Member liveness is checked every 20 ms, not on every message (it asks the OS).
        let wall = Date()
        if wall.timeIntervalSince(lastSupervision) > 0.02 {
            lastSupervision = wall
            if let death = supervise() { return .failed(death) }
        }
        if registered && wall.timeIntervalSince(lastHeartbeat) > 1 {
            lastHeartbeat = wall
            broadcast(.heartbeat(.init(wallTimeNanoseconds: WallClock.nanoseconds(), virtualTime: virtualNow)))
            // The member silent the longest is named: when one dies, others waiting on it may fall
            // silent after it.
            let silent = order.compactMap { name in lastHeard[name].map { (name, max($0, lastBusy)) } }
                .filter { wall.timeIntervalSince($0.1) > silenceLimitSeconds }.min { $0.1 < $1.1 }
            if let (name, _) = silent {
                return .failed("\(members[name]!.role.rawValue) '\(name)' has been silent for \(Int(silenceLimitSeconds)) s")
            }
        }
        // The periodic summary starts once every member has registered (with its pid).
        if registered, Date().timeIntervalSince(lastSummary) > 1 { writeSummary(nil) }
        return nil
    }

    // MARK: - Messages

    func send(_ body: MessageBody, to name: String) {
        sequence += 1
        let envelope = Envelope(source: "coordinator", destination: name, sendTime: virtualNow, deliveryTime: virtualNow, sequence: sequence, body: body)
        forward(envelope, to: name)
    }

    func broadcast(_ body: MessageBody) {
        for name in order where members[name]!.registered { send(body, to: name) }
    }

    func forward(_ envelope: Envelope, to name: String) {
        do {
            let frame = try WireCodec.encode(envelope)
            if outboxes != nil {
                outboxes![name, default: []].append(frame)
            } else {
                try transport.send(to: Array(name.utf8), frame)
            }
        } catch {
            log("cannot deliver \(envelope.body.typeName) to '\(name)': \(error)")
        }
    }

    /// Sends an already encoded envelope on unchanged (in this round's message to `name`, while
    /// a round's deliveries are collected).
    func forward(frame: [UInt8], to name: String) {
        if outboxes != nil {
            outboxes![name, default: []].append(frame)
            return
        }
        do { try transport.send(to: Array(name.utf8), frame) } catch {
            log("cannot deliver a frame to '\(name)': \(error)")
        }
    }

    /// Lockstep: a round's deliveries and grant to each member go out as one message.
    var outboxes: [String: [[UInt8]]]?

    func flushOutboxes() {
        guard let boxes = outboxes else { return }
        outboxes = nil
        for (name, frames) in boxes {
            do { try transport.send(to: Array(name.utf8), frames: frames) } catch {
                log("cannot deliver \(frames.count) message(s) to '\(name)': \(error)")
            }
        }
    }

    /// Receives at most one message (one or more envelopes, one per frame) and acts on it.
    /// Receives at most one message; returns whether one came.
    @discardableResult
    func pump(timeoutMilliseconds: Int) -> Bool {
        let received: (identity: [UInt8], frames: [[UInt8]])?
        do {
            received = try transport.receiveFrames(timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            log("receive failed: \(error)")
            return false
        }
        guard let (identityBytes, frames) = received else { return false }
        let identity = String(decoding: identityBytes, as: UTF8.self)
        if frames.isEmpty { drop(identity, "a message with no envelope") }
        for frame in frames { handle(frame, from: identity) }
        return true
    }

    func handle(_ frame: [UInt8], from identity: String) {
        let envelope: Envelope
        do {
            envelope = try WireCodec.decode(frame)
        } catch {
            drop(identity, "\(frame.count) bytes: \(error)")
            return
        }
        guard envelope.source == identity else {
            drop(identity, "\(envelope.body.typeName) claiming to be from '\(envelope.source)'")
            return
        }
        guard var member = members[identity] else {
            drop(identity, "\(envelope.body.typeName) from a process not in this run")
            return
        }
        byType[envelope.body.typeName, default: 0] += 1
        lastHeard[identity] = Date()
        switch envelope.body {
        case let .hello(hello):
            guard hello.role == member.role else {
                drop(identity, "hello as \(hello.role.rawValue), expected \(member.role.rawValue)")
                return
            }
            member.pid = Int32(bitPattern: hello.pid)
            member.registered = true
            member.backplaneEndpoint = hello.backplaneEndpoint
            members[identity] = member
            send(.welcome(.init(index: member.index, runID: options.runID, seed: plan.scenario.seed,
                                clockMode: realtime ? .realtime : .lockstep, configuration: configurations[identity])), to: identity)
        case .ready:
            members[identity]!.ready = true
        case let .windowDone(done):
            clock += 1
            members[identity]!.directSent = max(member.directSent, done.directBackplaneSent)
            members[identity]!.directHandled = max(member.directHandled, done.directBackplaneHandled)
            if done.answeredOnArrival > member.answered {
                // Answers come in the order the messages were passed on.
                let count = Int(min(done.answeredOnArrival - member.answered, UInt64(member.holds.count)))
                members[identity]!.holds.removeFirst(count)
                members[identity]!.answered = done.answeredOnArrival
                lastReport = Date()
                reports += 1
            }
            // A member reports after each grant, and again (same round) when backplane state let it
            // go on inside that window. A report from before its latest grant is stale.
            guard done.round == member.grantRound else { return }
            members[identity]!.next = done.nextEventTime
            busy.remove(identity)
            reports += 1
            lastReport = Date()
        case let .pairDelivered(pair):
            record(pair)
        case let .clockPing(ping):
            let received = WallClock.nanoseconds()
            send(.clockPong(.init(pingID: ping.pingID, t1Nanoseconds: ping.t1Nanoseconds, t2Nanoseconds: received,
                                  t3Nanoseconds: WallClock.nanoseconds())), to: identity)
        case let .deliveryReceipts(receipts):
            for r in receipts.receipts {
                guard var event = unreceipted.removeValue(forKey: "\(r.source)#\(r.sequence)") else { continue }
                event.actualDelaySeconds = r.delivered.duration(since: VTime(picoseconds: UInt64((event.sendSeconds * 1e12).rounded()))).seconds
                writer.append(event)
            }
        case let .metrics(metrics):
            finalMetrics[identity, default: [:]].merge(metrics.counters) { $1 }
            // Counters sent before Ready are the clock estimate; after it, the final ones.
            if member.ready { finalReported.insert(identity) }
        case .heartbeat:
            break  // liveness was recorded above
        case .attemptBatch, .herald, .attemptsExhausted, .attemptWithdraw, .feedForward, .requestServed, .observationReport:
            route(envelope, frame: frame)
        case _ where envelope.body.isBackplane:
            guard members[envelope.destination] != nil else {
                drop(identity, "backplane \(envelope.body.typeName) to unknown '\(envelope.destination)'")
                return
            }
            backplane += 1
            // Forwarded at once: backplane work carries its own virtual times and needs no
            // window (DESIGN §3); the destination handles it on arrival.
            guard !realtime && options.backplaneJitterSeconds > 0 else {
                forward(frame: frame, to: envelope.destination)  // as received: checked, not re-encoded
                members[envelope.destination]!.unsettled = true
                return
            }
            // Testing: random delays, but each sender → receiver pipe stays first-in first-out, as
            // ZeroMQ keeps it (DESIGN §3 relies on each home's operations arriving in order).
            let pipe = envelope.source + "→" + envelope.destination
            let ready = max(Date() + jitter.nextUnit() * options.backplaneJitterSeconds, lastReady[pipe] ?? .distantPast)
            lastReady[pipe] = ready
            members[envelope.destination]!.backplane.append((envelope, ready))
        default:
            drop(identity, "\(envelope.body.typeName) is not a message members may send")
        }
    }

    /// Control-plane routing: delivery at send time plus the channel's modeled delay. `frame`,
    /// when given, is `envelope` as received: it is passed on with its delivery time appended
    /// rather than encoded again.
    func route(_ envelope: Envelope, frame: [UInt8]? = nil) {
        guard let timed = plan.delay(from: envelope.source, to: envelope.destination, at: envelope.sendTime) else {
            drop(envelope.source, "\(envelope.body.typeName) to '\(envelope.destination)' with no classical channel")
            return
        }
        let delay: VDuration
        switch timed {
        case let .after(d):
            delay = d
        case let .never(link):
            // Over a satellite that has set for the rest of the run: it waits for ever.
            heldWhileDownByLink[Int(link.rawValue), default: 0] += 1
            return
        }
        var routedEnvelope = envelope
        routedEnvelope.deliveryTime = envelope.sendTime.saturatingAdding(delay)
        // A message that would arrive before the destination's granted horizon breaks causality
        // and is dropped. (Messages may be stamped later than their sender's window: an outcome
        // decided now for a later time, such as a station's herald.)
        if controllerChannel != nil, envelope.destination == Scenario.controllerName {
            answerController(routedEnvelope, modeledDelay: delay)
            return
        }
        if let station = hosted[envelope.destination] {
            answer(routedEnvelope, at: station, modeledDelay: delay)
            return
        }
        guard let destination = members[envelope.destination] else {
            drop(envelope.source, "\(envelope.body.typeName) to '\(envelope.destination)', which is not a member")
            return
        }
        guard realtime || routedEnvelope.deliveryTime >= destination.grantedUntil else {
            drop(envelope.source, "\(envelope.body.typeName) stamped \(envelope.sendTime), outside the lockstep windows")
            return
        }
        let routedFrame: [UInt8]
        do {
            routedFrame = try frame.map { try WireCodec.stamped($0, deliveryTime: routedEnvelope.deliveryTime) }
                ?? WireCodec.encode(routedEnvelope)
        } catch {
            drop(envelope.source, "\(envelope.body.typeName) to '\(envelope.destination)': \(error)")
            return
        }
        if realtime {
            forward(frame: routedFrame, to: envelope.destination)
        } else if destination.role == .station {
            // A station answers on arrival (its answers depend on what arrives, not when): passed
            // on now, it counts as able to act until it has answered. Only the batch that completes
            // a pair (as the station pairs them) can be answered with a herald; the other is
            // answered with nothing.
            // Its herald is stamped at the meeting time, no earlier than the later start plus the
            // emission rounds and the longer arm (StationAgent), nor than the batch's delivery.
            var hold: VTime?
            switch envelope.body {
            case let .attemptBatch(batch):
                // The station pairs each end's batches first come, first served (StationAgent).
                let others = destination.waitingBatches.filter { $0.key != envelope.source && !$0.value.isEmpty }
                if let (other, queue) = others.first {
                    let start = max(batch.startTime, queue[0].start)
                    hold = max(routedEnvelope.deliveryTime, start.saturatingAdding(destination.meetAfterStart))
                    members[envelope.destination]!.waitingBatches[other]!.removeFirst()
                } else if destination.waitingBatches[envelope.source, default: []].count < StationAgent.waitingLimit {
                    members[envelope.destination]!.waitingBatches[envelope.source, default: []].append((batch.batchID, batch.startTime))
                } else {
                    hold = routedEnvelope.deliveryTime  // not tracked: assume it may be answered
                }
            case let .attemptWithdraw(withdraw):
                // Answered (with AttemptsExhausted) only while the batch still waits for a partner.
                if let index = destination.waitingBatches[envelope.source]?.firstIndex(where: { $0.id == withdraw.batchID }) {
                    members[envelope.destination]!.waitingBatches[envelope.source]!.remove(at: index)
                    hold = routedEnvelope.deliveryTime
                }
            default:
                hold = routedEnvelope.deliveryTime
            }
            forward(frame: routedFrame, to: envelope.destination)
            members[envelope.destination]!.holds.append(hold)
        } else {
            members[envelope.destination]!.inbox.schedule(routedFrame, at: routedEnvelope.deliveryTime,
                                                          key: SenderOrder(source: routedEnvelope.source, sequence: routedEnvelope.sequence))
        }
        routed += 1
        if case let .herald(h) = envelope.body, h.state != nil, Int(h.linkID.rawValue) < linkAttempts.count,
           envelope.source == stationNames[Int(h.linkID.rawValue)] {
            let i = Int(h.linkID.rawValue)
            linkAttempts[i] = linkAttempts[i].addingReportingOverflow(h.attemptIndex.addingReportingOverflow(1).partialValue).partialValue
            linkSuccesses[i] += 1
        }
        if case let .attemptsExhausted(e) = envelope.body, Int(e.linkID.rawValue) < linkAttempts.count,
           envelope.destination == plan.scenario.node(plan.scenario.link(e.linkID).a).name {
            linkAttempts[Int(e.linkID.rawValue)] = linkAttempts[Int(e.linkID.rawValue)].addingReportingOverflow(e.attempts).partialValue
        }
        let event = Self.event(envelope, modeledDelay: delay, actualDelay: routedEnvelope.deliveryTime - envelope.sendTime)
        if realtime {
            // The actual delay is known when the destination reports the delivery.
            var pending = event
            pending.actualDelaySeconds = nil
            unreceipted["\(envelope.source)#\(envelope.sequence)"] = pending
        } else {
            writer.append(event)
        }
    }

    /// The events.jsonl line of a routed message.
    static func event(_ envelope: Envelope, modeledDelay: VDuration, actualDelay: VDuration) -> Results.Event {
        Results.Event(
            type: envelope.body.typeName, source: envelope.source, destination: envelope.destination,
            sendSeconds: envelope.sendTime.seconds, modeledDelaySeconds: modeledDelay.seconds,
            actualDelaySeconds: actualDelay.seconds)
    }

    /// A routed message for a process run inside the coordinator (a hosted station, the
    /// controller): counted and recorded like any routed message; returns the virtual time it is
    /// handled at (its delivery time; under the realtime clock, max(arrival, send + modeled delay),
    /// as a member would).
    func arrivedHere(_ envelope: Envelope, modeledDelay: VDuration) -> VTime {
        routed += 1
        var event = Self.event(envelope, modeledDelay: modeledDelay, actualDelay: modeledDelay)
        var handledAt = envelope.deliveryTime
        if realtime {
            handledAt = max(handledAt, realtimeNow())
            event.actualDelaySeconds = handledAt.duration(since: envelope.sendTime).seconds
        }
        writer.append(event)
        return handledAt
    }

    /// A message to a station run here: recorded like any routed message, handled at once, and the
    /// station's heralds routed on. Causality holds without a round: the station answers a batch
    /// with messages stamped no earlier than the batch's arrival (a batch starts no earlier than it
    /// is sent), so they reach a node no earlier than through both arms, as the clock graph assumes.
    func answer(_ envelope: Envelope, at station: StationBehavior, modeledDelay: VDuration) {
        let handledAt = arrivedHere(envelope, modeledDelay: modeledDelay)
        // A per-attempt draw over millions of attempts takes seconds: heartbeats go on meanwhile.
        switch station.respond(to: envelope, at: handledAt, progress: { [self] in keepAlive() }) {
        case let .ignored(reason):
            log("\(envelope.destination): \(reason)")
        case let .send(messages):
            for m in messages {
                let body = MessageBody(m.message)
                byType[body.typeName, default: 0] += 1
                sequence += 1
                let stamp = max(m.time, handledAt)
                route(Envelope(source: envelope.destination, destination: m.destination, sendTime: stamp, deliveryTime: stamp,
                               sequence: sequence, body: body))
            }
        }
    }

    /// Counts and logs a bad frame with the peer's identity: the first 5 from each peer, then
    /// one line saying the rest from that peer are only counted.
    func drop(_ peer: String, _ what: String) {
        dropped += 1
        if let line = drops.record(from: peer, what, source: { "'\($0)'" }) { log(line) }
    }

    func record(_ pair: MessageBody.PairDelivered) {
        // The pair names the path it was made along (one id per path of a request).
        guard let (r, k) = plan.pathsByID[pair.requestID], r < requests.count, k < max(requests[r].paths.count, 1) else { return }
        let spec = plan.scenario.requests[r]
        guard requests[r].all.count < spec.pairs else {
            requests[r].surplus += 1
            return
        }
        let delivered = pair.delivered.seconds
        requests[r].all.record(at: delivered, fidelity: pair.fidelity)
        if k < requests[r].paths.count { requests[r].paths[k].record(at: delivered, fidelity: pair.fidelity) }
        if let deadline = spec.deadline, pair.delivered <= VTime.zero + spec.start + deadline { requests[r].withinDeadline += 1 }
        virtualNow = max(virtualNow, pair.delivered)
        if realtime { requests[r].lost.add(pair.fidelityLostToLatency) }
        // Outcomes in the request's from → to order (the owner reports them in path order).
        let reversed = pair.nodeA != plan.scenario.node(spec.from).name
        writer.append(Results.Pair(
            request: r, from: plan.scenario.node(spec.from).name, to: plan.scenario.node(spec.to).name,
            createdSeconds: pair.created.seconds, deliveredSeconds: delivered, fidelity: pair.fidelity,
            outcomeA: reversed ? pair.outcomeB : pair.outcomeA, outcomeB: reversed ? pair.outcomeA : pair.outcomeB,
            path: pathNames[r][k], linkPairs: pair.linkPairs.map(\.description).joined(separator: ">"),
            oldestLinkSeconds: pair.oldestLink.seconds, pathIndex: k))
    }

    /// Each request's paths as pairs.csv writes them (nodes joined by `>`).
    lazy var pathNames: [[String]] = plan.paths.map { paths in paths.map { $0.map { plan.scenario.node($0).name }.joined(separator: ">") } }

    // MARK: - Reporting

    func progress() {
        guard options.progress, Date().timeIntervalSince(lastProgress) > 0.5 else { return }
        lastProgress = Date()
        let delivered = requests.reduce(0) { $0 + $1.all.count }
        let wanted = plan.scenario.requests.reduce(0) { $0 + $1.pairs }
        let wall = Date().timeIntervalSince(started)
        // Done: the larger of the virtual-time and the pairs fraction (a run ends at either).
        let virtualFraction = Double(virtualNow.picoseconds) / Double(max(plan.scenario.duration.picoseconds, 1))
        let done = min(1, max(virtualFraction, Double(delivered) / Double(max(wanted, 1))))
        let left = done > 0.001 ? " about \(Self.rounded(wall * (1 - done) / done)) left" : ""
        let line = String(format: "\rvirtual %@ / %@  pairs %d/%d  %.0f pairs per wall second  %@ elapsed%@ \u{1B}[K",
                          Self.rounded(virtualSeconds: virtualNow.seconds), Self.rounded(virtualSeconds: plan.scenario.duration.seconds),
                          delivered, wanted, Double(delivered) / max(wall, 1e-9), Self.rounded(wall), left)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// A wall-clock duration for the progress line: `45 s`, `3 min 20 s`, `1 h 05 min`.
    static func rounded(_ seconds: Double) -> String {
        let s = Int(max(0, seconds).rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(String(format: "%02d", s % 60)) s" }
        return "\(s / 3600) h \(String(format: "%02d", (s % 3600) / 60)) min"
    }

    /// A virtual time for the progress line, 3 significant digits in s, ms or µs.
    static func rounded(virtualSeconds t: Double) -> String {
        if t >= 1 || t == 0 { return String(format: "%.3g s", t) }
        if t >= 1e-3 { return String(format: "%.3g ms", t * 1e3) }
        return String(format: "%.3g µs", t * 1e6)
    }

    public func summary(_ outcome: Outcome?) -> Results.Summary {
        let scenario = plan.scenario
        let requestSummaries = zip(scenario.requests, requests).map { spec, stats in
            var summary = Results.Request(
                from: scenario.node(spec.from).name, to: scenario.node(spec.to).name, type: spec.type.rawValue,
                pairsRequested: spec.pairs, pairsDelivered: stats.all.count,
                ratePerSecond: stats.all.intervals.rate, fidelity: stats.all.fidelity.interval, latencySeconds: stats.all.percentiles)
            summary.startSeconds = spec.start.seconds
            let paths = plan.paths[Int(spec.id.rawValue)]
            summary.path = paths.first?.map { scenario.node($0).name }
            if scenario.policies.routing == .kShortest {
                summary.paths = zip(paths, stats.paths).enumerated().map { k, pathAndStats in
                    let (path, delivered) = pathAndStats
                    return Results.RequestPath(
                        index: k, nodes: path.map { scenario.node($0).name }, pairsDelivered: delivered.count,
                        ratePerSecond: delivered.intervals.rate, fidelity: delivered.fidelity.interval)
                }
            }
            summary.pairsSurplus = stats.surplus > 0 ? stats.surplus : nil
            if let deadline = spec.deadline {
                summary.deadlineSeconds = deadline.seconds
                summary.pairsWithinDeadline = stats.withinDeadline
                summary.servedWithinDeadline = stats.withinDeadline >= spec.pairs
            }
            if spec.hasServiceLevel {
                // The span: from the start to the last delivery once every pair came, else to now.
                let start = spec.start.seconds
                let endOfSpan = stats.all.servedUntil(pairs: spec.pairs, now: min(virtualNow, end).seconds)
                let window = spec.sloWindow?.seconds ?? ServiceLevel.defaultWindow(targetRate: spec.targetRate, span: endOfSpan - start)
                summary.slo = ServiceLevel.evaluate(.init(
                    start: start, end: endOfSpan, targetRate: spec.targetRate, targetFidelity: spec.targetFidelity, window: window,
                    deliveries: stats.all.deliveries?.times ?? [], fidelities: stats.all.deliveries?.fidelities ?? [], rate: summary.ratePerSecond?.mean,
                    meanFidelity: summary.fidelity?.mean, servedWithinDeadline: summary.servedWithinDeadline))
            }
            if realtime {
                summary.fidelityLostToLatency = stats.lost.interval
                // Timers of the processes on this request's paths (their nodes and stations).
                var names: Set<String> = []
                for path in paths {
                    names.formUnion(path.map { scenario.node($0).name })
                    for (a, b) in zip(path, path.dropFirst()) {
                        if let link = scenario.link(between: a, and: b) { names.insert(stationNames[Int(link.id.rawValue)]) }
                    }
                }
                summary.lateTimers = names.reduce(0) { $0 + (finalMetrics[$1]?["timers.late"] ?? 0) }
            }
            return summary
        }
        let virtualSeconds = min(virtualNow, end).seconds
        let links = scenario.links.map { link in
            let i = Int(link.id.rawValue)
            let physics = try? LinkPhysics(scenario: scenario, link: link)
            var summary = Results.Link(
                nodes: [scenario.node(link.a).name, scenario.node(link.b).name], scheme: link.scheme.rawValue,
                attempts: linkAttempts[i], successes: linkSuccesses[i],
                successProbability: linkAttempts[i] > 0 ? Double(linkSuccesses[i]) / Double(linkAttempts[i]) : nil,
                modelSuccessProbability: physics?.successProbability ?? .nan)
            if let timing = physics?.timing, virtualSeconds > 0 {
                summary.utilisation = Double(linkAttempts[i]) * timing.cycle.seconds / Double(max(timing.modes, 1)) / virtualSeconds
            }
            summary.medium = link.medium.kind.rawValue
            if let satellite = try? SatelliteLinkPhysics(scenario: scenario, link: link) {
                // modelSuccessProbability stays the link's at culmination; the pass over time:
                summary.lossDecibelsOverTime = satellite.passSamples(count: 21).map {
                    Results.LossSample(seconds: $0.seconds, elevationDegrees: $0.elevation * 180 / .pi, slantRangeMetres: $0.slantRangeMetres,
                                       lossDecibels: $0.lossDecibels)
                }
                summary.messagesHeldWhileDown = heldWhileDownByLink[i, default: 0]
            }
            return summary
        }
        let delivered = requests.reduce(0) { $0 + $1.all.count }
        let heralds = byType["herald"] ?? 0
        var error: String?
        if case let .failed(message) = outcome { error = message }
        // Direct backplane messages, as the senders last reported them (lockstep: every window;
        // realtime: at the end).
        let direct = realtime
            ? finalMetrics.values.reduce(0) { $0 + ($1["backplane.directSent"] ?? 0) }
            : directCounts.sent
        let backplane = backplane + direct
        var summary = Results.Summary(
            scenario: scenario.name, scenarioFile: scenario.file, seed: scenario.seed, version: QNetVersion.current,
            clockMode: scenario.clock.mode.rawValue, status: outcome?.status ?? "running", error: error, endpoint: options.endpoint,
            virtualSeconds: min(virtualNow, end).seconds, wallSeconds: Date().timeIntervalSince(started),
            processes: processes, requests: requestSummaries, links: links,
            messages: Results.Messages(
                routed: routed, backplane: backplane, heralds: heralds, feedForward: byType["feed_forward"] ?? 0,
                perDeliveredPair: delivered > 0 ? Double(routed + backplane + (byType["pair_delivered"] ?? 0)) / Double(delivered) : nil,
                clock: clock, dropped: dropped, byType: byType))
        summary.startupSeconds = startupSeconds
        let rates = summary.requests.compactMap { $0.ratePerSecond?.mean }
        if rates.count == summary.requests.count, !rates.isEmpty {
            let total = rates.reduce(0, +), squares = rates.reduce(0) { $0 + $1 * $1 }
            summary.fairness = squares > 0 ? total * total / (Double(rates.count) * squares) : nil
        }
        var occupancy: [String: Results.Occupancy] = [:]
        for node in scenario.nodes {
            guard let m = finalMetrics[node.name], let integral = m["memory.occupancyQubitNanoseconds"], virtualSeconds > 0 else { continue }
            occupancy[node.name] = .init(mean: Double(integral) * 1e-9 / virtualSeconds, max: m["memory.occupancyMax"] ?? 0)
        }
        if !occupancy.isEmpty { summary.memoryOccupancy = occupancy }
        if !finalMetrics.isEmpty {
            summary.pairIdentityMismatches = finalMetrics.values.reduce(0) { $0 + ($1["pairs.identityMismatches"] ?? 0) }
            if scenario.nodes.contains(where: { $0.bellSuccessProbability < 1 }) {
                summary.failedSwaps = finalMetrics.values.reduce(0) { $0 + ($1["swaps.failed"] ?? 0) }
            }
        }
        summary.stations = plan.stationPlacement.rawValue
        summary.messages.backplaneDirect = direct
        if let channel = controllerChannel, channel.peer != nil {
            let stale = finalMetrics.isEmpty ? nil : finalMetrics.values.reduce(0) { $0 + ($1["scheduler.staleDecisions"] ?? 0) }
            summary.controller = channel.stats(stale: stale)
        }
        summary.cost = Results.Cost(scenario: scenario, delivered: zip(scenario.requests, requests).map { spec, stats in
            Results.Cost.Delivered(
                pairs: stats.all.count, fidelity: stats.all.fidelity, intervals: stats.all.intervals,
                spanSeconds: stats.all.servedUntil(pairs: spec.pairs, now: virtualSeconds) - spec.start.seconds)
        })
        return summary
    }

    func writeSummary(_ outcome: Outcome?) {
        lastSummary = Date()
        do {
            try writer.write(summary(outcome))
        } catch {
            log("\(error)")
        }
    }
}
