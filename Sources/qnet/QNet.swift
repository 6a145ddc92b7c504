import ArgumentParser

@main
struct QNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qnet",
        abstract: "QNetLab: a multi-process quantum-network emulation testbed.",
        subcommands: [Bench.self]
    )
}
