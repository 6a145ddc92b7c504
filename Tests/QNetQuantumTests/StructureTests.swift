import Foundation
import Numerics
import QNetCore
import Testing
@testable import QNetQuantum

@Suite("Structure, gates and quantities")
struct StructureTests {
    @Test func partialTraceUndoesTensor() throws {
        var rng = SeededRandom(seed: 1)
        let a = Random.mixedState(qubits: 2, &rng), b = Random.mixedState(qubits: 1, &rng)
        let ab = try a.tensor(b)
        #expect(ab.tracingOut(2).maxDistance(to: a) < 1e-14)
        #expect(ab.reduced(to: [2]).maxDistance(to: b) < 1e-14)
        #expect(ab.reduced(to: [1, 0]).maxDistance(to: a.permuted(to: [1, 0])) < 1e-14)
        #expect(try b.tensor(a).permuted(to: [1, 2, 0]).maxDistance(to: ab) < 1e-14)
    }

    @Test func groupSizeLimit() throws {
        let five = DensityMatrix(qubitCount: 5), six = DensityMatrix(qubitCount: 6)
        #expect(try five.tensor(five).qubitCount == 10)
        #expect(throws: QuantumError.self) { try five.tensor(six) }
    }

    /// Every gate's fast path equals the generic U ρ U† through its matrix.
    @Test(arguments: [Gate.x, .y, .z, .h, .s, .t, .rx(0.7), .ry(1.3), .rz(2.1), .cnot, .cz, .swap])
    func fastPathsMatchMatrices(gate: Gate) {
        var rng = SeededRandom(seed: 2)
        let rho = Random.mixedState(qubits: 3, &rng)
        let qubits = gate.arity == 1 ? [1] : [2, 0]
        var fast = rho
        fast.apply(gate, to: qubits)
        var slow = rho
        slow.applyOperator(gate.matrix, to: qubits)
        #expect(fast.maxDistance(to: slow) < 1e-13)
        #expect(gate.matrix.isUnitary())
    }

    /// The Pauli frame: the product of two Paulis equals their composition up to a phase,
    /// |Tr(C† · P1 P2)| = 2.
    @Test func pauliComposition() {
        for p1 in Pauli.allCases {
            for p2 in Pauli.allCases {
                let product = p1.matrix * p2.matrix
                let c = p1.composed(with: p2).matrix.adjoint * product
                let trace = Complex(c.re[0] + c.re[3], c.im[0] + c.im[3])
                #expect(abs(trace.length - 2) < 1e-12, "\(p1)·\(p2)")
            }
        }
    }

    @Test func cnotMakesBellPair() {
        var rho = DensityMatrix(qubitCount: 2)
        rho.apply(.h, to: [0])
        rho.apply(.cnot, to: [0, 1])
        #expect(abs(rho.fidelity(to: .phiPlus) - 1) < 1e-14)
        #expect(abs(rho.concurrence - 1) < 1e-9)
    }

    @Test func specialisedChannelsMatchTheirKrausSets() throws {
        var rng = SeededRandom(seed: 3)
        let rho = Random.mixedState(qubits: 2, &rng)
        let g = 0.3
        var viaKraus = rho, direct = rho
        try viaKraus.apply(kraus: [ComplexMatrix(real: [[1, 0], [0, (1 - g).squareRoot()]]), ComplexMatrix(real: [[0, g.squareRoot()], [0, 0]])], to: [1])
        direct.apply(try .amplitudeDamping(g), to: 1)
        #expect(viaKraus.maxDistance(to: direct) < 1e-14)

        let p = 0.2
        var pauliTwirl = rho
        let pauliWeight = Complex<Double>(p.squareRoot() / 2, 0)
        let identityWeight = Complex<Double>((1 - 3 * p / 4).squareRoot(), 0)
        var kraus: [ComplexMatrix] = [identityWeight * ComplexMatrix.identity(2)]
        for gate in [Gate.x, .y, .z] { kraus.append(pauliWeight * gate.matrix) }
        try pauliTwirl.apply(kraus: kraus, to: [0])
        var depolarised = rho
        depolarised.apply(try .depolarizing(p), to: 0)
        #expect(pauliTwirl.maxDistance(to: depolarised) < 1e-14)

        var twoQubit = rho
        try twoQubit.apply(kraus: [Gate.cnot.matrix], to: [0, 1])
        var gate = rho
        gate.apply(.cnot, to: [0, 1])
        #expect(twoQubit.maxDistance(to: gate) < 1e-14)
    }

