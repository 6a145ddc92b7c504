internal import CZeroMQ

/// Waits until any of several sockets or file descriptors is readable
/// (`zmq_poll` with `ZMQ_POLLIN`).
///
/// Register sources once, then call ``poll(timeoutMilliseconds:)`` in the
/// event loop; it answers with the indices, in registration order, of the
/// sources that can be read without blocking.
///
/// ```swift
/// var poller = ZMQPoller()
/// let control = poller.add(router)
/// let signals = poller.add(fileDescriptor: signalPipe)
/// for index in try poller.poll(timeoutMilliseconds: 10) { ... }
/// ```
public struct ZMQPoller {
    /// Something the poller watches.
    public enum Source {
        /// A ZeroMQ socket; readable when a whole message can be received.
        case socket(ZMQSocket)
        /// A POSIX file descriptor such as a pipe or signalfd.
        case fileDescriptor(Int32)
    }

    /// The registered sources, in registration order.
    public private(set) var sources: [Source] = []

    /// Creates a poller with no sources.
    public init() {}

    /// Registers a socket.
    ///
    /// - Returns: The index ``poll(timeoutMilliseconds:)`` reports for it.
    @discardableResult
    public mutating func add(_ socket: ZMQSocket) -> Int {
        sources.append(.socket(socket))
        return sources.count - 1
    }

    /// Registers a file descriptor.
    ///
    /// - Returns: The index ``poll(timeoutMilliseconds:)`` reports for it.
    @discardableResult
    public mutating func add(fileDescriptor: Int32) -> Int {
        sources.append(.fileDescriptor(fileDescriptor))
        return sources.count - 1
    }

    /// Waits until at least one source is readable or the timeout passes.
    ///
    /// - Parameter timeoutMilliseconds: Longest wait; 0 returns at once, -1
    ///   waits without limit. A signal interrupting the wait restarts it.
    /// - Returns: Indices of readable sources in ascending order; empty on
    ///   timeout.
    /// - Throws: ``ZMQError``: `notSocket` if a registered socket was closed,
    ///   `contextTerminated` if its context was shut down.
    /// - Complexity: O(number of sources) besides the wait.
    public func poll(timeoutMilliseconds: Int) throws(ZMQError) -> [Int] {
        var items: [zmq_pollitem_t] = []
        items.reserveCapacity(sources.count)
        for source in sources {
            switch source {
            case .socket(let socket):
                let handle = try socket.liveHandle("zmq_poll")
                items.append(
                    zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
            case .fileDescriptor(let descriptor):
                items.append(
                    zmq_pollitem_t(socket: nil, fd: descriptor, events: Int16(ZMQ_POLLIN), revents: 0))
            }
        }
        let count = Int32(items.count)
        let ready = try zmqCall("zmq_poll") {
            items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, count, timeoutMilliseconds) }
        }
        guard ready > 0 else { return [] }
        return items.indices.filter { items[$0].revents & Int16(ZMQ_POLLIN) != 0 }
    }
}
