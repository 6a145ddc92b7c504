import Foundation
import QNetCore
import Testing
@testable import QNetQuantum

/// Properties over random states and random operation sequences (fixed seeds).
@Suite("Properties")
struct PropertyTests {
    /// One operation on given qubits; measurements are projections whose outcome is chosen by
    /// the branch enumerator below.
    enum Operation: CustomStringConvertible {
        case gate(Gate, [Int])
        case noisyGate(Gate, [Int], Double)
        case channel(QubitChannel, Int)
        case decoherence(VDuration, Int)
        case measure(MeasurementBasis, Int)

        var description: String {
            switch self {
            case let .gate(g, q): "\(g)\(q)"
            case let .noisyGate(g, q, p): "\(g)\(q)~\(p)"
            case let .channel(_, q): "channel[\(q)]"
            case let .decoherence(t, q): "decohere[\(q)] \(t)"
            case let .measure(b, q): "measure \(b)[\(q)]"
            }
        }
    }

    static func randomOperation(on qubits: [Int], allowMeasure: Bool, _ rng: inout SeededRandom) throws -> Operation {
        let q = qubits[Int(rng.next() % UInt64(qubits.count))]
        let other = qubits.filter { $0 != q }
        let p = rng.nextUnit() * 0.3
        switch rng.next() % (allowMeasure ? 9 : 8) {
        case 0: return .gate([.x, .y, .z, .h, .s, .t][Int(rng.next() % 6)], [q])
        case 1: return .gate([.rx(rng.nextUnit() * 6), .ry(rng.nextUnit() * 6), .rz(rng.nextUnit() * 6)][Int(rng.next() % 3)], [q])
        case 2: return other.isEmpty ? .gate(.h, [q]) : .gate([.cnot, .cz, .swap][Int(rng.next() % 3)], [q, other[0]])
        case 3: return .gate(.unitary(Random.unitary(&rng)), [q])
        case 4: return other.isEmpty ? .noisyGate(.h, [q], p) : .noisyGate(.cnot, [other[0], q], p)
        case 5: return .channel(try [QubitChannel.depolarizing(p), .dephasing(p), .amplitudeDamping(p), .bitFlip(p)][Int(rng.next() % 4)], q)
        case 6: return .decoherence(.microseconds(rng.next() % 500_000), q)
        case 7: return .channel(try .kraus(randomKraus(&rng)), q)
        default: return .measure([.z, .x, .y, .bloch(theta: rng.nextUnit() * 3, phi: rng.nextUnit() * 6)][Int(rng.next() % 4)], q)
        }
    }

    /// A random 2-operator Kraus set: K0 = cos(a)·U, K1 = sin(a)·V with U, V unitary.
    static func randomKraus(_ rng: inout SeededRandom) -> [ComplexMatrix] {
        let a = rng.nextUnit() * 1.5
        let u = Random.unitary(&rng), v = Random.unitary(&rng)
        var k0 = u, k1 = v
        for i in 0..<4 {
            k0.re[i] *= cos(a); k0.im[i] *= cos(a)
            k1.re[i] *= sin(a); k1.im[i] *= sin(a)
        }
        return [k0, k1]
    }

    static func apply(_ op: Operation, to rho: inout DensityMatrix, outcome: Int = 0) throws -> Double {
        switch op {
        case let .gate(g, q): rho.apply(g, to: q)
        case let .noisyGate(g, q, p): rho.apply(g, to: q, depolarizing: p)
        case let .channel(c, q): rho.apply(c, to: q)
        case let .decoherence(t, q): try rho.decohere(q, duration: t, t1Seconds: 0.8, t2Seconds: 0.3)
        case let .measure(b, q): return rho.project(q, basis: b, outcome: outcome)
        }
        return 1
    }

    /// Channels, gates and measurements keep trace 1 and positivity.
    @Test func operationsKeepTraceAndPositivity() throws {
        var rng = SeededRandom(seed: 101)
        for _ in 0..<60 {
            let n = 1 + Int(rng.next() % 3)
            var rho = Random.mixedState(qubits: n, &rng)
            for _ in 0..<12 {
                let op = try Self.randomOperation(on: Array(0..<n), allowMeasure: true, &rng)
                let outcome = Int(rng.next() % 2)
                var trial = rho
                if try Self.apply(op, to: &trial, outcome: outcome) > 1e-9 { rho = trial }
                #expect(abs(rho.trace - 1) < 1e-10, "\(op)")
                #expect(rho.minimumEigenvalue > -1e-10, "\(op)")
                #expect(rho.invariantViolation(checkPositivity: true) == nil, "\(op)")
            }
        }
    }

    /// Unitaries keep purity Tr ρ².
    @Test func unitariesKeepPurity() throws {
        var rng = SeededRandom(seed: 202)
        for _ in 0..<40 {
            let n = 1 + Int(rng.next() % 4)
            var rho = Random.mixedState(qubits: n, &rng)
            let before = rho.purity
            for _ in 0..<20 {
                var op: Operation
                repeat { op = try Self.randomOperation(on: Array(0..<n), allowMeasure: false, &rng) } while !{
                    if case .gate = op { return true } else { return false }
                }()
                _ = try Self.apply(op, to: &rho)
            }
            #expect(abs(rho.purity - before) < 1e-12)
        }
    }

