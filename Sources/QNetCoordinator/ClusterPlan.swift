import Foundation
import QNetCore
import QNetNode
import QNetPhysics
import QNetProtocols
import QNetScenario
import QNetWire

/// The processes of a run and the classical channels between them, from a scenario.
///
/// Channels (DESIGN §4): a node and the station of one of its links are joined by that arm's
/// fibre; two nodes by the shortest fibre path between them (sum of link lengths). The delay
/// of each is L·n/c; every routed message is delivered at send time plus its channel's delay.
public struct ClusterPlan: Sendable {
    public struct Member: Sendable, Equatable {
        public var role: MessageBody.Role
        public var name: String
        /// Extra command-line arguments for this member's `qnet` subcommand.
        public var arguments: [String]
    }

    /// Where the stations run (DESIGN §1): each as its own process, or inside the coordinator.
    public enum StationPlacement: String, Sendable, CaseIterable {
        case process
        case coordinator
    }

    public let scenario: Scenario
    /// The processes the coordinator waits for (nodes, and stations when they are processes).
    public let members: [Member]
    public let stationPlacement: StationPlacement
    /// Stations run by the coordinator itself, in link order: every station with
    /// `--stations coordinator`; otherwise those of satellite links, whose pass is not carried to
    /// station processes.
    public let hostedStations: [String]
    /// Each request's paths, by request index, first path first: one path, or up to
    /// `policies.paths` under `routing: k-shortest`.
    public let paths: [[[NodeID]]]
    /// The id of each path of each request, `pathIDs[r][k]` for `paths[r][k]`, as the nodes
    /// name it (``NodeConfiguration/Request/pathIDs(pathCounts:)``).
    public let pathIDs: [[RequestID]]
    /// The request and path index of each path id.
    public let pathsByID: [RequestID: (request: Int, path: Int)]
    /// delay[source][destination]; absent: no channel. On a channel over a satellite link this
    /// is the shortest delay of the pass (the bound the clock relies on).
    public let delays: [String: [String: VDuration]]
    /// The satellite links each channel crosses, by source and destination (absent: none).
    public let satelliteHops: [String: [String: [LinkID]]]

