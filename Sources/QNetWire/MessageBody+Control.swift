import QNetCore
import QNetProtocols

// Control-plane bodies (Protos/qnet/v1/control.proto): joining, starting and
// stopping a cluster. Sequence: Hello → Welcome → Ready → Start … Shutdown.

extension MessageBody {
    /// The part a process plays in the cluster.
    public enum Role: String, Hashable, Sendable, CaseIterable {
        /// Owns the clock, router, registry and metrics sink.
        case coordinator
        /// One quantum-network node.
        case node
        /// The midpoint station of one heralded link.
        case station
        /// An optional centralised scheduler.
        case controller
    }

    /// How virtual time advances during a run.
    public enum ClockMode: String, Hashable, Sendable, CaseIterable {
        /// Conservative windows granted by the coordinator.
        case lockstep
        /// Virtual time follows the wall clock, scaled by a dilation.
        case realtime
    }

    /// Why a run, or one process, is ending.
    public enum ShutdownReason: String, Hashable, Sendable, CaseIterable {
        /// Every request has been served.
        case completed
        /// The virtual duration limit was reached.
        case durationReached
        /// A user interrupted the run.
        case interrupted
        /// A process failed or stopped answering.
        case peerLost
        /// An error made the run impossible to continue.
        case error
    }

    /// First message from a process to the coordinator.
    public struct Hello: Hashable, Sendable {
        /// What the process is.
        public var role: Role
        /// The process's name, equal to its routing identity.
        public var name: String
        /// Operating-system process id.
        public var pid: UInt32
        /// Highest wire protocol version the process speaks.
        public var protocolVersion: UInt32
        /// The sender's software version, for the run summary.
        public var softwareVersion: String
        /// Where the process receives backplane messages from peers directly; empty: only
        /// through the coordinator.
        public var backplaneEndpoint: String

        public init(
            role: Role, name: String, pid: UInt32,
            protocolVersion: UInt32 = WireCodec.protocolVersion, softwareVersion: String = "", backplaneEndpoint: String = ""
        ) {
            self.role = role
            self.name = name
            self.pid = pid
            self.protocolVersion = protocolVersion
            self.softwareVersion = softwareVersion
            self.backplaneEndpoint = backplaneEndpoint
        }
    }

    /// The coordinator's answer to ``Hello``: everything needed for set-up.
    public struct Welcome: Hashable, Sendable {
        /// Index of the process, dense from 0 within its role; a node's index
        /// is the home part of its qubit ids.
        public var index: UInt32
        /// Identifier of the run (the results folder's name).
        public var runID: String
        /// Seed for this process's random number generator.
        public var seed: UInt64
        /// How virtual time will advance.
        public var clockMode: ClockMode
        /// The member's configuration, resolved by the coordinator from the scenario (members
        /// never read the scenario file); nil for a member that needs none.
        public var configuration: MemberConfiguration?

        public init(index: UInt32, runID: String, seed: UInt64, clockMode: ClockMode, configuration: MemberConfiguration? = nil) {
            self.index = index
            self.runID = runID
            self.seed = seed
            self.clockMode = clockMode
            self.configuration = configuration
        }
    }

    /// What a member is told to be, by its role.
    public enum MemberConfiguration: Hashable, Sendable {
        case node(NodeConfiguration)
        case station(StationConfiguration)
    }

    /// A process has built its models and is ready to start.
    public struct Ready: Hashable, Sendable {
        /// The index from ``Welcome``, echoed as a check.
        public var index: UInt32

        public init(index: UInt32) { self.index = index }
    }

    /// The coordinator starts the run.
    public struct Start: Hashable, Sendable {
        /// Virtual time limit of the run; `nil` means none.
        public var duration: VDuration?
        /// Process name → direct backplane endpoint, for the processes that have one.
        public var backplaneEndpoints: [String: String]

        public init(duration: VDuration?, backplaneEndpoints: [String: String] = [:]) {
            self.duration = duration
            self.backplaneEndpoints = backplaneEndpoints
        }
    }

    /// Ends the run, or announces that one process is leaving.
    public struct Shutdown: Hashable, Sendable {
        /// Why.
        public var reason: ShutdownReason
        /// One human-readable sentence with details; may be empty.
        public var detail: String

        public init(reason: ShutdownReason, detail: String = "") {
            self.reason = reason
            self.detail = detail
        }
    }

    /// Liveness signal.
    public struct Heartbeat: Hashable, Sendable {
        /// Sender's wall-clock time, nanoseconds since the Unix epoch.
        public var wallTimeNanoseconds: UInt64
        /// Sender's current virtual time.
        public var virtualTime: VTime

        public init(wallTimeNanoseconds: UInt64, virtualTime: VTime) {
            self.wallTimeNanoseconds = wallTimeNanoseconds
            self.virtualTime = virtualTime
        }
    }
}
