import ArgumentParser
import Foundation

/// `qnet bench …`: micro-benchmarks whose figures go in release notes. Run them from a
/// release build (`swift build -c release`); `bench/*.sh` run them beside their baselines.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a benchmark (build with -c release for meaningful numbers).",
        subcommands: [Quantum.self, TransportBench.self, BenchPeer.self]
    )

    struct Quantum: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "State-engine throughput: swaps, decoherence, Bell measurements, 10-qubit gates."
        )

        @Flag(help: "Print one JSON object instead of a table.")
        var json = false

        @Option(help: "Seconds per timing round (the median of --rounds rounds is reported).")
        var roundSeconds = 0.3

        @Option(help: "Timing rounds per workload.")
        var rounds = 5

        func validate() throws {
            guard roundSeconds > 0, roundSeconds <= 60 else {
                throw ValidationError("--round-seconds must be in (0, 60], got \(roundSeconds)")
            }
            guard (1...101).contains(rounds) else {
                throw ValidationError("--rounds must be in 1...101, got \(rounds)")
            }
        }

        func run() throws {
            let result = try QuantumBenchmark(roundSeconds: roundSeconds, rounds: rounds).run()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                #if DEBUG
                print("warning: this is a debug build; use `swift build -c release` for real figures")
                #endif
                let rows: [(String, Double)] = [
                    ("swaps (merge + BSM + Pauli correction)", result.swapsPerSecond),
                    ("T1/T2 decoherence of a 2-qubit group", result.decoherencePerSecond),
                    ("Bell-state measurements (4-qubit group)", result.bsmPerSecond),
                    ("one-qubit gates on a 10-qubit group", result.gates10QubitPerSecond),
                ]
                print("workload".padding(toLength: 42, withPad: " ", startingAt: 0) + "   ops/s (median)")
                for (name, value) in rows {
                    print(name.padding(toLength: 42, withPad: " ", startingAt: 0) + String(format: "%16.0f", value))
                }
            }
        }
    }
}