    /// - Throws: a one-line reason when the scenario needs something this version does not
    ///   run (the realtime clock; requests whose paths cross; multi-hop requests without swapping).
    public init(scenario: Scenario, stations: StationPlacement = .process) throws(ShellError) {
        self.scenario = scenario
        stationPlacement = stations
        hostedStations = scenario.links.filter { link in
            if stations == .coordinator { return true }
            if case .satellite = link.medium { return true }
            return false
        }.map { scenario.stationName(of: $0) }
        var members: [Member] = []
        var delays: [String: [String: VDuration]] = [:]
        var hops: [String: [String: [LinkID]]] = [:]
        for node in scenario.nodes {
            members.append(Member(role: .node, name: node.name, arguments: []))
        }
        for link in scenario.links {
            let station = scenario.stationName(of: link)
            if !hostedStations.contains(station) {
                members.append(Member(role: .station, name: station, arguments: ["--link", "\(link.id.rawValue)"]))
            }
            let a = scenario.node(link.a).name, b = scenario.node(link.b).name
            // The clock counts whole picoseconds: an arm shorter than light travels in 1 ps (0.2 mm
            // of fibre) counts as 1 ps, so every channel has a delay (the lockstep clock needs one).
            let armA = max(link.armA.delay, Self.shortestDelay), armB = max(link.armB.delay, Self.shortestDelay)
            delays[a, default: [:]][station] = armA
            delays[station, default: [:]][a] = armA
            delays[b, default: [:]][station] = armB
            delays[station, default: [:]][b] = armB
            for (end, arm) in [(a, link.armA), (b, link.armB)] where arm.satellite != nil {
                hops[end, default: [:]][station] = [link.id]
                hops[station, default: [:]][end] = [link.id]
            }
        }
        // Node-to-node: shortest fibre path (Dijkstra over links from every node, with a heap:
        // O(n (n + links) log n) for the n² channels).
        let n = scenario.nodes.count
        var adjacent = [[(node: Int, delay: UInt64, satellite: LinkID?)]](repeating: [], count: n)
        for link in scenario.links {
            let w = max((link.armA.delay + link.armB.delay).picoseconds, Self.shortestDelay.picoseconds)
            let satellite = link.satellite != nil ? link.id : nil
            adjacent[Int(link.a.rawValue)].append((Int(link.b.rawValue), w, satellite))
            adjacent[Int(link.b.rawValue)].append((Int(link.a.rawValue), w, satellite))
        }
        for source in 0..<n {
            var best = [UInt64](repeating: .max, count: n)
            var done = [Bool](repeating: false, count: n)
            var via = [[LinkID]](repeating: [], count: n)
            var queue = EventQueue<Int>()
            best[source] = 0
            queue.schedule(source, at: .zero)
            while let (time, u) = queue.popNext() {
                guard !done[u] else { continue }
                done[u] = true
                for (v, w, satellite) in adjacent[u] {
                    // Saturating: a parsed scenario's lengths keep every sum far below 2^64 ps.
                    let (sum, overflow) = time.picoseconds.addingReportingOverflow(w)
                    if !overflow && sum < best[v] {
                        best[v] = sum
                        via[v] = via[u] + (satellite.map { [$0] } ?? [])
                        queue.schedule(v, at: VTime(picoseconds: sum))
                    }
                }
            }
            let name = scenario.nodes[source].name
            for target in 0..<n where target != source && best[target] != .max {
                delays[name, default: [:]][scenario.nodes[target].name] = VDuration(picoseconds: best[target])
                if !via[target].isEmpty { hops[name, default: [:]][scenario.nodes[target].name] = via[target] }
            }
        }
        // Controller placement: the controller shares its site's channels (to the site itself,
        // the clock's resolution). The clock graph counts it like a station run here: it answers
        // on arrival, so its decisions reach a node no earlier than through both legs.
        if let site = scenario.policies.controllerAt, scenario.policies.placement == .controller {
            let siteName = scenario.node(site).name, controller = Scenario.controllerName
            for node in scenario.nodes {
                let d = node.name == siteName ? Self.shortestDelay : delays[node.name]?[siteName]
                guard let d else { continue }
                delays[node.name, default: [:]][controller] = d
                delays[controller, default: [:]][node.name] = d
                if let via = hops[node.name]?[siteName] {
                    hops[node.name, default: [:]][controller] = via
                    hops[controller, default: [:]][node.name] = via
                }
            }
        }
        // Every request's paths (the routing policy's, or the scenario's route table). Requests
        // may share links and nodes; an intermediate node needs two memory qubits to swap.
        let file = scenario.file
        let routed: [[[NodeID]]]
        do { routed = try scenario.requestPaths() } catch { throw ShellError("\(file): \(error)") }
        var paths: [[[NodeID]]] = []
        for request in scenario.requests {
            let r = Int(request.id.rawValue)
            let from = scenario.node(request.from).name, to = scenario.node(request.to).name
            guard !routed[r].isEmpty else {
                throw ShellError("\(file): requests[\(r)]: no path of links from \(from) to \(to)")
            }
            for (k, path) in routed[r].enumerated() {
                try Self.check(path, index: k, of: routed[r].count, request: request, in: scenario)
            }
            try Self.checkMemory(routed[r], request: request, in: scenario)
            // Under controller placement every node on a path talks to the controller: one with
            // no classical channel to its site would never hear its decisions.
            if let site = scenario.policies.controllerAt, scenario.policies.placement == .controller {
                let siteName = scenario.node(site).name
                for node in Set(routed[r].joined()).sorted() where delays[scenario.node(node).name]?[Scenario.controllerName] == nil {
                    throw ShellError("\(file): requests[\(r)] (\(from) to \(to)): its node \(scenario.node(node).name) has no classical channel to policies.controllerAt \(siteName), where the controller runs; choose a controllerAt every request's nodes can reach")
                }
            }
            paths.append(routed[r])
        }
        self.paths = paths
        try Self.checkSwapOnlySettings(scenario, swapping: Set(paths.joined().flatMap { $0.dropFirst().dropLast() }))
        pathIDs = NodeConfiguration.Request.pathIDs(pathCounts: paths.map(\.count))
        var byID: [RequestID: (request: Int, path: Int)] = [:]
        for (r, ids) in pathIDs.enumerated() {
            for (k, id) in ids.enumerated() { byID[id] = (r, k) }
        }
        pathsByID = byID
        self.members = members
        self.delays = delays
        satelliteHops = hops
    }

