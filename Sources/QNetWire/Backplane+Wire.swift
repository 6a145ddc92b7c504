import QNetCore

extension MessageBody.GroupState {
    init(wire: Qnet_V1_GroupState, field: String) throws(WireError) {
        let qubitCount = wire.qubitIds.count
        try Check.require(
            (1...Self.maxQubits).contains(qubitCount), "\(field).qubit_ids",
            "\(qubitCount) qubits; a group has 1 to \(Self.maxQubits)")
        try Check.require(
            Set(wire.qubitIds).count == qubitCount, "\(field).qubit_ids", "a qubit appears twice")
        try Check.require(
            wire.lastTouchedPs.count == qubitCount, "\(field).last_touched_ps",
            "\(wire.lastTouchedPs.count) times for \(qubitCount) qubits")
        let entries = 1 << (2 * qubitCount)
        try Check.require(
            wire.re.count == entries && wire.im.count == entries, "\(field).re/im",
            "\(wire.re.count) real and \(wire.im.count) imaginary entries; \(qubitCount) qubits need \(entries)")
        try Check.require(
            wire.re.allSatisfy(\.isFinite) && wire.im.allSatisfy(\.isFinite), "\(field).re/im",
            "an entry is not finite")
        self.init(
            groupID: GroupID(wire.groupID), qubits: wire.qubitIds.map(QubitID.init),
            lastTouched: wire.lastTouchedPs.map(VTime.init(picoseconds:)), real: wire.re, imaginary: wire.im)
    }

    var wire: Qnet_V1_GroupState {
        var wire = Qnet_V1_GroupState()
        wire.groupID = groupID.rawValue
        wire.qubitIds = qubits.map(\.rawValue)
        wire.lastTouchedPs = lastTouched.map(\.picoseconds)
        wire.re = real
        wire.im = imaginary
        return wire
    }
}

extension MessageBody.GroupTransfer {
    init(wire: Qnet_V1_GroupTransfer) throws(WireError) {
        try Check.require(wire.hasState, "group_transfer.state", "missing")
        self.init(
            transferID: wire.transferID,
            state: try MessageBody.GroupState(wire: wire.state, field: "group_transfer.state"))
    }

    var wire: Qnet_V1_GroupTransfer {
        var wire = Qnet_V1_GroupTransfer()
        wire.transferID = transferID
        wire.state = state.wire
        return wire
    }
}

extension MessageBody.OperationKind {
    init(wire: Qnet_V1_OperationKind, field: String) throws(WireError) {
        switch wire {
        case .x: self = .x
        case .y: self = .y
        case .z: self = .z
        case .hadamard: self = .hadamard
        case .cnot: self = .cnot
        case .cz: self = .cz
        case .measureZ: self = .measureZ
        case .measureX: self = .measureX
        case .measureBell: self = .measureBell
        case .discard: self = .discard
        case .measureY: self = .measureY
        case .pull: self = .pull
        case .unspecified: throw Check.unspecified(field)
        case .UNRECOGNIZED(let value): throw Check.unrecognized(field, value)
        }
    }

    var wire: Qnet_V1_OperationKind {
        switch self {
        case .x: .x
        case .y: .y
        case .z: .z
        case .hadamard: .hadamard
        case .cnot: .cnot
        case .cz: .cz
        case .measureZ: .measureZ
        case .measureX: .measureX
        case .measureBell: .measureBell
        case .discard: .discard
        case .measureY: .measureY
        case .pull: .pull
        }
    }
}

extension MessageBody.OperationRequest {
    init(wire: Qnet_V1_OperationRequest) throws(WireError) {
        let kind = try MessageBody.OperationKind(wire: wire.kind, field: "operation_request.kind")
        let count = wire.qubitIds.count
        if let arity = kind.arity {
            try Check.require(
                count == arity, "operation_request.qubit_ids", "\(kind) acts on \(arity) qubits, not \(count)")
        } else {
            try Check.require(
                (1...MessageBody.GroupState.maxQubits).contains(count), "operation_request.qubit_ids",
                "\(count) qubits; \(kind) takes 1 to \(MessageBody.GroupState.maxQubits)")
        }
        try Check.require(Set(wire.qubitIds).count == count, "operation_request.qubit_ids", "a qubit appears twice")
        self.init(
            operationID: wire.operationID, time: VTime(picoseconds: wire.timePs), kind: kind,
            qubits: wire.qubitIds.map(QubitID.init),
            depolarizingProbability: try Check.probability(
                wire.depolarizingProbability, "operation_request.depolarizing_probability"),
            readoutError: try Check.probability(wire.readoutError, "operation_request.readout_error"),
            origin: wire.origin,
            take: wire.hasTake ? MessageBody.Take(
                requestID: RequestID(wire.take.requestID), pairID: wire.take.pairID,
                created: VTime(picoseconds: wire.take.createdPs), partner: QubitID(wire.take.partnerQubitID),
                lateness: VDuration(picoseconds: wire.take.latenessPs),
                linkPairs: try Check.linkPairs(wire.take.linkPairs, "operation_request.take.link_pairs"),
                oldest: wire.take.oldestPs == 0 ? nil : VTime(picoseconds: wire.take.oldestPs)) : nil)
    }

    var wire: Qnet_V1_OperationRequest {
        var wire = Qnet_V1_OperationRequest()
        wire.operationID = operationID
        wire.timePs = time.picoseconds
        wire.kind = kind.wire
        wire.qubitIds = qubits.map(\.rawValue)
        wire.depolarizingProbability = depolarizingProbability
        wire.readoutError = readoutError
        wire.origin = origin
        if let take {
            var t = Qnet_V1_Take()
            t.requestID = take.requestID.rawValue
            t.pairID = take.pairID
            t.createdPs = take.created.picoseconds
            t.partnerQubitID = take.partner.rawValue
            t.latenessPs = take.lateness.picoseconds
            t.linkPairs = take.linkPairs.map(\.wire)
            t.oldestPs = take.oldest.picoseconds
            wire.take = t
        }
        return wire
    }
}

extension MessageBody.OperationResult {
    init(wire: Qnet_V1_OperationResult) throws(WireError) {
        try Check.require(
            wire.outcomes.allSatisfy { $0 <= 1 }, "operation_result.outcomes", "an outcome is not 0 or 1")
        self.init(operationID: wire.operationID, outcomes: wire.outcomes)
    }

    var wire: Qnet_V1_OperationResult {
        var wire = Qnet_V1_OperationResult()
        wire.operationID = operationID
        wire.outcomes = outcomes
        return wire
    }
}

extension MessageBody.LinkPair {
    var wire: Qnet_V1_LinkPair {
        var wire = Qnet_V1_LinkPair()
        wire.linkID = link.rawValue
        wire.sequence = sequence
        wire.hop = UInt32(clamping: hop)
        return wire
    }
}

extension Check {
    /// A pair's link pairs: at most 2^16 (a path's links), each numbered from 1.
    static func linkPairs(_ wire: [Qnet_V1_LinkPair], _ field: String) throws(WireError) -> [MessageBody.LinkPair] {
        try require(wire.count <= 1 << 16, field, "\(wire.count) link pairs, at most 65536")
        var pairs: [MessageBody.LinkPair] = []
        for p in wire {
            try require(p.sequence >= 1, field, "link pair numbers start at 1")
            try require(p.hop < 1 << 16, field, "hop \(p.hop) is beyond a path's 65536 links")
            pairs.append(MessageBody.LinkPair(link: LinkID(p.linkID), sequence: p.sequence, hop: Int(p.hop)))
        }
        return pairs
    }
}
