import QNetCore

/// Link-level request scheduling (DESIGN §6): which request the next pair of a link serves.
/// The link's master (end A) decides when it opens an attempt batch, and the label travels with
/// the batch to the station and back with the herald, so both ends agree (in the spirit of the
/// distributed queue of the link layer of Dahlberg et al., "A link layer protocol for quantum
/// networks", SIGCOMM 2019, where the master's queue decides).
public enum RequestScheduling: String, Sendable, CaseIterable {
    /// First come, first served: the earliest request that wants pairs.
    case fifo
    /// The highest priority first, first come first served among equals.
    case priority
    /// Weighted fair queueing with virtual finish times (the EGP scheduler of Dahlberg et al.
    /// 2019, after Demers, Keshav & Shenker, SIGCOMM 1989): each pair for request r advances its
    /// finish tag by 1/w_r; the smallest tag goes next, so pairs split in proportion to weights.
    case weightedFair = "weighted-fair"
    /// Earliest deadline first (Liu & Layland, "Scheduling algorithms for multiprogramming in a
    /// hard-real-time environment", J. ACM 20(1), 1973): the request whose deadline comes first;
    /// requests without a deadline go after all those with one, first come first served among
    /// themselves.
    case edf
}

/// The state of one link's request scheduler.
public struct LinkRequestScheduler: Sendable {
    public let policy: RequestScheduling
    /// Weighted fair queueing: each request's finish tag on this link.
    var finish: [RequestID: Double] = [:]
    var virtualTime = 0.0
    var backlog: Set<RequestID> = []
    /// The path each multipath request's last pair on this link went to, by request (group).
    var lastTurn: [RequestID: RequestID] = [:]

    public init(policy: RequestScheduling) { self.policy = policy }

    /// The path of `chosen`'s request whose turn it is: paths of one request (candidates of one
    /// ``RequestCandidate/group``) that share this link take it in turn, in id order, so no path
    /// of a multipath request starves the others here. (Weighted-fair needs no turns: the paths
    /// share the request's weight, and their finish tags alternate.)
    mutating func turn(of chosen: RequestCandidate, among candidates: [RequestCandidate]) -> RequestID {
        let paths = candidates.filter { $0.group == chosen.group }.map(\.id).sorted()
        guard paths.count > 1 else { return chosen.id }
        let next = lastTurn[chosen.group].flatMap { last in paths.first { $0 > last } } ?? paths[0]
        lastTurn[chosen.group] = next
        return next
    }

    /// The request the next pair serves, among `candidates` (start order), and the bookkeeping.
    /// `forced`: the pair is bound to serve that request (a stored pair of it waits at this node for
    /// this link); under weighted-fair it is charged to that request like any pair it is given, so
    /// the shares stay those of the weights.
    public mutating func choose(among candidates: [RequestCandidate], forced: RequestID? = nil) -> RequestID? {
        guard !candidates.isEmpty else { return forced }
        if let forced, policy != .weightedFair || !candidates.contains(where: { $0.id == forced }) { return forced }
        switch policy {
        case .fifo:
            return turn(of: candidates.min { ($0.start, $0.group, $0.id) < ($1.start, $1.group, $1.id) }!, among: candidates)
        case .priority:
            return turn(of: candidates.min { (-$0.priority, $0.start, $0.group, $0.id) < (-$1.priority, $1.start, $1.group, $1.id) }!,
                        among: candidates)
        case .edf:
            // Without a deadline: after every request with one, in start order among themselves.
            func key(_ c: RequestCandidate) -> (Int, VTime, VTime, RequestID, RequestID) {
                c.deadline.map { (0, $0, c.start, c.group, c.id) } ?? (1, c.start, c.start, c.group, c.id)
            }
            return turn(of: candidates.min { key($0) < key($1) }!, among: candidates)
        case .weightedFair:
            // Self-clocked fair queueing (Golestani, INFOCOM 1994): the system's virtual time is
            // the start tag of the pair last labelled; a request that (re)joins starts there.
            var best: (tag: Double, id: RequestID)?
            // A request that (re)joins the backlog starts at the current virtual time; one that
            // waited all along keeps its finish tag.
            for c in candidates where !backlog.contains(c.id) { finish[c.id] = max(finish[c.id] ?? virtualTime, virtualTime) }
            backlog = Set(candidates.map(\.id))
            for c in candidates where forced == nil || c.id == forced {
                let start = finish[c.id]!
                let tag = start + 1 / max(c.weight, 1e-12)
                if best == nil || (tag, c.id) < (best!.tag, best!.id) { best = (tag, c.id) }
            }
            let weight = candidates.first { $0.id == best!.id }!.weight
            virtualTime = best!.tag - 1 / max(weight, 1e-12)
            finish[best!.id] = best!.tag
            return best!.id
        }
    }
}
