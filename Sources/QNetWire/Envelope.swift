import QNetCore

/// One routed message: who sent it to whom, when, and what it says.
///
/// The hand-written mirror of `qnet.v1.Envelope`; encode and decode it with
/// ``WireCodec``. Times are virtual.
public struct Envelope: Hashable, Sendable {
    /// Name (routing identity) of the sending process; never empty.
    public var source: String
    /// Name of the destination process; empty means the coordinator.
    public var destination: String
    /// Sender's virtual time when the message was sent.
    public var sendTime: VTime
    /// Virtual time at which the destination observes the message: send time
    /// plus the modeled channel delay. ``VTime/zero`` for control traffic
    /// outside virtual time.
    public var deliveryTime: VTime
    /// Per-source sequence number, from 1, strictly increasing.
    public var sequence: UInt64
    /// The message itself.
    public var body: MessageBody

    public init(
        source: String, destination: String = "", sendTime: VTime = .zero,
        deliveryTime: VTime = .zero, sequence: UInt64, body: MessageBody
    ) {
        self.source = source
        self.destination = destination
        self.sendTime = sendTime
        self.deliveryTime = deliveryTime
        self.sequence = sequence
        self.body = body
    }
}

/// The typed body of an ``Envelope``; one case per `oneof body` member of
/// `qnet.v1.Envelope`. The payload types are nested in this enum's namespace
/// (`MessageBody.Herald`, ...).
public enum MessageBody: Hashable, Sendable {
    // Control plane.
    /// A process introduces itself to the coordinator.
    case hello(Hello)
    /// The coordinator's answer to ``hello(_:)``.
    case welcome(Welcome)
    /// A process is set up and ready to start.
    case ready(Ready)
    /// The coordinator starts the run.
    case start(Start)
    /// The run, or one process, is ending.
    case shutdown(Shutdown)
    /// Liveness signal.
    case heartbeat(Heartbeat)

    // Virtual clock.
    /// Lockstep: run up to a horizon.
    case grant(Grant)
    /// Lockstep: the granted window is done.
    case windowDone(WindowDone)
    /// Realtime: clock-offset probe.
    case clockPing(ClockPing)
    /// Realtime: answer to a clock-offset probe.
    case clockPong(ClockPong)
    /// Realtime: the wall-clock to virtual-time mapping.
    case epochAnnounce(EpochAnnounce)

    // Physical layer.
    /// A node announces a batch of entanglement attempts to a station.
    case attemptBatch(AttemptBatch)
    /// A station heralds a successful attempt.
    case herald(Herald)
    /// No attempt in a batch succeeded.
    case attemptsExhausted(AttemptsExhausted)
    /// A node withdraws a batch that has not succeeded.
    case attemptWithdraw(AttemptWithdraw)

    // Protocol layer.
    /// A Pauli correction after a swap or teleportation.
    case feedForward(FeedForward)
    /// An end of a request has taken every pair it asked for.
    case requestServed(RequestServed)
    /// A pair was delivered to the application.
    case pairDelivered(PairDelivered)
    /// Counters for the metrics sink.
    case metrics(Metrics)
    /// Realtime clock: when routed messages were delivered.
    case deliveryReceipts(DeliveryReceipts)
    /// Controller placement: a node's observation for the controller.
    case observationReport(ObservationReport)
    /// Controller placement: the controller's decisions for a node.
    case decisionSet(DecisionSet)

    // Backplane.
    /// Ownership of a group's state moves to the destination.
    case groupTransfer(GroupTransfer)
    /// A home node asks an owner to apply an operation.
    case operationRequest(OperationRequest)
    /// The owner's answer to an operation request.
    case operationResult(OperationResult)

    /// The body's schema name, e.g. `"herald"`, for logs and `events.jsonl`.
    public var typeName: String {
        switch self {
        case .hello: "hello"
        case .welcome: "welcome"
        case .ready: "ready"
        case .start: "start"
        case .shutdown: "shutdown"
        case .heartbeat: "heartbeat"
        case .grant: "grant"
        case .windowDone: "window_done"
        case .clockPing: "clock_ping"
        case .clockPong: "clock_pong"
        case .epochAnnounce: "epoch_announce"
        case .attemptBatch: "attempt_batch"
        case .herald: "herald"
        case .attemptsExhausted: "attempts_exhausted"
        case .attemptWithdraw: "attempt_withdraw"
        case .feedForward: "feed_forward"
        case .requestServed: "request_served"
        case .pairDelivered: "pair_delivered"
        case .metrics: "metrics"
        case .deliveryReceipts: "delivery_receipts"
        case .observationReport: "observation_report"
        case .decisionSet: "decision_set"
        case .groupTransfer: "group_transfer"
        case .operationRequest: "operation_request"
        case .operationResult: "operation_result"
        }
    }

    /// Whether the body is quantum-state backplane traffic, which costs no
    /// virtual time and is counted separately from control-plane messages.
    public var isBackplane: Bool {
        switch self {
        case .groupTransfer, .operationRequest, .operationResult: true
        default: false
        }
    }
}