    /// The property the distributed design rests on (DESIGN §3): sequences acting on disjoint
    /// qubit sets commute. Both sequences include measurements; every branch is enumerated
    /// exactly, so "same state" and "same outcome distribution" are compared exactly: for each
    /// outcome record (outcomes listed per sequence, in that sequence's order) the probability
    /// and the post-measurement state agree, whatever the interleaving.
    @Test(arguments: 0..<12)
    func disjointSequencesCommute(trial: Int) throws {
        var rng = SeededRandom(seed: 303).split(UInt64(trial))
        let n = 4
        let start = Random.mixedState(qubits: n, &rng)
        let left = [0, 1].shuffled(using: &rng), right = [2, 3].shuffled(using: &rng)
        let a = try (0..<5).map { _ in try Self.randomOperation(on: left, allowMeasure: true, &rng) }
        let b = try (0..<5).map { _ in try Self.randomOperation(on: right, allowMeasure: true, &rng) }

        // Interleavings: a then b, b then a, and three random merges.
        var orders: [[(Int, Int)]] = [a.indices.map { (0, $0) } + b.indices.map { (1, $0) },
                                      b.indices.map { (1, $0) } + a.indices.map { (0, $0) }]
        for _ in 0..<3 {
            var i = 0, j = 0, order: [(Int, Int)] = []
            while i < a.count || j < b.count {
                if j == b.count || (i < a.count && rng.next() % 2 == 0) { order.append((0, i)); i += 1 } else { order.append((1, j)); j += 1 }
            }
            orders.append(order)
        }
        let reference = try Self.branches(start, a, b, orders[0])
        for order in orders.dropFirst() {
            let other = try Self.branches(start, a, b, order)
            #expect(Set(other.keys) == Set(reference.keys))
            for (key, (p, rho)) in reference {
                guard let (q, sigma) = other[key] else { continue }
                #expect(abs(p - q) < 1e-12, "outcome record \(key)")
                if p > 1e-9 { #expect(rho.maxDistance(to: sigma) < 1e-10, "outcome record \(key)") }
            }
        }
    }

    /// All measurement branches of running `order` over sequences a and b: outcome record →
    /// (probability, state). The record lists a's outcomes then b's, each in program order.
    static func branches(_ start: DensityMatrix, _ a: [Operation], _ b: [Operation], _ order: [(Int, Int)]) throws -> [String: (Double, DensityMatrix)] {
        var result: [String: (Double, DensityMatrix)] = [:]
        func walk(_ step: Int, _ rho: DensityMatrix, _ p: Double, _ outA: String, _ outB: String) throws {
            if step == order.count {
                result[outA + "|" + outB] = (p, rho)
                return
            }
            let (which, index) = order[step]
            let op = which == 0 ? a[index] : b[index]
            if case .measure = op {
                for outcome in 0...1 {
                    var next = rho
                    let q = try apply(op, to: &next, outcome: outcome)
                    if q <= 0 { continue }
                    try walk(step + 1, next, p * q, which == 0 ? outA + "\(outcome)" : outA, which == 1 ? outB + "\(outcome)" : outB)
                }
            } else {
                var next = rho
                _ = try apply(op, to: &next)
                try walk(step + 1, next, p, outA, outB)
            }
        }
        try walk(0, start, 1, "", "")
        return result
    }

    /// Sampled form of the same property through the group store: two nodes' operations on
    /// disjoint qubits of one group, applied in either order with independent RNG streams,
    /// give the same outcome frequencies (within 4 standard errors) and, per outcome, the same
    /// conditional state.
    @Test func groupStoreOrderIndependence() throws {
        let alice = QubitID(home: NodeID(0), index: 0), bob = QubitID(home: NodeID(1), index: 0)
        var store = GroupStore()
        store.insert([alice, bob], state: try .werner(fidelity: 0.85))
        let shots = 20_000
        var counts = [[Int]](repeating: [0, 0, 0, 0], count: 2)
        for order in 0..<2 {
            var ra = SeededRandom(seed: 9).split("alice"), rb = SeededRandom(seed: 9).split("bob")
            for _ in 0..<shots {
                var s = store
                var oa = 0, ob = 0
                if order == 0 {
                    try s.decohere(alice, duration: .milliseconds(3), t1Seconds: 1, t2Seconds: 0.01)
                    oa = try s.measure(alice, basis: .x, using: &ra)
                    try s.apply(.h, to: [bob])
                    ob = try s.measure(bob, basis: .z, using: &rb)
                } else {
                    try s.apply(.h, to: [bob])
                    ob = try s.measure(bob, basis: .z, using: &rb)
                    try s.decohere(alice, duration: .milliseconds(3), t1Seconds: 1, t2Seconds: 0.01)
                    oa = try s.measure(alice, basis: .x, using: &ra)
                }
                counts[order][oa * 2 + ob] += 1
                #expect(s.qubitCount == 0)
            }
        }
        for k in 0..<4 {
            let f0 = Double(counts[0][k]) / Double(shots), f1 = Double(counts[1][k]) / Double(shots)
            let pooled = (f0 + f1) / 2
            // difference of two independent frequencies: SE = √(2 p(1−p)/n)
            #expect(abs(f0 - f1) <= 4 * (2 * pooled * (1 - pooled) / Double(shots)).squareRoot())
        }
    }
}
