import Foundation
import Synchronization
import Testing

@testable import QNetZMQ

/// Receive timeout for blocking receives in tests, so a bug fails a test
/// instead of hanging the suite.
private let receiveTimeoutMilliseconds: Int32 = 5_000

/// A fresh ipc endpoint in the temporary directory, unique per call.
private func uniqueIPCEndpoint() -> String {
    "ipc:///tmp/qnet-zmq-test-\(UInt64.random(in: 0...UInt64.max)).sock"
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A bound ROUTER and a DEALER named `name` connected to it.
private struct RouterDealerPair {
    let context: ZMQContext
    let router: ZMQSocket
    let dealer: ZMQSocket
    let endpoint: String

    init(bindTo endpoint: String, dealerName name: String = "alice") throws {
        context = try ZMQContext()
        router = try ZMQSocket(context: context, type: .router)
        try router.setLinger(milliseconds: 0)
        try router.setReceiveTimeout(milliseconds: receiveTimeoutMilliseconds)
        try router.bind(endpoint)
        self.endpoint = try router.lastEndpoint
        dealer = try ZMQSocket(context: context, type: .dealer)
        try dealer.setLinger(milliseconds: 0)
        try dealer.setReceiveTimeout(milliseconds: receiveTimeoutMilliseconds)
        try dealer.setRoutingID(name)
        try dealer.connect(self.endpoint)
    }

    func close() {
        dealer.close()
        router.close()
        context.close()
    }
}

@Suite("ZeroMQ ROUTER/DEALER transport")
struct ZMQSocketTests {
    @Test("libzmq version is 4.x")
    func version() {
        let version = ZMQ.version
        #expect(version.major == 4)
        #expect(version >= ZMQVersion(major: 4, minor: 0, patch: 0))
        #expect(version.description.hasPrefix("4."))
    }

    @Test("round trip with the identity as first frame", arguments: ["ipc", "tcp"])
    func roundTrip(transport: String) throws {
        let endpoint = transport == "ipc" ? uniqueIPCEndpoint() : "tcp://127.0.0.1:*"
        let pair = try RouterDealerPair(bindTo: endpoint, dealerName: "alice")
        defer { pair.close() }
        if transport == "tcp" {
            #expect(pair.endpoint.hasPrefix("tcp://127.0.0.1:"))
            #expect(!pair.endpoint.hasSuffix(":*"))
        } else {
            #expect(pair.endpoint == endpoint)
        }

        #expect(try pair.dealer.send(bytes("hello")))
        let received = try #require(try pair.router.receive())
        #expect(received == [bytes("alice"), bytes("hello")])

        try pair.router.send([bytes("alice"), bytes("welcome")])
        let reply = try #require(try pair.dealer.receive())
        #expect(reply == [bytes("welcome")])
    }

    @Test("multipart messages keep frame boundaries and every byte")
    func multipartIntegrity() throws {
        let pair = try RouterDealerPair(bindTo: uniqueIPCEndpoint(), dealerName: "node-7")
        defer { pair.close() }
        var generator = SystemRandomNumberGenerator()
        let frames: [[UInt8]] = [
            [],
            [0],
            (0..<255).map { UInt8($0) },
            (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) },
            [],
        ]
        try pair.dealer.send(frames)
        let received = try #require(try pair.router.receive())
        #expect(received.count == frames.count + 1)
        #expect(received.first == bytes("node-7"))
        #expect(Array(received.dropFirst()) == frames)

        // Several messages in a row arrive whole and in order.
        for index in 0..<50 {
            try pair.dealer.send([bytes("m\(index)"), [UInt8(index)]])
        }
        for index in 0..<50 {
            let message = try #require(try pair.router.receive())
            #expect(message == [bytes("node-7"), bytes("m\(index)"), [UInt8(index)]])
        }
    }

    @Test("non-blocking receive with nothing queued returns nil")
    func dontWaitReceiveIsNil() throws {
        let pair = try RouterDealerPair(bindTo: uniqueIPCEndpoint())
        defer { pair.close() }
        #expect(try pair.router.receive(dontWait: true) == nil)
        #expect(try pair.dealer.receive(dontWait: true) == nil)
    }

    @Test("blocking receive returns nil when the receive timeout expires")
    func receiveTimeoutIsNil() throws {
        let pair = try RouterDealerPair(bindTo: uniqueIPCEndpoint())
        defer { pair.close() }
        try pair.router.setReceiveTimeout(milliseconds: 20)
        #expect(try pair.router.receive() == nil)
    }

    @Test(
        "invalid endpoints map to named error codes",
        arguments: [
            ("not-an-endpoint", ZMQError.Code.invalidArgument),
            ("bogus://127.0.0.1:1", ZMQError.Code.protocolNotSupported),
        ])
    func bindErrors(endpoint: String, expected: ZMQError.Code) throws {
        let context = try ZMQContext()
        defer { context.close() }
        let socket = try ZMQSocket(context: context, type: .router)
        defer { socket.close() }
        let error = try #require(throws: ZMQError.self) { try socket.bind(endpoint) }
        #expect(error.code == expected)
        #expect(error.operation == "zmq_bind")
        #expect(error.detail == endpoint)
        #expect(!error.message.isEmpty)
        #expect(error.description.contains("zmq_bind"))
    }

    @Test("binding an endpoint twice gives addressInUse")
    func addressInUse() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let first = try ZMQSocket(context: context, type: .router)
        let second = try ZMQSocket(context: context, type: .router)
        defer {
            first.close()
            second.close()
        }
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try first.lastEndpoint
        let error = try #require(throws: ZMQError.self) { try second.bind(endpoint) }
        #expect(error.code == .addressInUse)
    }

    @Test("unbinding an endpoint that is not bound gives endpointNotFound")
    func unbindUnknown() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let socket = try ZMQSocket(context: context, type: .router)
        defer { socket.close() }
        let error = try #require(throws: ZMQError.self) {
            try socket.unbind("tcp://127.0.0.1:1")
        }
        #expect(error.code == .endpointNotFound)
    }

    @Test("unbind stops a bound endpoint, so it can be bound again")
    func unbindThenRebind() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let socket = try ZMQSocket(context: context, type: .router)
        defer { socket.close() }
        let endpoint = uniqueIPCEndpoint()
        try socket.bind(endpoint)
        try socket.unbind(endpoint)
        try socket.bind(endpoint)
    }

    @Test("ROUTER with router-mandatory rejects an unknown identity")
    func routerMandatoryUnknownIdentity() throws {
        let pair = try RouterDealerPair(bindTo: uniqueIPCEndpoint())
        defer { pair.close() }
        try pair.router.setRouterMandatory(true)
        let error = try #require(throws: ZMQError.self) {
            try pair.router.send([bytes("nobody"), bytes("hi")])
        }
        #expect(error.code == .hostUnreachable)

        // Without the option the message is silently dropped.
        try pair.router.setRouterMandatory(false)
        #expect(try pair.router.send([bytes("nobody"), bytes("hi")]))
    }

    @Test("routing identity rules are checked before calling libzmq")
    func routingIdentityValidation() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let socket = try ZMQSocket(context: context, type: .dealer)
        defer { socket.close() }
        try socket.setRoutingID("station-ab")
        #expect(try socket.routingID() == bytes("station-ab"))
        for bad in [[], [0, 1], [UInt8](repeating: 65, count: 256)] as [[UInt8]] {
            let error = try #require(throws: ZMQError.self) { try socket.setRoutingID(bad) }
            #expect(error.code == .invalidArgument)
        }
        let error = try #require(throws: ZMQError.self) { try socket.send([[UInt8]]()) }
        #expect(error.code == .invalidArgument)
    }

    @Test("poll with nothing readable times out empty; a message makes it readable")
    func pollTimeoutThenReadable() throws {
        let pair = try RouterDealerPair(bindTo: uniqueIPCEndpoint())
        defer { pair.close() }
        var poller = ZMQPoller()
        let routerIndex = poller.add(pair.router)
        let dealerIndex = poller.add(pair.dealer)
        #expect(routerIndex == 0 && dealerIndex == 1)

        let clock = ContinuousClock()
        let start = clock.now
        #expect(try poller.poll(timeoutMilliseconds: 30).isEmpty)
        #expect(clock.now - start >= .milliseconds(25))

        try pair.dealer.send(bytes("ping"))
        #expect(try poller.poll(timeoutMilliseconds: 5_000) == [routerIndex])
        _ = try pair.router.receive()
        #expect(try poller.poll(timeoutMilliseconds: 0).isEmpty)
    }

    @Test("poll watches raw file descriptors alongside sockets")
    func pollFileDescriptor() throws {
        let pair = try RouterDealerPair(bindTo: uniqueIPCEndpoint())
        defer { pair.close() }
        let pipe = try TestPipe()
        defer { pipe.close() }
        var poller = ZMQPoller()
        poller.add(pair.router)
        let pipeIndex = poller.add(fileDescriptor: pipe.readEnd)
        #expect(try poller.poll(timeoutMilliseconds: 10).isEmpty)
        pipe.writeByte()
        #expect(try poller.poll(timeoutMilliseconds: 5_000) == [pipeIndex])
    }

    @Test("close is idempotent and later operations fail with notSocket")
    func closeTwice() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .dealer)
        #expect(!socket.isClosed)
        socket.close()
        socket.close()
        #expect(socket.isClosed)
        let error = try #require(throws: ZMQError.self) { try socket.send(bytes("x")) }
        #expect(error.code == .notSocket)
        #expect(throws: ZMQError.self) { try socket.receive(dontWait: true) }
        #expect(throws: ZMQError.self) { try socket.lastEndpoint }

        var poller = ZMQPoller()
        poller.add(socket)
        let pollError = try #require(throws: ZMQError.self) { try poller.poll(timeoutMilliseconds: 0) }
        #expect(pollError.code == .notSocket)

        context.close()
        context.close()
        let afterClose = try #require(throws: ZMQError.self) {
            _ = try ZMQSocket(context: context, type: .dealer)
        }
        #expect(afterClose.code == .contextTerminated)
    }

    @Test("sockets left open are released by deinit without blocking")
    func deinitSafetyNet() throws {
        for _ in 0..<20 {
            let context = try ZMQContext()
            let router = try ZMQSocket(context: context, type: .router)
            try router.bind(uniqueIPCEndpoint())
            let dealer = try ZMQSocket(context: context, type: .dealer)
            try dealer.connect(try router.lastEndpoint)
            _ = dealer
        }
    }

    @Test("maximum message size drops oversize messages")
    func maxMessageSize() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let router = try ZMQSocket(context: context, type: .router)
        defer { router.close() }
        try router.setLinger(milliseconds: 0)
        try router.setMaxMessageSize(bytes: 1_024)
        try router.setReceiveTimeout(milliseconds: receiveTimeoutMilliseconds)
        try router.bind(uniqueIPCEndpoint())
        let endpoint = try router.lastEndpoint

        let dealer = try ZMQSocket(context: context, type: .dealer)
        defer { dealer.close() }
        try dealer.setLinger(milliseconds: 0)
        try dealer.setRoutingID("big")
        try dealer.connect(endpoint)

        try dealer.send([UInt8](repeating: 1, count: 1_024))
        #expect(try router.receive() == [bytes("big"), [UInt8](repeating: 1, count: 1_024)])

        try dealer.send([UInt8](repeating: 2, count: 1_025))
        var poller = ZMQPoller()
        poller.add(router)
        #expect(try poller.poll(timeoutMilliseconds: 200).isEmpty)
        #expect(try router.receive(dontWait: true) == nil)
    }

    @Test("non-blocking send with no peer and immediate on reports would-block")
    func dontWaitSendWithoutPeer() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let dealer = try ZMQSocket(context: context, type: .dealer)
        defer { dealer.close() }
        try dealer.setLinger(milliseconds: 0)
        try dealer.setImmediate(true)
        try dealer.setSendHighWaterMark(1)
        try dealer.setReceiveHighWaterMark(1)
        try dealer.connect(uniqueIPCEndpoint())
        #expect(try dealer.send(bytes("lost"), dontWait: true) == false)
    }

    /// Every receive in the product waits with a timeout and loops, so what it needs is that a
    /// closed context ends the loop with contextTerminated. Under gVisor on a loaded machine the
    /// wake-up of a receive already blocked has twice been lost (the receive sat out its whole
    /// timeout); the next wait then sees the shutdown at once. The test therefore blocks in
    /// 2-second waits, as the product's loops do, and requires contextTerminated within 60 s of
    /// the close, never a receive that keeps timing out.
    @Test("closing the context ends a blocked receive loop with contextTerminated")
    func contextShutdownWakesReceive() async throws {
        let context = try ZMQContext()
        let ready = Atomic<Bool>(false)
        // A thread of its own (not the shared task pool, which other suites may keep busy): the
        // context is closed only once the receive is about to block.
        let thread = Thread {
            do throws(ZMQError) {
                let socket = try ZMQSocket(context: context, type: .dealer)
                defer { socket.close() }
                try socket.setReceiveTimeout(milliseconds: 2_000)
                ready.store(true, ordering: .releasing)
                // Each wait is a blocked receive; at most 30 of them after the close (60 s),
                // plus those before it on a starved machine.
                for _ in 0..<300 { _ = try socket.receive() }
                result.store(-1, ordering: .releasing)
            } catch {
                result.store(error.code == .contextTerminated ? 1 : -2, ordering: .releasing)
            }
        }
        thread.start()
        while !ready.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(200))
        context.close()
        let closed = ContinuousClock.now
        while result.load(ordering: .acquiring) == 0, ContinuousClock.now - closed < .seconds(60) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(result.load(ordering: .acquiring) == 1, "the blocked receive loop must end with contextTerminated within 60 s of the close")
    }
}

/// The outcome of the blocked receive in `contextShutdownWakesReceive` (0: still running).
private let result = Atomic<Int>(0)
