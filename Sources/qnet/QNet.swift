import ArgumentParser

@main
struct QNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qnet",
        abstract: "QNetLab: a multi-process quantum-network emulation testbed.",
        version: "0.1.0",
        subcommands: [Run.self, SweepCommand.self, ReportCommand.self, Validate.self, NodeCommand.self, StationCommand.self, ControllerCommand.self, Members.self, Compose.self, Bench.self]
    )
}
