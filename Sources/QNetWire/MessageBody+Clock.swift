import QNetCore

// Virtual-clock bodies (Protos/qnet/v1/clock.proto).

extension MessageBody {
    /// Lockstep: the receiver may process everything strictly before
    /// ``windowEnd``, then answers ``WindowDone``.
    public struct Grant: Hashable, Sendable {
        /// Round number, from 1, increasing per grant to this process.
        public var round: UInt64
        /// Exclusive end of the granted window (the process's horizon).
        public var windowEnd: VTime

        public init(round: UInt64, windowEnd: VTime) {
            self.round = round
            self.windowEnd = windowEnd
        }
    }

    /// Lockstep: a process has finished the window granted in round ``round``.
    public struct WindowDone: Hashable, Sendable {
        /// The round of the grant being answered.
        public var round: UInt64
        /// Time of the next local event; `nil` when only a message can wake
        /// the process.
        public var nextEventTime: VTime?
        /// Number of envelopes the process sent during the window.
        public var messagesSent: UInt64
        /// Backplane messages sent to peers directly, and received directly and handled, since
        /// the run started (the coordinator knows none is in flight when the sums agree).
        public var directBackplaneSent: UInt64
        public var directBackplaneHandled: UInt64
        /// Routed messages answered on arrival, outside any window, since the run started.
        public var answeredOnArrival: UInt64

        public init(round: UInt64, nextEventTime: VTime?, messagesSent: UInt64,
                    directBackplaneSent: UInt64 = 0, directBackplaneHandled: UInt64 = 0, answeredOnArrival: UInt64 = 0) {
            self.round = round
            self.nextEventTime = nextEventTime
            self.messagesSent = messagesSent
            self.directBackplaneSent = directBackplaneSent
            self.directBackplaneHandled = directBackplaneHandled
            self.answeredOnArrival = answeredOnArrival
        }
    }

    /// Realtime: NTP-style offset probe (t1).
    public struct ClockPing: Hashable, Sendable {
        /// Matches the ``ClockPong`` to this ping.
        public var pingID: UInt64
        /// Sender's wall clock at sending, ns since the Unix epoch.
        public var t1Nanoseconds: UInt64

        public init(pingID: UInt64, t1Nanoseconds: UInt64) {
            self.pingID = pingID
            self.t1Nanoseconds = t1Nanoseconds
        }
    }

    /// Realtime: answer to ``ClockPing``. With t4 the receive time, offset =
    /// ((t2 − t1) + (t3 − t4)) / 2, round trip = (t4 − t1) − (t3 − t2).
    public struct ClockPong: Hashable, Sendable {
        /// The ping being answered.
        public var pingID: UInt64
        /// t1 copied from the ping, ns.
        public var t1Nanoseconds: UInt64
        /// Coordinator's wall clock when the ping arrived, ns.
        public var t2Nanoseconds: UInt64
        /// Coordinator's wall clock when the pong was sent, ns.
        public var t3Nanoseconds: UInt64

        public init(pingID: UInt64, t1Nanoseconds: UInt64, t2Nanoseconds: UInt64, t3Nanoseconds: UInt64) {
            self.pingID = pingID
            self.t1Nanoseconds = t1Nanoseconds
            self.t2Nanoseconds = t2Nanoseconds
            self.t3Nanoseconds = t3Nanoseconds
        }
    }

    /// Realtime: vtime = (wall − epoch) / dilation.
    public struct EpochAnnounce: Hashable, Sendable {
        /// Wall-clock instant of virtual time zero, ns since the Unix epoch.
        public var epochUnixNanoseconds: UInt64
        /// Wall seconds per virtual second; finite and positive.
        public var dilation: Double

        public init(epochUnixNanoseconds: UInt64, dilation: Double) {
            self.epochUnixNanoseconds = epochUnixNanoseconds
            self.dilation = dilation
        }
    }
}
