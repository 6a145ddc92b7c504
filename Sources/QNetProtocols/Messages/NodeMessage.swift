import QNetCore

/// The node runtime's message vocabulary: what nodes and stations say to each other (heralding,
/// feed-forward, delivered pairs) and the quantum-state backplane (group transfers, operation
/// requests). These are plain values; QNetWire carries them as protobuf (`Protos/qnet/v1`), and
/// `MessageBody` names them under its own namespace (`MessageBody.Herald` is
/// ``NodeMessage/Herald``).
public enum NodeMessage: Hashable, Sendable {
    case attemptBatch(AttemptBatch)
    case herald(Herald)
    case attemptsExhausted(AttemptsExhausted)
    case attemptWithdraw(AttemptWithdraw)
    case feedForward(FeedForward)
    case requestServed(RequestServed)
    case pairDelivered(PairDelivered)
    case groupTransfer(GroupTransfer)
    case operationRequest(OperationRequest)
    case operationResult(OperationResult)
    case observationReport(ObservationReport)
    case decisionSet(DecisionSet)

    /// Backplane traffic (quantum-state bookkeeping) costs no virtual time and is handled on
    /// arrival (DESIGN §3); everything else is routed with its channel's delay.
    public var isBackplane: Bool {
        switch self {
        case .groupTransfer, .operationRequest, .operationResult: true
        default: false
        }
    }
}
