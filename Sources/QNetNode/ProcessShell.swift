import Foundation
import QNetCore
import QNetTransport
import QNetWire

/// What a node or station does; the shell carries it out (STYLE habit 2: the behaviour
/// decides, the shell does I/O).
public protocol ProcessBehavior: AnyObject {
    /// The run starts at virtual time zero.
    func start(_ shell: ProcessShell)
    /// A routed message, at its delivery time (`shell.now`).
    func deliver(_ envelope: Envelope, _ shell: ProcessShell)
    /// A backplane message: handled on arrival, at the time it carries (DESIGN §3).
    func backplane(_ envelope: Envelope, _ shell: ProcessShell)
    /// True when what this behaviour does with a routed message depends only on the messages it
    /// has received, never on when (a station pairing attempt batches by id), and what it sends is
    /// stamped no earlier than the message's delivery: under the lockstep clock it may answer each
    /// message as it arrives instead of waiting for a window.
    var answersOnArrival: Bool { get }
    /// The earliest virtual time of work waiting for quantum state to arrive over the backplane
    /// (a swap whose groups are on their way); the process does not advance past it.
    var waitingSince: VTime? { get }
    /// Goes on with work waiting for state: at its own time (lockstep), or now (`realtime`).
    func resume(_ shell: ProcessShell, realtime: Bool)
    /// Counters for the run's summary, sent when the run ends.
    var metrics: [String: UInt64] { get }
}

extension ProcessBehavior {
    public var answersOnArrival: Bool { false }
    public var waitingSince: VTime? { nil }
    public func resume(_ shell: ProcessShell, realtime: Bool) {}
    public var metrics: [String: UInt64] { [:] }
}

/// The error a process shell stops with: one line for the user.
public struct ShellError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The event loop of one node or station process under the lockstep clock (DESIGN §2):
/// register with the coordinator, then run local events and delivered messages strictly
/// before each granted horizon, and report the next event time.
///
/// Single-threaded: one loop, one transport, one event queue keyed by virtual time.
public final class ProcessShell {
    public let name: String
    public let role: MessageBody.Role
    let transport: ProcessTransport
    let log: (String) -> Void

    /// Current virtual time: the time of the event being handled.
    public private(set) var now: VTime = .zero
    var queue = EventQueue<Event>()
    var sequence: UInt64 = 0
    var stopping = false
    let parentPID: Int32
    /// The run id, seed and configuration from the coordinator's Welcome.
    public private(set) var welcome: MessageBody.Welcome?
    /// Why the coordinator's first message could not be decoded.
    var malformedWelcome: String?

    enum Event {
        case message(Envelope)
        case local(() -> Void)
    }
    /// True while a backplane message is handled: such handlers may not send routed messages
    /// (they run outside virtual time).
    var inBackplane = false

    public init(name: String, role: MessageBody.Role, transport: ProcessTransport, log: @escaping (String) -> Void) {
        self.name = name
        self.role = role
        self.transport = transport
        self.log = log
        parentPID = getppid()
    }

    // MARK: - What behaviours call

    /// Sends `body` to `destination` (empty: the coordinator), stamped with the current time.
    public func send(_ body: MessageBody, to destination: String) {
        send(body, to: destination, at: now)
    }

    /// Sends `body` stamped with a later virtual time: for an outcome already decided now that
    /// happens at `time` (a station's herald from the batched sampler). Delivered at `time` plus
    /// the channel's delay, as if sent then.
    public func send(_ body: MessageBody, to destination: String, at time: VTime) {
        let stamp = max(time, now)
        if inBackplane && !destination.isEmpty && !body.isBackplane {
            log("bug: \(body.typeName) sent while handling backplane traffic; dropped")
            return
        }
        sequence += 1
        let envelope = Envelope(source: name, destination: destination, sendTime: stamp, deliveryTime: stamp, sequence: sequence, body: body)
        do {
            let frame = try WireCodec.encode(envelope)
            // Node to node when both ends have a backplane socket (a peer takes direct messages only
            // from members listed with one); otherwise through the coordinator.
            if body.isBackplane, hasBackplane, let endpoint = peerEndpoints[destination] {
                sendDirect(frame, to: destination, at: endpoint)
            } else if outbox != nil {
                outbox!.append(frame)
            } else {
                try transport.send(frame)
            }
        } catch {
            log("cannot send \(body.typeName) to '\(destination)': \(error)")
        }
    }

