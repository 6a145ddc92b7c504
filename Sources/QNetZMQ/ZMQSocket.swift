internal import CZeroMQ

/// One libzmq socket, owned by one thread.
///
/// The socket is closed by ``close()`` (idempotent) or, as a silent safety
/// net, when the object is deinitialised. Every operation on a closed socket
/// throws ``ZMQError`` with code ``ZMQError/Code/notSocket``.
///
/// Thread safety: not `Sendable`. libzmq sockets must not be used from two
/// threads at once; a QNetLab process owns each socket from one event loop.
///
/// New sockets get ``defaultLingerMilliseconds`` as their linger period, so
/// messages queued just before `close()` are still delivered to a live peer,
/// yet shutting down never hangs on a dead one.
public final class ZMQSocket {
    /// The ZeroMQ socket patterns QNetLab uses.
    public enum SocketType: Sendable, Hashable, CustomStringConvertible {
        /// Addresses peers by routing identity; prepends the sender's identity
        /// to each received message and routes by the first frame on send.
        /// The coordinator's socket.
        case router
        /// Round-robins to connected peers without envelopes; a node's or
        /// station's socket, whose routing identity is its name.
        case dealer
        /// Exclusive one-to-one connection.
        case pair
        /// Publish side of publish-subscribe.
        case publisher
        /// Subscribe side of publish-subscribe; see ``ZMQSocket/subscribe(prefix:)``.
        case subscriber

