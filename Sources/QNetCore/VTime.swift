/// A point in virtual time: an unsigned count of picoseconds since the start of a run.
///
/// Virtual time is never a floating-point number: 2^64 ps is about 213 days, and detector
/// jitter lives at the picosecond scale (DESIGN §2). Arithmetic that would overflow or go
/// below zero is a programmer error and traps; values that come from outside (files, the
/// wire) go through the throwing or saturating entry points instead.
public struct VTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Picoseconds since the start of the run.
    public var picoseconds: UInt64

    /// Creates a time from a picosecond count.
    @inlinable public init(picoseconds: UInt64) { self.picoseconds = picoseconds }

    /// The start of every run.
    public static let zero = VTime(picoseconds: 0)
    /// The largest representable time; used as "never".
    public static let never = VTime(picoseconds: .max)

    @inlinable public static func < (a: VTime, b: VTime) -> Bool { a.picoseconds < b.picoseconds }

    /// `t + d`; traps on overflow (programmer error).
    @inlinable public static func + (t: VTime, d: VDuration) -> VTime {
        VTime(picoseconds: t.picoseconds + d.picoseconds)
    }

    @inlinable public static func += (t: inout VTime, d: VDuration) { t = t + d }

    /// `t + d`, clamped to ``never``.
    @inlinable public func saturatingAdding(_ d: VDuration) -> VTime {
        let (sum, overflow) = picoseconds.addingReportingOverflow(d.picoseconds)
        return overflow ? .never : VTime(picoseconds: sum)
    }

    /// `t − d`; traps below zero (programmer error).
    @inlinable public static func - (t: VTime, d: VDuration) -> VTime {
        VTime(picoseconds: t.picoseconds - d.picoseconds)
    }

    /// The duration from `earlier` to `self`; traps if `earlier` is later (programmer error).
    @inlinable public static func - (a: VTime, b: VTime) -> VDuration {
        VDuration(picoseconds: a.picoseconds - b.picoseconds)
    }

    /// The duration from `earlier` to `self`, or zero if `earlier` is not earlier.
    @inlinable public func duration(since earlier: VTime) -> VDuration {
        picoseconds >= earlier.picoseconds ? VDuration(picoseconds: picoseconds - earlier.picoseconds) : .zero
    }

    /// Seconds since the start, as a Double: for reports only, never for scheduling.
    @inlinable public var seconds: Double { Double(picoseconds) * 1e-12 }

    public var description: String { VDuration(picoseconds: picoseconds).description }
}

/// A non-negative span of virtual time in integer picoseconds.
public struct VDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The span in picoseconds.
    public var picoseconds: UInt64

    @inlinable public init(picoseconds: UInt64) { self.picoseconds = picoseconds }

    public static let zero = VDuration(picoseconds: 0)

    @inlinable public static func picoseconds(_ n: UInt64) -> VDuration { VDuration(picoseconds: n) }
    @inlinable public static func nanoseconds(_ n: UInt64) -> VDuration { VDuration(picoseconds: n * 1_000) }
    @inlinable public static func microseconds(_ n: UInt64) -> VDuration { VDuration(picoseconds: n * 1_000_000) }
    @inlinable public static func milliseconds(_ n: UInt64) -> VDuration { VDuration(picoseconds: n * 1_000_000_000) }
    @inlinable public static func seconds(_ n: UInt64) -> VDuration { VDuration(picoseconds: n * 1_000_000_000_000) }

    /// The duration nearest to `seconds` (rounded to the picosecond).
    ///
    /// - Precondition: `seconds` is finite, non-negative and below 2^64 ps (programmer error
    ///   otherwise; parse external input with ``init(parsing:)``).
    @inlinable public init(seconds: Double) {
        precondition(seconds.isFinite && seconds >= 0 && seconds * 1e12 < 1.8446744073709552e19,
                     "VDuration(seconds:) out of range: \(seconds)")
        self.picoseconds = UInt64((seconds * 1e12).rounded())
    }

    @inlinable public static func < (a: VDuration, b: VDuration) -> Bool { a.picoseconds < b.picoseconds }
    @inlinable public static func + (a: VDuration, b: VDuration) -> VDuration {
        VDuration(picoseconds: a.picoseconds + b.picoseconds)
    }
    @inlinable public static func - (a: VDuration, b: VDuration) -> VDuration {
        VDuration(picoseconds: a.picoseconds - b.picoseconds)
    }
    @inlinable public static func * (a: VDuration, n: UInt64) -> VDuration {
        VDuration(picoseconds: a.picoseconds * n)
    }

    /// The span in seconds, as a Double: for physics formulas and reports.
    @inlinable public var seconds: Double { Double(picoseconds) * 1e-12 }

    /// The shortest exact rendering with the largest unit that keeps an integer or short decimal,
    /// e.g. `3.3 us`, `25 ms`, `2 s`, `0 s`.
    public var description: String {
        if picoseconds == 0 { return "0 s" }
        for unit in TimeUnit.allCases.reversed() where picoseconds >= unit.picoseconds {
            return Self.format(picoseconds, per: unit.picoseconds) + " " + unit.symbol
        }
        return "\(picoseconds) ps"
    }

    static func format(_ value: UInt64, per unit: UInt64) -> String {
        let whole = value / unit
        var fraction = value % unit
        if fraction == 0 { return "\(whole)" }
        var digits = ""
        var scale = unit
        while fraction != 0 && scale > 1 {
            scale /= 10
            digits.append(Character(String(fraction / scale)))
            fraction %= scale
        }
        return "\(whole).\(digits)"
    }
}

/// Units accepted in duration strings.
public enum TimeUnit: CaseIterable, Sendable {
    case picosecond, nanosecond, microsecond, millisecond, second

    public var picoseconds: UInt64 {
        switch self {
        case .picosecond: 1
        case .nanosecond: 1_000
        case .microsecond: 1_000_000
        case .millisecond: 1_000_000_000
        case .second: 1_000_000_000_000
        }
    }

    public var symbol: String {
        switch self {
        case .picosecond: "ps"
        case .nanosecond: "ns"
        case .microsecond: "us"
        case .millisecond: "ms"
        case .second: "s"
        }
    }

    /// Every spelling accepted for the unit.
    public var spellings: [String] {
        switch self {
        case .picosecond: ["ps"]
        case .nanosecond: ["ns"]
        case .microsecond: ["us", "µs", "μs"]
        case .millisecond: ["ms"]
        case .second: ["s", "sec"]
        }
    }
}
