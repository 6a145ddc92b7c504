import Testing
@testable import QNetCore

@Suite("Virtual time")
struct VTimeTests {
    @Test("parses unit strings exactly", arguments: [
        ("3.3 us", UInt64(3_300_000)),
        ("25 ms", 25_000_000_000),
        ("2 s", 2_000_000_000_000),
        ("1 ps", 1),
        ("0.5 ns", 500),
        ("1e-9 s", 1_000),
        ("2.5e3 ns", 2_500_000),
        ("10us", 10_000_000),
        ("7 µs", 7_000_000),
        ("0", 0),
        ("  4 ms ", 4_000_000_000),
    ])
    func parses(text: String, picoseconds: UInt64) throws {
        #expect(try VDuration(parsing: text).picoseconds == picoseconds)
    }

    @Test("rejects bad input with a reason", arguments: [
        ("3 xs", "unknown time unit 'xs'"),
        ("3", "missing unit"),
        ("-1 s", "negative"),
        ("abc", "expected a number"),
        ("0.1 ps", "finer than"),
        ("300 days", "unknown time unit"),
        ("1e9 s", "too long"),
        ("", "expected a number"),
    ])
    func rejects(text: String, reason: String) {
        do {
            _ = try VDuration(parsing: text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
            #expect(error.text == text)
        }
    }

    @Test("prints with the largest exact unit and round-trips", arguments: [
        UInt64(0), 1, 999, 1_000, 3_300_000, 25_000_000_000, 2_000_000_000_000, 1_234_567_891_011, UInt64.max / 2,
    ])
    func printsAndRoundTrips(picoseconds: UInt64) throws {
        let d = VDuration(picoseconds: picoseconds)
        #expect(try VDuration(parsing: d.description) == d)
    }

    @Test func descriptions() {
        #expect(VDuration.microseconds(3) + .nanoseconds(300) == VDuration(picoseconds: 3_300_000))
        #expect(VDuration(picoseconds: 3_300_000).description == "3.3 us")
        #expect(VDuration.milliseconds(25).description == "25 ms")
        #expect(VDuration.seconds(2).description == "2 s")
    }

    @Test func arithmetic() {
        let t = VTime.zero + .milliseconds(5)
        #expect(t - VTime.zero == .milliseconds(5))
        #expect(VTime.zero.duration(since: t) == .zero)
        #expect(VTime.never.saturatingAdding(.seconds(1)) == .never)
        #expect(VDuration(seconds: 1.5e-6) == .nanoseconds(1_500))
    }
}

@Suite("Typed IDs")
struct IDTests {
    @Test func qubitHomeRoundTrips() {
        let q = QubitID(home: NodeID(7), index: 42)
        #expect(q.home == NodeID(7))
        #expect(q.rawValue & 0xffff_ffff == 42)
        #expect(QubitID(home: NodeID(1), index: 0) > QubitID(home: NodeID(0), index: 99))
    }
}
