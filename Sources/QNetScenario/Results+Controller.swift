extension Results {
    /// summary.json `controller` (placement: controller): who answered, how often, and the wall
    /// time from sending an observation to the program to receiving its reply.
    public struct ControllerStats: Codable, Sendable {
        /// The program's name from its hello.
        public var program: String
        public var observations: UInt64
        /// Decisions it sent, and those a node found no longer applied when they arrived.
        public var decisions: UInt64
        public var staleDecisions: UInt64?
        /// Wall-clock round trip per observation, in microseconds (the first 100 000 measured).
        public var roundTripMicroseconds: Percentiles?

        public init(program: String, observations: UInt64, decisions: UInt64, staleDecisions: UInt64?, roundTripMicroseconds: Percentiles?) {
            self.program = program
            self.observations = observations
            self.decisions = decisions
            self.staleDecisions = staleDecisions
            self.roundTripMicroseconds = roundTripMicroseconds
        }
    }
}
