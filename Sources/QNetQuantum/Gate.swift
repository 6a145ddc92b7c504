import Numerics
import Foundation

/// The gates of the engine. One-qubit gates act on one qubit of a group, two-qubit gates on an
/// ordered pair (control, target for ``cnot``).
public enum Gate: Equatable, Sendable {
    case x, y, z, h, s, t
    /// Rotations `exp(−iθσ/2)` about the x, y and z axes (θ in radians).
    case rx(Double), ry(Double), rz(Double)
    /// Controlled NOT: the first qubit controls, the second is the target.
    case cnot
    case cz
    case swap
    /// Any 2×2 unitary.
    case unitary(ComplexMatrix)

    /// Number of qubits the gate acts on.
    public var arity: Int {
        switch self {
        case .cnot, .cz, .swap: 2
        case .unitary(let u): u.rows == 4 ? 2 : 1
        default: 1
        }
    }

    /// The gate's matrix in the computational basis (first qubit most significant).
    public var matrix: ComplexMatrix {
        let r = 1 / 2.0.squareRoot()
        switch self {
        case .x: return ComplexMatrix(real: [[0, 1], [1, 0]])
        case .y: return ComplexMatrix([[.zero, Complex(0, -1)], [Complex(0, 1), .zero]])
        case .z: return ComplexMatrix(real: [[1, 0], [0, -1]])
        case .h: return ComplexMatrix(real: [[r, r], [r, -r]])
        case .s: return ComplexMatrix([[.one, .zero], [.zero, Complex(0, 1)]])
        case .t: return ComplexMatrix([[.one, .zero], [.zero, Complex(r, r)]])
        case .rx(let θ):
            let c = cos(θ / 2), s = sin(θ / 2)
            return ComplexMatrix([[Complex(c, 0), Complex(0, -s)], [Complex(0, -s), Complex(c, 0)]])
        case .ry(let θ):
            let c = cos(θ / 2), s = sin(θ / 2)
            return ComplexMatrix(real: [[c, -s], [s, c]])
        case .rz(let θ):
            let c = cos(θ / 2), s = sin(θ / 2)
            return ComplexMatrix([[Complex(c, -s), .zero], [.zero, Complex(c, s)]])
        case .cnot: return ComplexMatrix(real: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]])
        case .cz: return ComplexMatrix(real: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, -1]])
        case .swap: return ComplexMatrix(real: [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]])
        case .unitary(let u): return u
        }
    }
}

/// The single-qubit Pauli operators, as used for feed-forward corrections.
public enum Pauli: UInt8, CaseIterable, Sendable {
    case i = 0, x = 1, y = 2, z = 3

    /// The product of two Paulis up to phase (the Pauli frame): XOR of their (x, z) bits.
    public func composed(with other: Pauli) -> Pauli {
        let bits = (rawValue == 1 || rawValue == 2, rawValue == 2 || rawValue == 3)
        let otherBits = (other.rawValue == 1 || other.rawValue == 2, other.rawValue == 2 || other.rawValue == 3)
        switch (bits.0 != otherBits.0, bits.1 != otherBits.1) {
        case (false, false): return .i
        case (true, false): return .x
        case (true, true): return .y
        case (false, true): return .z
        }
    }

    /// The 2×2 matrix.
    public var matrix: ComplexMatrix {
        switch self {
        case .i: .identity(2)
        case .x: Gate.x.matrix
        case .y: Gate.y.matrix
        case .z: Gate.z.matrix
        }
    }
}
