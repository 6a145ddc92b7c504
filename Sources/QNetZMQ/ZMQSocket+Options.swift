internal import CZeroMQ

/// Socket options (`zmq_setsockopt` / `zmq_getsockopt`).
///
/// Options that affect connections (routing identity, high-water marks,
/// maximum message size, immediate) must be set before `bind` or `connect`.
extension ZMQSocket {
    /// Sets the routing identity peers see for this socket (`ZMQ_ROUTING_ID`).
    ///
    /// - Parameter identity: 1 to 255 bytes, not starting with a zero byte
    ///   (libzmq reserves those).
    /// - Throws: ``ZMQError`` with `invalidArgument` for an empty, too long or
    ///   reserved identity.
    public func setRoutingID(_ identity: [UInt8]) throws(ZMQError) {
        guard !identity.isEmpty, identity.count <= 255, identity[0] != 0 else {
            throw ZMQError(
                code: .invalidArgument, errno: CError.invalid,
                message: "a routing identity is 1 to 255 bytes and must not start with a zero byte",
                operation: "zmq_setsockopt", detail: "ZMQ_ROUTING_ID")
        }
        try setBytes(ZMQ_ROUTING_ID, identity, name: "ZMQ_ROUTING_ID")
    }

    /// Sets the routing identity to a process name, encoded as UTF-8.
    public func setRoutingID(_ name: String) throws(ZMQError) {
        try setRoutingID(Array(name.utf8))
    }

    /// The socket's routing identity; empty if none was set.
    public func routingID() throws(ZMQError) -> [UInt8] {
        try getBytes(ZMQ_ROUTING_ID, capacity: 256, name: "ZMQ_ROUTING_ID")
    }

    /// How long pending messages are kept after ``close()`` (`ZMQ_LINGER`).
    ///
    /// - Parameter milliseconds: 0 discards at once; -1 waits forever.
    public func setLinger(milliseconds: Int32) throws(ZMQError) {
        try setInt32(ZMQ_LINGER, milliseconds, name: "ZMQ_LINGER")
    }

    /// Maximum number of outgoing messages queued per peer (`ZMQ_SNDHWM`);
    /// 0 means no limit.
    public func setSendHighWaterMark(_ messages: Int32) throws(ZMQError) {
        try setInt32(ZMQ_SNDHWM, messages, name: "ZMQ_SNDHWM")
    }

    /// Maximum number of incoming messages queued per peer (`ZMQ_RCVHWM`);
    /// 0 means no limit.
    public func setReceiveHighWaterMark(_ messages: Int32) throws(ZMQError) {
        try setInt32(ZMQ_RCVHWM, messages, name: "ZMQ_RCVHWM")
    }

    /// ROUTER only (`ZMQ_ROUTER_MANDATORY`): when on, sending to an identity
    /// that is not connected throws ``ZMQError/Code/hostUnreachable`` instead
    /// of silently dropping the message.
    public func setRouterMandatory(_ on: Bool) throws(ZMQError) {
        try setInt32(ZMQ_ROUTER_MANDATORY, on ? 1 : 0, name: "ZMQ_ROUTER_MANDATORY")
    }

    /// Largest inbound message accepted, in bytes (`ZMQ_MAXMSGSIZE`); a peer
    /// that sends a larger one is disconnected and the message dropped.
    ///
    /// - Parameter bytes: The limit; -1 means no limit.
    public func setMaxMessageSize(bytes: Int64) throws(ZMQError) {
        try setInt64(ZMQ_MAXMSGSIZE, bytes, name: "ZMQ_MAXMSGSIZE")
    }

    /// When on (`ZMQ_IMMEDIATE`), messages are queued only to completed
    /// connections, so sending with no live peer blocks (or fails with
    /// `dontWait`) instead of queueing.
    public func setImmediate(_ on: Bool) throws(ZMQError) {
        try setInt32(ZMQ_IMMEDIATE, on ? 1 : 0, name: "ZMQ_IMMEDIATE")
    }

    /// Time a blocking ``receive(dontWait:)`` waits before returning `nil`
    /// (`ZMQ_RCVTIMEO`), in milliseconds; -1 waits forever.
    public func setReceiveTimeout(milliseconds: Int32) throws(ZMQError) {
        try setInt32(ZMQ_RCVTIMEO, milliseconds, name: "ZMQ_RCVTIMEO")
    }

    /// Time a blocking ``send(_:dontWait:)-([[UInt8]],_)`` waits before
    /// returning `false` (`ZMQ_SNDTIMEO`), in milliseconds; -1 waits forever.
    public func setSendTimeout(milliseconds: Int32) throws(ZMQError) {
        try setInt32(ZMQ_SNDTIMEO, milliseconds, name: "ZMQ_SNDTIMEO")
    }

    /// SUB only: receive messages whose first frame starts with `prefix`
    /// (`ZMQ_SUBSCRIBE`); an empty prefix subscribes to everything.
    public func subscribe(prefix: [UInt8]) throws(ZMQError) {
        try setBytes(ZMQ_SUBSCRIBE, prefix, name: "ZMQ_SUBSCRIBE")
    }

    /// SUB only: removes a subscription made with ``subscribe(prefix:)``.
    public func unsubscribe(prefix: [UInt8]) throws(ZMQError) {
        try setBytes(ZMQ_UNSUBSCRIBE, prefix, name: "ZMQ_UNSUBSCRIBE")
    }

    /// The endpoint most recently bound or connected, with wildcards resolved
    /// (`ZMQ_LAST_ENDPOINT`), e.g. `tcp://127.0.0.1:41234`; empty if none.
    public var lastEndpoint: String {
        get throws(ZMQError) {
            var bytes = try getBytes(ZMQ_LAST_ENDPOINT, capacity: 1_024, name: "ZMQ_LAST_ENDPOINT")
            if let end = bytes.firstIndex(of: 0) { bytes.removeSubrange(end...) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    // MARK: Raw option access

    private func setInt32(_ option: Int32, _ value: Int32, name: String) throws(ZMQError) {
        let handle = try liveHandle("zmq_setsockopt")
        var value = value
        try zmqCall("zmq_setsockopt", detail: name) {
            zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size)
        }
    }

    private func setInt64(_ option: Int32, _ value: Int64, name: String) throws(ZMQError) {
        let handle = try liveHandle("zmq_setsockopt")
        var value = value
        try zmqCall("zmq_setsockopt", detail: name) {
            zmq_setsockopt(handle, option, &value, MemoryLayout<Int64>.size)
        }
    }

    private func setBytes(_ option: Int32, _ value: [UInt8], name: String) throws(ZMQError) {
        let handle = try liveHandle("zmq_setsockopt")
        try zmqCall("zmq_setsockopt", detail: name) {
            value.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        }
    }

    private func getBytes(_ option: Int32, capacity: Int, name: String) throws(ZMQError) -> [UInt8] {
        let handle = try liveHandle("zmq_getsockopt")
        var buffer = [UInt8](repeating: 0, count: capacity)
        var size = capacity
        try zmqCall("zmq_getsockopt", detail: name) {
            buffer.withUnsafeMutableBytes { zmq_getsockopt(handle, option, $0.baseAddress, &size) }
        }
        return Array(buffer.prefix(size))
    }
}
