import QNetCore

// Shell-level protocol bodies (Protos/qnet/v1/protocol.proto): receipts and metrics. The
// runtime's own vocabulary (feed-forward, delivered pairs) is in QNetProtocols (NodeMessage).

extension MessageBody {
    /// Realtime clock: when routed messages were delivered (source, sequence, virtual time).
    public struct DeliveryReceipts: Hashable, Sendable {
        public struct Receipt: Hashable, Sendable {
            public var source: String
            public var sequence: UInt64
            public var delivered: VTime
            public init(source: String, sequence: UInt64, delivered: VTime) {
                self.source = source
                self.sequence = sequence
                self.delivered = delivered
            }
        }
        public var receipts: [Receipt]
        public init(receipts: [Receipt]) { self.receipts = receipts }
    }

    /// Cumulative counters a process reports to the metrics sink.
    public struct Metrics: Hashable, Sendable {
        /// Sender's virtual time when the counters were read.
        public var virtualTime: VTime
        /// Counters by name, e.g. `"attempts"`, `"wire.dropped.truncated"`.
        public var counters: [String: UInt64]

        public init(virtualTime: VTime, counters: [String: UInt64]) {
            self.virtualTime = virtualTime
            self.counters = counters
        }
    }
}
