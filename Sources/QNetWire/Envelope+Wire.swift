import QNetCore

extension Envelope {
    /// Converts a decoded protobuf envelope, checking version, body and fields.
    init(wire: Qnet_V1_Envelope) throws(WireError) {
        guard wire.version == WireCodec.protocolVersion else {
            throw WireError(
                .wrongVersion,
                "envelope version \(wire.version) is not the supported version \(WireCodec.protocolVersion)")
        }
        guard let body = wire.body else {
            let hint = wire.unknownFields.data.isEmpty ? "" : " (it carries fields this version does not know)"
            throw WireError(.unknownType, "envelope from '\(wire.source)' has no known body\(hint)")
        }
        self.init(
            source: try Check.processName(wire.source, "envelope.source"),
            destination: wire.destination,
            sendTime: VTime(picoseconds: wire.sendTimePs),
            deliveryTime: VTime(picoseconds: wire.deliveryTimePs),
            sequence: wire.sequence,
            body: try MessageBody(wire: body))
    }

    /// The protobuf form, stamped with ``WireCodec/protocolVersion``.
    var wire: Qnet_V1_Envelope {
        var wire = Qnet_V1_Envelope()
        wire.version = WireCodec.protocolVersion
        wire.source = source
        wire.destination = destination
        wire.sendTimePs = sendTime.picoseconds
        wire.deliveryTimePs = deliveryTime.picoseconds
        wire.sequence = sequence
        wire.body = body.wire
        return wire
    }
}

extension MessageBody {
    init(wire: Qnet_V1_Envelope.OneOf_Body) throws(WireError) {
        switch wire {
        case .hello(let body): self = .hello(try Hello(wire: body))
        case .welcome(let body): self = .welcome(try Welcome(wire: body))
        case .ready(let body): self = .ready(Ready(wire: body))
        case .start(let body): self = .start(try Start(wire: body))
        case .shutdown(let body): self = .shutdown(try Shutdown(wire: body))
        case .heartbeat(let body): self = .heartbeat(Heartbeat(wire: body))
        case .grant(let body): self = .grant(Grant(wire: body))
        case .windowDone(let body): self = .windowDone(WindowDone(wire: body))
        case .clockPing(let body): self = .clockPing(ClockPing(wire: body))
        case .clockPong(let body): self = .clockPong(ClockPong(wire: body))
        case .epochAnnounce(let body): self = .epochAnnounce(try EpochAnnounce(wire: body))
        case .attemptBatch(let body): self = .attemptBatch(try AttemptBatch(wire: body))
        case .herald(let body): self = .herald(try Herald(wire: body))
        case .attemptsExhausted(let body): self = .attemptsExhausted(AttemptsExhausted(wire: body))
        case .attemptWithdraw(let body): self = .attemptWithdraw(AttemptWithdraw(wire: body))
        case .feedForward(let body): self = .feedForward(try FeedForward(wire: body))
        case .requestServed(let body): self = .requestServed(RequestServed(wire: body))
        case .pairDelivered(let body): self = .pairDelivered(try PairDelivered(wire: body))
        case .metrics(let body): self = .metrics(Metrics(wire: body))
        case .deliveryReceipts(let body): self = .deliveryReceipts(try DeliveryReceipts(wire: body))
        case .observationReport(let body): self = .observationReport(try ObservationReport(wire: body))
        case .decisionSet(let body): self = .decisionSet(try DecisionSet(wire: body))
        case .groupTransfer(let body): self = .groupTransfer(try GroupTransfer(wire: body))
        case .operationRequest(let body): self = .operationRequest(try OperationRequest(wire: body))
        case .operationResult(let body): self = .operationResult(try OperationResult(wire: body))
        }
    }

    var wire: Qnet_V1_Envelope.OneOf_Body {
        switch self {
        case .hello(let body): .hello(body.wire)
        case .welcome(let body): .welcome(body.wire)
        case .ready(let body): .ready(body.wire)
        case .start(let body): .start(body.wire)
        case .shutdown(let body): .shutdown(body.wire)
        case .heartbeat(let body): .heartbeat(body.wire)
        case .grant(let body): .grant(body.wire)
        case .windowDone(let body): .windowDone(body.wire)
        case .clockPing(let body): .clockPing(body.wire)
        case .clockPong(let body): .clockPong(body.wire)
        case .epochAnnounce(let body): .epochAnnounce(body.wire)
        case .attemptBatch(let body): .attemptBatch(body.wire)
        case .herald(let body): .herald(body.wire)
        case .attemptsExhausted(let body): .attemptsExhausted(body.wire)
        case .attemptWithdraw(let body): .attemptWithdraw(body.wire)
        case .feedForward(let body): .feedForward(body.wire)
        case .requestServed(let body): .requestServed(body.wire)
        case .pairDelivered(let body): .pairDelivered(body.wire)
        case .metrics(let body): .metrics(body.wire)
        case .deliveryReceipts(let body): .deliveryReceipts(body.wire)
        case .observationReport(let body): .observationReport(body.wire)
        case .decisionSet(let body): .decisionSet(body.wire)
        case .groupTransfer(let body): .groupTransfer(body.wire)
        case .operationRequest(let body): .operationRequest(body.wire)
        case .operationResult(let body): .operationResult(body.wire)
        }
    }
}
