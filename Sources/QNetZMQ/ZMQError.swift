/// A failed libzmq call: what went wrong, which C error it was, and where.
///
/// Every libzmq call in QNetZMQ reports failure through this one type. The
/// `code` names the errors callers handle differently; everything else is
/// ``Code/other(_:)`` with the raw errno kept.
public struct ZMQError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is, by the C errno libzmq reported.
    public enum Code: Hashable, Sendable {
        /// `EAGAIN`: the operation would block (non-blocking send or receive,
        /// a full high-water mark, or an expired send/receive timeout).
        case wouldBlock
        /// `ETERM`: the socket's context was shut down.
        case contextTerminated
        /// `EHOSTUNREACH`: a ROUTER socket with router-mandatory set was asked
        /// to send to a routing identity that is not connected.
        case hostUnreachable
        /// `EINVAL`: an invalid argument, such as a malformed endpoint or an
        /// option value out of range.
        case invalidArgument
        /// `EADDRINUSE`: the endpoint is already bound by another socket.
        case addressInUse
        /// `EADDRNOTAVAIL`: the endpoint names an address that is not local.
        case addressNotAvailable
        /// `EPROTONOSUPPORT`: the endpoint's transport (e.g. `foo://`) is not
        /// supported.
        case protocolNotSupported
        /// `ENOENT`: no such endpoint (unbinding or disconnecting an endpoint
        /// that was never bound or connected).
        case endpointNotFound
        /// `ENOTSOCK`: the socket is closed or invalid.
        case notSocket
        /// `EMSGSIZE`: the message is too large for the operation.
        case messageTooLarge
        /// `EFSM`: the operation is not valid in the socket's current state.
        case invalidState
        /// Any other errno, kept as reported.
        case other(Int32)

        /// Maps a C errno reported by libzmq to its code.
        init(errno value: Int32) {
            switch value {
            case CError.again: self = .wouldBlock
            case CError.term: self = .contextTerminated
            case CError.hostUnreachable: self = .hostUnreachable
            case CError.invalid: self = .invalidArgument
            case CError.addressInUse: self = .addressInUse
            case CError.addressNotAvailable: self = .addressNotAvailable
            case CError.protocolNotSupported: self = .protocolNotSupported
            case CError.noEntry: self = .endpointNotFound
            case CError.notSocket: self = .notSocket
            case CError.messageSize: self = .messageTooLarge
            case CError.finiteStateMachine: self = .invalidState
            default: self = .other(value)
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// The raw errno value libzmq reported.
    public var errno: Int32
    /// libzmq's description of the error (`zmq_strerror`), or a QNetZMQ
    /// sentence for failures detected before calling libzmq.
    public var message: String
    /// The libzmq function or QNetZMQ operation that failed, e.g. `zmq_bind`.
    public var operation: String
    /// Extra context such as the endpoint or option involved; may be empty.
    public var detail: String

    /// Creates an error from an errno value reported by libzmq.
    init(errno value: Int32, operation: String, detail: String = "") {
        self.code = Code(errno: value)
        self.errno = value
        self.message = ZMQ.describe(errno: value)
        self.operation = operation
        self.detail = detail
    }

    /// Creates an error detected by QNetZMQ itself, with the errno libzmq
    /// would have used for the same condition.
    init(code: Code, errno value: Int32, message: String, operation: String, detail: String = "") {
        self.code = code
        self.errno = value
        self.message = message
        self.operation = operation
        self.detail = detail
    }

    /// The error for any operation on a socket that was already closed.
    static func closed(_ operation: String) -> ZMQError {
        ZMQError(
            code: .notSocket, errno: CError.notSocket, message: "socket is closed",
            operation: operation)
    }

    public var description: String {
        let context = detail.isEmpty ? "" : " (\(detail))"
        return "\(operation)\(context): \(message) [errno \(errno)]"
    }
}
