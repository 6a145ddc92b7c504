import QNetCore

extension MessageBody.BellState {
    init(wire: Qnet_V1_BellState, field: String) throws(WireError) {
        switch wire {
        case .phiPlus: self = .phiPlus
        case .phiMinus: self = .phiMinus
        case .psiPlus: self = .psiPlus
        case .psiMinus: self = .psiMinus
        case .unspecified: throw Check.unspecified(field)
        case .UNRECOGNIZED(let value): throw Check.unrecognized(field, value)
        }
    }

    var wire: Qnet_V1_BellState {
        switch self {
        case .phiPlus: .phiPlus
        case .phiMinus: .phiMinus
        case .psiPlus: .psiPlus
        case .psiMinus: .psiMinus
        }
    }
}

extension MessageBody.EmissionParameters {
    init(wire: Qnet_V1_EmissionParameters) throws(WireError) {
        self.init(
            emissionEfficiency: try Check.probability(wire.emissionEfficiency, "emission.emission_efficiency"),
            brightStatePopulation: try Check.probability(
                wire.brightStatePopulation, "emission.bright_state_population"),
            visibility: try Check.probability(wire.visibility, "emission.visibility"))
    }

    var wire: Qnet_V1_EmissionParameters {
        var wire = Qnet_V1_EmissionParameters()
        wire.emissionEfficiency = emissionEfficiency
        wire.brightStatePopulation = brightStatePopulation
        wire.visibility = visibility
        return wire
    }
}

extension MessageBody.AttemptBatch {
    init(wire: Qnet_V1_AttemptBatch) throws(WireError) {
        try Check.require(wire.attemptPeriodPs > 0, "attempt_batch.attempt_period_ps", "must be positive")
        try Check.require(wire.modes >= 1, "attempt_batch.modes", "must be at least 1")
        try Check.require(wire.maxAttempts >= 1, "attempt_batch.max_attempts", "must be at least 1")
        self.init(
            linkID: LinkID(wire.linkID), batchID: wire.batchID,
            startTime: VTime(picoseconds: wire.startTimePs),
            attemptPeriod: VDuration(picoseconds: wire.attemptPeriodPs),
            modes: wire.modes, maxAttempts: wire.maxAttempts, qubit: QubitID(wire.qubitID),
            emission: wire.hasEmission ? try MessageBody.EmissionParameters(wire: wire.emission) : nil,
            label: wire.hasRequestLabel ? RequestID(wire.requestLabel) : nil)
    }

    var wire: Qnet_V1_AttemptBatch {
        var wire = Qnet_V1_AttemptBatch()
        wire.linkID = linkID.rawValue
        wire.batchID = batchID
        wire.startTimePs = startTime.picoseconds
        wire.attemptPeriodPs = attemptPeriod.picoseconds
        wire.modes = modes
        wire.maxAttempts = maxAttempts
        wire.qubitID = qubit.rawValue
        if let emission { wire.emission = emission.wire }
        if let label { wire.requestLabel = label.rawValue }
        return wire
    }
}

extension MessageBody.Herald {
    init(wire: Qnet_V1_Herald) throws(WireError) {
        try Check.require(
            wire.qubitIds.count == 2, "herald.qubit_ids", "a pair has 2 qubits, not \(wire.qubitIds.count)")
        let state = wire.hasState ? try MessageBody.GroupState(wire: wire.state, field: "herald.state") : nil
        if let state {
            try Check.require(
                state.groupID.rawValue == wire.groupID && state.qubits.map(\.rawValue) == wire.qubitIds,
                "herald.state", "group id or qubits differ from the herald's")
        }
        self.init(
            linkID: LinkID(wire.linkID), batchID: wire.batchID, attemptIndex: wire.attemptIndex,
            successTime: VTime(picoseconds: wire.successTimePs),
            bellState: try MessageBody.BellState(wire: wire.bellState, field: "herald.bell_state"),
            groupID: GroupID(wire.groupID), qubits: wire.qubitIds.map(QubitID.init),
            owner: try Check.processName(wire.owner, "herald.owner"), state: state,
            label: wire.hasRequestLabel ? RequestID(wire.requestLabel) : nil, sequence: wire.pairSequence)
    }

    var wire: Qnet_V1_Herald {
        var wire = Qnet_V1_Herald()
        wire.linkID = linkID.rawValue
        wire.batchID = batchID
        wire.attemptIndex = attemptIndex
        wire.successTimePs = successTime.picoseconds
        wire.bellState = bellState.wire
        wire.groupID = groupID.rawValue
        wire.qubitIds = qubits.map(\.rawValue)
        wire.owner = owner
        if let state { wire.state = state.wire }
        if let label { wire.requestLabel = label.rawValue }
        wire.pairSequence = sequence
        return wire
    }
}

extension MessageBody.AttemptsExhausted {
    init(wire: Qnet_V1_AttemptsExhausted) {
        self.init(
            linkID: LinkID(wire.linkID), batchID: wire.batchID, attempts: wire.attempts,
            endTime: VTime(picoseconds: wire.endTimePs))
    }

    var wire: Qnet_V1_AttemptsExhausted {
        var wire = Qnet_V1_AttemptsExhausted()
        wire.linkID = linkID.rawValue
        wire.batchID = batchID
        wire.attempts = attempts
        wire.endTimePs = endTime.picoseconds
        return wire
    }
}

extension MessageBody.AttemptWithdraw {
    init(wire: Qnet_V1_AttemptWithdraw) {
        self.init(linkID: LinkID(wire.linkID), batchID: wire.batchID)
    }

    var wire: Qnet_V1_AttemptWithdraw {
        var wire = Qnet_V1_AttemptWithdraw()
        wire.linkID = linkID.rawValue
        wire.batchID = batchID
        return wire
    }
}