    @Test func invalidParametersThrow() {
        #expect(throws: QuantumError.self) { try QubitChannel.depolarizing(1.2) }
        #expect(throws: QuantumError.self) { try QubitChannel.kraus([ComplexMatrix(real: [[1, 0], [0, 0.5]])]) }
        #expect(throws: QuantumError.self) { try DensityMatrix.werner(fidelity: -0.1) }
        #expect(throws: QuantumError.self) { try DensityMatrix.bellDiagonal([0.5, 0.5, 0.5, 0]) }
        #expect(throws: QuantumError.self) { try DensityMatrix(matrix: ComplexMatrix(real: [[0.5, 0.6], [0.6, 0.5]])) }
        do {
            _ = try QubitChannel.memoryDecoherence(duration: .seconds(1), t1Seconds: 1, t2Seconds: 2.5)
            Issue.record("T2 > 2·T1 accepted")
        } catch {
            #expect(error.code == .unphysicalDecoherence)
            #expect(error.message.contains("must not exceed 2·T1"))
        }
    }

    @Test func quantities() throws {
        var rng = SeededRandom(seed: 4)
        let psi = Random.pureVector(qubits: 2, &rng)
        let pure = DensityMatrix(pure: psi)
        let mixed = Random.mixedState(qubits: 2, &rng)
        // Uhlmann fidelity with a pure state reduces to ⟨ψ|σ|ψ⟩.
        #expect(abs(mixed.fidelity(to: pure) - mixed.fidelity(toPure: psi)) < 1e-9)
        #expect(abs(pure.fidelity(to: mixed) - mixed.fidelity(to: pure)) < 1e-9)
        #expect(abs(mixed.fidelity(to: mixed) - 1) < 1e-9)
        #expect(abs(pure.purity - 1) < 1e-12)
        #expect(abs(DensityMatrix.maximallyMixed(qubitCount: 3).purity - 0.125) < 1e-15)
        // Orthogonal states are at trace distance 1; equal ones at 0.
        #expect(abs(DensityMatrix.bell(.phiPlus).traceDistance(to: .bell(.psiMinus)) - 1) < 1e-12)
        #expect(mixed.traceDistance(to: mixed) < 1e-12)
        // Trace distance between Werner states is 4|F1 − F2|/3 · … : (|ΔF| + 3·|ΔF|/3)/2 = |ΔF|.
        #expect(abs(try DensityMatrix.werner(fidelity: 0.9).traceDistance(to: .werner(fidelity: 0.7)) - 0.2) < 1e-12)
        // Fuchs–van de Graaf: 1 − √F ≤ D ≤ √(1 − F).
        let f = mixed.fidelity(to: Random.mixedState(qubits: 2, &rng))
        #expect(f >= 0 && f <= 1)
        #expect(mixed.eigenvalues().allSatisfy { $0 > -1e-12 })
        #expect(abs(mixed.eigenvalues().reduce(0, +) - 1) < 1e-12)
    }

    @Test func groupStoreMergesAndSplits() throws {
        var store = GroupStore()
        let q = (0..<4).map { QubitID(home: NodeID(UInt32($0 / 2)), index: UInt32($0)) }
        store.insert([q[0], q[1]], state: .bell(.phiPlus))
        store.insert([q[2], q[3]], state: .bell(.phiPlus))
        #expect(store.groups.count == 2)
        var rng = SeededRandom(seed: 5)
        let outcome = try store.measureBell(q[1], q[2], using: &rng)
        #expect(store.groups.count == 1)
        try store.apply(outcome.correctionToPhiPlus, to: q[3])
        #expect(abs(try store.state(of: [q[0], q[3]]).fidelity(to: .phiPlus) - 1) < 1e-12)
        store.discard(q[0])
        #expect(abs(try store.state(of: [q[3]]).purity - 0.5) < 1e-12)
        #expect(throws: QuantumError.self) { try store.apply(.x, to: [q[1]]) }
    }
}
