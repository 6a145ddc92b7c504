import Foundation

/// `report.html`: a self-contained page (inline SVG, no scripts, no network fetches) of one or
/// more results folders.
///
/// - a run folder (`summary.json`, `pairs.csv`): per request a fidelity histogram, a latency
///   CDF (the per-pair service time of summary.json, from pairs.csv's `deliveredSeconds`) and
///   each pair's fidelity against its wait for delivery (`deliveredSeconds − createdSeconds`:
///   from the pair's herald or the path's last swap until both ends held it corrected) and
///   against the age of its oldest link pair at delivery (`deliveredSeconds − oldestLinkSeconds`,
///   the whole storage a cutoff budget bounds); for the
///   run, the pairs awaiting delivery over time (a step plot from pairs.csv) and the memory
///   occupancy per node of summary.json;
/// - a sweep folder (`sweep.json`): with deadlines, the fraction of requests served within
///   their deadline; per request the rate (pairs/s), the fidelity and (with a deadline) whether
///   it was served in time, against the first swept key, one marker per point with its 95%
///   interval over seeds as an error bar; further swept keys are one series each;
/// - several folders: one column each, side by side.
///
/// Every plotted point is an SVG `<circle class="point" data-plot=… data-series=… data-x=…
/// data-y=…>` (its plot, series, label and value), so tools and tests can read the plots back;
/// sweep markers also carry `data-metric` (the sweep.json metric), `data-low` and `data-high`.
public enum Report {
    /// One pair of pairs.csv that a report needs.
    public struct PairRow: Equatable, Sendable {
        public var request: Int
        public var createdSeconds: Double
        public var deliveredSeconds: Double
        public var fidelity: Double?
        /// When the oldest link pair it was made of was heralded (pairs.csv's `oldestLinkSeconds`;
        /// nil in files written before the column).
        public var oldestLinkSeconds: Double? = nil
    }

    /// The attributes of every plotted point (`<circle class="point" …>`) of a report page, in
    /// page order: how tools and tests read the plots back.
    public static func points(in html: String) -> [[String: String]] {
        var out: [[String: String]] = []
        var rest = html[...]
        while let start = rest.range(of: "<circle class=\"point\"") {
            let tail = rest[start.upperBound...]
            guard let end = tail.firstIndex(of: ">") else { break }
            var attributes: [String: String] = [:]
            var text = tail[..<end]
            while let eq = text.range(of: "=\"") {
                let name = text[..<eq.lowerBound].split(separator: " ").last.map(String.init) ?? ""
                guard let close = text[eq.upperBound...].firstIndex(of: "\"") else { break }
                attributes[name] = String(text[eq.upperBound..<close])
                text = text[text.index(after: close)...]
            }
            out.append(attributes)
            rest = tail[end...]
        }
        return out
    }

    /// Reads pairs.csv rows (header names, not positions, choose the columns).
    public static func pairs(csv: String) -> [PairRow] {
        var reader = PairReader(limit: .max)
        for line in csv.split(whereSeparator: \.isNewline) { reader.add(line) }
        return reader.rows
    }

    /// The most pairs.csv rows a report holds: a longer file is read as every k-th row (k a power
    /// of two), so a report of a long run needs memory bounded by this, not by the run.
    public static let mostPairs = 100_000

