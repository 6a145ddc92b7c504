import Testing
@testable import QNetCore

@Suite("Seeded random streams")
struct SeededRandomTests {
    @Test func sameSeedSameStream() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
    }

    @Test func splitIsPositionIndependentAndDistinct() {
        var parent = SeededRandom(seed: 7)
        let before = parent.split("alice")
        for _ in 0..<100 { _ = parent.next() }
        var x = before, y = parent.split("alice"), z = parent.split("bob")
        var differs = false
        for _ in 0..<100 {
            let vx = x.next()
            #expect(vx == y.next())
            if vx != z.next() { differs = true }
        }
        #expect(differs)
    }

    /// Uniformity: mean of U(0,1) within 4 standard errors (σ = 1/√12), and the correlation
    /// between two split streams within 4 standard errors of zero (σ ≈ 1/√n).
    @Test func uniformAndIndependent() {
        let n = 200_000
        var a = SeededRandom(seed: 11).split(1), b = SeededRandom(seed: 11).split(2)
        var sa = 0.0, sb = 0.0, sab = 0.0, saa = 0.0, sbb = 0.0
        for _ in 0..<n {
            let u = a.nextUnit(), v = b.nextUnit()
            sa += u; sb += v; sab += u * v; saa += u * u; sbb += v * v
        }
        let mean = sa / Double(n)
        #expect(abs(mean - 0.5) < 4 * (1 / 12.0).squareRoot() / Double(n).squareRoot())
        let cov = sab / Double(n) - mean * sb / Double(n)
        let corr = cov / ((saa / Double(n) - mean * mean) * (sbb / Double(n) - (sb / Double(n)) * (sb / Double(n)))).squareRoot()
        #expect(abs(corr) < 4 / Double(n).squareRoot())
    }

    @Test func openUnitNeverZero() {
        var r = SeededRandom(seed: 1)
        for _ in 0..<10_000 {
            let u = r.nextOpenUnit()
            #expect(u > 0 && u <= 1)
        }
    }
}

@Suite("Event queue")
struct EventQueueTests {
    @Test func ordersByTimeThenFIFO() {
        var q = EventQueue<String>()
        q.schedule("c", at: VTime(picoseconds: 30))
        q.schedule("a1", at: VTime(picoseconds: 10))
        q.schedule("b", at: VTime(picoseconds: 20))
        q.schedule("a2", at: VTime(picoseconds: 10))
        q.schedule("a3", at: VTime(picoseconds: 10))
        #expect(q.nextTime == VTime(picoseconds: 10))
        var out: [String] = []
        while let (_, e) = q.popNext() { out.append(e) }
        #expect(out == ["a1", "a2", "a3", "b", "c"])
    }

    @Test func popBeforeLimit() {
        var q = EventQueue<Int>()
        q.schedule(1, at: VTime(picoseconds: 5))
        q.schedule(2, at: VTime(picoseconds: 15))
        #expect(q.popNext(before: VTime(picoseconds: 10))?.event == 1)
        #expect(q.popNext(before: VTime(picoseconds: 10)) == nil)
        #expect(q.count == 1)
    }

    /// Stable ordering over many equal and random times, checked against a sorted reference.
    @Test func matchesStableSort() {
        var rng = SeededRandom(seed: 3)
        var q = EventQueue<Int>()
        var reference: [(UInt64, Int)] = []
        for i in 0..<5_000 {
            let t = rng.next() % 50
            q.schedule(i, at: VTime(picoseconds: t))
            reference.append((t, i))
        }
        let expected = reference.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map { $0.element.1 }
        var got: [Int] = []
        while let (_, e) = q.popNext() { got.append(e) }
        #expect(got == expected)
    }
}
