import QNetCore

/// One node's side of entanglement generation on one link: the attempt batches it has open at
/// the link's station, each holding one memory qubit until the station answers (DESIGN §4:
/// O(1) messages per pair, however many attempts it takes). Several batches may be open at once
/// (one per communication qubit given to the link); the station pairs each end's batches first
/// come, first served.
public struct LinkGeneration: Sendable {
    /// An open batch: its qubit, the request label it carries (the master's), and whether it
    /// has been withdrawn (the qubit stays until the station answers).
    public struct Open: Sendable, Equatable {
        public var qubit: QubitID
        public var label: RequestID?
        public var withdrawn = false
    }

    public let link: NodeConfiguration.Link
    /// This node's end of the link; end A is the link's master and labels its batches.
    public let end: LinkEnd
    /// Open batches by id.
    public private(set) var open: [UInt64: Open] = [:]
    var nextBatch: UInt64 = 0
    let runEnd: VTime

    public init(link: NodeConfiguration.Link, end: LinkEnd, runEnd: VTime) {
        self.link = link
        self.end = end
        self.runEnd = runEnd
    }

    public var isMaster: Bool { end == .a }

    /// Batches open and not withdrawn.
    public var attempting: Int { open.values.filter { !$0.withdrawn }.count }

    /// Attempts that fit between `start` and the end of the run.
    func maxAttempts(from start: VTime) -> UInt64 {
        let cycles = start < runEnd ? (runEnd - start).picoseconds / max(link.cycle.picoseconds, 1) : 0
        return max(cycles, 1) * UInt64(max(link.modes, 1))
    }

    /// Opens a batch with `qubit` from `now`; nil past the end of the run.
    mutating func openBatch(qubit: QubitID, label: RequestID?, at now: VTime, attemptPeriod: VDuration, modes: Int) -> NodeMessage.AttemptBatch? {
        guard now < runEnd else { return nil }
        let id = nextBatch
        nextBatch += 1
        open[id] = Open(qubit: qubit, label: isMaster ? label : nil)
        return NodeMessage.AttemptBatch(
            linkID: link.id, batchID: id, startTime: now, attemptPeriod: attemptPeriod, modes: UInt32(modes),
            maxAttempts: maxAttempts(from: now), qubit: qubit, label: isMaster ? label : nil)
    }

    /// The station answered batch `id` (a herald or exhaustion): its qubit, if it was open.
    mutating func answered(_ id: UInt64) -> Open? { open.removeValue(forKey: id) }

    /// Marks every open batch withdrawn; returns the messages that say so.
    mutating func withdrawAll() -> [NodeMessage.AttemptWithdraw] {
        var out: [NodeMessage.AttemptWithdraw] = []
        for (id, batch) in open.sorted(by: { $0.key < $1.key }) where !batch.withdrawn {
            open[id]!.withdrawn = true
            out.append(.init(linkID: link.id, batchID: id))
        }
        return out
    }
}