    // MARK: - Direct backplane (DESIGN §3)

    /// Bind a ROUTER here for backplane messages from peers (nil: everything via the coordinator).
    public var backplaneBind: String?
    /// What peers connect to, when it differs from the bound endpoint.
    public var backplaneAdvertise: String?
    /// Testing: hold each direct backplane message up to this long (wall clock), each peer's in order.
    public var backplaneJitterSeconds = 0.0
    /// Peers' direct endpoints, from Start.
    var peerEndpoints: [String: String] = [:]
    /// This process bound a backplane socket (and told the coordinator where).
    var hasBackplane = false
    /// Direct backplane messages sent, and received and handled, since the start.
    var directSent: UInt64 = 0
    var directHandled: UInt64 = 0
    /// Whether the envelope ``receive(timeoutMilliseconds:)`` returned last came from a peer.
    var lastFromPeer = false
    var held: [(ready: Date, peer: String, endpoint: String, frame: [UInt8])] = []
    var lastReady: [String: Date] = [:]
    var jitter = SeededRandom(seed: 0x6A17)

    /// Frames dropped from peers on the backplane socket.
    var drops = DropLog()

    func dropFromPeer(_ peer: String, _ what: String) {
        if let line = drops.record(from: peer, what, source: { "peer '\($0)' on the backplane socket" }) { log(line) }
    }

    func sendDirect(_ frame: [UInt8], to peer: String, at endpoint: String) {
        directSent += 1
        if backplaneJitterSeconds > 0 {
            let ready = max(Date() + jitter.nextUnit() * backplaneJitterSeconds, lastReady[peer] ?? .distantPast)
            lastReady[peer] = ready
            held.append((ready, peer, endpoint, frame))
            return
        }
        do { try transport.send(toPeer: peer, at: endpoint, frames: [frame]) } catch {
            log("cannot send a backplane message to '\(peer)' at \(endpoint): \(error)")
        }
    }

    /// Sends the held direct messages that are due (in order per peer: ready times are monotone).
    func flushHeld() {
        guard !held.isEmpty else { return }
        let now = Date()
        for message in held where message.ready <= now {
            do { try transport.send(toPeer: message.peer, at: message.endpoint, frames: [message.frame]) } catch {
                log("cannot send a backplane message to '\(message.peer)': \(error)")
            }
        }
        held.removeAll { $0.ready <= now }
    }

    /// Lockstep: what a window sends goes out as one message with its WindowDone (one wake-up
    /// at the coordinator instead of one per message; the order is kept).
    var outbox: [[UInt8]]?
    /// Envelopes of a received multi-frame message not yet handled.
    var pendingEnvelopes: [Envelope] = []

    /// Runs `action` at virtual time `time` (not before now).
    public func schedule(at time: VTime, _ action: @escaping () -> Void) {
        queue.schedule(.local(action), at: max(time, now))
    }

    /// Work that waited for state goes on at its own time (lockstep: `time` may be earlier than
    /// the last event's, never earlier than the window's start); what it sends is stamped then.
    public func advance(to time: VTime) {
        if epoch == nil { now = time }
    }

    /// Logs a line to standard error, prefixed with the process name.
    public func warn(_ message: String) { log(message) }

    // MARK: - Lifecycle

