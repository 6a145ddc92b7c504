import QNetCore
import QNetQuantum

// The ownership directory's protocol (DESIGN §3): operation requests applied at the owner,
// forwarded along pointers, or parked until the group arrives; group transfers; pulls with the
// no-cycle rule.

extension NodeRuntime {
    mutating func backplane(_ message: NodeMessage, from source: String) {
        switch message {
        case let .operationRequest(op):
            let origin = op.origin.isEmpty ? source : op.origin
            guard directory.firstTime(op.operationID, from: origin) else { return }
            route(op, origin: origin)
        case let .groupTransfer(transfer):
            received(transfer.state)
        default:
            out.append(.warn("ignored backplane \(message.typeName) from '\(source)'"))
        }
    }

    /// A request about qubits whose group may be here, elsewhere (forward), or not yet here (park).
    mutating func route(_ op: NodeMessage.OperationRequest, origin: String) {
        guard let q = op.qubits.first else { return }
        if memory.contains(q) {
            apply(op, origin: origin)
        } else if let next = directory.forwarded(q) {
            var passed = op
            passed.origin = origin
            out.append(.send(.operationRequest(passed), to: next))
        } else {
            directory.park(op, origin: origin, on: q)
        }
    }

    mutating func serveParked(_ qubits: [QubitID]) {
        for q in qubits {
            for (origin, op) in directory.unpark(q) { route(op, origin: origin) }
        }
    }

    /// Every parked request, retried (after a swap: pulls held back name the partners' qubits).
    mutating func serveAllParked() {
        serveParked(Array(directory.parked.keys).sorted())
    }

    /// Applies a request to a group held here.
    mutating func apply(_ op: NodeMessage.OperationRequest, origin: String) {
        let q = op.qubits[0]
        switch op.kind {
        case .pull:
            if origin == configuration.name { return }
            // A node that is itself waiting to swap keeps a group it needs from a swap decided
            // later in virtual time (the pull carries the time its swap was decided), or at the
            // same time further along the path (lower position wins): waits only go from later
            // to earlier swaps, so no two swaps wait on each other, and the earliest waiting swap,
            // the one the lockstep clock waits for, never waits on a later one. (Position alone
            // would not do: on a path that is not a shortest one, such as a second path of
            // `routing: k-shortest`, a node far along the path can be a near neighbour of its
            // start, and the clock's wait for it would close a cycle.)
            if let gid = memory.store.group(of: q), let (role, decided) = waitingToSwap(with: gid),
               let theirs = configuration.node(named: origin).flatMap({ role.path.firstIndex(of: $0) }),
               (decided, role.position) < (op.time, theirs) {
                directory.park(op, origin: origin, on: q)
                return
            }
            transfer(groupOf: q, to: origin)
        case .x, .y, .z:
            memory.apply(op.kind == .x ? .x : op.kind == .y ? .y : .z, to: q, at: op.time)
        case .discard, .measureX, .measureY, .measureZ:
            if let take = op.take {
                record(take: take, qubit: q, time: op.time, kind: op.kind, readout: op.readoutError)
            } else {
                memory.discard(q, at: op.time)
                // A take already waiting for this qubit's partner can never complete.
                if let (pairID, pending) = takes.first(where: { $0.value.take.partner == q || $0.value.take.pairID == q.rawValue || $0.value.qubits[q] != nil }) {
                    dropPair(pairID, pending)
                } else {
                    discardedHere[q] = true
                }
            }
        default:
            out.append(.warn("ignored backplane \(op.kind) from '\(origin)'"))
        }
    }

    /// The role of the swap this node waits to do with a qubit of group `gid`, and when that
    /// swap was decided (now, for one decided and not yet tried), if any.
    func waitingToSwap(with gid: GroupID) -> (role: Role, decided: VTime)? {
        guard let group = memory.store.groups[gid] else { return nil }
        for q in group.qubits where q.home == configuration.node {
            guard let e = slots.entangled(q), e.reserved, let role = roles[e.request] else { continue }
            let decided = waitingSwaps.first { $0.left == q || $0.right == q }?.time ?? now
            return (role, decided)
        }
        return nil
    }

    /// Asks for the group of `q` to come here. `decided`: when the swap that needs it was decided
    /// (the holder's no-cycle rule compares it with its own); a take's pull, which no swap waits
    /// on, is stamped now.
    mutating func pull(_ q: QubitID, decided: VTime? = nil) {
        directory.pulling.insert(q)
        operationCounter += 1
        let target = directory.pullTarget(of: q, home: configuration.name(of: q.home))
        out.append(.send(.operationRequest(.init(operationID: operationCounter, time: decided ?? now, kind: .pull, qubits: [q],
                                                 origin: configuration.name)), to: target))
    }

    mutating func transfer(groupOf q: QubitID, to destination: String) {
        guard let state = memory.remove(groupOf: q) else { return }
        for member in state.qubits { directory.left(member, to: destination) }
        operationCounter += 1
        out.append(.send(.groupTransfer(.init(transferID: operationCounter, state: state)), to: destination))
    }

    mutating func received(_ state: NodeMessage.GroupState) {
        guard memory.insert(state) else {
            out.append(.warn("ignored an invalid group transfer for \(state.groupID)"))
            return
        }
        for q in state.qubits {
            directory.arrived(q, ownHome: q.home == configuration.node, me: configuration.name)
        }
        serveParked(state.qubits)
        // Takes for a pair whose other end was already recorded can now complete.
        for (pairID, pending) in takes.sorted(by: { $0.key < $1.key }) where pending.qubits.keys.allSatisfy(memory.contains) {
            finishIfComplete(pairID)
        }
    }
}
