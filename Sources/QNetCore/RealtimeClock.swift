/// The realtime clock's mapping from wall time to virtual time (DESIGN §2):
/// vtime = (wall + offset − epoch) / dilation. Pure: the shells read the wall clock and pass it in.
public struct RealtimeClock: Sendable, Equatable {
    /// Unix nanoseconds at virtual time zero (the coordinator's clock).
    public var epochUnixNanoseconds: UInt64
    /// Wall seconds per virtual second.
    public var dilation: Double
    /// This process's estimated offset to the coordinator's clock, in ns.
    public var offsetNanoseconds: Int64

    public init(epochUnixNanoseconds: UInt64, dilation: Double, offsetNanoseconds: Int64 = 0) {
        self.epochUnixNanoseconds = epochUnixNanoseconds
        self.dilation = dilation
        self.offsetNanoseconds = offsetNanoseconds
    }

    /// Virtual time at local wall time `wallNanoseconds` (zero before the epoch).
    public func virtualTime(atWallNanoseconds wall: UInt64) -> VTime {
        // Subtract in integers first: Unix nanoseconds exceed 2^60, where a Double keeps 256 ns steps.
        let sinceEpoch = Int64(bitPattern: wall &- epochUnixNanoseconds) &+ offsetNanoseconds
        let elapsed = Double(sinceEpoch) / dilation
        return elapsed <= 0 ? .zero : VTime(picoseconds: UInt64(elapsed * 1_000))
    }

    /// Wall seconds that `duration` of virtual time takes.
    public func wallSeconds(_ duration: VDuration) -> Double { duration.seconds * dilation }
}
