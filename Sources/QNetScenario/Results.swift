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

    /// `cost` in `summary.json`: CapEx by part of the scenario's price list, and CapEx spread over
    /// the lifetime per delivered pair and per secret-key bit at this run's rates (``CostModel``).
    public struct Cost: Codable, Sendable, Equatable {
        public var currency: String
        public var capex: Double
        public var capexByPart: [String: Double]
        public var lifetimeSeconds: Double
        /// nil without delivered pairs.
        public var perDeliveredPair: Double?
        /// nil when the delivered pairs' fidelities yield no key.
        public var perKeyBit: Double?

        public init(currency: String, capex: Double, capexByPart: [String: Double], lifetimeSeconds: Double,
                    perDeliveredPair: Double?, perKeyBit: Double?) {
            self.currency = currency
            self.capex = capex
            self.capexByPart = capexByPart
            self.lifetimeSeconds = lifetimeSeconds
            self.perDeliveredPair = perDeliveredPair
            self.perKeyBit = perKeyBit
        }

        /// The cost of `scenario`'s network, given the run's delivered pairs' fidelities.
        public init?(scenario: Scenario, fidelities: [Double], virtualSeconds: Double) {
            guard let settings = scenario.cost else { return nil }
            let byPart = scenario.capexByPart(settings.prices)
            let capex = byPart.values.reduce(0, +)
            self.init(
                currency: settings.prices.currency, capex: capex, capexByPart: byPart, lifetimeSeconds: settings.lifetimeSeconds,
                perDeliveredPair: CostModel.perDeliveredPair(
                    capex: capex, lifetimeSeconds: settings.lifetimeSeconds, pairs: fidelities.count, virtualSeconds: virtualSeconds),
                perKeyBit: CostModel.perKeyBit(
                    capex: capex, lifetimeSeconds: settings.lifetimeSeconds, fidelities: fidelities, virtualSeconds: virtualSeconds))
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
        public init(request: Int, from: String, to: String, createdSeconds: Double, deliveredSeconds: Double,
                    fidelity: Double, outcomeA: UInt32?, outcomeB: UInt32?, path: String = "", linkPairs: String = "") {
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
public final class ResultsWriter {
    public let directory: URL
    let pairs: FileHandle
    let events: FileHandle
    var pairBuffer = ""
    var eventBuffer = ""
    var bufferedLines = 0

    /// Creates (or empties) the results folder.
    /// - Throws: ``ResultsError`` naming the path when it cannot be written.
    public init(directory: URL) throws(ResultsError) {
        self.directory = directory
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in ["pairs.csv", "events.jsonl", "summary.json"] {
                let url = directory.appendingPathComponent(file)
                if fm.fileExists(atPath: url.path) { try fm.removeItem(at: url) }
            }
            _ = fm.createFile(atPath: directory.appendingPathComponent("pairs.csv").path, contents: Data("request,from,to,createdSeconds,deliveredSeconds,fidelity,outcomeA,outcomeB,path,linkPairs\n".utf8))
            _ = fm.createFile(atPath: directory.appendingPathComponent("events.jsonl").path, contents: Data())
            pairs = try FileHandle(forWritingTo: directory.appendingPathComponent("pairs.csv"))
            events = try FileHandle(forWritingTo: directory.appendingPathComponent("events.jsonl"))
            try pairs.seekToEnd()
        } catch {
            throw ResultsError(message: "cannot write results to '\(directory.path)': \(error.localizedDescription)")
        }
    }

    public func append(_ p: Results.Pair) {
        func outcome(_ o: UInt32?) -> String { o.map(String.init) ?? "" }
        pairBuffer += "\(p.request),\(p.from),\(p.to),\(Self.number(p.createdSeconds)),\(Self.number(p.deliveredSeconds)),\(Self.number(p.fidelity)),\(outcome(p.outcomeA)),\(outcome(p.outcomeB)),\(p.path),\(p.linkPairs)\n"
        countLine()
    }

    /// One JSON line, written by hand: this is on the coordinator's path for every routed
    /// message (names are process names and schema type names: no characters need escaping
    /// beyond what ``jsonString(_:)`` handles).
    public func append(_ e: Results.Event) {
        var line = "{"
        if let actual = e.actualDelaySeconds { line += "\"actualDelaySeconds\":\(Self.number(actual))," }
        line += "\"destination\":\(Self.jsonString(e.destination)),\"modeledDelaySeconds\":\(Self.number(e.modeledDelaySeconds)),"
        line += "\"sendSeconds\":\(Self.number(e.sendSeconds)),\"source\":\(Self.jsonString(e.source)),\"type\":\(Self.jsonString(e.type))}\n"
        eventBuffer += line
        countLine()
    }

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

    /// Writes buffered lines to disk.
    public func flush() {
        if !pairBuffer.isEmpty { try? pairs.write(contentsOf: Data(pairBuffer.utf8)); pairBuffer = "" }
        if !eventBuffer.isEmpty { try? events.write(contentsOf: Data(eventBuffer.utf8)); eventBuffer = "" }
        bufferedLines = 0
    }

    /// Writes `summary.json` atomically.
    public func write(_ summary: Results.Summary) throws(ResultsError) {
        flush()
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            let data = try pretty.encode(summary)
            try data.write(to: directory.appendingPathComponent("summary.json"), options: .atomic)
        } catch {
            throw ResultsError(message: "cannot write '\(directory.appendingPathComponent("summary.json").path)': \(error.localizedDescription)")
        }
    }

    public func close() {
        flush()
        try? pairs.close()
        try? events.close()
    }

    /// Shortest round-trip decimal rendering of a Double.
    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "nan" }
}

public struct ResultsError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
