import ArgumentParser
import Foundation
import QNetCoordinator
import QNetCore
import QNetScenario
import QNetWire
import QNetZMQ

/// `qnet bench transport`: in one run, side by side (DESIGN §9: compare against raw ZeroMQ on
/// the same machine in the same run):
/// 1. raw ZeroMQ round trip: a peer process's DEALER ↔ this process's ROUTER, echoing bytes;
/// 2. routed round trip: peer A → coordinator → peer B → coordinator → A, as the coordinator
///    routes: decode the envelope, check its source, look up the destination, re-encode, send;
/// 3. the embedded two-node scenario in lockstep (`qnet run`): pairs per wall second,
///    messages per delivered pair, peak RSS per process.
struct TransportBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transport", abstract: "ZeroMQ round trips (raw vs routed) and the two-node lockstep run.")

    @Option(help: "Round trips per measurement.")
    var count = 20_000

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    struct Result: Codable {
        var rawRoundTripMicroseconds: Percentiles
        var routedRoundTripMicroseconds: Percentiles
        var routedOverRawMedian: Double
        var pairsPerWallSecond: Double
        var messagesPerDeliveredPair: Double
        var clockMessagesPerDeliveredPair: Double
        var peakRSSMiB: [String: Double]
    }

    struct Percentiles: Codable {
        var p50: Double
        var p99: Double
    }

    func validate() throws {
        guard (100...10_000_000).contains(count) else { throw ValidationError("--count must be in 100...10000000, got \(count)") }
    }

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qnet-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let router = try ZMQRouterTransport(bind: "ipc://\(folder.path)/router", maxMessageBytes: Int64(WireFrame.maxBytes))
        defer { router.close() }

        let raw = try measure(router: router, mode: "raw", folder: folder)
        let routed = try measure(router: router, mode: "routed", folder: folder)

        // The embedded scenario through the real `qnet run`.
        let out = folder.appendingPathComponent("results")
        let run = Process()
        run.executableURL = Run.executableURL()
        run.arguments = ["run", "--out", out.path, "--quiet"]
        run.standardOutput = FileHandle.nullDevice
        try run.run()
        run.waitUntilExit()
        guard run.terminationStatus == 0 else { throw ValidationError("qnet run failed with status \(run.terminationStatus)") }
        let summary = try JSONDecoder().decode(Results.Summary.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
        let delivered = Double(summary.requests.reduce(0) { $0 + $1.pairsDelivered })
        var rss: [String: Double] = [:]
        for p in summary.processes { rss[p.name] = Double(p.peakRSSBytes ?? 0) / 1_048_576 }
        let result = Result(
            rawRoundTripMicroseconds: raw, routedRoundTripMicroseconds: routed, routedOverRawMedian: routed.p50 / raw.p50,
            pairsPerWallSecond: delivered / summary.wallSeconds,
            messagesPerDeliveredPair: summary.messages.perDeliveredPair ?? .nan,
            clockMessagesPerDeliveredPair: Double(summary.messages.clock) / max(delivered, 1),
            peakRSSMiB: rss)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(String(format: "raw DEALER↔ROUTER round trip     p50 %8.1f µs   p99 %8.1f µs", raw.p50, raw.p99))
            print(String(format: "routed A→coordinator→B→A        p50 %8.1f µs   p99 %8.1f µs   (%.2f× raw)", routed.p50, routed.p99, result.routedOverRawMedian))
            print(String(format: "two-node lockstep run: %.0f pairs per wall second, %.2f messages per pair (+ %.2f clock)",
                         result.pairsPerWallSecond, result.messagesPerDeliveredPair, result.clockMessagesPerDeliveredPair))
            for (name, mib) in rss.sorted(by: { $0.key < $1.key }) {
                print("  peak RSS " + name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%6.1f MiB", mib))
            }
        }
    }

    /// Spawns the peers for `mode`, serves as echo (raw) or router (routed), and returns the
    /// initiating peer's round-trip percentiles.
    func measure(router: ZMQRouterTransport, mode: String, folder: URL) throws -> Percentiles {
        let names = mode == "raw" ? ["initiator"] : ["initiator", "responder"]
        let statsFile = folder.appendingPathComponent("\(mode).json")
        var peers: [Process] = []
        for name in names {
            let p = Process()
            p.executableURL = Run.executableURL()
            p.arguments = ["bench", "peer", "--connect", router.endpoint, "--name", name, "--mode", mode, "--count", "\(count)", "--stats", statsFile.path]
            try p.run()
            peers.append(p)
        }
        defer { for p in peers where p.isRunning { p.terminate() } }
        // Every peer says hello first; the initiator starts once all are connected.
        var connected: Set<String> = []
        while connected.count < names.count {
            guard peers.allSatisfy(\.isRunning) else { throw ValidationError("a benchmark peer exited early") }
            guard let (identity, _, _) = try router.receive(timeoutMilliseconds: 100) else { continue }
            connected.insert(String(decoding: identity, as: UTF8.self))
        }
        try router.send(to: Array("initiator".utf8), [])
        while peers[0].isRunning {
            guard let (identity, frame, _) = try router.receive(timeoutMilliseconds: 100) else { continue }
            if mode == "raw" {
                try router.send(to: identity, frame)
            } else {
                // The coordinator's routing path for a zero-delay message.
                guard let envelope = try? WireCodec.decode(frame), envelope.source == String(decoding: identity, as: UTF8.self),
                      names.contains(envelope.destination) else { continue }
                try router.send(to: Array(envelope.destination.utf8), WireCodec.encode(envelope))
            }
        }
        return try JSONDecoder().decode(Percentiles.self, from: Data(contentsOf: statsFile))
    }
}

