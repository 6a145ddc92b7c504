#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The wall clock, for the shells only (nothing below them reads it; STYLE habit 3).
public enum WallClock {
    /// Unix time in nanoseconds (CLOCK_REALTIME: comparable across processes on one machine).
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
