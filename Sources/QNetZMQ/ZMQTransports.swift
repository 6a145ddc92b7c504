import QNetTransport

/// A ``ProcessTransport`` over a ZeroMQ DEALER socket whose routing identity is the process name.
public final class ZMQDealerTransport: ProcessTransport {
    let context: ZMQContext
    let socket: ZMQSocket
    var poller = ZMQPoller()

    /// Connects to `endpoint` (e.g. `ipc:///tmp/qnet-…/coordinator`, `tcp://127.0.0.1:5555`).
    public init(endpoint: String, identity: String, maxMessageBytes: Int64) throws(ZMQError) {
        context = try ZMQContext()
        socket = try ZMQSocket(context: context, type: .dealer)
        try socket.setRoutingID(identity)
        try socket.setMaxMessageSize(bytes: maxMessageBytes)
        try socket.setLinger(milliseconds: 200)
        try socket.connect(endpoint)
        poller.add(socket)
    }

    public func send(_ frame: [UInt8]) throws {
        try socket.send(frame)
    }

    public func receive(timeoutMilliseconds: Int) throws -> [UInt8]? {
        if timeoutMilliseconds > 0 {
            guard try !poller.poll(timeoutMilliseconds: timeoutMilliseconds).isEmpty else { return nil }
        }
        guard let frames = try socket.receive(dontWait: true) else { return nil }
        return frames.count == 1 ? frames[0] : Array(frames.joined())
    }

    public func send(frames: [[UInt8]]) throws {
        guard !frames.isEmpty else { return }
        try socket.send(frames)
    }

    public func receiveFrames(timeoutMilliseconds: Int) throws -> [[UInt8]]? {
        if timeoutMilliseconds > 0 {
            guard try !poller.poll(timeoutMilliseconds: timeoutMilliseconds).isEmpty else { return nil }
        }
        return try socket.receive(dontWait: true)
    }

    public func close() {
        socket.close()
        context.close()
    }
}

/// A ``RouterTransport`` over a ZeroMQ ROUTER socket (ROUTER_MANDATORY, so sending to an
/// unknown peer fails instead of vanishing).
public final class ZMQRouterTransport: RouterTransport {
    let context: ZMQContext
    let socket: ZMQSocket
    var poller = ZMQPoller()
    /// The bound endpoint, with the port resolved for `tcp://…:*`.
    public let endpoint: String

    public init(bind endpoint: String, maxMessageBytes: Int64) throws(ZMQError) {
        context = try ZMQContext()
        socket = try ZMQSocket(context: context, type: .router)
        try socket.setRouterMandatory(true)
        try socket.setMaxMessageSize(bytes: maxMessageBytes)
        try socket.setLinger(milliseconds: 200)
        try socket.setSendHighWaterMark(100_000)
        try socket.setReceiveHighWaterMark(100_000)
        try socket.bind(endpoint)
        self.endpoint = try socket.lastEndpoint
        poller.add(socket)
    }

    public func send(to identity: [UInt8], _ frame: [UInt8]) throws {
        try socket.send([identity, frame])
    }

    public func receive(timeoutMilliseconds: Int) throws -> (identity: [UInt8], frame: [UInt8], frameCount: Int)? {
        if timeoutMilliseconds > 0 {
            guard try !poller.poll(timeoutMilliseconds: timeoutMilliseconds).isEmpty else { return nil }
        }
        guard let frames = try socket.receive(dontWait: true), let identity = frames.first else { return nil }
        if frames.count == 2 { return (identity, frames[1], 2) }
        return (identity, Array(frames.dropFirst().joined()), frames.count)
    }

    public func send(to identity: [UInt8], frames: [[UInt8]]) throws {
        guard !frames.isEmpty else { return }
        try socket.send([identity] + frames)
    }

    public func receiveFrames(timeoutMilliseconds: Int) throws -> (identity: [UInt8], frames: [[UInt8]])? {
        if timeoutMilliseconds > 0 {
            guard try !poller.poll(timeoutMilliseconds: timeoutMilliseconds).isEmpty else { return nil }
        }
        guard let frames = try socket.receive(dontWait: true), let identity = frames.first else { return nil }
        return (identity, Array(frames.dropFirst()))
    }

    public func close() {
        socket.close()
        context.close()
    }
}