/// The peer side of `qnet bench transport` (started by it).
struct BenchPeer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "peer", abstract: "Peer process of `qnet bench transport`.", shouldDisplay: false)
    @Option var connect: String
    @Option var name: String
    @Option var mode: String
    @Option var count: Int
    @Option var stats: String

    func run() throws {
        let transport = try ZMQDealerTransport(endpoint: connect, identity: name, maxMessageBytes: Int64(WireFrame.maxBytes))
        defer { transport.close() }
        // A typical control message: a herald without state.
        let herald = MessageBody.herald(.init(linkID: LinkID(0), batchID: 1, attemptIndex: 17, successTime: VTime(picoseconds: 825_000_000),
                                              bellState: .psiPlus, groupID: GroupID(1), qubits: [QubitID(1), QubitID(2)], owner: "initiator"))
        let other = name == "initiator" ? "responder" : "initiator"
        try transport.send([])  // hello
        if name == "responder" {
            while true {
                guard let frame = try transport.receive(timeoutMilliseconds: 1_000) else {
                    if getppid() == 1 { return }
                    continue
                }
                guard var envelope = try? WireCodec.decode(frame) else { continue }
                envelope.source = name
                envelope.destination = other
                try transport.send(WireCodec.encode(envelope))
            }
        }
        while try transport.receive(timeoutMilliseconds: 1_000) == nil {}  // go
        var samples: [Double] = []
        samples.reserveCapacity(count)
        let clock = ContinuousClock()
        for i in 0..<(count + count / 10) {
            let envelope = Envelope(source: name, destination: other, sequence: UInt64(i + 1), body: herald)
            let frame = try WireCodec.encode(envelope)
            let start = clock.now
            if mode == "raw" {
                try transport.send(frame)
                while try transport.receive(timeoutMilliseconds: 1_000) == nil {}
            } else {
                try transport.send(frame)
                while true {
                    guard let reply = try transport.receive(timeoutMilliseconds: 1_000) else { continue }
                    _ = try WireCodec.decode(reply)
                    break
                }
            }
            let d = clock.now - start
            if i >= count / 10 {  // warm-up excluded
                samples.append(Double(d.components.attoseconds) * 1e-12 + Double(d.components.seconds) * 1e6)
            }
        }
        samples.sort()
        let result = TransportBench.Percentiles(p50: samples[samples.count / 2], p99: samples[Int(Double(samples.count) * 0.99)])
        try JSONEncoder().encode(result).write(to: URL(fileURLWithPath: stats))
    }
}
