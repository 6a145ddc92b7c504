import QNetProtocols

// The node runtime's vocabulary (QNetProtocols) under MessageBody's namespace, and the mapping
// between a runtime message and an envelope body.

extension MessageBody {
    public typealias BellState = NodeMessage.BellState
    public typealias EmissionParameters = NodeMessage.EmissionParameters
    public typealias AttemptBatch = NodeMessage.AttemptBatch
    public typealias Herald = NodeMessage.Herald
    public typealias AttemptsExhausted = NodeMessage.AttemptsExhausted
    public typealias AttemptWithdraw = NodeMessage.AttemptWithdraw
    public typealias RequestServed = NodeMessage.RequestServed
    public typealias PauliCorrection = NodeMessage.PauliCorrection
    public typealias FeedForward = NodeMessage.FeedForward
    public typealias PairDelivered = NodeMessage.PairDelivered
    public typealias GroupState = NodeMessage.GroupState
    public typealias GroupTransfer = NodeMessage.GroupTransfer
    public typealias OperationKind = NodeMessage.OperationKind
    public typealias OperationRequest = NodeMessage.OperationRequest
    public typealias Take = NodeMessage.Take
    public typealias LinkPair = NodeMessage.LinkPair
    public typealias OperationResult = NodeMessage.OperationResult
    public typealias ObservationReport = NodeMessage.ObservationReport
    public typealias DecisionSet = NodeMessage.DecisionSet

    /// The envelope body carrying a runtime message.
    public init(_ message: NodeMessage) {
        switch message {
        case let .attemptBatch(m): self = .attemptBatch(m)
        case let .herald(m): self = .herald(m)
        case let .attemptsExhausted(m): self = .attemptsExhausted(m)
        case let .attemptWithdraw(m): self = .attemptWithdraw(m)
        case let .feedForward(m): self = .feedForward(m)
        case let .requestServed(m): self = .requestServed(m)
        case let .pairDelivered(m): self = .pairDelivered(m)
        case let .groupTransfer(m): self = .groupTransfer(m)
        case let .operationRequest(m): self = .operationRequest(m)
        case let .operationResult(m): self = .operationResult(m)
        case let .observationReport(m): self = .observationReport(m)
        case let .decisionSet(m): self = .decisionSet(m)
        }
    }

    /// The runtime message this body carries, or nil for control and clock traffic.
    public var nodeMessage: NodeMessage? {
        switch self {
        case let .attemptBatch(m): .attemptBatch(m)
        case let .herald(m): .herald(m)
        case let .attemptsExhausted(m): .attemptsExhausted(m)
        case let .attemptWithdraw(m): .attemptWithdraw(m)
        case let .feedForward(m): .feedForward(m)
        case let .requestServed(m): .requestServed(m)
        case let .pairDelivered(m): .pairDelivered(m)
        case let .groupTransfer(m): .groupTransfer(m)
        case let .operationRequest(m): .operationRequest(m)
        case let .operationResult(m): .operationResult(m)
        case let .observationReport(m): .observationReport(m)
        case let .decisionSet(m): .decisionSet(m)
        default: nil
        }
    }
}
