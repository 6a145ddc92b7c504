import QNetCore

/// What happens to a node runtime: a routed message at its delivery time, a backplane message
/// on arrival, or one of its own timers (DESIGN §5: events in).
public enum NodeEvent: Sendable {
    /// A routed control-plane message from `source`, handled now; `sent` and `due` are its send
    /// time and its modeled delivery time (send + channel delay; later than now only never).
    case message(NodeMessage, source: String, sent: VTime, due: VTime)
    /// Quantum-state bookkeeping from `source` (costs no virtual time; DESIGN §3).
    case backplane(NodeMessage, source: String)
    /// A timer this runtime scheduled.
    case timer(NodeTimer)
}

/// A timer as data (DESIGN §5): the shell keeps it in its event queue and hands it back.
public enum NodeTimer: Hashable, Sendable {
    /// A request's start time has come.
    case requestStart(RequestID)
    /// A stored pair's cutoff: discard it if it is still stored and unused.
    case cutoff(QubitID)
    /// A stored pair that waits for its swap partner has waited long enough: discard it if it
    /// still waits (no cycle of nodes can then wait on each other forever).
    case patience(QubitID)
    /// Swap these two stored pairs (a scheduler decision, carried out after the current event).
    case swap(QubitID, QubitID)
    /// A request's deadline: if it is not served by now, the scheduler hears it expired.
    case deadline(RequestID)
}

/// What a node runtime asks its shell to do (DESIGN §5: directives out).
public enum NodeDirective: Sendable, Equatable {
    /// Send `message` to `destination` (empty: the coordinator's metrics sink), stamped now.
    case send(NodeMessage, to: String)
    /// Hand `timer` back at `time` (not before now).
    case schedule(NodeTimer, at: VTime)
    /// One line for the log.
    case warn(String)
}
