import QNetCore

extension MessageBody.PauliCorrection {
    init(wire: Qnet_V1_PauliCorrection, field: String) throws(WireError) {
        switch wire {
        case .identity: self = .identity
        case .x: self = .x
        case .y: self = .y
        case .z: self = .z
        case .unspecified: throw Check.unspecified(field)
        case .UNRECOGNIZED(let value): throw Check.unrecognized(field, value)
        }
    }

    var wire: Qnet_V1_PauliCorrection {
        switch self {
        case .identity: .identity
        case .x: .x
        case .y: .y
        case .z: .z
        }
    }
}

extension MessageBody.FeedForward {
    init(wire: Qnet_V1_FeedForward) throws(WireError) {
        self.init(
            requestID: RequestID(wire.requestID), pairID: wire.pairID, qubit: QubitID(wire.qubitID),
            correction: try MessageBody.PauliCorrection(wire: wire.correction, field: "feed_forward.correction"),
            partner: wire.partnerQubitID == 0 ? nil : QubitID(wire.partnerQubitID), partnerNode: wire.partnerNode,
            swaps: wire.swaps, discarded: wire.discarded, linkPairs: try Check.linkPairs(wire.linkPairs, "feed_forward.link_pairs"),
            swapTime: wire.hasSwapTimePs ? VTime(picoseconds: wire.swapTimePs) : nil,
            oldest: wire.hasOldestPs ? VTime(picoseconds: wire.oldestPs) : nil)
    }

    var wire: Qnet_V1_FeedForward {
        var wire = Qnet_V1_FeedForward()
        wire.requestID = requestID.rawValue
        wire.pairID = pairID
        wire.qubitID = qubit.rawValue
        wire.correction = correction.wire
        wire.partnerQubitID = partner?.rawValue ?? 0
        wire.partnerNode = partnerNode
        wire.swaps = swaps
        wire.discarded = discarded
        wire.linkPairs = linkPairs.map(\.wire)
        if let swapTime { wire.swapTimePs = swapTime.picoseconds }
        if let oldest { wire.oldestPs = oldest.picoseconds }
        return wire
    }
}

extension MessageBody.PairDelivered {
    init(wire: Qnet_V1_PairDelivered) throws(WireError) {
        try Check.require(wire.fidelity.isFinite, "pair_delivered.fidelity", "\(wire.fidelity) is not finite")
        try Check.require(
            wire.deliveredPs >= wire.createdPs, "pair_delivered.delivered_ps", "is before created_ps")
        try Check.require(wire.oldestLinkPs <= wire.deliveredPs, "pair_delivered.oldest_link_ps", "is after delivered_ps")
        self.init(
            requestID: RequestID(wire.requestID), pairID: wire.pairID,
            nodeA: try Check.processName(wire.nodeA, "pair_delivered.node_a"),
            nodeB: try Check.processName(wire.nodeB, "pair_delivered.node_b"),
            created: VTime(picoseconds: wire.createdPs), delivered: VTime(picoseconds: wire.deliveredPs),
            fidelity: wire.fidelity,
            outcomeA: wire.hasOutcomeA ? try Check.bit(wire.outcomeA, "pair_delivered.outcome_a") : nil,
            outcomeB: wire.hasOutcomeB ? try Check.bit(wire.outcomeB, "pair_delivered.outcome_b") : nil,
            fidelityLostToLatency: wire.fidelityLostToLatency.isFinite ? wire.fidelityLostToLatency : 0,
            linkPairs: try Check.linkPairs(wire.linkPairs, "pair_delivered.link_pairs"),
            oldestLink: wire.oldestLinkPs == 0 ? nil : VTime(picoseconds: wire.oldestLinkPs))
    }

    var wire: Qnet_V1_PairDelivered {
        var wire = Qnet_V1_PairDelivered()
        wire.requestID = requestID.rawValue
        wire.pairID = pairID
        wire.nodeA = nodeA
        wire.nodeB = nodeB
        wire.createdPs = created.picoseconds
        wire.deliveredPs = delivered.picoseconds
        wire.fidelity = fidelity
        if let outcomeA { wire.outcomeA = outcomeA }
        if let outcomeB { wire.outcomeB = outcomeB }
        wire.fidelityLostToLatency = fidelityLostToLatency
        wire.linkPairs = linkPairs.map(\.wire)
        wire.oldestLinkPs = oldestLink.picoseconds
        return wire
    }
}

extension MessageBody.DeliveryReceipts {
    init(wire: Qnet_V1_DeliveryReceipts) throws(WireError) {
        var receipts: [Receipt] = []
        for r in wire.receipts {
            receipts.append(Receipt(source: try Check.processName(r.source, "delivery_receipts.source"), sequence: r.sequence,
                                    delivered: VTime(picoseconds: r.deliveredPs)))
        }
        self.init(receipts: receipts)
    }

    var wire: Qnet_V1_DeliveryReceipts {
        var wire = Qnet_V1_DeliveryReceipts()
        wire.receipts = receipts.map { r in
            var w = Qnet_V1_DeliveryReceipt()
            w.source = r.source
            w.sequence = r.sequence
            w.deliveredPs = r.delivered.picoseconds
            return w
        }
        return wire
    }
}

extension MessageBody.Metrics {
    init(wire: Qnet_V1_Metrics) {
        self.init(virtualTime: VTime(picoseconds: wire.virtualTimePs), counters: wire.counters)
    }

    var wire: Qnet_V1_Metrics {
        var wire = Qnet_V1_Metrics()
        wire.virtualTimePs = virtualTime.picoseconds
        wire.counters = counters
        return wire
    }
}

extension MessageBody.RequestServed {
    init(wire: Qnet_V1_RequestServed) {
        self.init(requestID: RequestID(wire.requestID), resumed: wire.resumed)
    }

    var wire: Qnet_V1_RequestServed {
        var wire = Qnet_V1_RequestServed()
        wire.requestID = requestID.rawValue
        wire.resumed = resumed
        return wire
    }
}