    /// Registers, builds the behaviour from the Welcome, runs until Shutdown.
    /// - Throws: ``ShellError`` when the coordinator does not answer or the scenario is bad.
    public func run(makeBehavior: (MessageBody.Welcome) throws -> ProcessBehavior) throws {
        var advertised = ""
        if let bind = backplaneBind {
            do {
                let bound = try transport.bindBackplane(bind)
                advertised = backplaneAdvertise ?? bound
                hasBackplane = true
            } catch {
                throw ShellError("cannot bind the backplane socket at \(bind): \(error)")
            }
        }
        send(.hello(.init(role: role, name: name, pid: UInt32(getpid()), protocolVersion: WireCodec.protocolVersion,
                          softwareVersion: QNetVersion.current, backplaneEndpoint: advertised)), to: "")
        let answer = try waitFor({ if case .welcome = $0 { true } else { false } }, seconds: 20, until: { self.malformedWelcome != nil })
        if let malformedWelcome { throw ShellError("the coordinator's welcome is malformed: \(malformedWelcome)") }
        guard case let .welcome(w)? = answer?.body else {
            throw ShellError("no welcome from the coordinator within 20 s")
        }
        welcome = w
        let behavior = try makeBehavior(w)
        self.behavior = behavior
        if w.clockMode == .realtime {
            try synchroniseClock()
            // The estimate goes to the coordinator at once, before Ready: in the summary even when
            // this process's final counters come too late (or never, if it dies).
            send(.metrics(.init(virtualTime: .zero, counters: clockCounters)), to: "")
        }
        send(.ready(.init(index: w.index)), to: "")
        guard try waitFor({ body in
            if case let .epochAnnounce(e) = body { self.epoch = e }
            if case let .start(start) = body {
                self.peerEndpoints = start.backplaneEndpoints.filter { $0.key != self.name }
                return true
            }
            return false
        }, seconds: 60) != nil else {
            if stopping { return }
            throw ShellError("no start from the coordinator within 60 s")
        }
        replayEarlyPeerMessages()
        behavior.start(self)
        if w.clockMode == .realtime {
            guard epoch != nil else { throw ShellError("realtime clock without an epoch from the coordinator") }
            try realtimeLoop(behavior)
        } else {
            try loop(behavior)
            send(.metrics(.init(virtualTime: now, counters: behavior.metrics)), to: "")
        }
    }

    // MARK: - Realtime clock (DESIGN §2)

    /// Epoch and dilation from the coordinator: vtime = (wall − epoch) / dilation.
    var epoch: MessageBody.EpochAnnounce?
    /// Coordinator clock minus this process's clock, in ns (NTP-style estimate).
    public private(set) var clockOffsetNanoseconds: Int64 = 0
    /// Half the best round trip of the estimate: the offset's remaining uncertainty, in ns.
    public private(set) var clockResidualNanoseconds: UInt64 = 0
    /// Timers that fired later than ``lateTimerThreshold`` (wall) after their virtual time.
    public private(set) var lateTimers: UInt64 = 0
    public private(set) var timers: UInt64 = 0
    var receipts: [MessageBody.DeliveryReceipts.Receipt] = []
    var lastReceiptFlush = Date()

    /// Wall-clock lateness beyond which a timer counts as late.
    public static let lateTimerThresholdSeconds = 1e-3

    /// NTP-style: t1 sent, t2 coordinator received, t3 coordinator sent, t4 received;
    /// offset = ((t2 − t1) + (t3 − t4)) / 2 from the sample with the smallest round trip
    /// (t4 − t1) − (t3 − t2), whose half is the residual uncertainty (Mills, RFC 5905 §8).
    func synchroniseClock() throws {
        var best: (rtt: Int64, offset: Int64)?
        for ping in 1...8 {
            let t1 = WallClock.nanoseconds()
            send(.clockPing(.init(pingID: UInt64(ping), t1Nanoseconds: t1)), to: "")
            guard case let .clockPong(pong)? = try waitFor({ if case let .clockPong(p) = $0 { p.pingID == UInt64(ping) } else { false } }, seconds: 5)?.body else {
                throw ShellError("no clock-sync answer from the coordinator within 5 s")
            }
            let t4 = WallClock.nanoseconds()
            let (a, b, c, d) = (Int64(bitPattern: pong.t1Nanoseconds), Int64(bitPattern: pong.t2Nanoseconds), Int64(bitPattern: pong.t3Nanoseconds), Int64(bitPattern: t4))
            let rtt = (d - a) - (c - b)
            let offset = ((b - a) + (c - d)) / 2
            if best == nil || rtt < best!.rtt { best = (rtt, offset) }
        }
        clockOffsetNanoseconds = best!.offset
        clockResidualNanoseconds = UInt64(max(best!.rtt, 0) / 2)
    }

    /// Current virtual time from the wall clock.
    func realtimeNow() -> VTime {
        guard let epoch else { return .zero }
        return RealtimeClock(epochUnixNanoseconds: epoch.epochUnixNanoseconds, dilation: epoch.dilation,
                             offsetNanoseconds: clockOffsetNanoseconds).virtualTime(atWallNanoseconds: WallClock.nanoseconds())
    }