    /// Reads `file` (pairs.csv) a block at a time, keeping every k-th row with k the smallest
    /// power of two that keeps at most `limit`: the rows kept, k, and the rows read. An
    /// unreadable file is no rows.
    public static func pairs(file: URL, limit: Int = mostPairs) -> (rows: [PairRow], stride: Int, total: Int) {
        var reader = PairReader(limit: limit)
        guard let handle = try? FileHandle(forReadingFrom: file) else { return ([], 1, 0) }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        while let block = try? handle.read(upToCount: 1 << 16), !block.isEmpty {
            pending.append(contentsOf: block)
            var start = 0
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                reader.add(Substring(decoding: pending[start..<newline], as: UTF8.self))
                start = newline + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { reader.add(Substring(decoding: pending, as: UTF8.self)) }
        return (reader.rows, reader.stride, reader.total)
    }

    /// pairs.csv parsed line by line, the header first, thinned to every `stride`-th row.
    struct PairReader {
        let limit: Int
        var rows: [PairRow] = []
        var stride = 1
        var total = 0
        var columns: (r: Int, c: Int, d: Int, f: Int?, o: Int?)?
        var headerRead = false

        init(limit: Int) { self.limit = max(limit, 1) }

        mutating func add(_ line: Substring) {
            guard !line.isEmpty else { return }
            let line = line.last == "\r" ? line.dropLast() : line
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard headerRead else {
                headerRead = true
                let header = cells.map(String.init)
                if let r = header.firstIndex(of: "request"), let c = header.firstIndex(of: "createdSeconds"),
                   let d = header.firstIndex(of: "deliveredSeconds") {
                    columns = (r, c, d, header.firstIndex(of: "fidelity"), header.firstIndex(of: "oldestLinkSeconds"))
                }
                return
            }
            guard let (r, c, d, f, o) = columns, cells.count > max(r, c, d), let request = Int(cells[r]),
                  let created = Double(cells[c]), let delivered = Double(cells[d]) else { return }
            defer { total += 1 }
            guard total % stride == 0 else { return }
            let fidelity = f.flatMap { $0 < cells.count ? Double(cells[$0]) : nil }
            let oldest = o.flatMap { $0 < cells.count ? Double(cells[$0]) : nil }
            rows.append(PairRow(request: request, createdSeconds: created, deliveredSeconds: delivered, fidelity: fidelity, oldestLinkSeconds: oldest))
            if rows.count > limit {
                // Keep every other kept row: rows 0, 2k, 4k, … of the file.
                rows = rows.enumerated().compactMap { $0.offset % 2 == 0 ? $0.element : nil }
                stride *= 2
            }
        }
    }

    /// The report of the folders, in order; each is a run folder or a sweep folder.
    /// - Throws: ``ResultsError`` naming a folder that holds neither summary.json nor sweep.json.
    public static func html(folders: [URL]) throws(ResultsError) -> String {
        var columns: [String] = []
        var costs: [(title: String, summary: Results.Summary)] = []
        for folder in folders {
            let sweepURL = folder.appendingPathComponent("sweep.json")
            let summaryURL = folder.appendingPathComponent("summary.json")
            if let data = FileManager.default.contents(atPath: sweepURL.path) {
                guard let table = try? JSONDecoder().decode(Sweep.Table.self, from: data) else {
                    throw ResultsError(code: .notAFolder, message: "'\(sweepURL.path)' is not a sweep.json written by qnet sweep")
                }
                columns.append(section(sweep: table, title: folder.path))
            } else if let data = FileManager.default.contents(atPath: summaryURL.path) {
                guard let summary = try? JSONDecoder().decode(Results.Summary.self, from: data) else {
                    throw ResultsError(code: .notAFolder, message: "'\(summaryURL.path)' is not a summary.json written by qnet run")
                }
                let read = pairs(file: folder.appendingPathComponent("pairs.csv"))
                columns.append(section(run: summary, pairs: read.rows, title: folder.path, stride: read.stride, total: read.total))
                if summary.cost != nil { costs.append((folder.path, summary)) }
            } else {
                throw ResultsError(code: .notAFolder, message: "'\(folder.path)' holds neither summary.json (a qnet run folder) nor sweep.json (a qnet sweep folder)")
            }
        }
        return page(columns, lead: costComparison(costs))
    }

    /// The runs priced with `cost:` side by side: architecture (repeaters, or a trusted relay
    /// and its trusted nodes), CapEx, key rate and cost per key bit, with a plot of the cost per
    /// key bit (its interval from the key rate's); empty without priced runs.
    static func costComparison(_ runs: [(title: String, summary: Results.Summary)]) -> String {
        guard !runs.isEmpty else { return "" }
        var out = "<h2>Cost per key bit</h2><p>Each run's CapEx (its price list summed over its network) spread over the "
            + "lifetime, per secret-key bit at its end-to-end key rate: each request's pairs keyed as one block at their mean fidelity "
            + "(BBM92, 1 − 2h(e) bits per pair, e = 2(1 − F̄)/3, Shor–Preskill) over the time it was served; a trusted relay's key rate "
            + "is its slowest hop's, and its trusted nodes are priced as trusted-node hardware. Intervals: the pair rate's and the key "
            + "fraction's 95% bounds multiplied (conservative).</p>"
        out += "<table><tr><th>run</th><th>architecture</th><th>CapEx</th><th>key bits/s</th><th>cost per key bit</th><th>cost per delivered pair</th></tr>"
        var points: [PlotPoint] = []
        for (i, run) in runs.enumerated() {
            guard let c = run.summary.cost else { continue }
            let architecture = c.trustedRelay.map { r in
                "trusted relay \(r.route.joined(separator: " → ")) (trusted: \(r.trustedNodes.joined(separator: ", ")); slowest hop \(r.hops[r.slowestHop].from)–\(r.hops[r.slowestHop].to))"
            } ?? "repeaters (" + run.summary.requests.map { "\($0.from) → \($0.to)" }.joined(separator: ", ") + ")"
            let rate = c.keyBitsPerSecond.map { String(format: "%.4g [%.4g, %.4g]", $0.mean, $0.ci95[0], $0.ci95[1]) } ?? "–"
            let perBit = c.perKeyBit.map { p in
                String(format: "%.4g", p) + (c.perKeyBitCI95.map { ci in
                    ci[1] >= .greatestFiniteMagnitude ? String(format: " [%.4g, unbounded)", ci[0]) : String(format: " [%.4g, %.4g]", ci[0], ci[1])
                } ?? "") + " " + c.currency
            } ?? "no key"
            let perPair = c.perDeliveredPair.map { String(format: "%.4g", $0) + " " + c.currency }
                ?? (c.trustedRelay != nil ? "– (a relay delivers key, not end-to-end pairs)" : "–")
            out += "<tr><td>\(escape(run.summary.scenario)) (\(escape(run.title)))</td><td>\(escape(architecture))</td>"
                + "<td>\(String(format: "%.0f", c.capex)) \(escape(c.currency))</td><td>\(rate)</td><td>\(escape(perBit))</td>"
                + "<td>\(escape(perPair))</td></tr>"
            if let p = c.perKeyBit {
                let ci = c.perKeyBitCI95 ?? [p, p]
                points.append(PlotPoint(xIndex: i, xLabel: run.summary.scenario, y: p, low: ci[0], high: ci[1]))
            }
        }
        out += "</table>"
        if !points.isEmpty {
            // An unbounded upper end is drawn to twice the highest bounded value (the table says so).
            let bounded = points.flatMap { [$0.y, $0.high] }.filter { $0 < .greatestFiniteMagnitude }.max() ?? 1
            let drawn = points.map { p in var q = p; if q.high >= .greatestFiniteMagnitude { q.high = 2 * bounded }; return q }
            // Runs of the same scenario (other seeds or overrides) are told apart by their place.
            let names = runs.map(\.summary.scenario)
            let categories = names.enumerated().map { i, name in names.filter { $0 == name }.count > 1 ? "\(name) (\(i + 1))" : name }
            let currency = runs.compactMap(\.summary.cost?.currency).first ?? ""
            out += categoryPlot(series: [(label: "", points: drawn)], categories: categories,
                                xLabel: "run", yLabel: "cost per key bit (\(currency))", metric: "cost.perKeyBit")
        }
        return out
    }

    static func page(_ columns: [String], lead: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>QNetLab report</title>
        <style>
        body { font-family: sans-serif; margin: 1em; color: #222; }
        .columns { display: flex; gap: 2em; align-items: flex-start; flex-wrap: wrap; }
        .column { flex: 1 1 0; min-width: 480px; }
        table { border-collapse: collapse; font-size: 0.9em; } td, th { border: 1px solid #ccc; padding: 2px 6px; }
        svg text { font-size: 11px; }
        </style></head><body>
        <h1>QNetLab report</h1>
        \(lead)
        <div class="columns">
        \(columns.map { "<div class=\"column\">\($0)</div>" }.joined(separator: "\n"))
        </div></body></html>

        """
    }

    static func section(run s: Results.Summary, pairs: [PairRow], title: String, stride: Int = 1, total: Int? = nil) -> String {
        var out = "<h2>\(escape(s.scenario)) — seed \(s.seed), \(escape(s.status))</h2><p>\(escape(title))</p>"
        if stride > 1 {
            out += "<p class=\"thinned\" data-stride=\"\(stride)\">The plots below show every k-th row of pairs.csv, k = \(stride) "
                + "(\(pairs.count) of \(total ?? pairs.count) pairs, at most \(mostPairs) held); the table is summary.json's, from every pair. "
                + "Counts in them (histogram bars, pairs awaiting delivery) are of the rows shown.</p>"
        }
        // Realtime runs measure what late control-plane messages cost (summary.json); lockstep
        // runs have no such column.
        let lost = s.requests.contains { $0.fidelityLostToLatency != nil }
        out += "<table><tr><th>request</th><th>pairs</th><th>rate (pairs/s)</th><th>fidelity</th><th>latency p50 (s)</th>"
            + (lost ? "<th>fidelity lost to late messages</th>" : "") + "</tr>"
        for (i, r) in s.requests.enumerated() {
            let rate = r.ratePerSecond.map { String(format: "%.4g [%.4g, %.4g]", $0.mean, $0.ci95[0], $0.ci95[1]) } ?? "–"
            let fid = r.fidelity.map { String(format: "%.4f [%.4f, %.4f]", $0.mean, $0.ci95[0], $0.ci95[1]) } ?? "–"
            let lat = r.latencySeconds.map { String(format: "%.3g", $0.p50) } ?? "–"
            out += "<tr><td>\(i): \(escape(r.from)) → \(escape(r.to))</td><td>\(r.pairsDelivered)/\(r.pairsRequested)</td><td>\(rate)</td><td>\(fid)</td><td>\(lat)</td>"
            if lost { out += "<td>" + (r.fidelityLostToLatency.map { String(format: "%.3g [%.3g, %.3g]", $0.mean, $0.ci95[0], $0.ci95[1]) } ?? "–") + "</td>" }
            out += "</tr>"
        }
        out += "</table>"
        for i in s.requests.indices {
            let mine = pairs.filter { $0.request == i }
            let fidelities = mine.compactMap(\.fidelity)
            out += "<h3>Request \(i): fidelity histogram (\(fidelities.count) pairs)</h3>" + histogram(fidelities, xLabel: "fidelity")
            out += "<h3>Request \(i): latency CDF (per-pair service time)</h3>"
                + cdf(latencies(mine, start: s.requests[i].startSeconds ?? 0), xLabel: "latency (s)")
            let aged = ages(mine)
            if !aged.isEmpty {
                out += "<h3>Request \(i): fidelity against the age of the oldest link pair at delivery (\(aged.count) pairs, from pairs.csv)</h3>"
                    + "<p>Age: deliveredSeconds − oldestLinkSeconds, from the herald of the oldest link pair the delivered pair was "
                    + "swapped from until both ends held it corrected: all the storage, heralds, swap decisions (a controller's "
                    + "round trip included) and feed-forward it waited through. A cutoff budget bounds it.</p>"
                    + scatter([("request \(i)", aged)], plot: "request\(i).fidelityAgainstAge", xLabel: "age of the oldest link pair at delivery (s)", yLabel: "fidelity", step: false)
            }
            let waited = waits(mine)
            out += "<h3>Request \(i): fidelity against the wait for delivery (\(waited.count) pairs, from pairs.csv)</h3>"
                + "<p>Wait: deliveredSeconds − createdSeconds, from when the end-to-end pair came into being (its herald on a "
                + "one-link path, else the path's last swap) until both ends held it with its corrections: the time its qubits "
                + "decohere while heralds and feed-forward travel. Storage of the link pairs before the last swap is not in it. "
                + "No memory-model curve: summary.json records neither the memories' T1/T2 nor the fidelity at creation.</p>"
                + scatter([("request \(i)", waited)], plot: "request\(i).fidelityAgainstWait", xLabel: "wait from createdSeconds to delivery (s)", yLabel: "fidelity", step: false)
        }
        let series = s.requests.indices.map { i in ("request \(i)", storedPairs(pairs.filter { $0.request == i })) }
        out += "<h3>Stored pairs over time (from pairs.csv): pairs awaiting delivery</h3>"
            + "<p>Per request, the delivered pairs held between their createdSeconds and deliveredSeconds (two end qubits "
            + "each). Not the whole memory: link pairs before the path's last swap, and pairs discarded or never delivered, "
            + "are not in pairs.csv; the memory occupancy per node (below) counts every qubit.</p>"
            + scatter(series, plot: "storedPairs", xLabel: "virtual time (s)", yLabel: "pairs awaiting delivery", step: true)
        if let c = s.cost {
            out += "<h3>Cost (summary.json)</h3><table><tr><th>part</th><th>CapEx (\(escape(c.currency)))</th></tr>"
            for (part, value) in c.capexByPart.sorted(by: { $0.key < $1.key }) {
                out += "<tr><td>\(escape(part))</td><td>\(String(format: "%.0f", value))</td></tr>"
            }
            out += "<tr><th>total</th><th>\(String(format: "%.0f", c.capex))</th></tr></table>"
            if let relay = c.trustedRelay {
                out += "<table><tr><th>hop</th><th>request</th><th>key bits/s</th></tr>"
                for (i, hop) in relay.hops.enumerated() {
                    let rate = hop.keyBitsPerSecond.map { String(format: "%.4g [%.4g, %.4g]", $0.mean, $0.ci95[0], $0.ci95[1]) } ?? "–"
                    out += "<tr><td>\(escape(hop.from))–\(escape(hop.to))\(i == relay.slowestHop ? " (slowest)" : "")</td><td>\(hop.request)</td><td>\(rate)</td></tr>"
                }
                out += "</table>"
            }
        }
        if let occupancy = s.memoryOccupancy, !occupancy.isEmpty {
            out += "<h3>Memory occupancy per node (summary.json)</h3><p>Qubits in use: time-weighted mean over the run, and the most at once.</p>"
            out += "<table><tr><th>node</th><th>mean qubits</th><th>max qubits</th></tr>"
            for (node, o) in occupancy.sorted(by: { $0.key < $1.key }) {
                out += "<tr><td>\(escape(node))</td><td>\(String(format: "%.3f", o.mean))</td><td>\(o.max)</td></tr>"
            }
            out += "</table>"
        }
        return out
    }

    /// Each pair with a fidelity and an `oldestLinkSeconds` as (age, fidelity): the age of its
    /// oldest link pair at delivery.
    static func ages(_ pairs: [PairRow]) -> [(x: Double, y: Double)] {
        pairs.compactMap { p in
            guard let fidelity = p.fidelity, let oldest = p.oldestLinkSeconds else { return nil }
            return (x: p.deliveredSeconds - oldest, y: fidelity)
        }
    }

    /// Each pair with a fidelity as (wait, fidelity), in pairs.csv order: the wait is
    /// `deliveredSeconds − createdSeconds` (from the end-to-end pair's herald or last swap until
    /// both ends held it corrected).
    static func waits(_ pairs: [PairRow]) -> [(x: Double, y: Double)] {
        pairs.compactMap { p in p.fidelity.map { (x: p.deliveredSeconds - p.createdSeconds, y: $0) } }
    }

    /// The step function of pairs awaiting delivery: at each time a pair was created or delivered, the
    /// number of pairs `p` with `createdSeconds ≤ t < deliveredSeconds` (equal times merged).
    static func storedPairs(_ pairs: [PairRow]) -> [(x: Double, y: Double)] {
        let changes = pairs.flatMap { [($0.createdSeconds, 1), ($0.deliveredSeconds, -1)] }.sorted { $0.0 < $1.0 }
        var out: [(x: Double, y: Double)] = []
        var count = 0
        for (t, change) in changes {
            count += change
            if let last = out.last, last.x == t { out[out.count - 1].y = Double(count) } else { out.append((t, Double(count))) }
        }
        return out
    }

    /// Per-pair service times, sorted: from when the request began waiting for the pair (its
    /// start, or the previous pair's delivery) to the pair's delivery, as in summary.json.
    static func latencies(_ pairs: [PairRow], start: Double) -> [Double] {
        var previous = start
        var out: [Double] = []
        for d in pairs.map(\.deliveredSeconds).sorted() {
            out.append(d - previous)
            previous = d
        }
        return out.sorted()
    }

    static func section(sweep t: Sweep.Table, title: String) -> String {
        var out = "<h2>Sweep of \(escape(t.scenario)): \(t.rows.count) points × \(t.seeds) seeds</h2><p>\(escape(title))</p>"
        guard let axis = t.axes.first else { return out + "<p>No swept key.</p>" }
        out += sweepPlot(t, axis: axis, metric: "fractionServedWithinDeadline",
                         heading: "fraction of the requests with a deadline served within it", yLabel: "fraction served in time", unit: true)
        let requests = Set(t.rows.flatMap { $0.metrics.keys.compactMap { k in k.hasPrefix("request") ? k.split(separator: ".").first.map(String.init) : nil } }).sorted()
        for request in requests {
            for (metric, yLabel) in [("ratePerSecond", "ratePerSecond"), ("fidelity", "fidelity"), ("servedWithinDeadline", "fraction of seeds")] {
                out += sweepPlot(t, axis: axis, metric: "\(request).\(metric)", heading: nil, yLabel: yLabel, unit: metric == "servedWithinDeadline")
            }
        }
        return out
    }

    /// One sweep metric against the first swept key, one series per combination of the other
    /// keys (empty when no point has the metric). `unit`: the y axis spans at least [0, 1].
    static func sweepPlot(_ t: Sweep.Table, axis: Sweep.Axis, metric name: String, heading: String?, yLabel: String, unit: Bool) -> String {
        let others = t.axes.dropFirst()
        var groups: [String: [PlotPoint]] = [:]
        var order: [String] = []
        for row in t.rows {
            guard let m = row.metrics[name], let x = row.values[axis.key], let xi = axis.values.firstIndex(of: x) else { continue }
            let label = others.map { "\($0.key)=\(row.values[$0.key] ?? "")" }.joined(separator: ", ")
            if groups[label] == nil { order.append(label) }
            groups[label, default: []].append(PlotPoint(xIndex: xi, xLabel: x, y: m.mean, low: m.ci95[0], high: m.ci95[1]))
        }
        guard !order.isEmpty else { return "" }
        let series = order.map { (label: $0, points: groups[$0] ?? []) }
        let what = heading.map { "\(escape(name)): \(escape($0))" } ?? escape(name)
        return "<h3>\(what) against \(escape(axis.key)) (95% interval over seeds)</h3>"
            + categoryPlot(series: series, categories: axis.values, xLabel: axis.key, yLabel: yLabel, metric: name, unit: unit)
    }

    struct PlotPoint {
        var xIndex: Int
        var xLabel: String
        var y: Double
        var low: Double
        var high: Double
    }

    static let width = 480.0, height = 260.0, left = 60.0, right = 20.0, top = 15.0, bottom = 40.0
    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    static func frame(_ body: String, xLabel: String, yLabel: String, yMin: Double, yMax: Double, xTicks: String) -> String {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\" fill=\"none\" stroke=\"#888\"/>"
        for k in 0...4 {
            let v = yMin + (yMax - yMin) * Double(k) / 4
            let y = top + (height - top - bottom) * (1 - Double(k) / 4)
            svg += "<text x=\"\(left - 4)\" y=\"\(y + 4)\" text-anchor=\"end\">\(String(format: "%.4g", v))</text>"
        }
        svg += xTicks + body
        svg += "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 5)\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        svg += "<text x=\"12\" y=\"\(top + (height - top - bottom) / 2)\" transform=\"rotate(-90 12 \(top + (height - top - bottom) / 2))\" text-anchor=\"middle\">\(escape(yLabel))</text>"
        return svg + "</svg>"
    }

    static func range(_ values: [Double]) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else { return (0, 1) }
        if hi - lo < 1e-12 { lo -= max(abs(lo) * 0.05, 1e-9); hi += max(abs(hi) * 0.05, 1e-9) }
        return (lo, hi)
    }

    static func categoryPlot(series: [(label: String, points: [PlotPoint])], categories: [String], xLabel: String, yLabel: String, metric: String, unit: Bool = false) -> String {
        let all = series.flatMap(\.points)
        let (yMin, yMax) = range(all.flatMap { [$0.low, $0.high, $0.y] } + (unit ? [0, 1] : []))
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ i: Int) -> Double { left + plotW * (Double(i) + 0.5) / Double(max(categories.count, 1)) }
        func py(_ y: Double) -> Double { top + plotH * (1 - (min(max(y, yMin), yMax) - yMin) / (yMax - yMin)) }
        var ticks = ""
        for (i, c) in categories.enumerated() {
            ticks += "<text x=\"\(px(i))\" y=\"\(height - bottom + 14)\" text-anchor=\"middle\">\(escape(c))</text>"
        }
        var body = ""
        for (s, entry) in series.enumerated() {
            let colour = colours[s % colours.count]
            let offset = Double(s) * 4 - Double(series.count - 1) * 2
            let line = entry.points.map { "\(px($0.xIndex) + offset),\(py($0.y))" }.joined(separator: " ")
            body += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(colour)\" stroke-opacity=\"0.5\"/>"
            for p in entry.points {
                let x = px(p.xIndex) + offset
                body += "<line x1=\"\(x)\" y1=\"\(py(p.low))\" x2=\"\(x)\" y2=\"\(py(p.high))\" stroke=\"\(colour)\"/>"
                body += "<circle class=\"point\" data-plot=\"\(escape(metric))\" data-metric=\"\(escape(metric))\" data-series=\"\(escape(entry.label))\" data-x=\"\(escape(p.xLabel))\" data-y=\"\(p.y)\" data-low=\"\(p.low)\" data-high=\"\(p.high)\" cx=\"\(x)\" cy=\"\(py(p.y))\" r=\"3.5\" fill=\"\(colour)\"><title>\(escape(p.xLabel)): \(p.y) [\(p.low), \(p.high)]</title></circle>"
            }
            if !entry.label.isEmpty {
                body += "<text x=\"\(left + 6)\" y=\"\(top + 14 + Double(s) * 13)\" fill=\"\(colour)\">\(escape(entry.label))</text>"
            }
        }
        return frame(body, xLabel: xLabel, yLabel: yLabel, yMin: yMin, yMax: yMax, xTicks: ticks)
    }

    /// At most this many markers per series; a longer series is thinned to every k-th point
    /// (the heading of the plot says so).
    static let maxMarkers = 2000

    /// Points against a numeric x axis, one series each, every point a marker; `step`: joined as
    /// a step function (each value held until the next point), else unjoined (a scatter).
    static func scatter(_ series: [(label: String, points: [(x: Double, y: Double)])], plot: String, xLabel: String, yLabel: String, step: Bool) -> String {
        guard series.contains(where: { !$0.points.isEmpty }) else { return "<p>No pairs.</p>" }
        var note = ""
        let shown = series.map { entry in
            let k = (entry.points.count + maxMarkers - 1) / maxMarkers
            if k > 1 { note += "<p>\(escape(entry.label)): every \(k)th of \(entry.points.count) points shown.</p>" }
            return (label: entry.label, points: k > 1 ? stride(from: 0, to: entry.points.count, by: k).map { entry.points[$0] } : entry.points)
        }
        let all = shown.flatMap(\.points)
        let (xMin, xMax) = range(all.map(\.x))
        let (yMin, yMax) = range(all.map(\.y) + (step ? [0] : []))
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + plotW * (x - xMin) / (xMax - xMin) }
        func py(_ y: Double) -> Double { top + plotH * (1 - (y - yMin) / (yMax - yMin)) }
        var ticks = ""
        for k in 0...4 {
            let v = xMin + (xMax - xMin) * Double(k) / 4
            let anchor = k == 0 ? "start" : k == 4 ? "end" : "middle"
            ticks += "<text x=\"\(px(v))\" y=\"\(height - bottom + 14)\" text-anchor=\"\(anchor)\">\(String(format: "%.3g", v))</text>"
        }
        var body = ""
        for (s, entry) in shown.enumerated() {
            let colour = colours[s % colours.count]
            if step, let first = entry.points.first {
                var line = ["\(px(first.x)),\(py(first.y))"]
                for (previous, p) in zip(entry.points, entry.points.dropFirst()) {
                    line += ["\(px(p.x)),\(py(previous.y))", "\(px(p.x)),\(py(p.y))"]
                }
                body += "<polyline points=\"\(line.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-opacity=\"0.6\"/>"
            }
            for p in entry.points {
                body += "<circle class=\"point\" data-plot=\"\(escape(plot))\" data-series=\"\(escape(entry.label))\" data-x=\"\(p.x)\" data-y=\"\(p.y)\" cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"\(step ? 2 : 2.5)\" fill=\"\(colour)\" fill-opacity=\"0.7\"><title>\(p.x): \(p.y)</title></circle>"
            }
            if shown.count > 1 {
                body += "<text x=\"\(left + 6)\" y=\"\(top + 14 + Double(s) * 13)\" fill=\"\(colour)\">\(escape(entry.label))</text>"
            }
        }
        return note + frame(body, xLabel: xLabel, yLabel: yLabel, yMin: yMin, yMax: yMax, xTicks: ticks)
    }

    /// A histogram in 20 equal bins over the data's range.
    static func histogram(_ xs: [Double], xLabel: String) -> String {
        guard !xs.isEmpty else { return "<p>No pairs.</p>" }
        let (lo, hi) = range(xs)
        let bins = 20
        var counts = Array(repeating: 0, count: bins)
        for x in xs where x.isFinite { counts[min(bins - 1, max(0, Int((x - lo) / (hi - lo) * Double(bins))))] += 1 }
        let maxCount = Double(counts.max() ?? 1)
        let plotW = width - left - right, plotH = height - top - bottom
        var body = ""
        for (i, c) in counts.enumerated() {
            let h = plotH * Double(c) / maxCount
            body += "<rect class=\"bin\" data-count=\"\(c)\" x=\"\(left + plotW * Double(i) / Double(bins))\" y=\"\(top + plotH - h)\" width=\"\(plotW / Double(bins) - 1)\" height=\"\(h)\" fill=\"#1f77b4\"/>"
        }
        let ticks = "<text x=\"\(left)\" y=\"\(height - bottom + 14)\">\(String(format: "%.4f", lo))</text><text x=\"\(width - right)\" y=\"\(height - bottom + 14)\" text-anchor=\"end\">\(String(format: "%.4f", hi))</text>"
        return frame(body, xLabel: xLabel, yLabel: "pairs", yMin: 0, yMax: maxCount, xTicks: ticks)
    }

    /// An empirical CDF (at most 400 steps drawn; the data's quantiles beyond are sampled).
    static func cdf(_ sorted: [Double], xLabel: String) -> String {
        guard !sorted.isEmpty else { return "<p>No pairs.</p>" }
        let (lo, hi) = range(sorted)
        let plotW = width - left - right, plotH = height - top - bottom
        let step = max(1, sorted.count / 400)
        var points: [String] = []
        var i = 0
        while i < sorted.count {
            let x = left + plotW * (sorted[i] - lo) / (hi - lo)
            let y = top + plotH * (1 - Double(i + 1) / Double(sorted.count))
            points.append("\(x),\(y)")
            i += step
        }
        let body = "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#d62728\"/>"
        let ticks = "<text x=\"\(left)\" y=\"\(height - bottom + 14)\">\(String(format: "%.3g", lo))</text><text x=\"\(width - right)\" y=\"\(height - bottom + 14)\" text-anchor=\"end\">\(String(format: "%.3g", hi))</text>"
        return frame(body, xLabel: xLabel, yLabel: "fraction of pairs", yMin: 0, yMax: 1, xTicks: ticks)
    }

    /// Text for HTML and SVG, with `& < > " '` escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
