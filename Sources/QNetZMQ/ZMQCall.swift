internal import CZeroMQ

/// The C errno values QNetZMQ distinguishes, spelled once for this platform.
enum CError {
    static let interrupted = Int32(QNET_ZMQ_EINTR)
    static let again = Int32(QNET_ZMQ_EAGAIN)
    static let invalid = Int32(QNET_ZMQ_EINVAL)
    static let noEntry = Int32(QNET_ZMQ_ENOENT)
    static let term = Int32(QNET_ZMQ_ETERM)
    static let finiteStateMachine = Int32(QNET_ZMQ_EFSM)
    static let notSocket = Int32(QNET_ZMQ_ENOTSOCK)
    static let messageSize = Int32(QNET_ZMQ_EMSGSIZE)
    static let hostUnreachable = Int32(QNET_ZMQ_EHOSTUNREACH)
    static let addressInUse = Int32(QNET_ZMQ_EADDRINUSE)
    static let addressNotAvailable = Int32(QNET_ZMQ_EADDRNOTAVAIL)
    static let protocolNotSupported = Int32(QNET_ZMQ_EPROTONOSUPPORT)
}

/// Calls a libzmq function that signals failure by returning -1.
///
/// The single path by which QNetZMQ calls libzmq's integer-returning
/// functions: it reads `zmq_errno()` immediately after a failure (before any
/// other call can overwrite it), retries `EINTR` (a signal interrupted a
/// blocking call; nothing happened), and maps everything else to ``ZMQError``.
///
/// - Parameters:
///   - operation: The C function's name, recorded in the error.
///   - detail: Context for the error message, such as the endpoint.
///   - body: The call; must not call libzmq more than once.
/// - Returns: The function's non-negative result.
/// - Throws: ``ZMQError`` for any failure other than `EINTR`.
@inline(__always)
@discardableResult
func zmqCall(
    _ operation: String, detail: @autoclosure () -> String = "", _ body: () -> Int32
) throws(ZMQError) -> Int32 {
    while true {
        let result = body()
        if result != -1 { return result }
        let error = zmq_errno()
        if error == CError.interrupted { continue }
        throw ZMQError(errno: error, operation: operation, detail: detail())
    }
}

/// Calls a libzmq function that signals failure by returning `NULL`, with the
/// same errno handling as ``zmqCall(_:detail:_:)``.
@inline(__always)
func zmqPointerCall(
    _ operation: String, _ body: () -> UnsafeMutableRawPointer?
) throws(ZMQError) -> UnsafeMutableRawPointer {
    while true {
        if let pointer = body() { return pointer }
        let error = zmq_errno()
        if error == CError.interrupted { continue }
        throw ZMQError(errno: error, operation: operation)
    }
}
