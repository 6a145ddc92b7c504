internal import CZeroMQ

/// A libzmq context: the I/O threads and bookkeeping shared by sockets.
///
/// One context per process is normal. Sockets keep their context alive, so the
/// context is terminated (`zmq_ctx_term`) only after its last socket has gone
/// away; ``close()`` never blocks.
///
/// Thread safety: `@unchecked Sendable` because libzmq documents contexts as
/// thread-safe (zmq(7): "a ØMQ context is thread safe") and the only stored
/// property is the immutable handle; sockets, which are not thread-safe, are
/// separate non-Sendable objects.
public final class ZMQContext: @unchecked Sendable {
    /// The `void *` returned by `zmq_ctx_new`; valid until `deinit`.
    private let handle: UnsafeMutableRawPointer

    /// Creates a context.
    ///
    /// - Parameter ioThreads: Number of libzmq I/O threads (`ZMQ_IO_THREADS`);
    ///   one is plenty for the message rates of a QNetLab process.
    /// - Throws: ``ZMQError`` if libzmq cannot create the context (for
    ///   example `EMFILE`) or rejects the thread count.
    public init(ioThreads: Int = 1) throws(ZMQError) {
        let handle = try zmqPointerCall("zmq_ctx_new") { zmq_ctx_new() }
        do {
            try zmqCall("zmq_ctx_set", detail: "ZMQ_IO_THREADS=\(ioThreads)") {
                zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(clamping: ioThreads))
            }
        } catch {
            zmq_ctx_term(handle)
            throw error
        }
        self.handle = handle
    }

    /// Shuts the context down: blocking calls on its sockets return with
    /// ``ZMQError/Code/contextTerminated`` and no new socket can be created.
    ///
    /// Idempotent and non-blocking. Sockets still need their own ``ZMQSocket/close()``.
    public func close() {
        // zmq_ctx_shutdown only fails with EFAULT for an invalid context, which
        // this class's invariant rules out; a repeated shutdown is a no-op.
        _ = zmq_ctx_shutdown(handle)
    }

    deinit {
        // Safety net: every socket holds a strong reference to its context,
        // so no socket is open here and zmq_ctx_term returns after the
        // sockets' linger periods. Retry only EINTR; nothing else can be done.
        while zmq_ctx_term(handle) == -1 && zmq_errno() == CError.interrupted {}
    }

    /// Creates a raw libzmq socket in this context; used by ``ZMQSocket``.
    func makeSocketHandle(type: Int32) throws(ZMQError) -> UnsafeMutableRawPointer {
        try zmqPointerCall("zmq_socket") { zmq_socket(handle, type) }
    }
}
