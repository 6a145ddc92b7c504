import QNetCore

/// Node runtimes and stations wired together in one process, with a manual clock: a
/// deterministic discrete-event driver for unit tests of the runtime (no processes, no
/// sockets). It carries directives out the way the shells do under the lockstep clock:
///
/// - a routed message is handled at its send time plus the channel's modeled delay;
/// - a backplane message is handled on arrival, before the clock moves on, in send order per
///   pipe (DESIGN §3: it costs no virtual time);
/// - a node with a swap waiting for state (``NodeRuntime/waitingSince``) handles nothing later
///   than that time until the state has arrived; then ``NodeRuntime/resume(at:)`` goes on.
public struct InMemoryNetwork: Sendable {
    public private(set) var nodes: [String: NodeRuntime]
    public private(set) var stations: [String: StationRuntime]
    /// Modeled one-way delays, `delays[source][destination]`.
    let delays: [String: [String: VDuration]]
    /// Current virtual time.
    public private(set) var now: VTime = .zero
    /// Pairs the owners recorded, in the order they were recorded.
    public private(set) var delivered: [NodeMessage.PairDelivered] = []
    /// Every routed message: (send time, delivery time, source, destination, message).
    public private(set) var routed: [(sent: VTime, due: VTime, source: String, destination: String, message: NodeMessage)] = []
    /// Log lines from the runtimes.
    public private(set) var warnings: [String] = []
    /// Backplane messages handled.
    public private(set) var backplaneCount = 0
    /// Record every routed message in ``routed`` (off for long runs).
    public var keepsRoutedLog = true

    enum Item: Sendable {
        case message(NodeMessage, source: String, destination: String, sent: VTime, due: VTime)
        case timer(NodeTimer, node: String)
    }
    var queue = EventQueue<Item>()
    var backplane: [(source: String, destination: String, message: NodeMessage)] = []
    /// Items for a node that is waiting for state, kept until it goes on.
    var deferred: [String: [(VTime, Item)]] = [:]

    /// - Parameter delays: the modeled delay of every channel (node ↔ its stations, node ↔ node).
    public init(nodes: [NodeRuntime], stations: [StationRuntime], delays: [String: [String: VDuration]]) {
        var byName: [String: NodeRuntime] = [:]
        for node in nodes { byName[node.configuration.name] = node }
        self.nodes = byName
        var stationsByName: [String: StationRuntime] = [:]
        for s in stations { stationsByName[Self.stationName(s)] = s }
        self.stations = stationsByName
        self.delays = delays
    }

    static func stationName(_ s: StationRuntime) -> String { "station-\(s.ends[0])-\(s.ends[1])" }

    /// Starts every node at time zero.
    public mutating func start() {
        for name in nodes.keys.sorted() {
            let directives = nodes[name]!.start()
            carryOut(directives, from: name, at: .zero)
        }
        drainBackplane()
    }

    /// Runs events until `limit` virtual time, `until` is true, or nothing is left.
    public mutating func run(until limit: VTime, stopWhen until: (InMemoryNetwork) -> Bool = { _ in false }) {
        while let next = queue.nextTime, next < limit, !until(self) {
            let (time, item) = queue.popNext()!
            now = max(now, time)
            handle(item, at: time)
            drainBackplane()
        }
    }

    mutating func handle(_ item: Item, at time: VTime) {
        switch item {
        case let .message(message, source, destination, sent, due):
            if var station = stations[destination] {
                let response = station.respond(to: message, from: source, at: time)
                stations[destination] = station
                switch response {
                case let .send(outgoing):
                    for o in outgoing { route(o.message, from: destination, to: o.destination, at: max(o.time, time)) }
                case let .ignored(line):
                    warnings.append("\(destination): \(line)")
                }
                return
            }
            guard var node = nodes[destination] else { return }
            if node.waitingSince != nil {
                deferred[destination, default: []].append((time, item))
                return
            }
            let directives = node.handle(.message(message, source: source, sent: sent, due: due), at: time)
            nodes[destination] = node
            carryOut(directives, from: destination, at: time)
        case let .timer(timer, name):
            guard var node = nodes[name] else { return }
            if node.waitingSince != nil {
                deferred[name, default: []].append((time, item))
                return
            }
            let directives = node.handle(.timer(timer), at: time)
            nodes[name] = node
            carryOut(directives, from: name, at: time)
        }
    }

    mutating func carryOut(_ directives: [NodeDirective], from source: String, at time: VTime) {
        for directive in directives {
            switch directive {
            case let .send(message, destination):
                if message.isBackplane {
                    backplane.append((source, destination, message))
                } else if destination.isEmpty {
                    if case let .pairDelivered(pair) = message { delivered.append(pair) }
                } else {
                    route(message, from: source, to: destination, at: time)
                }
            case let .schedule(timer, at):
                queue.schedule(.timer(timer, node: source), at: max(at, time))
            case let .warn(line):
                warnings.append("\(source): \(line)")
            }
        }
    }

    mutating func route(_ message: NodeMessage, from source: String, to destination: String, at time: VTime) {
        guard let delay = delays[source]?[destination] else {
            warnings.append("\(source): no channel to '\(destination)' for \(message.typeName)")
            return
        }
        let due = time.saturatingAdding(delay)
        if keepsRoutedLog { routed.append((time, due, source, destination, message)) }
        queue.schedule(.message(message, source: source, destination: destination, sent: time, due: due), at: due)
    }

    /// Backplane messages are handled on arrival, in order; a node waiting for state goes on
    /// when it arrives.
    mutating func drainBackplane() {
        while !backplane.isEmpty {
            let (source, destination, message) = backplane.removeFirst()
            guard var node = nodes[destination] else { continue }
            backplaneCount += 1
            let wasWaiting = node.waitingSince != nil
            let directives = node.handle(.backplane(message, source: source), at: now)
            var resumed: [(time: VTime, directives: [NodeDirective])] = []
            if wasWaiting { resumed = node.resume() }
            let nowFree = node.waitingSince == nil
            nodes[destination] = node
            carryOut(directives, from: destination, at: now)
            for (time, d) in resumed { carryOut(d, from: destination, at: time) }
            if wasWaiting && nowFree, let items = deferred.removeValue(forKey: destination) {
                for (time, item) in items { queue.schedule(item, at: time) }
            }
        }
    }
}
