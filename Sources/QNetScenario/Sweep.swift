import Foundation

/// A parameter sweep: the cartesian product of `--set KEY=V1,V2,…` axes, each point run with
/// seeds 1…N, and the combined table (`sweep.csv`, `sweep.json`) of every point's metrics.
public enum Sweep {
    /// One swept key and its values, in the order given.
    public struct Axis: Codable, Equatable, Sendable {
        public var key: String
        public var values: [String]
        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }

        /// Parses `KEY=V1,V2,…` (commas inside `{}`/`[]` belong to one value).
        public init(parsing text: String) throws(ScenarioOverrideError) {
            let o = try ScenarioOverride(parsing: text)
            self.init(key: o.key, values: try ScenarioOverride.values(o.value, key: o.key))
        }
    }

    /// The grid's points: every combination of the axes' values, the last axis varying fastest.
    /// Each point is one override per axis.
    public static func points(_ axes: [Axis]) -> [[ScenarioOverride]] {
        var points: [[ScenarioOverride]] = [[]]
        for axis in axes {
            points = points.flatMap { prefix in axis.values.map { prefix + [ScenarioOverride(key: axis.key, value: $0)] } }
        }
        return points
    }

    /// A metric aggregated over a point's seeds: the mean over seeds with a 95% interval over
    /// seeds (1.96·s/√n); with one seed, the run's own interval when the summary has one.
    public struct Metric: Codable, Equatable, Sendable {
        public var mean: Double
        public var ci95: [Double]
        /// How many runs had a value.
        public var runs: Int
        public init(mean: Double, ci95: [Double], runs: Int) {
            self.mean = mean
            self.ci95 = ci95
            self.runs = runs
        }
    }

    /// One run of a point: its seed, folder (relative to the sweep folder) and status.
    public struct RunRecord: Codable, Equatable, Sendable {
        public var seed: UInt64
        public var folder: String
        public var status: String
        public init(seed: UInt64, folder: String, status: String) {
            self.seed = seed
            self.folder = folder
            self.status = status
        }
    }

    /// One row: the swept values and every metric.
    public struct Row: Codable, Equatable, Sendable {
        /// 0-based index in grid order; its folder is `point-NNN`.
        public var point: Int
        public var values: [String: String]
        public var runs: [RunRecord]
        public var metrics: [String: Metric]
        public init(point: Int, values: [String: String], runs: [RunRecord], metrics: [String: Metric]) {
            self.point = point
            self.values = values
            self.runs = runs
            self.metrics = metrics
        }
    }

    /// `sweep.json`.
    public struct Table: Codable, Equatable, Sendable {
        public var scenario: String
        public var axes: [Axis]
        public var seeds: Int
        public var rows: [Row]
        public init(scenario: String, axes: [Axis], seeds: Int, rows: [Row]) {
            self.scenario = scenario
            self.axes = axes
            self.seeds = seeds
            self.rows = rows
        }
    }

    /// A summary's metrics by name, each a value and (where the summary has one) its interval:
    /// `virtualSeconds`, `wallSeconds`, `messagesPerDeliveredPair`, and per request `i`
    /// `request<i>.pairsDelivered`, `.ratePerSecond`, `.fidelity`, `.latencyP50Seconds`,
    /// `.latencyP90Seconds`, `.latencyP99Seconds`, `.fidelityLostToLatency`, and per link `j`
    /// `link<j>.successProbability`; with deadlines, `request<i>.servedWithinDeadline` (1 or 0),
    /// `request<i>.pairsWithinDeadline` and `fractionServedWithinDeadline` (over the requests
    /// that have a deadline); with service-level targets, `request<i>.sloMet` (1 or 0) and
    /// `request<i>.outageProbability` (with its Wilson interval).
    public static func metrics(of s: Results.Summary) -> [String: (value: Double, ci95: [Double]?)] {
        var m: [String: (value: Double, ci95: [Double]?)] = [
            "virtualSeconds": (s.virtualSeconds, nil),
            "wallSeconds": (s.wallSeconds, nil),
        ]
        if let perPair = s.messages.perDeliveredPair { m["messagesPerDeliveredPair"] = (perPair, nil) }
        for (i, r) in s.requests.enumerated() {
            let p = "request\(i)."
            m[p + "pairsDelivered"] = (Double(r.pairsDelivered), nil)
            if let x = r.ratePerSecond { m[p + "ratePerSecond"] = (x.mean, x.ci95) }
            if let x = r.fidelity { m[p + "fidelity"] = (x.mean, x.ci95) }
            if let x = r.fidelityLostToLatency { m[p + "fidelityLostToLatency"] = (x.mean, x.ci95) }
            if let l = r.latencySeconds {
                m[p + "latencyP50Seconds"] = (l.p50, nil)
                m[p + "latencyP90Seconds"] = (l.p90, nil)
                m[p + "latencyP99Seconds"] = (l.p99, nil)
            }
        }
        for (j, l) in s.links.enumerated() {
            if let p = l.successProbability { m["link\(j).successProbability"] = (p, nil) }
        }
        // Deadlines: per request whether it was served within its deadline (1 or 0) and the
        // pairs that were, and over the requests that have one, the fraction served in time.
        let timed = s.requests.compactMap(\.servedWithinDeadline)
        for (i, r) in s.requests.enumerated() {
            if let served = r.servedWithinDeadline { m["request\(i).servedWithinDeadline"] = (served ? 1 : 0, nil) }
            if let pairs = r.pairsWithinDeadline { m["request\(i).pairsWithinDeadline"] = (Double(pairs), nil) }
            if let slo = r.slo {
                m["request\(i).sloMet"] = (slo.met ? 1 : 0, nil)
                if let outage = slo.outageProbability { m["request\(i).outageProbability"] = (outage.mean, outage.ci95) }
            }
        }
        if !timed.isEmpty { m["fractionServedWithinDeadline"] = (Double(timed.filter { $0 }.count) / Double(timed.count), nil) }
        return m
    }

    /// Aggregates a point's run summaries (one per finished seed).
    public static func aggregate(_ summaries: [Results.Summary]) -> [String: Metric] {
        var byName: [String: [(value: Double, ci95: [Double]?)]] = [:]
        for s in summaries {
            for (name, v) in metrics(of: s) where v.value.isFinite { byName[name, default: []].append(v) }
        }
        var out: [String: Metric] = [:]
        for (name, vs) in byName {
            if vs.count == 1 {
                let v = vs[0]
                out[name] = Metric(mean: v.value, ci95: v.ci95 ?? [v.value, v.value], runs: 1)
            } else if let i = Statistics.mean(vs.map(\.value)) {
                out[name] = Metric(mean: i.mean, ci95: i.ci95, runs: vs.count)
            }
        }
        return out
    }

    /// `sweep.csv`: one row per point: `point`, the swept keys, `runs`, `completed`, then for each
    /// metric (sorted by name) `NAME`, `NAME.low`, `NAME.high` (empty where a point has no value).
    public static func csv(_ table: Table) -> String {
        let names = Set(table.rows.flatMap(\.metrics.keys)).sorted()
        var header = ["point"] + table.axes.map(\.key) + ["runs", "completed"]
        for n in names { header += [n, n + ".low", n + ".high"] }
        var lines = [header.map(field).joined(separator: ",")]
        for row in table.rows {
            var cells = ["\(row.point)"] + table.axes.map { field(row.values[$0.key] ?? "") }
            cells.append("\(row.runs.count)")
            cells.append("\(row.runs.filter { $0.status == "completed" || $0.status == "durationReached" }.count)")
            for n in names {
                if let m = row.metrics[n] {
                    cells += [number(m.mean), number(m.ci95[0]), number(m.ci95[1])]
                } else {
                    cells += ["", "", ""]
                }
            }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "nan" }

    /// A CSV field, quoted when it holds a comma, quote or newline.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Writes `sweep.csv` and `sweep.json` into `directory`, each atomically (a temporary file,
    /// then a rename), so an interrupted sweep keeps the rows of the points finished so far.
    public static func write(_ table: Table, to directory: URL) throws(ResultsError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let json: Data
        do { json = try encoder.encode(table) } catch {
            throw ResultsError(code: .writeFailed, message: "cannot encode sweep.json: \(error)")
        }
        for (name, data) in [("sweep.json", json), ("sweep.csv", Data(csv(table).utf8))] {
            let url = directory.appendingPathComponent(name)
            let temporary = directory.appendingPathComponent(name + ".tmp")
            do {
                try data.write(to: temporary)
                guard rename(temporary.path, url.path) == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw ResultsError(code: .writeFailed, message: "cannot write '\(url.path)': \(ResultsWriter.reason(error))")
            }
        }
    }
}