        var cValue: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .pair: ZMQ_PAIR
            case .publisher: ZMQ_PUB
            case .subscriber: ZMQ_SUB
            }
        }

        public var description: String {
            switch self {
            case .router: "ROUTER"
            case .dealer: "DEALER"
            case .pair: "PAIR"
            case .publisher: "PUB"
            case .subscriber: "SUB"
            }
        }
    }

    /// Linger period given to new sockets, in milliseconds.
    public static let defaultLingerMilliseconds: Int32 = 1_000

    /// The socket's pattern.
    public let type: SocketType
    /// The context the socket lives in; kept alive while the socket exists.
    public let context: ZMQContext
    /// The `void *` from `zmq_socket`; `nil` once closed.
    private var handle: UnsafeMutableRawPointer?

    /// Creates a socket of the given type in `context`.
    ///
    /// - Throws: ``ZMQError`` (`contextTerminated` if the context was closed).
    public init(context: ZMQContext, type: SocketType) throws(ZMQError) {
        let handle = try context.makeSocketHandle(type: type.cValue)
        self.type = type
        self.context = context
        self.handle = handle
        do {
            try setLinger(milliseconds: Self.defaultLingerMilliseconds)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        // Silent safety net for sockets nobody closed explicitly.
        if let handle { zmq_close(handle) }
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle == nil }

    /// Closes the socket. Pending outgoing messages are sent in the background
    /// for up to the linger period. Calling `close()` again does nothing.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        // zmq_close fails only with ENOTSOCK, which `handle` being non-nil rules out.
        zmq_close(handle)
    }

    /// The live handle, or the "socket is closed" error for `operation`.
    @inline(__always)
    func liveHandle(_ operation: String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else { throw ZMQError.closed(operation) }
        return handle
    }

    // MARK: Endpoints

    /// Binds to a local endpoint such as `ipc:///tmp/qnet.sock`,
    /// `tcp://127.0.0.1:5555` or `tcp://127.0.0.1:*` (any free port; read it
    /// back with ``lastEndpoint``).
    ///
    /// - Throws: ``ZMQError``: `invalidArgument` for a malformed endpoint,
    ///   `protocolNotSupported` for an unknown transport, `addressInUse`,
    ///   `addressNotAvailable` for a non-local address.
    public func bind(_ endpoint: String) throws(ZMQError) {
        let handle = try liveHandle("zmq_bind")
        try zmqCall("zmq_bind", detail: endpoint) { zmq_bind(handle, endpoint) }
    }

    /// Stops listening on an endpoint bound with ``bind(_:)``; pass the
    /// resolved endpoint from ``lastEndpoint`` for wildcard binds.
    ///
    /// - Throws: ``ZMQError`` with `endpointNotFound` if it is not bound.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        let handle = try liveHandle("zmq_unbind")
        try zmqCall("zmq_unbind", detail: endpoint) { zmq_unbind(handle, endpoint) }
    }

    /// Connects to a remote endpoint. Completes in the background: a peer
    /// that is not up yet is retried, and messages queue meanwhile (unless
    /// ``setImmediate(_:)`` is on).
    ///
    /// - Throws: ``ZMQError`` for a malformed endpoint or unknown transport.
    public func connect(_ endpoint: String) throws(ZMQError) {
        let handle = try liveHandle("zmq_connect")
        try zmqCall("zmq_connect", detail: endpoint) { zmq_connect(handle, endpoint) }
    }

    /// Disconnects from an endpoint given to ``connect(_:)``.
    ///
    /// - Throws: ``ZMQError`` with `endpointNotFound` if it is not connected.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        let handle = try liveHandle("zmq_disconnect")
        try zmqCall("zmq_disconnect", detail: endpoint) { zmq_disconnect(handle, endpoint) }
    }

    // MARK: Messages

    /// Sends one multipart message.
    ///
    /// ZeroMQ delivers all frames or none. On a ROUTER socket the first frame
    /// is the destination's routing identity.
    ///
    /// - Parameters:
    ///   - frames: The message's frames, at least one; frames may be empty.
    ///   - dontWait: If true, return `false` instead of blocking when the
    ///     message cannot be queued now (high-water mark reached, or no peer).
    /// - Returns: `true` when the message was queued; `false` only with
    ///   `dontWait` (or a send timeout) when it would have blocked.
    /// - Throws: ``ZMQError``: `hostUnreachable` from a ROUTER with
    ///   router-mandatory set and an unknown identity, `invalidArgument` for
    ///   an empty frame list, `contextTerminated`, `notSocket`.
    @discardableResult
    public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) -> Bool {
        let handle = try liveHandle("zmq_send")
        guard !frames.isEmpty else {
            throw ZMQError(
                code: .invalidArgument, errno: CError.invalid,
                message: "a message needs at least one frame", operation: "zmq_send")
        }
        let baseFlags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
        let lastIndex = frames.count - 1
        for (index, frame) in frames.enumerated() {
            let flags = index < lastIndex ? baseFlags | ZMQ_SNDMORE : baseFlags
            do {
                try zmqCall("zmq_send", detail: "frame \(index) of \(frames.count)") {
                    frame.withUnsafeBytes { bytes in
                        zmq_send(handle, bytes.baseAddress, bytes.count, flags)
                    }
                }
            } catch where error.code == .wouldBlock && index == 0 {
                // Nothing was queued; ZeroMQ accepts the remaining frames of a
                // message once the first is in, so only the first can block.
                return false
            }
        }
        return true
    }

    /// Sends a single-frame message; see ``send(_:dontWait:)-([[UInt8]],_)``.
    @discardableResult
    public func send(_ frame: [UInt8], dontWait: Bool = false) throws(ZMQError) -> Bool {
        try send([frame], dontWait: dontWait)
    }

    /// Receives one multipart message.
    ///
    /// On a ROUTER socket the first frame is the sender's routing identity.
    ///
    /// - Parameter dontWait: If true, return `nil` at once when no message is
    ///   queued; otherwise block until one arrives or the receive timeout
    ///   (``setReceiveTimeout(milliseconds:)``) expires.
    /// - Returns: The frames, or `nil` when no message was available.
    /// - Throws: ``ZMQError``: `contextTerminated` when the context is shut
    ///   down while waiting, `notSocket`, `invalidState`.
    public func receive(dontWait: Bool = false) throws(ZMQError) -> [[UInt8]]? {
        let handle = try liveHandle("zmq_msg_recv")
        var frames: [[UInt8]] = []
        var flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
        var message = zmq_msg_t()
        while true {
            // zmq_msg_init cannot fail.
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            do {
                try zmqCall("zmq_msg_recv") { zmq_msg_recv(&message, handle, flags) }
            } catch where error.code == .wouldBlock && frames.isEmpty {
                return nil
            }
            let count = zmq_msg_size(&message)
            let bytes = UnsafeRawBufferPointer(start: zmq_msg_data(&message), count: count)
            frames.append(Array(bytes))
            if zmq_msg_more(&message) == 0 { return frames }
            // The rest of a multipart message is already here.
            flags = 0
        }
    }
}
