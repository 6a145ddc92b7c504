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
    var malformedFrames = 0
    let parentPID: Int32
    /// The scenario text, run id and seed from the coordinator's Welcome.
    public private(set) var welcome: MessageBody.Welcome?

    enum Event {
        case message(Envelope)
        case local(() -> Bool)
    }
    /// Events that could not complete yet (waiting for quantum state to arrive over the
    /// backplane), retried first in every window; while one is pending the process does not
    /// advance past its time (DESIGN §3: groups migrate to the acting node).
    var blocked: [(time: VTime, action: () -> Bool)] = []
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
        if inBackplane && !destination.isEmpty && !body.isBackplane {
            log("bug: \(body.typeName) sent while handling backplane traffic; dropped")
            return
        }
        sequence += 1
        let envelope = Envelope(source: name, destination: destination, sendTime: now, deliveryTime: now, sequence: sequence, body: body)
        do {
            try transport.send(try WireCodec.encode(envelope))
        } catch {
            log("cannot send \(body.typeName) to '\(destination)': \(error)")
        }
    }

    /// Runs `action` at virtual time `time` (not before now).
    public func schedule(at time: VTime, _ action: @escaping () -> Void) {
        queue.schedule(.local({ action(); return true }), at: max(time, now))
    }

    /// Runs `action` at `time`; while it returns false (waiting for state to arrive), it is
    /// retried at the same virtual time in later windows and the process does not advance.
    public func scheduleRetrying(at time: VTime, _ action: @escaping () -> Bool) {
        queue.schedule(.local(action), at: max(time, now))
    }

    /// Logs a line to standard error, prefixed with the process name.
    public func warn(_ message: String) { log(message) }

    // MARK: - Lifecycle

    /// Registers, builds the behaviour from the Welcome, runs until Shutdown.
    /// - Throws: ``ShellError`` when the coordinator does not answer or the scenario is bad.
    public func run(makeBehavior: (MessageBody.Welcome) throws -> ProcessBehavior) throws {
        send(.hello(.init(role: role, name: name, pid: UInt32(getpid()), protocolVersion: WireCodec.protocolVersion, softwareVersion: QNetVersion.current)), to: "")
        guard case let .welcome(w)? = try waitFor({ if case .welcome = $0 { true } else { false } }, seconds: 20)?.body else {
            throw ShellError("no welcome from the coordinator within 20 s")
        }
        welcome = w
        let behavior = try makeBehavior(w)
        send(.ready(.init(index: w.index)), to: "")
        guard try waitFor({ if case .start = $0 { true } else { false } }, seconds: 60) != nil else {
            if stopping { return }
            throw ShellError("no start from the coordinator within 60 s")
        }
        behavior.start(self)
        try loop(behavior)
    }

    func parentIsGone() -> Bool { getppid() != parentPID }

    /// Receives until `match` or timeout; a Shutdown ends the wait with nil.
    func waitFor(_ match: (MessageBody) -> Bool, seconds: Double) throws -> Envelope? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if parentIsGone() { throw ShellError("the coordinator process is gone") }
            guard let envelope = try receive(timeoutMilliseconds: 100) else { continue }
            if case .shutdown = envelope.body { stopping = true; return nil }
            if match(envelope.body) { return envelope }
        }
        return nil
    }

    func receive(timeoutMilliseconds: Int) throws -> Envelope? {
        guard let frame = try transport.receive(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        do {
            return try WireCodec.decode(frame)
        } catch {
            malformedFrames += 1
            log("dropped a malformed frame (\(frame.count) bytes): \(error)")
            return nil
        }
    }

    func loop(_ behavior: ProcessBehavior) throws {
        while !stopping {
            if parentIsGone() { throw ShellError("the coordinator process is gone") }
            guard let envelope = try receive(timeoutMilliseconds: 100) else { continue }
            switch envelope.body {
            case let .grant(grant):
                runWindow(until: grant.windowEnd, behavior)
                let next = ([queue.nextTime] + blocked.map(\.time)).compactMap { $0 }.min()
                send(.windowDone(.init(round: grant.round, nextEventTime: next, messagesSent: sequence)), to: "")
            case .shutdown:
                stopping = true
            case _ where envelope.body.isBackplane:
                inBackplane = true
                behavior.backplane(envelope, self)
                inBackplane = false
            default:
                queue.schedule(.message(envelope), at: envelope.deliveryTime)
            }
        }
    }

    func runWindow(until end: VTime, _ behavior: ProcessBehavior) {
        var stillBlocked: [(time: VTime, action: () -> Bool)] = []
        for (time, action) in blocked {
            now = time
            if !action() { stillBlocked.append((time, action)) }
        }
        blocked = stillBlocked
        guard blocked.isEmpty else { return }
        while let (time, event) = queue.popNext(before: end) {
            now = max(now, time)
            switch event {
            case let .message(envelope): behavior.deliver(envelope, self)
            case let .local(action):
                if !action() {
                    blocked.append((now, action))
                    return
                }
            }
        }
    }
}

/// The software version written into results.
public enum QNetVersion {
    public static let current = "0.1.0"
}