    /// Accepted means modelled: a `memory.gateFidelity` or `bellMeasurement.successProbability`
    /// below 1 is read only by swaps, so one set on a node that swaps on no path (or in
    /// `defaults`, when no node swaps) would change nothing. Known only after routing, reported
    /// at its place in the file.
    static func checkSwapOnlySettings(_ scenario: Scenario, swapping: Set<NodeID>) throws(ShellError) {
        for setting in scenario.swapOnlyPlaces {
            let unused: String
            if let node = setting.node {
                guard !swapping.contains(node) else { continue }
                unused = "\(scenario.node(node).name) swaps on no request's path"
            } else {
                guard swapping.isEmpty else { continue }
                unused = "no request's path swaps at any node"
            }
            throw ShellError(ScenarioError(
                file: scenario.file, line: setting.place.line, column: setting.place.column, keyPath: setting.place.keyPath,
                code: .notModelled, message: "only an entanglement swap reads it, and \(unused), so it would change nothing",
                allowed: "remove it, or set it on a node a request's path swaps at").description)
        }
    }

    /// Checks one path of `request` against the swap policy: a path of several links needs
    /// swapping, and nested swapping needs 2, 4, 8, ... links. `index` and `count` name the path
    /// among the request's paths when it has several.
    static func check(_ path: [NodeID], index: Int, of count: Int, request: RequestSpec, in scenario: Scenario) throws(ShellError) {
        let r = Int(request.id.rawValue)
        let file = scenario.file
        let from = scenario.node(request.from).name, to = scenario.node(request.to).name
        let names = path.map { scenario.node($0).name }.joined(separator: ">")
        let which = count > 1 ? "its path \(index) (\(names), of \(count) by policies.routing: k-shortest)" : "the path \(names)"
        if path.count > 2 && scenario.policies.swap == .none {
            let detail = count > 1 ? " (\(which))" : ""
            throw ShellError("\(file): requests[\(r)]: \(from) → \(to) needs entanglement swapping\(detail), but policies.swap is none; allowed: asap, sequential, nested")
        }
        let hops = path.count - 1
        if scenario.policies.swap == .nested && hops > 1 && hops & (hops - 1) != 0 {
            throw ShellError("\(file): requests[\(r)]: \(which) has \(hops) links, but policies.swap nested doubles segments; allowed: paths of 2, 4, 8, ... links (or policies.swap: asap or sequential\(count > 1 ? ", or fewer policies.paths" : ""))")
        }
    }

