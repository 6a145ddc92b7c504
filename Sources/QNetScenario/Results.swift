import Foundation

/// The results of a run (DESIGN §11): the folder's stable file formats.
public enum Results {
    /// `summary.json`.
    public struct Summary: Codable, Sendable {
        public var scenario: String
        public var scenarioFile: String
        public var seed: UInt64
        public var version: String
        public var clockMode: String
        /// running | completed | durationReached | interrupted | failed
        public var status: String
        public var error: String?
        /// The coordinator's ZeroMQ endpoint (where members connect).
        public var endpoint: String?
        public var virtualSeconds: Double
        public var wallSeconds: Double
        /// Wall seconds from the coordinator's start until every member had registered.
        public var startupSeconds: Double?
        /// Where the stations ran: "process" (one each) or "coordinator" (inside it).
        public var stations: String?
        public var processes: [Process]
        public var requests: [Request]
        public var links: [Link]
        /// Jain's fairness index over the requests' mean rates, (Σx)²/(n·Σx²), in (0, 1].
        public var fairness: Double?
        /// Memory qubits in use per node over the run (time-weighted mean, and the most at once).
        public var memoryOccupancy: [String: Occupancy]?
        /// Delivered pairs whose two ends named different link pairs (a protocol fault; 0 expected).
        public var pairIdentityMismatches: UInt64?
        public var messages: Messages
        /// What the network costs, when the scenario has `cost:`.
        public var cost: Cost?
        /// Under `placement: controller`: the controller program and its answers.
        public var controller: ControllerStats?
        /// Swaps whose Bell measurement failed (`bellMeasurement.successProbability` < 1), over all nodes.
        public var failedSwaps: UInt64?
        /// What events.jsonl holds (`--events`), set by the writer: every message, a sample, or none.
        public var events: EventsRecord?

        /// `events` in summary.json: the mode, the messages offered to events.jsonl and the lines written.
        public struct EventsRecord: Codable, Sendable, Equatable {
            public var mode: String
            public var messages: UInt64
            public var lines: UInt64
        }

        public init(scenario: String, scenarioFile: String, seed: UInt64, version: String, clockMode: String, status: String,
                    error: String? = nil, endpoint: String? = nil, virtualSeconds: Double, wallSeconds: Double, processes: [Process],
                    requests: [Request], links: [Link], messages: Messages) {
            self.scenario = scenario
            self.scenarioFile = scenarioFile
            self.seed = seed
            self.version = version
            self.clockMode = clockMode
            self.status = status
            self.error = error
            self.endpoint = endpoint
            self.virtualSeconds = virtualSeconds
            self.wallSeconds = wallSeconds
            self.processes = processes
            self.requests = requests
            self.links = links
            self.messages = messages
        }
    }

    public struct Process: Codable, Sendable, Equatable {
        public var role: String
        public var name: String
        public var pid: Int32
        /// Peak resident set size (VmHWM), sampled just before the run ends.
        public var peakRSSBytes: UInt64?
        /// Realtime clock: the member's estimated offset to the coordinator's clock, the
        /// estimate's remaining uncertainty (half the best round trip), and its timers.
        public var clockOffsetSeconds: Double?
        public var clockResidualSeconds: Double?
        public var timers: UInt64?
        public var lateTimers: UInt64?
        /// Where the process receives backplane messages from peers directly (nodes, with
        /// `--backplane direct`).
        public var backplaneEndpoint: String?
        public init(role: String, name: String, pid: Int32, peakRSSBytes: UInt64? = nil) {
            self.role = role
            self.name = name
            self.pid = pid
            self.peakRSSBytes = peakRSSBytes
        }

