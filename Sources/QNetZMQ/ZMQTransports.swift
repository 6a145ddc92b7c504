import QNetTransport

/// A ``ProcessTransport`` over a ZeroMQ DEALER socket whose routing identity is the process name.
///
/// With a direct backplane it also binds a ROUTER that peers send to, and keeps one DEALER per
/// peer (same identity), connected on first use.
///
/// The peer DEALERs live in a context of their own: libzmq resolves a `tcp://` host name on the
/// I/O thread of the socket's context (blocking, in getaddrinfo), so a slow name lookup for a peer
/// would otherwise hold up the link to the coordinator too, heartbeats included.
public final class ZMQDealerTransport: ProcessTransport {
    let context: ZMQContext
    /// The peers' context (its own I/O thread), made with the first peer socket.
    var peerContext: ZMQContext?
    let socket: ZMQSocket
    var poller = ZMQPoller()
    let identity: String
    let maxMessageBytes: Int64
    var backplane: ZMQSocket?
    var peers: [String: ZMQSocket] = [:]
    /// Alternates which socket is read first when both are readable.
    var peerFirst = false

    /// Connects to `endpoint` (e.g. `ipc:///tmp/qnet-…/coordinator`, `tcp://127.0.0.1:5555`).
    public init(endpoint: String, identity: String, maxMessageBytes: Int64) throws(ZMQError) {
        self.identity = identity
        self.maxMessageBytes = maxMessageBytes
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

    public func bindBackplane(_ endpoint: String) throws -> String {
        let router = try ZMQSocket(context: context, type: .router)
        try router.setMaxMessageSize(bytes: maxMessageBytes)
        try router.setLinger(milliseconds: 200)
        try router.setReceiveHighWaterMark(100_000)
        try router.bind(endpoint)
        backplane = router
        poller.add(router)
        return try router.lastEndpoint
    }

    public func send(toPeer name: String, at endpoint: String, frames: [[UInt8]]) throws {
        guard !frames.isEmpty else { return }
        let peer: ZMQSocket
        if let known = peers[name] {
            peer = known
        } else {
            if peerContext == nil { peerContext = try ZMQContext() }
            peer = try ZMQSocket(context: peerContext!, type: .dealer)
            try peer.setRoutingID(identity)
            try peer.setMaxMessageSize(bytes: maxMessageBytes)
            try peer.setLinger(milliseconds: 200)
            try peer.setSendHighWaterMark(100_000)
            try peer.connect(endpoint)
            peers[name] = peer
        }
        try peer.send(frames)
    }

    public func receiveMessage(timeoutMilliseconds: Int) throws -> (peer: String?, frames: [[UInt8]])? {
        guard let backplane else { return try receiveFrames(timeoutMilliseconds: timeoutMilliseconds).map { (nil, $0) } }
        if timeoutMilliseconds > 0 {
            guard try !poller.poll(timeoutMilliseconds: timeoutMilliseconds).isEmpty else { return nil }
        }
        peerFirst.toggle()
        for fromPeer in peerFirst ? [true, false] : [false, true] {
            if fromPeer {
                // ROUTER: [peer identity, frames…]
                if let frames = try backplane.receive(dontWait: true), let name = frames.first {
                    return (String(decoding: name, as: UTF8.self), Array(frames.dropFirst()))
                }
            } else if let frames = try socket.receive(dontWait: true) {
                return (nil, frames)
            }
        }
        return nil
    }

    public func close() {
        for peer in peers.values { peer.close() }
        peerContext?.close()
        backplane?.close()
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