    /// Checks that every node on `request`'s paths has memory for all of them at once: one qubit
    /// for each path it ends, two for each path it swaps on (a node on the paths of different
    /// requests shares its qubits among them, as link generation decides). Found only after
    /// routing, but reported like a loading error: the request's line, and where the node's
    /// memory size was set.
    static func checkMemory(_ paths: [[NodeID]], request: RequestSpec, in scenario: Scenario) throws(ShellError) {
        var needed: [NodeID: (qubits: Int, swaps: [Int], ends: Int)] = [:]  // at most the paths' nodes
        for (k, path) in paths.enumerated() {
            for (position, node) in path.enumerated() {
                let swaps = position > 0 && position < path.count - 1
                var n = needed[node] ?? (0, [], 0)
                n.qubits += swaps ? 2 : 1
                if swaps { n.swaps.append(k) } else { n.ends += 1 }
                needed[node] = n
            }
        }
        for (node, n) in needed.sorted(by: { $0.key < $1.key }) where scenario.node(node).memory.qubits < n.qubits {
            let i = Int(node.rawValue)
            let name = scenario.node(node).name
            let qubits = scenario.node(node).memory.qubits
            let origin = (i < scenario.qubitsPlaces.count ? scenario.qubitsPlaces[i] : nil)
                .map { " (\($0.keyPath) at line \($0.line ?? 0))" } ?? " (the built-in default)"
            let error: ScenarioError
            if paths.count == 1 {
                let path = paths[0].map { scenario.node($0).name }.joined(separator: ">")
                error = scenario.error(
                    .conflict, request: request.id, "its path \(path) swaps at \(name), which has \(qubits) memory qubit\(origin)",
                    allowed: "a swap needs 2 (set memory.qubits ≥ 2 there, or route around it)")
            } else {
                // A request's ends are on every path; any other node only swaps.
                let role = n.ends > 0
                    ? "ends all \(paths.count) of its paths"
                    : "swaps on its path\(n.swaps.count > 1 ? "s" : "") \(n.swaps.map(String.init).joined(separator: ", ")) (of \(paths.count))"
                error = scenario.error(
                    .conflict, request: request.id,
                    "\(name) \(role) under policies.routing: k-shortest, and has \(qubits) memory qubit\(qubits == 1 ? "" : "s")\(origin)",
                    allowed: "one qubit per path it ends and two per path it swaps on, \(n.qubits) here (set memory.qubits ≥ \(n.qubits) there, or fewer policies.paths)")
            }
            throw ShellError(error.description)
        }
    }

    /// The shortest channel delay: the clock's resolution.
    public static let shortestDelay = VDuration(picoseconds: 1)

    /// Every classical channel (hosted stations included: they relay the clock's causality).
    public var channels: [(from: String, to: String, delay: VDuration)] {
        delays.keys.sorted().flatMap { from in delays[from]!.keys.sorted().map { (from, $0, delays[from]![$0]!) } }
    }

    /// The modeled delay from `source` to `destination`, or nil without a channel.
    public func delay(from source: String, to destination: String) -> VDuration? {
        delays[source]?[destination]
    }

    /// The modeled delay of a message sent at `time`: over a satellite link, the slant delay at
    /// that time in place of the pass's shortest; a message sent while a satellite on its way is
    /// below the minimum elevation waits until it rises (`whenDown: wait`), and its delay counts
    /// the wait. `.never` when a satellite link on the way has set for good; nil without a channel.
    /// (Several satellite hops are each taken at the send time, or at their rise.)
    public func delay(from source: String, to destination: String, at time: VTime) -> TimedDelay? {
        guard let base = delays[source]?[destination] else { return nil }
        guard let hops = satelliteHops[source]?[destination] else { return .after(base) }
        var delay = base
        for id in hops {
            guard let pass = scenario.link(id).satellite?.pass else { continue }
            var t = time.seconds, wait = VDuration.zero
            if t > pass.endSeconds { return .never(id) }
            if t < pass.startSeconds {
                let rise = VTime.zero + VDuration(seconds: pass.startSeconds)
                wait = rise > time ? rise - time : .zero
                t = pass.startSeconds
            }
            let extra = pass.delay(atSeconds: t).picoseconds.subtractingReportingOverflow(pass.delay(atSeconds: pass.culminationSeconds).picoseconds)
            delay = delay + wait + VDuration(picoseconds: extra.overflow ? 0 : extra.partialValue)
        }
        return .after(delay)
    }

    /// A message's delay over a channel that may cross satellite links.
    public enum TimedDelay: Equatable, Sendable {
        case after(VDuration)
        /// This satellite link on the way has set and will not rise again in this run.
        case never(LinkID)
    }
}