        /// VmHWM of a live process from /proc (Linux), in bytes.
        public static func peakRSS(of pid: Int32) -> UInt64? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                let kib = line.split(separator: " ").compactMap { UInt64($0) }.first
                return kib.map { $0 * 1024 }
            }
            return nil
        }
    }

    public struct Percentiles: Codable, Sendable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public init(p50: Double, p90: Double, p99: Double) {
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
        }
    }

    public struct Request: Codable, Sendable {
        public var from: String
        public var to: String
        public var type: String
        public var pairsRequested: Int
        public var pairsDelivered: Int
        /// Pairs per virtual second; nil before two pairs.
        public var ratePerSecond: Statistics.Interval?
        public var fidelity: Statistics.Interval?
        /// Per-pair service time: from when the request began waiting for the pair (its start,
        /// or the previous pair's delivery) to the pair's delivery.
        public var latencySeconds: Percentiles?
        /// Realtime clock: fidelity lost per pair to control-plane messages that arrived later
        /// than their modeled delay (the extra memory decoherence while waiting on them).
        public var fidelityLostToLatency: Statistics.Interval?
        /// Realtime clock: timers of the processes on this request's path that fired late.
        public var lateTimers: UInt64?
        /// The nodes the request is served along.
        public var path: [String]?
        /// When the request was issued (virtual seconds from the start).
        public var startSeconds: Double?
        /// Pairs recorded after the request was served (made while the news that it was served
        /// travelled; not in pairs.csv and not in the statistics).
        public var pairsSurplus: Int?
        /// The request's deadline (virtual seconds after its start); nil without one.
        public var deadlineSeconds: Double?
        /// Pairs delivered by start + deadline; nil without a deadline.
        public var pairsWithinDeadline: Int?
        /// All the pairs requested were delivered by start + deadline; nil without a deadline.
        public var servedWithinDeadline: Bool?
        /// Service levels against the request's targets; nil without any.
        public var slo: ServiceLevel?
        /// Under `policies.routing: k-shortest`: every path the request was served along, first
        /// path (``path``) first, with what each delivered; nil under every other policy.
        public var paths: [RequestPath]?
        public init(from: String, to: String, type: String, pairsRequested: Int, pairsDelivered: Int,
                    ratePerSecond: Statistics.Interval?, fidelity: Statistics.Interval?, latencySeconds: Percentiles?) {
            self.from = from
            self.to = to
            self.type = type
            self.pairsRequested = pairsRequested
            self.pairsDelivered = pairsDelivered
            self.ratePerSecond = ratePerSecond
            self.fidelity = fidelity
            self.latencySeconds = latencySeconds
        }
    }

    /// A request's `slo` in summary.json (``QNetScenario/ServiceLevel``): every stated target met
    /// (`met`), each target's verdict, and the outage probability over fixed windows with its
    /// Wilson 95% interval (windowed targets only: rate and fidelity).
    public struct ServiceLevel: Codable, Sendable, Equatable {
        public var met: Bool
        public var rateMet: Bool?
        public var fidelityMet: Bool?
        public var deadlineMet: Bool?
        public var targetRatePerSecond: Double?
        public var targetFidelity: Double?
        public var windowSeconds: Double?
        public var windows: Int?
        public var windowsMissed: Int?
        public var outageProbability: Statistics.Interval?
    }

    /// One path of a request served over several (`policies.routing: k-shortest`), in
    /// `summary.json`'s `requests[i].paths`.
    public struct RequestPath: Codable, Sendable, Equatable {
        /// Its place among the request's paths (0 = first, least expected generation time); the
        /// `pathIndex` column of pairs.csv.
        public var index: Int
        /// The nodes, from the request's `from` to its `to`.
        public var nodes: [String]
        /// Pairs it delivered (those of pairs.csv; its share of ``Request/pairsDelivered``).
        public var pairsDelivered: Int
        /// Pairs per virtual second over it alone, from the waiting times between its deliveries
        /// (the first from the request's start); nil before two pairs.
        public var ratePerSecond: Statistics.Interval?
        public var fidelity: Statistics.Interval?
        public init(index: Int, nodes: [String], pairsDelivered: Int, ratePerSecond: Statistics.Interval?, fidelity: Statistics.Interval?) {
            self.index = index
            self.nodes = nodes
            self.pairsDelivered = pairsDelivered
            self.ratePerSecond = ratePerSecond
            self.fidelity = fidelity
        }
    }

    /// `cost` in `summary.json`: CapEx by part of the scenario's price list, and CapEx spread over
    /// the lifetime per delivered pair and per secret-key bit at this run's rates (``CostModel``).
    public struct Cost: Codable, Sendable, Equatable {
        public var currency: String
        public var capex: Double
        public var capexByPart: [String: Double]
        public var lifetimeSeconds: Double
        /// CapEx / (lifetime × end-to-end pairs per second); nil without delivered pairs, and for
        /// a trusted relay (it delivers key, not end-to-end pairs).
        public var perDeliveredPair: Double?
        /// End-to-end secret-key bits per virtual second with an interval: each request's block
        /// key, its pairs with a fidelity × ``CostModel/keyBitsPerPair(fidelity:)`` at their mean
        /// fidelity, over the time it was served, summed over the requests, or under a trusted
        /// relay its slowest hop's. The interval is the product of the pair rate's and the key
        /// fraction's 95% bounds (conservative); [0, 1.8e308] with fewer than two pairs.
        public var keyBitsPerSecond: Statistics.Interval?
        /// CapEx / (lifetime × ``keyBitsPerSecond``); nil when there is no key.
        public var perKeyBit: Double?
        /// ``perKeyBit`` at the ends of ``keyBitsPerSecond``'s interval (high rate, low cost
        /// first; 1.8e308, unbounded, where the interval reaches zero key).
        public var perKeyBitCI95: [Double]?
        /// The relay the network is priced as (`cost.trustedRelay`); nil for a repeater network.
        public var trustedRelay: TrustedRelay?

        /// A trusted-node relay: each hop's key from its own request's pairs, the key relayed
        /// end to end by one-time pad through the trusted nodes at the slowest hop's rate.
        public struct TrustedRelay: Codable, Sendable, Equatable {
            /// The route, end to end.
            public var route: [String]
            /// Its inner nodes, which hold the key in the clear and are priced as `trusted-node`.
            public var trustedNodes: [String]
            public var hops: [Hop]
            /// Index in ``hops`` of the hop with the lowest key rate.
            public var slowestHop: Int

            public struct Hop: Codable, Sendable, Equatable {
                public var from: String
                public var to: String
                /// The request that serves the hop (index in the scenario's requests).
                public var request: Int
                public var keyBitsPerSecond: Statistics.Interval?
            }
        }

        public init(currency: String, capex: Double, capexByPart: [String: Double], lifetimeSeconds: Double,
                    perDeliveredPair: Double?, keyBitsPerSecond: Statistics.Interval? = nil, perKeyBit: Double?,
                    perKeyBitCI95: [Double]? = nil, trustedRelay: TrustedRelay? = nil) {
            self.currency = currency
            self.capex = capex
            self.capexByPart = capexByPart
            self.lifetimeSeconds = lifetimeSeconds
            self.perDeliveredPair = perDeliveredPair
            self.keyBitsPerSecond = keyBitsPerSecond
            self.perKeyBit = perKeyBit
            self.perKeyBitCI95 = perKeyBitCI95
            self.trustedRelay = trustedRelay
        }

        /// What one request delivered, for its rates: how many pairs, the moments of their
        /// fidelities (those that have one) and of their waiting times (from the previous pair,
        /// the first from the start), and the time it was served (from its start to its last
        /// pair when it got all it asked for, else to the run's end).
        public struct Delivered: Sendable {
            public var pairs: Int
            public var fidelity: Statistics.Moments
            public var intervals: Statistics.Moments
            public var spanSeconds: Double
            public init(pairs: Int, fidelity: Statistics.Moments, intervals: Statistics.Moments, spanSeconds: Double) {
                self.pairs = pairs
                self.fidelity = fidelity
                self.intervals = intervals
                self.spanSeconds = spanSeconds
            }

            /// Pairs with these fidelities (NaN: none) and waiting times, index by index.
            public init(fidelities: [Double], intervals: [Double], spanSeconds: Double) {
                var f = Statistics.Moments(), t = Statistics.Moments()
                for x in fidelities where x.isFinite { f.add(x) }
                for x in intervals { t.add(x) }
                self.init(pairs: fidelities.count, fidelity: f, intervals: t, spanSeconds: spanSeconds)
            }

            /// The block key over the span: n_F · k(F̄) / span, n_F the pairs with a fidelity, k
            /// ``CostModel/keyBitsPerPair(fidelity:)`` (increasing in F); the interval multiplies
            /// the pair rate's bounds (from the waiting times) by k at F̄'s bounds. nil without a
            /// span or without a fidelity (measured pairs carry none: no key here).
            var keyBitsPerSecond: Statistics.Interval? {
                guard spanSeconds > 0, let f = fidelity.interval else { return nil }
                let pairRate = Double(fidelity.count) / spanSeconds
                let k = CostModel.keyBitsPerPair(fidelity: f.mean)
                let rate = pairRate * k
                guard let r = intervals.rate, r.mean > 0 else { return Statistics.Interval(mean: rate, ci95: [0, .greatestFiniteMagnitude]) }
                let low = pairRate * r.ci95[0] / r.mean * CostModel.keyBitsPerPair(fidelity: min(max(f.ci95[0], 0), 1))
                let high = pairRate * min(r.ci95[1] / r.mean, .greatestFiniteMagnitude / max(pairRate, 1))
                    * CostModel.keyBitsPerPair(fidelity: min(max(f.ci95[1], 0), 1))
                return Statistics.Interval(mean: rate, ci95: [min(low, rate), max(high, rate)])
            }
        }

        /// The cost of `scenario`'s network from what each request delivered (`delivered[i]` for
        /// request i). A request's pair and key rates are its pairs and key bits over its span; a
        /// repeater network's rates are the requests' summed (intervals added in quadrature), a
        /// trusted relay's key rate is its slowest hop's (that hop's interval).
        public init?(scenario: Scenario, delivered: [Delivered]) {
            guard let settings = scenario.cost else { return nil }
            let byPart = scenario.capexByPart(settings.prices)
            let capex = byPart.values.reduce(0, +)
            let rates = delivered.map(\.keyBitsPerSecond)
            let pairRate: Double
            let keyRate: Statistics.Interval?
            var relay: TrustedRelay?
            if let route = settings.trustedRelay {
                // The slowest hop's key; no end-to-end pairs.
                let names = route.route.map { scenario.node($0).name }
                let hops = route.hopRequests.enumerated().map { i, request in
                    let r = Int(request.rawValue)
                    return TrustedRelay.Hop(from: names[i], to: names[i + 1], request: r, keyBitsPerSecond: r < rates.count ? rates[r] : nil)
                }
                let slowest = hops.indices.min { (hops[$0].keyBitsPerSecond?.mean ?? 0) < (hops[$1].keyBitsPerSecond?.mean ?? 0) } ?? 0
                relay = TrustedRelay(route: names, trustedNodes: route.trustedNodes.map { scenario.node($0).name }, hops: hops, slowestHop: slowest)
                keyRate = hops.isEmpty ? nil : hops[slowest].keyBitsPerSecond
                pairRate = 0
            } else {
                // The requests' rates summed, their intervals' half-widths in quadrature.
                pairRate = delivered.reduce(0.0) { $0 + ($1.spanSeconds > 0 ? Double($1.pairs) / $1.spanSeconds : 0) }
                let known = rates.compactMap { $0 }
                if known.isEmpty {
                    keyRate = nil
                } else {
                    let mean = known.reduce(0) { $0 + $1.mean }
                    let low = known.reduce(0) { $0 + pow($1.mean - $1.ci95[0], 2) }.squareRoot()
                    // An unbounded upper end (1.8e308: a request with one pair) stays unbounded;
                    // squared it would be infinite, which summary.json cannot hold.
                    let unbounded = known.contains { $0.ci95[1] >= .greatestFiniteMagnitude }
                    let high = unbounded ? .greatestFiniteMagnitude
                        : min(mean + known.reduce(0) { $0 + pow($1.ci95[1] - $1.mean, 2) }.squareRoot(), .greatestFiniteMagnitude)
                    keyRate = Statistics.Interval(mean: mean, ci95: [max(0, mean - low), high])
                }
            }
            let lifetime = settings.lifetimeSeconds
            // A key rate whose interval reaches zero leaves the cost unbounded above (1.8e308).
            let interval = keyRate.flatMap { k -> [Double]? in
                guard k.mean > 0, let low = CostModel.perKeyBit(capex: capex, lifetimeSeconds: lifetime, keyBitsPerSecond: k.ci95[1]) else { return nil }
                let high = CostModel.perKeyBit(capex: capex, lifetimeSeconds: lifetime, keyBitsPerSecond: k.ci95[0]) ?? .greatestFiniteMagnitude
                return [low, min(high, .greatestFiniteMagnitude)]
            }
            self.init(
                currency: settings.prices.currency, capex: capex, capexByPart: byPart, lifetimeSeconds: lifetime,
                perDeliveredPair: pairRate > 0 ? capex / (lifetime * pairRate) : nil,
                keyBitsPerSecond: keyRate,
                perKeyBit: CostModel.perKeyBit(capex: capex, lifetimeSeconds: lifetime, keyBitsPerSecond: keyRate?.mean ?? 0),
                perKeyBitCI95: interval,
                trustedRelay: relay)
        }
    }

    public struct Occupancy: Codable, Sendable, Equatable {
        public var mean: Double
        public var max: UInt64
        public init(mean: Double, max: UInt64) {
            self.mean = mean
            self.max = max
        }
    }

    public struct Link: Codable, Sendable {
        public var nodes: [String]
        public var scheme: String
        public var attempts: UInt64
        public var successes: UInt64
        public var successProbability: Double?
        /// The click model's per-attempt success probability, for comparison.
        public var modelSuccessProbability: Double
        /// Attempt streams per virtual second of the run: the time the link spent attempting
        /// (attempts × cycle / modes) over the run's virtual time; above 1 when several
        /// communication qubits attempt on it at once.
        public var utilisation: Double?
        /// `fibre`, `free-space` or `satellite`.
        public var medium: String?
        /// A time-varying (satellite) link: its pass sampled from rise to set.
        public var lossDecibelsOverTime: [LossSample]?
        /// A satellite link: messages over it sent after it set for the rest of the run (they
        /// wait for ever and are never delivered).
        public var messagesHeldWhileDown: UInt64?
        public init(nodes: [String], scheme: String, attempts: UInt64, successes: UInt64, successProbability: Double?, modelSuccessProbability: Double) {
            self.nodes = nodes
            self.scheme = scheme
            self.attempts = attempts
            self.successes = successes
            self.successProbability = successProbability
            self.modelSuccessProbability = modelSuccessProbability
        }
    }

    /// One point of a time-varying link's pass.
    public struct LossSample: Codable, Sendable, Equatable {
        public var seconds: Double
        public var elevationDegrees: Double
        public var slantRangeMetres: Double
        public var lossDecibels: Double
        public init(seconds: Double, elevationDegrees: Double, slantRangeMetres: Double, lossDecibels: Double) {
            self.seconds = seconds
            self.elevationDegrees = elevationDegrees
            self.slantRangeMetres = slantRangeMetres
            self.lossDecibels = lossDecibels
        }
    }

    public struct Messages: Codable, Sendable {
        /// Control-plane messages the coordinator routed with a modeled channel delay.
        public var routed: UInt64
        /// Backplane messages (state bookkeeping; no virtual delay), through the coordinator or
        /// direct; `backplaneDirect` of them went node to node (as the senders report).
        public var backplane: UInt64
        public var backplaneDirect: UInt64?
        public var heralds: UInt64
        public var feedForward: UInt64
        /// Routed plus backplane messages per delivered pair.
        public var perDeliveredPair: Double?
        /// Lockstep grants and window reports.
        public var clock: UInt64
        /// Frames dropped as malformed, from unknown peers or without a channel.
        public var dropped: UInt64
        public var byType: [String: UInt64]
        public init(routed: UInt64, backplane: UInt64, heralds: UInt64, feedForward: UInt64, perDeliveredPair: Double?,
                    clock: UInt64, dropped: UInt64, byType: [String: UInt64]) {
            self.routed = routed
            self.backplane = backplane
            self.heralds = heralds
            self.feedForward = feedForward
            self.perDeliveredPair = perDeliveredPair
            self.clock = clock
            self.dropped = dropped
            self.byType = byType
        }
    }

    /// One row of `pairs.csv`.
    public struct Pair: Sendable {
        public var request: Int
        public var from: String
        public var to: String
        public var createdSeconds: Double
        public var deliveredSeconds: Double
        public var fidelity: Double
        public var outcomeA: UInt32?
        public var outcomeB: UInt32?
        /// The nodes the pair was made along, joined by `>`.
        public var path: String
        /// The link pairs it was swapped from, in path order, each `link#n` (link index in the
        /// scenario, and the n-th pair heralded on that link), joined by `>`.
        public var linkPairs: String
        /// When the oldest of those link pairs was heralded (its age at delivery is what an
        /// end-to-end budget, `cutoff: { budget }`, bounds).
        public var oldestLinkSeconds: Double
        /// Which of the request's paths ``path`` is (0 = its first; always 0 but under
        /// `policies.routing: k-shortest`).
        public var pathIndex: Int
        public init(request: Int, from: String, to: String, createdSeconds: Double, deliveredSeconds: Double,
                    fidelity: Double, outcomeA: UInt32?, outcomeB: UInt32?, path: String = "", linkPairs: String = "",
                    oldestLinkSeconds: Double? = nil, pathIndex: Int = 0) {
            self.oldestLinkSeconds = oldestLinkSeconds ?? createdSeconds
            self.pathIndex = pathIndex
            self.path = path
            self.linkPairs = linkPairs
            self.request = request
            self.from = from
            self.to = to
            self.createdSeconds = createdSeconds
            self.deliveredSeconds = deliveredSeconds
            self.fidelity = fidelity
            self.outcomeA = outcomeA
            self.outcomeB = outcomeB
        }
    }

    /// One line of `events.jsonl`: a control-plane message.
    public struct Event: Codable, Sendable {
        public var type: String
        public var source: String
        public var destination: String
        public var sendSeconds: Double
        public var modeledDelaySeconds: Double
        /// Delivery minus send time; absent if the destination never reported the delivery.
        public var actualDelaySeconds: Double?
        public init(type: String, source: String, destination: String, sendSeconds: Double, modeledDelaySeconds: Double, actualDelaySeconds: Double?) {
            self.type = type
            self.source = source
            self.destination = destination
            self.sendSeconds = sendSeconds
            self.modeledDelaySeconds = modeledDelaySeconds
            self.actualDelaySeconds = actualDelaySeconds
        }
    }
}

