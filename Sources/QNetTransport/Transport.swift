/// How a process shell talks to the rest of the cluster: frames of bytes (encoded envelopes).
///
/// Shells depend on these protocols, not on ZeroMQ: `qnet` composes them with the ZeroMQ
/// transports of QNetZMQ.

/// A process's connection to the coordinator (a DEALER whose identity is the process's name).
public protocol ProcessTransport: AnyObject {
    /// Sends one frame to the coordinator.
    func send(_ frame: [UInt8]) throws
    /// The next frame, or nil if none arrives within `timeoutMilliseconds` (0: do not wait).
    func receive(timeoutMilliseconds: Int) throws -> [UInt8]?
    /// Sends several frames as one message (one wake-up for the receiver), in order.
    func send(frames: [[UInt8]]) throws
    /// The frames of the next message, or nil on timeout.
    func receiveFrames(timeoutMilliseconds: Int) throws -> [[UInt8]]?
    /// Closes the connection; further calls fail.
    func close()

    // Direct backplane (DESIGN §3: backplane traffic may go node to node). Transports without it
    // keep the defaults below: everything goes through the coordinator.

    /// Starts receiving backplane messages from peers directly at `endpoint`.
    /// - Returns: the endpoint peers connect to (a `tcp://…:*` port resolved).
    func bindBackplane(_ endpoint: String) throws -> String
    /// Sends frames as one message to the peer `name` listening at `endpoint`.
    func send(toPeer name: String, at endpoint: String, frames: [[UInt8]]) throws
    /// The next message from the coordinator (`peer` nil) or from a peer (its name), or nil.
    func receiveMessage(timeoutMilliseconds: Int) throws -> (peer: String?, frames: [[UInt8]])?
}

/// A transport without a direct backplane was asked to use one.
public struct NoDirectBackplane: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "this transport has no direct backplane" }
}

extension ProcessTransport {
    public func bindBackplane(_ endpoint: String) throws -> String { throw NoDirectBackplane() }
    public func send(toPeer name: String, at endpoint: String, frames: [[UInt8]]) throws { throw NoDirectBackplane() }
    public func receiveMessage(timeoutMilliseconds: Int) throws -> (peer: String?, frames: [[UInt8]])? {
        try receiveFrames(timeoutMilliseconds: timeoutMilliseconds).map { (nil, $0) }
    }
}

/// The coordinator's socket (a ROUTER): frames tagged with the peer's identity.
public protocol RouterTransport: AnyObject {
    /// Sends one frame to the peer with `identity`.
    /// - Throws: if the peer is not connected (the transport decides how to report it).
    func send(to identity: [UInt8], _ frame: [UInt8]) throws
    /// The next frame with its sender's identity, or nil on timeout. A message that is not
    /// exactly [identity, frame] is returned with `frame` set to its frames joined, so the
    /// caller can count and log it as malformed.
    func receive(timeoutMilliseconds: Int) throws -> (identity: [UInt8], frame: [UInt8], frameCount: Int)?
    /// Sends several frames to one peer as one message, in order.
    func send(to identity: [UInt8], frames: [[UInt8]]) throws
    /// The next message: its sender's identity and its frames (after the identity), or nil.
    func receiveFrames(timeoutMilliseconds: Int) throws -> (identity: [UInt8], frames: [[UInt8]])?
    func close()
}
