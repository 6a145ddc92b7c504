/// An error from the quantum state engine: a parameter out of range or an invalid operator set.
///
/// Programmer errors (a qubit index outside a group) trap with a precondition instead; values
/// that can come from a scenario file or the wire are validated here and throw.
public struct QuantumError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Equatable, Sendable {
        /// A probability or rate outside its allowed range.
        case parameterOutOfRange
        /// A set of Kraus operators whose Σ K†K differs from the identity.
        case notTracePreserving
        /// T2 > 2·T1: no physical qubit decoheres like that.
        case unphysicalDecoherence
        /// More qubits in one group than the engine holds (``DensityMatrix/maximumQubitCount``).
        case tooManyQubits
        /// Matrices of different or wrong dimensions.
        case dimensionMismatch
    }

    public var code: Code
    /// One sentence: what is wrong and what is allowed.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func checkProbability(_ p: Double, _ name: String) throws(QuantumError) {
        guard p.isFinite, p >= 0, p <= 1 else {
            throw QuantumError(.parameterOutOfRange, "\(name) must be in [0, 1], got \(p)")
        }
    }
}