    /// Events fire when the wall clock reaches their virtual time; a routed message is handled
    /// at max(arrival, send + modeled delay) (DESIGN §2), so real latency beyond the modeled
    /// delay becomes extra virtual latency; lateness is measured, never hidden.
    func realtimeLoop(_ behavior: ProcessBehavior) throws {
        guard let epoch else { return }
        while !stopping {
            if parentIsGone() { throw ShellError("the coordinator process is gone") }
            let vnow = realtimeNow()
            now = max(now, vnow)
            behavior.resume(self, realtime: true)
            while behavior.waitingSince == nil, let t = queue.nextTime, t <= vnow, let (time, event) = queue.popNext() {
                now = max(now, realtimeNow())
                switch event {
                case let .message(envelope):
                    receipts.append(.init(source: envelope.source, sequence: envelope.sequence, delivered: now))
                    behavior.deliver(envelope, self)
                case let .local(action):
                    timers += 1
                    if (now.duration(since: time)).seconds * epoch.dilation > Self.lateTimerThresholdSeconds { lateTimers += 1 }
                    action()
                }
            }
            if receipts.count >= 64 || (!receipts.isEmpty && Date().timeIntervalSince(lastReceiptFlush) > 0.05) { flushReceipts() }
            var timeout = 20
            if let next = queue.nextTime, behavior.waitingSince == nil {
                let wallMs = next.duration(since: realtimeNow()).seconds * epoch.dilation * 1_000
                timeout = max(0, min(20, Int(wallMs)))
            } else if behavior.waitingSince != nil {
                timeout = 1
            }
            guard let envelope = try receive(timeoutMilliseconds: timeout) else { continue }
            switch envelope.body {
            case .shutdown:
                stopping = true
            case .heartbeat:
                break
            case _ where envelope.body.isBackplane:
                handleBackplane(envelope, behavior)
            default:
                // Delivered at max(arrival, send + modeled delay).
                queue.schedule(.message(envelope), at: max(envelope.deliveryTime, realtimeNow()))
            }
        }
        flushReceipts()
        send(.metrics(.init(virtualTime: now, counters: behavior.metrics.merging([
            "timers.total": timers, "timers.late": lateTimers,
            "backplane.directSent": directSent, "backplane.directHandled": directHandled,
        ].merging(clockCounters) { $1 }) { $1 })), to: "")
    }

    /// The clock estimate as counters: |offset| and its sign (counters are unsigned), residual.
    var clockCounters: [String: UInt64] {
        ["clock.offsetNsAbs": clockOffsetNanoseconds.magnitude, "clock.offsetNegative": clockOffsetNanoseconds < 0 ? 1 : 0,
         "clock.residualNs": clockResidualNanoseconds]
    }

    /// Backplane traffic is handled on arrival, outside virtual time (DESIGN §3); routed sends
    /// are refused meanwhile.
    func handleBackplane(_ envelope: Envelope, _ behavior: ProcessBehavior) {
        if lastFromPeer { directHandled += 1 }
        inBackplane = true
        behavior.backplane(envelope, self)
        inBackplane = false
    }

    func flushReceipts() {
        lastReceiptFlush = Date()
        guard !receipts.isEmpty else { return }
        send(.deliveryReceipts(.init(receipts: receipts)), to: "")
        receipts.removeAll()
    }

    /// Lateness of a routed message being handled now: how far past send + modeled delay.
    public func lateness(of envelope: Envelope) -> VDuration {
        now.duration(since: envelope.deliveryTime)
    }

    /// The coordinator is gone: its process (when it started this one) has exited, or — for
    /// members started elsewhere (containers) — it has been silent for ``silenceLimitSeconds``
    /// (it sends a heartbeat every second).
    func parentIsGone() -> Bool {
        if getppid() != parentPID { return true }
        // While this process was busy (``keepAlive()``) it did not read: the coordinator's
        // heartbeats wait in the socket and count from when it is free again.
        return Date().timeIntervalSince(max(lastHeardFromCoordinator, lastBusy)) > Self.silenceLimitSeconds
    }

    public static let silenceLimitSeconds = 15.0
    var lastHeardFromCoordinator = Date()
    var lastHeartbeatSent = Date.distantPast
    var lastBusy = Date.distantPast