/// Writes a results folder as the run goes: `pairs.csv` and `events.jsonl` line by line
/// (flushed every few hundred lines and on ``flush()``), `summary.json` atomically
/// (temporary file, then rename) whenever asked, so an interrupted run keeps what it produced.
///
/// A folder holds one run: the writer takes only a new or empty folder (or, with `replacing`,
/// one whose files it removes first), and holds a lock on it (`.qnet-lock`, removed on
/// ``close()``) so that a second run cannot write into it at the same time. A write that fails
/// (a full disk) is kept as ``failure``: the coordinator fails the run with it.
public final class ResultsWriter {
    public let directory: URL
    let pairs: FileHandle
    let events: FileHandle
    let lock: FileHandle?
    var pairBuffer = ""
    var eventBuffer = ""
    var bufferedLines = 0
    /// The first write that failed; once set, nothing more is written to that file.
    public private(set) var failure: ResultsError?

    /// The files a run writes (and `replacing` removes).
    public static let files = ["pairs.csv", "events.jsonl", "summary.json"]
    static let lockFile = ".qnet-lock"
    static let pairsHeader = "request,from,to,createdSeconds,deliveredSeconds,fidelity,outcomeA,outcomeB,path,linkPairs,oldestLinkSeconds,pathIndex\n"

