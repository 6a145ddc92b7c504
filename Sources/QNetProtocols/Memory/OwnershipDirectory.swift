import QNetCore

/// Where the groups of this node's qubits are, as a directory protocol (DESIGN §3): a hint of
/// each own qubit's owner, forwarding pointers left where this node gave a group away, requests
/// parked until a group arrives, pulls in flight, and the operation ids already applied per
/// origin (requests are idempotent).
///
/// Bounded by the scenario, not by the run: entries are dropped when the qubit they are about
/// is gone (``forgetQubit(_:)``), and the tables that outlive qubits keep a fixed number of
/// recent entries (``recentLimit``).
public struct OwnershipDirectory: Sendable {
    /// Where this node believes the group of one of its own qubits is.
    var ownerHint: [QubitID: String] = [:]
    /// Forwarding pointers: groups this node gave away, by their qubits (the most recent
    /// ``forwardLimit``; a pointer is needed only while its qubit lives).
    var forward: RecentMap<QubitID, String>
    /// Requests waiting for a group to arrive here.
    var parked: [QubitID: [(origin: String, request: NodeMessage.OperationRequest)]] = [:]
    /// Pulls sent and not yet answered.
    var pulling: Set<QubitID> = []
    /// Per origin, the operation ids applied here, newest last (at most ``recentLimit``).
    var applied: [String: RecentSet] = [:]

    /// How many recent ids each bounded table keeps. Operation ids are increasing per origin and
    /// a repeat can only be a recent one (ZeroMQ keeps each pipe in order).
    public static let recentLimit = 1_024

    /// - Parameter liveQubits: how many qubits can be alive in the whole network at once (every
    ///   node's attempting or stored qubits); the forwarding table keeps 16 times as many.
    public init(liveQubits: Int) {
        forward = RecentMap(limit: max(Self.recentLimit, 16 * liveQubits))
    }

    /// Records `id` from `origin`; false when it was applied already.
    mutating func firstTime(_ id: UInt64, from origin: String) -> Bool {
        applied[origin, default: RecentSet(limit: Self.recentLimit)].insert(id)
    }

    /// The node a request about `qubit` (homed `home`) goes to when its group is not here.
    func destination(of qubit: QubitID, home: String) -> String {
        ownerHint[qubit] ?? forward[qubit] ?? home
    }

    /// The node a pull of `qubit` goes to.
    func pullTarget(of qubit: QubitID, home: String) -> String {
        forward[qubit] ?? ownerHint[qubit] ?? home
    }

    mutating func park(_ request: NodeMessage.OperationRequest, origin: String, on qubit: QubitID) {
        parked[qubit, default: []].append((origin, request))
    }

    mutating func unpark(_ qubit: QubitID) -> [(origin: String, request: NodeMessage.OperationRequest)] {
        parked.removeValue(forKey: qubit) ?? []
    }

    /// A group arrived here: its qubits' pointers and pulls are settled.
    mutating func arrived(_ qubit: QubitID, ownHome: Bool, me: String) {
        forward[qubit] = nil
        pulling.remove(qubit)
        if ownHome { ownerHint[qubit] = me }
    }

    /// The group of `qubit` left for `destination`.
    mutating func left(_ qubit: QubitID, to destination: String) { forward[qubit] = destination }

    /// Where the group of `qubit` went, when this node gave it away.
    func forwarded(_ qubit: QubitID) -> String? { forward[qubit] }

    /// `qubit` no longer exists anywhere (measured or traced out, and nothing more can name it
    /// here): its entries go.
    mutating func forgetQubit(_ qubit: QubitID) {
        ownerHint[qubit] = nil
        forward[qubit] = nil
        pulling.remove(qubit)
    }

    /// Entries in the tables (for the bounded-state tests).
    public var size: Int {
        ownerHint.count + forward.count + parked.values.reduce(0) { $0 + $1.count } + pulling.count
            + applied.values.reduce(0) { $0 + $1.count }
    }
}

/// A map that keeps only its `limit` most recently inserted keys (a re-inserted key counts as
/// new). Amortised O(1) per insertion.
struct RecentMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let limit: Int
    private var values: [Key: (value: Value, stamp: UInt64)] = [:]
    /// Insertion order, oldest first from `head`; entries whose stamp no longer matches are stale.
    private var order: [(key: Key, stamp: UInt64)] = []
    private var head = 0
    private var stamp: UInt64 = 0

    init(limit: Int) { self.limit = max(limit, 1) }

    var count: Int { values.count }

    subscript(key: Key) -> Value? {
        get { values[key]?.value }
        set {
            guard let newValue else {
                values[key] = nil
                return
            }
            stamp += 1
            values[key] = (newValue, stamp)
            order.append((key, stamp))
            while values.count > limit, head < order.count {
                let oldest = order[head]
                head += 1
                if values[oldest.key]?.stamp == oldest.stamp { values[oldest.key] = nil }
            }
            if head > 1_024 && head * 2 > order.count {
                order.removeFirst(head)
                head = 0
            }
            if order.count - head > 4 * limit {
                order = order[head...].filter { values[$0.key]?.stamp == $0.stamp }
                head = 0
            }
        }
    }
}

/// A set that keeps only its `limit` most recently inserted elements.
struct RecentSet: Sendable {
    let limit: Int
    private var members: Set<UInt64> = []
    private var order: [UInt64] = []
    private var head = 0

    init(limit: Int) { self.limit = limit }

    var count: Int { members.count }

    /// Inserts `value`; false when it was already a recent member.
    mutating func insert(_ value: UInt64) -> Bool {
        guard members.insert(value).inserted else { return false }
        if order.count < limit {
            order.append(value)
        } else {
            members.remove(order[head])
            order[head] = value
            head = (head + 1) % limit
        }
        return true
    }
}