    /// For a behaviour busy with one long computation (the per-attempt sampler playing a batch of
    /// millions of attempts): sends the heartbeat, about once a second, at once (not after the
    /// messages being handled), so that the coordinator does not take this member for dead.
    public func keepAlive() {
        lastBusy = Date()
        guard welcome != nil, Date().timeIntervalSince(lastHeartbeatSent) > 1 else { return }
        lastHeartbeatSent = Date()
        sequence += 1
        let envelope = Envelope(source: name, destination: "", sendTime: now, deliveryTime: now, sequence: sequence,
                                body: .heartbeat(.init(wallTimeNanoseconds: WallClock.nanoseconds(), virtualTime: now)))
        do { try transport.send(try WireCodec.encode(envelope)) } catch {
            log("cannot send a heartbeat: \(error)")
        }
    }

    /// Tells the coordinator this member is alive (about once a second).
    func heartbeat() {
        guard Date().timeIntervalSince(lastHeartbeatSent) > 1 else { return }
        lastHeartbeatSent = Date()
        send(.heartbeat(.init(wallTimeNanoseconds: WallClock.nanoseconds(), virtualTime: now)), to: "")
    }

    /// Receives until `match` or timeout; a Shutdown ends the wait with nil.
    /// The first envelope whose body matches, within `seconds`; nil on timeout, on Shutdown, or
    /// as soon as `until` holds.
    func waitFor(_ match: (MessageBody) -> Bool, seconds: Double, until: () -> Bool = { false }) throws -> Envelope? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && !until() {
            if parentIsGone() { throw ShellError("the coordinator process is gone") }
            guard let envelope = try receive(timeoutMilliseconds: 100) else { continue }
            if case .shutdown = envelope.body { stopping = true; return nil }
            if match(envelope.body) { return envelope }
        }
        return nil
    }

    /// Direct messages from peers that arrived before this process had Start (the peer had its
    /// own Start first): kept, at most ``earlyPeerLimit``, and handled once Start is in.
    var earlyPeerFrames: [(peer: String, frames: [[UInt8]])] = []
    var peerEnvelopes: [Envelope] = []
    var started = false
    static let earlyPeerLimit = 4_096

    /// Start is in: the peer messages that came before it are checked and handled now.
    func replayEarlyPeerMessages() {
        started = true
        let early = earlyPeerFrames
        earlyPeerFrames = []
        for (peer, frames) in early {
            let before = pendingEnvelopes.count
            accept(peer: peer, frames: frames)
            peerEnvelopes += pendingEnvelopes[before...]
            pendingEnvelopes.removeSubrange(before...)
        }
    }

    func receive(timeoutMilliseconds: Int) throws -> Envelope? {
        if !peerEnvelopes.isEmpty {
            lastFromPeer = true
            return peerEnvelopes.removeFirst()
        }
        if !pendingEnvelopes.isEmpty { return pendingEnvelopes.removeFirst() }
        if outbox == nil && welcome != nil { heartbeat() }
        flushHeld()
        let timeout = held.isEmpty ? timeoutMilliseconds : min(timeoutMilliseconds, 1)
        guard let (peer, frames) = try transport.receiveMessage(timeoutMilliseconds: timeout) else { return nil }
        lastFromPeer = peer != nil
        if peer == nil { lastHeardFromCoordinator = Date() }
        if let peer, !started {
            if earlyPeerFrames.count < Self.earlyPeerLimit {
                earlyPeerFrames.append((peer, frames))
            } else {
                dropFromPeer(peer, "a message before this process's start, past \(Self.earlyPeerLimit) kept")
            }
            return nil
        }
        accept(peer: peer, frames: frames)
        return pendingEnvelopes.isEmpty ? nil : pendingEnvelopes.removeFirst()
    }

    /// Checks a received message and queues its envelopes: from a peer, only one envelope, from a
    /// member of this run, its own backplane message to this process.
    func accept(peer: String?, frames: [[UInt8]]) {
        if let peer, frames.count != 1 {
            // Peers send one envelope per message; anything else is not theirs to count.
            dropFromPeer(peer, "a message of \(frames.count) frames (one envelope per message expected)")
            return
        }
        for frame in frames {
            do {
                let envelope = try WireCodec.decode(frame)
                // From a peer: only a member of this run (one that has a direct endpoint), and only
                // its own backplane messages to this process.
                if let peer {
                    guard peerEndpoints[peer] != nil else {
                        dropFromPeer(peer, "\(envelope.body.typeName): '\(peer)' is not a member of this run")
                        continue
                    }
                    guard envelope.body.isBackplane, envelope.source == peer, envelope.destination == name else {
                        dropFromPeer(peer, "\(envelope.body.typeName) (source '\(envelope.source)', destination '\(envelope.destination)'): peers may send only their own backplane messages")
                        continue
                    }
                }
                pendingEnvelopes.append(envelope)
            } catch {
                if let peer {
                    dropFromPeer(peer, "a malformed frame (\(frame.count) bytes): \(error)")
                } else if welcome == nil {
                    // Before the Welcome the coordinator sends nothing else: this process cannot be
                    // configured, and waiting longer would only hide why.
                    malformedWelcome = "\(error)"
                } else {
                    log("dropped a malformed frame from the coordinator (\(frame.count) bytes): \(error)")
                }
            }
        }
    }

    /// The latest grant: its round and window end.
    var grantRound: UInt64 = 0
    var windowEnd: VTime = .zero

    func loop(_ behavior: ProcessBehavior) throws {
        while !stopping {
            if parentIsGone() { throw ShellError("the coordinator process is gone") }
            guard let envelope = try receive(timeoutMilliseconds: 100) else { continue }
            switch envelope.body {
            case let .grant(grant):
                grantRound = grant.round
                windowEnd = grant.windowEnd
                runReporting(behavior, always: true)
            case .shutdown:
                stopping = true
            case .heartbeat:
                break
            case _ where envelope.body.isBackplane:
                handleBackplane(envelope, behavior)
                // State an event was waiting for may have arrived: go on inside the window already
                // granted, and report if that changed anything.
                if behavior.waitingSince != nil { runReporting(behavior, always: false) }
            default:
                if behavior.answersOnArrival {
                    answer(envelope, behavior)
                } else {
                    queue.schedule(.message(envelope), at: envelope.deliveryTime)
                }
            }
        }
    }

    /// Routed messages answered on arrival (``ProcessBehavior/answersOnArrival``).
    var answered: UInt64 = 0

    /// Handles `envelope` now, at its delivery time, and reports (with what it sent, as one
    /// message) so the coordinator knows the answer is out. An answer of nothing is not reported
    /// on its own: the coordinator expects none (the count travels with the next report).
    func answer(_ envelope: Envelope, _ behavior: ProcessBehavior) {
        sendingAsOne {
            now = max(now, envelope.deliveryTime)
            let sentBefore = sequence
            behavior.deliver(envelope, self)
            answered += 1
            return sequence != sentBefore
        }
    }

    /// The behaviour run by ``run(makeBehavior:)``.
    var behavior: ProcessBehavior?

    /// The earliest time this process can act next (waiting work counts at its time).
    var nextEventTime: VTime? {
        [queue.nextTime, behavior?.waitingSince].compactMap { $0 }.min()
    }

    /// Runs the granted window and reports WindowDone with what it sent as one message: always
    /// after a grant, and after backplane arrivals only when something changed.
    func runReporting(_ behavior: ProcessBehavior, always: Bool) {
        sendingAsOne {
            let sentBefore = sequence
            let nextBefore = nextEventTime
            runWindow(until: windowEnd, behavior)
            return always || sequence != sentBefore || nextEventTime != nextBefore
        }
    }

    /// Runs `work` with what it sends collected, then sends all of it as one message (one wake-up
    /// at the coordinator, order kept), ended by a WindowDone when `work` returns true.
    func sendingAsOne(_ work: () -> Bool) {
        outbox = []
        if work() {
            send(.windowDone(.init(round: grantRound, nextEventTime: nextEventTime, messagesSent: sequence,
                                   directBackplaneSent: directSent, directBackplaneHandled: directHandled,
                                   answeredOnArrival: answered)), to: "")
        }
        let frames = outbox!
        outbox = nil
        guard !frames.isEmpty else { return }
        do { try transport.send(frames: frames) } catch { log("cannot send a window's messages: \(error)") }
    }

    /// Runs every event before `end`; work waiting for quantum state (DESIGN §3: groups migrate
    /// to the acting node) goes first, and while any waits the process does not advance.
    func runWindow(until end: VTime, _ behavior: ProcessBehavior) {
        behavior.resume(self, realtime: false)
        guard behavior.waitingSince == nil else { return }
        while let (time, event) = queue.popNext(before: end) {
            now = max(now, time)
            switch event {
            case let .message(envelope): behavior.deliver(envelope, self)
            case let .local(action): action()
            }
            if behavior.waitingSince != nil { return }
        }
    }
}

/// The software version written into results.
public enum QNetVersion {
    public static let current = "0.1.0"
}