    /// Creates the results folder, or takes an empty one; with `replacing`, removes the results
    /// of an earlier run from it first.
    /// - Throws: ``ResultsError`` naming the path when the folder holds files (without
    ///   `replacing`), is in use by another run, or cannot be written.
    public init(directory: URL, replacing: Bool = false) throws(ResultsError) {
        self.directory = directory
        let fm = FileManager.default
        try Self.check(directory: directory, replacing: replacing)
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ResultsError(code: .unwritable, message: "cannot create the results folder '\(directory.path)': \(Self.reason(error))")
        }
        let lock = try Self.lock(directory)
        do {
            if replacing {
                // Only a run's own files go; anything else in the folder (a launch tool's logs/) stays.
                for file in Self.files + ["summary.json.tmp"] {
                    let url = directory.appendingPathComponent(file)
                    if fm.fileExists(atPath: url.path) { try fm.removeItem(at: url) }
                }
            } else {
                // Checked again under the lock: another run may have written since.
                try Self.check(directory: directory, replacing: false)
            }
            pairs = try Self.createExclusively(directory.appendingPathComponent("pairs.csv"))
            events = try Self.createExclusively(directory.appendingPathComponent("events.jsonl"))
            try pairs.write(contentsOf: Data(Self.pairsHeader.utf8))
        } catch let error as ResultsError {
            Self.unlock(lock, directory)
            throw error
        } catch {
            Self.unlock(lock, directory)
            throw ResultsError(code: .unwritable, message: "cannot write results to '\(directory.path)': \(Self.reason(error))")
        }
        self.lock = lock
    }

    /// Writes to the given files instead of the folder's (tests: a file on a full disk).
    init(directory: URL, pairs: FileHandle, events: FileHandle) {
        self.directory = directory
        self.pairs = pairs
        self.events = events
        self.lock = nil
    }

    /// Whether `directory` may take a run's results: it does not exist, is an empty folder, or
    /// (with `replacing`) a folder. Checked before anything of the run starts; nothing is changed.
    /// - Throws: ``ResultsError`` naming the path and what is allowed.
    public static func check(directory: URL, replacing: Bool) throws(ResultsError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw ResultsError(code: .notAFolder, message: "results folder '\(directory.path)' is a file; allowed: a new or empty folder")
        }
        guard !replacing else { return }
        let entries: [String]
        do { entries = try fm.contentsOfDirectory(atPath: directory.path) } catch {
            throw ResultsError(code: .unwritable, message: "cannot read the results folder '\(directory.path)': \(reason(error))")
        }
        let held = entries.filter { $0 != lockFile }.sorted()
        if !held.isEmpty {
            let shown = held.prefix(3).joined(separator: ", ") + (held.count > 3 ? ", ..." : "")
            throw ResultsError(
                code: .notEmpty,
                message: "results folder '\(directory.path)' is not empty (\(shown)); allowed: a new or empty folder, or --force to replace the results in it")
        }
    }

    /// A folder for a run's results that no other run has: `base`, else `base-2`, `base-3`, ...,
    /// created here (two runs started in the same second get different folders).
    /// - Throws: ``ResultsError`` when none can be created.
    public static func uniqueDirectory(_ base: URL) throws(ResultsError) -> URL {
        let fm = FileManager.default
        let parent = base.deletingLastPathComponent()
        do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
            throw ResultsError(code: .unwritable, message: "cannot create '\(parent.path)': \(reason(error))")
        }
        for n in 1...1_000 {
            let candidate = n == 1 ? base : parent.appendingPathComponent("\(base.lastPathComponent)-\(n)")
            // mkdir claims the name atomically: it fails if the folder exists.
            if mkdir(candidate.path, 0o755) == 0 { return candidate }
            guard errno == EEXIST else {
                throw ResultsError(code: .unwritable, message: "cannot create the results folder '\(candidate.path)': \(String(cString: strerror(errno)))")
            }
        }
        throw ResultsError(code: .unwritable, message: "cannot find a free results folder name beside '\(base.path)'")
    }

    static func lock(_ directory: URL) throws(ResultsError) -> FileHandle {
        let path = directory.appendingPathComponent(lockFile).path
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ResultsError(code: .unwritable, message: "cannot write results to '\(directory.path)': \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            try? handle.close()
            throw ResultsError(code: .inUse, message: "results folder '\(directory.path)' is in use by another run; allowed: a folder no running qnet writes to")
        }
        return handle
    }

    static func unlock(_ lock: FileHandle, _ directory: URL) {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(lockFile))
        try? lock.close()
    }

    /// A new file, failing if it exists (another run claimed the folder first).
    static func createExclusively(_ url: URL) throws(ResultsError) -> FileHandle {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ResultsError(code: errno == EEXIST ? .notEmpty : .unwritable,
                               message: "cannot create '\(url.path)': \(String(cString: strerror(errno)))")
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// The system's reason for a failed file operation, without Foundation's boilerplate.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }

    public func append(_ p: Results.Pair) {
        func outcome(_ o: UInt32?) -> String { o.map(String.init) ?? "" }
        pairBuffer += "\(p.request),\(p.from),\(p.to),\(Self.number(p.createdSeconds)),\(Self.number(p.deliveredSeconds)),\(Self.number(p.fidelity)),\(outcome(p.outcomeA)),\(outcome(p.outcomeB)),\(p.path),\(p.linkPairs),\(Self.number(p.oldestLinkSeconds)),\(p.pathIndex)\n"
        countLine()
    }

    /// One JSON line, written by hand: this is on the coordinator's path for every routed
    /// message (names are process names and schema type names: no characters need escaping
    /// beyond what ``jsonString(_:)`` handles).
    public func append(_ e: Results.Event) {
        eventsSeen += 1
        switch eventsMode {
        case .all: break
        case .none: return
        case .sample:
            guard eventsSeen <= Self.sampleHead || (eventsSeen % Self.sampleEvery == 0 && eventsWritten < Self.sampleLimit) else { return }
        }
        eventsWritten += 1
        var line = "{"
        if let actual = e.actualDelaySeconds { line += "\"actualDelaySeconds\":\(Self.number(actual))," }
        line += "\"destination\":\(Self.jsonString(e.destination)),\"modeledDelaySeconds\":\(Self.number(e.modeledDelaySeconds)),"
        line += "\"sendSeconds\":\(Self.number(e.sendSeconds)),\"source\":\(Self.jsonString(e.source)),\"type\":\(Self.jsonString(e.type))}\n"
        eventBuffer += line
        countLine()
    }

    /// Which control-plane messages go to events.jsonl (`qnet run --events`).
    public enum EventsMode: String, CaseIterable, Sendable {
        /// Every message (about 690 bytes per delivered pair on a two-node link).
        case all
        /// The first ``sampleHead`` messages, then every ``sampleEvery``-th, at most ``sampleLimit`` lines.
        case sample
        /// No events.jsonl lines (the file is created, empty).
        case none
    }

    /// Which messages are written; `.all` unless set before the run.
    public var eventsMode: EventsMode = .all
    /// Messages offered to events.jsonl, and lines written.
    public private(set) var eventsSeen: UInt64 = 0
    public private(set) var eventsWritten: UInt64 = 0
    public static let sampleHead: UInt64 = 10_000
    public static let sampleEvery: UInt64 = 100
    public static let sampleLimit: UInt64 = 100_000

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    func countLine() {
        bufferedLines += 1
        if bufferedLines >= 256 { flush() }
    }

    /// Writes buffered lines to disk; a failed write is kept as ``failure``.
    public func flush() {
        if !pairBuffer.isEmpty { write(pairBuffer, to: pairs, "pairs.csv"); pairBuffer = "" }
        if !eventBuffer.isEmpty { write(eventBuffer, to: events, "events.jsonl"); eventBuffer = "" }
        bufferedLines = 0
    }

    func write(_ text: String, to file: FileHandle, _ name: String) {
        guard failure == nil else { return }
        do {
            try file.write(contentsOf: Data(text.utf8))
        } catch {
            failure = ResultsError(code: .writeFailed, message: "cannot write '\(directory.appendingPathComponent(name).path)': \(Self.reason(error))")
        }
    }

    /// Writes `summary.json` atomically (a temporary file beside it, then a rename).
    /// - Throws: ``ResultsError`` when it cannot be written; it is also kept as ``failure``.
    public func write(_ summary: Results.Summary) throws(ResultsError) {
        flush()
        var summary = summary
        summary.events = .init(mode: eventsMode.rawValue, messages: eventsSeen, lines: eventsWritten)
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.sortedKeys, .prettyPrinted]
        let url = directory.appendingPathComponent("summary.json")
        let temporary = directory.appendingPathComponent("summary.json.tmp")
        do {
            let data = try pretty.encode(summary)
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            let failed = ResultsError(code: .writeFailed, message: "cannot write '\(url.path)': \(Self.reason(error))")
            if failure == nil { failure = failed }
            throw failed
        }
    }

    /// Flushes and closes the files, and releases the folder.
    public func close() {
        flush()
        try? pairs.close()
        try? events.close()
        if let lock { Self.unlock(lock, directory) }
    }

    /// Shortest round-trip decimal rendering of a Double.
    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "nan" }
}

public struct ResultsError: Error, CustomStringConvertible {
    public enum Code: Sendable {
        /// The folder holds files of another run (and `--force` was not given).
        case notEmpty
        /// Another run holds the folder's lock.
        case inUse
        /// The path is a file.
        case notAFolder
        /// The folder cannot be created or its files opened.
        case unwritable
        /// A write failed during the run (a full disk, an I/O error).
        case writeFailed
    }

    public var code: Code
    /// One line naming the path and what went wrong (and, for bad input, what is allowed).
    public var message: String
    public var description: String { message }

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}
